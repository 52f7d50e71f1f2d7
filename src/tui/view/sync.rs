//! The USB sync screen: the folder on the stick at the top, and below it one scrollable report —
//! what the last export or import did, this station, each peer station (fingerprint, how far
//! each side has acknowledged, when bundles last went each way and how stale that is), bundles
//! held for a gap, forks, and at a township the consolidation of its villages with anomalies.
//! [`sync_report`] is pure so `update` bounds the scrolling by the same rows.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::StationRole;
use crate::domain::time::format_local;
use crate::sync::township::{anomaly_label, Consolidation, VillageLine, STALE_DAYS_MAX};
use crate::sync::usb::RosterLine;

use super::super::keymap::{Action, Context};
use super::super::model::{Model, SyncState, Tone};
use super::super::text::pad_right;
use super::theme::Theme;
use super::till::input_line;
use super::{panel, Align, Columns};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Report rows visible at 80×24; scrolling stops when the last row is in view there.
pub const SYNC_ROWS_SHOWN_MIN: usize = 16;

/// The furthest the report scrolls: its first row shown when its last row is at the bottom.
pub fn sync_scroll_max(model: &Model) -> usize {
    sync_report(model).len().saturating_sub(SYNC_ROWS_SHOWN_MIN)
}

/// One row of the report and how it is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// The style.
    pub style: Style,
    /// The words.
    pub text: String,
}

fn row(style: Style, text: impl Into<String>) -> ReportRow {
    ReportRow {
        style,
        text: text.into(),
    }
}

/// Every row of the report, top to bottom.
pub fn sync_report(model: &Model) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    if !model.sync.outcome.is_empty() {
        rows.push(row(
            Theme::INFO,
            model.t("刚才的结果", "Last export or import"),
        ));
        for line in &model.sync.outcome {
            let style = match line.tone {
                Tone::Good => Theme::GOOD,
                Tone::Bad => Theme::BAD,
                Tone::Info => Theme::PLAIN,
            };
            rows.extend(line.text.lines().map(|l| row(style, format!("  {l}"))));
        }
        rows.push(row(Theme::PLAIN, ""));
    }
    let Some(state) = &model.sync.state else {
        rows.push(row(Theme::MUTED, model.t("正在读取…", "reading…")));
        return rows;
    };
    station_rows(model, state, &mut rows);
    if let Some(consolidation) = &state.consolidation {
        rows.push(row(Theme::PLAIN, ""));
        consolidation_rows(model, consolidation, &mut rows);
    }
    rows
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
    rows.push(row(Theme::INFO, title));
    if model.access.is_monitor() {
        rows.push(row(
            Theme::MONITOR,
            model.t(
                "监督模式：只能查看，不能导出或导入",
                "monitor mode: read-only, no export or import",
            ),
        ));
    }
    if state.peers.is_empty() {
        rows.push(row(
            Theme::MUTED,
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
            Theme::MUTED,
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
        rows.push(row(Theme::BAD, text));
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
        rows.push(row(Theme::BAD, text));
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
        Theme::BAD
    } else {
        Theme::PLAIN
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
    rows.push(row(Theme::PLAIN, acks));
    let (import, stale) = when(model, peer.last_import_ms);
    let (export, _) = when(model, peer.last_export_ms);
    let times = format!(
        "  {} {import} · {} {export}",
        model.t("上次收到", "last import"),
        model.t("上次导出", "last export"),
    );
    rows.push(row(if stale { Theme::BAD } else { Theme::PLAIN }, times));
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
        Theme::INFO,
        format!(
            "{} {}",
            model.t("乡镇汇总", "Township consolidation"),
            c.township_id
        ),
    ));
    rows.push(row(
        Theme::MUTED,
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
            Theme::BAD
        } else {
            Theme::PLAIN
        };
        rows.push(row(style, village_row(model, line, false)));
    }
    rows.push(row(Theme::GOOD, village_row(model, &c.total, true)));
    rows.push(row(Theme::PLAIN, ""));
    rows.push(row(Theme::INFO, model.t("异常", "Anomalies")));
    if c.anomalies.is_empty() {
        rows.push(row(Theme::GOOD, model.t("  没有异常", "  no anomalies")));
    }
    for a in &c.anomalies {
        rows.push(row(
            Theme::BAD,
            format!(
                "  [{}] {} {}",
                anomaly_label(a.kind, model.lang),
                a.station_id,
                model.t(&a.zh, &a.en)
            ),
        ));
    }
}

/// Draws the sync screen into the body area.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let [top, bottom] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(body);
    let keys = |action| model.keymap.keys_label(Context::Sync, action);
    let title = if model.access.is_monitor() {
        model.t("U盘文件夹", "USB folder").to_string()
    } else {
        format!(
            "{} · {} {} · {} {}",
            model.t("U盘文件夹", "USB folder"),
            keys(Action::Export),
            model.t("导出", "export"),
            keys(Action::Import),
            model.t("导入", "import"),
        )
    };
    let focused = model.modal.is_none();
    let block = panel(&title, focused);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let line = input_line(
        model.t("文件夹：", "Folder: "),
        &model.sync.folder.text,
        focused,
        inner.width as usize,
    );
    frame.render_widget(Paragraph::new(line), inner);

    let block = panel(model.t("同步状态", "Sync state"), false);
    let inner = block.inner(bottom);
    frame.render_widget(block, bottom);
    let cells = inner.width as usize;
    let height = inner.height as usize;
    let report = sync_report(model);
    let offset = model.sync.scroll.min(report.len().saturating_sub(height));
    let lines: Vec<Line> = report
        .into_iter()
        .skip(offset)
        .take(height)
        .map(|r| Line::from(Span::styled(pad_right(&r.text, cells), r.style)))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
