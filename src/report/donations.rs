//! The donation ledger (捐赠台账): every lot of donated goods with its date, donor, item, the
//! units given, how many of them households have redeemed and how many are still on the shelf,
//! and per donor the same totals with the value given in points at today's prices — the list a
//! village posts to thank its donors and the township checks against the settlement. It reads
//! the [lot ledger](super::lots), so a donated unit is counted here exactly when the settlement
//! counts it as donated. Units a township shipped on from a donation stay the donor's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::lots::lot_ledger;
use super::table::{signers, AsSheet, AsTable, Cell, Sheet, Table};
use crate::domain::lots::LotOrigin;
use crate::domain::time::CivilDate;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// All donated lots, and totals per donor.
#[derive(Clone, Debug, Serialize)]
pub struct DonationReport {
    /// The China date of the ledger's last entry, `YYYY-MM-DD`: the ledger as of then.
    pub as_of: String,
    /// One line per donated lot, in ledger order.
    pub lines: Vec<DonationLine>,
    /// Per donor, by name.
    pub by_donor: Vec<DonorTotal>,
}

/// One lot of donated goods.
#[derive(Clone, Debug, Serialize)]
pub struct DonationLine {
    /// The receiving event's sequence number (the lot).
    pub seq: u64,
    /// China date received, `YYYY-MM-DD`.
    pub date: String,
    /// Who gave it.
    pub donor: String,
    /// Catalog id.
    pub goods_id: String,
    /// The item's current name.
    pub name: String,
    /// Units given.
    pub quantity: i64,
    /// Units households redeemed, net of voids.
    pub redeemed_units: i64,
    /// Units still on the shelf.
    pub in_stock_units: i64,
    /// Units written off at stocktakes or shipped on.
    pub other_units: i64,
    /// Value given, in points at the item's current price.
    pub points: i64,
}

/// One donor's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DonorTotal {
    /// Who gave.
    pub donor: String,
    /// Units given.
    pub units: i64,
    /// Units redeemed.
    pub redeemed_units: i64,
    /// Units still on the shelf.
    pub in_stock_units: i64,
    /// Value given, in points at current prices.
    pub points: i64,
}

/// The donation ledger of this station.
pub fn donation_report(view: &View) -> Result<DonationReport, StoreError> {
    let meta = view.require_meta()?;
    let ledger = lot_ledger(view)?;
    let mut lines = Vec::new();
    let mut by_donor: BTreeMap<String, DonorTotal> = BTreeMap::new();
    for lot in &ledger.lots {
        let LotOrigin::Donated(donor) = &lot.origin else {
            continue;
        };
        let (name, price_points) = match view.state().goods(&lot.goods_id)? {
            Some(g) => (g.goods.name, g.goods.price_points),
            None => (lot.goods_id.clone(), 0),
        };
        let points = lot.received_units.saturating_mul(price_points);
        let total = by_donor.entry(donor.clone()).or_insert_with(|| DonorTotal {
            donor: donor.clone(),
            units: 0,
            redeemed_units: 0,
            in_stock_units: 0,
            points: 0,
        });
        total.units += lot.received_units;
        total.redeemed_units += lot.redeemed_units;
        total.in_stock_units += lot.in_stock_units;
        total.points = total.points.saturating_add(points);
        lines.push(DonationLine {
            seq: lot.lot_seq,
            date: lot.date.clone(),
            donor: donor.clone(),
            goods_id: lot.goods_id.clone(),
            name,
            quantity: lot.received_units,
            redeemed_units: lot.redeemed_units,
            in_stock_units: lot.in_stock_units,
            other_units: lot.lost_units + lot.shipped_units,
            points,
        });
    }
    Ok(DonationReport {
        as_of: CivilDate::from_utc_ms(meta.last_time_ms).to_string(),
        lines,
        by_donor: by_donor.into_values().collect(),
    })
}

impl AsTable for DonationReport {
    fn to_table(&self, lang: Lang) -> Table {
        // English headings no wider than the Chinese ones (`id`, `left`, `value`; the note
        // under the table says the value is in points at current prices), so the English
        // ledger fits 80 columns with the goods' names whole wherever the Chinese does.
        let headers = [
            ("日期", "date"),
            ("捐赠人", "donor"),
            ("编号", "id"),
            ("物品", "goods"),
            ("捐赠", "given"),
            ("已兑换", "redeemed"),
            ("在库", "left"),
            ("折合积分", "value"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        let mut rows: Vec<Vec<Cell>> = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.date.as_str().into(),
                    l.donor.as_str().into(),
                    l.goods_id.as_str().into(),
                    l.name.as_str().into(),
                    l.quantity.into(),
                    l.redeemed_units.into(),
                    l.in_stock_units.into(),
                    l.points.into(),
                ]
            })
            .collect();
        let total = lang.pick("合计", "total");
        for d in &self.by_donor {
            rows.push(vec![
                total.into(),
                d.donor.as_str().into(),
                Cell::empty(),
                Cell::empty(),
                d.units.into(),
                d.redeemed_units.into(),
                d.in_stock_units.into(),
                d.points.into(),
            ]);
        }
        Table {
            title: lang.pick("捐赠台账", "donation ledger").to_string(),
            headers,
            rows,
        }
    }
}

impl AsSheet for DonationReport {
    /// The donation ledger (捐赠台账) as of the last entry, with the lines to sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let mut table = self.to_table(lang);
        table.title = String::new();
        Sheet {
            title: lang.pick("捐赠台账", "donation ledger").to_string(),
            station: station.to_string(),
            period: match lang {
                Lang::Zh => format!("截至 {}", self.as_of),
                Lang::En => format!("as of {}", self.as_of),
            },
            tables: vec![table],
            notes: vec![lang
                .pick(
                    "折合积分按物品现价计；捐赠物品兑换后不向任何人结算。",
                    "points value at current prices; donated goods are never paid for when redeemed.",
                )
                .to_string()],
            signatures: signers(lang, &[("经办人", "prepared by"), ("审核人", "checked by")]),
        }
    }
}
