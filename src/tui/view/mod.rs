//! Drawing: `view(&Model, &mut Frame)` borrows the model and never changes it. The frame is a
//! title bar, the screen's body, a status line and a line of key hints; popups draw on top.
//! Below 80×24 it says the terminal is too small instead of drawing a broken till.

mod popup;
mod screens;
mod setup;
mod sync;
pub mod theme;
mod till;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::keymap::{Action, Context};
use super::model::{Access, Model, Screen, Tone};
use super::text::{pad_left, pad_right, width};
use theme::Theme;

pub use sync::{sync_report, sync_scroll_max, ReportRow};
pub use till::cart_checks as till_checks;

/// The smallest terminal the till draws in.
pub const MIN_COLUMNS: u16 = 80;
/// The smallest terminal height the till draws in.
pub const MIN_ROWS: u16 = 24;

/// Draws the whole till.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_COLUMNS || area.height < MIN_ROWS {
        too_small(model, frame, area);
        return;
    }
    let [title, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(model, frame, title);
    match model.screen {
        Screen::Setup => setup::draw(model, frame, body),
        Screen::Till => till::draw(model, frame, body),
        Screen::Receive => screens::receive(model, frame, body),
        Screen::Scores => screens::scores(model, frame, body),
        Screen::Awards => screens::awards(model, frame, body),
        Screen::Day => screens::day(model, frame, body),
        Screen::Void => screens::void(model, frame, body),
        Screen::Board => screens::board(model, frame, body),
        Screen::Sync => sync::draw(model, frame, body),
    }
    status_line(model, frame, status);
    hint_line(model, frame, hints);
    if let Some(modal) = &model.modal {
        popup::draw(model, modal, frame, body);
    }
}

fn too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let text = format!(
        "{} {MIN_COLUMNS}×{MIN_ROWS} ({} {}×{})",
        model.t(
            "终端太小：请把窗口放大到至少",
            "terminal too small: make it at least"
        ),
        model.t("现在", "now"),
        area.width,
        area.height
    );
    let paragraph = Paragraph::new(text)
        .style(Theme::BAD)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

fn screen_name(model: &Model) -> &str {
    match model.screen {
        Screen::Setup => model.t("首次设置", "First-run setup"),
        Screen::Till => model.t("收银台", "Till"),
        Screen::Receive => model.t("物品入库", "Receive stock"),
        Screen::Scores => model.t("录入评分", "Enter scores"),
        Screen::Awards => model.t("公示期满确认", "Confirm awards"),
        Screen::Day => model.t("当日流水", "Day log"),
        Screen::Void => model.t("作废兑换", "Void a sale"),
        Screen::Board => model.t("公示榜", "Publicity board"),
        Screen::Sync => model.t("U盘同步", "USB sync"),
    }
}

fn title_bar(model: &Model, frame: &mut Frame, area: Rect) {
    let station = model
        .data
        .meta
        .as_ref()
        .map(|m| m.name.as_str())
        .unwrap_or("aixin");
    let left = format!(" {} · {}", station, screen_name(model));
    let badge = match model.access {
        Access::Till => format!(" {} ", model.t("收银", "TILL")),
        Access::Monitor | Access::ReadOnly => " MONITOR / 监督 ".to_string(),
    };
    let right = format!(
        "{} {} {} ",
        model.today(),
        model.t("操作员", "operator"),
        model.operator
    );
    let used = width(&left) + width(&badge) + width(&right) + 1;
    let fill = (area.width as usize).saturating_sub(used);
    let badge_style = if model.access.is_monitor() {
        Theme::MONITOR
    } else {
        Theme::TILL_BADGE
    };
    let line = Line::from(vec![
        Span::styled(left, Theme::TITLE),
        Span::styled(" ".repeat(fill), Theme::TITLE),
        Span::styled(right, Theme::TITLE),
        Span::styled(badge, badge_style),
        Span::styled(" ", Theme::TITLE),
    ]);
    frame.render_widget(Paragraph::new(line).style(Theme::TITLE), area);
}

fn status_line(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(status) = &model.status else {
        return;
    };
    let style = match status.tone {
        Tone::Info => Theme::INFO,
        Tone::Good => Theme::GOOD,
        Tone::Bad => Theme::BAD,
    };
    let text = pad_right(&format!(" {}", status.text), area.width as usize);
    frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
}

/// Short labels for the hint line (the help overlay uses the keymap's full descriptions).
fn hint_label(model: &Model, action: Action) -> &str {
    use Action::*;
    match action {
        Help => model.t("帮助", "Help"),
        FocusLookup => model.t("农户", "Find"),
        FocusCatalog => model.t("商品", "Goods"),
        FocusCart => model.t("购物车", "Cart"),
        Checkout => model.t("结账", "Pay"),
        OpenReceive => model.t("入库", "Stock"),
        OpenScores => model.t("评分", "Score"),
        OpenDay => model.t("日结", "Day"),
        OpenAwards => model.t("公示", "Awards"),
        OpenBoard => model.t("公示榜", "Board"),
        ToggleMonitor => model.t("监督", "Monitor"),
        Quit => model.t("退出", "Quit"),
        Back => model.t("返回", "Back"),
        Submit => model.t("提交", "Commit"),
        CloseDay => model.t("日结", "Close day"),
        ToggleMark => model.t("选中", "Mark"),
        MarkAll => model.t("全选期满", "Mark due"),
        Select => model.t("选定", "Choose"),
        FieldNext => model.t("下一项", "Next field"),
        OptionNext => model.t("切换", "Change"),
        PeriodNext => model.t("换期", "Period"),
        DayNext => model.t("换日", "Day"),
        Confirm => model.t("确定", "OK"),
        Cancel
            if model
                .modal
                .as_ref()
                .is_some_and(|m| m.context() == Context::Popup) =>
        {
            model.t("关闭", "Close")
        }
        Cancel => model.t("取消", "Cancel"),
        Down => model.t("滚动", "Scroll"),
        QtyUp => model.t("加", "More"),
        QtyDown => model.t("减", "Less"),
        RemoveLine => model.t("删行", "Remove"),
        Details => model.t("详情", "Details"),
        ZoneNext => model.t("分区", "Zone"),
        CategoryNext => model.t("类别", "Category"),
        Export => model.t("导出", "Export"),
        Import => model.t("导入", "Import"),
        OpenSync => model.t("同步", "Sync"),
        _ => action.name(),
    }
}

