//! The rules of backups (PRODUCT.md, "Backups are one encrypted file"): how long a passphrase
//! must be before it may lock a backup that holds every household's file and the station's
//! keys, and when the till reminds the manager that the last backup is too old. Pure: the
//! shells read the clock and the file; this decides.

use super::refusal::Refusal;

/// The shortest passphrase, in characters. A backup is encrypted with scrypt, which slows each
/// guess to about a second, but a lost stick can be tried for months: ten characters (or five
/// Chinese words) keep that out of reach, and a manager can still write it down.
pub const PASSPHRASE_CHARS_MIN: usize = 10;

/// The longest passphrase, in characters (a limit on everything).
pub const PASSPHRASE_CHARS_MAX: usize = 256;

/// Days after which the sync screen reminds the manager to make a backup.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// Checks a passphrase before it locks a backup.
pub fn check_passphrase(passphrase: &str) -> Result<(), Refusal> {
    let chars = passphrase.chars().count();
    if chars < PASSPHRASE_CHARS_MIN {
        return Err(Refusal::PassphraseTooShort {
            chars_min: PASSPHRASE_CHARS_MIN,
        });
    }
    if chars > PASSPHRASE_CHARS_MAX || passphrase.chars().any(char::is_control) {
        return Err(Refusal::TooLong("passphrase"));
    }
    Ok(())
}

/// Whether the manager should be reminded to back up: never backed up, or the last backup
/// (UTC ms) is more than [`BACKUP_REMINDER_DAYS`] before `now_ms`.
pub fn backup_due(last_backup_ms: Option<i64>, now_ms: i64) -> bool {
    match last_backup_ms {
        None => true,
        Some(last) => now_ms.saturating_sub(last) > BACKUP_REMINDER_DAYS * super::time::DAY_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::DAY_MS;

    #[test]
    fn a_passphrase_must_be_long_enough() {
        assert_eq!(
            check_passphrase("short"),
            Err(Refusal::PassphraseTooShort { chars_min: 10 })
        );
        assert_eq!(check_passphrase("ten chars!"), Ok(()));
        assert_eq!(check_passphrase("李家村爱心超市备份口令"), Ok(()));
        assert_eq!(
            check_passphrase(&"x".repeat(300)),
            Err(Refusal::TooLong("passphrase"))
        );
    }

    #[test]
    fn the_reminder_comes_after_a_week() {
        let now = 1_795_224_600_000;
        assert!(backup_due(None, now));
        assert!(!backup_due(Some(now - 7 * DAY_MS), now));
        assert!(backup_due(Some(now - 7 * DAY_MS - 1), now));
        assert!(!backup_due(Some(now + DAY_MS), now), "a clock set back");
    }
}
