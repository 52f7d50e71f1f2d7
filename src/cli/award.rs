//! `aixin award`: confirm awards once their publicity is over (by number, or every due one
//! with `--due`, as [`crate::domain::publicity`] decides), revoke one after an objection, and
//! list them.

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use crate::domain::input::{count, text, Field};
use crate::domain::publicity::due_awards;
use crate::domain::state::AwardStatus;
use crate::domain::time::format_local;
use crate::domain::{Command, EventBody};

/// Award subcommands.
#[derive(Debug, Subcommand)]
pub enum AwardCmd {
    /// Confirm awards whose publicity is over (by number, or all due with --due).
    ///
    /// 确认公示期满的积分（按编号，或用 --due 确认全部到期的）
    Confirm {
        /// Award numbers.
        ///
        /// 〈评分编号〉评分编号
        awards: Vec<String>,
        /// Confirm every pending award whose publicity is over.
        ///
        /// 确认全部公示期满的积分
        #[arg(long)]
        due: bool,
    },
    /// Revoke a pending award after an objection.
    ///
    /// 有异议时撤销一条公示中的积分
    Revoke {
        /// Award number.
        ///
        /// 〈评分编号〉评分编号
        award: String,
        /// Why.
        ///
        /// 〈原因〉原因
        #[arg(long)]
        reason: String,
    },
    /// List awards.
    ///
    /// 积分列表
    List {
        /// Only those still in publicity.
        ///
        /// 只列公示中的
        #[arg(long)]
        pending: bool,
    },
}

/// `aixin award …`.
pub fn run(ctx: &Context, command: AwardCmd) -> Result<(), CliError> {
    match command {
        AwardCmd::Confirm { awards, due } => {
            let awards = awards
                .iter()
                .map(|a| count(a.trim_start_matches(['#', '＃']), Field::AwardNumber))
                .collect::<Result<Vec<u64>, _>>()?;
            confirm(ctx, awards, due)
        }
        AwardCmd::Revoke { award, reason } => {
            let award = count(award.trim_start_matches(['#', '＃']), Field::AwardNumber)?;
            ctx.execute(&Command::RevokeAward {
                award_seq: award,
                reason: text(&reason),
            })?;
            ctx.out().print(
                &format!("{} #{award}", ctx.t("已撤销评分", "revoked award")),
                json!({ "revoked": award }),
            );
            Ok(())
        }
        AwardCmd::List { pending } => list(ctx, pending),
    }
}

/// Confirms the awards named and, with `due`, every award the domain says is due now, in one
/// batch: all of them or none.
fn confirm(ctx: &Context, mut seqs: Vec<u64>, due: bool) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    let now_ms = ctx.now_ms()?;
    if due {
        let view = ledger.view()?;
        let policy = view.require_meta()?.policy;
        seqs.extend(due_awards(view.state(), &policy, now_ms)?);
    }
    if seqs.is_empty() {
        ctx.out().print(
            ctx.t("没有到期可确认的评分", "no awards are due"),
            json!({ "confirmed": 0 }),
        );
        return Ok(());
    }
    let commands: Vec<Command> = seqs
        .iter()
        .map(|seq| Command::ConfirmAward { award_seq: *seq })
        .collect();
    let events = ctx.execute_batch_on(&mut ledger, &commands)?;
    let confirmed = events
        .iter()
        .filter(|e| matches!(e.body, EventBody::AwardConfirmed { .. }))
        .count();
    ctx.out().print(
        &format!(
            "{}{}",
            ctx.t("已确认评分条数：", "awards confirmed: "),
            confirmed
        ),
        json!({ "confirmed": confirmed, "awards": seqs }),
    );
    Ok(())
}

fn list(ctx: &Context, pending_only: bool) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let mut list = ledger.view()?.awards()?;
    if pending_only {
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
    ctx.out().print(&text, to_json(&list));
    Ok(())
}
