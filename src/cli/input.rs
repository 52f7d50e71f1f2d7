//! Input files and arguments as they enter the command line: a text file read as UTF-8 (the
//! refusal says how to save it from Excel), a CSV file parsed into domain commands with its
//! path named in any error, those commands committed as one batch whose refusal names the
//! file line (the three CSV imports are [`import_csv`]), and a `YYYY-MM-DD` date argument.
//! Normalised here, once, at the edge.

use std::path::Path;

use super::context::Context;
use super::error::CliError;
use crate::domain::time::CivilDate;
use crate::domain::Command;
use crate::import::{CsvError, Row};
use crate::store::StoreError;

/// A whole text file, which must be UTF-8 (a BOM is left for the CSV reader to strip).
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| CliError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

/// The rows of the CSV file at `path`, parsed by `parse` (one of [`crate::import`]'s).
pub fn csv_rows(
    path: &Path,
    parse: fn(&str) -> Result<Vec<Row>, CsvError>,
) -> Result<Vec<Row>, CliError> {
    parse(&read_text(path)?).map_err(|source| CliError::Csv {
        path: path.to_path_buf(),
        source,
    })
}

/// Commits the rows of the file at `path` as one batch and returns how many events were
/// written; a refused row names its file line, and nothing of the file is written.
pub fn commit_rows(ctx: &Context, path: &Path, rows: &[Row]) -> Result<usize, CliError> {
    let commands: Vec<Command> = rows.iter().map(|(_, command)| command.clone()).collect();
    let mut ledger = ctx.open()?;
    match ctx.execute_batch_on(&mut ledger, &commands) {
        Ok(events) => Ok(events
            .iter()
            .filter(|e| !matches!(e.body, crate::domain::EventBody::ClockConfirmed { .. }))
            .count()),
        Err(CliError::Store(StoreError::BatchRefused { index, refusal })) => {
            Err(CliError::RowRefused {
                path: path.to_path_buf(),
                line: rows.get(index).map_or(0, |(line, _)| *line),
                refusal,
            })
        }
        Err(e) => Err(e),
    }
}

/// `household import`, `goods import`, `score import`: the CSV file at `path`, parsed by
/// `parse` and committed as one batch, then "imported N" and `what` (given in Chinese and English).
pub fn import_csv(
    ctx: &Context,
    path: &Path,
    parse: fn(&str) -> Result<Vec<Row>, CsvError>,
    what: (&str, &str),
) -> Result<(), CliError> {
    let count = commit_rows(ctx, path, &csv_rows(path, parse)?)?;
    let text = format!(
        "{} {count} {}",
        ctx.t("已导入", "imported"),
        ctx.t(what.0, what.1)
    );
    ctx.out()
        .print(&text, serde_json::json!({ "imported": count }));
    Ok(())
}

/// A `YYYY-MM-DD` argument (China's calendar).
pub fn parse_date(text: &str) -> Result<CivilDate, CliError> {
    CivilDate::parse(text).ok_or_else(|| CliError::Date(text.to_string()))
}
