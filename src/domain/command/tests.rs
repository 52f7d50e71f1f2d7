//! Unit tests of every rule and refusal of [`super::decide`], run purely over a
//! [`MemoryState`]: no files, no clock.

use super::*;
use crate::domain::apply;
use crate::domain::event::Event;
use crate::domain::state::MemoryState;
use crate::i18n::Lang;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// 2026-10-10T02:00:00Z (10:00 in China).
const T: i64 = 1_791_597_600_000;

fn policy(stem: &str) -> Policy {
    match crate::policies::builtin(stem) {
        Some(Ok(p)) => p,
        _ => panic!("policy {stem}"),
    }
}

struct World {
    state: MemoryState,
    seq: u64,
}

impl World {
    fn new(stem: &str) -> World {
        let mut w = World {
            state: MemoryState::default(),
            seq: 0,
        };
        w.ok(
            T,
            Command::Init {
                station_id: "V1".into(),
                name: "村".into(),
                role: StationRole::Village,
                policy: policy(stem),
            },
        );
        w.ok(T, household("H1", "C1"));
        w.ok(T, household("H2", "C2"));
        w.ok(T, goods("G1", 5, Zone::Points(5), "690001"));
        w.ok(T, goods("D1", 2, Zone::Donation, ""));
        w.ok(
            T,
            Command::ReceiveStock {
                goods_id: "G1".into(),
                quantity: 10,
                source: StockSource::Donation {
                    donor: "乡贤".into(),
                },
            },
        );
        w.ok(
            T,
            Command::ReceiveStock {
                goods_id: "D1".into(),
                quantity: 10,
                source: StockSource::Donation {
                    donor: "乡贤".into(),
                },
            },
        );
        w
    }

    fn run(&mut self, now: i64, command: Command) -> Result<Vec<u64>, Refusal> {
        let bodies = match decide(&self.state, &command, now) {
            Ok(b) => b,
            Err(DecideError::Refused(r)) => return Err(r),
            Err(DecideError::Fault(f)) => panic!("fault {f}"),
        };
        let mut seqs = Vec::new();
        for body in bodies {
            self.seq += 1;
            let event = Event {
                station_id: "V1".into(),
                seq: self.seq,
                operator: "t".into(),
                time_ms: now,
                prev_hash: [0; 32],
                body,
            };
            apply(&mut self.state, &event, &[self.seq as u8; 32]).unwrap_or_else(|f| panic!("{f}"));
            seqs.push(self.seq);
        }
        Ok(seqs)
    }

    fn ok(&mut self, now: i64, command: Command) -> u64 {
        match self.run(now, command.clone()) {
            Ok(seqs) => seqs.last().copied().unwrap_or(0),
            Err(r) => panic!("{command:?} refused: {r:?}"),
        }
    }

    fn refused(&mut self, now: i64, command: Command) -> Refusal {
        let before = self.state.clone();
        match self.run(now, command.clone()) {
            Ok(_) => panic!("{command:?} was accepted"),
            Err(r) => {
                assert_eq!(self.state, before, "a refusal must not change the state");
                r
            }
        }
    }

    /// H1 gets 50 confirmed points (threshold policy: 90 → 50).
    fn fund(&mut self) -> i64 {
        let seq = self.ok(T, score("H1", "2026-09", 90));
        let later = T + 8 * DAY_MS;
        self.ok(later, Command::ConfirmAward { award_seq: seq });
        later
    }
}

fn household(id: &str, card: &str) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: id.into(),
            card_no: card.into(),
            head: "张三".into(),
            members: vec!["李梅".into()],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    }
}

fn goods(id: &str, price: i64, zone: Zone, barcode: &str) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: "物品".into(),
            unit: "个".into(),
            barcode: barcode.into(),
            price_points: price,
            zone,
            category: String::new(),
            supplier: String::new(),
        },
    }
}

fn score(id: &str, period: &str, score: i64) -> Command {
    Command::EnterScore {
        household_id: id.into(),
        period: period.into(),
        score,
        note: String::new(),
    }
}

fn redeem(card: &str, lines: &[(&str, i64)]) -> Command {
    Command::Redeem {
        household: HouseholdRef::Card(card.into()),
        lines: lines.iter().map(|(g, q)| (g.to_string(), *q)).collect(),
        proxy: None,
    }
}

