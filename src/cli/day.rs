//! Closing the books: `aixin log` prints one day's events with its running (X) totals,
//! `aixin close-day` freezes a day's totals (Z report) and prints them, and `aixin close-year`
//! clears the balances of a finished year (一年一清) when the policy says so. The day's words
//! and totals are [`crate::report::day`]'s; whether a day or a year may close is the domain's.

use std::path::Path;

use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::parse_date;
use super::print::to_json;
use crate::domain::{Command, EventBody};
use crate::i18n::Lang;
use crate::report::day::day_report;
use crate::report::table::AsTable;
use crate::store::ledger::View;

/// Arguments of `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The day, YYYY-MM-DD (China time).
    #[arg(long)]
    pub date: Option<String>,
}

/// Arguments of `close-day`.
#[derive(Debug, Args)]
pub struct CloseDayArgs {
    /// The day, YYYY-MM-DD (default today).
    #[arg(long)]
    pub date: Option<String>,
}

/// Arguments of `close-year`.
#[derive(Debug, Args)]
pub struct CloseYearArgs {
    /// The year to clear.
    pub year: i32,
}

/// `aixin log [--date D]`.
pub fn log(ctx: &Context, args: LogArgs) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    show_day(ctx, &ledger.view()?, args.date.as_deref(), None)
}

/// `aixin close-day [--date D]`: the Z report, then the day as `log` prints it.
pub fn close_day(ctx: &Context, args: CloseDayArgs) -> Result<(), CliError> {
    let date = match args.date {
        Some(date) => date,
        None => ctx.today()?.to_string(),
    };
    let mut ledger = ctx.open()?;
    ctx.execute_on(&mut ledger, &Command::CloseDay { date: date.clone() })?;
    show_day(ctx, &ledger.view()?, Some(&date), None)
}

/// `aixin close-year YEAR`.
pub fn close_year(ctx: &Context, args: CloseYearArgs) -> Result<(), CliError> {
    let year = args.year;
    let events = ctx.execute(&Command::ClearYear { year })?;
    let (count, points) = match events.first().map(|e| &e.body) {
        Some(EventBody::YearCleared { cleared, .. }) => {
            (cleared.len(), cleared.iter().map(|(_, p)| p).sum::<i64>())
        }
        _ => (0, 0),
    };
    let text = match ctx.lang {
        Lang::Zh => format!("{year} 年清零完成：{count} 户，共 {points} 分"),
        Lang::En => format!("{year} cleared: {count} households, {points} points in all"),
    };
    ctx.out().print(
        &text,
        json!({ "year": year, "households": count, "points": points }),
    );
    Ok(())
}

/// One day's events and X/Z totals (today when no date is given), also written to `out`.
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
    ctx.out().write_table_to(out, &report.to_table(ctx.lang))?;
    ctx.out().print(&report.render(ctx.lang), to_json(&report));
    Ok(())
}
