//! The township's quarterly settlement adds up every village's redemptions per supplying
//! merchant, after the villages' bundles are imported; voided sales and donated goods stay out.

mod common;

use common::cli::{json, ok, T0};

const LATER: &str = "2026-10-09T03:00:00Z";

fn key_line(dir: &std::path::Path) -> String {
    json(dir, T0, &["keys", "show"])["key_line"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn township_settles_each_merchant_across_villages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let town = tmp.path().join("town");
    let usb = tmp.path().join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    ok(
        &town,
        T0,
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
    let town_key = key_line(&town);
    for (village, spend) in [("V01", "G01:2"), ("V02", "G01:1")] {
        let dir = tmp.path().join(village);
        ok(&dir, T0, &["init", "--station-id", village, "--name", "村"]);
        ok(&dir, T0, &["station", "enroll", &town_key, "--township"]);
        ok(&town, T0, &["station", "enroll", &key_line(&dir)]);
        ok(
            &dir,
            T0,
            &[
                "household",
                "add",
                "--id",
                "H1",
                "--card",
                "C1",
                "--head",
                "张三",
            ],
        );
        ok(
            &dir,
            T0,
            &[
                "goods",
                "add",
                "--id",
                "G01",
                "--name",
                "大米",
                "--price",
                "20",
                "--zone",
                "20",
                "--supplier",
                "县供销社",
            ],
        );
        ok(
            &dir,
            T0,
            &[
                "goods", "add", "--id", "D01", "--name", "旧衣", "--price", "2", "--zone",
                "donation",
            ],
        );
        ok(
            &dir,
            T0,
            &[
                "stock",
                "receive",
                "G01",
                "10",
                // Supplied by the catalog's supplier, to be paid at settlement.
                "--merchant",
            ],
        );
        ok(
            &dir,
            T0,
            &["stock", "receive", "D01", "10", "--donor", "乡贤"],
        );
        ok(&dir, T0, &["score", "enter", "H1", "2026-09", "95"]);
        ok(&dir, LATER, &["award", "confirm", "--due"]);
        ok(&dir, LATER, &["redeem", "C1", spend, "D01:1"]);
        let voided = json(&dir, LATER, &["redeem", "C1", "G01:1"]);
        let sale = voided["sale"].as_u64().unwrap_or(0).to_string();
        ok(&dir, LATER, &["void", &sale, "--reason", "拿错了"]);
        ok(&dir, LATER, &["export", "--to", &usb.to_string_lossy()]);
    }
    ok(&town, LATER, &["import", &usb.to_string_lossy()]);
    let settlement = json(
        &town,
        LATER,
        &["report", "settlement", "--quarter", "2026-Q4"],
    );
    let merchants = settlement["merchants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(merchants.len(), 1, "{settlement}");
    assert_eq!(merchants[0]["merchant"], "县供销社");
    assert_eq!(
        merchants[0]["units"], 3,
        "2 + 1 units; the voided sale is out"
    );
    assert_eq!(merchants[0]["points"], 60);
    assert_eq!(merchants[0]["value_fen"], 6000);
    assert_eq!(
        settlement["donated_units"], 2,
        "donated goods are accounted separately"
    );
    // A village's own settlement is its share only.
    let own = json(
        &tmp.path().join("V02"),
        LATER,
        &["report", "settlement", "--quarter", "2026-Q4"],
    );
    assert_eq!(own["merchants"][0]["points"], 20);
}
