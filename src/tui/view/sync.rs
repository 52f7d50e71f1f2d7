//! The USB sync screen: the folder on the stick at the top, and below it one scrollable report
//! whose rows, in words, come from [`super::super::sync_report`] (shared with `update`, which
//! bounds the scrolling by them); this file lays them out and colours them.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::sync_report::{sync_report, RowTone};
use super::super::text::pad_right;
use super::theme::Theme;
use super::{input_line, panel};

fn style(tone: RowTone) -> Style {
    match tone {
        RowTone::Heading => Theme::INFO,
        RowTone::Plain => Theme::PLAIN,
        RowTone::Muted => Theme::MUTED,
        RowTone::Good => Theme::GOOD,
        RowTone::Bad => Theme::BAD,
        RowTone::Monitor => Theme::MONITOR,
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
            "{} · {} {} · {} {} · {} {}",
            model.t("U盘文件夹", "USB folder"),
            keys(Action::Export),
            model.t("导出", "export"),
            keys(Action::Import),
            model.t("导入", "import"),
            keys(Action::Backup),
            model.t("备份", "back up"),
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
        .map(|r| Line::from(Span::styled(pad_right(&r.text, cells), style(r.tone))))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
