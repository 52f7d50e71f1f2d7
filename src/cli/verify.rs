//! `aixin verify`: recompute every station's hash chain and derived state from its events
//! ([`crate::store::verify`]) and say whether they match. A mismatch exits 1.

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use crate::i18n::Lang;
use crate::store::verify::verify_all;

/// `aixin verify`.
pub fn run(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let reports = verify_all(&ledger)?;
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
    ctx.out().print(&text, to_json(&reports));
    if bad {
        return Err(CliError::VerifyFailed);
    }
    Ok(())
}
