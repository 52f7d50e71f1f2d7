//! One test per shipped policy file in `data/policies/`, replaying the worked examples from
//! the seed documents through the real ledger: 81 → 5 yuan and 82 → 10 yuan, a 79 month earns
//! nothing; the 20-points monthly cap and the population budget table; ≥ 80 and top 60 % with
//! the first-5-days window; the daily cap of 5; balances cleared at year end; member-card
//! earning by spending.

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::DAY_MS;
use aixin::domain::time::{CivilDate, Moment};
use aixin::domain::{Command, HouseholdRef, Policy, Refusal};
use aixin::store::{Ledger, StoreError};

fn at(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.timestamp_millis())
        .expect("time")
}

fn policy_file(stem: &str) -> Policy {
    let path = format!("{}/data/policies/{stem}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("policy file");
    Policy::from_toml(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Shop {
    _dir: tempfile::TempDir,
    ledger: Ledger,
}

impl Shop {
    fn new(stem: &str, households: usize, now: i64) -> Shop {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ledger = Ledger::create(&dir.path().join("l.redb")).expect("create");
        let mut setup = vec![Command::Init {
            station_id: "V1".into(),
            name: "村".into(),
            role: StationRole::Village,
            policy: policy_file(stem),
        }];
        for i in 0..households {
            setup.push(Command::RegisterHousehold {
                household: Household {
                    household_id: format!("H{i:02}"),
                    card_no: format!("C{i:02}"),
                    head: format!("户{i}"),
                    members: vec![],
                    group: "一组".into(),
                    phone: String::new(),
                    registered_poor: false,
                },
            });
        }
        setup.push(Command::DefineGoods {
            goods: Goods {
                goods_id: "G5".into(),
                name: "洗衣粉".into(),
                unit: "袋".into(),
                barcode: String::new(),
                price_points: 5,
                zone: Zone::Points(5),
                category: String::new(),
                supplier: "供销社".into(),
            },
        });
        setup.push(Command::ReceiveStock {
            goods_id: "G5".into(),
            quantity: 1000,
            source: StockSource::Donation {
                donor: "县妇联".into(),
            },
        });
        ledger.execute_batch("t", now, &setup).expect("setup");
        Shop { _dir: dir, ledger }
    }

    fn score(
        &mut self,
        now: i64,
        household: usize,
        period: &str,
        score: i64,
    ) -> Result<(u64, i64), Refusal> {
        let command = Command::EnterScore {
            household_id: format!("H{household:02}"),
            period: period.into(),
            score,
            note: String::new(),
        };
        match self.ledger.execute("t", now, &command) {
            Ok(events) => match &events[0].body {
                aixin::domain::EventBody::ScoreEntered { points, .. } => {
                    Ok((events[0].seq, *points))
                }
                other => panic!("unexpected {other:?}"),
            },
            Err(StoreError::Refused(r)) => Err(r),
            Err(e) => panic!("storage: {e}"),
        }
    }

    fn confirm_all(&mut self, now: i64) {
        let pending = self
            .ledger
            .view()
            .expect("view")
            .state()
            .pending_awards()
            .expect("pending");
        let commands: Vec<Command> = pending
            .iter()
            .map(|a| Command::ConfirmAward { award_seq: a.seq })
            .collect();
        self.ledger
            .execute_batch("t", now, &commands)
            .expect("confirm");
    }

    fn balance(&self, household: usize) -> i64 {
        self.ledger
            .view()
            .expect("view")
            .state()
            .household(&format!("H{household:02}"))
            .expect("read")
            .expect("exists")
            .balance_points
    }

    fn redeem(&mut self, now: i64, household: usize, quantity: i64) -> Result<(), Refusal> {
        let command = Command::Redeem {
            household: HouseholdRef::Card(format!("C{household:02}")),
            lines: vec![("G5".into(), quantity)],
            proxy: None,
        };
        match self.ledger.execute("t", now, &command) {
            Ok(_) => Ok(()),
            Err(StoreError::Refused(r)) => Err(r),
            Err(e) => panic!("storage: {e}"),
        }
    }
}

#[test]
fn threshold_score_81_is_5_yuan_82_is_10_and_79_earns_nothing() {
    let t = at("2026-10-02T02:00:00Z");
    let mut shop = Shop::new("threshold-score", 3, t);
    assert_eq!(shop.score(t, 0, "2026-09", 81).map(|r| r.1), Ok(5));
    assert_eq!(shop.score(t, 1, "2026-09", 82).map(|r| r.1), Ok(10));
    assert_eq!(shop.score(t, 2, "2026-09", 79).map(|r| r.1), Ok(0));
    // Publicity: 7 days before it counts.
    shop.confirm_all(t + 8 * DAY_MS);
    assert_eq!(
        (shop.balance(0), shop.balance(1), shop.balance(2)),
        (5, 10, 0)
    );
    // Credit accumulates across months…
    let t2 = at("2026-11-02T02:00:00Z");
    shop.score(t2, 0, "2026-10", 90).expect("october");
    shop.confirm_all(t2 + 8 * DAY_MS);
    assert_eq!(shop.balance(0), 55);
    // …and is cleared at year end (一年一清): the shop was closed over a month, so the manager
    // confirms the date the till shows.
    let new_year = at("2027-01-02T02:00:00Z");
    let moment = Moment::confirmed(new_year, CivilDate::from_utc_ms(new_year));
    let cleared = shop
        .ledger
        .execute_at("t", &moment, &Command::ClearYear { year: 2026 })
        .expect("clear");
    assert_eq!(cleared.len(), 2, "the date confirmed, then the clearing");
    assert_eq!((shop.balance(0), shop.balance(1)), (0, 0));
}

#[test]
fn direct_points_monthly_cap_of_20_and_population_budget() {
    let policy = policy_file("direct-points");
    assert_eq!(
        policy.monthly_budget(),
        Some(250),
        "a village of 2,800 people gets 250 points a month"
    );
    for (population, budget) in [
        (3000, 250),
        (3001, 500),
        (6000, 500),
        (9000, 750),
        (12000, 1000),
        (12001, 1500),
    ] {
        let mut p = policy.clone();
        if let Some(b) = p.budget.as_mut() {
            b.population = population;
        }
        assert_eq!(p.monthly_budget(), Some(budget), "population {population}");
    }
    let t = at("2026-10-10T02:00:00Z");
    let mut shop = Shop::new("direct-points", 14, t);
    shop.score(t, 0, "2026-10", 12).expect("12 points");
    assert!(matches!(
        shop.score(t, 0, "2026-10", 9),
        Err(Refusal::CapExceeded {
            cap: 20,
            already: 12,
            adding: 9,
            ..
        })
    ));
    shop.score(t, 0, "2026-10", 8).expect("up to 20");
    for h in 1..12 {
        shop.score(t, h, "2026-10", 20).expect("within budget");
    }
    // 12 × 20 = 240 awarded; another 20 would make 260 of a 250 budget; 10 fits exactly.
    assert!(matches!(
        shop.score(t, 12, "2026-10", 20),
        Err(Refusal::BudgetExceeded {
            budget: 250,
            used: 240,
            adding: 20,
            ..
        })
    ));
    shop.score(t, 12, "2026-10", 10)
        .expect("exactly the budget");
    assert!(matches!(
        shop.score(t, 13, "2026-10", 1),
        Err(Refusal::BudgetExceeded { .. })
    ));
    // The next month has a fresh budget.
    shop.score(at("2026-11-01T02:00:00Z"), 13, "2026-11", 20)
        .expect("new month");
    // 1 point = 1 yuan of goods, spent directly.
    let later = at("2026-11-12T02:00:00Z");
    shop.confirm_all(later);
    assert_eq!(shop.balance(0), 20);
    shop.redeem(later, 0, 4).expect("4 × 5 points");
    assert_eq!(shop.balance(0), 0);
    assert!(matches!(
        shop.redeem(later, 0, 1),
        Err(Refusal::BalanceShort { .. })
    ));
}

#[test]
fn quarterly_ranked_needs_80_and_top_60_percent_in_the_first_5_days() {
    let t = at("2026-09-25T02:00:00Z");
    let mut shop = Shop::new("quarterly-ranked", 5, t);
    for (h, score) in [95, 90, 85, 82, 78].into_iter().enumerate() {
        shop.score(t, h, "2026-Q3", score).expect("score");
    }
    shop.confirm_all(t + 8 * DAY_MS - 3600 * 1000);
    // 78 is below 80: it earns nothing and does not accumulate.
    assert_eq!(shop.balance(4), 0);
    let window = at("2026-10-03T02:00:00Z");
    // 5 households → the top 3 (95, 90, 85) may redeem; 82 ranks 4th.
    shop.redeem(window, 0, 1).expect("rank 1");
    shop.redeem(window, 2, 1).expect("rank 3");
    assert!(matches!(
        shop.redeem(window, 3, 1),
        Err(Refusal::NotEligible {
            score: Some(82),
            ..
        })
    ));
    assert!(matches!(
        shop.redeem(window, 4, 1),
        Err(Refusal::NotEligible { .. })
    ));
    // The window is the first 5 days of the quarter's first month.
    assert!(matches!(
        shop.redeem(at("2026-10-06T02:00:00Z"), 0, 1),
        Err(Refusal::OutsideWindow)
    ));
}

#[test]
fn daily_action_points_are_capped_at_5_a_day() {
    let t = at("2026-10-10T02:00:00Z");
    let mut shop = Shop::new("daily-action", 1, t);
    assert_eq!(shop.score(t, 0, "2026-10-10", 4).map(|r| r.1), Ok(4));
    assert!(matches!(
        shop.score(t, 0, "2026-10-10", 2),
        Err(Refusal::CapExceeded {
            cap: 5,
            already: 4,
            adding: 2,
            ..
        })
    ));
    assert_eq!(shop.score(t, 0, "2026-10-10", 1).map(|r| r.1), Ok(1));
    assert!(
        matches!(
            shop.score(t, 0, "2026-10-10", 5),
            Err(Refusal::ScoreOutOfRange { .. })
        ),
        "criteria give 1, 2 or 4"
    );
    // A new day, a new cap; no publicity for daily points.
    let next = t + DAY_MS;
    assert_eq!(shop.score(next, 0, "2026-10-11", 4).map(|r| r.1), Ok(4));
    shop.confirm_all(next);
    assert_eq!(shop.balance(0), 9);
    assert!(matches!(
        shop.score(next, 0, "2026-10-12", 1),
        Err(Refusal::PeriodInFuture(_))
    ));
}

#[test]
fn member_card_earns_a_point_per_yuan_and_tiers_multiply() {
    let policy = policy_file("member-card");
    assert_eq!(policy.points_for_purchase(5_000, "普通卡"), 50);
    assert_eq!(policy.points_for_purchase(5_000, "金卡"), 100);
    assert_eq!(
        policy.points_for_purchase(5_099, "银卡"),
        75,
        "whole yuan only"
    );
    let t = at("2026-10-10T02:00:00Z");
    let mut shop = Shop::new("member-card", 1, t);
    shop.score(t, 0, "2026-10", 30)
        .expect("points entered by the committee");
    shop.confirm_all(t);
    shop.redeem(t, 0, 6).expect("30 points of goods");
    assert_eq!(shop.balance(0), 0);
}

#[test]
fn every_policy_file_in_the_folder_is_tested_here() {
    let dir = format!("{}/data/policies", env!("CARGO_MANIFEST_DIR"));
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .expect("policies dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    stems.sort();
    assert_eq!(
        stems,
        [
            "daily-action",
            "direct-points",
            "member-card",
            "quarterly-ranked",
            "threshold-score"
        ]
    );
}
