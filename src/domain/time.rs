//! Dates and periods as the village sees them. The ledger stores UTC milliseconds; days,
//! months and quarters are counted on China Standard Time (UTC+8), the clock on the shop wall.
//! Also the clock sanity rules: an old laptop's CMOS clock may be years off, so an event dated
//! before the ledger's last event or implausibly far after it is refused, never written.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::event::PeriodKey;

/// One day in milliseconds: the one definition every layer uses.
pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// China Standard Time offset from UTC, in seconds.
pub const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// How far behind the ledger's last event the clock may be (a few minutes of skew).
pub const CLOCK_SKEW_MS_MAX: i64 = 5 * 60 * 1000;

/// How far after the ledger's last event a new event may be dated without the manager
/// confirming the date shown: a shop closed for a month is normal, more is worth a look.
pub const CLOCK_GAP_MS_CONFIRM: i64 = 30 * DAY_MS;

/// How far past the program's build date a station's first event may be dated without the
/// manager confirming the date shown (a CMOS clock set years ahead).
pub const BUILD_GAP_MS_CONFIRM: i64 = 2 * 365 * DAY_MS;

/// When this program was built, UTC ms (set by `build.rs`; 0 if unknown, which disables the
/// first-event check).
pub const BUILD_MS: i64 = parse_build_ms(env!("AIXIN_BUILD_MS"));

const fn parse_build_ms(text: &str) -> i64 {
    let bytes = text.as_bytes();
    let mut value: i64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < b'0' || b > b'9' {
            return 0;
        }
        value = value * 10 + (b - b'0') as i64;
        i += 1;
    }
    value
}

/// Nothing in any ledger is older than this (2024-01-01 UTC): a CMOS reset shows up as 2000.
pub const EARLIEST_PLAUSIBLE_MS: i64 = 1_704_067_200_000;

/// The length of a scoring period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Daily action points.
    Day,
    /// Monthly scores.
    Month,
    /// Quarterly scores.
    Quarter,
}

/// A calendar date on China time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDate {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

fn china() -> FixedOffset {
    // 8 hours is always a valid offset; fall back to UTC rather than panic.
    FixedOffset::east_opt(CHINA_OFFSET_SECONDS).unwrap_or_else(|| Utc.fix())
}

impl CivilDate {
    /// The China date of a UTC instant in milliseconds.
    pub fn from_utc_ms(ms: i64) -> CivilDate {
        let dt = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
        let local = dt.with_timezone(&china());
        CivilDate {
            year: local.year(),
            month: local.month(),
            day: local.day(),
        }
    }

    /// Parses exactly `YYYY-MM-DD` (no single-digit months or days).
    pub fn parse(text: &str) -> Option<CivilDate> {
        let text = text.trim();
        let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        let date = CivilDate {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        };
        (date.to_string() == text).then_some(date)
    }

    /// The UTC millisecond range `[start, end)` of this China day.
    pub fn utc_range_ms(&self) -> (i64, i64) {
        let start = NaiveDate::from_ymd_opt(self.year, self.month, self.day)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|n| china().from_local_datetime(&n).single())
            .map(|t| t.timestamp_millis())
            .unwrap_or(0);
        (start, start + 24 * 3600 * 1000)
    }

    /// The quarter 1–4.
    pub fn quarter(&self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// The period key for this date, e.g. `2026-11-21`, `2026-11`, `2026-Q4`.
    pub fn period(&self, kind: PeriodKind) -> PeriodKey {
        PeriodKey(match kind {
            PeriodKind::Day => self.to_string(),
            PeriodKind::Month => format!("{:04}-{:02}", self.year, self.month),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.year, self.quarter()),
        })
    }

    /// The period just before the one containing this date (the one a quarter's window redeems).
    pub fn previous_period(&self, kind: PeriodKind) -> PeriodKey {
        match kind {
            PeriodKind::Day => {
                let d = NaiveDate::from_ymd_opt(self.year, self.month, self.day)
                    .and_then(|d| d.pred_opt());
                d.map(|d| CivilDate {
                    year: d.year(),
                    month: d.month(),
                    day: d.day(),
                })
                .unwrap_or(*self)
                .period(kind)
            }
            PeriodKind::Month => {
                let (y, m) = if self.month == 1 {
                    (self.year - 1, 12)
                } else {
                    (self.year, self.month - 1)
                };
                PeriodKey(format!("{y:04}-{m:02}"))
            }
            PeriodKind::Quarter => {
                let q = self.quarter();
                let (y, q) = if q == 1 {
                    (self.year - 1, 4)
                } else {
                    (self.year, q - 1)
                };
                PeriodKey(format!("{y:04}-Q{q}"))
            }
        }
    }
}

