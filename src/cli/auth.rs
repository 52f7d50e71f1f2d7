//! Who may write from the command line (PRODUCT.md, "Operators"). Once the station has
//! operators, a command that writes names one (`--operator NAME`, or `AIXIN_OPERATOR`) and
//! gives that operator's PIN: typed at a prompt on the terminal (no echo), or `AIXIN_PIN` for
//! scripts. Without it the command is refused with the way out and the ledger is unchanged; a
//! wrong PIN is refused and counted, and after a few wrong ones in a row the next check waits
//! first (the wait is the domain's, `pin_delay_ms`); a monitor's right PIN still writes
//! nothing, because the store asks the domain who may write inside the write transaction.
//!
//! Until the station has its first operator, writes work as before (existing scripts keep
//! running) and each write says once, on stderr, how to create the first manager.
//!
//! PINs being set (a new operator's, a changed one) come from `AIXIN_NEW_PIN` or are typed
//! twice at the prompt; for the station's first manager, who is both typing and being created,
//! `AIXIN_PIN` serves as well.

use std::io::IsTerminal;
use std::time::Duration;

use super::context::Context;
use super::error::CliError;
use crate::domain::operator::{find, pin_delay_ms, Pin};
use crate::domain::Refusal;
use crate::store::pins::PinCheck;
use crate::store::Ledger;

/// The environment variable holding the PIN of whoever is at the keyboard, for scripts.
pub const PIN_ENV: &str = "AIXIN_PIN";
/// The environment variable holding a PIN being set (`operator add`, `operator pin`).
pub const NEW_PIN_ENV: &str = "AIXIN_NEW_PIN";

fn env_secret(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Whether a person is at a terminal to answer a prompt (never in tests or cron jobs, whose
/// standard input is not a terminal: there the environment must give the secret).
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal()
}

/// Reads a secret at the terminal without echo.
pub fn prompt_secret(prompt: &str) -> Result<String, CliError> {
    rpassword::prompt_password(prompt).map_err(CliError::Prompt)
}

/// The PIN of `operator`, who is at the keyboard: `AIXIN_PIN`, or typed at the prompt.
fn typed_pin(ctx: &Context, operator: &str) -> Result<Pin, CliError> {
    if let Some(pin) = env_secret(PIN_ENV) {
        return Ok(Pin::new(&pin));
    }
    if !can_prompt() {
        return Err(CliError::PinNeeded {
            operator: operator.to_string(),
        });
    }
    let prompt = match ctx.lang {
        crate::i18n::Lang::Zh => format!("{operator} 的密码："),
        crate::i18n::Lang::En => format!("PIN for {operator}: "),
    };
    Ok(Pin::new(&prompt_secret(&prompt)?))
}

/// A PIN being set for `name`: `AIXIN_NEW_PIN`, `AIXIN_PIN` when `first` (the first manager
/// creates themselves), or typed twice at the prompt.
pub fn new_pin(ctx: &Context, name: &str, first: bool) -> Result<Pin, CliError> {
    if let Some(pin) = env_secret(NEW_PIN_ENV) {
        return Ok(Pin::new(&pin));
    }
    if first {
        if let Some(pin) = env_secret(PIN_ENV) {
            return Ok(Pin::new(&pin));
        }
    }
    if !can_prompt() {
        return Err(CliError::NewPinNeeded {
            operator: name.to_string(),
        });
    }
    let (ask, again) = match ctx.lang {
        crate::i18n::Lang::Zh => (format!("{name} 的新密码："), "再输一遍：".to_string()),
        crate::i18n::Lang::En => (format!("new PIN for {name}: "), "once more: ".to_string()),
    };
    let first_try = Pin::new(&prompt_secret(&ask)?);
    if Pin::new(&prompt_secret(&again)?) != first_try {
        return Err(CliError::PinsDiffer);
    }
    Ok(first_try)
}

/// Checks `operator`'s PIN against the station's, after waiting for the wrong ones before it.
pub fn check_operator_pin(
    ctx: &Context,
    ledger: &mut Ledger,
    operator: &str,
    pin: &Pin,
) -> Result<(), CliError> {
    let failures = ledger.pin_record(operator)?.map_or(0, |r| r.failures);
    let wait_ms = pin_delay_ms(failures);
    if wait_ms > 0 {
        let seconds = wait_ms.div_ceil(1000);
        ctx.out().warn(&match ctx.lang {
            crate::i18n::Lang::Zh => {
                format!("{operator} 已连续输错 {failures} 次密码，等 {seconds} 秒再核对…")
            }
            crate::i18n::Lang::En => {
                format!("{failures} wrong PINs in a row for {operator}; checking in {seconds} s…")
            }
        });
        std::thread::sleep(Duration::from_millis(wait_ms));
    }
    match ledger.check_pin(operator, pin)? {
        PinCheck::Right => Ok(()),
        PinCheck::Wrong { .. } => Err(Refusal::WrongPin(operator.to_string()).into()),
        PinCheck::NoPin => Err(CliError::NoPinKept {
            operator: operator.to_string(),
        }),
    }
}

/// What [`writer`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writer {
    /// The station has no operators yet: anyone writes, and is told how to create a manager.
    Open,
    /// The operator named in the context gave their PIN.
    Checked,
}

/// Checks, before a write, that the one at the keyboard is an operator who gave their PIN;
/// whether their role may make this write is the store's question (it asks the domain).
pub fn writer(ctx: &Context, ledger: &mut Ledger) -> Result<Writer, CliError> {
    if ctx.pin_checked.get() {
        return Ok(Writer::Checked);
    }
    let operators = ledger
        .view()?
        .meta()?
        .map(|m| m.operators)
        .unwrap_or_default();
    if operators.is_empty() {
        return Ok(Writer::Open);
    }
    let name = ctx.operator.as_str();
    if find(&operators, name).is_none() {
        return Err(CliError::OperatorNeeded {
            given: name.to_string(),
            known: operators.iter().map(|o| o.name.clone()).collect(),
        });
    }
    let pin = typed_pin(ctx, name)?;
    check_operator_pin(ctx, ledger, name, &pin)?;
    ctx.pin_checked.set(true);
    Ok(Writer::Checked)
}

/// Says once, on stderr, that the station has no operators yet and how to create the first
/// manager (after a write that went through: a refusal stays one line).
pub fn note_open_station(ctx: &Context) {
    if ctx.note_shown.replace(true) {
        return;
    }
    ctx.out().warn(ctx.t(
        "提示：本站还没有操作员，谁都能写账本；请创建第一个管理员：aixin operator add 名字 --role manager（密码在提示时输入，或用 AIXIN_PIN）",
        "note: this station has no operators yet, so anyone can write; create the first manager: aixin operator add NAME --role manager (PIN at the prompt, or AIXIN_PIN)",
    ));
}
