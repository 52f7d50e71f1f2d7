//! A [`Receipt`] read from the ledger: the receipt record the domain kept with the event (its
//! number and the balance around it), the event itself (lines, card, proxy, operator, time and
//! the hash its verification code comes from), the goods' names as they stood at the sale and
//! the household's name. A void's
//! receipt shows the voided sale's goods. The till and the command line both read receipts
//! here, so they print the same paper.

use std::cmp::Ordering;

use super::{Print, Receipt, ReceiptError, ReceiptKind, ReceiptLine};
use crate::domain::event::{Event, EventBody, Hash, SaleLine};
use crate::domain::receipt::{ReceiptRecord, VerificationCode};
use crate::domain::Fault;
use crate::store::ledger::View;
use crate::store::Ledger;

/// Receipt number `receipt_no` of the view's station.
pub fn by_number(view: &View, receipt_no: u64, print: Print) -> Result<Receipt, ReceiptError> {
    let Some(record) = view.state().receipt(receipt_no)? else {
        return Err(ReceiptError::NoSuchNumber {
            number: receipt_no,
            last: view.require_meta()?.receipts_issued,
        });
    };
    build(view, &record, print)
}

/// The receipt of the view station's event `seq` (a sale or a void).
pub fn by_seq(view: &View, seq: u64, print: Print) -> Result<Receipt, ReceiptError> {
    let record = record_of_seq(view, seq)?.ok_or(ReceiptError::NoReceipt(seq))?;
    build(view, &record, print)
}

/// Every receipt with this code in every station scope of the file: a village holds its own,
/// a township the villages' it imported. At least one, or [`ReceiptError::NoSuchCode`].
pub fn by_code(ledger: &Ledger, code: &VerificationCode) -> Result<Vec<Receipt>, ReceiptError> {
    let mut found = Vec::new();
    for station in ledger.view()?.stations()? {
        let view = ledger.view_of(&station)?;
        for receipt_no in view.state().receipts_by_code(code)? {
            found.push(by_number(&view, receipt_no, Print::Original)?);
        }
    }
    if found.is_empty() {
        return Err(ReceiptError::NoSuchCode(code.clone()));
    }
    Ok(found)
}

/// The receipt record of event `seq`, if it issued one. Receipt numbers rise with the events'
/// seq, so the record is found by halving the numbers issued (about 20 reads for a million).
pub fn record_of_seq(view: &View, seq: u64) -> Result<Option<ReceiptRecord>, ReceiptError> {
    let (mut low, mut high) = (1u64, view.require_meta()?.receipts_issued);
    while low <= high {
        let middle = low + (high - low) / 2;
        let record = view
            .state()
            .receipt(middle)?
            .ok_or_else(|| Fault(format!("receipt {middle} is missing from the index")))?;
        match record.seq.cmp(&seq) {
            Ordering::Equal => return Ok(Some(record)),
            Ordering::Less => low = middle + 1,
            Ordering::Greater => high = middle - 1,
        }
    }
    Ok(None)
}

/// What a sale event says, whichever layout it was written in.
struct Sale<'a> {
    card_no: &'a str,
    lines: &'a [SaleLine],
    total_points: i64,
    proxy: &'a Option<String>,
}

fn sale_of(event: &Event) -> Option<Sale<'_>> {
    match &event.body {
        EventBody::Redeemed {
            card_no,
            lines,
            total_points,
            proxy,
            ..
        }
        | EventBody::RedeemedV1 {
            card_no,
            lines,
            total_points,
            proxy,
            ..
        } => Some(Sale {
            card_no,
            lines,
            total_points: *total_points,
            proxy,
        }),
        _ => None,
    }
}

fn event_at(view: &View, seq: u64) -> Result<(Event, Hash), ReceiptError> {
    view.events(seq, seq)?
        .pop()
        .ok_or(ReceiptError::NoReceipt(seq))
}

fn build(view: &View, record: &ReceiptRecord, print: Print) -> Result<Receipt, ReceiptError> {
    let meta = view.require_meta()?;
    let (event, hash) = event_at(view, record.seq)?;
    let (kind, sale_event) = match &event.body {
        EventBody::SaleVoided { sale_seq, reason } => {
            let sale_receipt_no = record_of_seq(view, *sale_seq)?
                .ok_or(ReceiptError::NoReceipt(*sale_seq))?
                .receipt_no;
            let kind = ReceiptKind::Void {
                sale_seq: *sale_seq,
                sale_receipt_no,
                reason: reason.clone(),
            };
            (kind, event_at(view, *sale_seq)?.0)
        }
        _ => {
            let voided = view.state().sale(record.seq)?.is_some_and(|s| s.voided);
            (ReceiptKind::Sale { voided }, event.clone())
        }
    };
    let sale = sale_of(&sale_event).ok_or(ReceiptError::NoReceipt(record.seq))?;
    let mut lines = Vec::with_capacity(sale.lines.len());
    for line in sale.lines {
        // The name as sold: a later rename does not rewrite the paper.
        let name = view.state().goods(&line.goods_id)?.map_or_else(
            || line.goods_id.clone(),
            |g| g.name_at(sale_event.seq).to_string(),
        );
        lines.push(ReceiptLine {
            name,
            quantity: line.quantity,
            price_points: line.price_points,
            points: line.price_points.saturating_mul(line.quantity),
        });
    }
    let head = view
        .state()
        .household(&record.household_id)?
        .map(|h| h.household.head)
        .unwrap_or_default();
    Ok(Receipt {
        station_id: meta.station_id,
        station_name: meta.name,
        receipt_no: record.receipt_no,
        seq: record.seq,
        time_ms: event.time_ms,
        kind,
        household_id: record.household_id.clone(),
        head,
        card_no: sale.card_no.to_string(),
        proxy: sale.proxy.clone(),
        lines,
        total_points: sale.total_points,
        balance_before_points: record.balance_before_points,
        balance_after_points: record.balance_after_points,
        operator: event.operator.clone(),
        code: VerificationCode::of(&hash),
        print,
    })
}
