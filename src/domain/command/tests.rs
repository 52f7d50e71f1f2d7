//! Unit tests of every rule and refusal of [`super::decide`], run purely over a
//! [`MemoryState`]: no files, no clock.

use super::*;
use crate::domain::apply;
use crate::domain::event::Event;
use crate::domain::event::YearPoints;
use crate::domain::state::MemoryState;
use crate::domain::station::{StationIdError, StationIdProblem};
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
        self.run_at(&Moment::at(now), command)
    }

    fn run_at(&mut self, moment: &Moment, command: Command) -> Result<Vec<u64>, Refusal> {
        let now = moment.now_ms;
        let bodies = match decide_at(&self.state, &command, moment) {
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
                prev_hash: self.state.meta.as_ref().map_or([0; 32], |m| m.head_hash),
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
        self.refused_at(&Moment::at(now), command)
    }

    fn refused_at(&mut self, moment: &Moment, command: Command) -> Refusal {
        let before = self.state.clone();
        match self.run_at(moment, command.clone()) {
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
    assert!(matches!(
        empty.refused(T, bad),
        Refusal::BadStationId(StationIdError {
            problem: StationIdProblem::Empty,
            ..
        })
    ));
    // A Chinese id breaks sync for good (the township cannot enroll it): refused in the domain,
    // whichever shell sent it, with an id offered from the name.
    let chinese = Command::Init {
        station_id: "李家村".into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy: policy("direct-points"),
    };
    let refusal = empty.refused(T, chinese);
    assert!(refusal.message(Lang::Zh).contains("LJC01"), "{refusal:?}");
    // Full-width letters are the same id, stored normalised.
    let fresh = MemoryState::default();
    let events = decide_at(
        &fresh,
        &Command::Init {
            station_id: "ＬＪＣ０１".into(),
            name: "李家村爱心超市".into(),
            role: StationRole::Village,
            policy: policy("direct-points"),
        },
        &Moment::at(T),
    )
    .map_err(|e| format!("{e:?}"))
    .and_then(|events| {
        events
            .into_iter()
            .next()
            .ok_or_else(|| "no event".to_string())
    });
    assert!(
        matches!(&events, Ok(EventBody::StationInitialized { station_id, .. }) if station_id == "LJC01"),
        "{events:?}"
    );
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
        Refusal::QuantityTooLarge(QUANTITY_MAX + 1)
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
            period: "2026-09".into(),
            pending_award: Some(seq),
            confirmed: false,
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
    // Once confirmed, a second score is refused as standing, with no award to revoke.
    assert_eq!(
        w.refused(until_ms, score("H1", "2026-09", 86)),
        Refusal::AlreadyScored {
            period: "2026-09".into(),
            pending_award: None,
            confirmed: true,
        }
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
fn year_end_clears_only_that_year_and_earlier() {
    let mut w = World::new("threshold-score");
    let later = w.fund(); // H1: 50 points of 2026
    assert_eq!(
        w.refused(later, Command::ClearYear { year: 2026 }),
        Refusal::YearNotOver(2026)
    );
    w.ok(later, score("H2", "2026-10", 90));
    let new_year = 1_798_855_200_000; // 2027-01-02T02:00Z
    let confirmed = |t| Moment::confirmed(t, CivilDate::from_utc_ms(t));
    assert_eq!(
        w.refused_at(&confirmed(new_year), Command::ClearYear { year: 2026 }),
        Refusal::PendingAwards {
            year: 2026,
            count: 1
        }
    );
    let pending = w
        .state
        .awards
        .values()
        .find(|a| a.household_id == "H2")
        .map(|a| a.seq)
        .unwrap_or(0);
    w.run_at(
        &confirmed(new_year),
        Command::ConfirmAward { award_seq: pending },
    )
    .unwrap_or_else(|r| panic!("{r:?}"));
    // A January score of the new year, confirmed before the old year is cleared.
    let january = w.ok(new_year, score("H1", "2027-01", 84));
    let feb = new_year + 30 * DAY_MS;
    w.ok(feb, Command::ConfirmAward { award_seq: january });
    // H1 spends 60: 50 of 2026 first, then 10 of 2027.
    let sale = w.ok(feb, redeem("C1", &[("G1", 10), ("D1", 5)]));
    let spent = w
        .state
        .sales
        .get(&sale)
        .map(|s| s.credit.clone())
        .unwrap_or_default();
    assert_eq!(
        spent,
        vec![
            YearPoints {
                year: 2026,
                points: 50
            },
            YearPoints {
                year: 2027,
                points: 10
            }
        ]
    );
    let preview = year_end::preview(
        &w.state,
        &policy("threshold-score"),
        CivilDate::from_utc_ms(feb),
        2026,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        preview.total_points, 50,
        "H2's 50 of 2026; H1 has none left"
    );
    assert_eq!(preview.kept_points, 10, "H1's 10 of 2027 stay");
    assert_eq!(
        preview
            .unscored_periods
            .iter()
            .map(|p| p.0.as_str())
            .collect::<Vec<_>>(),
        [
            "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
            "2026-11", "2026-12"
        ]
    );
    w.ok(feb, Command::ClearYear { year: 2026 });
    let h1 = w
        .state
        .households
        .get("H1")
        .cloned()
        .unwrap_or_else(|| panic!("H1"));
    let h2 = w
        .state
        .households
        .get("H2")
        .cloned()
        .unwrap_or_else(|| panic!("H2"));
    assert_eq!((h1.balance_points, h1.cleared_points), (10, 0));
    assert_eq!((h2.balance_points, h2.cleared_points), (0, 50));
    assert_eq!(
        w.refused(feb, Command::ClearYear { year: 2026 }),
        Refusal::YearAlreadyCleared(2026)
    );
    // A score for the cleared year is refused; the new year's are not.
    assert_eq!(
        w.refused(feb, score("H2", "2026-12", 90)),
        Refusal::YearCleared {
            period: "2026-12".into(),
            year: 2026
        }
    );
    w.ok(feb, score("H2", "2027-01", 85));
    // Voiding the sale gives 2027 its 10 back; the 50 of 2026 stay cleared.
    w.ok(
        feb,
        Command::VoidSale {
            sale_seq: sale,
            reason: "拿错了".into(),
        },
    );
    let h1 = w
        .state
        .households
        .get("H1")
        .cloned()
        .unwrap_or_else(|| panic!("H1"));
    assert_eq!((h1.balance_points, h1.cleared_points), (20, 50));
    for year in &h1.credit {
        assert_eq!(
            year.awarded_points,
            year.spent_points + year.cleared_points + year.remaining_points()
        );
    }
    let mut direct = World::new("direct-points");
    assert_eq!(
        direct.refused(T + DAY_MS, Command::ClearYear { year: 2025 }),
        Refusal::PolicyNeverClears
    );
}

#[test]
fn close_closes_the_session_whatever_the_date() {
    let mut w = World::new("threshold-score");
    let later = w.fund();
    let evening = later + 12 * 3600 * 1000; // 22:00
    w.ok(evening, redeem("C1", &[("G1", 1)]));
    let after_midnight = evening + 2 * 3600 * 1000 + 11 * 60 * 1000; // 00:11 next day
    let close = w.ok(after_midnight, Command::CloseSession);
    let z1 = w
        .state
        .sessions
        .get(&1)
        .cloned()
        .unwrap_or_else(|| panic!("Z1"));
    assert_eq!(
        (z1.first_seq, z1.last_seq, z1.closed_seq),
        (1, close - 1, close)
    );
    assert_eq!((z1.totals.sales, z1.totals.points_spent), (1, 5));
    assert_eq!(
        w.refused(after_midnight, Command::CloseSession),
        Refusal::SessionEmpty { session_no: 2 }
    );
    let sale = w.ok(after_midnight + 60_000, redeem("C1", &[("G1", 1)]));
    let meta = w.state.meta.clone().unwrap_or_else(|| panic!("meta"));
    assert_eq!(
        (
            meta.session.session_no,
            meta.session.first_seq,
            meta.session.totals.sales
        ),
        (2, sale, 1),
        "the open session (X) counts from the close on"
    );
    w.ok(after_midnight + 120_000, Command::CloseSession);
    assert_eq!(
        w.state.sessions.get(&2).map(|z| z.totals.clone()),
        Some(meta.session.totals),
        "Z is the X frozen"
    );
}

#[test]
fn lots_are_taken_first_in_first_out_and_put_back_by_a_void() {
    let mut w = World::new("direct-points");
    // G1 already has lot #6 of 10 donated units; a merchant supplies 5 more.
    let supply = w.ok(
        T,
        Command::ReceiveStock {
            goods_id: "G1".into(),
            quantity: 5,
            source: StockSource::Supply {
                merchant: "县供销社".into(),
            },
        },
    );
    w.ok(T, score("H1", "2026-10", 20));
    let award = w.state.awards.keys().last().copied().unwrap_or(0);
    let later = T + 8 * DAY_MS;
    w.ok(later, Command::ConfirmAward { award_seq: award });
    let sale = w.ok(later, redeem("C1", &[("G1", 4)]));
    let takes = w
        .state
        .sales
        .get(&sale)
        .map(|s| s.takes.clone())
        .unwrap_or_default();
    assert_eq!(
        takes
            .iter()
            .map(|t| (t.lot_seq, t.quantity))
            .collect::<Vec<_>>(),
        vec![(6, 4)],
        "the donated lot came in first"
    );
    let loss = w.ok(
        later,
        Command::AdjustStock {
            goods_id: "G1".into(),
            delta: -7,
            reason: "受潮".into(),
        },
    );
    let g1 = w
        .state
        .goods
        .get("G1")
        .cloned()
        .unwrap_or_else(|| panic!("G1"));
    assert_eq!(
        g1.lots
            .iter()
            .map(|l| (l.lot_seq, l.remaining_units))
            .collect::<Vec<_>>(),
        vec![(supply, 4)],
        "the loss took the rest of the oldest lot, then one supplied unit (#{loss})"
    );
    w.ok(
        later,
        Command::VoidSale {
            sale_seq: sale,
            reason: "退货".into(),
        },
    );
    let g1 = w
        .state
        .goods
        .get("G1")
        .cloned()
        .unwrap_or_else(|| panic!("G1"));
    assert_eq!(
        g1.lots
            .iter()
            .map(|l| (l.lot_seq, l.remaining_units))
            .collect::<Vec<_>>(),
        vec![(6, 4), (supply, 4)],
        "a void puts the units back into the lot they came from"
    );
    assert_eq!(g1.stock_units, 8);
    assert_eq!(
        g1.received_units + g1.adjusted_units - g1.sold_units - g1.shipped_units,
        g1.stock_units
    );
    assert_eq!(
        w.refused(
            later,
            Command::ReceiveStock {
                goods_id: "D1".into(),
                quantity: 1,
                source: StockSource::Supply {
                    merchant: String::new()
                },
            }
        ),
        Refusal::NoMerchant("D1".into())
    );
}

#[test]
fn clock_rules_refuse_before_anything_else() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T - 10 * 60 * 1000, household("H9", "C9")),
        Refusal::ClockBehind {
            now_ms: T - 10 * 60 * 1000,
            last_ms: T
        }
    );
    w.ok(T - 60 * 1000, household("H9", "C9"));
    assert_eq!(
        w.refused(946_684_800_000, household("H8", "C8")),
        Refusal::ClockReset {
            now_ms: 946_684_800_000
        }
    );
    let far = T + 120 * DAY_MS;
    assert_eq!(
        w.refused(far, household("H8", "C8")),
        Refusal::ClockUnconfirmed {
            now_ms: far,
            last_ms: Some(T)
        }
    );
    let wrong_day = CivilDate::from_utc_ms(far - DAY_MS);
    assert_eq!(
        w.refused_at(&Moment::confirmed(far, wrong_day), household("H8", "C8")),
        Refusal::ClockOtherDate {
            confirmed: wrong_day.to_string(),
            now_ms: far
        }
    );
    assert_eq!(
        w.refused(T, Command::CorrectClock { reason: "x".into() }),
        Refusal::ClockNotBehind { last_ms: T }
    );
}

#[test]
fn a_fast_clock_is_confirmed_then_corrected_and_the_till_goes_on() {
    let mut w = World::new("threshold-score");
    let later = w.fund();
    // The CMOS clock jumps four months ahead; the manager confirms the date shown.
    let fast = later + 112 * DAY_MS;
    let seqs = w
        .run_at(
            &Moment::confirmed(fast, CivilDate::from_utc_ms(fast)),
            redeem("C1", &[("G1", 1)]),
        )
        .unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(
        seqs.len(),
        2,
        "the confirmation is recorded before the sale"
    );
    let sale = seqs[1];
    // The clock is set right: every write is refused, with the way out named…
    let right = later + DAY_MS;
    assert_eq!(
        w.refused(
            right,
            Command::VoidSale {
                sale_seq: sale,
                reason: "时钟错了".into()
            }
        ),
        Refusal::ClockBehind {
            now_ms: right,
            last_ms: fast
        }
    );
    // …until the manager records the correction; then the void goes through.
    w.ok(
        right,
        Command::CorrectClock {
            reason: "主板电池".into(),
        },
    );
    w.ok(
        right + 60_000,
        Command::VoidSale {
            sale_seq: sale,
            reason: "时钟错了".into(),
        },
    );
    let meta = w.state.meta.clone().unwrap_or_else(|| panic!("meta"));
    assert_eq!(meta.clock_corrections.len(), 1);
    assert!(
        meta.fast_dated(sale, fast).is_some(),
        "the sale is marked fast"
    );
    assert!(meta.fast_dated(sale + 3, right + 60_000).is_none());
    assert_eq!(
        w.state.households.get("H1").map(|h| h.balance_points),
        Some(50)
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
        Refusal::ClockBehind {
            now_ms: T,
            last_ms: T - DAY_MS,
        },
        Refusal::ClockUnconfirmed {
            now_ms: T,
            last_ms: Some(T - 40 * DAY_MS),
        },
        Refusal::ClockUnconfirmed {
            now_ms: T,
            last_ms: None,
        },
        Refusal::PolicyNeverClears,
        Refusal::SessionEmpty { session_no: 3 },
        Refusal::YearCleared {
            period: "2026-12".into(),
            year: 2026,
        },
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

fn sheet(stem: &str) -> ScoreSheet {
    match crate::policies::builtin_sheet(stem) {
        Some(Ok(Some(sheet))) => sheet,
        _ => panic!("score sheet of {stem}"),
    }
}

fn by_item(household: &str, period: &str, items: &[(&str, i64)]) -> Command {
    Command::EnterItemScores {
        household_id: household.into(),
        period: period.into(),
        items: items.iter().map(|(n, s)| ItemScore::new(*n, *s)).collect(),
        note: String::new(),
    }
}

#[test]
fn a_score_by_item_is_the_sheets_total_under_the_policys_rules_and_keeps_its_items() {
    let mut w = World::new("threshold-score");
    assert_eq!(
        w.refused(T, by_item("H1", "2026-09", &[("环境卫生", 8)])),
        Refusal::NoScoreSheet
    );
    w.ok(
        T,
        Command::SetScoreSheet {
            sheet: sheet("threshold-score"),
        },
    );
    assert!(matches!(
        w.refused(T, by_item("H1", "2026-09", &[("违规", -21)])),
        Refusal::ScoreItemOutOfRange {
            min: -20,
            max: 0,
            ..
        }
    ));
    assert!(matches!(
        w.refused(T, by_item("H9", "2026-09", &[("违规", -1)])),
        Refusal::UnknownHousehold(_)
    ));
    let full = [
        ("主动脱贫", 8),
        ("家庭美德", 8),
        ("遵纪守法", 8),
        ("环境卫生", 8),
        ("配合工作", 8),
    ];
    let seq = w.ok(T, by_item("H1", "2026-09", &full));
    let award = w.state.awards.get(&seq).cloned().expect("award");
    assert_eq!((award.score, award.points), (100, 100));
    assert_eq!(award.items.len(), 5);
    // One score a period, whether typed as a total or by item.
    assert!(matches!(
        w.refused(T, by_item("H1", "2026-09", &[("环境卫生", 1)])),
        Refusal::AlreadyScored { .. }
    ));
    // Revoking it gives the tally back, as for a total score.
    w.ok(
        T,
        Command::RevokeAward {
            award_seq: seq,
            reason: "异议".into(),
        },
    );
    w.ok(T, by_item("H1", "2026-09", &[("环境卫生", 8)]));
    // A new policy comes with its own sheet or none: the old items no longer apply.
    w.ok(
        T,
        Command::SetPolicy {
            policy: policy("threshold-score"),
        },
    );
    assert_eq!(
        w.refused(T, by_item("H2", "2026-09", &[("环境卫生", 8)])),
        Refusal::NoScoreSheet
    );
}

#[test]
fn the_monthly_cap_counts_scores_by_item() {
    let mut w = World::new("direct-points");
    w.ok(
        T,
        Command::SetScoreSheet {
            sheet: sheet("direct-points"),
        },
    );
    let four = [
        ("遵纪守法", 4),
        ("政策落实", 4),
        ("脱贫攻坚", 4),
        ("精神文明", 4),
    ];
    w.ok(T, by_item("H1", "2026-09", &four));
    assert!(matches!(
        w.refused(
            T,
            by_item("H1", "2026-09", &[("公益活动", 4), ("遵纪守法", 1)])
        ),
        Refusal::CapExceeded {
            cap: 20,
            already: 16,
            adding: 5,
            ..
        }
    ));
    let message = Refusal::ScoreItemOutOfRange {
        item: "公益活动".into(),
        score: 5,
        min: 0,
        max: 4,
    };
    assert!(message.message(Lang::Zh).contains("“公益活动”得分 5"));
    assert!(message.message(Lang::En).contains("(0 to +4)"));
}
