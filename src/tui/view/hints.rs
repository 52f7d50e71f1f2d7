//! The line of key hints at the bottom: the screen's (or popup's) main actions with the first
//! key each is bound to in the loaded keymap, as key caps, and a short label; in monitor mode
//! none that writes. The help overlay has the keymap's full descriptions.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::{Focus, Model, Screen};
use super::super::text::width;
use super::theme::Theme;

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
        Submit if model.screen == Screen::Login => model.t("登录", "Log in"),
        Submit => model.t("提交", "Commit"),
        CloseDay => model.t("日结", "Close (Z)"),
        CloseYear => model.t("年终清零", "Year end"),
        ToggleMark => model.t("选中", "Mark"),
        MarkAll => model.t("全选期满", "Mark due"),
        Select => model.t("选定", "Choose"),
        FieldNext => model.t("下一项", "Next field"),
        OptionNext => model.t("切换", "Change"),
        PeriodNext => model.t("换期", "Period"),
        DayNext => model.t("换班次", "Session"),
        Reprint => model.t("重印", "Reprint"),
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
        Down if model.screen == Screen::Login => model.t("选择", "Choose"),
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
        Backup => model.t("备份", "Backup"),
        _ => action.name(),
    }
}

/// The actions the hint line offers; in monitor mode never one that writes (it would only be
/// refused).
fn hint_actions(model: &Model) -> Vec<(Context, Action)> {
    let mut actions = offered(model);
    if model.access.is_monitor() {
        actions.retain(|&(context, action)| !model.writes(context, action));
    }
    actions
}

/// The main actions of the screen or popup in front, in the order the line shows them.
fn offered(model: &Model) -> Vec<(Context, Action)> {
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
            if model.focus == Focus::Cart && !model.cart.lines.is_empty() {
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
        Screen::Day => vec![(C::Day, DayNext), (C::Day, Reprint), (C::Day, CloseDay)],
        Screen::Void => vec![(C::Void, Select)],
        Screen::Board => vec![(C::Board, PeriodNext)],
        Screen::Sync if model.access.is_monitor() => vec![(C::Sync, Down)],
        Screen::Sync => vec![(C::Sync, Export), (C::Sync, Import), (C::Sync, Backup)],
        Screen::Login if model.operators().is_empty() => {
            return vec![(C::Login, FieldNext), (C::Login, Submit), (C::Global, Quit)];
        }
        Screen::Login => {
            return vec![(C::Login, Down), (C::Login, Submit), (C::Global, Quit)];
        }
    };
    out.extend(global(&[Back, Help, ToggleMonitor, Quit]));
    out
}

/// Draws the hint line.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    if model.access.is_monitor() {
        let badge = format!("{} ", model.t("监督（只读）", "MONITOR"));
        used += width(&badge) + 1;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::{Access, Modal, Question};
    use crate::tui::testing::*;

    /// In monitor mode no screen or popup offers a key that would only be refused; in the till
    /// the same screens offer their writes.
    #[test]
    fn monitor_mode_offers_no_key_that_writes() {
        let screens = [
            Screen::Till,
            Screen::Receive,
            Screen::Scores,
            Screen::Awards,
            Screen::Day,
            Screen::Void,
            Screen::Board,
            Screen::Setup,
            Screen::Sync,
        ];
        let mut offered_writes = 0;
        for access in [Access::Till, Access::Monitor, Access::ReadOnly] {
            for screen in screens {
                for modal in [None, Some(Modal::Confirm(Question::CloseDay(1)))] {
                    let mut m = model(access);
                    m.screen = screen;
                    m.modal = modal;
                    let writes = hint_actions(&m)
                        .into_iter()
                        .filter(|&(c, a)| m.writes(c, a))
                        .count();
                    if access.is_monitor() {
                        assert_eq!(writes, 0, "{access:?} {screen:?}");
                    } else {
                        offered_writes += writes;
                    }
                }
            }
        }
        assert!(offered_writes > 0, "the till offers its writes");
    }
}
