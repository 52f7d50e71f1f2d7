//! The statistics of a small shop across a year end: awards confirmed after the year turned,
//! a sale voided in the next year, a stocktake loss, a revoked and a pending award, each
//! figure checked exactly.

use super::*;
use crate::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use crate::domain::{Command, HouseholdRef};
use crate::store::Ledger;

/// 10:00 China time on a date.
fn at(year: i32, month: u32, day: u32) -> i64 {
    CivilDate { year, month, day }.utc_range_ms().0 + 10 * 3600 * 1000
}

fn date(year: i32, month: u32, day: u32) -> CivilDate {
    CivilDate { year, month, day }
}

fn run(ledger: &mut Ledger, now_ms: i64, command: Command) -> u64 {
    let events = ledger
        .execute("管理员", now_ms, &command)
        .unwrap_or_else(|e| panic!("{command:?}: {}", e.message(Lang::En)));
    events.last().map(|e| e.seq).unwrap_or(0)
}

fn goods(id: &str, name: &str, price_points: i64) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: name.into(),
            unit: "袋".into(),
            barcode: String::new(),
            price_points,
            zone: Zone::Points(u32::try_from(price_points).unwrap_or(2)),
            category: "日用".into(),
            supplier: String::new(),
        },
    }
}

fn household(id: &str, head: &str) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: id.into(),
            card_no: format!("C{id}"),
            head: head.into(),
            members: vec![],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    }
}

fn score(id: &str, period: &str, points: i64) -> Command {
    Command::EnterScore {
        household_id: id.into(),
        period: period.into(),
        score: points,
        note: String::new(),
    }
}

fn redeem(id: &str, goods_id: &str, quantity: i64) -> Command {
    Command::Redeem {
        household: HouseholdRef::Id(id.into()),
        lines: vec![(goods_id.into(), quantity)],
        proxy: None,
    }
}

fn receive(goods_id: &str, quantity: i64) -> Command {
    Command::ReceiveStock {
        goods_id: goods_id.into(),
        quantity,
        source: StockSource::Purchase {
            fund: "专项资金".into(),
            cost_fen: quantity * 500,
        },
    }
}

/// A village on the direct-points policy (250 points a month for its population): November
/// scores confirmed in November; December scores entered on the 31st, one confirmed in January
/// and one revoked; a January score still in publicity; December sales, one voided on
/// 2 January; a stocktake loss on 20 December; a sale on 10 January.
fn shop(policy_stem: &str) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut ledger =
        Ledger::create(&dir.path().join("ledger.redb")).unwrap_or_else(|e| panic!("{e}"));
    let policy = crate::policies::builtin(policy_stem)
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("{policy_stem}"));
    let start = at(2026, 11, 20);
    run(
        &mut ledger,
        start,
        Command::Init {
            station_id: "lijia".into(),
            name: "李家村爱心超市".into(),
            role: StationRole::Village,
            policy,
        },
    );
    for command in [
        household("H1", "张三"),
        household("H2", "李四"),
        goods("G1", "东北大米", 10),
        goods("G2", "大豆油", 5),
        goods("G3", "食盐", 2),
        receive("G1", 20),
        receive("G2", 10),
        receive("G3", 5),
    ] {
        run(&mut ledger, start, command);
    }
    (dir, ledger)
}

fn fill_direct_points(ledger: &mut Ledger) {
    let h1_november = run(ledger, at(2026, 11, 20), score("H1", "2026-11", 20));
    let h2_november = run(ledger, at(2026, 11, 20), score("H2", "2026-11", 15));
    for award_seq in [h1_november, h2_november] {
        run(
            ledger,
            at(2026, 11, 28),
            Command::ConfirmAward { award_seq },
        );
    }
    run(ledger, at(2026, 12, 5), redeem("H1", "G1", 2));
    let oil = run(ledger, at(2026, 12, 6), redeem("H2", "G2", 1));
    run(ledger, at(2026, 12, 10), redeem("H2", "G3", 1));
    run(
        ledger,
        at(2026, 12, 20),
        Command::AdjustStock {
            goods_id: "G3".into(),
            delta: -1,
            reason: "受潮".into(),
        },
    );
    let h1_december = run(ledger, at(2026, 12, 31), score("H1", "2026-12", 20));
    let h2_december = run(ledger, at(2026, 12, 31), score("H2", "2026-12", 10));
    run(
        ledger,
        at(2027, 1, 2),
        Command::RevokeAward {
            award_seq: h2_december,
            reason: "异议成立".into(),
        },
    );
    run(
        ledger,
        at(2027, 1, 2),
        Command::VoidSale {
            sale_seq: oil,
            reason: "拿错了".into(),
        },
    );
    run(
        ledger,
        at(2027, 1, 8),
        Command::ConfirmAward {
            award_seq: h1_december,
        },
    );
    run(ledger, at(2027, 1, 9), score("H2", "2027-01", 12));
    run(ledger, at(2027, 1, 10), redeem("H1", "G1", 1));
}

