//! The day's log (当日流水): every event recorded on one China date, one line each, in Chinese
//! and English, with the day's totals. A till's X report (running) and Z report (closing) both
//! come from the same `DayRecord` that the ledger keeps in the transaction of each event, so the
//! printed log and the close-day figures can never disagree.

use serde::Serialize;

use super::table::{format_fen, render_text, AsTable, Table};
use crate::domain::event::DayTotals;
use crate::domain::time::{format_local, CivilDate};
use crate::domain::{Event, EventBody, Refusal, StationRole, StockSource};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// One day's log and its totals, as printed at the end of the day or reviewed by the monitor.
#[derive(Clone, Debug, Serialize)]
pub struct DayReport {
    /// The China date, `YYYY-MM-DD`.
    pub date: String,
    /// The station whose log this is.
    pub station_id: String,
    /// Running totals (X report), including anything after a close.
    pub totals: DayTotals,
    /// Frozen totals (Z report), once the day is closed.
    pub closed: Option<DayTotals>,
    /// One line per event, in sequence order.
    pub lines: Vec<LogLine>,
}

/// One event of the day as a readable line.
#[derive(Clone, Debug, Serialize)]
pub struct LogLine {
    /// The event's sequence number in the station's chain.
    pub seq: u64,
    /// China local time, `HH:MM`.
    pub time_local: String,
    /// Who was at the keyboard.
    pub operator: String,
    /// The event's stable kind name (`redeemed`, `stock_received`…).
    pub kind: String,
    /// What happened, in Chinese.
    pub summary_zh: String,
    /// What happened, in English.
    pub summary_en: String,
}

/// The log and totals of one China date (`YYYY-MM-DD`); a malformed date is refused.
pub fn day_report(view: &View, date: &str) -> Result<DayReport, StoreError> {
    view.require_meta()?;
    let day = CivilDate::parse(date)
        .filter(|d| d.to_string() == date.trim())
        .ok_or_else(|| StoreError::Refused(Refusal::BadPeriod(date.to_string())))?;
    let key = day.to_string();
    let record = view.state().day(&key)?.unwrap_or_default();
    let mut events = view.events_on(&key)?;
    events.sort_by_key(|e| e.seq);
    let lines = events
        .iter()
        .map(|e| log_line(view, e))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DayReport {
        date: key,
        station_id: view.station().to_string(),
        totals: record.totals,
        closed: record.closed,
        lines,
    })
}

fn log_line(view: &View, event: &Event) -> Result<LogLine, StoreError> {
    let stamp = format_local(event.time_ms);
    let time_local = stamp
        .split_once(' ')
        .map(|(_, t)| t.to_string())
        .unwrap_or(stamp);
    let (summary_zh, summary_en) = summarise(view, &event.body)?;
    Ok(LogLine {
        seq: event.seq,
        time_local,
        operator: event.operator.clone(),
        kind: event.body.kind().to_string(),
        summary_zh,
        summary_en,
    })
}

/// `id 户主` for a household, or just the id if it is unknown to this view.
fn household_label(view: &View, household_id: &str) -> Result<String, StoreError> {
    Ok(match view.state().household(household_id)? {
        Some(h) => format!("{household_id} {}", h.household.head),
        None => household_id.to_string(),
    })
}

/// A goods item's current name, or its id if it is unknown to this view.
fn goods_name(view: &View, goods_id: &str) -> Result<String, StoreError> {
    Ok(view
        .state()
        .goods(goods_id)?
        .map(|g| g.goods.name)
        .unwrap_or_else(|| goods_id.to_string()))
}

