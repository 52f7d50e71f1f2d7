//! The log (流水) and the till session's totals (日结: the X and Z reports). A till session is
//! what `close-day` closes: every event since the previous close, whatever the calendar says;
//! its totals are counted once, by the domain, as each event is applied, so the X report of the
//! open session and the Z report frozen at the close can never disagree. A calendar day is only
//! a view (`log --date`): its events and their totals counted by the same
//! [`count_event`](crate::domain::session::count_event). Every event is put into words here, once
//! ([`describe`]), for `aixin log`, the reports and the till's day screen alike; an event dated
//! by a clock that was fast, as a later clock correction found, is marked.

use serde::Serialize;

use super::table::{
    format_fen, render_sheet_width, render_text, signers, AsSheet, AsTable, Sheet, Table,
};
use crate::domain::event::SessionTotals;
use crate::domain::session::count_event;
use crate::domain::state::{SessionRecord, StationMeta};
use crate::domain::time::{format_local, CivilDate};
use crate::domain::{Event, EventBody, Refusal, StationRole, StockSource};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// One calendar day's log and the totals of its events (`aixin log --date`).
#[derive(Clone, Debug, Serialize)]
pub struct DayReport {
    /// The China date, `YYYY-MM-DD`.
    pub date: String,
    /// The station whose log this is.
    pub station_id: String,
    /// The day's events counted as a session would count them.
    pub totals: SessionTotals,
    /// The till sessions closed (Z reports) by events of this day.
    pub closes: Vec<u64>,
    /// One line per event, in sequence order.
    pub lines: Vec<LogLine>,
}

/// A till session's report: the open session (X) or a closed one (Z).
#[derive(Clone, Debug, Serialize)]
pub struct SessionReport {
    /// The station whose session this is.
    pub station_id: String,
    /// Its Z number (the number the open session will carry when closed).
    pub session_no: u64,
    /// Whether it is closed, and when.
    pub closed_ms: Option<i64>,
    /// Time of its first event, UTC ms (0 while empty).
    pub first_ms: i64,
    /// Seq range of its events (0, 0 while empty).
    pub first_seq: u64,
    /// Seq of its last event.
    pub last_seq: u64,
    /// Its totals: running (X) while open, frozen (Z) once closed.
    pub totals: SessionTotals,
    /// One line per event, in sequence order.
    pub lines: Vec<LogLine>,
}

/// One event as a readable line.
#[derive(Clone, Debug, Serialize)]
pub struct LogLine {
    /// The event's sequence number in the station's chain.
    pub seq: u64,
    /// China local date and time, `YYYY-MM-DD HH:MM`.
    pub time_local: String,
    /// Who was at the keyboard.
    pub operator: String,
    /// The event's stable kind name (`redeemed`, `stock_received`…).
    pub kind: String,
    /// What happened, in Chinese.
    pub summary_zh: String,
    /// What happened, in English.
    pub summary_en: String,
    /// Dated by a computer clock that a later correction found fast.
    pub fast_clock: bool,
}

impl LogLine {
    /// The summary in `lang`, marked when the clock was fast.
    pub fn summary(&self, lang: Lang) -> String {
        let text = lang.pick(&self.summary_zh, &self.summary_en);
        if self.fast_clock {
            format!(
                "{text}{}",
                lang.pick("（时钟偏快，时间不实）", " (fast clock: time not real)")
            )
        } else {
            text.to_string()
        }
    }

    /// `HH:MM` of the event, China time.
    pub fn clock_time(&self) -> &str {
        self.time_local
            .split_once(' ')
            .map_or(self.time_local.as_str(), |(_, t)| t)
    }
}

