//! A stocktake count sheet (盘点表): a sheet with a column naming each item — its goods id
//! (商品编号) or, failing that, its barcode (条码) — and a column of the units counted on the
//! shelf (实盘数). As with the other sheets, the header row is found by name within the top
//! rows, in any column order, and every cell goes through the normaliser. A row whose count is
//! blank was not counted and is skipped. The counts are then matched to the catalog
//! ([`Tally`]): a goods id or barcode the catalog does not have, or an item counted twice, is a
//! problem named by its row (or by the `--count` argument that gave it); the till's stocktake
//! screen and `aixin stock stocktake` both ask this one matcher. What the counts mean — the
//! differences and the adjustments they become — is the domain's ([`crate::domain::stock`]);
//! this module only reads.

use std::collections::HashMap;
use std::path::Path;

use super::headers::{header_key, HEADER_ROWS_SCAN};
use super::reader::{self, Book, Cell, SheetRow};
use super::{ColumnRef, Located, Problem, IMPORT_ROWS_MAX};
use crate::domain::input::{self, Field, InputError, InputProblem};
use crate::domain::Refusal;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// Names of the column that gives the goods id.
const GOODS_ID_NAMES: &[&str] = &["商品编号", "goods_id", "编号", "货号", "商品号", "id"];
/// Names of the column that gives the barcode.
const BARCODE_NAMES: &[&str] = &["条码", "barcode", "条形码", "商品条码"];
/// Names of the column that gives the units counted.
const COUNTED_NAMES: &[&str] = &[
    "实盘数",
    "实盘",
    "实盘数量",
    "盘点数",
    "盘点数量",
    "实存数",
    "实存",
    "清点数",
    "counted",
    "count",
    "counted_units",
];

/// How a row names its item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemRef {
    /// By goods id.
    GoodsId(String),
    /// By barcode.
    Barcode(String),
    /// By a goods id or, when no item has that id, a barcode: what a manager types or scans
    /// at the command line, where one field takes either.
    Code(String),
}

impl ItemRef {
    /// The id or barcode as written.
    pub fn key(&self) -> &str {
        match self {
            ItemRef::GoodsId(key) | ItemRef::Barcode(key) | ItemRef::Code(key) => key,
        }
    }
}

/// The goods id of the catalog item `item` names, or `None` when the catalog has no such item.
/// A [`ItemRef::Code`] is tried as a goods id first, then as a barcode.
pub fn resolve(view: &View, item: &ItemRef) -> Result<Option<String>, StoreError> {
    let by_id = |id: &str| -> Result<Option<String>, StoreError> {
        Ok(view.state().goods(id)?.map(|g| g.goods.goods_id))
    };
    let by_barcode = |code: &str| -> Result<Option<String>, StoreError> {
        Ok(view.goods_by_barcode(code)?.map(|g| g.goods.goods_id))
    };
    match item {
        ItemRef::GoodsId(id) => by_id(id),
        ItemRef::Barcode(code) => by_barcode(code),
        ItemRef::Code(code) => match by_id(code)? {
            Some(id) => Ok(Some(id)),
            None => by_barcode(code),
        },
    }
}

/// One counted row: the item and the units counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountRow {
    /// The item as the row names it.
    pub item: ItemRef,
    /// Units counted on the shelf.
    pub counted_units: i64,
}

/// Where the columns are in one sheet.
struct Columns {
    header_row: u64,
    item: (usize, String, bool),
    counted: (usize, String),
}

fn find(names: &[&str], cells: &[Cell]) -> Option<(usize, String)> {
    cells
        .iter()
        .enumerate()
        .find_map(|(index, cell)| match cell {
            Cell::Text(text) if names.iter().any(|n| header_key(n) == header_key(text)) => {
                Some((index, input::text(text)))
            }
            _ => None,
        })
}

