//! The command line: every action a manager takes in the till also exists here, so it can be
//! scripted and tested headless. Each subcommand turns its arguments into a domain command or a
//! query, runs it through the same `Ledger` the till uses, and prints text (or JSON with
//! `--json`). No rules live here.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use serde_json::json;

use crate::config;
use crate::domain::event::{Goods, Household, StationRole, StockSource};
use crate::domain::state::{AwardStatus, HouseholdRecord};
use crate::domain::time::{format_local, CivilDate};
use crate::domain::{Command, Event, EventBody, HouseholdRef, Policy};
use crate::i18n::Lang;
use crate::import::{self, CsvError, Row};
use crate::store::ledger::View;
use crate::store::verify::verify_all;
use crate::store::{Ledger, StoreError};

/// A failed run: exit code and one-line message.
pub type Failure = (u8, String);

/// Exit code: refused by a rule.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code: bad usage or bad input file.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the ledger file cannot be used.
pub const EXIT_STORAGE: u8 = 3;

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
    Void {
        /// The sale number printed on the receipt.
        sale: u64,
        /// Why (recorded in the ledger).
        #[arg(long)]
        reason: String,
    },
    /// A household's points, by card number or household id.
    Balance {
        /// Card number or household id.
        who: String,
    },
    /// One day's events and totals (today by default).
    Log {
        /// The day, YYYY-MM-DD (China time).
        #[arg(long)]
        date: Option<String>,
    },
    /// Close the day: freeze its totals (Z report).
    CloseDay {
        /// The day, YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Clear all balances for a finished year (一年一清), if the policy says so.
    CloseYear {
        /// The year to clear.
        year: i32,
    },
    /// Reports: day, board, settlement, stock, donations.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Check the hash chain and rebuild all derived state from the events.
    Verify,
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
    /// Township or county: publish every verified event into PostgreSQL (re-runs send only what is new).
    Publish(PublishArgs),
}

/// Arguments of `publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// PostgreSQL: postgresql://user:password@host:5432/dbname (or libpq `host=… dbname=…`).
    #[arg(long, env = "AIXIN_POSTGRES", value_name = "URL")]
    pub postgres: String,
    /// Events per transaction.
    #[arg(long, default_value_t = crate::publish::BATCH_EVENTS_DEFAULT,
          value_parser = clap::value_parser!(u64).range(1..=crate::publish::BATCH_EVENTS_MAX))]
    pub batch: u64,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Station id, e.g. LJC01.
    #[arg(long)]
    pub station_id: Option<String>,
    /// Station name, e.g. 李家村爱心超市.
    #[arg(long)]
    pub name: Option<String>,
    /// village or township.
    #[arg(long, default_value = "village")]
    pub role: String,
    /// A shipped policy (direct-points, threshold-score, quarterly-ranked, daily-action, member-card) or a TOML file.
    #[arg(long, default_value = "threshold-score")]
    pub policy: String,
    /// Fill the station with the demo households, goods and history.
    #[arg(long)]
    pub demo: bool,
}

