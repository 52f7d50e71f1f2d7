//! The two lines of key hints at the bottom: the screen's (or popup's) own actions, then the
//! keys of every other screen (F6 … F12, Ctrl-V, Ctrl-Y, the households and the goods), each
//! with the first key it is bound to in the loaded keymap, as a key cap, and a short label; in
//! monitor mode none that writes. The help overlay has the keymap's full descriptions.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context, KeyPress};
use super::super::model::{FieldValue, Focus, Modal, Model, Screen};
use super::super::text::width;
use super::theme::Theme;

/// Rows the key hints take at the bottom of the screen.
pub const HINT_LINES: u16 = 2;

/// Short labels for the hint line (the help overlay uses the keymap's full descriptions):
/// short enough that every screen's keys fit 80 columns with a space between each key and its
/// label, in both languages.
fn hint_label(model: &Model, context: Context, action: Action) -> &str {
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
        OpenAwards => model.t("公示", "Award"),
        OpenBoard => model.t("公示榜", "Board"),
        OpenVoid => model.t("作废", "Void"),
        OpenHouseholds => model.t("档案", "Home"),
        OpenGoods => model.t("商品库", "Items"),
        ToggleMonitor => model.t("监督", "Monitor"),
        Quit => model.t("退出", "Quit"),
        Back => model.t("返回", "Back"),
        Submit if model.screen == Screen::Login => model.t("登录", "Log in"),
        Submit => model.t("提交", "Commit"),
        CloseDay => model.t("日结", "Close Z"),
        CloseYear => model.t("年终清零", "Year end"),
        ToggleMark => model.t("选中", "Mark"),
        MarkAll => model.t("全选期满", "Due"),
        Select if context == Context::Sheet => model.t("读取", "Read"),
        Select => model.t("选定", "Choose"),
        FieldNext if context == Context::Sync => model.t("切换", "Switch"),
        FieldNext => model.t("下一项", "Next"),
        OptionNext => model.t("切换", "Change"),
        PeriodNext if model.screen == Screen::Stats => model.t("换年", "Year"),
        PeriodNext => model.t("换期", "Period"),
        DayNext => model.t("换班次", "Session"),
        Confirm if context == Context::Preview => model.t("导入", "Import"),
        Reprint => model.t("重印", "Reprint"),
        SaveReport => model.t("存A4", "A4"),
        PrintReport => model.t("打印", "Print"),
        Confirm => model.t("确定", "OK"),
        Cancel if context == Context::Popup => model.t("关闭", "Close"),
        Cancel => model.t("取消", "Cancel"),
        Down if model.screen == Screen::Login => model.t("选择", "Choose"),
        Down => model.t("滚动", "Scroll"),
        QtyUp => model.t("加", "Add"),
        QtyDown => model.t("减", "Cut"),
        RemoveLine => model.t("删行", "Drop"),
        Details if context == Context::Households => model.t("档案页", "Page"),
        Details => model.t("详情", "Details"),
        ZoneNext => model.t("分区", "Zone"),
        CategoryNext => model.t("类别", "Category"),
        Export => model.t("导出", "Send"),
        Import => model.t("导入", "Load"),
        OpenSync => model.t("同步", "Sync"),
        OpenStats => model.t("统计", "Stats"),
        New if context == Context::Receive => model.t("新商品", "New item"),
        New => model.t("新增", "New"),
        Edit if context == Context::Households => model.t("更正", "Fix"),
        Edit => model.t("修改", "Edit"),
        ReissueCard => model.t("补卡", "Card"),
        ImportSheet => model.t("导入", "Import"),
        LowStock => model.t("提醒", "Low"),
        Stocktake => model.t("盘点", "Count"),
        Revoke => model.t("撤销", "Revoke"),
        Correct => model.t("更正", "Fix"),
        Enroll => model.t("登记", "Enroll"),
        FindUsb => model.t("找U盘", "USB"),
        Backup => model.t("备份", "Backup"),
        _ => action.name(),
    }
}

/// The hints of one line: in monitor mode never an action that writes (it would only be
/// refused).
fn allowed(model: &Model, actions: Vec<(Context, Action)>) -> Vec<(Context, Action)> {
    let mut actions = actions;
    if model.access.is_monitor() {
        actions.retain(|&(context, action)| !model.writes(context, action));
    }
    actions
}

