//! Event → typed rows: the one place that says which PostgreSQL columns an event fills. Every
//! event becomes one `events` row (its canonical bytes and hashes, and the typed columns its
//! kind needs, the others NULL), and some kinds add rows to the side tables:
//!
//! - a redemption: one `sale_lines` row per line, and one `lot_takes` row per lot its units
//!   came from (with the points and their value, which the settlement pays from);
//! - a stocktake loss and a township shipment: `lot_takes` rows;
//! - a stock receipt and a stocktake gain: one `lots` row (the lot, with who is owed for its
//!   units: [`LotOrigin::of`], the domain's one answer);
//! - an award confirmation, a redemption, a void and a year-end clearing: `credit_lines` rows,
//!   the change to each household's credit of each year;
//! - a year-end clearing: one `clearing_lines` row per household;
//! - a till-session close (new `SessionClosed` or old `DayClosed`): one `till_sessions` row,
//!   the Z report.
//!
//! Some columns are facts the event does not carry itself. The point value a sale is worth is
//! the one in force when it was made, and a score's budget the one its policy set: [`Replay`]
//! follows the chain to know them, as the township's settlement replays the events. How a
//! clearing splits over credit years depends on each household's credit just before it:
//! [`Replay`] keeps every household's credit years by asking [`crate::domain::credit`] to book
//! each award, sale, void and clearing exactly as `apply` does, so PostgreSQL's years are the
//! ledger's. What never changes is looked up in the station's derived state: an award's
//! household and points, a sale's lines and credit split, the lots and years an event written
//! before lots and credit years took (the split `apply` kept for it), a closed session's range.
//! A new event kind is one more arm of [`typed_rows`] (the match has no catch-all, so the
//! compiler asks for it), and new context one more field of [`Replay`].

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::event::{LotTake, SaleLine, SessionTotals};
use crate::domain::lots::LotOrigin;
use crate::domain::state::{HouseholdRecord, YearCredit};
use crate::domain::time::{CivilDate, PeriodKind};
use crate::domain::{
    credit, Event, EventBody, Fault, Goods, Hash, Household, Policy, State, StationRole,
    StockSource, Zone,
};

/// What the chain has said so far that later events' rows depend on: the policy in force, each
/// item's latest definition, every household's credit years, the last year cleared and the
/// sessions closed. Cloned at the point a publish resumes from.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    policy: Option<Policy>,
    catalog: HashMap<String, Goods>,
    /// Each household's credit years, oldest first, as `apply` booked them.
    credit: HashMap<String, Vec<YearCredit>>,
    /// The last year cleared so far (`State::last_cleared_year` at this point of the chain).
    cleared_through: Option<i32>,
    /// Till sessions closed so far: the next close is Z number `sessions_closed + 1`.
    sessions_closed: u64,
}

/// A household's credit years after an event, as the domain books them.
type CreditAfter = Vec<(String, Vec<YearCredit>)>;

impl Replay {
    /// Takes in one event, after its rows were made (a row sees what was in force before it).
    /// `state` is the station's derived state, asked only for facts that never change.
    pub fn advance(&mut self, event: &Event, state: &dyn State) -> Result<(), Fault> {
        let credit = self.credit_after(event, state)?;
        self.take_in(event, credit);
        Ok(())
    }

    /// [`typed_rows`] of one event, then [`Replay::advance`] past it, booking its credit once:
    /// what a publish does with each event it sends.
    pub fn step(
        &mut self,
        event: &Event,
        bytes: Vec<u8>,
        hash: &Hash,
        state: &dyn State,
    ) -> Result<TypedRows, Fault> {
        let credit = self.credit_after(event, state)?;
        let rows = rows_with_credit(event, bytes, hash, self, state, &credit)?;
        self.take_in(event, credit);
        Ok(rows)
    }

    /// Takes in one event whose credit the domain has booked (`credit`).
    fn take_in(&mut self, event: &Event, credit: CreditAfter) {
        for (household_id, years) in credit {
            self.credit.insert(household_id, years);
        }
        match &event.body {
            EventBody::StationInitialized { policy, .. } | EventBody::PolicySet { policy } => {
                self.policy = Some(policy.clone());
            }
            EventBody::GoodsDefined { goods } => {
                self.catalog.insert(goods.goods_id.clone(), goods.clone());
            }
            EventBody::YearCleared { year, .. } => {
                self.cleared_through = Some(self.cleared_through.map_or(*year, |y| y.max(*year)));
            }
            EventBody::SessionClosed { .. } | EventBody::DayClosed { .. } => {
                self.sessions_closed += 1;
            }
            _ => {}
        }
    }

    /// The catalog's merchant for `goods_id` now (`None` for goods the catalog calls donated).
    /// Only a description of the line: who is paid is decided by the lot a unit came from.
    fn catalog_supplier(&self, goods_id: &str) -> Option<&str> {
        self.catalog
            .get(goods_id)
            .filter(|g| !g.supplier.trim().is_empty() && g.zone != Zone::Donation)
            .map(|g| g.supplier.as_str())
    }

    fn point_value_fen(&self) -> i64 {
        self.policy.as_ref().map_or(0, |p| p.point_value_fen)
    }

