//! Input is normalised once, at the edge where it enters (PRODUCT.md, "Rules at the
//! boundaries"): every entry path — the command line, the importers, every till field and both
//! lookups — hands what a person typed, a scanner sent or a sheet held to these functions before
//! it becomes part of a command. They are pure (no files, no clock) and decide three things:
//!
//! - **Codes** (household ids, card numbers, phones, barcodes, periods): a Chinese input method
//!   types full-width forms (`ＬＪ９００３０６`), so full-width ASCII letters, digits and
//!   punctuation become ASCII, the ideographic space becomes a space, and surrounding spaces
//!   (and stray zero-width marks) are trimmed. A value Excel has mangled — `6.91012E+12` in a
//!   barcode column, a date serial `46296` or a display date `Oct-26` in a period column — is
//!   refused with the fix ("format the column as Text…"), never stored.
//! - **Text** (names, units, notes): full-width letters and digits become ASCII; Chinese
//!   punctuation and inner spaces stay as typed; surrounding spaces are trimmed.
//! - **Periods, days and years** ([`period`], [`date`], [`year`]): one reader for every way a
//!   village manager or a Chinese sheet writes them, year first — `2026-11`, `2026/11`,
//!   `2026.11`, `2026年11月`; `2026-Q4`, `2026年第四季度`; `2026/11/21`, `2026年11月21日`;
//!   `2026年` — kept in the one form the ledger uses (`2026-11`, `2026-Q4`, `2026-11-21`).
//!   What is ambiguous (`11/2026`, `2026.1`, `26年11月`) or impossible (month 13) is refused
//!   with the form to write; the Excel hint is kept for what Excel makes of a period.
//! - **Numbers** (points, scores, quantities): parsed strictly as whole numbers, full-width
//!   digits accepted. `1.5` is refused (never read as 15), an empty field is refused, and the
//!   message names the field.
//!
//! Every function is idempotent: normalising twice gives what normalising once gave.

use crate::i18n::Lang;

use super::event::Zone;
use super::time::{parse_period, CivilDate, PeriodKind};

/// A field a person or a sheet fills in. It names the field in messages and says which of the
/// normalisations applies ([`Field::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Household id (户号).
    HouseholdId,
    /// Card number (卡号).
    CardNo,
    /// Head of household (户主).
    Head,
    /// Other members (家庭成员), a list of names.
    Members,
    /// Village group (村民小组).
    Group,
    /// Contact phone (电话).
    Phone,
    /// Registered-poor flag (建档立卡).
    RegisteredPoor,
    /// Goods id (商品编号).
    GoodsId,
    /// Goods name (名称).
    GoodsName,
    /// Unit of sale (单位).
    Unit,
    /// Barcode (条码).
    Barcode,
    /// Price in points (积分).
    PricePoints,
    /// Shop zone (专区).
    Zone,
    /// Goods category (类别).
    Category,
    /// Supplying merchant (供应商).
    Supplier,
    /// Scoring period (期间): `2026-10`, `2026-Q4` or `2026-10-01`.
    Period,
    /// The committee's score (得分).
    Score,
    /// A note (备注).
    Note,
    /// Units of an item (数量).
    Quantity,
    /// A stocktake difference in units, may be negative (差额).
    StockDelta,
    /// A sale number as printed on the receipt (兑换单号).
    SaleNumber,
    /// A donor, fund or sender of stock (来源).
    StockSource,
    /// Why something was done (原因).
    Reason,
    /// A cost in fen (金额（分）), on the command line.
    CostFen,
    /// A cost in yuan with at most two decimals (金额（元）), in the till: [`yuan`].
    CostYuan,
    /// An award's number (评分编号).
    AwardNumber,
    /// A calendar year (年份), e.g. of a year-end clearing.
    Year,
    /// Who collects on a household's behalf (代领人).
    Proxy,
    /// A station's name (站点名称).
    StationName,
    /// A till session's Z number (日结号).
    SessionNumber,
    /// A receipt's number as printed (小票号, `000012`).
    ReceiptNumber,
    /// A calendar day (日期): `--date`, `--confirm-date`, `--since`; see [`date`].
    Date,
}

/// How a [`Field`] is normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Ids, card numbers, phones, barcodes, periods: [`code`].
    Code,
    /// Names and free text: [`text`].
    Text,
    /// Whole numbers: [`number`].
    Number,
    /// Yes or no: [`flag`].
    Flag,
}

impl Field {
    /// The field's name in messages, in the field's own terms.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Field::HouseholdId => ("户号", "household id"),
            Field::CardNo => ("卡号", "card number"),
            Field::Head => ("户主", "head of household"),
            Field::Members => ("家庭成员", "members"),
            Field::Group => ("村民小组", "group"),
            Field::Phone => ("电话", "phone"),
            Field::RegisteredPoor => ("建档立卡", "registered poor"),
            Field::GoodsId => ("商品编号", "goods id"),
            Field::GoodsName => ("名称", "name"),
            Field::Unit => ("单位", "unit"),
            Field::Barcode => ("条码", "barcode"),
            Field::PricePoints => ("积分", "price in points"),
            Field::Zone => ("专区", "zone"),
            Field::Category => ("类别", "category"),
            Field::Supplier => ("供应商", "supplier"),
            Field::Period => ("评分周期", "period"),
            Field::Score => ("得分", "score"),
            Field::Note => ("备注", "note"),
            Field::Quantity => ("数量", "quantity"),
            Field::StockDelta => ("差额", "difference"),
            Field::SaleNumber => ("兑换单号", "sale number"),
            Field::StockSource => ("来源", "source"),
            Field::Reason => ("原因", "reason"),
            Field::CostFen => ("金额（分）", "cost in fen"),
            Field::CostYuan => ("金额（元）", "cost in yuan"),
            Field::AwardNumber => ("评分编号", "award number"),
            Field::Year => ("年份", "year"),
            Field::Proxy => ("代领人", "proxy"),
            Field::StationName => ("站点名称", "station name"),
            Field::SessionNumber => ("日结号", "Z number"),
            Field::ReceiptNumber => ("小票号", "receipt number"),
            Field::Date => ("日期", "date"),
        };
        lang.pick(zh, en)
    }

    /// Which normalisation the field takes.
    pub fn kind(self) -> FieldKind {
        match self {
            Field::HouseholdId
            | Field::CardNo
            | Field::Phone
            | Field::GoodsId
            | Field::Barcode
            | Field::Period
            | Field::Date
            | Field::Zone => FieldKind::Code,
            Field::PricePoints
            | Field::Score
            | Field::Quantity
            | Field::StockDelta
            | Field::SaleNumber
            | Field::CostFen
            | Field::CostYuan
            | Field::AwardNumber
            | Field::Year
            | Field::SessionNumber
            | Field::ReceiptNumber => FieldKind::Number,
            Field::RegisteredPoor => FieldKind::Flag,
            Field::Head
            | Field::Members
            | Field::Group
            | Field::GoodsName
            | Field::Unit
            | Field::Category
            | Field::Supplier
            | Field::Note
            | Field::StockSource
            | Field::Reason
            | Field::Proxy
            | Field::StationName => FieldKind::Text,
        }
    }
}