fn columns(rows: &[SheetRow]) -> Option<Columns> {
    rows.iter().take(HEADER_ROWS_SCAN).find_map(|row| {
        let counted = find(COUNTED_NAMES, &row.cells)?;
        let item = match find(GOODS_ID_NAMES, &row.cells) {
            Some((index, header)) => (index, header, true),
            None => {
                let (index, header) = find(BARCODE_NAMES, &row.cells)?;
                (index, header, false)
            }
        };
        Some(Columns {
            header_row: row.number,
            item,
            counted,
        })
    })
}

fn cell_code(cell: &Cell, field: Field) -> Result<String, InputError> {
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Text(t) => input::checked_code(t, field),
        Cell::Int(i) => input::whole_number_code(*i, field),
        Cell::Decimal(d) => Err(InputError::new(field, d, InputProblem::DecimalInCode)),
        Cell::Bool(b) => Ok(b.to_string()),
        Cell::Date(d) => Err(InputError::new(
            field,
            d.to_string(),
            InputProblem::DateInCode,
        )),
        Cell::Error(e) => Err(InputError::new(field, e, InputProblem::NotWholeNumber)),
    }
}

fn cell_count(cell: &Cell) -> Result<Option<i64>, InputError> {
    let field = Field::Quantity;
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) if t.trim().is_empty() => Ok(None),
        Cell::Text(t) => input::number(t, field).map(Some),
        Cell::Int(i) => Ok(Some(*i)),
        Cell::Decimal(d) => Err(InputError::new(field, d, InputProblem::NotWholeNumber)),
        Cell::Bool(b) => Err(InputError::new(
            field,
            b.to_string(),
            InputProblem::NotWholeNumber,
        )),
        Cell::Date(d) => Err(InputError::new(
            field,
            d.to_string(),
            InputProblem::NotWholeNumber,
        )),
        Cell::Error(e) => Err(InputError::new(field, e, InputProblem::NotWholeNumber)),
    }
}

/// The counted rows of every sheet of `book` that has the columns, or every problem found:
/// no sheet with a goods (or barcode) column and a counted column, or cells that cannot be
/// read (each with its sheet, row and column).
pub fn read_counts(book: &Book) -> Result<Vec<Located<CountRow>>, Vec<Problem>> {
    let (rows, problems) = read_counts_all(book);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// The rows of `book` that could be read, and the problems of those that could not (as
/// [`read_counts`]), so that a refusal can list every bad row of the sheet at once: the
/// readable rows are still matched to the catalog.
pub fn read_counts_all(book: &Book) -> (Vec<Located<CountRow>>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut found = false;
    for (table, sheet) in book.sheets.iter().enumerate() {
        let Some(columns) = columns(&sheet.rows) else {
            continue;
        };
        found = true;
        let problem = |row: u64, index: usize, header: &str, e: InputError| Problem {
            sheet: sheet.name.clone(),
            row,
            column: Some(ColumnRef {
                index,
                header: header.to_string(),
            }),
            zh: e.message(Lang::Zh),
            en: e.message(Lang::En),
        };
        for row in sheet.rows.iter().filter(|r| r.number > columns.header_row) {
            let cell = |index: usize| row.cells.get(index).unwrap_or(&Cell::Empty);
            let (item_index, item_header, by_id) = &columns.item;
            let field = if *by_id {
                Field::GoodsId
            } else {
                Field::Barcode
            };
            let counted = match cell_count(cell(columns.counted.0)) {
                Ok(Some(counted)) => counted,
                Ok(None) => continue,
                Err(e) => {
                    problems.push(problem(
                        row.number,
                        columns.counted.0,
                        &columns.counted.1,
                        e,
                    ));
                    continue;
                }
            };
            let code = match cell_code(cell(*item_index), field) {
                Ok(code) if code.is_empty() => {
                    let e = InputError::new(field, "", InputProblem::Empty);
                    problems.push(problem(row.number, *item_index, item_header, e));
                    continue;
                }
                Ok(code) => code,
                Err(e) => {
                    problems.push(problem(row.number, *item_index, item_header, e));
                    continue;
                }
            };
            if out.len() >= IMPORT_ROWS_MAX {
                problems.push(Problem::file("行数太多", "too many rows"));
                return (out, problems);
            }
            let item = if *by_id {
                ItemRef::GoodsId(code)
            } else {
                ItemRef::Barcode(code)
            };
            out.push(Located {
                table,
                row: row.number,
                value: CountRow {
                    item,
                    counted_units: counted,
                },
            });
        }
    }
    if !found {
        problems.push(Problem::file(
            "找不到盘点表的表头：需要“商品编号”（或“条码”）和“实盘数”两列",
            "no count sheet header found: it needs a goods id (or barcode) column and a counted column",
        ));
    }
    (out, problems)
}

/// Reads the count sheet at `path` (any sheet format the importers take): its counted rows, or
/// every problem that keeps the file from being read (see [`read_counts`]).
pub fn read_count_file(path: &Path) -> Result<Vec<Located<CountRow>>, Vec<Problem>> {
    reader::read(path)
        .map_err(|p| vec![p])
        .and_then(|book| read_counts(&book))
}

/// Reads the count sheet at `path` as [`read_counts_all`]: the rows that could be read and the
/// problems of the rest (one problem, and no rows, when the file cannot be read at all).
pub fn read_count_file_all(path: &Path) -> (Vec<Located<CountRow>>, Vec<Problem>) {
    match reader::read(path) {
        Ok(book) => read_counts_all(&book),
        Err(problem) => (Vec::new(), vec![problem]),
    }
}

/// Where a count came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountPlace {
    /// A row of the count sheet, as the spreadsheet numbers it.
    Row(u64),
    /// Typed at the command line: the `--count` argument as given (`G00001=12`).
    Typed(String),
}

