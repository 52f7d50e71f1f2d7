//! `aixin publish --postgres URL`: the command line's door to [`crate::publish`]. Opens the
//! township's ledger (publishing only reads it), reads the held and fork notes beside it,
//! connects, publishes with a progress line on stderr about once a second for long runs, and
//! prints the summary with a line per station that moved (text, or `--json`). Refusals come
//! back as [`CliError::Publish`]: exit 1 for a village, a damaged chain or a fork, 2 for a bad
//! address, 3 when PostgreSQL or the ledger cannot be used (publish again to resume).

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use clap::Args;

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use crate::publish::{
    connect, publish, Progress, PublishOptions, BATCH_EVENTS_DEFAULT, BATCH_EVENTS_MAX,
};
use crate::sync::files::{fork_notes, held_notes};

/// How often a long publish prints its progress line.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// Arguments of `publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// PostgreSQL: postgresql://user:password@host:5432/dbname (or libpq `host=… dbname=…`).
    ///
    /// 〈地址〉PostgreSQL 数据库的地址：postgresql://用户:密码@主机:5432/库名（也可用环境变量
    /// AIXIN_POSTGRES）
    #[arg(
        long,
        env = "AIXIN_POSTGRES",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub postgres: String,
    /// Events per transaction.
    ///
    /// 〈条数〉每个事务发送的记录条数（默认 50000）；中断后只丢掉未提交的那一批
    #[arg(long, default_value_t = BATCH_EVENTS_DEFAULT,
          value_parser = clap::value_parser!(u64).range(1..=BATCH_EVENTS_MAX))]
    pub batch: u64,
}

/// `aixin publish`.
pub fn run(ctx: &Context, args: PublishArgs) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let (held, forks) = (held_notes(&ctx.data_dir), fork_notes(&ctx.data_dir));
    let mut client = connect(&args.postgres)?;
    let out = ctx.out();
    let mut last_line = Instant::now();
    let mut progress = |p: &Progress| {
        if last_line.elapsed() >= PROGRESS_EVERY {
            out.progress(&p.line(ctx.lang));
            last_line = Instant::now();
        }
        ControlFlow::Continue(())
    };
    let options = PublishOptions {
        batch_events: args.batch,
    };
    let report = publish(&ledger, &held, &forks, &mut client, &options, &mut progress)?;
    let mut text = report.summary(ctx.lang);
    for station in report
        .stations
        .iter()
        .filter(|s| s.sent > 0 || s.postgres_ahead > 0)
    {
        text.push('\n');
        text.push_str(&station.line(ctx.lang));
    }
    let mut value = to_json(&report);
    value["events_per_s"] = report.events_per_s().into();
    out.print(&text, value);
    Ok(())
}
