//! `aixin report stats` on the real binary: a month's award confirmed after the month, a sale
//! and a voided sale, the village budget of the direct-points policy, as text and as JSON; a
//! year out of range is refused. The till's statistics screen (Ctrl-Z) on the same data dir
//! shows the figures the command line prints, with its snapshots at 80×24 in both languages.

mod common;

use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::{Access, App, Clock, KeyPress, Keymap};
use common::cli::*;
use common::till::{draw, text};

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
    assert!(
        en.contains("Points awarded and spent in 2025"),
        "a full-width year is read as typed: {en}"
    );
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
    assert!(
        stderr.contains("2000 到 2100"),
        "names the way out: {stderr}"
    );
    assert_eq!(head(d), before);
    let out = aixin(
        d,
        "2026-10-12T02:00:00Z",
        &["report", "stats", "--year", "二〇二五"],
    );
    assert_eq!(out.status.code(), Some(2), "not a number");
    assert_eq!(head(d), before);
}

/// 2026-10-12T10:00 China time, in UTC ms (the `now` of the statistics below).
const NOW_MS: i64 = 1_791_770_400_000;
const NOW: &str = "2026-10-12T02:00:00Z";

/// The shop with October's score entered (pending, counted against October's budget).
fn shop_with_october(dir: &std::path::Path) {
    shop(dir);
    ok(
        dir,
        "2026-10-11T02:00:00Z",
        &["score", "enter", "H1", "2026-10", "15"],
    );
}

/// The till on `dir`'s ledger at [`NOW_MS`], with its statistics screen open.
fn stats_screen(dir: &std::path::Path, lang: Lang) -> String {
    let ledger = Ledger::open(&aixin::config::ledger_path(dir)).expect("open the ledger");
    let keymap = Keymap::builtin().expect("shipped keymap");
    let mut app = App::new(
        ledger,
        lang,
        "管理员",
        Access::Till,
        dir.join("receipts"),
        keymap,
        Clock::Fixed(NOW_MS),
    )
    .expect("app");
    app.press(KeyPress::ctrl('z'));
    text(draw(&app, 80, 24).backend().buffer())
}

/// The row of `text` that contains `needle`.
fn row_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}:\n{text}"))
}

/// The numbers of a row, in order.
fn numbers(row: &str) -> Vec<i64> {
    row.split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect()
}

fn int(value: &serde_json::Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("an integer, not {value}"))
}

/// The till's screen and `aixin report stats --json` on the same ledger at the same moment
/// show the same figures: the year's totals, each fast-moving item's stock now, this month's
/// budget use and limit. The till is closed before the command line opens the ledger.
#[test]
fn the_till_screen_shows_the_figures_the_command_line_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    shop_with_october(d);
    for lang in [Lang::Zh, Lang::En] {
        let shown = stats_screen(d, lang);
        let v = json(d, NOW, &["report", "stats"]);
        let months = v["months"].as_array().cloned().unwrap_or_default();
        let awarded: i64 = months.iter().map(|m| int(&m["awarded_points"])).sum();
        let spent: i64 = months.iter().map(|m| int(&m["spent_points"])).sum();
        assert_eq!((awarded, spent), (20, 10), "{v}");
        let legend = row_with(&shown, "■");
        assert_eq!(numbers(legend), vec![awarded, spent], "{legend}");

        let items = v["fast_moving"].as_array().cloned().unwrap_or_default();
        assert!(!items.is_empty(), "{v}");
        for item in &items {
            let name = item["name"].as_str().unwrap_or_default();
            let stock_now = item["stock_units"]
                .as_array()
                .and_then(|weeks| weeks.last())
                .map(int);
            assert_eq!(stock_now, Some(8));
            let row = row_with(&shown, name);
            assert_eq!(numbers(row).last().copied(), stock_now, "{row}");
        }

        let october = &v["budget"]["rows"][9];
        assert_eq!(october["key"], "2026-10");
        let (used, limit) = (int(&october["used_points"]), int(&october["limit_points"]));
        assert_eq!(
            (used, limit),
            (15, 250),
            "the pending score counts against October"
        );
        let summary = row_with(
            &shown,
            if lang == Lang::Zh {
                "本月已发"
            } else {
                "this month"
            },
        );
        assert!(summary.contains(&format!("{used}/{limit}")), "{summary}");
        let top = v["budget"]["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| int(&r["limit_points"]).max(int(&r["used_points"])))
            .max();
        assert!(
            top.is_some_and(|top| summary.contains(&top.to_string())),
            "the full bar is stated: {summary}"
        );
        let title = if lang == Lang::Zh {
            "每月上限 250 分"
        } else {
            "250 a month"
        };
        assert!(shown.contains(title), "{shown}");
    }
}

/// The statistics screen of a shop on a budgeted policy, in Chinese and English.
#[test]
fn the_statistics_screen_with_a_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    shop_with_october(d);
    for (lang, name) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        insta::assert_snapshot!(format!("statistics_budget_{name}"), stats_screen(d, lang));
    }
}
