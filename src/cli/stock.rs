//! `aixin stock`: receive stock (donated, bought or transferred), record a stocktake
//! difference, record a whole stocktake from a count sheet or typed counts, and list stock
//! levels (also `aixin goods list`).
//!
//! `stock stocktake` asks the same code as the till's stocktake screen: the sheet is read and
//! matched to the catalog by [`crate::import::count`], the differences and the adjustments are
//! the domain's ([`crate::domain::stock`]), and the adjustments are committed as one batch.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::goods::goods_id_for;
use super::print::to_json;
use crate::domain::input::{checked_code, number, text, Field};
use crate::domain::stock::{adjustments, differences};
use crate::domain::time::Moment;
use crate::domain::{decide_at, Command, DecideError, EventBody, StockSource, Zone};
use crate::i18n::Lang;
use crate::import::count::{
    read_count_file_all, CountPlace, CountProblem, ItemCount, ItemRef, Tally,
};
use crate::report::table::{render_text, Cell, Table};
use crate::store::ledger::View;

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
    /// Record a stocktake from a count sheet (--sheet) and/or typed counts (--count): each
    /// difference from the ledger is adjusted, all in one batch; items not counted are left.
    ///
    /// 盘点：按盘点表（--sheet）和/或 --count 的实盘数，把与账面不符的各项一次记账；没盘点的商品不调整
    Stocktake {
        /// The count sheet (盘点表): .xlsx, .xls, .ods, or CSV in UTF-8 or GBK, with a goods id
        /// (商品编号) or barcode (条码) column and a counted (实盘数) column, found by name.
        ///
        /// 〈文件〉盘点表：.xlsx、.xls、.ods，或 UTF-8、GBK 编码的 CSV；要有“商品编号”（或“条码”）和“实盘数”两列，按表头名字找
        #[arg(long, value_name = "FILE")]
        sheet: Option<PathBuf>,
        /// One item's count as GOODS=UNITS (goods id or barcode), e.g. G00001=12; repeat it
        /// for more items.
        ///
        /// 〈商品=数量〉一种商品的实盘数，写成 商品编号（或条码）=件数，如 G00001=12；可以写多次
        #[arg(long = "count", value_name = "GOODS=UNITS", allow_hyphen_values = true)]
        counts: Vec<String>,
        /// Why, recorded on every adjustment (default: stocktake).
        ///
        /// 〈原因〉原因，记在每一笔调整上（默认：盘点）
        #[arg(long)]
        reason: Option<String>,
        /// Only show the differences; record nothing.
        ///
        /// 只列出差异，不记账
        #[arg(long)]
        preview: bool,
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
        StockCmd::Stocktake {
            sheet,
            counts,
            reason,
            preview,
        } => stocktake(ctx, sheet, &counts, reason.as_deref(), preview),
        StockCmd::List => list(ctx),
    }
}

/// One line of a stocktake as printed: the item, its name, held, counted and the difference.
#[derive(Debug, serde::Serialize)]
struct StocktakeLine {
    goods_id: String,
    name: String,
    stock_units: i64,
    counted_units: i64,
    delta: i64,
}

