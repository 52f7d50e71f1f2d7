//! How each event changes the derived state. This is the single definition of balances, credit
//! years, stock lots, awards, till sessions and the day index: the till runs it inside the
//! write transaction that stores the event, and `verify` runs it again over all events in
//! memory to prove the indexes match. Events written before lots, credit years and till
//! sessions existed are read here with the defaults documented on their variants.
//!
//! A sale or a void also issues the station's next receipt ([`super::receipt`]).
//!
//! Every apply checks the chain before it writes (the event follows the head) and the books
//! after (no year of credit or lot below zero, stock equal to its lots): a broken invariant is
//! a [`Fault`] that aborts the transaction, never a silently wrong ledger.

use super::event::{Event, EventBody, Hash, LotTake, PeriodKey, SaleLine};
use super::score_items::ItemScore;
use super::state::{
    AwardRecord, AwardStatus, CardEntry, ClockCorrection, Fault, FormerName, GoodsRecord,
    HouseholdRecord, OpenDay, OpenSession, SaleRecord, SessionRecord, Split, StateMut, StationMeta,
};
use super::time::CivilDate;
use super::{credit, lots, receipt, session};

/// Returns a fault when an invariant does not hold. Not a panic: `verify` replays files that
/// may have been tampered with and sync applies other stations' events, so a broken invariant
/// is reported (and the write transaction aborted), never a crash of the till.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(Fault(format!($($msg)+)));
        }
    };
}

/// Applies one stored event (already decided and hashed) to the derived state.
pub fn apply(state: &mut dyn StateMut, event: &Event, hash: &Hash) -> Result<(), Fault> {
    let mut meta = match &event.body {
        EventBody::StationInitialized {
            station_id,
            name,
            role,
            policy,
        } => {
            ensure!(
                state.meta()?.is_none() && event.seq == 1,
                "station initialised twice (event #{})",
                event.seq
            );
            StationMeta {
                station_id: station_id.clone(),
                name: name.clone(),
                role: *role,
                policy: policy.clone(),
                score_sheet: None,
                head_seq: 0,
                head_hash: super::event::GENESIS_HASH,
                last_time_ms: event.time_ms,
                session: OpenSession::new(1),
                clock_corrections: Vec::new(),
                operators: Vec::new(),
                receipts_issued: 0,
                open_day: None,
            }
        }
        _ => require_meta(state)?,
    };
    ensure!(
        event.seq == meta.head_seq + 1 && event.prev_hash == meta.head_hash,
        "event #{} does not follow the head #{}",
        event.seq,
        meta.head_seq
    );
    note_day(state, &mut meta, event)?;
    if !session::closes_session(&event.body) {
        let open = &mut meta.session;
        if open.first_seq == 0 {
            open.first_seq = event.seq;
            open.first_ms = event.time_ms;
        }
        open.last_seq = event.seq;
        session::count_event(&mut open.totals, &event.body, state)?;
    }
    if let EventBody::ClockCorrected { fast_until_ms, .. } = &event.body {
        meta.clock_corrections.push(ClockCorrection {
            seq: event.seq,
            time_ms: event.time_ms,
            fast_until_ms: *fast_until_ms,
        });
    }
    let receipt_for = receipt::before(state, &event.body)?;
    apply_body(state, &mut meta, event)?;
    if let Some(household) = receipt_for {
        receipt::issue(state, &mut meta, event, hash, household)?;
    }
    meta.head_seq = event.seq;
    meta.head_hash = *hash;
    meta.last_time_ms = match event.body {
        // The manager's statement of the real time replaces the fast clock's.
        EventBody::ClockCorrected { .. } => event.time_ms,
        _ => meta.last_time_ms.max(event.time_ms),
    };
    state.put_meta(&meta)
}

/// Counts the event in its China date's record of the day index (for `log --date`): in the
/// meta's open day if it is that date, else the open day moves to the days table and the
/// event's date becomes the open day, starting from what the days table holds of it.
fn note_day(state: &mut dyn StateMut, meta: &mut StationMeta, event: &Event) -> Result<(), Fault> {
    let date = CivilDate::from_utc_ms(event.time_ms).to_string();
    match meta.open_day.as_mut() {
        Some(open) if open.date == date => open.record.include(event.seq),
        _ => {
            if let Some(done) = meta.open_day.take() {
                state.put_day(&done.date, &done.record)?;
            }
            let mut record = state.day(&date)?.unwrap_or_default();
            record.include(event.seq);
            meta.open_day = Some(OpenDay { date, record });
        }
    }
    Ok(())
}

