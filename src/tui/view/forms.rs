//! The popup forms, the sheet picker and the import preview, drawn over the screen: a form's
//! title says what it is for, its fields are labelled in the normaliser's words with the one
//! that has the keyboard marked, and its last line names the keys (from the loaded keymap).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::domain::input::Field;
use crate::domain::Command;

use super::super::keymap::{Action, Context};
use super::super::model::{
    FieldValue, Form, FormKind, Model, SheetPicker, SheetPreview, SheetPurpose,
};
use super::super::text::{pad_left, pad_right};
use super::popup::boxed;
use super::theme::Theme;
use super::{input_line, muted, row, visible, wrap_line};

/// Columns of a form popup.
const FORM_COLUMNS: u16 = 66;
/// Columns of the import preview.
const PREVIEW_COLUMNS: u16 = FORM_COLUMNS + 8;
/// Cells of a field's label.
const LABEL_CELLS: usize = 22;

fn title(model: &Model, form: &Form) -> String {
    let lang = model.lang;
    match (&form.kind, lang) {
        (FormKind::RegisterHousehold, _) => model.t("登记新农户", "Register a household").into(),
        (FormKind::EditHousehold { household }, crate::i18n::Lang::Zh) => {
            format!("更正档案：{} {}", household.household_id, household.head)
        }
        (FormKind::EditHousehold { household }, crate::i18n::Lang::En) => format!(
            "Correct the file of {} {}",
            household.household_id, household.head
        ),
        (FormKind::ReissueCard { household_id, .. }, _) => format!(
            "{}{household_id}",
            model.t("挂失补卡：", "Reissue the card of ")
        ),
        (FormKind::AddGoods { for_receive: true }, _) => model
            .t(
                "新商品：建档后随这批入库",
                "New item: defined with this delivery",
            )
            .into(),
        (FormKind::AddGoods { for_receive: false }, _) => model.t("新增商品", "Add an item").into(),
        (FormKind::EditGoods { goods }, _) => format!(
            "{}{} {}",
            model.t("修改商品：", "Change item "),
            goods.goods_id,
            goods.name
        ),
        (FormKind::LowStock { goods_id, .. }, _) => format!(
            "{}{goods_id}",
            model.t("低库存提醒：", "Low-stock reminder: ")
        ),
        (FormKind::Revoke { award }, _) => {
            format!("{} #{}", model.t("撤销评分", "Revoke award"), award.seq)
        }
        (FormKind::Correct { award }, _) => {
            format!("{} #{}", model.t("更正评分", "Correct award"), award.seq)
        }
        (FormKind::Stocktake { differences }, crate::i18n::Lang::Zh) => {
            format!("盘点差异 {} 项", differences.len())
        }
        (FormKind::Stocktake { differences }, crate::i18n::Lang::En) => match differences.len() {
            1 => "Stocktake: 1 difference".to_string(),
            n => format!("Stocktake: {n} differences"),
        },
    }
}

