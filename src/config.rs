//! Where things live and what time it is: the data directory (from `--data-dir`,
//! `AIXIN_DATA_DIR`, or the platform default from `directories`), the config directory for a
//! user keymap, the station's own settings file (`station.toml` in the data directory), and the
//! clock. This is the edge of the program: the domain gets time as a number.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Lang;
use crate::receipt::output::ReceiptSettings;

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

/// The station's settings file inside the data directory. It is optional: without it (or
/// without a key) the defaults hold.
pub const STATION_CONFIG_FILE: &str = "station.toml";

/// The station's own settings, from `station.toml` in the data directory. The keys:
///
/// ```toml
/// [receipt]
/// # Paper width in columns: 32 for 58 mm rolls (default), 48 for 80 mm rolls.
/// width = 32
/// # "text" (UTF-8, default) or "escpos" (printer commands, text in GBK).
/// format = "escpos"
/// # A printer device (/dev/usb/lp0, COM3, \\PC\POS58) or a file; each receipt is appended.
/// # Without it, each receipt is a file in the receipts folder of the data directory.
/// printer = "/dev/usb/lp0"
/// ```
///
/// An unknown key or a bad value is refused with the file and line, before anything is written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StationConfig {
    /// How receipts are printed ([`crate::receipt::output`]).
    pub receipt: ReceiptSettings,
}

/// Why `station.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", .path.display(), .problem)]
pub struct StationConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub problem: StationConfigProblem,
}

/// What is wrong with `station.toml`.
#[derive(Debug, thiserror::Error)]
pub enum StationConfigProblem {
    /// It could not be read.
    #[error("{0}")]
    Read(std::io::Error),
    /// It is not valid: the line (when known) and the parser's words (English).
    #[error("line {}: {detail}", .line.unwrap_or(0))]
    Syntax {
        /// The line, from 1.
        line: Option<usize>,
        /// What the TOML parser said.
        detail: String,
    },
}

impl StationConfigError {
    /// One line for a village manager.
    pub fn message(&self, lang: Lang) -> String {
        let what = match (&self.problem, lang) {
            (StationConfigProblem::Read(e), _) => crate::i18n::os_error(e, lang),
            // The parser speaks English: in Chinese the line says where to look.
            (StationConfigProblem::Syntax { line: Some(n), .. }, Lang::Zh) => {
                format!("第 {n} 行写法不对")
            }
            (StationConfigProblem::Syntax { line: None, .. }, Lang::Zh) => "写法不对".into(),
            (problem @ StationConfigProblem::Syntax { .. }, Lang::En) => problem.to_string(),
        };
        match lang {
            Lang::Zh => format!(
                "本站设置文件 {} 有误：{what}；请对照说明改正或删除它（删除后用默认：58 毫米纸、文本小票）",
                self.path.display(),
            ),
            Lang::En => format!(
                "the station settings file {} is wrong: {what}; fix or delete it (without it: 58 mm paper, text receipts)",
                self.path.display(),
            ),
        }
    }
}

/// The station settings file of a data directory.
pub fn station_config_path(data_dir: &Path) -> PathBuf {
    data_dir.join(STATION_CONFIG_FILE)
}

impl StationConfig {
    /// Reads `station.toml` from the data directory; the defaults when there is none.
    pub fn load(data_dir: &Path) -> Result<StationConfig, StationConfigError> {
        let path = station_config_path(data_dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => StationConfig::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StationConfig::default()),
            Err(e) => Err(StationConfigError {
                path,
                problem: StationConfigProblem::Read(e),
            }),
        }
    }

    /// Parses the text of `station.toml` (`path` only names it in errors).
    pub fn parse(text: &str, path: &Path) -> Result<StationConfig, StationConfigError> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|span| text.get(..span.start).unwrap_or(text).matches('\n').count() + 1);
            StationConfigError {
                path: path.to_path_buf(),
                problem: StationConfigProblem::Syntax {
                    line,
                    detail: e.message().trim().to_string(),
                },
            }
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::output::Format;
    use crate::receipt::Width;

    #[test]
    fn station_settings_have_defaults_and_refuse_what_they_do_not_know() {
        let path = Path::new("station.toml");
        assert_eq!(
            StationConfig::parse("", path).ok().map(|c| c.receipt),
            Some(ReceiptSettings::default())
        );
        let config = StationConfig::parse(
            "[receipt]\nwidth = 48\nformat = \"escpos\"\nprinter = \"/dev/usb/lp0\"\n",
            path,
        )
        .ok()
        .map(|c| c.receipt);
        assert_eq!(
            config,
            Some(ReceiptSettings {
                width: Width::Mm80,
                format: Format::Escpos,
                printer: Some(PathBuf::from("/dev/usb/lp0")),
            })
        );
        let bad = |text: &str| match StationConfig::parse(text, path) {
            Ok(config) => panic!("accepted {config:?}"),
            Err(e) => e.problem.to_string(),
        };
        assert!(bad("[receipt]\n\nwidth = 40\n").starts_with("line 3:"));
        assert!(bad("[receipt]\nwidth = 40\n").contains("32"));
        assert!(bad("[receipt]\nformat = \"pdf\"\n").starts_with("line 2:"));
        assert!(bad("[receipt]\nprinter_path = \"x\"\n").contains("printer_path"));
        assert!(bad("[reciept]\n").contains("reciept"));
    }
}