/// The log and totals of one China date (`YYYY-MM-DD`); a malformed date is refused.
pub fn day_report(view: &View, date: &str) -> Result<DayReport, StoreError> {
    let meta = view.require_meta()?;
    let day = CivilDate::parse(date)
        .filter(|d| d.to_string() == date.trim())
        .ok_or_else(|| StoreError::Refused(Refusal::BadPeriod(date.to_string())))?;
    let key = day.to_string();
    let mut events = view.events_on(&key)?;
    events.sort_by_key(|e| e.seq);
    let mut totals = SessionTotals::default();
    let mut closes = Vec::new();
    let mut lines = Vec::with_capacity(events.len());
    for event in &events {
        match &event.body {
            EventBody::SessionClosed { session_no, .. } => closes.push(*session_no),
            EventBody::DayClosed { .. } => {
                if let Some(no) = session_closed_by(view, event.seq)? {
                    closes.push(no);
                }
            }
            body => count_event(&mut totals, body, view.state())?,
        }
        lines.push(describe(view, &meta, event)?);
    }
    Ok(DayReport {
        date: key,
        station_id: view.station().to_string(),
        totals,
        closes,
        lines,
    })
}

/// The open session's X report (`None`) or the Z report of session `session_no`.
pub fn session_report(view: &View, session_no: Option<u64>) -> Result<SessionReport, StoreError> {
    let meta = view.require_meta()?;
    let open = &meta.session;
    let (record, closed_ms) = match session_no {
        Some(no) if no != open.session_no => {
            let record = view
                .state()
                .session(no)?
                .ok_or(StoreError::Refused(Refusal::UnknownSession(no)))?;
            let closed_ms = record.closed_ms;
            (record, Some(closed_ms))
        }
        _ => (
            SessionRecord {
                session_no: open.session_no,
                first_seq: open.first_seq,
                last_seq: open.last_seq,
                first_ms: open.first_ms,
                closed_seq: 0,
                closed_ms: 0,
                totals: open.totals.clone(),
            },
            None,
        ),
    };
    let mut lines = Vec::new();
    if record.first_seq > 0 {
        for (event, _) in view.events(record.first_seq, record.last_seq)? {
            lines.push(describe(view, &meta, &event)?);
        }
    }
    Ok(SessionReport {
        station_id: view.station().to_string(),
        session_no: record.session_no,
        closed_ms,
        first_ms: record.first_ms,
        first_seq: record.first_seq,
        last_seq: record.last_seq,
        totals: record.totals,
        lines,
    })
}

/// The closed sessions, newest first, at most `limit` (the till's list of Z reports).
pub fn recent_sessions(view: &View, limit: usize) -> Result<Vec<SessionRecord>, StoreError> {
    let meta = view.require_meta()?;
    let mut out = Vec::new();
    let mut no = meta.session.session_no;
    while no > 1 && out.len() < limit {
        no -= 1;
        if let Some(record) = view.state().session(no)? {
            out.push(record);
        }
    }
    Ok(out)
}

