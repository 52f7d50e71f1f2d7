//! The ledger at its boundaries, through the real binary: the field cases of
//! `/work/shared/field/` (settlement-donated-paid, close-year-late-wipes-new-year,
//! clock-ahead-locks-till, close-day-after-midnight) as tests of the right value, and what the
//! township sees of a village's clock. PRODUCT.md, "Rules at the boundaries".

mod common;

use common::cli::{aixin, head, json, ok, refused};

fn at(dir: &std::path::Path, now: &str, args: &[&str]) -> String {
    ok(dir, now, args)
}

fn key_line(dir: &std::path::Path) -> String {
    json(dir, "2026-11-01T01:00:00Z", &["keys", "show"])["key_line"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A township TS01 and a village with each other's keys enrolled, and a USB folder: the
/// village's data dir, the township's, and the folder, all under `tmp`.
fn village_and_township(
    tmp: &std::path::Path,
    station_id: &str,
    name: &str,
) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let town = tmp.join("town");
    let village = tmp.join("village");
    let usb = tmp.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    let t = "2026-11-01T01:00:00Z";
    at(
        &town,
        t,
        &[
            "init",
            "--station-id",
            "TS01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    at(
        &village,
        t,
        &[
            "init",
            "--station-id",
            station_id,
            "--name",
            name,
            "--policy",
            "threshold-score",
        ],
    );
    at(&town, t, &["station", "enroll", &key_line(&village)]);
    at(
        &village,
        t,
        &["station", "enroll", &key_line(&town), "--township"],
    );
    (village, town, usb.to_string_lossy().to_string())
}

#[test]
fn settlement_pays_nobody_for_units_that_came_in_as_a_donation() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let t = "2026-11-01T01:00:00Z";
    at(
        d,
        t,
        &[
            "init",
            "--station-id",
            "ST01",
            "--name",
            "结算村",
            "--policy",
            "direct-points",
        ],
    );
    at(
        d,
        t,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "甲",
        ],
    );
    at(
        d,
        t,
        &[
            "goods",
            "add",
            "--id",
            "G1",
            "--name",
            "大米",
            "--price",
            "10",
            "--zone",
            "10",
            "--supplier",
            "县供销社",
        ],
    );
    at(
        d,
        t,
        &["stock", "receive", "G1", "4", "--donor", "县农商银行"],
    );
    at(d, t, &["score", "enter", "H1", "2026-10", "20"]);
    at(d, "2026-11-09T01:00:00Z", &["award", "confirm", "--due"]);
    at(d, "2026-11-09T02:00:00Z", &["redeem", "C1", "G1:1"]);
    let later = "2026-11-09T02:01:00Z";
    let settlement = json(d, later, &["report", "settlement"]);
    assert_eq!(
        settlement["merchants"],
        serde_json::json!([]),
        "{settlement}"
    );
    assert_eq!(settlement["donated_units"], 1);
    assert_eq!(settlement["donated_points"], 10);
    let donations = json(d, later, &["report", "donations"]);
    let line = &donations["lines"][0];
    assert_eq!(
        (
            &line["quantity"],
            &line["redeemed_units"],
            &line["in_stock_units"]
        ),
        (
            &serde_json::json!(4),
            &serde_json::json!(1),
            &serde_json::json!(3)
        )
    );
    // A merchant's own supply lot is payable, once received as such.
    at(d, later, &["stock", "receive", "G1", "2", "--merchant"]);
    at(
        d,
        later,
        &["stock", "adjust", "--reason", "受潮", "--", "G1", "-3"],
    );
    at(d, later, &["redeem", "C1", "G1:1"]);
    let settlement = json(d, later, &["report", "settlement"]);
    assert_eq!(settlement["merchants"][0]["merchant"], "县供销社");
    assert_eq!(settlement["merchants"][0]["units"], 1);
    assert_eq!(settlement["merchants"][0]["value_fen"], 1000);
    assert_eq!(settlement["donated_units"], 1);
}

