//! The goods screen: the search line and the catalog with each item's zone, points, stock,
//! low-stock reminder and supplier; an item below its reminder is marked, as in the till's
//! catalog and on the day screen.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{Align, Columns};
use super::theme::Theme;
use super::{input_line, monitor_note, muted, panel, row, visible, zone_label};

/// Draws the goods screen.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let focused = model.modal.is_none();
    let low = model.data.goods.iter().filter(|g| g.is_low()).count();
    let title = match model.lang {
        crate::i18n::Lang::Zh => format!(
            "商品管理 · {} 种，{low} 种低于提醒数",
            model.data.goods.len()
        ),
        crate::i18n::Lang::En => format!(
            "Goods · {} items, {low} below their reminder",
            model.data.goods.len()
        ),
    };
    let block = panel(&title, focused);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let screen = &model.goods;
    let mut lines = vec![input_line(
        model.t("查找：", "Find: "),
        &screen.query.text,
        focused,
        cells,
    )];
    let (id_w, unit_w, zone_w, price_w, stock_w, low_w, supplier_w) = (6, 4, 4, 5, 6, 6, 10);
    let name_w =
        cells.saturating_sub(id_w + unit_w + zone_w + price_w + stock_w + low_w + supplier_w + 7);
    let columns = Columns([
        (id_w, Align::Left),
        (name_w, Align::Left),
        (unit_w, Align::Left),
        (zone_w, Align::Right),
        (price_w, Align::Right),
        (stock_w, Align::Right),
        (low_w, Align::Right),
        (supplier_w, Align::Left),
    ]);
    lines.push(columns.header([
        model.t("编号", "Id"),
        model.t("名称", "Name"),
        model.t("单位", "Unit"),
        model.t("区", "Zone"),
        model.t("积分", "Pts"),
        model.t("库存", "Stock"),
        model.t("提醒", "Remind"),
        model.t("供货商", "Supplier"),
    ]));
    if screen.hits.is_empty() {
        let note = if model.data.goods.is_empty() {
            format!(
                "{}{} {}",
                model.t("目录里还没有商品：", "the catalog is empty: "),
                model.key(Context::Goods, Action::New),
                model.t("新增商品", "add an item"),
            )
        } else {
            model.t("没有匹配的商品", "no matching goods").to_string()
        };
        lines.push(muted(note));
    }
    let rows = (inner.height as usize).saturating_sub(2 + usize::from(model.access.is_monitor()));
    for (i, &p) in visible(&screen.hits, screen.selected, rows) {
        let Some(g) = model.data.goods.get(p) else {
            continue;
        };
        let stock = if g.is_low() {
            format!("{}↓", g.stock_units)
        } else {
            g.stock_units.to_string()
        };
        let reminder = if g.low_stock_units > 0 {
            format!("<{}", g.low_stock_units)
        } else {
            "—".to_string()
        };
        let text = columns.text([
            &g.goods.goods_id,
            &g.goods.name,
            &g.goods.unit,
            &zone_label(model, g.goods.zone),
            &g.goods.price_points.to_string(),
            &stock,
            &reminder,
            &g.goods.supplier,
        ]);
        let base = if g.is_low() {
            Theme::MARKED
        } else if g.stock_units <= 0 {
            Theme::DISABLED
        } else {
            Theme::PLAIN
        };
        lines.push(row(text, cells, i == screen.selected, focused, base));
    }
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}
