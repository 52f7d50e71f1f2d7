//! Receipts on paper (issue 11): one for every sale and every void, from the till and from the
//! command line alike, so both print the same receipt. This module owns what a receipt says and
//! how it is printed; which events issue receipts, their numbers and their verification codes
//! are the domain's ([`crate::domain::receipt`]), kept in the derived state with the event.
//!
//! - [`source`]: a [`Receipt`] read from the ledger, by number, by event or by code (the
//!   township searches every station it holds).
//! - [`layout`]: pure: a receipt as lines of text for a 32- or 48-column printer, a Chinese
//!   character counting two columns, long names wrapped.
//! - [`escpos`]: those lines as ESC/POS bytes in GBK for a thermal printer.
//! - [`output`]: the station's receipt settings (`station.toml`, see [`crate::config`]) and
//!   where a receipt goes: a printer device, a file, or the receipts folder.

pub mod escpos;
pub mod layout;
pub mod output;
pub mod source;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::domain::receipt::{CodeError, VerificationCode};
use crate::i18n::Lang;
use crate::store::StoreError;

/// Everything a receipt prints, read from the ledger; the layout only arranges it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The station that issued it.
    pub station_id: String,
    /// The station's name, e.g. 李家村爱心超市.
    pub station_name: String,
    /// Its number: 1, 2, 3… per station, sales and voids together.
    pub receipt_no: u64,
    /// The seq of its event: for a sale, the sale number (`LJC01-12`) that a void names.
    pub seq: u64,
    /// When the event was written, UTC ms.
    pub time_ms: i64,
    /// A sale or a void.
    pub kind: ReceiptKind,
    /// The household.
    pub household_id: String,
    /// Its head (户主), as registered now.
    pub head: String,
    /// The card used for the sale.
    pub card_no: String,
    /// Who collected on the household's behalf (代领人), if anyone.
    pub proxy: Option<String>,
    /// The goods of the sale (of the voided sale, for a void).
    pub lines: Vec<ReceiptLine>,
    /// Points of the sale (returned, for a void).
    pub total_points: i64,
    /// Spendable points before the event.
    pub balance_before_points: i64,
    /// Spendable points after it.
    pub balance_after_points: i64,
    /// Who was at the keyboard.
    pub operator: String,
    /// The verification code from the event's hash.
    pub code: VerificationCode,
    /// The first paper or a copy.
    pub print: Print,
}

/// What a receipt is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ReceiptKind {
    /// A redemption; `voided` once a later void reversed it (a reprint or a check says so).
    Sale {
        /// Whether the sale has been voided since.
        voided: bool,
    },
    /// A void of the sale `sale_seq`.
    Void {
        /// The voided sale's number.
        sale_seq: u64,
        /// The voided sale's receipt number.
        sale_receipt_no: u64,
        /// Why, as recorded.
        reason: String,
    },
}

/// One line of goods on a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReceiptLine {
    /// The goods' name as the catalog has it now (its id if it is gone).
    pub name: String,
    /// Units.
    pub quantity: i64,
    /// Points per unit at the time of the sale.
    pub price_points: i64,
    /// Points of the line: quantity × price.
    pub points: i64,
}

/// Whether a receipt is the paper given at the counter or a copy of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Print {
    /// The receipt printed when the sale or void was made.
    #[default]
    Original,
    /// Printed again later: marked 重印 / REPRINT on the paper, so that it cannot pass for a
    /// second original.
    Reprint,
}

/// The paper's width: 32 columns on 58 mm rolls, 48 on 80 mm rolls (a Chinese character takes
/// two columns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub enum Width {
    /// 58 mm paper, 32 columns.
    #[default]
    Mm58,
    /// 80 mm paper, 48 columns.
    Mm80,
}

impl Width {
    /// Columns per line.
    pub fn columns(self) -> usize {
        match self {
            Width::Mm58 => 32,
            Width::Mm80 => 48,
        }
    }

    /// The width with this many columns (32 or 48).
    pub fn from_columns(columns: u16) -> Option<Width> {
        match columns {
            32 => Some(Width::Mm58),
            48 => Some(Width::Mm80),
            _ => None,
        }
    }
}

