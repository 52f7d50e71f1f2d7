//! Rows to records: each cell through the one normaliser ([`crate::domain::input`]) by its
//! field's kind, and every cell that cannot be read reported with its sheet, row and column —
//! all of them, not only the first. A workbook's cells carry types that CSV lacks: a whole
//! number in an id column becomes its exact digits (a 13-digit barcode is exact in a double),
//! a number with a fraction there is refused, a date cell in a period column is refused with
//! the period it stands for, and a TRUE/FALSE cell answers a yes/no column.

use super::headers::{Kind, Table};
use super::reader::{Cell, SheetRow};
use super::{problem_at, Located, Problem};
use crate::domain::event::{Goods, Household, Zone};
use crate::domain::input::{self, Field, InputError, InputProblem};
use crate::domain::time::PeriodKind;
use crate::domain::{Command, ItemScore};
use crate::i18n::Lang;

/// One score row of a scores file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRow {
    /// The household scored.
    pub household_id: String,
    /// The period, as a code (the ledger checks its form).
    pub period: String,
    /// The committee's total score (0 on a sheet scored by item).
    pub score: i64,
    /// The items given, on a sheet with a column per item of the score sheet (an empty cell is
    /// an item not given); `None` on a sheet of totals.
    pub items: Option<Vec<ItemScore>>,
    /// A note, possibly empty.
    pub note: String,
}

/// A row of any kind, read and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A households row.
    Household(Household),
    /// A goods row.
    Goods(Goods),
    /// A scores row.
    Score(ScoreRow),
}

impl Record {
    /// The command that writes this row when the ledger does not hold it yet.
    pub fn into_command(self) -> Command {
        match self {
            Record::Household(household) => Command::RegisterHousehold { household },
            Record::Goods(goods) => Command::DefineGoods { goods },
            Record::Score(ScoreRow {
                household_id,
                period,
                items: Some(items),
                note,
                ..
            }) => Command::EnterItemScores {
                household_id,
                period,
                items,
                note,
            },
            Record::Score(s) => Command::EnterScore {
                household_id: s.household_id,
                period: s.period,
                score: s.score,
                note: s.note,
            },
        }
    }
}

/// Reads the data rows of every located sheet. Rows with a bad cell add a [`Problem`] per bad
/// cell and are left out; `period_kind` (the policy's) shapes the fix offered for a date.
pub fn read(
    kind: Kind,
    tables: &[Table<'_>],
    period_kind: PeriodKind,
    problems: &mut Vec<Problem>,
) -> Vec<Located<Record>> {
    let mut out = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        for row in table
            .sheet
            .rows
            .iter()
            .filter(|r| r.number > table.header.row)
        {
            let mut cells = Cells {
                tables,
                table: index,
                row,
                problems,
                ok: true,
            };
            let record = match kind {
                Kind::Households => Record::Household(cells.household()),
                Kind::Goods => Record::Goods(cells.goods()),
                Kind::Scores => Record::Score(cells.score(period_kind)),
            };
            if cells.ok {
                out.push(Located {
                    table: index,
                    row: row.number,
                    value: record,
                });
            }
        }
    }
    out
}

/// The cells of one row, read field by field; a bad cell is recorded and the row marked.
struct Cells<'a, 'p> {
    tables: &'a [Table<'a>],
    table: usize,
    row: &'a SheetRow,
    problems: &'p mut Vec<Problem>,
    ok: bool,
}

