//! Every kind of bad input in PRODUCT.md's list, through the real binary: each is refused with
//! the documented exit code and a one-line message (Chinese by default, English with
//! `--lang en`), and the ledger's event count and head hash are exactly as before.

mod common;

use common::cli::{aixin, json, ok, refused, write, T0};

const LATER: &str = "2026-10-09T03:00:00Z";

/// A station with two households (H001 has 50 points), two goods and some stock.
fn station(policy: &str) -> tempfile::TempDir {
    station_at(policy, T0)
}

fn station_at(policy: &str, t0: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(
        dir,
        t0,
        &[
            "init",
            "--station-id",
            "V1",
            "--name",
            "测试村",
            "--policy",
            policy,
        ],
    );
    ok(
        dir,
        t0,
        &[
            "household",
            "add",
            "--id",
            "H001",
            "--card",
            "C001",
            "--head",
            "张三",
        ],
    );
    ok(
        dir,
        t0,
        &[
            "household",
            "add",
            "--id",
            "H002",
            "--card",
            "C002",
            "--head",
            "李四",
        ],
    );
    ok(
        dir,
        t0,
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
            "--barcode",
            "6900000000017",
        ],
    );
    ok(
        dir,
        t0,
        &[
            "goods", "add", "--id", "G02", "--name", "肥皂", "--price", "5", "--zone", "5",
        ],
    );
    ok(
        dir,
        t0,
        &["stock", "receive", "G01", "3", "--donor", "县妇联"],
    );
    ok(
        dir,
        t0,
        &["stock", "receive", "G02", "10", "--donor", "县妇联"],
    );
    tmp
}

fn funded() -> tempfile::TempDir {
    let tmp = station("threshold-score");
    let dir = tmp.path();
    ok(dir, T0, &["score", "enter", "H001", "2026-09", "90"]);
    ok(dir, LATER, &["award", "confirm", "--due"]);
    tmp
}

#[test]
fn overspending_is_refused() {
    let tmp = funded();
    let stderr = refused(
        tmp.path(),
        LATER,
        &["redeem", "C001", "G01:3"],
        1,
        "积分不足",
    );
    assert!(stderr.contains("50") && stderr.contains("60"), "{stderr}");
    refused(
        tmp.path(),
        LATER,
        &["--lang", "en", "redeem", "C001", "G01:3"],
        1,
        "not enough points",
    );
}

#[test]
fn zero_and_negative_quantities_are_refused() {
    let tmp = funded();
    let dir = tmp.path();
    refused(
        dir,
        LATER,
        &["redeem", "C001", "G02:0"],
        1,
        "数量必须大于 0",
    );
    refused(dir, LATER, &["redeem", "C001", "G02:-1"], 1, "数量");
    refused(
        dir,
        LATER,
        &["stock", "receive", "G02", "-5", "--donor", "某人"],
        1,
        "数量",
    );
    // A purchase with a fund says what it cost.
    refused(
        dir,
        LATER,
        &["stock", "receive", "G02", "5", "--fund", "村集体经济"],
        1,
        "采购总金额",
    );
    refused(
        dir,
        LATER,
        &[
            "stock",
            "receive",
            "G02",
            "5",
            "--fund",
            "村集体经济",
            "--cost-fen",
            "0",
        ],
        1,
        "采购总金额",
    );
    refused(
        dir,
        LATER,
        &["stock", "receive", "G02", "0", "--donor", "某人"],
        1,
        "数量",
    );
    refused(
        dir,
        LATER,
        &[
            "goods", "add", "--id", "G09", "--name", "x", "--price", "0", "--zone", "5",
        ],
        1,
        "价格",
    );
    refused(dir, LATER, &["redeem", "C001", "G02:two"], 2, "整数");
}

#[test]
fn unknown_household_card_and_goods_are_refused() {
    let tmp = funded();
    let dir = tmp.path();
    refused(dir, LATER, &["redeem", "C999", "G02:1"], 1, "没有卡号 C999");
    refused(
        dir,
        LATER,
        &["redeem", "--by-id", "H999", "G02:1"],
        1,
        "H999",
    );
    refused(dir, LATER, &["redeem", "C001", "G77:1"], 1, "G77");
    refused(
        dir,
        LATER,
        &["score", "enter", "H999", "2026-09", "85"],
        1,
        "H999",
    );
    refused(
        dir,
        LATER,
        &["--lang", "en", "balance", "C999"],
        1,
        "no card C999",
    );
}

