//! Binary COPY of typed rows into PostgreSQL: each table's column names and types in one list,
//! beside the function that writes a row's values in that order. Binary COPY is the fastest
//! way into PostgreSQL (no SQL parsing, no text conversion) and is spoken as well by Citus and
//! the PostgreSQL-compatible databases of government offices.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::Transaction;

use super::rows::{ClearingLineRow, EventRow, SaleLineRow};

/// The `events` columns, in the order [`event_values`] gives them.
pub const EVENT_COLUMNS: [(&str, Type); 36] = [
    ("station_id", Type::TEXT),
    ("seq", Type::INT8),
    ("time_ms", Type::INT8),
    ("day", Type::DATE),
    ("month", Type::TEXT),
    ("quarter", Type::TEXT),
    ("operator", Type::TEXT),
    ("kind", Type::TEXT),
    ("household_id", Type::TEXT),
    ("card_no", Type::TEXT),
    ("goods_id", Type::TEXT),
    ("quantity", Type::INT8),
    ("points", Type::INT8),
    ("score", Type::INT8),
    ("period", Type::TEXT),
    ("ref_seq", Type::INT8),
    ("year", Type::INT4),
    ("budget_key", Type::TEXT),
    ("budget_points", Type::INT8),
    ("source", Type::TEXT),
    ("donor", Type::TEXT),
    ("fund", Type::TEXT),
    ("cost_fen", Type::INT8),
    ("other_station", Type::TEXT),
    ("supplier", Type::TEXT),
    ("zone_points", Type::INT4),
    ("donation_zone", Type::BOOL),
    ("price_points", Type::INT8),
    ("point_value_fen", Type::INT8),
    ("name", Type::TEXT),
    ("role", Type::TEXT),
    ("note", Type::TEXT),
    ("proxy", Type::TEXT),
    ("body", Type::BYTEA),
    ("hash", Type::BYTEA),
    ("prev_hash", Type::BYTEA),
];

/// An `events` row's values in [`EVENT_COLUMNS`] order.
fn event_values(r: &EventRow) -> [&(dyn ToSql + Sync); 36] {
    [
        &r.station_id,
        &r.seq,
        &r.time_ms,
        &r.day,
        &r.month,
        &r.quarter,
        &r.operator,
        &r.kind,
        &r.household_id,
        &r.card_no,
        &r.goods_id,
        &r.quantity,
        &r.points,
        &r.score,
        &r.period,
        &r.ref_seq,
        &r.year,
        &r.budget_key,
        &r.budget_points,
        &r.source,
        &r.donor,
        &r.fund,
        &r.cost_fen,
        &r.other_station,
        &r.supplier,
        &r.zone_points,
        &r.donation_zone,
        &r.price_points,
        &r.point_value_fen,
        &r.name,
        &r.role,
        &r.note,
        &r.proxy,
        &r.body,
        &r.hash,
        &r.prev_hash,
    ]
}

/// The `sale_lines` columns, in the order [`sale_line_values`] gives them.
pub const SALE_LINE_COLUMNS: [(&str, Type); 11] = [
    ("station_id", Type::TEXT),
    ("seq", Type::INT8),
    ("line_no", Type::INT4),
    ("day", Type::DATE),
    ("quarter", Type::TEXT),
    ("goods_id", Type::TEXT),
    ("quantity", Type::INT8),
    ("price_points", Type::INT8),
    ("points", Type::INT8),
    ("supplier", Type::TEXT),
    ("value_fen", Type::INT8),
];

fn sale_line_values(r: &SaleLineRow) -> [&(dyn ToSql + Sync); 11] {
    [
        &r.station_id,
        &r.seq,
        &r.line_no,
        &r.day,
        &r.quarter,
        &r.goods_id,
        &r.quantity,
        &r.price_points,
        &r.points,
        &r.supplier,
        &r.value_fen,
    ]
}

/// The `clearing_lines` columns, in the order [`clearing_line_values`] gives them.
pub const CLEARING_LINE_COLUMNS: [(&str, Type); 5] = [
    ("station_id", Type::TEXT),
    ("seq", Type::INT8),
    ("line_no", Type::INT4),
    ("household_id", Type::TEXT),
    ("points", Type::INT8),
];

fn clearing_line_values(r: &ClearingLineRow) -> [&(dyn ToSql + Sync); 5] {
    [
        &r.station_id,
        &r.seq,
        &r.line_no,
        &r.household_id,
        &r.points,
    ]
}

/// A binary COPY into one table, open inside the caller's transaction until [`finish`]ed;
/// dropped unfinished, it is aborted.
///
/// [`finish`]: RowCopy::finish
pub struct RowCopy<'a> {
    writer: BinaryCopyInWriter<'a>,
}

impl<'a> RowCopy<'a> {
    /// Starts `COPY table (columns) FROM STDIN (FORMAT binary)`.
    pub fn start(
        txn: &'a mut Transaction<'_>,
        table: &str,
        columns: &[(&str, Type)],
    ) -> Result<RowCopy<'a>, postgres::Error> {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let types: Vec<Type> = columns.iter().map(|(_, t)| t.clone()).collect();
        let sql = format!(
            "COPY {table} ({}) FROM STDIN (FORMAT binary)",
            names.join(", ")
        );
        let writer = txn.copy_in(sql.as_str())?;
        Ok(RowCopy {
            writer: BinaryCopyInWriter::new(writer, &types),
        })
    }

    /// Sends one `events` row.
    pub fn event(&mut self, row: &EventRow) -> Result<(), postgres::Error> {
        self.writer.write(&event_values(row))
    }

    /// Sends one `sale_lines` row.
    pub fn sale_line(&mut self, row: &SaleLineRow) -> Result<(), postgres::Error> {
        self.writer.write(&sale_line_values(row))
    }

    /// Sends one `clearing_lines` row.
    pub fn clearing_line(&mut self, row: &ClearingLineRow) -> Result<(), postgres::Error> {
        self.writer.write(&clearing_line_values(row))
    }

    /// Completes the COPY; returns the rows PostgreSQL took.
    pub fn finish(self) -> Result<u64, postgres::Error> {
        self.writer.finish()
    }
}

/// The tables rows go to: the published ones, or copies of them (the benchmark's reference).
#[derive(Clone, Copy, Debug)]
pub struct Tables {
    /// Where event rows go.
    pub events: &'static str,
    /// Where sale lines go.
    pub sale_lines: &'static str,
    /// Where clearing lines go.
    pub clearing_lines: &'static str,
}

/// The tables a publish writes.
pub const PUBLISHED: Tables = Tables {
    events: "events",
    sale_lines: "sale_lines",
    clearing_lines: "clearing_lines",
};

/// Copies whole lists of line rows (the small tables), each in its own COPY.
pub fn copy_lines(
    txn: &mut Transaction<'_>,
    tables: &Tables,
    sale_lines: &[SaleLineRow],
    clearing_lines: &[ClearingLineRow],
) -> Result<(), postgres::Error> {
    if !sale_lines.is_empty() {
        let mut copy = RowCopy::start(txn, tables.sale_lines, &SALE_LINE_COLUMNS)?;
        for row in sale_lines {
            copy.sale_line(row)?;
        }
        copy.finish()?;
    }
    if !clearing_lines.is_empty() {
        let mut copy = RowCopy::start(txn, tables.clearing_lines, &CLEARING_LINE_COLUMNS)?;
        for row in clearing_lines {
            copy.clearing_line(row)?;
        }
        copy.finish()?;
    }
    Ok(())
}
