//! Who is at the till, drawn: the login screen (the station's operators to choose from and the
//! PIN, hidden; or the first manager's fields at a station that has none), the manager fields
//! the setup screen shares, and the two secret popups (a manager's PIN to leave monitor mode, a
//! backup's passphrase). A secret is drawn as one `*` per character, never as itself.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::backup::PASSPHRASE_CHARS_MIN;
use crate::domain::operator::{OperatorRole, PIN_DIGITS_MAX, PIN_DIGITS_MIN};

use super::super::keymap::{Action, Context};
use super::super::model::{Input, ManagerField, ManagerFields, Modal, Model, PassphraseField};
use super::super::text::pad_right;
use super::theme::Theme;
use super::{input_line, muted, panel};

/// A secret as drawn: one `*` per character.
fn hidden(input: &Input) -> String {
    "*".repeat(input.text.chars().count())
}

fn role_word(model: &Model, role: OperatorRole) -> &'static str {
    role.label(model.lang)
}

/// The three manager fields as lines (`focused`: the field with the keyboard, if any).
pub fn manager_lines(
    model: &Model,
    fields: &ManagerFields,
    focused: Option<ManagerField>,
    cells: usize,
) -> Vec<Line<'static>> {
    let pin_prompt = match model.lang {
        crate::i18n::Lang::Zh => format!("密码（{PIN_DIGITS_MIN}–{PIN_DIGITS_MAX} 位数字）："),
        crate::i18n::Lang::En => format!("PIN ({PIN_DIGITS_MIN}–{PIN_DIGITS_MAX} digits): "),
    };
    vec![
        input_line(
            model.t("管理员名字：", "Manager's name: "),
            &fields.name.text,
            focused == Some(ManagerField::Name),
            cells,
        ),
        input_line(
            &pin_prompt,
            &hidden(&fields.pin),
            focused == Some(ManagerField::Pin),
            cells,
        ),
        input_line(
            model.t("再输一遍密码：", "PIN once more: "),
            &hidden(&fields.pin_again),
            focused == Some(ManagerField::PinAgain),
            cells,
        ),
    ]
}

