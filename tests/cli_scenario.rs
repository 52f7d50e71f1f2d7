//! The full village scenario through the real binary: init, households, goods, a donation
//! received, scores entered and confirmed after publicity, a redemption with a proxy, a void,
//! a day close and verify.

mod common;

use common::cli::{aixin, json, ok, write, T0};

#[test]
fn full_village_day() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村爱心超市",
            "--policy",
            "threshold-score",
        ],
    );
    let households = write(
        dir,
        "households.csv",
        "\u{feff}household_id,card_no,head,members,group,phone,registered_poor\r\nH001,LJ001,张三,李梅;张小龙,一组,13800001234,是\r\nH002,LJ002,王秀英,,二组,,否\r\n",
    );
    assert!(ok(dir, T0, &["household", "import", &households]).contains('2'));
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H003",
            "--card",
            "LJ003",
            "--head",
            "单田芳",
            "--group",
            "三组",
        ],
    );
    let goods = write(
        dir,
        "goods.csv",
        "goods_id,name,unit,barcode,price_points,zone,category,supplier\nG01,食用油 1.8L,桶,6901234567892,20,20,粮油,县供销社\nG02,洗衣粉,袋,6901234567908,5,5,清洁,县供销社\n",
    );
    ok(dir, T0, &["goods", "import", &goods]);
    ok(
        dir,
        T0,
        &["stock", "receive", "G01", "10", "--donor", "县农商银行"],
    );
    ok(
        dir,
        T0,
        &[
            "stock",
            "receive",
            "6901234567908",
            "30",
            "--fund",
            "专项资金",
            "--cost-fen",
            "12000",
        ],
    );

    let award = json(dir, T0, &["score", "enter", "H001", "2026-09", "90"]);
    assert_eq!(award["points"], 50, "90 is 10 above 80: 10 × 5 = 50 points");
    let low = json(dir, T0, &["score", "enter", "H002", "2026-09", "79"]);
    assert_eq!(low["points"], 0, "a month below 80 earns nothing");
    let balance = json(dir, T0, &["balance", "LJ001"]);
    assert_eq!(balance["balance_points"], 0);
    assert_eq!(balance["pending_points"], 50);

    // Publicity is 7 days: confirming on day 3 is refused, on day 8 it goes through.
    let seq = award["award"].as_u64().expect("award number").to_string();
    let early = aixin(dir, "2026-10-04T02:00:00Z", &["award", "confirm", &seq]);
    assert_eq!(early.status.code(), Some(1));
    let later = "2026-10-09T03:00:00Z";
    let confirmed = json(dir, later, &["award", "confirm", "--due"]);
    assert_eq!(confirmed["confirmed"], 2);
    assert_eq!(
        json(dir, later, &["balance", "LJ001"])["balance_points"],
        50
    );

    let sale = json(
        dir,
        later,
        &[
            "redeem",
            "LJ001",
            "G01:1",
            "6901234567908:2",
            "--proxy",
            "帮扶干部 刘明",
        ],
    );
    assert_eq!(sale["total_points"], 30);
    assert_eq!(sale["balance_points"], 20);
    let stock = json(dir, later, &["stock", "list"]);
    assert_eq!(stock[0]["stock_units"], 9);
    assert_eq!(stock[1]["stock_units"], 28);

    let sale_no = sale["sale"].as_u64().expect("sale number").to_string();
    ok(dir, later, &["void", &sale_no, "--reason", "拿错了"]);
    assert_eq!(
        json(dir, later, &["balance", "LJ001"])["balance_points"],
        50
    );
    let again = aixin(dir, later, &["void", &sale_no, "--reason", "再次"]);
    assert_eq!(again.status.code(), Some(1), "a sale is voided once");

    let sale = json(dir, later, &["redeem", "LJ001", "G01:2"]);
    assert_eq!(sale["balance_points"], 10);

    let log = json(dir, later, &["log"]);
    assert_eq!(log["totals"]["sales"], 2);
    assert_eq!(log["totals"]["voids"], 1);
    let proxy_logged = log["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .any(|l| l["summary_zh"].as_str().unwrap_or("").contains("刘明"));
    assert!(proxy_logged, "the day log names the proxy collector: {log}");
    let x = json(dir, later, &["report", "session"]);
    assert_eq!(x["closed_ms"], serde_json::Value::Null, "the open session");
    let z = json(dir, later, &["close-day"]);
    assert_eq!(
        z["totals"], x["totals"],
        "the Z report equals the X report at closing"
    );
    assert_eq!(z["session_no"], 1);
    assert_eq!(
        aixin(dir, later, &["close-day"]).status.code(),
        Some(1),
        "an empty session is not closed"
    );

    let verify = ok(dir, later, &["--lang", "en", "verify"]);
    assert!(verify.contains("verify passed"), "{verify}");
    let text = ok(dir, later, &["household", "show", "H001"]);
    assert!(text.contains("张三") && text.contains("李梅"), "{text}");
}

#[test]
fn demo_station_builds_and_verifies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--demo"]);
    let households = json(dir, T0, &["household", "list"]);
    assert!(households.as_array().map(|a| a.len()).unwrap_or(0) >= 200);
    let found = json(dir, T0, &["household", "list", "--name", "单"]);
    assert!(
        !found.as_array().map(|a| a.is_empty()).unwrap_or(true),
        "name prefix lookup"
    );
    assert!(ok(dir, T0, &["--lang", "en", "verify"]).contains("verify passed"));
}
