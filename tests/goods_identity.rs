//! A goods id names one thing for good, through the real binary on temporary data dirs: `goods
//! add` never redefines a held id (the same definition again is nothing new), and a township's
//! catalog and shipments never turn a village's item into another one. Whatever the import does
//! not apply, it says, naming the item and the way out. The trial's repro, step by step.

mod common;

use std::path::{Path, PathBuf};

use common::cli::{bundles, enroll_each_other, head, json, ok, refused};

/// 2026-03-02 10:00 China time.
const NOW: &str = "2026-03-02T10:00:00+08:00";

fn run(dir: &Path, args: &[&str]) -> String {
    ok(dir, NOW, args)
}

/// The catalog entry and stock of `goods_id` per `stock list --json`.
fn item(dir: &Path, goods_id: &str) -> serde_json::Value {
    item_at(dir, NOW, goods_id)
}

/// 食用油5L as the village defined it: `goods add` arguments.
const OIL: [&str; 12] = [
    "--id",
    "G003",
    "--name",
    "食用油5L",
    "--price",
    "50",
    "--zone",
    "50",
    "--unit",
    "桶",
    "--barcode",
    "6901234500011",
];

fn shop_with_oil(dir: &Path) {
    run(
        dir,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村爱心超市",
            "--policy",
            "direct-points",
        ],
    );
    let mut add = vec!["goods", "add"];
    add.extend_from_slice(&OIL);
    run(dir, &add);
    run(dir, &["stock", "receive", "G003", "5", "--donor", "乡贤"]);
}

#[test]
fn goods_add_of_a_held_id_is_refused_and_the_same_definition_is_nothing_new() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    shop_with_oil(dir);
    let before = item(dir, "G003");

    let soy = [
        "goods", "add", "--id", "G003", "--name", "酱油", "--price", "3", "--zone", "2",
    ];
    let zh = refused(dir, NOW, &soy, 1, "aixin goods edit G003");
    assert!(zh.contains("商品编号 G003 已是“食用油5L”"), "{zh}");
    let mut en_args = vec!["--lang", "en"];
    en_args.extend_from_slice(&soy);
    let en = refused(dir, NOW, &en_args, 1, "aixin goods edit G003");
    assert!(en.contains("goods id G003 is already \"食用油5L\""), "{en}");
    assert_eq!(
        item(dir, "G003"),
        before,
        "name, unit, barcode and stock kept"
    );

    // The same definition again (typed with full-width digits) writes nothing.
    let events = head(dir);
    let again = run(
        dir,
        &[
            "goods",
            "add",
            "--id",
            "G003",
            "--name",
            "食用油５L",
            "--price",
            "50",
            "--zone",
            "50",
            "--unit",
            "桶",
            "--barcode",
            "6901234500011",
        ],
    );
    assert!(again.contains("没有新内容"), "{again}");
    assert_eq!(head(dir), events, "nothing new is written");
    let mut add = vec!["goods", "add"];
    add.extend_from_slice(&OIL);
    let value = json(dir, NOW, &add);
    assert_eq!(value["changed"], false, "{value}");

    // The way out works: goods edit changes what is given.
    run(dir, &["goods", "edit", "G003", "--price", "45"]);
    let edited = item(dir, "G003");
    assert_eq!(edited["goods"]["price_points"], 45);
    assert_eq!(edited["goods"]["unit"], "桶");
    assert_eq!(edited["stock_units"], 5);
    // A new id is still simply added.
    run(
        dir,
        &[
            "goods", "add", "--id", "G004", "--name", "酱油", "--price", "2", "--zone", "2",
        ],
    );
    assert_eq!(item(dir, "G004")["goods"]["name"], "酱油");
}

/// A village LJC01 and its township T01, enrolled with each other.
fn pair(v: &Path, t: &Path) {
    run(
        v,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村爱心超市",
            "--policy",
            "direct-points",
        ],
    );
    run(
        t,
        &[
            "init",
            "--station-id",
            "T01",
            "--name",
            "城关镇",
            "--role",
            "township",
            "--policy",
            "direct-points",
        ],
    );
    enroll_each_other(v, t, NOW);
}

