//! Property tests of the ledger against a reference model written here, from PRODUCT.md ("The
//! rules of the schemes" and "Rules at the boundaries"), without calling the domain's credit,
//! lots, session or clock functions. Random commands run over dates that cross month and year
//! ends, with voids, award revokes, year-end clearings, stocktake gains and losses, receipts from
//! donors, funds, merchants and old transfers, till-session closes, and a clock that jumps ahead
//! (confirmed or not), runs fast and is corrected. For every command the model predicts either
//! the exact events the ledger writes or the refusals it may give, and after every command:
//!
//! - per household and credit year the ledger's awarded, spent, cleared and remaining points
//!   equal the model's (`awarded = spent + cleared + remaining`, spending oldest year first,
//!   clearing year Y takes only what is left of Y and earlier, a void gives each year back what
//!   the sale took and what would go back to a cleared year stays cleared, a score for a cleared
//!   year is refused), and no balance or year is negative;
//! - per item the open lots (seq and units left) equal the model's (first in, first out; a void
//!   puts units back into the lots they came from; a stocktake loss takes the oldest lots), and
//!   no stock is negative;
//! - the open till session's X totals equal the model's, and every close (Z) freezes them;
//! - a write dated more than 30 days after the last event is refused (`ClockUnconfirmed`)
//!   unless the date was confirmed, and a refused command leaves the ledger exactly as it was
//!   (same head seq and hash).
//!
//! At the end `verify` passes, and the lot ledger, the quarterly settlements and the donations
//! ledger agree with the model and with each other: per item, units received (and stocktake
//! gains) = redeemed + lost + in stock; settlement + donated + fund-bought + other = all
//! redeemed units; the donations ledger's redeemed units = the settlements' donated units.
//!
//! One known bug is stepped around (a confirmed close of a non-empty session is never
//! generated) and pinned by an ignored test, `a_close_after_a_confirmed_gap_closes_the_session`.

use std::collections::{BTreeMap, BTreeSet};

use aixin::domain::event::{
    EventBody, Goods, Household, LotTake, PeriodKey, SaleLine, SessionTotals, StationRole,
    StockSource, YearPoints, Zone,
};
use aixin::domain::lots::LotOrigin;
use aixin::domain::time::{CivilDate, Moment};
use aixin::domain::{Command, HouseholdRef, Policy, Refusal};
use aixin::report;
use aixin::store::verify::verify_all;
use aixin::store::{Ledger, StoreError};
use chrono::Datelike;
use proptest::prelude::*;

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// China Standard Time: days, months and years turn at midnight UTC+8.
const CHINA_OFFSET_MS: i64 = 8 * HOUR_MS;
/// 2026-11-20 10:00 China time: six weeks before a year end.
const START_MS: i64 = 1_795_140_000_000;
/// How far behind the last event a clock may be (PRODUCT.md: "beyond a few minutes").
const SKEW_MS: i64 = 5 * MINUTE_MS;
/// Past this gap after the last event a write needs the manager's confirmation of the date.
const GAP_CONFIRM_MS: i64 = 30 * DAY_MS;
/// Publicity (公示) of the threshold-score policy.
const PUBLICITY_MS: i64 = 7 * DAY_MS;
/// What one point is worth in the threshold-score policy, in fen.
const POINT_VALUE_FEN: i64 = 100;
/// An award or sale seq that does not exist.
const UNKNOWN_SEQ: u64 = 9_999;

// ---------------------------------------------------------------------------------------------
// Calendar, computed here on its own (chrono on UTC+8), not by the domain.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Day {
    year: i32,
    month: u32,
    day: u32,
}

fn china_day(ms: i64) -> Day {
    let date = chrono::DateTime::from_timestamp_millis(ms + CHINA_OFFSET_MS)
        .expect("time in range")
        .date_naive();
    Day {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    }
}

fn civil(day: Day) -> CivilDate {
    CivilDate {
        year: day.year,
        month: day.month,
        day: day.day,
    }
}

fn day_text(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

fn quarter_key(ms: i64) -> String {
    let day = china_day(ms);
    format!("{:04}-Q{}", day.year, (day.month - 1) / 3 + 1)
}

/// The month `back` months before the month of `day` (negative: after).
fn month_back(day: Day, back: i32) -> (i32, u32) {
    let index = day.year * 12 + day.month as i32 - 1 - back;
    (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32)
}

// ---------------------------------------------------------------------------------------------
// Random operations.

/// Whether the manager confirmed the date for a write (the till's popup, `--confirm-date`).
#[derive(Clone, Copy, Debug)]
enum DateCheck {
    Unconfirmed,
    Confirmed,
    /// Confirmed a date that is not the clock's (yesterday's).
    WrongDate,
}

#[derive(Clone, Debug)]
enum Op {
    AddHousehold(u8),
    DefineGoods {
        goods: u8,
        price_points: i64,
        supplier: u8,
    },
    Receive {
        goods: u8,
        quantity: i64,
        source: u8,
    },
    Stocktake {
        goods: u8,
        delta: i64,
    },
    /// A score for the month `months_back` before the clock's month (-1: next month).
    Score {
        household: u8,
        months_back: i32,
        score: i64,
    },
    Confirm(u8),
    /// Every pending award in one batch: all confirmed or none.
    ConfirmAll,
    Revoke(u8),
    /// `by`: 0 household id, 1 its card, 2 a replaced card (if it has one).
    Redeem {
        household: u8,
        by: u8,
        lines: Vec<(u8, i64)>,
    },
    Void(u8),
    /// Clear the year this many years before the clock's year.
    ClearYear(i32),
    SetClearing(bool),
    Reissue(u8),
    CloseSession,
    CorrectClock,
    /// Real time passes.
    Advance {
        minutes: i64,
    },
    /// The computer clock runs this far ahead of real time.
    ClockFast {
        hours: i64,
    },
    /// Someone sets the computer clock right.
    ClockRight,
}

type Step = (Op, DateCheck);

fn date_check() -> impl Strategy<Value = DateCheck> {
    prop_oneof![
        12 => Just(DateCheck::Unconfirmed),
        12 => Just(DateCheck::Confirmed),
        1 => Just(DateCheck::WrongDate),
    ]
}

/// Real time passing: mostly hours or days, sometimes weeks past the 30-day confirmation gap.
fn advance() -> BoxedStrategy<Op> {
    prop_oneof![
        5 => 1i64..36 * 60,
        3 => 24 * 60i64..10 * 24 * 60,
        1 => 25 * 24 * 60i64..75 * 24 * 60,
    ]
    .prop_map(|minutes| Op::Advance { minutes })
    .boxed()
}

/// Real time passing slowly, so that many commands fall around one year end.
fn advance_slowly() -> BoxedStrategy<Op> {
    prop_oneof![
        12 => 1i64..36 * 60,
        4 => 24 * 60i64..4 * 24 * 60,
        1 => 25 * 24 * 60i64..40 * 24 * 60,
    ]
    .prop_map(|minutes| Op::Advance { minutes })
    .boxed()
}

/// Mostly a known household (H0–H3), sometimes an unknown one.
fn household() -> impl Strategy<Value = u8> {
    prop_oneof![19 => 0u8..4, 1 => Just(4u8)]
}

/// Mostly a known item (G0–G3; G3 is in the donation zone), sometimes an unknown one.
fn goods() -> impl Strategy<Value = u8> {
    prop_oneof![19 => 0u8..4, 1 => Just(4u8)]
}

/// Mostly a positive number of units, sometimes zero or negative.
fn units() -> impl Strategy<Value = i64> {
    prop_oneof![12 => Just(1i64), 6 => 2i64..4, 1 => -1i64..1]
}

fn cart() -> impl Strategy<Value = Vec<(u8, i64)>> {
    prop_oneof![
        1 => Just(Vec::new()),
        8 => prop::collection::vec((goods(), units()), 1..2),
        4 => prop::collection::vec((goods(), units()), 2..4),
    ]
}

/// Any operation; `clear_weight` says how often a year-end clearing is tried.
fn op(advance: BoxedStrategy<Op>, clear_weight: u32) -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0u8..5).prop_map(Op::AddHousehold),
        1 => (goods(), -1i64..25, 0u8..3).prop_map(|(goods, price_points, supplier)| Op::DefineGoods { goods, price_points, supplier }),
        3 => (goods(), prop_oneof![9 => 1i64..15, 1 => -1i64..1], 0u8..6).prop_map(|(goods, quantity, source)| Op::Receive { goods, quantity, source }),
        2 => (goods(), prop_oneof![4 => -8i64..0, 4 => 1i64..5, 1 => Just(0)]).prop_map(|(goods, delta)| Op::Stocktake { goods, delta }),
        5 => (
            household(),
            prop_oneof![4 => Just(0), 3 => Just(1), 1 => Just(2), 1 => Just(-1)],
            prop_oneof![6 => 80i64..95, 1 => 95i64..101, 1 => -5i64..106],
        ).prop_map(|(household, months_back, score)| Op::Score { household, months_back, score }),
        4 => any::<u8>().prop_map(Op::Confirm),
        1 => Just(Op::ConfirmAll),
        1 => any::<u8>().prop_map(Op::Revoke),
        14 => (household(), 0u8..3, cart()).prop_map(|(household, by, lines)| Op::Redeem { household, by, lines }),
        5 => any::<u8>().prop_map(Op::Void),
        clear_weight => prop_oneof![1 => Just(0), 4 => Just(1), 1 => Just(2)].prop_map(Op::ClearYear),
        1 => prop::bool::weighted(0.8).prop_map(Op::SetClearing),
        1 => household().prop_map(Op::Reissue),
        2 => Just(Op::CloseSession),
        2 => Just(Op::CorrectClock),
        7 => advance,
        1 => prop_oneof![3 => 1i64..240, 1 => 31 * 24i64..120 * 24].prop_map(|hours| Op::ClockFast { hours }),
        1 => Just(Op::ClockRight),
    ]
}

