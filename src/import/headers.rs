//! Which column holds what, found by the header's name — never by position. A village's sheet
//! says 户号, 卡号, 户主 (or household_id, card_no, head; or 联系电话 for 电话…), in whatever
//! order its clerk chose, often under a title row such as 李家村农户花名册. The header row is
//! the first of the top [`HEADER_ROWS_SCAN`] rows that names every required column; columns
//! no alias names are ignored. Names are compared after the normaliser, lower-cased, without
//! spaces, underscores, marks like `*` and a note in brackets: `*户号`, `Card No`,
//! `价格（积分）` all match.

use super::reader::{Book, Cell, Sheet};
use super::{ColumnRef, Problem};
use crate::domain::input::{self, Field};
use crate::i18n::Lang;

/// The header row must be within this many non-blank rows from the top of a sheet.
pub const HEADER_ROWS_SCAN: usize = 10;

/// What a file holds; each kind has its own columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Households (一户一档): `household import`.
    Households,
    /// The catalog: `goods import`.
    Goods,
    /// The committee's scores: `score import`.
    Scores,
}

impl Kind {
    /// The columns a file of this kind may have, in the order an exported list writes them.
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            Kind::Households => &HOUSEHOLD_COLUMNS,
            Kind::Goods => &GOODS_COLUMNS,
            Kind::Scores => &SCORE_COLUMNS,
        }
    }

    /// What one row is, for "imported 3 households".
    pub fn noun(self, lang: Lang) -> &'static str {
        match self {
            Kind::Households => lang.pick("户", "households"),
            Kind::Goods => lang.pick("种商品", "goods"),
            Kind::Scores => lang.pick("条评分", "scores"),
        }
    }
}

/// One column a file may have: the field it fills, its header as aixin writes it (Chinese and
/// English), the other names clerks give it, and whether a file must have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The field the column fills.
    pub field: Field,
    /// The header aixin writes in Chinese.
    pub zh: &'static str,
    /// The header aixin writes in English.
    pub en: &'static str,
    /// Other names found in village sheets.
    pub aliases: &'static [&'static str],
    /// Whether the file is refused without it.
    pub required: bool,
}

impl ColumnSpec {
    const fn new(
        field: Field,
        zh: &'static str,
        en: &'static str,
        aliases: &'static [&'static str],
        required: bool,
    ) -> ColumnSpec {
        ColumnSpec {
            field,
            zh,
            en,
            aliases,
            required,
        }
    }

    /// The header aixin writes in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    fn matches(&self, key: &str) -> bool {
        header_key(self.zh) == key
            || header_key(self.en) == key
            || self.aliases.iter().any(|a| header_key(a) == key)
    }
}

const HOUSEHOLD_ID_ALIASES: &[&str] = &[
    "户编号",
    "农户编号",
    "农户号",
    "户码",
    "编号",
    "household",
    "household no",
    "id",
];

/// Columns of a households file (一户一档).
pub const HOUSEHOLD_COLUMNS: [ColumnSpec; 7] = [
    ColumnSpec::new(
        Field::HouseholdId,
        "户号",
        "household_id",
        HOUSEHOLD_ID_ALIASES,
        true,
    ),
    ColumnSpec::new(
        Field::CardNo,
        "卡号",
        "card_no",
        &[
            "积分卡号",
            "爱心卡号",
            "卡编号",
            "积分卡",
            "card",
            "card number",
        ],
        true,
    ),
    ColumnSpec::new(
        Field::Head,
        "户主",
        "head",
        &[
            "户主姓名",
            "户主名",
            "姓名",
            "head of household",
            "householder",
            "name",
        ],
        true,
    ),
    ColumnSpec::new(
        Field::Members,
        "家庭成员",
        "members",
        &["成员", "其他成员", "家庭成员姓名", "member"],
        false,
    ),
    ColumnSpec::new(
        Field::Group,
        "村民小组",
        "group",
        &["组别", "小组", "组", "所在小组", "村组", "村民组"],
        false,
    ),
    ColumnSpec::new(
        Field::Phone,
        "电话",
        "phone",
        &[
            "联系电话",
            "手机",
            "手机号",
            "手机号码",
            "电话号码",
            "联系方式",
            "mobile",
            "tel",
            "telephone",
        ],
        false,
    ),
    ColumnSpec::new(
        Field::RegisteredPoor,
        "建档立卡",
        "registered_poor",
        &[
            "建档立卡户",
            "是否建档立卡",
            "脱贫户",
            "是否脱贫户",
            "贫困户",
            "poor",
        ],
        false,
    ),
];

