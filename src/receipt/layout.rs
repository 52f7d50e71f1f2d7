//! A receipt as lines of text at a printer's width, pure: the same [`Receipt`] gives the same
//! lines on screen, in a file and on paper. Widths are counted as a thermal printer in Chinese
//! mode prints them: an ASCII character takes one column and every other character two (a GBK
//! printer prints each double-byte character double width, `·`, `×` and `—` included, which a
//! terminal may count as one). Every line fits the width: long names and fields wrap (at a
//! space when there is one), and a goods name wraps inside its column with the numbers on its
//! first line. Control characters in names are printed as spaces, so nothing typed into a name
//! can reach the printer as a command.

use super::{Print, Receipt, ReceiptKind, Width};
use crate::domain::time::format_local;
use crate::i18n::Lang;

/// The mark printed under the title of every copy (`aixin receipt print` and `reprint`, the
/// till's reprint key), in both languages whatever the till speaks.
pub const REPRINT_MARK: &str = "*** 重印 / REPRINT ***";

/// The mark printed under the title of a sale that was voided since.
pub const VOIDED_MARK: &str = "*** 已作废 / VOIDED ***";

/// The receipt as text: its lines, each ending in a newline.
pub fn text(receipt: &Receipt, width: Width, lang: Lang) -> String {
    let mut text = lines(receipt, width, lang).join("\n");
    text.push('\n');
    text
}

/// Columns a character takes on the printer.
pub fn char_columns(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Columns a text takes on the printer.
pub fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// The receipt as lines of at most `width` columns, without trailing spaces.
pub fn lines(receipt: &Receipt, width: Width, lang: Lang) -> Vec<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let unit = t("分", " pts");
    let mut paper = Paper::new(width.columns());
    let (title, before, after) = match receipt.kind {
        ReceiptKind::Sale { .. } => (
            t("积分兑换小票", "Points redemption receipt"),
            t("兑换前余额", "Balance before"),
            t("兑换后余额", "Balance after"),
        ),
        ReceiptKind::Void { .. } => (
            t("作废小票", "Void receipt"),
            t("作废前余额", "Balance before"),
            t("作废后余额", "Balance after"),
        ),
    };
    paper.center(&receipt.station_name);
    paper.center(title);
    if receipt.print == Print::Reprint {
        paper.center(REPRINT_MARK);
    }
    if receipt.kind == (ReceiptKind::Sale { voided: true }) {
        paper.center(VOIDED_MARK);
    }
    paper.rule();
    paper.field(t("站点：", "Station: "), &receipt.station_id);
    paper.field(
        t("小票号：", "Receipt No.: "),
        &receipt_number(receipt.receipt_no),
    );
    let sale_no = |seq: u64| format!("{}-{seq}", receipt.station_id);
    match &receipt.kind {
        ReceiptKind::Sale { .. } => paper.field(t("单号：", "Sale No.: "), &sale_no(receipt.seq)),
        ReceiptKind::Void {
            sale_seq,
            sale_receipt_no,
            reason,
        } => {
            paper.field(t("作废单号：", "Voids sale: "), &sale_no(*sale_seq));
            paper.field(
                t("原小票号：", "Sale receipt: "),
                &receipt_number(*sale_receipt_no),
            );
            paper.field(t("作废原因：", "Reason: "), reason);
        }
    }
    paper.field(t("时间：", "Time: "), &format_local(receipt.time_ms));
    let household = if receipt.head.is_empty() {
        receipt.household_id.clone()
    } else {
        format!("{} ({})", receipt.head, receipt.household_id)
    };
    paper.field(t("农户：", "Household: "), &household);
    paper.field(t("卡号：", "Card: "), &receipt.card_no);
    if let Some(proxy) = &receipt.proxy {
        paper.field(t("代领人：", "Collected by: "), proxy);
    }
    paper.rule();
    paper.goods(receipt, width, lang);
    paper.rule();
    let total = match receipt.kind {
        ReceiptKind::Sale { .. } => t("合计", "Total"),
        ReceiptKind::Void { .. } => t("退回积分", "Points returned"),
    };
    paper.spread(total, &format!("{}{unit}", receipt.total_points));
    paper.spread(before, &format!("{}{unit}", receipt.balance_before_points));
    paper.spread(after, &format!("{}{unit}", receipt.balance_after_points));
    if let ReceiptKind::Void { .. } = receipt.kind {
        let kept =
            receipt.total_points - (receipt.balance_after_points - receipt.balance_before_points);
        if kept > 0 {
            let note = match lang {
                Lang::Zh => format!("其中 {kept} 分属已清零的年度，不再退回"),
                Lang::En => format!("{kept} pts belong to a cleared year and stay cleared"),
            };
            paper.wrapped(&note);
        }
    }
    paper.field(t("经办人：", "Operator: "), &receipt.operator);
    paper.rule();
    paper.field(t("校验码：", "Check code: "), &receipt.code.to_string());
    if let ReceiptKind::Sale { .. } = receipt.kind {
        paper.center(t("谢谢！爱心传递，积分有价", "Thank you!"));
    }
    paper.lines
}

