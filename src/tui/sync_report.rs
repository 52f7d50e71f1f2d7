//! The rows of the USB sync screen's report, in words: what the last export or import did, this
//! station, each peer station (fingerprint, how far each side has acknowledged, when bundles
//! last went each way and how stale that is), bundles held for a gap, forks, and at a township
//! the consolidation of its villages with anomalies. Shared by the view, which draws and
//! colours them, and `update`, which bounds the scrolling by the same rows.

use crate::domain::backup::backup_due;
use crate::domain::event::StationRole;
use crate::domain::time::{format_local, DAY_MS};
use crate::sync::township::{anomaly_label, Consolidation, VillageLine, STALE_DAYS_MAX};
use crate::sync::usb::RosterLine;

use super::keymap::{Action, Context};
use super::model::{Model, SyncState, Tone};
use super::text::{Align, Columns};

/// Report rows visible at 80×24; scrolling stops when the last row is in view there.
pub const SYNC_ROWS_SHOWN_MIN: usize = 16;

/// The furthest the report scrolls: its first row shown when its last row is at the bottom.
pub fn sync_scroll_max(model: &Model) -> usize {
    sync_report(model).len().saturating_sub(SYNC_ROWS_SHOWN_MIN)
}

/// How a row of the report reads; the view gives each its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowTone {
    /// A section's heading.
    Heading,
    /// Ordinary figures.
    Plain,
    /// Notes and column headers.
    Muted,
    /// Something that went well (a clean import, the township total).
    Good,
    /// Something to act on (a refusal, a gap, a stale village).
    Bad,
    /// The monitor-mode note.
    Monitor,
}

/// One row of the report and how it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// How it reads.
    pub tone: RowTone,
    /// The words.
    pub text: String,
}

fn row(tone: RowTone, text: impl Into<String>) -> ReportRow {
    ReportRow {
        tone,
        text: text.into(),
    }
}

/// Every row of the report, top to bottom.
pub fn sync_report(model: &Model) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    if !model.sync.outcome.is_empty() {
        rows.push(row(
            RowTone::Heading,
            model.t("刚才的结果", "Last export or import"),
        ));
        for line in &model.sync.outcome {
            let style = match line.tone {
                Tone::Good => RowTone::Good,
                Tone::Bad => RowTone::Bad,
                Tone::Info => RowTone::Plain,
            };
            rows.extend(line.text.lines().map(|l| row(style, format!("  {l}"))));
        }
        rows.push(row(RowTone::Plain, ""));
    }
    let Some(state) = &model.sync.state else {
        rows.push(row(RowTone::Muted, model.t("正在读取…", "reading…")));
        return rows;
    };
    station_rows(model, state, &mut rows);
    if let Some(consolidation) = &state.consolidation {
        rows.push(row(RowTone::Plain, ""));
        consolidation_rows(model, consolidation, &mut rows);
    }
    rows
}

/// When the station was last backed up, and the reminder when that is more than a week ago
/// (the rule is `domain::backup::backup_due`).
fn backup_row(model: &Model, state: &SyncState, rows: &mut Vec<ReportRow>) {
    let key = model.key(Context::Sync, Action::Backup);
    let due = backup_due(state.last_backup_ms, model.now_ms);
    let text = match (state.last_backup_ms, model.lang) {
        (None, crate::i18n::Lang::Zh) => {
            format!("本站还没有备份过：插好U盘，按 {key} 备份（加密，一个文件）")
        }
        (None, crate::i18n::Lang::En) => {
            format!("never backed up: plug in the stick and press {key} (one encrypted file)")
        }
        (Some(last), lang) => {
            let days = model.now_ms.saturating_sub(last).div_euclid(DAY_MS);
            let when = format_local(last);
            match (lang, due) {
                (crate::i18n::Lang::Zh, true) => {
                    format!("上次备份在 {days} 天前（{when}），超过一周了：请按 {key} 备份")
                }
                (crate::i18n::Lang::En, true) => {
                    format!(
                        "last backup {days} days ago ({when}), over a week: press {key} to back up"
                    )
                }
                (crate::i18n::Lang::Zh, false) => format!("上次备份：{when}（{days} 天前）"),
                (crate::i18n::Lang::En, false) => {
                    format!("last backup: {when} ({days} days ago)")
                }
            }
        }
    };
    rows.push(row(if due { RowTone::Bad } else { RowTone::Muted }, text));
}

