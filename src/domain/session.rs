//! Till sessions and their totals (日结: the X and Z reports). `close-day` closes the till
//! session: every event since the previous close, numbered per station, whatever the clock
//! says — a close at 00:11 still closes the evening's sales (PRODUCT.md, "A till session, not a
//! calendar day"). The X report is the same computation over the open session. This module owns
//! that computation, [`count_event`]: `apply` runs it on every event for the open session, and
//! the calendar-day log runs it over a day's events, so the two can never count differently.

use super::event::{EventBody, SessionTotals};
use super::state::{Fault, State};

/// Adds one event to `totals`. `state` answers what the event refers to (a voided sale's
/// points and units, a confirmed award's points); it may be read before or after the event is
/// applied, since neither changes.
pub fn count_event<S: State + ?Sized>(
    totals: &mut SessionTotals,
    body: &EventBody,
    state: &S,
) -> Result<(), Fault> {
    totals.events += 1;
    match body {
        EventBody::RedeemedV1 {
            lines,
            total_points,
            ..
        }
        | EventBody::Redeemed {
            lines,
            total_points,
            ..
        } => {
            totals.sales += 1;
            totals.points_spent += total_points;
            totals.units_sold += lines.iter().map(|l| l.quantity).sum::<i64>();
        }
        EventBody::SaleVoided { sale_seq, .. } => {
            let sale = state
                .sale(*sale_seq)?
                .ok_or_else(|| Fault(format!("void of unknown sale {sale_seq}")))?;
            totals.voids += 1;
            totals.points_voided += sale.total_points;
            totals.units_sold -= sale.lines.iter().map(|l| l.quantity).sum::<i64>();
        }
        EventBody::StockReceived { quantity, .. } => totals.units_received += quantity,
        EventBody::ScoreEntered { .. } | EventBody::ItemScoresEntered { .. } => {
            totals.scores_entered += 1
        }
        EventBody::AwardConfirmed { award_seq } => {
            let award = state
                .award(*award_seq)?
                .ok_or_else(|| Fault(format!("confirmation of unknown award {award_seq}")))?;
            totals.points_confirmed += award.points;
        }
        _ => {}
    }
    Ok(())
}

/// Whether an event closes a till session (and so belongs to none).
pub fn closes_session(body: &EventBody) -> bool {
    matches!(
        body,
        EventBody::SessionClosed { .. } | EventBody::DayClosed { .. }
    )
}
