//! No English left in the Chinese interface: every Chinese screen snapshot, every refusal and
//! error message (each variant of `Refusal`, `CliError`, `StoreError`, `SyncError`, the key,
//! bundle, input, station id, sale number, import, export and report errors, with samples),
//! the Chinese help of every subcommand, clap's usage errors, a bundle's review, and refused
//! sheets and arguments through the real binary, are swept for ASCII words.
//!
//! A word is a run of ASCII letters, digits and `_ . / : -`. A word may stay when it is a code
//! or a number (it has a digit: `LJ900402`, `2026-Q4`, `F5`, `UTF-8`), a flag (`--reason`), a
//! file or a path (`data/samples/`, `.xlsx`), a key of a file (`point_value_fen`), a key label
//! (`Ctrl-L`), or one of the few names in [`ALLOWED`]: the program and its subcommands, argument
//! values, units, product and format names. Anything else (`pending`, `MONITOR`) fails.

mod common;

use std::path::{Path, PathBuf};

use aixin::backup::BackupError;
use aixin::cli::error::CliError;
use aixin::domain::input::{self, Field, InputError, InputProblem};
use aixin::domain::refusal::{GoodsConflict, GoodsDifference};
use aixin::domain::station::{check_station_id, SaleNumberError};
use aixin::domain::time::PeriodKind;
use aixin::domain::Refusal;
use aixin::i18n::Lang;
use aixin::import::count::CountProblem;
use aixin::import::export::ExportError;
use aixin::import::{ColumnRef, ImportError, Problem};
use aixin::publish::schema::MigrationError;
use aixin::publish::PublishError;
use aixin::receipt::ReceiptError;
use aixin::report::ReportError;
use aixin::store::StoreError;
use aixin::sync::bundle::BundleError;
use aixin::sync::keys::KeyError;
use aixin::sync::payload::PayloadError;
use aixin::sync::usb::PickError;
use aixin::sync::SyncError;
use common::cli::{aixin, ok, write, T0};

/// Names that may stay in Chinese text as they are.
const ALLOWED: &[&str] = &[
    // The program, its subcommands and their argument values.
    "aixin",
    "init",
    "household",
    "add",
    "list",
    "show",
    "import",
    "reissue-card",
    "edit",
    "goods",
    "stock",
    "receive",
    "adjust",
    "stocktake",
    "score",
    "enter",
    "award",
    "confirm",
    "revoke",
    "redeem",
    "void",
    "balance",
    "log",
    "close-day",
    "close-year",
    "clock",
    "correct",
    "report",
    "day",
    "session",
    "board",
    "settlement",
    "donations",
    "stats",
    "budget",
    "verify",
    "monitor",
    "keys",
    "create",
    "station",
    "enroll",
    "ship",
    "issue-policy",
    "issue-households",
    "export",
    "help",
    "receipt",
    "print",
    "reprint",
    "publish",
    // The database a county publishes to, and the table where it records forks.
    "PostgreSQL",
    "forks",
    "operator",
    "pin",
    "role",
    "remove",
    "backup",
    "restore",
    "manager",
    // The operator's personal number, as cash machines and phones call it in Chinese too.
    "PIN",
    // Keys of the station's settings file (station.toml), named as written there.
    "printer",
    "width",
    "format",
    "village",
    "township",
    "zh",
    "en",
    "direct-points",
    "threshold-score",
    "quarterly-ranked",
    "daily-action",
    "member-card",
    // Units, formats and products a clerk meets by these names.
    "kg",
    "g",
    "L",
    "ml",
    "MiB",
    "Excel",
    "WPS",
    "CSV",
    "TOML",
    "JSON",
    "GBK",
    "USB",
    "YYYY-MM-DD",
    // The X and Z reports.
    "X",
    "Z",
    // Key labels.
    "Tab",
    "Esc",
    "Enter",
    "Space",
    "PgUp",
    "PgDn",
    "Home",
    "End",
    "Shift-Tab",
    "Backspace",
    "Delete",
    "Del",
    "Ins",
    // What the snapshot tests type into the search (pinyin) and the demo's sample folder.
    "zs",
    "ls",
    "wangwu",
    "ddy",
    "xyf",
    "media",
    "usb",
    "y",
    "n",
    "z",
    "a",
    "d",
    "q",
    // The station id LJC01 where a popup covers its digits.
    "LJC",
    // The awards screen's objection keys: r revokes, c corrects.
    "r",
    "c",
    "p",
    // F8 and F12: s saves the report for A4, t prints its short form.
    "s",
    "t",
];

/// The ASCII words of `text` that are not allowed in a Chinese line.
fn english_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || "_./:-".contains(c);
    for word in text.split(|c: char| !is_word_char(c)) {
        let word = word.trim_end_matches(['.', ':']);
        if !word.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let allowed = word.starts_with('-')
            || word.contains('/')
            || word.contains('_')
            || word.chars().any(|c| c.is_ascii_digit())
            || word.starts_with('.')
            || [".csv", ".xlsx", ".xls", ".ods", ".toml", ".redb", ".axb", ".txt", ".json", ".key"]
                .iter()
                .any(|ext| word.to_ascii_lowercase().ends_with(ext))
            || ["Ctrl-", "Shift-", "Alt-"].iter().any(|p| word.starts_with(p))
            // A key fingerprint read aloud (`hsqp-vvrk-ejol-ngbe`), letters only by chance.
            || is_fingerprint(word)
            // A column letter (B 列), a report letter (X, Z), U 盘.
            || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
            || ALLOWED.contains(&word);
        if !allowed {
            out.push(word.to_string());
        }
    }
    out
}

/// Four groups of four lowercase letters or digits joined by `-`: a key's fingerprint.
fn is_fingerprint(word: &str) -> bool {
    let groups: Vec<&str> = word.split('-').collect();
    groups.len() == 4
        && groups.iter().all(|g| {
            g.len() == 4
                && g.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `line` without what the user gave, which messages quote as given: values in “…” and the
/// headers of a sheet's columns, `B 列（header）`.
fn without_quoted_input(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        let open = [("“", "”"), ("列（", "）")]
            .iter()
            .filter_map(|(o, c)| rest.find(o).map(|at| (at, *o, *c)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, open, close)) = open else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + open.len()]);
        let after = &rest[at + open.len()..];
        match after.find(close) {
            Some(end) => rest = &after[end..],
            None => return out,
        }
    }
}

/// Whether `line` has an ASCII colon used as punctuation right after Chinese text (`选项:`
/// ending a line, `日期: 2026`): Chinese text takes the full-width colon (`选项：`). A colon
/// inside a written form (`商品编号:数量`, `用户:密码@主机:5432`) and what the user gave,
/// quoted, are not punctuation.
fn ascii_colon_after_chinese(line: &str) -> bool {
    let line = without_quoted_input(line);
    let chars: Vec<char> = line.chars().collect();
    (1..chars.len()).any(|at| {
        let before = chars[at - 1];
        let after = chars.get(at + 1);
        chars[at] == ':'
            && !before.is_ascii()
            && !before.is_whitespace()
            && after.is_none_or(|c| c.is_whitespace())
    })
}

