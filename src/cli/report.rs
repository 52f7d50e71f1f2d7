//! `aixin report`: a calendar day's log, a till session's X/Z report, the publicity board, the quarterly settlement (added
//! up over the villages at a township), the stock ledger and the donation ledger, printed as
//! aligned text (or JSON) and, with `--out`, written as CSV or XLSX. The figures are
//! [`crate::report`]'s; the default period is the domain's calendar.

use std::path::PathBuf;

use clap::Subcommand;

use super::context::Context;
use super::day::{show_day, show_session};
use super::error::CliError;
use super::print::to_json;
use crate::domain::input::{self, count, Field};
use crate::domain::time::PeriodKind;
use crate::report::table::{render_text, AsTable};
use crate::report::township::settlement_for_station;
use crate::report::{board, donation_report, stock_report};

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// A calendar day's events and their totals (a close covers a till session: see session).
    ///
    /// 某一天的流水和合计（日结按班次，见 session）
    Day {
        /// YYYY-MM-DD (default today).
        ///
        /// 〈日期〉日期 YYYY-MM-DD（默认今天）
        #[arg(long)]
        date: Option<String>,
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A till session: the open one's running totals (X), or closed Z report number N.
    ///
    /// 班次报表：当前班次的累计（X 报表），或已日结的第 N 号 Z 报表
    Session {
        /// The Z number of a closed session (default: the open session).
        ///
        /// 〈日结号〉已日结班次的 Z 号（默认：当前班次）
        #[arg(long = "z", value_name = "N")]
        session_no: Option<String>,
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Publicity board: a period's points per household, ranked.
    ///
    /// 公示榜：一期各户积分排名
    Board {
        /// The period (default: the current one).
        ///
        /// 〈评分周期〉评分周期（默认：本期）
        #[arg(long)]
        period: Option<String>,
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Quarterly settlement per supplying merchant.
    ///
    /// 按供货商户的季度结算
    Settlement {
        /// Quarter like 2026-Q4 (default: the current one).
        ///
        /// 〈季度〉季度，如 2026-Q4（默认：本季度）
        #[arg(long)]
        quarter: Option<String>,
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Stock ledger.
    ///
    /// 库存台账
    Stock {
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Donation ledger.
    ///
    /// 捐赠台账
    Donations {
        /// Also write CSV or XLSX (by extension).
        ///
        /// 〈文件〉同时写成 .csv 或 .xlsx 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
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
            let session_no = session_no
                .map(|n| count(&n, Field::SessionNumber))
                .transpose()?;
            return show_session(ctx, &view, session_no, out.as_deref());
        }
        ReportCmd::Board { period, out } => {
            let kind = view.require_meta()?.policy.period;
            let period = match period {
                Some(p) => input::period(&p, kind)?,
                None => today.period(kind).0,
            };
            let board = board(&view, &period)?;
            (board.to_table(ctx.lang), to_json(&board), out)
        }
        ReportCmd::Settlement { quarter, out } => {
            let quarter = match quarter {
                Some(q) => input::period(&q, PeriodKind::Quarter)?,
                None => today.period(PeriodKind::Quarter).0,
            };
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
    };
    ctx.out().write_table_to(out.as_deref(), &table)?;
    ctx.out().print(&render_text(&table), json);
    Ok(())
}