impl Cells<'_, '_> {
    fn cell(&self, field: Field) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        self.tables[self.table]
            .header
            .index(field)
            .and_then(|i| self.row.cells.get(i))
            .unwrap_or(EMPTY)
    }

    fn refuse(&mut self, field: Field, zh: String, en: String) {
        let at = Located {
            table: self.table,
            row: self.row.number,
            value: (),
        };
        self.problems
            .push(problem_at(self.tables, &at, Some(field), zh, en));
        self.ok = false;
    }

    fn refuse_input(&mut self, e: InputError) {
        self.refuse(e.field, e.message(Lang::Zh), e.message(Lang::En));
    }

    fn take<T: Default>(&mut self, read: Result<T, InputError>) -> T {
        read.unwrap_or_else(|e| {
            self.refuse_input(e);
            T::default()
        })
    }

    fn broken_formula(&mut self, field: Field, shown: &str) {
        self.refuse(
            field,
            format!("单元格显示 {shown}，是出错的公式；请改正公式或直接填写数值"),
            format!("the cell shows {shown}, a broken formula; fix the formula or type the value"),
        );
    }

    /// An id, card, phone or barcode.
    fn code(&mut self, field: Field, required: bool) -> String {
        let read = match self.cell(field).clone() {
            Cell::Empty => Ok(String::new()),
            Cell::Text(t) => input::checked_code(&t, field),
            Cell::Int(i) => input::whole_number_code(i, field),
            Cell::Decimal(d) => Err(InputError::new(field, d, InputProblem::DecimalInCode)),
            Cell::Bool(b) => Ok(if b { "TRUE" } else { "FALSE" }.to_string()),
            Cell::Date(d) => Err(InputError::new(
                field,
                d.to_string(),
                InputProblem::DateInCode,
            )),
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return String::new();
            }
        };
        let value = match read {
            Ok(value) => value,
            Err(e) => {
                self.refuse_input(e);
                return String::new();
            }
        };
        if required && value.is_empty() {
            self.refuse_input(InputError::new(field, "", InputProblem::Empty));
        }
        value
    }

    /// A name, unit, note: free text.
    fn text(&mut self, field: Field, required: bool) -> String {
        let value = match self.cell(field).clone() {
            Cell::Empty => String::new(),
            Cell::Text(t) => input::text(&t),
            Cell::Int(i) => i.to_string(),
            Cell::Decimal(d) => d,
            Cell::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return String::new();
            }
        };
        if required && value.is_empty() {
            self.refuse_input(InputError::new(field, "", InputProblem::Empty));
        }
        value
    }

    /// A whole number.
    fn number(&mut self, field: Field) -> i64 {
        let read = match self.cell(field).clone() {
            Cell::Empty => Err(InputError::new(field, "", InputProblem::Empty)),
            Cell::Text(t) => input::number(&t, field),
            Cell::Int(i) => Ok(i),
            Cell::Decimal(d) => Err(InputError::new(field, d, InputProblem::NotWholeNumber)),
            Cell::Bool(b) => Err(InputError::new(
                field,
                if b { "TRUE" } else { "FALSE" },
                InputProblem::NotWholeNumber,
            )),
            Cell::Date(d) => Err(InputError::new(
                field,
                d.to_string(),
                InputProblem::NotWholeNumber,
            )),
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return 0;
            }
        };
        self.take(read)
    }

    fn flag(&mut self, field: Field) -> bool {
        let read = match self.cell(field).clone() {
            Cell::Empty => Ok(false),
            Cell::Text(t) => input::flag(&t, field),
            Cell::Bool(b) => Ok(b),
            Cell::Int(i) => input::flag(&i.to_string(), field),
            Cell::Decimal(d) => input::flag(&d, field),
            Cell::Date(d) => input::flag(&d.to_string(), field),
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return false;
            }
        };
        self.take(read)
    }

    fn zone(&mut self) -> Zone {
        let field = Field::Zone;
        let read = match self.cell(field).clone() {
            Cell::Empty => Err(InputError::new(field, "", InputProblem::Empty)),
            Cell::Text(t) => input::zone(&t),
            Cell::Int(i) => input::zone(&i.to_string()),
            Cell::Decimal(d) => input::zone(&d),
            Cell::Bool(_) | Cell::Date(_) => {
                Err(InputError::new(field, "?", InputProblem::NotZone))
            }
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return Zone::Donation;
            }
        };
        read.unwrap_or_else(|e| {
            self.refuse_input(e);
            Zone::Donation
        })
    }

    fn period(&mut self, kind: PeriodKind) -> String {
        let field = Field::Period;
        let read = match self.cell(field).clone() {
            Cell::Empty => Err(InputError::new(field, "", InputProblem::Empty)),
            Cell::Text(t) => input::period(&t, kind),
            Cell::Int(i) => input::period(&i.to_string(), kind),
            Cell::Decimal(d) => input::period(&d, kind),
            Cell::Date(date) => input::period_of_date_cell(date, kind),
            Cell::Bool(b) => input::period(&b.to_string(), kind),
            Cell::Error(e) => {
                self.broken_formula(field, &e);
                return String::new();
            }
        };
        self.take(read)
    }

    fn household(&mut self) -> Household {
        Household {
            household_id: self.code(Field::HouseholdId, true),
            card_no: self.code(Field::CardNo, true),
            head: self.text(Field::Head, true),
            members: input::names(&self.text(Field::Members, false)),
            group: self.text(Field::Group, false),
            phone: self.code(Field::Phone, false),
            registered_poor: self.flag(Field::RegisteredPoor),
        }
    }

    fn goods(&mut self) -> Goods {
        Goods {
            goods_id: self.code(Field::GoodsId, true),
            name: self.text(Field::GoodsName, true),
            unit: self.text(Field::Unit, false),
            barcode: self.code(Field::Barcode, false),
            price_points: self.number(Field::PricePoints),
            zone: self.zone(),
            category: self.text(Field::Category, false),
            supplier: self.text(Field::Supplier, false),
        }
    }

    fn score(&mut self, kind: PeriodKind) -> ScoreRow {
        let household_id = self.code(Field::HouseholdId, true);
        let period = self.period(kind);
        let items = self.tables[self.table].header.items.clone();
        let (score, items) = if items.is_empty() {
            (self.number(Field::Score), None)
        } else {
            let mut given = Vec::new();
            for column in items {
                let cell = self.row.cells.get(column.index).cloned();
                if let Some(score) = self.item_number(&column.header, cell) {
                    given.push(ItemScore::new(column.header, score));
                }
            }
            (0, Some(given))
        };
        ScoreRow {
            household_id,
            period,
            score,
            items,
            note: self.text(Field::Note, false),
        }
    }

    /// An item's score: a whole number, or nothing for an empty cell (the item not given).
    fn item_number(&mut self, item: &str, cell: Option<Cell>) -> Option<i64> {
        let shown = match cell {
            None | Some(Cell::Empty) => return None,
            Some(Cell::Int(i)) => return Some(i),
            Some(Cell::Text(t)) if t.trim().is_empty() => return None,
            Some(Cell::Text(t)) => match input::number(&t, Field::Score) {
                Ok(n) => return Some(n),
                Err(_) => t,
            },
            Some(Cell::Decimal(d)) => d,
            Some(Cell::Bool(b)) => if b { "TRUE" } else { "FALSE" }.to_string(),
            Some(Cell::Date(d)) => d.to_string(),
            Some(Cell::Error(e)) => e,
        };
        self.refuse(
            Field::Score,
            format!("“{item}”一栏的 {shown} 不是整数分数"),
            format!("column {item}: '{shown}' is not a whole number"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::CivilDate;
    use crate::import::headers::locate;
    use crate::import::reader::{Book, Sheet};

    fn book(name: Option<&str>, rows: Vec<Vec<Cell>>) -> Book {
        Book {
            sheets: vec![Sheet {
                name: name.map(String::from),
                rows: rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, cells)| SheetRow {
                        number: i as u64 + 1,
                        cells,
                    })
                    .collect(),
            }],
            encoding: None,
        }
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn read_book(kind: Kind, b: &Book) -> (Vec<Located<Record>>, Vec<Problem>) {
        let tables = locate(kind, b).unwrap_or_default();
        let mut problems = Vec::new();
        let records = read(kind, &tables, PeriodKind::Month, &mut problems);
        (records, problems)
    }

    #[test]
    fn full_width_and_spaces_are_normalised_and_leading_zeros_kept() {
        let b = book(
            None,
            vec![
                vec![
                    text("household_id"),
                    text("card_no"),
                    text("head"),
                    text("phone"),
                ],
                vec![
                    text("H３０６"),
                    text("ＬＪ９００３０６"),
                    text("李　四 "),
                    text("１３８０００００００６"),
                ],
                vec![text("0305"), text("000305"), text("孙三"), text("")],
            ],
        );
        let (records, problems) = read_book(Kind::Households, &b);
        assert!(problems.is_empty(), "{problems:?}");
        let Record::Household(h) = &records[0].value else {
            panic!("not a household")
        };
        assert_eq!(
            (h.household_id.as_str(), h.card_no.as_str()),
            ("H306", "LJ900306")
        );
        assert_eq!(
            (h.head.as_str(), h.phone.as_str()),
            ("李　四", "13800000006")
        );
        let Record::Household(h) = &records[1].value else {
            panic!("not a household")
        };
        assert_eq!(
            (h.household_id.as_str(), h.card_no.as_str()),
            ("0305", "000305")
        );
    }

    #[test]
    fn workbook_cells_keep_exact_digits_and_refuse_fractions_and_dates() {
        let b = book(
            Some("商品"),
            vec![
                vec![
                    text("商品编号"),
                    text("名称"),
                    text("条码"),
                    text("积分"),
                    text("专区"),
                ],
                vec![
                    Cell::Int(101),
                    text("大米"),
                    Cell::Int(6_910_123_614_616),
                    Cell::Int(30),
                    Cell::Int(30),
                ],
                vec![
                    Cell::Decimal("1.5".into()),
                    text("油"),
                    text(""),
                    Cell::Decimal("20.5".into()),
                    text("20"),
                ],
                vec![
                    text("G3"),
                    text("盐"),
                    Cell::Date(CivilDate {
                        year: 2026,
                        month: 1,
                        day: 2,
                    }),
                    Cell::Int(2),
                    Cell::Error("#N/A".into()),
                ],
            ],
        );
        let (records, problems) = read_book(Kind::Goods, &b);
        assert_eq!(records.len(), 1);
        let Record::Goods(g) = &records[0].value else {
            panic!("not goods")
        };
        assert_eq!(
            (g.goods_id.as_str(), g.barcode.as_str()),
            ("101", "6910123614616")
        );
        let places: Vec<(u64, String)> = problems
            .iter()
            .map(|p| {
                (
                    p.row,
                    p.column.as_ref().map(|c| c.letter()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            places,
            vec![
                (3, "A".into()),
                (3, "D".into()),
                (4, "C".into()),
                (4, "E".into())
            ]
        );
        assert!(problems[0]
            .en
            .contains("goods id 1.5 is a number with a decimal point"));
        assert!(problems[1].en.contains("'20.5' is not a whole number"));
        assert!(problems[3].en.contains("#N/A"));
        assert_eq!(problems[0].sheet.as_deref(), Some("商品"));
    }

    #[test]
    fn every_bad_row_is_reported() {
        let b = book(
            None,
            vec![
                vec![
                    text("household_id"),
                    text("period"),
                    text("score"),
                    text("note"),
                ],
                vec![text("H201"), text("46296"), text("90"), text("")],
                vec![text("H201"), text("Oct-26"), text("88"), text("")],
                vec![
                    text("H201"),
                    Cell::Date(CivilDate {
                        year: 2026,
                        month: 10,
                        day: 1,
                    }),
                    text("8.5"),
                    text(""),
                ],
                vec![text("H202"), text("2026-10"), text("８５"), text("")],
                vec![text(""), text("2026-10"), text(""), text("")],
            ],
        );
        let (records, problems) = read_book(Kind::Scores, &b);
        assert_eq!(records.len(), 1);
        let Record::Score(s) = &records[0].value else {
            panic!("not a score")
        };
        assert_eq!(s.score, 85);
        let rows: Vec<u64> = problems.iter().map(|p| p.row).collect();
        assert_eq!(rows, vec![2, 3, 4, 4, 6, 6]);
        assert!(problems
            .iter()
            .take(3)
            .all(|p| p.en.contains("write 2026-10")));
        assert!(problems[3].en.contains("score '8.5' is not a whole number"));
    }

    #[test]
    fn excel_scientific_barcode_is_refused() {
        let b = book(
            None,
            vec![
                vec![
                    text("goods_id"),
                    text("name"),
                    text("barcode"),
                    text("price_points"),
                    text("zone"),
                ],
                vec![
                    text("G101"),
                    text("东北大米 5kg"),
                    text("6.91012E+12"),
                    text("30"),
                    text("30"),
                ],
            ],
        );
        let (records, problems) = read_book(Kind::Goods, &b);
        assert!(records.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .en
            .contains("barcode 6.91012E+12 looks like Excel scientific notation; format the column as Text and type the barcode again"));
        assert_eq!(
            problems[0].column.as_ref().map(|c| c.letter()),
            Some("C".into())
        );
        // The same sheet saved again as a workbook: the cell is the number Excel made of the
        // text, its digits lost; refused the same way, never imported as 6910120000000.
        let mut again = b.clone();
        again.sheets[0].rows[1].cells[2] = Cell::Int(6_910_120_000_000);
        let (records, problems) = read_book(Kind::Goods, &again);
        assert!(records.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .en
                .contains("barcode 6.91012E+12 looks like Excel scientific notation"),
            "{}",
            problems[0].en
        );
        // A whole barcode in a number cell is kept.
        again.sheets[0].rows[1].cells[2] = Cell::Int(6_910_123_614_616);
        let (records, problems) = read_book(Kind::Goods, &again);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.len(), 1);
    }
}
