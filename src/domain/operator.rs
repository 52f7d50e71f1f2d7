//! Operators: each person at the keyboard, with a role (manager 管理员 or monitor 监督员), and
//! the rules of who may do what (PRODUCT.md, "Operators"). Who the operators are is part of the
//! station's hash chain: `OperatorAdded`, `OperatorPinChanged`, `OperatorRoleChanged` and
//! `OperatorRemoved` events record who added or changed whom, when, and with which role, and
//! the derived list lives in [`StationMeta::operators`].
//!
//! The PIN itself never enters the chain. Its salted argon2 hash is kept in the ledger file's
//! station-local table (`store::pins`), outside the events, and goes into the encrypted backup
//! with the rest of the file. Events travel to the township in bundles and stay there for
//! good; a 4–6 digit PIN hash anywhere outside the station could be guessed offline in hours,
//! however slow the hash, and the township has no use for it. A PIN is checked where it is
//! typed, at the station; the event says only that it changed and who changed it.
//!
//! The rules, decided here once and asked by the till, the command line and the store:
//! - names are short, visible text (the name is what every event records as its operator);
//! - a PIN is 4 to 12 digits;
//! - the station's first operator must be a manager; until it exists, writes work as before;
//! - once there are operators, every write is made by one of them ([`authorize`]): a manager
//!   may do everything, a monitor nothing but change their own PIN;
//! - only a manager adds operators, changes roles, removes operators or another's PIN;
//! - the last manager cannot be removed or made a monitor;
//! - only a manager's PIN leaves monitor mode ([`unlock_monitor`]);
//! - a few wrong PINs in a row slow the next try ([`pin_delay_ms`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::command::{Command, DecideError};
use super::event::{Event, EventBody};
use super::refusal::Refusal;
use super::state::{Fault, StationMeta};

/// At most this many operators at one station (a village shop has two or three).
pub const OPERATORS_MAX: usize = 32;
/// At most this many characters in an operator's name.
pub const OPERATOR_NAME_CHARS_MAX: usize = 20;
/// The shortest PIN, in digits.
pub const PIN_DIGITS_MIN: usize = 4;
/// The longest PIN, in digits.
pub const PIN_DIGITS_MAX: usize = 12;
/// Wrong PINs in a row that cost nothing; each one after them doubles the wait.
pub const PIN_FAILURES_FREE: u32 = 3;
/// The wait before the first slowed try, ms.
pub const PIN_DELAY_MS_MIN: u64 = 1_000;
/// The longest wait before a PIN is checked, ms: 30 s makes 10,000 four-digit guesses take
/// days at the keyboard, and a manager who mistyped waits half a minute at worst.
pub const PIN_DELAY_MS_MAX: u64 = 30_000;

/// What an operator may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OperatorRole {
    /// 管理员: keeps the shop, writes everything, manages operators.
    Manager,
    /// 监督员: checks the books read-only; may change only their own PIN.
    Monitor,
}

impl OperatorRole {
    /// Whether this role may write the ledger (a monitor never does).
    pub fn may_write(self) -> bool {
        self == OperatorRole::Manager
    }

    /// The role's name on the command line (`manager`, `monitor`).
    pub fn name(self) -> &'static str {
        match self {
            OperatorRole::Manager => "manager",
            OperatorRole::Monitor => "monitor",
        }
    }

    /// The role as a manager reads it: 管理员 / manager.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            OperatorRole::Manager => lang.pick("管理员", "manager"),
            OperatorRole::Monitor => lang.pick("监督员", "monitor"),
        }
    }

    /// Parses `manager`/`monitor` (or 管理员/监督员).
    pub fn parse(text: &str) -> Option<OperatorRole> {
        match text.trim() {
            "manager" | "管理员" => Some(OperatorRole::Manager),
            "monitor" | "监督员" => Some(OperatorRole::Monitor),
            _ => None,
        }
    }
}

/// One operator as the events made them: derived, kept in [`StationMeta::operators`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorRecord {
    /// The name every event they write records as its operator.
    pub name: String,
    /// What they may do.
    pub role: OperatorRole,
    /// Who added them (the operator of the `OperatorAdded` event).
    pub added_by: String,
    /// When they were added, UTC ms.
    pub added_ms: i64,
    /// When their PIN was last set, UTC ms.
    pub pin_changed_ms: i64,
}

