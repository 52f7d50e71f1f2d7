//! Every argument of the command line goes through the one normaliser: ids, cards, phones and
//! barcodes typed with a Chinese input method's full-width forms are the ASCII ones, number
//! arguments take full-width digits and refuse what is not a whole number (`1.5` is not 15),
//! redeem lines take `G01：２`, a sale number is taken as the receipt prints it, and periods,
//! days and years are taken in every form a village manager or a Chinese sheet writes them
//! (`2026/11`, `2026年11月`, `2026年第四季度`, `2026/11/21`, `2026年`). Every refusal leaves the
//! ledger as it was.

mod common;

use common::cli::{json, ok, one_household_shop, refused, write, T0};

/// 2026-10-20 10:00 China time, after the shop's award is confirmed.
const LATER: &str = "2026-10-20T02:00:00Z";

fn shop() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    one_household_shop(tmp.path(), "member-card", 2, 20, "2026-10", 100, T0);
    tmp
}

#[test]
fn full_width_ids_and_cards_are_the_ascii_ones() {
    let tmp = shop();
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "Ｈ３０６",
            "--card",
            "ＬＪ９００３０６",
            "--head",
            " 李　四 ",
            "--phone",
            "１３８０００００００６",
            "--members",
            "李梅、张小龙",
        ],
    );
    let h = json(dir, T0, &["household", "show", "LJ900306"]);
    assert_eq!(h["household"]["household"]["household_id"], "H306");
    assert_eq!(h["household"]["household"]["head"], "李　四");
    assert_eq!(h["household"]["household"]["phone"], "13800000006");
    assert_eq!(
        h["household"]["household"]["members"],
        serde_json::json!(["李梅", "张小龙"])
    );
    assert_eq!(
        json(dir, T0, &["balance", "ＬＪ９００３０６"])["household_id"],
        "H306"
    );
    // The list finds a household as the till's lookup does: the name without its padding
    // space, its pinyin initials, a member; and says so when nothing is found.
    for query in ["李四", "ls", "李梅", "９００３０６"] {
        let found = json(dir, T0, &["household", "list", "--name", query]);
        assert!(
            found
                .as_array()
                .is_some_and(|a| a.iter().any(|h| h["household"]["household_id"] == "H306")),
            "{query}: {found}"
        );
    }
    let none = ok(dir, T0, &["household", "list", "--name", "王五"]);
    assert!(none.contains("没有找到“王五”"), "{none}");
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
            "LJ1",
            "--head",
            "李四",
        ],
        1,
        "H306",
    );
    refused(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H9",
            "--card",
            "1.38E+10",
            "--head",
            "王",
        ],
        2,
        "科学计数法",
    );
}

#[test]
fn numbers_take_full_width_digits_and_refuse_what_is_not_a_whole_number() {
    let tmp = shop();
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &["stock", "receive", "G1", "３", "--donor", "县妇联"],
    );
    refused(
        dir,
        T0,
        &["stock", "receive", "G1", "1.5", "--donor", "县妇联"],
        2,
        "数量“1.5”不是整数",
    );
    refused(
        dir,
        T0,
        &[
            "--lang", "en", "stock", "adjust", "G1", "-1.5", "--reason", "破损",
        ],
        2,
        "difference '-1.5' is not a whole number",
    );
    refused(
        dir,
        T0,
        &["score", "enter", "H1", "2026-10", "8.5"],
        2,
        "得分“8.5”不是整数",
    );
    refused(
        dir,
        T0,
        &[
            "goods", "add", "--id", "G2", "--name", "盐", "--price", "二", "--zone", "2",
        ],
        2,
        "积分“二”不是整数",
    );
    refused(
        dir,
        T0,
        &[
            "goods", "add", "--id", "G2", "--name", "盐", "--price", "2", "--zone", "x",
        ],
        2,
        "专区“x”不对",
    );
    ok(
        dir,
        T0,
        &[
            "goods",
            "add",
            "--id",
            "Ｇ２",
            "--name",
            "盐",
            "--price",
            "２",
            "--zone",
            "２分区",
            "--barcode",
            "６９０１２３４５６７８９２",
        ],
    );
    assert_eq!(
        json(dir, T0, &["stock", "list"])[1]["goods"]["barcode"],
        "6901234567892"
    );
    refused(
        dir,
        T0,
        &["stock", "receive", "6.90123E+12", "1", "--donor", "某"],
        2,
        "科学计数法",
    );
}