/// What is wrong with a value; the message says how to put it right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// Nothing was given where a value is needed.
    Empty,
    /// Not a whole number (`1.5`, `八十`, `1,000`).
    NotWholeNumber,
    /// A whole number beyond what any field holds.
    TooLarge,
    /// `6.91012E+12`: Excel showed a long number in scientific notation and the sheet was saved
    /// that way; the digits are lost.
    ExcelScientific,
    /// A number with a decimal point where an id belongs (an Excel number cell).
    DecimalInCode,
    /// A date (Excel serial `46296`, display `Oct-26`, `2026/10/1`) where a period belongs;
    /// `suggested` is the period it stands for when that is certain.
    DateNotPeriod {
        /// The period to write instead, e.g. `2026-10`.
        suggested: Option<String>,
        /// The policy's period length, for the example when nothing can be suggested.
        kind: PeriodKind,
    },
    /// A date cell where an id belongs.
    DateInCode,
    /// Not yes or no.
    NotYesNo,
    /// Not a zone: a number of points or the donation zone.
    NotZone,
    /// Not an amount of yuan: digits with at most two after the decimal point.
    NotYuan,
    /// A whole number below zero (or zero) where only a positive number makes sense.
    NotPositive,
    /// Not a period of the policy's length in any form [`period`] reads (`11/2026`,
    /// `2026-13`, `十月`); the message names the forms it takes.
    NotPeriod {
        /// The policy's period length.
        kind: PeriodKind,
    },
    /// Not a calendar day in any form [`date`] reads (`21/11/2026`, `2026-02-30`).
    NotDate,
    /// Not a year from [`YEAR_FIRST`] to [`YEAR_LAST`] (`26`, `1999`, `二〇二六`).
    NotYear,
}

/// A value refused at the edge: which field, what was given (as given, for the message) and
/// why. Nothing has been written when this is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct InputError {
    /// The field.
    pub field: Field,
    /// The value as it arrived.
    pub value: String,
    /// What is wrong.
    pub problem: InputProblem,
}

impl InputError {
    /// An error for `field` holding `value`.
    pub fn new(field: Field, value: impl Into<String>, problem: InputProblem) -> InputError {
        InputError {
            field,
            value: value.into(),
            problem,
        }
    }

    /// One line for a village manager: the field, the value, and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let f = self.field.name(lang);
        let v = &shown(&self.value);
        let zh = lang == Lang::Zh;
        match &self.problem {
            InputProblem::Empty if zh => format!("{f}不能为空，请填写"),
            InputProblem::Empty => format!("{f} is empty; fill it in"),
            InputProblem::NotWholeNumber if zh => {
                format!("{f}“{v}”不是整数；请只写整数（不带小数点和其他字符）")
            }
            InputProblem::NotWholeNumber => {
                format!("{f} '{v}' is not a whole number; write whole numbers only, with no decimal point")
            }
            InputProblem::TooLarge if zh => format!("{f}“{v}”太大了，请核对"),
            InputProblem::TooLarge => format!("{f} '{v}' is too large; check it"),
            InputProblem::ExcelScientific if zh => format!(
                "{f} {v} 像是 Excel 的科学计数法，原来的数字已丢失；请把这一列设置为“文本”格式，再重新输入{f}"
            ),
            InputProblem::ExcelScientific => format!(
                "{f} {v} looks like Excel scientific notation; format the column as Text and type the {f} again"
            ),
            InputProblem::DecimalInCode if zh => format!(
                "{f} {v} 是带小数点的数字；请把这一列设置为“文本”格式，再重新输入{f}"
            ),
            InputProblem::DecimalInCode => format!(
                "{f} {v} is a number with a decimal point; format the column as Text and type the {f} again"
            ),
            InputProblem::DateNotPeriod { suggested, kind } => {
                let write = suggested
                    .clone()
                    .unwrap_or_else(|| period_example(*kind).to_string());
                if zh {
                    format!("{f}“{v}”是日期，不是评分周期（Excel 常把 2026-10 改成日期）；请把这一列设置为“文本”格式，写成 {write}")
                } else {
                    format!("{f} '{v}' is a date, not a period (Excel turns 2026-10 into dates); format the column as Text and write {write}")
                }
            }
            InputProblem::DateInCode if zh => format!(
                "{f} {v} 被 Excel 当成了日期；请把这一列设置为“文本”格式，再重新输入{f}"
            ),
            InputProblem::DateInCode => format!(
                "{f} {v} was taken for a date by Excel; format the column as Text and type the {f} again"
            ),
            InputProblem::NotYesNo if zh => format!("{f}“{v}”不是 是/否；请写“是”或“否”"),
            InputProblem::NotYesNo => format!("{f} '{v}' is not yes or no; write yes or no"),
            InputProblem::NotZone if zh => {
                format!("{f}“{v}”不对；请写积分数（2、5、10、20、30、50）或“捐赠区”")
            }
            InputProblem::NotZone => {
                format!("{f} '{v}' is not a zone; write its points (2, 5, 10, 20, 30, 50) or donation")
            }
            InputProblem::NotYuan if zh => {
                format!("{f}“{v}”不是金额；请写元，最多两位小数，例如 120.50")
            }
            InputProblem::NotYuan => {
                format!("{f} '{v}' is not an amount; write yuan with at most two decimals, e.g. 120.50")
            }
            InputProblem::NotPositive if zh => format!("{f}“{v}”应当大于 0"),
            InputProblem::NotPositive => format!("{f} '{v}' must be more than 0"),
            InputProblem::NotPeriod { kind } => {
                let (example, also) = period_forms(*kind);
                if zh {
                    format!("{f}“{v}”格式不对；请写成 {example}（也可写 {}）", also.join("、"))
                } else {
                    format!("{f} '{v}' is not a {}; write {example} (or {})", kind_name(*kind), also.join(", "))
                }
            }
            InputProblem::NotDate if zh => format!(
                "{f}“{v}”不是日期；请写成 2026-11-21（也可写 2026/11/21、2026.11.21、2026年11月21日）"
            ),
            InputProblem::NotDate => format!(
                "{f} '{v}' is not a date; write 2026-11-21 (or 2026/11/21, 2026.11.21, 2026年11月21日)"
            ),
            InputProblem::NotYear if zh => format!(
                "{f}“{v}”不对；请写 {YEAR_FIRST} 到 {YEAR_LAST} 之间的四位年份，如 2026"
            ),
            InputProblem::NotYear => format!(
                "{f} '{v}' is not a year; write a four-digit year from {YEAR_FIRST} to {YEAR_LAST}, e.g. 2026"
            ),
        }
    }
}

/// Characters of a refused value quoted in a message; a longer value is cut with "…".
pub const SHOWN_CHARS_MAX: usize = 40;