/// Writes the township's reply into a fresh folder and returns its one bundle.
fn township_reply(t: &Path, folder: &Path) -> PathBuf {
    std::fs::create_dir_all(folder).expect("folder");
    run(t, &["export", "--to", folder.to_str().expect("utf8")]);
    let files = bundles(folder, "T01");
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn goods_add(dir: &Path, args: &[&str]) {
    let mut all = vec!["goods", "add"];
    all.extend_from_slice(args);
    run(dir, &all);
}

#[test]
fn a_townships_catalog_and_shipments_never_redefine_a_village_item() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t) = (root.path().join("village"), root.path().join("township"));
    pair(&v, &t);

    // The village's own items: rice by the bag with its barcode, washing powder from a merchant.
    goods_add(
        &v,
        &[
            "--id",
            "G001",
            "--name",
            "大米5kg",
            "--unit",
            "袋",
            "--barcode",
            "6910123614616",
            "--price",
            "5",
            "--zone",
            "5",
        ],
    );
    goods_add(
        &v,
        &[
            "--id",
            "G002",
            "--name",
            "洗衣粉",
            "--unit",
            "袋",
            "--price",
            "5",
            "--zone",
            "5",
        ],
    );
    run(
        &v,
        &["stock", "receive", "G002", "30", "--merchant", "县供销社"],
    );
    goods_add(
        &v,
        &[
            "--id",
            "G003",
            "--name",
            "食盐",
            "--unit",
            "袋",
            "--barcode",
            "6920000000013",
            "--price",
            "2",
            "--zone",
            "2",
        ],
    );

    // The township's catalog: the same ids, G001 without unit or barcode, G002 another thing,
    // G003 the same salt at a new price.
    goods_add(
        &t,
        &[
            "--id",
            "G001",
            "--name",
            "大米5kg",
            "--price",
            "10",
            "--zone",
            "10",
        ],
    );
    goods_add(
        &t,
        &[
            "--id",
            "G002",
            "--name",
            "面粉10kg",
            "--price",
            "20",
            "--zone",
            "20",
        ],
    );
    goods_add(
        &t,
        &[
            "--id", "G003", "--name", "食盐", "--unit", "袋", "--price", "3", "--zone", "5",
        ],
    );
    for id in ["G001", "G002", "G003"] {
        run(&t, &["stock", "receive", id, "100", "--donor", "爱心企业"]);
    }
    run(&t, &["station", "ship", "LJC01", "G001", "50"]);
    run(&t, &["station", "ship", "LJC01", "G002", "5"]);
    run(&t, &["station", "ship", "LJC01", "G003", "10"]);

    let first = township_reply(&t, &root.path().join("stick1"));
    let file = first.to_str().expect("utf8");
    let text = run(&v, &["import", file]);
    for needle in [
        "乡镇目录的 G001 大米5kg（个）与本村 G001 大米5kg（袋）编号相同但名称或单位不同，未改动本村商品",
        "乡镇 T01 发来的 G001 大米5kg（个）50 件没有入库",
        "乡镇目录的 G002 面粉10kg（个）与本村 G002 洗衣粉（袋）编号相同但名称或单位不同，未改动本村商品；请与乡镇核对编号",
        "乡镇 T01 发来的 G002 面粉10kg（个）5 件没有入库：本村 G002 是 洗衣粉（袋）",
        "aixin stock receive 新编号 5 --from T01",
    ] {
        assert!(text.contains(needle), "import must say {needle:?}:\n{text}");
    }
    assert_eq!(
        text.matches("未能执行").count(),
        4,
        "two catalog entries and two shipments not applied, nothing else:\n{text}"
    );

    // The village's rice keeps its unit and barcode (scanning still finds it) and its price.
    let rice = item(&v, "G001");
    assert_eq!(rice["goods"]["unit"], "袋");
    assert_eq!(rice["goods"]["barcode"], "6910123614616");
    assert_eq!(rice["goods"]["price_points"], 5);
    assert_eq!(rice["stock_units"], 0);
    let scanned = json(&v, NOW, &["stock", "list"]);
    assert!(scanned.to_string().contains("6910123614616"));
    // The washing powder stays washing powder at 5 points with the merchant's 30 units.
    let soap = item(&v, "G002");
    assert_eq!(soap["goods"]["name"], "洗衣粉");
    assert_eq!(soap["goods"]["price_points"], 5);
    assert_eq!(soap["stock_units"], 30);
    // The same salt: the township's price and zone, the village's barcode, the shipment received.
    let salt = item(&v, "G003");
    assert_eq!(salt["goods"]["price_points"], 3);
    assert_eq!(salt["goods"]["zone"]["Points"], 5);
    assert_eq!(salt["goods"]["barcode"], "6920000000013");
    assert_eq!(salt["stock_units"], 10);

    // The same bundle again changes nothing.
    let again = json(&v, NOW, &["import", file]);
    assert_eq!(again["files"][0]["status"], "nothing_new", "{again}");

    // The township corrects its rice to the bag: now the same item, its next shipment arrives.
    run(&t, &["goods", "edit", "G001", "--unit", "袋"]);
    run(&t, &["station", "ship", "LJC01", "G001", "20"]);
    let second = township_reply(&t, &root.path().join("stick2"));
    let reply = json(
        &v,
        NOW,
        &["--lang", "en", "import", second.to_str().expect("utf8")],
    );
    assert_eq!(reply["files"][0]["status"], "applied", "{reply}");
    assert_eq!(
        reply["files"][0]["skipped"].as_array().map(Vec::len),
        Some(0),
        "{reply}"
    );
    let rice = item(&v, "G001");
    assert_eq!(rice["stock_units"], 20);
    assert_eq!(rice["goods"]["price_points"], 10, "the township's price");
    assert_eq!(
        rice["goods"]["barcode"], "6910123614616",
        "the village's barcode"
    );

    // The village's books stay whole here and at the township, which applies the same events.
    let back = root.path().join("stick3");
    std::fs::create_dir_all(&back).expect("folder");
    run(&v, &["export", "--to", back.to_str().expect("utf8")]);
    let up = bundles(&back, "LJC01");
    assert_eq!(up.len(), 1);
    let imported = json(&t, NOW, &["import", up[0].to_str().expect("utf8")]);
    assert_eq!(imported["files"][0]["status"], "applied", "{imported}");
    run(&v, &["verify"]);
    run(&t, &["verify"]);

    // The township sees what the village did not receive: 50 of rice and 5 of flour.
    let report = json(&t, NOW, &["station", "report"]);
    let anomalies = report["anomalies"].to_string();
    assert!(
        anomalies.contains("ShipmentNotReceived")
            && anomalies.contains("55 件村里没有入库")
            && anomalies.contains("G001 ×50")
            && anomalies.contains("G002 ×5"),
        "{report}"
    );
    // Received by hand from the township under new ids, the books agree again.
    for (id, name, units) in [("G101", "大米5kg个", "50"), ("G102", "面粉10kg", "5")] {
        goods_add(
            &v,
            &["--id", id, "--name", name, "--price", "10", "--zone", "10"],
        );
        run(&v, &["stock", "receive", id, units, "--from", "T01"]);
    }
    let back = root.path().join("stick4");
    std::fs::create_dir_all(&back).expect("folder");
    run(&v, &["export", "--to", back.to_str().expect("utf8")]);
    let up = bundles(&back, "LJC01");
    let imported = json(&t, NOW, &["import", up[0].to_str().expect("utf8")]);
    assert_eq!(imported["files"][0]["status"], "applied", "{imported}");
    let report = json(&t, NOW, &["station", "report"]);
    assert!(
        !report["anomalies"]
            .to_string()
            .contains("ShipmentNotReceived"),
        "{report}"
    );
}