#[test]
fn station_setup_refusals() {
    let mut empty = World {
        state: MemoryState::default(),
        seq: 0,
    };
    assert_eq!(
        empty.refused(T, household("H1", "C1")),
        Refusal::NotInitialized
    );
    let bad = Command::Init {
        station_id: " ".into(),
        name: "x".into(),
        role: StationRole::Village,
        policy: policy("direct-points"),
    };
    assert_eq!(empty.refused(T, bad), Refusal::EmptyField("station id"));
    let mut broken = policy("direct-points");
    broken.point_value_fen = 0;
    let bad = Command::Init {
        station_id: "V1".into(),
        name: "x".into(),
        role: StationRole::Village,
        policy: broken.clone(),
    };
    assert!(matches!(empty.refused(T, bad), Refusal::BadPolicy(_)));
    let mut w = World::new("threshold-score");
    let again = Command::Init {
        station_id: "V1".into(),
        name: "x".into(),
        role: StationRole::Village,
        policy: policy("direct-points"),
    };
    assert_eq!(w.refused(T, again), Refusal::AlreadyInitialized);
    assert!(matches!(
        w.refused(T, Command::SetPolicy { policy: broken }),
        Refusal::BadPolicy(_)
    ));
    w.ok(
        T,
        Command::SetPolicy {
            policy: policy("direct-points"),
        },
    );
}

#[test]
fn household_refusals_and_card_reissue() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T, household("H1", "C9")),
        Refusal::HouseholdExists("H1".into())
    );
    assert_eq!(
        w.refused(T, household("H9", "C1")),
        Refusal::CardInUse("C1".into())
    );
    assert_eq!(
        w.refused(T, household("H9", "")),
        Refusal::EmptyField("card number")
    );
    let long: String = "长".repeat(TEXT_CHARS_MAX + 1);
    assert_eq!(
        w.refused(T, household(&long, "C9")),
        Refusal::TooLong("household id")
    );
    assert_eq!(
        w.refused(T, household("H\n9", "C9")),
        Refusal::TooLong("household id")
    );
    let reissue = |card: &str| Command::ReissueCard {
        household_id: "H1".into(),
        new_card_no: card.into(),
    };
    assert_eq!(w.refused(T, reissue("C2")), Refusal::CardInUse("C2".into()));
    assert_eq!(
        w.refused(
            T,
            Command::ReissueCard {
                household_id: "H9".into(),
                new_card_no: "C9".into()
            }
        ),
        Refusal::UnknownHousehold("H9".into())
    );
    w.ok(T, reissue("C1B"));
    let record = w
        .state
        .households
        .get("H1")
        .cloned()
        .unwrap_or_else(|| panic!("H1"));
    assert_eq!(record.household.card_no, "C1B");
    assert_eq!(record.old_cards, vec!["C1".to_string()]);
    let later = w.fund();
    assert_eq!(
        w.refused(later, redeem("C1", &[("G1", 1)])),
        Refusal::CardVoided {
            card_no: "C1".into(),
            household_id: "H1".into()
        }
    );
    assert_eq!(
        w.refused(later, redeem("C404", &[("G1", 1)])),
        Refusal::UnknownCard("C404".into())
    );
    w.ok(later, redeem("C1B", &[("G1", 1)]));
}

#[test]
fn catalog_and_stock_refusals() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T, goods("G2", 0, Zone::Points(5), "")),
        Refusal::PriceNotPositive
    );
    assert_eq!(
        w.refused(T, goods("G2", 5, Zone::Points(7), "")),
        Refusal::UnknownZone(7)
    );
    assert_eq!(
        w.refused(T, goods("G2", 5, Zone::Points(5), "690001")),
        Refusal::BarcodeInUse {
            barcode: "690001".into(),
            goods_id: "G1".into()
        }
    );
    // Changing an item keeps its stock and moves its barcode.
    w.ok(T, goods("G1", 10, Zone::Points(10), "690002"));
    assert_eq!(w.state.goods.get("G1").map(|g| g.stock_units), Some(10));
    assert!(!w.state.barcodes.contains_key("690001"));
    let receive = |g: &str, q: i64| Command::ReceiveStock {
        goods_id: g.into(),
        quantity: q,
        source: StockSource::Purchase {
            fund: "专项".into(),
            cost_fen: 100,
        },
    };
    assert_eq!(w.refused(T, receive("G1", 0)), Refusal::QuantityNotPositive);
    assert_eq!(
        w.refused(T, receive("G1", -3)),
        Refusal::QuantityNotPositive
    );
    assert_eq!(
        w.refused(T, receive("G1", QUANTITY_MAX + 1)),
        Refusal::QuantityNotPositive
    );
    assert_eq!(
        w.refused(T, receive("G9", 1)),
        Refusal::UnknownGoods("G9".into())
    );
    let donation = Command::ReceiveStock {
        goods_id: "G1".into(),
        quantity: 1,
        source: StockSource::Donation { donor: "".into() },
    };
    assert_eq!(w.refused(T, donation), Refusal::EmptyField("donor"));
    let adjust = |d: i64, reason: &str| Command::AdjustStock {
        goods_id: "G1".into(),
        delta: d,
        reason: reason.into(),
    };
    assert_eq!(w.refused(T, adjust(0, "盘点")), Refusal::AdjustmentZero);
    assert_eq!(w.refused(T, adjust(-1, "")), Refusal::EmptyField("reason"));
    assert_eq!(
        w.refused(T, adjust(-11, "盘亏")),
        Refusal::StockShort {
            goods_id: "G1".into(),
            stock_units: 10,
            wanted: 11
        }
    );
    w.ok(T, adjust(-10, "盘亏"));
    assert_eq!(w.state.goods.get("G1").map(|g| g.stock_units), Some(0));
}

