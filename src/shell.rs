//! The imperative shell behind the CLI's front door: opening the till, the demo and the
//! monitor, printing day logs and reports, and handing sync commands to [`crate::sync`].

use std::path::Path;

use crate::cli::{
    store_failure, Context, ExportArgs, Failure, ImportArgs, KeysCmd, MonitorArgs, ReportCmd,
    StationCmd, EXIT_STORAGE, EXIT_USAGE,
};
use crate::config;
use crate::domain::time::CivilDate;
use crate::store::Ledger;

/// `aixin`: the till on the station in the data directory.
pub fn run_till(ctx: &Context) -> Result<(), Failure> {
    std::fs::create_dir_all(&ctx.data_dir)
        .map_err(|e| (EXIT_USAGE, format!("{}: {e}", ctx.data_dir.display())))?;
    let path = config::ledger_path(&ctx.data_dir);
    let ledger = if path.exists() {
        Ledger::open(&path)
    } else {
        Ledger::create(&path)
    }
    .map_err(|e| store_failure(e, ctx.lang))?;
    open_tui(ctx, ledger, false)
}

/// `aixin --demo`: a throw-away station filled from `data/demo/`, removed on exit.
pub fn run_demo(ctx: &Context) -> Result<(), Failure> {
    let dir = tempfile::Builder::new()
        .prefix("aixin-demo-")
        .tempdir()
        .map_err(|e| (EXIT_STORAGE, e.to_string()))?;
    let demo_ctx = Context {
        data_dir: dir.path().to_path_buf(),
        lang: ctx.lang,
        operator: ctx.operator.clone(),
        json: ctx.json,
    };
    let mut ledger =
        Ledger::create(&config::ledger_path(dir.path())).map_err(|e| store_failure(e, ctx.lang))?;
    let now_ms = config::now_ms().map_err(|e| (EXIT_USAGE, e.to_string()))?;
    crate::demo::build_demo(&mut ledger, now_ms).map_err(|e| (EXIT_STORAGE, e.to_string()))?;
    after_init(&demo_ctx, &ledger)?;
    open_tui(&demo_ctx, ledger, false)
}

/// `aixin monitor`: the ledger read-only, or a bundle file.
pub fn run_monitor(ctx: &Context, args: MonitorArgs) -> Result<(), Failure> {
    if let Some(bundle) = args.bundle {
        return crate::sync::commands::monitor_bundle(ctx, &bundle);
    }
    let ledger = Ledger::open_read_only(&config::ledger_path(&ctx.data_dir))
        .map_err(|e| store_failure(e, ctx.lang))?;
    open_tui(ctx, ledger, true)
}

fn open_tui(ctx: &Context, ledger: Ledger, read_only: bool) -> Result<(), Failure> {
    let options = crate::tui::TuiOptions {
        lang: ctx.lang,
        operator: ctx.operator.clone(),
        receipts_dir: config::receipts_dir(&ctx.data_dir),
        mode: if read_only {
            crate::tui::TuiMode::Monitor
        } else {
            crate::tui::TuiMode::Till
        },
        config_dir: config::config_dir(),
        data_dir: ctx.data_dir.clone(),
    };
    crate::tui::run(ledger, options).map_err(|e| {
        let code = match e {
            crate::tui::TuiError::Keymap(_) | crate::tui::TuiError::Clock(_) => EXIT_USAGE,
            _ => EXIT_STORAGE,
        };
        (code, e.to_string())
    })
}

/// Station keys and whatever else a new station needs besides its ledger.
pub fn after_init(ctx: &Context, ledger: &Ledger) -> Result<(), Failure> {
    crate::sync::commands::after_init(ctx, ledger)
}

/// `aixin log` / `aixin report day`: one day's events and X/Z totals.
pub fn day_log(ctx: &Context, date: Option<&str>, out: Option<&Path>) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    day_log_in(ctx, &view, date, out)
}