/// Household subcommands.
#[derive(Debug, Subcommand)]
pub enum HouseholdCmd {
    /// Register a household.
    Add {
        /// Household id.
        #[arg(long)]
        id: String,
        /// Card number.
        #[arg(long)]
        card: String,
        /// Head of household.
        #[arg(long)]
        head: String,
        /// Other members, separated by ';'.
        #[arg(long, default_value = "")]
        members: String,
        /// Village group.
        #[arg(long, default_value = "")]
        group: String,
        /// Phone.
        #[arg(long, default_value = "")]
        phone: String,
        /// Registered-poor household (建档立卡).
        #[arg(long)]
        poor: bool,
    },
    /// List households (optionally by name prefix).
    List {
        /// Head's name prefix.
        #[arg(long)]
        name: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Show one household by id or card.
    Show {
        /// Household id or card number.
        who: String,
    },
    /// Import households from CSV (household_id,card_no,head,members,group,phone,registered_poor).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// Replace a lost card: the old number stops working at once.
    ReissueCard {
        /// Household id.
        household: String,
        /// The new card number.
        new_card: String,
    },
}

/// Goods subcommands.
#[derive(Debug, Subcommand)]
pub enum GoodsCmd {
    /// Add or change a catalog item.
    Add {
        /// Goods id.
        #[arg(long)]
        id: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// Price in points.
        #[arg(long, allow_hyphen_values = true)]
        price: i64,
        /// Zone: 2, 5, 10, 20, 30, 50 or donation.
        #[arg(long)]
        zone: String,
        /// Unit (袋, 瓶…).
        #[arg(long, default_value = "个")]
        unit: String,
        /// Barcode.
        #[arg(long, default_value = "")]
        barcode: String,
        /// Category.
        #[arg(long, default_value = "")]
        category: String,
        /// Supplying merchant (for settlement).
        #[arg(long, default_value = "")]
        supplier: String,
    },
    /// List the catalog with stock.
    List,
    /// Import goods from CSV (goods_id,name,unit,barcode,price_points,zone,category,supplier).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Stock subcommands.
#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Receive stock: give exactly one of --donor, --fund, --from.
    Receive {
        /// Goods id or barcode.
        goods: String,
        /// Units received.
        #[arg(allow_hyphen_values = true)]
        quantity: i64,
        /// Donated by.
        #[arg(long)]
        donor: Option<String>,
        /// Bought with this fund.
        #[arg(long)]
        fund: Option<String>,
        /// Total cost in fen (with --fund).
        #[arg(long, default_value_t = 0)]
        cost_fen: i64,
        /// Transferred from (township or station).
        #[arg(long)]
        from: Option<String>,
    },
    /// Record a stocktake difference (negative for a loss).
    Adjust {
        /// Goods id or barcode.
        goods: String,
        /// Difference in units, e.g. -2.
        #[arg(allow_hyphen_values = true)]
        delta: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Stock levels.
    List,
}

/// Score subcommands.
#[derive(Debug, Subcommand)]
pub enum ScoreCmd {
    /// Enter one household's score for a period.
    Enter {
        /// Household id.
        household: String,
        /// Period: 2026-11 (month), 2026-Q4 (quarter) or 2026-11-21 (day), per the policy.
        period: String,
        /// The committee's score.
        #[arg(allow_hyphen_values = true)]
        score: i64,
        /// A note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import scores from CSV (household_id,period,score,note).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Award subcommands.
#[derive(Debug, Subcommand)]
pub enum AwardCmd {
    /// Confirm awards whose publicity is over (by number, or all due with --due).
    Confirm {
        /// Award numbers.
        awards: Vec<u64>,
        /// Confirm every pending award whose publicity is over.
        #[arg(long)]
        due: bool,
    },
    /// Revoke a pending award after an objection.
    Revoke {
        /// Award number.
        award: u64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// List awards.
    List {
        /// Only those still in publicity.
        #[arg(long)]
        pending: bool,
    },
}

/// Arguments of `redeem`.
#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// Card number (or household id with --by-id).
    pub who: String,
    /// Lines as GOODS[:QTY], goods by id or barcode.
    #[arg(required = true)]
    pub lines: Vec<String>,
    /// Treat WHO as a household id.
    #[arg(long)]
    pub by_id: bool,
    /// Who collects on the household's behalf (代领人).
    #[arg(long)]
    pub proxy: Option<String>,
}

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// The day's X report (running totals) or the Z report once closed.
    Day {
        /// YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
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
}

/// Arguments of `monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Review a bundle file instead of the ledger.
    #[arg(long)]
    pub bundle: Option<PathBuf>,
}

/// Key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Print public keys and the fingerprint to read over the phone.
    Show,
}

/// Station roster subcommands: trust, revoke, and (township) send things to villages.
#[derive(Debug, Subcommand)]
pub enum StationCmd {
    /// Trust a station's public key line (from `aixin keys show` on the other computer).
    Enroll {
        /// The `aixin-pub1:` line.
        key_line: String,
        /// The fingerprint read over the phone, to double-check.
        #[arg(long)]
        fingerprint: Option<String>,
        /// At a village: this line is the township's (the village's one sync partner).
        #[arg(long)]
        township: bool,
    },
    /// Known stations and their sync state (last sync, acknowledged and held heads).
    List,
    /// Revoke a station's key from a date (a stolen laptop).
    Revoke {
        /// Station id.
        station: String,
        /// Refuse bundles created from this date on, YYYY-MM-DD (default: now).
        #[arg(long)]
        from: Option<String>,
    },
    /// Township: ship goods from the township's stock to a village (arrives with the next reply bundle).
    Ship {
        /// Village station id.
        station: String,
        /// Goods id.
        goods: String,
        /// Units.
        #[arg(allow_hyphen_values = true)]
        quantity: i64,
    },
    /// Township: set a village's policy (a shipped policy name or a TOML file).
    IssuePolicy {
        /// Village station id.
        station: String,
        /// Policy name or file.
        policy: String,
    },
    /// Township: add the county's households to a village's list (CSV as for `household import`).
    IssueHouseholds {
        /// Village station id.
        station: String,
        /// The CSV file.
        file: PathBuf,
    },
    /// Township: per-village totals and anomalies (gaps, forks, revoked keys, overruns…).
    Report {
        /// Also write the villages as CSV or XLSX (by extension); anomalies go beside it as `<name>-anomalies.<ext>`.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder on the USB stick.
    #[arg(long)]
    pub to: PathBuf,
    /// Recipient station id (default: the village's township, or every village for a township).
    #[arg(long)]
    pub recipient: Option<String>,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle files (or folders holding them).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// The settings every subcommand needs.
pub struct Context {
    /// The data directory.
    pub data_dir: PathBuf,
    /// Output language.
    pub lang: Lang,
    /// Who is at the keyboard.
    pub operator: String,
    /// JSON output.
    pub json: bool,
}

impl Context {
    fn ledger_path(&self) -> PathBuf {
        config::ledger_path(&self.data_dir)
    }

    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// Opens the ledger for the till's own commands. Reads open it this way too: redb refuses a
    /// read-only open while the till holds the file, and only a read-write open repairs it after
    /// an unclean shutdown.
    pub(crate) fn open(&self) -> Result<Ledger, Failure> {
        Ledger::open(&self.ledger_path()).map_err(|e| store_failure(e, self.lang))
    }

    fn print(&self, text: &str, value: serde_json::Value) {
        if self.json {
            println!("{value}");
        } else if !text.is_empty() {
            println!("{text}");
        }
    }
}

/// Maps a store error to an exit code and message.
pub fn store_failure(e: StoreError, lang: Lang) -> Failure {
    let code = match e {
        StoreError::Refused(_) | StoreError::BatchRefused { .. } => EXIT_REFUSED,
        StoreError::NotFound(_) | StoreError::AlreadyExists(_) => EXIT_USAGE,
        _ => EXIT_STORAGE,
    };
    (code, e.message(lang))
}

fn usage(message: String) -> Failure {
    (EXIT_USAGE, message)
}

/// Now from the clock (or `AIXIN_NOW`), or the usage error that says what is wrong with it.
pub(crate) fn now(lang: Lang) -> Result<i64, Failure> {
    config::now_ms().map_err(|e| {
        usage(
            lang.pick(&format!("AIXIN_NOW 不是合法时间：{}", e.0), &e.to_string())
                .to_string(),
        )
    })
}

/// Runs the program with these arguments; `Err` carries the exit code and message.
pub fn main_with_args<I, T>(args: I) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return if code == 0 {
                Ok(())
            } else {
                Err((code, String::new()))
            };
        }
    };
    let lang = Lang::parse(&cli.lang)
        .ok_or_else(|| usage(format!("--lang must be zh or en, not '{}'", cli.lang)))?;
    let data_dir = match cli.data_dir.clone() {
        Some(dir) => dir,
        None => config::default_data_dir().ok_or_else(|| {
            usage(
                lang.pick(
                    "找不到数据目录，请用 --data-dir 指定",
                    "no data directory; give one with --data-dir",
                )
                .into(),
            )
        })?,
    };
    let ctx = Context {
        data_dir,
        lang,
        operator: cli.operator.clone(),
        json: cli.json,
    };
    if cli.demo && cli.command.is_none() {
        return crate::shell::run_demo(&ctx);
    }
    let Some(command) = cli.command else {
        return crate::shell::run_till(&ctx);
    };
    run(&ctx, command)
}

fn run(ctx: &Context, command: Cmd) -> Result<(), Failure> {
    match command {
        Cmd::Init(args) => init(ctx, args),
        Cmd::Household(c) => household(ctx, c),
        Cmd::Goods(c) => goods(ctx, c),
        Cmd::Stock(c) => stock(ctx, c),
        Cmd::Score(c) => score(ctx, c),
        Cmd::Award(c) => award(ctx, c),
        Cmd::Redeem(args) => redeem(ctx, args),
        Cmd::Void { sale, reason } => {
            let events = execute(
                ctx,
                &Command::VoidSale {
                    sale_seq: sale,
                    reason,
                },
            )?;
            let text = format!("{} #{sale}", ctx.t("已作废兑换", "voided sale"));
            ctx.print(
                &text,
                json!({ "voided": sale, "event_seq": first_seq(&events) }),
            );
            Ok(())
        }
        Cmd::Balance { who } => balance(ctx, &who),
        Cmd::Log { date } => crate::shell::day_log(ctx, date.as_deref(), None),
        Cmd::CloseDay { date } => close_day(ctx, date),
        Cmd::CloseYear { year } => {
            let events = execute(ctx, &Command::ClearYear { year })?;
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
            ctx.print(
                &text,
                json!({ "year": year, "households": count, "points": points }),
            );
            Ok(())
        }
        Cmd::Report(c) => crate::shell::report(ctx, c),
        Cmd::Verify => verify(ctx),
        Cmd::Monitor(args) => crate::shell::run_monitor(ctx, args),
        Cmd::Keys(c) => crate::shell::keys(ctx, c),
        Cmd::Station(c) => crate::shell::station(ctx, c),
        Cmd::Export(args) => crate::shell::export(ctx, args),
        Cmd::Import(args) => crate::shell::import(ctx, args),
        Cmd::Publish(args) => crate::publish::command::run(ctx, &args.postgres, args.batch),
    }
}

/// Runs one command against the ledger at the current time.
pub fn execute(ctx: &Context, command: &Command) -> Result<Vec<Event>, Failure> {
    let mut ledger = ctx.open()?;
    let now_ms = now(ctx.lang)?;
    ledger
        .execute(&ctx.operator, now_ms, command)
        .map_err(|e| store_failure(e, ctx.lang))
}

fn first_seq(events: &[Event]) -> u64 {
    events.first().map(|e| e.seq).unwrap_or(0)
}

fn read_text(ctx: &Context, path: &Path) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        usage(match ctx.lang {
            Lang::Zh => format!("无法读取 {}：{e}", path.display()),
            Lang::En => format!("cannot read {}: {e}", path.display()),
        })
    })?;
    String::from_utf8(bytes).map_err(|_| {
        usage(match ctx.lang {
            Lang::Zh => format!(
                "{} 不是 UTF-8 编码；请在 Excel 里另存为“CSV UTF-8”",
                path.display()
            ),
            Lang::En => format!(
                "{} is not UTF-8; save it from Excel as 'CSV UTF-8'",
                path.display()
            ),
        })
    })
}

