//! Event → typed rows: the one place that says which PostgreSQL columns an event fills. Every
//! event becomes one `events` row (its canonical bytes and hashes, and the typed columns its
//! kind needs, the others NULL); a redemption adds one `sale_lines` row per line and a
//! year-end clearing one `clearing_lines` row per household.
//!
//! Some columns are facts the event does not carry itself: the supplier paid for a sale line
//! and the point value it is paid at are those in force when the sale was made, and a score's
//! budget is the one its policy set. [`Replay`] follows the chain to know them, exactly as the
//! township's settlement replays the events; and the household and points an award
//! confirmation or a void act on are looked up in the station's derived state, where they never
//! change. A new event kind is one more arm of [`typed_rows`] (the match has no catch-all, so
//! the compiler asks for it), and new context one more field of [`Replay`].

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::event::DayTotals;
use crate::domain::time::{CivilDate, PeriodKind};
use crate::domain::{
    Event, EventBody, Fault, Goods, Hash, Policy, State, StationRole, StockSource, Zone,
};
use crate::report::settlement::is_donated;

/// What the chain has said so far that later events' rows depend on: the policy in force and
/// each item's latest definition. Cloned at the point a publish resumes from.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    policy: Option<Policy>,
    catalog: HashMap<String, Goods>,
}

impl Replay {
    /// Takes in one event, after its rows were made (a row sees what was in force before it).
    pub fn advance(&mut self, event: &Event) {
        match &event.body {
            EventBody::StationInitialized { policy, .. } | EventBody::PolicySet { policy } => {
                self.policy = Some(policy.clone());
            }
            EventBody::GoodsDefined { goods } => {
                self.catalog.insert(goods.goods_id.clone(), goods.clone());
            }
            _ => {}
        }
    }

    /// The merchant paid for units of `goods_id` now; `None` for donated goods.
    fn supplier(&self, goods_id: &str) -> Option<&str> {
        self.catalog
            .get(goods_id)
            .filter(|g| !is_donated(g))
            .map(|g| g.supplier.as_str())
    }

    fn point_value_fen(&self) -> i64 {
        self.policy.as_ref().map_or(0, |p| p.point_value_fen)
    }
}

/// One `events` row. Its fields are the table's columns, with the same names and meanings
/// (documented in `migrations/0001_ledger.sql`), in the order of
/// [`super::copy::EVENT_COLUMNS`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventRow {
    pub(crate) station_id: String,
    pub(crate) seq: i64,
    pub(crate) time_ms: i64,
    pub(crate) day: NaiveDate,
    pub(crate) month: String,
    pub(crate) quarter: String,
    pub(crate) operator: String,
    pub(crate) kind: &'static str,
    pub(crate) household_id: Option<String>,
    pub(crate) card_no: Option<String>,
    pub(crate) goods_id: Option<String>,
    pub(crate) quantity: Option<i64>,
    pub(crate) points: Option<i64>,
    pub(crate) score: Option<i64>,
    pub(crate) period: Option<String>,
    pub(crate) ref_seq: Option<i64>,
    pub(crate) year: Option<i32>,
    pub(crate) budget_key: Option<String>,
    pub(crate) budget_points: Option<i64>,
    pub(crate) source: Option<&'static str>,
    pub(crate) donor: Option<String>,
    pub(crate) fund: Option<String>,
    pub(crate) cost_fen: Option<i64>,
    pub(crate) other_station: Option<String>,
    pub(crate) supplier: Option<String>,
    pub(crate) zone_points: Option<i32>,
    pub(crate) donation_zone: Option<bool>,
    pub(crate) price_points: Option<i64>,
    pub(crate) point_value_fen: Option<i64>,
    pub(crate) name: Option<String>,
    pub(crate) role: Option<&'static str>,
    pub(crate) note: Option<String>,
    pub(crate) proxy: Option<String>,
    pub(crate) body: Vec<u8>,
    pub(crate) hash: Vec<u8>,
    pub(crate) prev_hash: Vec<u8>,
}

