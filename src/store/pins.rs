//! The station-local half of operators: each operator's PIN as a salted argon2id hash, and how
//! many wrong PINs were typed for them in a row. Kept in the ledger file's `operator_pins`
//! table, outside the hash chain (the chain says who the operators are; see
//! [`crate::domain::operator`] for why the hash never travels), so it is copied into backups
//! with the file and never into bundles.
//!
//! A PIN is written only together with the event that adds the operator or changes their PIN,
//! in the same write transaction ([`Ledger::execute_batch_at`] calls [`store_pin_of`]); a
//! removed operator's row goes with the `OperatorRemoved` event. Checking a PIN
//! ([`Ledger::check_pin`]) counts the wrong ones in a row and resets the count on a right one;
//! the shells wait [`crate::domain::operator::pin_delay_ms`] of that count before they check.
//!
//! Cost: Argon2id with 19 MiB of memory, 2 passes, 1 lane (the OWASP minimum for Argon2id):
//! about 30–60 ms a check on this build machine and a few times that on an old 2 GB laptop,
//! well under a second, while each offline guess costs the same 19 MiB and time.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use redb::{Table, TableError};
use serde::{Deserialize, Serialize};

use super::codec;
use super::ledger::{Ledger, StoreError};
use super::tables;
use crate::domain::operator::Pin;
use crate::domain::Command;

/// Argon2id memory cost, KiB.
pub const PIN_HASH_MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id passes.
pub const PIN_HASH_PASSES: u32 = 2;
/// Argon2id lanes.
pub const PIN_HASH_LANES: u32 = 1;

/// One operator's PIN row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    /// The PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, salt per PIN.
    pub phc: String,
    /// Wrong PINs typed in a row since the last right one.
    pub failures: u32,
}

/// What a PIN check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinCheck {
    /// The PIN is the operator's; the count of wrong ones is back to 0.
    Right,
    /// The PIN is wrong; this many wrong ones in a row now.
    Wrong {
        /// Wrong PINs in a row, this one included.
        failures: u32,
    },
    /// The station keeps no PIN for that name (not an operator, or from before PINs).
    NoPin,
}

fn hasher() -> Result<Argon2<'static>, StoreError> {
    let params = Params::new(PIN_HASH_MEMORY_KIB, PIN_HASH_PASSES, PIN_HASH_LANES, None)
        .map_err(|e| StoreError::Storage(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a PIN with a fresh random salt into a PHC string.
pub fn hash_pin(pin: &Pin) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(pin.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Storage(format!("argon2: {e}")))
}

/// Whether `pin` matches the PHC string (its own parameters and salt are used).
pub fn pin_matches(phc: &str, pin: &Pin) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(pin.expose().as_bytes(), &parsed)
        .is_ok()
}

/// Writes (or removes) the PIN row that `command` sets, inside the caller's write transaction,
/// right after its event was appended: the PIN and its event are committed together or not
/// at all.
/// Whether `command` changes an operator's PIN record (which lives outside the chain, so its
/// write is not in the events and cannot be journaled).
pub(super) fn writes_pins(command: &Command) -> bool {
    matches!(
        command,
        Command::AddOperator { .. } | Command::ChangePin { .. } | Command::RemoveOperator { .. }
    )
}

pub(super) fn store_pin_of(
    pins: &mut Table<'_, &str, &[u8]>,
    command: &Command,
) -> Result<(), StoreError> {
    match command {
        Command::AddOperator { name, pin, .. } | Command::ChangePin { name, pin } => {
            let record = PinRecord {
                phc: hash_pin(pin)?,
                failures: 0,
            };
            let bytes = codec::encode(&record).map_err(storage)?;
            pins.insert(name.as_str(), bytes.as_slice())
                .map_err(storage)?;
        }
        Command::RemoveOperator { name } => {
            pins.remove(name.as_str()).map_err(storage)?;
        }
        _ => {}
    }
    Ok(())
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

impl Ledger {
    /// The PIN row of an operator, if the station keeps one.
    pub fn pin_record(&self, name: &str) -> Result<Option<PinRecord>, StoreError> {
        let txn = self.read_txn()?;
        let table = match txn.open_table(tables::PINS) {
            Ok(t) => t,
            // A file from before operators has no such table: nobody has a PIN.
            Err(TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(storage(e)),
        };
        let value = table.get(name).map_err(storage)?;
        match value {
            Some(v) => Ok(Some(codec::decode(v.value()).map_err(storage)?)),
            None => Ok(None),
        }
    }

    /// Checks an operator's PIN and keeps the count of wrong ones in a row (a write of the
    /// local table only; the chain is untouched). The caller waits first, by the count it read
    /// from [`Ledger::pin_record`] (`domain::operator::pin_delay_ms`).
    pub fn check_pin(&mut self, name: &str, pin: &Pin) -> Result<PinCheck, StoreError> {
        let Some(mut record) = self.pin_record(name)? else {
            return Ok(PinCheck::NoPin);
        };
        let right = pin_matches(&record.phc, pin);
        let check = if right {
            if record.failures == 0 {
                return Ok(PinCheck::Right);
            }
            record.failures = 0;
            PinCheck::Right
        } else {
            record.failures = record.failures.saturating_add(1);
            PinCheck::Wrong {
                failures: record.failures,
            }
        };
        let db = self.write_db()?;
        let mut txn = db.begin_write().map_err(storage)?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(storage)?;
        {
            let mut table = txn.open_table(tables::PINS).map_err(storage)?;
            let bytes = codec::encode(&record).map_err(storage)?;
            table.insert(name, bytes.as_slice()).map_err(storage)?;
        }
        txn.commit().map_err(storage)?;
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_hash_is_salted_argon2id_and_checks_only_its_pin() {
        let pin = Pin::new("2468");
        let a = hash_pin(&pin).unwrap_or_else(|e| panic!("{e}"));
        let b = hash_pin(&pin).unwrap_or_else(|e| panic!("{e}"));
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a salt per PIN");
        assert!(!a.contains("2468"));
        assert!(pin_matches(&a, &pin));
        assert!(pin_matches(&b, &pin));
        assert!(!pin_matches(&a, &Pin::new("2469")));
        assert!(!pin_matches("not a hash", &pin));
    }
}