/// Commits the rows of an imported file as one batch; a refusal names the file line.
fn import_rows(
    ctx: &Context,
    path: &Path,
    rows: Result<Vec<Row>, CsvError>,
) -> Result<usize, Failure> {
    let rows = rows.map_err(|e| usage(format!("{}: {}", path.display(), e.message(ctx.lang))))?;
    let commands: Vec<Command> = rows.iter().map(|(_, c)| c.clone()).collect();
    let mut ledger = ctx.open()?;
    let now_ms = now(ctx.lang)?;
    match ledger.execute_batch(&ctx.operator, now_ms, &commands) {
        Ok(events) => Ok(events.len()),
        Err(StoreError::BatchRefused { index, refusal }) => {
            let line = rows.get(index).map(|(l, _)| *l).unwrap_or(0);
            let message = match ctx.lang {
                Lang::Zh => format!(
                    "{} 第 {line} 行：{}（整个文件都未导入）",
                    path.display(),
                    refusal.message(ctx.lang)
                ),
                Lang::En => format!(
                    "{} line {line}: {} (nothing of the file was imported)",
                    path.display(),
                    refusal.message(ctx.lang)
                ),
            };
            Err((EXIT_REFUSED, message))
        }
        Err(e) => Err(store_failure(e, ctx.lang)),
    }
}

