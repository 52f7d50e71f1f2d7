//! Bytes to rows of cells, whatever program saved the sheet. The content decides, not the
//! name: a zip or OLE file is a workbook (`.xlsx`, `.xls`, `.ods`, read by calamine, every
//! visible worksheet), anything else is CSV text. CSV text is UTF-8 (with or without the
//! byte-order mark Excel's "CSV UTF-8" adds), UTF-16 with its mark (Excel's "Unicode text",
//! tab-separated), or — when it is not valid UTF-8 — GB18030, the superset of the GBK that
//! Chinese Excel's "CSV (逗号分隔)" and WPS write. Cells keep what the file holds; the
//! normaliser ([`crate::domain::input`]) decides what they mean. Row numbers are the ones the
//! clerk sees: the spreadsheet's row, or the CSV file's line.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible};

use super::{Problem, IMPORT_ROWS_MAX};
use crate::domain::time::CivilDate;

/// A sheet file larger than this is refused unread: a village's households are well under a
/// megabyte, and a workbook is unpacked whole in memory on a 2 GB laptop.
pub const FILE_BYTES_MAX: u64 = 32 * 1024 * 1024;

/// One cell as the file holds it. Numbers arrive from a workbook as doubles; they are turned
/// into exact integers here (or kept as their decimal text) so no floating point goes further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text, as typed (every CSV cell is text).
    Text(String),
    /// A whole number cell (exact: below 2^53).
    Int(i64),
    /// A number cell with a fraction (or too large to be exact), as Excel would show it.
    Decimal(String),
    /// A TRUE/FALSE cell.
    Bool(bool),
    /// A date or date-time cell, as its China date.
    Date(CivilDate),
    /// An error value (`#N/A`, `#REF!`): a broken formula.
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing (spaces count as nothing).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with its number as the clerk sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    /// Spreadsheet row, or CSV line, 1-based.
    pub number: u64,
    /// The cells from column A on.
    pub cells: Vec<Cell>,
}

/// One worksheet (a CSV file is one, without a name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The worksheet's name; `None` for CSV.
    pub name: Option<String>,
    /// Its non-blank rows, in order.
    pub rows: Vec<SheetRow>,
}

/// A whole file: its sheets, and how its text was encoded (CSV only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Book {
    /// The sheets, in the workbook's order.
    pub sheets: Vec<Sheet>,
    /// `UTF-8`, `UTF-16LE`, `GB18030`… for CSV; `None` for a workbook.
    pub encoding: Option<&'static str>,
}

/// Reads a sheet file.
pub fn read(path: &Path) -> Result<Book, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::file(
            format!(
                "无法读取：{}",
                crate::i18n::os_error(&e, crate::i18n::Lang::Zh)
            ),
            format!("cannot read the file: {e}"),
        )
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > FILE_BYTES_MAX {
        return Err(Problem::file(
            format!(
                "文件太大（{} MB），最多 {} MB；请分成几个文件导入",
                size >> 20,
                FILE_BYTES_MAX >> 20
            ),
            format!(
                "the file is too large ({} MB, at most {} MB); split it into several files",
                size >> 20,
                FILE_BYTES_MAX >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    from_bytes(&bytes)
}

/// Reads a sheet file's bytes: a workbook by its magic bytes, otherwise CSV text.
pub fn from_bytes(bytes: &[u8]) -> Result<Book, Problem> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        return workbook(bytes);
    }
    let (text, encoding) = decode(bytes)?;
    let mut book = csv_text(&text)?;
    book.encoding = Some(encoding);
    Ok(book)
}

/// The text of a CSV file and the name of its encoding.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), Problem> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if !had_errors {
            return Ok((text.into_owned(), encoding.name()));
        }
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    } else if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Ok((text.into_owned(), "GB18030"));
    }
    Err(Problem::file(
        "既不是 UTF-8 也不是 GBK 编码的文本，也不是 Excel 文件；请在 Excel 或 WPS 里另存为 .xlsx 或“CSV UTF-8”",
        "neither UTF-8 nor GBK text, nor an Excel file; save it from Excel or WPS as .xlsx or 'CSV UTF-8'",
    ))
}

