//! Importing the sheets a village keeps in Excel or WPS — households, goods and scores — and
//! exporting the household list and the catalog in the same shape. A file goes through four
//! steps, each in its own module:
//!
//! 1. [`reader`]: bytes to rows of cells. `.xlsx`, `.xls`, `.ods` (calamine) and CSV in UTF-8
//!    with or without a byte-order mark, UTF-16 ("Unicode text") or GBK/GB18030 (what Chinese
//!    Excel's "CSV (逗号分隔)" writes).
//! 2. [`headers`]: the header row found by name — Chinese or English, any order, a title row
//!    above it allowed, extra columns ignored; a missing required column is one refusal that
//!    names them all.
//! 3. [`rows`]: every cell through the one normaliser, [`crate::domain::input`]; every bad cell
//!    is reported with its sheet, row and column.
//! 4. [`reconcile`]: rows against the ledger. A row identical to what the ledger holds is
//!    "nothing new" and skipped, so importing a file twice is safe; a row whose id exists with
//!    other data is refused with both values (a correction is a separate, explicit edit).
//!
//! What is new is then committed as one batch through `Ledger::execute_batch`: one redb
//! transaction, so a file is imported whole or not at all. The ledger's rules decide each row
//! there, as they decide a row typed at the till. [`export`] writes the lists back out.

pub mod count;
pub mod export;
pub mod headers;
pub mod preview;
pub mod reader;
pub mod reconcile;
pub mod rows;

use std::path::Path;

use crate::domain::event::Zone;
use crate::domain::input::{self, Field};
use crate::domain::time::{Moment, PeriodKind};
use crate::domain::{Command, Refusal, ScoreSheet};
use crate::i18n::Lang;
use crate::store::{Ledger, StoreError};

pub use headers::Kind;

/// At most this many data rows in one imported file (all its sheets together).
pub const IMPORT_ROWS_MAX: usize = 200_000;

/// A refusal lists at most this many problems; the rest are counted. The domain's rules are
/// asked again after each refused row until this many are known, so the count of domain
/// refusals found stops here too.
pub const PROBLEMS_SHOWN_MAX: usize = 20;

/// Where in a file a problem is: a worksheet (none for CSV), a row as the spreadsheet numbers
/// it (a CSV's file line; 0 for the file as a whole) and a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The worksheet's name; `None` for CSV, which has one.
    pub sheet: Option<String>,
    /// 1-based row (CSV: line) as Excel or an editor shows it; 0 for the whole file.
    pub row: u64,
    /// The column, when one cell is at fault.
    pub column: Option<ColumnRef>,
    /// What is wrong and what to do, in Chinese.
    pub zh: String,
    /// What is wrong and what to do, in English.
    pub en: String,
}

/// A column as the clerk sees it: its letter and its header as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRef {
    /// 0-based column index (A = 0).
    pub index: usize,
    /// The header cell's text, e.g. `卡号`.
    pub header: String,
}

