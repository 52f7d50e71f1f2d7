//! Corrections of a household's file (一户一档: one household, one file). A village keeps a
//! household's file for life; a mistyped name, a new head after a death, a member born or
//! married away, a new phone are corrections, recorded as events so that the file as first
//! registered and every earlier reading stay in the ledger (PRODUCT.md, "One household, one
//! file"; "a mistake is corrected by a new event"). The household id never changes, and
//! neither does the card here: a lost card is reissued (`Command::ReissueCard`), so that the
//! old number stops working at once.

use super::command::{household_fields, DecideError};
use super::event::{EventBody, Household};
use super::refusal::Refusal;
use super::state::State;

/// Decides a correction of `household`'s file: the events to append, or the refusal. The
/// fields are checked as at registration; the household must exist; the card must be the one
/// it holds now ([`Refusal::EditChangesCard`]); a correction that changes nothing is refused
/// ([`Refusal::HouseholdUnchanged`]) so the file's history holds only real changes.
pub fn edit(state: &dyn State, household: &Household) -> Result<Vec<EventBody>, DecideError> {
    household_fields(household)?;
    let id = &household.household_id;
    let record = state
        .household(id)?
        .ok_or_else(|| Refusal::UnknownHousehold(id.clone()))?;
    if record.household.card_no != household.card_no {
        return Err(Refusal::EditChangesCard {
            household_id: id.clone(),
        }
        .into());
    }
    if record.household == *household {
        return Err(Refusal::HouseholdUnchanged(id.clone()).into());
    }
    Ok(vec![EventBody::HouseholdEdited {
        household: household.clone(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::{decide, Command};
    use crate::domain::event::GENESIS_HASH;
    use crate::domain::state::{MemoryState, StateMut};
    use crate::domain::{apply, Event, StationRole};

    const T: i64 = 1_790_820_000_000;

    fn zhang() -> Household {
        Household {
            household_id: "H001".into(),
            card_no: "LJ0001".into(),
            head: "张三".into(),
            members: vec!["李梅".into()],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        }
    }

    /// Decides and applies `command` as the next event of a station in memory.
    fn run(state: &mut MemoryState, command: Command) -> Result<(), DecideError> {
        for body in decide(state, &command, T)? {
            let head = state
                .meta
                .as_ref()
                .map_or((0, GENESIS_HASH), |m| (m.head_seq, m.head_hash));
            let event = Event {
                station_id: "LJC01".into(),
                seq: head.0 + 1,
                operator: "管理员".into(),
                time_ms: T,
                prev_hash: head.1,
                body,
            };
            let hash = [u8::try_from(event.seq % 250).unwrap_or(0); 32];
            apply(state as &mut dyn StateMut, &event, &hash).map_err(DecideError::Fault)?;
        }
        Ok(())
    }

    fn station() -> MemoryState {
        let mut state = MemoryState::default();
        let policy = crate::policies::builtin("threshold-score")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("policy"));
        let init = Command::Init {
            station_id: "LJC01".into(),
            name: "李家村".into(),
            role: StationRole::Village,
            policy,
        };
        run(&mut state, init).unwrap_or_else(|e| panic!("{e:?}"));
        run(
            &mut state,
            Command::RegisterHousehold { household: zhang() },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        state
    }

    #[test]
    fn a_correction_replaces_the_file_and_follows_the_heads_name() {
        let mut state = station();
        let mut corrected = zhang();
        corrected.head = "张山".into();
        corrected.members.push("张小明".into());
        corrected.registered_poor = true;
        run(
            &mut state,
            Command::EditHousehold {
                household: corrected.clone(),
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let record = state.households.get("H001").cloned();
        assert_eq!(record.map(|r| r.household), Some(corrected));
        let names: Vec<_> = state.names.keys().cloned().collect();
        assert_eq!(names, vec![("张山".to_string(), "H001".to_string())]);
    }

    #[test]
    fn a_correction_keeps_the_card_needs_the_household_and_a_change() {
        let mut state = station();
        let before = state.clone();
        let mut card = zhang();
        card.card_no = "LJ9999".into();
        let mut unknown = zhang();
        unknown.household_id = "H404".into();
        let mut empty_head = zhang();
        empty_head.head = " ".into();
        for (household, refusal) in [
            (
                card,
                Refusal::EditChangesCard {
                    household_id: "H001".into(),
                },
            ),
            (unknown, Refusal::UnknownHousehold("H404".into())),
            (zhang(), Refusal::HouseholdUnchanged("H001".into())),
            (empty_head, Refusal::EmptyField("head of household")),
        ] {
            let result = run(&mut state, Command::EditHousehold { household });
            assert_eq!(result, Err(DecideError::Refused(refusal)));
            assert_eq!(state, before, "nothing changed");
        }
    }
}