#[test]
fn clearing_a_year_late_keeps_the_new_years_points() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    at(
        d,
        "2026-11-01T01:00:00Z",
        &[
            "init",
            "--station-id",
            "YE02",
            "--name",
            "年末村",
            "--policy",
            "threshold-score",
        ],
    );
    at(
        d,
        "2026-11-01T01:00:00Z",
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "甲",
        ],
    );
    at(
        d,
        "2026-11-01T01:00:00Z",
        &["score", "enter", "H1", "2026-10", "90"],
    );
    at(d, "2026-11-09T01:00:00Z", &["award", "confirm", "--due"]);
    // February: the shop was closed since November, so the manager confirms the date shown.
    at(
        d,
        "2027-02-01T01:00:00Z",
        &[
            "--confirm-date",
            "2027-02-01",
            "score",
            "enter",
            "H1",
            "2027-01",
            "84",
        ],
    );
    at(d, "2027-02-08T01:00:00Z", &["award", "confirm", "--due"]);
    assert_eq!(
        json(d, "2027-02-08T01:01:00Z", &["balance", "C1"])["balance_points"],
        70
    );
    let preview = json(
        d,
        "2027-02-10T01:00:00Z",
        &["close-year", "2026", "--preview"],
    );
    assert_eq!(preview["preview"]["total_points"], 50);
    assert_eq!(preview["preview"]["kept_points"], 20);
    assert_eq!(preview["honours"][0]["household_id"], "H1");
    let text = at(d, "2027-02-10T01:00:00Z", &["close-year", "2026"]);
    assert!(text.contains("50"), "{text}");
    let after = json(d, "2027-02-10T01:01:00Z", &["balance", "C1"]);
    assert_eq!(
        (&after["balance_points"], &after["cleared_points"]),
        (&serde_json::json!(20), &serde_json::json!(50)),
        "only 2026's 50 points are cleared; January 2027's 20 stay"
    );
    refused(
        d,
        "2027-02-10T01:02:00Z",
        &["score", "enter", "H1", "2026-12", "90"],
        1,
        "已年终清零",
    );
}

#[test]
fn close_day_just_after_midnight_closes_the_evenings_session() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let t = "2026-11-20T01:00:00Z";
    at(
        d,
        t,
        &[
            "init",
            "--station-id",
            "TZ01",
            "--name",
            "时区村",
            "--policy",
            "daily-action",
        ],
    );
    at(
        d,
        t,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "甲",
        ],
    );
    at(
        d,
        t,
        &[
            "goods", "add", "--id", "G1", "--name", "肥皂", "--price", "2", "--zone", "2",
        ],
    );
    at(d, t, &["stock", "receive", "G1", "50", "--donor", "某"]);
    at(
        d,
        "2026-11-21T16:30:00Z",
        &["score", "enter", "H1", "2026-11-22", "4"],
    );
    at(d, "2026-11-21T16:33:00Z", &["award", "confirm", "--due"]);
    let evening = json(d, "2026-11-22T15:50:00Z", &["redeem", "C1", "G1:1"]);
    // 00:11 on the 23rd (China time): the close covers the evening's sale.
    let z1 = json(d, "2026-11-22T16:11:00Z", &["close-day"]);
    assert_eq!(z1["session_no"], 1);
    assert_eq!(z1["totals"]["sales"], 1);
    assert_eq!(z1["last_seq"], evening["sale"]);
    let late = json(d, "2026-11-22T16:13:00Z", &["redeem", "C1", "G1:1"]);
    let z2 = json(d, "2026-11-23T01:01:00Z", &["close-day"]);
    assert_eq!(z2["session_no"], 2);
    assert_eq!(
        z2["first_seq"], late["sale"],
        "the next session starts after the close"
    );
    assert_eq!(z2["totals"]["sales"], 1);
    refused(d, "2026-11-23T01:02:00Z", &["close-day"], 1, "不用日结");
    let again = json(
        d,
        "2026-11-23T01:02:00Z",
        &["report", "session", "--z", "1"],
    );
    assert_eq!(again["totals"], z1["totals"], "a Z report stays as it was");
    let day = json(d, "2026-11-23T01:02:00Z", &["log", "--date", "2026-11-23"]);
    assert_eq!(day["closes"], serde_json::json!([1, 2]));
}