/// A PIN as typed, on its way to being hashed or checked. Its `Debug` never shows the digits,
/// so a command holding one can be logged or asserted on without leaking it.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    /// The PIN typed, through the one normaliser ([`super::input::code`]): full-width digits
    /// from a Chinese input method are the ASCII digits, surrounding spaces are dropped.
    pub fn new(text: &str) -> Pin {
        Pin(super::input::code(text))
    }

    /// The digits (for the hash, and nothing else).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

/// Checks an operator's name: 1 to [`OPERATOR_NAME_CHARS_MAX`] visible characters, without
/// spaces around it.
pub fn check_name(name: &str) -> Result<(), Refusal> {
    if name.trim().is_empty() {
        return Err(Refusal::EmptyField("operator"));
    }
    if name.trim() != name
        || name.chars().count() > OPERATOR_NAME_CHARS_MAX
        || name.chars().any(char::is_control)
    {
        return Err(Refusal::BadOperatorName(name.to_string()));
    }
    Ok(())
}

/// Checks a PIN: [`PIN_DIGITS_MIN`] to [`PIN_DIGITS_MAX`] ASCII digits.
pub fn check_pin(pin: &Pin) -> Result<(), Refusal> {
    let digits = pin.expose();
    if digits.len() < PIN_DIGITS_MIN
        || digits.len() > PIN_DIGITS_MAX
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Refusal::BadPin);
    }
    Ok(())
}

/// The operator named `name`, if the station has one.
pub fn find<'a>(operators: &'a [OperatorRecord], name: &str) -> Option<&'a OperatorRecord> {
    operators.iter().find(|o| o.name == name)
}

fn managers(operators: &[OperatorRecord]) -> usize {
    operators
        .iter()
        .filter(|o| o.role == OperatorRole::Manager)
        .count()
}

/// Whether `operator` may run `command` at a station with these operators. Until the station
/// has its first operator every write is allowed, as before operators existed (existing
/// scripts keep working; the shells say how to create the first manager). After that the
/// writer must be an operator: a manager may do everything, a monitor only change their own
/// PIN. The store asks this inside the write transaction, so no shell can skip it.
pub fn authorize(
    operators: &[OperatorRecord],
    operator: &str,
    command: &Command,
) -> Result<(), Refusal> {
    if operators.is_empty() {
        return Ok(());
    }
    let who =
        find(operators, operator).ok_or_else(|| Refusal::UnknownOperator(operator.to_string()))?;
    if who.role.may_write() {
        return Ok(());
    }
    match command {
        Command::ChangePin { name, .. } if name == operator => Ok(()),
        _ => Err(Refusal::MonitorCannotWrite(operator.to_string())),
    }
}

/// Whether the operator `name` may switch the till from monitor mode back to writing: only a
/// manager (after their PIN is checked by the shell). A station with no operators yet has no
/// PIN to ask for, and leaves monitor mode as before.
pub fn unlock_monitor(operators: &[OperatorRecord], name: &str) -> Result<(), Refusal> {
    if operators.is_empty() {
        return Ok(());
    }
    let who = find(operators, name).ok_or_else(|| Refusal::UnknownOperator(name.to_string()))?;
    if who.role.may_write() {
        Ok(())
    } else {
        Err(Refusal::MonitorCannotUnlock(name.to_string()))
    }
}

/// Whether the operator `name` may make a backup: a backup holds every household's file and
/// the station's keys, so only a manager takes one away (a station with no operators yet
/// backs up as it writes, freely).
pub fn may_back_up(operators: &[OperatorRecord], name: &str) -> Result<(), Refusal> {
    if operators.is_empty() {
        return Ok(());
    }
    let who = find(operators, name).ok_or_else(|| Refusal::UnknownOperator(name.to_string()))?;
    if who.role.may_write() {
        Ok(())
    } else {
        Err(Refusal::MonitorCannotWrite(name.to_string()))
    }
}