#[test]
fn score_and_award_rules() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T, score("H1", "2026-9", 85)),
        Refusal::BadPeriod("2026-9".into())
    );
    assert_eq!(
        w.refused(T, score("H1", "2026-11", 85)),
        Refusal::PeriodInFuture("2026-11".into())
    );
    assert_eq!(
        w.refused(T, score("H1", "2026-09", 101)),
        Refusal::ScoreOutOfRange {
            score: 101,
            min: 0,
            max: 100
        }
    );
    assert_eq!(
        w.refused(T, score("H9", "2026-09", 85)),
        Refusal::UnknownHousehold("H9".into())
    );
    let seq = w.ok(T, score("H1", "2026-09", 85));
    assert_eq!(
        w.refused(T, score("H1", "2026-09", 86)),
        Refusal::AlreadyScored {
            period: "2026-09".into()
        }
    );
    assert_eq!(
        w.state.households.get("H1").map(|h| h.pending_points),
        Some(25)
    );
    let until_ms = T + 7 * DAY_MS;
    assert_eq!(
        w.refused(T + DAY_MS, Command::ConfirmAward { award_seq: seq }),
        Refusal::PublicityNotOver { until_ms }
    );
    assert_eq!(
        w.refused(T, Command::ConfirmAward { award_seq: 999 }),
        Refusal::UnknownAward(999)
    );
    assert_eq!(
        w.refused(
            T,
            Command::RevokeAward {
                award_seq: seq,
                reason: " ".into()
            }
        ),
        Refusal::EmptyField("reason")
    );
    w.ok(until_ms, Command::ConfirmAward { award_seq: seq });
    assert_eq!(
        w.refused(until_ms, Command::ConfirmAward { award_seq: seq }),
        Refusal::AwardNotPending(seq)
    );
    assert_eq!(
        w.refused(
            until_ms,
            Command::RevokeAward {
                award_seq: seq,
                reason: "异议".into()
            }
        ),
        Refusal::AwardNotPending(seq)
    );
    // A revoked score frees the period for a corrected one.
    let seq2 = w.ok(until_ms, score("H2", "2026-09", 95));
    w.ok(
        until_ms,
        Command::RevokeAward {
            award_seq: seq2,
            reason: "核实有误".into(),
        },
    );
    assert_eq!(
        w.state
            .households
            .get("H2")
            .map(|h| (h.pending_points, h.balance_points)),
        Some((0, 0))
    );
    w.ok(until_ms, score("H2", "2026-09", 88));
}

#[test]
fn cap_and_budget_rules() {
    let mut w = World::new("direct-points");
    w.ok(T, score("H1", "2026-10", 15));
    assert_eq!(
        w.refused(T, score("H1", "2026-10", 6)),
        Refusal::CapExceeded {
            period: "2026-10".into(),
            cap: 20,
            already: 15,
            adding: 6
        }
    );
    assert_eq!(
        w.refused(T, score("H1", "2026-10", 21)),
        Refusal::ScoreOutOfRange {
            score: 21,
            min: 0,
            max: 20
        }
    );
    for i in 3..15 {
        w.ok(T, household(&format!("H{i}"), &format!("C{i}")));
    }
    for i in 3..14 {
        w.ok(T, score(&format!("H{i}"), "2026-10", 20));
    }
    // 15 + 11 × 20 = 235 of 250.
    assert_eq!(
        w.refused(T, score("H14", "2026-10", 16)),
        Refusal::BudgetExceeded {
            budget_key: "2026-10".into(),
            budget: 250,
            used: 235,
            adding: 16
        }
    );
    w.ok(T, score("H14", "2026-10", 15));
}