/// Columns of a goods file (the catalog).
pub const GOODS_COLUMNS: [ColumnSpec; 8] = [
    ColumnSpec::new(
        Field::GoodsId,
        "商品编号",
        "goods_id",
        &[
            "编号",
            "货号",
            "商品代码",
            "商品id",
            "物品编号",
            "goods",
            "item id",
            "id",
        ],
        true,
    ),
    ColumnSpec::new(
        Field::GoodsName,
        "名称",
        "name",
        &["品名", "商品名称", "商品名", "物品名称", "goods name"],
        true,
    ),
    ColumnSpec::new(Field::Unit, "单位", "unit", &["计量单位"], false),
    ColumnSpec::new(
        Field::Barcode,
        "条码",
        "barcode",
        &["条形码", "商品条码", "条码号", "ean", "bar code"],
        false,
    ),
    ColumnSpec::new(
        Field::PricePoints,
        "积分",
        "price_points",
        &[
            "价格",
            "兑换积分",
            "所需积分",
            "积分价",
            "积分价格",
            "单价",
            "price",
            "points",
        ],
        true,
    ),
    ColumnSpec::new(
        Field::Zone,
        "专区",
        "zone",
        &["区", "分区", "积分区", "积分专区"],
        true,
    ),
    ColumnSpec::new(
        Field::Category,
        "类别",
        "category",
        &["分类", "品类", "商品类别"],
        false,
    ),
    ColumnSpec::new(
        Field::Supplier,
        "供应商",
        "supplier",
        &["供货商", "供货单位", "商家", "merchant"],
        false,
    ),
];

/// Columns of a scores file.
pub const SCORE_COLUMNS: [ColumnSpec; 4] = [
    ColumnSpec::new(
        Field::HouseholdId,
        "户号",
        "household_id",
        HOUSEHOLD_ID_ALIASES,
        true,
    ),
    ColumnSpec::new(
        Field::Period,
        "期间",
        "period",
        &[
            "月份",
            "季度",
            "评分期",
            "评分周期",
            "周期",
            "日期",
            "考评月份",
            "month",
            "quarter",
            "date",
        ],
        true,
    ),
    // Not required: a sheet scored by item has a column per item of the score sheet instead.
    ColumnSpec::new(
        Field::Score,
        "得分",
        "score",
        &["评分", "分数", "总分", "考评得分"],
        false,
    ),
    ColumnSpec::new(
        Field::Note,
        "备注",
        "note",
        &["说明", "notes", "remark", "remarks"],
        false,
    ),
];

/// A header cell's text as a comparison key: normalised, lower-cased, a bracketed note cut
/// off, spaces and marks (`_ - * : .`) removed.
pub fn header_key(text: &str) -> String {
    let folded = input::code(text).to_lowercase();
    let cut = match folded.find(['(', '[', '【']) {
        Some(0) | None => folded.as_str(),
        Some(at) => &folded[..at],
    };
    cut.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | ':' | '：' | '.' | '/'))
        .collect()
}

/// The header row of a sheet: where it is and which column holds which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The header's row number (data rows come after it).
    pub row: u64,
    columns: Vec<(Field, ColumnRef)>,
    /// A scores sheet without a total score column: its other named columns, one per item of
    /// the score sheet (评分细则, e.g. 环境卫生, 违规); empty for every other sheet.
    pub items: Vec<ColumnRef>,
}

impl Header {
    /// The column holding `field`, if the sheet has one.
    pub fn column(&self, field: Field) -> Option<ColumnRef> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.clone())
    }

    /// The 0-based index of the column holding `field`.
    pub fn index(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.index)
    }
}

/// A sheet whose header was found: its rows after the header are data.
#[derive(Clone, Debug)]
pub struct Table<'a> {
    /// The sheet.
    pub sheet: &'a Sheet,
    /// Its header.
    pub header: Header,
}

/// What one candidate row names.
struct Candidate {
    row: u64,
    columns: Vec<(Field, ColumnRef)>,
    /// Named columns that mean no field (a scores sheet's items).
    others: Vec<ColumnRef>,
}