#[test]
fn a_replaced_card_stops_working_at_once() {
    let tmp = funded();
    let dir = tmp.path();
    ok(dir, LATER, &["household", "reissue-card", "H001", "C001-B"]);
    let stderr = refused(dir, LATER, &["redeem", "C001", "G02:1"], 1, "作废");
    assert!(
        stderr.contains("H001"),
        "the message names the household: {stderr}"
    );
    refused(
        dir,
        LATER,
        &["--lang", "en", "redeem", "C001", "G02:1"],
        1,
        "no longer works",
    );
    // History stays with the household; the new card spends the same balance.
    assert_eq!(
        json(dir, LATER, &["redeem", "C001-B", "G02:1"])["balance_points"],
        45
    );
    refused(
        dir,
        LATER,
        &[
            "household",
            "add",
            "--id",
            "H009",
            "--card",
            "C001",
            "--head",
            "冒用",
        ],
        1,
        "C001",
    );
}

#[test]
fn stock_never_goes_negative() {
    let tmp = funded();
    let dir = tmp.path();
    refused(
        dir,
        LATER,
        &["stock", "adjust", "G01", "-4", "--reason", "盘亏"],
        1,
        "库存只有 3",
    );
    ok(
        dir,
        LATER,
        &["stock", "adjust", "G01", "-1", "--reason", "破损"],
    );
    refused(dir, LATER, &["redeem", "C001", "G01:3"], 1, "库存只有 2");
    refused(
        dir,
        LATER,
        &["stock", "adjust", "G01", "0", "--reason", "无"],
        1,
        "不能为 0",
    );
}

#[test]
fn scores_outside_the_policy_are_refused() {
    let tmp = station("threshold-score");
    let dir = tmp.path();
    refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-09", "120"],
        1,
        "超出范围",
    );
    refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-13", "85"],
        2,
        "格式不对；请写成 2026-11",
    );
    refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-11", "85"],
        1,
        "还没开始",
    );
    ok(dir, T0, &["score", "enter", "H001", "2026-09", "85"]);
    refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-09", "95"],
        1,
        "已经评过分",
    );
}

#[test]
fn a_second_score_names_the_command_that_revokes_the_first() {
    let tmp = station("threshold-score");
    let dir = tmp.path();
    let entered = json(dir, T0, &["score", "enter", "H001", "2026-09", "85"]);
    let award = entered["award"].as_u64().expect("award number");
    let revoke = format!("aixin award revoke {award} --reason");
    // The way out, with the award's number, in Chinese and in English; nothing is written.
    let zh = refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-09", "95"],
        1,
        &revoke,
    );
    assert!(zh.contains(&format!("评分 #{award}")), "{zh}");
    let en = refused(
        dir,
        T0,
        &["--lang", "en", "score", "enter", "H001", "2026-09", "95"],
        1,
        &revoke,
    );
    assert!(en.contains(&format!("award #{award}")), "{en}");
    // The command it names works, and the corrected score goes in.
    ok(
        dir,
        T0,
        &[
            "award",
            "revoke",
            &award.to_string(),
            "--reason",
            "核实有误",
        ],
    );
    ok(dir, T0, &["score", "enter", "H001", "2026-09", "95"]);
    // Once confirmed, a score stands: the refusal says so instead of naming a revoke that
    // would itself be refused.
    let after = "2026-10-09T02:00:00Z";
    ok(dir, after, &["award", "confirm", "--due"]);
    let stands = refused(
        dir,
        after,
        &["score", "enter", "H001", "2026-09", "90"],
        1,
        "已过公示并确认",
    );
    assert!(!stands.contains("revoke"), "{stands}");
    refused(
        dir,
        after,
        &["--lang", "en", "score", "enter", "H001", "2026-09", "90"],
        1,
        "passed publicity and stands",
    );
}