/// A refused value as a message quotes it: on one line (a quoted CSV cell may hold line
/// breaks, found by fuzzing; control characters are shown escaped, `\n`) and at most
/// [`SHOWN_CHARS_MAX`] characters.
fn shown(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == SHOWN_CHARS_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// An example of a period of this length, for messages.
pub fn period_example(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Day => "2026-10-01",
        PeriodKind::Month => "2026-10",
        PeriodKind::Quarter => "2026-Q4",
    }
}

/// The period forms a message offers: the one the ledger keeps, and the others [`period`]
/// reads as the same.
fn period_forms(kind: PeriodKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        PeriodKind::Day => (
            "2026-11-21",
            &["2026/11/21", "2026.11.21", "2026年11月21日"],
        ),
        PeriodKind::Month => ("2026-11", &["2026/11", "2026.11", "2026年11月"]),
        PeriodKind::Quarter => ("2026-Q4", &["2026Q4", "2026年第4季度", "2026年第四季度"]),
    }
}

/// What a period of this length is called in an English message.
fn kind_name(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Day => "day",
        PeriodKind::Month => "month",
        PeriodKind::Quarter => "quarter",
    }
}

const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// A full-width ASCII form (U+FF01–U+FF5E) as its ASCII character, the ideographic space as a
/// space; any other character unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        IDEOGRAPHIC_SPACE => ' ',
        _ => c,
    }
}

/// A full-width letter or digit as ASCII; everything else (Chinese punctuation included)
/// unchanged.
fn fold_alphanumeric(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
            fold_width(c)
        }
        _ => c,
    }
}

/// Spaces of every width and the invisible marks a paste or a byte-order mark leaves behind.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

/// A code (id, card number, phone, barcode, period) as ASCII: `" ＬＪ９００３０６　"` →
/// `"LJ900306"`. Inner spaces stay (as ASCII spaces). Never fails; see [`checked_code`] for the
/// refusal of Excel-mangled values.
pub fn code(raw: &str) -> String {
    raw.chars()
        .map(fold_width)
        .collect::<String>()
        .trim_matches(is_blank)
        .to_string()
}

/// Free text (a name, a unit, a note): full-width letters and digits become ASCII, surrounding
/// spaces are trimmed, inner spaces and Chinese punctuation stay as typed.
pub fn text(raw: &str) -> String {
    raw.trim_matches(is_blank)
        .chars()
        .map(fold_alphanumeric)
        .collect()
}

/// A list of names in one field (家庭成员: `李梅;张小龙`, `李梅、张小龙`), each as [`text`],
/// empty entries dropped.
pub fn names(raw: &str) -> Vec<String> {
    raw.split([';', '；', '、', ',', '，'])
        .map(text)
        .filter(|name| !name.is_empty())
        .collect()
}

/// `6.91012E+12`: the way Excel shows (and then saves) a long number. Excel always writes the
/// exponent's sign, so an id like `2E10` is not mistaken for one.
fn is_scientific(code: &str) -> bool {
    let body = code.strip_prefix(['+', '-']).unwrap_or(code);
    let Some((mantissa, exponent)) = body.split_once(['E', 'e']) else {
        return false;
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let Some(exponent) = exponent.strip_prefix(['+', '-']) else {
        return false;
    };
    !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && !exponent.is_empty()
        && digits(exponent)
}

/// A code as [`code`], refused if Excel has turned it into scientific notation.
pub fn checked_code(raw: &str, field: Field) -> Result<String, InputError> {
    let value = code(raw);
    if is_scientific(&value) {
        return Err(InputError::new(field, value, InputProblem::ExcelScientific));
    }
    Ok(value)
}

/// A whole number that a workbook cell holds in a code column (a barcode, card, phone or id),
/// as the code's text; refused when Excel has already cost it its digits. A number of 12 digits
/// or more shows as `6.92091E+12` in a cell of General format; a sheet saved that way as CSV and
/// opened and saved again as a workbook holds `6920910000000`: 6 significant digits and a run of
/// zeros, where a real barcode has 13. Such a number (12 digits or more, at most 6 of them
/// significant) is refused as the scientific text is ([`checked_code`]), shown as Excel shows
/// it, with the same fix. Source: the field case `goods-barcode-excel-sci` and a fresh-user
/// trial's workbook.
pub fn whole_number_code(value: i64, field: Field) -> Result<String, InputError> {
    let text = value.to_string();
    let digits = text.trim_start_matches('-');
    let significant = digits.trim_end_matches('0');
    if digits.len() >= 12 && significant.len() <= 6 {
        let (first, rest) = significant.split_at(1.min(significant.len()));
        let sign = if value < 0 { "-" } else { "" };
        let point = if rest.is_empty() { "" } else { "." };
        let shown = format!("{sign}{first}{point}{rest}E+{}", digits.len() - 1);
        return Err(InputError::new(field, shown, InputProblem::ExcelScientific));
    }
    Ok(text)
}

/// At most this many digits in a number field: no count, price or score comes near it, and it
/// keeps every accepted value far inside `i64`.
pub const NUMBER_DIGITS_MAX: usize = 15;

/// A whole number, strictly: an optional sign and ASCII or full-width digits, nothing else.
/// `1.5` is refused (never 15), `八十` and `1,000` are refused, empty is refused.
pub fn number(raw: &str, field: Field) -> Result<i64, InputError> {
    let value = code(raw);
    let refuse = |problem| Err(InputError::new(field, value.clone(), problem));
    if value.is_empty() {
        return refuse(InputProblem::Empty);
    }
    let (negative, digits) = match value.as_bytes()[0] {
        b'-' => (true, &value[1..]),
        b'+' => (false, &value[1..]),
        _ => (false, value.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return refuse(InputProblem::NotWholeNumber);
    }
    if digits.trim_start_matches('0').len() > NUMBER_DIGITS_MAX {
        return refuse(InputProblem::TooLarge);
    }
    let magnitude: i64 = match digits.parse() {
        Ok(n) => n,
        Err(_) => return refuse(InputProblem::TooLarge),
    };
    Ok(if negative { -magnitude } else { magnitude })
}

/// A number that counts something (an award's or a session's number, a year): as
/// [`number`], and more than zero.
pub fn count(raw: &str, field: Field) -> Result<u64, InputError> {
    let n = number(raw, field)?;
    u64::try_from(n)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| InputError::new(field, code(raw), InputProblem::NotPositive))
}

/// An amount in yuan as typed (`12`, `12.5`, `12.50`, `０.05`) in fen: digits with at most two
/// after the decimal point, never negative. Money is kept in fen (integers) from here on.
pub fn yuan(raw: &str, field: Field) -> Result<i64, InputError> {
    let value = code(raw);
    let refuse = |problem| Err(InputError::new(field, value.clone(), problem));
    if value.is_empty() {
        return refuse(InputProblem::Empty);
    }
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || fraction.len() > 2
        || !digits(whole)
        || !digits(fraction)
    {
        return refuse(InputProblem::NotYuan);
    }
    if whole.trim_start_matches('0').len() > NUMBER_DIGITS_MAX {
        return refuse(InputProblem::TooLarge);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().or(refuse(InputProblem::TooLarge))?
    };
    let fen: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().unwrap_or(0) * 10,
        _ => fraction.parse().unwrap_or(0),
    };
    match whole.checked_mul(100).and_then(|w| w.checked_add(fen)) {
        Some(total) => Ok(total),
        None => refuse(InputProblem::TooLarge),
    }
}

