//! `aixin clock correct`: when the computer clock was fast and has been set right, every write
//! is refused as dated before the ledger's last entry. The manager states that the clock is
//! right now; the ledger records that statement (a `ClockCorrected` event) and writes go on at
//! the real time. The mis-dated entries stay as they were, marked in the day log, the monitor's
//! view and the township's anomalies (PRODUCT.md, "Clocks are checked, … never a dead end").

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use crate::domain::time::format_local;
use crate::domain::{Command, EventBody};
use crate::i18n::Lang;

/// Clock subcommands.
#[derive(Debug, Subcommand)]
pub enum ClockCmd {
    /// The clock was fast and is right now: record that, so that writes can go on.
    ///
    /// 时钟曾经偏快、现在已调准：登记下来，就可以继续记账
    Correct {
        /// Why (e.g. 主板电池没电).
        ///
        /// 〈原因〉原因（如 主板电池没电）
        #[arg(long)]
        reason: String,
    },
}

/// `aixin clock …`.
pub fn run(ctx: &Context, command: ClockCmd) -> Result<(), CliError> {
    match command {
        ClockCmd::Correct { reason } => {
            let reason = crate::domain::input::text(&reason);
            let events = ctx.execute(&Command::CorrectClock { reason })?;
            let (seq, fast_until_ms, now_ms) = match events.last() {
                Some(e) => match &e.body {
                    EventBody::ClockCorrected { fast_until_ms, .. } => {
                        (e.seq, *fast_until_ms, e.time_ms)
                    }
                    _ => (e.seq, 0, e.time_ms),
                },
                None => (0, 0, 0),
            };
            let text = match ctx.lang {
                Lang::Zh => format!(
                    "已登记时钟更正 #{seq}：此前记录最晚到 {}（时钟偏快），现在实际时间 {}；可以继续营业",
                    format_local(fast_until_ms),
                    format_local(now_ms)
                ),
                Lang::En => format!(
                    "clock correction #{seq} recorded: entries were dated up to {} by a fast clock; the real time is {}; the till can go on",
                    format_local(fast_until_ms),
                    format_local(now_ms)
                ),
            };
            ctx.out().print(
                &text,
                json!({ "seq": seq, "fast_until_ms": fast_until_ms, "now_ms": now_ms }),
            );
            Ok(())
        }
    }
}