fn role_word(model: &Model, role: StationRole) -> &str {
    match role {
        StationRole::Village => model.t("村站", "village"),
        StationRole::Township => model.t("乡镇", "township"),
    }
}

fn station_rows(model: &Model, state: &SyncState, rows: &mut Vec<ReportRow>) {
    let title = match model.lang {
        crate::i18n::Lang::Zh => format!(
            "本站 {}（{}），记录至 #{}",
            state.station_id,
            role_word(model, state.role),
            state.head_seq
        ),
        crate::i18n::Lang::En => format!(
            "This station {} ({}), head #{}",
            state.station_id,
            role_word(model, state.role),
            state.head_seq
        ),
    };
    rows.push(row(RowTone::Heading, title));
    if model.access.is_monitor() {
        rows.push(row(
            RowTone::Monitor,
            model.t(
                "监督模式：只能查看，不能导出或导入",
                "monitor mode: read-only, no export or import",
            ),
        ));
    }
    backup_row(model, state, rows);
    if state.peers.is_empty() {
        rows.push(row(
            RowTone::Muted,
            model.t(
                "还没有登记任何同步站点（aixin station enroll）",
                "no stations enrolled yet (aixin station enroll)",
            ),
        ));
    }
    for peer in &state.peers {
        peer_rows(model, peer, rows);
    }
    if state.held.is_empty() && state.forks.is_empty() {
        rows.push(row(
            RowTone::Muted,
            model.t(
                "没有暂存（缺包）的数据包，没有分叉",
                "no bundles held for a gap, no forks",
            ),
        ));
    }
    for held in &state.held {
        let text = match model.lang {
            crate::i18n::Lang::Zh => format!(
                "缺包：{} #{}–#{} 已暂存，等前面的记录补齐（{}）",
                held.station_id, held.first_seq, held.last_seq, held.file
            ),
            crate::i18n::Lang::En => format!(
                "gap: {} #{}–#{} held until the events before it arrive ({})",
                held.station_id, held.first_seq, held.last_seq, held.file
            ),
        };
        rows.push(row(RowTone::Bad, text));
    }
    for fork in &state.forks {
        let short = |hash: &str| hash.chars().take(12).collect::<String>();
        let text = match model.lang {
            crate::i18n::Lang::Zh => format!(
                "分叉：{} #{} 本地 {}… 数据包 {}…，已拒收，请人工处理（forks/{}）",
                fork.station_id,
                fork.seq,
                short(&fork.held_hash),
                short(&fork.bundle_hash),
                fork.bundle_file
            ),
            crate::i18n::Lang::En => format!(
                "fork: {} #{} here {}… bundle {}…, refused for a person to resolve (forks/{})",
                fork.station_id,
                fork.seq,
                short(&fork.held_hash),
                short(&fork.bundle_hash),
                fork.bundle_file
            ),
        };
        rows.push(row(RowTone::Bad, text));
    }
}

fn when(model: &Model, ms: Option<i64>) -> (String, bool) {
    let Some(ms) = ms else {
        return (model.t("从未", "never").to_string(), true);
    };
    let days = (model.now_ms - ms).div_euclid(DAY_MS).max(0);
    let ago = match (model.lang, days) {
        (crate::i18n::Lang::Zh, 0) => "今天".to_string(),
        (crate::i18n::Lang::En, 0) => "today".to_string(),
        (crate::i18n::Lang::Zh, d) => format!("{d} 天前"),
        (crate::i18n::Lang::En, 1) => "1 day ago".to_string(),
        (crate::i18n::Lang::En, d) => format!("{d} days ago"),
    };
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("{}（{ago}）", format_local(ms)),
        crate::i18n::Lang::En => format!("{} ({ago})", format_local(ms)),
    };
    (text, days > STALE_DAYS_MAX)
}