/// The label of a field, in the words of the form it is on.
fn label(model: &Model, kind: &FormKind, field: Field) -> String {
    let text = match (kind, field) {
        (FormKind::ReissueCard { .. }, Field::CardNo) => model.t("新卡号", "New card"),
        (FormKind::LowStock { .. }, Field::Quantity) => {
            model.t("少于几件提醒(0不提醒)", "Below (0: none)")
        }
        (FormKind::Correct { .. }, Field::Score) => model.t("更正后的分数", "Corrected score"),
        (FormKind::Revoke { .. } | FormKind::Correct { .. }, Field::Reason) => {
            model.t("异议/原因", "Objection/reason")
        }
        (_, Field::Members) => model.t("家庭成员(用、分开)", "Members (comma)"),
        (_, Field::Zone) => model.t("专区(积分或捐赠)", "Zone (pts/donation)"),
        (_, Field::PricePoints) => model.t("积分（每件）", "Points each"),
        _ => field.name(model.lang),
    };
    // The normaliser's words start in lower case, as they sit inside a sentence; a label
    // starts a line.
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the form is about, above its fields.
fn context_lines(model: &Model, form: &Form, rows: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &form.kind {
        FormKind::EditHousehold { household } => lines.push(muted(format!(
            "{}{}{}",
            model.t("卡号 ", "card "),
            household.card_no,
            model.t(
                "不变（换卡请用补卡）；原档案留有记录",
                " stays (a new card is a reissue); the earlier file stays on record"
            )
        ))),
        FormKind::ReissueCard { old_card_no, .. } => lines.push(muted(format!(
            "{}{old_card_no}{}",
            model.t("旧卡 ", "the old card "),
            model.t(
                " 立即作废，查找时显示“作废 → 新卡”",
                " stops at once and shows as void → new card"
            )
        ))),
        FormKind::LowStock { goods_id, units } => {
            let (name, stock) = model
                .data
                .goods_by_id(goods_id)
                .map(|g| (g.goods.name.clone(), g.stock_units))
                .unwrap_or_default();
            lines.push(muted(format!(
                "{name} · {}{stock} · {}{units}",
                model.t("现库存 ", "stock "),
                model.t("现提醒 ", "reminder now "),
            )));
        }
        FormKind::Revoke { award } | FormKind::Correct { award } => {
            lines.push(Line::from(format!(
                "{} {} {} {} → {} {}",
                model.data.head_or_id(&award.household_id),
                award.period.0,
                model.t("得分", "score"),
                award.score,
                award.points,
                model.t("积分（公示中）", "pt (in publicity)"),
            )));
            if matches!(form.kind, FormKind::Correct { .. }) {
                lines.push(muted(model.t(
                    "原评分撤销，更正后的分数重新公示",
                    "the award is revoked and the corrected score starts its own publicity",
                )));
            }
        }
        FormKind::Stocktake { differences } => {
            let cells = usize::from(FORM_COLUMNS) - 2;
            let name_w = cells.saturating_sub(24);
            let shown = differences.iter().skip(form.scroll).take(rows);
            lines.push(muted(format!(
                "{} {} {} {}",
                pad_right(model.t("商品", "Item"), name_w),
                pad_left(model.t("账面", "Ledger"), 7),
                pad_left(model.t("实盘", "Count"), 7),
                pad_left(model.t("差额", "Diff."), 7),
            )));
            for d in shown {
                let name = model
                    .data
                    .goods_by_id(&d.goods_id)
                    .map(|g| g.goods.name.clone())
                    .unwrap_or_else(|| d.goods_id.clone());
                let style = if d.delta() < 0 {
                    Theme::BAD
                } else {
                    Theme::GOOD
                };
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} {} {} {}",
                        pad_right(&name, name_w),
                        pad_left(&d.stock_units.to_string(), 7),
                        pad_left(&d.counted_units.to_string(), 7),
                        pad_left(&format!("{:+}", d.delta()), 7),
                    ),
                    style,
                )));
            }
            if differences.len() > form.scroll + rows {
                lines.push(muted(format!(
                    "… {} {}",
                    differences.len() - form.scroll - rows,
                    model.t("项（PgDn 翻看）", "more (PgDn)")
                )));
            }
        }
        FormKind::RegisterHousehold | FormKind::AddGoods { .. } | FormKind::EditGoods { .. } => {}
    }
    lines
}

/// Draws a popup form.
pub fn form(model: &Model, form: &Form, frame: &mut Frame, area: Rect) {
    let cells = usize::from(FORM_COLUMNS) - 2;
    let list_rows = usize::from(area.height).saturating_sub(form.fields.len() + 10);
    let mut lines = context_lines(model, form, list_rows.max(3));
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    for (i, field) in form.fields.iter().enumerate() {
        let at = i == form.at;
        let name = pad_right(&label(model, &form.kind, field.field), LABEL_CELLS);
        let line = match &field.value {
            FieldValue::Text(input) => {
                let mut line = input_line(&name, &input.text, at, cells);
                if at {
                    line.spans[0].style = Theme::FOCUS_BORDER;
                }
                line
            }
            FieldValue::Flag(value) => {
                let choice = |on: bool, text: &str| {
                    let style = match (on == *value, at) {
                        (true, true) => Theme::HIGHLIGHT,
                        (true, false) => Theme::CHOICE,
                        _ => Theme::PLAIN,
                    };
                    Span::styled(format!(" {text} "), style)
                };
                let mut spans = vec![
                    Span::styled(
                        name,
                        if at {
                            Theme::FOCUS_BORDER
                        } else {
                            Theme::MUTED
                        },
                    ),
                    choice(true, model.t("是", "yes")),
                    Span::raw(" "),
                    choice(false, model.t("否", "no")),
                ];
                if at {
                    let keys =
                        model.key_pair(Context::Form, Action::OptionPrev, Action::OptionNext);
                    spans.push(Span::styled(format!(" {keys}"), Theme::MUTED));
                }
                Line::from(spans)
            }
        };
        lines.push(line);
    }
    lines.push(Line::from(""));
    lines.push(muted(format!(
        "{} {} · {} {} · {} {}",
        model.key(Context::Form, Action::FieldNext),
        model.t("下一项", "next"),
        model.keys(Context::Form, Action::Submit, "/"),
        model.t("提交", "submit"),
        model.key(Context::Form, Action::Cancel),
        model.t("取消", "cancel"),
    )));
    let rows = (lines.len() as u16).saturating_add(2);
    boxed(
        frame,
        area,
        FORM_COLUMNS,
        rows,
        &title(model, form),
        lines,
        0,
    );
}

