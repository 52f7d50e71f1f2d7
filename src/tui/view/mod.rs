//! Drawing: `view(&Model, &mut Frame)` borrows the model and never changes it. The frame is a
//! title bar, the screen's body, a status line and a line of key hints (`hints`); popups draw
//! on top. Each screen has its file, as in `update`: the till's lookup, catalog and cart in
//! `till`, then `receive`, `scores`, `awards`, `day`, `void`, `board`, `setup`, `sync`, and the
//! popups in `popup`; `widgets` holds what they share. Below 80×24 it says the terminal is too
//! small instead of drawing a broken till.

mod awards;
mod board;
mod day;
mod hints;
mod login;
mod popup;
mod receive;
mod scores;
mod setup;
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
    input_line, monitor_note, muted, panel, row, scroll_offset, visible, zone_label,
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
        Screen::Receive => receive::draw(model, frame, body),
        Screen::Scores => scores::draw(model, frame, body),
        Screen::Awards => awards::draw(model, frame, body),
        Screen::Day => day::draw(model, frame, body),
        Screen::Void => void::draw(model, frame, body),
        Screen::Board => board::draw(model, frame, body),
        Screen::Sync => sync::draw(model, frame, body),
        Screen::Login => login::draw(model, frame, body),
    }
    status_line(model, frame, status);
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
    let badge = match model.access {
        Access::Till => format!(" {} ", model.t("收银", "TILL")),
        Access::Monitor | Access::ReadOnly => format!(" {} ", model.t("监督（只读）", "MONITOR")),
    };
    let right = if model.operator.is_empty() {
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