/// The number of the session an old calendar-day close (at `seq`) closed.
fn session_closed_by(view: &View, seq: u64) -> Result<Option<u64>, StoreError> {
    let meta = view.require_meta()?;
    let mut no = meta.session.session_no;
    while no > 1 {
        no -= 1;
        match view.state().session(no)? {
            Some(record) if record.closed_seq == seq => return Ok(Some(no)),
            Some(record) if record.closed_seq < seq => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

/// One event as a line of the log, in both languages: the one describer of events that the
/// command line, the reports and the till all use.
pub fn describe(view: &View, meta: &StationMeta, event: &Event) -> Result<LogLine, StoreError> {
    let (summary_zh, summary_en) = summarise(view, event)?;
    Ok(LogLine {
        seq: event.seq,
        time_local: format_local(event.time_ms),
        operator: event.operator.clone(),
        kind: event.body.kind().to_string(),
        summary_zh,
        summary_en,
        fast_clock: meta.fast_dated(event.seq, event.time_ms).is_some(),
    })
}

/// What an event kind ([`crate::domain::EventBody::kind`]) is called, in `lang`: for counts by
/// kind (a bundle's review). An unknown kind (from a newer program) is shown as it is.
pub fn kind_label(kind: &str, lang: Lang) -> String {
    let (zh, en) = match kind {
        "station_initialized" => ("开站", "station opened"),
        "policy_set" => ("更换积分规则", "policy set"),
        "household_registered" => ("农户建档", "household registered"),
        "card_reissued" => ("补卡", "card reissued"),
        "goods_defined" => ("登记物品", "goods defined"),
        "stock_received" => ("入库", "stock received"),
        "stock_adjusted" => ("盘点调整", "stock adjusted"),
        "score_entered" => ("评分", "score entered"),
        "award_confirmed" => ("确认积分", "award confirmed"),
        "award_revoked" => ("撤销积分", "award revoked"),
        "redeemed" => ("兑换", "sale"),
        "sale_voided" => ("作废兑换", "sale voided"),
        "year_cleared" => ("年终清零", "year cleared"),
        "day_closed" => ("日结（旧）", "day closed (old)"),
        "session_closed" => ("日结", "till session closed"),
        "station_enrolled" => ("登记站点", "station enrolled"),
        "station_revoked" => ("吊销站点公钥", "station key revoked"),
        "goods_shipped" => ("调拨物品", "goods shipped"),
        "policy_issued" => ("下发积分规则", "policy issued"),
        "household_issued" => ("下发农户", "household issued"),
        "clock_confirmed" => ("确认日期", "date confirmed"),
        "clock_corrected" => ("时钟更正", "clock corrected"),
        "operator_added" => ("添加操作员", "operator added"),
        "operator_pin_changed" => ("重设操作员密码", "operator PIN set"),
        "operator_role_changed" => ("更改操作员角色", "operator role changed"),
        "operator_removed" => ("删除操作员", "operator removed"),
        "household_edited" => ("修改农户档案", "household edited"),
        "low_stock_set" => ("设置库存提醒", "low-stock reminder set"),
        "score_sheet_set" => ("设置评分表", "score sheet set"),
        "score_sheet_issued" => ("下发评分表", "score sheet issued"),
        other => return other.to_string(),
    };
    lang.pick(zh, en).to_string()
}

/// `id 户主` for a household, or just the id if it is unknown to this view.
fn household_label(view: &View, household_id: &str) -> Result<String, StoreError> {
    Ok(match view.state().household(household_id)? {
        Some(h) => format!("{household_id} {}", h.household.head),
        None => household_id.to_string(),
    })
}

/// A goods item's name as it stood at event `seq` (a later rename does not rewrite the log),
/// or its id if it is unknown to this view.
fn goods_name(view: &View, goods_id: &str, seq: u64) -> Result<String, StoreError> {
    Ok(view
        .state()
        .goods(goods_id)?
        .map(|g| g.name_at(seq).to_string())
        .unwrap_or_else(|| goods_id.to_string()))
}

/// The (Chinese, English) sentence for one event.
fn summarise(view: &View, event: &Event) -> Result<(String, String), StoreError> {
    Ok(match &event.body {
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
            // A rename says what the item was called, so the monitor sees it for what it is.
            let renamed_from = view
                .state()
                .goods(&goods.goods_id)?
                .and_then(|r| {
                    r.former_names
                        .into_iter()
                        .find(|former| former.until_seq == event.seq)
                })
                .map(|former| former.name);
            let (was_zh, was_en) = match &renamed_from {
                Some(old) => (format!("（原名 {old}）"), format!(" (renamed from {old})")),
                None => (String::new(), String::new()),
            };
            (
                format!(
                    "物品：{} {}{was_zh} {} 分（{}）",
                    goods.goods_id,
                    goods.name,
                    goods.price_points,
                    super::zone_label(&zone_key, Lang::Zh)
                ),
                format!(
                    "goods defined: {} {}{was_en} {} pt ({})",
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
            let name = goods_name(view, goods_id, event.seq)?;
            let (zh, en) = source_words(source);
            (
                format!("入库：{name} ×{quantity}，{zh}"),
                format!("stock received: {name} ×{quantity}, {en}"),
            )
        }
        EventBody::StockAdjustedV1 {
            goods_id,
            delta,
            reason,
        }
        | EventBody::StockAdjusted {
            goods_id,
            delta,
            reason,
            ..
        } => {
            let name = goods_name(view, goods_id, event.seq)?;
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
        EventBody::ItemScoresEntered {
            household_id,
            period,
            score,
            points,
            items,
            ..
        } => {
            let who = household_label(view, household_id)?;
            let list = items
                .iter()
                .map(|i| format!("{} {:+}", i.item, i.score))
                .collect::<Vec<_>>();
            (
                format!(
                    "评分：{who} {} 得 {score} 分（{}）→ {points} 积分（公示中）",
                    period.0,
                    list.join("，")
                ),
                format!(
                    "score entered: {who} {} scored {score} ({}) → {points} pt (in publicity)",
                    period.0,
                    list.join(", ")
                ),
            )
        }
        EventBody::ScoreSheetSet { sheet } => (
            format!("评分细则：{} 项", sheet.items.len()),
            format!("score sheet set: {} items", sheet.items.len()),
        ),
        EventBody::ScoreSheetIssued { to_station, sheet } => (
            format!("下发评分细则给 {to_station}：{} 项", sheet.items.len()),
            format!(
                "score sheet issued to {to_station}: {} items",
                sheet.items.len()
            ),
        ),
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
        EventBody::RedeemedV1 {
            household_id,
            lines,
            total_points,
            proxy,
            ..
        }
        | EventBody::Redeemed {
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
                    goods_name(view, &line.goods_id, event.seq)?,
                    line.quantity
                ));
            }
            let (items_zh, items_en) = (items.join("、"), items.join(", "));
            let (proxy_zh, proxy_en) = match proxy {
                Some(p) => (format!("，{p} 代领"), format!(", collected by {p}")),
                None => (String::new(), String::new()),
            };
            (
                format!("兑换：{who} {items_zh}，共 {total_points} 积分{proxy_zh}"),
                format!("redeemed: {who} {items_en}, {total_points} pt{proxy_en}"),
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
        EventBody::DayClosed { date, .. } => (
            format!("日结（旧版，按日历日 {date}）"),
            format!("day closed (old calendar-day close of {date})"),
        ),
        EventBody::SessionClosed {
            session_no,
            first_seq,
            last_seq,
            totals,
        } => (
            format!(
                "日结 Z{session_no}：#{first_seq}–#{last_seq}，兑换 {} 笔 {} 积分",
                totals.sales, totals.points_spent
            ),
            format!(
                "session closed Z{session_no}: #{first_seq}–#{last_seq}, {} sales, {} pt",
                totals.sales, totals.points_spent
            ),
        ),
        EventBody::ClockConfirmed { date, last_ms } => {
            let last = format_local(*last_ms);
            (
                format!("管理员确认电脑日期 {date} 无误（上一笔在 {last}）"),
                format!("manager confirmed the date {date} (previous entry {last})"),
            )
        }
        EventBody::ClockCorrected {
            fast_until_ms,
            reason,
        } => {
            let until = format_local(*fast_until_ms);
            let now = format_local(event.time_ms);
            (
                format!("时钟更正：此前时钟偏快，记录最晚到 {until}；实际时间 {now}，{reason}"),
                format!("clock corrected: the clock was fast, entries dated up to {until}; real time {now}, {reason}"),
            )
        }
        EventBody::OperatorAdded { name, role } => (
            format!("添加操作员：{name}（{}）", role.label(Lang::Zh)),
            format!("operator added: {name} ({})", role.label(Lang::En)),
        ),
        EventBody::OperatorPinChanged { name } => {
            (format!("更改密码：{name}"), format!("PIN changed: {name}"))
        }
        EventBody::OperatorRoleChanged { name, role } => (
            format!("更改角色：{name} → {}", role.label(Lang::Zh)),
            format!("role changed: {name} → {}", role.label(Lang::En)),
        ),
        EventBody::OperatorRemoved { name } => (
            format!("删除操作员：{name}"),
            format!("operator removed: {name}"),
        ),
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
        EventBody::GoodsShippedV1 {
            to_station,
            goods_id,
            quantity,
        }
        | EventBody::GoodsShipped {
            to_station,
            goods_id,
            quantity,
            ..
        } => {
            let name = goods_name(view, goods_id, event.seq)?;
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
        EventBody::HouseholdEdited { household: h } => (
            format!(
                "更正档案：{} {}，卡号 {}",
                h.household_id, h.head, h.card_no
            ),
            format!(
                "household file corrected: {} {}, card {}",
                h.household_id, h.head, h.card_no
            ),
        ),
        EventBody::LowStockSet { goods_id, units } => {
            let name = goods_name(view, goods_id, event.seq)?;
            if *units == 0 {
                (
                    format!("取消低库存提醒：{name}"),
                    format!("low-stock reminder off: {name}"),
                )
            } else {
                (
                    format!("低库存提醒：{name} 少于 {units} 件时提醒"),
                    format!("low-stock reminder: {name} below {units} units"),
                )
            }
        }
    })
}

/// Where a lot came from, in words (Chinese, English).
pub fn source_words(source: &StockSource) -> (String, String) {
    match source {
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
        StockSource::Supply { merchant } => (
            format!("商户供货：{merchant}（待结算）"),
            format!("supplied by {merchant} (to settle)"),
        ),
        StockSource::Shipment { from, origin } => {
            let (zh, en) = source_words(origin);
            (
                format!("{from} 发来（{zh}）"),
                format!("shipped by {from} ({en})"),
            )
        }
    }
}

/// The totals as (Chinese label, English label, value) rows, in print order.
pub fn totals_rows(t: &SessionTotals) -> [(&'static str, &'static str, i64); 9] {
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

fn totals_table(title: String, header: &str, totals: &SessionTotals, lang: Lang) -> Table {
    Table {
        title,
        headers: vec![lang.pick("合计", "totals").to_string(), header.to_string()],
        rows: totals_rows(totals)
            .iter()
            .map(|(zh, en, value)| vec![lang.pick(zh, en).into(), (*value).into()])
            .collect(),
    }
}

fn log_table(title: String, lines: &[LogLine], lang: Lang, with_date: bool) -> Table {
    let headers = [
        ("序号", "seq"),
        ("时间", "time"),
        ("操作员", "operator"),
        ("内容", "what happened"),
    ]
    .iter()
    .map(|(zh, en)| lang.pick(zh, en).to_string())
    .collect();
    let rows = lines
        .iter()
        .map(|l| {
            let time = if with_date {
                l.time_local.clone()
            } else {
                l.clock_time().to_string()
            };
            vec![
                l.seq.into(),
                time.into(),
                l.operator.as_str().into(),
                l.summary(lang).into(),
            ]
        })
        .collect();
    Table {
        title,
        headers,
        rows,
    }
}

impl DayReport {
    /// The printable log of the day, then the day's totals and the Z reports closed that day.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = render_text(&self.to_table(lang));
        if self.lines.is_empty() {
            out.push_str(lang.pick("（当天没有记录）\n", "(no events this day)\n"));
        }
        out.push('\n');
        out.push_str(&render_text(&totals_table(
            lang.pick("当天合计", "day totals").to_string(),
            lang.pick("当天", "this day"),
            &self.totals,
            lang,
        )));
        let closes = self
            .closes
            .iter()
            .map(|n| format!("Z{n}"))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "));
        out.push_str(&match (lang, closes.is_empty()) {
            (Lang::Zh, true) => {
                "当天没有日结（日结按班次结算，见 aixin report session）\n".to_string()
            }
            (Lang::En, true) => {
                "no close this day (a close covers a till session: aixin report session)\n"
                    .to_string()
            }
            (Lang::Zh, false) => format!("当天日结：{closes}\n"),
            (Lang::En, false) => format!("closed this day: {closes}\n"),
        });
        out
    }
}

impl AsTable for DayReport {
    fn to_table(&self, lang: Lang) -> Table {
        let title = match lang {
            Lang::Zh => format!("{} 当日流水 {}", self.station_id, self.date),
            Lang::En => format!("{} day log {}", self.station_id, self.date),
        };
        log_table(title, &self.lines, lang, false)
    }
}

impl SessionReport {
    /// The heading: `Z3 2026-11-22 09:00 – 2026-11-23 00:11` or the open session's X.
    pub fn heading(&self, lang: Lang) -> String {
        let from = if self.first_ms > 0 {
            format_local(self.first_ms)
        } else {
            lang.pick("（尚无业务）", "(nothing yet)").to_string()
        };
        match (self.closed_ms, lang) {
            (Some(closed), Lang::Zh) => format!(
                "{} 日结 Z{}：{from} 至 {} 日结",
                self.station_id,
                self.session_no,
                format_local(closed)
            ),
            (Some(closed), Lang::En) => format!(
                "{} Z{} report: {from} to the close at {}",
                self.station_id,
                self.session_no,
                format_local(closed)
            ),
            (None, Lang::Zh) => format!(
                "{} 当前班次（X，日结后为 Z{}）：自 {from} 起",
                self.station_id, self.session_no
            ),
            (None, Lang::En) => format!(
                "{} open session (X, to close as Z{}): since {from}",
                self.station_id, self.session_no
            ),
        }
    }

    /// The printable report: heading, one line per event, the totals.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = render_text(&self.to_table(lang));
        if self.lines.is_empty() {
            out.push_str(lang.pick("（本班次没有记录）\n", "(no events in this session)\n"));
        }
        out.push('\n');
        let (title, header) = match self.closed_ms {
            Some(_) => (
                lang.pick("日结合计（Z）", "closed totals (Z)"),
                lang.pick("日结", "Z"),
            ),
            None => (
                lang.pick("当前合计（X）", "running totals (X)"),
                lang.pick("当前", "X"),
            ),
        };
        out.push_str(&render_text(&totals_table(
            title.to_string(),
            header,
            &self.totals,
            lang,
        )));
        out
    }
}

impl AsTable for SessionReport {
    fn to_table(&self, lang: Lang) -> Table {
        log_table(self.heading(lang), &self.lines, lang, true)
    }
}

/// Who signs a day's or a session's report: the manager who kept the till and the monitor
/// (监督员) who checked it.
fn day_signers(lang: Lang) -> Vec<String> {
    signers(
        lang,
        &[
            ("经办人", "prepared by"),
            ("审核人（监督员）", "checked by (monitor)"),
        ],
    )
}

impl DayReport {
    fn closes_note(&self, lang: Lang) -> String {
        let closes = self
            .closes
            .iter()
            .map(|n| format!("Z{n}"))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "));
        match (lang, closes.is_empty()) {
            (Lang::Zh, true) => "当天没有日结（日结按班次结算，见班次报表）".to_string(),
            (Lang::En, true) => {
                "no close this day (a close covers a till session: see the session report)"
                    .to_string()
            }
            (Lang::Zh, false) => format!("当天日结：{closes}"),
            (Lang::En, false) => format!("closed this day: {closes}"),
        }
    }
}

impl AsSheet for DayReport {
    /// The day's log on paper: every event, the day's totals, its closes and the lines to sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let mut log = log_table(String::new(), &self.lines, lang, false);
        log.title = String::new();
        Sheet {
            title: lang.pick("当日流水", "day log").to_string(),
            station: station.to_string(),
            period: self.date.clone(),
            tables: vec![
                log,
                totals_table(
                    lang.pick("当天合计", "day totals").to_string(),
                    lang.pick("当天", "this day"),
                    &self.totals,
                    lang,
                ),
            ],
            notes: vec![self.closes_note(lang)],
            signatures: day_signers(lang),
        }
    }
}

impl SessionReport {
    /// The report's name: the Z report of a closed session, the X report of the open one.
    fn sheet_title(&self, lang: Lang) -> String {
        match (self.closed_ms, lang) {
            (Some(_), Lang::Zh) => format!("日结报表 Z{}", self.session_no),
            (Some(_), Lang::En) => format!("Z report {}", self.session_no),
            (None, Lang::Zh) => format!("班次报表 X（日结后为 Z{}）", self.session_no),
            (None, Lang::En) => format!("X report (to close as Z{})", self.session_no),
        }
    }

    /// The span the session covers, `2026-11-22 09:00 – 2026-11-23 00:11`.
    fn span(&self, lang: Lang) -> String {
        let from = if self.first_ms > 0 {
            format_local(self.first_ms)
        } else {
            lang.pick("（尚无业务）", "(nothing yet)").to_string()
        };
        match self.closed_ms {
            Some(closed) => format!("{from} – {}", format_local(closed)),
            None => match lang {
                Lang::Zh => format!("{from} 起"),
                Lang::En => format!("since {from}"),
            },
        }
    }

    fn totals(&self, lang: Lang) -> Table {
        let (title, header) = match self.closed_ms {
            Some(_) => (
                lang.pick("日结合计（Z）", "closed totals (Z)"),
                lang.pick("日结", "Z"),
            ),
            None => (
                lang.pick("当前合计（X）", "running totals (X)"),
                lang.pick("当前", "X"),
            ),
        };
        totals_table(title.to_string(), header, &self.totals, lang)
    }

    /// The totals alone, for the receipt printer at `line_width` columns: the X or Z slip a
    /// manager staples into the day book.
    pub fn slip(&self, lang: Lang, station: &str, line_width: usize) -> String {
        let mut totals = self.totals(lang);
        totals.title = String::new();
        let sheet = Sheet {
            title: self.sheet_title(lang),
            station: station.to_string(),
            period: self.span(lang),
            tables: vec![totals],
            notes: Vec::new(),
            signatures: signers(lang, &[("经办人", "by")]),
        };
        render_sheet_width(&sheet, line_width)
    }
}

impl AsSheet for SessionReport {
    /// The X or Z report on paper: the session's events, its totals and the lines to sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        Sheet {
            title: self.sheet_title(lang),
            station: station.to_string(),
            period: self.span(lang),
            tables: vec![
                log_table(String::new(), &self.lines, lang, true),
                self.totals(lang),
            ],
            notes: Vec::new(),
            signatures: day_signers(lang),
        }
    }
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn event_kinds_have_words_in_both_languages() {
        // Every kind `EventBody::kind` names (a bundle's review once showed `score_sheet_set`).
        for kind in [
            "station_initialized",
            "policy_set",
            "household_registered",
            "card_reissued",
            "goods_defined",
            "stock_received",
            "stock_adjusted",
            "score_entered",
            "award_confirmed",
            "award_revoked",
            "redeemed",
            "sale_voided",
            "year_cleared",
            "day_closed",
            "station_enrolled",
            "station_revoked",
            "goods_shipped",
            "policy_issued",
            "household_issued",
            "session_closed",
            "clock_confirmed",
            "clock_corrected",
            "operator_added",
            "operator_pin_changed",
            "operator_role_changed",
            "operator_removed",
            "household_edited",
            "low_stock_set",
            "score_sheet_set",
            "score_sheet_issued",
        ] {
            assert_ne!(kind_label(kind, Lang::Zh), kind);
            assert_ne!(kind_label(kind, Lang::En), kind);
        }
        assert_eq!(
            kind_label("from_a_newer_program", Lang::Zh),
            "from_a_newer_program"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fast_clock: bool) -> LogLine {
        LogLine {
            seq: 7,
            time_local: "2026-10-01 10:00".into(),
            operator: "张".into(),
            kind: "redeemed".into(),
            summary_zh: "兑换：H1 王 大米×1，共 10 积分".into(),
            summary_en: "redeemed: H1 王 rice×1, 10 pt".into(),
            fast_clock,
        }
    }

    #[test]
    fn a_day_without_a_close_says_where_the_close_is() {
        let report = DayReport {
            date: "2026-10-01".into(),
            station_id: "lijia".into(),
            totals: SessionTotals {
                sales: 1,
                points_spent: 10,
                events: 1,
                ..SessionTotals::default()
            },
            closes: vec![],
            lines: vec![line(false)],
        };
        let zh = report.render(Lang::Zh);
        assert!(zh.contains("lijia 当日流水 2026-10-01"));
        assert!(zh.contains("当天没有日结"));
        assert!(zh.contains("10:00") && !zh.contains("2026-10-01 10:00"));
        let en = report.render(Lang::En);
        assert!(en.contains("redeemed: H1"));
        assert!(en.contains("no close this day"));
    }

    #[test]
    fn a_fast_clock_line_is_marked() {
        assert!(line(true).summary(Lang::Zh).contains("时钟偏快"));
        assert!(line(true).summary(Lang::En).contains("fast clock"));
        assert!(!line(false).summary(Lang::En).contains("fast clock"));
    }
}