fn load_policy(ctx: &Context, spec: &str) -> Result<Policy, Failure> {
    let parsed = match crate::policies::builtin(spec) {
        Some(p) => p,
        None => Policy::from_toml(&read_text(ctx, Path::new(spec))?),
    };
    parsed.map_err(|e| usage(format!("{spec}: {e}")))
}

fn init(ctx: &Context, args: InitArgs) -> Result<(), Failure> {
    std::fs::create_dir_all(&ctx.data_dir)
        .map_err(|e| usage(format!("{}: {e}", ctx.data_dir.display())))?;
    let path = ctx.ledger_path();
    if path.exists() {
        return Err(store_failure(StoreError::AlreadyExists(path), ctx.lang));
    }
    let now_ms = now(ctx.lang)?;
    let role = match args.role.as_str() {
        "village" | "村" => StationRole::Village,
        "township" | "乡镇" => StationRole::Township,
        other => {
            return Err(usage(format!(
                "--role must be village or township, not '{other}'"
            )))
        }
    };
    let policy = load_policy(ctx, &args.policy)?;
    if !args.demo && (args.station_id.is_none() || args.name.is_none()) {
        return Err(usage(
            ctx.t(
                "请给出 --station-id 和 --name（或用 --demo）",
                "give --station-id and --name (or --demo)",
            )
            .into(),
        ));
    }
    // Refuse before creating the file, so a refused init leaves no ledger behind.
    let command = Command::Init {
        station_id: args.station_id.clone().unwrap_or_default(),
        name: args.name.clone().unwrap_or_default(),
        role,
        policy,
    };
    if !args.demo {
        let probe = crate::domain::MemoryState::default();
        crate::domain::decide(&probe, &command, now_ms).map_err(|e| match e {
            crate::domain::DecideError::Refused(r) => (EXIT_REFUSED, r.message(ctx.lang)),
            crate::domain::DecideError::Fault(f) => (EXIT_STORAGE, f.0),
        })?;
    }
    let mut ledger = Ledger::create(&path).map_err(|e| store_failure(e, ctx.lang))?;
    let result = if args.demo {
        crate::demo::build_demo(&mut ledger, now_ms)
            .map(|_| ())
            .map_err(|e| (EXIT_STORAGE, e.to_string()))
    } else {
        ledger
            .execute(&ctx.operator, now_ms, &command)
            .map(|_| ())
            .map_err(|e| store_failure(e, ctx.lang))
    };
    if let Err(failure) = result {
        drop(ledger);
        let _ = std::fs::remove_file(&path);
        return Err(failure);
    }
    crate::shell::after_init(ctx, &ledger)?;
    let station = ledger.station().to_string();
    let text = match ctx.lang {
        Lang::Zh => format!("已创建站点 {station}，账本在 {}", path.display()),
        Lang::En => format!("station {station} created; ledger at {}", path.display()),
    };
    ctx.print(&text, json!({ "station_id": station, "ledger": path }));
    Ok(())
}