#[test]
fn the_monthly_cap_and_village_budget_hold() {
    // Direct points: at most 20 points a household a month; 250 a month for the village.
    let tmp = station("direct-points");
    let dir = tmp.path();
    ok(dir, T0, &["score", "enter", "H001", "2026-10", "15"]);
    let stderr = refused(
        dir,
        T0,
        &["score", "enter", "H001", "2026-10", "6"],
        1,
        "最多 20 分",
    );
    assert!(stderr.contains("15"), "{stderr}");
    ok(dir, T0, &["score", "enter", "H001", "2026-10", "5"]);
    let mut ids = Vec::new();
    for i in 0..12 {
        let id = format!("B{i:02}");
        ok(
            dir,
            T0,
            &[
                "household",
                "add",
                "--id",
                &id,
                "--card",
                &format!("CB{i:02}"),
                "--head",
                "某户",
            ],
        );
        ids.push(id);
    }
    // 20 (H001) + 11 × 20 = 240 of 250; the twelfth 20 would make 260.
    for id in &ids[..11] {
        ok(dir, T0, &["score", "enter", id, "2026-10", "20"]);
    }
    refused(
        dir,
        T0,
        &["score", "enter", &ids[11], "2026-10", "20"],
        1,
        "预算 250",
    );
    refused(
        dir,
        T0,
        &["--lang", "en", "score", "enter", &ids[11], "2026-10", "20"],
        1,
        "budget",
    );
    ok(dir, T0, &["score", "enter", &ids[11], "2026-10", "10"]);
}

#[test]
fn redemption_outside_the_window_or_without_eligibility_is_refused() {
    // Quarterly ranked: redeem only on the first 5 days of a quarter, ≥ 80 and top 60 %.
    let tmp = station_at("quarterly-ranked", "2026-09-20T01:00:00Z");
    let dir = tmp.path();
    ok(
        dir,
        "2026-09-20T02:00:00Z",
        &[
            "household",
            "add",
            "--id",
            "H003",
            "--card",
            "C003",
            "--head",
            "王五",
        ],
    );
    ok(
        dir,
        "2026-09-20T02:00:00Z",
        &["score", "enter", "H001", "2026-Q3", "95"],
    );
    ok(
        dir,
        "2026-09-20T02:00:00Z",
        &["score", "enter", "H002", "2026-Q3", "85"],
    );
    ok(
        dir,
        "2026-09-20T02:00:00Z",
        &["score", "enter", "H003", "2026-Q3", "82"],
    );
    ok(dir, "2026-09-28T02:00:00Z", &["award", "confirm", "--due"]);
    // 1 October is inside the window: H001 (rank 1 of 3) may redeem; H003 (rank 3) may not.
    ok(dir, "2026-10-01T02:00:00Z", &["redeem", "C001", "G01:1"]);
    refused(
        dir,
        "2026-10-01T02:00:00Z",
        &["redeem", "C003", "G02:1"],
        1,
        "未达到兑换条件",
    );
    // 6 October is outside the window.
    refused(
        dir,
        "2026-10-06T02:00:00Z",
        &["redeem", "C001", "G02:1"],
        1,
        "不是兑换时间",
    );
    refused(
        dir,
        "2026-10-06T02:00:00Z",
        &["--lang", "en", "redeem", "C001", "G02:1"],
        1,
        "redemption is closed",
    );
}

