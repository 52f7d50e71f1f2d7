//! Where a receipt goes. The station's `[receipt]` settings (`station.toml` in the data
//! directory, read by [`crate::config::StationConfig`]) give the paper width, the format (UTF-8
//! text, or ESC/POS in GBK for a receipt printer) and the printer: a device path such as
//! `/dev/usb/lp0` (Linux), `COM3` or a shared printer's `\\PC\POS58` (Windows), or a file, which
//! each receipt is appended to as a print spool would be. Without a printer each receipt is one
//! file in the receipts folder of the data directory, named by date and receipt number
//! (`2026-11-21-R000007.txt`, `.bin` for ESC/POS; a copy `…-R000007-reprint.txt`), from which it
//! can be printed or sent on.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{escpos, layout, Print, Receipt, ReceiptError, Width};
use crate::domain::time::CivilDate;
use crate::i18n::Lang;

/// What the receipt printer takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// UTF-8 text, one line per printed line.
    #[default]
    Text,
    /// ESC/POS printer commands with the text in GBK ([`escpos`]).
    Escpos,
}

/// The station's receipt settings: the `[receipt]` table of `station.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiptSettings {
    /// Paper width: `width = 32` (58 mm, the default) or `48` (80 mm).
    pub width: Width,
    /// `format = "text"` (the default) or `"escpos"`.
    pub format: Format,
    /// `printer = "/dev/usb/lp0"`: a device or file each receipt is appended to; unset, each
    /// receipt is its own file in the receipts folder.
    pub printer: Option<PathBuf>,
}

/// A receipt laid out for the station's printer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The text, for the screen and for a text printer.
    pub text: String,
    /// What is written: the text, or the ESC/POS job.
    pub bytes: Vec<u8>,
}

/// Lays `receipt` out at the settings' width and encodes it in their format.
pub fn render(receipt: &Receipt, settings: &ReceiptSettings, lang: Lang) -> Rendered {
    let text = layout::text(receipt, settings.width, lang);
    let bytes = encode(&text, settings.format);
    Rendered { text, bytes }
}

/// Receipt text as the bytes of a format.
pub fn encode(text: &str, format: Format) -> Vec<u8> {
    match format {
        Format::Text => text.as_bytes().to_vec(),
        Format::Escpos => escpos::encode(text),
    }
}

/// Sends a rendered receipt where the settings say: appended to the printer (device or file),
/// or as its own file in `receipts_dir`. Returns where it went.
pub fn send(
    rendered: &Rendered,
    receipt: &Receipt,
    settings: &ReceiptSettings,
    receipts_dir: &Path,
) -> Result<PathBuf, ReceiptError> {
    match &settings.printer {
        Some(printer) => {
            append(printer, &rendered.bytes)?;
            Ok(printer.clone())
        }
        None => {
            std::fs::create_dir_all(receipts_dir).map_err(|source| ReceiptError::Write {
                path: receipts_dir.to_path_buf(),
                source,
            })?;
            let path = receipts_dir.join(file_name(receipt, settings.format));
            write_file(&path, &rendered.bytes)?;
            Ok(path)
        }
    }
}

/// Sends a short report (the X/Z totals, the board's ranking) laid out at the printer's width
/// to the receipt printer: appended to the printer device or file, or, without one, written as
/// `file_name` in `receipts_dir` (its extension by format). Returns where it went. The text
/// is encoded as receipts are ([`encode`]: UTF-8, or ESC/POS in GBK with a cut).
pub fn send_slip(
    text: &str,
    settings: &ReceiptSettings,
    receipts_dir: &Path,
    file_name: &str,
) -> Result<PathBuf, ReceiptError> {
    let bytes = encode(text, settings.format);
    match &settings.printer {
        Some(printer) => {
            append(printer, &bytes)?;
            Ok(printer.clone())
        }
        None => {
            std::fs::create_dir_all(receipts_dir).map_err(|source| ReceiptError::Write {
                path: receipts_dir.to_path_buf(),
                source,
            })?;
            let extension = match settings.format {
                Format::Text => "txt",
                Format::Escpos => "bin",
            };
            let path = receipts_dir.join(format!("{file_name}.{extension}"));
            write_file(&path, &bytes)?;
            Ok(path)
        }
    }
}

/// The file name of a receipt in the receipts folder: China date of the event, receipt
/// number, `-reprint` for a copy; `.txt` or `.bin` by format.
pub fn file_name(receipt: &Receipt, format: Format) -> String {
    let copy = match receipt.print {
        Print::Original => "",
        Print::Reprint => "-reprint",
    };
    let extension = match format {
        Format::Text => "txt",
        Format::Escpos => "bin",
    };
    format!(
        "{}-R{}{copy}.{extension}",
        CivilDate::from_utc_ms(receipt.time_ms),
        layout::receipt_number(receipt.receipt_no)
    )
}

/// Writes `bytes` as the whole of the file at `path` (or to a device).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReceiptError> {
    std::fs::write(path, bytes).map_err(|source| ReceiptError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Appends `bytes` to a printer device or spool file in one write.
fn append(path: &Path, bytes: &[u8]) -> Result<(), ReceiptError> {
    let failed = |source| ReceiptError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut printer = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(failed)?;
    printer.write_all(bytes).map_err(failed)?;
    printer.flush().map_err(failed)
}