/// A receipt number as printed: six digits, so the paper's numbers line up.
pub fn receipt_number(receipt_no: u64) -> String {
    format!("{receipt_no:06}")
}

/// Lines being laid out at a width.
struct Paper {
    columns: usize,
    lines: Vec<String>,
}

impl Paper {
    fn new(columns: usize) -> Paper {
        Paper {
            columns,
            lines: Vec::new(),
        }
    }

    fn push(&mut self, line: String) {
        debug_assert!(columns(&line) <= self.columns, "{line}");
        self.lines.push(line.trim_end().to_string());
    }

    fn rule(&mut self) {
        self.push("-".repeat(self.columns));
    }

    /// `text` centred, wrapped when it is wider than the paper.
    fn center(&mut self, text: &str) {
        for piece in wrap(&clean(text), self.columns) {
            let left = (self.columns - columns(&piece)) / 2;
            self.push(format!("{}{piece}", " ".repeat(left)));
        }
    }

    /// `text` wrapped to the width.
    fn wrapped(&mut self, text: &str) {
        for piece in wrap(&clean(text), self.columns) {
            self.push(piece);
        }
    }

    /// `label` then `value`; what does not fit goes on, indented, on the next lines.
    fn field(&mut self, label: &str, value: &str) {
        let text = format!("{label}{}", clean(value));
        // The first piece of a wrap is always a beginning of the text.
        let first = wrap(&text, self.columns).swap_remove(0);
        let rest = text[first.len()..].trim_start();
        self.push(first);
        if !rest.is_empty() {
            for piece in wrap(rest, self.columns - 2) {
                self.push(format!("  {piece}"));
            }
        }
    }

    /// `left` at the left margin and `right` at the right one, or on two lines if they do not
    /// fit on one.
    fn spread(&mut self, left: &str, right: &str) {
        let gap = self.columns.saturating_sub(columns(left) + columns(right));
        if gap >= 1 {
            self.push(format!("{left}{}{right}", " ".repeat(gap)));
        } else {
            self.wrapped(left);
            self.push(pad_left(right, self.columns));
        }
    }

