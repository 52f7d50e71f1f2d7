//! Credit by year (PRODUCT.md, "Credit belongs to a year"). A confirmed award is credit of the
//! year of its scoring period; a sale spends the oldest credit first; year-end clearing of a
//! year (一年一清, seed 000 篇二 and 篇五) removes what is left of that year and earlier years,
//! never later credit; a void gives each year back what the sale took from it, and what would
//! go back to a cleared year stays cleared. For every household and year:
//! `awarded = spent + cleared + remaining`. This module owns that arithmetic; `decide` asks it
//! how a spend or a clearing splits, `apply` asks it to book the split.

use super::event::YearPoints;
use super::state::{Fault, HouseholdRecord, YearCredit};

/// How `points` would be spent from `credit` (oldest year first), or `None` if the household
/// has fewer points left than that. A spend of 0 points takes nothing.
pub fn spend_oldest(credit: &[YearCredit], points: i64) -> Option<Vec<YearPoints>> {
    let mut left = points;
    let mut split = Vec::new();
    for year in credit {
        if left <= 0 {
            break;
        }
        let take = year.remaining_points().min(left);
        if take > 0 {
            split.push(YearPoints {
                year: year.year,
                points: take,
            });
            left -= take;
        }
    }
    (left <= 0).then_some(split)
}

/// What is left of the credit of `year` and earlier: what clearing `year` would remove.
pub fn remaining_through(credit: &[YearCredit], year: i32) -> i64 {
    credit
        .iter()
        .filter(|c| c.year <= year)
        .map(YearCredit::remaining_points)
        .sum()
}

/// What is left of the credit of years after `year`: what clearing `year` leaves alone.
pub fn remaining_after(credit: &[YearCredit], year: i32) -> i64 {
    credit
        .iter()
        .filter(|c| c.year > year)
        .map(YearCredit::remaining_points)
        .sum()
}

/// Books a confirmed award of `points` as credit of `year`. If `year` is already cleared
/// (`cleared_through`), the points are cleared at once: credit of a cleared year never
/// becomes spendable.
pub fn award(record: &mut HouseholdRecord, year: i32, points: i64, cleared_through: Option<i32>) {
    let entry = year_entry(record, year);
    entry.awarded_points += points;
    if cleared_through.is_some_and(|c| year <= c) {
        entry.cleared_points += points;
    }
    refresh_totals(record);
}

/// Books a spend split by year (a sale, as decided by [`spend_oldest`]).
pub fn spend(record: &mut HouseholdRecord, split: &[YearPoints]) -> Result<(), Fault> {
    for part in split {
        let entry = year_entry(record, part.year);
        entry.spent_points += part.points;
        let left = entry.remaining_points();
        if left < 0 {
            return Err(Fault(format!(
                "household {} would have {left} points of {} left",
                record.household.household_id, part.year
            )));
        }
    }
    refresh_totals(record);
    Ok(())
}

/// Gives a voided sale's points back to the years they came from; a year that was cleared
/// since (`cleared_through`) keeps them cleared.
pub fn unspend(
    record: &mut HouseholdRecord,
    split: &[YearPoints],
    cleared_through: Option<i32>,
) -> Result<(), Fault> {
    for part in split {
        let entry = year_entry(record, part.year);
        if entry.spent_points < part.points {
            let year = part.year;
            return Err(Fault(format!(
                "household {} gets back more points of {year} than it spent",
                record.household.household_id
            )));
        }
        entry.spent_points -= part.points;
        if cleared_through.is_some_and(|c| part.year <= c) {
            entry.cleared_points += part.points;
        }
    }
    refresh_totals(record);
    Ok(())
}

/// Clears `points` from the household's credit, oldest year first (a year-end clearing as
/// recorded). Decided clearings list exactly what was left of the cleared year and earlier;
/// a clearing written before credit years may list more, which comes from the next years.
pub fn clear(record: &mut HouseholdRecord, points: i64) -> Result<(), Fault> {
    let mut left = points;
    for entry in record.credit.iter_mut() {
        if left <= 0 {
            break;
        }
        let take = entry.remaining_points().min(left);
        if take > 0 {
            entry.cleared_points += take;
            left -= take;
        }
    }
    if left > 0 {
        return Err(Fault(format!(
            "household {} has {left} points fewer than the clearing lists",
            record.household.household_id
        )));
    }
    refresh_totals(record);
    Ok(())
}

