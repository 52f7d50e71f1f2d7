//! One table shape that every report can turn into, and the three ways it leaves the till:
//! aligned text for the terminal and the printer (CJK characters take two cells, so widths are
//! measured with `unicode-width`, never with `len()`), CSV with a UTF-8 byte-order mark so that
//! Excel on a township PC shows Chinese instead of mojibake, and XLSX with a bold header and
//! integers stored as numbers so a clerk can sum a column. Files are written to a temporary file
//! in the same directory, synced and renamed into place, so a power cut leaves either the old
//! file or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::i18n::Lang;

/// The width of the village laptop's terminal and of a narrow receipt-style printout.
pub const TEXT_COLUMNS_MAX: usize = 80;

/// A text column is never squeezed narrower than this to fit [`TEXT_COLUMNS_MAX`].
const COLUMN_WIDTH_MIN: usize = 8;

/// Spaces between text columns.
const COLUMN_GAP: usize = 2;

/// Excel keeps 15 significant digits; longer integers (card numbers) stay text.
const XLSX_INTEGER_ABS_LIMIT: u64 = 1_000_000_000_000_000;

/// An XLSX column is never made wider than this many characters.
const XLSX_COLUMN_WIDTH_MAX: usize = 60;

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A report flattened to a title, a header row and text cells: the one shape all writers take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    /// What the table is, e.g. `公示榜 2026-Q3`.
    pub title: String,
    /// Column names, in the chosen language.
    pub headers: Vec<String>,
    /// Rows of cells; integers are written as plain digits so XLSX can store them as numbers.
    pub rows: Vec<Vec<String>>,
}

/// A report that can be printed or exported as a [`Table`].
pub trait AsTable {
    /// The report as a table with headers in `lang`.
    fn to_table(&self, lang: Lang) -> Table;
}

/// Why a report file could not be written; the target file is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating, writing, syncing or renaming the file failed (disk full, no permission…).
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The file that was being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV encoder failed.
    #[error("cannot write CSV {}: {message}", .path.display())]
    Csv {
        /// The file that was being written.
        path: PathBuf,
        /// What the encoder said.
        message: String,
    },
    /// The XLSX encoder refused the table (too many rows, bad sheet name…).
    #[error("cannot build XLSX {}: {message}", .path.display())]
    Xlsx {
        /// The file that was being written.
        path: PathBuf,
        /// What the encoder said.
        message: String,
    },
}

impl ReportError {
    /// A one-line message for a village manager, saying the old file is untouched.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReportError::Io { path, source }, Lang::Zh) => {
                format!(
                    "无法写入 {}（磁盘满、U 盘拔出或没有权限？），原文件未改动：{}",
                    path.display(),
                    crate::i18n::os_error(source, Lang::Zh)
                )
            }
            (ReportError::Io { path, source }, Lang::En) => {
                format!("cannot write {} (disk full, USB stick removed or no permission?); the old file is unchanged: {source}", path.display())
            }
            (ReportError::Csv { path, message }, Lang::Zh) => {
                format!("无法生成 CSV 文件 {}：{message}", path.display())
            }
            (ReportError::Csv { path, message }, Lang::En) => {
                format!("cannot write CSV {}: {message}", path.display())
            }
            (ReportError::Xlsx { path, message }, Lang::Zh) => {
                format!("无法生成 Excel 文件 {}：{message}", path.display())
            }
            (ReportError::Xlsx { path, message }, Lang::En) => {
                format!("cannot write XLSX {}: {message}", path.display())
            }
        }
    }
}

/// Fen as a yuan string, `1234` → `12.34`, by integer division: no floating point.
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let magnitude = fen.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// A cell holding a canonical integer (`42`, `-3`; not `007` or `+1`), small enough for Excel
/// to keep exactly.
fn integer_cell(cell: &str) -> Option<i64> {
    let value: i64 = cell.parse().ok()?;
    (value.to_string() == cell && value.unsigned_abs() < XLSX_INTEGER_ABS_LIMIT).then_some(value)
}

