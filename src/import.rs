//! Reading the CSV files a village keeps in Excel: households, goods and scores. UTF-8 with or
//! without a byte-order mark (Excel's "CSV UTF-8" adds one). Parsing is pure: it turns text into
//! domain commands or says which line is wrong; the caller commits all of them in one batch, so
//! a bad row means nothing of that file is written.

use crate::domain::event::{Goods, Household, Zone};
use crate::domain::{Command, ItemScore};
use crate::i18n::Lang;

/// At most this many data rows in one imported file.
pub const IMPORT_ROWS_MAX: usize = 200_000;

/// A CSV file could not be used; `line` is 1-based as a spreadsheet shows it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message_en}")]
pub struct CsvError {
    /// The file line (the header is line 1).
    pub line: u64,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl CsvError {
    fn new(line: u64, zh: impl Into<String>, en: impl Into<String>) -> CsvError {
        CsvError {
            line,
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    /// A one-line message naming the line.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "第 {} 行：{}（整个文件都未导入）",
                self.line, self.message_zh
            ),
            Lang::En => format!(
                "line {}: {} (nothing of the file was imported)",
                self.line, self.message_en
            ),
        }
    }
}

/// One parsed row: its file line and the command it asks for.
pub type Row = (u64, Command);

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads records with their header, checking the header has the expected columns.
fn records(text: &str, expected: &[&str]) -> Result<Vec<(u64, Vec<String>)>, CsvError> {
    let text = strip_bom(text);
    // Line numbers come from byte offsets (the csv crate miscounts lines ending in CRLF); the
    // count is carried forward from the previous record so a big file stays linear.
    let mut counted = (0usize, 1u64);
    let mut line_of = |byte: u64| {
        let bytes = text.as_bytes();
        let mut at = (byte as usize).min(bytes.len());
        while bytes.get(at).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            at += 1;
        }
        let (from, line) = if at >= counted.0 { counted } else { (0, 1) };
        let line = line + bytes[from..at].iter().filter(|b| **b == b'\n').count() as u64;
        counted = (at, line);
        line
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            CsvError::new(
                1,
                format!("表头无法读取：{e}"),
                format!("cannot read the header: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect::<Vec<_>>();
    if headers != expected {
        return Err(CsvError::new(
            1,
            format!("表头应为 {}", expected.join(",")),
            format!("the header must be {}", expected.join(",")),
        ));
    }
    let mut out = Vec::new();
    for result in reader.records() {
        let line = out.len() as u64 + 2;
        let record = result.map_err(|e| {
            let l = e.position().map(|p| line_of(p.byte())).unwrap_or(line);
            CsvError::new(l, format!("无法读取：{e}"), format!("unreadable: {e}"))
        })?;
        let line = record.position().map(|p| line_of(p.byte())).unwrap_or(line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != expected.len() {
            return Err(CsvError::new(
                line,
                format!("应有 {} 列，实际 {} 列", expected.len(), record.len()),
                format!(
                    "expected {} columns, found {}",
                    expected.len(),
                    record.len()
                ),
            ));
        }
        if out.len() >= IMPORT_ROWS_MAX {
            return Err(CsvError::new(line, "行数太多", "too many rows"));
        }
        out.push((line, record.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(out)
}

fn parse_bool(line: u64, text: &str) -> Result<bool, CsvError> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "是" | "y" => Ok(true),
        "false" | "no" | "0" | "否" | "n" | "" => Ok(false),
        _ => Err(CsvError::new(
            line,
            format!("“{text}” 不是 是/否"),
            format!("'{text}' is not true/false"),
        )),
    }
}

fn parse_int(line: u64, text: &str, column: &str) -> Result<i64, CsvError> {
    text.parse::<i64>().map_err(|_| {
        CsvError::new(
            line,
            format!("{column} 列 “{text}” 不是整数"),
            format!("column {column}: '{text}' is not a whole number"),
        )
    })
}

/// Header of a households file.
pub const HOUSEHOLD_COLUMNS: [&str; 7] = [
    "household_id",
    "card_no",
    "head",
    "members",
    "group",
    "phone",
    "registered_poor",
];

/// Parses a households CSV into registration commands.
pub fn parse_households(text: &str) -> Result<Vec<Row>, CsvError> {
    records(text, &HOUSEHOLD_COLUMNS)?
        .into_iter()
        .map(|(line, f)| {
            let members = f[3]
                .split([';', '；'])
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(String::from)
                .collect();
            let household = Household {
                household_id: f[0].clone(),
                card_no: f[1].clone(),
                head: f[2].clone(),
                members,
                group: f[4].clone(),
                phone: f[5].clone(),
                registered_poor: parse_bool(line, &f[6])?,
            };
            Ok((line, Command::RegisterHousehold { household }))
        })
        .collect()
}

/// Header of a goods file.
pub const GOODS_COLUMNS: [&str; 8] = [
    "goods_id",
    "name",
    "unit",
    "barcode",
    "price_points",
    "zone",
    "category",
    "supplier",
];

/// Parses a zone: a number of points or `donation` / `捐赠`.
pub fn parse_zone(text: &str) -> Option<Zone> {
    match text.trim() {
        "donation" | "捐赠" | "捐赠区" => Some(Zone::Donation),
        t => t
            .trim_end_matches("分")
            .parse::<u32>()
            .ok()
            .filter(|z| *z > 0)
            .map(Zone::Points),
    }
}

/// Parses a goods CSV into catalog commands.
pub fn parse_goods(text: &str) -> Result<Vec<Row>, CsvError> {
    records(text, &GOODS_COLUMNS)?
        .into_iter()
        .map(|(line, f)| {
            let zone = parse_zone(&f[5]).ok_or_else(|| {
                CsvError::new(
                    line,
                    format!("分区 “{}” 不对（2/5/10/20/30/50 或 donation）", f[5]),
                    format!("zone '{}' is not a number of points or donation", f[5]),
                )
            })?;
            let goods = Goods {
                goods_id: f[0].clone(),
                name: f[1].clone(),
                unit: f[2].clone(),
                barcode: f[3].clone(),
                price_points: parse_int(line, &f[4], "price_points")?,
                zone,
                category: f[6].clone(),
                supplier: f[7].clone(),
            };
            Ok((line, Command::DefineGoods { goods }))
        })
        .collect()
}

/// Header of a scores file entered as totals.
pub const SCORE_COLUMNS: [&str; 4] = ["household_id", "period", "score", "note"];

/// The header of a scores file, trimmed, without reading its rows.
fn header(text: &str) -> Result<Vec<String>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(strip_bom(text).as_bytes());
    Ok(reader
        .headers()
        .map_err(|e| {
            CsvError::new(
                1,
                format!("表头无法读取：{e}"),
                format!("cannot read the header: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect())
}

/// Parses a scores CSV into score commands. Two layouts: `household_id,period,score,note`
/// (the committee's totals), or `household_id,period`, one column per item of the policy's
/// score sheet (评分细则, e.g. `环境卫生,家庭美德,违规`), then `note` — an empty item cell is an
/// item not given (0). Which items the sheet has, and their bounds, the domain checks.
pub fn parse_scores(text: &str) -> Result<Vec<Row>, CsvError> {
    let columns = header(text)?;
    let items = score_item_columns(&columns);
    if items.is_empty() {
        return parse_total_scores(text);
    }
    if let Some(empty) = items.iter().position(|name| name.is_empty()) {
        return Err(CsvError::new(
            1,
            format!("表头第 {} 列没有项目名", empty + 3),
            format!("header column {} has no item name", empty + 3),
        ));
    }
    let expected: Vec<&str> = columns.iter().map(String::as_str).collect();
    records(text, &expected)?
        .into_iter()
        .map(|(line, f)| {
            let mut given = Vec::new();
            for (name, cell) in items.iter().zip(&f[2..f.len() - 1]) {
                if !cell.is_empty() {
                    given.push(ItemScore::new(name.clone(), parse_int(line, cell, name)?));
                }
            }
            Ok((
                line,
                Command::EnterItemScores {
                    household_id: f[0].clone(),
                    period: f[1].clone(),
                    items: given,
                    note: f[f.len() - 1].clone(),
                },
            ))
        })
        .collect()
}

/// The item columns of a scores file's header (`household_id,period,<items…>,note`); empty
/// for the totals layout (`household_id,period,score,note`) or any other header.
fn score_item_columns(columns: &[String]) -> Vec<String> {
    match columns {
        [id, period, middle @ .., note]
            if id == "household_id"
                && period == "period"
                && note == "note"
                && !middle.is_empty()
                && middle != ["score"] =>
        {
            middle.to_vec()
        }
        _ => Vec::new(),
    }
}

/// The item columns named in a scores file's header, so the caller can check them against the
/// station's score sheet before anything is written (an unknown column is refused even when
/// its cells are empty); empty for the totals layout.
pub fn score_file_items(text: &str) -> Result<Vec<String>, CsvError> {
    Ok(score_item_columns(&header(text)?))
}

fn parse_total_scores(text: &str) -> Result<Vec<Row>, CsvError> {
    records(text, &SCORE_COLUMNS)
        .map_err(|e| {
            if e.line == 1 {
                CsvError::new(
                    1,
                    "表头应为 household_id,period,score,note，或 household_id,period,各评分项目,note",
                    "the header must be household_id,period,score,note or household_id,period,<score items>,note",
                )
            } else {
                e
            }
        })?
        .into_iter()
        .map(|(line, f)| {
            Ok((
                line,
                Command::EnterScore {
                    household_id: f[0].clone(),
                    period: f[1].clone(),
                    score: parse_int(line, &f[2], "score")?,
                    note: f[3].clone(),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_with_bom_and_members() {
        let text = "\u{feff}household_id,card_no,head,members,group,phone,registered_poor\r\nH1,C1,张三,李四;张小,一组,13800001234,是\r\n";
        let rows = parse_households(text).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let (line, Command::RegisterHousehold { household }) = &rows[0] else {
            panic!("wrong command")
        };
        assert_eq!(*line, 2);
        assert_eq!(
            household.members,
            vec!["李四".to_string(), "张小".to_string()]
        );
        assert!(household.registered_poor);
    }

    #[test]
    fn bad_row_names_its_line() {
        let text = "household_id,card_no,head,members,group,phone,registered_poor\nH1,C1,张三,,一组,,否\nH2,C2,李四,,一组,,maybe\n";
        let err = parse_households(text)
            .err()
            .unwrap_or_else(|| CsvError::new(0, "", ""));
        assert_eq!(err.line, 3);
        assert!(err.message(Lang::Zh).contains("第 3 行"));
    }

    #[test]
    fn wrong_header_and_column_count() {
        assert_eq!(parse_goods("id,name\n").err().map(|e| e.line), Some(1));
        let text = "household_id,period,score,note\nH1,2026-10,85\n";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(2));
        let text = "household_id,period,score,note\nH1,2026-10,八十,\n";
        assert_eq!(parse_scores(text).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn scores_by_item_have_a_column_per_item() {
        let text =
            "\u{feff}household_id,period,环境卫生,家庭美德,违规,note\nH1,2026-10,5,,-10,门前脏乱\n";
        let rows = parse_scores(text).unwrap_or_default();
        assert_eq!(
            rows,
            vec![(
                2,
                Command::EnterItemScores {
                    household_id: "H1".into(),
                    period: "2026-10".into(),
                    items: vec![ItemScore::new("环境卫生", 5), ItemScore::new("违规", -10)],
                    note: "门前脏乱".into(),
                }
            )]
        );
        let text = "household_id,period,环境卫生,note\nH1,2026-10,五,\n";
        let err = parse_scores(text).err().map(|e| (e.line, e.message_en));
        assert_eq!(
            err,
            Some((2, "column 环境卫生: '五' is not a whole number".to_string()))
        );
        assert_eq!(
            parse_scores("household_id,period,,note\n")
                .err()
                .map(|e| e.line),
            Some(1)
        );
        assert_eq!(
            parse_scores("household_id,score\n").err().map(|e| e.line),
            Some(1)
        );
    }

    #[test]
    fn zones_parse() {
        assert_eq!(parse_zone("20"), Some(Zone::Points(20)));
        assert_eq!(parse_zone("donation"), Some(Zone::Donation));
        assert_eq!(parse_zone("0"), None);
        assert_eq!(parse_zone("x"), None);
    }
}
