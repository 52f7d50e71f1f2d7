//! Sheets through the real binary on temp data dirs: workbooks (`.xlsx` built here as Excel
//! writes them, `.xls` and `.ods` fixtures), headers by name, every bad cell reported with its
//! sheet, row and column while the ledger stays as it was, re-imports that skip what the
//! ledger holds and refuse what differs, and `list --out` files that import back as nothing new.

mod common;
mod import_support;

use std::path::{Path, PathBuf};

use common::cli::{head, json, ok, refused, write, T0};
use import_support::{add_household, arg, household, refused_import};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A cell as a clerk's Excel holds it.
enum X {
    T(&'static str),
    N(f64),
    Date(u16, u8, u8, &'static str),
}

fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<X>>)]) {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    X::T("") => {}
                    X::T(t) => {
                        sheet.write_string(r, c, *t).expect("text");
                    }
                    X::N(n) => {
                        sheet.write_number(r, c, *n).expect("number");
                    }
                    X::Date(y, m, d, shown) => {
                        let date = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        let format = Format::new().set_num_format(*shown);
                        sheet
                            .write_datetime_with_format(r, c, &date, &format)
                            .expect("date");
                    }
                }
            }
        }
    }
    workbook.save(path).expect("save workbook");
}

fn fixture(name: &str) -> String {
    import_support::fixture("import", name)
}

fn sample(name: &str) -> String {
    arg(&import_support::sample(name))
}

fn station() -> tempfile::TempDir {
    import_support::station("LJC01")
}

#[test]
fn a_workbook_with_a_title_row_headers_in_any_order_and_number_cells() {
    let tmp = station();
    let dir = tmp.path();
    let file = dir.join("花名册.xlsx");
    xlsx(
        &file,
        &[(
            "花名册",
            vec![
                vec![X::T("李家村农户花名册（2026 年）")],
                vec![
                    X::T("序号"),
                    X::T("联系电话"),
                    X::T("户主"),
                    X::T("卡号"),
                    X::T("户号"),
                    X::T("家庭成员"),
                    X::T("是否建档立卡"),
                    X::T("备注"),
                ],
                vec![
                    X::N(1.0),
                    X::N(13_800_000_001.0),
                    X::T("张三"),
                    X::N(900_001.0),
                    X::T("H001"),
                    X::T("李四、王五"),
                    X::T("√"),
                    X::T("新户"),
                ],
                vec![
                    X::N(2.0),
                    X::T("１３８０００００００２"),
                    X::T(" 王秀英 "),
                    X::T("ＬＪ００２"),
                    X::T("H002"),
                    X::T(""),
                    X::T(""),
                    X::T(""),
                ],
            ],
        )],
    );
    let out = json(dir, T0, &["household", "import", &arg(&file)]);
    assert_eq!(out["imported"], 2, "{out}");
    assert_eq!(out["sheets"], serde_json::json!(["花名册"]));
    let h = household(dir, "H001");
    assert_eq!(h["card_no"], "900001", "a number cell is its exact digits");
    assert_eq!(h["phone"], "13800000001");
    assert_eq!(h["members"], serde_json::json!(["李四", "王五"]));
    assert_eq!(h["registered_poor"], true);
    let h = household(dir, "LJ002");
    assert_eq!(
        (h["head"].clone(), h["phone"].clone()),
        ("王秀英".into(), "13800000002".into())
    );
}