impl std::fmt::Display for CivilDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Checks that a period key is well formed for the policy's period kind.
pub fn parse_period(text: &str, kind: PeriodKind) -> Option<PeriodKey> {
    let t = text.trim();
    let ok = match kind {
        PeriodKind::Day => CivilDate::parse(t)
            .map(|d| d.to_string() == t)
            .unwrap_or(false),
        PeriodKind::Month => {
            t.len() == 7
                && CivilDate::parse(&format!("{t}-01")).is_some()
                && t.as_bytes()[4] == b'-'
        }
        PeriodKind::Quarter => {
            let b = t.as_bytes();
            t.len() == 7
                && t[..4].chars().all(|c| c.is_ascii_digit())
                && b[4] == b'-'
                && b[5] == b'Q'
                && matches!(b[6], b'1'..=b'4')
        }
    };
    ok.then(|| PeriodKey(t.to_string()))
}

/// The China date on which a period starts (used to refuse scores for future periods).
pub fn period_start(period: &PeriodKey) -> Option<CivilDate> {
    let t = &period.0;
    if t.len() == 10 {
        return CivilDate::parse(t);
    }
    if t.len() == 7 && t.as_bytes().get(5) == Some(&b'Q') {
        let year: i32 = t[..4].parse().ok()?;
        let q: u32 = t[6..].parse().ok()?;
        return Some(CivilDate {
            year,
            month: (q - 1) * 3 + 1,
            day: 1,
        });
    }
    CivilDate::parse(&format!("{t}-01"))
}

/// The moment a write happens: the computer clock's time and, if the manager was asked, the
/// date they confirmed as right (`--confirm-date`, or yes on the till's clock popup). Clocks
/// are checked, never trusted blindly (PRODUCT.md, "Clocks are checked").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// The clock's time, UTC ms.
    pub now_ms: i64,
    /// The China date the manager confirmed, if any; it must be the clock's own date.
    pub confirmed_date: Option<CivilDate>,
}

impl Moment {
    /// A moment whose date nobody confirmed: writes far past the last event are refused.
    pub fn at(now_ms: i64) -> Moment {
        Moment {
            now_ms,
            confirmed_date: None,
        }
    }

    /// A moment whose date the manager confirmed.
    pub fn confirmed(now_ms: i64, date: CivilDate) -> Moment {
        Moment {
            now_ms,
            confirmed_date: Some(date),
        }
    }

    /// The clock's China date.
    pub fn date(&self) -> CivilDate {
        CivilDate::from_utc_ms(self.now_ms)
    }
}

/// What is wrong with the clock, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockProblem {
    /// Now is before the ledger's last event (beyond the allowed skew).
    BehindLedger { last_ms: i64 },
    /// Now is before aixin existed: a CMOS reset.
    BeforeEpoch,
    /// Now is far past the ledger's last event (or, for a first event, far past the build
    /// date: `last_ms` is `None`) and the manager has not confirmed the date.
    NeedsConfirmation { last_ms: Option<i64> },
    /// The manager confirmed a date that is not the clock's date.
    ConfirmedOtherDate { confirmed: CivilDate },
}

/// What the clock check found acceptable: either nothing to note, or a date the manager
/// confirmed after a long gap (recorded as a `ClockConfirmed` event before the write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockVerdict {
    /// The time is plausible.
    Plausible,
    /// The time is far past `last_ms` (or the build date, `None`), confirmed by the manager.
    Confirmed { last_ms: Option<i64> },
}