/// The separator of a CSV file: a tab when the first line has more tabs than commas (Excel's
/// "Unicode text"), otherwise a comma.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    }
}

/// Reads CSV text (already decoded) as one sheet. Line numbers come from byte offsets: the csv
/// crate's own count is off for lines ending in CRLF, and a quoted cell may span lines.
pub fn csv_text(text: &str) -> Result<Book, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel honours (and some tools write) a first line `sep=,`; it is not a row.
    let (text, first_line) = match text.split_once('\n') {
        Some((first, rest)) if first.trim().to_ascii_lowercase().starts_with("sep=") => (rest, 2),
        _ => (text, 1),
    };
    let bytes = text.as_bytes();
    let mut counted = (0usize, first_line);
    let mut line_of = |byte: u64| {
        let mut at = (byte as usize).min(bytes.len());
        while bytes.get(at).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            at += 1;
        }
        let (from, line) = if at >= counted.0 {
            counted
        } else {
            (0, first_line)
        };
        let line = line + bytes[from..at].iter().filter(|b| **b == b'\n').count() as u64;
        counted = (at, line);
        line
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| line_of(p.byte())).unwrap_or(0);
            Problem {
                row: line,
                ..Problem::file(
                    "这一行无法读取（引号不成对或编码不对？）；请在 Excel 或 WPS 里另存为 CSV 后再导入",
                    format!("unreadable: {e}"),
                )
            }
        })?;
        let number = record
            .position()
            .map(|p| line_of(p.byte()))
            .unwrap_or(first_line + rows.len() as u64);
        let cells: Vec<Cell> = record.iter().map(csv_cell).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        if rows.len() > IMPORT_ROWS_MAX {
            return Err(too_many_rows());
        }
        rows.push(SheetRow { number, cells });
    }
    Ok(Book {
        sheets: vec![Sheet { name: None, rows }],
        encoding: Some("UTF-8"),
    })
}

/// A CSV cell. Our own CSV writer puts an apostrophe before a cell that Excel would run as a
/// formula (`=`, `+`, `-`, `@`); it is taken off again here, so an exported list imports back.
fn csv_cell(raw: &str) -> Cell {
    if raw.is_empty() {
        return Cell::Empty;
    }
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            Cell::Text(rest.to_string())
        }
        _ => Cell::Text(raw.to_string()),
    }
}

fn too_many_rows() -> Problem {
    Problem::file(
        format!("行数太多（最多 {IMPORT_ROWS_MAX} 行）；请分成几个文件导入"),
        format!("too many rows (at most {IMPORT_ROWS_MAX}); split the file"),
    )
}

/// Reads every visible worksheet of a workbook.
fn workbook(bytes: &[u8]) -> Result<Book, Problem> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Problem::file(
            "无法打开这个 Excel/WPS 文件（文件已损坏，或不是表格）；请在 Excel 或 WPS 里重新另存为 .xlsx 后再导入"
                .to_string(),
            format!(
                "cannot open this Excel/WPS file ({e}); save it again from Excel or WPS as .xlsx"
            ),
        )
    };
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::with_capacity(names.len());
    let mut total = 0usize;
    for name in names {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| unreadable(&e))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (offset, row) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(row.iter().map(workbook_cell));
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            total += 1;
            if total > IMPORT_ROWS_MAX {
                return Err(too_many_rows());
            }
            rows.push(SheetRow {
                number: u64::from(top) + offset as u64 + 1,
                cells,
            });
        }
        sheets.push(Sheet {
            name: Some(name),
            rows,
        });
    }
    Ok(Book {
        sheets,
        encoding: None,
    })
}

/// The largest magnitude below which every integer is exact in a double (2^53).
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// A workbook number as an exact integer when it is one, or as the text Excel would show.
fn number_cell(value: f64) -> Cell {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        // In range and integral: the conversion is exact.
        Cell::Int(value as i64)
    } else {
        Cell::Decimal(format!("{value}"))
    }
}

