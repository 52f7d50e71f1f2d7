//! Who is at the till (PRODUCT.md, "Operators"). The login screen: choose an operator, type the
//! PIN, and the shell checks it; a manager gets the till, a monitor gets monitor mode. A station
//! with no operators yet creates its first manager here instead. Leaving monitor mode asks a
//! manager's PIN in a popup; a monitor's right PIN is refused by the domain's rule. After a few
//! wrong PINs in a row the next try waits (`domain::operator::pin_delay_ms`), counted on the
//! till's own key clock.

use crate::domain::operator::{
    check_name, check_pin, pin_delay_ms, unlock_monitor, OperatorRole, Pin,
};
use crate::domain::Command;

use super::super::keymap::Action;
use super::super::model::{Access, Input, ManagerField, ManagerFields, Modal, Model, Screen, Tone};
use super::super::msg::{Effect, PinAnswer, PinPurpose, Purpose};
use super::say;

/// Runs a login-screen action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let creating = model.operators().is_empty();
    let count = model.operators().len();
    let form = &mut model.login;
    match action {
        Action::Up if !creating => form.selected = form.selected.saturating_sub(1),
        Action::Down if !creating => {
            form.selected = (form.selected + 1).min(count.saturating_sub(1));
        }
        Action::FieldNext | Action::Down if creating => form.field = next_field(form.field, 1),
        Action::FieldPrev | Action::Up if creating => form.field = next_field(form.field, 2),
        Action::ClearInput => match creating {
            true => form.manager.input(form.field).clear(),
            false => form.pin.clear(),
        },
        Action::Submit if creating => create_first_manager(model, fx),
        Action::Submit => submit_pin(model, fx),
        _ => {}
    }
}

/// The next manager field, `step` of 1 forward or 2 back (the fields wrap).
pub(super) fn next_field(field: ManagerField, step: usize) -> ManagerField {
    let all = ManagerField::ALL;
    let at = all.iter().position(|f| *f == field).unwrap_or(0);
    all[(at + step) % all.len()]
}

/// Whether the wait after wrong PINs is over; says how long is left if not.
fn may_try(model: &mut Model) -> bool {
    let left_ms = model.login.wait_until_ms.saturating_sub(model.key_at_ms);
    if left_ms == 0 {
        return true;
    }
    let seconds = left_ms.div_ceil(1000);
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("密码连续输错，请等 {seconds} 秒再试"),
        crate::i18n::Lang::En => format!("too many wrong PINs in a row; try again in {seconds} s"),
    };
    model.say(Tone::Bad, text);
    false
}

fn submit_pin(model: &mut Model, fx: &mut Vec<Effect>) {
    let Some(name) = model
        .operators()
        .get(model.login.selected)
        .map(|o| o.name.clone())
    else {
        return;
    };
    if model.login.pin.value().is_empty() {
        say(model, Tone::Bad, "请输入密码", "type the PIN");
        return;
    }
    let pin = Pin::new(model.login.pin.value());
    model.login.pin.clear();
    if !may_try(model) {
        return;
    }
    fx.push(Effect::CheckPin {
        purpose: PinPurpose::Login,
        name,
        pin,
    });
}

/// The manager fields as a command adding the first manager, or the refusal in words (the
/// name and PIN rules are the domain's; the two PINs must agree).
pub(super) fn manager_command(model: &mut Model, fields: &ManagerFields) -> Option<Command> {
    let name = crate::domain::input::text(fields.name.value());
    let pin = Pin::new(fields.pin.value());
    let checked = check_name(&name).and_then(|()| check_pin(&pin));
    if let Err(refusal) = checked {
        model.say(Tone::Bad, refusal.message(model.lang));
        return None;
    }
    if pin != Pin::new(fields.pin_again.value()) {
        say(
            model,
            Tone::Bad,
            "两次输入的密码不一样，请重新输入",
            "the two PINs differ; type them again",
        );
        return None;
    }
    Some(Command::AddOperator {
        name,
        role: OperatorRole::Manager,
        pin,
    })
}

fn create_first_manager(model: &mut Model, fx: &mut Vec<Effect>) {
    let fields = model.login.manager.clone();
    let Some(command) = manager_command(model, &fields) else {
        return;
    };
    // The first manager creates themselves: their name is the event's operator.
    model.operator = crate::domain::input::text(fields.name.value());
    fx.push(Effect::Commit {
        commands: vec![command],
        purpose: Purpose::FirstManager,
    });
}

