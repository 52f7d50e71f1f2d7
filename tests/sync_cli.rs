//! The whole USB exchange through the real binary: two data dirs (a village and its township)
//! and a temporary folder standing in for the stick.

mod common;

use common::cli::{aixin, bundles as axb, json, ok, refused};

/// 2026-03-02 10:00 China time.
const NOW: &str = "2026-03-02T10:00:00+08:00";

#[test]
fn village_and_township_exchange_through_a_folder() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t, stick) = (
        root.path().join("village"),
        root.path().join("township"),
        root.path().join("usb"),
    );
    std::fs::create_dir_all(&stick).expect("stick");
    ok(
        &v,
        NOW,
        &[
            "init",
            "--station-id",
            "V001",
            "--name",
            "李家村爱心超市",
            "--policy",
            "direct-points",
        ],
    );
    ok(
        &t,
        NOW,
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
    let vk = json(&v, NOW, &["keys", "show"]);
    let tk = json(&t, NOW, &["keys", "show"]);
    let (v_line, v_fp) = (
        vk["key_line"].as_str().expect("line"),
        vk["fingerprint"].as_str().expect("fp"),
    );
    let t_line = tk["key_line"].as_str().expect("line");

    // A wrong fingerprint read over the phone is refused.
    refused(
        &t,
        NOW,
        &[
            "station",
            "enroll",
            v_line,
            "--fingerprint",
            "aaaa-bbbb-cccc-dddd",
        ],
        1,
        "指纹",
    );
    ok(
        &t,
        NOW,
        &["station", "enroll", v_line, "--fingerprint", v_fp],
    );
    ok(&v, NOW, &["station", "enroll", t_line, "--township"]);

    ok(
        &v,
        NOW,
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
    // The township ships only what its own catalog holds, and says how to get it there.
    refused(
        &t,
        NOW,
        &["station", "ship", "V001", "G1", "20"],
        1,
        "乡镇要先登记这件商品（aixin goods add）并入库（aixin stock receive）",
    );
    ok(
        &t,
        NOW,
        &[
            "goods", "add", "--id", "G1", "--name", "大米", "--price", "10", "--zone", "10",
        ],
    );
    ok(
        &t,
        NOW,
        &["stock", "receive", "G1", "50", "--donor", "爱心企业"],
    );
    ok(&t, NOW, &["station", "ship", "V001", "G1", "20"]);

    let out = ok(
        &v,
        NOW,
        &[
            "--lang",
            "en",
            "export",
            "--to",
            stick.to_str().expect("utf8"),
        ],
    );
    assert!(out.contains("safe to remove"), "{out}");
    let up = axb(&stick, "V001");
    assert_eq!(up.len(), 1);
    // The village's own export carried back into the village is named as such, with where it
    // goes (it used to be "unknown sender V001 … enroll the station").
    let own = up[0].to_str().expect("utf8");
    refused(
        &v,
        NOW,
        &["--lang", "en", "import", own],
        1,
        "this is this station's own export, for T01; it is not imported here: take it to T01 and import it there",
    );
    refused(&v, NOW, &["import", own], 1, "请把它带到 T01 导入");
    let review = ok(
        &t,
        NOW,
        &[
            "--lang",
            "en",
            "monitor",
            "--bundle",
            up[0].to_str().expect("utf8"),
        ],
    );
    assert!(
        review.contains("signature: valid") && review.contains("household registered: 1"),
        "{review}"
    );

    let imported = json(&t, NOW, &["import", stick.to_str().expect("utf8")]);
    assert_eq!(imported["files"][0]["status"], "applied");
    let again = json(&t, NOW, &["import", up[0].to_str().expect("utf8")]);
    assert_eq!(again["files"][0]["status"], "nothing_new");

    // A tampered copy: one line on stderr, exit 1, nothing changed.
    let mut bytes = std::fs::read(&up[0]).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    let bad = root.path().join("bad.axb");
    std::fs::write(&bad, &bytes).expect("write");
    refused(
        &t,
        NOW,
        &["--lang", "en", "import", bad.to_str().expect("utf8")],
        1,
        "signature does not verify: changed or forged; do not use it, ask for a new export",
    );
    refused(
        &t,
        NOW,
        &["import", bad.to_str().expect("utf8")],
        1,
        "请让对方重新导出一份",
    );
    let out = aixin(
        &t,
        NOW,
        &[
            "import",
            root.path().join("missing.axb").to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));

    ok(&t, NOW, &["export", "--to", stick.to_str().expect("utf8")]);
    let down = axb(&stick, "T01");
    assert_eq!(down.len(), 1);
    // The village cannot review it with the township's data dir keys… but the village can.
    let review = ok(
        &v,
        NOW,
        &[
            "--lang",
            "en",
            "monitor",
            "--bundle",
            down[0].to_str().expect("utf8"),
        ],
    );
    assert!(review.contains("goods shipped: 1"), "{review}");
    // The stick's folder holds the village's own bundle too: importing the folder takes only the reply.
    let imported = json(&v, NOW, &["import", stick.to_str().expect("utf8")]);
    assert_eq!(
        imported["files"].as_array().map(Vec::len),
        Some(1),
        "{imported}"
    );
    assert_eq!(imported["files"][0]["status"], "applied");
    assert_eq!(imported["files"][0]["own_events"], 2);

    let stock = json(&v, NOW, &["stock", "list"]);
    assert_eq!(stock[0]["stock_units"], 20);
    let stock = json(&t, NOW, &["stock", "list"]);
    assert_eq!(stock[0]["stock_units"], 30);

    let list = json(&v, NOW, &["station", "list"]);
    assert_eq!(list["stations"][0]["station_id"], "T01");
    // The village wrote its init, the policy's score sheet, a household and a stock lot.
    assert_eq!(list["stations"][0]["acked_seq"], 4);
    assert!(list["stations"][0]["last_import_ms"].is_i64());
    let report = json(&t, NOW, &["station", "report"]);
    assert_eq!(report["villages"][0]["station_id"], "V001");
    assert_eq!(report["villages"][0]["households"], 1);
    let csv = root.path().join("township.csv");
    ok(
        &t,
        NOW,
        &["station", "report", "--out", csv.to_str().expect("utf8")],
    );
    assert!(csv.exists() && root.path().join("township-anomalies.csv").exists());

    ok(&v, NOW, &["verify"]);
    ok(&t, NOW, &["verify"]);

    // Revocation: the township refuses the village's later bundles.
    ok(
        &t,
        NOW,
        &["station", "revoke", "V001", "--from", "2026-03-01"],
    );
    ok(
        &v,
        NOW,
        &[
            "household",
            "add",
            "--id",
            "H2",
            "--card",
            "C2",
            "--head",
            "李四",
        ],
    );
    let later = root.path().join("later");
    std::fs::create_dir_all(&later).expect("dir");
    ok(&v, NOW, &["export", "--to", later.to_str().expect("utf8")]);
    refused(
        &t,
        NOW,
        &["--lang", "en", "import", later.to_str().expect("utf8")],
        1,
        "revoked",
    );
}

#[test]
fn township_sending_is_refused_by_file_line_and_fingerprints_match_however_typed() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t) = (root.path().join("village"), root.path().join("township"));
    ok(
        &v,
        NOW,
        &["init", "--station-id", "V001", "--name", "李家村"],
    );
    ok(
        &t,
        NOW,
        &[
            "init",
            "--station-id",
            "T01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    let vk = json(&v, NOW, &["keys", "show"]);
    let line = vk["key_line"].as_str().expect("line");
    // Read over the phone and typed with spaces, in capitals.
    let spoken = vk["fingerprint"]
        .as_str()
        .expect("fp")
        .replace('-', " ")
        .to_uppercase();
    ok(
        &t,
        NOW,
        &["station", "enroll", line, "--fingerprint", &spoken],
    );

    let csv = root.path().join("county.csv");
    std::fs::write(
        &csv,
        "household_id,card_no,head,members,group,phone,registered_poor\nH1,C1,张三,,一组,,否\nH2,C2,,,一组,,否\n",
    )
    .expect("csv");
    let csv = csv.to_string_lossy();
    refused(
        &t,
        NOW,
        &["station", "issue-households", "V001", &csv],
        2,
        "第 3 行 C 列（head）：户主不能为空",
    );
    refused(
        &t,
        NOW,
        &["--lang", "en", "station", "issue-households", "V001", &csv],
        2,
        "line 3, column C (head)",
    );
    let absent = root.path().join("absent.toml");
    refused(
        &t,
        NOW,
        &["station", "issue-policy", "V001", &absent.to_string_lossy()],
        2,
        "无法读取",
    );

    // A station whose keys are gone says so, as export does.
    std::fs::remove_dir_all(v.join("keys")).expect("remove keys");
    let out = aixin(&v, NOW, &["keys", "show"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("密钥"));
}
