//! Receipts end to end (issue 11): the paper at 32 and 48 columns with long Chinese names and a
//! proxy (golden text), the same paper as ESC/POS bytes in GBK (golden bytes, decoded back and
//! compared with the text), numbering without gaps across sales, voids, refusals and restarts
//! (every command is a new process), reprints marked, verification codes found at the station
//! and at the township and forged ones refused, the station's printer settings, and every
//! refusal leaving the ledger as it was.

mod common;

use std::path::Path;

use aixin::domain::receipt::VerificationCode;
use aixin::domain::time::CivilDate;
use aixin::i18n::Lang;
use aixin::receipt::layout::{columns, text, wrap};
use aixin::receipt::{escpos, Print, Receipt, ReceiptKind, ReceiptLine, Width};
use common::cli::{aixin, head, json, ok, one_household_shop, refused, T0};
use proptest::prelude::*;

/// 2026-11-21 09:30 China time.
const SALE_MS: i64 = 1_795_224_600_000;

fn code() -> VerificationCode {
    VerificationCode::parse("K7QXM-2PD9A").expect("code")
}

/// A sale with a long station name, long goods names and a proxy collector.
fn sale() -> Receipt {
    let line = |name: &str, quantity: i64, price_points: i64| ReceiptLine {
        name: name.into(),
        quantity,
        price_points,
        points: quantity * price_points,
    };
    Receipt {
        station_id: "LJC01".into(),
        station_name: "城关镇李家村爱心超市（新时代文明实践站）".into(),
        receipt_no: 7,
        seq: 1199,
        time_ms: SALE_MS,
        kind: ReceiptKind::Sale { voided: false },
        household_id: "H001".into(),
        head: "欧阳娜娜".into(),
        card_no: "LJ0001".into(),
        proxy: Some("王书记（村委会代领，户主卧病在床）".into()),
        lines: vec![
            line("东北五常稻花香大米（真空包装）5kg", 1, 30),
            line("金龙鱼大豆油 1.8L", 2, 20),
            line("洗衣粉", 3, 5),
        ],
        total_points: 85,
        balance_before_points: 120,
        balance_after_points: 35,
        operator: "管理员".into(),
        code: code(),
        print: Print::Original,
    }
}

fn void() -> Receipt {
    Receipt {
        receipt_no: 8,
        seq: 1201,
        time_ms: SALE_MS + 600_000,
        kind: ReceiptKind::Void {
            sale_seq: 1199,
            sale_receipt_no: 7,
            reason: "拿错了货，户主家属来退回".into(),
        },
        balance_before_points: 35,
        balance_after_points: 120,
        ..sale()
    }
}

fn all_lines_fit(text: &str, width: Width) {
    for line in text.lines() {
        assert!(
            columns(line) <= width.columns(),
            "{} > {}: {line}",
            columns(line),
            width.columns()
        );
    }
}

#[test]
fn a_sale_with_long_chinese_names_and_a_proxy_at_58_mm() {
    let text = text(&sale(), Width::Mm58, Lang::Zh);
    all_lines_fit(&text, Width::Mm58);
    insta::assert_snapshot!("sale_58mm_zh", text);
}

#[test]
fn a_sale_with_long_chinese_names_and_a_proxy_at_80_mm() {
    let text = text(&sale(), Width::Mm80, Lang::Zh);
    all_lines_fit(&text, Width::Mm80);
    insta::assert_snapshot!("sale_80mm_zh", text);
}

#[test]
fn a_void_receipt_names_the_sale_it_reverses() {
    let text = text(&void(), Width::Mm58, Lang::Zh);
    all_lines_fit(&text, Width::Mm58);
    insta::assert_snapshot!("void_58mm_zh", text);
}

#[test]
fn a_reprint_of_a_voided_sale_is_marked_twice_in_english_at_80_mm() {
    let receipt = Receipt {
        kind: ReceiptKind::Sale { voided: true },
        print: Print::Reprint,
        ..sale()
    };
    let text = text(&receipt, Width::Mm80, Lang::En);
    all_lines_fit(&text, Width::Mm80);
    assert!(text.contains("*** 重印 / REPRINT ***"), "{text}");
    assert!(text.contains("*** 已作废 / VOIDED ***"), "{text}");
    insta::assert_snapshot!("sale_reprint_voided_80mm_en", text);
}

