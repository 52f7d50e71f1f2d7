//! `aixin report`: a calendar day's log, a till session's X/Z report, the publicity board, the quarterly settlement (added
//! up over the villages at a township), the stock ledger, the donation ledger and the year's
//! statistics, printed as aligned text (or JSON) and, except the statistics' three tables,
//! with `--out`, written as CSV or XLSX. The figures are
//! [`crate::report`]'s; the default period is the domain's calendar.

use std::path::PathBuf;

use clap::Subcommand;

use super::context::Context;
use super::day::{show_day, show_session};
use super::error::CliError;
use super::print::to_json;
use crate::domain::time::PeriodKind;
use crate::report::table::{render_text, AsTable};
use crate::report::township::settlement_for_station;
use crate::report::{board, donation_report, stats_report, stock_report};

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// A calendar day's events and their totals (a close covers a till session: see session).
    Day {
        /// YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A till session: the open one's running totals (X), or closed Z report number N.
    Session {
        /// The Z number of a closed session (default: the open session).
        #[arg(long = "z", value_name = "N")]
        session_no: Option<u64>,
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Publicity board: a period's points per household, ranked.
    Board {
        /// The period (default: the current one).
        #[arg(long)]
        period: Option<String>,
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Quarterly settlement per supplying merchant.
    Settlement {
        /// Quarter like 2026-Q4 (default: the current one).
        #[arg(long)]
        quarter: Option<String>,
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Stock ledger.
    Stock {
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Donation ledger.
    Donations {
        /// Also write CSV or XLSX (by extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Statistics: points awarded and spent per month, the fast-moving goods' stock over the
    /// last 8 weeks, the village budget used against its limit.
    ///
    /// 统计：每月发放和兑换的积分、近 8 周快销物品的库存、村级积分预算的使用
    Stats {
        /// The calendar year of the monthly figures (default: this year).
        ///
        /// 〈年份〉按月统计的年份（默认：今年）
        #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
        year: Option<i32>,
    },
}

/// `aixin report …`.
pub fn run(ctx: &Context, command: ReportCmd) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let view = ledger.view()?;
    let today = ctx.today()?;
    let (table, json, out) = match command {
        ReportCmd::Day { date, out } => {
            return show_day(ctx, &view, date.as_deref(), out.as_deref())
        }
        ReportCmd::Session { session_no, out } => {
            return show_session(ctx, &view, session_no, out.as_deref())
        }
        ReportCmd::Board { period, out } => {
            let kind = view.require_meta()?.policy.period;
            let period = period.unwrap_or_else(|| today.period(kind).0);
            let board = board(&view, &period)?;
            (board.to_table(ctx.lang), to_json(&board), out)
        }
        ReportCmd::Settlement { quarter, out } => {
            let quarter = quarter.unwrap_or_else(|| today.period(PeriodKind::Quarter).0);
            let settlement = settlement_for_station(&ledger, &view, &quarter)?;
            let json = to_json(&settlement);
            (settlement.to_table(ctx.lang), json, out)
        }
        ReportCmd::Stock { out } => {
            let report = stock_report(&view)?;
            (report.to_table(ctx.lang), to_json(&report), out)
        }
        ReportCmd::Donations { out } => {
            let report = donation_report(&view)?;
            (report.to_table(ctx.lang), to_json(&report), out)
        }
        ReportCmd::Stats { year } => {
            let report = stats_report(&view, year.unwrap_or(today.year), today)?;
            ctx.out().print(&report.to_text(ctx.lang), to_json(&report));
            return Ok(());
        }
    };
    ctx.out().write_table_to(out.as_deref(), &table)?;
    ctx.out().print(&render_text(&table), json);
    Ok(())
}
