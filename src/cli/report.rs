//! `aixin report`: a calendar day's log, a till session's X/Z report, the publicity board, the
//! quarterly settlement (added up over the villages at a township), the stock ledger, the
//! donation ledger and the village budget — each printed as the paper form (the heading with
//! the station and period, the tables, the notes and the lines to sign) or JSON, and with
//! `--out` written as XLSX laid out for A4, CSV or text by the file's extension; any other
//! name is refused before anything is read or written. The figures and the forms are
//! [`crate::report`]'s; the default period is the domain's calendar.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::context::Context;
use super::error::CliError;
use super::print::{check_out, to_json};
use crate::domain::time::PeriodKind;
use crate::report::table::{render_sheet, station_label, AsSheet, Sheet};
use crate::report::township::settlement_for_station;
use crate::report::{
    board, budget_report, day_report, donation_report, session_report, stock_report,
};
use crate::store::ledger::View;

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// A calendar day's events and their totals (a close covers a till session: see session).
    Day {
        /// YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A till session: the open one's running totals (X), or closed Z report number N.
    Session {
        /// The Z number of a closed session (default: the open session).
        #[arg(long = "z", value_name = "N")]
        session_no: Option<u64>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Publicity board: a period's scores (by item where the policy has a score sheet) and
    /// points per household, ranked, with the publicity window.
    Board {
        /// The period (default: the current one).
        #[arg(long)]
        period: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Quarterly settlement per supplying merchant, with the lines the merchant signs.
    Settlement {
        /// Quarter like 2026-Q4 (default: the current one).
        #[arg(long)]
        quarter: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Stock ledger (物品进出登记台账).
    Stock {
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Donation ledger (捐赠台账).
    Donations {
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The village points budget used per month (or quarter) against its limit.
    Budget {
        /// The year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl ReportCmd {
    fn out(&self) -> Option<&Path> {
        match self {
            ReportCmd::Day { out, .. }
            | ReportCmd::Session { out, .. }
            | ReportCmd::Board { out, .. }
            | ReportCmd::Settlement { out, .. }
            | ReportCmd::Stock { out }
            | ReportCmd::Donations { out }
            | ReportCmd::Budget { out, .. } => out.as_deref(),
        }
    }
}

/// `aixin report …`.
pub fn run(ctx: &Context, command: ReportCmd) -> Result<(), CliError> {
    check_out(command.out())?;
    let ledger = ctx.open()?;
    let view = ledger.view()?;
    let station = station_of(ctx, &view)?;
    let lang = ctx.lang;
    let (sheet, json, out): (Sheet, _, _) = match command {
        ReportCmd::Day { date, out } => {
            let date = match date {
                Some(text) => super::input::parse_date(&text)?,
                None => ctx.today()?,
            };
            let report = day_report(&view, &date.to_string())?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Session { session_no, out } => {
            let report = session_report(&view, session_no)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Board { period, out } => {
            let kind = view.require_meta()?.policy.period;
            let period = match period {
                Some(period) => period,
                None => ctx.today()?.period(kind).0,
            };
            let board = board(&view, &period)?;
            (board.to_sheet(lang, &station), to_json(&board), out)
        }
        ReportCmd::Settlement { quarter, out } => {
            let quarter = match quarter {
                Some(quarter) => quarter,
                None => ctx.today()?.period(PeriodKind::Quarter).0,
            };
            let settlement = settlement_for_station(&ledger, &view, &quarter)?;
            (
                settlement.to_sheet(lang, &station),
                to_json(&settlement),
                out,
            )
        }
        ReportCmd::Stock { out } => {
            let report = stock_report(&view)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Donations { out } => {
            let report = donation_report(&view)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Budget { year, out } => {
            let year = match year {
                Some(year) => year,
                None => ctx.today()?.year,
            };
            let report = budget_report(&view, year)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
    };
    ctx.out().write_sheet_to(out.as_deref(), &sheet)?;
    ctx.out().print(&render_sheet(&sheet), json);
    Ok(())
}

/// The station as its reports are headed: `李家村爱心超市（LJC01）`.
pub fn station_of(ctx: &Context, view: &View) -> Result<String, CliError> {
    let meta = view.require_meta()?;
    Ok(station_label(&meta.name, &meta.station_id, ctx.lang))
}
