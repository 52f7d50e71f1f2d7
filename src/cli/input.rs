//! Input files and arguments as they enter the command line: a text file read as UTF-8 (a
//! policy's TOML), a households, goods or scores sheet imported through [`crate::import`]
//! ([`import_sheet`]), a list written back out as a sheet ([`export_list`]), the rows of a
//! sheet committed as one batch whose refusal names the row ([`commit_rows`]), and a date
//! argument ([`parse_date`]). Normalised here, once, at the edge, by `domain::input`.

use std::path::Path;

use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use crate::domain::time::CivilDate;
use crate::domain::Command;
use crate::i18n::Lang;
use crate::import::export::ExportError;
use crate::import::{self, Kind, Row};
use crate::store::ledger::View;
use crate::store::StoreError;

/// A whole text file, which must be UTF-8.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| CliError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

/// `household import`, `goods import`, `score import`: the sheet at `path` (`.xlsx`, `.xls`,
/// `.ods`, or CSV in UTF-8 or GBK; headers by name) imported as one batch. Prints how many rows
/// were new and how many the ledger already held; JSON `{imported, unchanged, sheets}`.
pub fn import_sheet(ctx: &Context, kind: Kind, path: &Path) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    // An import writes: the one at the keyboard must be allowed to, like any other write.
    let writer = ctx.writer(&mut ledger)?;
    let outcome = import::import_file(&mut ledger, &ctx.operator, &ctx.moment()?, kind, path)
        .map_err(|source| CliError::Import {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    ctx.after_write(writer);
    let noun = kind.noun(ctx.lang);
    let mut text = match ctx.lang {
        Lang::Zh => format!("已导入 {} {noun}", outcome.imported),
        Lang::En => format!("imported {} {noun}", outcome.imported),
    };
    if outcome.unchanged > 0 {
        text.push_str(&match ctx.lang {
            Lang::Zh => format!("；{} {noun}与账本相同，没有新内容", outcome.unchanged),
            Lang::En => format!(
                "; {} nothing new (already in the ledger)",
                outcome.unchanged
            ),
        });
    }
    ctx.out().print(&text, to_json(&outcome));
    Ok(())
}

/// `household list --out`, `goods list --out`: writes a list as a sheet by `write` and says
/// how many rows; JSON `{written, file}`.
pub fn export_list(
    ctx: &Context,
    kind: Kind,
    path: &Path,
    write: impl FnOnce(&View) -> Result<usize, ExportError>,
) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let view = ledger.view()?;
    let count = write(&view)?;
    let noun = kind.noun(ctx.lang);
    let text = match ctx.lang {
        Lang::Zh => format!("已写出 {count} {noun}到 {}", path.display()),
        Lang::En => format!("wrote {count} {noun} to {}", path.display()),
    };
    ctx.out()
        .print(&text, json!({ "written": count, "file": path }));
    Ok(())
}

/// The rows of the sheet at `path` of `kind`, read without the ledger (any sheet format).
pub fn sheet_rows(ctx: &Context, kind: Kind, path: &Path) -> Result<Vec<Row>, CliError> {
    let period_kind = ctx.open()?.view()?.require_meta()?.policy.period;
    import::read_rows(kind, path, period_kind).map_err(|source| CliError::Import {
        path: path.to_path_buf(),
        source: Box::new(source),
    })
}

/// Commits the rows of the file at `path` as one batch and returns how many events were
/// written; a refused row names its row, and nothing of the file is written.
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

/// A day argument (`--date`, `--confirm-date`, `--since`) in any form the domain's one date
/// normaliser reads ([`crate::domain::input::date`]: `2026-11-21`, `2026/11/21`,
/// `2026年11月21日`, full-width digits), on China's calendar.
pub fn parse_date(text: &str) -> Result<CivilDate, CliError> {
    Ok(crate::domain::input::date(
        text,
        crate::domain::input::Field::Date,
    )?)
}
