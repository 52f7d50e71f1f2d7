//! The household list and the catalog as sheets a clerk can keep, edit and import again:
//! `household list --out FILE` and `goods list --out FILE`, `.xlsx` or `.csv` by the file's
//! extension, headers in the interface language ([`super::headers`] writes and reads the same
//! names). Unchanged, such a file imports back as "nothing new". In the workbook every id, card,
//! phone and barcode cell — and the empty cells below, for new rows — is formatted as Text, so
//! Excel never turns a barcode into `6.91012E+12` or drops a leading zero; the CSV is UTF-8
//! with a byte-order mark so Excel shows Chinese. Files are replaced atomically.

use std::path::{Path, PathBuf};

use super::headers::Kind;
use crate::domain::event::{Goods, Household, Zone};
use crate::domain::input::{Field, FieldKind};
use crate::domain::state::HouseholdRecord;
use crate::i18n::Lang;
use crate::report::table::{write_atomic, Cell};
use crate::report::{write_csv, ReportError, Table};
use crate::store::ledger::View;
use crate::store::StoreError;

/// The kinds of file a list is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// UTF-8 CSV with a byte-order mark.
    Csv,
    /// An Excel workbook with one sheet.
    Xlsx,
}

impl SheetFormat {
    /// The format for a file name's extension (`.csv`, `.xlsx`, any case), if supported.
    pub fn of(path: &Path) -> Option<SheetFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(SheetFormat::Csv),
            "xlsx" => Some(SheetFormat::Xlsx),
            _ => None,
        }
    }
}

/// Why a list was not written; the target file is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file name's extension is neither `.xlsx` nor `.csv`.
    #[error("unsupported file type: {}", .0.display())]
    Format(PathBuf),
    /// The ledger could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] ReportError),
}

impl ExportError {
    /// A one-line message that names the way out.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ExportError::Format(path) => match lang {
                Lang::Zh => format!(
                    "{}：只能写成 .xlsx 或 .csv 文件；请换一个以 .xlsx 或 .csv 结尾的文件名",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: lists are written as .xlsx or .csv; give a file name ending in .xlsx or .csv",
                    path.display()
                ),
            },
            ExportError::Store(e) => e.message(lang),
            ExportError::Write(e) => e.message(lang),
        }
    }
}

/// Writes the station's households (`only` these, as the caller's lookup found them, or all)
/// to `path`; returns how many.
pub fn households(
    view: &View,
    lang: Lang,
    path: &Path,
    only: Option<&[HouseholdRecord]>,
) -> Result<usize, ExportError> {
    let format = SheetFormat::of(path).ok_or_else(|| ExportError::Format(path.to_path_buf()))?;
    let mut rows = Vec::new();
    match only {
        Some(records) => {
            for record in records {
                rows.push(household_row(&record.household, lang));
            }
        }
        None => view.for_each_household(|record| {
            rows.push(household_row(&record.household, lang));
            Ok(())
        })?,
    }
    let count = rows.len();
    write(Kind::Households, lang, path, format, rows)?;
    Ok(count)
}

/// Writes the catalog to `path`; returns how many items.
pub fn goods(view: &View, lang: Lang, path: &Path) -> Result<usize, ExportError> {
    let format = SheetFormat::of(path).ok_or_else(|| ExportError::Format(path.to_path_buf()))?;
    let rows: Vec<Vec<String>> = view
        .goods()?
        .iter()
        .map(|record| goods_row(&record.goods, lang))
        .collect();
    let count = rows.len();
    write(Kind::Goods, lang, path, format, rows)?;
    Ok(count)
}

fn household_row(h: &Household, lang: Lang) -> Vec<String> {
    vec![
        h.household_id.clone(),
        h.card_no.clone(),
        h.head.clone(),
        h.members.join(lang.pick("、", ";")),
        h.group.clone(),
        h.phone.clone(),
        lang.pick(
            if h.registered_poor { "是" } else { "否" },
            if h.registered_poor { "yes" } else { "no" },
        )
        .to_string(),
    ]
}

fn goods_row(g: &Goods, lang: Lang) -> Vec<String> {
    vec![
        g.goods_id.clone(),
        g.name.clone(),
        g.unit.clone(),
        g.barcode.clone(),
        g.price_points.to_string(),
        match g.zone {
            Zone::Points(z) => z.to_string(),
            Zone::Donation => lang.pick("捐赠区", "donation").to_string(),
        },
        g.category.clone(),
        g.supplier.clone(),
    ]
}

fn sheet_title(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Households => lang.pick("农户名单", "households"),
        Kind::Goods => lang.pick("商品目录", "catalog"),
        Kind::Scores => lang.pick("评分", "scores"),
    }
}

