//! The command line's one printer. A handler gives it the text a person reads and the JSON a
//! script reads, and it prints one of them on stdout (`--json` chooses); a report's `--out`
//! file is written as CSV or XLSX by its extension; notes and per-item refusals go to stderr.
//! Nothing else in `cli/` prints.

use std::path::Path;

use serde::Serialize;

use super::error::CliError;
use crate::i18n::Lang;
use crate::report::table::{write_csv, write_xlsx, Table};

/// Prints in one language and one format.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    lang: Lang,
    json: bool,
}

impl Printer {
    /// A printer for `lang`, printing JSON when `json`.
    pub fn new(lang: Lang, json: bool) -> Printer {
        Printer { lang, json }
    }

    /// Prints `value` as one line of JSON with `--json`, else `text` (nothing when empty).
    #[allow(
        clippy::print_stdout,
        reason = "the command line's one printer to stdout"
    )]
    pub fn print(self, text: &str, value: serde_json::Value) {
        if self.json {
            println!("{value}");
        } else if !text.is_empty() {
            println!("{text}");
        }
    }

    /// Prints `text`, or `value` serialised with `--json`.
    pub fn print_serialized<T: Serialize>(self, text: &str, value: &T) {
        self.print(text, to_json(value));
    }

    /// Writes `table` to `path` as XLSX when its extension says so, else as CSV (with a BOM
    /// for Excel), and says so on stderr unless printing JSON. The old file is unchanged on
    /// failure.
    pub fn write_table(self, path: &Path, table: &Table) -> Result<(), CliError> {
        let is_xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if is_xlsx {
            write_xlsx(table, path)?;
        } else {
            write_csv(table, path)?;
        }
        if !self.json {
            eprintln!("{} {}", self.lang.pick("已写入", "wrote"), path.display());
        }
        Ok(())
    }

    /// Writes `table` to `out` when one was given (a report's `--out`).
    pub fn write_table_to(self, out: Option<&Path>, table: &Table) -> Result<(), CliError> {
        match out {
            Some(path) => self.write_table(path, table),
            None => Ok(()),
        }
    }

    /// A progress line of a long run on stderr, for the person watching (stdout keeps the
    /// result, so `--json` output stays one line of JSON).
    pub fn progress(self, line: &str) {
        eprintln!("{line}");
    }

    /// One line on stderr, `aixin: ` first, for one of several failures that are summed up by
    /// the error the command returns.
    pub fn warn(self, line: &str) {
        eprintln!("aixin: {line}");
    }
}

/// Serialises for `--json` without failing the command on a serialisation bug.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
