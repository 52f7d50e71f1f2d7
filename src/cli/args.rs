//! The command line's shape (clap): the global options and the list of subcommands. Each
//! subcommand's own arguments live beside its handler (`household.rs` holds `HouseholdCmd`), so
//! a new subcommand is one variant here, one handler file, and one line in [`super::run`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::award::AwardCmd;
use super::clock::ClockCmd;
use super::day::{CloseDayArgs, CloseYearArgs, LogArgs};
use super::goods::GoodsCmd;
use super::household::HouseholdCmd;
use super::init::InitArgs;
use super::receipt::ReceiptCmd;
use super::report::ReportCmd;
use super::sale::{BalanceArgs, RedeemArgs, VoidArgs};
use super::score::ScoreCmd;
use super::stock::StockCmd;
use super::sync::keys::KeysCmd;
use super::sync::station::StationCmd;
use super::sync::{ExportArgs, ImportArgs};
use super::till::MonitorArgs;
use super::verify::VerifyArgs;

/// aixin — till and ledger of a village love supermarket (爱心超市).
#[derive(Debug, Parser)]
#[command(name = "aixin", version, about, long_about = None)]
pub struct Cli {
    /// Data directory holding the ledger (default: the platform data dir).
    #[arg(long, global = true, env = "AIXIN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Interface language: zh (default) or en.
    #[arg(long, global = true, env = "AIXIN_LANG", default_value = "zh")]
    pub lang: String,
    /// Who is at the keyboard; recorded on every event.
    #[arg(long, global = true, env = "AIXIN_OPERATOR", default_value = "管理员")]
    pub operator: String,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// The date shown on this computer (YYYY-MM-DD), confirmed as right: needed for a write
    /// dated more than 30 days after the ledger's last entry, or a first entry years past
    /// this program's build.
    #[arg(long, global = true, value_name = "DATE")]
    pub confirm_date: Option<String>,
    /// Open the till on a throw-away demo station.
    #[arg(long)]
    pub demo: bool,
    /// What to do; without one, the till opens.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// The subcommands (the contract in PRODUCT.md).
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create the station in the data directory.
    Init(InitArgs),
    /// Households: add, list, show, import, reissue-card.
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// Catalog: add, list, import.
    #[command(subcommand)]
    Goods(GoodsCmd),
    /// Stock: receive, adjust, list.
    #[command(subcommand)]
    Stock(StockCmd),
    /// Committee scores: enter, import.
    #[command(subcommand)]
    Score(ScoreCmd),
    /// Awards after publicity: confirm, revoke, list.
    #[command(subcommand)]
    Award(AwardCmd),
    /// Spend a household's points on goods: `aixin redeem CARD G001:2 G007`.
    Redeem(RedeemArgs),
    /// Reverse a sale by its number, with a reason.
    Void(VoidArgs),
    /// A household's points, by card number or household id.
    Balance(BalanceArgs),
    /// One day's events and totals (today by default).
    Log(LogArgs),
    /// Close the till session (日结): everything since the previous close, frozen as a Z report.
    CloseDay(CloseDayArgs),
    /// Year-end clearing (一年一清) of a finished year's credit, with a preview and the honours.
    CloseYear(CloseYearArgs),
    /// The computer clock: record that it was fast (correct).
    #[command(subcommand)]
    Clock(ClockCmd),
    /// Reports: day, session, board, settlement, stock, donations, budget.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Receipts: print (show) or reprint one by its number; copies are marked 重印 / REPRINT.
    #[command(subcommand)]
    Receipt(ReceiptCmd),
    /// Check the hash chain and rebuild all derived state from the events; or, with
    /// --receipt CODE, check a paper receipt against the ledger.
    Verify(VerifyArgs),
    /// Review the ledger read-only (the monitor's view).
    Monitor(MonitorArgs),
    /// Show this station's keys.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Stations known to a township: enroll, list, revoke.
    #[command(subcommand)]
    Station(StationCmd),
    /// Write a bundle of unacknowledged events for the other side.
    Export(ExportArgs),
    /// Import bundle files.
    Import(ImportArgs),
}
