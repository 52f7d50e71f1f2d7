//! One shape that every report turns into, and the three ways it leaves the till. A [`Table`]
//! is a header and rows of typed [`Cell`]s (words, whole numbers, money in fen); a [`Sheet`] is
//! a report on paper: its title, station and period, one or more tables, the notes under them
//! and the lines people sign (经办人, 审核人, 商户签字, 公示时间).
//!
//! - Aligned text for the terminal and the printer: CJK characters take two cells, so widths
//!   are measured with `unicode-width`, never with `len()`; at 80 columns for a terminal or an
//!   A4 text printout, at 32 or 48 for the receipt printer ([`render_text_width`]).
//! - CSV with a UTF-8 byte-order mark, so that Excel on a township PC shows Chinese instead of
//!   mojibake: the main table's header and rows only, so the file re-imports cleanly.
//! - XLSX built for A4 (rust_xlsxwriter): a title row with the station and period, numbers
//!   stored as numbers with formats (points and units as integers, yuan as `0.00`), thin
//!   borders, the header row repeated on every printed page, fitted to one page wide (portrait,
//!   or landscape for a wide table), page numbers in the footer, the notes and the signature
//!   lines under the table.
//!
//! Files are written to a temporary file in the same directory, synced and renamed into place,
//! so a power cut leaves either the old file or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::i18n::Lang;

/// The width of the village laptop's terminal and of a text printout on A4.
pub const TEXT_COLUMNS_MAX: usize = 80;

/// A text column is never squeezed narrower than this to fit the line (or a quarter of it).
const COLUMN_WIDTH_MIN: usize = 8;

/// Spaces between text columns.
const COLUMN_GAP: usize = 2;

/// Excel keeps 15 significant digits; longer integers (card numbers) stay text.
const XLSX_INTEGER_ABS_LIMIT: u64 = 1_000_000_000_000_000;

/// An XLSX column is never made wider than this many characters; longer text wraps in it.
const XLSX_COLUMN_WIDTH_MAX: usize = 40;

/// An XLSX column is never narrower than this many characters.
const XLSX_COLUMN_WIDTH_MIN: usize = 4;

/// Tables wider than this many characters print in landscape; A4 portrait takes about 90
/// characters of the default font before the fit-to-width scaling makes it too small to read.
const XLSX_PORTRAIT_WIDTH_MAX: usize = 100;

/// Excel's paper size number for A4.
const XLSX_PAPER_A4: u8 = 9;

/// Punctuation that may not begin a printed line (Chinese line-breaking rules).
const CLOSING_MARKS: &str = "）)】」』》〉。，、；：！？,.;:!?%";

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One cell of a report: words or a number. Numbers are kept as integers (points, units, fen)
/// all the way to the file; only the XLSX writer turns fen into yuan, for Excel to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Cell {
    /// Words: a name, an id, a date, a card number (text even when it is all digits).
    Text(String),
    /// A whole number: points, units, a rank, a sequence number.
    Int(i64),
    /// Money in fen, printed and stored as yuan with two decimals (`1234` → `12.34`).
    Fen(i64),
}

impl Cell {
    /// An empty text cell.
    pub fn empty() -> Cell {
        Cell::Text(String::new())
    }

    /// The cell as printed: the words, the number, or the yuan (`12.34`).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Int(value) => value.to_string(),
            Cell::Fen(fen) => format_fen(*fen),
        }
    }

    /// Whether the cell is a number (typed, or text that reads as one), for right alignment.
    fn is_numeric(&self) -> bool {
        match self {
            Cell::Text(text) => numeric_cell(text),
            Cell::Int(_) | Cell::Fen(_) => true,
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Cell::Text(text) if text.is_empty())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(value)
    }
}