/// The ESC/POS job: initialise, Chinese mode, the text in GBK, feed and cut. Decoded back with
/// encoding_rs, its body is exactly the text.
#[test]
fn the_escpos_job_is_the_text_in_gbk_between_printer_commands() {
    for width in [Width::Mm58, Width::Mm80] {
        let text = text(&sale(), width, Lang::Zh);
        let bytes = escpos::encode(&text);
        let start = [escpos::INITIALISE, escpos::CHINESE_MODE].concat();
        let end = [escpos::FEED.as_slice(), escpos::CUT.as_slice()].concat();
        assert!(bytes.starts_with(&start) && bytes.ends_with(&end));
        let body = &bytes[start.len()..bytes.len() - end.len()];
        let (decoded, _, errors) = encoding_rs::GBK.decode(body);
        assert!(!errors, "the body is GBK");
        assert_eq!(decoded, text);
        if width == Width::Mm58 {
            insta::assert_binary_snapshot!("escpos_58mm_zh.bin", bytes);
        }
    }
}

proptest! {
    /// Wrapping never loses a character and never passes the width, whatever the name.
    #[test]
    fn wrapping_keeps_every_character_within_the_width(
        name in "[a-zA-Z0-9 大米油盐洗衣粉（）·×—]{0,60}",
        cols in 2usize..40,
    ) {
        let pieces = wrap(&name, cols);
        for piece in &pieces {
            prop_assert!(columns(piece) <= cols, "{piece:?} in {cols}");
        }
        let kept: String = pieces.concat().chars().filter(|c| *c != ' ').collect();
        let given: String = name.chars().filter(|c| *c != ' ').collect();
        prop_assert_eq!(kept, given);
    }

    /// Every line of any receipt fits its paper.
    #[test]
    fn every_receipt_line_fits_its_paper(
        head in "[a-zA-Z 张王李欧阳娜]{0,30}",
        goods in "[a-zA-Z0-9 大米油盐洗衣粉（）]{0,50}",
        proxy in proptest::option::of("[a-zA-Z 王书记代领]{0,40}"),
        quantity in 1i64..1000,
        price_points in 1i64..100_000,
    ) {
        let mut receipt = sale();
        receipt.head = head;
        receipt.proxy = proxy;
        receipt.lines[0].name = goods;
        receipt.lines[0].quantity = quantity;
        receipt.lines[0].price_points = price_points;
        receipt.lines[0].points = quantity * price_points;
        for width in [Width::Mm58, Width::Mm80] {
            for lang in [Lang::Zh, Lang::En] {
                for line in text(&receipt, width, lang).lines() {
                    prop_assert!(columns(line) <= width.columns(), "{line}");
                }
            }
        }
    }
}

// ---- The real binary on a temp data dir ----

fn shop() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    one_household_shop(tmp.path(), "member-card", 2, 1000, "2026-10", 100, T0);
    tmp
}