    /// The credit years of every household `event` changes, after it, booked by the domain's
    /// own functions exactly as `apply` books them. Empty for events that move no credit.
    fn credit_after(&self, event: &Event, state: &dyn State) -> Result<CreditAfter, Fault> {
        let mut out = Vec::new();
        match &event.body {
            EventBody::AwardConfirmed { award_seq } => {
                let award = state
                    .award(*award_seq)?
                    .ok_or_else(|| Fault(format!("confirmation of unknown award #{award_seq}")))?;
                let year = award.period.year().ok_or_else(|| {
                    Fault(format!(
                        "award #{award_seq}: period {} has no year",
                        award.period.0
                    ))
                })?;
                let mut record = self.household(&award.household_id);
                credit::award(&mut record, year, award.points, self.cleared_through);
                out.push((award.household_id, record.credit));
            }
            EventBody::Redeemed {
                household_id,
                credit: split,
                ..
            } => {
                let mut record = self.household(household_id);
                credit::spend(&mut record, split)?;
                out.push((household_id.clone(), record.credit));
            }
            EventBody::RedeemedV1 { household_id, .. } => {
                let split = kept_split(state, event.seq)?.credit;
                let mut record = self.household(household_id);
                credit::spend(&mut record, &split)?;
                out.push((household_id.clone(), record.credit));
            }
            EventBody::SaleVoided { sale_seq, .. } => {
                let sale = state
                    .sale(*sale_seq)?
                    .ok_or_else(|| Fault(format!("void of unknown sale #{sale_seq}")))?;
                let mut record = self.household(&sale.household_id);
                credit::unspend(&mut record, &sale.credit, self.cleared_through)?;
                out.push((sale.household_id, record.credit));
            }
            EventBody::YearCleared { cleared, .. } => {
                for (household_id, points) in cleared {
                    let mut record = self.household(household_id);
                    credit::clear(&mut record, *points)?;
                    out.push((household_id.clone(), record.credit));
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// A household's credit years so far, in the record shape the domain's credit functions
    /// book into (only its id and credit matter to them).
    fn household(&self, household_id: &str) -> HouseholdRecord {
        let credit = self.credit.get(household_id).cloned().unwrap_or_default();
        HouseholdRecord {
            household: Household {
                household_id: household_id.to_string(),
                card_no: String::new(),
                head: String::new(),
                members: Vec::new(),
                group: String::new(),
                phone: String::new(),
                registered_poor: false,
            },
            old_cards: Vec::new(),
            balance_points: credit.iter().map(YearCredit::remaining_points).sum(),
            pending_points: 0,
            earned_points: credit.iter().map(|c| c.awarded_points).sum(),
            spent_points: credit.iter().map(|c| c.spent_points).sum(),
            cleared_points: credit.iter().map(|c| c.cleared_points).sum(),
            credit,
        }
    }
}

/// The split `apply` kept for an event written before lots and credit years (a sale, a
/// stocktake loss, a township shipment).
fn kept_split(state: &dyn State, seq: u64) -> Result<crate::domain::state::Split, Fault> {
    state.split(seq)?.ok_or_else(|| {
        Fault(format!(
            "event #{seq}: the split applied to it was not kept"
        ))
    })
}

/// One `events` row. Its fields are the table's columns, with the same names and meanings
/// (documented in `migrations/0001_ledger.sql` and `0003_boundaries.sql`), in the order of
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
    pub(crate) ref_ms: Option<i64>,
}

/// One `sale_lines` row: a line of a redemption (columns as in `migrations/0001_ledger.sql`).
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
    /// The catalog's merchant for the item at the sale; `None` when the catalog calls it
    /// donated. A description only: the settlement pays by lot (`lot_takes`).
    pub(crate) supplier: Option<String>,
    /// What the line is worth in fen at the point value of the sale; `None` when `supplier` is.
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

/// One `lots` row: a lot as received (columns as in `migrations/0003_boundaries.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct LotRow {
    pub(crate) station_id: String,
    pub(crate) lot_seq: i64,
    pub(crate) goods_id: String,
    pub(crate) day: NaiveDate,
    pub(crate) units: i64,
    /// How it came in: donation, purchase, transfer, supply, shipment or stocktake.
    pub(crate) source: &'static str,
    /// Who is owed for its units: merchant, donated, fund, township or stocktake.
    pub(crate) origin: &'static str,
    /// The merchant, donor, fund or sending station named by the origin ('' for stocktake).
    pub(crate) owed_to: String,
    /// The station that sent it (a shipment or an old transfer).
    pub(crate) from_station: Option<String>,
}

/// One `lot_takes` row: units an event took from one lot (columns as in
/// `migrations/0003_boundaries.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct LotTakeRow {
    pub(crate) station_id: String,
    pub(crate) seq: i64,
    pub(crate) line_no: i32,
    /// sale, loss or shipment.
    pub(crate) taken_by: &'static str,
    pub(crate) goods_id: String,
    pub(crate) lot_seq: i64,
    pub(crate) units: i64,
    pub(crate) day: NaiveDate,
    pub(crate) quarter: String,
    /// A sale's price per unit, in points.
    pub(crate) price_points: Option<i64>,
    /// A sale's points for these units.
    pub(crate) points: Option<i64>,
    /// Those points in fen at the point value in force at the sale.
    pub(crate) value_fen: Option<i64>,
}

/// One `credit_lines` row: how an event changed one household's credit of one year (columns
/// as in `migrations/0003_boundaries.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct CreditLineRow {
    pub(crate) station_id: String,
    pub(crate) seq: i64,
    pub(crate) line_no: i32,
    pub(crate) day: NaiveDate,
    pub(crate) month: String,
    pub(crate) household_id: String,
    pub(crate) year: i32,
    pub(crate) awarded: i64,
    pub(crate) spent: i64,
    pub(crate) cleared: i64,
}

/// One `till_sessions` row: a closed till session, the Z report (columns as in
/// `migrations/0003_boundaries.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRow {
    pub(crate) station_id: String,
    pub(crate) session_no: i64,
    pub(crate) first_seq: i64,
    pub(crate) last_seq: i64,
    pub(crate) first_ms: i64,
    pub(crate) closed_seq: i64,
    pub(crate) closed_ms: i64,
    pub(crate) sales: i64,
    pub(crate) points_spent: i64,
    pub(crate) voids: i64,
    pub(crate) points_voided: i64,
    pub(crate) units_sold: i64,
    pub(crate) units_received: i64,
    pub(crate) scores_entered: i64,
    pub(crate) points_confirmed: i64,
    pub(crate) events: i64,
}

/// Everything one event becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedRows {
    /// The event's own row.
    pub event: EventRow,
    /// The rows it adds to the side tables.
    pub lines: LineRows,
}

