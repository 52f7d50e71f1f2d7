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
    ///
    /// 登记或修改一种商品
    Add {
        /// Goods id.
        ///
        /// 〈商品编号〉商品编号
        #[arg(long)]
        id: String,
        /// Name.
        ///
        /// 〈名称〉商品名称
        #[arg(long)]
        name: String,
        /// Price in points.
        ///
        /// 〈积分〉兑换所需积分
        #[arg(long, allow_hyphen_values = true)]
        price: String,
        /// Zone: 2, 5, 10, 20, 30, 50 or donation.
        ///
        /// 〈专区〉专区：2、5、10、20、30、50 分区或 捐赠区
        #[arg(long)]
        zone: String,
        /// Unit (袋, 瓶…).
        ///
        /// 〈单位〉单位（袋、瓶…，默认：个）
        #[arg(long, default_value = "个")]
        unit: String,
        /// Barcode.
        ///
        /// 〈条码〉条码
        #[arg(long, default_value = "")]
        barcode: String,
        /// Category.
        ///
        /// 〈类别〉类别
        #[arg(long, default_value = "")]
        category: String,
        /// Supplying merchant (for settlement).
        ///
        /// 〈供应商〉供货商户（结算用）
        #[arg(long, default_value = "")]
        supplier: String,
    },
    /// List the catalog with stock.
    ///
    /// 商品目录及库存
    List {
        /// Write the catalog to an .xlsx or .csv file (imports back unchanged).
        ///
        /// 〈文件〉把商品目录写成 .xlsx 或 .csv 表格（原样导入时没有新内容）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import goods from a sheet: .xlsx/.xls/.ods or CSV (UTF-8 or GBK), headers by name in
    /// Chinese or English, any order (see data/samples/goods.xlsx).
    ///
    /// 从表格导入商品：.xlsx、.xls、.ods 或 CSV（UTF-8 或 GBK），表头用中文或英文、顺序不限（样表见 data/samples/goods.xlsx）
    Import {
        /// The sheet file.
        ///
        /// 〈表格文件〉表格文件
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
    let key = checked_code(key, Field::Barcode)?;
    let key = key.as_str();
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
