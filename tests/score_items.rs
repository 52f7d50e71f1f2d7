//! Itemised scores (评分细则, the seeds' 正向激励 / 反向约束 items) through the real binary: a
//! policy file's score sheet is written at `init`; a score entered or imported by item is
//! checked against each item's bounds and the policy's cap, refused in Chinese and English
//! naming the item and its bound with the ledger unchanged, and kept with the award so that the
//! board shows the items; a total score still works beside them; the township issues a sheet
//! with its policy and the village adopts both.

mod common;

use common::cli::{aixin, json, ok, refused, write, T0};

/// A village on `policy` with households H1 and H2.
fn village(policy: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "V1",
            "--name",
            "李家村",
            "--policy",
            policy,
        ],
    );
    for (id, card, head) in [("H1", "C1", "张三"), ("H2", "C2", "李四")] {
        ok(
            dir,
            T0,
            &[
                "household",
                "add",
                "--id",
                id,
                "--card",
                card,
                "--head",
                head,
            ],
        );
    }
    tmp
}

#[test]
fn a_score_by_item_adds_up_on_the_sheet_and_is_kept_with_the_award() {
    let tmp = village("threshold-score");
    let dir = tmp.path();
    // Base 60, five items of up to 8 and a deduction: 60 + 8×4 + 7 − 5 = 94 → 14 × 5 points.
    let entered = json(
        dir,
        T0,
        &[
            "score",
            "enter",
            "H1",
            "2026-09",
            "--item",
            "主动脱贫=8",
            "--item",
            "家庭美德=8",
            "--item",
            "遵纪守法=8",
            "--item",
            "环境卫生=8",
            "--item",
            "配合工作=7",
            "--item",
            "违规=-5",
        ],
    );
    assert_eq!(entered["score"], 94);
    assert_eq!(entered["points"], 70);
    assert_eq!(entered["items"][5]["item"], "违规");
    assert_eq!(entered["items"][5]["score"], -5);
    // A total score still works beside the items, as before.
    let total = json(dir, T0, &["score", "enter", "H2", "2026-09", "85"]);
    assert_eq!(total["points"], 25);
    let text = ok(
        dir,
        T0,
        &["score", "enter", "H2", "2026-08", "--item", "环境卫生=8"],
    );
    assert!(text.contains("得 68 分（环境卫生 +8）"), "{text}");

    let board = json(dir, T0, &["report", "board", "--period", "2026-09"]);
    assert_eq!(board["items"][0], "主动脱贫");
    assert_eq!(board["items"][5], "违规");
    assert_eq!(board["rows"][0]["household_id"], "H1");
    assert_eq!(board["rows"][0]["items"][3]["item"], "环境卫生");
    assert_eq!(board["rows"][0]["items"][3]["score"], 8);
    assert_eq!(board["rows"][1]["items"], serde_json::json!([]));
    assert_eq!(board["publicity_days"], 7);
    assert_eq!(board["posted_from"], "2026-10-01");
    assert_eq!(board["posted_until"], "2026-10-08");
    let printed = ok(dir, T0, &["report", "board", "--period", "2026-09"]);
    assert!(
        printed.contains("公示期：2026-10-01 至 2026-10-08"),
        "{printed}"
    );
    assert!(
        printed.contains("经办人：") && printed.contains("公示时间："),
        "{printed}"
    );
    // The day log names the items too.
    let log = ok(dir, T0, &["log", "--date", "2026-10-01"]);
    assert!(log.contains("违规 -5"), "{log}");
    ok(dir, T0, &["verify"]);
}

#[test]
fn an_item_outside_its_bound_or_not_on_the_sheet_is_refused_and_nothing_changes() {
    let tmp = village("threshold-score");
    let dir = tmp.path();
    let zh = refused(
        dir,
        T0,
        &["score", "enter", "H1", "2026-09", "--item", "环境卫生=9"],
        1,
        "环境卫生",
    );
    assert!(zh.contains("0 至 +8"), "{zh}");
    let en = refused(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "score",
            "enter",
            "H1",
            "2026-09",
            "--item",
            "违规=-21",
        ],
        1,
        "违规",
    );
    assert!(en.contains("outside its bounds (-20 to 0)"), "{en}");
    let unknown = refused(
        dir,
        T0,
        &["score", "enter", "H1", "2026-09", "--item", "卫生=3"],
        1,
        "卫生",
    );
    assert!(
        unknown.contains("环境卫生"),
        "the sheet's items are named: {unknown}"
    );
    refused(
        dir,
        T0,
        &[
            "score",
            "enter",
            "H1",
            "2026-09",
            "--item",
            "环境卫生=3",
            "--item",
            "环境卫生=4",
        ],
        1,
        "两次",
    );
    refused(
        dir,
        T0,
        &[
            "score",
            "enter",
            "H1",
            "2026-09",
            "90",
            "--item",
            "环境卫生=3",
        ],
        2,
        "不要两样都给",
    );
    refused(dir, T0, &["score", "enter", "H1", "2026-09"], 2, "--item");
    refused(
        dir,
        T0,
        &["score", "enter", "H1", "2026-09", "--item", "环境卫生=1.5"],
        2,
        "环境卫生=1.5",
    );
    // The policy's own rules still hold for the total: one score a period.
    ok(
        dir,
        T0,
        &["score", "enter", "H1", "2026-09", "--item", "环境卫生=8"],
    );
    refused(
        dir,
        T0,
        &["score", "enter", "H1", "2026-09", "--item", "家庭美德=8"],
        1,
        "已经评过分",
    );
}