/// The actions both lines offer, first line first.
#[cfg(test)]
fn hint_actions(model: &Model) -> Vec<(Context, Action)> {
    let mut all = allowed(model, offered(model));
    all.extend(allowed(model, screens(model)));
    all
}

/// The keys of every other screen, the second line: the till's screens beyond its panels.
/// None while a popup has the keyboard (it takes every key).
fn screens(model: &Model) -> Vec<(Context, Action)> {
    use Action::*;
    // Until the station is set up and someone has logged in, no screen opens.
    if model.modal.is_some() || matches!(model.screen, Screen::Setup | Screen::Login) {
        return Vec::new();
    }
    [
        OpenReceive,
        OpenScores,
        OpenDay,
        OpenAwards,
        OpenBoard,
        OpenVoid,
        OpenSync,
        OpenHouseholds,
        OpenGoods,
    ]
    .iter()
    .map(|a| (Context::Global, *a))
    .collect()
}

/// The main actions of the screen or popup in front, the first line, in the order shown.
fn offered(model: &Model) -> Vec<(Context, Action)> {
    use Action::*;
    use Context as C;
    if let Some(modal) = &model.modal {
        let c = modal.context();
        return match c {
            C::Popup => vec![(c, Cancel), (c, Down)],
            C::Form => {
                let has_flag = matches!(modal, Modal::Form(form)
                    if form.fields.iter().any(|f| matches!(f.value, FieldValue::Flag(_))));
                let mut v = vec![(c, FieldNext)];
                if has_flag {
                    v.push((c, OptionNext));
                }
                v.extend([(c, Submit), (c, Cancel)]);
                v
            }
            C::Sheet => vec![(c, Select), (c, Down), (c, Cancel)],
            C::Preview => match modal {
                Modal::Preview(preview) if preview.can_import() => {
                    vec![(c, Confirm), (c, Down), (c, Cancel)]
                }
                _ => vec![(c, Down), (c, Cancel)],
            },
            _ => vec![(c, Confirm), (c, Cancel)],
        };
    }
    let global = |actions: &[Action]| actions.iter().map(|a| (C::Global, *a)).collect::<Vec<_>>();
    let mut out = match model.screen {
        // Before the station exists only help and quit work beside the form's own keys.
        Screen::Setup => {
            return vec![
                (C::Setup, FieldNext),
                (C::Setup, OptionNext),
                (C::Setup, Submit),
                (C::Global, Help),
                (C::Global, Quit),
            ];
        }
        Screen::Till => {
            let mut v = global(&[Help, FocusLookup, FocusCatalog, FocusCart, Checkout]);
            if model.focus == Focus::Cart && !model.cart.lines.is_empty() {
                v.extend([(C::Cart, QtyUp), (C::Cart, QtyDown), (C::Cart, RemoveLine)]);
            }
            v.extend(global(&[ToggleMonitor, Quit]));
            return v;
        }
        Screen::Receive => vec![
            (C::Receive, FieldNext),
            (C::Receive, OptionNext),
            (C::Receive, New),
            (C::Receive, Submit),
        ],
        Screen::Scores if model.score_items().is_some() => vec![
            (C::Scores, FieldNext),
            (C::Scores, PeriodNext),
            (C::Scores, Submit),
        ],
        Screen::Scores => vec![(C::Scores, PeriodNext), (C::Scores, Submit)],
        Screen::Awards => vec![
            (C::Awards, ToggleMark),
            (C::Awards, MarkAll),
            (C::Awards, Submit),
            (C::Awards, Revoke),
            (C::Awards, Correct),
        ],
        Screen::Day => vec![
            (C::Day, DayNext),
            (C::Day, Reprint),
            (C::Day, CloseDay),
            (C::Day, SaveReport),
            (C::Day, PrintReport),
        ],
        Screen::Void => vec![(C::Void, Select)],
        Screen::Board => vec![
            (C::Board, PeriodNext),
            (C::Board, SaveReport),
            (C::Board, PrintReport),
            (C::Global, OpenStats),
        ],
        Screen::Stats => vec![(C::Stats, PeriodNext)],
        Screen::Sync if model.access.is_monitor() => vec![(C::Sync, Down)],
        // Tab between the folder and the key line is left to help (F1): enrolling with an
        // empty key line puts the keyboard there, and five keys fit in 80 columns.
        Screen::Sync => vec![
            (C::Sync, Export),
            (C::Sync, Import),
            (C::Sync, Backup),
            (C::Sync, Enroll),
            (C::Sync, FindUsb),
        ],
        Screen::Households => vec![
            (C::Households, Details),
            (C::Households, New),
            (C::Households, Edit),
            (C::Households, ReissueCard),
            (C::Households, ImportSheet),
        ],
        Screen::Goods => vec![
            (C::Goods, New),
            (C::Goods, Edit),
            (C::Goods, LowStock),
            (C::Goods, Stocktake),
        ],
        Screen::Stocktake => vec![(C::Stocktake, ImportSheet), (C::Stocktake, Submit)],
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

/// The first key that runs `action` from where the keyboard is: a `[global]` key the screen
/// in front binds to its own action (F6 on the households screen corrects a file) is passed
/// over for the action's next key (Ctrl-R still receives stock there).
fn reachable_key(model: &Model, context: Context, action: Action) -> Option<KeyPress> {
    let front = model.context();
    model
        .keymap
        .bindings(context)
        .iter()
        .filter(|b| b.action == action)
        .map(|b| b.key)
        .find(|key| {
            context != Context::Global
                || front == Context::Global
                || model.keymap.action(front, *key).is_none()
        })
}

/// One line of hints, as many as fit; how many did not.
fn hint_line(
    model: &Model,
    actions: Vec<(Context, Action)>,
    cells: usize,
    badge: bool,
) -> (Line<'static>, usize) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    if badge {
        let badge = format!("{} ", model.t("监督（只读）", "MONITOR"));
        used += width(&badge) + 1;
        spans.push(Span::styled(badge, Theme::MONITOR));
        spans.push(Span::raw(" "));
    }
    let mut left_out = 0;
    let mut first = true;
    for (context, action) in actions {
        let Some(key) = reachable_key(model, context, action) else {
            continue;
        };
        let key = hint_key(model, context, action, key);
        let label = hint_label(model, context, action).to_string();
        let gap = usize::from(!first);
        let needed = gap + width(&key) + 1 + width(&label);
        if used + needed > cells {
            left_out += 1;
            continue;
        }
        used += needed;
        if !first {
            spans.push(Span::raw(" "));
        }
        first = false;
        spans.push(Span::styled(key, Theme::KEY));
        spans.push(Span::raw(format!(" {label}")));
    }
    (Line::from(spans), left_out)
}

/// A hint's key cap: scrolling or choosing in a list shows both arrows (`↑↓`), as the
/// screens' own sentences do, when up is bound to the arrow beside down.
fn hint_key(model: &Model, context: Context, action: Action, key: KeyPress) -> String {
    let down = KeyPress::plain(super::super::keymap::KeyName::Down);
    let up = KeyPress::plain(super::super::keymap::KeyName::Up);
    if action == Action::Down && key == down && model.keymap.action(context, up) == Some(Action::Up)
    {
        return format!("{}{}", up.cap(model.lang), key.cap(model.lang));
    }
    key.cap(model.lang)
}

/// Draws the two hint lines: the screen's (or popup's) own keys, then every other screen's.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let cells = area.width as usize;
    let (first, _) = hint_line(
        model,
        allowed(model, offered(model)),
        cells,
        model.access.is_monitor(),
    );
    let (second, _) = hint_line(model, allowed(model, screens(model)), cells, false);
    frame.render_widget(Paragraph::new(vec![first, second]), area);
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
            Screen::Stats,
            Screen::Households,
            Screen::Goods,
            Screen::Stocktake,
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

    /// At 80 columns, in both languages, every screen's own keys and the keys of every other
    /// screen fit on their two lines: none is left out.
    #[test]
    fn every_screens_keys_fit_at_80_columns() {
        let all_screens = [
            Screen::Till,
            Screen::Receive,
            Screen::Scores,
            Screen::Awards,
            Screen::Day,
            Screen::Void,
            Screen::Board,
            Screen::Setup,
            Screen::Sync,
            Screen::Households,
            Screen::Goods,
            Screen::Stocktake,
        ];
        let mut crowded = Vec::new();
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            for access in [Access::Till, Access::Monitor] {
                for screen in all_screens {
                    for cart_focus in [false, true] {
                        let mut m = model(access);
                        m.lang = lang;
                        m.screen = screen;
                        if cart_focus {
                            // The till's cart panel with a line offers its own three keys.
                            m.focus = Focus::Cart;
                            m.cart.lines.push(crate::tui::model::CartLine {
                                goods_id: "G01".into(),
                                quantity: 1,
                            });
                        }
                        let lines = [
                            hint_line(&m, allowed(&m, offered(&m)), 80, access.is_monitor()),
                            hint_line(&m, allowed(&m, screens(&m)), 80, false),
                        ];
                        for (line, left_out) in lines {
                            if left_out > 0 {
                                crowded.push(format!("{lang:?} {access:?} {screen:?}: {line}"));
                            }
                        }
                    }
                }
            }
        }
        assert!(crowded.is_empty(), "{crowded:#?}");
        let m = model(Access::Till);
        let shown: Vec<Action> = screens(&m).into_iter().map(|(_, a)| a).collect();
        for action in [
            Action::OpenAwards,
            Action::OpenBoard,
            Action::OpenVoid,
            Action::OpenSync,
        ] {
            assert!(shown.contains(&action), "{action:?} is on the key bar");
        }
    }

    /// A screen that binds an F-key to its own action does not show that key for another
    /// screen: the households screen's F6 corrects a file, so receiving stock shows Ctrl-R.
    #[test]
    fn a_key_the_screen_takes_is_not_offered_for_another_screen() {
        let mut m = model(Access::Till);
        m.screen = Screen::Households;
        let shown: Vec<String> = screens(&m)
            .into_iter()
            .filter_map(|(c, a)| reachable_key(&m, c, a).map(|k| k.cap(m.lang)))
            .collect();
        assert!(shown.contains(&"^R".to_string()), "{shown:?}");
        assert!(!shown.contains(&"F6".to_string()), "{shown:?}");
        m.screen = Screen::Till;
        let shown: Vec<String> = screens(&m)
            .into_iter()
            .filter_map(|(c, a)| reachable_key(&m, c, a).map(|k| k.cap(m.lang)))
            .collect();
        assert!(shown.contains(&"F6".to_string()), "{shown:?}");
    }

    fn plain(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    /// The trial: the English footer ran keys into labels ("F1Help F2Find") and the login
    /// footer said "↓选择" where its box said "↑↓ 选择". Every key stands apart from its
    /// label, in both languages, and a list's keys are both arrows, as the screens say them.
    #[test]
    fn every_key_stands_apart_from_its_label_and_lists_show_both_arrows() {
        let mut m = model(Access::Till);
        m.lang = crate::i18n::Lang::En;
        let (line, _) = hint_line(&m, offered(&m), 80, false);
        assert!(
            plain(&line).starts_with("F1 Help F2 Find F3 Goods"),
            "{}",
            plain(&line)
        );
        m.lang = crate::i18n::Lang::Zh;
        let (line, _) = hint_line(&m, offered(&m), 80, false);
        assert!(
            plain(&line).starts_with("F1 帮助 F2 农户"),
            "{}",
            plain(&line)
        );
        if let Some(meta) = m.data.meta.as_mut() {
            meta.operators
                .push(crate::domain::operator::OperatorRecord {
                    name: "王丽".into(),
                    role: crate::domain::operator::OperatorRole::Manager,
                    added_by: "王丽".into(),
                    added_ms: 0,
                    pin_changed_ms: 0,
                });
        }
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            m.lang = lang;
            m.screen = Screen::Login;
            let (line, _) = hint_line(&m, offered(&m), 80, false);
            let expected = m.t("↑↓ 选择", "↑↓ Choose");
            assert!(plain(&line).contains(expected), "{}", plain(&line));
            m.screen = Screen::Till;
            m.modal = Some(Modal::Receipt {
                text: String::new(),
                file: None,
                scroll: 0,
            });
            let (line, _) = hint_line(&m, offered(&m), 80, false);
            let expected = m.t("↑↓ 滚动", "↑↓ Scroll");
            assert!(plain(&line).contains(expected), "{}", plain(&line));
            m.modal = None;
        }
    }
}