fn workbook_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => number_cell(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(at) => {
                use chrono::Datelike;
                Cell::Date(CivilDate {
                    year: at.year(),
                    month: at.month(),
                    day: at.day(),
                })
            }
            None => number_cell(dt.as_f64()),
        },
        Data::DateTime(dt) => number_cell(dt.as_f64()),
        Data::DateTimeIso(s) => match s.get(..10).and_then(CivilDate::parse) {
            Some(date) => Cell::Date(date),
            None => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(book: &Book) -> Vec<(u64, Vec<String>)> {
        book.sheets[0]
            .rows
            .iter()
            .map(|r| {
                let cells = r
                    .cells
                    .iter()
                    .map(|c| match c {
                        Cell::Text(t) => t.clone(),
                        Cell::Empty => String::new(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                (r.number, cells)
            })
            .collect()
    }

    #[test]
    fn encodings_are_detected() {
        let utf8 = "户号,卡号\nH1,C1\n";
        let book = from_bytes(utf8.as_bytes()).ok();
        assert_eq!(book.as_ref().and_then(|b| b.encoding), Some("UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(utf8.as_bytes());
        let book = from_bytes(&bom).ok();
        assert_eq!(book.as_ref().and_then(|b| b.encoding), Some("UTF-8"));
        assert_eq!(
            book.map(|b| texts(&b)[0].1.clone()),
            Some(vec!["户号".to_string(), "卡号".to_string()])
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(utf8);
        let book = from_bytes(&gbk).ok();
        assert_eq!(book.as_ref().and_then(|b| b.encoding), Some("GB18030"));
        assert_eq!(
            book.map(|b| texts(&b)[1].1.clone()),
            Some(vec!["H1".to_string(), "C1".to_string()])
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "户号\t卡号\r\nH1\tC1\r\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let book = from_bytes(&utf16).ok();
        assert_eq!(
            book.map(|b| texts(&b)),
            Some(vec![
                (1, vec!["户号".to_string(), "卡号".to_string()]),
                (2, vec!["H1".to_string(), "C1".to_string()])
            ])
        );
        assert!(from_bytes(&[0x81, 0x20, 0xff, 0xff]).is_err());
    }

    #[test]
    fn lines_are_counted_across_quoted_newlines_and_blank_lines() {
        let text = "a,b\r\n\r\n\"x\ny\",1\r\n,\r\nz,2\r\n";
        let book = csv_text(text).ok();
        let lines: Vec<u64> = book
            .map(|b| texts(&b).into_iter().map(|(n, _)| n).collect())
            .unwrap_or_default();
        assert_eq!(lines, vec![1, 3, 6]);
        let book = csv_text("sep=,\na,b\nc,d\n").ok();
        let lines: Vec<u64> = book
            .map(|b| texts(&b).into_iter().map(|(n, _)| n).collect())
            .unwrap_or_default();
        assert_eq!(lines, vec![2, 3]);
    }

    #[test]
    fn the_formula_guard_is_taken_off() {
        assert_eq!(csv_cell("'-3"), Cell::Text("-3".into()));
        assert_eq!(csv_cell("'=SUM(A1)"), Cell::Text("=SUM(A1)".into()));
        assert_eq!(csv_cell("'s"), Cell::Text("'s".into()));
        assert_eq!(csv_cell(""), Cell::Empty);
    }

    #[test]
    fn workbook_numbers_become_exact_integers() {
        assert_eq!(
            number_cell(6_910_123_614_616.0),
            Cell::Int(6_910_123_614_616)
        );
        assert_eq!(number_cell(85.0), Cell::Int(85));
        assert_eq!(number_cell(-3.0), Cell::Int(-3));
        assert_eq!(number_cell(8.5), Cell::Decimal("8.5".into()));
        assert_eq!(number_cell(1e300), Cell::Decimal(format!("{}", 1e300)));
        assert_eq!(number_cell(f64::NAN), Cell::Decimal("NaN".into()));
    }

    #[test]
    fn a_broken_workbook_is_refused_with_the_way_out() {
        let err = from_bytes(b"PK\x03\x04not really a zip").err();
        assert!(err.is_some_and(|p| p.en.contains("save it again")));
    }
}
