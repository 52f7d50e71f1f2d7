//! The command line's one printer. A handler gives it the text a person reads and the JSON a
//! script reads, and it prints one of them on stdout (`--json` chooses); a report's `--out`
//! file is written as XLSX (A4), CSV or aligned text by its extension, and any other name is
//! refused before anything is written ([`out_kind`]); notes and per-item refusals go to
//! stderr. Nothing else in `cli/` prints.

use std::path::Path;

use serde::Serialize;

use super::error::CliError;
use crate::i18n::Lang;
use crate::report::table::{write_sheet, OutputKind, Sheet, Table};

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

    /// Writes `table` to `path` as the file its extension names (see [`Printer::write_sheet`]).
    pub fn write_table(self, path: &Path, table: &Table) -> Result<(), CliError> {
        self.write_sheet(path, &Sheet::of_table(table.clone()))
    }

    /// Writes `table` to `out` when one was given (a report's `--out`).
    pub fn write_table_to(self, out: Option<&Path>, table: &Table) -> Result<(), CliError> {
        match out {
            Some(path) => self.write_table(path, table),
            None => Ok(()),
        }
    }

    /// Writes `sheet` to `path`: XLSX for A4 printing (`.xlsx`), the main table as CSV with a
    /// BOM for Excel (`.csv`), or the aligned text (`.txt`); any other name is refused and
    /// nothing is written. Says where it went on stderr unless printing JSON. The old file is
    /// unchanged on failure.
    pub fn write_sheet(self, path: &Path, sheet: &Sheet) -> Result<(), CliError> {
        write_sheet(sheet, out_kind(path)?, path)?;
        if !self.json {
            eprintln!("{} {}", self.lang.pick("已写入", "wrote"), path.display());
        }
        Ok(())
    }

    /// Writes `sheet` to `out` when one was given (a report's `--out`).
    pub fn write_sheet_to(self, out: Option<&Path>, sheet: &Sheet) -> Result<(), CliError> {
        match out {
            Some(path) => self.write_sheet(path, sheet),
            None => Ok(()),
        }
    }

    /// One line on stderr, `aixin: ` first, for one of several failures that are summed up by
    /// the error the command returns.
    pub fn warn(self, line: &str) {
        eprintln!("aixin: {line}");
    }
}

/// The kind of file a report's `--out` names: `.xlsx`, `.csv` or `.txt`, or the refusal
/// ([`CliError::OutputKind`]). Handlers that write the ledger ask this first, so a wrong name
/// is refused before anything changes.
pub fn out_kind(path: &Path) -> Result<OutputKind, CliError> {
    OutputKind::of_path(path).ok_or_else(|| CliError::OutputKind(path.to_path_buf()))
}

/// `--out` checked up front, before anything is written; nothing to check without one.
pub fn check_out(out: Option<&Path>) -> Result<(), CliError> {
    match out {
        Some(path) => out_kind(path).map(|_| ()),
        None => Ok(()),
    }
}

/// Serialises for `--json` without failing the command on a serialisation bug.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