/// Rows of the side tables, of one event or gathered over a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineRows {
    /// One per line of a redemption.
    pub sale_lines: Vec<SaleLineRow>,
    /// One per household of a year-end clearing.
    pub clearing_lines: Vec<ClearingLineRow>,
    /// One per lot received.
    pub lots: Vec<LotRow>,
    /// One per lot a sale, loss or shipment took from.
    pub lot_takes: Vec<LotTakeRow>,
    /// One per household and year whose credit an event changed.
    pub credit_lines: Vec<CreditLineRow>,
    /// One per till session closed.
    pub sessions: Vec<SessionRow>,
}

impl LineRows {
    /// Adds another event's rows.
    pub fn extend(&mut self, other: LineRows) {
        self.sale_lines.extend(other.sale_lines);
        self.clearing_lines.extend(other.clearing_lines);
        self.lots.extend(other.lots);
        self.lot_takes.extend(other.lot_takes);
        self.credit_lines.extend(other.credit_lines);
        self.sessions.extend(other.sessions);
    }
}

/// The role's name in the `role` columns.
pub fn role_name(role: StationRole) -> &'static str {
    match role {
        StationRole::Village => "village",
        StationRole::Township => "township",
    }
}

/// A stock source's name in the `source` columns.
pub fn source_name(source: &StockSource) -> &'static str {
    match source {
        StockSource::Donation { .. } => "donation",
        StockSource::Purchase { .. } => "purchase",
        StockSource::Transfer { .. } => "transfer",
        StockSource::Supply { .. } => "supply",
        StockSource::Shipment { .. } => "shipment",
    }
}

/// A lot origin's name in the `origin` column and whom it names.
pub fn origin_parts(origin: &LotOrigin) -> (&'static str, &str) {
    match origin {
        LotOrigin::Merchant(merchant) => ("merchant", merchant),
        LotOrigin::Donated(donor) => ("donated", donor),
        LotOrigin::Fund(fund) => ("fund", fund),
        LotOrigin::Township(station) => ("township", station),
        LotOrigin::Stocktake => ("stocktake", ""),
    }
}

fn seq_i64(seq: u64) -> Result<i64, Fault> {
    i64::try_from(seq).map_err(|_| Fault(format!("sequence number {seq} is too large")))
}

fn civil_day(date: CivilDate) -> Result<NaiveDate, Fault> {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
        .ok_or_else(|| Fault(format!("no such date {date}")))
}

fn line_number(index: usize) -> Result<i32, Fault> {
    i32::try_from(index + 1).map_err(|_| Fault("too many lines in one event".into()))
}

/// Maps one verified event (with its canonical bytes and hash) to its rows. `replay` is the
/// chain's context before this event; `state` is the station's derived state, asked only for
/// facts that never change (an award's household and points, a sale's lines and credit split,
/// the split kept for an event written before lots, a closed session's range and totals).
pub fn typed_rows(
    event: &Event,
    bytes: Vec<u8>,
    hash: &Hash,
    replay: &Replay,
    state: &dyn State,
) -> Result<TypedRows, Fault> {
    let credit = replay.credit_after(event, state)?;
    rows_with_credit(event, bytes, hash, replay, state, &credit)
}

/// [`typed_rows`], with the event's credit already booked by the domain.
fn rows_with_credit(
    event: &Event,
    bytes: Vec<u8>,
    hash: &Hash,
    replay: &Replay,
    state: &dyn State,
    credit: &CreditAfter,
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
    let mut lines = LineRows::default();
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
            receipt_columns(&mut row, source);
            lines
                .lots
                .push(lot_row(&row, goods_id, *quantity, Some(source)));
        }
        EventBody::StockAdjustedV1 {
            goods_id,
            delta,
            reason,
        } => {
            let takes = if *delta < 0 {
                kept_split(state, event.seq)?.takes
            } else {
                Vec::new()
            };
            adjustment(&mut row, &mut lines, goods_id, *delta, reason, &takes)?;
        }
        EventBody::StockAdjusted {
            goods_id,
            delta,
            reason,
            takes,
        } => {
            adjustment(&mut row, &mut lines, goods_id, *delta, reason, takes)?;
        }
        // A score by item is a score (kind `score_entered`): the views count it as one; its
        // items stay in the canonical bytes.
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            note,
        }
        | EventBody::ItemScoresEntered {
            household_id,
            period,
            score,
            points,
            note,
            ..
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
        EventBody::RedeemedV1 {
            household_id,
            card_no,
            lines: sold,
            total_points,
            proxy,
        } => {
            let takes = kept_split(state, event.seq)?.takes;
            let sale = Sale {
                household_id,
                card_no,
                lines: sold,
                total_points: *total_points,
                proxy,
                takes: &takes,
            };
            sale_rows(&mut row, &mut lines, replay, &sale)?;
        }
        EventBody::Redeemed {
            household_id,
            card_no,
            lines: sold,
            total_points,
            proxy,
            takes,
            credit: _,
        } => {
            let sale = Sale {
                household_id,
                card_no,
                lines: sold,
                total_points: *total_points,
                proxy,
                takes,
            };
            sale_rows(&mut row, &mut lines, replay, &sale)?;
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
                lines.clearing_lines.push(ClearingLineRow {
                    station_id: row.station_id.clone(),
                    seq: row.seq,
                    line_no: line_number(index)?,
                    household_id: household_id.clone(),
                    points: *points,
                });
            }
        }
        EventBody::DayClosed { date, totals } => {
            row.period = Some(date.clone());
            row.points = Some(totals.points_spent);
            lines.sessions.push(session_row(&row, replay, state, None)?);
        }
        EventBody::SessionClosed {
            session_no,
            first_seq,
            last_seq,
            totals,
        } => {
            row.points = Some(totals.points_spent);
            let recorded = (*session_no, *first_seq, *last_seq);
            lines
                .sessions
                .push(session_row(&row, replay, state, Some(recorded))?);
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
        EventBody::GoodsShippedV1 {
            to_station,
            goods_id,
            quantity,
        } => {
            let takes = kept_split(state, event.seq)?.takes;
            shipment(
                &mut row, &mut lines, to_station, goods_id, *quantity, &takes,
            )?;
        }
        EventBody::GoodsShipped {
            to_station,
            goods_id,
            quantity,
            takes,
        } => {
            shipment(&mut row, &mut lines, to_station, goods_id, *quantity, takes)?;
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
        EventBody::ClockConfirmed { date, last_ms } => {
            row.period = Some(date.clone());
            row.ref_ms = Some(*last_ms);
        }
        EventBody::ClockCorrected {
            fast_until_ms,
            reason,
        } => {
            row.ref_ms = Some(*fast_until_ms);
            row.note = Some(reason.clone());
        }
        // Operators: who was added, changed or removed (`name`) and the role given; a PIN's
        // hash is never in an event, so nothing secret is published.
        EventBody::OperatorAdded { name, role } | EventBody::OperatorRoleChanged { name, role } => {
            row.name = Some(name.clone());
            row.role = Some(role.name());
        }
        EventBody::OperatorPinChanged { name } | EventBody::OperatorRemoved { name } => {
            row.name = Some(name.clone());
        }
        // A corrected household file: the id, the card it still has and the head as it now
        // reads (members, group and phone stay in the canonical bytes).
        EventBody::HouseholdEdited { household } => {
            row.household_id = Some(household.household_id.clone());
            row.card_no = Some(household.card_no.clone());
            row.name = Some(household.head.clone());
        }
        EventBody::LowStockSet { goods_id, units } => {
            row.goods_id = Some(goods_id.clone());
            row.quantity = Some(*units);
        }
        // The score sheet is the policy's (its items are in the canonical bytes); an issued one
        // names the village it is for.
        EventBody::ScoreSheetSet { .. } => {}
        EventBody::ScoreSheetIssued { to_station, .. } => {
            row.other_station = Some(to_station.clone());
        }
    }
    lines.credit_lines = credit_rows(&row, replay, credit)?;
    Ok(TypedRows { event: row, lines })
}

