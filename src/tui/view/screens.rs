//! The screens other than the till: receive stock, the score grid, award confirmation, the day
//! log with X/Z totals, voiding a sale and the publicity board. Each draws into the body area.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::{EventBody, SessionTotals, StockSource};
use crate::domain::time::format_local;

use super::super::model::{Model, ReceiveField, SourceKind};
use super::super::text::{pad_left, pad_right};
use super::super::update::{publicity_until_ms, score_preview, ScorePreview};
use super::theme::Theme;
use super::till::{input_line, row, zone_label};
use super::{muted, panel, scroll_offset, visible, Align, Columns};

fn monitor_note(model: &Model) -> Option<Line<'static>> {
    model.access.is_monitor().then(|| {
        Line::from(Span::styled(
            model
                .t("监督模式：只能查看", "monitor mode: read-only")
                .to_string(),
            Theme::MONITOR,
        ))
    })
}

/// Receive stock: goods, quantity, source and its party.
pub fn receive(model: &Model, frame: &mut Frame, body: Rect) {
    let form = &model.receive;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let goods_focus = form.field == ReceiveField::Goods && model.modal.is_none();
    let block = panel(
        model.t(
            "选择商品（输入名称/拼音或扫码）",
            "Goods (type name/pinyin or scan)",
        ),
        goods_focus,
    );
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let cells = inner.width as usize;
    let mut lines = vec![input_line(
        model.t("搜索：", "Search: "),
        &form.goods_query.text,
        goods_focus,
        cells,
    )];
    let rows = (inner.height as usize).saturating_sub(1);
    for (i, &p) in visible(&form.goods_hits, form.goods_selected, rows) {
        let Some(g) = model.data.goods.get(p) else {
            continue;
        };
        let text = format!(
            "{} {} {}",
            pad_right(&g.goods.name, cells.saturating_sub(12)),
            pad_left(&zone_label(model, g.goods.zone), 5),
            pad_left(&g.stock_units.to_string(), 5)
        );
        let chosen = form.goods_id.as_deref() == Some(g.goods.goods_id.as_str());
        let base = if chosen { Theme::GOOD } else { Theme::PLAIN };
        lines.push(row(
            text,
            cells,
            i == form.goods_selected,
            goods_focus,
            base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let block = panel(model.t("入库单", "Receipt of stock"), !goods_focus);
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let cells = inner.width as usize;
    let chosen = form
        .goods_id
        .as_deref()
        .and_then(|id| model.data.goods_by_id(id))
        .map(|g| {
            format!(
                "{} ({}: {})",
                g.goods.name,
                model.t("库存", "stock"),
                g.stock_units
            )
        })
        .unwrap_or_else(|| model.t("（未选）", "(none)").to_string());
    let mut lines = vec![Line::from(vec![
        Span::styled(model.t("商品：", "Goods: ").to_string(), Theme::MUTED),
        Span::styled(chosen, Theme::GOOD),
    ])];
    let focused = |f: ReceiveField| form.field == f && model.modal.is_none();
    lines.push(input_line(
        model.t("数量：", "Quantity: "),
        &form.quantity.text,
        focused(ReceiveField::Quantity),
        cells,
    ));
    let kinds = [
        (SourceKind::Donation, model.t("捐赠", "donation")),
        (SourceKind::Purchase, model.t("采购", "purchase")),
        (SourceKind::Transfer, model.t("调拨", "transfer")),
    ];
    let mut spans = vec![Span::styled(
        model.t("来源：", "Source: ").to_string(),
        Theme::MUTED,
    )];
    for (kind, label) in kinds {
        let style = match (kind == form.source, focused(ReceiveField::Source)) {
            (true, true) => Theme::HIGHLIGHT,
            (true, false) => Theme::CHOICE,
            _ => Theme::PLAIN,
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    if focused(ReceiveField::Source) {
        spans.push(Span::styled(" ←→".to_string(), Theme::MUTED));
    }
    lines.push(Line::from(spans));
    let party = match form.source {
        SourceKind::Donation => model.t("捐赠人：", "Donor: "),
        SourceKind::Purchase => model.t("资金来源：", "Fund: "),
        SourceKind::Transfer => model.t("调出单位：", "From: "),
    };
    lines.push(input_line(
        party,
        &form.party.text,
        focused(ReceiveField::Party),
        cells,
    ));
    if form.source == SourceKind::Purchase {
        lines.push(input_line(
            model.t("金额（元）：", "Cost (yuan): "),
            &form.cost.text,
            focused(ReceiveField::Cost),
            cells,
        ));
    }
    lines.push(Line::from(""));
    lines.push(muted(model.t(
        "Tab 下一项 · 回车确定 · F5 入库",
        "Tab next field · Enter accept · F5 receive",
    )));
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The score grid: one household per row, the typed score and a live preview of points.
pub fn scores(model: &Model, frame: &mut Frame, body: Rect) {
    let Some(policy) = model.data.meta.as_ref().map(|m| &m.policy) else {
        return;
    };
    let title = format!("{} {}", model.t("评分期", "Period"), model.scores.period);
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let cap = if policy.points_cap_per_period > 0 {
        format!(
            "{}{}",
            model.t("每户每期上限 ", "cap per household "),
            policy.points_cap_per_period
        )
    } else {
        model.t("无上限", "no cap").to_string()
    };
    let mut lines = vec![muted(format!(
        "{} · {}–{} · {cap} · {}",
        policy.name,
        policy.score_min,
        policy.score_max,
        model.t("←→ 换期", "←→ period")
    ))];
    let (card_w, group_w, score_w, had_w) = (9, 6, 6, 8);
    let note_w = cells
        .saturating_sub(10 + card_w + group_w + score_w + had_w + 5)
        .max(4);
    let columns = Columns([
        (10, Align::Left),
        (card_w, Align::Left),
        (group_w, Align::Left),
        (score_w, Align::Right),
        (had_w, Align::Right),
        (note_w, Align::Left),
    ]);
    lines.push(columns.header([
        model.t("户主", "Head"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("分数", "Score"),
        model.t("本期已有", "Had"),
        model.t("将得积分", "Points"),
    ]));
    let rows = (inner.height as usize).saturating_sub(2);
    let offset = scroll_offset(model.scores.selected, rows);
    for (i, h) in model
        .data
        .households
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
    {
        let id = h.household_id;
        let typed = model
            .scores
            .entries
            .get(id)
            .map(|i| i.text.clone())
            .unwrap_or_default();
        let selected = i == model.scores.selected;
        let shown = if selected && model.modal.is_none() {
            format!("{typed}▏")
        } else {
            typed
        };
        let had = model
            .scores
            .existing
            .get(id)
            .filter(|t| t.entries > 0)
            .map(|t| format!("{}/{}", t.score, t.points))
            .unwrap_or_default();
        let (note, base) = match score_preview(model, policy, i) {
            ScorePreview::Empty => (String::new(), Theme::PLAIN),
            ScorePreview::NotNumber => {
                (model.t("不是数字", "not a number").to_string(), Theme::BAD)
            }
            ScorePreview::OutOfRange => (
                format!(
                    "{} {}–{}",
                    model.t("超出", "outside"),
                    policy.score_min,
                    policy.score_max
                ),
                Theme::BAD,
            ),
            ScorePreview::AlreadyScored => (
                model.t("本期已评", "already scored").to_string(),
                Theme::BAD,
            ),
            ScorePreview::OverCap(p) => (
                format!("+{p} {}", model.t("超上限", "over cap")),
                Theme::BAD,
            ),
            ScorePreview::Points(p) => (format!("+{p}"), Theme::GOOD),
        };
        let text = columns.text([h.head, h.card_no, h.group, &shown, &had, &note]);
        lines.push(row(text, cells, selected, model.modal.is_none(), base));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Awards in publicity; those whose week is over can be marked and confirmed.
pub fn awards(model: &Model, frame: &mut Frame, body: Rect) {
    let block = panel(
        model.t(
            "公示中的评分（期满可确认）",
            "Awards in publicity (confirm when due)",
        ),
        model.modal.is_none(),
    );
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let days = model
        .data
        .meta
        .as_ref()
        .map(|m| m.policy.publicity_days)
        .unwrap_or(0);
    let columns = Columns([
        (2, Align::Left),
        (10, Align::Left),
        (10, Align::Left),
        (5, Align::Right),
        (6, Align::Right),
        (cells.saturating_sub(39), Align::Left),
    ]);
    let mut lines = vec![columns.header([
        "",
        model.t("户主", "Head"),
        model.t("期", "Period"),
        model.t("分数", "Score"),
        model.t("积分", "Points"),
        model.t("公示至", "Publicity until"),
    ])];
    if model.awards.pending.is_empty() {
        lines.push(muted(model.t("没有公示中的评分", "no awards in publicity")));
    }
    let rows = (inner.height as usize).saturating_sub(1 + usize::from(model.access.is_monitor()));
    for (i, a) in visible(&model.awards.pending, model.awards.selected, rows) {
        let until = publicity_until_ms(a.entered_ms, days);
        let due = model.now_ms >= until;
        let marked = model.awards.marked.contains(&a.seq);
        let name = model.data.head_or_id(&a.household_id);
        let state = if due {
            model.t("期满", "due")
        } else {
            model.t("公示中", "waiting")
        };
        let text = columns.text([
            if marked { "✓" } else { "" },
            &name,
            &a.period.0,
            &a.score.to_string(),
            &a.points.to_string(),
            &format!("{} {state}", format_local(until)),
        ]);
        let base = if marked {
            Theme::MARKED
        } else if due {
            Theme::PLAIN
        } else {
            Theme::DISABLED
        };
        lines.push(row(
            text,
            cells,
            i == model.awards.selected,
            model.modal.is_none(),
            base,
        ));
    }
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn totals_lines(model: &Model, totals: &SessionTotals) -> Vec<Line<'static>> {
    let pair = |zh: &str, en: &str, value: String| {
        Line::from(format!(
            "{} {}",
            pad_right(model.t(zh, en), 17),
            pad_left(&value, 7)
        ))
    };
    vec![
        pair("兑换笔数", "sales", totals.sales.to_string()),
        pair("兑出积分", "points spent", totals.points_spent.to_string()),
        pair("作废笔数", "voids", totals.voids.to_string()),
        pair(
            "退回积分",
            "points voided",
            totals.points_voided.to_string(),
        ),
        pair(
            "净兑出积分",
            "net points",
            (totals.points_spent - totals.points_voided).to_string(),
        ),
        pair("售出件数", "units sold", totals.units_sold.to_string()),
        pair(
            "入库件数",
            "units received",
            totals.units_received.to_string(),
        ),
        pair(
            "录入评分",
            "scores entered",
            totals.scores_entered.to_string(),
        ),
        pair(
            "确认积分",
            "points confirmed",
            totals.points_confirmed.to_string(),
        ),
        pair("全部记录", "all events", totals.events.to_string()),
    ]
}

/// A one-line summary of an event for the day log.
pub fn event_summary(model: &Model, body: &EventBody) -> String {
    let name = |id: &str| model.data.head_or_id(id);
    let goods = |id: &str| {
        model
            .data
            .goods_by_id(id)
            .map(|g| g.goods.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    match body {
        EventBody::Redeemed {
            household_id,
            total_points,
            proxy,
            lines,
            ..
        } => {
            let proxy = proxy
                .as_ref()
                .map(|p| format!(" {}{p}", model.t("代领:", "by ")))
                .unwrap_or_default();
            format!(
                "{} {} −{total_points} ({} {}){proxy}",
                model.t("兑换", "sale"),
                name(household_id),
                lines.len(),
                model.t("种", "items")
            )
        }
        EventBody::SaleVoided { sale_seq, reason } => {
            format!("{} #{sale_seq}: {reason}", model.t("作废", "void"))
        }
        EventBody::StockReceived {
            goods_id,
            quantity,
            source,
        } => {
            let from = match source {
                StockSource::Donation { donor } => donor.clone(),
                StockSource::Purchase { fund, .. } => fund.clone(),
                StockSource::Transfer { from } | StockSource::Shipment { from, .. } => from.clone(),
                StockSource::Supply { merchant } => merchant.clone(),
            };
            format!(
                "{} {} +{quantity} ({from})",
                model.t("入库", "in"),
                goods(goods_id)
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
        } => format!(
            "{} {} {delta:+} ({reason})",
            model.t("盘点", "adjust"),
            goods(goods_id)
        ),
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            ..
        } => {
            format!(
                "{} {} {} {score} → {points}",
                model.t("评分", "score"),
                name(household_id),
                period.0
            )
        }
        EventBody::AwardConfirmed { award_seq } => {
            format!("{} #{award_seq}", model.t("确认积分", "confirm award"))
        }
        EventBody::AwardRevoked { award_seq, reason } => format!(
            "{} #{award_seq}: {reason}",
            model.t("撤销积分", "revoke award")
        ),
        EventBody::HouseholdRegistered { household } => {
            format!("{} {}", model.t("登记农户", "household"), household.head)
        }
        EventBody::CardReissued {
            household_id,
            new_card_no,
            ..
        } => format!(
            "{} {} → {new_card_no}",
            model.t("补卡", "new card"),
            name(household_id)
        ),
        EventBody::GoodsDefined { goods: g } => format!("{} {}", model.t("商品", "goods"), g.name),
        EventBody::DayClosed { date, .. } => format!("{} {date}", model.t("日结", "day closed")),
        EventBody::YearCleared { year, cleared } => format!(
            "{} {year} ({})",
            model.t("年度清零", "year cleared"),
            cleared.len()
        ),
        EventBody::StationInitialized { name: n, .. } => {
            format!("{} {n}", model.t("建站", "station set up"))
        }
        EventBody::PolicySet { policy } => format!("{} {}", model.t("政策", "policy"), policy.name),
        other => other.kind().replace('_', " "),
    }
}

/// The day log: X totals (running) or Z totals (closed) and the day's events.
pub fn day(model: &Model, frame: &mut Frame, body: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(32), Constraint::Min(20)]).areas(body);
    let session = model
        .data
        .meta
        .as_ref()
        .map(|m| m.session.clone())
        .unwrap_or_else(|| crate::domain::state::OpenSession::new(1));
    let title = format!(
        "{} Z{}",
        model.t("X 当前班次", "X open session"),
        session.session_no
    );
    let block = panel(&title, false);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let mut lines = totals_lines(model, &session.totals);
    lines.push(Line::from(""));
    lines.push(muted(
        model.t("z / F5 日结（Z）", "z / F5 close the session (Z)"),
    ));
    lines.push(muted(model.t("←→ 换日", "←→ other day")));
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);

    let block = panel(model.t("流水", "Events"), model.modal.is_none());
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let cells = inner.width as usize;
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    if model.day.events.is_empty() {
        lines.push(muted(
            model.t("这一天没有记录", "nothing recorded this day"),
        ));
    }
    for (i, e) in visible(&model.day.events, model.day.scroll, rows) {
        let time = format_local(e.time_ms);
        let clock = time.get(11..).unwrap_or(&time);
        let text = format!(
            "{} {} {}",
            pad_left(&e.seq.to_string(), 5),
            clock,
            event_summary(model, &e.body)
        );
        lines.push(row(
            text,
            cells,
            i == model.day.scroll,
            model.modal.is_none(),
            Theme::PLAIN,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Recent sales; Enter asks for a reason and voids the highlighted one.
pub fn void(model: &Model, frame: &mut Frame, body: Rect) {
    let block = panel(
        model.t("最近的兑换（回车作废）", "Recent sales (Enter to void)"),
        model.modal.is_none(),
    );
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let columns = Columns([
        (6, Align::Right),
        (16, Align::Left),
        (12, Align::Left),
        (6, Align::Right),
        (cells.saturating_sub(44), Align::Left),
    ]);
    let mut lines = vec![columns.header([
        model.t("单号", "No."),
        model.t("时间", "Time"),
        model.t("农户", "Household"),
        model.t("积分", "Points"),
        model.t("状态", "State"),
    ])];
    if model.sales.sales.is_empty() {
        lines.push(muted(model.t("还没有兑换记录", "no sales yet")));
    }
    let rows = (inner.height as usize).saturating_sub(1);
    for (i, s) in visible(&model.sales.sales, model.sales.selected, rows) {
        let name = model.data.head_or_id(&s.household_id);
        let mut state = if s.voided {
            model.t("已作废", "voided").to_string()
        } else {
            String::new()
        };
        if let Some(p) = &s.proxy {
            state.push_str(&format!(" {}{p}", model.t("代领:", "by ")));
        }
        let text = columns.text([
            &s.seq.to_string(),
            &format_local(s.time_ms),
            &name,
            &s.total_points.to_string(),
            state.trim(),
        ]);
        let base = if s.voided {
            Theme::DISABLED
        } else {
            Theme::PLAIN
        };
        lines.push(row(
            text,
            cells,
            i == model.sales.selected,
            model.modal.is_none(),
            base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The publicity board: the period's points per household, ranked.
pub fn board(model: &Model, frame: &mut Frame, body: Rect) {
    let title = format!(
        "{} {}",
        model.t("公示榜", "Publicity board"),
        model.board.period
    );
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let columns = Columns([
        (4, Align::Right),
        (12, Align::Left),
        (10, Align::Left),
        (8, Align::Left),
        (6, Align::Right),
        (cells.saturating_sub(46).max(6), Align::Right),
    ]);
    let mut lines = vec![columns.header([
        model.t("名次", "Rank"),
        model.t("户主", "Head"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("分数", "Score"),
        model.t("积分", "Points"),
    ])];
    if model.board.rows.is_empty() {
        lines.push(muted(model.t(
            "本期还没有评分（←→ 换期）",
            "no scores this period (←→ other period)",
        )));
    }
    let rows = (inner.height as usize).saturating_sub(1);
    let offset = scroll_offset(model.board.scroll, rows);
    let mut rank = 0;
    let mut previous: Option<(i64, i64)> = None;
    for (i, (id, tally)) in model.board.rows.iter().enumerate() {
        if previous != Some((tally.points, tally.score)) {
            rank = i + 1;
            previous = Some((tally.points, tally.score));
        }
        if i < offset || i >= offset + rows {
            continue;
        }
        let (name, card, group) = model
            .data
            .household(id)
            .map(|h| {
                (
                    h.head.to_string(),
                    h.card_no.to_string(),
                    h.group.to_string(),
                )
            })
            .unwrap_or_else(|| (id.clone(), String::new(), String::new()));
        let text = columns.text([
            &rank.to_string(),
            &name,
            &card,
            &group,
            &tally.score.to_string(),
            &tally.points.to_string(),
        ]);
        lines.push(row(
            text,
            cells,
            i == model.board.scroll,
            model.modal.is_none(),
            Theme::PLAIN,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