/// One `sale_lines` row: a line of a redemption and who is paid for it (columns as in
/// `migrations/0001_ledger.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct SaleLineRow {
    pub(crate) station_id: String,
    pub(crate) seq: i64,
    pub(crate) line_no: i32,
    pub(crate) day: NaiveDate,
    pub(crate) quarter: String,
    pub(crate) goods_id: String,
    pub(crate) quantity: i64,
    pub(crate) price_points: i64,
    pub(crate) points: i64,
    /// The merchant paid for it; `None` for donated goods.
    pub(crate) supplier: Option<String>,
    /// What it is worth in fen at the point value of the sale; `None` when donated.
    pub(crate) value_fen: Option<i64>,
}

/// One `clearing_lines` row: what a year-end clearing took from one household (columns as in
/// `migrations/0001_ledger.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct ClearingLineRow {
    pub(crate) station_id: String,
    pub(crate) seq: i64,
    pub(crate) line_no: i32,
    pub(crate) household_id: String,
    pub(crate) points: i64,
}

/// Everything one event becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedRows {
    /// The event's own row.
    pub event: EventRow,
    /// One per line of a redemption (none for other kinds).
    pub sale_lines: Vec<SaleLineRow>,
    /// One per household of a year-end clearing (none for other kinds).
    pub clearing_lines: Vec<ClearingLineRow>,
}

/// The role's name in the `role` columns.
pub fn role_name(role: StationRole) -> &'static str {
    match role {
        StationRole::Village => "village",
        StationRole::Township => "township",
    }
}

fn seq_i64(seq: u64) -> Result<i64, Fault> {
    i64::try_from(seq).map_err(|_| Fault(format!("sequence number {seq} is too large")))
}

fn civil_day(date: CivilDate) -> Result<NaiveDate, Fault> {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
        .ok_or_else(|| Fault(format!("no such date {date}")))
}