#[test]
fn an_import_says_in_english_what_it_did_not_apply() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t) = (root.path().join("village"), root.path().join("township"));
    pair(&v, &t);
    goods_add(
        &v,
        &[
            "--id",
            "G002",
            "--name",
            "洗衣粉",
            "--unit",
            "袋",
            "--price",
            "5",
            "--zone",
            "5",
        ],
    );
    goods_add(
        &t,
        &[
            "--id",
            "G002",
            "--name",
            "面粉10kg",
            "--unit",
            "袋",
            "--price",
            "20",
            "--zone",
            "20",
        ],
    );
    run(
        &t,
        &["stock", "receive", "G002", "10", "--donor", "爱心企业"],
    );
    run(&t, &["station", "ship", "LJC01", "G002", "5"]);
    let bundle = township_reply(&t, &root.path().join("stick"));
    let text = run(
        &v,
        &["--lang", "en", "import", bundle.to_str().expect("utf8")],
    );
    assert!(
        text.contains("the township's catalog item G002 面粉10kg (袋) has the id of this village's G002 洗衣粉 (袋) but another name or unit; the village's item was not changed"),
        "{text}"
    );
    assert!(
        text.contains("5 units of G002 面粉10kg (袋) shipped by township T01 were not received"),
        "{text}"
    );
    assert!(
        text.contains("aixin stock receive NEW 5 --from T01"),
        "{text}"
    );
    let soap = item(&v, "G002");
    assert_eq!(
        (soap["goods"]["name"].as_str(), soap["stock_units"].as_i64()),
        (Some("洗衣粉"), Some(0))
    );
}

