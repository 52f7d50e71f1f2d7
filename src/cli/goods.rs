//! `aixin goods`: define catalog items one by one or from a CSV file, and list the catalog.
//! Also how the command line finds goods by id or barcode ([`resolve_goods`]).

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::import_csv;
use super::stock;
use crate::domain::event::Goods;
use crate::domain::{Command, Refusal};
use crate::import;
use crate::store::ledger::View;

/// Goods subcommands.
#[derive(Debug, Subcommand)]
pub enum GoodsCmd {
    /// Add or change a catalog item.
    Add {
        /// Goods id.
        #[arg(long)]
        id: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// Price in points.
        #[arg(long, allow_hyphen_values = true)]
        price: i64,
        /// Zone: 2, 5, 10, 20, 30, 50 or donation.
        #[arg(long)]
        zone: String,
        /// Unit (袋, 瓶…).
        #[arg(long, default_value = "个")]
        unit: String,
        /// Barcode.
        #[arg(long, default_value = "")]
        barcode: String,
        /// Category.
        #[arg(long, default_value = "")]
        category: String,
        /// Supplying merchant (for settlement).
        #[arg(long, default_value = "")]
        supplier: String,
    },
    /// List the catalog with stock.
    List,
    /// Import goods from CSV (goods_id,name,unit,barcode,price_points,zone,category,supplier).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// `aixin goods …`.
pub fn run(ctx: &Context, command: GoodsCmd) -> Result<(), CliError> {
    match command {
        GoodsCmd::Add {
            id,
            name,
            price,
            zone,
            unit,
            barcode,
            category,
            supplier,
        } => {
            let zone = import::parse_zone(&zone).ok_or(CliError::Zone(zone))?;
            let goods = Goods {
                goods_id: id.clone(),
                name,
                unit,
                barcode,
                price_points: price,
                zone,
                category,
                supplier,
            };
            ctx.execute(&Command::DefineGoods { goods })?;
            ctx.out().print(
                &format!("{} {id}", ctx.t("已登记商品", "defined goods")),
                json!({ "goods_id": id }),
            );
            Ok(())
        }
        GoodsCmd::List => stock::list(ctx),
        GoodsCmd::Import { file } => {
            import_csv(ctx, &file, import::parse_goods, ("种商品", "goods"))
        }
    }
}

/// The goods id for `key`, which is a goods id or a barcode. Unknown: the domain's refusal.
pub fn resolve_goods(view: &View, key: &str) -> Result<String, CliError> {
    if view.state().goods(key)?.is_some() {
        return Ok(key.to_string());
    }
    match view.goods_by_barcode(key)? {
        Some(g) => Ok(g.goods.goods_id),
        None => Err(Refusal::UnknownGoods(key.to_string()).into()),
    }
}

/// The goods id for an id or a barcode, read from a fresh view.
pub fn goods_id_for(ctx: &Context, key: &str) -> Result<String, CliError> {
    let ledger = ctx.open()?;
    resolve_goods(&ledger.view()?, key)
}