#[test]
fn the_township_sees_a_villages_fast_clock_and_its_correction() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (village, town, usb) = village_and_township(tmp.path(), "CLK01", "时钟村");
    let t = "2026-11-01T01:00:00Z";
    at(
        &village,
        t,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "甲",
        ],
    );
    at(
        &village,
        t,
        &[
            "goods", "add", "--id", "G1", "--name", "肥皂", "--price", "5", "--zone", "5",
        ],
    );
    at(
        &village,
        t,
        &["stock", "receive", "G1", "10", "--donor", "某"],
    );
    at(&village, t, &["score", "enter", "H1", "2026-10", "90"]);
    at(
        &village,
        "2026-11-09T01:00:00Z",
        &["award", "confirm", "--due"],
    );
    // The CMOS clock runs four months fast; the manager confirms what it shows.
    let sale = json(
        &village,
        "2027-03-01T01:00:00Z",
        &["--confirm-date", "2027-03-01", "redeem", "C1", "G1:1"],
    );
    let sale = sale["sale"].as_u64().expect("sale").to_string();
    // Set right: the correction is recorded and the mis-dated sale voided.
    let right = "2026-11-10T01:00:00Z";
    let before = head(&village);
    let out = aixin(&village, right, &["redeem", "C1", "G1:1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(head(&village), before, "the refusal wrote nothing");
    at(
        &village,
        right,
        &["clock", "correct", "--reason", "主板电池没电"],
    );
    at(&village, right, &["void", &sale, "--reason", "时钟错了"]);
    at(&village, right, &["export", "--to", &usb]);
    at(&town, "2026-11-10T02:00:00Z", &["import", &usb]);
    let report = json(&town, "2026-11-10T02:00:00Z", &["station", "report"]);
    let kinds: Vec<&str> = report["anomalies"]
        .as_array()
        .expect("anomalies")
        .iter()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    for kind in ["FutureDated", "ClockCorrected", "ClockConfirmed"] {
        assert!(kinds.contains(&kind), "{kind} missing: {report}");
    }
    let text = at(
        &town,
        "2026-11-10T02:00:00Z",
        &["--lang", "en", "station", "report"],
    );
    assert!(text.contains("dated after the township's clock"), "{text}");
}

#[test]
fn an_import_after_a_long_gap_asks_for_the_date_and_loses_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (village, town, usb) = village_and_township(tmp.path(), "GAP01", "间隔村");
    let t = "2026-11-01T01:00:00Z";
    at(
        &town,
        t,
        &[
            "goods",
            "add",
            "--id",
            "G9",
            "--name",
            "食用油",
            "--price",
            "20",
            "--zone",
            "20",
        ],
    );
    at(
        &town,
        t,
        &["stock", "receive", "G9", "6", "--donor", "爱心企业"],
    );
    at(&town, t, &["station", "ship", "GAP01", "G9", "4"]);
    at(&town, t, &["export", "--to", &usb]);
    // The village opens again after six weeks and imports first thing.
    let late = "2026-12-15T01:00:00Z";
    let before = head(&village);
    refused(
        &village,
        late,
        &["import", &usb],
        1,
        "--confirm-date 2026-12-15",
    );
    assert_eq!(head(&village), before);
    at(
        &village,
        late,
        &["--confirm-date", "2026-12-15", "import", &usb],
    );
    let stock = json(&village, late, &["stock", "list"]);
    assert_eq!(stock[0]["stock_units"], 4, "{stock}");
    let donations = json(&village, late, &["report", "donations"]);
    assert_eq!(
        donations["lines"][0]["donor"], "爱心企业",
        "a shipment keeps the origin of the township's lot"
    );
}