/// Whether `line` is Chinese text (it holds a Chinese character) with an ASCII comma and a
/// space in it (`东北大米5kg×1, 挂面1kg×2`): Chinese lists take `、` and Chinese clauses `，`.
/// What the user gave, quoted, is theirs, and an option's short and long names are written
/// as the command line writes them (`-h, --help`).
fn ascii_comma_in_chinese(line: &str) -> bool {
    let line = without_quoted_input(line);
    line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && line
            .match_indices(", ")
            .any(|(at, _)| !line[at + 2..].starts_with('-'))
}

/// Fails with every line of `texts` (named by `what`) that holds English words, a space
/// after a full-width colon, an ASCII colon after Chinese text, or an ASCII comma in Chinese
/// text.
fn sweep(what: &str, texts: &[String]) {
    sweep_words(what, texts);
    let ascii: Vec<String> = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|line| ascii_colon_after_chinese(line))
        .map(|line| format!("{what}: {line:?}"))
        .collect();
    assert!(
        ascii.is_empty(),
        "an ASCII colon after Chinese text (write ：):\n{}",
        ascii.join("\n")
    );
    sweep_commas(what, texts);
    // A full-width colon carries its own space: "已确认评分条数：2", never "： 2".
    let spaced: Vec<String> = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|line| line.contains("： "))
        .map(|line| format!("{what}: {line:?}"))
        .collect();
    assert!(
        spaced.is_empty(),
        "a space after a full-width colon:\n{}",
        spaced.join("\n")
    );
}

/// [`sweep`]'s search for ASCII commas in Chinese text alone (for printouts that carry the
/// station's own names, such as the demo's operator `demo`).
fn sweep_commas(what: &str, texts: &[String]) {
    let commas: Vec<String> = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|line| ascii_comma_in_chinese(line))
        .map(|line| format!("{what}: {line:?}"))
        .collect();
    assert!(
        commas.is_empty(),
        "an ASCII comma in Chinese text (write 、 between the items of a list, ， between clauses):\n{}",
        commas.join("\n")
    );
}

