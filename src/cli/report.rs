//! `aixin report`: a calendar day's log, a till session's X/Z report, the publicity board, the
//! quarterly settlement (added up over the villages at a township), the stock ledger, the
//! donation ledger, the village budget and the year's statistics — each printed as the paper form (the heading with
//! the station and period, the tables, the notes and the lines to sign) or JSON, and with
//! `--out` written as XLSX laid out for A4, CSV or text by the file's extension; any other
//! name is refused before anything is read or written. The figures and the forms are
//! [`crate::report`]'s; the default period is the domain's calendar.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::context::Context;
use super::error::CliError;
use super::print::{check_out, to_json};
use crate::domain::input::{self, count, Field};
use crate::domain::time::PeriodKind;
use crate::report::table::{render_sheet, station_label, AsSheet, Sheet};
use crate::report::township::settlement_for_station;
use crate::report::{
    board, budget_report, day_report, donation_report, session_report, stats_report, stock_report,
};
use crate::store::ledger::View;

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// A calendar day's events and their totals (a close covers a till session: see session).
    ///
    /// 某一天的流水和合计（日结按班次，见 session）
    Day {
        /// The day: 2026-11-21, 2026/11/21 or 2026年11月21日 (default today).
        ///
        /// 〈日期〉日期，如 2026-11-21、2026/11/21 或 2026年11月21日（默认今天）
        #[arg(long)]
        date: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
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
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Publicity board: a period's scores (by item where the policy has a score sheet) and
    /// points per household, ranked, with the publicity window.
    ///
    /// 公示榜：一期各户得分（有评分细则的按项列出）和积分排名，附公示时间
    Board {
        /// The period (default: the one just ended, which is being scored and posted now).
        ///
        /// 〈评分周期〉评分周期（默认：上一期，即正在评分和公示的一期）
        #[arg(long)]
        period: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Quarterly settlement per supplying merchant, with the lines the merchant signs.
    ///
    /// 按供货商户的季度结算，附商户签字栏
    Settlement {
        /// Quarter like 2026-Q4 or 2026年第4季度 (default: the current one).
        ///
        /// 〈季度〉季度，如 2026-Q4 或 2026年第4季度（默认：本季度）
        #[arg(long)]
        quarter: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Stock ledger (物品进出登记台账).
    ///
    /// 库存台账（物品进出登记台账）
    Stock {
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Donation ledger (捐赠台账).
    ///
    /// 捐赠台账
    Donations {
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The village points budget used per month (or quarter) against its limit.
    ///
    /// 全村积分预算：每月（或每季）已发积分与预算对照
    Budget {
        /// The year (default: this year).
        ///
        /// 〈年份〉年份（默认：今年）
        #[arg(long)]
        year: Option<String>,
        /// Also write the report: .xlsx (A4), .csv or .txt.
        ///
        /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
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
        #[arg(long)]
        year: Option<String>,
    },
}

/// A `--year` as typed (`2026`, `２０２６`, `2026年`), by the domain's one year normaliser.
fn report_year(raw: &str) -> Result<i32, CliError> {
    Ok(input::year(raw)?)
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
            ReportCmd::Stats { .. } => None,
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
            let session_no = session_no
                .map(|n| count(&n, Field::SessionNumber))
                .transpose()?;
            let report = session_report(&view, session_no)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Board { period, out } => {
            let kind = view.require_meta()?.policy.period;
            let period = match period {
                Some(p) => input::period(&p, kind)?,
                None => crate::domain::publicity::scored_period(ctx.today()?, kind),
            };
            let board = board(&view, &period)?;
            (board.to_sheet(lang, &station), to_json(&board), out)
        }
        ReportCmd::Settlement { quarter, out } => {
            let quarter = match quarter {
                Some(q) => input::period(&q, PeriodKind::Quarter)?,
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
                Some(year) => report_year(&year)?,
                None => ctx.today()?.year,
            };
            let report = budget_report(&view, year)?;
            (report.to_sheet(lang, &station), to_json(&report), out)
        }
        ReportCmd::Stats { year } => {
            let today = ctx.today()?;
            let year = match year {
                Some(raw) => report_year(&raw)?,
                None => today.year,
            };
            let report = stats_report(&view, year, today)?;
            ctx.out().print(&report.to_text(ctx.lang), to_json(&report));
            return Ok(());
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