/// Yes or no, as sheets write it: 是/否, √/×, yes/no, true/false, y/n, 1/0; empty is no.
pub fn flag(raw: &str, field: Field) -> Result<bool, InputError> {
    let value = code(raw);
    match value.to_lowercase().as_str() {
        "是" | "√" | "✓" | "✔" | "yes" | "y" | "true" | "1" | "有" => Ok(true),
        "否" | "×" | "✗" | "x" | "no" | "n" | "false" | "0" | "无" | "" => Ok(false),
        _ => Err(InputError::new(field, value, InputProblem::NotYesNo)),
    }
}

/// A shop zone: its points (`20`, `２０`, `20分`, `20分区`) or the donation zone
/// (`捐赠区`, `捐赠`, `donation`). Whether the policy has that zone is the domain's rule.
pub fn zone(raw: &str) -> Result<Zone, InputError> {
    let value = code(raw);
    let lower = value.to_lowercase();
    if matches!(lower.as_str(), "donation" | "捐赠" | "捐赠区") {
        return Ok(Zone::Donation);
    }
    let points = lower
        .trim_end_matches("zone")
        .trim_end_matches('区')
        .trim_end_matches("专")
        .trim_end_matches('分')
        .trim();
    match points.parse::<u32>() {
        Ok(z) if z > 0 && points.bytes().all(|b| b.is_ascii_digit()) => Ok(Zone::Points(z)),
        _ => Err(InputError::new(Field::Zone, value, InputProblem::NotZone)),
    }
}

/// The first day Excel's 1900 date system counts: serial 1 is 1900-01-01, but Excel also counts
/// a 29 February 1900 that never was, so from serial 61 on the count starts at 1899-12-30.
const EXCEL_SERIAL_UNIX_EPOCH: i64 = 25_569;

/// Serials this far apart (1954–2119) are what a date serial in a period column looks like.
const EXCEL_SERIAL_PLAUSIBLE: std::ops::RangeInclusive<i64> = 20_000..=80_000;

/// The China date of an Excel date serial (1900 system, serial 61 or later).
pub fn excel_serial_date(serial_days: i64) -> Option<CivilDate> {
    if serial_days < 61 {
        return None;
    }
    let ms = (serial_days - EXCEL_SERIAL_UNIX_EPOCH).checked_mul(86_400_000)?;
    Some(CivilDate::from_utc_ms(ms))
}

/// A scoring period of `kind`, in the one form the ledger keeps (`2026-11`, `2026-Q4`,
/// `2026-11-21`), from any form a village manager or a Chinese sheet writes it in, year first:
///
/// - a month: `2026-11`, `2026/11`, `2026.11`, `2026年11月`, `2026年11月份`, `2026-1`;
/// - a quarter: `2026-Q4`, `2026Q4`, `2026 q4`, `2026/Q4`, `2026年第4季度`, `2026年第四季度`,
///   `2026年4季度`;
/// - a day: `2026-11-21`, `2026/11/21`, `2026.11.21`, `2026年11月21日`, `2026-1-5`;
///
/// with full-width digits and spaces anywhere ([`code`]). Refused, with the form to write:
/// what Excel made of a period — a date serial (`46296`), a display date (`Oct-26`,
/// `10/1/2026`) or a whole day where a month or quarter is meant (`2026/10/1`) —
/// [`InputProblem::DateNotPeriod`]; anything else that is not a period of `kind` (`11/2026`,
/// `2026-13`, `26年11月`, `十月`) — [`InputProblem::NotPeriod`]; nothing — [`InputProblem::Empty`].
/// Source: PRODUCT.md, "Input is normalised once, at the edge".
pub fn period(raw: &str, kind: PeriodKind) -> Result<String, InputError> {
    let value = code(raw);
    if value.is_empty() {
        return Err(InputError::new(Field::Period, value, InputProblem::Empty));
    }
    if parse_period(&value, kind).is_some() {
        return Ok(value);
    }
    let compact: String = value.chars().filter(|c| !is_blank(*c)).collect();
    let written = year_first(&compact);
    // `2026.1` may be `2026.10` that a sheet kept as the number 2026.1: never read as January.
    let lost_zero = compact.len() == 6 && compact.as_bytes()[4] == b'.';
    let key = match (kind, written) {
        (PeriodKind::Quarter, _) => written_quarter(&compact),
        (PeriodKind::Month, Some((year, month, None))) if !lost_zero => month_key(year, month),
        (PeriodKind::Day, Some((year, month, Some(day)))) => {
            day_of(year, month, day).map(|d| d.to_string())
        }
        _ => None,
    };
    if let Some(key) = key {
        return Ok(key);
    }
    let problem = match written {
        // A whole day where a month or a quarter is meant: what Excel makes of `2026-10`.
        Some((year, month, Some(day))) if kind != PeriodKind::Day => match day_of(year, month, day)
        {
            Some(date) => InputProblem::DateNotPeriod {
                suggested: Some(date.period(kind).0),
                kind,
            },
            None => InputProblem::NotPeriod { kind },
        },
        Some(_) => InputProblem::NotPeriod { kind },
        None => match date_parts(&value) {
            Some(parts) => InputProblem::DateNotPeriod {
                suggested: parts.period(kind),
                kind,
            },
            None => InputProblem::NotPeriod { kind },
        },
    };
    Err(InputError::new(Field::Period, value, problem))
}

/// The period of `kind` an Excel date cell in a period column stands for: the day itself
/// where the policy scores days; refused with the period to write where it scores months or
/// quarters (Excel turned `2026-10` into the date 2026-10-01, and could as well have turned
/// `10-26` into one).
pub fn period_of_date_cell(date: CivilDate, kind: PeriodKind) -> Result<String, InputError> {
    match kind {
        PeriodKind::Day => Ok(date.to_string()),
        PeriodKind::Month | PeriodKind::Quarter => Err(InputError::new(
            Field::Period,
            date.to_string(),
            InputProblem::DateNotPeriod {
                suggested: Some(period_of_date(date, kind)),
                kind,
            },
        )),
    }
}

