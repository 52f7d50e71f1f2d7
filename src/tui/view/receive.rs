//! The receive-stock screen: the goods search on the left, the form on the right (units,
//! source and its party, the cost of a purchase).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::{Model, ReceiveField, SourceKind};
use super::super::text::{pad_left, pad_right};
use super::theme::Theme;
use super::{input_line, monitor_note, muted, panel, row, visible, zone_label};

/// Receive stock: goods, quantity, source and its party.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
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
        .or_else(|| {
            form.new_goods.as_ref().map(|g| {
                format!(
                    "{} {}（{}）",
                    g.goods_id,
                    g.name,
                    model.t("新建档", "new item")
                )
            })
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
        (SourceKind::Donation, model.t("捐赠", "donated")),
        (SourceKind::Purchase, model.t("采购", "bought")),
        (SourceKind::Supply, model.t("商户供货", "supply")),
        (SourceKind::Transfer, model.t("乡镇调拨", "township")),
    ];
    let mut heading = vec![Span::styled(
        model.t("来源：", "Source: ").to_string(),
        Theme::MUTED,
    )];
    if focused(ReceiveField::Source) {
        let keys = model.key_pair(Context::Receive, Action::OptionPrev, Action::OptionNext);
        heading.push(Span::styled(
            format!("{keys} {}", model.t("切换", "to change")),
            Theme::MUTED,
        ));
    }
    lines.push(Line::from(heading));
    let mut spans = Vec::new();
    for (kind, label) in kinds {
        let style = match (kind == form.source, focused(ReceiveField::Source)) {
            (true, true) => Theme::HIGHLIGHT,
            (true, false) => Theme::CHOICE,
            _ => Theme::PLAIN,
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    lines.push(Line::from(spans));
    let party = match form.source {
        SourceKind::Donation => model.t("捐赠人：", "Donor: "),
        SourceKind::Purchase => model.t("资金来源：", "Fund: "),
        SourceKind::Transfer => model.t("调出单位：", "From: "),
        SourceKind::Supply => model.t("供货商（空=目录里的）：", "Merchant (blank=catalog): "),
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
    lines.push(muted(format!(
        "{} {} · {} {} · {} {}",
        model.key(Context::Receive, Action::FieldNext),
        model.t("下一项", "next"),
        model.key(Context::Receive, Action::Select),
        model.t("确定", "accept"),
        model.key(Context::Receive, Action::Submit),
        model.t("入库", "receive"),
    )));
    lines.push(muted(format!(
        "{} {}",
        model.key(Context::Receive, Action::New),
        model.t("目录里没有的新商品", "an item not in the catalog"),
    )));
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}