fn apply_body(
    state: &mut dyn StateMut,
    meta: &mut StationMeta,
    event: &Event,
) -> Result<(), Fault> {
    match &event.body {
        EventBody::StationInitialized { .. }
        | EventBody::PolicyIssued { .. }
        | EventBody::HouseholdIssued { .. }
        | EventBody::ScoreSheetIssued { .. }
        | EventBody::ClockConfirmed { .. }
        | EventBody::ClockCorrected { .. } => {}
        EventBody::PolicySet { policy } => {
            // A new policy comes with its own sheet (a `ScoreSheetSet` after it) or none.
            meta.policy = policy.clone();
            meta.score_sheet = None;
        }
        EventBody::ScoreSheetSet { sheet } => meta.score_sheet = Some(sheet.clone()),
        EventBody::HouseholdRegistered { household } => {
            state.put_card(
                &household.card_no,
                &CardEntry {
                    household_id: household.household_id.clone(),
                    active: true,
                },
            )?;
            let record = HouseholdRecord {
                household: household.clone(),
                old_cards: Vec::new(),
                balance_points: 0,
                pending_points: 0,
                earned_points: 0,
                spent_points: 0,
                cleared_points: 0,
                credit: Vec::new(),
            };
            state.put_household(&record, true)?;
        }
        EventBody::CardReissued {
            household_id,
            old_card_no,
            new_card_no,
        } => {
            let mut record = require_household(state, household_id)?;
            state.put_card(
                old_card_no,
                &CardEntry {
                    household_id: household_id.clone(),
                    active: false,
                },
            )?;
            state.put_card(
                new_card_no,
                &CardEntry {
                    household_id: household_id.clone(),
                    active: true,
                },
            )?;
            record.old_cards.push(old_card_no.clone());
            record.household.card_no = new_card_no.clone();
            state.put_household(&record, false)?;
        }
        EventBody::GoodsDefined { goods } => {
            let record = match state.goods(&goods.goods_id)? {
                Some(mut r) => {
                    if r.goods.barcode != goods.barcode && !r.goods.barcode.is_empty() {
                        state.put_barcode(&r.goods.barcode, None)?;
                    }
                    if r.goods.name != goods.name {
                        r.former_names.push(FormerName {
                            until_seq: event.seq,
                            name: r.goods.name.clone(),
                        });
                    }
                    r.goods = goods.clone();
                    r
                }
                None => GoodsRecord {
                    goods: goods.clone(),
                    stock_units: 0,
                    received_units: 0,
                    sold_units: 0,
                    adjusted_units: 0,
                    shipped_units: 0,
                    lots: Vec::new(),
                    low_stock_units: 0,
                    former_names: Vec::new(),
                },
            };
            if !goods.barcode.is_empty() {
                state.put_barcode(&goods.barcode, Some(&goods.goods_id))?;
            }
            state.put_goods(&record)?;
        }
        EventBody::HouseholdEdited { household } => {
            let mut record = require_household(state, &household.household_id)?;
            ensure!(
                record.household.card_no == household.card_no,
                "event #{} corrects household {} with another card",
                event.seq,
                household.household_id
            );
            record.household = household.clone();
            state.put_household(&record, false)?;
        }
        EventBody::LowStockSet { goods_id, units } => {
            let mut record = require_goods(state, goods_id)?;
            record.low_stock_units = *units;
            state.put_goods(&record)?;
        }
        EventBody::StockReceived {
            goods_id, quantity, ..
        } => {
            let mut record = require_goods(state, goods_id)?;
            lots::add_lot(&mut record, event.seq, *quantity);
            record.stock_units += quantity;
            record.received_units += quantity;
            put_goods_checked(state, &record)?;
        }
        EventBody::StockAdjustedV1 {
            goods_id, delta, ..
        } => {
            let record = require_goods(state, goods_id)?;
            let takes = if *delta < 0 {
                let takes = lots::take_fifo(goods_id, &record.lots, -delta)
                    .ok_or_else(|| short(goods_id, &record, -delta))?;
                state.put_split(
                    event.seq,
                    &Split {
                        takes: takes.clone(),
                        credit: Vec::new(),
                    },
                )?;
                takes
            } else {
                Vec::new()
            };
            adjust(state, record, event.seq, *delta, &takes)?;
        }
        EventBody::StockAdjusted {
            goods_id,
            delta,
            takes,
            ..
        } => {
            let record = require_goods(state, goods_id)?;
            adjust(state, record, event.seq, *delta, takes)?;
        }
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            ..
        } => {
            let award = new_award(event, household_id, period, *score, *points, &[]);
            enter_award(state, meta, award)?;
        }
        EventBody::ItemScoresEntered {
            household_id,
            period,
            score,
            points,
            items,
            ..
        } => {
            let award = new_award(event, household_id, period, *score, *points, items);
            enter_award(state, meta, award)?;
        }
        EventBody::AwardConfirmed { award_seq } => {
            let mut award = require_award(state, *award_seq)?;
            ensure!(
                award.status == AwardStatus::Pending,
                "award #{award_seq} confirmed twice"
            );
            let mut record = require_household(state, &award.household_id)?;
            record.pending_points -= award.points;
            let year = period_year(&award.period)?;
            credit::award(&mut record, year, award.points, state.last_cleared_year()?);
            put_household_checked(state, &record)?;
            award.status = AwardStatus::Confirmed;
            state.put_award(&award)?;
        }
        EventBody::AwardRevoked { award_seq, .. } => {
            let mut award = require_award(state, *award_seq)?;
            ensure!(
                award.status == AwardStatus::Pending,
                "award #{award_seq} revoked after it was settled"
            );
            let mut record = require_household(state, &award.household_id)?;
            record.pending_points -= award.points;
            state.put_household(&record, false)?;
            let mut tally = state
                .tally(&award.period, &award.household_id)?
                .unwrap_or_default();
            tally.points -= award.points;
            tally.score -= award.score;
            tally.entries = tally.entries.saturating_sub(1);
            state.put_tally(&award.period, &award.household_id, &tally)?;
            add_budget(state, meta, &award.period, -award.points)?;
            award.status = AwardStatus::Revoked;
            state.put_award(&award)?;
        }
        EventBody::RedeemedV1 {
            household_id,
            lines,
            total_points,
            proxy,
            ..
        } => {
            let split = legacy_sale_split(state, household_id, lines, *total_points)?;
            state.put_split(event.seq, &split)?;
            let sale = sale_record(event, household_id, lines, *total_points, proxy, split);
            redeem(state, &sale)?;
        }
        EventBody::Redeemed {
            household_id,
            lines,
            total_points,
            proxy,
            takes,
            credit,
            ..
        } => {
            let split = Split {
                takes: takes.clone(),
                credit: credit.clone(),
            };
            let sale = sale_record(event, household_id, lines, *total_points, proxy, split);
            redeem(state, &sale)?;
        }
        EventBody::SaleVoided { sale_seq, .. } => {
            let mut sale = state
                .sale(*sale_seq)?
                .ok_or_else(|| Fault(format!("void of unknown sale {sale_seq}")))?;
            ensure!(!sale.voided, "sale #{sale_seq} voided twice");
            let mut record = require_household(state, &sale.household_id)?;
            credit::unspend(&mut record, &sale.credit, state.last_cleared_year()?)?;
            put_household_checked(state, &record)?;
            for line in &sale.lines {
                let mut goods = require_goods(state, &line.goods_id)?;
                lots::put_back(&mut goods, &sale.takes);
                goods.stock_units += line.quantity;
                goods.sold_units -= line.quantity;
                put_goods_checked(state, &goods)?;
            }
            sale.voided = true;
            state.put_sale(&sale)?;
        }
        EventBody::YearCleared { year, cleared } => {
            for (household_id, points) in cleared {
                let mut record = require_household(state, household_id)?;
                credit::clear(&mut record, *points)?;
                put_household_checked(state, &record)?;
            }
            let through = state.last_cleared_year()?.map_or(*year, |y| y.max(*year));
            state.put_last_cleared_year(through)?;
        }
        EventBody::StationEnrolled { .. } | EventBody::StationRevoked { .. } => {
            super::roster::apply_roster(state, event)?;
        }
        EventBody::OperatorAdded { .. }
        | EventBody::OperatorPinChanged { .. }
        | EventBody::OperatorRoleChanged { .. }
        | EventBody::OperatorRemoved { .. } => super::operator::apply_operator(meta, event)?,
        EventBody::GoodsShippedV1 {
            goods_id, quantity, ..
        } => {
            let record = require_goods(state, goods_id)?;
            let takes = lots::take_fifo(goods_id, &record.lots, *quantity)
                .ok_or_else(|| short(goods_id, &record, *quantity))?;
            state.put_split(
                event.seq,
                &Split {
                    takes: takes.clone(),
                    credit: Vec::new(),
                },
            )?;
            ship(state, record, *quantity, &takes)?;
        }
        EventBody::GoodsShipped {
            goods_id,
            quantity,
            takes,
            ..
        } => {
            let record = require_goods(state, goods_id)?;
            ship(state, record, *quantity, takes)?;
        }
        EventBody::DayClosed {
            totals: recorded, ..
        } => {
            close_session(state, meta, event, recorded.clone())?;
        }
        EventBody::SessionClosed {
            session_no,
            first_seq,
            last_seq,
            totals: recorded,
        } => {
            let open = &meta.session;
            ensure!(
                *session_no == open.session_no
                    && *first_seq == open.first_seq
                    && *last_seq == open.last_seq,
                "close of session Z{session_no} #{first_seq}–#{last_seq} does not match the open session Z{} #{}–#{}",
                open.session_no,
                open.first_seq,
                open.last_seq
            );
            close_session(state, meta, event, recorded.clone())?;
        }
    }
    Ok(())
}

