//! The command line's one printer. A handler gives it the text a person reads and the JSON a
//! script reads, and it prints one of them on stdout (`--json` chooses); a report's `--out`
//! file is written as CSV or XLSX by its extension; notes and per-item refusals go to stderr.
//! Nothing else in `cli/` prints.
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
            write_stdout(&format!("{value}\n"));
        } else if !text.is_empty() {
            write_stdout(&format!("{text}\n"));
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
            write_stderr(&format!(
                "{} {}",
                self.lang.pick("已写入", "wrote"),
                path.display()
            ));
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

/// Serialises for `--json` without failing the command on a serialisation bug.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
