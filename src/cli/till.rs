//! The till's front doors on the command line: `aixin` opens the till on the station in the
//! data directory (creating the ledger on first run, for the setup screen), `aixin --demo`
//! opens it on a throw-away demo station, and `aixin monitor` opens the ledger read-only for
//! the monitor (监督员), or reviews a bundle file with `--bundle`. The till itself is
//! [`crate::tui`]; this only opens the ledger and hands it over.

use std::path::PathBuf;

use clap::Args;

use super::context::Context;
use super::error::CliError;
use super::init::make_keys;
use super::sync::review_bundle;
use crate::config;
use crate::demo::{DEMO_MANAGER, DEMO_MANAGER_PIN, DEMO_MONITOR, DEMO_MONITOR_PIN};
use crate::receipt::output::ReceiptSettings;
use crate::store::Ledger;
use crate::tui::{TuiLogin, TuiMode, TuiOptions};

/// Arguments of `monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Review a bundle file instead of the ledger.
    ///
    /// 〈数据包文件〉只读查看一个数据包文件，而不是账本
    #[arg(long)]
    pub bundle: Option<PathBuf>,
}

/// Refuses to open the till unless stdin and stdout are a terminal: a till started from a
/// script or with its output redirected would wait for keys no one can press.
fn require_terminal() -> Result<(), CliError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(CliError::NoTerminal)
    }
}

/// `aixin`: the till on the station in the data directory.
pub fn run_till(ctx: &Context) -> Result<(), CliError> {
    require_terminal()?;
    ctx.create_data_dir()?;
    let path = ctx.ledger_path();
    let ledger = if path.exists() {
        Ledger::open(&path)?
    } else {
        Ledger::create(&path)?
    };
    open_tui(ctx, ledger, TuiMode::Till, TuiLogin::Ask, None)
}

/// `aixin --demo`: a throw-away station filled from `data/demo/`, removed on exit.
pub fn run_demo(ctx: &Context) -> Result<(), CliError> {
    require_terminal()?;
    let dir = tempfile::Builder::new()
        .prefix("aixin-demo-")
        .tempdir()
        .map_err(CliError::TempDir)?;
    let demo = ctx.with_data_dir(dir.path().to_path_buf());
    let mut ledger = Ledger::create(&demo.ledger_path())?;
    let now_ms = demo.now_ms()?;
    crate::demo::build_demo(&mut ledger, now_ms)?;
    crate::demo::add_demo_operators(&mut ledger, now_ms)?;
    make_keys(&demo)?;
    let notice = match ctx.lang {
        crate::i18n::Lang::Zh => format!(
            "演示站：已自动以 {DEMO_MANAGER} 登录（管理员密码 {DEMO_MANAGER_PIN}；监督员 {DEMO_MONITOR}，密码 {DEMO_MONITOR_PIN}）"
        ),
        crate::i18n::Lang::En => format!(
            "demo station: logged in as {DEMO_MANAGER} (manager PIN {DEMO_MANAGER_PIN}; monitor {DEMO_MONITOR} PIN {DEMO_MONITOR_PIN})"
        ),
    };
    let login = TuiLogin::As(DEMO_MANAGER.to_string());
    open_tui(&demo, ledger, TuiMode::Till, login, Some(notice))
}

/// `aixin monitor`: the ledger read-only, or a bundle file with `--bundle` (JSON with
/// `--json`). The ledger's view is a screen, so `--json` without `--bundle` is refused
/// ([`CliError::MonitorJson`]) before anything is opened.
pub fn monitor(ctx: &Context, args: MonitorArgs) -> Result<(), CliError> {
    if let Some(bundle) = args.bundle {
        return review_bundle(ctx, &bundle);
    }
    if ctx.json {
        return Err(CliError::MonitorJson);
    }
    // The ledger first: "the till has it open" says more than "no terminal".
    let ledger = Ledger::open_read_only(&ctx.ledger_path())?;
    require_terminal()?;
    // Looking needs no login; the header names the operator only when they are one of the
    // station's, and otherwise says who is looking: the monitor.
    let operators = ledger
        .view()
        .and_then(|v| v.meta())
        .ok()
        .flatten()
        .map(|m| m.operators)
        .unwrap_or_default();
    let known = operators.is_empty() || operators.iter().any(|o| o.name == ctx.operator);
    let who = if known {
        ctx.operator.clone()
    } else {
        ctx.t("监督员", "monitor").to_string()
    };
    open_tui(ctx, ledger, TuiMode::Monitor, TuiLogin::As(who), None)
}

fn open_tui(
    ctx: &Context,
    ledger: Ledger,
    mode: TuiMode,
    login: TuiLogin,
    notice: Option<String>,
) -> Result<(), CliError> {
    // A broken station.toml is refused before the till opens; the monitor prints nothing.
    let receipt = match mode {
        TuiMode::Till => config::StationConfig::load(&ctx.data_dir)?.receipt,
        TuiMode::Monitor => ReceiptSettings::default(),
    };
    let options = TuiOptions {
        lang: ctx.lang,
        operator: ctx.operator.clone(),
        receipts_dir: config::receipts_dir(&ctx.data_dir),
        receipt,
        mode,
        config_dir: config::config_dir(),
        data_dir: ctx.data_dir.clone(),
        login,
        notice,
    };
    Ok(crate::tui::run(ledger, options)?)
}
