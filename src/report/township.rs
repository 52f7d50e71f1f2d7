//! The township's reports on its villages. [`consolidate`] computes, from the ledger (which
//! holds every village's events in that village's scope) plus the held and fork folders, per
//! village households, points issued and spent, balances outstanding, stock, donations, last
//! sync and how stale it is; and the anomalies a clerk must see — gaps, forks, revoked keys,
//! budget overruns, a household overdrawn across stations, stale or never-synced villages.
//! Anomalies are flagged, never hidden or netted away. [`settlement_for_station`] adds the
//! villages' quarterly settlements up per merchant at the township. Pure functions over a read
//! [`View`]; the CLI prints them, `--json` serialises them, [`AsTable`] exports them as CSV or
//! XLSX. The held and fork notes and the peers' sync state come from [`crate::sync`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::settlement::{merge_settlements, settlement, Settlement};
use crate::domain::event::StockSource;
use crate::domain::lots::LotOrigin;
use crate::domain::time::{format_local, DAY_MS};
use crate::domain::{EventBody, StationRole};
use crate::i18n::Lang;
use crate::report::table::{AsTable, Cell, Table};
use crate::store::ledger::View;
use crate::store::{Ledger, StoreError};
use crate::sync::files::{ForkNote, HeldNote};
use crate::sync::peers::PeerSync;

/// A village not heard from for longer than this is flagged as stale.
pub const STALE_DAYS_MAX: i64 = 35;

/// How far after the township's clock a village's event may be dated before it is flagged:
/// a day covers time zones of laptop clocks set by hand and the USB stick's journey.
pub const FUTURE_TOLERANCE_MS: i64 = DAY_MS;

/// One village's figures as the township holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VillageLine {
    /// Station id.
    pub station_id: String,
    /// Station name (from its first event; empty before its first bundle).
    pub name: String,
    /// Whether its key is in force.
    pub key_active: bool,
    /// Households on file.
    pub households: u64,
    /// Points confirmed (spendable once issued).
    pub points_issued: i64,
    /// Points still in publicity.
    pub points_pending: i64,
    /// Points spent, net of voids.
    pub points_spent: i64,
    /// Points cleared at year end.
    pub points_cleared: i64,
    /// Spendable balances outstanding.
    pub balance_outstanding: i64,
    /// Units on the shelves.
    pub stock_units: i64,
    /// Units received as donations.
    pub donated_units: i64,
    /// Events held (the village's head sequence number).
    pub events: u64,
    /// Time of its newest event held, UTC ms.
    pub last_event_ms: Option<i64>,
    /// When a bundle from it last brought something new (township clock), UTC ms.
    pub last_sync_ms: Option<i64>,
    /// Whole days since then.
    pub days_since_sync: Option<i64>,
    /// Events dated more than a day after the township's clock.
    pub future_dated: u64,
    /// The latest such date, UTC ms (0 if none).
    pub latest_future_ms: i64,
}

/// What kind of problem an anomaly is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AnomalyKind {
    /// A bundle waits in `held/` for earlier events.
    Gap,
    /// A bundle was refused because it contradicts held events.
    Fork,
    /// The village acknowledged township events the township does not have.
    AckMismatch,
    /// The station's key is revoked.
    RevokedKey,
    /// Points awarded beyond the village budget for a month or quarter.
    BudgetOverrun,
    /// A household (same id or card at several stations) spent more than it earned overall.
    CrossStationOverdraw,
    /// A household balance below zero at one station.
    NegativeBalance,
    /// No new bundle for longer than [`STALE_DAYS_MAX`].
    Stale,
    /// Enrolled, but no bundle ever arrived.
    NeverSynced,
    /// Events dated after the township's own clock: the village's clock is (or was) fast.
    FutureDated,
    /// The village recorded that its clock had been fast (`aixin clock correct`).
    ClockCorrected,
    /// The village's manager confirmed a date far past the previous entry.
    ClockConfirmed,
    /// Goods the township shipped, and the village has seen, that the village did not receive
    /// (an item with the same id but another name or unit is never received into it).
    ShipmentNotReceived,
}