fn household(ctx: &Context, command: HouseholdCmd) -> Result<(), Failure> {
    match command {
        HouseholdCmd::Add {
            id,
            card,
            head,
            members,
            group,
            phone,
            poor,
        } => {
            let members = members
                .split([';', '；'])
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(String::from)
                .collect();
            let household = Household {
                household_id: id.clone(),
                card_no: card,
                head,
                members,
                group,
                phone,
                registered_poor: poor,
            };
            execute(ctx, &Command::RegisterHousehold { household })?;
            ctx.print(
                &format!("{} {id}", ctx.t("已登记农户", "registered household")),
                json!({ "household_id": id }),
            );
            Ok(())
        }
        HouseholdCmd::List { name, limit } => {
            let ledger = ctx.open()?;
            let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
            let list = match name {
                Some(prefix) => view.households_by_name(&prefix, limit),
                None => view.households().map(|mut v| {
                    v.truncate(limit);
                    v
                }),
            }
            .map_err(|e| store_failure(e, ctx.lang))?;
            let text = list
                .iter()
                .map(|h| household_line(ctx.lang, h))
                .collect::<Vec<_>>()
                .join("\n");
            ctx.print(&text, serde_json::to_value(&list).unwrap_or_default());
            Ok(())
        }
        HouseholdCmd::Show { who } => {
            let ledger = ctx.open()?;
            let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
            let (record, active) = find_household(ctx, &view, &who)?;
            let h = &record.household;
            let mut text = household_line(ctx.lang, &record);
            text.push_str(&format!(
                "\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
                ctx.t("家庭成员", "members"),
                h.members.join("、"),
                ctx.t("电话", "phone"),
                h.phone,
                ctx.t("建档立卡", "registered poor"),
                if h.registered_poor {
                    ctx.t("是", "yes")
                } else {
                    ctx.t("否", "no")
                },
                ctx.t("已挂失旧卡", "replaced cards"),
                record.old_cards.join(", "),
            ));
            if !active {
                text.push_str(&format!(
                    "\n{} {who} {}",
                    ctx.t("注意：卡号", "note: card"),
                    ctx.t("已作废", "no longer works")
                ));
            }
            ctx.print(&text, json!({ "household": record, "card_active": active }));
            Ok(())
        }
        HouseholdCmd::Import { file } => {
            let text = read_text(ctx, &file)?;
            let count = import_rows(ctx, &file, import::parse_households(&text))?;
            ctx.print(
                &format!(
                    "{} {count} {}",
                    ctx.t("已导入", "imported"),
                    ctx.t("户", "households")
                ),
                json!({ "imported": count }),
            );
            Ok(())
        }
        HouseholdCmd::ReissueCard {
            household,
            new_card,
        } => {
            execute(
                ctx,
                &Command::ReissueCard {
                    household_id: household.clone(),
                    new_card_no: new_card.clone(),
                },
            )?;
            let text = match ctx.lang {
                Lang::Zh => format!("农户 {household} 已换新卡 {new_card}，旧卡立即作废"),
                Lang::En => format!(
                    "household {household} now has card {new_card}; the old card no longer works"
                ),
            };
            ctx.print(
                &text,
                json!({ "household_id": household, "card_no": new_card }),
            );
            Ok(())
        }
    }
}

fn household_line(lang: Lang, h: &HouseholdRecord) -> String {
    let hh = &h.household;
    match lang {
        Lang::Zh => format!(
            "{}  {}  卡 {}  {}  可用 {} 分  公示中 {} 分",
            hh.household_id, hh.head, hh.card_no, hh.group, h.balance_points, h.pending_points
        ),
        Lang::En => format!(
            "{}  {}  card {}  {}  spendable {}  pending {}",
            hh.household_id, hh.head, hh.card_no, hh.group, h.balance_points, h.pending_points
        ),
    }
}