fn peer_rows(model: &Model, peer: &RosterLine, rows: &mut Vec<ReportRow>) {
    let key = match peer.revoked_from_ms {
        Some(t) => format!("{} {}", model.t("吊销于", "revoked"), format_local(t)),
        None => model.t("有效", "active").to_string(),
    };
    let head = format!(
        "{} {} {} {} · {}",
        peer.station_id,
        role_word(model, peer.role),
        model.t("指纹", "fingerprint"),
        peer.fingerprint,
        key
    );
    let key_style = if peer.revoked_from_ms.is_some() {
        RowTone::Bad
    } else {
        RowTone::Plain
    };
    rows.push(row(key_style, head));
    let acks = match model.lang {
        crate::i18n::Lang::Zh => format!(
            "  对方已确认本站至 #{} · 本站已收对方至 #{}",
            peer.acked_seq, peer.held_seq
        ),
        crate::i18n::Lang::En => format!(
            "  it acknowledged ours to #{} · we hold its to #{}",
            peer.acked_seq, peer.held_seq
        ),
    };
    rows.push(row(RowTone::Plain, acks));
    let (import, stale) = when(model, peer.last_import_ms);
    let (export, _) = when(model, peer.last_export_ms);
    let times = format!(
        "  {} {import} · {} {export}",
        model.t("上次收到", "last import"),
        model.t("上次导出", "last export"),
    );
    rows.push(row(
        if stale { RowTone::Bad } else { RowTone::Plain },
        times,
    ));
}

/// Station, name, households, outstanding, stock, events, days since sync.
const VILLAGE_COLUMNS: Columns<7> = Columns([
    (8, Align::Left),
    (16, Align::Left),
    (6, Align::Right),
    (10, Align::Right),
    (8, Align::Right),
    (8, Align::Right),
    (10, Align::Right),
]);

fn village_row(model: &Model, line: &VillageLine, total: bool) -> String {
    let days = line
        .days_since_sync
        .map(|d| d.to_string())
        .unwrap_or_else(|| "-".into());
    let name = if line.key_active || total {
        line.name.clone()
    } else {
        format!("{} ({})", line.name, model.t("已吊销", "revoked"))
    };
    VILLAGE_COLUMNS.text([
        if total {
            model.t("合计", "total")
        } else {
            &line.station_id
        },
        &name,
        &line.households.to_string(),
        &line.balance_outstanding.to_string(),
        &line.stock_units.to_string(),
        &line.events.to_string(),
        &days,
    ])
}

fn consolidation_rows(model: &Model, c: &Consolidation, rows: &mut Vec<ReportRow>) {
    rows.push(row(
        RowTone::Heading,
        format!(
            "{} {}",
            model.t("乡镇汇总", "Township consolidation"),
            c.township_id
        ),
    ));
    rows.push(row(
        RowTone::Muted,
        VILLAGE_COLUMNS.text([
            model.t("站点", "station"),
            model.t("名称", "name"),
            model.t("户数", "homes"),
            model.t("未兑余额", "balance"),
            model.t("库存", "stock"),
            model.t("记录数", "events"),
            model.t("未同步天数", "days since"),
        ]),
    ));
    for line in &c.villages {
        let style = if line.days_since_sync.is_none_or(|d| d > STALE_DAYS_MAX) {
            RowTone::Bad
        } else {
            RowTone::Plain
        };
        rows.push(row(style, village_row(model, line, false)));
    }
    rows.push(row(RowTone::Good, village_row(model, &c.total, true)));
    rows.push(row(RowTone::Plain, ""));
    rows.push(row(RowTone::Heading, model.t("异常", "Anomalies")));
    if c.anomalies.is_empty() {
        rows.push(row(RowTone::Good, model.t("  没有异常", "  no anomalies")));
    }
    for a in &c.anomalies {
        rows.push(row(
            RowTone::Bad,
            format!(
                "  [{}] {} {}",
                anomaly_label(a.kind, model.lang),
                a.station_id,
                model.t(&a.zh, &a.en)
            ),
        ));
    }
}