impl From<u64> for Cell {
    fn from(value: u64) -> Cell {
        Cell::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Cell {
    fn from(value: usize) -> Cell {
        Cell::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Cell {
        Cell::Int(i64::from(value))
    }
}

impl PartialEq<&str> for Cell {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

/// A report flattened to a title, a header row and typed cells: the one shape all writers take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    /// What the table is, e.g. `公示榜 2026-Q3`.
    pub title: String,
    /// Column names, in the chosen language.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table's cells as printed text, row by row.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| row.iter().map(Cell::text).collect())
            .collect()
    }
}

/// A report that can be printed or exported as a [`Table`].
pub trait AsTable {
    /// The report as a table with headers in `lang`.
    fn to_table(&self, lang: Lang) -> Table;
}

/// A report on paper: what it is, whose and for when, its tables, the notes under them and the
/// lines people sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sheet {
    /// The report's name, e.g. `公示榜`.
    pub title: String,
    /// The station, e.g. `李家村爱心超市（LJC01）`; empty when the report is not one station's.
    pub station: String,
    /// The period it covers, e.g. `2026-10`, `2026-Q4`, `2026-11-21`, `截至 2026-11-21`.
    pub period: String,
    /// The tables, the main one first (the CSV file holds only that one).
    pub tables: Vec<Table>,
    /// Lines printed under the tables (publicity dates, the objection period, what a total
    /// means).
    pub notes: Vec<String>,
    /// The lines people sign, by who signs: `经办人`, `审核人`, `商户签字`, `公示时间`.
    pub signatures: Vec<String>,
}

impl Sheet {
    /// A sheet of one table with no station, notes or signatures (the township's tables).
    pub fn of_table(table: Table) -> Sheet {
        Sheet {
            title: table.title.clone(),
            station: String::new(),
            period: String::new(),
            tables: vec![table],
            notes: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// The heading line: `李家村爱心超市（LJC01）  公示榜  2026-10`.
    pub fn heading(&self) -> String {
        [&self.station, &self.title, &self.period]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| part.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }
}

/// A report that prints on paper as a [`Sheet`].
pub trait AsSheet {
    /// The report as a sheet in `lang`, headed with `station` (see [`station_label`]).
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet;
}

/// How a station is named at the head of its reports: `李家村爱心超市（LJC01）`.
pub fn station_label(name: &str, station_id: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}（{station_id}）"),
        Lang::En => format!("{name} ({station_id})"),
    }
}

/// The signature lines' labels, by who signs, in `lang`.
pub fn signers(lang: Lang, who: &[(&str, &str)]) -> Vec<String> {
    who.iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect()
}

/// The kinds of file a report is written as, chosen by the name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// `.xlsx`: the A4 workbook.
    Xlsx,
    /// `.csv`: the main table, UTF-8 with a BOM.
    Csv,
    /// `.txt`: the aligned text, UTF-8.
    Text,
}

impl OutputKind {
    /// The kind a file name asks for, or `None` for any other name (`report.pdf`), which is
    /// refused before anything is written.
    pub fn of_path(path: &Path) -> Option<OutputKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" => Some(OutputKind::Xlsx),
            "csv" => Some(OutputKind::Csv),
            "txt" => Some(OutputKind::Text),
            _ => None,
        }
    }
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