fn report(ledger: &Ledger, year: i32, today: CivilDate) -> StatsReport {
    let view = ledger.view().unwrap_or_else(|e| panic!("{e}"));
    stats_report(&view, year, today).unwrap_or_else(|e| panic!("{}", e.message(Lang::En)))
}

fn month<'a>(report: &'a StatsReport, key: &str) -> &'a MonthPoints {
    report
        .months
        .iter()
        .find(|m| m.month == key)
        .unwrap_or_else(|| panic!("no month {key}"))
}

#[test]
fn awards_count_in_their_period_month_and_voided_sales_nowhere() {
    let (_dir, mut ledger) = shop("direct-points");
    fill_direct_points(&mut ledger);
    let today = date(2027, 1, 12);
    let year = report(&ledger, 2026, today);
    assert_eq!(year.months.len(), 12);
    assert_eq!(year.months[0].month, "2026-01");
    let november = month(&year, "2026-11");
    assert_eq!((november.awarded_points, november.spent_points), (35, 0));
    // H1's December score, confirmed on 8 January, is December's; H2's was revoked. The oil
    // voided on 2 January is not December's spending: 20 (rice) + 2 (salt).
    let december = month(&year, "2026-12");
    assert_eq!((december.awarded_points, december.spent_points), (20, 22));
    assert_eq!(year.totals(), (55, 22));
    assert!(year
        .months
        .iter()
        .filter(|m| m.month.as_str() < "2026-11")
        .all(|m| m.awarded_points == 0 && m.spent_points == 0));

    // The next year: January's rice is spent there; the pending January award is not awarded.
    let next = report(&ledger, 2027, today);
    let january = month(&next, "2027-01");
    assert_eq!((january.awarded_points, january.spent_points), (0, 10));
    assert_eq!(next.totals(), (0, 10));
}

#[test]
fn fast_moving_stock_is_rebuilt_week_by_week() {
    let (_dir, mut ledger) = shop("direct-points");
    fill_direct_points(&mut ledger);
    let stats = report(&ledger, 2026, date(2027, 1, 12));
    let ends: Vec<&str> = stats.weeks.iter().map(|w| w.last_date.as_str()).collect();
    assert_eq!(
        ends,
        vec![
            "2026-11-24",
            "2026-12-01",
            "2026-12-08",
            "2026-12-15",
            "2026-12-22",
            "2026-12-29",
            "2027-01-05",
            "2027-01-12"
        ]
    );
    assert_eq!(stats.weeks[0].first_date, "2026-11-18");
    assert_eq!(stats.weeks[7].first_date, "2027-01-06");
    // Rice sold 3, salt 1; the oil's only sale was voided, so it is not fast-moving.
    let ids: Vec<(&str, i64)> = stats
        .fast_moving
        .iter()
        .map(|i| (i.goods_id.as_str(), i.sold_units))
        .collect();
    assert_eq!(ids, vec![("G1", 3), ("G3", 1)]);
    assert_eq!(
        stats.fast_moving[0].stock_units,
        vec![20, 20, 18, 18, 18, 18, 18, 17]
    );
    // Salt: 5, one sold on 10 December, one lost at the stocktake of 20 December.
    assert_eq!(
        stats.fast_moving[1].stock_units,
        vec![5, 5, 5, 4, 3, 3, 3, 3]
    );
    assert_eq!(stats.fast_moving[1].name, "食盐");
}