#[test]
fn on_the_demo_station_settlement_donations_and_lots_agree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut ledger = aixin::store::Ledger::create(&tmp.path().join("ledger.redb")).expect("create");
    // 2026-11-21 10:00 China time.
    aixin::demo::build_demo(&mut ledger, 1_795_226_400_000).expect("demo");
    let view = ledger.view().expect("view");
    let lots = aixin::report::lot_ledger(&view).expect("lots");
    for lot in &lots.lots {
        assert_eq!(
            lot.received_units,
            lot.redeemed_units + lot.lost_units + lot.shipped_units + lot.in_stock_units,
            "lot #{}",
            lot.lot_seq
        );
    }
    let quarters = ["2026-Q3", "2026-Q4"];
    let settled: Vec<_> = quarters
        .iter()
        .map(|q| aixin::report::settlement(&view, q).expect("settlement"))
        .collect();
    let sold: i64 = view
        .goods()
        .expect("goods")
        .iter()
        .map(|g| g.sold_units)
        .sum();
    assert_eq!(
        settled.iter().map(|s| s.redeemed_units()).sum::<i64>(),
        sold,
        "every unit sold is payable, donated, fund-bought or other, once"
    );
    assert!(
        settled.iter().any(|s| !s.merchants.is_empty()),
        "the demo's merchants are paid for their supply lots"
    );
    let donations = aixin::report::donation_report(&view).expect("donations");
    assert_eq!(
        settled.iter().map(|s| s.donated_units).sum::<i64>(),
        donations
            .lines
            .iter()
            .map(|l| l.redeemed_units)
            .sum::<i64>(),
        "the donations ledger and the settlement agree"
    );
}

/// The day log of each calendar day holds that day's events wherever they lie in the chain:
/// the latest day is kept in the station's meta and older days in the days table, and a day
/// the clock comes back to after a correction is found whole, both stretches of it. `verify`
/// (which replays every event and compares every derived record) passes throughout.
#[test]
fn each_days_log_holds_that_days_events_across_a_clock_set_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let t = "2026-11-01T01:00:00Z";
    at(
        d,
        t,
        &[
            "init",
            "--station-id",
            "DAY01",
            "--name",
            "日村",
            "--policy",
            "threshold-score",
        ],
    );
    at(
        d,
        t,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "甲",
        ],
    );
    at(
        d,
        "2026-11-02T01:00:00Z",
        &["score", "enter", "H1", "2026-10", "80"],
    );
    // The clock runs fast for a while, then the manager sets it right on the 2nd.
    at(
        d,
        "2026-11-05T01:00:00Z",
        &["score", "enter", "H1", "2026-09", "70"],
    );
    let right = "2026-11-02T03:00:00Z";
    at(d, right, &["clock", "correct", "--reason", "主板电池没电"]);
    at(d, right, &["score", "enter", "H1", "2026-08", "60"]);
    let seqs = |date: &str| -> Vec<u64> {
        json(d, right, &["log", "--date", date])["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter_map(|line| line["seq"].as_u64())
            .collect()
    };
    assert_eq!(seqs("2026-11-01"), vec![1, 2, 3], "init and the household");
    assert_eq!(
        seqs("2026-11-02"),
        vec![4, 6, 7],
        "both stretches of the 2nd"
    );
    assert_eq!(seqs("2026-11-05"), vec![5], "the fast-dated score");
    assert_eq!(seqs("2026-11-03"), Vec::<u64>::new());
    at(d, right, &["verify"]);
    // The next day opens a new day; the 2nd stays whole.
    at(
        d,
        "2026-11-03T01:00:00Z",
        &["score", "enter", "H1", "2026-07", "50"],
    );
    assert_eq!(seqs("2026-11-02"), vec![4, 6, 7]);
    assert_eq!(seqs("2026-11-03"), vec![8]);
    at(d, "2026-11-03T01:00:00Z", &["verify"]);
}