/// Decides whether an event may be dated at `moment` given the time new events are checked
/// against (`last_ms`: the last event's, `None` before the first event).
pub fn check_clock(moment: &Moment, last_ms: Option<i64>) -> Result<ClockVerdict, ClockProblem> {
    let now_ms = moment.now_ms;
    if now_ms < EARLIEST_PLAUSIBLE_MS {
        return Err(ClockProblem::BeforeEpoch);
    }
    if let Some(confirmed) = moment.confirmed_date {
        if confirmed != moment.date() {
            return Err(ClockProblem::ConfirmedOtherDate { confirmed });
        }
    }
    let far = match last_ms {
        Some(last_ms) => {
            if now_ms < last_ms - CLOCK_SKEW_MS_MAX {
                return Err(ClockProblem::BehindLedger { last_ms });
            }
            now_ms > last_ms.saturating_add(CLOCK_GAP_MS_CONFIRM)
        }
        None => BUILD_MS > 0 && now_ms > BUILD_MS.saturating_add(BUILD_GAP_MS_CONFIRM),
    };
    match (far, moment.confirmed_date) {
        (false, _) => Ok(ClockVerdict::Plausible),
        (true, Some(_)) => Ok(ClockVerdict::Confirmed { last_ms }),
        (true, None) => Err(ClockProblem::NeedsConfirmation { last_ms }),
    }
}

/// Formats UTC milliseconds as China local time `YYYY-MM-DD HH:MM`.
pub fn format_local(ms: i64) -> String {
    let dt = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    dt.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_day_boundary() {
        // 2026-03-31T16:30Z is 2026-04-01 00:30 in China.
        let ms = DateTime::parse_from_rfc3339("2026-03-31T16:30:00Z")
            .map(|d| d.timestamp_millis())
            .unwrap_or(0);
        let d = CivilDate::from_utc_ms(ms);
        assert_eq!(d.to_string(), "2026-04-01");
        assert_eq!(d.period(PeriodKind::Quarter).0, "2026-Q2");
        assert_eq!(d.previous_period(PeriodKind::Quarter).0, "2026-Q1");
        let (start, end) = d.utc_range_ms();
        assert!(start <= ms && ms < end);
    }

    #[test]
    fn periods_parse_strictly() {
        assert!(parse_period("2026-11", PeriodKind::Month).is_some());
        assert!(parse_period("2026-13", PeriodKind::Month).is_none());
        assert!(parse_period("2026-Q5", PeriodKind::Quarter).is_none());
        assert!(parse_period("2026-02-30", PeriodKind::Day).is_none());
        assert_eq!(
            period_start(&PeriodKey("2026-Q3".into())).map(|d| d.month),
            Some(7)
        );
    }

    #[test]
    fn clock_rules() {
        let last = EARLIEST_PLAUSIBLE_MS + 1_000_000_000;
        let at = |ms| check_clock(&Moment::at(ms), Some(last));
        assert_eq!(at(last - 60_000), Ok(ClockVerdict::Plausible));
        assert_eq!(
            at(last - CLOCK_SKEW_MS_MAX - 1),
            Err(ClockProblem::BehindLedger { last_ms: last })
        );
        assert_eq!(
            check_clock(&Moment::at(946_684_800_000), None),
            Err(ClockProblem::BeforeEpoch)
        );
        assert_eq!(at(last + CLOCK_GAP_MS_CONFIRM), Ok(ClockVerdict::Plausible));
        let far = last + CLOCK_GAP_MS_CONFIRM + 1;
        assert_eq!(
            at(far),
            Err(ClockProblem::NeedsConfirmation {
                last_ms: Some(last)
            })
        );
        let date = CivilDate::from_utc_ms(far);
        assert_eq!(
            check_clock(&Moment::confirmed(far, date), Some(last)),
            Ok(ClockVerdict::Confirmed {
                last_ms: Some(last)
            })
        );
        let yesterday = CivilDate::from_utc_ms(far - DAY_MS);
        assert_eq!(
            check_clock(&Moment::confirmed(far, yesterday), Some(last)),
            Err(ClockProblem::ConfirmedOtherDate {
                confirmed: yesterday
            })
        );
    }

    #[test]
    fn a_first_event_years_past_the_build_needs_confirmation() {
        let soon = BUILD_MS + DAY_MS;
        assert_eq!(
            check_clock(&Moment::at(soon), None),
            Ok(ClockVerdict::Plausible)
        );
        let years = BUILD_MS + BUILD_GAP_MS_CONFIRM + DAY_MS;
        assert_eq!(
            check_clock(&Moment::at(years), None),
            Err(ClockProblem::NeedsConfirmation { last_ms: None })
        );
    }
}