#[test]
fn a_void_puts_stock_back_in_the_week_it_was_voided() {
    let (_dir, mut ledger) = shop("direct-points");
    fill_direct_points(&mut ledger);
    // Two more oil sales make the oil fast-moving; its voided sale came back on 2 January.
    run(&mut ledger, at(2027, 1, 11), redeem("H1", "G2", 1));
    run(&mut ledger, at(2027, 1, 11), redeem("H1", "G2", 1));
    let stats = report(&ledger, 2027, date(2027, 1, 12));
    let oil = stats
        .fast_moving
        .iter()
        .find(|i| i.goods_id == "G2")
        .unwrap_or_else(|| panic!("oil is fast-moving: {stats:?}"));
    assert_eq!(oil.sold_units, 2);
    assert_eq!(oil.stock_units, vec![10, 10, 9, 9, 9, 9, 10, 8]);
}

#[test]
fn the_budget_is_the_domains_per_month() {
    let (_dir, mut ledger) = shop("direct-points");
    fill_direct_points(&mut ledger);
    let stats = report(&ledger, 2026, date(2027, 1, 12));
    let budget = stats.budget.clone().unwrap_or_else(|| panic!("a budget"));
    assert_eq!(budget.span, BudgetSpan::Month);
    assert_eq!(budget.rows.len(), 12);
    let row = |key: &str| {
        budget
            .rows
            .iter()
            .find(|r| r.key == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key}"))
    };
    assert_eq!(
        (row("2026-11").limit_points, row("2026-11").used_points),
        (250, 35)
    );
    // The revoked award gave its points back to the budget.
    assert_eq!(row("2026-12").used_points, 20);
    assert_eq!(row("2026-01").used_points, 0);
    assert!(!row("2026-12").over());
    // A pending award counts against its month's budget: the score-entry rule's figure.
    let next = report(&ledger, 2027, date(2027, 1, 12));
    let january = next.budget.map(|b| b.rows[0].clone());
    assert_eq!(
        january.map(|r| (r.key, r.used_points)),
        Some(("2027-01".to_string(), 12))
    );
}

#[test]
fn a_quarterly_policy_budgets_by_quarter_and_a_policy_without_budget_says_none() {
    let (_dir, ledger) = shop("threshold-score");
    let stats = report(&ledger, 2026, date(2026, 11, 21));
    assert_eq!(stats.budget, None);
    assert!(stats.fast_moving.is_empty());
    let text = stats.to_text(Lang::Zh);
    assert!(text.contains("没有村级积分预算"), "{text}");
    assert!(text.contains("近 8 周没有兑换"), "{text}");

    let (_dir, mut ledger) = shop("direct-points");
    let mut policy = crate::policies::builtin("direct-points")
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("policy"));
    policy.period = PeriodKind::Quarter;
    run(&mut ledger, at(2026, 11, 20), Command::SetPolicy { policy });
    run(&mut ledger, at(2026, 11, 21), score("H1", "2026-Q4", 20));
    let stats = report(&ledger, 2026, date(2026, 11, 21));
    let budget = stats.budget.unwrap_or_else(|| panic!("a budget"));
    assert_eq!(budget.span, BudgetSpan::Quarter);
    let rows: Vec<(&str, i64, i64)> = budget
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.limit_points, r.used_points))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2026-Q1", 750, 0),
            ("2026-Q2", 750, 0),
            ("2026-Q3", 750, 0),
            ("2026-Q4", 750, 20)
        ]
    );
}

#[test]
fn the_text_has_every_month_and_week_in_either_language() {
    let (_dir, mut ledger) = shop("direct-points");
    fill_direct_points(&mut ledger);
    let stats = report(&ledger, 2026, date(2027, 1, 12));
    let zh = stats.to_text(Lang::Zh);
    assert!(zh.contains("2026 年积分发放与兑换"), "{zh}");
    assert!(zh.contains("2026-12"), "{zh}");
    assert!(zh.contains("01-12"), "{zh}");
    assert!(zh.contains("东北大米"), "{zh}");
    assert!(zh.contains("村级积分预算使用"), "{zh}");
    let en = stats.to_text(Lang::En);
    assert!(en.contains("Points awarded and spent in 2026"), "{en}");
    assert!(
        en.lines()
            .any(|l| l.starts_with("total") && l.contains("55") && l.contains("22")),
        "{en}"
    );
    assert_eq!(month_label("2026-03", Lang::Zh), "3月");
    assert_eq!(month_label("2026-12", Lang::En), "Dec");
    assert_eq!(month_label("junk", Lang::En), "junk");
}