/// One flagged problem, described in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    /// What kind.
    pub kind: AnomalyKind,
    /// The station concerned.
    pub station_id: String,
    /// The description in Chinese.
    pub zh: String,
    /// The description in English.
    pub en: String,
}

/// The township's whole consolidated view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Consolidation {
    /// The township's station id.
    pub township_id: String,
    /// When it was computed, UTC ms.
    pub now_ms: i64,
    /// One line per enrolled village, by id.
    pub villages: Vec<VillageLine>,
    /// All villages added up.
    pub total: VillageLine,
    /// Everything a clerk must look at.
    pub anomalies: Vec<Anomaly>,
}

/// Computes the consolidation from the township's ledger and its held and fork notes.
pub fn consolidate(
    ledger: &Ledger,
    held: &[HeldNote],
    forks: &[ForkNote],
    now_ms: i64,
) -> Result<Consolidation, StoreError> {
    let own = ledger.view()?;
    let meta = own.require_meta()?;
    let mut out = Consolidation {
        township_id: meta.station_id.clone(),
        now_ms,
        ..Default::default()
    };
    let mut households: BTreeMap<(bool, String), Vec<(String, i64)>> = BTreeMap::new();
    let shipments = shipments_by_village(&own, meta.head_seq)?;
    for entry in own.roster()?.into_iter().filter(|e| e.role != meta.role) {
        let view = ledger.view_of(&entry.station_id)?;
        let peer = PeerSync::load(&own, &entry.station_id)?;
        let mut received = BTreeMap::new();
        let line = village_line(
            &view,
            entry.is_active(),
            &peer,
            now_ms,
            (&meta.station_id, &mut received),
        )?;
        if let Some(shipped) = shipments.get(&entry.station_id) {
            flag_shipments(
                &mut out.anomalies,
                view.station(),
                shipped,
                peer.acked_seq,
                &received,
            );
        }
        flag_village(&mut out.anomalies, &line, &peer, &entry, now_ms);
        flag_budget(&mut out.anomalies, &view)?;
        flag_clock(&mut out.anomalies, &view, &line)?;
        for h in view.households()? {
            let station = entry.station_id.clone();
            households
                .entry((false, h.household.household_id.clone()))
                .or_default()
                .push((station.clone(), h.balance_points));
            households
                .entry((true, h.household.card_no.clone()))
                .or_default()
                .push((station.clone(), h.balance_points));
            if h.balance_points < 0 {
                out.anomalies.push(Anomaly {
                    kind: AnomalyKind::NegativeBalance,
                    station_id: station,
                    zh: format!(
                        "农户 {} 余额为负：{} 分",
                        h.household.household_id, h.balance_points
                    ),
                    en: format!(
                        "household {} has a negative balance: {} points",
                        h.household.household_id, h.balance_points
                    ),
                });
            }
        }
        add(&mut out.total, &line);
        out.villages.push(line);
    }
    flag_cross_station(&mut out.anomalies, &households);
    for note in held {
        out.anomalies.push(Anomaly {
            kind: AnomalyKind::Gap,
            station_id: note.station_id.clone(),
            zh: format!(
                "数据包 #{}–#{} 缺少更早的记录，暂存待补（{}）",
                note.first_seq, note.last_seq, note.file
            ),
            en: format!(
                "bundle #{}–#{} waits for earlier events (held: {})",
                note.first_seq, note.last_seq, note.file
            ),
        });
    }
    for note in forks {
        let (held, bundle) = (
            &note.held_hash[..12.min(note.held_hash.len())],
            &note.bundle_hash[..12.min(note.bundle_hash.len())],
        );
        out.anomalies.push(Anomaly {
            kind: AnomalyKind::Fork,
            station_id: note.station_id.clone(),
            zh: format!(
                "分叉：第 {} 条有两个版本（本地 {held}…，数据包 {bundle}…），见 forks/{}",
                note.seq, note.bundle_file
            ),
            en: format!(
                "fork: two versions of #{} (held {held}…, bundle {bundle}…), see forks/{}",
                note.seq, note.bundle_file
            ),
        });
    }
    out.total.station_id = "*".into();
    out.anomalies
        .sort_by(|a, b| (a.kind, &a.station_id).cmp(&(b.kind, &b.station_id)));
    Ok(out)
}