fn new_award(
    event: &Event,
    household_id: &str,
    period: &PeriodKey,
    score: i64,
    points: i64,
    items: &[ItemScore],
) -> AwardRecord {
    AwardRecord {
        seq: event.seq,
        household_id: household_id.to_string(),
        period: period.clone(),
        score,
        points,
        status: AwardStatus::Pending,
        entered_ms: event.time_ms,
        items: items.to_vec(),
    }
}

/// A score's award in publicity: pending points for the household, its period's tally and the
/// village budget count it until it is confirmed or revoked. The same for a total score and
/// a score entered by item.
fn enter_award(
    state: &mut dyn StateMut,
    meta: &StationMeta,
    award: AwardRecord,
) -> Result<(), Fault> {
    let mut record = require_household(state, &award.household_id)?;
    record.pending_points += award.points;
    state.put_household(&record, false)?;
    let mut tally = state
        .tally(&award.period, &award.household_id)?
        .unwrap_or_default();
    tally.points += award.points;
    tally.score += award.score;
    tally.entries += 1;
    state.put_tally(&award.period, &award.household_id, &tally)?;
    add_budget(state, meta, &award.period, award.points)?;
    state.put_award(&award)
}

fn sale_record(
    event: &Event,
    household_id: &str,
    lines: &[SaleLine],
    total_points: i64,
    proxy: &Option<String>,
    split: Split,
) -> SaleRecord {
    SaleRecord {
        seq: event.seq,
        household_id: household_id.to_string(),
        lines: lines.to_vec(),
        total_points,
        proxy: proxy.clone(),
        time_ms: event.time_ms,
        voided: false,
        takes: split.takes,
        credit: split.credit,
    }
}