fn day_log_in(
    ctx: &Context,
    view: &crate::store::ledger::View,
    date: Option<&str>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    let date = match date {
        Some(d) => CivilDate::parse(d)
            .ok_or_else(|| {
                (
                    EXIT_USAGE,
                    format!(
                        "{d}: {}",
                        ctx.lang
                            .pick("日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
                    ),
                )
            })?
            .to_string(),
        None => CivilDate::from_utc_ms(config::now_ms().map_err(|e| (EXIT_USAGE, e.to_string()))?)
            .to_string(),
    };
    let report =
        crate::report::day::day_report(view, &date).map_err(|e| store_failure(e, ctx.lang))?;
    write_out(
        ctx,
        out,
        &crate::report::table::AsTable::to_table(&report, ctx.lang),
    )?;
    emit(ctx, &report.render(ctx.lang), crate::cli::to_json(&report));
    Ok(())
}

fn emit(ctx: &Context, text: &str, value: serde_json::Value) {
    if ctx.json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

fn write_out(
    ctx: &Context,
    out: Option<&Path>,
    table: &crate::report::table::Table,
) -> Result<(), Failure> {
    let Some(path) = out else { return Ok(()) };
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let result = if is_xlsx {
        crate::report::table::write_xlsx(table, path)
    } else {
        crate::report::table::write_csv(table, path)
    };
    result.map_err(|e| (EXIT_STORAGE, e.to_string()))?;
    if !ctx.json {
        eprintln!("{} {}", ctx.lang.pick("已写入", "wrote"), path.display());
    }
    Ok(())
}

/// `aixin report …`.
pub fn report(ctx: &Context, command: ReportCmd) -> Result<(), Failure> {
    use crate::report::table::{render_text, AsTable};
    let ledger = ctx.open()?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    let now_ms = config::now_ms().map_err(|e| (EXIT_USAGE, e.to_string()))?;
    let today = CivilDate::from_utc_ms(now_ms);
    let fail = |e| store_failure(e, ctx.lang);
    match command {
        ReportCmd::Day { date, out } => day_log_in(ctx, &view, date.as_deref(), out.as_deref()),
        ReportCmd::Board { period, out } => {
            let meta = view.require_meta().map_err(fail)?;
            let period = period.unwrap_or_else(|| today.period(meta.policy.period).0);
            let board = crate::report::board::board(&view, &period).map_err(fail)?;
            let table = board.to_table(ctx.lang);
            write_out(ctx, out.as_deref(), &table)?;
            emit(ctx, &render_text(&table), crate::cli::to_json(&board));
            Ok(())
        }
        ReportCmd::Settlement { quarter, out } => {
            let quarter =
                quarter.unwrap_or_else(|| today.period(crate::domain::time::PeriodKind::Quarter).0);
            let settlement = settlement_for(&ledger, &view, &quarter).map_err(fail)?;
            let table = settlement.to_table(ctx.lang);
            write_out(ctx, out.as_deref(), &table)?;
            emit(ctx, &render_text(&table), crate::cli::to_json(&settlement));
            Ok(())
        }
        ReportCmd::Stock { out } => {
            let report = crate::report::stock::stock_report(&view).map_err(fail)?;
            let table = report.to_table(ctx.lang);
            write_out(ctx, out.as_deref(), &table)?;
            emit(ctx, &render_text(&table), crate::cli::to_json(&report));
            Ok(())
        }
        ReportCmd::Donations { out } => {
            let report = crate::report::donations::donation_report(&view).map_err(fail)?;
            let table = report.to_table(ctx.lang);
            write_out(ctx, out.as_deref(), &table)?;
            emit(ctx, &render_text(&table), crate::cli::to_json(&report));
            Ok(())
        }
    }
}

/// A village's own settlement; at the township, every village's added up per merchant.
fn settlement_for(
    ledger: &Ledger,
    view: &crate::store::ledger::View,
    quarter: &str,
) -> Result<crate::report::settlement::Settlement, crate::store::StoreError> {
    use crate::domain::StationRole;
    use crate::report::settlement::{merge_settlements, settlement};
    // Refuses a malformed quarter even when no village has reported yet.
    let own = settlement(view, quarter)?;
    if view.require_meta()?.role != StationRole::Township {
        return Ok(own);
    }
    let mut parts = Vec::new();
    for station in view.stations()? {
        let scope = ledger.view_of(&station)?;
        let is_village = scope
            .meta()?
            .is_some_and(|m| m.role == StationRole::Village);
        if station != ledger.station() && is_village {
            parts.push(settlement(&scope, quarter)?);
        }
    }
    Ok(merge_settlements(quarter, &parts))
}

/// `aixin keys …`.
pub fn keys(ctx: &Context, command: KeysCmd) -> Result<(), Failure> {
    crate::sync::commands::keys(ctx, command)
}

/// `aixin station …`.
pub fn station(ctx: &Context, command: StationCmd) -> Result<(), Failure> {
    crate::sync::commands::station(ctx, command)
}

/// `aixin export …`.
pub fn export(ctx: &Context, args: ExportArgs) -> Result<(), Failure> {
    crate::sync::commands::export(ctx, args)
}

/// `aixin import …`.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<(), Failure> {
    crate::sync::commands::import(ctx, args)
}
