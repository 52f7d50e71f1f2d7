//! Closing the books: `aixin log` prints a calendar day's events, `aixin close-day` closes the
//! till session (日结: everything since the previous close, whatever the clock says) and prints
//! its Z report, `report session` prints the open session's X or a closed Z, and
//! `aixin close-year` shows what year-end clearing (一年一清) removes, with the year's honours,
//! and clears it. The words and totals are [`crate::report`]'s; whether a session or a year
//! may close is the domain's.

use std::path::Path;

use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::parse_date;
use super::print::{check_out, to_json};
use crate::domain::input;
use crate::domain::{Command, EventBody};
use crate::report::day::{day_report, session_report};
use crate::report::table::{AsSheet, AsTable};
use crate::report::year_end::year_end_sheet;
use crate::store::ledger::View;

/// Arguments of `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The day: 2026-11-21, 2026/11/21 or 2026年11月21日 (China time; default today).
    ///
    /// 〈日期〉日期，如 2026-11-21、2026/11/21 或 2026年11月21日（北京时间，默认今天）
    #[arg(long)]
    pub date: Option<String>,
}

/// Arguments of `close-day`.
#[derive(Debug, Args)]
pub struct CloseDayArgs {
    /// Also write the Z report: .xlsx (A4), .csv or .txt.
    ///
    /// 〈文件〉同时把 Z 报表写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// Arguments of `close-year`.
#[derive(Debug, Args)]
pub struct CloseYearArgs {
    /// The year to clear (its credit and any earlier year's that is left).
    ///
    /// 〈年份〉要清零的年份（连同更早年份剩下的积分）
    pub year: String,
    /// Only show what would be cleared, and the honours; change nothing.
    ///
    /// 只预览要清零的积分和光荣榜，不做改动
    #[arg(long)]
    pub preview: bool,
    /// Also write the sheet: .xlsx (A4), .csv or .txt.
    ///
    /// 〈文件〉同时写成 .xlsx（A4 打印）、.csv 或 .txt 文件（按扩展名）
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// `aixin log [--date D]`.
pub fn log(ctx: &Context, args: LogArgs) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    show_day(ctx, &ledger.view()?, args.date.as_deref(), None)
}

/// `aixin close-day`: closes the open till session and prints its Z report.
pub fn close_day(ctx: &Context, args: CloseDayArgs) -> Result<(), CliError> {
    check_out(args.out.as_deref())?;
    let mut ledger = ctx.open()?;
    let events = ctx.execute_on(&mut ledger, &Command::CloseSession)?;
    let closed = events.iter().find_map(|e| match e.body {
        EventBody::SessionClosed { session_no, .. } => Some(session_no),
        _ => None,
    });
    show_session(ctx, &ledger.view()?, closed, args.out.as_deref())
}

/// `aixin close-year YEAR [--preview]`: the sheet, then (without `--preview`) the clearing.
pub fn close_year(ctx: &Context, args: CloseYearArgs) -> Result<(), CliError> {
    check_out(args.out.as_deref())?;
    let mut ledger = ctx.open()?;
    let year = input::year(&args.year)?;
    let sheet = year_end_sheet(&ledger.view()?, year, ctx.today()?)?;
    if !args.preview {
        ctx.execute_on(&mut ledger, &Command::ClearYear { year })?;
    }
    ctx.out()
        .write_table_to(args.out.as_deref(), &sheet.to_table(ctx.lang))?;
    let p = &sheet.preview;
    let done = match (args.preview, ctx.lang) {
        (true, crate::i18n::Lang::Zh) => format!(
            "（预览：尚未清零；确认无误后运行 aixin close-year {}）",
            p.year
        ),
        (true, crate::i18n::Lang::En) => format!(
            "(preview: nothing cleared yet; run aixin close-year {} to clear)",
            p.year
        ),
        (false, crate::i18n::Lang::Zh) => format!(
            "{} 年清零完成：{} 户，共 {} 分",
            p.year,
            p.households.len(),
            p.total_points
        ),
        (false, crate::i18n::Lang::En) => format!(
            "{} cleared: {} households, {} points in all",
            p.year,
            p.households.len(),
            p.total_points
        ),
    };
    let mut value = to_json(&sheet);
    if let Some(map) = value.as_object_mut() {
        map.insert("cleared".into(), json!(!args.preview));
    }
    ctx.out()
        .print(&format!("{}{done}", sheet.render(ctx.lang)), value);
    Ok(())
}

/// One calendar day's events and their totals (today when no date is given), also written to
/// `out`.
pub fn show_day(
    ctx: &Context,
    view: &View,
    date: Option<&str>,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let date = match date {
        Some(text) => parse_date(text)?,
        None => ctx.today()?,
    };
    let report = day_report(view, &date.to_string())?;
    let station = super::report::station_of(ctx, view)?;
    ctx.out()
        .write_sheet_to(out, &report.to_sheet(ctx.lang, &station))?;
    ctx.out().print(&report.render(ctx.lang), to_json(&report));
    Ok(())
}

/// A till session's report: the open one's X (`None`) or Z number `session_no`, also written
/// to `out`.
pub fn show_session(
    ctx: &Context,
    view: &View,
    session_no: Option<u64>,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let report = session_report(view, session_no)?;
    let station = super::report::station_of(ctx, view)?;
    ctx.out()
        .write_sheet_to(out, &report.to_sheet(ctx.lang, &station))?;
    ctx.out().print(&report.render(ctx.lang), to_json(&report));
    Ok(())
}
