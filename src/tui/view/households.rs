//! The households screen: the search line and every household it finds, with its id, card,
//! group, phone and points (a replaced card found by its old number reads "作废 → new card");
//! under an empty list, the keys that add the first households.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::data::HouseholdHit;
use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{Align, Columns};
use super::theme::Theme;
use super::{input_line, monitor_note, muted, panel, row, visible};

/// Draws the households screen.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let focused = model.modal.is_none();
    let title = format!(
        "{} · {} {}",
        model.t("农户档案（一户一档）", "Households (one file each)"),
        model.data.households.len(),
        model.t("户", "households")
    );
    let block = panel(&title, focused);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let screen = &model.households;
    let mut lines = vec![input_line(
        model.t("查找：", "Find: "),
        &screen.query.text,
        focused,
        cells,
    )];
    let (id_w, card_w, group_w, phone_w, num_w) = (8, 10, 6, 11, 5);
    let name_w = cells.saturating_sub(id_w + card_w + group_w + phone_w + num_w * 2 + 6);
    let columns = Columns([
        (name_w, Align::Left),
        (id_w, Align::Left),
        (card_w, Align::Left),
        (group_w, Align::Left),
        (phone_w, Align::Left),
        (num_w, Align::Right),
        (num_w, Align::Right),
    ]);
    lines.push(columns.header([
        model.t("户主", "Head"),
        model.t("户号", "Id"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("电话", "Phone"),
        model.t("可用", "Avail"),
        model.t("公示", "Pend."),
    ]));
    if screen.hits.is_empty() {
        let note = if model.data.households.is_empty() {
            format!(
                "{}{} {} · {} {}",
                model.t("还没有登记农户：", "no households yet: "),
                model.key(Context::Households, Action::New),
                model.t("登记新农户", "register one"),
                model.key(Context::Households, Action::ImportSheet),
                model.t("从U盘导入农户表", "import a sheet from the USB stick"),
            )
        } else {
            model
                .t(
                    "没有匹配：卡号、户号、姓名、拼音首字母、电话尾号",
                    "no match: card, id, name, pinyin initials, phone tail",
                )
                .to_string()
        };
        lines.push(muted(note));
    }
    let rows = (inner.height as usize).saturating_sub(2 + usize::from(model.access.is_monitor()));
    for (i, hit) in visible(&screen.hits, screen.selected, rows) {
        let selected = i == screen.selected;
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
                let text = columns.text([
                    h.head,
                    h.household_id,
                    h.card_no,
                    h.group,
                    h.phone,
                    &h.balance_points.to_string(),
                    &pending,
                ]);
                row(text, cells, selected, focused, Theme::PLAIN)
            }
            HouseholdHit::VoidedCard(p) => {
                let Some(h) = model.data.households.get(p) else {
                    continue;
                };
                let text = format!(
                    "{} {} {} → {} {} {}",
                    model.t("卡号", "card"),
                    model.households.query.value().to_uppercase(),
                    model.t("作废", "void"),
                    model.t("新卡", "new card"),
                    h.card_no,
                    h.head,
                );
                row(text, cells, selected, focused, Theme::DISABLED)
            }
        };
        lines.push(line);
    }
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}