/// The columns of a stock receipt's source: the donor, fund (with its cost) or merchant it
/// names, and the sending station of a shipment (whose origin's donor, fund or merchant is
/// filled as well: donated units stay donated).
fn receipt_columns(row: &mut EventRow, source: &StockSource) {
    row.source = Some(source_name(source));
    match source {
        StockSource::Purchase { cost_fen, .. } => row.cost_fen = Some(*cost_fen),
        StockSource::Shipment { from, .. } => row.other_station = Some(from.clone()),
        _ => {}
    }
    match LotOrigin::of(source) {
        LotOrigin::Donated(donor) => row.donor = Some(donor),
        LotOrigin::Fund(fund) => row.fund = Some(fund),
        LotOrigin::Merchant(merchant) => row.supplier = Some(merchant),
        LotOrigin::Township(station) => row.other_station = Some(station),
        LotOrigin::Stocktake => {}
    }
}

/// The lot an event brings in: a receipt (`source`) or a stocktake gain (`None`).
fn lot_row(row: &EventRow, goods_id: &str, units: i64, source: Option<&StockSource>) -> LotRow {
    let origin = source.map_or(LotOrigin::Stocktake, LotOrigin::of);
    let (origin_name, owed_to) = origin_parts(&origin);
    let from_station = match source {
        Some(StockSource::Shipment { from, .. } | StockSource::Transfer { from }) => {
            Some(from.clone())
        }
        _ => None,
    };
    LotRow {
        station_id: row.station_id.clone(),
        lot_seq: row.seq,
        goods_id: goods_id.to_string(),
        day: row.day,
        units,
        source: source.map_or("stocktake", source_name),
        origin: origin_name,
        owed_to: owed_to.to_string(),
        from_station,
    }
}

/// The rows of units taken from lots; a sale's carry the points and value of its line.
fn take_rows(
    row: &EventRow,
    taken_by: &'static str,
    takes: &[LotTake],
    sale: Option<(&[SaleLine], i64)>,
) -> Result<Vec<LotTakeRow>, Fault> {
    let mut out = Vec::with_capacity(takes.len());
    for (index, take) in takes.iter().enumerate() {
        let (price_points, points, value_fen) = match sale {
            Some((sold, point_value_fen)) => {
                let line = sold
                    .iter()
                    .find(|l| l.goods_id == take.goods_id)
                    .ok_or_else(|| {
                        Fault(format!(
                            "sale #{} takes {} that none of its lines sells",
                            row.seq, take.goods_id
                        ))
                    })?;
                let points = take.quantity.saturating_mul(line.price_points);
                (
                    Some(line.price_points),
                    Some(points),
                    Some(points.saturating_mul(point_value_fen)),
                )
            }
            None => (None, None, None),
        };
        out.push(LotTakeRow {
            station_id: row.station_id.clone(),
            seq: row.seq,
            line_no: line_number(index)?,
            taken_by,
            goods_id: take.goods_id.clone(),
            lot_seq: seq_i64(take.lot_seq)?,
            units: take.quantity,
            day: row.day,
            quarter: row.quarter.clone(),
            price_points,
            points,
            value_fen,
        });
    }
    Ok(out)
}

/// A stocktake difference: a gain is a lot of its own, a loss takes from lots.
fn adjustment(
    row: &mut EventRow,
    lines: &mut LineRows,
    goods_id: &str,
    delta: i64,
    reason: &str,
    takes: &[LotTake],
) -> Result<(), Fault> {
    row.goods_id = Some(goods_id.to_string());
    row.quantity = Some(delta);
    row.note = Some(reason.to_string());
    if delta > 0 {
        row.source = Some("stocktake");
        lines.lots.push(lot_row(row, goods_id, delta, None));
    } else {
        lines.lot_takes = take_rows(row, "loss", takes, None)?;
    }
    Ok(())
}

/// A township shipment out of its lots.
fn shipment(
    row: &mut EventRow,
    lines: &mut LineRows,
    to_station: &str,
    goods_id: &str,
    quantity: i64,
    takes: &[LotTake],
) -> Result<(), Fault> {
    row.other_station = Some(to_station.to_string());
    row.goods_id = Some(goods_id.to_string());
    row.quantity = Some(quantity);
    lines.lot_takes = take_rows(row, "shipment", takes, None)?;
    Ok(())
}