/// `aixin stock stocktake [--sheet FILE] [--count GOODS=UNITS]… [--reason R] [--preview]`:
/// the counts matched to the catalog (nothing is recorded while any cannot be used), the
/// differences the domain finds, and (without `--preview`) their adjustments committed as one
/// batch. JSON `{reason, counted, differences: [{goods_id, name, stock_units, counted_units,
/// delta}], recorded, seqs}`.
fn stocktake(
    ctx: &Context,
    sheet: Option<PathBuf>,
    counts: &[String],
    reason: Option<&str>,
    preview: bool,
) -> Result<(), CliError> {
    if sheet.is_none() && counts.is_empty() {
        return Err(CliError::CountsMissing);
    }
    let typed = counts
        .iter()
        .map(|given| parse_count(given))
        .collect::<Result<Vec<_>, _>>()?;
    let reason = match reason {
        Some(reason) => text(reason),
        None => ctx.t("盘点", "stocktake").to_string(),
    };
    let mut ledger = ctx.open()?;
    let (counted, lines, commands) = {
        let view = ledger.view()?;
        let sheet_file = sheet.clone();
        let counts = matched_counts(&view, sheet, typed)?;
        let mut records = Vec::with_capacity(counts.len());
        for count in &counts {
            let record = view
                .state()
                .goods(&count.goods_id)?
                .ok_or_else(|| crate::domain::Refusal::UnknownGoods(count.goods_id.clone()))?;
            records.push((record, count.counted_units));
        }
        let found = differences(records.iter().map(|(record, units)| (record, *units)))?;
        let names: HashMap<&str, &str> = records
            .iter()
            .map(|(r, _)| (r.goods.goods_id.as_str(), r.goods.name.as_str()))
            .collect();
        let lines: Vec<StocktakeLine> = found
            .iter()
            .map(|d| StocktakeLine {
                goods_id: d.goods_id.clone(),
                name: names
                    .get(d.goods_id.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                stock_units: d.stock_units,
                counted_units: d.counted_units,
                delta: d.delta(),
            })
            .collect();
        let commands = adjustments(&found, &reason);
        refuse_before_writing(&view, &ctx.moment()?, &counts, &commands, sheet_file)?;
        (records.len(), lines, commands)
    };
    let mut seqs = Vec::new();
    if !preview && !commands.is_empty() {
        let events = ctx.execute_batch_on(&mut ledger, &commands)?;
        seqs = events
            .iter()
            .filter(|e| matches!(e.body, EventBody::StockAdjusted { .. }))
            .map(|e| e.seq)
            .collect();
    }
    let recorded = !seqs.is_empty();
    let text = stocktake_text(ctx.lang, counted, &lines, &reason, preview);
    ctx.out().print(
        &text,
        json!({
            "reason": reason,
            "counted": counted,
            "differences": to_json(&lines),
            "recorded": recorded,
            "seqs": seqs,
        }),
    );
    Ok(())
}

/// The counts of the sheet at `sheet` and the typed ones, matched to the catalog by the one
/// matcher the till uses ([`Tally`]); or, when any cannot be used, the refusal that lists them
/// all: the sheet's bad rows in row order (unreadable cells, unknown items, items counted
/// twice), then the bad `--count` arguments.
fn matched_counts(
    view: &View,
    sheet: Option<PathBuf>,
    typed: Vec<(String, ItemRef, i64)>,
) -> Result<Vec<ItemCount>, CliError> {
    let mut tally = Tally::default();
    let mut problems = Vec::new();
    let mut unreadable = false;
    if let Some(path) = &sheet {
        let (rows, mut bad_rows) = read_count_file_all(path);
        unreadable = !bad_rows.is_empty();
        tally.add_rows(view, rows)?;
        bad_rows.extend(tally.problems.drain(..).filter_map(|p| match p {
            CountProblem::Sheet(p) => Some(p),
            CountProblem::Typed { .. } => None,
        }));
        bad_rows.sort_by_key(|p| p.row);
        problems.extend(bad_rows.into_iter().map(CountProblem::Sheet));
    }
    for (given, item, units) in typed {
        tally.add(view, &item, units, CountPlace::Typed(given))?;
    }
    problems.append(&mut tally.problems);
    if problems.is_empty() {
        Ok(tally.counts)
    } else {
        Err(CliError::CountsRefused {
            file: sheet,
            problems,
            unreadable,
        })
    }
}

/// Each adjustment decided by the ledger's rules before anything is written (a preview shows
/// what the commit would do; the batch decides them again when it is written): a refusal — an
/// empty reason, a difference beyond what one adjustment may record — is named at the row or
/// `--count` its count came from, or said once when every adjustment is refused alike (an
/// empty reason). The clock is asked when the batch is written, as at every write.
fn refuse_before_writing(
    view: &View,
    moment: &Moment,
    counts: &[ItemCount],
    commands: &[Command],
    sheet: Option<PathBuf>,
) -> Result<(), CliError> {
    let mut refused = Vec::new();
    for command in commands {
        match decide_at(view.state(), command, moment) {
            Ok(_) => {}
            Err(DecideError::Refused(refusal)) if refusal.is_clock() => {}
            Err(DecideError::Refused(refusal)) => refused.push((command, refusal)),
            Err(DecideError::Fault(fault)) => return Err(fault.into()),
        }
    }
    if let [(_, first), ..] = refused.as_slice() {
        let alike = refused.len() > 1 && refused.iter().all(|(_, r)| r == first);
        if alike && refused.len() == commands.len() {
            return Err(first.clone().into());
        }
    }
    let mut problems = Vec::new();
    for (command, refusal) in refused {
        let Command::AdjustStock { goods_id, .. } = command else {
            continue;
        };
        let place = counts
            .iter()
            .find(|c| &c.goods_id == goods_id)
            .map(|c| c.place.clone())
            .unwrap_or_else(|| CountPlace::Typed(goods_id.clone()));
        problems.push(CountProblem::at(
            place,
            refusal.message(Lang::Zh),
            refusal.message(Lang::En),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::CountsRefused {
            file: sheet,
            problems,
            unreadable: false,
        })
    }
}

/// `GOODS=UNITS` as typed after `--count` (full-width digits, `＝` and spaces folded by the one
/// normaliser): the argument as given, the item (a goods id or barcode; an Excel-mangled one is
/// refused) and the units.
fn parse_count(given: &str) -> Result<(String, ItemRef, i64), CliError> {
    let bad = || CliError::CountArgument(given.to_string());
    let (item, units) = given.split_once(['=', '＝']).ok_or_else(bad)?;
    let item = checked_code(item, Field::Barcode)?;
    if item.is_empty() {
        return Err(bad());
    }
    let units = number(units, Field::Quantity)?;
    Ok((given.to_string(), ItemRef::Code(item), units))
}

/// What a stocktake found and did, in words: the differences as a table, then whether they
/// were recorded.
fn stocktake_text(
    lang: Lang,
    counted: usize,
    lines: &[StocktakeLine],
    reason: &str,
    preview: bool,
) -> String {
    let differ = lines.len();
    if lines.is_empty() {
        return match lang {
            Lang::Zh => {
                format!("盘点 {counted} 种商品，实盘数与账面一致，没有要调整的；什么都没记")
            }
            Lang::En => format!(
                "{counted} items counted; every count matches the ledger, nothing to record"
            ),
        };
    }
    let table = Table {
        title: match lang {
            Lang::Zh => format!("盘点差异：盘点 {counted} 种，{differ} 种与账面不符"),
            Lang::En => {
                format!("stocktake: {counted} items counted, {differ} differ from the ledger")
            }
        },
        headers: [
            ("商品编号", "goods id"),
            ("名称", "name"),
            ("账面", "held"),
            ("实盘", "counted"),
            ("差额", "difference"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect(),
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    Cell::from(l.goods_id.as_str()),
                    Cell::from(l.name.as_str()),
                    Cell::from(l.stock_units),
                    Cell::from(l.counted_units),
                    Cell::Text(format!("{:+}", l.delta)),
                ]
            })
            .collect(),
    };
    let done = match (preview, lang) {
        (true, Lang::Zh) => "（预览：尚未记账；核对无误后去掉 --preview 再运行一次）".to_string(),
        (true, Lang::En) => {
            "(preview: nothing recorded yet; run it again without --preview to record)".to_string()
        }
        (false, Lang::Zh) => format!("盘点已记账：调整 {differ} 种商品，原因“{reason}”"),
        (false, Lang::En) => {
            format!("stocktake recorded: {differ} items adjusted, reason \"{reason}\"")
        }
    };
    format!("{}\n{done}", render_text(&table).trim_end())
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
