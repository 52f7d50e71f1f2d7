//! The sample sheets in `data/samples/` — what a clerk copies to start — import through the real
//! binary, as CSV and as XLSX, and the two formats hold the same rows: importing the workbook
//! after the CSV is "nothing new" for every row. `write_xlsx_samples` (ignored; run it by name)
//! regenerates the workbooks from the CSV files.

mod common;
mod import_support;

use std::path::Path;

use aixin::import::reader::{self, Cell};
use common::cli::{json, T0};
use import_support::{sample, station};

fn import(dir: &Path, kind: &str, file: &Path) -> serde_json::Value {
    json(dir, T0, &[kind, "import", &file.to_string_lossy()])
}

#[test]
fn every_sample_imports_and_the_workbooks_match_the_csv_files() {
    let tmp = station("LJC01");
    let dir = tmp.path();
    for (kind, stem, rows) in [
        ("household", "households", 16),
        ("goods", "goods", 15),
        ("score", "scores", 16),
    ] {
        let csv = import(dir, kind, &sample(&format!("{stem}.csv")));
        assert_eq!(csv["imported"], rows, "{stem}.csv: {csv}");
        let xlsx = import(dir, kind, &sample(&format!("{stem}.xlsx")));
        assert_eq!(xlsx["imported"], 0, "{stem}.xlsx: {xlsx}");
        assert_eq!(xlsx["unchanged"], rows, "{stem}.xlsx: {xlsx}");
        assert_eq!(xlsx["sheets"][0], "样表", "{xlsx}");
    }
    // The workbooks alone make the same station.
    let other = station("LJC01");
    for (kind, stem) in [
        ("household", "households"),
        ("goods", "goods"),
        ("score", "scores"),
    ] {
        import(other.path(), kind, &sample(&format!("{stem}.xlsx")));
    }
    for list in [
        &["household", "list"][..],
        &["goods", "list"],
        &["award", "list"],
    ] {
        assert_eq!(
            json(dir, T0, list),
            json(other.path(), T0, list),
            "{list:?}"
        );
    }
    let barcode = json(dir, T0, &["goods", "list"])[0]["goods"]["barcode"].clone();
    assert_eq!(barcode, "6910123614616");
}

/// Columns written as numbers in the sample workbooks (a clerk's sheet has them so).
const NUMBER_HEADERS: [&str; 3] = ["积分", "专区", "得分"];

/// Regenerates `data/samples/*.xlsx` from the CSV samples: a title row above the header (as
/// village sheets have), ids and codes as Text, points and scores as numbers, and a sheet of
/// instructions that the importer skips. Run with `cargo test --test import_samples -- --ignored`.
#[test]
#[ignore]
fn write_xlsx_samples() {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let samples = [
        (
            "households",
            "李家村爱心超市 农户花名册（样表）",
            "必填列：户号、卡号、户主。可选列：家庭成员（用“、”分隔）、村民小组、电话、建档立卡（是/否）。列的顺序不限，多余的列不导入。",
        ),
        (
            "goods",
            "李家村爱心超市 商品目录（样表）",
            "必填列：商品编号、名称、积分、专区（2/5/10/20/30/50 或 捐赠区）。可选列：单位、条码、类别、供应商。条码列请设为“文本”格式。",
        ),
        (
            "scores",
            "李家村 2026 年 10 月评分表（样表）",
            "必填列：户号、期间（写成 2026-10，请把这一列设为“文本”格式）、得分。可选列：备注。",
        ),
    ];
    for (stem, title, help) in samples {
        let bytes = std::fs::read(sample(&format!("{stem}.csv"))).expect("sample csv");
        let book = reader::from_bytes(&bytes).expect("sample csv reads");
        let rows = &book.sheets[0].rows;
        let headers: Vec<String> = rows[0]
            .cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect();
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(2026, 11, 1).expect("date");
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let bold = Format::new().set_bold();
        let as_text = Format::new().set_num_format("@");
        let sheet = workbook.add_worksheet();
        sheet.set_name("样表").expect("name");
        sheet
            .write_string_with_format(0, 0, title, &bold)
            .expect("title");
        for (col, header) in headers.iter().enumerate() {
            let col = col as u16;
            sheet
                .write_string_with_format(1, col, header, &bold)
                .expect("header");
            sheet.set_column_width(col, 16).expect("width");
        }
        for (index, row) in rows.iter().skip(1).enumerate() {
            let row_num = index as u32 + 2;
            for (col, cell) in row.cells.iter().enumerate() {
                let Cell::Text(text) = cell else { continue };
                let number = text.parse::<i64>().ok();
                match number {
                    Some(n) if NUMBER_HEADERS.contains(&headers[col].as_str()) => {
                        sheet.write(row_num, col as u16, n).expect("number");
                    }
                    _ => {
                        sheet
                            .write_string_with_format(row_num, col as u16, text, &as_text)
                            .expect("text");
                    }
                }
            }
        }
        sheet.set_freeze_panes(2, 0).expect("freeze");
        let notes = workbook.add_worksheet();
        notes.set_name("填写说明").expect("name");
        notes.write_string(0, 0, help).expect("help");
        workbook
            .save(sample(&format!("{stem}.xlsx")))
            .expect("save workbook");
    }
}