/// A count that names an item of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemCount {
    /// The item's goods id (a barcode already resolved).
    pub goods_id: String,
    /// Units counted on the shelf (not yet checked: a count below zero is the domain's refusal).
    pub counted_units: i64,
    /// Where the count came from.
    pub place: CountPlace,
}

/// Why a count cannot be used: a cell of the sheet that cannot be read, an item the catalog
/// does not have, an item counted twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountProblem {
    /// In the count sheet, with its place (sheet, row, column when known).
    Sheet(Problem),
    /// In a `--count` argument.
    Typed {
        /// The argument as given.
        given: String,
        /// What is wrong and what to do, in Chinese.
        zh: String,
        /// What is wrong and what to do, in English.
        en: String,
    },
}

impl CountProblem {
    /// A problem with the count from `place`: at its row of the sheet, or at its `--count`.
    pub fn at(place: CountPlace, zh: String, en: String) -> CountProblem {
        match place {
            CountPlace::Row(row) => CountProblem::Sheet(Problem {
                sheet: None,
                row,
                column: None,
                zh,
                en,
            }),
            CountPlace::Typed(given) => CountProblem::Typed { given, zh, en },
        }
    }

    /// One line naming the place — the sheet `file` and its row, or the `--count` argument —
    /// then what is wrong and the way out.
    pub fn message(&self, lang: Lang, file: &str) -> String {
        match self {
            CountProblem::Sheet(problem) => problem.message(lang, file),
            CountProblem::Typed { given, zh, en } => match lang {
                Lang::Zh => format!("--count {given}：{zh}"),
                Lang::En => format!("--count {given}: {en}"),
            },
        }
    }
}

/// A stocktake's counts matched to the catalog, in the order given, and what could not be
/// used. An item may be counted once: a second count of it (a second row, or a row and a
/// `--count`) is a problem, never added or replaced silently.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The counts that name an item, one per item.
    pub counts: Vec<ItemCount>,
    /// What could not be used, in the order found.
    pub problems: Vec<CountProblem>,
    /// Where each item was first counted.
    first: HashMap<String, CountPlace>,
}