fn steps(
    advance: BoxedStrategy<Op>,
    clear_weight: u32,
    max_len: usize,
) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec((op(advance, clear_weight), date_check()), 1..max_len)
}

/// A shop with households, goods from every kind of source (G0: a donation, then a merchant's
/// supply; G1: the catalog supplier's supply, then an old transfer; G2: bought with a fund; G3,
/// in the donation zone: a donation) and confirmed points of October and November.
fn funded_prelude() -> Vec<Step> {
    let mut ops = Vec::new();
    for household in 0..4 {
        ops.push(Op::AddHousehold(household));
    }
    for goods in 0..4u8 {
        ops.push(Op::DefineGoods {
            goods,
            price_points: 5 + i64::from(goods) * 5,
            supplier: (goods + 1) % 3,
        });
    }
    // G0 and G3 have a catalog supplier but come in donated (issue 7's first case): the
    // settlement must count their units as donated, not bill the supplier.
    for (goods, source) in [(0, 0), (1, 3), (2, 2), (3, 1), (0, 4), (1, 5)] {
        ops.push(Op::Receive {
            goods,
            quantity: 12,
            source,
        });
    }
    for months_back in [1, 0] {
        for household in 0..4u8 {
            ops.push(Op::Score {
                household,
                months_back,
                score: 81 + i64::from(household),
            });
        }
    }
    ops.push(Op::Advance {
        minutes: 8 * 24 * 60,
    });
    ops.push(Op::ConfirmAll);
    unconfirmed(ops)
}

/// The funded shop on 2027-01-08: households hold credit of 2026 (H0 and H1 a December award
/// too), their January scores end publicity tomorrow, and H2 and H3 may still be scored for
/// December (a December score confirmed in January is credit of the old year).
fn year_end_prelude() -> Vec<Step> {
    let mut steps = funded_prelude();
    let mut ops = vec![Op::Advance {
        minutes: 24 * 24 * 60,
    }];
    for household in 0..2 {
        ops.push(Op::Score {
            household,
            months_back: 0,
            score: 83,
        });
    }
    ops.push(Op::Advance {
        minutes: 8 * 24 * 60,
    });
    ops.push(Op::ConfirmAll);
    ops.push(Op::Advance {
        minutes: 3 * 24 * 60,
    });
    for household in 0..4 {
        ops.push(Op::Score {
            household,
            months_back: 0,
            score: 84,
        });
    }
    ops.push(Op::Advance {
        minutes: 6 * 24 * 60,
    });
    steps.extend(unconfirmed(ops));
    steps
}

fn unconfirmed(ops: Vec<Op>) -> Vec<Step> {
    ops.into_iter()
        .map(|op| (op, DateCheck::Unconfirmed))
        .collect()
}

fn goods_id(goods: u8) -> String {
    format!("G{goods}")
}

fn household_id(household: u8) -> String {
    format!("H{household}")
}

fn supplier_name(supplier: u8) -> String {
    ["", "供销社", "兴农超市"][usize::from(supplier % 3)].to_string()
}

