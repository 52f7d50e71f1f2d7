//! `aixin stock stocktake` through the real binary on temp data dirs: counts from a count sheet
//! (CSV in UTF-8 or GBK, XLSX) or typed with `--count`, `--preview` writing nothing, the
//! differences committed as one batch with the stocktake's reason (seen in `stock list`, the
//! day log and the lots: a loss is taken from the oldest lot), every count matching recorded as
//! nothing, and the refusals — a count below zero, an unknown item, an item counted twice, a
//! sheet with bad rows (every one listed, with its row) — leaving the ledger as it was.

mod common;

use std::path::Path;

use common::cli::{
    add_manager, aixin, aixin_with, as_manager, head, json, ok, ok_with, refused, refused_with,
    write, T0,
};
use rust_xlsxwriter::Workbook;

/// A shop with three items: G1 大米 (barcode 6901234567892) received in two lots, 10 from 张
/// then 5 from 李 (15 held); G2 洗衣粉, 4 held; G3 毛巾, none held.
fn shop() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--station-id", "V1", "--name", "李家村"]);
    for (id, name, barcode) in [
        ("G1", "大米", "6901234567892"),
        ("G2", "洗衣粉", "6901234567915"),
        ("G3", "毛巾", "6901234567946"),
    ] {
        ok(
            dir,
            T0,
            &[
                "goods",
                "add",
                "--id",
                id,
                "--name",
                name,
                "--price",
                "5",
                "--zone",
                "5",
                "--barcode",
                barcode,
            ],
        );
    }
    ok(dir, T0, &["stock", "receive", "G1", "10", "--donor", "张"]);
    ok(dir, T0, &["stock", "receive", "G1", "5", "--donor", "李"]);
    ok(dir, T0, &["stock", "receive", "G2", "4", "--donor", "张"]);
    tmp
}