#[test]
fn clock_before_the_last_event_or_reset_is_refused() {
    let tmp = funded();
    let dir = tmp.path();
    let stderr = refused(
        dir,
        "2026-10-08T02:00:00Z",
        &["redeem", "C001", "G02:1"],
        1,
        "aixin clock correct",
    );
    assert!(
        stderr.contains("2026-10-09"),
        "names the last entry's date: {stderr}"
    );
    refused(
        dir,
        "2000-01-01T00:00:00Z",
        &["redeem", "C001", "G02:1"],
        1,
        "被重置",
    );
    let far = "2027-03-01T01:00:00Z";
    refused(
        dir,
        far,
        &["--lang", "en", "redeem", "C001", "G02:1"],
        1,
        "--confirm-date 2027-03-01",
    );
    refused(
        dir,
        far,
        &["--confirm-date", "2027-02-28", "redeem", "C001", "G02:1"],
        1,
        "不一致",
    );
    refused(
        dir,
        LATER,
        &["clock", "correct", "--reason", "没有"],
        1,
        "没有需要更正",
    );
    let bad = aixin(dir, "yesterday", &["redeem", "C001", "G02:1"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = aixin(dir, LATER, &["--confirm-date", "3 月 1 日", "log"]);
    assert_eq!(bad.status.code(), Some(2), "a malformed date is bad usage");
}

#[test]
fn a_fast_clock_is_confirmed_then_corrected_and_the_sale_voided() {
    let tmp = funded();
    let dir = tmp.path();
    // The CMOS clock runs four months fast; the manager confirms the date shown.
    let fast = "2027-03-01T01:00:00Z";
    let sale = json(
        dir,
        fast,
        &["--confirm-date", "2027-03-01", "redeem", "C001", "G02:1"],
    );
    let sale_no = sale["sale"].as_u64().expect("sale number").to_string();
    // The clock is set right: every write is refused, naming the way out…
    let right = "2026-10-10T02:00:00Z";
    refused(
        dir,
        right,
        &["void", &sale_no, "--reason", "时钟错了"],
        1,
        "aixin clock correct",
    );
    // …the correction is recorded, and the void goes through at the real time.
    let corrected = json(
        dir,
        right,
        &["clock", "correct", "--reason", "主板电池没电"],
    );
    assert!(corrected["fast_until_ms"].as_i64().unwrap_or(0) > 0);
    ok(dir, right, &["void", &sale_no, "--reason", "时钟错了"]);
    assert_eq!(json(dir, right, &["balance", "C001"])["balance_points"], 50);
    // The mis-dated sale is marked in the log of its (future) date.
    let log = ok(dir, right, &["--lang", "en", "log", "--date", "2027-03-01"]);
    assert!(log.contains("fast clock"), "{log}");
    let today = ok(dir, right, &["--lang", "en", "log"]);
    assert!(today.contains("clock corrected"), "{today}");
    assert!(ok(dir, right, &["--lang", "en", "verify"]).contains("verify passed"));
}

#[test]
fn a_malformed_csv_row_writes_nothing_of_the_file() {
    let tmp = funded();
    let dir = tmp.path();
    let file = write(
        dir,
        "bad.csv",
        "household_id,card_no,head,members,group,phone,registered_poor\nH010,C010,赵六,,一组,,否\nH011,C011,钱七,,一组,,也许\n",
    );
    let stderr = refused(dir, LATER, &["household", "import", &file], 2, "第 3 行");
    assert!(stderr.contains("bad.csv"), "names the file: {stderr}");
    // A row that parses but breaks a rule (duplicate card) also refuses the whole file.
    let file = write(
        dir,
        "dup.csv",
        "household_id,card_no,head,members,group,phone,registered_poor\nH010,C010,赵六,,一组,,否\nH011,C001,钱七,,一组,,否\n",
    );
    refused(dir, LATER, &["household", "import", &file], 1, "第 3 行");
    refused(
        dir,
        LATER,
        &["--lang", "en", "household", "import", &file],
        1,
        "line 3",
    );
    let scores = write(
        dir,
        "scores.csv",
        "household_id,period,score,note\nH002,2026-09,88,\nH002,2026-09,八十八,\n",
    );
    refused(dir, LATER, &["score", "import", &scores], 2, "第 3 行");
    // GBK text is read (Chinese Excel's CSV); this one has no header row.
    let gbk = dir.join("gbk.csv");
    std::fs::write(&gbk, [0xd5u8, 0xc5, 0xc8, 0xfd, b'\n']).expect("write");
    refused(
        dir,
        LATER,
        &["household", "import", &gbk.to_string_lossy()],
        2,
        "找不到表头",
    );
    let garbled = dir.join("garbled.csv");
    std::fs::write(&garbled, [0x81u8, 0x20, 0xff, 0xff, b'\n']).expect("write");
    refused(
        dir,
        LATER,
        &["household", "import", &garbled.to_string_lossy()],
        2,
        "UTF-8",
    );
    assert_eq!(
        json(dir, LATER, &["household", "list"])
            .as_array()
            .map(|a| a.len()),
        Some(2)
    );
}

#[test]
fn usage_errors_exit_2_and_missing_ledger_says_to_init() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let out = aixin(dir, T0, &["balance", "C001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("aixin init"));
    let out = aixin(dir, T0, &["--lang", "fr", "balance", "C001"]);
    assert_eq!(out.status.code(), Some(2));
    let out = aixin(dir, T0, &["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    // A refused init leaves no ledger behind.
    let out = aixin(dir, T0, &["init", "--station-id", "", "--name", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("ledger.redb").exists());
    ok(dir, T0, &["init", "--station-id", "V1", "--name", "村"]);
    let out = aixin(dir, T0, &["init", "--station-id", "V1", "--name", "村"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "init does not overwrite a ledger"
    );
}

#[test]
fn year_end_clearing_needs_a_finished_year_and_no_pending_awards() {
    let tmp = funded();
    let dir = tmp.path();
    refused(dir, LATER, &["close-year", "2026"], 1, "还没结束");
    ok(dir, LATER, &["score", "enter", "H002", "2026-10", "90"]);
    let new_year = "2027-01-02T02:00:00Z";
    refused(dir, new_year, &["close-year", "2026"], 1, "公示中");
    refused(
        dir,
        new_year,
        &["award", "confirm", "--due"],
        1,
        "--confirm-date 2027-01-02",
    );
    ok(
        dir,
        new_year,
        &["--confirm-date", "2027-01-02", "award", "confirm", "--due"],
    );
    let preview = json(dir, new_year, &["close-year", "2026", "--preview"]);
    assert_eq!(preview["preview"]["total_points"], 100);
    assert_eq!(preview["cleared"], false);
    assert_eq!(preview["honours"][0]["points"], 50, "{preview}");
    let cleared = json(dir, "2027-01-02T03:00:00Z", &["close-year", "2026"]);
    assert_eq!(
        cleared["preview"]["total_points"], 100,
        "50 + 50 points cleared"
    );
    assert_eq!(cleared["cleared"], true);
    assert_eq!(
        json(dir, "2027-01-02T03:00:00Z", &["balance", "C001"])["balance_points"],
        0
    );
    refused(
        dir,
        "2027-01-02T03:00:00Z",
        &["close-year", "2026"],
        1,
        "已经清零",
    );
}

#[test]
fn a_report_file_that_cannot_be_written_is_named_in_the_users_language() {
    let tmp = funded();
    let dir = tmp.path();
    let missing = dir.join("no-such-folder").join("stock.csv");
    let missing = missing.to_string_lossy();
    refused(
        dir,
        LATER,
        &["report", "stock", "--out", &missing],
        3,
        "无法写入",
    );
    refused(
        dir,
        LATER,
        &["--lang", "en", "report", "stock", "--out", &missing],
        3,
        "cannot write",
    );
}

#[test]
fn a_policy_file_is_read_as_every_input_file_is() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let absent = dir.join("absent.toml").to_string_lossy().into_owned();
    let out = aixin(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "V1",
            "--name",
            "村",
            "--policy",
            &absent,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("无法读取") && stderr.contains("absent.toml"),
        "{stderr}"
    );
    assert!(!dir.join("ledger.redb").exists());
    let gbk = dir.join("gbk.toml");
    std::fs::write(&gbk, [0xd5u8, 0xc5, 0xc8, 0xfd, b'\n']).expect("write");
    let out = aixin(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "V1",
            "--name",
            "村",
            "--policy",
            &gbk.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

/// `household edit` corrects a file through the same command as the till's households screen:
/// what is not given stays, the id and card stay; an unknown household, a file that would not
/// change and a flag that is not yes or no are refused with the ledger unchanged.
#[test]
fn a_household_file_is_corrected_and_the_card_stays() {
    let tmp = station("threshold-score");
    let dir = tmp.path();
    ok(
        dir,
        LATER,
        &[
            "household",
            "edit",
            "H001",
            "--head",
            "张叁",
            "--members",
            "李梅、张小明",
            "--poor",
            "是",
        ],
    );
    let h = json(dir, LATER, &["household", "show", "H001"]);
    assert_eq!(h["household"]["household"]["head"], "张叁", "{h}");
    assert_eq!(h["household"]["household"]["card_no"], "C001", "{h}");
    assert_eq!(h["household"]["household"]["registered_poor"], true, "{h}");
    assert_eq!(
        h["household"]["household"]["members"],
        serde_json::json!(["李梅", "张小明"]),
        "{h}"
    );
    refused(
        dir,
        LATER,
        &["household", "edit", "H001", "--head", "张叁"],
        1,
        "没有要更正",
    );
    refused(
        dir,
        LATER,
        &[
            "--lang",
            "en",
            "household",
            "edit",
            "H009",
            "--head",
            "某人",
        ],
        1,
        "no household H009",
    );
    let stderr = refused(
        dir,
        LATER,
        &["household", "edit", "H002", "--poor", "也许"],
        2,
        "建档立卡",
    );
    assert!(!stderr.contains("H001"), "{stderr}");
}

/// `goods edit` changes what is given and sets the low-stock reminder in one batch, as the
/// till's goods screen does; an unknown item and a reminder out of range are refused with the
/// ledger unchanged.
#[test]
fn goods_are_changed_and_given_a_low_stock_reminder() {
    let tmp = station("threshold-score");
    let dir = tmp.path();
    ok(
        dir,
        LATER,
        &["goods", "edit", "G01", "--price", "25", "--low-stock", "5"],
    );
    let list = json(dir, LATER, &["goods", "list"]);
    let text = list.to_string();
    assert!(text.contains("\"price_points\":25"), "{text}");
    assert!(text.contains("\"low_stock_units\":5"), "{text}");
    refused(
        dir,
        LATER,
        &["--lang", "en", "goods", "edit", "G99", "--price", "5"],
        1,
        "G99",
    );
    refused(
        dir,
        LATER,
        &["goods", "edit", "G01", "--low-stock", "-1"],
        1,
        "低库存提醒",
    );
}

/// The trial: `goods add` of a held id with the same item but its barcode left out was
/// refused without naming what differed. The refusal names each field, held and given, and
/// the `goods edit` that changes it; nothing is written, and that edit works.
#[test]
fn goods_add_of_a_held_id_names_each_field_that_differs() {
    let tmp = station("direct-points");
    let dir = tmp.path();
    let oil = [
        "goods",
        "add",
        "--id",
        "G009",
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
    ok(dir, T0, &oil);
    let no_barcode = &oil[..oil.len() - 2];
    refused(
        dir,
        T0,
        no_barcode,
        1,
        "商品编号 G009 已是“食用油5L”，与这次给的不同：条码“6901234500011”→空；账本未改动。要改成这次给的请用 aixin goods edit G009 --barcode ''，新商品请换一个编号",
    );
    let mut en = vec!["--lang", "en"];
    en.extend_from_slice(no_barcode);
    refused(
        dir,
        T0,
        &en,
        1,
        "what was given differs: barcode \"6901234500011\" → none; nothing was changed. To change it to what was given use aixin goods edit G009 --barcode ''",
    );
    // The unit left to its default and another price: both named, with their values.
    refused(
        dir,
        T0,
        &[
            "goods",
            "add",
            "--id",
            "G009",
            "--name",
            "食用油5L",
            "--price",
            "45",
            "--zone",
            "50",
            "--barcode",
            "6901234500011",
        ],
        1,
        "单位“桶”→“个”、积分“50”→“45”",
    );
    let held = json(dir, T0, &["goods", "list"]);
    assert!(held.to_string().contains("6901234500011"), "{held}");
    // The way out it names works.
    ok(dir, T0, &["goods", "edit", "G009", "--barcode", ""]);
    let changed = json(
        dir,
        T0,
        &[
            "goods",
            "add",
            "--id",
            "G009",
            "--name",
            "食用油5L",
            "--price",
            "50",
            "--zone",
            "50",
            "--unit",
            "桶",
        ],
    );
    assert_eq!(changed["changed"], false, "{changed}");
}