/// [`sweep`]'s search for English words alone: a screen pads a label's line with spaces.
fn sweep_words(what: &str, texts: &[String]) {
    let mut found = Vec::new();
    for text in texts {
        for line in text.lines() {
            let words = english_words(&without_quoted_input(line));
            if !words.is_empty() {
                found.push(format!("{what}: {words:?} in {line:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English in Chinese text:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_catches_english_and_lets_codes_pass() {
    assert_eq!(
        without_quoted_input("数量“x”不对，B 列（barcode）：条码"),
        "数量“”不对，B 列（）：条码"
    );
    assert_eq!(english_words("公示中 pending"), vec!["pending"]);
    assert_eq!(english_words("MONITOR / 监督"), vec!["MONITOR"]);
    assert!(english_words("卡号 LJ900402、户号 H001、2026-Q4、F5帮助、UTF-8").is_empty());
    assert!(english_words("运行 aixin void --reason 原因；见 data/samples/goods.xlsx").is_empty());
    assert!(english_words("东北大米 5kg，point_value_fen 必须大于 0，Ctrl-L").is_empty());
    assert!(ascii_colon_after_chinese("选项:"));
    assert!(ascii_colon_after_chinese("  命令:  "));
    assert!(!ascii_colon_after_chinese("选项："));
    assert!(ascii_colon_after_chinese("日期: 2026-11-21"));
    assert!(!ascii_colon_after_chinese("地址 http://example 和 G01:3"));
    assert!(!ascii_colon_after_chinese(
        "<商品:数量> 用户:密码@主机:5432"
    ));
    assert!(!ascii_colon_after_chinese("值“李:”不对"));
    assert!(ascii_comma_in_chinese(
        "兑换：王秀英 东北大米5kg×1, 挂面1kg×2，共 40 积分"
    ));
    assert!(ascii_comma_in_chinese("当天日结：Z1, Z2"));
    assert!(!ascii_comma_in_chinese(
        "兑换：王秀英 东北大米5kg×1、挂面1kg×2，共 40 积分"
    ));
    assert!(!ascii_comma_in_chinese("redeemed: H001 rice×1, noodles×2"));
    assert!(!ascii_comma_in_chinese("名称“米, 面”不对"));
    assert!(!ascii_comma_in_chinese("  -h, --help    显示帮助"));
}

#[test]
fn every_chinese_screen_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("snapshots") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if !name.ends_with("_zh.snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("snapshot");
        // The insta header (`source:`, `expression:`) is not on the screen.
        let screen: String = text.splitn(3, "---").nth(2).unwrap_or_default().to_string();
        sweep_words(&name, &[screen]);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} Chinese snapshots found");
}

/// One of every refusal; the match below has no wildcard, so a new variant must be added here.
fn every_refusal() -> Vec<Refusal> {
    let all = vec![
        Refusal::NotInitialized,
        Refusal::AlreadyInitialized,
        Refusal::WrongRole,
        Refusal::EmptyField("head of household"),
        Refusal::TooLong("goods name"),
        Refusal::UnknownHousehold("H001".into()),
        Refusal::HouseholdExists("H001".into()),
        Refusal::CardInUse("LJ0001".into()),
        Refusal::UnknownCard("LJ0001".into()),
        Refusal::CardVoided {
            card_no: "LJ0001".into(),
            household_id: "H001".into(),
        },
        Refusal::UnknownGoods("G01".into()),
        Refusal::ShipUnknownGoods("G01".into()),
        Refusal::BarcodeInUse {
            barcode: "6901234567892".into(),
            goods_id: "G01".into(),
        },
        Refusal::PriceNotPositive,
        Refusal::CostNotPositive,
        Refusal::UnknownZone(7),
        Refusal::QuantityNotPositive,
        Refusal::QuantityTooLarge(100_001),
        Refusal::AdjustmentZero,
        Refusal::StockShort {
            goods_id: "G01".into(),
            stock_units: 2,
            wanted: 3,
        },
        Refusal::EmptyCart,
        Refusal::CartTooLarge,
        Refusal::DuplicateLine("G01".into()),
        Refusal::BalanceShort {
            balance_points: 5,
            wanted: 9,
        },
        Refusal::DonationZoneFirst,
        Refusal::OutsideWindow,
        Refusal::NotEligible {
            period: "2026-Q3".into(),
            score: Some(70),
        },
        Refusal::NotEligible {
            period: "2026-Q3".into(),
            score: None,
        },
        Refusal::BadPeriod("2026-13".into()),
        Refusal::PeriodInFuture("2027-01".into()),
        Refusal::ScoreOutOfRange {
            score: 150,
            min: 0,
            max: 100,
        },
        Refusal::AlreadyScored {
            period: "2026-10".into(),
            pending_award: Some(12),
            confirmed: false,
        },
        Refusal::AlreadyScored {
            period: "2026-10".into(),
            pending_award: None,
            confirmed: true,
        },
        Refusal::AlreadyScored {
            period: "2026-10".into(),
            pending_award: None,
            confirmed: false,
        },
        Refusal::CapExceeded {
            period: "2026-10".into(),
            cap: 20,
            already: 15,
            adding: 10,
        },
        Refusal::BudgetExceeded {
            budget_key: "2026".into(),
            budget: 1000,
            used: 990,
            adding: 20,
        },
        Refusal::UnknownAward(7),
        Refusal::AwardNotPending(7),
        Refusal::PublicityNotOver {
            until_ms: 1_794_189_600_000,
        },
        Refusal::UnknownSale(1199),
        Refusal::AlreadyVoided(1199),
        Refusal::YearNotOver(2026),
        Refusal::YearAlreadyCleared(2025),
        Refusal::PendingAwards {
            year: 2026,
            count: 3,
        },
        Refusal::PolicyNeverClears,
        Refusal::YearCleared {
            period: "2025-12".into(),
            year: 2025,
        },
        Refusal::SessionEmpty { session_no: 4 },
        Refusal::UnknownSession(4),
        Refusal::NoMerchant("G01".into()),
        Refusal::ClockBehind {
            now_ms: 1_794_189_600_000,
            last_ms: 1_794_289_600_000,
        },
        Refusal::ClockReset { now_ms: 0 },
        Refusal::ClockUnconfirmed {
            now_ms: 1_794_189_600_000,
            last_ms: Some(1_790_000_000_000),
        },
        Refusal::ClockUnconfirmed {
            now_ms: 1_794_189_600_000,
            last_ms: None,
        },
        Refusal::ClockOtherDate {
            confirmed: "2026-11-09".into(),
            now_ms: 1_794_189_600_000,
        },
        Refusal::ClockNotBehind {
            last_ms: 1_794_189_600_000,
        },
        Refusal::BadPolicy("积分政策不能用".into()),
        Refusal::BadStationId(match check_station_id("李家村", "李家村爱心超市") {
            Err(e) => e,
            Ok(id) => panic!("a Chinese station id was accepted: {id}"),
        }),
        Refusal::UnknownStation("LJC01".into()),
        Refusal::StationAlreadyEnrolled("LJC01".into()),
        Refusal::StationKeyConflict("LJC01".into()),
        Refusal::StationKeyRevoked("LJC01".into()),
        Refusal::CannotEnrollSelf,
        Refusal::StationAlreadyRevoked("LJC01".into()),
        Refusal::NotAVillage("CGZ01".into()),
        Refusal::EditChangesCard {
            household_id: "H001".into(),
        },
        Refusal::HouseholdUnchanged("H001".into()),
        Refusal::LowStockOutOfRange(-1),
        Refusal::LowStockUnchanged {
            goods_id: "G01".into(),
            units: 5,
        },
        Refusal::CountNegative {
            goods_id: "G01".into(),
            counted: -2,
        },
        Refusal::NoScoreSheet,
        Refusal::NoItemScores,
        Refusal::UnknownScoreItem {
            item: "卫生".into(),
            known: vec!["环境卫生".into(), "违规".into()],
        },
        Refusal::ScoreItemTwice("违规".into()),
        Refusal::ScoreItemOutOfRange {
            item: "环境卫生".into(),
            score: 9,
            min: 0,
            max: 8,
        },
        Refusal::NoBudget,
        Refusal::UnknownOperator("王丽".into()),
        Refusal::OperatorExists("王丽".into()),
        Refusal::BadOperatorName(" 王丽".into()),
        Refusal::BadPin,
        Refusal::FirstOperatorManager,
        Refusal::TooManyOperators,
        Refusal::MonitorCannotWrite("李监督".into()),
        Refusal::MonitorCannotUnlock("李监督".into()),
        Refusal::LastManager("王丽".into()),
        Refusal::RoleUnchanged("王丽".into()),
        Refusal::WrongPin("王丽".into()),
        Refusal::PassphraseTooShort { chars_min: 8 },
        Refusal::GoodsIdTaken {
            goods_id: "G003".into(),
            name: "食用油5L".into(),
            differences: Vec::new(),
        },
        Refusal::GoodsIdTaken {
            goods_id: "G003".into(),
            name: "食用油5L".into(),
            differences: [
                (Field::GoodsName, "食用油5L", "酱油"),
                (Field::Unit, "桶", "瓶"),
                (Field::PricePoints, "50", "3"),
                (Field::Zone, "50", "捐赠区"),
                (Field::Barcode, "6901234500011", ""),
                (Field::Category, "", "粮油"),
                (Field::Supplier, "李记粮油", "王 记"),
            ]
            .into_iter()
            .map(|(field, held, given)| GoodsDifference {
                field,
                held: held.into(),
                given: given.into(),
            })
            .collect(),
        },
        Refusal::TownshipGoodsConflict(Box::new(GoodsConflict {
            goods_id: "G002".into(),
            township_name: "面粉10kg".into(),
            township_unit: "袋".into(),
            village_name: "洗衣粉".into(),
            village_unit: "".into(),
            quantity: 0,
            from: "T01".into(),
        })),
        Refusal::ShipmentConflict(Box::new(GoodsConflict {
            goods_id: "G002".into(),
            township_name: "面粉10kg".into(),
            township_unit: "袋".into(),
            village_name: "洗衣粉".into(),
            village_unit: "袋".into(),
            quantity: 5,
            from: "T01".into(),
        })),
    ];
    for refusal in &all {
        match refusal {
            Refusal::NotInitialized
            | Refusal::AlreadyInitialized
            | Refusal::WrongRole
            | Refusal::EmptyField(_)
            | Refusal::TooLong(_)
            | Refusal::UnknownHousehold(_)
            | Refusal::HouseholdExists(_)
            | Refusal::CardInUse(_)
            | Refusal::UnknownCard(_)
            | Refusal::CardVoided { .. }
            | Refusal::UnknownGoods(_)
            | Refusal::ShipUnknownGoods(_)
            | Refusal::BarcodeInUse { .. }
            | Refusal::PriceNotPositive
            | Refusal::CostNotPositive
            | Refusal::UnknownZone(_)
            | Refusal::QuantityNotPositive
            | Refusal::QuantityTooLarge(_)
            | Refusal::AdjustmentZero
            | Refusal::StockShort { .. }
            | Refusal::EmptyCart
            | Refusal::CartTooLarge
            | Refusal::DuplicateLine(_)
            | Refusal::BalanceShort { .. }
            | Refusal::DonationZoneFirst
            | Refusal::OutsideWindow
            | Refusal::NotEligible { .. }
            | Refusal::BadPeriod(_)
            | Refusal::PeriodInFuture(_)
            | Refusal::ScoreOutOfRange { .. }
            | Refusal::AlreadyScored { .. }
            | Refusal::CapExceeded { .. }
            | Refusal::BudgetExceeded { .. }
            | Refusal::UnknownAward(_)
            | Refusal::AwardNotPending(_)
            | Refusal::PublicityNotOver { .. }
            | Refusal::UnknownSale(_)
            | Refusal::AlreadyVoided(_)
            | Refusal::YearNotOver(_)
            | Refusal::YearAlreadyCleared(_)
            | Refusal::PendingAwards { .. }
            | Refusal::PolicyNeverClears
            | Refusal::YearCleared { .. }
            | Refusal::SessionEmpty { .. }
            | Refusal::UnknownSession(_)
            | Refusal::NoMerchant(_)
            | Refusal::ClockBehind { .. }
            | Refusal::ClockReset { .. }
            | Refusal::ClockUnconfirmed { .. }
            | Refusal::ClockOtherDate { .. }
            | Refusal::ClockNotBehind { .. }
            | Refusal::BadPolicy(_)
            | Refusal::BadStationId(_)
            | Refusal::UnknownStation(_)
            | Refusal::StationAlreadyEnrolled(_)
            | Refusal::StationKeyConflict(_)
            | Refusal::StationKeyRevoked(_)
            | Refusal::CannotEnrollSelf
            | Refusal::StationAlreadyRevoked(_)
            | Refusal::NotAVillage(_)
            | Refusal::EditChangesCard { .. }
            | Refusal::HouseholdUnchanged(_)
            | Refusal::LowStockOutOfRange(_)
            | Refusal::LowStockUnchanged { .. }
            | Refusal::CountNegative { .. }
            | Refusal::NoScoreSheet
            | Refusal::NoItemScores
            | Refusal::UnknownScoreItem { .. }
            | Refusal::ScoreItemTwice(_)
            | Refusal::ScoreItemOutOfRange { .. }
            | Refusal::NoBudget
            | Refusal::UnknownOperator(_)
            | Refusal::OperatorExists(_)
            | Refusal::BadOperatorName(_)
            | Refusal::BadPin
            | Refusal::FirstOperatorManager
            | Refusal::TooManyOperators
            | Refusal::MonitorCannotWrite(_)
            | Refusal::MonitorCannotUnlock(_)
            | Refusal::LastManager(_)
            | Refusal::RoleUnchanged(_)
            | Refusal::WrongPin(_)
            | Refusal::PassphraseTooShort { .. }
            | Refusal::GoodsIdTaken { .. }
            | Refusal::TownshipGoodsConflict(_)
            | Refusal::ShipmentConflict(_) => {}
        }
    }
    all
}

#[test]
fn every_refusal_in_chinese() {
    let mut texts: Vec<String> = every_refusal()
        .iter()
        .map(|r| r.message(Lang::Zh))
        .collect();
    // Every field a required text can be missing from.
    for field in [
        "household id",
        "card number",
        "head of household",
        "members",
        "group",
        "phone",
        "goods id",
        "goods name",
        "unit",
        "barcode",
        "category",
        "supplier",
        "note",
        "reason",
        "station id",
        "station name",
        "donor",
    ] {
        texts.push(Refusal::EmptyField(field).message(Lang::Zh));
        texts.push(Refusal::TooLong(field).message(Lang::Zh));
    }
    sweep("refusal", &texts);
}

fn every_store_error() -> Vec<StoreError> {
    let all = vec![
        StoreError::Refused(Refusal::WrongRole),
        StoreError::BatchRefused {
            index: 2,
            refusal: Refusal::EmptyCart,
        },
        StoreError::InUse,
        StoreError::NotFound(PathBuf::from("/data/ledger.redb")),
        StoreError::AlreadyExists(PathBuf::from("/data/ledger.redb")),
        StoreError::ReadOnly,
        StoreError::NeedsRepair,
        StoreError::NeedsUpgrade,
        StoreError::Storage("磁盘已满".into()),
        StoreError::Uncertain("磁盘已满".into()),
        StoreError::ForeignJournal {
            station: "LJC01".into(),
            seq: 12,
        },
        StoreError::JournalMissing(PathBuf::from("/data/ledger.redb-journal")),
    ];
    for e in &all {
        match e {
            StoreError::Refused(_)
            | StoreError::BatchRefused { .. }
            | StoreError::InUse
            | StoreError::NotFound(_)
            | StoreError::AlreadyExists(_)
            | StoreError::ReadOnly
            | StoreError::NeedsRepair
            | StoreError::NeedsUpgrade
            | StoreError::Storage(_)
            | StoreError::Uncertain(_)
            | StoreError::ForeignJournal { .. }
            | StoreError::JournalMissing(_) => {}
        }
    }
    all
}

fn every_bundle_error() -> Vec<BundleError> {
    let all = vec![
        BundleError::TooLarge,
        BundleError::Truncated,
        BundleError::BadMagic,
        BundleError::UnsupportedVersion(9),
        BundleError::MalformedHeader("bad sender id"),
        BundleError::MalformedHeader("header ends early"),
        BundleError::MalformedHeader("unknown bundle kind"),
        BundleError::MalformedHeader("sequence number above 999999999999"),
        BundleError::UnfitStationId("李家村".into()),
        BundleError::UnknownSender("LJC01".into()),
        BundleError::BadSignature,
        BundleError::NotForUs,
        BundleError::DecryptFailed,
        BundleError::TrailingBytes,
        BundleError::BadRecipientKey,
        BundleError::EncryptFailed,
    ];
    for e in &all {
        match e {
            BundleError::TooLarge
            | BundleError::Truncated
            | BundleError::BadMagic
            | BundleError::UnsupportedVersion(_)
            | BundleError::MalformedHeader(_)
            | BundleError::UnfitStationId(_)
            | BundleError::UnknownSender(_)
            | BundleError::BadSignature
            | BundleError::NotForUs
            | BundleError::DecryptFailed
            | BundleError::TrailingBytes
            | BundleError::BadRecipientKey
            | BundleError::EncryptFailed => {}
        }
    }
    all
}

fn every_key_error() -> Vec<KeyError> {
    let path = PathBuf::from("/data/keys/signing.key");
    let all = vec![
        KeyError::Exists { path: path.clone() },
        KeyError::Missing { path: path.clone() },
        KeyError::Corrupt {
            path: path.clone(),
            reason: "not an age key",
        },
        KeyError::Io {
            path,
            source: std::io::Error::from_raw_os_error(13),
        },
        KeyError::BadStationId {
            id: "李家村".into(),
            why: "must start with a letter or digit",
        },
        KeyError::BadPublicLine("expected four ':'-separated fields"),
    ];
    for e in &all {
        match e {
            KeyError::Exists { .. }
            | KeyError::Missing { .. }
            | KeyError::Corrupt { .. }
            | KeyError::Io { .. }
            | KeyError::BadStationId { .. }
            | KeyError::BadPublicLine(_) => {}
        }
    }
    all
}

fn every_sync_error() -> Vec<SyncError> {
    let mut all: Vec<SyncError> = every_bundle_error()
        .into_iter()
        .map(SyncError::Bundle)
        .collect();
    all.extend(every_key_error().into_iter().map(SyncError::Keys));
    all.extend(every_store_error().into_iter().map(SyncError::Store));
    all.extend([
        SyncError::Payload(PayloadError("event count")),
        SyncError::Inconsistent("sequence range"),
        SyncError::WrongRecipient {
            recipient: "WZ01".into(),
            own: "LJC01".into(),
        },
        SyncError::WrongKind,
        SyncError::OwnBundle {
            recipient: "WZ01".into(),
        },
        SyncError::Revoked {
            station: "LJC01".into(),
            from_ms: 1_794_189_600_000,
        },
        SyncError::Fork {
            station: "LJC01".into(),
            seq: 42,
            held: [1; 32],
            bundle: [2; 32],
        },
        SyncError::NoTownship,
        SyncError::UnknownRecipient("WZ01".into()),
        SyncError::AmbiguousRecipient,
        SyncError::os(
            Path::new("/media/usb"),
            &std::io::Error::from_raw_os_error(2),
        ),
        SyncError::io_words(Path::new("/media/usb"), "不是文件夹", "not a folder"),
        SyncError::ReadBackFailed(PathBuf::from("/media/usb/LJC01-1-2-ab.axb")),
    ]);
    for e in &all {
        match e {
            SyncError::Bundle(_)
            | SyncError::Payload(_)
            | SyncError::Inconsistent(_)
            | SyncError::WrongRecipient { .. }
            | SyncError::WrongKind
            | SyncError::OwnBundle { .. }
            | SyncError::Revoked { .. }
            | SyncError::Fork { .. }
            | SyncError::NoTownship
            | SyncError::UnknownRecipient(_)
            | SyncError::AmbiguousRecipient
            | SyncError::Keys(_)
            | SyncError::Store(_)
            | SyncError::Io { .. }
            | SyncError::ReadBackFailed(_) => {}
        }
    }
    all
}

fn every_input_error() -> Vec<InputError> {
    let problems = [
        InputProblem::Empty,
        InputProblem::NotWholeNumber,
        InputProblem::TooLarge,
        InputProblem::ExcelScientific,
        InputProblem::DecimalInCode,
        InputProblem::DateNotPeriod {
            suggested: Some("2026-10".into()),
            kind: PeriodKind::Month,
        },
        InputProblem::DateNotPeriod {
            suggested: None,
            kind: PeriodKind::Quarter,
        },
        InputProblem::DateInCode,
        InputProblem::NotYesNo,
        InputProblem::NotZone,
        InputProblem::NotYuan,
        InputProblem::NotPositive,
        InputProblem::NotPeriod {
            kind: PeriodKind::Month,
        },
        InputProblem::NotPeriod {
            kind: PeriodKind::Quarter,
        },
        InputProblem::NotPeriod {
            kind: PeriodKind::Day,
        },
        InputProblem::NotDate,
        InputProblem::NotYear,
    ];
    for p in &problems {
        match p {
            InputProblem::Empty
            | InputProblem::NotWholeNumber
            | InputProblem::TooLarge
            | InputProblem::ExcelScientific
            | InputProblem::DecimalInCode
            | InputProblem::DateNotPeriod { .. }
            | InputProblem::DateInCode
            | InputProblem::NotYesNo
            | InputProblem::NotZone
            | InputProblem::NotYuan
            | InputProblem::NotPositive
            | InputProblem::NotPeriod { .. }
            | InputProblem::NotDate
            | InputProblem::NotYear => {}
        }
    }
    let fields = [
        Field::HouseholdId,
        Field::CardNo,
        Field::Head,
        Field::Members,
        Field::Group,
        Field::Phone,
        Field::RegisteredPoor,
        Field::GoodsId,
        Field::GoodsName,
        Field::Unit,
        Field::Barcode,
        Field::PricePoints,
        Field::Zone,
        Field::Category,
        Field::Supplier,
        Field::Period,
        Field::Score,
        Field::Note,
        Field::Quantity,
        Field::StockDelta,
        Field::SaleNumber,
        Field::StockSource,
        Field::Reason,
        Field::CostFen,
        Field::CostYuan,
        Field::AwardNumber,
        Field::Year,
        Field::Proxy,
        Field::StationName,
        Field::SessionNumber,
        Field::ReceiptNumber,
        Field::Date,
    ];
    let mut all = Vec::new();
    for field in fields {
        for problem in &problems {
            all.push(InputError::new(field, "1.5", problem.clone()));
        }
    }
    all
}

fn problem() -> Problem {
    Problem {
        sheet: Some("花名册".into()),
        row: 4,
        column: Some(ColumnRef {
            index: 1,
            header: "卡号".into(),
        }),
        zh: "卡号不能为空，请填写".into(),
        en: "card number is empty; fill it in".into(),
    }
}

fn every_cli_error() -> Vec<CliError> {
    let path = PathBuf::from("/data/农户.xlsx");
    let mut all = vec![
        CliError::Lang("法语".into()),
        CliError::NoDataDir,
        CliError::EmptyEnv("AIXIN_DATA_DIR"),
        CliError::DataDir {
            path: path.clone(),
            source: std::io::Error::from_raw_os_error(13),
        },
        CliError::Clock(aixin::config::ClockError("昨天".into())),
        CliError::ReadFile {
            path: path.clone(),
            source: std::io::Error::from_raw_os_error(2),
        },
        CliError::NotUtf8 { path: path.clone() },
        CliError::Import {
            path: path.clone(),
            source: Box::new(ImportError::Unusable(problem())),
        },
        CliError::Import {
            path: path.clone(),
            source: Box::new(ImportError::Rows {
                problems: vec![problem(), problem()],
                more: 3,
                unchecked: true,
                unreadable: true,
            }),
        },
        CliError::Import {
            path: path.clone(),
            source: Box::new(ImportError::Store(StoreError::InUse)),
        },
        CliError::Export(ExportError::Format(PathBuf::from("/data/list.doc"))),
        CliError::Export(ExportError::Store(StoreError::InUse)),
        CliError::Export(ExportError::Write(ReportError::Io {
            path: path.clone(),
            source: std::io::Error::from_raw_os_error(28),
        })),
        CliError::RowRefused {
            path: path.clone(),
            line: 3,
            refusal: Refusal::HouseholdExists("H001".into()),
        },
        CliError::Policy {
            spec: "my.toml".into(),
            source: aixin::domain::policy::PolicyError::Syntax(
                "TOML parse error at line 3, column 5".into(),
            ),
        },
        CliError::Policy {
            spec: "my.toml".into(),
            source: aixin::domain::policy::PolicyError::Inconsistent(
                "score_min is above score_max".into(),
            ),
        },
        CliError::StockSource,
        CliError::Role("城市".into()),
        CliError::InitNeedsStation,
        CliError::FingerprintMismatch {
            key_line: "xyk4-betd-doyk-vgc7".into(),
            spoken: "xyk4-betd-doyk-vgc8".into(),
        },
        CliError::KeysExist,
        CliError::Pick(PickError::Missing(PathBuf::from("/media/usb/a.axb"))),
        CliError::Pick(PickError::NoBundles),
        CliError::Pick(PickError::NoneForStation {
            station: "LJC01".into(),
            skipped: 2,
        }),
        CliError::BundlesRefused {
            count: 2,
            exit_code: 1,
        },
        CliError::VerifyFailed,
        CliError::Report(ReportError::Io {
            path: path.clone(),
            source: std::io::Error::from_raw_os_error(28),
        }),
        CliError::Demo(aixin::demo::DemoError::Policy("broken".into())),
        CliError::Demo(aixin::demo::DemoError::Store(StoreError::InUse)),
        CliError::Till(aixin::tui::TuiError::Keymap(aixin::tui::KeymapError {
            path: PathBuf::from("/home/keymap.toml"),
            line: 3,
            message: "unknown action 'fly'".into(),
        })),
        CliError::Till(aixin::tui::TuiError::Terminal(
            std::io::Error::from_raw_os_error(25),
        )),
        CliError::TempDir(std::io::Error::from_raw_os_error(28)),
        CliError::Unexpected("no sale written"),
        CliError::OperatorNeeded {
            given: "管理员".into(),
            known: vec!["王丽".into(), "李监督".into()],
        },
        CliError::PinNeeded {
            operator: "王丽".into(),
        },
        CliError::NewPinNeeded {
            operator: "王丽".into(),
        },
        CliError::PinsDiffer,
        CliError::NoPinKept {
            operator: "王丽".into(),
        },
        CliError::Prompt(std::io::Error::from_raw_os_error(25)),
        CliError::OperatorRole("老板".into()),
        CliError::PassphraseNeeded,
        CliError::PassphrasesDiffer,
    ];
    for e in [
        BackupError::Refused(Refusal::PassphraseTooShort { chars_min: 8 }),
        BackupError::NotAFolder(PathBuf::from("/media/usb")),
        BackupError::NotEmpty(PathBuf::from("/data/lijia")),
        BackupError::Io {
            path: PathBuf::from("/media/usb/LJC01.aixbak"),
            source: std::io::Error::from_raw_os_error(28),
        },
        BackupError::Store(StoreError::InUse),
        BackupError::WrongPassphrase,
        BackupError::Damaged("bad manifest".into()),
        BackupError::CheckFailed("head differs".into()),
    ] {
        match e {
            BackupError::Refused(_)
            | BackupError::NotAFolder(_)
            | BackupError::NotEmpty(_)
            | BackupError::Io { .. }
            | BackupError::Store(_)
            | BackupError::WrongPassphrase
            | BackupError::Damaged(_)
            | BackupError::CheckFailed(_) => all.push(CliError::Backup(e)),
        }
    }
    for e in [
        ReceiptError::NoSuchNumber { number: 5, last: 0 },
        ReceiptError::NoSuchNumber { number: 5, last: 4 },
        ReceiptError::NoReceipt(3),
        ReceiptError::Write {
            path: "/dev/usb/lp0".into(),
            source: std::io::Error::from_raw_os_error(13),
        },
    ] {
        all.push(CliError::Receipt(e));
    }
    if let Err(e) = aixin::domain::receipt::VerificationCode::parse("00000-0000") {
        all.push(CliError::Receipt(ReceiptError::BadCode {
            text: "00000-0000".into(),
            error: e,
        }));
    }
    if let Err(e) = aixin::config::StationConfig::parse(
        "[receipt]\nwidth = \"wide\"\n",
        Path::new("station.toml"),
    ) {
        all.push(CliError::StationConfig(e));
    }
    for e in [
        PublishError::NotTownship,
        PublishError::BadAddress("invalid connection string".into()),
        PublishError::Connect("connection refused".into()),
        PublishError::Schema(MigrationError::Newer {
            version: 9,
            name: "0009_later".into(),
            known: 3,
        }),
        PublishError::Schema(MigrationError::Changed {
            version: 2,
            name: "0002_views".into(),
        }),
        PublishError::Database("disk full (53100)".into()),
        PublishError::Chain {
            station_id: "LJC01".into(),
            seq: 3,
            problem: "previous-hash link broken".into(),
        },
        PublishError::Fork {
            station_id: "LJC01".into(),
            seq: 2,
            postgres_hash: "3fa91c07be52".repeat(5) + "3fa9",
            ledger_hash: "9c0e41d27ab8".repeat(5) + "9c0e",
            stations: 1,
        },
        PublishError::Concurrent {
            station_id: "LJC01".into(),
        },
        PublishError::Interrupted {
            events_sent: 50_000,
        },
    ] {
        all.push(CliError::Publish(e));
    }
    all.extend(every_refusal().into_iter().map(CliError::Refused));
    all.extend(every_store_error().into_iter().map(CliError::Store));
    all.extend(every_sync_error().into_iter().map(CliError::Sync));
    all.extend(every_key_error().into_iter().map(CliError::KeyLine));
    all.extend(every_input_error().into_iter().map(CliError::Input));
    for (id, name) in [
        ("李家村", "李家村爱心超市"),
        ("", "城关镇"),
        ("-1", "x"),
        ("李 家", ""),
    ] {
        if let Err(e) = check_station_id(id, name) {
            all.push(CliError::StationId(e));
        }
    }
    all.push(CliError::SaleNumber(SaleNumberError::NotASaleNumber(
        "1.5".into(),
    )));
    all.push(CliError::SaleNumber(SaleNumberError::OtherStation {
        number: "WZ01-3".into(),
        station: "WZ01".into(),
        own: "LJC01".into(),
    }));
    all.push(CliError::NoTerminal);
    all.push(CliError::MonitorJson);
    all.push(CliError::Output(std::io::Error::from_raw_os_error(28)));
    all.push(CliError::ScoreAndItems);
    all.push(CliError::ScoreMissing);
    all.push(CliError::ItemArgument("环境卫生=五".into()));
    all.push(CliError::OutputKind("报表.pdf".into()));
    all.push(CliError::CountsMissing);
    all.push(CliError::CountArgument("G1".into()));
    let counts = vec![
        CountProblem::Sheet(Problem {
            sheet: None,
            row: 4,
            column: None,
            zh: Refusal::UnknownGoods("G9".into()).message(Lang::Zh),
            en: Refusal::UnknownGoods("G9".into()).message(Lang::En),
        }),
        CountProblem::Typed {
            given: "G1=3".into(),
            zh: "商品 G1 已由 --count G1=2 盘点过；同一商品只能有一个实盘数（合计数）".into(),
            en: "goods G1 was already counted by --count G1=2; give one count per item".into(),
        },
    ];
    all.push(CliError::CountsRefused {
        file: Some(PathBuf::from("/media/usb/盘点表.xlsx")),
        problems: counts.clone(),
        unreadable: false,
    });
    all.push(CliError::CountsRefused {
        file: None,
        problems: counts[1..].to_vec(),
        unreadable: false,
    });
    for e in &all {
        match e {
            CliError::Arguments
            | CliError::Lang(_)
            | CliError::NoDataDir
            | CliError::EmptyEnv(_)
            | CliError::DataDir { .. }
            | CliError::Clock(_)
            | CliError::ReadFile { .. }
            | CliError::NotUtf8 { .. }
            | CliError::Import { .. }
            | CliError::Export(_)
            | CliError::RowRefused { .. }
            | CliError::Policy { .. }
            | CliError::Input(_)
            | CliError::StationId(_)
            | CliError::SaleNumber(_)
            | CliError::KeysExist
            | CliError::StockSource
            | CliError::CountsMissing
            | CliError::CountArgument(_)
            | CliError::CountsRefused { .. }
            | CliError::Role(_)
            | CliError::InitNeedsStation
            | CliError::KeyLine(_)
            | CliError::FingerprintMismatch { .. }
            | CliError::Refused(_)
            | CliError::Store(_)
            | CliError::Sync(_)
            | CliError::Pick(_)
            | CliError::BundleRefused(_)
            | CliError::BundlesRefused { .. }
            | CliError::VerifyFailed
            | CliError::Report(_)
            | CliError::Demo(_)
            | CliError::Till(_)
            | CliError::TempDir(_)
            | CliError::Receipt(_)
            | CliError::StationConfig(_)
            | CliError::Publish(_)
            | CliError::NoTerminal
            | CliError::MonitorJson
            | CliError::Output(_)
            | CliError::Unexpected(_)
            | CliError::ScoreAndItems
            | CliError::ScoreMissing
            | CliError::ItemArgument(_)
            | CliError::OutputKind(_)
            | CliError::OperatorNeeded { .. }
            | CliError::PinNeeded { .. }
            | CliError::NewPinNeeded { .. }
            | CliError::PinsDiffer
            | CliError::NoPinKept { .. }
            | CliError::Prompt(_)
            | CliError::OperatorRole(_)
            | CliError::PassphraseNeeded
            | CliError::PassphrasesDiffer
            | CliError::Backup(_) => {}
        }
    }
    all
}

#[test]
fn every_error_of_the_command_line_in_chinese() {
    let texts: Vec<String> = every_cli_error()
        .iter()
        .map(|e| e.message(Lang::Zh))
        .collect();
    sweep("error", &texts);
    // The normaliser's own refusals as the importers and the till show them.
    let texts: Vec<String> = [
        input::checked_code("6.91012E+12", Field::Barcode),
        input::period("46296", PeriodKind::Month),
        input::zone("x").map(|_| String::new()),
    ]
    .into_iter()
    .filter_map(Result::err)
    .map(|e| e.message(Lang::Zh))
    .collect();
    sweep("input", &texts);
}

#[test]
fn the_chinese_help_of_every_subcommand() {
    fn walk(cmd: &mut clap::Command, out: &mut Vec<String>) {
        out.push(cmd.render_help().to_string());
        for sub in cmd.get_subcommands_mut() {
            walk(sub, out);
        }
    }
    let mut cmd = aixin::cli::help::command(Lang::Zh);
    let mut texts = Vec::new();
    walk(&mut cmd, &mut texts);
    assert!(texts.len() > 40, "{} help pages", texts.len());
    sweep("help", &texts);
    // Every heading clap writes is ours, with the full-width colon and nothing after it.
    let mut headings = 0;
    for text in &texts {
        for line in text.lines() {
            let heading = aixin::cli::help::ZH_HEADINGS.iter().find(|h| {
                line.starts_with(&format!("{h}:")) || line.starts_with(&format!("{h}："))
            });
            if let Some(heading) = heading {
                assert!(
                    line == format!("{heading}：")
                        || line.starts_with(&format!("{heading}：aixin")),
                    "a heading not written as {heading}：{line:?}"
                );
                headings += 1;
            }
        }
    }
    assert!(
        headings >= 2 * texts.len(),
        "only {headings} headings in {} pages",
        texts.len()
    );
}

#[test]
fn usage_errors_help_and_refused_arguments_through_the_binary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(
        dir,
        T0,
        &["init", "--station-id", "LJC01", "--name", "李家村爱心超市"],
    );
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H001",
            "--card",
            "LJ0001",
            "--head",
            "张三",
        ],
    );
    let mut texts = Vec::new();
    let run = |args: &[&str], out: &mut Vec<String>| {
        let o = aixin(dir, T0, args);
        out.push(String::from_utf8_lossy(&o.stdout).into_owned());
        out.push(String::from_utf8_lossy(&o.stderr).into_owned());
    };
    for args in [
        &["help"][..],
        &["help", "household", "add"],
        &["--help"],
        &["void", "7"],
        &["housework"],
        &["household"],
        &["redeem", "--bogus", "x"],
        &["--lang", "fr", "balance", "x"],
        &["help", "nothing"],
        &["stock", "receive", "G01", "1.5", "--donor", "某"],
        &["score", "enter", "H001", "2026-10", "8.5"],
        &["void", "WZ01-3", "--reason", "错了"],
        &["void", "LJC01-", "--reason", "错了"],
        &[
            "goods", "add", "--id", "G01", "--name", "米", "--price", "2", "--zone", "x",
        ],
        &[
            "goods", "add", "--id", "G01", "--name", "米", "--price", "二", "--zone", "2",
        ],
        &["redeem", "LJ0001", "G01：x"],
        &["balance", "LJ9999"],
        &["keys", "create"],
        &["init", "--station-id", "李家村", "--name", "李家村爱心超市"],
        &["goods", "list", "--out", "/no/such/dir/a.doc"],
    ] {
        run(args, &mut texts);
    }
    // Sheets refused for every reason a clerk's file has.
    let field = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field");
    for (kind, name) in [
        ("goods", "goods-excel-sci.csv"),
        ("score", "scores-excel-dates.csv"),
    ] {
        let file = field.join(name).to_string_lossy().into_owned();
        run(&[kind, "import", &file], &mut texts);
    }
    let missing = write(dir, "缺列.csv", "户号,户主\nH9,李四\n");
    run(&["household", "import", &missing], &mut texts);
    let twice = write(dir, "重复列.csv", "户号,卡号,户主,编号\nH9,C9,李四,H9\n");
    run(&["household", "import", &twice], &mut texts);
    let garbage = dir.join("乱码.xlsx");
    std::fs::write(&garbage, b"PK\x03\x04 not really a workbook").expect("write");
    run(
        &["household", "import", &garbage.to_string_lossy()],
        &mut texts,
    );
    let differs = write(
        dir,
        "不同.csv",
        "户号,卡号,户主\nH001,LJ0001,张三丰\nH002,LJ0001,李四\n",
    );
    run(&["household", "import", &differs], &mut texts);
    let counts = write(
        dir,
        "盘点表.csv",
        "商品编号,实盘数\nG01,1.5\nG99,3\n,4\nG01,2\nG01,3\n",
    );
    run(&["stock", "stocktake", "--sheet", &counts], &mut texts);
    run(&["stock", "stocktake", "--count", "G01=-1"], &mut texts);
    run(&["stock", "stocktake", "--count", "G01"], &mut texts);
    run(&["stock", "stocktake"], &mut texts);
    sweep("binary", &texts);
}

#[test]
fn a_bundle_review_in_chinese() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t, stick) = (
        root.path().join("v"),
        root.path().join("t"),
        root.path().join("usb"),
    );
    std::fs::create_dir_all(&stick).expect("stick");
    ok(
        &v,
        T0,
        &["init", "--station-id", "LJC01", "--name", "李家村爱心超市"],
    );
    ok(
        &t,
        T0,
        &[
            "init",
            "--station-id",
            "CGZ01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    let line = |dir: &Path| {
        let out = ok(dir, T0, &["--json", "keys", "show"]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        v["key_line"].as_str().unwrap_or_default().to_string()
    };
    ok(&t, T0, &["station", "enroll", &line(&v)]);
    ok(&v, T0, &["station", "enroll", &line(&t), "--township"]);
    ok(
        &v,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H001",
            "--card",
            "LJ0001",
            "--head",
            "张三",
        ],
    );
    ok(&v, T0, &["export", "--to", &stick.to_string_lossy()]);
    let bundle = std::fs::read_dir(&stick)
        .expect("stick")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "axb"))
        .expect("a bundle");
    let review = ok(&t, T0, &["monitor", "--bundle", &bundle.to_string_lossy()]);
    assert!(review.contains("农户建档：1 条"), "{review}");
    sweep("monitor --bundle", &[review]);
}

