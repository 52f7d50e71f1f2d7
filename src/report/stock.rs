//! The stock ledger summary (物品进出登记台账): per catalog item, what is on the shelf and how it
//! got there — units received (any source), sold (net of voids), adjusted at stocktakes and, at
//! the township, shipped to villages, so that `stock = received − sold + adjusted − shipped`.
//! The ledger keeps these counts with the item's lots in the transaction of each event and
//! checks the identity on every write; the lot-by-lot detail is the [lot ledger](super::lots).

use serde::Serialize;

use super::table::{signers, AsSheet, AsTable, Cell, Sheet, Table};
use crate::domain::time::CivilDate;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// Every catalog item with its stock movements.
#[derive(Clone, Debug, Serialize)]
pub struct StockReport {
    /// The China date of the ledger's last entry, `YYYY-MM-DD`: the stock as of then.
    pub as_of: String,
    /// One row per item, by goods id.
    pub rows: Vec<StockRow>,
}

/// One item's stock.
#[derive(Clone, Debug, Serialize)]
pub struct StockRow {
    /// Catalog id.
    pub goods_id: String,
    /// Display name.
    pub name: String,
    /// Zone key: the zone's points (`5`) or `donation`.
    pub zone: String,
    /// Current price in points per unit.
    pub price_points: i64,
    /// Units on the shelf now.
    pub stock_units: i64,
    /// Units ever received.
    pub received_units: i64,
    /// Units sold, net of voids.
    pub sold_units: i64,
    /// Net units added (+) or written off (−) at stocktakes.
    pub adjusted_units: i64,
    /// Units the township shipped out to villages (0 at a village).
    pub shipped_units: i64,
}

/// The stock of every catalog item, from the ledger's indexes (kept in the transaction of
/// each event and checked by `verify`).
pub fn stock_report(view: &View) -> Result<StockReport, StoreError> {
    let meta = view.require_meta()?;
    let rows = view
        .goods()?
        .into_iter()
        .map(|record| StockRow {
            zone: super::zone_key(record.goods.zone),
            goods_id: record.goods.goods_id,
            name: record.goods.name,
            price_points: record.goods.price_points,
            stock_units: record.stock_units,
            received_units: record.received_units,
            sold_units: record.sold_units,
            adjusted_units: record.adjusted_units,
            shipped_units: record.shipped_units,
        })
        .collect();
    Ok(StockReport {
        as_of: CivilDate::from_utc_ms(meta.last_time_ms).to_string(),
        rows,
    })
}

impl AsTable for StockReport {
    fn to_table(&self, lang: Lang) -> Table {
        // Only a township ships; a village's table keeps to eight columns.
        let with_shipped = self.rows.iter().any(|r| r.shipped_units != 0);
        let mut headers: Vec<String> = [
            ("编号", "goods id"),
            ("物品", "goods"),
            ("分区", "zone"),
            ("单价", "price"),
            ("库存", "stock"),
            ("入库", "received"),
            ("售出", "sold"),
            ("盘点", "adjusted"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        if with_shipped {
            headers.push(lang.pick("发出", "shipped").to_string());
        }
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut row: Vec<Cell> = vec![
                    r.goods_id.as_str().into(),
                    r.name.as_str().into(),
                    super::zone_label(&r.zone, lang).into(),
                    r.price_points.into(),
                    r.stock_units.into(),
                    r.received_units.into(),
                    r.sold_units.into(),
                    r.adjusted_units.into(),
                ];
                if with_shipped {
                    row.push(r.shipped_units.into());
                }
                row
            })
            .collect();
        Table {
            title: lang.pick("库存台账", "stock ledger").to_string(),
            headers,
            rows,
        }
    }
}

impl AsSheet for StockReport {
    /// The stock ledger (物品进出登记台账) as of the last entry, with the lines to sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let mut table = self.to_table(lang);
        table.title = String::new();
        Sheet {
            title: lang.pick("物品进出登记台账", "stock ledger").to_string(),
            station: station.to_string(),
            period: match lang {
                Lang::Zh => format!("截至 {}", self.as_of),
                Lang::En => format!("as of {}", self.as_of),
            },
            tables: vec![table],
            notes: vec![lang
                .pick(
                    "库存 = 入库 − 售出 + 盘点 − 发出；逐批来源见捐赠台账与商户结算单。",
                    "stock = received − sold + adjusted − shipped; lot by lot in the donation ledger and the settlement.",
                )
                .to_string()],
            signatures: signers(lang, &[("经办人", "prepared by"), ("审核人", "checked by")]),
        }
    }
}
