//! How each event changes the derived state. This is the single definition of balances,
//! stock, awards and day totals: the till runs it inside the write transaction that stores the
//! event, and `verify` runs it again over all events in memory to prove the indexes match.

use super::event::{Event, EventBody, Hash};
use super::state::{
    AwardRecord, AwardStatus, CardEntry, Fault, GoodsRecord, HouseholdRecord, SaleRecord, StateMut,
    StationMeta,
};
use super::time::CivilDate;

/// Applies one stored event (already decided and hashed) to the derived state.
pub fn apply(state: &mut dyn StateMut, event: &Event, hash: &Hash) -> Result<(), Fault> {
    let date = CivilDate::from_utc_ms(event.time_ms).to_string();
    let mut day = state.day(&date)?.unwrap_or_default();
    day.totals.events += 1;
    if day.first_seq == 0 {
        day.first_seq = event.seq;
    }
    day.last_seq = day.last_seq.max(event.seq);
    match &event.body {
        EventBody::StationInitialized {
            station_id,
            name,
            role,
            policy,
        } => {
            state.put_meta(&StationMeta {
                station_id: station_id.clone(),
                name: name.clone(),
                role: *role,
                policy: policy.clone(),
                head_seq: 0,
                head_hash: [0; 32],
                last_time_ms: event.time_ms,
            })?;
        }
        EventBody::PolicySet { policy } => {
            let mut meta = require_meta(state)?;
            meta.policy = policy.clone();
            state.put_meta(&meta)?;
        }
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
            let previous = state.goods(&goods.goods_id)?;
            let record = match previous {
                Some(mut r) => {
                    if r.goods.barcode != goods.barcode && !r.goods.barcode.is_empty() {
                        state.put_barcode(&r.goods.barcode, None)?;
                    }
                    r.goods = goods.clone();
                    r
                }
                None => GoodsRecord {
                    goods: goods.clone(),
                    stock_units: 0,
                    received_units: 0,
                    sold_units: 0,
                },
            };
            if !goods.barcode.is_empty() {
                state.put_barcode(&goods.barcode, Some(&goods.goods_id))?;
            }
            state.put_goods(&record)?;
        }
        EventBody::StockReceived {
            goods_id, quantity, ..
        } => {
            let mut record = require_goods(state, goods_id)?;
            record.stock_units += quantity;
            record.received_units += quantity;
            state.put_goods(&record)?;
            day.totals.units_received += quantity;
        }
        EventBody::StockAdjusted {
            goods_id, delta, ..
        } => {
            let mut record = require_goods(state, goods_id)?;
            record.stock_units += delta;
            state.put_goods(&record)?;
        }
        EventBody::ScoreEntered {
            household_id,
            period,
            score,
            points,
            ..
        } => {
            let mut record = require_household(state, household_id)?;
            record.pending_points += points;
            state.put_household(&record, false)?;
            let mut tally = state.tally(period, household_id)?.unwrap_or_default();
            tally.points += points;
            tally.score += score;
            tally.entries += 1;
            state.put_tally(period, household_id, &tally)?;
            add_budget(state, period, *points)?;
            state.put_award(&AwardRecord {
                seq: event.seq,
                household_id: household_id.clone(),
                period: period.clone(),
                score: *score,
                points: *points,
                status: AwardStatus::Pending,
                entered_ms: event.time_ms,
            })?;
            day.totals.scores_entered += 1;
        }
        EventBody::AwardConfirmed { award_seq } => {
            let mut award = require_award(state, *award_seq)?;
            let mut record = require_household(state, &award.household_id)?;
            record.pending_points -= award.points;
            record.balance_points += award.points;
            record.earned_points += award.points;
            state.put_household(&record, false)?;
            award.status = AwardStatus::Confirmed;
            state.put_award(&award)?;
            day.totals.points_confirmed += award.points;
        }
        EventBody::AwardRevoked { award_seq, .. } => {
            let mut award = require_award(state, *award_seq)?;
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
            add_budget(state, &award.period, -award.points)?;
            award.status = AwardStatus::Revoked;
            state.put_award(&award)?;
        }
        EventBody::Redeemed {
            household_id,
            lines,
            total_points,
            proxy,
            ..
        } => {
            let mut record = require_household(state, household_id)?;
            record.balance_points -= total_points;
            record.spent_points += total_points;
            state.put_household(&record, false)?;
            for line in lines {
                let mut goods = require_goods(state, &line.goods_id)?;
                goods.stock_units -= line.quantity;
                goods.sold_units += line.quantity;
                state.put_goods(&goods)?;
                day.totals.units_sold += line.quantity;
            }
            state.put_sale(&SaleRecord {
                seq: event.seq,
                household_id: household_id.clone(),
                lines: lines.clone(),
                total_points: *total_points,
                proxy: proxy.clone(),
                time_ms: event.time_ms,
                voided: false,
            })?;
            day.totals.sales += 1;
            day.totals.points_spent += total_points;
        }
        EventBody::SaleVoided { sale_seq, .. } => {
            let mut sale = state
                .sale(*sale_seq)?
                .ok_or_else(|| Fault(format!("void of unknown sale {sale_seq}")))?;
            let mut record = require_household(state, &sale.household_id)?;
            record.balance_points += sale.total_points;
            record.spent_points -= sale.total_points;
            state.put_household(&record, false)?;
            for line in &sale.lines {
                let mut goods = require_goods(state, &line.goods_id)?;
                goods.stock_units += line.quantity;
                goods.sold_units -= line.quantity;
                state.put_goods(&goods)?;
                day.totals.units_sold -= line.quantity;
            }
            sale.voided = true;
            state.put_sale(&sale)?;
            day.totals.voids += 1;
            day.totals.points_voided += sale.total_points;
        }
        EventBody::YearCleared { year, cleared } => {
            for (household_id, points) in cleared {
                let mut record = require_household(state, household_id)?;
                record.balance_points -= points;
                record.cleared_points += points;
                state.put_household(&record, false)?;
            }
            state.put_last_cleared_year(*year)?;
        }
        EventBody::StationEnrolled { .. } | EventBody::StationRevoked { .. } => {
            super::roster::apply_roster(state, event)?;
        }
        EventBody::GoodsShipped {
            goods_id, quantity, ..
        } => {
            let mut record = require_goods(state, goods_id)?;
            record.stock_units -= quantity;
            state.put_goods(&record)?;
        }
        EventBody::PolicyIssued { .. } | EventBody::HouseholdIssued { .. } => {}
        EventBody::DayClosed {
            date: closed_date,
            totals,
        } => {
            if *closed_date != date {
                let mut closed = state.day(closed_date)?.unwrap_or_default();
                closed.closed = Some(totals.clone());
                state.put_day(closed_date, &closed)?;
            } else {
                day.closed = Some(totals.clone());
            }
        }
    }
    state.put_day(&date, &day)?;
    let mut meta = require_meta(state)?;
    meta.head_seq = event.seq;
    meta.head_hash = *hash;
    meta.last_time_ms = meta.last_time_ms.max(event.time_ms);
    state.put_meta(&meta)
}

fn add_budget(
    state: &mut dyn StateMut,
    period: &super::event::PeriodKey,
    points: i64,
) -> Result<(), Fault> {
    let Some(meta) = state.meta()? else {
        return Ok(());
    };
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