/// The rows of `help` whose description is not in the display column of the other rows of
/// its section (a section runs from a heading line to the next blank line; a row is a line
/// indented two spaces whose name is followed by two or more spaces and its description).
/// Clap measures display width only with its `unicode` feature: without it `<户号或卡号>`
/// counts as six columns, not eleven, and its description starts five places to the right.
fn misaligned_help_rows(help: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    let mut section: Vec<(usize, &str)> = Vec::new();
    let mut check = |section: &mut Vec<(usize, &str)>| {
        if let Some(&(first, _)) = section.first() {
            for (column, line) in section.iter() {
                if *column != first {
                    out.push(format!("column {column}, not {first}: {line:?}"));
                }
            }
        }
        section.clear();
    };
    for line in help.lines() {
        let Some(row) = line.strip_prefix("  ") else {
            check(&mut section);
            continue;
        };
        if row.starts_with(' ') {
            // A description on its own line (clap's next-line layout), or a continuation.
            continue;
        }
        if let Some(gap) = row.find("  ") {
            let description = row[gap..].trim_start();
            if !description.is_empty() {
                let column = line.width() - description.width();
                section.push((column, line));
            }
        }
    }
    check(&mut section);
    out
}

#[test]
fn the_help_checker_catches_a_shifted_description() {
    let aligned =
        "参数：\n  <户号或卡号>  户号或卡号\n  [得分]        得分\n\n选项：\n  -h  帮助\n";
    assert!(misaligned_help_rows(aligned).is_empty());
    // Counted by characters, as clap does without its `unicode` feature.
    let shifted = "参数：\n  <户号或卡号>  户号或卡号\n  [得分]    得分\n";
    assert_eq!(misaligned_help_rows(shifted).len(), 1);
}

