//! `aixin stock`: receive stock (donated, bought or transferred), record a stocktake
//! difference, and list stock levels (also `aixin goods list`).

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::goods::goods_id_for;
use super::print::to_json;
use crate::domain::input::{number, text, Field};
use crate::domain::{Command, StockSource, Zone};

/// Stock subcommands.
#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Receive a lot of stock: give exactly one of --donor, --fund, --merchant, --from.
    ///
    /// 入库一批物品：--donor、--fund、--merchant、--from 四者选一
    Receive {
        /// Goods id or barcode.
        ///
        /// 〈商品编号或条码〉商品编号或条码
        goods: String,
        /// Units received.
        ///
        /// 〈数量〉入库数量
        #[arg(allow_hyphen_values = true)]
        quantity: String,
        /// Donated by.
        ///
        /// 〈捐赠人〉捐赠人
        #[arg(long)]
        donor: Option<String>,
        /// Bought with this fund.
        ///
        /// 〈资金〉用哪项资金采购
        #[arg(long)]
        fund: Option<String>,
        /// Total cost in fen (with --fund).
        ///
        /// 〈金额（分）〉采购总金额，单位分（与 --fund 一起用）
        #[arg(long, default_value = "0")]
        cost_fen: String,
        /// Transferred from (township or station).
        ///
        /// 〈调出单位〉从哪里调拨来（乡镇或站点）
        #[arg(long)]
        from: Option<String>,
        /// Supplied by this merchant, to be paid at settlement for the units redeemed;
        /// `--merchant` alone names the item's catalog supplier.
        ///
        /// 〈商户〉商户供货，按兑换掉的数量结算；只写 --merchant 则用商品目录里的供应商
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        merchant: Option<String>,
    },
    /// Record a stocktake difference (negative for a loss).
    ///
    /// 登记盘点差额（盘亏写负数）
    Adjust {
        /// Goods id or barcode.
        ///
        /// 〈商品编号或条码〉商品编号或条码
        goods: String,
        /// Difference in units, e.g. -2.
        ///
        /// 〈差额〉差额，如 -2
        #[arg(allow_hyphen_values = true)]
        delta: String,
        /// Why.
        ///
        /// 〈原因〉原因
        #[arg(long)]
        reason: String,
    },
    /// Stock levels.
    ///
    /// 库存列表
    List,
}

/// `aixin stock …`.
pub fn run(ctx: &Context, command: StockCmd) -> Result<(), CliError> {
    match command {
        StockCmd::Receive {
            goods,
            quantity,
            donor,
            fund,
            cost_fen,
            from,
            merchant,
        } => {
            let quantity = number(&quantity, Field::Quantity)?;
            let party = |p: Option<String>| p.as_deref().map(text);
            let source = match (party(donor), party(fund), party(from), party(merchant)) {
                (Some(donor), None, None, None) => StockSource::Donation { donor },
                (None, Some(fund), None, None) => StockSource::Purchase {
                    fund,
                    cost_fen: number(&cost_fen, Field::CostFen)?,
                },
                (None, None, Some(from), None) => StockSource::Transfer { from },
                (None, None, None, Some(merchant)) => StockSource::Supply { merchant },
                _ => return Err(CliError::StockSource),
            };
            let goods_id = goods_id_for(ctx, &goods)?;
            ctx.execute(&Command::ReceiveStock {
                goods_id: goods_id.clone(),
                quantity,
                source,
            })?;
            ctx.out().print(
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
            let delta = number(&delta, Field::StockDelta)?;
            let goods_id = goods_id_for(ctx, &goods)?;
            ctx.execute(&Command::AdjustStock {
                goods_id: goods_id.clone(),
                delta,
                reason: text(&reason),
            })?;
            ctx.out().print(
                &format!("{} {goods_id} {delta:+}", ctx.t("已调整库存", "adjusted")),
                json!({ "goods_id": goods_id, "delta": delta }),
            );
            Ok(())
        }
        StockCmd::List => list(ctx),
    }
}

/// The catalog with each item's stock, one line per item.
pub fn list(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let list = ledger.view()?.goods()?;
    let text = list
        .iter()
        .map(|g| {
            let zone = match g.goods.zone {
                Zone::Points(z) => format!("{z}{}", ctx.t("分区", "-pt zone")),
                Zone::Donation => ctx.t("捐赠区", "donation").to_string(),
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
    ctx.out().print(&text, to_json(&list));
    Ok(())
}