/// The documented default for a sale written before lots and credit years: units first in,
/// first out, points oldest year first, as the books stand now.
fn legacy_sale_split(
    state: &dyn StateMut,
    household_id: &str,
    lines: &[SaleLine],
    total_points: i64,
) -> Result<Split, Fault> {
    let record = require_household(state, household_id)?;
    let credit = credit::spend_oldest(&record.credit, total_points).ok_or_else(|| {
        Fault(format!(
            "household {household_id} has {} points, the sale took {total_points}",
            record.balance_points
        ))
    })?;
    let mut takes = Vec::new();
    for line in lines {
        let goods = require_goods(state, &line.goods_id)?;
        let line_takes = lots::take_fifo(&line.goods_id, &goods.lots, line.quantity)
            .ok_or_else(|| short(&line.goods_id, &goods, line.quantity))?;
        takes.extend(line_takes);
    }
    Ok(Split { takes, credit })
}

fn redeem(state: &mut dyn StateMut, sale: &SaleRecord) -> Result<(), Fault> {
    let spent: i64 = sale.credit.iter().map(|c| c.points).sum();
    ensure!(
        spent == sale.total_points,
        "sale #{}: credit split {spent} differs from the total {}",
        sale.seq,
        sale.total_points
    );
    let mut record = require_household(state, &sale.household_id)?;
    credit::spend(&mut record, &sale.credit)?;
    put_household_checked(state, &record)?;
    for line in &sale.lines {
        ensure!(
            lots::units_taken(&sale.takes, &line.goods_id) == line.quantity,
            "sale #{}: lots of {} do not add up to {}",
            sale.seq,
            line.goods_id,
            line.quantity
        );
        let mut goods = require_goods(state, &line.goods_id)?;
        lots::take(&mut goods, &sale.takes)?;
        goods.stock_units -= line.quantity;
        goods.sold_units += line.quantity;
        put_goods_checked(state, &goods)?;
    }
    state.put_sale(sale)?;
    Ok(())
}