/// Finds a household by card number or id; a replaced card still finds it but says so.
fn find_household(
    ctx: &Context,
    view: &View,
    who: &str,
) -> Result<(HouseholdRecord, bool), Failure> {
    if let Some(found) = view
        .household_by_card(who)
        .map_err(|e| store_failure(e, ctx.lang))?
    {
        return Ok(found);
    }
    match view
        .state()
        .household(who)
        .map_err(|e| store_failure(e.into(), ctx.lang))?
    {
        Some(h) => Ok((h, true)),
        None => Err((
            EXIT_REFUSED,
            crate::domain::Refusal::UnknownCard(who.to_string()).message(ctx.lang),
        )),
    }
}

fn resolve_goods(ctx: &Context, view: &View, key: &str) -> Result<String, Failure> {
    if view
        .state()
        .goods(key)
        .map_err(|e| store_failure(e.into(), ctx.lang))?
        .is_some()
    {
        return Ok(key.to_string());
    }
    match view
        .goods_by_barcode(key)
        .map_err(|e| store_failure(e, ctx.lang))?
    {
        Some(g) => Ok(g.goods.goods_id),
        None => Err((
            EXIT_REFUSED,
            crate::domain::Refusal::UnknownGoods(key.to_string()).message(ctx.lang),
        )),
    }
}

/// The goods id for an id or a barcode, read from a fresh view.
fn goods_id_for(ctx: &Context, key: &str) -> Result<String, Failure> {
    let ledger = ctx.open()?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    resolve_goods(ctx, &view, key)
}

fn goods(ctx: &Context, command: GoodsCmd) -> Result<(), Failure> {
    match command {
        GoodsCmd::Add {
            id,
            name,
            price,
            zone,
            unit,
            barcode,
            category,
            supplier,
        } => {
            let zone = import::parse_zone(&zone)
                .ok_or_else(|| usage(format!("--zone: '{zone}' (2/5/10/20/30/50/donation)")))?;
            let goods = Goods {
                goods_id: id.clone(),
                name,
                unit,
                barcode,
                price_points: price,
                zone,
                category,
                supplier,
            };
            execute(ctx, &Command::DefineGoods { goods })?;
            ctx.print(
                &format!("{} {id}", ctx.t("已登记商品", "defined goods")),
                json!({ "goods_id": id }),
            );
            Ok(())
        }
        GoodsCmd::List => stock_list(ctx),
        GoodsCmd::Import { file } => {
            let text = read_text(ctx, &file)?;
            let count = import_rows(ctx, &file, import::parse_goods(&text))?;
            ctx.print(
                &format!(
                    "{} {count} {}",
                    ctx.t("已导入", "imported"),
                    ctx.t("种商品", "goods")
                ),
                json!({ "imported": count }),
            );
            Ok(())
        }
    }
}