/// A title within `width` columns: its parts (the station, the report's name, the period,
/// joined by two spaces) stay whole where they fit, so a 32-column slip reads "积分公示榜" on one
/// line instead of breaking it; a part wider than the line wraps as any text does.
fn wrap_title(title: &str, width: usize) -> Vec<String> {
    if width == 0 || title.width() <= width {
        return vec![title.to_string()];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in title.split("  ").map(str::trim).filter(|p| !p.is_empty()) {
        let joined = if current.is_empty() {
            part.to_string()
        } else {
            format!("{current}  {part}")
        };
        if joined.width() <= width {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if part.width() <= width {
            current = part.to_string();
        } else {
            let mut pieces = wrap_to_width(part, width);
            current = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Splits `text` into pieces of at most `width` cells, breaking after a space when an English
/// word would be cut (so words stay whole) and anywhere in Chinese; nothing is cut off, so a
/// printed log loses no detail.
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
            // An English word moves whole to the next line; Chinese breaks between characters.
            let in_word = c.is_ascii_alphanumeric();
            let carry = match current.rfind(' ') {
                Some(at) if in_word && at > 0 && current[at + 1..].width() + cells <= width => {
                    current.split_off(at + 1)
                }
                // A closing mark never starts a line: the character before it goes along.
                _ if CLOSING_MARKS.contains(c) && current.chars().count() > 1 => {
                    let at = current.char_indices().last().map_or(0, |(at, _)| at);
                    current.split_off(at)
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

/// Narrows columns until the line fits `line_width`, if it can. No column is narrower than its
/// heading's longest word ([`heading_word_width`]: a Chinese run of up to four characters is
/// one word), so `序号` or `名次` never splits over two lines, and in this order:
/// 1. a number column whose heading is wider than its figures wraps the heading between its
///    words (`Points` / `earned`);
/// 2. the widest text columns wrap their words, down to [`COLUMN_WIDTH_MIN`];
/// 3. a number column's Chinese heading of three or four characters breaks in the middle,
///    never leaving fewer than two characters on a line (`主动` / `脱贫`: a board by item has
///    five of them, too many for 80 columns whole);
/// 4. the widest text columns wrap further, down to their heading's word;
/// 5. only a table that still does not fit (a 32-column slip) breaks number columns' headings
///    anywhere, in two equal halves.
///
/// Columns are `gap` cells apart. Returns whether the line fits with no heading broken
/// anywhere (before step 5).
fn fit_widths(
    widths: &mut [usize],
    numeric: &[bool],
    content: &[usize],
    headers: &[&str],
    line_width: usize,
    gap: usize,
) -> bool {
    let floor = COLUMN_WIDTH_MIN.min((line_width / 4).max(2));
    let word: Vec<usize> = headers.iter().map(|h| heading_word_width(h)).collect();
    let half: Vec<usize> = headers.iter().map(|h| heading_half_width(h)).collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + gap * w.len().saturating_sub(1);
    let by_words = |i: usize| content[i].max(word[i]).max(2);
    let by_halves = |i: usize| content[i].max(half[i]).max(2);
    let anywhere = |i: usize| content[i].max(headers[i].width().div_ceil(2)).max(2);
    narrow_numbers(widths, numeric, line_width, gap, &by_words);
    for narrowest in [floor, 2] {
        if narrowest == 2 {
            narrow_numbers(widths, numeric, line_width, gap, &by_halves);
        }
        while total(widths) > line_width {
            let widest = widths
                .iter()
                .enumerate()
                .filter(|(i, w)| !numeric[*i] && **w > narrowest.max(word[*i]))
                .max_by_key(|(_, w)| **w)
                .map(|(i, _)| i);
            let Some(i) = widest else {
                break;
            };
            let excess = total(widths) - line_width;
            widths[i] = widths[i].saturating_sub(excess).max(narrowest.max(word[i]));
        }
    }
    let whole = total(widths) <= line_width;
    narrow_numbers(widths, numeric, line_width, gap, &anywhere);
    whole
}

/// Narrows number columns to `narrowest(i)`, the one that gains most first, until the line
/// fits `line_width` or none is wider than that.
fn narrow_numbers(
    widths: &mut [usize],
    numeric: &[bool],
    line_width: usize,
    gap: usize,
    narrowest: &dyn Fn(usize) -> usize,
) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + gap * w.len().saturating_sub(1);
    while total(widths) > line_width {
        let slack = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| numeric[*i] && **w > narrowest(*i))
            .max_by_key(|(i, w)| (**w - narrowest(*i), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let Some(i) = slack else {
            break;
        };
        widths[i] = narrowest(i);
    }
}

/// Chinese words of up to this many characters are one word in a heading (`序号`, `名次`,
/// `主动脱贫`): a column is never narrower than that, so they never split over two lines.
const HEADING_CJK_WORD_CHARS: usize = 4;

/// The width in cells of `heading`'s longest word, the narrowest its column may be: words are
/// split at spaces; a Chinese run of up to [`HEADING_CJK_WORD_CHARS`] characters is one word,
/// a longer one may break after any two characters.
fn heading_word_width(heading: &str) -> usize {
    heading
        .split_whitespace()
        .map(|word| {
            if wide_chars(word) > HEADING_CJK_WORD_CHARS {
                first_two_width(word)
            } else {
                word.width()
            }
        })
        .max()
        .unwrap_or(0)
}

/// The narrowest `heading`'s column may be when its Chinese words break in the middle: a
/// Chinese word of three or four characters in two lines of at least two characters
/// (`主动` / `脱贫`); two characters and any other word stay whole.
fn heading_half_width(heading: &str) -> usize {
    heading
        .split_whitespace()
        .map(|word| {
            let wide = wide_chars(word);
            let all_chinese = wide == word.chars().count();
            if (all_chinese && wide > 2) || wide > HEADING_CJK_WORD_CHARS {
                first_two_width(word)
            } else {
                word.width()
            }
        })
        .max()
        .unwrap_or(0)
}

/// How many double-width (Chinese) characters `word` has.
fn wide_chars(word: &str) -> usize {
    word.chars().filter(|c| c.width().unwrap_or(0) > 1).count()
}

/// The width of `word`'s first two characters.
fn first_two_width(word: &str) -> usize {
    word.chars().take(2).map(|c| c.width().unwrap_or(0)).sum()
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

/// The table as aligned text within 80 columns: title, header, a rule, then the rows.
pub fn render_text(table: &Table) -> String {
    render_text_width(table, TEXT_COLUMNS_MAX)
}

/// The table as aligned text within `line_width` columns (80 for a terminal, 32 or 48 for a
/// receipt printer): title, header, a rule, then the rows. Numbers are right-aligned; text
/// columns wrap onto extra lines so the table fits where it can.
pub fn render_text_width(table: &Table, line_width: usize) -> String {
    let columns = table
        .headers
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    let headers: Vec<String> = (0..columns)
        .map(|i| printable(table.headers.get(i).map(String::as_str).unwrap_or("")))
        .collect();
    let empty = Cell::empty();
    let cells: Vec<Vec<&Cell>> = table
        .rows
        .iter()
        .map(|r| (0..columns).map(|i| r.get(i).unwrap_or(&empty)).collect())
        .collect();
    // A column left empty in every row of a table that has rows (an item nobody was scored
    // on) is fitted like its neighbours' figures: its heading may break in halves.
    let numeric: Vec<bool> = (0..columns)
        .map(|i| {
            !cells.is_empty()
                && cells
                    .iter()
                    .map(|r| r[i])
                    .filter(|c| !c.is_empty())
                    .all(Cell::is_numeric)
        })
        .collect();
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|r| r.iter().map(|c| printable(&c.text())).collect())
        .collect();
    let content: Vec<usize> = (0..columns)
        .map(|i| rows.iter().map(|r| r[i].width()).max().unwrap_or(0))
        .collect();
    let mut widths: Vec<usize> = (0..columns)
        .map(|i| content[i].max(headers[i].width()))
        .collect();
    let header_words: Vec<&str> = headers.iter().map(String::as_str).collect();
    // Columns two cells apart; one cell apart when only that keeps every heading's words whole
    // (a board by item with its eligibility and status columns, in either language).
    let mut gap = COLUMN_GAP;
    let wide = widths.clone();
    if !fit_widths(
        &mut widths,
        &numeric,
        &content,
        &header_words,
        line_width,
        gap,
    ) {
        let mut tight = wide;
        if fit_widths(&mut tight, &numeric, &content, &header_words, line_width, 1) {
            widths = tight;
            gap = 1;
        }
    }
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
            out.push_str(parts.join(&" ".repeat(gap)).trim_end());
            out.push('\n');
        }
        out
    };
    let rule_width = widths.iter().sum::<usize>() + gap * columns.saturating_sub(1);
    let mut out = String::new();
    if !table.title.is_empty() {
        for line in wrap_title(&printable(&table.title), line_width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&lines(&headers));
    out.push_str(&"-".repeat(rule_width));
    out.push('\n');
    for row in &rows {
        out.push_str(&lines(row));
    }
    out
}

/// The signature lines as text: `经办人：__________  审核人：__________` (in English
/// `prepared by: __________`), as many to a line as fit `line_width`.
fn signature_lines(signatures: &[String], line_width: usize) -> String {
    let blank = "_".repeat(14.min(line_width / 2));
    let mut out = String::new();
    let mut line = String::new();
    for who in signatures {
        // A Chinese label takes the full-width colon, an English one the ASCII colon.
        let colon = if who.is_ascii() { ": " } else { "：" };
        let part = format!("{}{colon}{blank}", printable(who));
        if !line.is_empty() && line.width() + COLUMN_GAP + part.width() > line_width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push_str(&" ".repeat(COLUMN_GAP));
        }
        line.push_str(&part);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The sheet as aligned text within 80 columns (see [`render_sheet_width`]).
pub fn render_sheet(sheet: &Sheet) -> String {
    render_sheet_width(sheet, TEXT_COLUMNS_MAX)
}

/// The sheet as aligned text within `line_width` columns: the heading, the main table, each
/// further table under its own title, the notes, and the signature lines with room to sign.
pub fn render_sheet_width(sheet: &Sheet, line_width: usize) -> String {
    let mut out = String::new();
    let heading = sheet.heading();
    for line in wrap_title(&printable(&heading), line_width) {
        out.push_str(&line);
        out.push('\n');
    }
    for (i, table) in sheet.tables.iter().enumerate() {
        if i == 0 {
            let untitled = Table {
                title: String::new(),
                headers: table.headers.clone(),
                rows: table.rows.clone(),
            };
            out.push_str(&render_text_width(&untitled, line_width));
        } else {
            out.push('\n');
            out.push_str(&render_text_width(table, line_width));
        }
    }
    if !sheet.notes.is_empty() {
        out.push('\n');
        for note in &sheet.notes {
            for line in wrap_to_width(&printable(note), line_width) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    if !sheet.signatures.is_empty() {
        out.push('\n');
        out.push_str(&signature_lines(&sheet.signatures, line_width));
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

/// The table as CSV bytes: UTF-8 with a BOM, the header row, then the rows (no title row, so
/// the file re-imports cleanly); yuan as `12.34`, numbers as plain digits.
pub fn csv_bytes(table: &Table) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(UTF8_BOM.to_vec());
    writer
        .write_record(table.headers.iter().map(|h| csv_safe(h)))
        .map_err(|e| e.to_string())?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| csv_safe(&c.text())))
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// Writes the table as CSV (see [`csv_bytes`]).
pub fn write_csv(table: &Table, path: &Path) -> Result<(), ReportError> {
    let bytes = csv_bytes(table).map_err(|message| ReportError::Csv {
        path: path.to_path_buf(),
        message,
    })?;
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

fn too_large(what: &str) -> rust_xlsxwriter::XlsxError {
    rust_xlsxwriter::XlsxError::ParameterError(format!("too many {what} for one worksheet"))
}

fn excel_column(col: usize) -> Result<u16, rust_xlsxwriter::XlsxError> {
    u16::try_from(col).map_err(|_| too_large("columns"))
}

fn excel_row(row: usize) -> Result<u32, rust_xlsxwriter::XlsxError> {
    u32::try_from(row).map_err(|_| too_large("rows"))
}

/// Yuan for Excel: Excel stores every number as a double, so the fen are divided there, once,
/// at the edge of the file; the ledger and every report before this line stay in integer fen.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "Excel cells are doubles; fen below 2^53 convert exactly and print as 0.00"
)]
fn fen_as_yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// The formats of the workbook: one per kind of cell, all with thin borders.
struct Formats {
    title: rust_xlsxwriter::Format,
    subtitle: rust_xlsxwriter::Format,
    header: rust_xlsxwriter::Format,
    text: rust_xlsxwriter::Format,
    wrapped: rust_xlsxwriter::Format,
    integer: rust_xlsxwriter::Format,
    yuan: rust_xlsxwriter::Format,
    table_title: rust_xlsxwriter::Format,
    note: rust_xlsxwriter::Format,
    signature: rust_xlsxwriter::Format,
}

impl Formats {
    fn new() -> Formats {
        use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new().set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0x00D9_D9D9)),
            text: cell.clone(),
            wrapped: cell.clone().set_text_wrap(),
            integer: cell
                .clone()
                .set_num_format("0")
                .set_align(FormatAlign::Right),
            yuan: cell.set_num_format("0.00").set_align(FormatAlign::Right),
            table_title: Format::new().set_bold(),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            signature: Format::new()
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Bottom),
        }
    }
}

/// Column widths in characters over every table of the sheet (a further table with fewer
/// columns has its first cell spread over the missing ones, so it sets no width).
fn column_widths(sheet: &Sheet, columns: usize) -> Vec<usize> {
    let mut widths = vec![XLSX_COLUMN_WIDTH_MIN; columns];
    for table in &sheet.tables {
        let spread = columns.saturating_sub(table.headers.len());
        for (i, header) in table.headers.iter().enumerate() {
            if i == 0 && spread > 0 {
                continue;
            }
            let col = i + spread;
            widths[col] = widths[col].max(header.width());
        }
        for row in &table.rows {
            for (i, cell) in row.iter().enumerate() {
                if i == 0 && spread > 0 {
                    continue;
                }
                let col = i + spread;
                if let Some(width) = widths.get_mut(col) {
                    *width = (*width).max(cell.text().width());
                }
            }
        }
    }
    for width in &mut widths {
        *width = (*width).min(XLSX_COLUMN_WIDTH_MAX);
    }
    widths
}

/// How many printed lines `text` takes in a cell `width` characters wide.
fn lines_in(text: &str, width: usize) -> usize {
    wrap_to_width(text, width.max(1)).len().max(1)
}

/// Writes `text` across columns `first..=last` of `row` (merged when more than one).
fn write_across(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    first: usize,
    last: usize,
    text: &str,
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let (first, last) = (excel_column(first)?, excel_column(last)?);
    if last > first {
        ws.merge_range(row, first, row, last, text, format)?;
    } else {
        ws.write_string_with_format(row, first, text, format)?;
    }
    Ok(())
}

/// Writes one table from `row` on (its header first); a table with fewer columns than the sheet
/// spreads its first cell over the missing columns. Returns the row after it.
fn write_table_rows(
    ws: &mut rust_xlsxwriter::Worksheet,
    table: &Table,
    mut row: usize,
    columns: usize,
    widths: &[usize],
    formats: &Formats,
) -> Result<usize, rust_xlsxwriter::XlsxError> {
    let spread = columns.saturating_sub(table.headers.len());
    let span = |i: usize| {
        if i == 0 {
            (0, spread)
        } else {
            (i + spread, i + spread)
        }
    };
    for (i, header) in table.headers.iter().enumerate() {
        let (first, last) = span(i);
        write_across(ws, excel_row(row)?, first, last, header, &formats.header)?;
    }
    row += 1;
    for cells in &table.rows {
        let r = excel_row(row)?;
        for i in 0..table.headers.len().max(cells.len()) {
            let (first, last) = span(i);
            if last >= columns {
                break;
            }
            let cell = cells.get(i).cloned().unwrap_or_else(Cell::empty);
            match cell {
                Cell::Int(value) if value.unsigned_abs() < XLSX_INTEGER_ABS_LIMIT => {
                    if last > first {
                        write_across(ws, r, first, last, "", &formats.integer)?;
                    }
                    #[allow(
                        clippy::cast_precision_loss,
                        reason = "|value| < 10^15 < 2^53: exact as a double"
                    )]
                    let number = value as f64;
                    ws.write_number_with_format(r, excel_column(first)?, number, &formats.integer)?;
                }
                Cell::Fen(fen) if fen.unsigned_abs() < XLSX_INTEGER_ABS_LIMIT => {
                    if last > first {
                        write_across(ws, r, first, last, "", &formats.yuan)?;
                    }
                    ws.write_number_with_format(
                        r,
                        excel_column(first)?,
                        fen_as_yuan(fen),
                        &formats.yuan,
                    )?;
                }
                Cell::Text(text) => match integer_cell(&text) {
                    // A table built from text (the township's) keeps its integers as numbers.
                    Some(value) if last == first => {
                        #[allow(
                            clippy::cast_precision_loss,
                            reason = "|value| < 10^15 < 2^53: exact as a double"
                        )]
                        let number = value as f64;
                        ws.write_number_with_format(
                            r,
                            excel_column(first)?,
                            number,
                            &formats.integer,
                        )?;
                    }
                    _ => {
                        let wide = widths.get(first).is_some_and(|w| text.width() > *w);
                        let format = if wide {
                            &formats.wrapped
                        } else {
                            &formats.text
                        };
                        write_across(ws, r, first, last, &text, format)?;
                    }
                },
                other => write_across(ws, r, first, last, &other.text(), &formats.text)?,
            }
        }
        row += 1;
    }
    Ok(row)
}