    /// The goods table: name, quantity, unit price and points per line.
    fn goods(&mut self, receipt: &Receipt, width: Width, lang: Lang) {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let (quantity_cols, price_cols, points_cols) = match width {
            Width::Mm58 => (5, 6, 7),
            Width::Mm80 => (6, 8, 10),
        };
        let name_cols = self.columns - quantity_cols - price_cols - points_cols;
        let row = |name: &str, quantity: &str, price: &str, points: &str| {
            format!(
                "{}{}{}{}",
                pad_right(name, name_cols),
                pad_left(quantity, quantity_cols),
                pad_left(price, price_cols),
                pad_left(points, points_cols)
            )
        };
        self.push(row(
            t("商品", "Item"),
            t("数量", "Qty"),
            t("单价", "Price"),
            t("积分", "Points"),
        ));
        for line in &receipt.lines {
            let pieces = wrap(&clean(&line.name), name_cols);
            let numbers = row(
                "",
                &line.quantity.to_string(),
                &line.price_points.to_string(),
                &line.points.to_string(),
            );
            let first = row(
                pieces.first().map_or("", String::as_str),
                &line.quantity.to_string(),
                &line.price_points.to_string(),
                &line.points.to_string(),
            );
            if columns(&first) <= self.columns {
                self.push(first);
                for piece in pieces.into_iter().skip(1) {
                    self.push(piece);
                }
            } else {
                // Numbers too long for their columns: the name, then the numbers on their own.
                for piece in pieces {
                    self.push(piece);
                }
                for piece in wrap(numbers.trim_start(), self.columns) {
                    self.push(pad_left(&piece, self.columns));
                }
            }
        }
    }
}

/// `text` with every control character (a newline in a reason, an escape in a name) as a space.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` padded with spaces on the right to `cols` columns (never cut).
fn pad_right(text: &str, cols: usize) -> String {
    format!("{text}{}", " ".repeat(cols.saturating_sub(columns(text))))
}

/// `text` padded with spaces on the left to `cols` columns (never cut).
fn pad_left(text: &str, cols: usize) -> String {
    format!("{}{text}", " ".repeat(cols.saturating_sub(columns(text))))
}

/// Punctuation that closes: a line never begins with one.
const CLOSING: &str = "，。、；：！？）】》」』〉”’,.;:!?)]}";

/// `text` in pieces of at most `cols` columns: broken after the last space that leaves the
/// word whole, else between any two characters (Chinese has no spaces to break at), but never
/// just before a closing mark.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut pieces = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        if columns(&line) + char_columns(c) > cols {
            if c == ' ' {
                pieces.push(std::mem::take(&mut line).trim_end().to_string());
                continue;
            }
            let carry = match line.rfind(' ') {
                Some(at) if at > 0 && columns(&line[at + 1..]) + char_columns(c) <= cols => {
                    let carry = line[at + 1..].to_string();
                    line.truncate(at);
                    carry
                }
                // A closing mark never starts a line (禁则): the character before it comes along.
                _ if CLOSING.contains(c) && line.chars().count() > 1 => match line.pop() {
                    Some(last) if char_columns(last) + char_columns(c) <= cols => last.to_string(),
                    Some(last) => {
                        line.push(last);
                        String::new()
                    }
                    None => String::new(),
                },
                _ => String::new(),
            };
            pieces.push(std::mem::replace(&mut line, carry).trim_end().to_string());
        }
        if line.is_empty() && c == ' ' && !pieces.is_empty() {
            continue;
        }
        line.push(c);
    }
    if !line.is_empty() || pieces.is_empty() {
        pieces.push(line.trim_end().to_string());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns_and_wraps_between_characters() {
        assert_eq!(columns("大米 5kg"), 8);
        assert_eq!(columns("×·—"), 6);
        assert_eq!(
            wrap("东北五常稻花香大米", 8),
            vec!["东北五常", "稻花香大", "米"]
        );
        assert_eq!(wrap("东北大米", 7), vec!["东北大", "米"]);
        assert_eq!(wrap("真空包装）5kg", 8), vec!["真空包", "装）5kg"]);
    }

    #[test]
    fn latin_words_wrap_at_spaces_and_a_long_word_is_cut() {
        assert_eq!(
            wrap("Washing powder 500g bag", 14),
            vec!["Washing powder", "500g bag"]
        );
        assert_eq!(
            wrap("Supercalifragilistic", 8),
            vec!["Supercal", "ifragili", "stic"]
        );
        assert_eq!(wrap("", 8), vec![""]);
    }

    #[test]
    fn control_characters_never_reach_the_paper() {
        assert_eq!(clean("张\u{1b}@三\n"), "张 @三 ");
    }
}
