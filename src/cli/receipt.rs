//! Receipts on the command line: `aixin receipt print N` shows receipt number N (the 小票号 on
//! the paper) as text, or writes it to a file or printer with `--out`; `aixin receipt reprint N`
//! sends it to the station's printer. Both are copies, marked 重印 / REPRINT. The receipt of a
//! sale or void made with `aixin redeem` / `aixin void` is issued here too ([`issue`]), the same
//! paper as the till's ([`crate::receipt`]). Where receipts go is the station's `station.toml`
//! ([`crate::config::StationConfig`]).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::print::to_json;
use crate::config::{self, StationConfig};
use crate::domain::input::{count, Field};
use crate::i18n::Lang;
use crate::receipt::layout::receipt_number;
use crate::receipt::output::{self, Format, ReceiptSettings};
use crate::receipt::{source, Print, Width};
use crate::store::Ledger;

/// `aixin receipt …`.
#[derive(Debug, Subcommand)]
pub enum ReceiptCmd {
    /// Show receipt N (marked 重印 / REPRINT) as text, or write it to a file or printer.
    ///
    /// 显示第 N 号小票（标“重印”），或写到文件、打印机
    Print(PrintArgs),
    /// Print receipt N again on the station's printer (station.toml), marked 重印 / REPRINT.
    ///
    /// 在本站的小票打印机上重印第 N 号小票（打印机在 station.toml 里设置），标“重印”
    Reprint(ReprintArgs),
}

/// Arguments of `receipt print`.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The receipt number (小票号) printed on the receipt.
    ///
    /// 〈小票号〉印在小票上的小票号
    pub number: String,
    /// Columns: 32 (58 mm paper) or 48 (80 mm paper); default from station.toml.
    ///
    /// 〈列数〉32（58 毫米纸）或 48（80 毫米纸）；默认按 station.toml
    #[arg(long, value_parser = parse_width)]
    pub width: Option<Width>,
    /// ESC/POS printer commands with the text in GBK instead of text (needs --out).
    ///
    /// 输出小票打印机指令（国标码），而不是文本（须同时给 --out）
    #[arg(long, requires = "out")]
    pub escpos: bool,
    /// Write it to this file or printer device instead of the screen.
    ///
    /// 〈路径〉写到这个文件或打印机设备，而不是显示在屏幕上
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Arguments of `receipt reprint`.
#[derive(Debug, Args)]
pub struct ReprintArgs {
    /// The receipt number (小票号) printed on the receipt.
    ///
    /// 〈小票号〉印在小票上的小票号
    pub number: String,
}

fn parse_width(text: &str) -> Result<Width, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .and_then(Width::from_columns)
        .ok_or_else(|| format!("'{text}': 32 (58 mm paper) or 48 (80 mm paper)"))
}

/// `aixin receipt …`.
pub fn run(ctx: &Context, command: ReceiptCmd) -> Result<(), CliError> {
    match command {
        ReceiptCmd::Print(args) => print(ctx, args),
        ReceiptCmd::Reprint(args) => reprint(ctx, args),
    }
}

/// The station's receipt settings; a broken `station.toml` is refused before anything happens.
pub(super) fn settings(ctx: &Context) -> Result<ReceiptSettings, CliError> {
    Ok(StationConfig::load(&ctx.data_dir)?.receipt)
}

fn print(ctx: &Context, args: PrintArgs) -> Result<(), CliError> {
    let mut settings = settings(ctx)?;
    if let Some(width) = args.width {
        settings.width = width;
    }
    settings.format = if args.escpos {
        Format::Escpos
    } else {
        Format::Text
    };
    let ledger = ctx.open()?;
    let receipt = source::by_number(&ledger.view()?, receipt_no(&args.number)?, Print::Reprint)?;
    let rendered = output::render(&receipt, &settings, ctx.lang);
    match &args.out {
        Some(path) => {
            output::write_file(path, &rendered.bytes)?;
            let text = format!("{} {}", ctx.t("已写入", "wrote"), path.display());
            ctx.out().print(
                &text,
                json!({ "receipt_no": receipt.receipt_no, "out": path }),
            );
        }
        None => ctx.out().print(rendered.text.trim_end(), to_json(&receipt)),
    }
    Ok(())
}

fn reprint(ctx: &Context, args: ReprintArgs) -> Result<(), CliError> {
    let settings = settings(ctx)?;
    let ledger = ctx.open()?;
    let receipt = source::by_number(&ledger.view()?, receipt_no(&args.number)?, Print::Reprint)?;
    let rendered = output::render(&receipt, &settings, ctx.lang);
    let path = output::send(
        &rendered,
        &receipt,
        &settings,
        &config::receipts_dir(&ctx.data_dir),
    )?;
    let number = receipt_number(receipt.receipt_no);
    let text = match ctx.lang {
        Lang::Zh => format!("已重印小票 {number}：{}", path.display()),
        Lang::En => format!("reprinted receipt {number}: {}", path.display()),
    };
    ctx.out().print(
        &text,
        json!({ "receipt_no": receipt.receipt_no, "code": receipt.code, "path": path }),
    );
    Ok(())
}

/// The receipt of a sale or void just written (event `seq`), sent where the station's settings
/// say. The event is recorded whatever happens to the paper: a receipt that cannot be printed is
/// said on stderr with the way out (reprint it), and the command still succeeds. Returns the
/// line to print after the command's own and the fields for its JSON.
pub(super) fn issue(
    ctx: &Context,
    ledger: &Ledger,
    seq: u64,
    settings: &ReceiptSettings,
) -> (String, serde_json::Value) {
    let receipt = match ledger
        .view()
        .map_err(Into::into)
        .and_then(|view| source::by_seq(&view, seq, Print::Original))
    {
        Ok(receipt) => receipt,
        Err(e) => {
            ctx.out().warn(&e.message(ctx.lang));
            return (String::new(), json!({ "error": e.message(ctx.lang) }));
        }
    };
    let number = receipt_number(receipt.receipt_no);
    let rendered = output::render(&receipt, settings, ctx.lang);
    let receipts_dir = config::receipts_dir(&ctx.data_dir);
    let sent = output::send(&rendered, &receipt, settings, &receipts_dir);
    let fields = |path: Option<&PathBuf>| json!({ "receipt_no": receipt.receipt_no, "code": receipt.code, "path": path });
    match sent {
        Ok(path) => {
            let line = match ctx.lang {
                Lang::Zh => {
                    format!("小票 {number}，校验码 {}：{}", receipt.code, path.display())
                }
                Lang::En => format!(
                    "receipt {number}, check code {}: {}",
                    receipt.code,
                    path.display()
                ),
            };
            (line, fields(Some(&path)))
        }
        Err(e) => {
            ctx.out().warn(&e.message(ctx.lang));
            let line = match ctx.lang {
                Lang::Zh => format!(
                    "小票 {number}，校验码 {}：未打印（aixin receipt reprint {}）",
                    receipt.code, receipt.receipt_no
                ),
                Lang::En => format!(
                    "receipt {number}, check code {}: not printed (aixin receipt reprint {})",
                    receipt.code, receipt.receipt_no
                ),
            };
            (line, fields(None))
        }
    }
}

/// The receipt number as typed (`000012`, `12`, `#12`, full-width digits), read once here by the
/// one normaliser.
fn receipt_no(raw: &str) -> Result<u64, CliError> {
    Ok(count(
        raw.trim_start_matches(['#', '＃']),
        Field::ReceiptNumber,
    )?)
}