/// Maps one verified event (with its canonical bytes and hash) to its rows. `replay` is the
/// chain's context before this event; `state` is the station's derived state, asked only for
/// facts that never change (an award's household and points, a sale's lines).
pub fn typed_rows(
    event: &Event,
    bytes: Vec<u8>,
    hash: &Hash,
    replay: &Replay,
    state: &dyn State,
) -> Result<TypedRows, Fault> {
    let date = CivilDate::from_utc_ms(event.time_ms);
    let mut row = EventRow {
        station_id: event.station_id.clone(),
        seq: seq_i64(event.seq)?,
        time_ms: event.time_ms,
        day: civil_day(date)?,
        month: date.period(PeriodKind::Month).0,
        quarter: date.period(PeriodKind::Quarter).0,
        operator: event.operator.clone(),
        kind: event.body.kind(),
        body: bytes,
        hash: hash.to_vec(),
        prev_hash: event.prev_hash.to_vec(),
        ..EventRow::default()
    };
    let mut sale_lines = Vec::new();
    let mut clearing_lines = Vec::new();
    match &event.body {
        EventBody::StationInitialized {
            station_id: _,
            name,
            role,
            policy,
        } => {
            row.name = Some(name.clone());
            row.role = Some(role_name(*role));
            row.point_value_fen = Some(policy.point_value_fen);
        }
        EventBody::PolicySet { policy } => {
            row.name = Some(policy.name.clone());
            row.point_value_fen = Some(policy.point_value_fen);
        }
        EventBody::HouseholdRegistered { household } => {
            row.household_id = Some(household.household_id.clone());
            row.card_no = Some(household.card_no.clone());
            row.name = Some(household.head.clone());
        }
        EventBody::CardReissued {
            household_id,
            old_card_no: _,
            new_card_no,
        } => {
            row.household_id = Some(household_id.clone());
            row.card_no = Some(new_card_no.clone());
        }
        EventBody::GoodsDefined { goods } => {
            row.goods_id = Some(goods.goods_id.clone());
            row.name = Some(goods.name.clone());
            row.supplier = Some(goods.supplier.clone());
            row.price_points = Some(goods.price_points);
            match goods.zone {
                Zone::Points(points) => {
                    row.zone_points = Some(i32::try_from(points).unwrap_or(i32::MAX));
                    row.donation_zone = Some(false);
                }
                Zone::Donation => row.donation_zone = Some(true),
            }
        }
        EventBody::StockReceived {
            goods_id,
            quantity,
            source,
        } => {
            row.goods_id = Some(goods_id.clone());
            row.quantity = Some(*quantity);
            match source {
                StockSource::Donation { donor } => {
                    row.source = Some("donation");
                    row.donor = Some(donor.clone());
                }
                StockSource::Purchase { fund, cost_fen } => {
                    row.source = Some("purchase");
                    row.fund = Some(fund.clone());
                    row.cost_fen = Some(*cost_fen);
                }
                StockSource::Transfer { from } => {
                    row.source = Some("transfer");
                    row.other_station = Some(from.clone());
                }
            }
        }
        EventBody::StockAdjusted {
            goods_id,
            delta,
            reason,
        } => {
            row.goods_id = Some(goods_id.clone());
            row.quantity = Some(*delta);
            row.note = Some(reason.clone());
        }
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            note,
        } => {
            row.household_id = Some(household_id.clone());
            row.period = Some(period.0.clone());
            row.score = Some(*score);
            row.points = Some(*points);
            row.note = Some(note.clone());
            if let Some((key, budget)) = replay
                .policy
                .as_ref()
                .and_then(|p| p.budget_for_period(period))
            {
                row.budget_key = Some(key);
                row.budget_points = Some(budget);
            }
        }
        EventBody::AwardConfirmed { award_seq } => {
            award_facts(&mut row, *award_seq, state)?;
        }
        EventBody::AwardRevoked { award_seq, reason } => {
            award_facts(&mut row, *award_seq, state)?;
            row.note = Some(reason.clone());
        }
        EventBody::Redeemed {
            household_id,
            card_no,
            lines,
            total_points,
            proxy,
        } => {
            row.household_id = Some(household_id.clone());
            row.card_no = Some(card_no.clone());
            row.points = Some(*total_points);
            row.quantity = Some(lines.iter().map(|l| l.quantity).sum());
            row.proxy = proxy.clone();
            let point_value_fen = replay.point_value_fen();
            for (index, line) in lines.iter().enumerate() {
                let points = line.quantity.saturating_mul(line.price_points);
                let supplier = replay.supplier(&line.goods_id).map(str::to_string);
                sale_lines.push(SaleLineRow {
                    station_id: row.station_id.clone(),
                    seq: row.seq,
                    line_no: line_number(index)?,
                    day: row.day,
                    quarter: row.quarter.clone(),
                    goods_id: line.goods_id.clone(),
                    quantity: line.quantity,
                    price_points: line.price_points,
                    points,
                    value_fen: supplier
                        .as_ref()
                        .map(|_| points.saturating_mul(point_value_fen)),
                    supplier,
                });
            }
        }
        EventBody::SaleVoided { sale_seq, reason } => {
            let sale = state
                .sale(*sale_seq)?
                .ok_or_else(|| Fault(format!("void of unknown sale #{sale_seq}")))?;
            row.ref_seq = Some(seq_i64(*sale_seq)?);
            row.household_id = Some(sale.household_id);
            row.points = Some(sale.total_points);
            row.quantity = Some(sale.lines.iter().map(|l| l.quantity).sum());
            row.note = Some(reason.clone());
        }
        EventBody::YearCleared { year, cleared } => {
            row.year = Some(*year);
            row.points = Some(cleared.iter().map(|(_, points)| points).sum());
            for (index, (household_id, points)) in cleared.iter().enumerate() {
                clearing_lines.push(ClearingLineRow {
                    station_id: row.station_id.clone(),
                    seq: row.seq,
                    line_no: line_number(index)?,
                    household_id: household_id.clone(),
                    points: *points,
                });
            }
        }
        EventBody::DayClosed { date, totals } => {
            let DayTotals { points_spent, .. } = totals;
            row.period = Some(date.clone());
            row.points = Some(*points_spent);
        }
        EventBody::StationEnrolled {
            station_id, role, ..
        } => {
            row.other_station = Some(station_id.clone());
            row.role = Some(role_name(*role));
        }
        EventBody::StationRevoked {
            station_id,
            from_ms: _,
        } => {
            row.other_station = Some(station_id.clone());
        }
        EventBody::GoodsShipped {
            to_station,
            goods_id,
            quantity,
        } => {
            row.other_station = Some(to_station.clone());
            row.goods_id = Some(goods_id.clone());
            row.quantity = Some(*quantity);
        }
        EventBody::PolicyIssued { to_station, policy } => {
            row.other_station = Some(to_station.clone());
            row.name = Some(policy.name.clone());
            row.point_value_fen = Some(policy.point_value_fen);
        }
        EventBody::HouseholdIssued {
            to_station,
            household,
        } => {
            row.other_station = Some(to_station.clone());
            row.household_id = Some(household.household_id.clone());
            row.card_no = Some(household.card_no.clone());
            row.name = Some(household.head.clone());
        }
    }
    Ok(TypedRows {
        event: row,
        sale_lines,
        clearing_lines,
    })
}