/// Draws the login screen.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let area = body.centered(
        Constraint::Length(64.min(body.width)),
        Constraint::Length(16.min(body.height)),
    );
    let creating = model.operators().is_empty();
    let title = if creating {
        model.t("创建第一个管理员", "Create the first manager")
    } else {
        model.t("登录", "Log in")
    };
    let block = panel(title, model.modal.is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let focused = model.modal.is_none();
    let submit = model.key(Context::Login, Action::Submit);
    let mut lines = Vec::new();
    if creating {
        lines.push(Line::from(Span::styled(
            model
                .t(
                    "本站还没有操作员。请先创建第一个管理员：以后每次打开收银台都用这个名字和密码登录，每笔记录都记下操作员。",
                    "This station has no operators yet. Create the first manager: the till opens with this name and PIN from now on, and every entry records who made it.",
                )
                .to_string(),
            Theme::INFO,
        )));
        lines.push(Line::from(""));
        let field = focused.then_some(model.login.field);
        lines.extend(manager_lines(model, &model.login.manager, field, cells));
        lines.push(Line::from(""));
        lines.push(muted(format!(
            "{} {} · {submit} {}",
            model.key_pair(Context::Login, Action::FieldPrev, Action::FieldNext),
            model.t("换项", "field"),
            model.t("创建并登录", "create and log in"),
        )));
    } else {
        lines.push(Line::from(Span::styled(
            format!(
                "{}{submit}{}",
                model.t(
                    "请选择操作员，输入密码，按",
                    "Choose who you are, type your PIN, press "
                ),
                model.t("登录。", " to log in."),
            ),
            Theme::INFO,
        )));
        lines.push(Line::from(""));
        let rows = 6usize;
        let skip = model.login.selected.saturating_sub(rows - 1);
        for (i, operator) in model.operators().iter().enumerate().skip(skip).take(rows) {
            let selected = i == model.login.selected;
            let text = pad_right(
                &format!(
                    "{} {}  {}",
                    if selected { "▶" } else { " " },
                    pad_right(&operator.name, 20),
                    role_word(model, operator.role)
                ),
                cells,
            );
            let style = if selected {
                Theme::HIGHLIGHT
            } else {
                Theme::PLAIN
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines.push(Line::from(""));
        lines.push(input_line(
            model.t("密码：", "PIN: "),
            &hidden(&model.login.pin),
            focused,
            cells,
        ));
        lines.push(Line::from(""));
        lines.push(muted(format!(
            "{} {} · {submit} {} · {} {}",
            model.key_pair(Context::Login, Action::Up, Action::Down),
            model.t("选择", "choose"),
            model.t("登录", "log in"),
            model.key(Context::Global, Action::Quit),
            model.t("退出", "quit"),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Draws a secret popup (leaving monitor mode, a backup's passphrase) centred in `area`.
pub fn draw_secret(model: &Model, modal: &Modal, frame: &mut Frame, area: Rect) {
    let (title, lines) = match modal {
        Modal::Unlock { selected, pin } => (
            model.t(
                "退出监督模式：需要管理员的密码",
                "Leave monitor mode: a manager's PIN",
            ),
            unlock_lines(model, *selected, pin),
        ),
        Modal::Passphrase {
            passphrase,
            again,
            field,
        } => (
            model.t("备份到U盘：加密口令", "Back up to the stick: passphrase"),
            passphrase_lines(model, passphrase, again, *field),
        ),
        _ => return,
    };
    let rect = area.centered(
        Constraint::Length(62.min(area.width)),
        Constraint::Length(10.min(area.height)),
    );
    super::popup::clear_wide_edge(frame, rect);
    frame.render_widget(Clear, rect);
    let block = panel(title, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn unlock_lines(model: &Model, selected: usize, pin: &Input) -> Vec<Line<'static>> {
    let who = model
        .operators()
        .get(selected)
        .map(|o| format!("{}（{}）", o.name, role_word(model, o.role)))
        .unwrap_or_default();
    vec![
        Line::from(Span::styled(
            model
                .t(
                    "监督模式只能由管理员退出；监督员的密码不行。",
                    "Only a manager can leave monitor mode; a monitor's PIN cannot.",
                )
                .to_string(),
            Theme::INFO,
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled(model.t("操作员：", "Operator: ").to_string(), Theme::MUTED),
            Span::styled(format!(" {who} "), Theme::CHOICE),
            Span::styled(
                format!(
                    " {}",
                    model.key_pair(Context::Secret, Action::OptionPrev, Action::OptionNext)
                ),
                Theme::MUTED,
            ),
        ]),
        input_line(model.t("密码：", "PIN: "), &hidden(pin), true, 56),
        Line::from(""),
        muted(format!(
            "{} {} · {} {}",
            model.key(Context::Secret, Action::Confirm),
            model.t("确定", "OK"),
            model.key(Context::Secret, Action::Cancel),
            model.t("取消", "cancel"),
        )),
    ]
}

fn passphrase_lines(
    model: &Model,
    passphrase: &Input,
    again: &Input,
    field: PassphraseField,
) -> Vec<Line<'static>> {
    let first = match model.lang {
        crate::i18n::Lang::Zh => format!("口令（至少 {PASSPHRASE_CHARS_MIN} 个字符）："),
        crate::i18n::Lang::En => format!("Passphrase ({PASSPHRASE_CHARS_MIN}+ characters): "),
    };
    vec![
        Line::from(Span::styled(
            model
                .t(
                    "备份里有全部农户档案和本站密钥。口令丢了备份就打不开：请写下来另外保管。",
                    "The backup holds every household's file and the station's keys. Without the passphrase it cannot be opened: write it down, keep it apart.",
                )
                .to_string(),
            Theme::INFO,
        )),
        Line::from(""),
        input_line(
            &first,
            &hidden(passphrase),
            field == PassphraseField::Passphrase,
            56,
        ),
        input_line(
            model.t("再输一遍：", "Once more: "),
            &hidden(again),
            field == PassphraseField::Again,
            56,
        ),
        muted(format!(
            "{} {} · {} {}",
            model.key(Context::Secret, Action::Confirm),
            model.t("确定", "OK"),
            model.key(Context::Secret, Action::Cancel),
            model.t("取消", "cancel"),
        )),
    ]
}