impl Tally {
    /// Matches the rows of a count sheet ([`read_counts`]).
    pub fn add_rows(
        &mut self,
        view: &View,
        rows: impl IntoIterator<Item = Located<CountRow>>,
    ) -> Result<(), StoreError> {
        for row in rows {
            let CountRow {
                item,
                counted_units,
            } = row.value;
            self.add(view, &item, counted_units, CountPlace::Row(row.row))?;
        }
        Ok(())
    }

    /// Matches one count of `item` from `place`: added, or a problem when the catalog has no
    /// such item or the item was counted already.
    pub fn add(
        &mut self,
        view: &View,
        item: &ItemRef,
        counted_units: i64,
        place: CountPlace,
    ) -> Result<(), StoreError> {
        let (zh, en) = match resolve(view, item)? {
            None => {
                let refusal = Refusal::UnknownGoods(item.key().to_string());
                (refusal.message(Lang::Zh), refusal.message(Lang::En))
            }
            Some(goods_id) => match self.first.get(&goods_id) {
                None => {
                    self.first.insert(goods_id.clone(), place.clone());
                    self.counts.push(ItemCount {
                        goods_id,
                        counted_units,
                        place,
                    });
                    return Ok(());
                }
                Some(CountPlace::Row(first)) if matches!(place, CountPlace::Row(_)) => (
                    format!("商品 {goods_id} 在第 {first} 行已经盘点过；同一商品请只写一行（合计数）"),
                    format!("goods {goods_id} was already counted on row {first}; write one row per item (the total)"),
                ),
                Some(CountPlace::Row(first)) => (
                    format!("商品 {goods_id} 在盘点表第 {first} 行已经盘点过；同一商品只能有一个实盘数（合计数）"),
                    format!("goods {goods_id} was already counted on row {first} of the count sheet; give one count per item (the total)"),
                ),
                Some(CountPlace::Typed(first)) => (
                    format!("商品 {goods_id} 已由 --count {first} 盘点过；同一商品只能有一个实盘数（合计数）"),
                    format!("goods {goods_id} was already counted by --count {first}; give one count per item (the total)"),
                ),
            },
        };
        self.problems.push(CountProblem::at(place, zh, en));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Goods, StationRole, Zone};
    use crate::domain::Command;
    use crate::import::reader::csv_text;
    use crate::store::Ledger;