#[test]
fn redemption_rules() {
    let mut w = World::new("threshold-score");
    let later = w.fund();
    assert_eq!(w.refused(later, redeem("C1", &[])), Refusal::EmptyCart);
    let many: Vec<(String, i64)> = (0..=CART_LINES_MAX).map(|i| (format!("G{i}"), 1)).collect();
    let too_many = Command::Redeem {
        household: HouseholdRef::Card("C1".into()),
        lines: many,
        proxy: None,
    };
    assert_eq!(w.refused(later, too_many), Refusal::CartTooLarge);
    assert_eq!(
        w.refused(later, redeem("C1", &[("G1", 0)])),
        Refusal::QuantityNotPositive
    );
    assert_eq!(
        w.refused(later, redeem("C1", &[("G1", 1), ("G1", 1)])),
        Refusal::DuplicateLine("G1".into())
    );
    assert_eq!(
        w.refused(later, redeem("C1", &[("G9", 1)])),
        Refusal::UnknownGoods("G9".into())
    );
    assert_eq!(
        w.refused(later, redeem("C1", &[("G1", 11)])),
        Refusal::StockShort {
            goods_id: "G1".into(),
            stock_units: 10,
            wanted: 11
        }
    );
    assert_eq!(
        w.refused(later, redeem("C2", &[("G1", 1)])),
        Refusal::BalanceShort {
            balance_points: 0,
            wanted: 5
        }
    );
    assert_eq!(
        w.refused(later, redeem("C1", &[("D1", 1)])),
        Refusal::DonationZoneFirst
    );
    let proxy = Command::Redeem {
        household: HouseholdRef::Id("H1".into()),
        lines: vec![("G1".into(), 2), ("D1".into(), 1)],
        proxy: Some("帮扶干部".into()),
    };
    let sale = w.ok(later, proxy);
    let record = w
        .state
        .sales
        .get(&sale)
        .cloned()
        .unwrap_or_else(|| panic!("sale"));
    assert_eq!(
        (record.total_points, record.proxy.as_deref()),
        (12, Some("帮扶干部"))
    );
    assert_eq!(
        w.state.households.get("H1").map(|h| h.balance_points),
        Some(38)
    );
    assert_eq!(
        w.refused(
            later,
            Command::VoidSale {
                sale_seq: 999,
                reason: "x".into()
            }
        ),
        Refusal::UnknownSale(999)
    );
    w.ok(
        later,
        Command::VoidSale {
            sale_seq: sale,
            reason: "拿错".into(),
        },
    );
    assert_eq!(
        w.refused(
            later,
            Command::VoidSale {
                sale_seq: sale,
                reason: "拿错".into()
            }
        ),
        Refusal::AlreadyVoided(sale)
    );
    assert_eq!(
        w.state
            .households
            .get("H1")
            .map(|h| (h.balance_points, h.spent_points)),
        Some((50, 0))
    );
    assert_eq!(w.state.goods.get("G1").map(|g| g.stock_units), Some(10));
}

#[test]
fn window_and_eligibility_rules() {
    let t = 1_790_215_200_000; // 2026-09-24T02:00Z
    let mut w = World {
        state: MemoryState::default(),
        seq: 0,
    };
    w.ok(
        t,
        Command::Init {
            station_id: "V1".into(),
            name: "村".into(),
            role: StationRole::Village,
            policy: policy("quarterly-ranked"),
        },
    );
    for i in 1..=3 {
        w.ok(t, household(&format!("H{i}"), &format!("C{i}")));
    }
    w.ok(t, goods("G1", 5, Zone::Points(5), ""));
    w.ok(
        t,
        Command::ReceiveStock {
            goods_id: "G1".into(),
            quantity: 10,
            source: StockSource::Transfer { from: "镇".into() },
        },
    );
    let mut seqs = Vec::new();
    for (i, s) in [(1, 90), (2, 85), (3, 81)] {
        seqs.push(w.ok(t, score(&format!("H{i}"), "2026-Q3", s)));
    }
    for seq in seqs {
        w.ok(t + 7 * DAY_MS, Command::ConfirmAward { award_seq: seq });
    }
    let october_2 = t + 8 * DAY_MS;
    w.ok(october_2, redeem("C1", &[("G1", 1)]));
    assert_eq!(
        w.refused(october_2, redeem("C3", &[("G1", 1)])),
        Refusal::NotEligible {
            period: "2026-Q3".into(),
            score: Some(81)
        }
    );
    assert_eq!(
        w.refused(october_2 + 5 * DAY_MS, redeem("C1", &[("G1", 1)])),
        Refusal::OutsideWindow
    );
}

