//! The command line's one policy loader: `init --policy`, `station issue-policy` and anything
//! after them name a policy the same way, a shipped one by its file stem (`threshold-score`)
//! or a TOML file by its path. A policy file may carry the committee's score sheet
//! (`[score_items]`, [`ScoreSheet`]), which is read beside the policy and written as its own
//! event right after it.

use std::path::Path;

use super::error::CliError;
use super::input::read_text;
use crate::domain::{Policy, ScoreSheet};
use crate::policies;

/// The policy named `spec` (a shipped stem or a TOML file) and its score sheet, if it has one.
pub fn load_policy_file(spec: &str) -> Result<(Policy, Option<ScoreSheet>), CliError> {
    let text = match policies::text(spec) {
        Some(text) => text.to_string(),
        None => read_text(Path::new(spec))?,
    };
    let failed = |source| CliError::Policy {
        spec: spec.to_string(),
        source,
    };
    let policy = Policy::from_toml(&text).map_err(failed)?;
    let sheet = ScoreSheet::from_policy_toml(&text).map_err(failed)?;
    Ok((policy, sheet))
}