    /// A ledger with G1 (barcode 6901234567892) and G2 (no barcode).
    fn catalog() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ledger =
            Ledger::create(&dir.path().join("ledger.redb")).unwrap_or_else(|e| panic!("{e}"));
        let policy = crate::policies::builtin("member-card")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("member-card"));
        let goods = |id: &str, barcode: &str| Command::DefineGoods {
            goods: Goods {
                goods_id: id.into(),
                name: id.into(),
                unit: "袋".into(),
                barcode: barcode.into(),
                price_points: 5,
                zone: Zone::Points(5),
                category: String::new(),
                supplier: String::new(),
            },
        };
        let init = Command::Init {
            station_id: "V1".into(),
            name: "李家村".into(),
            role: StationRole::Village,
            policy,
        };
        for command in [init, goods("G1", "6901234567892"), goods("G2", "")] {
            ledger
                .execute("管理员", 1_790_000_000_000, &command)
                .unwrap_or_else(|e| panic!("{command:?}: {}", e.message(Lang::En)));
        }
        (dir, ledger)
    }

    #[test]
    fn counts_are_matched_by_id_or_barcode_once_per_item() {
        let (_dir, ledger) = catalog();
        let view = ledger.view().unwrap_or_else(|e| panic!("{e}"));
        let mut tally = Tally::default();
        let book = csv_text("条码,实盘数\n6901234567892,8\n6901234567999,1\n6901234567892,2\n")
            .unwrap_or_else(|p| panic!("{p:?}"));
        let rows = read_counts(&book).unwrap_or_else(|p| panic!("{p:?}"));
        tally
            .add_rows(&view, rows)
            .unwrap_or_else(|e| panic!("{e}"));
        for (code, units) in [("G2", 3), ("G1", 4), ("6901234567892", 5), ("G7", 1)] {
            let place = CountPlace::Typed(format!("{code}={units}"));
            tally
                .add(&view, &ItemRef::Code(code.into()), units, place)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let counted: Vec<(&str, i64)> = tally
            .counts
            .iter()
            .map(|c| (c.goods_id.as_str(), c.counted_units))
            .collect();
        assert_eq!(counted, vec![("G1", 8), ("G2", 3)]);
        let said: Vec<String> = tally
            .problems
            .iter()
            .map(|p| p.message(Lang::En, "s.csv"))
            .collect();
        assert_eq!(
            said,
            vec![
                "s.csv line 3: no goods 6901234567999 in the catalog",
                "s.csv line 4: goods G1 was already counted on row 2; write one row per item (the total)",
                "--count G1=4: goods G1 was already counted on row 2 of the count sheet; give one count per item (the total)",
                "--count 6901234567892=5: goods G1 was already counted on row 2 of the count sheet; give one count per item (the total)",
                "--count G7=1: no goods G7 in the catalog",
            ]
        );
        // A code is a goods id first, then a barcode; a barcode column takes barcodes only.
        let by = |item: ItemRef| resolve(&view, &item).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(by(ItemRef::Code("6901234567892".into())), Some("G1".into()));
        assert_eq!(by(ItemRef::Barcode("G1".into())), None);
        assert_eq!(by(ItemRef::GoodsId("6901234567892".into())), None);
    }

    #[test]
    fn every_readable_row_is_kept_beside_the_problems_of_the_others() {
        let book =
            csv_text("商品编号,实盘数\nG1,3\nG2,x\nG3,4\n").unwrap_or_else(|p| panic!("{p:?}"));
        let (rows, problems) = read_counts_all(&book);
        let rows: Vec<u64> = rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![2, 4]);
        assert_eq!(problems.iter().map(|p| p.row).collect::<Vec<_>>(), vec![3]);
        assert_eq!(read_counts(&book).err().map(|p| p.len()), Some(1));
    }

    #[test]
    fn counts_are_read_by_header_name_blank_counts_skipped() {
        let book = csv_text("李家村盘点表\n条码,名称,实盘数\n6901234567892,大米,8\n6901234567915,洗衣粉,\n６９０１２３４５６７９４６,毛巾,３\n")
            .unwrap_or_else(|p| panic!("{p:?}"));
        let rows = read_counts(&book).unwrap_or_else(|p| panic!("{p:?}"));
        let got: Vec<(ItemRef, i64, u64)> = rows
            .into_iter()
            .map(|r| (r.value.item, r.value.counted_units, r.row))
            .collect();
        assert_eq!(
            got,
            vec![
                (ItemRef::Barcode("6901234567892".into()), 8, 3),
                (ItemRef::Barcode("6901234567946".into()), 3, 5),
            ]
        );
    }

    #[test]
    fn bad_counts_and_missing_columns_are_refused_with_their_place() {
        let book = csv_text("商品编号,实盘数\nG01,1.5\n,4\n").unwrap_or_else(|p| panic!("{p:?}"));
        let problems = read_counts(&book).err().unwrap_or_default();
        let rows: Vec<u64> = problems.iter().map(|p| p.row).collect();
        assert_eq!(rows, vec![2, 3]);
        assert!(problems[0].zh.contains("不是整数"), "{}", problems[0].zh);
        let book = csv_text("名称,数量\n大米,3\n").unwrap_or_else(|p| panic!("{p:?}"));
        let problems = read_counts(&book).err().unwrap_or_default();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("实盘数"));
    }
}