/// How long to wait before checking a PIN for an operator who has typed `failures` wrong PINs
/// in a row: nothing for the first [`PIN_FAILURES_FREE`], then 1 s, 2 s, 4 s… up to
/// [`PIN_DELAY_MS_MAX`].
pub fn pin_delay_ms(failures: u32) -> u64 {
    let Some(over) = failures.checked_sub(PIN_FAILURES_FREE) else {
        return 0;
    };
    let doubled = PIN_DELAY_MS_MIN
        .checked_shl(over.min(16))
        .unwrap_or(u64::MAX);
    doubled.min(PIN_DELAY_MS_MAX)
}

/// Decides the operator commands against the station's operators (who is asking is
/// [`authorize`]'s question, asked before this one).
pub(super) fn decide_operator(
    meta: &StationMeta,
    command: &Command,
) -> Result<Vec<EventBody>, DecideError> {
    let operators = &meta.operators;
    let existing = |name: &str| {
        find(operators, name).ok_or_else(|| Refusal::UnknownOperator(name.to_string()))
    };
    let body = match command {
        Command::AddOperator { name, role, pin } => {
            check_name(name)?;
            check_pin(pin)?;
            if find(operators, name).is_some() {
                return Err(Refusal::OperatorExists(name.clone()).into());
            }
            if operators.len() >= OPERATORS_MAX {
                return Err(Refusal::TooManyOperators.into());
            }
            if operators.is_empty() && *role != OperatorRole::Manager {
                return Err(Refusal::FirstOperatorManager.into());
            }
            EventBody::OperatorAdded {
                name: name.clone(),
                role: *role,
            }
        }
        Command::ChangePin { name, pin } => {
            existing(name)?;
            check_pin(pin)?;
            EventBody::OperatorPinChanged { name: name.clone() }
        }
        Command::SetOperatorRole { name, role } => {
            let who = existing(name)?;
            if who.role == *role {
                return Err(Refusal::RoleUnchanged(name.clone()).into());
            }
            if who.role == OperatorRole::Manager && managers(operators) == 1 {
                return Err(Refusal::LastManager(name.clone()).into());
            }
            EventBody::OperatorRoleChanged {
                name: name.clone(),
                role: *role,
            }
        }
        Command::RemoveOperator { name } => {
            let who = existing(name)?;
            if who.role == OperatorRole::Manager && managers(operators) == 1 {
                return Err(Refusal::LastManager(name.clone()).into());
            }
            EventBody::OperatorRemoved { name: name.clone() }
        }
        _ => return Err(Refusal::WrongRole.into()),
    };
    Ok(vec![body])
}

