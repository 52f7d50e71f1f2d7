//! What importing a sheet would do, read before anything is written: the till shows it and
//! asks before it commits (PRODUCT.md, "Bad input gets a clear refusal"). The file goes
//! through the same steps as [`super::import_book`] — rows read through the normaliser,
//! reconciled with the ledger — and each new row is then decided by the ledger's rules without
//! writing. A households or goods row is decided on its own: the reconcile step has already
//! refused two rows for one id, card or barcode, so no row's decision depends on another's. A
//! scores file's rows share the village budget and the per-period cap, so its rows are only
//! reconciled here and the batch decides them when it is committed.
//!
//! When nothing is refused, what the preview lists as new is exactly the batch
//! [`super::import_book`] would commit: the till commits those commands (`Effect::Commit`), one
//! transaction, the file whole or not at all.

use std::path::Path;

use super::headers::{self, Kind};
use super::reader::{self, Book};
use super::{reconcile, refusal_problem, rows, ImportError, Located, Problem, PROBLEMS_SHOWN_MAX};
use crate::domain::time::Moment;
use crate::domain::{decide_at, Command, DecideError};
use crate::store::ledger::View;
use crate::store::StoreError;

/// What importing a file would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preview {
    /// The rows the ledger would accept, as their commands, with their place in the file: the
    /// batch committed when nothing is refused.
    pub new: Vec<Located<Command>>,
    /// Rows identical to what the ledger holds, which would be skipped.
    pub unchanged: usize,
    /// Why rows would be refused: the first [`PROBLEMS_SHOWN_MAX`], in file order.
    pub refused: Vec<Problem>,
    /// Refusals found beyond those listed.
    pub more_refused: usize,
    /// The worksheets read (empty for CSV).
    pub sheets: Vec<String>,
}

impl Preview {
    /// Whether the file would be imported: something new and nothing refused.
    pub fn importable(&self) -> bool {
        !self.new.is_empty() && self.refused.is_empty()
    }
}

/// Reads `path` as rows of `kind` and says what importing it at `moment` would do. The ledger
/// is only read.
pub fn preview_file(
    view: &View,
    kind: Kind,
    path: &Path,
    moment: &Moment,
) -> Result<Preview, ImportError> {
    let book = reader::read(path).map_err(ImportError::Unusable)?;
    preview_book(view, kind, &book, moment)
}

/// [`preview_file`] for rows already read.
pub fn preview_book(
    view: &View,
    kind: Kind,
    book: &Book,
    moment: &Moment,
) -> Result<Preview, ImportError> {
    let tables = headers::locate(kind, book).map_err(ImportError::Unusable)?;
    let meta = view.require_meta()?;
    let mut problems = Vec::new();
    let records = rows::read(kind, &tables, meta.policy.period, &mut problems);
    let plan = reconcile::plan(view, &meta.policy, &tables, records, &mut problems)?;
    let mut new = Vec::with_capacity(plan.new.len());
    for at in plan.new {
        if kind == Kind::Scores {
            new.push(at);
            continue;
        }
        match decide_at(view.state(), &at.value, moment) {
            // The clock is asked when the rows are committed, as at the till's other writes.
            Ok(_) => new.push(at),
            Err(DecideError::Refused(refusal)) if refusal.is_clock() => new.push(at),
            Err(DecideError::Refused(refusal)) => {
                problems.push(refusal_problem(&tables, &at, &refusal))
            }
            Err(DecideError::Fault(fault)) => return Err(StoreError::from(fault).into()),
        }
    }
    problems.sort_by_key(|p| (p.sheet.clone(), p.row));
    let more_refused = problems.len().saturating_sub(PROBLEMS_SHOWN_MAX);
    problems.truncate(PROBLEMS_SHOWN_MAX);
    Ok(Preview {
        new,
        unchanged: plan.unchanged,
        refused: problems,
        more_refused,
        sheets: tables.iter().filter_map(|t| t.sheet.name.clone()).collect(),
    })
}