fn stock_source(source: u8) -> StockSource {
    match source {
        0 => StockSource::Donation {
            donor: "乡贤".into(),
        },
        1 => StockSource::Donation {
            donor: "县农商银行".into(),
        },
        2 => StockSource::Purchase {
            fund: "村集体资金".into(),
            cost_fen: 3_000,
        },
        // The catalog's supplier is the default merchant of a supply lot.
        3 => StockSource::Supply {
            merchant: String::new(),
        },
        4 => StockSource::Supply {
            merchant: "兴农超市".into(),
        },
        _ => StockSource::Transfer {
            from: "乡镇".into(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The reference model.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct YearModel {
    awarded: i64,
    spent: i64,
    cleared: i64,
}

impl YearModel {
    fn remaining(&self) -> i64 {
        self.awarded - self.spent - self.cleared
    }
}

#[derive(Clone, Debug)]
struct HouseholdModel {
    card: String,
    old_cards: Vec<String>,
    pending: i64,
    /// Credit by year of the scoring period.
    years: BTreeMap<i32, YearModel>,
}

impl HouseholdModel {
    fn balance(&self) -> i64 {
        self.years.values().map(YearModel::remaining).sum()
    }
}

#[derive(Clone, Debug)]
struct GoodsModel {
    price_points: i64,
    supplier: String,
    donation_zone: bool,
    received: i64,
    adjusted: i64,
    sold: i64,
}

#[derive(Clone, Debug)]
struct LotModel {
    goods_id: String,
    origin: LotOrigin,
    received: i64,
    redeemed: i64,
    lost: i64,
    remaining: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AwardState {
    Pending,
    Confirmed,
    Revoked,
}

#[derive(Clone, Debug)]
struct AwardModel {
    household_id: String,
    period: String,
    year: i32,
    points: i64,
    entered_ms: i64,
    state: AwardState,
}

#[derive(Clone, Debug)]
struct SaleModel {
    seq: u64,
    household_id: String,
    lines: Vec<SaleLine>,
    total_points: i64,
    takes: Vec<LotTake>,
    credit: Vec<YearPoints>,
    time_ms: i64,
    voided: bool,
}

#[derive(Clone, Debug)]
struct SessionModel {
    session_no: u64,
    first_seq: u64,
    last_seq: u64,
    totals: SessionTotals,
}

impl SessionModel {
    fn new(session_no: u64) -> SessionModel {
        SessionModel {
            session_no,
            first_seq: 0,
            last_seq: 0,
            totals: SessionTotals::default(),
        }
    }
}

/// The refusals a command may get (a command can break several rules; the ledger names one).
type Refusals = BTreeSet<&'static str>;

/// Collects the rules a command breaks.
#[derive(Default)]
struct Broken(Refusals);

impl Broken {
    fn check(&mut self, broken: bool, refusal: &'static str) {
        if broken {
            self.0.insert(refusal);
        }
    }

    fn or(self, body: impl FnOnce() -> EventBody) -> Result<EventBody, Refusals> {
        if self.0.is_empty() {
            Ok(body())
        } else {
            Err(self.0)
        }
    }
}

/// What the model expects of a command (or batch).
#[derive(Debug)]
enum Expect {
    /// Exactly these events.
    Accept(Vec<EventBody>),
    /// Command `index` of the batch is refused with one of these.
    Refuse { index: usize, any_of: Refusals },
}

#[derive(Clone, Debug)]
struct Model {
    policy: Policy,
    /// Real time, UTC ms.
    real_ms: i64,
    /// How far the computer clock runs ahead of real time.
    fast_ms: i64,
    /// The time new events are checked against: the latest event's, or the last correction's.
    last_ms: i64,
    latest_event_ms: i64,
    head_seq: u64,
    cards_issued: u32,
    households: BTreeMap<String, HouseholdModel>,
    goods: BTreeMap<String, GoodsModel>,
    /// Every lot by the seq of the event that brought it in.
    lots: BTreeMap<u64, LotModel>,
    awards: BTreeMap<u64, AwardModel>,
    /// Live (not revoked) scores per (period, household).
    scored: BTreeMap<(String, String), u32>,
    sales: Vec<SaleModel>,
    cleared_through: Option<i32>,
    session: SessionModel,
    closed: Vec<SessionModel>,
}

impl Model {
    fn new(policy: Policy) -> Model {
        Model {
            policy,
            real_ms: START_MS,
            fast_ms: 0,
            last_ms: START_MS,
            latest_event_ms: START_MS,
            head_seq: 0,
            cards_issued: 0,
            households: BTreeMap::new(),
            goods: BTreeMap::new(),
            lots: BTreeMap::new(),
            awards: BTreeMap::new(),
            scored: BTreeMap::new(),
            sales: Vec::new(),
            cleared_through: None,
            session: SessionModel::new(1),
            closed: Vec::new(),
        }
    }

    fn clock_ms(&self) -> i64 {
        self.real_ms + self.fast_ms
    }

    fn stock(&self, goods_id: &str) -> i64 {
        self.lots
            .values()
            .filter(|l| l.goods_id == goods_id)
            .map(|l| l.remaining)
            .sum()
    }

    fn next_card(&mut self) -> String {
        self.cards_issued += 1;
        format!("C{}", self.cards_issued)
    }

    fn card_used(&self, card: &str) -> bool {
        self.households
            .values()
            .any(|h| h.card == card || h.old_cards.iter().any(|c| c == card))
    }

    /// An award seq to act on: mostly a pending one, sometimes any or an unknown one.
    fn pick_award(&self, k: u8) -> u64 {
        let pending: Vec<u64> = self
            .awards
            .iter()
            .filter(|(_, a)| a.state == AwardState::Pending)
            .map(|(seq, _)| *seq)
            .collect();
        if !k.is_multiple_of(4) && !pending.is_empty() {
            return pending[usize::from(k) % pending.len()];
        }
        let all: Vec<u64> = self.awards.keys().copied().collect();
        all.get(usize::from(k / 4) % (all.len() + 1))
            .copied()
            .unwrap_or(UNKNOWN_SEQ)
    }

    /// Turns a step into the moment and commands to run; time steps only move the clocks.
    fn commands_for(&mut self, step: &Step) -> Option<(Moment, Vec<Command>)> {
        let (op, check) = step;
        let commands = match op {
            Op::Advance { minutes } => {
                self.real_ms += minutes * MINUTE_MS;
                return None;
            }
            Op::ClockFast { hours } => {
                self.fast_ms = hours * HOUR_MS;
                return None;
            }
            Op::ClockRight => {
                self.fast_ms = 0;
                return None;
            }
            Op::AddHousehold(h) => {
                let card_no = self.next_card();
                vec![Command::RegisterHousehold {
                    household: Household {
                        household_id: household_id(*h),
                        card_no,
                        head: format!("户主{h}"),
                        members: vec![],
                        group: "一组".into(),
                        phone: String::new(),
                        registered_poor: false,
                    },
                }]
            }
            Op::DefineGoods {
                goods,
                price_points,
                supplier,
            } => vec![Command::DefineGoods {
                goods: Goods {
                    goods_id: goods_id(*goods),
                    name: format!("商品{goods}"),
                    unit: "个".into(),
                    barcode: format!("69000{goods}"),
                    price_points: *price_points,
                    zone: if *goods == 3 {
                        Zone::Donation
                    } else {
                        Zone::Points(5)
                    },
                    category: String::new(),
                    supplier: supplier_name(*supplier),
                },
            }],
            Op::Receive {
                goods,
                quantity,
                source,
            } => vec![Command::ReceiveStock {
                goods_id: goods_id(*goods),
                quantity: *quantity,
                source: stock_source(*source),
            }],
            Op::Stocktake { goods, delta } => vec![Command::AdjustStock {
                goods_id: goods_id(*goods),
                delta: *delta,
                reason: "盘点".into(),
            }],
            Op::Score {
                household,
                months_back,
                score,
            } => {
                let (year, month) = month_back(china_day(self.clock_ms()), *months_back);
                vec![Command::EnterScore {
                    household_id: household_id(*household),
                    period: format!("{year:04}-{month:02}"),
                    score: *score,
                    note: String::new(),
                }]
            }
            Op::Confirm(k) => vec![Command::ConfirmAward {
                award_seq: self.pick_award(*k),
            }],
            Op::ConfirmAll => {
                let pending: Vec<Command> = self
                    .awards
                    .iter()
                    .filter(|(_, a)| a.state == AwardState::Pending)
                    .map(|(seq, _)| Command::ConfirmAward { award_seq: *seq })
                    .collect();
                if pending.is_empty() {
                    return None;
                }
                pending
            }
            Op::Revoke(k) => vec![Command::RevokeAward {
                award_seq: self.pick_award(*k),
                reason: "异议".into(),
            }],
            Op::Redeem {
                household,
                by,
                lines,
            } => {
                let id = household_id(*household);
                let reference = match (by, self.households.get(&id)) {
                    (0, _) => HouseholdRef::Id(id),
                    (_, None) => HouseholdRef::Card("NO-CARD".into()),
                    (1, Some(h)) => HouseholdRef::Card(h.card.clone()),
                    (_, Some(h)) => {
                        HouseholdRef::Card(h.old_cards.first().unwrap_or(&h.card).clone())
                    }
                };
                vec![Command::Redeem {
                    household: reference,
                    lines: lines.iter().map(|(g, q)| (goods_id(*g), *q)).collect(),
                    proxy: None,
                }]
            }
            Op::Void(k) => vec![Command::VoidSale {
                sale_seq: self
                    .sales
                    .get(usize::from(*k) % (self.sales.len() + 1))
                    .map_or(UNKNOWN_SEQ, |s| s.seq),
                reason: "退货".into(),
            }],
            Op::ClearYear(back) => vec![Command::ClearYear {
                year: china_day(self.clock_ms()).year - back,
            }],
            Op::SetClearing(clears) => vec![Command::SetPolicy {
                policy: Policy {
                    clear_at_year_end: *clears,
                    ..self.policy.clone()
                },
            }],
            Op::Reissue(h) => vec![Command::ReissueCard {
                household_id: household_id(*h),
                new_card_no: self.next_card(),
            }],
            Op::CloseSession => vec![Command::CloseSession],
            Op::CorrectClock => vec![Command::CorrectClock {
                reason: "电脑时钟快了".into(),
            }],
        };
        let now_ms = self.clock_ms();
        let moment = match check {
            DateCheck::Unconfirmed => Moment::at(now_ms),
            DateCheck::Confirmed => Moment::confirmed(now_ms, civil(china_day(now_ms))),
            DateCheck::WrongDate => Moment::confirmed(now_ms, civil(china_day(now_ms - DAY_MS))),
        };
        Some((moment, commands))
    }

    /// What the ledger should do with `commands` at `moment`, and the model after it.
    fn plan(&self, moment: &Moment, commands: &[Command]) -> (Expect, Model) {
        let mut after = self.clone();
        let mut bodies = Vec::new();
        for (index, command) in commands.iter().enumerate() {
            match after.decide(moment, command) {
                Ok(decided) => bodies.extend(decided),
                Err(any_of) => return (Expect::Refuse { index, any_of }, self.clone()),
            }
        }
        (Expect::Accept(bodies), after)
    }

    /// Decides one command and applies its events to the model.
    fn decide(&mut self, moment: &Moment, command: &Command) -> Result<Vec<EventBody>, Refusals> {
        let now_ms = moment.now_ms;
        let today = china_day(now_ms);
        let refuse = |r: &'static str| Err(BTreeSet::from([r]));
        if moment.confirmed_date.is_some_and(|d| d != civil(today)) {
            return refuse("ClockOtherDate");
        }
        let mut confirmation = None;
        if let Command::CorrectClock { .. } = command {
            if now_ms >= self.last_ms - SKEW_MS {
                return refuse("ClockNotBehind");
            }
        } else if now_ms < self.last_ms - SKEW_MS {
            return refuse("ClockBehind");
        } else if now_ms > self.last_ms + GAP_CONFIRM_MS {
            if moment.confirmed_date.is_none() {
                return refuse("ClockUnconfirmed");
            }
            confirmation = Some(EventBody::ClockConfirmed {
                date: day_text(today),
                last_ms: self.last_ms,
            });
        }
        // Rules are judged on the books before the confirmation, which changes none of them.
        let body = self.decide_command(command, now_ms)?;
        let mut bodies = Vec::new();
        // The confirmation comes before the write it allowed; after a close, which closes the
        // session as it stood, it opens the next session.
        let close = matches!(command, Command::CloseSession);
        if let Some(confirmation) = confirmation.as_ref().filter(|_| !close) {
            self.apply(confirmation, now_ms);
            bodies.push(confirmation.clone());
        }
        self.apply(&body, now_ms);
        bodies.push(body);
        if let Some(confirmation) = confirmation.filter(|_| close) {
            self.apply(&confirmation, now_ms);
            bodies.push(confirmation);
        }
        Ok(bodies)
    }

    fn decide_command(&self, command: &Command, now_ms: i64) -> Result<EventBody, Refusals> {
        let mut broken = Broken::default();
        match command {
            Command::RegisterHousehold { household } => {
                broken.check(
                    self.households.contains_key(&household.household_id),
                    "HouseholdExists",
                );
                broken.check(self.card_used(&household.card_no), "CardInUse");
                broken.or(|| EventBody::HouseholdRegistered {
                    household: household.clone(),
                })
            }
            Command::ReissueCard {
                household_id,
                new_card_no,
            } => {
                let record = self.households.get(household_id);
                broken.check(record.is_none(), "UnknownHousehold");
                broken.check(self.card_used(new_card_no), "CardInUse");
                broken.or(|| EventBody::CardReissued {
                    household_id: household_id.clone(),
                    old_card_no: record.map(|h| h.card.clone()).unwrap_or_default(),
                    new_card_no: new_card_no.clone(),
                })
            }
            Command::DefineGoods { goods } => {
                broken.check(goods.price_points <= 0, "PriceNotPositive");
                broken.or(|| EventBody::GoodsDefined {
                    goods: goods.clone(),
                })
            }
            Command::ReceiveStock {
                goods_id,
                quantity,
                source,
            } => {
                let goods = self.goods.get(goods_id);
                broken.check(*quantity <= 0, "QuantityNotPositive");
                broken.check(goods.is_none(), "UnknownGoods");
                let source = match (source, goods) {
                    (StockSource::Supply { merchant }, Some(g)) if merchant.is_empty() => {
                        broken.check(g.supplier.is_empty(), "NoMerchant");
                        StockSource::Supply {
                            merchant: g.supplier.clone(),
                        }
                    }
                    _ => source.clone(),
                };
                broken.or(|| EventBody::StockReceived {
                    goods_id: goods_id.clone(),
                    quantity: *quantity,
                    source,
                })
            }
            Command::AdjustStock {
                goods_id,
                delta,
                reason,
            } => {
                broken.check(*delta == 0, "AdjustmentZero");
                broken.check(!self.goods.contains_key(goods_id), "UnknownGoods");
                let takes = if *delta < 0 {
                    let takes = self.first_in_first_out(goods_id, -delta);
                    broken.check(takes.is_none(), "StockShort");
                    takes.unwrap_or_default()
                } else {
                    Vec::new()
                };
                broken.or(|| EventBody::StockAdjusted {
                    goods_id: goods_id.clone(),
                    delta: *delta,
                    reason: reason.clone(),
                    takes,
                })
            }
            Command::EnterScore {
                household_id,
                period,
                score,
                note,
            } => {
                let year: i32 = period[..4].parse().expect("period year");
                let month: u32 = period[5..].parse().expect("period month");
                let today = china_day(now_ms);
                broken.check((year, month) > (today.year, today.month), "PeriodInFuture");
                broken.check(
                    self.cleared_through.is_some_and(|c| year <= c),
                    "YearCleared",
                );
                broken.check(
                    !self.households.contains_key(household_id),
                    "UnknownHousehold",
                );
                broken.check(!(0..=100).contains(score), "ScoreOutOfRange");
                let key = (period.clone(), household_id.clone());
                broken.check(
                    self.scored.get(&key).is_some_and(|n| *n > 0),
                    "AlreadyScored",
                );
                // Seed 000 篇二: below 80 earns nothing; each point above 80 is worth 5.
                let points = if *score < 80 { 0 } else { (score - 80) * 5 };
                broken.or(|| EventBody::ScoreEntered {
                    household_id: household_id.clone(),
                    period: PeriodKey(period.clone()),
                    score: *score,
                    points,
                    note: note.clone(),
                })
            }
            Command::ConfirmAward { award_seq } => {
                match self.awards.get(award_seq) {
                    None => broken.check(true, "UnknownAward"),
                    Some(a) if a.state != AwardState::Pending => {
                        broken.check(true, "AwardNotPending")
                    }
                    Some(a) => {
                        broken.check(
                            self.cleared_through.is_some_and(|c| a.year <= c),
                            "YearCleared",
                        );
                        broken.check(now_ms < a.entered_ms + PUBLICITY_MS, "PublicityNotOver");
                    }
                }
                broken.or(|| EventBody::AwardConfirmed {
                    award_seq: *award_seq,
                })
            }
            Command::RevokeAward { award_seq, reason } => {
                match self.awards.get(award_seq) {
                    None => broken.check(true, "UnknownAward"),
                    Some(a) => broken.check(a.state != AwardState::Pending, "AwardNotPending"),
                }
                broken.or(|| EventBody::AwardRevoked {
                    award_seq: *award_seq,
                    reason: reason.clone(),
                })
            }
            Command::Redeem {
                household, lines, ..
            } => self.decide_redeem(household, lines),
            Command::VoidSale { sale_seq, reason } => {
                match self.sales.iter().find(|s| s.seq == *sale_seq) {
                    None => broken.check(true, "UnknownSale"),
                    Some(s) => broken.check(s.voided, "AlreadyVoided"),
                }
                broken.or(|| EventBody::SaleVoided {
                    sale_seq: *sale_seq,
                    reason: reason.clone(),
                })
            }
            Command::ClearYear { year } => {
                broken.check(!self.policy.clear_at_year_end, "PolicyNeverClears");
                broken.check(*year >= china_day(now_ms).year, "YearNotOver");
                broken.check(
                    self.cleared_through.is_some_and(|c| c >= *year),
                    "YearAlreadyCleared",
                );
                broken.check(
                    self.awards
                        .values()
                        .any(|a| a.state == AwardState::Pending && a.year <= *year),
                    "PendingAwards",
                );
                // What is left of the credit of `year` and earlier; later credit stays.
                let cleared = self
                    .households
                    .iter()
                    .map(|(id, h)| {
                        let left: i64 = h.years.range(..=*year).map(|(_, y)| y.remaining()).sum();
                        (id.clone(), left)
                    })
                    .filter(|(_, left)| *left > 0)
                    .collect();
                broken.or(|| EventBody::YearCleared {
                    year: *year,
                    cleared,
                })
            }
            Command::SetPolicy { policy } => Ok(EventBody::PolicySet {
                policy: policy.clone(),
            }),
            Command::CloseSession => {
                let open = &self.session;
                broken.check(open.first_seq == 0, "SessionEmpty");
                broken.or(|| EventBody::SessionClosed {
                    session_no: open.session_no,
                    first_seq: open.first_seq,
                    last_seq: open.last_seq,
                    totals: open.totals.clone(),
                })
            }
            Command::CorrectClock { reason } => Ok(EventBody::ClockCorrected {
                fast_until_ms: self.last_ms,
                reason: reason.clone(),
            }),
            other => panic!("the model does not generate {other:?}"),
        }
    }

    fn decide_redeem(
        &self,
        household: &HouseholdRef,
        lines: &[(String, i64)],
    ) -> Result<EventBody, Refusals> {
        let mut broken = Broken::default();
        broken.check(lines.is_empty(), "EmptyCart");
        let found = match household {
            HouseholdRef::Id(id) => self.households.get(id).map(|h| (id, h.card.clone())),
            HouseholdRef::Card(card) => {
                let owner = self
                    .households
                    .iter()
                    .find(|(_, h)| h.card == *card || h.old_cards.contains(card));
                broken.check(owner.is_none(), "UnknownCard");
                broken.check(owner.is_some_and(|(_, h)| h.card != *card), "CardVoided");
                owner.map(|(id, _)| (id, card.clone()))
            }
        };
        if let HouseholdRef::Id(_) = household {
            broken.check(found.is_none(), "UnknownHousehold");
        }
        let mut sale_lines = Vec::new();
        let mut takes = Vec::new();
        let mut total = 0;
        let (mut points_zone, mut donation_zone) = (false, false);
        for (i, (goods_id, quantity)) in lines.iter().enumerate() {
            broken.check(*quantity <= 0, "QuantityNotPositive");
            broken.check(
                lines[..i].iter().any(|(g, _)| g == goods_id),
                "DuplicateLine",
            );
            let Some(goods) = self.goods.get(goods_id) else {
                broken.check(true, "UnknownGoods");
                continue;
            };
            if *quantity > 0 {
                match self.first_in_first_out(goods_id, *quantity) {
                    Some(line_takes) => takes.extend(line_takes),
                    None => broken.check(true, "StockShort"),
                }
            }
            if goods.donation_zone {
                donation_zone = true;
            } else {
                points_zone = true;
            }
            total += goods.price_points * quantity;
            sale_lines.push(SaleLine {
                goods_id: goods_id.clone(),
                quantity: *quantity,
                price_points: goods.price_points,
            });
        }
        // The donation zone opens after spending in the goods zone (seed 003 篇四).
        broken.check(donation_zone && !points_zone, "DonationZoneFirst");
        let credit = found
            .as_ref()
            .and_then(|(id, _)| self.spend_oldest_first(id, total));
        broken.check(found.is_some() && credit.is_none(), "BalanceShort");
        let (household_id, card_no) = match found {
            Some((id, card)) => (id.clone(), card),
            None => (String::new(), String::new()),
        };
        broken.or(|| EventBody::Redeemed {
            household_id,
            card_no,
            lines: sale_lines,
            total_points: total,
            proxy: None,
            takes,
            credit: credit.unwrap_or_default(),
        })
    }

    /// Units of an item taken from its lots, oldest lot first; `None` if they hold fewer.
    fn first_in_first_out(&self, goods_id: &str, quantity: i64) -> Option<Vec<LotTake>> {
        let mut left = quantity;
        let mut takes = Vec::new();
        for (seq, lot) in &self.lots {
            if left == 0 {
                break;
            }
            if lot.goods_id != goods_id || lot.remaining == 0 {
                continue;
            }
            let take = lot.remaining.min(left);
            takes.push(LotTake {
                goods_id: goods_id.to_string(),
                lot_seq: *seq,
                quantity: take,
            });
            left -= take;
        }
        (left == 0).then_some(takes)
    }

    /// Points spent from a household's credit, oldest year first; `None` if it has fewer.
    fn spend_oldest_first(&self, household_id: &str, points: i64) -> Option<Vec<YearPoints>> {
        let household = self.households.get(household_id)?;
        let mut left = points;
        let mut split = Vec::new();
        for (year, credit) in &household.years {
            let take = credit.remaining().min(left);
            if take > 0 {
                split.push(YearPoints {
                    year: *year,
                    points: take,
                });
                left -= take;
            }
        }
        (left == 0).then_some(split)
    }

    /// Applies one event (as the model decided it) at `time_ms`, as the next seq.
    fn apply(&mut self, body: &EventBody, time_ms: i64) {
        let seq = self.head_seq + 1;
        if !matches!(body, EventBody::SessionClosed { .. }) {
            self.count_in_session(body, seq);
        }
        match body {
            EventBody::HouseholdRegistered { household } => {
                self.households.insert(
                    household.household_id.clone(),
                    HouseholdModel {
                        card: household.card_no.clone(),
                        old_cards: Vec::new(),
                        pending: 0,
                        years: BTreeMap::new(),
                    },
                );
            }
            EventBody::CardReissued {
                household_id,
                new_card_no,
                ..
            } => {
                let h = self.households.get_mut(household_id).expect("household");
                let old = std::mem::replace(&mut h.card, new_card_no.clone());
                h.old_cards.push(old);
            }
            EventBody::GoodsDefined { goods } => {
                let entry = self
                    .goods
                    .entry(goods.goods_id.clone())
                    .or_insert(GoodsModel {
                        price_points: 0,
                        supplier: String::new(),
                        donation_zone: false,
                        received: 0,
                        adjusted: 0,
                        sold: 0,
                    });
                entry.price_points = goods.price_points;
                entry.supplier = goods.supplier.clone();
                entry.donation_zone = goods.zone == Zone::Donation;
            }
            EventBody::StockReceived {
                goods_id,
                quantity,
                source,
            } => {
                let origin = match source {
                    StockSource::Donation { donor } => LotOrigin::Donated(donor.clone()),
                    StockSource::Purchase { fund, .. } => LotOrigin::Fund(fund.clone()),
                    StockSource::Supply { merchant } => LotOrigin::Merchant(merchant.clone()),
                    StockSource::Transfer { from } => LotOrigin::Township(from.clone()),
                    other => panic!("the model does not receive {other:?}"),
                };
                self.add_lot(seq, goods_id, origin, *quantity);
                self.goods.get_mut(goods_id).expect("goods").received += quantity;
            }
            EventBody::StockAdjusted {
                goods_id,
                delta,
                takes,
                ..
            } => {
                if *delta > 0 {
                    self.add_lot(seq, goods_id, LotOrigin::Stocktake, *delta);
                }
                for take in takes {
                    let lot = self.lots.get_mut(&take.lot_seq).expect("lot");
                    lot.remaining -= take.quantity;
                    lot.lost += take.quantity;
                }
                self.goods.get_mut(goods_id).expect("goods").adjusted += delta;
            }
            EventBody::ScoreEntered {
                household_id,
                period,
                points,
                ..
            } => {
                self.awards.insert(
                    seq,
                    AwardModel {
                        household_id: household_id.clone(),
                        period: period.0.clone(),
                        year: period.0[..4].parse().expect("year"),
                        points: *points,
                        entered_ms: time_ms,
                        state: AwardState::Pending,
                    },
                );
                *self
                    .scored
                    .entry((period.0.clone(), household_id.clone()))
                    .or_insert(0) += 1;
                self.households
                    .get_mut(household_id)
                    .expect("household")
                    .pending += points;
            }
            EventBody::AwardConfirmed { award_seq } => {
                let award = self.awards.get_mut(award_seq).expect("award");
                award.state = AwardState::Confirmed;
                let (year, points) = (award.year, award.points);
                let h = self
                    .households
                    .get_mut(&award.household_id)
                    .expect("household");
                h.pending -= points;
                let credit = h.years.entry(year).or_default();
                credit.awarded += points;
                if self.cleared_through.is_some_and(|c| year <= c) {
                    credit.cleared += points;
                }
            }
            EventBody::AwardRevoked { award_seq, .. } => {
                let award = self.awards.get_mut(award_seq).expect("award");
                award.state = AwardState::Revoked;
                *self
                    .scored
                    .get_mut(&(award.period.clone(), award.household_id.clone()))
                    .expect("scored") -= 1;
                self.households
                    .get_mut(&award.household_id)
                    .expect("household")
                    .pending -= award.points;
            }
            EventBody::Redeemed {
                household_id,
                lines,
                total_points,
                takes,
                credit,
                ..
            } => {
                let h = self.households.get_mut(household_id).expect("household");
                for part in credit {
                    h.years.get_mut(&part.year).expect("year").spent += part.points;
                }
                for take in takes {
                    let lot = self.lots.get_mut(&take.lot_seq).expect("lot");
                    lot.remaining -= take.quantity;
                    lot.redeemed += take.quantity;
                }
                for line in lines {
                    self.goods.get_mut(&line.goods_id).expect("goods").sold += line.quantity;
                }
                self.sales.push(SaleModel {
                    seq,
                    household_id: household_id.clone(),
                    lines: lines.clone(),
                    total_points: *total_points,
                    takes: takes.clone(),
                    credit: credit.clone(),
                    time_ms,
                    voided: false,
                });
            }
            EventBody::SaleVoided { sale_seq, .. } => {
                let sale = self
                    .sales
                    .iter_mut()
                    .find(|s| s.seq == *sale_seq)
                    .expect("sale");
                sale.voided = true;
                let h = self
                    .households
                    .get_mut(&sale.household_id)
                    .expect("household");
                for part in &sale.credit {
                    let year = h.years.get_mut(&part.year).expect("year");
                    year.spent -= part.points;
                    // What would go back to a cleared year stays cleared.
                    if self.cleared_through.is_some_and(|c| part.year <= c) {
                        year.cleared += part.points;
                    }
                }
                for take in &sale.takes {
                    let lot = self.lots.get_mut(&take.lot_seq).expect("lot");
                    lot.remaining += take.quantity;
                    lot.redeemed -= take.quantity;
                }
                for line in &sale.lines {
                    self.goods.get_mut(&line.goods_id).expect("goods").sold -= line.quantity;
                }
            }
            EventBody::YearCleared { year, .. } => {
                for h in self.households.values_mut() {
                    for (_, credit) in h.years.range_mut(..=*year) {
                        credit.cleared += credit.remaining();
                    }
                }
                self.cleared_through = Some(self.cleared_through.map_or(*year, |c| c.max(*year)));
            }
            EventBody::PolicySet { policy } => self.policy = policy.clone(),
            EventBody::SessionClosed { .. } => {
                let next = SessionModel::new(self.session.session_no + 1);
                self.closed.push(std::mem::replace(&mut self.session, next));
            }
            EventBody::StationInitialized { .. }
            | EventBody::ClockConfirmed { .. }
            | EventBody::ClockCorrected { .. } => {}
            other => panic!("the model does not apply {other:?}"),
        }
        self.head_seq = seq;
        self.latest_event_ms = self.latest_event_ms.max(time_ms);
        self.last_ms = match body {
            // The manager's statement of the real time replaces the fast clock's.
            EventBody::ClockCorrected { .. } => time_ms,
            _ => self.last_ms.max(time_ms),
        };
    }

    fn add_lot(&mut self, seq: u64, goods_id: &str, origin: LotOrigin, units: i64) {
        self.lots.insert(
            seq,
            LotModel {
                goods_id: goods_id.to_string(),
                origin,
                received: units,
                redeemed: 0,
                lost: 0,
                remaining: units,
            },
        );
    }

    /// The X report: every event since the previous close counts.
    fn count_in_session(&mut self, body: &EventBody, seq: u64) {
        let totals = &mut self.session.totals;
        if self.session.first_seq == 0 {
            self.session.first_seq = seq;
        }
        self.session.last_seq = seq;
        totals.events += 1;
        match body {
            EventBody::Redeemed {
                lines,
                total_points,
                ..
            } => {
                totals.sales += 1;
                totals.points_spent += total_points;
                totals.units_sold += lines.iter().map(|l| l.quantity).sum::<i64>();
            }
            EventBody::SaleVoided { sale_seq, .. } => {
                let sale = self
                    .sales
                    .iter()
                    .find(|s| s.seq == *sale_seq)
                    .expect("sale");
                totals.voids += 1;
                totals.points_voided += sale.total_points;
                totals.units_sold -= sale.lines.iter().map(|l| l.quantity).sum::<i64>();
            }
            EventBody::StockReceived { quantity, .. } => totals.units_received += quantity,
            EventBody::ScoreEntered { .. } => totals.scores_entered += 1,
            EventBody::AwardConfirmed { award_seq } => {
                totals.points_confirmed += self.awards[award_seq].points;
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running the ledger beside the model.

fn head(ledger: &Ledger) -> (u64, [u8; 32]) {
    let view = ledger.view().expect("view");
    let meta = view.require_meta().expect("meta");
    (meta.head_seq, meta.head_hash)
}

fn refusal_name(refusal: &Refusal) -> String {
    format!("{refusal:?}")
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect()
}

fn threshold_policy() -> Policy {
    aixin::policies::builtin("threshold-score")
        .expect("policy")
        .expect("parses")
}

/// A new station at `START_MS` with the threshold-score policy (monthly scores, 一年一清),
/// and the model of it.
fn new_station(dir: &tempfile::TempDir) -> (Ledger, Model) {
    let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create");
    let policy = threshold_policy();
    assert_eq!(policy.point_value_fen, POINT_VALUE_FEN);
    assert_eq!(i64::from(policy.publicity_days) * DAY_MS, PUBLICITY_MS);
    let init = Command::Init {
        station_id: "P1".into(),
        name: "prop".into(),
        role: StationRole::Village,
        policy: policy.clone(),
    };
    let events = ledger
        .execute_at("t", &Moment::at(START_MS), &init)
        .expect("init");
    let mut model = Model::new(policy.clone());
    let expected = EventBody::StationInitialized {
        station_id: "P1".into(),
        name: "prop".into(),
        role: StationRole::Village,
        policy,
    };
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].body, expected);
    model.apply(&expected, START_MS);
    (ledger, model)
}

/// Runs one step on the ledger and checks it against the model's expectation.
fn step(ledger: &mut Ledger, model: &mut Model, step: &Step) -> Result<(), TestCaseError> {
    let Some((moment, commands)) = model.commands_for(step) else {
        return Ok(());
    };
    let before = head(ledger);
    let (expect, after) = model.plan(&moment, &commands);
    let result = match commands.as_slice() {
        [one] => ledger.execute_at("t", &moment, one),
        many => ledger.execute_batch_at("t", &moment, many),
    };
    match (expect, result) {
        (Expect::Accept(bodies), Ok(events)) => {
            let written: Vec<&EventBody> = events.iter().map(|e| &e.body).collect();
            let expected: Vec<&EventBody> = bodies.iter().collect();
            prop_assert_eq!(written, expected, "events of {:?}", step);
            for (i, event) in events.iter().enumerate() {
                prop_assert_eq!(event.seq, before.0 + 1 + i as u64);
                prop_assert_eq!(event.time_ms, moment.now_ms);
            }
            *model = after;
        }
        (Expect::Refuse { index, any_of }, Err(error)) => {
            let (at, refusal) = match error {
                StoreError::Refused(refusal) => (0, refusal),
                StoreError::BatchRefused { index, refusal } => (index, refusal),
                other => return Err(TestCaseError::fail(format!("storage: {other}"))),
            };
            let name = refusal_name(&refusal);
            prop_assert!(
                at == index && any_of.contains(name.as_str()),
                "{:?}: refused item {} with {:?}, the model expected item {} with one of {:?}",
                step,
                at,
                refusal,
                index,
                any_of
            );
            prop_assert_eq!(head(ledger), before, "a refusal changed the ledger");
        }
        (Expect::Accept(bodies), Err(error)) => {
            return Err(TestCaseError::fail(format!(
                "{step:?}: refused ({error}) but the model expected {bodies:?}"
            )));
        }
        (Expect::Refuse { index, any_of }, Ok(events)) => {
            return Err(TestCaseError::fail(format!(
                "{step:?}: accepted {events:?} but the model expected item {index} refused with one of {any_of:?}"
            )));
        }
    }
    check_state(ledger, model)
}

/// The ledger's derived state equals the model's.
fn check_state(ledger: &Ledger, model: &Model) -> Result<(), TestCaseError> {
    let view = ledger.view().expect("view");
    let state = view.state();
    let meta = view.require_meta().expect("meta");
    prop_assert_eq!(meta.head_seq, model.head_seq);
    prop_assert_eq!(meta.last_time_ms, model.last_ms);
    prop_assert_eq!(meta.session.session_no, model.session.session_no);
    prop_assert_eq!(meta.session.first_seq, model.session.first_seq);
    prop_assert_eq!(meta.session.last_seq, model.session.last_seq);
    prop_assert_eq!(&meta.session.totals, &model.session.totals, "X report");
    prop_assert_eq!(
        state.last_cleared_year().expect("read"),
        model.cleared_through
    );

    prop_assert_eq!(
        view.households().expect("read").len(),
        model.households.len()
    );
    for (id, m) in &model.households {
        let record = state.household(id).expect("read").expect("household");
        let mut years = Vec::new();
        for c in &record.credit {
            let remaining = c.remaining_points();
            prop_assert!(
                remaining >= 0 && c.spent_points >= 0 && c.cleared_points >= 0,
                "negative credit of {} in {}",
                c.year,
                id
            );
            let year = (
                c.year,
                c.awarded_points,
                c.spent_points,
                c.cleared_points,
                remaining,
            );
            if year != (c.year, 0, 0, 0, 0) {
                years.push(year);
            }
        }
        let expected: Vec<(i32, i64, i64, i64, i64)> = m
            .years
            .iter()
            .map(|(year, c)| (*year, c.awarded, c.spent, c.cleared, c.remaining()))
            .filter(|y| *y != (y.0, 0, 0, 0, 0))
            .collect();
        prop_assert_eq!(years, expected, "credit by year of {}", id);
        prop_assert!(record.balance_points >= 0, "negative balance for {}", id);
        prop_assert_eq!(record.balance_points, m.balance(), "balance of {}", id);
        let sums = |f: fn(&YearModel) -> i64| m.years.values().map(f).sum::<i64>();
        prop_assert_eq!(record.earned_points, sums(|y| y.awarded));
        prop_assert_eq!(record.spent_points, sums(|y| y.spent));
        prop_assert_eq!(record.cleared_points, sums(|y| y.cleared));
        prop_assert_eq!(record.pending_points, m.pending);
        prop_assert_eq!(&record.household.card_no, &m.card);
    }

    prop_assert_eq!(view.goods().expect("read").len(), model.goods.len());
    for (id, m) in &model.goods {
        let record = state.goods(id).expect("read").expect("goods");
        let lots: Vec<(u64, i64)> = record
            .lots
            .iter()
            .map(|l| (l.lot_seq, l.remaining_units))
            .collect();
        let expected: Vec<(u64, i64)> = model
            .lots
            .iter()
            .filter(|(_, l)| l.goods_id == *id && l.remaining > 0)
            .map(|(seq, l)| (*seq, l.remaining))
            .collect();
        prop_assert_eq!(lots, expected, "open lots of {}", id);
        prop_assert!(record.stock_units >= 0, "negative stock for {}", id);
        prop_assert_eq!(record.stock_units, model.stock(id), "stock of {}", id);
        prop_assert_eq!(record.received_units, m.received);
        prop_assert_eq!(record.adjusted_units, m.adjusted);
        prop_assert_eq!(record.sold_units, m.sold);
        prop_assert_eq!(
            record.received_units + record.adjusted_units,
            record.sold_units + record.stock_units
        );
    }
    Ok(())
}

/// Per quarter: units and points per merchant, donated, fund-bought, other.
#[derive(Debug, Default, PartialEq, Eq)]
struct QuarterSums {
    merchants: BTreeMap<String, (i64, i64)>,
    donated: (i64, i64),
    fund: (i64, i64),
    other: (i64, i64),
}

fn add(sums: &mut (i64, i64), units: i64, points: i64) {
    sums.0 += units;
    sums.1 += points;
}

/// The reports read from the whole ledger agree with the model and with each other.
fn check_reports(ledger: &Ledger, model: &Model) -> Result<(), TestCaseError> {
    for r in verify_all(ledger).expect("verify") {
        prop_assert!(r.problems.is_empty(), "verify: {:?}", r.problems);
    }
    let view = ledger.view().expect("view");

    // The lot ledger, lot by lot; per item received (and gains) = redeemed + lost + in stock.
    let lot_ledger = report::lot_ledger(&view).expect("lot ledger");
    let lines: Vec<_> = lot_ledger
        .lots
        .iter()
        .map(|l| {
            (
                l.lot_seq,
                l.goods_id.clone(),
                l.origin.clone(),
                l.received_units,
                l.redeemed_units,
                l.lost_units,
                l.shipped_units,
                l.in_stock_units,
                l.redeemed_units + l.lost_units + l.shipped_units + l.in_stock_units,
            )
        })
        .collect();
    let expected: Vec<_> = model
        .lots
        .iter()
        .map(|(seq, l)| {
            (
                *seq,
                l.goods_id.clone(),
                l.origin.clone(),
                l.received,
                l.redeemed,
                l.lost,
                0,
                l.remaining,
                l.received,
            )
        })
        .collect();
    prop_assert_eq!(lines, expected, "lot ledger");

    // Every redeemed unit is payable to one merchant, donated, fund-bought or other.
    let mut model_quarters: BTreeMap<String, QuarterSums> = BTreeMap::new();
    for sale in model.sales.iter().filter(|s| !s.voided) {
        let sums = model_quarters.entry(quarter_key(sale.time_ms)).or_default();
        for take in &sale.takes {
            let price = sale
                .lines
                .iter()
                .find(|l| l.goods_id == take.goods_id)
                .expect("line")
                .price_points;
            let (units, points) = (take.quantity, take.quantity * price);
            match &model.lots[&take.lot_seq].origin {
                LotOrigin::Merchant(m) => {
                    add(sums.merchants.entry(m.clone()).or_default(), units, points)
                }
                LotOrigin::Donated(_) => add(&mut sums.donated, units, points),
                LotOrigin::Fund(_) => add(&mut sums.fund, units, points),
                LotOrigin::Township(_) | LotOrigin::Stocktake => {
                    add(&mut sums.other, units, points)
                }
            }
        }
    }
    let mut quarters: BTreeSet<String> = model_quarters.keys().cloned().collect();
    let mut ms = START_MS;
    while ms <= model.latest_event_ms + DAY_MS {
        quarters.insert(quarter_key(ms));
        ms += 20 * DAY_MS;
    }
    let mut settled_units = 0;
    let mut donated_units = 0;
    for quarter in &quarters {
        let s = report::settlement(&view, quarter).expect("settlement");
        let mut sums = QuarterSums {
            donated: (s.donated_units, s.donated_points),
            fund: (s.fund_units, s.fund_points),
            other: (s.other_units, s.other_points),
            ..QuarterSums::default()
        };
        for m in &s.merchants {
            prop_assert_eq!(m.value_fen, m.points * POINT_VALUE_FEN);
            prop_assert_eq!(m.units, m.goods.iter().map(|g| g.2).sum::<i64>());
            prop_assert_eq!(m.points, m.goods.iter().map(|g| g.3).sum::<i64>());
            sums.merchants
                .insert(m.merchant.clone(), (m.units, m.points));
        }
        let expected = model_quarters.remove(quarter).unwrap_or_default();
        prop_assert_eq!(&sums, &expected, "settlement {}", quarter);
        settled_units += s.redeemed_units();
        donated_units += s.donated_units;
    }
    let redeemed: i64 = model
        .sales
        .iter()
        .filter(|s| !s.voided)
        .flat_map(|s| &s.lines)
        .map(|l| l.quantity)
        .sum();
    prop_assert_eq!(
        settled_units,
        redeemed,
        "settlements cover every redeemed unit"
    );
    prop_assert_eq!(
        lot_ledger
            .lots
            .iter()
            .map(|l| l.redeemed_units)
            .sum::<i64>(),
        redeemed
    );

    // The donations ledger: lot by lot, and in all the settlements' donated units.
    let donations = report::donation_report(&view).expect("donations");
    let lines: Vec<_> = donations
        .lines
        .iter()
        .map(|l| {
            (
                l.seq,
                l.donor.clone(),
                l.goods_id.clone(),
                l.quantity,
                l.redeemed_units,
                l.in_stock_units,
                l.other_units,
            )
        })
        .collect();
    let expected: Vec<_> = model
        .lots
        .iter()
        .filter_map(|(seq, l)| match &l.origin {
            LotOrigin::Donated(donor) => Some((
                *seq,
                donor.clone(),
                l.goods_id.clone(),
                l.received,
                l.redeemed,
                l.remaining,
                l.lost,
            )),
            _ => None,
        })
        .collect();
    prop_assert_eq!(lines, expected, "donations ledger");
    prop_assert_eq!(
        donations
            .by_donor
            .iter()
            .map(|d| d.redeemed_units)
            .sum::<i64>(),
        donated_units,
        "donations ledger and settlements agree on donated units"
    );

    // Every Z froze the X of its session; the open session's X is the model's.
    for closed in &model.closed {
        let z = report::session_report(&view, Some(closed.session_no)).expect("Z report");
        prop_assert_eq!(z.first_seq, closed.first_seq);
        prop_assert_eq!(z.last_seq, closed.last_seq);
        prop_assert_eq!(&z.totals, &closed.totals, "Z{}", closed.session_no);
    }
    let x = report::session_report(&view, None).expect("X report");
    prop_assert_eq!(&x.totals, &model.session.totals);

    // Points: awarded = spent + cleared + remaining over everyone.
    let all = |f: fn(&YearModel) -> i64| -> i64 {
        model
            .households
            .values()
            .flat_map(|h| h.years.values())
            .map(f)
            .sum()
    };
    prop_assert_eq!(
        all(|y| y.awarded),
        all(|y| y.spent) + all(|y| y.cleared) + all(YearModel::remaining)
    );
    Ok(())
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ledger, mut model) = new_station(&dir);
    for s in steps {
        step(&mut ledger, &mut model, s)?;
    }
    check_reports(&ledger, &model)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// From an empty station: most commands are refused at first, for every reason.
    #[test]
    fn ledger_matches_reference_model(steps in steps(advance(), 3, 60)) {
        run(&steps)?;
    }

    /// From a funded shop, so that sales, voids, stocktakes and clearings happen often, over
    /// months and a year end or two.
    #[test]
    fn funded_shop_matches_reference_model(steps in steps(advance(), 3, 120)) {
        let mut all = funded_prelude();
        all.extend(steps);
        run(&all)?;
    }

    /// From the funded shop on 8 January, time passing slowly: spending across two credit
    /// years, late December scores, clearing of the old year, voids of sales that took
    /// cleared credit.
    #[test]
    fn year_end_matches_reference_model(steps in steps(advance_slowly(), 1, 150)) {
        let mut all = year_end_prelude();
        all.extend(steps);
        run(&all)?;
    }
}

/// Found by the properties above: `close-day` whose date the manager confirmed (more than 30
/// days after the last event, e.g. the first action after a month closed) used to put the
/// `ClockConfirmed` event in front of the close, so the close named a session range that was
/// no longer the open session's and `apply` refused it as a fault. Now the close closes the
/// session as it stood and the confirmation opens the next one.
#[test]
fn a_close_after_a_confirmed_gap_closes_the_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ledger, mut model) = new_station(&dir);
    let later_ms = START_MS + 31 * DAY_MS;
    let moment = Moment::confirmed(later_ms, civil(china_day(later_ms)));
    let events = ledger
        .execute_at("t", &moment, &Command::CloseSession)
        .expect("the close is accepted");
    let kinds: Vec<&str> = events.iter().map(|e| e.body.kind()).collect();
    assert_eq!(kinds, ["session_closed", "clock_confirmed"]);
    let (expect, after) = model.plan(&moment, &[Command::CloseSession]);
    let Expect::Accept(bodies) = expect else {
        panic!("the model accepts the close");
    };
    assert_eq!(
        events.iter().map(|e| &e.body).collect::<Vec<_>>(),
        bodies.iter().collect::<Vec<_>>()
    );
    model = after;
    let view = ledger.view().expect("view");
    assert_eq!(
        view.require_meta().expect("meta").session.session_no,
        model.session.session_no
    );
    for r in verify_all(&ledger).expect("verify") {
        assert!(r.problems.is_empty(), "verify: {:?}", r.problems);
    }
}