impl ColumnRef {
    /// The spreadsheet letter: A, B, … Z, AA, AB…
    pub fn letter(&self) -> String {
        let mut n = self.index + 1;
        let mut out = Vec::new();
        while n > 0 {
            let rem = (n - 1) % 26;
            out.push(b'A' + rem as u8);
            n = (n - 1) / 26;
        }
        out.reverse();
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Problem {
    /// A problem with the file as a whole (unreadable, no header).
    pub fn file(zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            sheet: None,
            row: 0,
            column: None,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// One line naming the file, sheet, row and column, then what is wrong.
    pub fn message(&self, lang: Lang, file: &str) -> String {
        let mut place = file.to_string();
        match lang {
            Lang::Zh => {
                if let Some(sheet) = &self.sheet {
                    place.push_str(&format!(" 工作表“{sheet}”"));
                }
                if self.row > 0 {
                    place.push_str(&format!(" 第 {} 行", self.row));
                }
                if let Some(c) = &self.column {
                    place.push_str(&format!(" {} 列（{}）", c.letter(), c.header));
                }
                format!("{place}：{}", self.zh)
            }
            Lang::En => {
                if let Some(sheet) = &self.sheet {
                    place.push_str(&format!(" sheet '{sheet}'"));
                }
                if self.row > 0 {
                    let word = if self.sheet.is_some() { "row" } else { "line" };
                    place.push_str(&format!(" {word} {}", self.row));
                }
                if let Some(c) = &self.column {
                    place.push_str(&format!(", column {} ({})", c.letter(), c.header));
                }
                format!("{place}: {}", self.en)
            }
        }
    }
}

/// Why a file was not imported. Whatever the variant, nothing of the file was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as a sheet, or has no usable header row.
    #[error("{}", .0.en)]
    Unusable(Problem),
    /// Rows are wrong; `problems` lists the first [`PROBLEMS_SHOWN_MAX`], `more` counts the rest.
    #[error("{} problems in the file", .problems.len() + .more)]
    Rows {
        /// The problems, in file order within each step.
        problems: Vec<Problem>,
        /// How many more were found and not listed.
        more: usize,
        /// True when the ledger's rules stopped being asked after [`PROBLEMS_SHOWN_MAX`]
        /// refusals: rows not yet checked may hold more problems.
        unchecked: bool,
        /// True when some cell could not be read at all (bad input), false when every row
        /// was readable and the ledger's rules refused some (exit codes differ).
        unreadable: bool,
    },
    /// The ledger could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// The refusal for a village manager: one line per problem, each naming sheet, row and
    /// column, and saying that nothing of the file was imported.
    pub fn message(&self, lang: Lang, path: &Path) -> String {
        let file = path.display().to_string();
        let nothing = lang.pick("整个文件都未导入", "nothing of the file was imported");
        match self {
            ImportError::Unusable(p) => match lang {
                Lang::Zh => format!("{}（{nothing}）", p.message(lang, &file)),
                Lang::En => format!("{} ({nothing})", p.message(lang, &file)),
            },
            ImportError::Rows {
                problems,
                more: 0,
                unchecked: false,
                ..
            } if problems.len() == 1 => {
                let p = &problems[0];
                match lang {
                    Lang::Zh => format!("{}（{nothing}）", p.message(lang, &file)),
                    Lang::En => format!("{} ({nothing})", p.message(lang, &file)),
                }
            }
            ImportError::Rows {
                problems,
                more,
                unchecked,
                ..
            } => {
                let total = problems.len() + more;
                let (at_least_zh, at_least_en) = if *unchecked {
                    ("至少", "at least ")
                } else {
                    ("", "")
                };
                let mut out = match lang {
                    Lang::Zh => format!("{file}：{at_least_zh}有 {total} 处问题，{nothing}；请改正下列各处后再导入："),
                    Lang::En => format!("{file}: {at_least_en}{total} problems, {nothing}; correct these and import again:"),
                };
                for p in problems {
                    out.push_str("\n  ");
                    out.push_str(&p.message(lang, &file));
                }
                if *more > 0 {
                    out.push_str(&match lang {
                        Lang::Zh => format!("\n  ……另有 {more} 处问题未列出"),
                        Lang::En => format!("\n  … and {more} more not listed"),
                    });
                }
                if *unchecked {
                    out.push_str(lang.pick(
                        "\n  ……其余各行还没有检查；改正以上各处后再导入，会接着检查",
                        "\n  … the other rows were not checked yet; correct these and import again to check them",
                    ));
                }
                out
            }
            ImportError::Store(e) => e.message(lang),
        }
    }

    /// Whether a rule of the ledger refused the file (every row was readable).
    pub fn is_refused_by_rule(&self) -> bool {
        matches!(
            self,
            ImportError::Rows {
                unreadable: false,
                ..
            }
        )
    }

    fn rows(mut problems: Vec<Problem>, unreadable: bool, unchecked: bool) -> ImportError {
        let more = problems.len().saturating_sub(PROBLEMS_SHOWN_MAX);
        problems.truncate(PROBLEMS_SHOWN_MAX);
        ImportError::Rows {
            problems,
            more,
            unchecked,
            unreadable,
        }
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Rows written as new households, goods or scores.
    pub imported: usize,
    /// Rows identical to what the ledger already held ("nothing new"), skipped.
    pub unchanged: usize,
    /// The worksheets read (empty for CSV).
    pub sheets: Vec<String>,
}

/// Reads `path` and imports its rows of `kind` into the ledger as one batch, at `moment` (which
/// may carry the date the manager confirmed), as `operator`. Nothing is written unless every
/// row is good.
pub fn import_file(
    ledger: &mut Ledger,
    operator: &str,
    moment: &Moment,
    kind: Kind,
    path: &Path,
) -> Result<Outcome, ImportError> {
    let book = reader::read(path).map_err(ImportError::Unusable)?;
    import_book(ledger, operator, moment, kind, &book)
}

/// Imports rows already read (a [`reader::Book`]); see [`import_file`].
pub fn import_book(
    ledger: &mut Ledger,
    operator: &str,
    moment: &Moment,
    kind: Kind,
    book: &reader::Book,
) -> Result<Outcome, ImportError> {
    let tables = headers::locate(kind, book).map_err(ImportError::Unusable)?;
    let plan = {
        let view = ledger.view()?;
        let meta = view.require_meta()?;
        check_item_columns(&tables, meta.score_sheet.as_ref()).map_err(ImportError::Unusable)?;
        let mut problems = Vec::new();
        let records = rows::read(kind, &tables, meta.policy.period, &mut problems);
        if !problems.is_empty() {
            return Err(ImportError::rows(problems, true, false));
        }
        let plan = reconcile::plan(&view, &meta.policy, &tables, records, &mut problems)?;
        if !problems.is_empty() {
            return Err(ImportError::rows(problems, false, false));
        }
        plan
    };
    let sheets = tables.iter().filter_map(|t| t.sheet.name.clone()).collect();
    let imported = commit(ledger, operator, moment, &tables, &plan.new)?;
    Ok(Outcome {
        imported,
        unchanged: plan.unchanged,
        sheets,
    })
}

/// Refuses a scores sheet whose item columns the station's score sheet (评分细则) does not
/// have, at its header row, before any row is read: a column the committee did not mean is
/// named even when its cells are empty. A station without a score sheet takes no item columns.
fn check_item_columns(
    tables: &[headers::Table<'_>],
    sheet: Option<&ScoreSheet>,
) -> Result<(), Problem> {
    for table in tables {
        let refusal = match (sheet, table.header.items.first()) {
            (_, None) => continue,
            (None, Some(_)) => Refusal::NoScoreSheet,
            (Some(sheet), Some(_)) => match table
                .header
                .items
                .iter()
                .find(|c| sheet.item(&c.header).is_none())
            {
                Some(column) => Refusal::UnknownScoreItem {
                    item: column.header.clone(),
                    known: sheet.names(),
                },
                None => continue,
            },
        };
        return Err(Problem {
            sheet: table.sheet.name.clone(),
            row: table.header.row,
            ..Problem::file(refusal.message(Lang::Zh), refusal.message(Lang::En))
        });
    }
    Ok(())
}

/// Reads `path` as rows of `kind` into the commands they ask for, without asking the ledger
/// (the township issues a households sheet to a village: the village's ledger decides). Every
/// unreadable cell is reported, as [`import_file`] reports it; `period_kind` shapes the fix
/// offered for a date in a period column.
pub fn read_rows(
    kind: Kind,
    path: &Path,
    period_kind: PeriodKind,
) -> Result<Vec<Row>, ImportError> {
    let book = reader::read(path).map_err(ImportError::Unusable)?;
    let tables = headers::locate(kind, &book).map_err(ImportError::Unusable)?;
    let mut problems = Vec::new();
    let records = rows::read(kind, &tables, period_kind, &mut problems);
    if !problems.is_empty() {
        return Err(ImportError::rows(problems, true, false));
    }
    Ok(records
        .into_iter()
        .map(|r| (r.row, r.value.into_command()))
        .collect())
}

/// A value with the place in the file it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// Which located sheet ([`headers::Table`]) of the file, by index.
    pub table: usize,
    /// The row (CSV: line) as the clerk sees it.
    pub row: u64,
    /// The value.
    pub value: T,
}

/// A problem at a row of a located sheet, in the column of `field` when the sheet has it.
pub(crate) fn problem_at<T>(
    tables: &[headers::Table<'_>],
    at: &Located<T>,
    field: Option<Field>,
    zh: String,
    en: String,
) -> Problem {
    let table = tables.get(at.table);
    Problem {
        sheet: table.and_then(|t| t.sheet.name.clone()),
        row: at.row,
        column: field.and_then(|f| table.and_then(|t| t.header.column(f))),
        zh,
        en,
    }
}

/// Commits the new rows as one batch. When the ledger refuses a row, the remaining rows are
/// checked too (up to [`PROBLEMS_SHOWN_MAX`] refusals), so the clerk sees every bad row at once.
fn commit(
    ledger: &mut Ledger,
    operator: &str,
    moment: &Moment,
    tables: &[headers::Table<'_>],
    new: &[Located<Command>],
) -> Result<usize, ImportError> {
    if new.is_empty() {
        return Ok(0);
    }
    let commands: Vec<Command> = new.iter().map(|l| l.value.clone()).collect();
    match ledger.execute_batch_at(operator, moment, &commands) {
        Ok(_) => Ok(new.len()),
        Err(StoreError::BatchRefused { index, refusal }) => {
            let (problems, unchecked) =
                refused_rows(ledger, operator, moment, tables, new, index, refusal)?;
            Err(ImportError::rows(problems, false, unchecked))
        }
        Err(e) => Err(ImportError::Store(e)),
    }
}

/// The rows the ledger refuses, the first being `first` at `index`, and whether some rows
/// were left unchecked because [`PROBLEMS_SHOWN_MAX`] refusals were found first. The ledger has no dry run,
/// so the others are found by deciding the rest again in a batch that ends with a command the
/// domain always refuses (a void with no reason, of sale 0, which no station has): such a batch
/// is never committed, whatever comes before it.
fn refused_rows(
    ledger: &mut Ledger,
    operator: &str,
    moment: &Moment,
    tables: &[headers::Table<'_>],
    new: &[Located<Command>],
    index: usize,
    first: Refusal,
) -> Result<(Vec<Problem>, bool), ImportError> {
    let never_committed = Command::VoidSale {
        sale_seq: 0,
        reason: String::new(),
    };
    let mut problems = vec![refusal_problem(tables, &new[index], &first)];
    let mut remaining: Vec<usize> = (0..new.len()).filter(|i| *i != index).collect();
    loop {
        if remaining.is_empty() {
            return Ok((problems, false));
        }
        if problems.len() >= PROBLEMS_SHOWN_MAX {
            return Ok((problems, true));
        }
        let mut probe: Vec<Command> = remaining.iter().map(|i| new[*i].value.clone()).collect();
        probe.push(never_committed.clone());
        match ledger.execute_batch_at(operator, moment, &probe) {
            Err(StoreError::BatchRefused { index, refusal }) if index < remaining.len() => {
                let row = remaining.remove(index);
                problems.push(refusal_problem(tables, &new[row], &refusal));
            }
            Err(StoreError::BatchRefused { .. }) => return Ok((problems, false)),
            Err(e) => return Err(ImportError::Store(e)),
            Ok(_) => {
                return Err(ImportError::Store(StoreError::Storage(
                    "an import check was committed; run aixin verify".into(),
                )))
            }
        }
    }
}

fn refusal_problem(
    tables: &[headers::Table<'_>],
    at: &Located<Command>,
    refusal: &Refusal,
) -> Problem {
    problem_at(
        tables,
        at,
        refusal_field(refusal),
        refusal.message(Lang::Zh),
        refusal.message(Lang::En),
    )
}

/// The column a refusal of the ledger is about, so the message can point at the cell.
fn refusal_field(refusal: &Refusal) -> Option<Field> {
    Some(match refusal {
        Refusal::EmptyField(name) | Refusal::TooLong(name) => match *name {
            "household id" => Field::HouseholdId,
            "card number" => Field::CardNo,
            "head of household" => Field::Head,
            "member" | "members" => Field::Members,
            "group" => Field::Group,
            "phone" => Field::Phone,
            "goods id" => Field::GoodsId,
            "goods name" => Field::GoodsName,
            "unit" => Field::Unit,
            "barcode" => Field::Barcode,
            "category" => Field::Category,
            "supplier" => Field::Supplier,
            "note" => Field::Note,
            _ => return None,
        },
        Refusal::UnknownHousehold(_) | Refusal::HouseholdExists(_) => Field::HouseholdId,
        Refusal::CardInUse(_) => Field::CardNo,
        Refusal::BarcodeInUse { .. } => Field::Barcode,
        Refusal::PriceNotPositive => Field::PricePoints,
        Refusal::UnknownZone(_) => Field::Zone,
        Refusal::BadPeriod(_) | Refusal::PeriodInFuture(_) => Field::Period,
        Refusal::ScoreOutOfRange { .. }
        | Refusal::AlreadyScored { .. }
        | Refusal::CapExceeded { .. }
        | Refusal::BudgetExceeded { .. } => Field::Score,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Text-only entry points, for the built-in demo files and the township's county list.

/// A problem in CSV text read without a ledger (the demo's built-in files, a county list):
/// `line` is 1-based as an editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message_en}")]
pub struct CsvError {
    /// The file line (the header is usually line 1); 0 for the file as a whole.
    pub line: u64,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl CsvError {
    /// A one-line message naming the line.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "第 {} 行：{}（整个文件都未导入）",
                self.line, self.message_zh
            ),
            Lang::En => format!(
                "line {}: {} (nothing of the file was imported)",
                self.line, self.message_en
            ),
        }
    }
}

impl From<Problem> for CsvError {
    fn from(p: Problem) -> CsvError {
        let column = |lang: Lang| match &p.column {
            Some(c) => match lang {
                Lang::Zh => format!("{} 列（{}）：", c.letter(), c.header),
                Lang::En => format!("column {} ({}): ", c.letter(), c.header),
            },
            None => String::new(),
        };
        CsvError {
            line: p.row,
            message_zh: format!("{}{}", column(Lang::Zh), p.zh),
            message_en: format!("{}{}", column(Lang::En), p.en),
        }
    }
}

/// One parsed row: its file line and the command it asks for.
pub type Row = (u64, Command);

/// Parses CSV text of `kind` into commands without a ledger (no reconciling): the demo's
/// built-in files and the township's county list. Months are the period length.
fn parse_text(kind: Kind, text: &str) -> Result<Vec<Row>, CsvError> {
    let book = reader::csv_text(text)?;
    let tables = headers::locate(kind, &book)?;
    let mut problems = Vec::new();
    let records = rows::read(kind, &tables, PeriodKind::Month, &mut problems);
    if let Some(p) = problems.into_iter().next() {
        return Err(p.into());
    }
    Ok(records
        .into_iter()
        .map(|r| (r.row, r.value.into_command()))
        .collect())
}

/// Parses a households CSV (Chinese or English headers, any order) into registration commands.
pub fn parse_households(text: &str) -> Result<Vec<Row>, CsvError> {
    parse_text(Kind::Households, text)
}

/// Parses a goods CSV into catalog commands.
pub fn parse_goods(text: &str) -> Result<Vec<Row>, CsvError> {
    parse_text(Kind::Goods, text)
}

/// Parses a scores CSV into score commands (periods as written; the ledger checks them).
pub fn parse_scores(text: &str) -> Result<Vec<Row>, CsvError> {
    parse_text(Kind::Scores, text)
}

/// Parses a zone: a number of points or `donation` / `捐赠区` (see [`input::zone`]).
pub fn parse_zone(text: &str) -> Option<Zone> {
    input::zone(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_with_bom_and_members() {
        let text = "\u{feff}household_id,card_no,head,members,group,phone,registered_poor\r\nH1,C1,张三,李四;张小,一组,13800001234,是\r\n";
        let rows = parse_households(text).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let (line, Command::RegisterHousehold { household }) = &rows[0] else {
            panic!("wrong command")
        };
        assert_eq!(*line, 2);
        assert_eq!(
            household.members,
            vec!["李四".to_string(), "张小".to_string()]
        );
        assert!(household.registered_poor);
    }

    #[test]
    fn bad_row_names_its_line_and_column() {
        let text = "household_id,card_no,head,members,group,phone,registered_poor\nH1,C1,张三,,一组,,否\nH2,C2,李四,,一组,,maybe\n";
        let err = parse_households(text)
            .err()
            .unwrap_or_else(|| CsvError::from(Problem::file("", "")));
        assert_eq!(err.line, 3);
        let zh = err.message(Lang::Zh);
        assert!(zh.contains("第 3 行") && zh.contains("G 列"), "{zh}");
    }

    #[test]
    fn missing_columns_and_bad_numbers() {
        assert_eq!(parse_goods("id,name\n").err().map(|e| e.line), Some(1));
        assert_eq!(parse_goods("a,b\n").err().map(|e| e.line), Some(0));
        let text = "household_id,period,score,note\nH1,2026-10,八十,\n";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(2));
        // A short row is read with empty cells; the empty score is what is wrong.
        let text = "household_id,period,score,note\nH1,2026-10\n";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(2));
    }

    /// Found by fuzzing (fuzz/artifacts/csv_import): rows of a file whose lines end in a
    /// lone CR (old Mac Excel) were all said to be on line 1.
    #[test]
    fn lines_ending_in_a_lone_cr_are_counted() {
        let text = "household_id,period,score,note\rH1,2026-10,85,\rH2,2026-10,八十,\r";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(3));
        let text =
            "household_id,period,score,note\rH1,2026-10,85,\r\nH2,2026-10,90,\nH3,2026-10,70,";
        let lines: Vec<u64> = parse_scores(text)
            .unwrap_or_default()
            .iter()
            .map(|(line, _)| *line)
            .collect();
        assert_eq!(lines, vec![2, 3, 4]);
        // Excel's `sep=,` first line, ended by a lone CR, is not a row either.
        let text = "sep=,\rhousehold_id,period,score,note\rH1,2026-10,85,\r\nH2,2026-10,x,\n";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(4));
    }

    #[test]
    fn zones_parse() {
        assert_eq!(parse_zone("20"), Some(Zone::Points(20)));
        assert_eq!(parse_zone("donation"), Some(Zone::Donation));
        assert_eq!(parse_zone("0"), None);
        assert_eq!(parse_zone("x"), None);
    }

    #[test]
    fn column_letters() {
        let letter = |index| {
            ColumnRef {
                index,
                header: String::new(),
            }
            .letter()
        };
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(letter(701), "ZZ");
        assert_eq!(letter(702), "AAA");
    }

    #[test]
    fn messages_name_sheet_row_and_column() {
        let p = Problem {
            sheet: Some("花名册".into()),
            row: 4,
            column: Some(ColumnRef {
                index: 1,
                header: "卡号".into(),
            }),
            zh: "不对".into(),
            en: "wrong".into(),
        };
        assert_eq!(
            p.message(Lang::Zh, "农户.xlsx"),
            "农户.xlsx 工作表“花名册” 第 4 行 B 列（卡号）：不对"
        );
        assert_eq!(
            p.message(Lang::En, "农户.xlsx"),
            "农户.xlsx sheet '花名册' row 4, column B (卡号): wrong"
        );
        let csv = Problem { sheet: None, ..p };
        assert_eq!(
            csv.message(Lang::En, "a.csv"),
            "a.csv line 4, column B (卡号): wrong"
        );
    }
}
