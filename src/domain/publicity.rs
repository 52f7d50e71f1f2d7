//! Publicity (公示): a score's award is posted for the policy's `publicity_days` before it may be
//! confirmed, so that neighbours can object. This module owns when publicity ends and which
//! awards are due; the command line (`award confirm --due`), the till's award screen and the
//! board all ask it instead of computing the date themselves. Source: the seeds' rule that
//! scores are posted for about a week before they count (PRODUCT.md, "Publicity").

use super::policy::Policy;
use super::state::{AwardRecord, AwardStatus, Fault, State};
use super::time::{CivilDate, PeriodKind, DAY_MS};

/// The period the committee scores and the board publicises on `today`: the one just ended
/// (October's scores are entered, posted and objected to in November; the seeds' monthly
/// review). The till's F7 and F12 and `aixin report board` open on it.
pub fn scored_period(today: CivilDate, kind: PeriodKind) -> String {
    today.previous_period(kind).0
}

/// The UTC millisecond at which an award entered at `entered_ms` may be confirmed under
/// `policy` (its `publicity_days` later). Saturates instead of overflowing.
pub fn publicity_until_ms(entered_ms: i64, policy: &Policy) -> i64 {
    entered_ms.saturating_add(i64::from(policy.publicity_days).saturating_mul(DAY_MS))
}

/// Whether `award` is pending and its publicity is over at `now_ms`: the one definition of
/// "due" that every screen and command uses.
pub fn is_due(award: &AwardRecord, policy: &Policy, now_ms: i64) -> bool {
    award.status == AwardStatus::Pending && now_ms >= publicity_until_ms(award.entered_ms, policy)
}

/// The sequence numbers of every pending award whose publicity is over at `now_ms`, in
/// ascending order (the batch `award confirm --due` commits).
pub fn due_awards(state: &dyn State, policy: &Policy, now_ms: i64) -> Result<Vec<u64>, Fault> {
    let mut seqs: Vec<u64> = state
        .pending_awards()?
        .iter()
        .filter(|a| is_due(a, policy, now_ms))
        .map(|a| a.seq)
        .collect();
    seqs.sort_unstable();
    Ok(seqs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::PeriodKey;

    #[test]
    fn the_scored_period_is_the_one_just_ended() {
        let day = |year, month, day| CivilDate { year, month, day };
        assert_eq!(
            scored_period(day(2026, 12, 1), PeriodKind::Month),
            "2026-11"
        );
        assert_eq!(
            scored_period(day(2027, 1, 15), PeriodKind::Month),
            "2026-12"
        );
        assert_eq!(
            scored_period(day(2026, 10, 2), PeriodKind::Quarter),
            "2026-Q3"
        );
    }

    fn award(status: AwardStatus, entered_ms: i64) -> AwardRecord {
        AwardRecord {
            seq: 7,
            household_id: "H1".into(),
            period: PeriodKey("2026-10".into()),
            score: 90,
            points: 50,
            status,
            entered_ms,
            items: Vec::new(),
        }
    }

    #[test]
    fn due_exactly_when_publicity_days_have_passed() {
        let policy = crate::policies::builtin("threshold-score")
            .expect("shipped")
            .expect("valid");
        let entered = 1_800_000_000_000;
        let until = publicity_until_ms(entered, &policy);
        assert_eq!(until - entered, i64::from(policy.publicity_days) * DAY_MS);
        assert!(!is_due(
            &award(AwardStatus::Pending, entered),
            &policy,
            until - 1
        ));
        assert!(is_due(
            &award(AwardStatus::Pending, entered),
            &policy,
            until
        ));
        assert!(!is_due(
            &award(AwardStatus::Confirmed, entered),
            &policy,
            until
        ));
        assert!(!is_due(
            &award(AwardStatus::Revoked, entered),
            &policy,
            until
        ));
    }
}
