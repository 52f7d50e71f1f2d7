//! The signed roster: which other stations this station trusts for sync, with which keys, and
//! since and until when. It is derived from `StationEnrolled` and `StationRevoked` events, so
//! the roster is part of the station's hash chain like everything else. A township's roster
//! lists its villages; a village's roster lists its one township.

use serde::{Deserialize, Serialize};

use super::command::{Command, DecideError, QUANTITY_MAX, TEXT_CHARS_MAX};
use super::event::{Event, EventBody, StationRole};
use super::refusal::Refusal;
use super::state::{Fault, State, StateMut, StationMeta};

/// One public key pair a station was enrolled with, and whether it was revoked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEpoch {
    /// The ed25519 verifying key that checks the station's bundle signatures.
    pub verifying_key: [u8; 32],
    /// The age x25519 recipient (`age1…`) that bundles for the station are encrypted to.
    pub age_recipient: String,
    /// When it was enrolled here, UTC ms (this station's clock).
    pub enrolled_ms: i64,
    /// Bundles this key signed at or after this time (their `created_ms`) are refused.
    pub revoked_from_ms: Option<i64>,
}

/// A station known to this one, with every key it has had (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The other station's id.
    pub station_id: String,
    /// Its role: a village (at a township) or the township (at a village).
    pub role: StationRole,
    /// Its keys, oldest first; only the last may be unrevoked.
    pub keys: Vec<KeyEpoch>,
}

impl RosterEntry {
    /// The key in force now, if the station's last key is not revoked.
    pub fn active_key(&self) -> Option<&KeyEpoch> {
        self.keys.last().filter(|k| k.revoked_from_ms.is_none())
    }

    /// Whether the station has a key that is not revoked.
    pub fn is_active(&self) -> bool {
        self.active_key().is_some()
    }
}

/// Decides the sync commands: enrolling and revoking stations (both roles), and the township's
/// shipments, policies and household lists addressed to a village.
pub(super) fn decide_sync(
    state: &dyn State,
    meta: &StationMeta,
    command: &Command,
) -> Result<Vec<EventBody>, DecideError> {
    match command {
        Command::EnrollStation {
            station_id,
            role,
            verifying_key,
            age_recipient,
        } => enroll(state, meta, station_id, *role, verifying_key, age_recipient),
        Command::RevokeStation {
            station_id,
            from_ms,
        } => {
            let entry = state
                .roster(station_id)?
                .ok_or_else(|| Refusal::UnknownStation(station_id.clone()))?;
            if !entry.is_active() {
                return Err(Refusal::StationAlreadyRevoked(station_id.clone()).into());
            }
            Ok(vec![EventBody::StationRevoked {
                station_id: station_id.clone(),
                from_ms: *from_ms,
            }])
        }
        Command::ShipGoods {
            to_station,
            goods_id,
            quantity,
        } => {
            township_to_village(state, meta, to_station)?;
            if *quantity <= 0 {
                return Err(Refusal::QuantityNotPositive.into());
            }
            if *quantity > QUANTITY_MAX {
                return Err(Refusal::QuantityTooLarge(*quantity).into());
            }
            let goods = state
                .goods(goods_id)?
                .ok_or_else(|| Refusal::ShipUnknownGoods(goods_id.clone()))?;
            let takes = super::command::take_units(goods_id, &goods, *quantity)?;
            Ok(vec![EventBody::GoodsShipped {
                to_station: to_station.clone(),
                goods_id: goods_id.clone(),
                quantity: *quantity,
                takes,
            }])
        }
        Command::IssuePolicy { to_station, policy } => {
            township_to_village(state, meta, to_station)?;
            policy
                .check()
                .map_err(|e| Refusal::BadPolicy(e.to_string()))?;
            Ok(vec![EventBody::PolicyIssued {
                to_station: to_station.clone(),
                policy: policy.clone(),
            }])
        }
        Command::IssueScoreSheet { to_station, sheet } => {
            township_to_village(state, meta, to_station)?;
            sheet
                .check()
                .map_err(|e| Refusal::BadPolicy(e.to_string()))?;
            Ok(vec![EventBody::ScoreSheetIssued {
                to_station: to_station.clone(),
                sheet: sheet.clone(),
            }])
        }
        Command::IssueHousehold {
            to_station,
            household,
        } => {
            township_to_village(state, meta, to_station)?;
            for (value, field) in [
                (&household.household_id, "household id"),
                (&household.card_no, "card number"),
                (&household.head, "head of household"),
            ] {
                text(value, field)?;
            }
            Ok(vec![EventBody::HouseholdIssued {
                to_station: to_station.clone(),
                household: household.clone(),
            }])
        }
        _ => Err(Refusal::WrongRole.into()),
    }
}

