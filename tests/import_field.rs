//! The field cases of issue 9 (copied into `tests/fixtures/field/` from `shared/field/`), each as
//! a test of the right value through the real binary on a temp data dir: sheets saved by
//! Chinese Excel and WPS import without the clerk changing them, full-width input from a
//! Chinese input method is the same card as the ASCII one, and values Excel has mangled are
//! refused with the fix while the ledger stays exactly as it was.

mod common;
mod import_support;

use std::path::PathBuf;
use std::process::Command;

use common::cli::{aixin, head, json, refused, T0};
use import_support::{add_household, household};

fn fixture(name: &str) -> String {
    import_support::fixture("field", name)
}

fn station() -> tempfile::TempDir {
    import_support::station("CSV01")
}

#[test]
fn a_gbk_csv_from_chinese_excel_imports_unchanged() {
    let tmp = station();
    let dir = tmp.path();
    let out = json(
        dir,
        T0,
        &["household", "import", &fixture("households-gbk.csv")],
    );
    assert_eq!(out["imported"], 2, "{out}");
    let h = household(dir, "H301");
    assert_eq!(h["head"], "赵一");
    assert_eq!(h["members"], serde_json::json!(["赵小一"]));
    assert_eq!(h["group"], "二组");
    assert_eq!(household(dir, "LJ900302")["registered_poor"], true);
}

#[test]
fn a_csv_with_a_byte_order_mark_imports() {
    let tmp = station();
    let dir = tmp.path();
    let out = json(
        dir,
        T0,
        &["household", "import", &fixture("households-bom.csv")],
    );
    assert_eq!(out["imported"], 2, "{out}");
    assert_eq!(household(dir, "H301")["card_no"], "LJ900301");
    // The same file again is nothing new.
    let again = json(
        dir,
        T0,
        &["household", "import", &fixture("households-bom.csv")],
    );
    assert_eq!(
        (again["imported"].clone(), again["unchanged"].clone()),
        (0.into(), 2.into())
    );
}

#[test]
fn full_width_ids_and_cards_are_the_ascii_ones() {
    let tmp = station();
    let dir = tmp.path();
    let out = json(
        dir,
        T0,
        &["household", "import", &fixture("households-fullwidth.csv")],
    );
    assert_eq!(out["imported"], 2, "{out}");
    let balance = json(dir, T0, &["balance", "LJ900306"]);
    assert_eq!(balance["household_id"], "H306");
    assert_eq!(balance["card_active"], true);
    let h = household(dir, "H306");
    assert_eq!(
        h["phone"], "1380000006",
        "full-width digits as typed (ten of them)"
    );
    assert_eq!(h["head"], "李　四", "a name keeps its inner space");
    let h = household(dir, "H307");
    assert_eq!(
        (h["card_no"].clone(), h["head"].clone()),
        ("LJ900307".into(), "周五".into())
    );
    assert_eq!(h["phone"], "13800000007");
    refused(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "household",
            "add",
            "--id",
            "H306",
            "--card",
            "LJ900306",
            "--head",
            "李四",
            "--group",
            "三组",
        ],
        1,
        "household H306 already exists",
    );
    let ids: Vec<String> = json(dir, T0, &["household", "list"])
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    h["household"]["household_id"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ids, vec!["H306".to_string(), "H307".to_string()]);
}

#[test]
fn leading_zeros_stay_as_typed() {
    let tmp = station();
    let dir = tmp.path();
    json(
        dir,
        T0,
        &[
            "household",
            "import",
            &fixture("households-leading-zero.csv"),
        ],
    );
    let balance = json(dir, T0, &["balance", "000305"]);
    assert_eq!(balance["household_id"], "0305");
    assert_eq!(household(dir, "0305")["card_no"], "000305");
    assert_eq!(household(dir, "0305")["head"], "孙三");
}