#[test]
fn every_chinese_help_screen_aligns_its_descriptions_in_display_columns() {
    fn walk(cmd: &mut clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        out.push((format!("{path} -h"), cmd.render_help().to_string()));
        out.push((format!("{path} --help"), cmd.render_long_help().to_string()));
        let subs: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in subs {
            if let Some(sub) = cmd.find_subcommand_mut(&name) {
                walk(sub, &format!("{path} {name}"), out);
            }
        }
    }
    let mut cmd = aixin::cli::help::command(Lang::Zh);
    let mut screens = Vec::new();
    walk(&mut cmd, "aixin", &mut screens);
    // And as a manager sees them, through the binary.
    let tmp = tempfile::tempdir().expect("tempdir");
    for args in [
        &["help", "score", "enter"][..],
        &["score", "enter", "--help"],
        &["goods", "add", "--help"],
        &["help", "goods", "add"],
        &["help", "redeem"],
        &["help"],
    ] {
        let o = aixin(tmp.path(), T0, args);
        screens.push((
            format!("aixin {}", args.join(" ")),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ));
    }
    let mut wrong = Vec::new();
    let mut rows = 0;
    for (what, help) in &screens {
        rows += help.lines().filter(|l| l.starts_with("  ")).count();
        for row in misaligned_help_rows(help) {
            wrong.push(format!("{what}: {row}"));
        }
    }
    assert!(screens.len() > 80, "only {} help screens", screens.len());
    assert!(rows > 300, "only {rows} help rows");
    assert!(
        wrong.is_empty(),
        "descriptions out of their column:\n{}",
        wrong.join("\n")
    );
}

/// The day log and every report of the demo station in Chinese: lists joined with `、` (a trial found `东北大米5kg×1, 挂面1kg×2，共 40 积分` in the day log).
#[test]
fn the_demo_station_s_day_logs_and_reports_in_chinese() {
    let now = "2026-11-21T04:00:00Z";
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, now, &["init", "--demo"]);
    let mut texts = Vec::new();
    for day in 1..=21 {
        let date = format!("2026-11-{day:02}");
        texts.push(ok(dir, now, &["log", "--date", &date]));
    }
    // The demo's policy has no village budget, so there is no budget report to print.
    for report in [
        "day",
        "session",
        "board",
        "settlement",
        "stock",
        "donations",
    ] {
        texts.push(ok(dir, now, &["report", report]));
    }
    // A sale of several goods is in the logs, so the join is really checked.
    let several = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| l.contains("兑换：") && l.matches('×').count() > 1)
        .count();
    assert!(several > 0, "no sale of several goods in the demo's logs");
    sweep_commas("demo", &texts);
}