/// Checks the household's books: no year below zero, totals equal to the years' sums. The
/// apply of every event that touches credit ends with it (a paired assertion: the sums are
/// checked after every write, as `verify` checks them after every read).
pub fn check(record: &HouseholdRecord) -> Result<(), Fault> {
    let id = &record.household.household_id;
    let mut sums = [0i64; 4];
    for (i, entry) in record.credit.iter().enumerate() {
        if entry.remaining_points() < 0 || entry.spent_points < 0 || entry.cleared_points < 0 {
            return Err(Fault(format!(
                "household {id}: credit of {} is negative",
                entry.year
            )));
        }
        if i > 0 && record.credit[i - 1].year >= entry.year {
            return Err(Fault(format!("household {id}: credit years out of order")));
        }
        sums[0] += entry.awarded_points;
        sums[1] += entry.spent_points;
        sums[2] += entry.cleared_points;
        sums[3] += entry.remaining_points();
    }
    let totals = [
        record.earned_points,
        record.spent_points,
        record.cleared_points,
        record.balance_points,
    ];
    if sums != totals {
        return Err(Fault(format!(
            "household {id}: totals {totals:?} differ from the credit years {sums:?}"
        )));
    }
    Ok(())
}

fn year_entry(record: &mut HouseholdRecord, year: i32) -> &mut YearCredit {
    let index = match record.credit.binary_search_by_key(&year, |c| c.year) {
        Ok(i) => i,
        Err(i) => {
            record.credit.insert(
                i,
                YearCredit {
                    year,
                    ..YearCredit::default()
                },
            );
            i
        }
    };
    &mut record.credit[index]
}

fn refresh_totals(record: &mut HouseholdRecord) {
    record.earned_points = record.credit.iter().map(|c| c.awarded_points).sum();
    record.spent_points = record.credit.iter().map(|c| c.spent_points).sum();
    record.cleared_points = record.credit.iter().map(|c| c.cleared_points).sum();
    record.balance_points = record.credit.iter().map(YearCredit::remaining_points).sum();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::Household;

    fn household() -> HouseholdRecord {
        HouseholdRecord {
            household: Household {
                household_id: "H1".into(),
                card_no: "C1".into(),
                head: "甲".into(),
                members: vec![],
                group: String::new(),
                phone: String::new(),
                registered_poor: false,
            },
            old_cards: vec![],
            balance_points: 0,
            pending_points: 0,
            earned_points: 0,
            spent_points: 0,
            cleared_points: 0,
            credit: vec![],
        }
    }

    fn yp(year: i32, points: i64) -> YearPoints {
        YearPoints { year, points }
    }

    #[test]
    fn spending_takes_the_oldest_year_first() {
        let mut h = household();
        award(&mut h, 2027, 20, None);
        award(&mut h, 2026, 50, None);
        assert_eq!(h.credit[0].year, 2026, "years stay in order");
        let split = spend_oldest(&h.credit, 60).expect("enough");
        assert_eq!(split, vec![yp(2026, 50), yp(2027, 10)]);
        assert_eq!(spend_oldest(&h.credit, 71), None);
        spend(&mut h, &split).expect("books");
        assert_eq!(h.balance_points, 10);
        check(&h).expect("consistent");
    }

    #[test]
    fn clearing_a_year_leaves_later_credit() {
        let mut h = household();
        award(&mut h, 2026, 50, None);
        award(&mut h, 2027, 20, None);
        assert_eq!(remaining_through(&h.credit, 2026), 50);
        assert_eq!(remaining_after(&h.credit, 2026), 20);
        let through = remaining_through(&h.credit, 2026);
        clear(&mut h, through).expect("clears");
        assert_eq!((h.cleared_points, h.balance_points), (50, 20));
        check(&h).expect("consistent");
    }

    #[test]
    fn a_void_after_clearing_keeps_the_cleared_year_cleared() {
        let mut h = household();
        award(&mut h, 2026, 50, None);
        award(&mut h, 2027, 20, None);
        let split = spend_oldest(&h.credit, 60).expect("enough");
        spend(&mut h, &split).expect("books");
        let through = remaining_through(&h.credit, 2026);
        assert_eq!(through, 0, "the sale spent all of 2026");
        clear(&mut h, through).expect("nothing left of 2026");
        unspend(&mut h, &split, Some(2026)).expect("void");
        // 50 of 2026 stay cleared, 10 of 2027 come back.
        assert_eq!(h.credit[0].cleared_points, 50);
        assert_eq!(h.balance_points, 20);
        for c in &h.credit {
            assert_eq!(
                c.awarded_points,
                c.spent_points + c.cleared_points + c.remaining_points()
            );
        }
        check(&h).expect("consistent");
    }

    #[test]
    fn an_award_for_a_cleared_year_is_cleared_at_once() {
        let mut h = household();
        award(&mut h, 2026, 40, Some(2026));
        assert_eq!((h.balance_points, h.cleared_points), (0, 40));
        check(&h).expect("consistent");
    }

    #[test]
    fn an_old_clearing_that_listed_next_year_takes_it_oldest_first() {
        let mut h = household();
        award(&mut h, 2026, 50, None);
        award(&mut h, 2027, 20, None);
        clear(&mut h, 70).expect("old clearings listed the whole balance");
        assert_eq!(h.balance_points, 0);
        assert!(clear(&mut h, 1).is_err(), "more than is left is a fault");
        check(&h).expect("consistent");
    }
}