/// The first manager exists (setup or login): they are logged in, at the till.
pub(super) fn manager_created(model: &mut Model) {
    model.login = Default::default();
    model.setup.manager = ManagerFields::default();
    model.access = Access::Till;
    model.screen = Screen::Till;
}

/// The first manager was created at the login screen.
pub(super) fn committed(model: &mut Model) {
    manager_created(model);
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("已创建管理员 {}，并已登录", model.operator),
        crate::i18n::Lang::En => format!("manager {} created and logged in", model.operator),
    };
    model.say(Tone::Good, text);
}

/// Opens the popup that asks a manager's PIN to leave monitor mode, on the operator at the
/// keyboard if they are a manager, or the first manager.
pub(super) fn open_unlock(model: &mut Model) {
    let operators = model.operators();
    let selected = operators
        .iter()
        .position(|o| o.name == model.operator && o.role == OperatorRole::Manager)
        .or_else(|| {
            operators
                .iter()
                .position(|o| o.role == OperatorRole::Manager)
        })
        .unwrap_or(0);
    model.modal = Some(Modal::Unlock {
        selected,
        pin: Input::default(),
    });
}

/// Runs an action in the unlock popup.
pub(super) fn unlock(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let count = model.operators().len();
    let Some(Modal::Unlock { selected, pin }) = &mut model.modal else {
        return;
    };
    match action {
        Action::OptionPrev | Action::FieldPrev => *selected = selected.saturating_sub(1),
        Action::OptionNext | Action::FieldNext => {
            *selected = (*selected + 1).min(count.saturating_sub(1));
        }
        Action::ClearInput => pin.clear(),
        Action::Cancel => model.modal = None,
        Action::Confirm => {
            let typed = Pin::new(pin.value());
            let index = *selected;
            pin.clear();
            if typed.expose().is_empty() {
                say(
                    model,
                    Tone::Bad,
                    "请输入管理员的密码",
                    "type a manager's PIN",
                );
                return;
            }
            let Some(name) = model.operators().get(index).map(|o| o.name.clone()) else {
                return;
            };
            if !may_try(model) {
                return;
            }
            fx.push(Effect::CheckPin {
                purpose: PinPurpose::Unlock,
                name,
                pin: typed,
            });
        }
        _ => {}
    }
}

/// A PIN check came back.
pub(super) fn on_pin_checked(
    model: &mut Model,
    purpose: PinPurpose,
    name: String,
    answer: PinAnswer,
) {
    match answer {
        PinAnswer::Right => {}
        PinAnswer::Wrong { failures } => {
            model.login.wait_until_ms = model.key_at_ms.saturating_add(pin_delay_ms(failures));
            let text = match model.lang {
                crate::i18n::Lang::Zh => format!("{name} 的密码不对（已连续错 {failures} 次）"),
                crate::i18n::Lang::En => {
                    format!("wrong PIN for {name} ({failures} wrong in a row)")
                }
            };
            model.say(Tone::Bad, text);
            return;
        }
        PinAnswer::Said(text) => {
            model.say(Tone::Bad, text);
            return;
        }
    }
    model.login.wait_until_ms = 0;
    let role = crate::domain::operator::find(model.operators(), &name).map(|o| o.role);
    match purpose {
        PinPurpose::Login => {
            model.operator = name;
            model.login = Default::default();
            model.screen = Screen::Till;
            if role == Some(OperatorRole::Manager) {
                model.access = Access::Till;
                let text = match model.lang {
                    crate::i18n::Lang::Zh => format!("{} 已登录", model.operator),
                    crate::i18n::Lang::En => format!("{} logged in", model.operator),
                };
                model.say(Tone::Good, text);
            } else {
                model.access = Access::Monitor;
                let text = match model.lang {
                    crate::i18n::Lang::Zh => {
                        format!("{} 已登录（监督员）：只能查看，不能修改", model.operator)
                    }
                    crate::i18n::Lang::En => {
                        format!("{} logged in as monitor: read-only", model.operator)
                    }
                };
                model.say(Tone::Info, text);
            }
        }
        PinPurpose::Unlock => {
            if let Err(refusal) = unlock_monitor(model.operators(), &name) {
                model.say(Tone::Bad, refusal.message(model.lang));
                return;
            }
            model.modal = None;
            model.operator = name;
            model.access = Access::Till;
            let text = match model.lang {
                crate::i18n::Lang::Zh => format!("已回到收银模式（操作员 {}）", model.operator),
                crate::i18n::Lang::En => format!("back to the till (operator {})", model.operator),
            };
            model.say(Tone::Info, text);
        }
    }
}