/// A calendar day (`--date`, `--confirm-date`) from any form [`period`] reads a day in:
/// `2026-11-21`, `2026/11/21`, `2026.11.21`, `2026年11月21日`, `2026-1-5`, full-width digits
/// and spaces. Anything else is refused with [`InputProblem::NotDate`], which names the form.
pub fn date(raw: &str, field: Field) -> Result<CivilDate, InputError> {
    let value = code(raw);
    if value.is_empty() {
        return Err(InputError::new(field, value, InputProblem::Empty));
    }
    let compact: String = value.chars().filter(|c| !is_blank(*c)).collect();
    match year_first(&compact) {
        Some((year, month, Some(day))) => day_of(year, month, day),
        _ => None,
    }
    .ok_or_else(|| InputError::new(field, value, InputProblem::NotDate))
}

/// The first year a year argument may name: nothing in any ledger is older (the clock check
/// refuses earlier times), and a CMOS reset shows as 2000.
pub const YEAR_FIRST: i32 = 2000;
/// The last year a year argument may name.
pub const YEAR_LAST: i32 = 2100;

/// A calendar year (`--year`, `close-year YEAR`): `2026`, `２０２６`, `2026年`, from
/// [`YEAR_FIRST`] to [`YEAR_LAST`]. A two-digit year (`26`), a year out of range or anything
/// else is refused with [`InputProblem::NotYear`]; `1.5` with [`InputProblem::NotWholeNumber`].
pub fn year(raw: &str) -> Result<i32, InputError> {
    let value = code(raw);
    let digits = value
        .strip_suffix('年')
        .unwrap_or(&value)
        .trim_matches(is_blank);
    let n = number(digits, Field::Year).map_err(|e| InputError {
        value: value.clone(),
        ..e
    })?;
    i32::try_from(n)
        .ok()
        .filter(|y| (YEAR_FIRST..=YEAR_LAST).contains(y) && digits.len() == 4)
        .ok_or_else(|| InputError::new(Field::Year, value, InputProblem::NotYear))
}

/// `2026-11`, `2026/11/21`, `2026.11`, `2026年11月`, `2026年11月21日`: a four-digit year first,
/// then a month of one or two digits and perhaps a day, with one separator throughout
/// (`-`, `/` or `.`) or 年/月/日. Not checked beyond the digits: see [`month_key`], [`day_of`].
fn year_first(s: &str) -> Option<(i32, u32, Option<u32>)> {
    let (year, rest) = (s.get(..4)?, s.get(4..)?);
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (month, day) = if let Some(rest) = rest.strip_prefix('年') {
        let (month, rest) = rest.split_once('月')?;
        let day = match rest {
            "" | "份" => None,
            day => Some(day.strip_suffix(['日', '号']).unwrap_or(day)),
        };
        (month, day)
    } else {
        let separator = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '-' | '/' | '.'))?;
        let mut parts = rest[1..].split(separator);
        let month = parts.next()?;
        let day = parts.next();
        if parts.next().is_some() {
            return None;
        }
        (month, day)
    };
    let small = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !small(month) || day.is_some_and(|d| !small(d)) {
        return None;
    }

    Some((
        year.parse().ok()?,
        month.parse().ok()?,
        day.and_then(|d| d.parse().ok()),
    ))
}

/// `2026-11` for a real month.
fn month_key(year: i32, month: u32) -> Option<String> {
    (1..=12)
        .contains(&month)
        .then(|| format!("{year:04}-{month:02}"))
}

/// The day, if the calendar has it (not 2026-02-30).
fn day_of(year: i32, month: u32, day: u32) -> Option<CivilDate> {
    CivilDate::parse(&CivilDate { year, month, day }.to_string())
}

/// `2026-Q4`, `2026Q4`, `2026/Q4`, `2026年Q4`, `2026年第4季度`, `2026年第四季度`, `2026年4季`,
/// `2026年第四季` as `2026-Q4`.
fn written_quarter(s: &str) -> Option<String> {
    let (year, rest) = (s.get(..4)?, s.get(4..)?);
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let upper = rest.to_uppercase();
    let number = if let Some(rest) = upper.strip_prefix('年') {
        match rest.strip_prefix('Q') {
            Some(n) => n.to_string(),
            None => {
                let rest = rest.strip_prefix('第').unwrap_or(rest);
                let rest = rest.strip_suffix('度').unwrap_or(rest);
                rest.strip_suffix("季")?.to_string()
            }
        }
    } else {
        let rest = upper.strip_prefix(['-', '/', '.']).unwrap_or(&upper);
        rest.strip_prefix('Q')?.to_string()
    };
    let quarter = match number.as_str() {
        "1" | "一" => 1,
        "2" | "二" => 2,
        "3" | "三" => 3,
        "4" | "四" => 4,
        _ => return None,
    };
    Some(format!("{year}-Q{quarter}"))
}

/// The period a date stands for, once the date is known (an Excel date cell).
pub fn period_of_date(date: CivilDate, kind: PeriodKind) -> String {
    date.period(kind).0
}