#[test]
fn a_barcode_in_excel_scientific_notation_is_refused_with_the_fix() {
    let tmp = station();
    let dir = tmp.path();
    let before = head(dir);
    let out = aixin(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "goods",
            "import",
            &fixture("goods-excel-sci.csv"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("nothing of the file was imported"),
        "{stderr}"
    );
    for (line, value) in [(2, "6.91012E+12"), (3, "6.97017E+12")] {
        let expected = format!("line {line}, column D (barcode): barcode {value} looks like Excel scientific notation; format the column as Text and type the barcode again");
        assert!(stderr.contains(&expected), "{stderr}");
    }
    let zh = aixin(
        dir,
        T0,
        &["goods", "import", &fixture("goods-excel-sci.csv")],
    );
    let zh = String::from_utf8_lossy(&zh.stderr);
    assert!(
        zh.contains("第 2 行 D 列（barcode）：条码 6.91012E+12 像是 Excel 的科学计数法"),
        "{zh}"
    );
    assert!(zh.contains("请把这一列设置为“文本”格式"), "{zh}");
    assert_eq!(head(dir), before, "nothing of the file was written");
    assert_eq!(json(dir, T0, &["goods", "list"]), serde_json::json!([]));
}

#[test]
fn dates_in_the_period_column_are_refused_with_the_period_to_write() {
    let tmp = station();
    let dir = tmp.path();
    add_household(dir, "H201", "C201", "张三");
    let before = head(dir);
    let file = fixture("scores-excel-dates.csv");
    let out = aixin(dir, T0, &["--lang", "en", "score", "import", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for (line, value) in [(2, "46296"), (3, "Oct-26"), (4, "2026/10/1")] {
        let expected = format!("line {line}, column B (period): period '{value}' is a date, not a period (Excel turns 2026-10 into dates); format the column as Text and write 2026-10");
        assert!(stderr.contains(&expected), "{stderr}");
    }
    let zh = aixin(dir, T0, &["score", "import", &file]);
    let zh = String::from_utf8_lossy(&zh.stderr);
    assert!(zh.contains("有 3 处问题，整个文件都未导入"), "{zh}");
    assert!(zh.contains("评分周期“46296”是日期"), "{zh}");
    assert_eq!(head(dir), before);
    assert_eq!(json(dir, T0, &["award", "list"]), serde_json::json!([]));
}

/// Runs a field script with the real binary; its `mktemp -d` lands in a temp dir we remove.
fn script(name: &str) -> (String, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Command::new("sh")
        .arg(fixture(name))
        .env("AIXIN", env!("CARGO_BIN_EXE_aixin"))
        .env("TMPDIR", tmp.path())
        .env_remove("AIXIN_DATA_DIR")
        .output()
        .expect("run sh");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_goods_barcode_script_refuses_the_mangled_sheet() {
    let (stdout, stderr) = script("goods-barcode-excel-sci.sh");
    let lines: Vec<&str> = stdout.lines().collect();
    // init; the import refused; the catalog empty; the real barcode unknown (nothing imported).
    assert_eq!(lines.get(1), Some(&"rc=2"), "{stdout}\n{stderr}");
    assert_eq!(lines.get(2), Some(&"[]"), "{stdout}");
    assert_eq!(lines.get(3), Some(&"rc=1"), "{stdout}");
    assert!(
        stderr.contains(
            "barcode 6.91012E+12 looks like Excel scientific notation; format the column as Text"
        ),
        "{stderr}"
    );
}

#[test]
fn the_full_width_card_script_finds_the_card_and_refuses_the_duplicate() {
    let (stdout, stderr) = script("fullwidth-card-duplicate.sh");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.get(1),
        Some(&"imported 2 households"),
        "{stdout}\n{stderr}"
    );
    assert!(
        lines.get(2).is_some_and(|l| l.starts_with("H306  ")),
        "{stdout}"
    );
    assert_eq!(
        lines.get(3),
        Some(&"rc=0"),
        "balance LJ900306 finds it: {stdout}"
    );
    assert_eq!(
        lines.get(4),
        Some(&"rc=1"),
        "H306 again is refused: {stdout}"
    );
    let listed: Vec<&str> = lines[5..]
        .iter()
        .map(|l| l.split("  ").next().unwrap_or(""))
        .collect();
    assert_eq!(listed, vec!["H306", "H307"], "{stdout}");
    assert!(stderr.contains("household H306 already exists"), "{stderr}");
}

/// The fixture copies must stay byte-for-byte what the field sent (GBK, BOM, full width).
#[test]
fn the_fixtures_are_the_field_bytes() {
    let gbk = std::fs::read(PathBuf::from(fixture("households-gbk.csv"))).expect("gbk");
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "households-gbk.csv must stay GBK"
    );
    let bom = std::fs::read(PathBuf::from(fixture("households-bom.csv"))).expect("bom");
    assert!(bom.starts_with(b"\xEF\xBB\xBF"));
}
