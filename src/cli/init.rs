//! `aixin init`: create the station in the data directory, from a shipped policy or a TOML
//! file (or the demo station with `--demo`), and make its sync keys. A refused init leaves no
//! ledger file behind: the station id is checked against the rule sync needs
//! ([`crate::domain::station`]) and the domain is asked, on an empty state, before the file
//! exists.

use clap::Args;
use serde_json::json;

use super::auth::new_pin;
use super::context::Context;
use super::error::CliError;
use super::policy::load_policy_file;
use crate::domain::input::text;
use crate::domain::operator::{check_name, check_pin, OperatorRole};
use crate::domain::station::check_station_id;
use crate::domain::{decide_at, Command, MemoryState, StationRole};
use crate::i18n::Lang;
use crate::store::{Ledger, StoreError};
use crate::sync::keys::StationKeys;

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Station id, e.g. LJC01.
    ///
    /// 〈站点编号〉站点编号，如 LJC01（只用英文字母、数字、- 和 _）
    #[arg(long)]
    pub station_id: Option<String>,
    /// Station name, e.g. 李家村爱心超市.
    ///
    /// 〈站点名称〉站点名称，如 李家村爱心超市
    #[arg(long)]
    pub name: Option<String>,
    /// village or township.
    ///
    /// 〈角色〉village（村，默认）或 township（乡镇），也可写 村 或 乡镇
    #[arg(long, default_value = "village")]
    pub role: String,
    /// A shipped policy (direct-points, threshold-score, quarterly-ranked, daily-action, member-card) or a TOML file.
    ///
    /// 〈积分政策〉内置政策（direct-points、threshold-score、quarterly-ranked、daily-action、member-card，默认 threshold-score）或 TOML 文件
    #[arg(long, default_value = "threshold-score")]
    pub policy: String,
    /// Fill the station with the demo households, goods and history.
    ///
    /// 用演示农户、商品和记录填充本站
    #[arg(long)]
    pub demo: bool,
    /// Create the station's first manager at once, with this name (PIN typed twice at the
    /// prompt, or AIXIN_PIN).
    ///
    /// 〈姓名〉同时创建本站第一位管理员，用这个名字（密码在提示处输入两遍，或用环境变量 AIXIN_PIN）
    #[arg(long, value_name = "NAME")]
    pub manager: Option<String>,
}

/// `aixin init …`.
pub fn run(ctx: &Context, args: InitArgs) -> Result<(), CliError> {
    ctx.create_data_dir()?;
    let path = ctx.ledger_path();
    if path.exists() {
        return Err(StoreError::AlreadyExists(path).into());
    }
    let now_ms = ctx.now_ms()?;
    let role = parse_role(&args.role)?;
    let (policy, sheet) = load_policy_file(args.policy.trim())?;
    let (station_id, name) = match (args.station_id, args.name) {
        _ if args.demo => (String::new(), String::new()),
        (id, Some(name)) => {
            let name = text(&name);
            (check_station_id(id.as_deref().unwrap_or(""), &name)?, name)
        }
        _ => return Err(CliError::InitNeedsStation),
    };
    let command = Command::Init {
        station_id,
        name,
        role,
        policy,
    };
    // Refuse before creating the file, so a refused init leaves no ledger behind.
    if !args.demo {
        decide_at(&MemoryState::default(), &command, &ctx.moment()?)?;
    }
    let manager = first_manager(ctx, args.manager.as_deref())?;
    // The policy file's score sheet (评分细则) is its own event, in the same transaction.
    let mut commands = vec![command];
    commands.extend(sheet.map(|sheet| Command::SetScoreSheet { sheet }));
    let mut ledger = Ledger::create(&path)?;
    if let Err(error) = fill(ctx, &mut ledger, &commands, args.demo, now_ms, manager) {
        drop(ledger);
        let _ = std::fs::remove_file(&path);
        return Err(error);
    }
    make_keys(ctx)?;
    let station = ledger.station().to_string();
    let text = match ctx.lang {
        Lang::Zh => format!("已创建站点 {station}，账本在 {}", path.display()),
        Lang::En => format!("station {station} created; ledger at {}", path.display()),
    };
    ctx.out()
        .print(&text, json!({ "station_id": station, "ledger": path }));
    Ok(())
}

/// Writes the station's first events into its new ledger: the demo station, or `commands`
/// (the init and the policy's score sheet) in one transaction.
fn fill(
    ctx: &Context,
    ledger: &mut Ledger,
    commands: &[Command],
    demo: bool,
    now_ms: i64,
    manager: Option<Command>,
) -> Result<(), CliError> {
    let moment = crate::domain::time::Moment {
        now_ms,
        confirmed_date: ctx.confirmed_date,
    };
    // The first manager, when named, writes the station's first events themselves.
    let operator = match &manager {
        Some(Command::AddOperator { name, .. }) => name.clone(),
        _ => ctx.operator.clone(),
    };
    if demo {
        crate::demo::build_demo(ledger, now_ms)?;
        if let Some(add) = &manager {
            ledger.execute_at(&operator, &moment, add)?;
        }
    } else {
        let mut commands = commands.to_vec();
        commands.extend(manager);
        ledger.execute_batch_at(&operator, &moment, &commands)?;
    }
    Ok(())
}

/// The command creating the first manager named by `--manager`, with the PIN typed (or
/// `AIXIN_PIN`), checked against the rules before the ledger file exists.
fn first_manager(ctx: &Context, name: Option<&str>) -> Result<Option<Command>, CliError> {
    let Some(name) = name else {
        return Ok(None);
    };
    check_name(name)?;
    let pin = new_pin(ctx, name, true)?;
    check_pin(&pin)?;
    Ok(Some(Command::AddOperator {
        name: name.to_string(),
        role: OperatorRole::Manager,
        pin,
    }))
}

/// Creates this station's sync keys in its data directory, right after its ledger.
pub fn make_keys(ctx: &Context) -> Result<(), CliError> {
    Ok(StationKeys::generate().save(&ctx.data_dir)?)
}

/// `--role` as given: English or Chinese.
fn parse_role(raw: &str) -> Result<StationRole, CliError> {
    match text(raw).to_ascii_lowercase().as_str() {
        "village" | "村" => Ok(StationRole::Village),
        "township" | "乡镇" => Ok(StationRole::Township),
        other => Err(CliError::Role(other.to_string())),
    }
}
