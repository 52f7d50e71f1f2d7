//! The command line's shape (clap): the global options and the list of subcommands. Each
//! subcommand's own arguments live beside its handler (`household.rs` holds `HouseholdCmd`), so
//! a new subcommand is one variant here, one handler file, and one line in [`super::run`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::award::AwardCmd;
use super::backup::{BackupArgs, RestoreArgs};
use super::clock::ClockCmd;
use super::day::{CloseDayArgs, CloseYearArgs, LogArgs};
use super::goods::GoodsCmd;
use super::household::HouseholdCmd;
use super::init::InitArgs;
use super::operator::OperatorCmd;
use super::publish::PublishArgs;
use super::receipt::ReceiptCmd;
use super::report::ReportCmd;
use super::sale::{BalanceArgs, RedeemArgs, VoidArgs};
use super::score::ScoreCmd;
use super::stock::StockCmd;
use super::sync::keys::KeysCmd;
use super::sync::station::StationCmd;
use super::sync::{ExportArgs, ImportArgs};
use super::till::MonitorArgs;
use super::verify::VerifyArgs;

/// aixin — till and ledger of a village love supermarket (爱心超市).
#[derive(Debug, Parser)]
#[command(name = "aixin", version, about, long_about = None)]
pub struct Cli {
    /// Data directory holding the ledger (default: the platform data dir).
    ///
    /// 〈目录〉账本所在的数据目录（默认：本机的数据目录；也可用环境变量 AIXIN_DATA_DIR）
    #[arg(
        long,
        global = true,
        env = "AIXIN_DATA_DIR",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub data_dir: Option<PathBuf>,
    /// Interface language: zh (default) or en.
    ///
    /// 〈语言〉界面语言：zh（中文，默认）或 en（英文）；也可用环境变量 AIXIN_LANG
    #[arg(
        long,
        global = true,
        env = "AIXIN_LANG",
        hide_env_values = true,
        default_value = "zh"
    )]
    pub lang: String,
    /// Who is at the keyboard; recorded on every event. Once the station has operators, a
    /// write needs one of them and their PIN (typed at the prompt, or AIXIN_PIN).
    ///
    /// 〈操作员〉操作员姓名，记在每条记录上（默认：管理员；也可用环境变量 AIXIN_OPERATOR）；本站有了操作员以后，写账本要用其中一位的名字和密码（在提示处输入，或用环境变量 AIXIN_PIN）
    #[arg(
        long,
        global = true,
        env = "AIXIN_OPERATOR",
        hide_env_values = true,
        default_value = "管理员"
    )]
    pub operator: String,
    /// Print JSON instead of text.
    ///
    /// 输出 JSON 格式，供脚本读取
    #[arg(long, global = true)]
    pub json: bool,
    /// The date shown on this computer (YYYY-MM-DD), confirmed as right: needed for a write
    /// dated more than 30 days after the ledger's last entry, or a first entry years past
    /// this program's build.
    ///
    /// 〈日期〉确认本机显示的日期（YYYY-MM-DD）无误：距账本上一条记录超过 30 天，或第一条记录比本程序晚好几年时需要
    #[arg(long, global = true, value_name = "DATE")]
    pub confirm_date: Option<String>,
    /// Open the till on a throw-away demo station.
    ///
    /// 在临时的演示站点上打开收银台
    #[arg(long)]
    pub demo: bool,
    /// What to do; without one, the till opens.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// The subcommands (the contract in PRODUCT.md).
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create the station in the data directory.
    ///
    /// 在数据目录里建立本站
    Init(InitArgs),
    /// Households: add, edit, list, show, import, reissue-card.
    ///
    /// 农户：登记、更正、列表、查看、导入、补卡
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// Catalog: add, list, import.
    ///
    /// 商品目录：登记、列表、导入
    #[command(subcommand)]
    Goods(GoodsCmd),
    /// Stock: receive, adjust, stocktake, list.
    ///
    /// 库存：入库、调整、盘点、列表
    #[command(subcommand)]
    Stock(StockCmd),
    /// Committee scores: enter, import.
    ///
    /// 评分：录入、导入
    #[command(subcommand)]
    Score(ScoreCmd),
    /// Awards after publicity: confirm, revoke, list.
    ///
    /// 公示期满后的积分：确认、撤销、列表
    #[command(subcommand)]
    Award(AwardCmd),
    /// Spend a household's points on goods: `aixin redeem CARD G001:2 G007`.
    ///
    /// 用农户积分兑换商品，例如 aixin redeem LJ0001 G001:2 G007
    Redeem(RedeemArgs),
    /// Reverse a sale by its number, with a reason.
    ///
    /// 按单号作废一笔兑换，须写明原因
    Void(VoidArgs),
    /// A household's points, by card number or household id.
    ///
    /// 查询农户积分（按卡号或户号）
    Balance(BalanceArgs),
    /// One day's events and totals (today by default).
    ///
    /// 某一天的流水和合计（默认今天）
    Log(LogArgs),
    /// Close the till session (日结): everything since the previous close, frozen as a Z report.
    ///
    /// 日结：结束本班次，上次日结以来的全部记录生成 Z 报表
    CloseDay(CloseDayArgs),
    /// Year-end clearing (一年一清) of a finished year's credit, with a preview and the honours.
    ///
    /// 年终清零（一年一清）：先预览，附当年光荣榜
    CloseYear(CloseYearArgs),
    /// The computer clock: record that it was fast (correct).
    ///
    /// 电脑时钟：登记时钟曾经偏快（更正）
    #[command(subcommand)]
    Clock(ClockCmd),
    /// Reports: day, session, board, settlement, stock, donations, budget, stats.
    ///
    /// 报表：当日、班次、公示榜、结算、库存、捐赠、预算、统计
    #[command(subcommand)]
    Report(ReportCmd),
    /// Receipts: print (show) or reprint one by its number; copies are marked 重印 / REPRINT.
    ///
    /// 小票：按小票号显示或重印，重印的小票标“重印”
    #[command(subcommand)]
    Receipt(ReceiptCmd),
    /// Check the hash chain and rebuild all derived state from the events; or, with
    /// --receipt CODE, check a paper receipt against the ledger.
    ///
    /// 校验账本的哈希链，并由记录重算全部余额和库存；加 --receipt 校验码 则核对一张纸质小票
    Verify(VerifyArgs),
    /// Review the ledger read-only (the monitor's view).
    ///
    /// 只读查看账本（监督员用）
    Monitor(MonitorArgs),
    /// This station's sync keys: show, create.
    ///
    /// 本站同步密钥：查看、生成
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Stations known to a township: enroll, list, revoke.
    ///
    /// 同步站点：登记、列表、吊销
    #[command(subcommand)]
    Station(StationCmd),
    /// Write a bundle of unacknowledged events for the other side.
    ///
    /// 把对方还没收到的记录导出成数据包
    Export(ExportArgs),
    /// Import bundle files.
    ///
    /// 导入数据包文件
    Import(ImportArgs),
    /// Township or county: publish every verified event into PostgreSQL (re-runs send only
    /// what is new).
    ///
    /// 乡镇或县：把核验过的全部记录发布到 PostgreSQL 数据库（再次运行只发送新的记录）
    Publish(PublishArgs),
    /// Operators (people at the keyboard) and their roles: add, list, pin, role, remove.
    ///
    /// 操作员（收银的人）和角色：添加、列表、重设密码、改角色、删除
    #[command(subcommand)]
    Operator(OperatorCmd),
    /// Write one encrypted backup file (ledger and keys) into a folder, read back and checked.
    ///
    /// 把账本和密钥备份成一个加密文件写进文件夹（U 盘），写完读回检查
    Backup(BackupArgs),
    /// Fill an empty --data-dir from a backup file.
    ///
    /// 用备份文件恢复到一个空的 --data-dir
    Restore(RestoreArgs),
}
