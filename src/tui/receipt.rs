//! The sale receipt as plain text for a 58 mm receipt printer: 32 columns, a Chinese character
//! counting two, so it prints as it looks on screen. Built from the `Redeemed` event itself, so
//! the receipt shows exactly what the ledger recorded.

use crate::domain::event::{Event, EventBody};
use crate::domain::time::{format_local, CivilDate};
use crate::i18n::Lang;

use super::data::Data;
use super::text::{center, pad_left, pad_right, spread};

/// Receipt width in columns.
pub const RECEIPT_COLUMNS: usize = 32;

/// The receipt file name for a sale: `<date>-<seq>.txt` (China date).
pub fn file_name(event: &Event) -> String {
    format!(
        "{}-{}.txt",
        CivilDate::from_utc_ms(event.time_ms),
        event.seq
    )
}

/// The receipt text for a `Redeemed` event; `None` for any other event.
pub fn receipt(event: &Event, data: &Data, lang: Lang) -> Option<String> {
    let (household_id, card_no, lines, total_points, proxy) = match &event.body {
        EventBody::Redeemed {
            household_id,
            card_no,
            lines,
            total_points,
            proxy,
            ..
        }
        | EventBody::RedeemedV1 {
            household_id,
            card_no,
            lines,
            total_points,
            proxy,
        } => (household_id, card_no, lines, total_points, proxy),
        _ => return None,
    };
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let rule = "-".repeat(RECEIPT_COLUMNS);
    let mut out: Vec<String> = Vec::new();
    let station = data
        .meta
        .as_ref()
        .map(|m| m.name.clone())
        .unwrap_or_default();
    out.push(center(&station, RECEIPT_COLUMNS).trim_end().to_string());
    out.push(
        center(
            t("积分兑换小票", "Points redemption receipt"),
            RECEIPT_COLUMNS,
        )
        .trim_end()
        .to_string(),
    );
    out.push(rule.clone());
    let head = data
        .household(household_id)
        .map(|h| h.head.to_string())
        .unwrap_or_default();
    out.push(format!(
        "{}{}-{}",
        t("单号：", "No.: "),
        event.station_id,
        event.seq
    ));
    out.push(format!(
        "{}{}",
        t("时间：", "Time: "),
        format_local(event.time_ms)
    ));
    out.push(format!(
        "{}{} ({})",
        t("农户：", "Household: "),
        head,
        household_id
    ));
    out.push(format!("{}{}", t("卡号：", "Card: "), card_no));
    if let Some(p) = proxy {
        out.push(format!("{}{}", t("代领人：", "Collected by: "), p));
    }
    out.push(rule.clone());
    let (name_w, qty_w, price_w, sum_w) = (14, 5, 6, 7);
    out.push(format!(
        "{}{}{}{}",
        pad_right(t("商品", "Item"), name_w),
        pad_left(t("数量", "Qty"), qty_w),
        pad_left(t("单价", "Price"), price_w),
        pad_left(t("小计", "Sum"), sum_w)
    ));
    for line in lines {
        let name = data
            .goods_by_id(&line.goods_id)
            .map(|g| g.goods.name.clone())
            .unwrap_or_else(|| line.goods_id.clone());
        out.push(format!(
            "{}{}{}{}",
            pad_right(&name, name_w),
            pad_left(&line.quantity.to_string(), qty_w),
            pad_left(&line.price_points.to_string(), price_w),
            pad_left(
                &line.price_points.saturating_mul(line.quantity).to_string(),
                sum_w
            )
        ));
    }
    out.push(rule.clone());
    let unit = t("分", " pts");
    out.push(spread(
        t("合计", "Total"),
        &format!("{total_points}{unit}"),
        RECEIPT_COLUMNS,
    ));
    if let Some(h) = data.household(household_id) {
        out.push(spread(
            t("剩余积分", "Balance left"),
            &format!("{}{unit}", h.balance_points),
            RECEIPT_COLUMNS,
        ));
    }
    out.push(format!("{}{}", t("经办人：", "Operator: "), event.operator));
    out.push(rule);
    out.push(
        center(t("谢谢！爱心传递，积分有价", "Thank you!"), RECEIPT_COLUMNS)
            .trim_end()
            .to_string(),
    );
    let mut text = out
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    Some(text)
}