impl TryFrom<u16> for Width {
    type Error = String;
    fn try_from(columns: u16) -> Result<Width, String> {
        Width::from_columns(columns).ok_or_else(|| {
            format!("width must be 32 (58 mm paper) or 48 (80 mm paper), not {columns}")
        })
    }
}

impl From<Width> for u16 {
    fn from(width: Width) -> u16 {
        match width {
            Width::Mm58 => 32,
            Width::Mm80 => 48,
        }
    }
}

/// Why a receipt could not be found, read or printed.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// No receipt with this number at this station: `number`, and the last one issued (0 for
    /// none yet), so that the refusal says which numbers there are.
    #[error("no receipt number {number} (the last is {last})")]
    NoSuchNumber {
        /// The number asked for.
        number: u64,
        /// The station's last receipt number; 0 before the first sale.
        last: u64,
    },
    /// The event is neither a sale nor a void, or is not in the ledger.
    #[error("event #{0} has no receipt")]
    NoReceipt(u64),
    /// No receipt in the ledger (any station) has this code: not issued here, or forged.
    #[error("no receipt with code {0}")]
    NoSuchCode(VerificationCode),
    /// Typed text that is not a code at all.
    #[error("'{text}' is not a receipt code: {error}")]
    BadCode {
        /// As typed.
        text: String,
        /// What is wrong with it.
        error: CodeError,
    },
    /// The printer or file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The device or file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The ledger could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::domain::Fault> for ReceiptError {
    fn from(fault: crate::domain::Fault) -> Self {
        ReceiptError::Store(StoreError::from(fault))
    }
}

impl ReceiptError {
    /// One line for a village manager (or a monitor checking a household's receipt).
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: String, e: String| if zh { z } else { e };
        match self {
            ReceiptError::NoSuchNumber { number, last: 0 } => t(
                format!("本站没有第 {number} 号小票：还没有开出过小票"),
                format!("this station has no receipt number {number}: it has issued no receipt yet"),
            ),
            ReceiptError::NoSuchNumber { number, last } => t(
                format!("本站没有第 {number} 号小票：小票号从 1 到 {last}，印在小票上“小票号”一行"),
                format!("this station has no receipt number {number}: its receipts are numbered 1 to {last}, printed on the receipt's 'Receipt No.' line"),
            ),
            ReceiptError::NoReceipt(seq) => t(
                format!("第 {seq} 条记录不是兑换或作废，没有小票"),
                format!("entry #{seq} is not a sale or a void; it has no receipt"),
            ),
            ReceiptError::NoSuchCode(code) => t(
                format!("查无此票：账本里没有校验码为 {code} 的小票。请核对校验码是否输错；若没有输错，这张小票不是本账本开出的（可能是伪造的）"),
                format!("no such receipt: no receipt in the ledger has the code {code}. Check the code was typed right; if it was, this receipt was not issued by this ledger (it may be forged)"),
            ),
            ReceiptError::BadCode { text, error } => match error {
                CodeError::Length(n) => t(
                    format!("“{text}”不是小票校验码：校验码是 10 位字母和数字（如 K7QXM-2PD9A），这里有 {n} 位"),
                    format!("'{text}' is not a receipt code: a code has 10 letters and digits (like K7QXM-2PD9A), this has {n}"),
                ),
                CodeError::Character(c) => t(
                    format!("“{text}”不是小票校验码：校验码里没有“{c}”（只有数字和 I、L、O、U 以外的大写字母）"),
                    format!("'{text}' is not a receipt code: no code contains '{c}' (only digits and capital letters other than I, L, O, U)"),
                ),
            },
            ReceiptError::Write { path, source } => t(
                format!("小票没有打印出来（已记账）：写不进 {}（{}）；请检查打印机和 station.toml 里的 printer，再重印（收银台 F8 流水，或 aixin receipt reprint）", path.display(), crate::i18n::os_error(source, lang)),
                format!("the receipt was not printed (it is recorded): cannot write {} ({source}); check the printer and 'printer' in station.toml, then reprint it (the till's F8 log, or aixin receipt reprint)", path.display()),
            ),
            ReceiptError::Store(e) => e.message(lang),
        }
    }
}