fn stock_list(ctx: &Context) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    let list = view.goods().map_err(|e| store_failure(e, ctx.lang))?;
    let text = list
        .iter()
        .map(|g| {
            let zone = match g.goods.zone {
                crate::domain::Zone::Points(z) => format!("{z}{}", ctx.t("分区", "-pt zone")),
                crate::domain::Zone::Donation => ctx.t("捐赠区", "donation").to_string(),
            };
            format!(
                "{}  {}  {} {}  {}  {} {}{}",
                g.goods.goods_id,
                g.goods.name,
                g.goods.price_points,
                ctx.t("分", "pts"),
                zone,
                ctx.t("库存", "stock"),
                g.stock_units,
                g.goods.unit
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    ctx.print(&text, serde_json::to_value(&list).unwrap_or_default());
    Ok(())
}

fn stock(ctx: &Context, command: StockCmd) -> Result<(), Failure> {
    match command {
        StockCmd::Receive {
            goods,
            quantity,
            donor,
            fund,
            cost_fen,
            from,
        } => {
            let source = match (donor, fund, from) {
                (Some(donor), None, None) => StockSource::Donation { donor },
                (None, Some(fund), None) => StockSource::Purchase { fund, cost_fen },
                (None, None, Some(from)) => StockSource::Transfer { from },
                _ => {
                    return Err(usage(
                        ctx.t(
                            "请给出 --donor、--fund、--from 三者之一",
                            "give exactly one of --donor, --fund, --from",
                        )
                        .into(),
                    ))
                }
            };
            let goods_id = goods_id_for(ctx, &goods)?;
            execute(
                ctx,
                &Command::ReceiveStock {
                    goods_id: goods_id.clone(),
                    quantity,
                    source,
                },
            )?;
            ctx.print(
                &format!("{} {goods_id} × {quantity}", ctx.t("已入库", "received")),
                json!({ "goods_id": goods_id, "quantity": quantity }),
            );
            Ok(())
        }
        StockCmd::Adjust {
            goods,
            delta,
            reason,
        } => {
            let goods_id = goods_id_for(ctx, &goods)?;
            execute(
                ctx,
                &Command::AdjustStock {
                    goods_id: goods_id.clone(),
                    delta,
                    reason,
                },
            )?;
            ctx.print(
                &format!("{} {goods_id} {delta:+}", ctx.t("已调整库存", "adjusted")),
                json!({ "goods_id": goods_id, "delta": delta }),
            );
            Ok(())
        }
        StockCmd::List => stock_list(ctx),
    }
}

fn score(ctx: &Context, command: ScoreCmd) -> Result<(), Failure> {
    match command {
        ScoreCmd::Enter {
            household,
            period,
            score,
            note,
        } => {
            let events = execute(
                ctx,
                &Command::EnterScore {
                    household_id: household.clone(),
                    period,
                    score,
                    note,
                },
            )?;
            let points = match events.first().map(|e| &e.body) {
                Some(EventBody::ScoreEntered { points, .. }) => *points,
                _ => 0,
            };
            let seq = first_seq(&events);
            let text = match ctx.lang {
                Lang::Zh => format!("评分 #{seq}：农户 {household} 得 {score} 分，折 {points} 积分，公示期满后确认"),
                Lang::En => format!("award #{seq}: household {household} scored {score}, {points} points after publicity"),
            };
            ctx.print(&text, json!({ "award": seq, "household_id": household, "score": score, "points": points }));
            Ok(())
        }
        ScoreCmd::Import { file } => {
            let text = read_text(ctx, &file)?;
            let count = import_rows(ctx, &file, import::parse_scores(&text))?;
            ctx.print(
                &format!(
                    "{} {count} {}",
                    ctx.t("已导入", "imported"),
                    ctx.t("条评分", "scores")
                ),
                json!({ "imported": count }),
            );
            Ok(())
        }
    }
}

fn award(ctx: &Context, command: AwardCmd) -> Result<(), Failure> {
    match command {
        AwardCmd::Confirm { awards, due } => {
            let mut ledger = ctx.open()?;
            let now_ms = now(ctx.lang)?;
            let mut seqs = awards;
            if due {
                let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
                let meta = view
                    .require_meta()
                    .map_err(|e| store_failure(e, ctx.lang))?;
                let publicity_ms = i64::from(meta.policy.publicity_days) * 24 * 3600 * 1000;
                let pending = view
                    .state()
                    .pending_awards()
                    .map_err(|e| store_failure(e.into(), ctx.lang))?;
                seqs.extend(
                    pending
                        .iter()
                        .filter(|a| a.entered_ms + publicity_ms <= now_ms)
                        .map(|a| a.seq),
                );
            }
            if seqs.is_empty() {
                ctx.print(
                    ctx.t("没有到期可确认的评分", "no awards are due"),
                    json!({ "confirmed": 0 }),
                );
                return Ok(());
            }
            let commands: Vec<Command> = seqs
                .iter()
                .map(|s| Command::ConfirmAward { award_seq: *s })
                .collect();
            let events = ledger
                .execute_batch(&ctx.operator, now_ms, &commands)
                .map_err(|e| store_failure(e, ctx.lang))?;
            ctx.print(
                &format!(
                    "{} {}",
                    ctx.t("已确认评分条数：", "awards confirmed:"),
                    events.len()
                ),
                json!({ "confirmed": events.len(), "awards": seqs }),
            );
            Ok(())
        }
        AwardCmd::Revoke { award, reason } => {
            execute(
                ctx,
                &Command::RevokeAward {
                    award_seq: award,
                    reason,
                },
            )?;
            ctx.print(
                &format!("{} #{award}", ctx.t("已撤销评分", "revoked award")),
                json!({ "revoked": award }),
            );
            Ok(())
        }
        AwardCmd::List { pending } => {
            let ledger = ctx.open()?;
            let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
            let mut list = view.awards().map_err(|e| store_failure(e, ctx.lang))?;
            if pending {
                list.retain(|a| a.status == AwardStatus::Pending);
            }
            let text = list
                .iter()
                .map(|a| {
                    let status = match a.status {
                        AwardStatus::Pending => ctx.t("公示中", "pending"),
                        AwardStatus::Confirmed => ctx.t("已确认", "confirmed"),
                        AwardStatus::Revoked => ctx.t("已撤销", "revoked"),
                    };
                    format!(
                        "#{}  {}  {}  {}  {} → {}  {}",
                        a.seq,
                        a.household_id,
                        a.period.0,
                        format_local(a.entered_ms),
                        a.score,
                        a.points,
                        status
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            ctx.print(&text, serde_json::to_value(&list).unwrap_or_default());
            Ok(())
        }
    }
}

fn redeem(ctx: &Context, args: RedeemArgs) -> Result<(), Failure> {
    let mut ledger = ctx.open()?;
    let mut lines = Vec::new();
    {
        let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
        for spec in &args.lines {
            let (key, quantity) = match spec.rsplit_once(':') {
                Some((k, q)) => (
                    k,
                    q.parse::<i64>().map_err(|_| {
                        usage(format!(
                            "'{spec}': {}",
                            ctx.t("数量不是整数", "quantity is not a whole number")
                        ))
                    })?,
                ),
                None => (spec.as_str(), 1),
            };
            lines.push((resolve_goods(ctx, &view, key)?, quantity));
        }
    }
    let household = if args.by_id {
        HouseholdRef::Id(args.who.clone())
    } else {
        HouseholdRef::Card(args.who.clone())
    };
    let now_ms = now(ctx.lang)?;
    let command = Command::Redeem {
        household,
        lines,
        proxy: args.proxy.clone(),
    };
    let events = ledger
        .execute(&ctx.operator, now_ms, &command)
        .map_err(|e| store_failure(e, ctx.lang))?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    let Some(event) = events.first() else {
        return Err((EXIT_STORAGE, "no event written".into()));
    };
    let EventBody::Redeemed {
        household_id,
        total_points,
        ..
    } = &event.body
    else {
        return Err((EXIT_STORAGE, "unexpected event".into()));
    };
    let balance = view
        .state()
        .household(household_id)
        .map_err(|e| store_failure(e.into(), ctx.lang))?
        .map(|h| h.balance_points)
        .unwrap_or(0);
    let text = match ctx.lang {
        Lang::Zh => format!(
            "兑换 #{}：农户 {household_id} 用去 {total_points} 分，剩余 {balance} 分",
            event.seq
        ),
        Lang::En => format!(
            "sale #{}: household {household_id} spent {total_points} points, {balance} left",
            event.seq
        ),
    };
    ctx.print(&text, json!({ "sale": event.seq, "household_id": household_id, "total_points": total_points, "balance_points": balance, "proxy": args.proxy }));
    Ok(())
}

fn balance(ctx: &Context, who: &str) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let view = ledger.view().map_err(|e| store_failure(e, ctx.lang))?;
    let (record, active) = find_household(ctx, &view, who)?;
    let mut text = household_line(ctx.lang, &record);
    if !active {
        text.push_str(&format!(
            "  ({} {who} {})",
            ctx.t("卡号", "card"),
            ctx.t("已作废", "no longer works")
        ));
    }
    ctx.print(
        &text,
        json!({
            "household_id": record.household.household_id,
            "card_no": record.household.card_no,
            "card_active": active,
            "balance_points": record.balance_points,
            "pending_points": record.pending_points,
            "earned_points": record.earned_points,
            "spent_points": record.spent_points,
            "cleared_points": record.cleared_points,
        }),
    );
    Ok(())
}

fn close_day(ctx: &Context, date: Option<String>) -> Result<(), Failure> {
    let now_ms = now(ctx.lang)?;
    let date = date.unwrap_or_else(|| CivilDate::from_utc_ms(now_ms).to_string());
    execute(ctx, &Command::CloseDay { date: date.clone() })?;
    crate::shell::day_log(ctx, Some(&date), None)
}

fn verify(ctx: &Context) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let reports = verify_all(&ledger).map_err(|e| store_failure(e, ctx.lang))?;
    let bad = reports.iter().any(|r| !r.problems.is_empty());
    let mut text = String::new();
    for r in &reports {
        let head: String = r.head_hash.chars().take(16).collect();
        text.push_str(&match ctx.lang {
            Lang::Zh => format!(
                "站点 {}：{} 条事件，链头 #{} {}…",
                r.station_id, r.events, r.head_seq, head
            ),
            Lang::En => format!(
                "station {}: {} events, head #{} {}…",
                r.station_id, r.events, r.head_seq, head
            ),
        });
        for p in &r.problems {
            text.push_str(&format!("\n  ✗ {p}"));
        }
        text.push('\n');
    }
    text.push_str(if bad {
        ctx.t(
            "校验失败：账本与事件不一致",
            "verify FAILED: the ledger does not match its events",
        )
    } else {
        ctx.t(
            "校验通过：哈希链完整，余额和库存与事件一致",
            "verify passed: hash chain intact, balances and stock match the events",
        )
    });
    ctx.print(&text, serde_json::to_value(&reports).unwrap_or_default());
    if bad {
        return Err((
            EXIT_REFUSED,
            ctx.t("账本校验失败", "ledger verification failed").into(),
        ));
    }
    Ok(())
}

/// Serializes for `--json` without failing the command on a serialization bug.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
