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
use crate::import::count::{resolve, ItemRef};
use crate::import::{self, Kind};
use crate::store::ledger::View;

/// Goods subcommands.
#[derive(Debug, Subcommand)]
pub enum GoodsCmd {
    /// Add a new catalog item. An id already in the catalog is refused (change it with
    /// `goods edit`); the same definition again is nothing new.
    ///
    /// 登记一种新商品；编号已在目录里的不会被改写（修改请用 aixin goods edit），完全相同的再登记一次没有新内容
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
    /// Change a catalog item: what is given changes, the rest stays; `--low-stock N` lists it
    /// as running low (in the till's catalog and day screen) below N units, 0 for no reminder.
    ///
    /// 修改一种商品：给了的项改，没给的不变；--low-stock N：库存少于 N 件时在收银台目录和日结画面提醒，0 为不提醒
    Edit {
        /// Goods id.
        ///
        /// 〈商品编号〉要修改的商品编号
        goods: String,
        /// Name.
        ///
        /// 〈名称〉商品名称
        #[arg(long)]
        name: Option<String>,
        /// Price in points.
        ///
        /// 〈积分〉兑换所需积分
        #[arg(long, allow_hyphen_values = true)]
        price: Option<String>,
        /// Zone: 2, 5, 10, 20, 30, 50 or donation.
        ///
        /// 〈专区〉专区：2、5、10、20、30、50 分区或 捐赠区
        #[arg(long)]
        zone: Option<String>,
        /// Unit (袋, 瓶…).
        ///
        /// 〈单位〉单位（袋、瓶…）
        #[arg(long)]
        unit: Option<String>,
        /// Barcode.
        ///
        /// 〈条码〉条码
        #[arg(long)]
        barcode: Option<String>,
        /// Category.
        ///
        /// 〈类别〉类别
        #[arg(long)]
        category: Option<String>,
        /// Supplying merchant (for settlement).
        ///
        /// 〈供应商〉供货商户（结算用）
        #[arg(long)]
        supplier: Option<String>,
        /// Low-stock reminder: below this many units (0: none).
        ///
        /// 〈件数〉低库存提醒：少于这么多件时提醒（0：不提醒）
        #[arg(long, value_name = "UNITS", allow_hyphen_values = true)]
        low_stock: Option<String>,
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
            // The domain decides whether the id is new, the same again, or taken.
            let events = ctx.execute(&Command::AddGoods { goods })?;
            let defined = events
                .iter()
                .any(|e| matches!(e.body, crate::domain::EventBody::GoodsDefined { .. }));
            if defined {
                ctx.out().print(
                    &format!("{} {id}", ctx.t("已登记商品", "defined goods")),
                    json!({ "goods_id": id, "changed": true }),
                );
            } else {
                unchanged(
                    ctx,
                    &id,
                    ctx.t(
                        "已在目录里，与给的完全相同，没有新内容",
                        "is already in the catalog exactly like that; nothing new",
                    ),
                );
            }
            Ok(())
        }
        GoodsCmd::Edit {
            goods,
            name,
            price,
            zone,
            unit,
            barcode,
            category,
            supplier,
            low_stock,
        } => {
            let id = checked_code(&goods, Field::GoodsId)?;
            let mut ledger = ctx.open()?;
            let item = ledger
                .view()?
                .state()
                .goods(&id)?
                .ok_or_else(|| Refusal::UnknownGoods(id.clone()))?
                .goods;
            let changed = Goods {
                name: name.as_deref().map_or(item.name.clone(), text),
                unit: unit.as_deref().map_or(item.unit.clone(), text),
                barcode: match barcode.as_deref() {
                    Some(b) => checked_code(b, Field::Barcode)?,
                    None => item.barcode.clone(),
                },
                price_points: match price.as_deref() {
                    Some(p) => number(p, Field::PricePoints)?,
                    None => item.price_points,
                },
                zone: match zone.as_deref() {
                    Some(z) => input::zone(z)?,
                    None => item.zone,
                },
                category: category.as_deref().map_or(item.category.clone(), text),
                supplier: supplier.as_deref().map_or(item.supplier.clone(), text),
                goods_id: id.clone(),
            };
            let mut commands = Vec::new();
            if changed != item {
                commands.push(Command::DefineGoods { goods: changed });
            }
            if let Some(units) = low_stock.as_deref() {
                commands.push(Command::SetLowStock {
                    goods_id: id.clone(),
                    units: number(units, Field::Quantity)?,
                });
            }
            if commands.is_empty() {
                // Nothing asked differs from the catalog: nothing is written.
                unchanged(
                    ctx,
                    &id,
                    ctx.t(
                        "和给的一样，没有修改",
                        "already reads like that; nothing changed",
                    ),
                );
                return Ok(());
            }
            ctx.execute_batch_on(&mut ledger, &commands)?;
            ctx.out().print(
                &format!("{} {id}", ctx.t("已修改商品", "changed goods")),
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

/// Says that goods `id` was left as it was (`why`, in the station's language); JSON
/// `{goods_id, changed: false}`.
fn unchanged(ctx: &Context, id: &str, why: &str) {
    ctx.out().print(
        &format!("{} {id} {why}", ctx.t("商品", "goods")),
        json!({ "goods_id": id, "changed": false }),
    );
}

/// The goods id for `key`, which is a goods id or a barcode as typed or scanned (normalised
/// here; a barcode Excel has mangled is refused), resolved as a stocktake's `--count` is
/// ([`crate::import::count::resolve`]). Unknown: the domain's refusal.
pub fn resolve_goods(view: &View, key: &str) -> Result<String, CliError> {
    let key = checked_code(key, Field::Barcode)?;
    match resolve(view, &ItemRef::Code(key.clone()))? {
        Some(goods_id) => Ok(goods_id),
        None => Err(Refusal::UnknownGoods(key).into()),
    }
}

/// The goods id for an id or a barcode, read from a fresh view.
pub fn goods_id_for(ctx: &Context, key: &str) -> Result<String, CliError> {
    let ledger = ctx.open()?;
    resolve_goods(&ledger.view()?, key)
}