/// One township shipment: its seq in the township's chain, the goods id and the units.
type Shipment = (u64, String, i64);

/// The township's own shipments, per village, in chain order.
fn shipments_by_village(
    own: &View,
    head_seq: u64,
) -> Result<BTreeMap<String, Vec<Shipment>>, StoreError> {
    let mut out: BTreeMap<String, Vec<Shipment>> = BTreeMap::new();
    if head_seq == 0 {
        return Ok(out);
    }
    for (event, _) in own.events(1, head_seq)? {
        if let EventBody::GoodsShipped {
            to_station,
            goods_id,
            quantity,
            ..
        }
        | EventBody::GoodsShippedV1 {
            to_station,
            goods_id,
            quantity,
        } = event.body
        {
            out.entry(to_station)
                .or_default()
                .push((event.seq, goods_id, quantity));
        }
    }
    Ok(out)
}

/// Flags the units this township shipped to `village` that the village has seen (its bundles
/// acknowledge the township's events up to `acked_seq`) but did not receive from the township
/// (`received`: units per goods id, as [`village_line`] counted them): the village refuses a
/// shipment whose item has another name or unit there. Compared in total, so units the manager
/// received by hand from the township under another id settle it; the message names each item
/// short.
fn flag_shipments(
    anomalies: &mut Vec<Anomaly>,
    village: &str,
    shipped: &[Shipment],
    acked_seq: u64,
    received: &BTreeMap<String, i64>,
) {
    let mut seen: BTreeMap<&str, i64> = BTreeMap::new();
    for (_, goods_id, units) in shipped.iter().filter(|(seq, _, _)| *seq <= acked_seq) {
        *seen.entry(goods_id.as_str()).or_default() += units;
    }
    if seen.is_empty() {
        return;
    }
    let shipped_total: i64 = seen.values().sum();
    let received_total: i64 = received.values().sum();
    if received_total >= shipped_total {
        return;
    }
    let short: Vec<(&str, i64)> = seen
        .iter()
        .filter_map(|(goods_id, units)| {
            let got = received.get(*goods_id).copied().unwrap_or(0);
            (got < *units).then_some((*goods_id, units - got))
        })
        .collect();
    let list = |sep: &str| {
        short
            .iter()
            .map(|(goods_id, units)| format!("{goods_id} ×{units}"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    anomalies.push(Anomaly {
        kind: AnomalyKind::ShipmentNotReceived,
        station_id: village.to_string(),
        zh: format!(
            "发给本村的货有 {} 件村里没有入库（{}）：多半是村里同一编号的商品名称或单位不同；请与村里核对编号，由村里手工入库",
            shipped_total - received_total,
            list("、")
        ),
        en: format!(
            "{} units shipped to this village were not received there ({}): most likely its item with that id has another name or unit; check the ids with the village, which receives them by hand",
            shipped_total - received_total,
            list(", ")
        ),
    });
}

/// One village's line; on the way through its events, `received` gets the units it received
/// from `township` (a shipment, or a transfer the manager entered by hand), per goods id.
fn village_line(
    view: &View,
    key_active: bool,
    peer: &PeerSync,
    now_ms: i64,
    (township, received): (&str, &mut BTreeMap<String, i64>),
) -> Result<VillageLine, StoreError> {
    let mut line = VillageLine {
        station_id: view.station().to_string(),
        key_active,
        ..Default::default()
    };
    if let Some(meta) = view.meta()? {
        line.name = meta.name;
        line.events = meta.head_seq;
        line.last_event_ms = Some(meta.last_time_ms);
    }
    for h in view.households()? {
        line.households += 1;
        line.points_issued += h.earned_points;
        line.points_pending += h.pending_points;
        line.points_spent += h.spent_points;
        line.points_cleared += h.cleared_points;
        line.balance_outstanding += h.balance_points;
    }
    line.stock_units = view.goods()?.iter().map(|g| g.stock_units).sum();
    if line.events > 0 {
        for (event, _) in view.events(1, line.events)? {
            if let EventBody::StockReceived {
                goods_id,
                quantity,
                source,
                ..
            } = &event.body
            {
                if matches!(LotOrigin::of(source), LotOrigin::Donated(_)) {
                    line.donated_units += quantity;
                }
                if let StockSource::Shipment { from, .. } | StockSource::Transfer { from } = source
                {
                    if from == township {
                        *received.entry(goods_id.clone()).or_default() += quantity;
                    }
                }
            }
            if event.time_ms > now_ms + FUTURE_TOLERANCE_MS {
                line.future_dated += 1;
                line.latest_future_ms = line.latest_future_ms.max(event.time_ms);
            }
        }
    }
    line.last_sync_ms = peer.last_import_ms;
    line.days_since_sync = peer.last_import_ms.map(|t| (now_ms - t).max(0) / DAY_MS);
    Ok(line)
}

fn add(total: &mut VillageLine, line: &VillageLine) {
    total.households += line.households;
    total.points_issued += line.points_issued;
    total.points_pending += line.points_pending;
    total.points_spent += line.points_spent;
    total.points_cleared += line.points_cleared;
    total.balance_outstanding += line.balance_outstanding;
    total.stock_units += line.stock_units;
    total.donated_units += line.donated_units;
    total.events += line.events;
}

fn flag_village(
    anomalies: &mut Vec<Anomaly>,
    line: &VillageLine,
    peer: &PeerSync,
    entry: &crate::domain::roster::RosterEntry,
    now_ms: i64,
) {
    let station_id = line.station_id.clone();
    let mut push = |kind, zh: String, en: String| {
        anomalies.push(Anomaly {
            kind,
            station_id: station_id.clone(),
            zh,
            en,
        })
    };
    if let Some(from_ms) = entry.keys.last().and_then(|k| k.revoked_from_ms) {
        push(
            AnomalyKind::RevokedKey,
            format!("公钥自 {} 起已吊销", format_local(from_ms)),
            format!("key revoked from {}", format_local(from_ms)),
        );
    }
    if let Some(seq) = peer.ack_mismatch_seq {
        push(
            AnomalyKind::AckMismatch,
            format!("该村确认的乡镇第 {seq} 条记录与本地不同"),
            format!("the village acknowledged township event #{seq}, which differs from the one held here"),
        );
    }
    match line.days_since_sync {
        None if entry.is_active() => push(
            AnomalyKind::NeverSynced,
            "已登记，但还没有收到过数据包".into(),
            "enrolled, but no bundle has arrived yet".into(),
        ),
        Some(days) if days > STALE_DAYS_MAX && entry.is_active() => push(
            AnomalyKind::Stale,
            format!(
                "已 {days} 天没有新数据（上次 {}）",
                format_local(now_ms - days * DAY_MS)
            ),
            format!("no new data for {days} days"),
        ),
        _ => {}
    }
}

/// A village's clock as the township sees it: events dated after the township's own clock,
/// the corrections the village recorded, and dates its manager confirmed after a long gap
/// (PRODUCT.md, "Clocks are checked": future-dated spans and corrections show here).
fn flag_clock(
    anomalies: &mut Vec<Anomaly>,
    view: &View,
    line: &VillageLine,
) -> Result<(), StoreError> {
    let station_id = view.station().to_string();
    let mut push = |kind, zh: String, en: String| {
        anomalies.push(Anomaly {
            kind,
            station_id: station_id.clone(),
            zh,
            en,
        })
    };
    if line.future_dated > 0 {
        push(
            AnomalyKind::FutureDated,
            format!(
                "{} 条记录的日期晚于乡镇电脑的时间（最晚 {}）：该村电脑时钟偏快",
                line.future_dated,
                format_local(line.latest_future_ms)
            ),
            format!(
                "{} events are dated after the township's clock (latest {}): the village's clock is fast",
                line.future_dated,
                format_local(line.latest_future_ms)
            ),
        );
    }
    let Some(meta) = view.meta()? else {
        return Ok(());
    };
    for c in &meta.clock_corrections {
        push(
            AnomalyKind::ClockCorrected,
            format!(
                "第 {} 条：登记了时钟更正（此前记录最晚到 {}，实际时间 {}）",
                c.seq,
                format_local(c.fast_until_ms),
                format_local(c.time_ms)
            ),
            format!(
                "#{}: clock corrected (entries dated up to {}, real time {})",
                c.seq,
                format_local(c.fast_until_ms),
                format_local(c.time_ms)
            ),
        );
    }
    for (event, _) in view.events(1, meta.head_seq)? {
        if let EventBody::ClockConfirmed { date, last_ms } = &event.body {
            let days = (event.time_ms - last_ms).div_euclid(DAY_MS);
            push(
                AnomalyKind::ClockConfirmed,
                format!(
                    "第 {} 条：管理员确认电脑日期 {date}（距上一笔 {days} 天）",
                    event.seq
                ),
                format!(
                    "#{}: the manager confirmed the date {date} ({days} days after the previous entry)",
                    event.seq
                ),
            );
        }
    }
    Ok(())
}

fn flag_budget(anomalies: &mut Vec<Anomaly>, view: &View) -> Result<(), StoreError> {
    let Some(meta) = view.meta()? else {
        return Ok(());
    };
    let mut seen = std::collections::BTreeSet::new();
    for award in view.awards()? {
        let Some((key, budget)) = meta.policy.budget_for_period(&award.period) else {
            continue;
        };
        if !seen.insert(key.clone()) {
            continue;
        }
        let used = view.state().budget_used(&key)?;
        if used > budget {
            anomalies.push(Anomaly {
                kind: AnomalyKind::BudgetOverrun,
                station_id: view.station().to_string(),
                zh: format!("{key} 发放积分 {used} 分，超出预算 {budget} 分"),
                en: format!("{key}: {used} points awarded, over the budget of {budget}"),
            });
        }
    }
    Ok(())
}

fn flag_cross_station(
    anomalies: &mut Vec<Anomaly>,
    households: &BTreeMap<(bool, String), Vec<(String, i64)>>,
) {
    for ((by_card, key), records) in households {
        if records.len() < 2 {
            continue;
        }
        let combined: i64 = records.iter().map(|(_, b)| b).sum();
        if combined >= 0 {
            continue;
        }
        let stations: Vec<String> = records.iter().map(|(s, b)| format!("{s}:{b}")).collect();
        let (what_zh, what_en) = if *by_card {
            ("卡号", "card")
        } else {
            ("户号", "household")
        };
        anomalies.push(Anomaly {
            kind: AnomalyKind::CrossStationOverdraw,
            station_id: records
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            zh: format!(
                "{what_zh} {key} 在多个站点合计透支 {} 分（{}）",
                -combined,
                stations.join("、")
            ),
            en: format!(
                "{what_en} {key} is overdrawn by {} points across stations ({})",
                -combined,
                stations.join(", ")
            ),
        });
    }
}

fn time_cell(ms: Option<i64>) -> String {
    ms.map(format_local).unwrap_or_else(|| "-".into())
}

impl AsTable for Consolidation {
    fn to_table(&self, lang: Lang) -> Table {
        let headers = [
            ("站点", "station"),
            ("名称", "name"),
            ("农户", "households"),
            ("已发积分", "issued"),
            ("公示中", "pending"),
            ("已兑换", "spent"),
            ("已清零", "cleared"),
            ("未兑余额", "outstanding"),
            ("库存", "stock"),
            ("捐赠入库", "donated"),
            ("记录数", "events"),
            ("最近同步", "last sync"),
            ("未同步天数", "days since"),
        ];
        let row = |l: &VillageLine| {
            vec![
                l.station_id.clone(),
                if l.key_active || l.station_id == "*" {
                    l.name.clone()
                } else {
                    format!("{} ({})", l.name, lang.pick("已吊销", "revoked"))
                },
                l.households.to_string(),
                l.points_issued.to_string(),
                l.points_pending.to_string(),
                l.points_spent.to_string(),
                l.points_cleared.to_string(),
                l.balance_outstanding.to_string(),
                l.stock_units.to_string(),
                l.donated_units.to_string(),
                l.events.to_string(),
                time_cell(l.last_sync_ms),
                l.days_since_sync
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
            ]
        };
        let mut rows: Vec<Vec<String>> = self.villages.iter().map(row).collect();
        let mut total = row(&self.total);
        total[0] = lang.pick("合计", "total").to_string();
        rows.push(total);
        let rows = rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::from).collect())
            .collect();
        Table {
            title: format!(
                "{} {}",
                lang.pick("乡镇汇总", "township consolidation"),
                self.township_id
            ),
            headers: headers
                .iter()
                .map(|(z, e)| lang.pick(z, e).to_string())
                .collect(),
            rows,
        }
    }
}

impl Consolidation {
    /// The anomalies as a table of their own (kind, station, description).
    pub fn anomalies_table(&self, lang: Lang) -> Table {
        Table {
            title: format!("{} {}", lang.pick("异常", "anomalies"), self.township_id),
            headers: vec![
                lang.pick("类型", "kind").into(),
                lang.pick("站点", "station").into(),
                lang.pick("说明", "detail").into(),
            ],
            rows: self
                .anomalies
                .iter()
                .map(|a| {
                    vec![
                        anomaly_label(a.kind, lang).into(),
                        a.station_id.as_str().into(),
                        lang.pick(&a.zh, &a.en).into(),
                    ]
                })
                .collect(),
        }
    }
}

/// An anomaly kind's label.
pub fn anomaly_label(kind: AnomalyKind, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        AnomalyKind::Gap => ("缺包", "gap"),
        AnomalyKind::Fork => ("分叉", "fork"),
        AnomalyKind::AckMismatch => ("确认不符", "ack mismatch"),
        AnomalyKind::RevokedKey => ("公钥吊销", "revoked key"),
        AnomalyKind::BudgetOverrun => ("超预算", "over budget"),
        AnomalyKind::CrossStationOverdraw => ("跨站透支", "overdrawn across stations"),
        AnomalyKind::NegativeBalance => ("负余额", "negative balance"),
        AnomalyKind::Stale => ("久未同步", "stale"),
        AnomalyKind::NeverSynced => ("从未同步", "never synced"),
        AnomalyKind::FutureDated => ("日期超前", "future-dated"),
        AnomalyKind::ClockCorrected => ("时钟更正", "clock corrected"),
        AnomalyKind::ClockConfirmed => ("确认日期", "date confirmed"),
        AnomalyKind::ShipmentNotReceived => ("发货未入库", "shipment not received"),
    };
    lang.pick(zh, en)
}

/// Whether a station is a township: the consolidation exists only there.
pub fn is_township(role: StationRole) -> bool {
    role == StationRole::Township
}

/// A quarter's settlement as this station reports it: a village's own; at the township, every
/// village's added up per merchant (the township's own shelves are not a village's). A
/// malformed quarter is refused even when no village has reported yet.
pub fn settlement_for_station(
    ledger: &Ledger,
    view: &View,
    quarter: &str,
) -> Result<Settlement, StoreError> {
    let own = settlement(view, quarter)?;
    if !is_township(view.require_meta()?.role) {
        return Ok(own);
    }
    let mut parts = Vec::new();
    for station in view.stations()? {
        let scope = ledger.view_of(&station)?;
        let is_village = scope
            .meta()?
            .is_some_and(|m| m.role == StationRole::Village);
        if station != ledger.station() && is_village {
            parts.push(settlement(&scope, quarter)?);
        }
    }
    Ok(merge_settlements(quarter, &parts))
}