fn line_number(index: usize) -> Result<i32, Fault> {
    i32::try_from(index + 1).map_err(|_| Fault("too many lines in one event".into()))
}

/// Fills in the household, points and period of the award an event acts on.
fn award_facts(row: &mut EventRow, award_seq: u64, state: &dyn State) -> Result<(), Fault> {
    let award = state
        .award(award_seq)?
        .ok_or_else(|| Fault(format!("event for unknown award #{award_seq}")))?;
    row.ref_seq = Some(seq_i64(award_seq)?);
    row.household_id = Some(award.household_id);
    row.points = Some(award.points);
    row.period = Some(award.period.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::state::{AwardRecord, AwardStatus};
    use crate::domain::{MemoryState, PeriodKey, SaleLine, StateMut};

    fn event(seq: u64, body: EventBody) -> Event {
        Event {
            station_id: "V01".into(),
            seq,
            operator: "王".into(),
            // 2026-03-31T16:30Z: already 2026-04-01 in China, the second quarter.
            time_ms: 1_774_974_600_000,
            prev_hash: [7; 32],
            body,
        }
    }

    fn goods(id: &str, supplier: &str, zone: Zone) -> Goods {
        Goods {
            goods_id: id.into(),
            name: "大米".into(),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: 10,
            zone,
            category: "粮油".into(),
            supplier: supplier.into(),
        }
    }

    fn policy() -> Policy {
        crate::policies::builtin("direct-points")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("the direct-points policy ships with aixin"))
    }

    fn rows(replay: &Replay, state: &MemoryState, body: EventBody) -> TypedRows {
        typed_rows(&event(9, body), vec![1, 2], &[3; 32], replay, state)
            .unwrap_or_else(|f| panic!("{f}"))
    }

    #[test]
    fn every_row_carries_the_chain_and_china_dates() {
        let row = rows(
            &Replay::default(),
            &MemoryState::default(),
            EventBody::StationRevoked {
                station_id: "V02".into(),
                from_ms: 0,
            },
        )
        .event;
        assert_eq!((row.seq, row.kind), (9, "station_revoked"));
        assert_eq!(
            row.day,
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default()
        );
        assert_eq!(
            (row.month.as_str(), row.quarter.as_str()),
            ("2026-04", "2026-Q2")
        );
        assert_eq!(
            (row.body, row.hash, row.prev_hash),
            (vec![1, 2], vec![3; 32], vec![7; 32])
        );
        assert_eq!(row.other_station.as_deref(), Some("V02"));
    }

    #[test]
    fn sale_lines_pay_the_supplier_in_force_at_the_sale() {
        let mut replay = Replay::default();
        replay.advance(&event(
            1,
            EventBody::StationInitialized {
                station_id: "V01".into(),
                name: "村".into(),
                role: StationRole::Village,
                policy: policy(),
            },
        ));
        replay.advance(&event(
            2,
            EventBody::GoodsDefined {
                goods: goods("G1", "供销社", Zone::Points(10)),
            },
        ));
        replay.advance(&event(
            3,
            EventBody::GoodsDefined {
                goods: goods("D1", "", Zone::Points(10)),
            },
        ));
        replay.advance(&event(
            4,
            EventBody::GoodsDefined {
                goods: goods("Z1", "兴农", Zone::Donation),
            },
        ));
        let sale = EventBody::Redeemed {
            household_id: "H1".into(),
            card_no: "C1".into(),
            lines: ["G1", "D1", "Z1"]
                .iter()
                .map(|g| SaleLine {
                    goods_id: (*g).into(),
                    quantity: 2,
                    price_points: 10,
                })
                .collect(),
            total_points: 60,
            proxy: Some("村支书".into()),
        };
        let out = rows(&replay, &MemoryState::default(), sale.clone());
        assert_eq!((out.event.points, out.event.quantity), (Some(60), Some(6)));
        let paid: Vec<_> = out
            .sale_lines
            .iter()
            .map(|l| (l.line_no, l.supplier.as_deref(), l.points, l.value_fen))
            .collect();
        assert_eq!(
            paid,
            vec![
                (1, Some("供销社"), 20, Some(2000)),
                (2, None, 20, None),
                (3, None, 20, None)
            ]
        );
        // Reassigning the item later does not move what the first merchant earned.
        replay.advance(&event(
            10,
            EventBody::GoodsDefined {
                goods: goods("G1", "兴农", Zone::Points(10)),
            },
        ));
        let later = rows(&replay, &MemoryState::default(), sale);
        assert_eq!(later.sale_lines[0].supplier.as_deref(), Some("兴农"));
    }

    #[test]
    fn confirmations_and_voids_name_what_they_act_on() {
        let mut state = MemoryState::default();
        let award = AwardRecord {
            seq: 5,
            household_id: "H7".into(),
            period: PeriodKey("2026-03".into()),
            score: 18,
            points: 18,
            status: AwardStatus::Confirmed,
            entered_ms: 0,
        };
        state.put_award(&award).unwrap_or_else(|f| panic!("{f}"));
        let row = rows(
            &Replay::default(),
            &state,
            EventBody::AwardConfirmed { award_seq: 5 },
        )
        .event;
        assert_eq!(
            (
                row.ref_seq,
                row.household_id.as_deref(),
                row.points,
                row.period.as_deref()
            ),
            (Some(5), Some("H7"), Some(18), Some("2026-03"))
        );
        let unknown = typed_rows(
            &event(
                9,
                EventBody::SaleVoided {
                    sale_seq: 4,
                    reason: "错".into(),
                },
            ),
            Vec::new(),
            &[0; 32],
            &Replay::default(),
            &state,
        );
        assert!(
            unknown.is_err(),
            "a void of a sale the state lacks is a fault"
        );
    }

    #[test]
    fn scores_carry_their_budget_and_clearings_their_households() {
        let mut replay = Replay::default();
        replay.advance(&event(1, EventBody::PolicySet { policy: policy() }));
        let score = rows(
            &replay,
            &MemoryState::default(),
            EventBody::ScoreEntered {
                household_id: "H1".into(),
                period: PeriodKey("2026-03".into()),
                score: 20,
                points: 20,
                note: String::new(),
            },
        )
        .event;
        assert_eq!(
            (score.budget_key.as_deref(), score.budget_points),
            (Some("2026-03"), Some(250))
        );
        let cleared = rows(
            &replay,
            &MemoryState::default(),
            EventBody::YearCleared {
                year: 2026,
                cleared: vec![("H1".into(), 5), ("H2".into(), 7)],
            },
        );
        assert_eq!(
            (cleared.event.year, cleared.event.points),
            (Some(2026), Some(12))
        );
        let lines: Vec<_> = cleared
            .clearing_lines
            .iter()
            .map(|c| (c.line_no, c.household_id.as_str(), c.points))
            .collect();
        assert_eq!(lines, vec![(1, "H1", 5), (2, "H2", 7)]);
    }
}