/// `redeem --json` → (sale seq, receipt number, code, receipt path).
fn redeem(dir: &Path, args: &[&str]) -> (u64, u64, String, String) {
    let mut all = vec!["redeem", "C1"];
    all.extend_from_slice(args);
    let out = json(dir, T0, &all);
    let receipt = &out["receipt"];
    (
        out["sale"].as_u64().expect("sale"),
        receipt["receipt_no"].as_u64().expect("receipt_no"),
        receipt["code"].as_str().expect("code").to_string(),
        receipt["path"].as_str().unwrap_or("").to_string(),
    )
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_sale_and_void_prints_the_next_receipt_number_across_restarts_and_refusals() {
    let tmp = shop();
    let dir = tmp.path();
    let (first, no, code, path) = redeem(dir, &["G1:1", "--proxy", "王书记"]);
    assert_eq!(no, 1);
    assert!(path.ends_with("receipts/2026-10-01-R000001.txt"), "{path}");
    let paper = read(&path);
    for needle in [
        "小票号：000001",
        &format!("单号：V1-{first}"),
        "农户：张三 (H1)",
        "卡号：C1",
        "代领人：王书记",
        "肥皂",
        "兑换前余额",
        "经办人：管理员",
        &format!("校验码：{code}"),
    ] {
        assert!(paper.contains(needle), "{needle}: {paper}");
    }
    assert!(paper.lines().all(|l| columns(l) <= 32), "{paper}");
    assert_eq!(redeem(dir, &["G1:2"]).1, 2);

    // A refused sale takes no number and writes no receipt; the ledger is unchanged.
    refused(dir, T0, &["redeem", "C1", "G1:60"], 1, "积分");
    let out = json(dir, T0, &["void", &first.to_string(), "--reason", "拿错了"]);
    assert_eq!(out["receipt"]["receipt_no"], 3, "{out}");
    let void_paper = read(out["receipt"]["path"].as_str().expect("path"));
    assert!(
        void_paper.contains("作废小票")
            && void_paper.contains(&format!("作废单号：V1-{first}"))
            && void_paper.contains("原小票号：000001")
            && void_paper.contains("作废原因：拿错了"),
        "{void_paper}"
    );
    refused(
        dir,
        T0,
        &["void", &first.to_string(), "--reason", "又拿错了"],
        1,
        "作废",
    );
    assert_eq!(redeem(dir, &["G1:1"]).1, 4);
    let files: Vec<String> = std::fs::read_dir(dir.join("receipts"))
        .expect("receipts")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    let mut files = files;
    files.sort();
    assert_eq!(
        files,
        (1..=4)
            .map(|n| format!("2026-10-01-R{n:06}.txt"))
            .collect::<Vec<_>>()
    );
    // The numbers are part of the derived state: verify replays the events and finds them so.
    ok(dir, T0, &["verify"]);
}

#[test]
fn print_and_reprint_are_marked_and_a_wrong_number_is_refused() {
    let tmp = shop();
    let dir = tmp.path();
    let (_, no, code, path) = redeem(dir, &["G1:1", "--proxy", "王书记"]);
    let original = read(&path);
    assert!(!original.contains("REPRINT"));

    let shown = ok(dir, T0, &["receipt", "print", &no.to_string()]);
    assert!(shown.contains("*** 重印 / REPRINT ***"), "{shown}");
    // The copy is the original with the mark.
    let unmarked: Vec<&str> = shown.lines().filter(|l| !l.contains("REPRINT")).collect();
    assert_eq!(unmarked, original.lines().collect::<Vec<_>>(), "{shown}");
    let wide = ok(
        dir,
        T0,
        &["--lang", "en", "receipt", "print", "1", "--width", "48"],
    );
    assert!(wide.contains("Collected by: 王书记") && wide.contains(&code));
    assert!(wide.lines().any(|l| columns(l) > 32) && wide.lines().all(|l| columns(l) <= 48));

    let out = json(dir, T0, &["receipt", "reprint", "1"]);
    let reprint = read(out["path"].as_str().expect("path"));
    assert!(
        out["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("R000001-reprint.txt")),
        "{out}"
    );
    assert!(reprint.contains("重印 / REPRINT") && reprint.contains(&code));

    let escpos_out = dir.join("copy.bin");
    let escpos_path = escpos_out.to_str().expect("utf8");
    ok(
        dir,
        T0,
        &["receipt", "print", "1", "--escpos", "--out", escpos_path],
    );
    let bytes = std::fs::read(&escpos_out).expect("escpos");
    let body = &bytes[4..bytes.len() - 6];
    assert_eq!(encoding_rs::GBK.decode(body).0, shown);

    // The number as printed (000001), typed with a Chinese input method (full-width), or with #.
    for typed in ["000001", "００００１", "#1"] {
        let again = ok(dir, T0, &["receipt", "print", typed]);
        assert_eq!(again, shown, "{typed}");
    }
    let not_a_number = aixin(dir, T0, &["receipt", "print", "1.5"]);
    assert_ne!(not_a_number.status.code(), Some(0));
    let said = String::from_utf8_lossy(&not_a_number.stderr);
    assert!(said.contains("小票号"), "{said}");
    // A number past the last names the numbers there are.
    refused(
        dir,
        T0,
        &["receipt", "print", "99"],
        1,
        "本站没有第 99 号小票：小票号从 1 到 1，",
    );
    // Numbers start at 1: 0 is a typing slip, refused as input (exit 2) before the ledger is read.
    refused(
        dir,
        T0,
        &["--lang", "en", "receipt", "reprint", "0"],
        2,
        "receipt number '0' must be more than 0",
    );
    let bad_width = aixin(dir, T0, &["receipt", "print", "1", "--width", "40"]);
    assert_eq!(bad_width.status.code(), Some(2));
}

#[test]
fn a_receipt_is_found_by_its_code_and_a_forged_one_is_refused() {
    let tmp = shop();
    let dir = tmp.path();
    let (sale_seq, _, code, _) = redeem(dir, &["G1:1", "--proxy", "王书记"]);
    let found = ok(dir, T0, &["verify", "--receipt", &code]);
    assert!(
        found.starts_with(&format!("校验码 {code}：确有此票")),
        "{found}"
    );
    assert!(found.contains("代领人：王书记") && !found.contains("已作废"));
    // Typed as a person types it: lower case, no dash, O for 0.
    let typed = code.replace('-', "").to_lowercase().replace('0', "o");
    let again = json(dir, T0, &["verify", "--receipt", &typed]);
    assert_eq!(again["receipts"][0]["receipt_no"], 1, "{again}");
    assert_eq!(again["receipts"][0]["code"], code.as_str());

    ok(
        dir,
        T0,
        &["void", &sale_seq.to_string(), "--reason", "退货"],
    );
    let voided = ok(dir, T0, &["verify", "--receipt", &code]);
    assert!(
        voided.contains("这笔兑换后来已作废") && voided.contains("已作废 / VOIDED"),
        "{voided}"
    );

    let forged = if code == "K7QXM-2PD9A" {
        "K7QXM-2PD9B"
    } else {
        "K7QXM-2PD9A"
    };
    refused(dir, T0, &["verify", "--receipt", forged], 1, "查无此票");
    refused(
        dir,
        T0,
        &["--lang", "en", "verify", "--receipt", forged],
        1,
        "no such receipt",
    );
    refused(dir, T0, &["verify", "--receipt", "K7QX-M2PD"], 2, "10 位");
    refused(dir, T0, &["verify", "--receipt", "K7QXU-2PD9A"], 2, "U");
}

#[test]
fn the_township_finds_a_villages_receipt_by_its_code_with_the_same_number() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t, stick) = (
        root.path().join("village"),
        root.path().join("township"),
        root.path().join("usb"),
    );
    std::fs::create_dir_all(&stick).expect("stick");
    one_household_shop(&v, "member-card", 2, 1000, "2026-10", 100, T0);
    ok(
        &t,
        T0,
        &[
            "init",
            "--station-id",
            "T01",
            "--name",
            "城关镇",
            "--role",
            "township",
            "--policy",
            "member-card",
        ],
    );
    let vk = json(&v, T0, &["keys", "show"]);
    let tk = json(&t, T0, &["keys", "show"]);
    let v_line = vk["key_line"].as_str().expect("line");
    let v_fp = vk["fingerprint"].as_str().expect("fp");
    ok(
        &t,
        T0,
        &["station", "enroll", v_line, "--fingerprint", v_fp],
    );
    ok(
        &v,
        T0,
        &[
            "station",
            "enroll",
            tk["key_line"].as_str().expect("line"),
            "--township",
        ],
    );
    let (first, _, first_code, _) = redeem(&v, &["G1:1", "--proxy", "王书记"]);
    let (_, second_no, second_code, _) = redeem(&v, &["G1:3"]);
    ok(&v, T0, &["void", &first.to_string(), "--reason", "退货"]);
    ok(&v, T0, &["export", "--to", stick.to_str().expect("utf8")]);
    ok(&t, T0, &["import", stick.to_str().expect("utf8")]);

    let found = json(&t, T0, &["verify", "--receipt", &second_code]);
    let receipt = &found["receipts"][0];
    assert_eq!(receipt["station_id"], "V1", "{found}");
    assert_eq!(receipt["receipt_no"].as_u64(), Some(second_no));
    assert_eq!(receipt["print"], "Original");
    let voided = ok(&t, T0, &["verify", "--receipt", &first_code]);
    assert!(
        voided.contains("V1") && voided.contains("已作废 / VOIDED"),
        "{voided}"
    );
    refused(
        &t,
        T0,
        &["verify", "--receipt", "00000-00000"],
        1,
        "查无此票",
    );
}