/// Whether a cell reads as a number (`42`, `-3`, `12.34`), for right alignment.
fn numeric_cell(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell made safe for one line of a terminal: control characters become spaces.
fn printable(cell: &str) -> String {
    cell.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Splits `text` into pieces of at most `width` cells, breaking after a space when there is one
/// so English words stay whole; nothing is cut off, so a printed log loses no detail.
fn wrap_to_width(text: &str, width: usize) -> Vec<String> {
    if width == 0 || text.width() <= width {
        return vec![text.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for c in text.chars() {
        let cells = c.width().unwrap_or(0);
        if used + cells > width && !current.is_empty() {
            let carry = match current.rfind(' ') {
                Some(at) if at > 0 && current[at + 1..].width() + cells <= width => {
                    current.split_off(at + 1)
                }
                _ => String::new(),
            };
            pieces.push(current.trim_end().to_string());
            used = carry.width();
            current = carry;
        }
        if current.is_empty() && c == ' ' {
            continue;
        }
        current.push(c);
        used += cells;
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Narrows the widest text columns until the line fits [`TEXT_COLUMNS_MAX`], if it can.
fn fit_widths(widths: &mut [usize], numeric: &[bool]) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + COLUMN_GAP * w.len().saturating_sub(1);
    while total(widths) > TEXT_COLUMNS_MAX {
        let widest = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| !numeric[*i] && **w > COLUMN_WIDTH_MIN)
            .max_by_key(|(_, w)| **w)
            .map(|(i, _)| i);
        let Some(i) = widest else {
            return;
        };
        let excess = total(widths) - TEXT_COLUMNS_MAX;
        widths[i] = widths[i].saturating_sub(excess).max(COLUMN_WIDTH_MIN);
    }
}

/// Pads `cell` to `width` cells, on the left for numbers.
fn pad(cell: &str, width: usize, right_align: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(cell.width()));
    if right_align {
        format!("{fill}{cell}")
    } else {
        format!("{cell}{fill}")
    }
}

/// The table as aligned text: title, header, a rule, then the rows. Numbers are right-aligned;
/// text columns wrap onto extra lines so the table fits 80 columns where possible.
pub fn render_text(table: &Table) -> String {
    let columns = table
        .headers
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    let cell = |row: &[String], i: usize| printable(row.get(i).map(String::as_str).unwrap_or(""));
    let headers: Vec<String> = (0..columns).map(|i| cell(&table.headers, i)).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| (0..columns).map(|i| cell(r, i)).collect())
        .collect();
    let numeric: Vec<bool> = (0..columns)
        .map(|i| {
            let mut filled = rows
                .iter()
                .map(|r| r[i].as_str())
                .filter(|c| !c.is_empty())
                .peekable();
            filled.peek().is_some() && filled.all(numeric_cell)
        })
        .collect();
    let mut widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].width())
                .chain([headers[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    fit_widths(&mut widths, &numeric);
    // One table row may take several printed lines when a text column wraps.
    let lines = |cells: &[String]| {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| wrap_to_width(c, widths[i]))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let mut out = String::new();
        for k in 0..height {
            let parts: Vec<String> = wrapped
                .iter()
                .enumerate()
                .map(|(i, pieces)| {
                    pad(
                        pieces.get(k).map(String::as_str).unwrap_or(""),
                        widths[i],
                        numeric[i],
                    )
                })
                .collect();
            out.push_str(parts.join(&" ".repeat(COLUMN_GAP)).trim_end());
            out.push('\n');
        }
        out
    };
    let rule_width = widths.iter().sum::<usize>() + COLUMN_GAP * columns.saturating_sub(1);
    let mut out = String::new();
    if !table.title.is_empty() {
        out.push_str(&printable(&table.title));
        out.push('\n');
    }
    out.push_str(&lines(&headers));
    out.push_str(&"-".repeat(rule_width));
    out.push('\n');
    for row in &rows {
        out.push_str(&lines(row));
    }
    out
}

/// A cell that Excel would run as a formula (`=…`, `+…`, `@…`, or `-` before text) gets a
/// leading apostrophe, so a donor named `=HYPERLINK(…)` stays a name. Numbers are untouched.
fn csv_safe(cell: &str) -> String {
    let risky = matches!(
        cell.chars().next(),
        Some('=' | '+' | '@' | '\t' | '\r' | '-')
    );
    if risky && !numeric_cell(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed over the target.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let io = |source: std::io::Error| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes the table as CSV: UTF-8 with a BOM, the header row, then the rows (no title row, so
/// the file re-imports cleanly).
pub fn write_csv(table: &Table, path: &Path) -> Result<(), ReportError> {
    let csv_error = |e: &dyn std::fmt::Display| ReportError::Csv {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(UTF8_BOM.to_vec());
    writer
        .write_record(table.headers.iter().map(|h| csv_safe(h)))
        .map_err(|e| csv_error(&e))?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| csv_safe(c)))
            .map_err(|e| csv_error(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| csv_error(&e))?;
    write_atomic(path, &bytes)
}

/// A worksheet name from the title: Excel allows 31 characters and none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .take(31)
        .collect();
    let name = name.trim().trim_matches('\'').to_string();
    if name.is_empty() {
        "Sheet1".to_string()
    } else {
        name
    }
}

/// Builds the workbook in memory: one sheet, bold frozen header, integers as numbers.
fn build_xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // A title Excel rejects falls back to the default sheet name rather than failing the export.
    if sheet.set_name(sheet_name(&table.title)).is_err() {
        sheet.set_name("Sheet1")?;
    }
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = Vec::new();
    let mut note_width = |col: usize, cell: &str| {
        if widths.len() <= col {
            widths.resize(col + 1, 0);
        }
        widths[col] = widths[col].max(cell.width());
    };
    for (col, header) in table.headers.iter().enumerate() {
        let col_num = excel_column(col)?;
        sheet.write_string_with_format(0, col_num, header, &bold)?;
        note_width(col, header);
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_num = u32::try_from(index + 1).map_err(|_| too_large("rows"))?;
        for (col, cell) in row.iter().enumerate() {
            let col_num = excel_column(col)?;
            match integer_cell(cell) {
                // Excel keeps numbers as doubles; |value| < 10^15 < 2^53 stays exact.
                Some(value) => sheet.write(row_num, col_num, value)?,
                None => sheet.write_string(row_num, col_num, cell)?,
            };
            note_width(col, cell);
        }
    }
    for (col, width) in widths.iter().enumerate() {
        let cells = u32::try_from((*width).clamp(6, XLSX_COLUMN_WIDTH_MAX) + 2).unwrap_or(8);
        sheet.set_column_width(excel_column(col)?, cells)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

fn too_large(what: &str) -> rust_xlsxwriter::XlsxError {
    rust_xlsxwriter::XlsxError::ParameterError(format!("too many {what} for one worksheet"))
}

fn excel_column(col: usize) -> Result<u16, rust_xlsxwriter::XlsxError> {
    u16::try_from(col).map_err(|_| too_large("columns"))
}

/// Writes the table as an XLSX workbook with one sheet named after the title.
pub fn write_xlsx(table: &Table, path: &Path) -> Result<(), ReportError> {
    let bytes = build_xlsx(table).map_err(|e| ReportError::Xlsx {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_wider_than_the_page_renders_without_panicking() {
        let headers: Vec<String> = (0..14).map(|i| format!("第{i}列标题很长")).collect();
        let rows = vec![(0..14)
            .map(|i| format!("内容{i}内容内容内容"))
            .collect::<Vec<_>>()];
        let table = Table {
            title: "宽表".into(),
            headers,
            rows,
        };
        let text = render_text(&table);
        assert!(text.contains("内容13"), "{text}");
    }

    fn sample() -> Table {
        Table {
            title: "公示榜 2026-Q3".into(),
            headers: vec!["名次".into(), "户主".into(), "积分".into()],
            rows: vec![
                vec!["1".into(), "王秀英".into(), "95".into()],
                vec!["2".into(), "Li".into(), "-3".into()],
            ],
        }
    }

    #[test]
    fn fen_as_yuan_without_floats() {
        assert_eq!(format_fen(1234), "12.34");
        assert_eq!(format_fen(5), "0.05");
        assert_eq!(format_fen(-250), "-2.50");
        assert_eq!(format_fen(0), "0.00");
        assert_eq!(format_fen(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn text_aligns_cjk_by_display_width() {
        let text = render_text(&sample());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "公示榜 2026-Q3");
        assert_eq!(lines[1], "名次  户主    积分");
        assert_eq!(lines[3], "   1  王秀英    95");
        assert_eq!(lines[4], "   2  Li        -3");
    }

    #[test]
    fn wide_text_wraps_within_eighty_columns_and_keeps_every_character() {
        let long = "很长".repeat(60);
        let table = Table {
            title: String::new(),
            headers: vec!["n".into(), "text".into()],
            rows: vec![
                vec!["1".into(), long.clone()],
                vec!["2".into(), "short".into()],
            ],
        };
        let text = render_text(&table);
        let body: Vec<&str> = text.lines().skip(2).collect();
        assert!(body.len() > 2, "{text}");
        for line in &body {
            assert!(line.width() <= TEXT_COLUMNS_MAX, "{line}");
        }
        let joined: String = body
            .iter()
            .map(|l| l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' '))
            .collect();
        assert_eq!(joined, format!("{long}short"));
    }

    #[test]
    fn english_wraps_at_spaces() {
        assert_eq!(
            wrap_to_width("collected by 村干部 Li Si", 14),
            vec!["collected by", "村干部 Li Si"]
        );
        assert_eq!(wrap_to_width("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap_to_width("", 4), vec![""]);
    }

    #[test]
    fn integers_only_when_canonical() {
        assert_eq!(integer_cell("42"), Some(42));
        assert_eq!(integer_cell("-3"), Some(-3));
        assert_eq!(integer_cell("007"), None);
        assert_eq!(integer_cell("+1"), None);
        assert_eq!(integer_cell("12.34"), None);
        assert_eq!(integer_cell("6228480012345678901"), None);
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("-3"), "-3");
        assert_eq!(csv_safe("-x"), "'-x");
        assert_eq!(csv_safe("王"), "王");
    }

    #[test]
    fn sheet_names_obey_excel() {
        assert_eq!(sheet_name("a/b:c"), "a b c");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no-such-dir").join("x.csv");
        let err = write_csv(&sample(), &path).expect_err("must fail");
        assert!(matches!(err, ReportError::Io { .. }));
        assert!(!err.message(Lang::Zh).is_empty());
    }
}