/// What a date-like text says: the year and month when certain, the day when given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DateParts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl DateParts {
    fn period(self, kind: PeriodKind) -> Option<String> {
        let (year, month) = (self.year?, self.month?);
        let day = match (kind, self.day) {
            (PeriodKind::Day, None) => return None,
            (_, day) => day.unwrap_or(1),
        };
        let date = CivilDate { year, month, day };
        CivilDate::parse(&date.to_string())?;
        Some(date.period(kind).0)
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_name(token: &str) -> Option<u32> {
    let lower = token.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn year_of(token: &str) -> Option<i32> {
    let n: i32 = token.parse().ok()?;
    match token.len() {
        2 => Some(2000 + n),
        4 if (1900..=2200).contains(&n) => Some(n),
        _ => None,
    }
}

/// Recognises the dates Excel writes or shows: a serial, `Oct-26`, `26-Oct`, `2026/10/1`,
/// `2026/10`, `2026年10月1日`, `2026-10-01 0:00`, `2026.10.01`. `None` for anything else.
fn date_parts(value: &str) -> Option<DateParts> {
    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
        let serial: i64 = value.parse().ok()?;
        if EXCEL_SERIAL_PLAUSIBLE.contains(&serial) {
            let date = excel_serial_date(serial)?;
            return Some(DateParts {
                year: Some(date.year),
                month: Some(date.month),
                day: Some(date.day),
            });
        }
        return None;
    }
    // A time after the date (`2026-10-01 0:00`, `2026/10/1 00:00:00`) says nothing more.
    let date_text = match value.split_once(' ') {
        Some((date, time)) if time.contains(':') => date,
        _ => value,
    };
    let tokens: Vec<&str> = date_text
        .split(['-', '/', ' ', '.', '年', '月', '日'])
        .filter(|t| !t.is_empty())
        .collect();
    let separated =
        date_text.contains(['/', '年', '.']) || tokens.iter().any(|t| month_name(t).is_some());
    if !(2..=3).contains(&tokens.len()) || !(separated || date_text.contains('-')) {
        return None;
    }
    let numbers: Vec<Option<u32>> = tokens.iter().map(|t| t.parse().ok()).collect();
    if let Some(at) = tokens.iter().position(|t| month_name(t).is_some()) {
        let month = month_name(tokens[at]);
        let others: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, t)| *t)
            .collect();
        if !others.iter().all(|t| t.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        // `Oct-26` (mmm-yy) names a year; `26-Oct` (d-mmm) names a day of an unknown year.
        let year = match (at, others.as_slice()) {
            (0, [y]) => year_of(y),
            (_, [.., y]) if y.len() == 4 => year_of(y),
            _ => None,
        };
        return Some(DateParts {
            year,
            month,
            day: None,
        });
    }
    if numbers.iter().any(Option::is_none) {
        return None;
    }
    let n: Vec<u32> = numbers.into_iter().flatten().collect();
    if tokens[0].len() == 4 {
        // Year first: 2026/10/1, 2026年10月, 2026.10.01 — but 2026-10 is already a period.
        if !separated && tokens.len() == 2 {
            return None;
        }
        let month = n.get(1).copied().filter(|m| (1..=12).contains(m));
        return Some(DateParts {
            year: year_of(tokens[0]),
            month,
            day: n.get(2).copied(),
        });
    }
    if tokens.len() == 3 && tokens[2].len() == 4 && separated {
        // 10/1/2026 or 1/10/2026: the year is certain, the month only when one part is over 12.
        let month = match (n[0], n[1]) {
            (a, b) if a > 12 && b <= 12 => Some(b),
            (a, b) if b > 12 && a <= 12 => Some(a),
            _ => None,
        };
        return Some(DateParts {
            year: year_of(tokens[2]),
            month,
            day: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_codes_become_ascii() {
        assert_eq!(code("ＬＪ９００３０６"), "LJ900306");
        assert_eq!(code("H３０６"), "H306");
        assert_eq!(code("　１３８０００００００６　"), "13800000006");
        assert_eq!(code(" LJ900307 "), "LJ900307");
        assert_eq!(code("\u{feff}H1\u{200b}"), "H1");
        assert_eq!(code("２０２６－Ｑ４"), "2026-Q4");
        assert_eq!(code("LJ　01"), "LJ 01");
        assert_eq!(code("0305"), "0305", "leading zeros stay");
    }

    /// Found by fuzzing (fuzz/artifacts/csv_import): a quoted CSV cell holding a line break
    /// made a refusal two lines long.
    #[test]
    fn a_refused_value_is_quoted_on_one_short_line() {
        let value = format!("tr\"ue\nH0005,LJ100013,高英\r\t{}", "是".repeat(60));
        let e = InputError::new(Field::RegisteredPoor, value, InputProblem::NotYesNo);
        for lang in [Lang::Zh, Lang::En] {
            let message = e.message(lang);
            assert!(!message.contains(['\n', '\r', '\t']), "{message}");
            assert!(
                message.contains("\\nH0005") && message.contains('…'),
                "{message}"
            );
            assert!(message.chars().count() < 120, "{message}");
        }
        let short = InputError::new(Field::Score, "八十", InputProblem::NotWholeNumber);
        assert!(short.message(Lang::Zh).contains("“八十”"));
    }

    #[test]
    fn text_keeps_chinese_punctuation_and_inner_spaces() {
        assert_eq!(text(" 李　四 "), "李　四");
        assert_eq!(text("金龙鱼（非转基因）５L×2"), "金龙鱼（非转基因）5L×2");
        assert_eq!(text("Ｚｈａｎｇ San "), "Zhang San");
        assert_eq!(
            names("李梅;张小龙、 王五 ；"),
            vec!["李梅", "张小龙", "王五"]
        );
    }

    #[test]
    fn numbers_are_strict() {
        assert_eq!(number("85", Field::Score), Ok(85));
        assert_eq!(number("８５", Field::Score), Ok(85));
        assert_eq!(number(" -3 ", Field::StockDelta), Ok(-3));
        assert_eq!(number("+2", Field::Quantity), Ok(2));
        assert_eq!(number("007", Field::Quantity), Ok(7));
        let problem = |raw: &str| number(raw, Field::Quantity).err().map(|e| e.problem);
        assert_eq!(problem("1.5"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem("１．５"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem(""), Some(InputProblem::Empty));
        assert_eq!(problem("  "), Some(InputProblem::Empty));
        assert_eq!(problem("八十"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem("1,000"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem("-"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem("12a"), Some(InputProblem::NotWholeNumber));
        assert_eq!(problem("9999999999999999"), Some(InputProblem::TooLarge));
        let message = number("1.5", Field::Quantity)
            .err()
            .map(|e| e.message(Lang::En))
            .unwrap_or_default();
        assert!(
            message.contains("quantity '1.5' is not a whole number"),
            "{message}"
        );
        let message = number("", Field::Score)
            .err()
            .map(|e| e.message(Lang::Zh))
            .unwrap_or_default();
        assert!(message.contains("得分不能为空"), "{message}");
    }

    #[test]
    fn money_is_typed_in_yuan_and_kept_in_fen() {
        let f = Field::CostYuan;
        assert_eq!(yuan("12", f), Ok(1200));
        assert_eq!(yuan("12.5", f), Ok(1250));
        assert_eq!(yuan("0.05", f), Ok(5));
        assert_eq!(yuan(".5", f), Ok(50));
        assert_eq!(yuan("１２０．５０", f), Ok(12_050));
        let problem = |raw: &str| yuan(raw, f).err().map(|e| e.problem);
        assert_eq!(problem("1.234"), Some(InputProblem::NotYuan));
        assert_eq!(problem("."), Some(InputProblem::NotYuan));
        assert_eq!(problem("-1"), Some(InputProblem::NotYuan));
        assert_eq!(problem("12元"), Some(InputProblem::NotYuan));
        assert_eq!(problem(""), Some(InputProblem::Empty));
        assert_eq!(
            problem("99999999999999999999"),
            Some(InputProblem::TooLarge)
        );
    }

    #[test]
    fn counts_are_positive_whole_numbers() {
        assert_eq!(count("７", Field::AwardNumber), Ok(7));
        assert_eq!(
            count("0", Field::AwardNumber).err().map(|e| e.problem),
            Some(InputProblem::NotPositive)
        );
        assert_eq!(
            count("-2", Field::Year).err().map(|e| e.problem),
            Some(InputProblem::NotPositive)
        );
        assert_eq!(
            count("2.5", Field::Year).err().map(|e| e.problem),
            Some(InputProblem::NotWholeNumber)
        );
    }

    #[test]
    fn a_workbook_number_excel_has_rounded_is_refused_as_its_scientific_text_is() {
        let refused = |value: i64| {
            whole_number_code(value, Field::Barcode)
                .err()
                .map(|e| e.message(Lang::En))
        };
        assert_eq!(
            refused(6_920_910_000_000).as_deref(),
            Some("barcode 6.92091E+12 looks like Excel scientific notation; format the column as Text and type the barcode again")
        );
        assert!(refused(6_900_000_000_000).is_some_and(|m| m.contains(" 6.9E+12 ")));
        assert!(refused(100_000_000_000).is_some_and(|m| m.contains(" 1E+11 ")));
        // Whole barcodes, phones and short ids are kept as their digits.
        for value in [
            6_920_907_562_293,
            6_910_123_614_616,
            13_800_138_000,
            690_000,
            101,
        ] {
            assert_eq!(
                whole_number_code(value, Field::Barcode).ok(),
                Some(value.to_string())
            );
        }
    }

    #[test]
    fn excel_scientific_notation_is_refused_with_the_fix() {
        let err = checked_code("6.91012E+12", Field::Barcode).err();
        let en = err
            .as_ref()
            .map(|e| e.message(Lang::En))
            .unwrap_or_default();
        assert!(
            en.contains("6.91012E+12 looks like Excel scientific notation; format the column as Text and type the barcode again"),
            "{en}"
        );
        let zh = err.map(|e| e.message(Lang::Zh)).unwrap_or_default();
        assert!(zh.contains("科学计数法") && zh.contains("文本"), "{zh}");
        assert!(checked_code("1.38E+10", Field::Phone).is_err());
        assert!(checked_code("６．９１０１２Ｅ＋１２", Field::Barcode).is_err());
        assert!(checked_code("6E-05", Field::CardNo).is_err());
        assert_eq!(checked_code("2E10", Field::HouseholdId), Ok("2E10".into()));
        assert_eq!(checked_code("E+12", Field::HouseholdId), Ok("E+12".into()));
        assert_eq!(
            checked_code("6910123614616", Field::Barcode),
            Ok("6910123614616".into())
        );
    }

    #[test]
    fn dates_in_a_period_column_are_refused_with_the_period_to_write() {
        let suggested = |raw: &str, kind| match period(raw, kind) {
            Err(InputError {
                problem: InputProblem::DateNotPeriod { suggested, .. },
                ..
            }) => Some(suggested),
            _ => None,
        };
        assert_eq!(
            suggested("46296", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(
            suggested("46296", PeriodKind::Day),
            Some(Some("2026-10-01".into()))
        );
        assert_eq!(
            suggested("46296", PeriodKind::Quarter),
            Some(Some("2026-Q4".into()))
        );
        assert_eq!(
            suggested("Oct-26", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(
            suggested("oct 2026", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(suggested("26-Oct", PeriodKind::Month), Some(None));
        assert_eq!(
            suggested("2026/10/1", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(
            suggested("2026/10/1", PeriodKind::Quarter),
            Some(Some("2026-Q4".into()))
        );
        assert_eq!(
            suggested("2026-10-01", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(
            suggested("2026-10-01 0:00", PeriodKind::Day),
            Some(Some("2026-10-01".into()))
        );
        assert_eq!(
            suggested("10/13/2026", PeriodKind::Month),
            Some(Some("2026-10".into()))
        );
        assert_eq!(suggested("10/1/2026", PeriodKind::Month), Some(None));
        let en = period("46296", PeriodKind::Month)
            .err()
            .map(|e| e.message(Lang::En))
            .unwrap_or_default();
        assert!(
            en.contains("format the column as Text and write 2026-10"),
            "{en}"
        );
        assert_eq!(
            period("２０２６－１０", PeriodKind::Month),
            Ok("2026-10".into())
        );
        assert_eq!(
            period(" 2026-Q4 ", PeriodKind::Quarter),
            Ok("2026-Q4".into())
        );
        assert_eq!(
            period("2026-10-21", PeriodKind::Day),
            Ok("2026-10-21".into())
        );
    }

    /// The trial: `--period 2026/11` was refused with the Excel hint. Every way a village
    /// manager or a Chinese sheet writes a month (a quarter, a day) is that period.
    #[test]
    fn a_period_is_read_in_every_form_it_is_written() {
        let month = |raw: &str| period(raw, PeriodKind::Month);
        for raw in [
            "2026-11",
            "2026/11",
            "2026.11",
            "2026年11月",
            "2026年11月份",
            "２０２６／１１",
            "２０２６年１１月",
            " 2026 / 11 ",
            "2026 年 11 月",
            "\u{3000}2026.11\u{3000}",
        ] {
            assert_eq!(month(raw), Ok("2026-11".into()), "{raw:?}");
        }
        assert_eq!(month("2026/1"), Ok("2026-01".into()));
        assert_eq!(month("2026年1月"), Ok("2026-01".into()));
        assert_eq!(month("2026.01"), Ok("2026-01".into()));
        let quarter = |raw: &str| period(raw, PeriodKind::Quarter);
        for raw in [
            "2026-Q4",
            "2026Q4",
            "2026q4",
            "2026 Q4",
            "2026/Q4",
            "2026年Q4",
            "2026年第4季度",
            "2026年第四季度",
            "2026年4季度",
            "2026年第四季",
            "２０２６－Ｑ４",
            "２０２６年第４季度",
        ] {
            assert_eq!(quarter(raw), Ok("2026-Q4".into()), "{raw:?}");
        }
        let day = |raw: &str| period(raw, PeriodKind::Day);
        for raw in [
            "2026-11-21",
            "2026/11/21",
            "2026.11.21",
            "2026年11月21日",
            "2026年11月21号",
            "２０２６／１１／２１",
        ] {
            assert_eq!(day(raw), Ok("2026-11-21".into()), "{raw:?}");
        }
        assert_eq!(day("2026/1/5"), Ok("2026-01-05".into()));
        assert_eq!(
            period_of_date_cell(
                CivilDate {
                    year: 2026,
                    month: 11,
                    day: 21
                },
                PeriodKind::Day
            ),
            Ok("2026-11-21".into())
        );
    }

    /// What is ambiguous or mangled is still refused, and not with the Excel hint unless Excel
    /// is the likely cause; the message names the form to write, in Chinese and English.
    #[test]
    fn what_is_not_a_period_is_refused_naming_the_form() {
        let problem = |raw: &str, kind| period(raw, kind).err().map(|e| e.problem);
        let not = |kind| Some(InputProblem::NotPeriod { kind });
        let m = PeriodKind::Month;
        for raw in [
            "11/2026",
            "2026-13",
            "2026/13",
            "2026年13月",
            "2026-0",
            "26/11",
            "26年11月",
            "十月",
            "12345",
            "202611",
            "2026",
            "2026.1",
            "2026-11-",
            "2026-Q4",
        ] {
            assert_eq!(problem(raw, m), not(m), "{raw:?}");
        }
        assert_eq!(problem("", m), Some(InputProblem::Empty));
        let q = PeriodKind::Quarter;
        for raw in [
            "2026-Q5",
            "2026年第五季度",
            "2026-11",
            "2026年11月",
            "Q4 2026",
            "2026-Q",
        ] {
            assert_eq!(problem(raw, q), not(q), "{raw:?}");
        }
        let d = PeriodKind::Day;
        for raw in ["2026-02-30", "2026/11", "21/11/2026x", "2026年11月32日"] {
            assert_eq!(problem(raw, d), not(d), "{raw:?}");
        }
        // Excel's own forms keep their hint.
        assert!(matches!(
            problem("46296", m),
            Some(InputProblem::DateNotPeriod { .. })
        ));
        assert!(matches!(
            problem("2026/11/1", m),
            Some(InputProblem::DateNotPeriod { .. })
        ));
        let e = period("11/2026", m).err();
        let zh = e.as_ref().map(|e| e.message(Lang::Zh)).unwrap_or_default();
        assert_eq!(
            zh,
            "评分周期“11/2026”格式不对；请写成 2026-11（也可写 2026/11、2026.11、2026年11月）"
        );
        let en = e.map(|e| e.message(Lang::En)).unwrap_or_default();
        assert_eq!(
            en,
            "period '11/2026' is not a month; write 2026-11 (or 2026/11, 2026.11, 2026年11月)"
        );
        assert!(!zh.contains("文本") && !en.contains("Excel"));
    }

    #[test]
    fn dates_and_years_are_read_in_every_form_they_are_written() {
        let day = CivilDate {
            year: 2026,
            month: 11,
            day: 21,
        };
        for raw in [
            "2026-11-21",
            "2026/11/21",
            "2026.11.21",
            "2026年11月21日",
            "２０２６－１１－２１",
            " 2026 / 11 / 21 ",
        ] {
            assert_eq!(date(raw, Field::Date), Ok(day), "{raw:?}");
        }
        for raw in [
            "21/11/2026",
            "2026-11",
            "2026-02-30",
            "46347",
            "明天",
            "2026-11-21 8:00",
        ] {
            assert_eq!(
                date(raw, Field::Date).err().map(|e| e.problem),
                Some(InputProblem::NotDate),
                "{raw:?}"
            );
        }
        let zh = date("21/11/2026", Field::Date)
            .err()
            .map(|e| e.message(Lang::Zh))
            .unwrap_or_default();
        assert!(
            zh.starts_with("日期“21/11/2026”不是日期；请写成 2026-11-21"),
            "{zh}"
        );
        for raw in ["2026", "２０２６", "2026年", " 2026 "] {
            assert_eq!(year(raw), Ok(2026), "{raw:?}");
        }
        for raw in ["26", "1999", "2101", "02026", "0", "-2026", "二〇二六"] {
            assert!(
                matches!(
                    year(raw).err().map(|e| e.problem),
                    Some(InputProblem::NotYear | InputProblem::NotWholeNumber)
                ),
                "{raw:?}"
            );
        }
        assert_eq!(
            year("2026.5").err().map(|e| e.problem),
            Some(InputProblem::NotWholeNumber)
        );
        assert_eq!(
            year("1999").err().map(|e| e.message(Lang::En)),
            Some(
                "year '1999' is not a year; write a four-digit year from 2000 to 2100, e.g. 2026"
                    .into()
            )
        );
    }

    #[test]
    fn excel_serials_are_dates() {
        let d = excel_serial_date(46296);
        assert_eq!(d.map(|d| d.to_string()), Some("2026-10-01".to_string()));
        assert_eq!(
            excel_serial_date(61).map(|d| d.to_string()),
            Some("1900-03-01".to_string())
        );
        assert_eq!(excel_serial_date(60), None);
    }

    #[test]
    fn flags_and_zones() {
        assert_eq!(flag("是", Field::RegisteredPoor), Ok(true));
        assert_eq!(flag(" √ ", Field::RegisteredPoor), Ok(true));
        assert_eq!(flag("ＴＲＵＥ", Field::RegisteredPoor), Ok(true));
        assert_eq!(flag("", Field::RegisteredPoor), Ok(false));
        assert_eq!(flag("否", Field::RegisteredPoor), Ok(false));
        assert!(flag("也许", Field::RegisteredPoor).is_err());
        assert_eq!(zone("20"), Ok(Zone::Points(20)));
        assert_eq!(zone("２０分"), Ok(Zone::Points(20)));
        assert_eq!(zone("20分区"), Ok(Zone::Points(20)));
        assert_eq!(zone("捐赠区"), Ok(Zone::Donation));
        assert_eq!(zone("Donation"), Ok(Zone::Donation));
        assert!(zone("0").is_err());
        assert!(zone("x").is_err());
        assert!(zone("-5").is_err());
    }

    #[test]
    fn every_field_has_a_name_and_a_kind() {
        for field in [
            Field::HouseholdId,
            Field::Score,
            Field::Head,
            Field::RegisteredPoor,
        ] {
            assert!(!field.name(Lang::Zh).is_empty() && !field.name(Lang::En).is_empty());
        }
        assert_eq!(Field::Barcode.kind(), FieldKind::Code);
        assert_eq!(Field::Quantity.kind(), FieldKind::Number);
    }

    /// Characters a Chinese input method, a scanner or a sheet may produce.
    fn field_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just(' '),
                Just('\u{3000}'),
                Just('\u{feff}'),
                Just('\t'),
                proptest::char::range('\u{ff01}', '\u{ff5e}'),
                proptest::char::range('!', '~'),
                proptest::char::range('\u{4e00}', '\u{4e40}'),
                Just('（'),
                Just('、'),
            ],
            0..24,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn normalising_twice_is_normalising_once(raw in field_text()) {
            let once = code(&raw);
            prop_assert_eq!(code(&once), once.clone());
            let once_text = text(&raw);
            prop_assert_eq!(text(&once_text), once_text);
            let once_names = names(&raw);
            prop_assert_eq!(names(&once_names.join(";")), once_names);
            if let Ok(p) = period(&raw, PeriodKind::Month) {
                prop_assert_eq!(period(&p, PeriodKind::Month), Ok(p.clone()));
            }
            if let Ok(c) = checked_code(&raw, Field::Barcode) {
                prop_assert_eq!(checked_code(&c, Field::Barcode), Ok(c.clone()));
            }
        }

        #[test]
        fn codes_are_ascii_where_full_width_was_typed(raw in field_text()) {
            let c = code(&raw);
            let wide = c.chars().any(|ch| ('\u{ff01}'..='\u{ff5e}').contains(&ch) || ch == '\u{3000}');
            prop_assert!(!wide, "full-width left in {:?}", c);
            prop_assert!(c.chars().next().is_none_or(|ch| !is_blank(ch)));
            prop_assert!(c.chars().last().is_none_or(|ch| !is_blank(ch)));
        }

        #[test]
        fn numbers_read_what_was_written(n in -999_999_999_999_999i64..=999_999_999_999_999) {
            let wide: String = n.to_string().chars().map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 + 0xfee0).unwrap_or(c),
                '-' => '－',
                _ => c,
            }).collect();
            prop_assert_eq!(number(&n.to_string(), Field::Score), Ok(n));
            prop_assert_eq!(number(&wide, Field::Score), Ok(n));
            let decimal = format!("{n}.5");
            prop_assert!(number(&decimal, Field::Score).is_err());
        }
    }
}