#[test]
fn the_station_printer_gets_escpos_jobs_and_a_broken_printer_loses_no_sale() {
    let tmp = shop();
    let dir = tmp.path();
    let spool = dir.join("printer.bin");
    let settings = format!(
        "[receipt]\nwidth = 48\nformat = \"escpos\"\nprinter = \"{}\"\n",
        spool.display()
    );
    std::fs::write(dir.join("station.toml"), settings).expect("station.toml");
    let (_, _, code, path) = redeem(dir, &["G1:1", "--proxy", "王书记"]);
    assert_eq!(Path::new(&path), spool);
    redeem(dir, &["G1:2"]);
    let bytes = std::fs::read(&spool).expect("spool");
    let jobs: Vec<&[u8]> = bytes
        .split_inclusive(|b| *b == 0x01)
        .filter(|job| job.ends_with(&escpos::CUT))
        .collect();
    assert_eq!(jobs.len(), 2, "one job per receipt, appended");
    let first = jobs[0];
    assert!(first.starts_with(&[escpos::INITIALISE, escpos::CHINESE_MODE].concat()));
    let (text, _, errors) = encoding_rs::GBK.decode(&first[4..first.len() - 6]);
    assert!(!errors);
    assert!(
        text.contains("代领人：王书记") && text.contains(&code),
        "{text}"
    );
    assert!(text.lines().all(|l| columns(l) <= 48));
    assert!(
        !dir.join("receipts").exists(),
        "the printer, not the folder"
    );

    // A printer that cannot be written: the sale stands, the paper is said to be missing.
    let balance = |dir: &Path| json(dir, T0, &["balance", "C1"])["balance_points"].as_i64();
    let before = balance(dir);
    std::fs::write(
        dir.join("station.toml"),
        format!("[receipt]\nprinter = \"{}\"\n", dir.display()),
    )
    .expect("station.toml");
    let out = aixin(dir, T0, &["redeem", "C1", "G1:1"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("小票没有打印出来（已记账）"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("未打印（aixin receipt reprint 3）"));
    assert_eq!(balance(dir), before.map(|b| b - 2));
    std::fs::remove_file(dir.join("station.toml")).expect("remove");
    let reprinted = json(dir, T0, &["receipt", "reprint", "3"]);
    assert!(read(reprinted["path"].as_str().expect("path")).contains("小票号：000003"));
}

#[test]
fn a_broken_station_file_refuses_the_sale_before_anything_is_written() {
    let tmp = shop();
    let dir = tmp.path();
    std::fs::write(dir.join("station.toml"), "[receipt]\n\nwidth = 40\n").expect("toml");
    let (events, _) = head(dir);
    refused(dir, T0, &["redeem", "C1", "G1:1"], 2, "station.toml");
    refused(
        dir,
        T0,
        &["--lang", "en", "void", "1", "--reason", "x"],
        2,
        "line 3",
    );
    assert_eq!(head(dir).0, events);
    assert!(!dir.join("receipts").exists());
}

#[test]
fn receipts_are_dated_by_their_events_china_date() {
    let name = aixin::receipt::output::file_name(&sale(), aixin::receipt::output::Format::Text);
    assert_eq!(
        name,
        format!("{}-R000007.txt", CivilDate::from_utc_ms(SALE_MS))
    );
    assert_eq!(name, "2026-11-21-R000007.txt");
}

#[test]
fn a_rebuild_of_the_derived_tables_numbers_every_receipt_again_as_before() {
    let tmp = shop();
    let dir = tmp.path();
    let (first, ..) = redeem(dir, &["G1:1", "--proxy", "王书记"]);
    ok(dir, T0, &["void", &first.to_string(), "--reason", "退货"]);
    redeem(dir, &["G1:3"]);
    let print = |n: u64| ok(dir, T0, &["receipt", "print", &n.to_string()]);
    let before: Vec<String> = (1..=3).map(print).collect();
    // A reprint shows the balance of its day, not today's.
    let line = |text: &str, label: &str| {
        text.lines()
            .find(|l| l.starts_with(label))
            .map(|l| l.split_whitespace().last().unwrap_or("").to_string())
    };
    assert_eq!(line(&before[0], "兑换前余额").as_deref(), Some("100分"));
    assert_eq!(line(&before[0], "兑换后余额").as_deref(), Some("98分"));
    assert_eq!(line(&before[2], "兑换前余额").as_deref(), Some("100分"));
    assert_eq!(line(&before[2], "兑换后余额").as_deref(), Some("94分"));

    // As if an older aixin had written the file: no receipt tables, an older format mark. The
    // next open rebuilds the derived tables from the events.
    {
        use aixin::store::tables;
        let db = redb::Database::open(dir.join("ledger.redb")).expect("open");
        let txn = db.begin_write().expect("write");
        txn.delete_table(tables::RECEIPTS).expect("drop");
        txn.delete_table(tables::RECEIPT_CODES).expect("drop");
        txn.open_table(tables::LOCAL)
            .expect("local")
            .insert("derived_format", 2u32.to_le_bytes().as_slice())
            .expect("mark");
        txn.commit().expect("commit");
    }
    let after: Vec<String> = (1..=3).map(print).collect();
    assert_eq!(after, before);
    ok(dir, T0, &["verify"]);
    assert_eq!(redeem(dir, &["G1:1"]).1, 4, "the count goes on");
}