/// Applies an operator event to the station's list. A broken invariant (adding a name twice,
/// changing one that is not there, leaving no manager) is a fault: a tampered or misordered
/// chain, never a silently wrong list.
pub(super) fn apply_operator(meta: &mut StationMeta, event: &Event) -> Result<(), Fault> {
    let missing = |name: &str| {
        Fault(format!(
            "event #{} names unknown operator {name}",
            event.seq
        ))
    };
    let operators = &mut meta.operators;
    match &event.body {
        EventBody::OperatorAdded { name, role } => {
            if find(operators, name).is_some() {
                return Err(Fault(format!(
                    "event #{} adds operator {name} twice",
                    event.seq
                )));
            }
            operators.push(OperatorRecord {
                name: name.clone(),
                role: *role,
                added_by: event.operator.clone(),
                added_ms: event.time_ms,
                pin_changed_ms: event.time_ms,
            });
        }
        EventBody::OperatorPinChanged { name } => {
            let who = operators
                .iter_mut()
                .find(|o| &o.name == name)
                .ok_or_else(|| missing(name))?;
            who.pin_changed_ms = event.time_ms;
        }
        EventBody::OperatorRoleChanged { name, role } => {
            let who = operators
                .iter_mut()
                .find(|o| &o.name == name)
                .ok_or_else(|| missing(name))?;
            who.role = *role;
        }
        EventBody::OperatorRemoved { name } => {
            let at = operators
                .iter()
                .position(|o| &o.name == name)
                .ok_or_else(|| missing(name))?;
            operators.remove(at);
        }
        _ => return Ok(()),
    }
    if !operators.is_empty() && managers(operators) == 0 {
        return Err(Fault(format!(
            "event #{} leaves the station without a manager",
            event.seq
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::state::MemoryState;
    use crate::domain::{apply, decide, Hash, StationRole};

    const NOW: i64 = 1_795_224_600_000;

    fn station() -> MemoryState {
        let mut state = MemoryState::default();
        let policy = crate::policies::builtin("threshold-score")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("policy"));
        run(
            &mut state,
            "setup",
            Command::Init {
                station_id: "LJC01".into(),
                name: "李家村".into(),
                role: StationRole::Village,
                policy,
            },
        )
        .unwrap_or_else(|r| panic!("{r:?}"));
        state
    }

    /// Decides as the store does (authorize, then decide) and applies what was accepted.
    fn run(state: &mut MemoryState, operator: &str, command: Command) -> Result<(), Refusal> {
        let operators = state
            .meta
            .as_ref()
            .map(|m| m.operators.clone())
            .unwrap_or_default();
        authorize(&operators, operator, &command)?;
        let bodies = match decide(state, &command, NOW) {
            Ok(b) => b,
            Err(DecideError::Refused(r)) => return Err(r),
            Err(DecideError::Fault(f)) => panic!("{f}"),
        };
        for body in bodies {
            let (seq, prev_hash) = state
                .meta
                .as_ref()
                .map_or((1, crate::domain::event::GENESIS_HASH), |m| {
                    (m.head_seq + 1, m.head_hash)
                });
            let event = Event {
                station_id: "LJC01".into(),
                seq,
                operator: operator.into(),
                time_ms: NOW,
                prev_hash,
                body,
            };
            let hash: Hash = [seq as u8; 32];
            apply(state, &event, &hash).unwrap_or_else(|f| panic!("{f}"));
        }
        Ok(())
    }

    fn add(name: &str, role: OperatorRole, pin: &str) -> Command {
        Command::AddOperator {
            name: name.into(),
            role,
            pin: Pin::new(pin),
        }
    }

    fn operators(state: &MemoryState) -> Vec<(String, OperatorRole)> {
        state
            .meta
            .as_ref()
            .map(|m| {
                m.operators
                    .iter()
                    .map(|o| (o.name.clone(), o.role))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_first_operator_is_a_manager_and_anyone_may_add_it() {
        let mut s = station();
        assert_eq!(
            run(&mut s, "谁", add("李监督", OperatorRole::Monitor, "1234")),
            Err(Refusal::FirstOperatorManager)
        );
        run(&mut s, "谁", add("王丽", OperatorRole::Manager, "1234")).unwrap();
        let meta = s.meta.clone().unwrap();
        assert_eq!(
            meta.operators[0].added_by, "谁",
            "who added whom is recorded"
        );
        assert_eq!(meta.operators[0].added_ms, NOW);
    }

    #[test]
    fn only_a_manager_adds_operators_or_changes_another_pin() {
        let mut s = station();
        run(&mut s, "王丽", add("王丽", OperatorRole::Manager, "1234")).unwrap();
        assert_eq!(
            run(&mut s, "路人", add("李监督", OperatorRole::Monitor, "5678")),
            Err(Refusal::UnknownOperator("路人".into()))
        );
        run(&mut s, "王丽", add("李监督", OperatorRole::Monitor, "5678")).unwrap();
        assert_eq!(
            run(&mut s, "李监督", add("张三", OperatorRole::Manager, "1111")),
            Err(Refusal::MonitorCannotWrite("李监督".into()))
        );
        let change = |name: &str| Command::ChangePin {
            name: name.into(),
            pin: Pin::new("9999"),
        };
        assert_eq!(
            run(&mut s, "李监督", change("王丽")),
            Err(Refusal::MonitorCannotWrite("李监督".into()))
        );
        run(&mut s, "李监督", change("李监督")).unwrap();
        run(&mut s, "王丽", change("李监督")).unwrap();
        assert_eq!(
            run(&mut s, "王丽", change("无名")),
            Err(Refusal::UnknownOperator("无名".into()))
        );
    }

    #[test]
    fn a_monitor_writes_nothing_else() {
        let mut s = station();
        run(&mut s, "王丽", add("王丽", OperatorRole::Manager, "1234")).unwrap();
        run(&mut s, "王丽", add("李监督", OperatorRole::Monitor, "5678")).unwrap();
        assert_eq!(
            run(&mut s, "李监督", Command::CloseSession),
            Err(Refusal::MonitorCannotWrite("李监督".into()))
        );
        assert_eq!(
            authorize(
                &s.meta.clone().unwrap().operators,
                "王丽",
                &Command::CloseSession
            ),
            Ok(())
        );
    }

    #[test]
    fn the_last_manager_stays_a_manager() {
        let mut s = station();
        run(&mut s, "王丽", add("王丽", OperatorRole::Manager, "1234")).unwrap();
        run(&mut s, "王丽", add("李监督", OperatorRole::Monitor, "5678")).unwrap();
        let demote = |name: &str| Command::SetOperatorRole {
            name: name.into(),
            role: OperatorRole::Monitor,
        };
        let remove = |name: &str| Command::RemoveOperator { name: name.into() };
        assert_eq!(
            run(&mut s, "王丽", demote("王丽")),
            Err(Refusal::LastManager("王丽".into()))
        );
        assert_eq!(
            run(&mut s, "王丽", remove("王丽")),
            Err(Refusal::LastManager("王丽".into()))
        );
        assert_eq!(
            run(&mut s, "王丽", demote("李监督")),
            Err(Refusal::RoleUnchanged("李监督".into()))
        );
        run(
            &mut s,
            "王丽",
            Command::SetOperatorRole {
                name: "李监督".into(),
                role: OperatorRole::Manager,
            },
        )
        .unwrap();
        run(&mut s, "李监督", demote("王丽")).unwrap();
        run(&mut s, "李监督", remove("王丽")).unwrap();
        assert_eq!(
            operators(&s),
            vec![("李监督".to_string(), OperatorRole::Manager)]
        );
    }

    #[test]
    fn names_and_pins_follow_their_rules() {
        let mut s = station();
        for (name, pin, refusal) in [
            ("", "1234", Refusal::EmptyField("operator")),
            (" 王丽", "1234", Refusal::BadOperatorName(" 王丽".into())),
            (
                "王丽王丽王丽王丽王丽王丽王丽王丽王丽王丽王",
                "1234",
                Refusal::BadOperatorName("王丽王丽王丽王丽王丽王丽王丽王丽王丽王丽王".into()),
            ),
            ("王丽", "123", Refusal::BadPin),
            ("王丽", "12a4", Refusal::BadPin),
            ("王丽", "1234567890123", Refusal::BadPin),
        ] {
            assert_eq!(
                run(&mut s, "王丽", add(name, OperatorRole::Manager, pin)),
                Err(refusal)
            );
        }
        run(&mut s, "王丽", add("王丽", OperatorRole::Manager, " 1234 ")).unwrap();
        assert_eq!(
            run(&mut s, "王丽", add("王丽", OperatorRole::Manager, "1234")),
            Err(Refusal::OperatorExists("王丽".into()))
        );
        assert_eq!(format!("{:?}", Pin::new("1234")), "Pin(****)");
    }

    #[test]
    fn only_a_manager_leaves_monitor_mode() {
        let mut s = station();
        assert_eq!(unlock_monitor(&[], "谁"), Ok(()), "no operators yet");
        run(&mut s, "王丽", add("王丽", OperatorRole::Manager, "1234")).unwrap();
        run(&mut s, "王丽", add("李监督", OperatorRole::Monitor, "5678")).unwrap();
        let ops = s.meta.clone().unwrap().operators;
        assert_eq!(unlock_monitor(&ops, "王丽"), Ok(()));
        assert_eq!(
            unlock_monitor(&ops, "李监督"),
            Err(Refusal::MonitorCannotUnlock("李监督".into()))
        );
    }

    #[test]
    fn wrong_pins_in_a_row_slow_the_next_try() {
        let delays: Vec<u64> = (0..10).map(pin_delay_ms).collect();
        assert_eq!(
            delays,
            vec![0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]
        );
        assert_eq!(pin_delay_ms(u32::MAX), PIN_DELAY_MS_MAX);
    }
}