fn write(
    kind: Kind,
    lang: Lang,
    path: &Path,
    format: SheetFormat,
    rows: Vec<Vec<String>>,
) -> Result<(), ReportError> {
    let table = Table {
        title: sheet_title(kind, lang).to_string(),
        headers: kind
            .columns()
            .iter()
            .map(|c| c.header(lang).to_string())
            .collect(),
        // Every cell as the clerk typed it: the list reads back through the importer, which
        // reads ids and numbers by their column, so text keeps leading zeros and long digits.
        rows: rows
            .into_iter()
            .map(|row| row.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    match format {
        SheetFormat::Csv => write_csv(&table, path),
        SheetFormat::Xlsx => {
            let fields: Vec<Field> = kind.columns().iter().map(|c| c.field).collect();
            let bytes = build_xlsx(&table, &fields).map_err(|e| ReportError::Xlsx {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            write_atomic(path, &bytes)
        }
    }
}

/// Rows below the data that still carry the Text format, for new entries.
const XLSX_TEXT_ROWS_AHEAD: u32 = 1_000;

/// One sheet: a bold, frozen header; number fields as numbers; every other cell, and the
/// column below it, formatted as Text (`@`).
fn build_xlsx(table: &Table, fields: &[Field]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(&table.title)?;
    let bold = Format::new().set_bold();
    let as_text = Format::new().set_num_format("@");
    for (col, (header, field)) in table.headers.iter().zip(fields).enumerate() {
        let col = u16::try_from(col).map_err(|_| too_large())?;
        sheet.write_string_with_format(0, col, header, &bold)?;
        let width = match field.kind() {
            FieldKind::Code => 16,
            FieldKind::Number | FieldKind::Flag => 10,
            FieldKind::Text => 20,
        };
        sheet.set_column_width(col, width)?;
    }
    let data_rows = u32::try_from(table.rows.len()).map_err(|_| too_large())?;
    for (index, row) in table.rows.iter().enumerate() {
        let row_num = u32::try_from(index + 1).map_err(|_| too_large())?;
        for (col, (cell, field)) in row.iter().zip(fields).enumerate() {
            let col = u16::try_from(col).map_err(|_| too_large())?;
            let cell = cell.text();
            match (field.kind(), cell.parse::<i64>()) {
                (FieldKind::Number, Ok(value)) => {
                    sheet.write(row_num, col, value)?;
                }
                _ => {
                    sheet.write_string_with_format(row_num, col, &cell, &as_text)?;
                }
            }
        }
    }
    // Empty Text-formatted cells below the list: what a clerk types there stays as typed.
    for row_num in data_rows + 1..=data_rows + XLSX_TEXT_ROWS_AHEAD {
        for (col, field) in fields.iter().enumerate() {
            if field.kind() != FieldKind::Number {
                let col = u16::try_from(col).map_err(|_| too_large())?;
                sheet.write_blank(row_num, col, &as_text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

fn too_large() -> rust_xlsxwriter::XlsxError {
    rust_xlsxwriter::XlsxError::ParameterError("too many rows or columns for one sheet".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            SheetFormat::of(Path::new("a.xlsx")),
            Some(SheetFormat::Xlsx)
        );
        assert_eq!(SheetFormat::of(Path::new("a.CSV")), Some(SheetFormat::Csv));
        assert_eq!(SheetFormat::of(Path::new("a.xls")), None);
        assert_eq!(SheetFormat::of(Path::new("a")), None);
    }

    #[test]
    fn a_workbook_reads_back_with_exact_codes() {
        let table = Table {
            title: "商品目录".into(),
            headers: Kind::Goods
                .columns()
                .iter()
                .map(|c| c.zh.to_string())
                .collect(),
            rows: vec![vec![
                "0101".into(),
                "大米".into(),
                "袋".into(),
                "6910123614616".into(),
                "30".into(),
                "30".into(),
                "粮油".into(),
                "".into(),
            ]],
        };
        let fields: Vec<Field> = Kind::Goods.columns().iter().map(|c| c.field).collect();
        let bytes = build_xlsx(&table, &fields).unwrap_or_default();
        let book = crate::import::reader::from_bytes(&bytes).ok();
        let rows = book.map(|b| b.sheets[0].rows.clone()).unwrap_or_default();
        use crate::import::reader::Cell;
        assert_eq!(
            rows.len(),
            2,
            "header and one row; blank Text cells are not rows"
        );
        assert_eq!(rows[1].cells[0], Cell::Text("0101".into()));
        assert_eq!(rows[1].cells[3], Cell::Text("6910123614616".into()));
        assert_eq!(rows[1].cells[4], Cell::Int(30));
    }
}
