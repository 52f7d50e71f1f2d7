//! `aixin operator add|list|pin|role|remove`: the people at the keyboard and their roles. Who
//! may do which is the domain's (`domain::operator`); the PIN typed here is checked by
//! [`super::auth`] and hashed by the store into the station's local table, in the same
//! transaction as the event that records the change.

use clap::{Args, Subcommand};
use serde_json::json;

use super::auth::new_pin;
use super::context::Context;
use super::error::CliError;
use crate::domain::operator::{check_name, check_pin, OperatorRole};
use crate::domain::time::format_local;
use crate::domain::Command;
use crate::i18n::Lang;

/// `aixin operator …`.
#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Add an operator; the new PIN is typed twice (or AIXIN_NEW_PIN). The first operator of
    /// a station must be a manager; after that only a manager adds operators.
    ///
    /// 添加操作员，新密码输入两遍（或用环境变量 AIXIN_NEW_PIN）；本站第一个操作员必须是管理员，之后只有管理员能添加
    Add(AddArgs),
    /// List the station's operators, their roles and who added them when.
    ///
    /// 列出本站操作员、角色，以及由谁在何时添加
    List,
    /// Set an operator's PIN anew (your own, or anyone's as a manager).
    ///
    /// 重设操作员的密码（自己的，或由管理员重设任何人的）
    Pin(NameArgs),
    /// Change an operator's role (a manager's command; the last manager stays one).
    ///
    /// 更改操作员角色（管理员操作；最后一位管理员不能改）
    Role(RoleArgs),
    /// Remove an operator (a manager's command); the events they wrote keep their name.
    ///
    /// 删除操作员（管理员操作）；其写过的记录仍保留其名字
    Remove(NameArgs),
}

/// Arguments of `operator add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The operator's name, as every event they write will record it (e.g. 王丽).
    ///
    /// 〈姓名〉操作员姓名，记在其写的每条记录上（如 王丽）
    pub name: String,
    /// manager (管理员) or monitor (监督员).
    ///
    /// 〈角色〉manager（管理员）或 monitor（监督员），也可写 管理员 或 监督员
    #[arg(long)]
    pub role: String,
}

/// An operator named.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The operator's name.
    ///
    /// 〈姓名〉操作员姓名
    pub name: String,
}

/// Arguments of `operator role`.
#[derive(Debug, Args)]
pub struct RoleArgs {
    /// The operator's name.
    ///
    /// 〈姓名〉操作员姓名
    pub name: String,
    /// manager (管理员) or monitor (监督员).
    ///
    /// 〈角色〉manager（管理员）或 monitor（监督员），也可写 管理员 或 监督员
    #[arg(long)]
    pub role: String,
}

/// Runs an `operator` subcommand.
pub fn run(ctx: &Context, command: OperatorCmd) -> Result<(), CliError> {
    match command {
        OperatorCmd::Add(args) => add(ctx, args),
        OperatorCmd::List => list(ctx),
        OperatorCmd::Pin(args) => pin(ctx, &args.name),
        OperatorCmd::Role(args) => {
            let role = parse_role(&args.role)?;
            let command = Command::SetOperatorRole {
                name: args.name.clone(),
                role,
            };
            ctx.execute(&command)?;
            done(ctx, &args.name, role, ("角色已改为", "is now"))
        }
        OperatorCmd::Remove(args) => {
            ctx.execute(&Command::RemoveOperator {
                name: args.name.clone(),
            })?;
            let text = match ctx.lang {
                Lang::Zh => format!("已删除操作员 {}", args.name),
                Lang::En => format!("operator {} removed", args.name),
            };
            ctx.out()
                .print(&text, json!({ "operator": args.name, "removed": true }));
            Ok(())
        }
    }
}

fn parse_role(text: &str) -> Result<OperatorRole, CliError> {
    OperatorRole::parse(text).ok_or_else(|| CliError::OperatorRole(text.to_string()))
}

fn add(ctx: &Context, args: AddArgs) -> Result<(), CliError> {
    let role = parse_role(&args.role)?;
    check_name(&args.name)?;
    let mut ledger = ctx.open()?;
    let first = ledger.view()?.require_meta()?.operators.is_empty();
    let command = |pin| Command::AddOperator {
        name: args.name.clone(),
        role,
        pin,
    };
    if first {
        // The first manager creates themselves: the event records them as its operator.
        let pin = new_pin(ctx, &args.name, true)?;
        check_pin(&pin)?;
        ledger.execute_at(&args.name, &ctx.moment()?, &command(pin))?;
    } else {
        // The manager at the keyboard gives their PIN first, then the new one is typed.
        let writer = ctx.writer(&mut ledger)?;
        let pin = new_pin(ctx, &args.name, false)?;
        check_pin(&pin)?;
        ctx.execute_on(&mut ledger, &command(pin))?;
        ctx.after_write(writer);
    }
    done(ctx, &args.name, role, ("已添加为", "added as"))
}

fn pin(ctx: &Context, name: &str) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    let writer = ctx.writer(&mut ledger)?;
    let pin = new_pin(ctx, name, false)?;
    check_pin(&pin)?;
    ctx.execute_on(
        &mut ledger,
        &Command::ChangePin {
            name: name.to_string(),
            pin,
        },
    )?;
    ctx.after_write(writer);
    let text = match ctx.lang {
        Lang::Zh => format!("{name} 的密码已更改"),
        Lang::En => format!("PIN of {name} changed"),
    };
    ctx.out()
        .print(&text, json!({ "operator": name, "pin_changed": true }));
    Ok(())
}

fn done(
    ctx: &Context,
    name: &str,
    role: OperatorRole,
    words: (&str, &str),
) -> Result<(), CliError> {
    let text = match ctx.lang {
        Lang::Zh => format!("{name} {}{}", words.0, role.label(Lang::Zh)),
        Lang::En => format!("{name} {} {}", words.1, role.label(Lang::En)),
    };
    ctx.out()
        .print(&text, json!({ "operator": name, "role": role.name() }));
    Ok(())
}

fn list(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let meta = ledger.view()?.require_meta()?;
    let mut lines = Vec::new();
    for o in &meta.operators {
        lines.push(match ctx.lang {
            Lang::Zh => format!(
                "{}\t{}\t由 {} 于 {} 添加\t密码更改于 {}",
                o.name,
                o.role.label(Lang::Zh),
                o.added_by,
                format_local(o.added_ms),
                format_local(o.pin_changed_ms)
            ),
            Lang::En => format!(
                "{}\t{}\tadded by {} on {}\tPIN set {}",
                o.name,
                o.role.label(Lang::En),
                o.added_by,
                format_local(o.added_ms),
                format_local(o.pin_changed_ms)
            ),
        });
    }
    if lines.is_empty() {
        lines.push(
            ctx.t(
                "本站还没有操作员；创建第一个管理员：aixin operator add 名字 --role manager",
                "no operators yet; create the first manager: aixin operator add NAME --role manager",
            )
            .to_string(),
        );
    }
    let value: Vec<serde_json::Value> = meta
        .operators
        .iter()
        .map(|o| {
            json!({
                "name": o.name,
                "role": o.role.name(),
                "added_by": o.added_by,
                "added_ms": o.added_ms,
                "pin_changed_ms": o.pin_changed_ms,
            })
        })
        .collect();
    ctx.out()
        .print(&lines.join("\n"), json!({ "operators": value }));
    Ok(())
}
