//! Binary COPY of typed rows into PostgreSQL: each table's column names and types in one list,
//! beside the function that writes a row's values in that order. Binary COPY is the fastest
//! way into PostgreSQL (no SQL parsing, no text conversion) and is spoken as well by Citus and
//! the PostgreSQL-compatible databases of government offices.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::Transaction;

use super::rows::{
    ClearingLineRow, CreditLineRow, EventRow, LineRows, LotRow, LotTakeRow, SaleLineRow, SessionRow,
};

/// The `events` columns, in the order [`event_values`] gives them.
pub const EVENT_COLUMNS: [(&str, Type); 37] = [
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
    ("ref_ms", Type::INT8),
];

/// An `events` row's values in [`EVENT_COLUMNS`] order.
fn event_values(r: &EventRow) -> [&(dyn ToSql + Sync); 37] {
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
        &r.ref_ms,
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

/// The `lots` columns, in the order [`lot_values`] gives them.
pub const LOT_COLUMNS: [(&str, Type); 9] = [
    ("station_id", Type::TEXT),
    ("lot_seq", Type::INT8),
    ("goods_id", Type::TEXT),
    ("day", Type::DATE),
    ("units", Type::INT8),
    ("source", Type::TEXT),
    ("origin", Type::TEXT),
    ("owed_to", Type::TEXT),
    ("from_station", Type::TEXT),
];

fn lot_values(r: &LotRow) -> [&(dyn ToSql + Sync); 9] {
    [
        &r.station_id,
        &r.lot_seq,
        &r.goods_id,
        &r.day,
        &r.units,
        &r.source,
        &r.origin,
        &r.owed_to,
        &r.from_station,
    ]
}

/// The `lot_takes` columns, in the order [`lot_take_values`] gives them.
pub const LOT_TAKE_COLUMNS: [(&str, Type); 12] = [
    ("station_id", Type::TEXT),
    ("seq", Type::INT8),
    ("line_no", Type::INT4),
    ("taken_by", Type::TEXT),
    ("goods_id", Type::TEXT),
    ("lot_seq", Type::INT8),
    ("units", Type::INT8),
    ("day", Type::DATE),
    ("quarter", Type::TEXT),
    ("price_points", Type::INT8),
    ("points", Type::INT8),
    ("value_fen", Type::INT8),
];

fn lot_take_values(r: &LotTakeRow) -> [&(dyn ToSql + Sync); 12] {
    [
        &r.station_id,
        &r.seq,
        &r.line_no,
        &r.taken_by,
        &r.goods_id,
        &r.lot_seq,
        &r.units,
        &r.day,
        &r.quarter,
        &r.price_points,
        &r.points,
        &r.value_fen,
    ]
}

/// The `credit_lines` columns, in the order [`credit_line_values`] gives them.
pub const CREDIT_LINE_COLUMNS: [(&str, Type); 10] = [
    ("station_id", Type::TEXT),
    ("seq", Type::INT8),
    ("line_no", Type::INT4),
    ("day", Type::DATE),
    ("month", Type::TEXT),
    ("household_id", Type::TEXT),
    ("year", Type::INT4),
    ("awarded", Type::INT8),
    ("spent", Type::INT8),
    ("cleared", Type::INT8),
];

fn credit_line_values(r: &CreditLineRow) -> [&(dyn ToSql + Sync); 10] {
    [
        &r.station_id,
        &r.seq,
        &r.line_no,
        &r.day,
        &r.month,
        &r.household_id,
        &r.year,
        &r.awarded,
        &r.spent,
        &r.cleared,
    ]
}

/// The `till_sessions` columns, in the order [`session_values`] gives them.
pub const SESSION_COLUMNS: [(&str, Type); 16] = [
    ("station_id", Type::TEXT),
    ("session_no", Type::INT8),
    ("first_seq", Type::INT8),
    ("last_seq", Type::INT8),
    ("first_ms", Type::INT8),
    ("closed_seq", Type::INT8),
    ("closed_ms", Type::INT8),
    ("sales", Type::INT8),
    ("points_spent", Type::INT8),
    ("voids", Type::INT8),
    ("points_voided", Type::INT8),
    ("units_sold", Type::INT8),
    ("units_received", Type::INT8),
    ("scores_entered", Type::INT8),
    ("points_confirmed", Type::INT8),
    ("events", Type::INT8),
];

fn session_values(r: &SessionRow) -> [&(dyn ToSql + Sync); 16] {
    [
        &r.station_id,
        &r.session_no,
        &r.first_seq,
        &r.last_seq,
        &r.first_ms,
        &r.closed_seq,
        &r.closed_ms,
        &r.sales,
        &r.points_spent,
        &r.voids,
        &r.points_voided,
        &r.units_sold,
        &r.units_received,
        &r.scores_entered,
        &r.points_confirmed,
        &r.events,
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

    /// Sends one row given as its values in the columns' order.
    fn values(&mut self, values: &[&(dyn ToSql + Sync)]) -> Result<(), postgres::Error> {
        self.writer.write(values)
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
    /// Where lots go.
    pub lots: &'static str,
    /// Where lot takes go.
    pub lot_takes: &'static str,
    /// Where credit lines go.
    pub credit_lines: &'static str,
    /// Where closed till sessions go.
    pub sessions: &'static str,
}

/// The tables a publish writes.
pub const PUBLISHED: Tables = Tables {
    events: "events",
    sale_lines: "sale_lines",
    clearing_lines: "clearing_lines",
    lots: "lots",
    lot_takes: "lot_takes",
    credit_lines: "credit_lines",
    sessions: "till_sessions",
};

/// Copies one table's rows (nothing when there are none).
fn copy_table<R, const N: usize>(
    txn: &mut Transaction<'_>,
    table: &str,
    columns: &[(&str, Type); N],
    rows: &[R],
    values: fn(&R) -> [&(dyn ToSql + Sync); N],
) -> Result<(), postgres::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut copy = RowCopy::start(txn, table, columns)?;
    for row in rows {
        copy.values(&values(row))?;
    }
    copy.finish()?;
    Ok(())
}

/// Copies a batch's side-table rows, each table in its own COPY.
pub fn copy_lines(
    txn: &mut Transaction<'_>,
    tables: &Tables,
    lines: &LineRows,
) -> Result<(), postgres::Error> {
    copy_table(
        txn,
        tables.sale_lines,
        &SALE_LINE_COLUMNS,
        &lines.sale_lines,
        sale_line_values,
    )?;
    copy_table(
        txn,
        tables.clearing_lines,
        &CLEARING_LINE_COLUMNS,
        &lines.clearing_lines,
        clearing_line_values,
    )?;
    copy_table(txn, tables.lots, &LOT_COLUMNS, &lines.lots, lot_values)?;
    copy_table(
        txn,
        tables.lot_takes,
        &LOT_TAKE_COLUMNS,
        &lines.lot_takes,
        lot_take_values,
    )?;
    copy_table(
        txn,
        tables.credit_lines,
        &CREDIT_LINE_COLUMNS,
        &lines.credit_lines,
        credit_line_values,
    )?;
    copy_table(
        txn,
        tables.sessions,
        &SESSION_COLUMNS,
        &lines.sessions,
        session_values,
    )
}