impl Candidate {
    fn read(kind: Kind, row: u64, cells: &[Cell]) -> Candidate {
        let mut columns = Vec::new();
        let mut others = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let key = header_key(text);
            if key.is_empty() {
                continue;
            }
            if let Some(spec) = kind.columns().iter().find(|s| s.matches(&key)) {
                let header = input::text(text);
                columns.push((spec.field, ColumnRef { index, header }));
            } else {
                let header = input::text(text);
                others.push(ColumnRef { index, header });
            }
        }
        Candidate {
            row,
            columns,
            others,
        }
    }

    /// A scores sheet's item columns: its other named columns when it has no total score.
    fn items(&self, kind: Kind) -> Vec<ColumnRef> {
        match kind {
            Kind::Scores if !self.has(Field::Score) => self.others.clone(),
            _ => Vec::new(),
        }
    }

    fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|(f, _)| *f == field)
    }

    fn missing(&self, kind: Kind) -> Vec<&'static ColumnSpec> {
        // A scores sheet needs its total score column, or item columns in its place.
        let needs_score = kind == Kind::Scores && self.others.is_empty();
        kind.columns()
            .iter()
            .filter(|s| {
                (s.required || (needs_score && s.field == Field::Score)) && !self.has(s.field)
            })
            .collect()
    }

    fn matched(&self) -> usize {
        self.columns.len()
    }

    /// Two columns that both mean one field.
    fn twice(&self) -> Option<(&ColumnRef, &ColumnRef, Field)> {
        self.columns.iter().enumerate().find_map(|(i, (f, a))| {
            self.columns[i + 1..]
                .iter()
                .find(|(g, _)| g == f)
                .map(|(_, b)| (a, b, *f))
        })
    }
}

/// Finds the header of every sheet of `book` that has one. A workbook with one sheet per
/// village group imports all of them; sheets without the columns (notes, lists) are skipped.
/// With no sheet that has them, the refusal names the required columns that are missing.
pub fn locate(kind: Kind, book: &Book) -> Result<Vec<Table<'_>>, Problem> {
    let mut tables = Vec::new();
    let mut best: Option<(&Sheet, Candidate)> = None;
    for sheet in &book.sheets {
        let mut found = None;
        for row in sheet.rows.iter().take(HEADER_ROWS_SCAN) {
            let candidate = Candidate::read(kind, row.number, &row.cells);
            if candidate.missing(kind).is_empty() {
                found = Some(candidate);
                break;
            }
            if best
                .as_ref()
                .is_none_or(|(_, b)| candidate.matched() > b.matched())
            {
                best = Some((sheet, candidate));
            }
        }
        let Some(candidate) = found else { continue };
        if let Some((a, b, field)) = candidate.twice() {
            return Err(Problem {
                sheet: sheet.name.clone(),
                row: candidate.row,
                ..Problem::file(
                    format!(
                        "{} 列（{}）和 {} 列（{}）都是“{}”；请删去或改名其中一列",
                        a.letter(),
                        a.header,
                        b.letter(),
                        b.header,
                        field.name(Lang::Zh)
                    ),
                    format!(
                        "columns {} ({}) and {} ({}) both mean {}; delete or rename one of them",
                        a.letter(),
                        a.header,
                        b.letter(),
                        b.header,
                        field.name(Lang::En)
                    ),
                )
            });
        }
        let items = candidate.items(kind);
        tables.push(Table {
            sheet,
            header: Header {
                row: candidate.row,
                columns: candidate.columns,
                items,
            },
        });
    }
    if !tables.is_empty() {
        return Ok(tables);
    }
    Err(missing_columns(kind, best))
}

