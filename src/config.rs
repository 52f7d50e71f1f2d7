//! Where things live and what time it is: the data directory (from `--data-dir`,
//! `AIXIN_DATA_DIR`, or the platform default from `directories`), the config directory for a
//! user keymap, and the clock. This is the edge of the program: the domain gets time as a number.

use std::path::{Path, PathBuf};

/// The ledger file's name inside the data directory.
pub const LEDGER_FILE: &str = "ledger.redb";

/// The platform data directory for aixin, if the platform has one.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "aixin", "aixin").map(|d| d.data_dir().to_path_buf())
}

/// The config directory (user keymap): `AIXIN_CONFIG_DIR` or the platform default.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AIXIN_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "aixin", "aixin").map(|d| d.config_dir().to_path_buf())
}

/// The ledger file inside a data directory.
pub fn ledger_path(data_dir: &Path) -> PathBuf {
    data_dir.join(LEDGER_FILE)
}

/// Where receipts are written as text files for a receipt printer.
pub fn receipts_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("receipts")
}

/// Why the clock could not be read.
#[derive(Debug, thiserror::Error)]
#[error("AIXIN_NOW is not a time (use RFC 3339, e.g. 2026-11-21T09:30:00+08:00): {0}")]
pub struct ClockError(pub String);

/// Now, in UTC milliseconds. `AIXIN_NOW` (RFC 3339) overrides the system clock so tests and
/// drills can replay a scheme's calendar; the domain still refuses implausible times.
#[allow(
    clippy::disallowed_methods,
    reason = "the one place the program reads the system clock"
)]
pub fn now_ms() -> Result<i64, ClockError> {
    if let Ok(text) = std::env::var("AIXIN_NOW") {
        if !text.trim().is_empty() {
            return chrono::DateTime::parse_from_rfc3339(text.trim())
                .map(|t| t.timestamp_millis())
                .map_err(|_| ClockError(text));
        }
    }
    Ok(chrono::Utc::now().timestamp_millis())
}

/// Where "now" comes from: the system clock (or `AIXIN_NOW`), read at each use so that a
/// command needing no time never fails on a bad `AIXIN_NOW`; or a fixed instant for tests and
/// benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// [`now_ms`]: the system clock, or `AIXIN_NOW`.
    System,
    /// A fixed instant, UTC ms.
    Fixed(i64),
}

impl Clock {
    /// Now, UTC ms.
    pub fn now_ms(self) -> Result<i64, ClockError> {
        match self {
            Clock::System => now_ms(),
            Clock::Fixed(ms) => Ok(ms),
        }
    }
}
