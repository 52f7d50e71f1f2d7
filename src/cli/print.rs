//! The command line's one printer. A handler gives it the text a person reads and the JSON a
//! script reads, and it prints one of them on stdout (`--json` chooses); a report's `--out`
//! file is written as XLSX (A4), CSV or aligned text by its extension, and any other name is
//! refused before anything is written ([`out_kind`]); notes and per-item refusals go to
//! stderr. Nothing else in `cli/` prints.
//!
//! Output that cannot be written never panics: once stdout fails, later prints are skipped and
//! the failure is kept for [`output_failure`], which the run asks at its end. A reader that
//! closed the pipe early (`aixin log | head -1`) took what it wanted, so that ends the run
//! quietly with its own result, as ripgrep does; any other failure (the disk under a
//! redirected file is full) ends it with a message.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

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
            write_stdout(&format!("{value}\n"));
        } else if !text.is_empty() {
            write_stdout(&format!("{text}\n"));
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

    /// A progress line of a long run on stderr, for the person watching (stdout keeps the
    /// result, so `--json` output stays one line of JSON).
    pub fn progress(self, line: &str) {
        write_stderr(line);
    }

    /// Writes `sheet` to `path`: XLSX for A4 printing (`.xlsx`), the main table as CSV with a
    /// BOM for Excel (`.csv`), or the aligned text (`.txt`); any other name is refused and
    /// nothing is written. Says where it went on stderr unless printing JSON. The old file is
    /// unchanged on failure.
    pub fn write_sheet(self, path: &Path, sheet: &Sheet) -> Result<(), CliError> {
        write_sheet(sheet, out_kind(path)?, path)?;
        if !self.json {
            write_stderr(&format!(
                "{} {}",
                self.lang.pick("已写入", "wrote"),
                path.display()
            ));
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
        write_stderr(&format!("aixin: {line}"));
    }
}

/// The first way stdout failed in this process, if it did.
static OUTPUT_FAILED: Mutex<Option<std::io::Error>> = Mutex::new(None);

/// Writes `text` to stdout unless stdout has failed before; keeps the first failure.
#[allow(
    clippy::print_stdout,
    reason = "the command line's one printer to stdout"
)]
fn write_stdout(text: &str) {
    let mut failed = OUTPUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if failed.is_some() {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        *failed = Some(e);
    }
}

/// Writes one line to stderr; if stderr itself is closed there is no one to tell.
pub fn write_stderr(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// How stdout failed during this run, if it did: a closed pipe (the reader took what it
/// wanted) or another error (the output is incomplete).
pub fn output_failure() -> Option<std::io::Error> {
    let failed = OUTPUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
    failed.as_ref().map(|e| match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(e.kind(), e.to_string()),
    })
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