/// Draws the sheet picker.
pub fn sheet(model: &Model, picker: &SheetPicker, frame: &mut Frame, area: Rect) {
    let cells = usize::from(FORM_COLUMNS) - 2;
    let title = match picker.purpose {
        SheetPurpose::Households => model.t("从U盘导入农户表", "Import a households sheet"),
        SheetPurpose::Counts => model.t("从U盘读取盘点表", "Read a count sheet"),
    };
    let mut lines = vec![muted(format!(
        "{}{}",
        model.t("U盘文件夹：", "USB folder: "),
        picker.folder.display()
    ))];
    if let Some(note) = &picker.note {
        lines.push(Line::from(Span::styled(note.clone(), Theme::BAD)));
    } else if picker.files.is_empty() {
        lines.push(muted(model.t(
            "文件夹里没有表格文件（.xlsx .xls .ods .csv）",
            "no sheet files in the folder (.xlsx .xls .ods .csv)",
        )));
    }
    let rows = usize::from(area.height).saturating_sub(9).max(3);
    let typed = !picker.path.value().is_empty();
    for (i, file) in visible(&picker.files, picker.selected, rows) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        lines.push(row(name, cells, i == picker.selected, !typed, Theme::PLAIN));
    }
    lines.push(Line::from(""));
    lines.push(input_line(
        model.t("或输入文件路径：", "or type a path: "),
        &picker.path.text,
        true,
        cells,
    ));
    lines.push(muted(format!(
        "{} {} · {} {}",
        model.key(Context::Sheet, Action::Select),
        model.t("读取", "read"),
        model.key(Context::Sheet, Action::Cancel),
        model.t("取消", "cancel"),
    )));
    let height = (lines.len() as u16).saturating_add(2);
    boxed(frame, area, FORM_COLUMNS, height, title, lines, 0);
}

/// One new household of a preview, in words.
fn new_row(model: &Model, row: u64, command: &Command) -> String {
    let place = match model.lang {
        crate::i18n::Lang::Zh => format!("第 {row} 行"),
        crate::i18n::Lang::En => format!("row {row}"),
    };
    match command {
        Command::RegisterHousehold { household: h } => format!(
            "{place} {} {} {}{} {}",
            h.household_id,
            h.head,
            model.t("卡 ", "card "),
            h.card_no,
            h.group
        ),
        other => format!("{place} {other:?}"),
    }
}

/// Draws the preview of a sheet import.
pub fn preview(model: &Model, preview: &SheetPreview, frame: &mut Frame, area: Rect) {
    let refused = preview.refused.len() + preview.more_refused;
    let summary = match model.lang {
        crate::i18n::Lang::Zh => format!(
            "将新增 {} 户 · 已登记不变 {} 户 · 被拒绝 {refused} 行",
            preview.new.len(),
            preview.unchanged
        ),
        crate::i18n::Lang::En => format!(
            "{} to add · {} already registered · {refused} refused",
            preview.new.len(),
            preview.unchanged
        ),
    };
    let mut lines = vec![
        muted(preview.file.clone()),
        Line::from(Span::styled(
            summary,
            if refused > 0 { Theme::BAD } else { Theme::GOOD },
        )),
    ];
    if refused > 0 {
        lines.push(Line::from(Span::styled(
            model
                .t(
                    "有被拒绝的行：整个文件都不会导入；请在表格里改正后再导入",
                    "rows are refused: nothing of the file is imported; correct the sheet and import again",
                )
                .to_string(),
            Theme::BAD,
        )));
        for text in &preview.refused {
            lines.push(Line::from(Span::styled(format!("✗ {text}"), Theme::BAD)));
        }
        if preview.more_refused > 0 {
            lines.push(muted(format!(
                "… {} {}",
                preview.more_refused,
                model.t("行未列出", "more not listed")
            )));
        }
    }
    if !preview.new.is_empty() {
        lines.push(Line::from(Span::styled(
            model.t("将新增：", "To add:").to_string(),
            Theme::FOCUS_BORDER,
        )));
        for (row, command) in &preview.new {
            lines.push(Line::from(format!("+ {}", new_row(model, *row, command))));
        }
    }
    let keys = if preview.can_import() {
        format!(
            "{} {} · {} {}",
            model.key(Context::Preview, Action::Confirm),
            model.t("导入", "import"),
            model.key(Context::Preview, Action::Cancel),
            model.t("不导入", "do not import"),
        )
    } else {
        format!(
            "{} {}",
            model.key(Context::Preview, Action::Cancel),
            model.t("关闭", "close"),
        )
    };
    // The keys stay in view below the scrolled list, which is counted in screen lines.
    let lines: Vec<Line<'static>> = lines
        .iter()
        .flat_map(|line| wrap_line(line, usize::from(PREVIEW_COLUMNS) - 2))
        .collect();
    // Borders and the keys' line, under the screen's own borders (see `boxed`).
    let body_rows = usize::from(area.height).saturating_sub(5);
    let scroll = preview.scroll.min(lines.len().saturating_sub(body_rows));
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(body_rows).collect();
    shown.push(muted(keys));
    let rows = (shown.len() as u16).saturating_add(2);
    let title = model.t(
        "导入预览（尚未写入）",
        "Import preview (nothing written yet)",
    );
    boxed(frame, area, PREVIEW_COLUMNS, rows, title, shown, 0);
}
