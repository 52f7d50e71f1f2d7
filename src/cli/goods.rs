//! `aixin goods`: define catalog items one by one or from a sheet, and list the catalog (on
//! screen, or as a sheet that imports back). Also how the command line finds goods by id or
//! barcode ([`resolve_goods`]).

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::{export_list, import_sheet};
use super::stock;
use crate::domain::event::Goods;
use crate::domain::input::{self, checked_code, number, text, Field};
use crate::domain::{Command, Refusal};
use crate::import::{self, Kind};
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
        price: String,
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
    List {
        /// Write the catalog to an .xlsx or .csv file (imports back unchanged).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import goods from a sheet: .xlsx/.xls/.ods or CSV (UTF-8 or GBK), headers by name in
    /// Chinese or English, any order (see data/samples/goods.xlsx).
    Import {
        /// The sheet file.
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
            let id = checked_code(&id, Field::GoodsId)?;
            let goods = Goods {
                goods_id: id.clone(),
                name: text(&name),
                unit: text(&unit),
                barcode: checked_code(&barcode, Field::Barcode)?,
                price_points: number(&price, Field::PricePoints)?,
                zone: input::zone(&zone)?,
                category: text(&category),
                supplier: text(&supplier),
            };
            ctx.execute(&Command::DefineGoods { goods })?;
            ctx.out().print(
                &format!("{} {id}", ctx.t("已登记商品", "defined goods")),
                json!({ "goods_id": id }),
            );
            Ok(())
        }
        GoodsCmd::List { out: None } => stock::list(ctx),
        GoodsCmd::List { out: Some(path) } => export_list(ctx, Kind::Goods, &path, |view| {
            import::export::goods(view, ctx.lang, &path)
        }),
        GoodsCmd::Import { file } => import_sheet(ctx, Kind::Goods, &file),
    }
}

/// The goods id for `key`, which is a goods id or a barcode as typed or scanned (normalised
/// here; a barcode Excel has mangled is refused). Unknown: the domain's refusal.
pub fn resolve_goods(view: &View, key: &str) -> Result<String, CliError> {
    let key = &checked_code(key, Field::Barcode)?;
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
