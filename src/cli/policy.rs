//! The command line's one policy loader: `init --policy`, `station issue-policy` and anything
//! after them name a policy the same way, a shipped one by its file stem (`threshold-score`)
//! or a TOML file by its path.

use std::path::Path;

use super::error::CliError;
use super::input::read_text;
use crate::domain::Policy;
use crate::policies;

/// The shipped policy named `spec`, or the policy in the TOML file at `spec`.
pub fn load_policy(spec: &str) -> Result<Policy, CliError> {
    let parsed = match policies::builtin(spec) {
        Some(parsed) => parsed,
        None => Policy::from_toml(&read_text(Path::new(spec))?),
    };
    parsed.map_err(|source| CliError::Policy {
        spec: spec.to_string(),
        source,
    })
}