#[test]
fn redeem_lines_as_a_chinese_input_method_types_them() {
    let tmp = shop();
    let dir = tmp.path();
    let sale = json(dir, LATER, &["redeem", "Ｃ１", "Ｇ１：２"]);
    assert_eq!(sale["total_points"], 4);
    refused(
        dir,
        LATER,
        &["redeem", "C1", "G1:1.5"],
        2,
        "数量“1.5”不是整数",
    );
}

#[test]
fn a_sale_number_is_taken_as_the_receipt_prints_it() {
    let tmp = shop();
    let dir = tmp.path();
    let sale = json(dir, LATER, &["redeem", "C1", "G1:2"])["sale"]
        .as_u64()
        .unwrap_or(0);
    refused(
        dir,
        LATER,
        &["void", &format!("WZ01-{sale}"), "--reason", "拿错了"],
        1,
        "WZ01",
    );
    refused(
        dir,
        LATER,
        &["void", "V1-", "--reason", "拿错了"],
        2,
        "请照小票上的“单号”填写",
    );
    let voided = json(
        dir,
        LATER,
        &["void", &format!("V1-{sale}"), "--reason", "拿错了"],
    );
    assert_eq!(voided["voided"], sale);
    refused(
        dir,
        LATER,
        &["void", &sale.to_string(), "--reason", "又一次"],
        1,
        "已经作废",
    );
}

#[test]
fn a_score_is_entered_by_card_as_balance_and_redeem_take_it() {
    let tmp = shop();
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H306",
            "--card",
            "LJ900306",
            "--head",
            "李四",
        ],
    );
    let award = json(
        dir,
        T0,
        &["score", "enter", "ＬＪ９００３０６", "2026-10", "80"],
    );
    assert_eq!(award["household_id"], "H306", "{award}");
    // Unknown as an id and as a card: the domain refuses it.
    refused(
        dir,
        T0,
        &["score", "enter", "LJ404", "2026-10", "80"],
        1,
        "LJ404",
    );
}

/// The trial: `--period 2026/11` was refused with the Excel hint. A period enters in every
/// form a village manager writes it (`2026/10`, `2026.10`, `2026年10月`, full-width digits,
/// spaces) and is kept as `2026-10`; what is ambiguous or mangled is refused on one line that
/// names the form to write, and the ledger stays as it was.
#[test]
fn a_period_is_taken_in_every_form_a_manager_writes_it() {
    let tmp = shop();
    let dir = tmp.path();
    let score_of = |period: &str| {
        let board = json(dir, T0, &["report", "board", "--period", period]);
        board["rows"][0]["score"].as_i64().unwrap_or(0)
    };
    let before = score_of("2026-10");
    let forms = [
        "2026/10",
        "2026.10",
        "2026年10月",
        "２０２６／１０",
        "２０２６年１０月",
        " 2026 / 10 ",
    ];
    for written in forms {
        ok(dir, T0, &["score", "enter", "H1", written, "80"]);
    }
    ok(dir, T0, &["score", "enter", "H1", "2026年9月", "80"]);
    assert_eq!(score_of("2026-10"), before + 80 * forms.len() as i64);
    assert_eq!(score_of("2026-09"), 80, "2026年9月 is 2026-09");
    for (written, needle) in [
        (
            "11/2026",
            "评分周期“11/2026”格式不对；请写成 2026-11（也可写 2026/11、2026.11、2026年11月）",
        ),
        ("2026-13", "格式不对；请写成 2026-11"),
        ("2026/13", "格式不对；请写成 2026-11"),
        ("26年10月", "格式不对；请写成 2026-11"),
        ("2026.1", "格式不对；请写成 2026-11"),
        // Excel's own mangling keeps its fix.
        ("46296", "请把这一列设置为“文本”格式，写成 2026-10"),
        ("2026/10/1", "写成 2026-10"),
    ] {
        let stderr = refused(dir, T0, &["score", "enter", "H1", written, "80"], 2, needle);
        if !["46296", "2026/10/1"].contains(&written) {
            assert!(
                !stderr.contains("文本"),
                "no Excel hint for {written:?}: {stderr}"
            );
        }
    }
    let en = refused(
        dir,
        T0,
        &["--lang", "en", "score", "enter", "H1", "11/2026", "80"],
        2,
        "period '11/2026' is not a month; write 2026-11 (or 2026/11, 2026.11, 2026年11月)",
    );
    assert!(!en.contains("Excel"), "{en}");
    // The board and the settlement take the same forms.
    let board = json(dir, T0, &["report", "board", "--period", "2026年10月"]);
    assert_eq!(board["period"], "2026-10", "{board}");
    let settlement = json(
        dir,
        T0,
        &["report", "settlement", "--quarter", "2026年第四季度"],
    );
    assert_eq!(settlement["quarter"], "2026-Q4", "{settlement}");
    refused(
        dir,
        T0,
        &["report", "settlement", "--quarter", "2026-Q5"],
        2,
        "请写成 2026-Q4",
    );
}