fn enroll(
    state: &dyn State,
    meta: &StationMeta,
    station_id: &str,
    role: StationRole,
    verifying_key: &[u8; 32],
    age_recipient: &str,
) -> Result<Vec<EventBody>, DecideError> {
    text(station_id, "station id")?;
    if !age_recipient.starts_with("age1") || age_recipient.len() > 128 {
        return Err(Refusal::TooLong("age recipient").into());
    }
    // A township trusts villages; a village trusts its township.
    if role == meta.role {
        return Err(Refusal::WrongRole.into());
    }
    if station_id == meta.station_id {
        return Err(Refusal::CannotEnrollSelf.into());
    }
    if let Some(entry) = state.roster(station_id)? {
        if entry.role != role {
            return Err(Refusal::WrongRole.into());
        }
        if let Some(active) = entry.active_key() {
            return Err(if active.verifying_key == *verifying_key {
                Refusal::StationAlreadyEnrolled(station_id.to_string())
            } else {
                Refusal::StationKeyConflict(station_id.to_string())
            }
            .into());
        }
        if entry.keys.iter().any(|k| k.verifying_key == *verifying_key) {
            return Err(Refusal::StationKeyRevoked(station_id.to_string()).into());
        }
    }
    Ok(vec![EventBody::StationEnrolled {
        station_id: station_id.to_string(),
        role,
        verifying_key: *verifying_key,
        age_recipient: age_recipient.to_string(),
    }])
}

fn township_to_village(
    state: &dyn State,
    meta: &StationMeta,
    to_station: &str,
) -> Result<(), DecideError> {
    if meta.role != StationRole::Township {
        return Err(Refusal::WrongRole.into());
    }
    match state.roster(to_station)? {
        Some(entry) if entry.role == StationRole::Village && entry.is_active() => Ok(()),
        _ => Err(Refusal::NotAVillage(to_station.to_string()).into()),
    }
}

fn text(value: &str, field: &'static str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::EmptyField(field));
    }
    if value.chars().count() > TEXT_CHARS_MAX || value.chars().any(char::is_control) {
        return Err(Refusal::TooLong(field));
    }
    Ok(())
}

/// Applies `StationEnrolled` (a new key epoch) and `StationRevoked` (the last epoch ends).
pub(super) fn apply_roster(state: &mut dyn StateMut, event: &Event) -> Result<(), Fault> {
    match &event.body {
        EventBody::StationEnrolled {
            station_id,
            role,
            verifying_key,
            age_recipient,
        } => {
            let mut entry = state.roster(station_id)?.unwrap_or_else(|| RosterEntry {
                station_id: station_id.clone(),
                role: *role,
                keys: Vec::new(),
            });
            entry.keys.push(KeyEpoch {
                verifying_key: *verifying_key,
                age_recipient: age_recipient.clone(),
                enrolled_ms: event.time_ms,
                revoked_from_ms: None,
            });
            state.put_roster(&entry)
        }
        EventBody::StationRevoked {
            station_id,
            from_ms,
        } => {
            let mut entry = state
                .roster(station_id)?
                .ok_or_else(|| Fault(format!("revocation of unknown station {station_id}")))?;
            if let Some(last) = entry.keys.last_mut() {
                last.revoked_from_ms = Some(*from_ms);
            }
            state.put_roster(&entry)
        }
        _ => Ok(()),
    }
}