#[test]
fn year_and_day_rules() {
    let mut w = World::new("threshold-score");
    let later = w.fund();
    assert_eq!(
        w.refused(later, Command::ClearYear { year: 2026 }),
        Refusal::YearNotOver(2026)
    );
    w.ok(later, score("H2", "2026-10", 90));
    let new_year = 1_798_855_200_000; // 2027-01-02T02:00Z
    assert_eq!(
        w.refused(new_year, Command::ClearYear { year: 2026 }),
        Refusal::PendingAwards(1)
    );
    let pending = w
        .state
        .awards
        .values()
        .find(|a| a.household_id == "H2")
        .map(|a| a.seq)
        .unwrap_or(0);
    w.ok(new_year, Command::ConfirmAward { award_seq: pending });
    w.ok(new_year, Command::ClearYear { year: 2026 });
    assert!(w.state.households.values().all(|h| h.balance_points == 0));
    assert_eq!(
        w.state.households.get("H1").map(|h| h.cleared_points),
        Some(50)
    );
    assert_eq!(
        w.refused(new_year, Command::ClearYear { year: 2026 }),
        Refusal::YearAlreadyCleared(2026)
    );
    assert_eq!(
        w.refused(
            new_year,
            Command::CloseDay {
                date: "2027-01-03".into()
            }
        ),
        Refusal::DayInFuture("2027-01-03".into())
    );
    assert_eq!(
        w.refused(
            new_year,
            Command::CloseDay {
                date: "2027-1-2".into()
            }
        ),
        Refusal::BadPeriod("2027-1-2".into())
    );
    w.ok(
        new_year,
        Command::CloseDay {
            date: "2027-01-02".into(),
        },
    );
    assert_eq!(
        w.refused(
            new_year,
            Command::CloseDay {
                date: "2027-01-02".into()
            }
        ),
        Refusal::DayAlreadyClosed("2027-01-02".into())
    );
    let mut direct = World::new("direct-points");
    assert_eq!(
        direct.refused(new_year, Command::ClearYear { year: 2026 }),
        Refusal::YearNotOver(2026),
        "policy without clearing"
    );
}

#[test]
fn clock_rules_refuse_before_anything_else() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T - 10 * 60 * 1000, household("H9", "C9")),
        Refusal::ClockBehind { last_ms: T }
    );
    w.ok(T - 60 * 1000, household("H9", "C9"));
    assert_eq!(
        w.refused(946_684_800_000, household("H8", "C8")),
        Refusal::ClockReset
    );
    assert_eq!(
        w.refused(T + 500 * DAY_MS, household("H8", "C8")),
        Refusal::ClockAhead { last_ms: T }
    );
}

#[test]
fn township_cannot_sell_or_score() {
    let mut w = World {
        state: MemoryState::default(),
        seq: 0,
    };
    w.ok(
        T,
        Command::Init {
            station_id: "T1".into(),
            name: "镇".into(),
            role: StationRole::Township,
            policy: policy("threshold-score"),
        },
    );
    w.ok(T, household("H1", "C1"));
    assert_eq!(w.refused(T, score("H1", "2026-09", 90)), Refusal::WrongRole);
    assert_eq!(w.refused(T, redeem("C1", &[("G1", 1)])), Refusal::WrongRole);
}

#[test]
fn every_refusal_message_is_one_line_in_both_languages() {
    let samples = [
        Refusal::NotInitialized,
        Refusal::BalanceShort {
            balance_points: 3,
            wanted: 5,
        },
        Refusal::CardVoided {
            card_no: "C1".into(),
            household_id: "H1".into(),
        },
        Refusal::PublicityNotOver { until_ms: T },
        Refusal::ClockBehind { last_ms: T },
        Refusal::NotEligible {
            period: "2026-Q3".into(),
            score: None,
        },
        Refusal::BudgetExceeded {
            budget_key: "2026-10".into(),
            budget: 250,
            used: 240,
            adding: 20,
        },
    ];
    for r in samples {
        for lang in [Lang::Zh, Lang::En] {
            let m = r.message(lang);
            assert!(!m.is_empty() && !m.contains('\n'), "{r:?} {lang:?}: {m:?}");
        }
        assert_ne!(r.message(Lang::Zh), r.message(Lang::En));
    }
}