/// Each item's stock as `aixin stock list --json` gives it.
fn stock(dir: &Path) -> Vec<(String, i64)> {
    let list = json(dir, T0, &["stock", "list"]);
    list.as_array()
        .expect("a list")
        .iter()
        .map(|g| {
            (
                g["goods"]["goods_id"].as_str().unwrap_or("").to_string(),
                g["stock_units"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn held(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

/// `(goods_id, delta)` of a stocktake's JSON differences.
fn deltas(value: &serde_json::Value) -> Vec<(String, i64)> {
    value["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| {
            (
                d["goods_id"].as_str().unwrap_or("").to_string(),
                d["delta"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_csv_sheet_is_previewed_then_recorded_as_one_batch_with_its_reason() {
    let tmp = shop();
    let dir = tmp.path();
    // A title row above the header, the columns in another order, one item not counted (blank).
    let sheet = write(
        dir,
        "盘点表.csv",
        "李家村 10 月盘点表\n名称,实盘数,商品编号\n大米,12,G1\n洗衣粉,4,G2\n毛巾,2,G3\n肥皂,,G9\n",
    );
    let before = head(dir);
    let preview = json(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &sheet, "--preview"],
    );
    assert_eq!(head(dir), before, "a preview writes nothing");
    assert_eq!(preview["recorded"], false);
    assert_eq!(preview["counted"], 3);
    assert_eq!(preview["seqs"], serde_json::json!([]));
    assert_eq!(deltas(&preview), held(&[("G1", -3), ("G3", 2)]));
    let first = &preview["differences"][0];
    assert_eq!(first["name"], "大米");
    assert_eq!(first["stock_units"], 15);
    assert_eq!(first["counted_units"], 12);

    let text = ok(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &sheet, "--preview"],
    );
    assert!(text.contains("预览"), "{text}");
    assert!(text.contains("大米") && text.contains("-3") && text.contains("+2"));
    assert_eq!(head(dir), before);

    let done = json(
        dir,
        T0,
        &[
            "stock",
            "stocktake",
            "--sheet",
            &sheet,
            "--reason",
            "月末盘点",
        ],
    );
    assert_eq!(done["recorded"], true);
    assert_eq!(done["reason"], "月末盘点");
    assert_eq!(deltas(&done), held(&[("G1", -3), ("G3", 2)]));
    let (events_before, _) = before;
    assert_eq!(
        done["seqs"],
        serde_json::json!([events_before + 1, events_before + 2]),
        "two adjustments, written together after everything before"
    );
    assert_eq!(head(dir).0, events_before + 2);
    assert_eq!(stock(dir), held(&[("G1", 12), ("G2", 4), ("G3", 2)]));

    let log = ok(dir, T0, &["log"]);
    assert!(log.contains("盘点调整：大米 -3，月末盘点"), "{log}");
    assert!(log.contains("盘点调整：毛巾 +2，月末盘点"), "{log}");

    // The loss came from the oldest lot: 张's 10 keep 7, 李's 5 are all there.
    let donations = json(dir, T0, &["report", "donations"]);
    let lots: Vec<(String, i64)> = donations["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["goods_id"] == "G1")
        .map(|l| {
            (
                l["donor"].as_str().unwrap_or("").to_string(),
                l["in_stock_units"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(lots, held(&[("张", 7), ("李", 5)]));

    // Counted again as it now stands: nothing to record, nothing written.
    let after = head(dir);
    let again = ok(dir, T0, &["stock", "stocktake", "--sheet", &sheet]);
    assert!(again.contains("没有要调整的"), "{again}");
    assert_eq!(head(dir), after);
}

#[test]
fn typed_counts_take_ids_barcodes_and_full_width_forms() {
    let tmp = shop();
    let dir = tmp.path();
    let text = ok(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "stock",
            "stocktake",
            "--count",
            "Ｇ１＝１４",
            "--count",
            "6901234567915=3",
            "--count",
            " G3 = ０ ",
        ],
    );
    assert!(
        text.contains("stocktake recorded: 2 items adjusted"),
        "{text}"
    );
    assert!(text.contains("reason \"stocktake\""), "{text}");
    assert_eq!(stock(dir), held(&[("G1", 14), ("G2", 3), ("G3", 0)]));
    let log = ok(dir, T0, &["--lang", "en", "log"]);
    assert!(log.contains("stocktake"), "{log}");

    // Every count matches: nothing to record, and the ledger is as it was.
    let before = head(dir);
    let same = json(
        dir,
        T0,
        &["stock", "stocktake", "--count", "G1=14", "--count", "G2=3"],
    );
    assert_eq!(same["recorded"], false);
    assert_eq!(same["differences"], serde_json::json!([]));
    let text = ok(
        dir,
        T0,
        &["--lang", "en", "stock", "stocktake", "--count", "G1=14"],
    );
    assert!(text.contains("nothing to record"), "{text}");
    assert_eq!(head(dir), before);
}

#[test]
fn a_gbk_csv_and_an_xlsx_sheet_are_read_like_the_other_importers_read_them() {
    let tmp = shop();
    let dir = tmp.path();
    // What Chinese Excel's "CSV (逗号分隔)" writes: GBK, barcodes as the item column.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode("条码,名称,实盘数\n6901234567892,大米,13\n");
    assert!(!unmappable);
    let gbk_path = dir.join("盘点表gbk.csv");
    std::fs::write(&gbk_path, &gbk).expect("write");
    let done = json(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &gbk_path.to_string_lossy()],
    );
    assert_eq!(deltas(&done), held(&[("G1", -2)]));

    // A workbook with the counts as number cells.
    let xlsx_path = dir.join("盘点表.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("盘点").expect("name");
    for (c, title) in ["商品编号", "名称", "实盘数"].iter().enumerate() {
        sheet.write_string(0, c as u16, *title).expect("header");
    }
    for (r, (id, name, units)) in [("G2", "洗衣粉", 1.0), ("G3", "毛巾", 6.0)]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *id).expect("id");
        sheet.write_string(r, 1, *name).expect("name");
        sheet.write_number(r, 2, *units).expect("count");
    }
    workbook.save(&xlsx_path).expect("save");
    let done = json(
        dir,
        T0,
        &[
            "stock",
            "stocktake",
            "--sheet",
            &xlsx_path.to_string_lossy(),
        ],
    );
    assert_eq!(deltas(&done), held(&[("G2", -3), ("G3", 6)]));
    assert_eq!(stock(dir), held(&[("G1", 13), ("G2", 1), ("G3", 6)]));
}

#[test]
fn a_count_below_zero_an_unknown_item_or_an_item_counted_twice_changes_nothing() {
    let tmp = shop();
    let dir = tmp.path();
    let st = |extra: &[&'static str]| {
        let mut args = vec!["stock", "stocktake"];
        args.extend_from_slice(extra);
        args
    };
    refused(
        dir,
        T0,
        &st(&["--count", "G2=3", "--count", "G1=-1"]),
        1,
        "不能小于 0",
    );
    refused(
        dir,
        T0,
        &st(&["--count", "G1=3", "--count", "G9=1"]),
        1,
        "--count G9=1：没有编号为 G9 的商品",
    );
    // The barcode names G1 too: one item, two counts.
    refused(
        dir,
        T0,
        &st(&["--count", "G1=3", "--count", "6901234567892=4"]),
        1,
        "已由 --count G1=3 盘点过",
    );
    let sheet = write(dir, "s.csv", "商品编号,实盘数\nG1,3\n");
    refused(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &sheet, "--count", "G1=4"],
        1,
        "在盘点表第 2 行已经盘点过",
    );
    refused(dir, T0, &st(&[]), 2, "--sheet");
    refused(dir, T0, &st(&["--count", "G1"]), 2, "G00001=12");
    refused(dir, T0, &st(&["--count", "G1=1.5"]), 2, "不是整数");
    refused(dir, T0, &st(&["--count", "6.90123E+12=3"]), 2, "科学计数法");
    refused(
        dir,
        T0,
        &["--lang", "en", "stock", "stocktake", "--count", "G9=1"],
        1,
        "nothing of the stocktake was recorded",
    );
    // The ledger's rules are asked before anything is written, the preview included: an empty
    // reason is said once, a difference too large for one adjustment at its row.
    refused(
        dir,
        T0,
        &st(&[
            "--count",
            "G1=1",
            "--count",
            "G2=1",
            "--reason",
            " ",
            "--preview",
        ]),
        1,
        "原因不能为空",
    );
    let big = write(dir, "big.csv", "商品编号,实盘数\nG2,1\nG1,99999999999\n");
    refused(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &big, "--preview"],
        1,
        "big.csv 第 3 行：",
    );
    assert_eq!(stock(dir), held(&[("G1", 15), ("G2", 4), ("G3", 0)]));
}

#[test]
fn a_sheet_with_bad_rows_is_refused_whole_and_every_bad_row_is_named() {
    let tmp = shop();
    let dir = tmp.path();
    let sheet = write(
        dir,
        "盘点表.csv",
        "商品编号,实盘数\nG1,12\nG2,1.5\nG9,3\n,4\n6.91012E+12,3\nG1,2\nG3,2\n",
    );
    let before = head(dir);
    let out = aixin(dir, T0, &["stock", "stocktake", "--sheet", &sheet]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(head(dir), before, "nothing of the sheet is recorded");
    assert!(
        stderr.contains("5 处实盘数不能用，盘点没有记账"),
        "{stderr}"
    );
    for needle in [
        "第 3 行 B 列（实盘数）：数量“1.5”不是整数",
        "第 4 行：没有编号为 G9 的商品",
        "第 5 行 A 列（商品编号）：商品编号不能为空",
        "第 6 行 A 列（商品编号）：商品编号 6.91012E+12 像是 Excel 的科学计数法",
        "第 7 行：商品 G1 在第 2 行已经盘点过",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    let rows: Vec<&str> = stderr.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "one line per bad row: {stderr}");

    // Only unknown items (every cell readable): refused by a rule, exit 1, named in English.
    let sheet = write(dir, "unknown.csv", "商品编号,实盘数\nG1,12\nG8,1\nG9,3\n");
    let out = aixin(
        dir,
        T0,
        &["--lang", "en", "stock", "stocktake", "--sheet", &sheet],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 3: no goods G8 in the catalog"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: no goods G9 in the catalog"),
        "{stderr}"
    );

    // A sheet without the columns, and a file that is not there.
    let sheet = write(dir, "other.csv", "名称,数量\n大米,3\n");
    refused(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &sheet],
        2,
        "实盘数",
    );
    let missing = dir.join("没有.csv");
    refused(
        dir,
        T0,
        &["stock", "stocktake", "--sheet", &missing.to_string_lossy()],
        2,
        "盘点没有记账",
    );
    assert_eq!(head(dir), before);
}

#[test]
fn a_stocktake_is_a_write_like_any_other_operator_and_pin_are_asked() {
    let tmp = shop();
    let dir = tmp.path();
    add_manager(dir, T0);
    refused_with(
        dir,
        T0,
        &["stock", "stocktake", "--count", "G1=1"],
        &[("AIXIN_OPERATOR", "王丽")],
        1,
        "AIXIN_PIN",
    );
    // A preview writes nothing, so it needs no PIN.
    let out = aixin_with(
        dir,
        T0,
        &["stock", "stocktake", "--count", "G1=1", "--preview"],
        &[],
    );
    assert!(out.status.success());
    ok_with(
        dir,
        T0,
        &["stock", "stocktake", "--count", "G1=1"],
        &as_manager(),
    );
    assert_eq!(stock(dir), held(&[("G1", 1), ("G2", 4), ("G3", 0)]));
}
