//! What the ledger says, printed: the day's log with its X/Z totals, the publicity board
//! (公示榜) with its items and publicity window, the quarterly settlement per supplying
//! merchant (结算), the stock ledger, the donation ledger (捐赠台账), the village budget, the
//! township's consolidated view of its villages and the statistics of the year (统计). Each
//! report is a plain data struct computed from a read [`View`] with no I/O, so the CLI (`--json`
//! serialises it), the TUI and the tests all see the same figures; [`table`] turns any of them
//! into one [`Table`] (for CSV) or one [`Sheet`] (a report on paper: title, station, period,
//! tables, notes and the lines people sign) and writes it as aligned text, CSV (with a BOM for
//! Excel) or XLSX built for A4.
//!
//! [`View`]: crate::store::ledger::View

pub mod board;
pub mod budget;
pub mod day;
pub mod donations;
pub mod lots;
pub mod settlement;
pub mod stats;
pub mod stock;
pub mod table;
pub mod township;
pub mod year_end;

pub use board::{board, board_slip, Board, BoardRow};
pub use budget::{budget_report, BudgetLine, BudgetReport};
pub use day::{day_report, session_report, DayReport, LogLine, SessionReport};
pub use donations::{donation_report, DonationLine, DonationReport, DonorTotal};
pub use lots::{lot_ledger, LotLedger, LotLine};
pub use settlement::{settlement, MerchantLine, Settlement};
pub use stats::{stats_report, StatsReport};
pub use stock::{stock_report, StockReport, StockRow};
pub use table::{
    format_fen, render_sheet, render_sheet_width, render_text, render_text_width, station_label,
    write_csv, write_sheet, write_xlsx, AsSheet, AsTable, Cell, OutputKind, ReportError, Sheet,
    Table,
};

use crate::domain::Zone;
use crate::i18n::Lang;

/// The zone as stored in a report row: the zone's points, or `donation`; language-neutral so
/// JSON output is stable, translated by [`zone_label`] when printed.
pub(crate) fn zone_key(zone: Zone) -> String {
    match zone {
        Zone::Points(points) => points.to_string(),
        Zone::Donation => "donation".to_string(),
    }
}

/// A zone key from [`zone_key`] as a reader sees it.
pub(crate) fn zone_label(key: &str, lang: Lang) -> String {
    if key == "donation" {
        lang.pick("捐赠区", "donation").to_string()
    } else {
        format!("{key}{}", lang.pick("分区", " pt"))
    }
}
