//! The donation ledger (捐赠台账): every receipt of donated goods with its date, donor, item and
//! quantity, and per donor the units given and their value in points at today's prices — the
//! list a village posts to thank its donors and the township checks against the stock ledger.
//! Donations are not kept as an index, so this report replays the station's events.

use std::collections::BTreeMap;

use serde::Serialize;

use super::table::{AsTable, Table};
use crate::domain::time::CivilDate;
use crate::domain::{EventBody, StockSource};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// All donations received, and totals per donor.
#[derive(Clone, Debug, Serialize)]
pub struct DonationReport {
    /// One line per donated receipt, in ledger order.
    pub lines: Vec<DonationLine>,
    /// Per donor, by name: (donor, units, points value at current prices).
    pub by_donor: Vec<(String, i64, i64)>,
}

/// One receipt of donated goods.
#[derive(Clone, Debug, Serialize)]
pub struct DonationLine {
    /// The `StockReceived` event's sequence number.
    pub seq: u64,
    /// China date received, `YYYY-MM-DD`.
    pub date: String,
    /// Who gave it.
    pub donor: String,
    /// Catalog id.
    pub goods_id: String,
    /// The item's current name.
    pub name: String,
    /// Units received.
    pub quantity: i64,
    /// Value in points at the item's current price.
    pub points: i64,
}

/// The donation ledger of this station.
pub fn donation_report(view: &View) -> Result<DonationReport, StoreError> {
    view.require_meta()?;
    let mut lines = Vec::new();
    let mut by_donor: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (event, _) in view.events(1, u64::MAX)? {
        let EventBody::StockReceived {
            goods_id,
            quantity,
            source: StockSource::Donation { donor },
        } = event.body
        else {
            continue;
        };
        let (name, price_points) = match view.state().goods(&goods_id)? {
            Some(g) => (g.goods.name, g.goods.price_points),
            None => (goods_id.clone(), 0),
        };
        let points = quantity.saturating_mul(price_points);
        let totals = by_donor.entry(donor.clone()).or_default();
        totals.0 += quantity;
        totals.1 = totals.1.saturating_add(points);
        lines.push(DonationLine {
            seq: event.seq,
            date: CivilDate::from_utc_ms(event.time_ms).to_string(),
            donor,
            goods_id,
            name,
            quantity,
            points,
        });
    }
    let by_donor = by_donor
        .into_iter()
        .map(|(donor, (units, points))| (donor, units, points))
        .collect();
    Ok(DonationReport { lines, by_donor })
}

impl AsTable for DonationReport {
    fn to_table(&self, lang: Lang) -> Table {
        let headers = [
            ("日期", "date"),
            ("捐赠人", "donor"),
            ("编号", "goods id"),
            ("物品", "goods"),
            ("数量", "units"),
            ("折合积分", "points value"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        let mut rows: Vec<Vec<String>> = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.date.clone(),
                    l.donor.clone(),
                    l.goods_id.clone(),
                    l.name.clone(),
                    l.quantity.to_string(),
                    l.points.to_string(),
                ]
            })
            .collect();
        let total = lang.pick("合计", "total");
        for (donor, units, points) in &self.by_donor {
            rows.push(vec![
                total.to_string(),
                donor.clone(),
                String::new(),
                String::new(),
                units.to_string(),
                points.to_string(),
            ]);
        }
        Table {
            title: lang.pick("捐赠台账", "donation ledger").to_string(),
            headers,
            rows,
        }
    }
}