#[test]
fn the_cap_holds_for_items_and_a_policy_without_a_sheet_refuses_them() {
    let tmp = village("direct-points");
    let dir = tmp.path();
    let items = |a: &str, b: &str| {
        vec![
            "score".to_string(),
            "enter".into(),
            "H1".into(),
            "2026-09".into(),
            "--item".into(),
            format!("遵纪守法={a}"),
            "--item".into(),
            format!("公益活动={b}"),
        ]
    };
    let args = items("4", "4");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(json(dir, T0, &args)["points"], 8);
    let args = items("4", "4");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(json(dir, T0, &args)["points"], 8);
    let args = items("4", "1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(dir, T0, &args, 1, "每户最多 20 分");

    let plain = village("daily-action");
    refused(
        plain.path(),
        T0,
        &["score", "enter", "H1", "2026-10-01", "--item", "分类投放=2"],
        1,
        "没有评分细则",
    );
}

#[test]
fn a_score_sheet_imports_with_a_column_per_item_all_or_nothing() {
    let tmp = village("quarterly-ranked");
    let dir = tmp.path();
    let now = "2026-10-02T02:00:00Z";
    let bad = write(
        dir,
        "bad.csv",
        "household_id,period,人居环境,家庭美德,违规扣分,note\nH1,2026-Q3,5,5,,\n",
    );
    let message = refused(dir, now, &["score", "import", &bad], 2, "违规扣分");
    assert!(
        message.contains("第 1 行") && message.contains("人居环境"),
        "{message}"
    );
    let over = write(
        dir,
        "over.csv",
        "\u{feff}household_id,period,人居环境,家庭美德,加分内容,note\nH1,2026-Q3,10,-3,,\nH2,2026-Q3,11,,,\n",
    );
    let message = refused(dir, now, &["score", "import", &over], 1, "人居环境");
    assert!(
        message.contains("第 3 行") && message.contains("-10 至 +10"),
        "{message}"
    );
    let good = write(
        dir,
        "good.csv",
        "\u{feff}household_id,period,人居环境,家庭美德,加分内容,note\nH1,2026-Q3,10,-3,20,表彰\nH2,2026-Q3,,,,\n",
    );
    let message = refused(
        dir,
        now,
        &["score", "import", &good],
        1,
        "没有录入任何评分项目",
    );
    assert!(message.contains("第 3 行"), "{message}");
    let good = write(
        dir,
        "good.csv",
        "\u{feff}household_id,period,人居环境,家庭美德,加分内容,note\nH1,2026-Q3,10,-3,20,表彰\nH2,2026-Q3,-2,,,\n",
    );
    assert_eq!(json(dir, now, &["score", "import", &good])["imported"], 2);
    // The same sheet again (its columns in another order) is nothing new, not a refusal.
    let again = write(
        dir,
        "again.csv",
        "\u{feff}household_id,period,加分内容,家庭美德,人居环境,note\nH1,2026-Q3,20,-3,10,表彰\nH2,2026-Q3,,,-2,\n",
    );
    let twice = json(dir, now, &["score", "import", &again]);
    assert_eq!(twice["imported"], 0, "{twice}");
    assert_eq!(twice["unchanged"], 2, "{twice}");
    // A different item for a scored period is still the domain's refusal.
    let changed = write(
        dir,
        "changed.csv",
        "household_id,period,人居环境,家庭美德,加分内容,note\nH2,2026-Q3,-1,,,\n",
    );
    refused(dir, now, &["score", "import", &changed], 1, "已经评过分");
    let board = json(dir, now, &["report", "board", "--period", "2026-Q3"]);
    assert_eq!(board["rows"][0]["score"], 127);
    assert_eq!(board["rows"][1]["score"], 98);
    assert_eq!(board["rows"][1]["items"][0]["score"], -2);
    // The old layout still imports as totals.
    let totals = write(
        dir,
        "totals.csv",
        "household_id,period,score,note\nH1,2026-Q2,90,\n",
    );
    assert_eq!(json(dir, now, &["score", "import", &totals])["imported"], 1);
}

#[test]
fn the_township_issues_a_sheet_with_its_policy_and_the_village_adopts_both() {
    let town = tempfile::tempdir().expect("tempdir");
    let lijia = tempfile::tempdir().expect("tempdir");
    let stick = tempfile::tempdir().expect("tempdir");
    let (t, v, usb) = (town.path(), lijia.path(), stick.path());
    ok(
        t,
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
    ok(
        v,
        T0,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村",
            "--policy",
            "daily-action",
        ],
    );
    let key_of = |dir: &std::path::Path| {
        let keys = json(dir, T0, &["keys", "show"]);
        (
            keys["key_line"].as_str().unwrap_or_default().to_string(),
            keys["fingerprint"].as_str().unwrap_or_default().to_string(),
        )
    };
    let (town_key, town_print) = key_of(t);
    let (village_key, village_print) = key_of(v);
    ok(
        t,
        T0,
        &[
            "station",
            "enroll",
            &village_key,
            "--fingerprint",
            &village_print,
        ],
    );
    ok(
        v,
        T0,
        &[
            "station",
            "enroll",
            &town_key,
            "--fingerprint",
            &town_print,
            "--township",
        ],
    );
    ok(
        v,
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
        t,
        T0,
        &["station", "issue-policy", "LJC01", "quarterly-ranked"],
    );
    ok(t, T0, &["export", "--to", &usb.to_string_lossy()]);
    let out = aixin(v, T0, &["import", &usb.to_string_lossy()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entered = json(
        v,
        T0,
        &["score", "enter", "H1", "2026-Q3", "--item", "人居环境=10"],
    );
    assert_eq!(entered["score"], 110, "base 100 of the issued sheet");
    ok(v, T0, &["verify"]);
}
