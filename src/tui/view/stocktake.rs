//! The stocktake screen: every catalog item with the units the ledger holds, the count typed
//! for it (or read from a count sheet) and the difference it would record; below, what a count
//! sheet could not fill in.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::input::{self, Field};

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{pad_right, Align, Columns};
use super::theme::Theme;
use super::{monitor_note, muted, panel, row, visible};

/// Rows the count sheet's problems take at most.
const PROBLEM_ROWS_MAX: u16 = 4;

/// Draws the stocktake.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let problems = &model.stocktake.sheet_problems;
    let problem_rows = if problems.is_empty() {
        0
    } else {
        (problems.len() as u16).min(PROBLEM_ROWS_MAX) + 2
    };
    let [list, notes] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(problem_rows)]).areas(body);
    let focused = model.modal.is_none();
    let counted = model
        .stocktake
        .counts
        .values()
        .filter(|c| !c.value().is_empty())
        .count();
    let title = match model.lang {
        crate::i18n::Lang::Zh => format!(
            "盘点 · 已填 {counted}/{} 项 · 输入实盘数，{} 记账",
            model.data.goods.len(),
            model.key(Context::Stocktake, Action::Submit)
        ),
        crate::i18n::Lang::En => format!(
            "Stocktake · {counted}/{} counted · type the counts, {} to record",
            model.data.goods.len(),
            model.key(Context::Stocktake, Action::Submit)
        ),
    };
    let block = panel(&title, focused);
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let cells = inner.width as usize;
    let (id_w, num_w) = (6, 7);
    let name_w = cells.saturating_sub(id_w + num_w * 3 + 4);
    let columns = Columns([
        (id_w, Align::Left),
        (name_w, Align::Left),
        (num_w, Align::Right),
        (num_w, Align::Right),
        (num_w, Align::Right),
    ]);
    let mut lines = vec![columns.header([
        model.t("编号", "Id"),
        model.t("商品", "Item"),
        model.t("账面", "Ledger"),
        model.t("实盘", "Counted"),
        model.t("差额", "Diff."),
    ])];
    if model.data.goods.is_empty() {
        lines.push(muted(model.t("目录里还没有商品", "the catalog is empty")));
    }
    let rows = (inner.height as usize).saturating_sub(1 + usize::from(model.access.is_monitor()));
    let positions: Vec<usize> = (0..model.data.goods.len()).collect();
    for (i, &p) in visible(&positions, model.stocktake.selected, rows) {
        let Some(g) = model.data.goods.get(p) else {
            continue;
        };
        let typed = model
            .stocktake
            .counts
            .get(&g.goods.goods_id)
            .map(|c| c.text.clone())
            .unwrap_or_default();
        let selected = i == model.stocktake.selected;
        let shown = if selected && focused {
            format!("{typed}▏")
        } else {
            typed.clone()
        };
        let (difference, base) = match input::number(&typed, Field::Quantity) {
            _ if typed.trim().is_empty() => (String::new(), Theme::PLAIN),
            Ok(units) if units == g.stock_units => ("0".to_string(), Theme::GOOD),
            Ok(units) => (format!("{:+}", units - g.stock_units), Theme::MARKED),
            Err(_) => ("?".to_string(), Theme::BAD),
        };
        let text = columns.text([
            &g.goods.goods_id,
            &g.goods.name,
            &g.stock_units.to_string(),
            &shown,
            &difference,
        ]);
        lines.push(row(text, cells, selected, focused, base));
    }
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);

    if problems.is_empty() {
        return;
    }
    let block = panel(
        model.t("盘点表中不能用的行", "Rows of the count sheet not used"),
        false,
    );
    let inner = block.inner(notes);
    frame.render_widget(block, notes);
    let cells = inner.width as usize;
    let mut lines: Vec<Line> = problems
        .iter()
        .take(usize::from(PROBLEM_ROWS_MAX))
        .map(|p| Line::from(Span::styled(pad_right(p, cells), Theme::BAD)))
        .collect();
    if problems.len() > usize::from(PROBLEM_ROWS_MAX) {
        lines.truncate(usize::from(PROBLEM_ROWS_MAX) - 1);
        lines.push(muted(format!(
            "… {} {}",
            problems.len() - usize::from(PROBLEM_ROWS_MAX) + 1,
            model.t("行未列出", "more rows")
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
