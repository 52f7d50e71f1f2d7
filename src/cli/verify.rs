//! `aixin verify`: recompute every station's hash chain and derived state from its events
//! ([`crate::store::verify`]) and say whether they match. A mismatch exits 1.
//!
//! `aixin verify --receipt CODE` checks a paper receipt instead (PRODUCT.md, "Receipts can be
//! checked"): the code is looked up in every station scope of the file, so a township finds its
//! villages' receipts. A receipt found is printed as the paper would be, marked if the sale was
//! voided since; a code found nowhere is a receipt this ledger never issued (forged, or
//! mistyped), said plainly and exit 1.

use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use super::receipt::settings;
use crate::i18n::Lang;
use crate::receipt::layout::{receipt_number, text as receipt_text};
use crate::receipt::{source, ReceiptError, ReceiptKind, VerificationCode};
use crate::store::verify::verify_all;

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Check a paper receipt by its verification code (校验码), e.g. K7QXM-2PD9A.
    ///
    /// 〈校验码〉按校验码核对一张纸质小票，如 K7QXM-2PD9A
    #[arg(long, value_name = "CODE")]
    pub receipt: Option<String>,
}

/// `aixin verify [--receipt CODE]`.
pub fn run(ctx: &Context, args: VerifyArgs) -> Result<(), CliError> {
    if let Some(code) = args.receipt {
        return check_receipt(ctx, &code);
    }
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

/// `aixin verify --receipt CODE`.
fn check_receipt(ctx: &Context, typed: &str) -> Result<(), CliError> {
    let code = VerificationCode::parse(typed).map_err(|error| ReceiptError::BadCode {
        text: typed.to_string(),
        error,
    })?;
    let width = settings(ctx)?.width;
    let ledger = ctx.open()?;
    let receipts = source::by_code(&ledger, &code)?;
    let mut text = String::new();
    for receipt in &receipts {
        let number = receipt_number(receipt.receipt_no);
        let station = format!("{}（{}）", receipt.station_name, receipt.station_id);
        text.push_str(&match ctx.lang {
            Lang::Zh => format!("校验码 {code}：确有此票，是{station}的第 {number} 号小票"),
            Lang::En => format!(
                "check code {code}: a real receipt, number {number} of {} ({})",
                receipt.station_name, receipt.station_id
            ),
        });
        if receipt.kind == (ReceiptKind::Sale { voided: true }) {
            text.push_str(ctx.t(
                "；这笔兑换后来已作废，积分和物品已退回",
                "; this sale was voided since, its points and goods returned",
            ));
        }
        text.push_str("\n\n");
        text.push_str(&receipt_text(receipt, width, ctx.lang));
        text.push('\n');
    }
    ctx.out().print(
        text.trim_end(),
        json!({ "code": code, "found": true, "receipts": to_json(&receipts) }),
    );
    Ok(())
}