fn hint_actions(model: &Model) -> Vec<(Context, Action)> {
    use Action::*;
    use Context as C;
    if let Some(modal) = &model.modal {
        let c = modal.context();
        return match c {
            C::Popup => vec![(c, Cancel), (c, Down)],
            _ => vec![(c, Confirm), (c, Cancel)],
        };
    }
    let global = |actions: &[Action]| actions.iter().map(|a| (C::Global, *a)).collect::<Vec<_>>();
    let mut out = match model.screen {
        Screen::Setup => vec![
            (C::Setup, FieldNext),
            (C::Setup, OptionNext),
            (C::Setup, Submit),
        ],
        Screen::Till if model.access.is_monitor() => {
            return global(&[
                Help,
                FocusLookup,
                FocusCatalog,
                OpenDay,
                OpenAwards,
                OpenBoard,
                ToggleMonitor,
                Quit,
            ]);
        }
        Screen::Till => {
            let mut v = global(&[
                Help,
                FocusLookup,
                FocusCatalog,
                FocusCart,
                Checkout,
                OpenReceive,
                OpenScores,
                OpenDay,
                ToggleMonitor,
                Quit,
            ]);
            if model.focus == super::model::Focus::Cart && !model.cart.lines.is_empty() {
                v.truncate(5);
                v.extend([(C::Cart, QtyUp), (C::Cart, QtyDown), (C::Cart, RemoveLine)]);
                v.extend(global(&[ToggleMonitor, Quit]));
            }
            return v;
        }
        Screen::Receive => vec![
            (C::Receive, FieldNext),
            (C::Receive, OptionNext),
            (C::Receive, Submit),
        ],
        Screen::Scores => vec![(C::Scores, PeriodNext), (C::Scores, Submit)],
        Screen::Awards => vec![
            (C::Awards, ToggleMark),
            (C::Awards, MarkAll),
            (C::Awards, Submit),
        ],
        Screen::Day => vec![(C::Day, DayNext), (C::Day, CloseDay)],
        Screen::Void => vec![(C::Void, Select)],
        Screen::Board => vec![(C::Board, PeriodNext)],
        Screen::Sync if model.access.is_monitor() => vec![(C::Sync, Down)],
        Screen::Sync => vec![(C::Sync, Export), (C::Sync, Import)],
    };
    out.extend(global(&[Back, Help, ToggleMonitor, Quit]));
    out
}

fn hint_line(model: &Model, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    if model.access.is_monitor() {
        let badge = "MONITOR / 监督 ";
        used += width(badge) + 1;
        spans.push(Span::styled(badge, Theme::MONITOR));
        spans.push(Span::raw(" "));
    }
    for (context, action) in hint_actions(model) {
        let Some(key) = model.keymap.key_for(context, action) else {
            continue;
        };
        let key = key.label();
        let label = hint_label(model, action);
        let cells = width(&key) + width(label) + 1;
        if used + cells > area.width as usize {
            break;
        }
        used += cells;
        spans.push(Span::styled(key, Theme::KEY));
        spans.push(Span::raw(format!("{label} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered panel with a title, yellow when it has the keyboard.
pub(crate) fn panel(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        Theme::FOCUS_BORDER
    } else {
        Theme::BORDER
    };
    Block::bordered()
        .border_style(style)
        .title(Span::styled(format!(" {title} "), style))
}

/// First row to show so that `selected` is visible in `rows` rows.
pub(crate) fn scroll_offset(selected: usize, rows: usize) -> usize {
    if rows == 0 || selected < rows {
        0
    } else {
        selected + 1 - rows
    }
}

/// Which side of its column a text keeps to.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A list's fixed-width columns, so a header and its rows line up by construction.
pub(crate) struct Columns<const N: usize>(pub [(usize, Align); N]);

impl<const N: usize> Columns<N> {
    /// Each text cut and padded to its column, the columns one space apart.
    pub fn text(&self, texts: [&str; N]) -> String {
        let cells: Vec<String> = self
            .0
            .iter()
            .zip(texts)
            .map(|(&(cells, align), text)| match align {
                Align::Left => pad_right(text, cells),
                Align::Right => pad_left(text, cells),
            })
            .collect();
        cells.join(" ")
    }

    /// The header row, muted.
    pub fn header(&self, titles: [&str; N]) -> Line<'static> {
        muted(self.text(titles))
    }
}

/// A line of muted text: headers, hints and "nothing here" notes.
pub(crate) fn muted(text: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(text.into(), Theme::MUTED))
}

/// The items that fit in `rows` rows with `selected` in view, with their indexes.
pub(crate) fn visible<T>(
    items: &[T],
    selected: usize,
    rows: usize,
) -> impl Iterator<Item = (usize, &T)> {
    items
        .iter()
        .enumerate()
        .skip(scroll_offset(selected, rows))
        .take(rows)
}
