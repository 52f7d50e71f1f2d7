//! The till screen: household lookup (top left), goods catalog (bottom left) and the cart
//! (right). Under the cart stands what the domain says of it (the dry run of its redemption),
//! in the domain's words, or what to do next.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::Zone;
use crate::domain::refusal::Refusal;

use super::super::data::HouseholdHit;
use super::super::keymap::{Action, Context};
use super::super::model::{CartVerdict, Focus, Model};
use super::super::text::{spread, Align, Columns};
use super::theme::Theme;
use super::{input_line, muted, panel, row, visible, wrap_line, zone_label};

/// The three panels' areas for a body area.
pub fn areas(body: Rect) -> (Rect, Rect, Rect) {
    let left_width = (u32::from(body.width) * 55 / 100) as u16;
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(10)]).areas(body);
    let lookup_height = (body.height * 45 / 100).max(8);
    let [lookup, catalog] =
        Layout::vertical([Constraint::Length(lookup_height), Constraint::Min(5)]).areas(left);
    (lookup, catalog, right)
}

/// Draws the till.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let (lookup_area, catalog_area, cart_area) = areas(body);
    lookup(model, frame, lookup_area);
    catalog(model, frame, catalog_area);
    cart(model, frame, cart_area);
}

fn lookup(model: &Model, frame: &mut Frame, area: Rect) {
    let focused = model.focus == Focus::Lookup && model.modal.is_none();
    let title = format!(
        "{} {}",
        model.t("查找农户", "Household"),
        model.key(Context::Global, Action::FocusLookup)
    );
    let block = panel(&title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let mut lines = vec![input_line(
        model.t("查找：", "Find: "),
        &model.lookup.query.text,
        focused,
        cells,
    )];
    let (card_w, group_w, num_w) = (9, 6, 5);
    let name_w = cells.saturating_sub(card_w + group_w + num_w * 2 + 4);
    let columns = Columns([
        (name_w, Align::Left),
        (card_w, Align::Left),
        (group_w, Align::Left),
        (num_w, Align::Right),
        (num_w, Align::Right),
    ]);
    lines.push(columns.header([
        model.t("户主", "Head"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("可用", "Avail"),
        model.t("公示", "Pend."),
    ]));
    let rows = (inner.height as usize).saturating_sub(2);
    if model.lookup.hits.is_empty() {
        let text = if model.data.households_loading {
            model
                .t("正在读取农户……", "reading the households…")
                .to_string()
        } else if model.data.households.is_empty() {
            model.key_sentence(
                ("还没有登记农户：", "no households yet: "),
                Context::Global,
                Action::OpenHouseholds,
                (" 农户档案", " to add them"),
            )
        } else {
            model
                .t(
                    "没有匹配：卡号、户号、姓名、拼音首字母、电话尾号",
                    "no match: card, id, name, pinyin initials, phone tail",
                )
                .to_string()
        };
        lines.push(muted(text));
    }
    for (i, hit) in visible(&model.lookup.hits, model.lookup.selected, rows) {
        let selected = i == model.lookup.selected;
        let line = match *hit {
            HouseholdHit::Household(p) => {
                let Some(h) = model.data.households.get(p) else {
                    continue;
                };
                let pending = if h.pending_points > 0 {
                    format!("+{}", h.pending_points)
                } else {
                    String::new()
                };
                let in_cart = model.cart.household.as_deref() == Some(h.household_id);
                let base = if in_cart { Theme::GOOD } else { Theme::PLAIN };
                row(
                    columns.text([
                        h.head,
                        h.card_no,
                        h.group,
                        &h.balance_points.to_string(),
                        &pending,
                    ]),
                    cells,
                    selected,
                    focused,
                    base,
                )
            }
            HouseholdHit::VoidedCard(p) => {
                let Some(h) = model.data.households.get(p) else {
                    continue;
                };
                let text = format!(
                    "{} {} {} → {} {}",
                    model.t("卡号", "card"),
                    model.lookup.query.value().to_uppercase(),
                    model.t("已作废", "replaced"),
                    h.head,
                    h.card_no
                );
                row(text, cells, selected, focused, Theme::DISABLED)
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn catalog(model: &Model, frame: &mut Frame, area: Rect) {
    let focused = model.focus == Focus::Catalog && model.modal.is_none();
    let title = format!(
        "{} {}",
        model.t("商品目录", "Catalog"),
        model.key(Context::Global, Action::FocusCatalog)
    );
    let block = panel(&title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let mut lines = vec![input_line(
        model.t("搜索：", "Search: "),
        &model.catalog.query.text,
        focused,
        cells,
    )];
    let mut zones = vec![
        Span::styled(model.t("分区", "Zone").to_string(), Theme::MUTED),
        Span::raw(" "),
    ];
    let mut options: Vec<Option<Zone>> = vec![None];
    options.extend(model.data.zones().into_iter().map(Some));
    for option in options {
        let label = match option {
            None => model.t("全部", "All").to_string(),
            Some(z) => zone_label(model, z),
        };
        let style = if option == model.catalog.zone {
            Theme::CHOICE
        } else {
            Theme::PLAIN
        };
        zones.push(Span::styled(label, style));
        zones.push(Span::raw(" "));
    }
    let category = model
        .catalog
        .category
        .clone()
        .unwrap_or_else(|| model.t("全部", "all").to_string());
    zones.push(Span::styled(
        format!("{}{category}", model.t("类别:", "cat:")),
        Theme::MUTED,
    ));
    lines.push(Line::from(zones));
    let (zone_w, price_w, stock_w) = (4, 5, 5);
    let name_w = cells.saturating_sub(zone_w + price_w + stock_w + 3);
    let columns = Columns([
        (name_w, Align::Left),
        (zone_w, Align::Right),
        (price_w, Align::Right),
        (stock_w, Align::Right),
    ]);
    lines.push(columns.header([
        model.t("商品", "Item"),
        model.t("区", "Zone"),
        model.t("积分", "Pts"),
        model.t("库存", "Stock"),
    ]));
    let rows = (inner.height as usize).saturating_sub(3);
    if model.catalog.hits.is_empty() {
        let text = if model.data.goods.is_empty() {
            model.key_sentence(
                ("目录里还没有商品：", "no goods in the catalog yet: "),
                Context::Global,
                Action::OpenGoods,
                (" 商品管理", " to add them"),
            )
        } else {
            model.t("没有匹配的商品", "no matching goods").to_string()
        };
        lines.push(muted(text));
    }
    for (i, &p) in visible(&model.catalog.hits, model.catalog.selected, rows) {
        let Some(g) = model.data.goods.get(p) else {
            continue;
        };
        // An item below its low-stock reminder is marked ↓ (the domain's `is_low`).
        let stock = if g.stock_units <= 0 {
            model.t("缺货", "none").to_string()
        } else if g.is_low() {
            format!("{}↓", g.stock_units)
        } else {
            g.stock_units.to_string()
        };
        let base = if g.stock_units <= 0 {
            Theme::DISABLED
        } else if g.is_low() {
            Theme::MARKED
        } else {
            Theme::PLAIN
        };
        let text = columns.text([
            &g.goods.name,
            &zone_label(model, g.goods.zone),
            &g.goods.price_points.to_string(),
            &stock,
        ]);
        lines.push(row(text, cells, i == model.catalog.selected, focused, base));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The cart's check in words: what the domain says would stop the checkout, or what to do
/// next; nothing while the domain's answer for the cart as it stands has not come. In monitor
/// mode a chosen household's cart invites nothing: it says the till only looks.
pub fn cart_check(model: &Model) -> Option<(String, bool)> {
    if model.cart_household().is_none() {
        let text = model.key_sentence(
            ("请先选择农户（", "choose a household first ("),
            Context::Global,
            Action::FocusLookup,
            (" 查找）", ")"),
        );
        return Some((text, false));
    }
    if model.access.is_monitor() {
        let text = model.t(
            "监督模式：只能查看，不能结账",
            "monitor: read-only, no checkout",
        );
        return Some((text.to_string(), false));
    }
    match &model.cart.verdict {
        CartVerdict::Unknown => None,
        CartVerdict::Refused(refusal) => Some((refusal.message(model.lang), false)),
        CartVerdict::Accepted { .. } if model.cart.lines.is_empty() => Some((
            model.key_sentence(
                ("从商品目录选择商品（", "add goods from the catalog ("),
                Context::Global,
                Action::FocusCatalog,
                ("）或扫码", ") or scan them"),
            ),
            true,
        )),
        CartVerdict::Accepted { .. } => Some((
            model.key_sentence(
                ("可以结账：按 ", "ready: press "),
                Context::Global,
                Action::Checkout,
                ("", " to check out"),
            ),
            true,
        )),
    }
}

fn cart(model: &Model, frame: &mut Frame, area: Rect) {
    let focused = model.focus == Focus::Cart && model.modal.is_none();
    let title = format!(
        "{} {}",
        model.t("购物车", "Cart"),
        model.key(Context::Global, Action::FocusCart)
    );
    let block = panel(&title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let unit = model.t("分", "pts");
    let mut top: Vec<Line> = Vec::new();
    match model.cart_household() {
        Some(h) => {
            top.push(Line::from(vec![
                Span::styled(model.t("农户：", "Household: ").to_string(), Theme::MUTED),
                Span::styled(format!("{} {}", h.head, h.card_no), Theme::GOOD),
            ]));
            let pending = if h.pending_points > 0 {
                format!(
                    "  {}{} {unit}",
                    model.t("公示中 +", "pending +"),
                    h.pending_points
                )
            } else {
                String::new()
            };
            top.push(Line::from(format!(
                "{} {} {unit}{pending}",
                model.t("可用", "balance"),
                h.balance_points
            )));
        }
        None => {
            top.push(muted(model.key_sentence(
                ("农户：未选（", "Household: none ("),
                Context::Global,
                Action::FocusLookup,
                (" 查找）", ")"),
            )));
            top.push(Line::from(""));
        }
    }
    let (qty_w, sum_w) = (4, 6);
    let name_w = cells.saturating_sub(qty_w + sum_w + 2);
    let columns = Columns([
        (name_w, Align::Left),
        (qty_w, Align::Right),
        (sum_w, Align::Right),
    ]);
    top.push(columns.header([
        model.t("商品", "Item"),
        model.t("数量", "Qty"),
        model.t("小计", "Sum"),
    ]));

    let mut bottom: Vec<Line> = Vec::new();
    let total = model.cart_total();
    bottom.push(muted("─".repeat(cells)));
    bottom.push(Line::from(spread(
        model.t("合计", "Total"),
        &format!("{total} {unit}"),
        cells,
    )));
    if let Some(h) = model.cart_household() {
        let after = h.balance_points - total;
        let short = matches!(
            model.cart.verdict,
            CartVerdict::Refused(Refusal::BalanceShort { .. })
        );
        let style = if short { Theme::BAD } else { Theme::PLAIN };
        bottom.push(Line::from(Span::styled(
            spread(
                model.t("兑换后余额", "Balance after"),
                &format!("{after} {unit}"),
                cells,
            ),
            style,
        )));
    }
    if !model.cart.typed_quantity.text.is_empty() {
        bottom.push(Line::from(Span::styled(
            format!(
                "{}{}▏{}{}{}",
                model.t("数量：", "Qty: "),
                model.cart.typed_quantity.text,
                model.t("（", " ("),
                model.key(Context::Cart, Action::Select),
                model.t("确认）", ")")
            ),
            Theme::INFO,
        )));
    }
    if let Some((text, ok)) = cart_check(model) {
        let mark = if ok { "✓ " } else { "✗ " };
        bottom.push(Line::from(Span::styled(
            format!("{mark}{text}"),
            if ok { Theme::GOOD } else { Theme::BAD },
        )));
    }
    let bottom: Vec<Line<'static>> = bottom
        .iter()
        .flat_map(|line| wrap_line(line, cells))
        .collect();
    let needed = bottom.len();
    let bottom_height = needed.min((inner.height as usize).saturating_sub(top.len() + 1)) as u16;
    let [top_area, lines_area, bottom_area] = Layout::vertical([
        Constraint::Length(top.len() as u16),
        Constraint::Min(1),
        Constraint::Length(bottom_height),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(top), top_area);
    let rows = lines_area.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    if model.cart.lines.is_empty() {
        lines.push(muted(model.t("（空）", "(empty)")));
    }
    for (i, line) in visible(&model.cart.lines, model.cart.selected, rows) {
        let (name, price) = model
            .data
            .goods_by_id(&line.goods_id)
            .map(|g| (g.goods.name.clone(), g.goods.price_points))
            .unwrap_or_else(|| (line.goods_id.clone(), 0));
        let text = columns.text([
            &name,
            &line.quantity.to_string(),
            &price.saturating_mul(line.quantity).to_string(),
        ]);
        lines.push(row(
            text,
            cells,
            i == model.cart.selected,
            focused,
            Theme::PLAIN,
        ));
    }
    frame.render_widget(Paragraph::new(lines), lines_area);
    frame.render_widget(Paragraph::new(bottom), bottom_area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::KeyName;
    use crate::tui::model::Access;
    use crate::tui::testing::*;

    #[test]
    fn the_cart_check_is_the_domains_verdict_in_its_words() {
        let mut m = model(Access::Till);
        let said = |m: &Model| cart_check(m).unwrap_or_else(|| panic!("no check"));
        assert_eq!(said(&m), ("请先选择农户（F2 查找）".to_string(), false));
        with_household(&mut m);
        assert_eq!(cart_check(&m), None, "the domain has not answered yet");
        m.cart.verdict = CartVerdict::Accepted { total_points: 0 };
        assert_eq!(
            said(&m),
            ("从商品目录选择商品（F3）或扫码".to_string(), true)
        );
        m.cart.verdict = CartVerdict::Refused(Refusal::OutsideWindow);
        let (text, ok) = said(&m);
        assert!(!ok && text.contains("兑换时间"), "{text}");
        named(&mut m, KeyName::Enter);
        m.cart.verdict = CartVerdict::Refused(Refusal::BalanceShort {
            balance_points: 20,
            wanted: 30,
        });
        let (text, ok) = said(&m);
        assert!(!ok && text.contains("积分不足"), "{text}");
        m.cart.verdict = CartVerdict::Accepted { total_points: 30 };
        assert_eq!(said(&m), ("可以结账：按 F5".to_string(), true));
    }

    #[test]
    fn in_monitor_mode_the_cart_invites_no_checkout() {
        let mut m = model(Access::Till);
        with_household(&mut m);
        named(&mut m, KeyName::Enter);
        m.cart.verdict = CartVerdict::Accepted { total_points: 30 };
        named(&mut m, KeyName::F(9));
        m.cart.verdict = CartVerdict::Accepted { total_points: 30 };
        assert_eq!(
            cart_check(&m),
            Some(("监督模式：只能查看，不能结账".to_string(), false))
        );
        m.access = Access::ReadOnly;
        assert_eq!(
            cart_check(&m),
            Some(("监督模式：只能查看，不能结账".to_string(), false))
        );
    }
}