#[test]
fn every_bad_cell_of_a_workbook_is_named_and_nothing_is_written() {
    let tmp = station();
    let dir = tmp.path();
    let goods = dir.join("goods.xlsx");
    xlsx(
        &goods,
        &[(
            "商品",
            vec![
                vec![
                    X::T("商品编号"),
                    X::T("名称"),
                    X::T("积分"),
                    X::T("专区"),
                    X::T("条码"),
                ],
                vec![
                    X::T("G1"),
                    X::T("大米"),
                    X::N(30.0),
                    X::N(30.0),
                    X::N(6_910_123_614_616.0),
                ],
                vec![X::T("G2"), X::T("食用油"), X::N(1.5), X::N(20.0), X::T("")],
                vec![X::N(3.5), X::T("盐"), X::N(2.0), X::T("二区"), X::T("")],
            ],
        )],
    );
    let stderr = refused_import(dir, &["--lang", "en", "goods", "import", &arg(&goods)], 2);
    assert!(
        stderr.contains("3 problems, nothing of the file was imported"),
        "{stderr}"
    );
    for expected in [
        "sheet '商品' row 3, column C (积分): price in points '1.5' is not a whole number",
        "sheet '商品' row 4, column A (商品编号): goods id 3.5 is a number with a decimal point; format the column as Text",
        "sheet '商品' row 4, column D (专区): zone '二区' is not a zone",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert_eq!(stderr.trim_end().lines().count(), 4, "{stderr}");
    add_household(dir, "H1", "C1", "张三");
    let scores = dir.join("scores.xlsx");
    xlsx(
        &scores,
        &[(
            "十月",
            vec![
                vec![X::T("户号"), X::T("月份"), X::T("得分")],
                vec![X::T("H1"), X::Date(2026, 10, 1, "mmm-yy"), X::N(90.0)],
            ],
        )],
    );
    let stderr = refused_import(dir, &["score", "import", &arg(&scores)], 2);
    assert!(
        stderr.contains("工作表“十月” 第 2 行 B 列（月份）：评分周期“2026-10-01”是日期"),
        "{stderr}"
    );
    assert!(stderr.contains("写成 2026-10"), "{stderr}");
}

#[test]
fn xls_and_ods_files_import() {
    let tmp = station();
    let dir = tmp.path();
    let out = json(
        dir,
        T0,
        &["household", "import", &fixture("households.xls")],
    );
    assert_eq!(out["imported"], 2, "{out}");
    let h = household(dir, "H501");
    assert_eq!(
        (h["card_no"].clone(), h["phone"].clone()),
        ("900501".into(), "13800000501".into())
    );
    assert_eq!(h["members"], serde_json::json!(["李小花", "王小山"]));
    assert_eq!(h["registered_poor"], true);
    assert_eq!(household(dir, "H502")["phone"], "13800000502");
    let out = json(dir, T0, &["goods", "import", &fixture("goods.ods")]);
    assert_eq!(out["imported"], 2, "{out}");
    ok(
        dir,
        T0,
        &[
            "stock",
            "receive",
            "6910123614616",
            "3",
            "--donor",
            "县妇联",
        ],
    );
    let goods = json(dir, T0, &["goods", "list"]);
    assert_eq!(goods[0]["goods"]["goods_id"], "G601");
    assert_eq!(goods[0]["stock_units"], 3);
}

#[test]
fn missing_columns_are_named_in_one_refusal() {
    let tmp = station();
    let dir = tmp.path();
    let file = write(dir, "h.csv", "户号,户主,电话\nH1,张三,138\n");
    let stderr = refused(
        dir,
        T0,
        &["household", "import", &file],
        2,
        "卡号（card_no）",
    );
    assert!(
        stderr.contains("第 1 行") && stderr.contains("表头缺少必填列"),
        "{stderr}"
    );
    let file = write(dir, "g.csv", "品名,规格\n大米,5kg\n");
    refused(
        dir,
        T0,
        &["--lang", "en", "goods", "import", &file],
        2,
        "商品编号（goods_id）, 积分（price_points）, 专区（zone）",
    );
    let file = write(dir, "x.csv", "a,b\n1,2\n");
    refused(dir, T0, &["score", "import", &file], 2, "找不到表头");
}

#[test]
fn a_second_import_skips_what_the_ledger_holds_and_refuses_what_differs() {
    let tmp = station();
    let dir = tmp.path();
    json(dir, T0, &["household", "import", &sample("households.csv")]);
    json(dir, T0, &["goods", "import", &sample("goods.csv")]);
    // The clerk's next version: two changed households and one new one.
    let text = std::fs::read_to_string(sample("households.csv")).expect("sample");
    let changed =
        text.replace(
            "H003,LJ900103,王玉珍,李强、李娟,一组,13797013349,否",
            "H003,LJ900103,王玉珍,李强、李娟,一组,13700000000,否",
        )
        .replace(
            "H005,LJ900105,刘长顺,,二组,13545218870,是",
            "H005,LJ900155,刘长顺,,二组,13545218870,否",
        ) + "H017,LJ900117,新户主,,五组,,否\r\n";
    let file = write(dir, "households-v2.csv", &changed);
    let stderr = refused_import(dir, &["--lang", "en", "household", "import", &file], 1);
    assert!(
        stderr.contains("line 4, column F (电话): household H003 is registered with other data: phone sheet 13700000000, ledger 13797013349."),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 6, column B (卡号): household H005 is registered with other data: card number sheet LJ900155, ledger LJ900105; registered poor sheet no, ledger yes."),
        "{stderr}"
    );
    assert!(stderr.contains("aixin household reissue-card"), "{stderr}");
    // The unchanged file again is nothing new; the new household alone is imported.
    let again = json(dir, T0, &["household", "import", &sample("households.csv")]);
    assert_eq!(
        (again["imported"].clone(), again["unchanged"].clone()),
        (0.into(), 16.into())
    );
    let plus = write(
        dir,
        "plus.csv",
        &(text + "H017,LJ900117,新户主,,五组,,否\r\n"),
    );
    let out = json(dir, T0, &["household", "import", &plus]);
    assert_eq!(
        (out["imported"].clone(), out["unchanged"].clone()),
        (1.into(), 16.into())
    );
    // Goods: a changed price is refused with the way to change it.
    let goods = std::fs::read_to_string(sample("goods.csv"))
        .expect("sample")
        .replace(
            "G004,食盐 400g,袋,6901234501056,2,2",
            "G004,食盐 400g,袋,6901234501056,5,5",
        );
    let file = write(dir, "goods-v2.csv", &goods);
    let stderr = refused_import(dir, &["goods", "import", &file], 1);
    assert!(
        stderr.contains("第 5 行 E 列（积分）：商品 G004 已在目录里，但与表格不同：积分 表格 5，账本 2；专区 表格 5，账本 2"),
        "{stderr}"
    );
    assert!(stderr.contains("aixin goods edit G004"), "{stderr}");
}

#[test]
fn scores_imported_twice_are_nothing_new_and_a_changed_score_is_refused() {
    let tmp = station();
    let dir = tmp.path();
    json(dir, T0, &["household", "import", &sample("households.csv")]);
    let first = json(dir, T0, &["score", "import", &sample("scores.csv")]);
    assert_eq!(first["imported"], 16);
    let again = json(dir, T0, &["score", "import", &sample("scores.csv")]);
    assert_eq!(
        (again["imported"].clone(), again["unchanged"].clone()),
        (0.into(), 16.into())
    );
    let changed = std::fs::read_to_string(sample("scores.csv"))
        .expect("sample")
        .replace("H003,2026-10,88,", "H003,2026-10,86,")
        .replace("H008,2026-10,91,主动参与垃圾分类", "H008,2026-10,91,");
    let file = write(dir, "scores-v2.csv", &changed);
    let stderr = refused_import(dir, &["--lang", "en", "score", "import", &file], 1);
    let award = json(dir, T0, &["award", "list"])
        .as_array()
        .and_then(|a| a.iter().find(|x| x["household_id"] == "H003").cloned())
        .map(|a| a["seq"].clone())
        .unwrap_or_default();
    assert!(
        stderr.contains(&format!("line 4, column C (得分): household H003 already has score #{award} for 2026-10 with other data: score sheet 86, ledger 88")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("aixin award revoke {award}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 9, column D (备注): household H008 already has score"),
        "{stderr}"
    );
}

#[test]
fn the_ledgers_refusals_are_reported_for_every_row() {
    let tmp = station();
    let dir = tmp.path();
    add_household(dir, "H1", "C1", "张三");
    let file = write(
        dir,
        "scores.csv",
        "户号,期间,得分\nH9,2026-10,90\nH1,2026-10,85\nH8,2026-10,90\nH1,2026-09,101\n",
    );
    let stderr = refused_import(dir, &["--lang", "en", "score", "import", &file], 1);
    for expected in [
        "line 2, column A (户号): no household H9",
        "line 4, column A (户号): no household H8",
        "line 5, column C (得分): score 101 is outside 0–100",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("line 3"), "{stderr}");
    // Past PROBLEMS_SHOWN_MAX refusals the ledger's check stops and says so.
    let mut many = String::from("户号,期间,得分\n");
    for i in 0..25 {
        many.push_str(&format!("X{i},2026-10,90\n"));
    }
    let file = write(dir, "many.csv", &many);
    let stderr = refused_import(dir, &["score", "import", &file], 1);
    assert!(
        stderr.contains("至少有 20 处问题，整个文件都未导入"),
        "{stderr}"
    );
    assert!(stderr.contains("其余各行还没有检查"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 22, "{stderr}");
    // Two rows of one file for one household or one card.
    let file = write(
        dir,
        "dup.csv",
        "户号,卡号,户主\nH2,C2,李四\nH3,C2,王五\nH2,C4,赵六\n",
    );
    let stderr = refused_import(dir, &["--lang", "en", "household", "import", &file], 1);
    assert!(
        stderr.contains("line 3, column B (卡号): card number C2 is also on line 2, for H2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4, column A (户号): household id H2 is already on line 2"),
        "{stderr}"
    );
}

#[test]
fn every_sheet_with_the_columns_is_imported() {
    let tmp = station();
    let dir = tmp.path();
    let file = dir.join("groups.xlsx");
    let header = || vec![X::T("户号"), X::T("卡号"), X::T("户主")];
    xlsx(
        &file,
        &[
            ("说明", vec![vec![X::T("每个组一张表")]]),
            (
                "一组",
                vec![header(), vec![X::T("H1"), X::T("C1"), X::T("张三")]],
            ),
            (
                "二组",
                vec![
                    header(),
                    vec![X::T("H2"), X::T("C2"), X::T("李四")],
                    vec![X::T("H3"), X::T("C3"), X::T("王五")],
                ],
            ),
        ],
    );
    let out = json(dir, T0, &["household", "import", &arg(&file)]);
    assert_eq!(out["imported"], 3, "{out}");
    assert_eq!(out["sheets"], serde_json::json!(["一组", "二组"]));
}

#[test]
fn listed_households_and_goods_import_back_as_nothing_new() {
    let tmp = station();
    let dir = tmp.path();
    json(dir, T0, &["household", "import", &sample("households.csv")]);
    json(dir, T0, &["goods", "import", &sample("goods.csv")]);
    // Values a spreadsheet would spoil: a leading zero, a plus sign, a name Excel would run.
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "0305",
            "--card",
            "000305",
            "--head=-孙三",
            "--phone",
            "+8613800000005",
        ],
    );
    let households = 17;
    let goods = 15;
    for (lang, ext) in [("zh", "xlsx"), ("zh", "csv"), ("en", "xlsx"), ("en", "csv")] {
        let h_file = arg(&dir.join(format!("households-{lang}.{ext}")));
        let g_file = arg(&dir.join(format!("goods-{lang}.{ext}")));
        let written = json(
            dir,
            T0,
            &["--lang", lang, "household", "list", "--out", &h_file],
        );
        assert_eq!(written["written"], households, "{written}");
        let written = json(
            dir,
            T0,
            &["--lang", lang, "goods", "list", "--out", &g_file],
        );
        assert_eq!(written["written"], goods, "{written}");
        let before = head(dir);
        let back = json(dir, T0, &["household", "import", &h_file]);
        assert_eq!(
            (back["imported"].clone(), back["unchanged"].clone()),
            (0.into(), households.into()),
            "{h_file}: {back}"
        );
        let back = json(dir, T0, &["goods", "import", &g_file]);
        assert_eq!(
            (back["imported"].clone(), back["unchanged"].clone()),
            (0.into(), goods.into()),
            "{g_file}: {back}"
        );
        assert_eq!(head(dir), before, "nothing new was written");
    }
    let csv = std::fs::read_to_string(dir.join("households-zh.csv")).expect("csv");
    assert!(
        csv.starts_with("\u{feff}户号,卡号,户主,家庭成员,村民小组,电话,建档立卡"),
        "{csv}"
    );
    let csv = std::fs::read_to_string(dir.join("goods-en.csv")).expect("csv");
    assert!(
        csv.starts_with("\u{feff}goods_id,name,unit,barcode,price_points,zone,category,supplier"),
        "{csv}"
    );
    // The exported list is a new station's starting sheet.
    let other = station();
    let out = json(
        other.path(),
        T0,
        &["household", "import", &arg(&dir.join("households-zh.xlsx"))],
    );
    assert_eq!(out["imported"], households);
    assert_eq!(household(other.path(), "0305")["phone"], "+8613800000005");
    assert_eq!(household(other.path(), "0305")["head"], "-孙三");
}

#[test]
fn a_list_to_an_unsupported_file_is_refused() {
    let tmp = station();
    let dir = tmp.path();
    let file: PathBuf = dir.join("households.txt");
    let stderr = refused(
        dir,
        T0,
        &["household", "list", "--out", &arg(&file)],
        2,
        ".xlsx 或 .csv",
    );
    assert!(stderr.contains("households.txt"), "{stderr}");
    refused(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "goods",
            "list",
            "--out",
            &arg(&dir.join("goods.xls")),
        ],
        2,
        "give a file name ending in .xlsx or .csv",
    );
    assert!(!file.exists());
}
