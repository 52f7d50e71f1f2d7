//! `aixin report stats` on the real binary: a month's award confirmed after the month, a sale
//! and a voided sale, the village budget of the direct-points policy, as text and as JSON; a
//! year out of range is refused.

mod common;

use common::cli::*;

/// A shop on the direct-points policy: 20 points for September confirmed on 9 October, two
/// soaps sold on 10 October and one more sold and voided the same day.
fn shop(dir: &std::path::Path) {
    one_household_shop(
        dir,
        "direct-points",
        5,
        10,
        "2026-09",
        20,
        "2026-10-09T02:00:00Z",
    );
    ok(dir, "2026-10-10T02:00:00Z", &["redeem", "C1", "G1:2"]);
    let sale = json(dir, "2026-10-10T03:00:00Z", &["redeem", "C1", "G1:1"]);
    let seq = sale["sale"]
        .as_u64()
        .unwrap_or_else(|| panic!("a sale number in {sale}"));
    ok(
        dir,
        "2026-10-10T04:00:00Z",
        &["void", &seq.to_string(), "--reason", "拿错了"],
    );
}

#[test]
fn stats_print_the_months_the_stock_and_the_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    shop(d);
    let now = "2026-10-12T02:00:00Z";
    let v = json(d, now, &["report", "stats"]);
    assert_eq!(v["year"], 2026);
    assert_eq!(v["today"], "2026-10-12");
    assert_eq!(v["months"][8]["month"], "2026-09");
    assert_eq!(v["months"][8]["awarded_points"], 20);
    assert_eq!(
        v["months"][9]["spent_points"], 10,
        "the voided sale is not spent"
    );
    assert_eq!(v["fast_moving"][0]["goods_id"], "G1");
    assert_eq!(v["fast_moving"][0]["sold_units"], 2);
    let stock = v["fast_moving"][0]["stock_units"].as_array().cloned();
    let stock: Vec<i64> = stock
        .unwrap_or_default()
        .iter()
        .filter_map(serde_json::Value::as_i64)
        .collect();
    assert_eq!(stock, vec![0, 0, 0, 0, 0, 0, 10, 8]);
    assert_eq!(v["budget"]["span"], "month");
    assert_eq!(v["budget"]["rows"][8]["key"], "2026-09");
    assert_eq!(v["budget"]["rows"][8]["limit_points"], 250);
    assert_eq!(v["budget"]["rows"][8]["used_points"], 20);

    let zh = ok(d, now, &["report", "stats"]);
    assert!(zh.contains("2026 年积分发放与兑换"), "{zh}");
    assert!(zh.contains("村级积分预算使用"), "{zh}");
    let en = ok(
        d,
        now,
        &["--lang", "en", "report", "stats", "--year", "2025"],
    );
    assert!(en.contains("Points awarded and spent in 2025"), "{en}");
    assert!(en.contains("2025-12"), "{en}");
}

#[test]
fn a_year_out_of_range_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    shop(d);
    let before = head(d);
    let out = aixin(
        d,
        "2026-10-12T02:00:00Z",
        &["report", "stats", "--year", "1999"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1999"), "{stderr}");
    assert_eq!(head(d), before);
}