fn missing_columns(kind: Kind, best: Option<(&Sheet, Candidate)>) -> Problem {
    let (sheet, row, missing) = match &best {
        Some((sheet, candidate)) if candidate.matched() > 0 => {
            (sheet.name.clone(), candidate.row, candidate.missing(kind))
        }
        _ => (
            None,
            0,
            kind.columns()
                .iter()
                .filter(|s| s.required || (kind == Kind::Scores && s.field == Field::Score))
                .collect(),
        ),
    };
    let list = |lang: Lang| {
        missing
            .iter()
            .map(|s| format!("{}（{}）", s.zh, s.en))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    };
    let all = |lang: Lang| {
        kind.columns()
            .iter()
            .map(|s| s.header(lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    };
    let (zh, en) = if row == 0 {
        (
            format!(
                "找不到表头：前 {HEADER_ROWS_SCAN} 行里没有一行写着必填列 {}；请在表头行写上列名（中文或英文均可，顺序不限），如 {}",
                list(Lang::Zh),
                all(Lang::Zh)
            ),
            format!(
                "no header row: none of the top {HEADER_ROWS_SCAN} rows names the required columns {}; name the columns in a header row (Chinese or English, any order), e.g. {}",
                list(Lang::En),
                all(Lang::En)
            ),
        )
    } else {
        (
            format!(
                "表头缺少必填列 {}；请在这一行加上这些列（中文或英文列名均可，顺序不限）",
                list(Lang::Zh)
            ),
            format!(
                "the header lacks the required columns {}; add them to this row (Chinese or English names, any order)",
                list(Lang::En)
            ),
        )
    };
    Problem {
        sheet,
        row,
        ..Problem::file(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::reader::{Sheet, SheetRow};

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: None,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| SheetRow {
                    number: i as u64 + 1,
                    cells: cells.iter().map(|c| Cell::Text(c.to_string())).collect(),
                })
                .collect(),
        }
    }

    fn book(rows: &[&[&str]]) -> Book {
        Book {
            sheets: vec![sheet(rows)],
            encoding: None,
        }
    }

    #[test]
    fn header_keys_ignore_case_marks_and_notes() {
        assert_eq!(header_key("*户号"), "户号");
        assert_eq!(header_key(" Card No "), "cardno");
        assert_eq!(header_key("card_no"), "cardno");
        assert_eq!(header_key("价格（积分）"), "价格");
        assert_eq!(header_key("ｐｈｏｎｅ"), "phone");
        assert_eq!(header_key("（必填）"), "(必填)");
    }

    #[test]
    fn chinese_headers_in_any_order_under_a_title_row() {
        let b = book(&[
            &["李家村农户花名册"],
            &["序号", "联系电话", "户主", "卡号", "户号", "备注"],
            &["1", "138", "张三", "C1", "H1", "x"],
        ]);
        let tables = locate(Kind::Households, &b).unwrap_or_default();
        assert_eq!(tables.len(), 1);
        let header = &tables[0].header;
        assert_eq!(header.row, 2);
        assert_eq!(header.index(Field::HouseholdId), Some(4));
        assert_eq!(header.index(Field::Phone), Some(1));
        assert_eq!(header.index(Field::Members), None);
        assert_eq!(
            header.column(Field::CardNo).map(|c| c.header),
            Some("卡号".into())
        );
    }

    #[test]
    fn missing_required_columns_are_named_in_one_refusal() {
        let b = book(&[&["户号", "户主", "电话"], &["H1", "张三", "1"]]);
        let err = locate(Kind::Households, &b).err();
        assert_eq!(err.as_ref().map(|p| p.row), Some(1));
        let zh = err.as_ref().map(|p| p.zh.clone()).unwrap_or_default();
        assert!(
            zh.contains("卡号（card_no）") && !zh.contains("户主（"),
            "{zh}"
        );
        let b = book(&[&["a", "b"]]);
        let err = locate(Kind::Goods, &b).err();
        let en = err.map(|p| p.en).unwrap_or_default();
        assert!(
            en.contains("商品编号（goods_id）, 名称（name）, 积分（price_points）, 专区（zone）"),
            "{en}"
        );
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let b = book(&[&["户号", "卡号", "户主", "电话", "联系电话"]]);
        let err = locate(Kind::Households, &b).err();
        let en = err.map(|p| p.en).unwrap_or_default();
        assert!(
            en.contains("columns D (电话) and E (联系电话) both mean phone"),
            "{en}"
        );
    }

    #[test]
    fn every_sheet_with_the_columns_is_read() {
        let mut b = book(&[&["户号", "卡号", "户主"], &["H1", "C1", "张三"]]);
        b.sheets[0].name = Some("一组".into());
        let mut second = sheet(&[&["household_id", "card_no", "head"], &["H2", "C2", "李四"]]);
        second.name = Some("二组".into());
        let mut notes = sheet(&[&["说明"]]);
        notes.name = Some("说明".into());
        b.sheets.push(notes);
        b.sheets.push(second);
        let tables = locate(Kind::Households, &b).unwrap_or_default();
        let names: Vec<_> = tables.iter().filter_map(|t| t.sheet.name.clone()).collect();
        assert_eq!(names, vec!["一组".to_string(), "二组".to_string()]);
    }

    #[test]
    fn aliases_do_not_collide_within_a_kind() {
        for kind in [Kind::Households, Kind::Goods, Kind::Scores] {
            let mut keys: Vec<(String, Field)> = Vec::new();
            for spec in kind.columns() {
                for name in [spec.zh, spec.en].iter().chain(spec.aliases) {
                    let key = header_key(name);
                    if let Some((_, other)) = keys.iter().find(|(k, _)| *k == key) {
                        assert_eq!(*other, spec.field, "{name} names two fields");
                    }
                    keys.push((key, spec.field));
                }
            }
        }
    }
}