/// The same kind of fault in every other date-like argument: `--date`, `--confirm-date` and
/// `--year` go through the one normaliser of days and years.
#[test]
fn dates_and_years_are_taken_in_every_form_a_manager_writes_them() {
    let tmp = shop();
    let dir = tmp.path();
    let slash = json(dir, T0, &["log", "--date", "2026/10/01"]);
    let dashed = json(dir, T0, &["log", "--date", "2026-10-01"]);
    assert_eq!(slash, dashed);
    let chinese = json(dir, T0, &["report", "day", "--date", "2026年10月1日"]);
    let plain = json(dir, T0, &["report", "day", "--date", "2026-10-01"]);
    assert_eq!(chinese, plain);
    refused(
        dir,
        T0,
        &["log", "--date", "1/10/2026"],
        2,
        "日期“1/10/2026”不是日期；请写成 2026-11-21",
    );
    refused(
        dir,
        T0,
        &["--lang", "en", "log", "--date", "2026-02-30"],
        2,
        "date '2026-02-30' is not a date; write 2026-11-21",
    );
    // A write months after the last entry needs the date confirmed, in any form.
    let far = "2026-12-31T02:00:00Z";
    let add = [
        "household",
        "add",
        "--id",
        "H2",
        "--card",
        "C2",
        "--head",
        "李四",
    ];
    let confirmed = |date: &'static str| [&add[..], &["--confirm-date", date]].concat();
    refused(dir, far, &add, 1, "--confirm-date");
    refused(dir, far, &confirmed("31/12/2026"), 2, "请写成 2026-11-21");
    ok(dir, far, &confirmed("2026年12月31日"));
    let stats = json(dir, far, &["report", "stats", "--year", "2026年"]);
    assert_eq!(
        stats,
        json(dir, far, &["report", "stats", "--year", "２０２６"])
    );
    for year in ["26", "1999", "2026.5"] {
        refused(dir, far, &["report", "stats", "--year", year], 2, "年份");
    }
    refused(
        dir,
        far,
        &["close-year", "26"],
        2,
        "请写 2000 到 2100 之间的四位年份",
    );
}

/// A scores sheet carries periods the way a Chinese sheet writes them; they enter through the
/// same normaliser as `--period`. A row with an ambiguous period refuses the whole file,
/// naming its line and the form to write, and nothing of it is written.
#[test]
fn a_scores_sheet_takes_the_periods_a_chinese_sheet_writes() {
    let tmp = shop();
    let dir = tmp.path();
    let score_of = |period: &str| {
        let board = json(dir, T0, &["report", "board", "--period", period]);
        board["rows"][0]["score"].as_i64().unwrap_or(0)
    };
    let before = score_of("2026-10");
    let bad = write(
        dir,
        "评分表-错.csv",
        "户号,期间,得分\nH1,2026年10月,80\nH1,10/2026,80\n",
    );
    refused(
        dir,
        T0,
        &["score", "import", &bad],
        2,
        "“10/2026”格式不对；请写成 2026-11",
    );
    assert_eq!(score_of("2026-10"), before);
    let good = write(
        dir,
        "评分表.csv",
        "户号,期间,得分\nH1,2026年10月,80\nH1,２０２６／１０,80\nH1, 2026.10 ,80\nH1,2026/9,80\n",
    );
    ok(dir, T0, &["score", "import", &good]);
    assert_eq!(score_of("2026-10"), before + 3 * 80);
    assert_eq!(score_of("2026-09"), 80);
}