/// The (Chinese, English) sentence for one event.
fn summarise(view: &View, body: &EventBody) -> Result<(String, String), StoreError> {
    Ok(match body {
        EventBody::StationInitialized { name, policy, .. } => (
            format!("开站：{name}（{}）", policy.name),
            format!("station opened: {name} ({})", policy.name),
        ),
        EventBody::PolicySet { policy } => (
            format!("更换积分规则：{}", policy.name),
            format!("policy set: {}", policy.name),
        ),
        EventBody::HouseholdRegistered { household: h } => (
            format!("建档：{} {}，卡号 {}", h.household_id, h.head, h.card_no),
            format!(
                "household registered: {} {}, card {}",
                h.household_id, h.head, h.card_no
            ),
        ),
        EventBody::CardReissued {
            household_id,
            old_card_no,
            new_card_no,
        } => (
            format!("补卡：{household_id} {old_card_no} → {new_card_no}"),
            format!("card reissued: {household_id} {old_card_no} → {new_card_no}"),
        ),
        EventBody::GoodsDefined { goods } => {
            let zone_key = super::zone_key(goods.zone);
            (
                format!(
                    "物品：{} {} {} 分（{}）",
                    goods.goods_id,
                    goods.name,
                    goods.price_points,
                    super::zone_label(&zone_key, Lang::Zh)
                ),
                format!(
                    "goods defined: {} {} {} pt ({})",
                    goods.goods_id,
                    goods.name,
                    goods.price_points,
                    super::zone_label(&zone_key, Lang::En)
                ),
            )
        }
        EventBody::StockReceived {
            goods_id,
            quantity,
            source,
        } => {
            let name = goods_name(view, goods_id)?;
            let (zh, en) = match source {
                StockSource::Donation { donor } => {
                    (format!("捐赠：{donor}"), format!("donated by {donor}"))
                }
                StockSource::Purchase { fund, cost_fen } => (
                    format!("采购：{fund} {} 元", format_fen(*cost_fen)),
                    format!("bought from {fund} for {} yuan", format_fen(*cost_fen)),
                ),
                StockSource::Transfer { from } => {
                    (format!("调拨自 {from}"), format!("transfer from {from}"))
                }
            };
            (
                format!("入库：{name} ×{quantity}，{zh}"),
                format!("stock received: {name} ×{quantity}, {en}"),
            )
        }
        EventBody::StockAdjusted {
            goods_id,
            delta,
            reason,
        } => {
            let name = goods_name(view, goods_id)?;
            (
                format!("盘点调整：{name} {delta:+}，{reason}"),
                format!("stock adjusted: {name} {delta:+}, {reason}"),
            )
        }
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            ..
        } => {
            let who = household_label(view, household_id)?;
            (
                format!(
                    "评分：{who} {} 得 {score} 分 → {points} 积分（公示中）",
                    period.0
                ),
                format!(
                    "score entered: {who} {} scored {score} → {points} pt (in publicity)",
                    period.0
                ),
            )
        }
        EventBody::AwardConfirmed { award_seq } => {
            let award = view.state().award(*award_seq)?;
            let (who, points) = match award {
                Some(a) => (household_label(view, &a.household_id)?, a.points),
                None => (String::new(), 0),
            };
            (
                format!("确认积分 #{award_seq}：{who} +{points}"),
                format!("award #{award_seq} confirmed: {who} +{points} pt"),
            )
        }
        EventBody::AwardRevoked { award_seq, reason } => {
            let who = match view.state().award(*award_seq)? {
                Some(a) => household_label(view, &a.household_id)?,
                None => String::new(),
            };
            (
                format!("撤销积分 #{award_seq}：{who}，{reason}"),
                format!("award #{award_seq} revoked: {who}, {reason}"),
            )
        }
        EventBody::Redeemed {
            household_id,
            lines,
            total_points,
            proxy,
            ..
        } => {
            let who = household_label(view, household_id)?;
            let mut items = Vec::with_capacity(lines.len());
            for line in lines {
                items.push(format!(
                    "{}×{}",
                    goods_name(view, &line.goods_id)?,
                    line.quantity
                ));
            }
            let items = items.join(", ");
            let (proxy_zh, proxy_en) = match proxy {
                Some(p) => (format!("，{p} 代领"), format!(", collected by {p}")),
                None => (String::new(), String::new()),
            };
            (
                format!("兑换：{who} {items}，共 {total_points} 积分{proxy_zh}"),
                format!("redeemed: {who} {items}, {total_points} pt{proxy_en}"),
            )
        }
        EventBody::SaleVoided { sale_seq, reason } => {
            let points = view
                .state()
                .sale(*sale_seq)?
                .map(|s| s.total_points)
                .unwrap_or(0);
            (
                format!("作废兑换 #{sale_seq}：退回 {points} 积分，{reason}"),
                format!("sale #{sale_seq} voided: {points} pt returned, {reason}"),
            )
        }
        EventBody::YearCleared { year, cleared } => {
            let points: i64 = cleared.iter().map(|(_, p)| *p).sum();
            let count = cleared.len();
            (
                format!("年末清零 {year}：{count} 户，共 {points} 积分"),
                format!("year {year} cleared: {count} households, {points} pt"),
            )
        }
        EventBody::DayClosed { date, .. } => {
            (format!("日结 {date}"), format!("day closed: {date}"))
        }
        EventBody::StationEnrolled {
            station_id, role, ..
        } => {
            let (role_zh, role_en) = match role {
                StationRole::Village => ("村站", "village"),
                StationRole::Township => ("乡镇", "township"),
            };
            (
                format!("登记站点公钥：{station_id}（{role_zh}）"),
                format!("station enrolled: {station_id} ({role_en})"),
            )
        }
        EventBody::StationRevoked {
            station_id,
            from_ms,
        } => {
            let from = format_local(*from_ms);
            (
                format!("吊销站点公钥：{station_id}，自 {from} 起"),
                format!("station key revoked: {station_id}, from {from}"),
            )
        }
        EventBody::GoodsShipped {
            to_station,
            goods_id,
            quantity,
        } => {
            let name = goods_name(view, goods_id)?;
            (
                format!("发货：{name} ×{quantity} → {to_station}"),
                format!("goods shipped: {name} ×{quantity} → {to_station}"),
            )
        }
        EventBody::PolicyIssued { to_station, policy } => (
            format!("下发积分规则给 {to_station}：{}", policy.name),
            format!("policy issued to {to_station}: {}", policy.name),
        ),
        EventBody::HouseholdIssued {
            to_station,
            household: h,
        } => (
            format!("下发农户给 {to_station}：{} {}", h.household_id, h.head),
            format!(
                "household issued to {to_station}: {} {}",
                h.household_id, h.head
            ),
        ),
    })
}

