//! Drawing: `view(&Model, &mut Frame)` borrows the model and never changes it. The frame is a
//! title bar, the screen's body, a status line and two lines of key hints (`hints`: the
//! screen's own keys, then the keys of every other screen); popups draw on top. Each screen has
//! its file, as in `update`: the till's lookup, catalog and cart in `till`, then `receive`,
//! `scores`, `awards`, `day`, `void`, `board`, `setup`, `sync`, `stats`, `households`, `goods`,
//! `stocktake`, the popups in `popup` and the popup forms in `forms`; `widgets` holds what they
//! share. Below 80×24 it says the terminal is too
//! small instead of drawing a broken till.

mod awards;
mod board;
mod day;
mod forms;
mod goods;
mod hints;
mod households;
mod login;
mod popup;
mod receive;
mod scores;
mod setup;
mod stats;
mod stocktake;
mod sync;
pub mod theme;
mod till;
mod void;
mod widgets;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::model::{Access, Model, Screen, Tone};
use super::text::{pad_right, width};
use theme::Theme;

pub use till::cart_check;
pub(crate) use widgets::{
    input_line, monitor_note, muted, panel, row, scroll_offset, visible, wrap_line, zone_label,
    ItemColumns,
};

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
    let status_text = status_lines(model, area.width);
    let [title, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::try_from(status_text.len().max(1)).unwrap_or(1)),
        Constraint::Length(hints::HINT_LINES),
    ])
    .areas(area);
    title_bar(model, frame, title);
    match model.screen {
        Screen::Setup => setup::draw(model, frame, body),
        Screen::Till => till::draw(model, frame, body),
        Screen::Receive => receive::draw(model, frame, body),
        Screen::Scores => scores::draw(model, frame, body),
        Screen::Awards => awards::draw(model, frame, body),
        Screen::Day => day::draw(model, frame, body),
        Screen::Void => void::draw(model, frame, body),
        Screen::Board => board::draw(model, frame, body),
        Screen::Sync => sync::draw(model, frame, body),
        Screen::Stats => stats::draw(model, frame, body),
        Screen::Households => households::draw(model, frame, body),
        Screen::Goods => goods::draw(model, frame, body),
        Screen::Stocktake => stocktake::draw(model, frame, body),
        Screen::Login => login::draw(model, frame, body),
    }
    status_line(model, frame, status, status_text);
    hints::draw(model, frame, hints);
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
        Screen::Day => model.t("班次流水（日结）", "Till session"),
        Screen::Void => model.t("作废兑换", "Void a sale"),
        Screen::Board => model.t("公示榜", "Publicity board"),
        Screen::Sync => model.t("U盘同步", "USB sync"),
        Screen::Stats => model.t("统计", "Statistics"),
        Screen::Households => model.t("农户档案", "Households"),
        Screen::Goods => model.t("商品管理", "Goods"),
        Screen::Stocktake => model.t("盘点", "Stocktake"),
        Screen::Login => model.t("登录", "Log in"),
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
    // Until the station is set up and someone has logged in, nobody is at the till yet.
    let nobody = matches!(model.screen, Screen::Setup | Screen::Login);
    let badge = match model.access {
        _ if nobody => String::new(),
        Access::Till => format!(" {} ", model.t("收银", "TILL")),
        Access::Monitor | Access::ReadOnly => format!(" {} ", model.t("监督（只读）", "MONITOR")),
    };
    let right = if model.operator.is_empty() || nobody {
        format!("{} ", model.today())
    } else {
        format!(
            "{} {} {} ",
            model.today(),
            model.t("操作员", "operator"),
            model.operator
        )
    };
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

/// At most this many lines of status: a refusal longer than one line (its way out is at its
/// end) is shown whole, the screen's body giving up a line or two while it shows.
const STATUS_LINES_MAX: usize = 3;

/// The status for the screen on show, wrapped to the terminal's width (empty: none).
fn status_lines(model: &Model, columns: u16) -> Vec<String> {
    // A status belongs to the screen that said it.
    let Some(status) = model.status.as_ref().filter(|s| s.screen == model.screen) else {
        return Vec::new();
    };
    let cells = usize::from(columns).saturating_sub(1).max(1);
    let mut lines = super::text::wrap(&status.text, cells);
    lines.truncate(STATUS_LINES_MAX);
    lines
}

fn status_line(model: &Model, frame: &mut Frame, area: Rect, lines: Vec<String>) {
    let Some(status) = model.status.as_ref() else {
        return;
    };
    let style = match status.tone {
        Tone::Info => Theme::INFO,
        Tone::Good => Theme::GOOD,
        Tone::Bad => Theme::BAD,
    };
    let rows: Vec<Line> = lines
        .iter()
        .map(|line| {
            Line::from(Span::styled(
                pad_right(&format!(" {line}"), area.width as usize),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), area);
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use super::*;
    use crate::tui::testing::model;

    fn screen(model: &Model) -> String {
        let mut terminal =
            Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
        terminal
            .draw(|frame| view(model, frame))
            .unwrap_or_else(|e| panic!("{e}"));
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .filter_map(|x| buffer.cell((x, y)).map(|c| c.symbol().to_string()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A refusal longer than the terminal is wide is shown whole (its way out is at its end),
    /// on as many status lines as it needs, up to three.
    #[test]
    fn a_long_refusal_is_shown_whole() {
        let mut m = model(Access::Till);
        let refusal = "站点编号“王家村”里有“王”；站点编号要写在同步数据包的文件名里，只能用英文字母、数字、- 和 _，最多 16 个字符；建议 WJC01";
        m.say(Tone::Bad, refusal);
        let shown = screen(&m);
        let joined: String = shown
            .lines()
            .map(|l| l.trim().replace(' ', ""))
            .collect::<String>();
        assert!(joined.contains("建议WJC01"), "{shown}");
        assert!(joined.contains("最多16个字符"), "{shown}");
        // A short one keeps one line.
        m.say(Tone::Good, "已保存");
        assert_eq!(status_lines(&m, 80).len(), 1);
        assert_eq!(status_lines(&m, 80).concat(), "已保存");
    }
}
