//! Sales at the counter without the till: `aixin redeem` spends a household's points on goods
//! (`GOODS[:QTY]` lines, goods by id or barcode), `aixin void` reverses a sale with a reason,
//! and `aixin balance` shows a household's points. The domain decides every check (balance,
//! stock, zone, window); the command line reads the outcome back from the ledger. Every sale
//! and void prints its receipt where the station's settings say ([`receipt::issue`]).

use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::goods::resolve_goods;
use super::household::{find_household, household_line};
use super::receipt;
use crate::domain::input::{code, number, text, Field};
use crate::domain::station::parse_sale_number;
use crate::domain::{Command, EventBody, HouseholdRef};
use crate::i18n::Lang;

/// Arguments of `redeem`.
#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// Card number (or household id with --by-id).
    ///
    /// 〈卡号〉卡号（加 --by-id 时为户号）
    pub who: String,
    /// Lines as GOODS[:QTY], goods by id or barcode (G01:2, G01：２).
    ///
    /// 〈商品:数量〉每种商品写成 商品编号或条码:数量，如 G01:2、G01：２（数量为 1 时可省略）
    #[arg(required = true)]
    pub lines: Vec<String>,
    /// Treat WHO as a household id.
    ///
    /// 把第一个参数当作户号
    #[arg(long)]
    pub by_id: bool,
    /// Who collects on the household's behalf (代领人).
    ///
    /// 〈代领人〉代领人姓名
    #[arg(long)]
    pub proxy: Option<String>,
}

/// Arguments of `void`.
#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The sale number as printed on the receipt (LJC01-1199), or its number alone (1199).
    ///
    /// 〈兑换单号〉小票上的单号（如 LJC01-1199），或只写后面的数字（1199）
    pub sale: String,
    /// Why (recorded in the ledger).
    ///
    /// 〈原因〉作废原因（记入账本）
    #[arg(long)]
    pub reason: String,
}

/// Arguments of `balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Card number or household id.
    ///
    /// 〈卡号或户号〉卡号或户号
    pub who: String,
}

/// `aixin redeem WHO LINE…`.
pub fn redeem(ctx: &Context, args: RedeemArgs) -> Result<(), CliError> {
    let receipt_settings = receipt::settings(ctx)?;
    let mut ledger = ctx.open()?;
    let lines = {
        let view = ledger.view()?;
        args.lines
            .iter()
            .map(|spec| {
                let (key, quantity) = parse_line(spec)?;
                Ok((resolve_goods(&view, &key)?, quantity))
            })
            .collect::<Result<Vec<_>, CliError>>()?
    };
    let who = code(&args.who);
    let household = if args.by_id {
        HouseholdRef::Id(who)
    } else {
        HouseholdRef::Card(who)
    };
    let proxy = args.proxy.as_deref().map(text).filter(|p| !p.is_empty());
    let command = Command::Redeem {
        household,
        lines,
        proxy: proxy.clone(),
    };
    let events = ctx.execute_on(&mut ledger, &command)?;
    // A confirmed clock date is recorded before the sale: the sale is the redemption event.
    let event = events
        .iter()
        .find(|e| matches!(e.body, EventBody::Redeemed { .. }))
        .ok_or(CliError::Unexpected("no sale written"))?;
    let EventBody::Redeemed {
        household_id,
        total_points,
        ..
    } = &event.body
    else {
        return Err(CliError::Unexpected("unexpected event"));
    };
    let balance = ledger
        .view()?
        .state()
        .household(household_id)?
        .map_or(0, |h| h.balance_points);
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
    let (receipt_line, receipt) = receipt::issue(ctx, &ledger, event.seq, &receipt_settings);
    ctx.out().print(
        &format!("{text}\n{receipt_line}"),
        json!({ "sale": event.seq, "household_id": household_id, "total_points": total_points, "balance_points": balance, "proxy": proxy, "receipt": receipt }),
    );
    Ok(())
}

/// A `GOODS[:QTY]` line as typed (`G01:2`, a Chinese input method's `G01：２`): the goods key
/// and the quantity (1 when not given), normalised. Whether the quantity is allowed is the
/// domain's to say.
fn parse_line(spec: &str) -> Result<(String, i64), CliError> {
    let spec = code(spec);
    match spec.rsplit_once(':') {
        Some((key, quantity)) => Ok((key.to_string(), number(quantity, Field::Quantity)?)),
        None => Ok((spec, 1)),
    }
}

/// `aixin void SALE --reason …`: the sale as printed on the receipt (`LJC01-1199`) or its
/// number; a sale of another station is refused.
pub fn void(ctx: &Context, args: VoidArgs) -> Result<(), CliError> {
    let receipt_settings = receipt::settings(ctx)?;
    let mut ledger = ctx.open()?;
    let sale = parse_sale_number(&args.sale, ledger.station())?;
    let events = ctx.execute_on(
        &mut ledger,
        &Command::VoidSale {
            sale_seq: sale,
            reason: text(&args.reason),
        },
    )?;
    let event_seq = events.last().map_or(0, |e| e.seq);
    let (receipt_line, receipt) = receipt::issue(ctx, &ledger, event_seq, &receipt_settings);
    ctx.out().print(
        &format!(
            "{} #{sale}\n{receipt_line}",
            ctx.t("已作废兑换", "voided sale")
        ),
        json!({ "voided": sale, "event_seq": event_seq, "receipt": receipt }),
    );
    Ok(())
}

/// `aixin balance WHO`.
pub fn balance(ctx: &Context, args: BalanceArgs) -> Result<(), CliError> {
    let who = code(&args.who);
    let ledger = ctx.open()?;
    let (record, active) = find_household(&ledger.view()?, &who)?;
    let mut text = household_line(ctx.lang, &record);
    if !active {
        text.push_str(&format!(
            "  ({} {who} {})",
            ctx.t("卡号", "card"),
            ctx.t("已作废", "no longer works")
        ));
    }
    ctx.out().print(
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