/// The totals as (Chinese label, English label, value) rows, in print order.
fn totals_rows(t: &DayTotals) -> [(&'static str, &'static str, i64); 9] {
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    [
        ("兑换笔数", "sales", count(t.sales)),
        ("兑换积分", "points spent", t.points_spent),
        ("作废笔数", "voids", count(t.voids)),
        ("作废退回积分", "points voided", t.points_voided),
        ("售出件数（扣除作废）", "units sold (net)", t.units_sold),
        ("入库件数", "units received", t.units_received),
        ("评分条数", "scores entered", count(t.scores_entered)),
        ("确认积分", "points confirmed", t.points_confirmed),
        ("记录条数", "events", count(t.events)),
    ]
}

/// Whether anything but the event count changed after the Z report was frozen.
fn changed_after_close(running: &DayTotals, closed: &DayTotals) -> bool {
    DayTotals {
        events: 0,
        ..running.clone()
    } != DayTotals {
        events: 0,
        ..closed.clone()
    }
}

impl DayReport {
    /// The printable log: header, one line per event, then the X totals and, once the day is
    /// closed, the Z totals beside them, marked 已日结 / closed.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = render_text(&self.to_table(lang));
        if self.lines.is_empty() {
            out.push_str(lang.pick("（当天没有记录）\n", "(no events this day)\n"));
        }
        out.push('\n');
        let running = totals_rows(&self.totals);
        let mut headers = vec![
            lang.pick("当日合计", "day totals").to_string(),
            lang.pick("当前（X）", "running (X)").to_string(),
        ];
        let closed = self.closed.as_ref().map(totals_rows);
        if closed.is_some() {
            headers.push(lang.pick("日结（Z）", "closed (Z)").to_string());
        }
        let rows = running
            .iter()
            .enumerate()
            .map(|(i, (zh, en, value))| {
                let mut row = vec![lang.pick(zh, en).to_string(), value.to_string()];
                if let Some(z) = &closed {
                    row.push(z[i].2.to_string());
                }
                row
            })
            .collect();
        let status = match &self.closed {
            Some(_) => lang.pick("已日结", "closed"),
            None => lang.pick("未日结", "not closed"),
        };
        out.push_str(&render_text(&Table {
            title: status.to_string(),
            headers,
            rows,
        }));
        if let Some(z) = &self.closed {
            if changed_after_close(&self.totals, z) {
                out.push_str(lang.pick(
                    "注意：日结之后当天又有兑换、作废、入库或评分，当前合计与日结合计不同。\n",
                    "note: sales, voids, stock or scores were recorded after the close; running and closed totals differ.\n",
                ));
            }
        }
        out
    }
}

impl AsTable for DayReport {
    fn to_table(&self, lang: Lang) -> Table {
        let title = match lang {
            Lang::Zh => format!("{} 当日流水 {}", self.station_id, self.date),
            Lang::En => format!("{} day log {}", self.station_id, self.date),
        };
        let headers = [
            ("序号", "seq"),
            ("时间", "time"),
            ("操作员", "operator"),
            ("内容", "what happened"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        let rows = self
            .lines
            .iter()
            .map(|l| {
                let summary = match lang {
                    Lang::Zh => &l.summary_zh,
                    Lang::En => &l.summary_en,
                };
                vec![
                    l.seq.to_string(),
                    l.time_local.clone(),
                    l.operator.clone(),
                    summary.clone(),
                ]
            })
            .collect();
        Table {
            title,
            headers,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_alone_do_not_count_as_a_change_after_close() {
        let z = DayTotals {
            sales: 2,
            points_spent: 30,
            events: 9,
            ..DayTotals::default()
        };
        let x = DayTotals {
            events: 10,
            ..z.clone()
        };
        assert!(!changed_after_close(&x, &z));
        let later = DayTotals { sales: 3, ..x };
        assert!(changed_after_close(&later, &z));
    }

    #[test]
    fn unclosed_day_renders_running_totals_only() {
        let report = DayReport {
            date: "2026-10-01".into(),
            station_id: "lijia".into(),
            totals: DayTotals {
                sales: 1,
                points_spent: 10,
                events: 1,
                ..DayTotals::default()
            },
            closed: None,
            lines: vec![LogLine {
                seq: 7,
                time_local: "10:00".into(),
                operator: "张".into(),
                kind: "redeemed".into(),
                summary_zh: "兑换：H1 王 大米×1，共 10 积分".into(),
                summary_en: "redeemed: H1 王 rice×1, 10 pt".into(),
            }],
        };
        let zh = report.render(Lang::Zh);
        assert!(zh.contains("lijia 当日流水 2026-10-01"));
        assert!(zh.contains("未日结"));
        assert!(!zh.contains("日结（Z）"));
        let en = report.render(Lang::En);
        assert!(en.contains("redeemed: H1"));
        assert!(en.contains("not closed"));
    }
}