/// A redemption as both its versions carry it (the old one's lots from the kept split).
struct Sale<'a> {
    household_id: &'a str,
    card_no: &'a str,
    lines: &'a [SaleLine],
    total_points: i64,
    proxy: &'a Option<String>,
    takes: &'a [LotTake],
}

fn sale_rows(
    row: &mut EventRow,
    lines: &mut LineRows,
    replay: &Replay,
    sale: &Sale,
) -> Result<(), Fault> {
    row.household_id = Some(sale.household_id.to_string());
    row.card_no = Some(sale.card_no.to_string());
    row.points = Some(sale.total_points);
    row.quantity = Some(sale.lines.iter().map(|l| l.quantity).sum());
    row.proxy.clone_from(sale.proxy);
    let point_value_fen = replay.point_value_fen();
    for (index, line) in sale.lines.iter().enumerate() {
        let points = line.quantity.saturating_mul(line.price_points);
        let supplier = replay.catalog_supplier(&line.goods_id).map(str::to_string);
        lines.sale_lines.push(SaleLineRow {
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
    lines.lot_takes = take_rows(row, "sale", sale.takes, Some((sale.lines, point_value_fen)))?;
    Ok(())
}

/// The Z report a close froze: the session numbered next in the chain, as the station's state
/// keeps it. A new close's own numbers (`recorded`: number, first and last seq) must agree.
fn session_row(
    row: &EventRow,
    replay: &Replay,
    state: &dyn State,
    recorded: Option<(u64, u64, u64)>,
) -> Result<SessionRow, Fault> {
    let session_no = replay.sessions_closed + 1;
    let record = state
        .session(session_no)?
        .ok_or_else(|| Fault(format!("close #{}: no session Z{session_no}", row.seq)))?;
    let kept = (record.session_no, record.first_seq, record.last_seq);
    let t: &SessionTotals = &record.totals;
    let count = |n: u64| i64::try_from(n).map_err(|_| Fault(format!("count {n} is too large")));
    if recorded.is_some_and(|r| r != kept)
        || record.closed_seq != u64::try_from(row.seq).unwrap_or(0)
    {
        return Err(Fault(format!(
            "close #{} does not match session Z{session_no} as kept",
            row.seq
        )));
    }
    Ok(SessionRow {
        station_id: row.station_id.clone(),
        session_no: seq_i64(record.session_no)?,
        first_seq: seq_i64(record.first_seq)?,
        last_seq: seq_i64(record.last_seq)?,
        first_ms: record.first_ms,
        closed_seq: seq_i64(record.closed_seq)?,
        closed_ms: record.closed_ms,
        sales: count(t.sales)?,
        points_spent: t.points_spent,
        voids: count(t.voids)?,
        points_voided: t.points_voided,
        units_sold: t.units_sold,
        units_received: t.units_received,
        scores_entered: count(t.scores_entered)?,
        points_confirmed: t.points_confirmed,
        events: count(t.events)?,
    })
}

/// The change an event makes to each household's credit of each year, as the domain books it
/// (see [`Replay`]); one row per household and year that changed.
fn credit_rows(
    row: &EventRow,
    replay: &Replay,
    credit: &CreditAfter,
) -> Result<Vec<CreditLineRow>, Fault> {
    let mut out = Vec::new();
    for (household_id, after) in credit {
        let before = replay.credit.get(household_id);
        for year in after {
            let was = before
                .and_then(|b| b.iter().find(|c| c.year == year.year))
                .copied()
                .unwrap_or_default();
            let (awarded, spent, cleared) = (
                year.awarded_points - was.awarded_points,
                year.spent_points - was.spent_points,
                year.cleared_points - was.cleared_points,
            );
            if (awarded, spent, cleared) != (0, 0, 0) {
                out.push(CreditLineRow {
                    station_id: row.station_id.clone(),
                    seq: row.seq,
                    line_no: line_number(out.len())?,
                    day: row.day,
                    month: row.month.clone(),
                    household_id: household_id.clone(),
                    year: year.year,
                    awarded,
                    spent,
                    cleared,
                });
            }
        }
    }
    Ok(out)
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
    use crate::domain::event::GENESIS_HASH;
    use crate::domain::time::Moment;
    use crate::domain::{
        apply, decide_at, Command, HouseholdRef, MemoryState, PeriodKey, StockSource,
    };
    use crate::store::codec;

    /// 2026-03-02 10:00 China time.
    const T0: i64 = 1_772_416_800_000;
    const DAY: i64 = 86_400_000;

    /// A station's chain in memory: each event is applied to the state first (a publish reads
    /// the final state), then mapped with the replay as it stood before it.
    struct Chain {
        state: MemoryState,
        replay: Replay,
        prev: Hash,
        seq: u64,
    }

    impl Chain {
        fn new(role: StationRole, policy: &str) -> Chain {
            let mut chain = Chain {
                state: MemoryState::default(),
                replay: Replay::default(),
                prev: GENESIS_HASH,
                seq: 0,
            };
            chain.run(
                T0,
                Command::Init {
                    station_id: "V01".into(),
                    name: "村".into(),
                    role,
                    policy: policy_named(policy),
                },
            );
            chain
        }

        fn push(&mut self, time_ms: i64, body: EventBody) -> TypedRows {
            self.seq += 1;
            let event = Event {
                station_id: "V01".into(),
                seq: self.seq,
                operator: "王".into(),
                time_ms,
                prev_hash: self.prev,
                body,
            };
            let (bytes, hash) = codec::encode_event(&event).expect("encode");
            apply(&mut self.state, &event, &hash).unwrap_or_else(|f| panic!("{f}"));
            let mut stepped = self.replay.clone();
            let rows = typed_rows(&event, bytes.clone(), &hash, &self.replay, &self.state)
                .unwrap_or_else(|f| panic!("{f}"));
            self.replay
                .advance(&event, &self.state)
                .unwrap_or_else(|f| panic!("{f}"));
            let same = stepped
                .step(&event, bytes, &hash, &self.state)
                .unwrap_or_else(|f| panic!("{f}"));
            assert_eq!(same, rows, "step is typed_rows then advance");
            assert_eq!(
                format!("{:?}", stepped.credit.get("H1")),
                format!("{:?}", self.replay.credit.get("H1"))
            );
            self.prev = hash;
            rows
        }

        /// Decides and books a command; the manager confirms the date (a long gap is written
        /// with its `ClockConfirmed` event first).
        fn run(&mut self, time_ms: i64, command: Command) -> Vec<TypedRows> {
            let moment = Moment::confirmed(time_ms, CivilDate::from_utc_ms(time_ms));
            let bodies = decide_at(&self.state, &command, &moment)
                .unwrap_or_else(|e| panic!("{command:?}: {e:?}"));
            bodies
                .into_iter()
                .map(|body| self.push(time_ms, body))
                .collect()
        }

        /// The command's own event's rows (after a date confirmation, if any).
        fn one(&mut self, time_ms: i64, command: Command) -> TypedRows {
            let mut rows = self.run(time_ms, command);
            let own = rows.pop().unwrap_or_else(|| panic!("no event"));
            assert!(rows.iter().all(|r| r.event.kind == "clock_confirmed"));
            own
        }
    }

    fn policy_named(name: &str) -> Policy {
        crate::policies::builtin(name)
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("the {name} policy ships with aixin"))
    }

    fn goods(id: &str, supplier: &str) -> Command {
        Command::DefineGoods {
            goods: Goods {
                goods_id: id.into(),
                name: "大米".into(),
                unit: "袋".into(),
                barcode: String::new(),
                price_points: 10,
                zone: Zone::Points(10),
                category: "粮油".into(),
                supplier: supplier.into(),
            },
        }
    }

    fn receive(goods_id: &str, quantity: i64, source: StockSource) -> Command {
        Command::ReceiveStock {
            goods_id: goods_id.into(),
            quantity,
            source,
        }
    }

    fn household(id: &str) -> Command {
        Command::RegisterHousehold {
            household: Household {
                household_id: id.into(),
                card_no: format!("C{id}"),
                head: "甲".into(),
                members: vec![],
                group: String::new(),
                phone: String::new(),
                registered_poor: false,
            },
        }
    }

    /// Scores `household` for `period` and confirms it after publicity; returns the
    /// confirmation's rows.
    fn award(chain: &mut Chain, at: i64, household: &str, period: &str, score: i64) -> TypedRows {
        let entered = chain.one(
            at,
            Command::EnterScore {
                household_id: household.into(),
                period: period.into(),
                score,
                note: String::new(),
            },
        );
        let award_seq = u64::try_from(entered.event.seq).unwrap_or(0);
        chain.one(at + 8 * DAY, Command::ConfirmAward { award_seq })
    }

    fn redeem(household: &str, lines: &[(&str, i64)]) -> Command {
        Command::Redeem {
            household: HouseholdRef::Id(household.into()),
            lines: lines.iter().map(|(g, q)| (g.to_string(), *q)).collect(),
            proxy: Some("村支书".into()),
        }
    }

    fn credit(rows: &TypedRows) -> Vec<(&str, i32, i64, i64, i64)> {
        rows.lines
            .credit_lines
            .iter()
            .map(|c| {
                (
                    c.household_id.as_str(),
                    c.year,
                    c.awarded,
                    c.spent,
                    c.cleared,
                )
            })
            .collect()
    }

    /// A take as (taken by, lot, units, points, value in fen).
    type Take<'a> = (&'a str, i64, i64, Option<i64>, Option<i64>);

    fn takes(rows: &TypedRows) -> Vec<Take<'_>> {
        rows.lines
            .lot_takes
            .iter()
            .map(|t| (t.taken_by, t.lot_seq, t.units, t.points, t.value_fen))
            .collect()
    }

    #[test]
    fn every_row_carries_the_chain_and_china_dates() {
        let event = Event {
            station_id: "V01".into(),
            seq: 9,
            operator: "王".into(),
            // 2026-03-31T16:30Z: already 2026-04-01 in China, the second quarter.
            time_ms: 1_774_974_600_000,
            prev_hash: [7; 32],
            body: EventBody::StationRevoked {
                station_id: "V02".into(),
                from_ms: 0,
            },
        };
        let row = typed_rows(
            &event,
            vec![1, 2],
            &[3; 32],
            &Replay::default(),
            &MemoryState::default(),
        )
        .unwrap_or_else(|f| panic!("{f}"))
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
    fn a_sale_names_its_lots_and_who_is_owed_for_them() {
        let mut chain = Chain::new(StationRole::Village, "direct-points");
        chain.run(T0, goods("G1", "供销社"));
        let supplied = chain.one(
            T0,
            receive(
                "G1",
                1,
                StockSource::Supply {
                    merchant: "县供销社".into(),
                },
            ),
        );
        let lot = &supplied.lines.lots[0];
        assert_eq!(
            (lot.source, lot.origin, lot.owed_to.as_str(), lot.units),
            ("supply", "merchant", "县供销社", 1)
        );
        assert_eq!(supplied.event.supplier.as_deref(), Some("县供销社"));
        let shipped = chain.one(
            T0,
            receive(
                "G1",
                3,
                StockSource::Shipment {
                    from: "TS01".into(),
                    origin: Box::new(StockSource::Donation {
                        donor: "农商银行".into(),
                    }),
                },
            ),
        );
        let lot = &shipped.lines.lots[0];
        assert_eq!(
            (lot.source, lot.origin, lot.owed_to.as_str()),
            ("shipment", "donated", "农商银行"),
            "a shipment keeps its origin"
        );
        assert_eq!(lot.from_station.as_deref(), Some("TS01"));
        assert_eq!(shipped.event.donor.as_deref(), Some("农商银行"));
        chain.run(T0, household("H1"));
        let confirmed = award(&mut chain, T0, "H1", "2026-03", 20);
        assert_eq!(credit(&confirmed), vec![("H1", 2026, 20, 0, 0)]);

        let sale = chain.one(T0 + 9 * DAY, redeem("H1", &[("G1", 2)]));
        let (supply_seq, shipment_seq) = (supplied.event.seq, shipped.event.seq);
        assert_eq!(
            takes(&sale),
            vec![
                ("sale", supply_seq, 1, Some(10), Some(1000)),
                ("sale", shipment_seq, 1, Some(10), Some(1000)),
            ],
            "first in, first out; each take worth its points at the point value of the sale"
        );
        assert_eq!(credit(&sale), vec![("H1", 2026, 0, 20, 0)]);
        assert_eq!(
            (sale.event.points, sale.event.proxy.as_deref()),
            (Some(20), Some("村支书"))
        );
        let line = &sale.lines.sale_lines[0];
        assert_eq!(
            (line.supplier.as_deref(), line.points),
            (Some("供销社"), 20),
            "the catalog's merchant describes the line"
        );

        let void = chain.one(
            T0 + 10 * DAY,
            Command::VoidSale {
                sale_seq: u64::try_from(sale.event.seq).unwrap_or(0),
                reason: "错".into(),
            },
        );
        assert_eq!(credit(&void), vec![("H1", 2026, 0, -20, 0)]);
        assert_eq!(
            (void.event.ref_seq, void.event.points, void.event.quantity),
            (Some(sale.event.seq), Some(20), Some(2))
        );
        assert!(
            void.lines.lot_takes.is_empty(),
            "the views leave voided takes out"
        );
    }

    #[test]
    fn clearing_takes_the_oldest_years_and_a_later_void_stays_cleared() {
        let mut chain = Chain::new(StationRole::Village, "threshold-score");
        chain.run(T0, goods("G1", ""));
        chain.run(
            T0,
            receive(
                "G1",
                10,
                StockSource::Donation {
                    donor: "爱心企业".into(),
                },
            ),
        );
        chain.run(T0, household("H1"));
        let confirmed = award(&mut chain, T0, "H1", "2026-02", 90);
        let points = confirmed.event.points.unwrap_or(0);
        assert_eq!(credit(&confirmed), vec![("H1", 2026, points, 0, 0)]);
        let sale = chain.one(T0 + 9 * DAY, redeem("H1", &[("G1", 2)]));
        assert_eq!(credit(&sale), vec![("H1", 2026, 0, 20, 0)]);

        // 2027-01-05 10:00 China time: 2026 is cleared, then the 2026 sale is voided.
        let january = 1_799_114_400_000;
        let cleared = chain.one(january, Command::ClearYear { year: 2026 });
        assert_eq!(credit(&cleared), vec![("H1", 2026, 0, 0, points - 20)]);
        let lines: Vec<_> = cleared
            .lines
            .clearing_lines
            .iter()
            .map(|c| (c.household_id.as_str(), c.points))
            .collect();
        assert_eq!(lines, vec![("H1", points - 20)]);
        let void = chain.one(
            january + DAY,
            Command::VoidSale {
                sale_seq: u64::try_from(sale.event.seq).unwrap_or(0),
                reason: "退货".into(),
            },
        );
        assert_eq!(
            credit(&void),
            vec![("H1", 2026, 0, -20, 20)],
            "what returns to a cleared year stays cleared"
        );
        // An award of 2026 confirmed after the clearing (as old tills allowed) is cleared at once.
        let late = chain.push(
            january + DAY,
            EventBody::ScoreEntered {
                household_id: "H1".into(),
                period: PeriodKey("2026-12".into()),
                score: 85,
                points: 25,
                note: String::new(),
            },
        );
        let award_seq = u64::try_from(late.event.seq).unwrap_or(0);
        let confirmed_late = chain.push(january + DAY, EventBody::AwardConfirmed { award_seq });
        assert_eq!(credit(&confirmed_late), vec![("H1", 2026, 25, 0, 25)]);
        let record = chain.state.households.get("H1").cloned();
        let years = record.map(|h| h.credit).unwrap_or_default();
        assert_eq!(
            years
                .iter()
                .map(|y| (y.year, y.awarded_points, y.spent_points, y.cleared_points))
                .collect::<Vec<_>>(),
            vec![(2026, points + 25, 0, points + 25)],
            "the ledger booked the same"
        );
    }

    #[test]
    fn old_events_publish_the_split_the_ledger_kept() {
        let mut chain = Chain::new(StationRole::Village, "direct-points");
        chain.run(T0, goods("G1", "供销社"));
        let first = chain.one(
            T0,
            receive(
                "G1",
                2,
                StockSource::Transfer {
                    from: "TS01".into(),
                },
            ),
        );
        let second = chain.one(
            T0,
            receive(
                "G1",
                5,
                StockSource::Purchase {
                    fund: "专项".into(),
                    cost_fen: 900,
                },
            ),
        );
        assert_eq!(first.lines.lots[0].origin, "township");
        assert_eq!(second.event.cost_fen, Some(900));
        chain.run(T0, household("H1"));
        award(&mut chain, T0, "H1", "2026-03", 20);
        let sale = chain.push(
            T0 + 9 * DAY,
            EventBody::RedeemedV1 {
                household_id: "H1".into(),
                card_no: "CH1".into(),
                lines: vec![SaleLine {
                    goods_id: "G1".into(),
                    quantity: 3,
                    price_points: 5,
                }],
                total_points: 15,
                proxy: None,
            },
        );
        assert_eq!(
            takes(&sale),
            vec![
                ("sale", first.event.seq, 2, Some(10), Some(1000)),
                ("sale", second.event.seq, 1, Some(5), Some(500)),
            ]
        );
        assert_eq!(credit(&sale), vec![("H1", 2026, 0, 15, 0)]);
        let loss = chain.push(
            T0 + 9 * DAY,
            EventBody::StockAdjustedV1 {
                goods_id: "G1".into(),
                delta: -2,
                reason: "受潮".into(),
            },
        );
        assert_eq!(
            takes(&loss),
            vec![("loss", second.event.seq, 2, None, None)]
        );
        let gain = chain.push(
            T0 + 9 * DAY,
            EventBody::StockAdjustedV1 {
                goods_id: "G1".into(),
                delta: 1,
                reason: "盘盈".into(),
            },
        );
        let lot = &gain.lines.lots[0];
        assert_eq!(
            (lot.lot_seq, lot.source, lot.origin, lot.owed_to.as_str()),
            (gain.event.seq, "stocktake", "stocktake", "")
        );
        let close = chain.push(
            T0 + 9 * DAY,
            EventBody::DayClosed {
                date: "2026-03-11".into(),
                totals: SessionTotals {
                    sales: 1,
                    points_spent: 15,
                    ..SessionTotals::default()
                },
            },
        );
        let z = &close.lines.sessions[0];
        assert_eq!(
            (z.session_no, z.first_seq, z.last_seq, z.closed_seq),
            (1, 1, close.event.seq - 1, close.event.seq)
        );
        assert_eq!((z.sales, z.points_spent), (1, 15), "the totals it recorded");
    }

    #[test]
    fn a_sale_split_at_odds_with_its_price_is_not_sold_silently() {
        // A take of an item none of the sale's lines sells cannot be priced: a fault.
        let row = EventRow {
            seq: 4,
            ..EventRow::default()
        };
        let take = LotTake {
            goods_id: "G2".into(),
            lot_seq: 2,
            quantity: 1,
        };
        let lines = [SaleLine {
            goods_id: "G1".into(),
            quantity: 1,
            price_points: 10,
        }];
        assert!(take_rows(&row, "sale", &[take], Some((&lines, 100))).is_err());
    }

    #[test]
    fn sessions_and_clock_statements_are_published() {
        let mut chain = Chain::new(StationRole::Village, "direct-points");
        chain.run(T0, household("H1"));
        let closes = chain.run(T0 + 3_600_000, Command::CloseSession);
        let z = &closes[0].lines.sessions[0];
        assert_eq!((z.session_no, z.first_seq, z.last_seq), (1, 1, 2));
        assert_eq!((z.events, z.closed_ms), (2, T0 + 3_600_000));

        // The clock ran 40 days fast: the manager confirmed the date, then corrected it.
        let fast = T0 + 40 * DAY;
        let confirmed = chain.push(
            fast,
            EventBody::ClockConfirmed {
                date: "2026-04-11".into(),
                last_ms: T0 + 3_600_000,
            },
        );
        assert_eq!(
            (confirmed.event.period.as_deref(), confirmed.event.ref_ms),
            (Some("2026-04-11"), Some(T0 + 3_600_000))
        );
        let corrected = chain.push(
            T0 + DAY,
            EventBody::ClockCorrected {
                fast_until_ms: fast,
                reason: "主板电池没电".into(),
            },
        );
        assert_eq!(
            (corrected.event.ref_ms, corrected.event.note.as_deref()),
            (Some(fast), Some("主板电池没电"))
        );
        let second = chain.run(T0 + DAY + 60_000, Command::CloseSession);
        let z = &second[0].lines.sessions[0];
        assert_eq!((z.session_no, z.first_seq, z.last_seq), (2, 4, 5));
    }

    #[test]
    fn scores_carry_their_budget() {
        let mut replay = Replay::default();
        let policy = EventBody::PolicySet {
            policy: policy_named("direct-points"),
        };
        let event = |seq, body| Event {
            station_id: "V01".into(),
            seq,
            operator: "王".into(),
            time_ms: T0,
            prev_hash: [7; 32],
            body,
        };
        replay
            .advance(&event(1, policy), &MemoryState::default())
            .unwrap_or_else(|f| panic!("{f}"));
        let score = typed_rows(
            &event(
                2,
                EventBody::ScoreEntered {
                    household_id: "H1".into(),
                    period: PeriodKey("2026-03".into()),
                    score: 20,
                    points: 20,
                    note: String::new(),
                },
            ),
            Vec::new(),
            &[0; 32],
            &replay,
            &MemoryState::default(),
        )
        .unwrap_or_else(|f| panic!("{f}"))
        .event;
        assert_eq!(
            (score.budget_key.as_deref(), score.budget_points),
            (Some("2026-03"), Some(250))
        );
    }

    #[test]
    fn operator_events_carry_the_name_and_role_only() {
        use crate::domain::operator::OperatorRole;
        let mut chain = Chain::new(StationRole::Village, "direct-points");
        let manager = chain.push(
            T0,
            EventBody::OperatorAdded {
                name: "王".into(),
                role: OperatorRole::Manager,
            },
        );
        assert_eq!(manager.event.role, Some("manager"));
        let added = chain.push(
            T0 + 1_000,
            EventBody::OperatorAdded {
                name: "李梅".into(),
                role: OperatorRole::Monitor,
            },
        );
        assert_eq!(
            (
                added.event.kind,
                added.event.name.as_deref(),
                added.event.role
            ),
            ("operator_added", Some("李梅"), Some("monitor"))
        );
        let changed = chain.push(
            T0 + 60_000,
            EventBody::OperatorRoleChanged {
                name: "李梅".into(),
                role: OperatorRole::Manager,
            },
        );
        assert_eq!(changed.event.role, Some("manager"));
        let pin = chain.push(
            T0 + 120_000,
            EventBody::OperatorPinChanged {
                name: "李梅".into(),
            },
        );
        assert_eq!(
            (pin.event.kind, pin.event.name.as_deref(), pin.event.role),
            ("operator_pin_changed", Some("李梅"), None)
        );
        let removed = chain.push(
            T0 + 180_000,
            EventBody::OperatorRemoved {
                name: "李梅".into(),
            },
        );
        assert_eq!(removed.event.name.as_deref(), Some("李梅"));
        assert!(removed.lines.credit_lines.is_empty());
    }
}