fn adjust(
    state: &mut dyn StateMut,
    mut record: GoodsRecord,
    seq: u64,
    delta: i64,
    takes: &[LotTake],
) -> Result<(), Fault> {
    if delta < 0 {
        ensure!(
            lots::units_taken(takes, &record.goods.goods_id) == -delta,
            "stocktake #{seq}: lots do not add up to {delta}"
        );
        lots::take(&mut record, takes)?;
    } else {
        ensure!(takes.is_empty(), "stocktake gain #{seq} lists lots");
        lots::add_lot(&mut record, seq, delta);
    }
    record.stock_units += delta;
    record.adjusted_units += delta;
    put_goods_checked(state, &record)
}

fn ship(
    state: &mut dyn StateMut,
    mut record: GoodsRecord,
    quantity: i64,
    takes: &[LotTake],
) -> Result<(), Fault> {
    ensure!(
        lots::units_taken(takes, &record.goods.goods_id) == quantity,
        "shipment of {}: lots do not add up to {quantity}",
        record.goods.goods_id
    );
    lots::take(&mut record, takes)?;
    record.stock_units -= quantity;
    record.shipped_units += quantity;
    put_goods_checked(state, &record)
}

fn close_session(
    state: &mut dyn StateMut,
    meta: &mut StationMeta,
    event: &Event,
    totals: super::event::SessionTotals,
) -> Result<(), Fault> {
    let open = &meta.session;
    state.put_session(&SessionRecord {
        session_no: open.session_no,
        first_seq: open.first_seq,
        last_seq: open.last_seq,
        first_ms: open.first_ms,
        closed_seq: event.seq,
        closed_ms: event.time_ms,
        totals,
    })?;
    meta.session = OpenSession::new(open.session_no + 1);
    Ok(())
}

fn short(goods_id: &str, record: &GoodsRecord, wanted: i64) -> Fault {
    Fault(format!(
        "goods {goods_id}: {} units in its lots, {wanted} taken",
        lots::units_in_lots(record)
    ))
}

fn put_household_checked(state: &mut dyn StateMut, record: &HouseholdRecord) -> Result<(), Fault> {
    credit::check(record)?;
    state.put_household(record, false)
}

fn put_goods_checked(state: &mut dyn StateMut, record: &GoodsRecord) -> Result<(), Fault> {
    lots::check(record)?;
    state.put_goods(record)
}

fn period_year(period: &PeriodKey) -> Result<i32, Fault> {
    period
        .year()
        .ok_or_else(|| Fault(format!("period {} has no year", period.0)))
}

fn add_budget(
    state: &mut dyn StateMut,
    meta: &StationMeta,
    period: &PeriodKey,
    points: i64,
) -> Result<(), Fault> {
    if let Some((key, _)) = meta.policy.budget_for_period(period) {
        let used = state.budget_used(&key)?;
        state.put_budget_used(&key, used + points)?;
    }
    Ok(())
}

fn require_meta(state: &dyn StateMut) -> Result<StationMeta, Fault> {
    state
        .meta()?
        .ok_or_else(|| Fault("event before station init".into()))
}

fn require_household(state: &dyn StateMut, id: &str) -> Result<HouseholdRecord, Fault> {
    state
        .household(id)?
        .ok_or_else(|| Fault(format!("event for unknown household {id}")))
}

fn require_goods(state: &dyn StateMut, id: &str) -> Result<GoodsRecord, Fault> {
    state
        .goods(id)?
        .ok_or_else(|| Fault(format!("event for unknown goods {id}")))
}

fn require_award(state: &dyn StateMut, seq: u64) -> Result<AwardRecord, Fault> {
    state
        .award(seq)?
        .ok_or_else(|| Fault(format!("event for unknown award {seq}")))
}