/// Builds the workbook in memory: one sheet laid out for A4 (see the module's doc).
fn build_sheet_xlsx(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::Workbook;
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    // A title Excel rejects falls back to the default sheet name rather than failing the export.
    if ws.set_name(sheet_name(&sheet.title)).is_err() {
        ws.set_name("Sheet1")?;
    }
    let formats = Formats::new();
    let columns = sheet
        .tables
        .iter()
        .map(|t| {
            t.headers
                .len()
                .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let widths = column_widths(sheet, columns);
    for (col, width) in widths.iter().enumerate() {
        let chars = u32::try_from(width + 2).unwrap_or(8);
        ws.set_column_width(excel_column(col)?, chars)?;
    }
    let page_width: usize = widths.iter().map(|w| w + 2).sum();
    ws.set_paper_size(XLSX_PAPER_A4);
    if page_width > XLSX_PORTRAIT_WIDTH_MAX {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C&P / &N");
    let last = columns - 1;
    let mut row = 0usize;
    write_across(ws, 0, 0, last, &sheet.title, &formats.title)?;
    ws.set_row_height(0, 24)?;
    row += 1;
    let subtitle = [&sheet.station, &sheet.period]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join("    ");
    write_across(ws, excel_row(row)?, 0, last, &subtitle, &formats.subtitle)?;
    row += 1;
    for (i, table) in sheet.tables.iter().enumerate() {
        if i > 0 {
            row += 1;
            write_across(
                ws,
                excel_row(row)?,
                0,
                last,
                &table.title,
                &formats.table_title,
            )?;
            row += 1;
        } else {
            // The main table's header is printed again at the top of every page.
            ws.set_repeat_rows(excel_row(row)?, excel_row(row)?)?;
        }
        row = write_table_rows(ws, table, row, columns, &widths, &formats)?;
    }
    if !sheet.notes.is_empty() {
        row += 1;
        for note in &sheet.notes {
            let r = excel_row(row)?;
            write_across(ws, r, 0, last, note, &formats.note)?;
            // Merged cells do not grow to their text: give the row its lines.
            let height = 15 * u32::try_from(lines_in(note, page_width)).unwrap_or(1);
            ws.set_row_height(r, height)?;
            row += 1;
        }
    }
    if !sheet.signatures.is_empty() {
        // One signature per group of columns, each a label over a line to sign on.
        row += 1;
        let r = excel_row(row)?;
        let count = sheet.signatures.len();
        if count > columns {
            let text = signature_lines(&sheet.signatures, page_width);
            write_across(ws, r, 0, last, text.trim_end(), &formats.signature)?;
        } else {
            for (i, who) in sheet.signatures.iter().enumerate() {
                let first = i * columns / count;
                let end = (i + 1) * columns / count - 1;
                write_across(ws, r, first, end, &format!("{who}："), &formats.signature)?;
            }
        }
        ws.set_row_height(r, 36)?;
    }
    workbook.save_to_buffer()
}

/// The sheet as XLSX bytes (see the module's doc).
pub fn xlsx_bytes(sheet: &Sheet) -> Result<Vec<u8>, String> {
    build_sheet_xlsx(sheet).map_err(|e| e.to_string())
}

/// Writes the sheet as an XLSX workbook laid out for A4.
pub fn write_sheet_xlsx(sheet: &Sheet, path: &Path) -> Result<(), ReportError> {
    let bytes = xlsx_bytes(sheet).map_err(|message| ReportError::Xlsx {
        path: path.to_path_buf(),
        message,
    })?;
    write_atomic(path, &bytes)
}

/// Writes one table as an XLSX workbook laid out for A4 (a sheet of that table alone).
pub fn write_xlsx(table: &Table, path: &Path) -> Result<(), ReportError> {
    write_sheet_xlsx(&Sheet::of_table(table.clone()), path)
}

/// Writes the sheet's main table as CSV (see [`csv_bytes`]); an empty file's header only.
pub fn write_sheet_csv(sheet: &Sheet, path: &Path) -> Result<(), ReportError> {
    match sheet.tables.first() {
        Some(table) => write_csv(table, path),
        None => write_atomic(path, UTF8_BOM),
    }
}

/// Writes the sheet as aligned text (UTF-8, 80 columns), for a text printer.
pub fn write_sheet_text(sheet: &Sheet, path: &Path) -> Result<(), ReportError> {
    write_atomic(path, render_sheet(sheet).as_bytes())
}

/// Writes the sheet as the kind of file `kind` names.
pub fn write_sheet(sheet: &Sheet, kind: OutputKind, path: &Path) -> Result<(), ReportError> {
    match kind {
        OutputKind::Xlsx => write_sheet_xlsx(sheet, path),
        OutputKind::Csv => write_sheet_csv(sheet, path),
        OutputKind::Text => write_sheet_text(sheet, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A board by item of a ranked policy (seven items, eligibility and status): 98 columns
    /// wide and `sco`/`re`, `H0`/`01` at 80 columns, in English and Chinese alike. Columns one
    /// cell apart, and items nobody was scored on breaking in halves like the others, fit it
    /// with every heading's words whole.
    #[test]
    fn a_ranked_board_by_item_fits_80_columns_with_its_words_whole() {
        let items = [
            "人居环境",
            "家庭美德",
            "遵纪守法",
            "主动脱贫",
            "诚实守信",
            "政策响应",
            "加分内容",
        ];
        for (fixed, verdict, status) in [
            (["#", "id", "head", "group"], "yes", "posted"),
            (["名次", "户号", "户主", "小组"], "是", "公示中"),
        ] {
            let english = fixed[0] == "#";
            let mut headers: Vec<String> = fixed.iter().map(|h| h.to_string()).collect();
            headers.extend(items.iter().map(|i| i.to_string()));
            let tail = if english {
                ["score", "pt", "may redeem", "status"]
            } else {
                ["得分", "积分", "可兑换", "状态"]
            };
            headers.extend(tail.iter().map(|h| h.to_string()));
            let row = |rank: i64, id: &str, head: &str, first: Option<i64>, score: i64| {
                let mut row: Vec<Cell> = vec![rank.into(), id.into(), head.into(), "一组".into()];
                row.push(first.map_or_else(Cell::empty, Cell::Int));
                row.extend((1..items.len()).map(|_| Cell::empty()));
                row.extend([score.into(), score.into(), verdict.into(), status.into()]);
                row
            };
            let table = Table {
                title: String::new(),
                headers,
                rows: vec![
                    row(1, "H001", "王秀英", Some(8), 118),
                    row(2, "H004", "刘强", Some(-10), 97),
                ],
            };
            let text = render_text(&table);
            for line in text.lines() {
                assert!(line.width() <= 80, "{line}\n{text}");
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            for word in table.headers.iter().flat_map(|h| h.split_whitespace()) {
                if word.is_ascii() || word.chars().count() <= 2 {
                    assert!(words.contains(&word), "{word} split\n{text}");
                }
            }
            assert!(
                words.contains(&"H001") && words.contains(&"王秀英"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_title_breaks_between_its_parts_on_a_slip() {
        let title = "李家村爱心超市（LJC01）  积分公示榜  2026-10";
        assert_eq!(
            wrap_title(title, 32),
            vec![
                "李家村爱心超市（LJC01）".to_string(),
                "积分公示榜  2026-10".to_string()
            ]
        );
        assert_eq!(wrap_title(title, 80), vec![title.to_string()]);
        // A part wider than the line still wraps, and nothing is lost.
        let long = "一二三四五六七八九十一二三四五六七八九十";
        assert_eq!(wrap_title(long, 20).concat(), long);
        assert!(wrap_title(long, 20).iter().all(|l| l.width() <= 20));
    }

    #[test]
    fn a_table_wider_than_the_page_renders_without_panicking() {
        let headers: Vec<String> = (0..14).map(|i| format!("第{i}列标题很长")).collect();
        let rows = vec![(0..14)
            .map(|i| Cell::from(format!("内容{i}内容内容内容")))
            .collect::<Vec<_>>()];
        let table = Table {
            title: "宽表".into(),
            headers,
            rows,
        };
        let text = render_text(&table);
        assert!(text.contains("内容0内"), "{text}");
        assert!(
            text.lines().all(|l| l.width() <= TEXT_COLUMNS_MAX),
            "{text}"
        );
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
                vec!["1".into(), long.clone().into()],
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
    fn a_short_chinese_heading_never_splits_at_eighty_columns() {
        // A day log's shape: narrow number columns beside a long description.
        let table = Table {
            title: String::new(),
            headers: vec![
                "序号".into(),
                "时间".into(),
                "说明".into(),
                "名次".into(),
                "主动脱贫".into(),
            ],
            rows: vec![vec![
                Cell::from(7i64),
                "10:00".into(),
                "兑换 肥皂×2 洗衣粉×1 毛巾×3 牙膏×2 酱油×1 食用油×1 大米×1 面粉×1 鸡蛋×1".into(),
                Cell::from(1i64),
                Cell::from(3i64),
            ]],
        };
        let text = render_text(&table);
        let heading = text.lines().next().unwrap_or("");
        for word in ["序号", "时间", "说明", "名次", "主动脱贫"] {
            assert!(heading.contains(word), "{word} split:\n{text}");
        }
        assert!(
            text.lines().all(|l| l.width() <= TEXT_COLUMNS_MAX),
            "{text}"
        );
        assert_eq!(heading_word_width("序号"), 4);
        assert_eq!(heading_word_width("Points earned"), 6);
        assert_eq!(heading_word_width("一二三四五六"), 4);
        assert_eq!(heading_word_width("主动脱贫"), 8);
        assert_eq!(heading_half_width("主动脱贫"), 4);
        assert_eq!(heading_half_width("名次"), 4);
        assert_eq!(heading_half_width("rank"), 4);
        assert_eq!(heading_half_width("金额(元)"), 8);
    }

    #[test]
    fn english_wraps_at_spaces() {
        assert_eq!(
            wrap_to_width("collected by 村干部 Li Si", 14),
            vec!["collected by", "村干部 Li Si"]
        );
        assert_eq!(wrap_to_width("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap_to_width("", 4), vec![""]);
        assert_eq!(
            wrap_to_width("积分（公示中）", 12),
            vec!["积分（公示", "中）"]
        );
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
    fn typed_cells_print_as_numbers_and_yuan() {
        assert_eq!(Cell::Fen(123_456).text(), "1234.56");
        assert_eq!(Cell::from(-3i64).text(), "-3");
        assert!(Cell::Fen(5) == "0.05");
        let table = Table {
            title: String::new(),
            headers: vec!["商户".into(), "金额(元)".into()],
            rows: vec![
                vec!["粮油店".into(), Cell::Fen(2000)],
                vec!["日杂店".into(), Cell::Fen(50)],
            ],
        };
        let text = render_text(&table);
        assert!(text.contains("粮油店     20.00"), "{text}");
        assert!(text.contains("日杂店      0.50"), "{text}");
        let csv = String::from_utf8(csv_bytes(&table).expect("csv")).expect("utf-8");
        assert_eq!(csv, "\u{feff}商户,金额(元)\n粮油店,20.00\n日杂店,0.50\n");
    }

    #[test]
    fn a_sheet_prints_its_heading_tables_notes_and_lines_to_sign() {
        let sheet = Sheet {
            title: "公示榜".into(),
            station: "李家村爱心超市（LJC01）".into(),
            period: "2026-10".into(),
            tables: vec![sample()],
            notes: vec!["公示期 2026-11-02 至 2026-11-09".into()],
            signatures: vec!["经办人".into(), "审核人".into(), "公示时间".into()],
        };
        let text = render_sheet(&sheet);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "李家村爱心超市（LJC01）  公示榜  2026-10");
        assert_eq!(lines[1], "名次  户主    积分");
        assert!(
            text.contains("\n公示期 2026-11-02 至 2026-11-09\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "经办人：______________  审核人：______________  公示时间：______________\n"
            ),
            "{text}"
        );
        let narrow = render_sheet_width(&sheet, 32);
        assert!(narrow.lines().all(|l| l.width() <= 32), "{narrow}");
    }

    #[test]
    fn only_xlsx_csv_and_text_are_written() {
        assert_eq!(
            OutputKind::of_path(Path::new("a/b.XLSX")),
            Some(OutputKind::Xlsx)
        );
        assert_eq!(
            OutputKind::of_path(Path::new("b.csv")),
            Some(OutputKind::Csv)
        );
        assert_eq!(
            OutputKind::of_path(Path::new("b.txt")),
            Some(OutputKind::Text)
        );
        assert_eq!(OutputKind::of_path(Path::new("report.pdf")), None);
        assert_eq!(OutputKind::of_path(Path::new("report")), None);
    }

    #[test]
    fn xlsx_cells_read_back_as_numbers_with_the_title_above() {
        use calamine::{Data, Reader, Xlsx};
        let sheet = Sheet {
            title: "商户结算".into(),
            station: "李家村爱心超市（LJC01）".into(),
            period: "2026-Q4".into(),
            tables: vec![Table {
                title: String::new(),
                headers: vec!["商户".into(), "积分".into(), "金额(元)".into()],
                rows: vec![vec!["粮油店".into(), Cell::Int(25), Cell::Fen(2550)]],
            }],
            notes: vec![],
            signatures: vec!["经办人".into(), "审核人".into(), "商户签字".into()],
        };
        let bytes = xlsx_bytes(&sheet).expect("xlsx");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
        let range = book.worksheet_range("商户结算").expect("sheet");
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("商户结算".into()))
        );
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("李家村爱心超市（LJC01）    2026-Q4".into()))
        );
        assert_eq!(
            range.get_value((2, 2)),
            Some(&Data::String("金额(元)".into()))
        );
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(25.0)));
        assert_eq!(range.get_value((3, 2)), Some(&Data::Float(25.5)));
        assert_eq!(
            range.get_value((5, 2)),
            Some(&Data::String("商户签字：".into()))
        );
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