#[test]
fn a_rename_does_not_rewrite_receipts_or_the_day_log() {
    use common::cli::{one_household_shop, T0};
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    one_household_shop(dir, "member-card", 2, 100, "2026-10", 100, T0);
    let sold = json(dir, T0, &["redeem", "C1", "G1:1"]);
    let receipt_no = sold["receipt"]["receipt_no"]
        .as_u64()
        .expect("receipt_no")
        .to_string();
    let code = sold["receipt"]["code"].as_str().expect("code").to_string();

    ok(dir, T0, &["goods", "edit", "G1", "--name", "洗衣皂"]);
    assert_eq!(item_at(dir, T0, "G1")["goods"]["name"], "洗衣皂");

    let paper = ok(dir, T0, &["receipt", "print", &receipt_no]);
    assert!(
        paper.contains("肥皂") && !paper.contains("洗衣皂"),
        "{paper}"
    );
    let checked = ok(dir, T0, &["verify", "--receipt", &code]);
    assert!(
        checked.contains("肥皂") && !checked.contains("洗衣皂"),
        "{checked}"
    );
    let log = ok(dir, T0, &["log", "--date", "2026-10-01"]);
    assert!(log.contains("肥皂×1"), "the sale as sold: {log}");
    // The rename itself reads as one, with the name it replaced.
    assert!(log.contains("G1 洗衣皂（原名 肥皂）"), "{log}");
    // A sale after the rename carries the new name.
    ok(dir, T0, &["redeem", "C1", "G1:1"]);
    let log = ok(dir, T0, &["log", "--date", "2026-10-01"]);
    assert!(log.contains("洗衣皂×1"), "{log}");
    // The names are derived from the events: verify rebuilds and compares them.
    ok(dir, T0, &["verify"]);
}

/// [`item`] read at `now`.
fn item_at(dir: &Path, now: &str, goods_id: &str) -> serde_json::Value {
    let list = json(dir, now, &["stock", "list"]);
    list.as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["goods"]["goods_id"] == goods_id)
                .cloned()
        })
        .unwrap_or_else(|| panic!("{goods_id} not listed: {list}"))
}
