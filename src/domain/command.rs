//! What a user asks the station to do, and the rules that decide it. [`decide`] reads the
//! derived state and either returns the events to append or the [`Refusal`] that says why not.
//! It never writes: the caller applies the events in the same transaction that stores them.

use super::event::{EventBody, Goods, Household, SaleLine, StationRole, StockSource, Zone};
use super::operator::{OperatorRole, Pin};
use super::policy::{eligible_by_rank, Policy};
use super::refusal::Refusal;
use super::score_items::{ItemScore, ScoreSheet};
use super::state::{AwardStatus, Fault, State, StationMeta};
use super::time::{
    check_clock, parse_period, period_start, CivilDate, ClockProblem, ClockVerdict, Moment,
    CLOCK_SKEW_MS_MAX,
};
use super::{credit, lots, year_end};

/// At most this many lines in one redemption.
pub const CART_LINES_MAX: usize = 50;
/// At most this many units of one item in one line or movement.
pub const QUANTITY_MAX: i64 = 100_000;
/// At most this many characters in a name, id or reason.
pub const TEXT_CHARS_MAX: usize = 64;
/// At most this many points for one item.
pub const PRICE_POINTS_MAX: i64 = 100_000;

/// Which household a redemption is for: by card (the usual way) or by household id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HouseholdRef {
    /// The card number as scanned or typed.
    Card(String),
    /// The household id.
    Id(String),
}

/// A request to change the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Create the station (first event).
    Init {
        station_id: String,
        name: String,
        role: StationRole,
        policy: Policy,
    },
    /// Replace the policy.
    SetPolicy { policy: Policy },
    /// Open a household's file.
    RegisterHousehold { household: Household },
    /// Replace a lost card.
    ReissueCard {
        household_id: String,
        new_card_no: String,
    },
    /// Define a catalog item as given, new or changed (`goods edit`, a sheet's new rows). To
    /// add an item use `AddGoods`, which never redefines a held id.
    DefineGoods { goods: Goods },
    /// Receive stock.
    ReceiveStock {
        goods_id: String,
        quantity: i64,
        source: StockSource,
    },
    /// Record a stocktake difference.
    AdjustStock {
        goods_id: String,
        delta: i64,
        reason: String,
    },
    /// Enter a committee score.
    EnterScore {
        household_id: String,
        period: String,
        score: i64,
        note: String,
    },
    /// Enter a committee score by item (评分细则): the policy's sheet adds them up.
    EnterItemScores {
        household_id: String,
        period: String,
        items: Vec<ItemScore>,
        note: String,
    },
    /// Set the policy's score sheet (after `Init` or `SetPolicy`, from the policy file).
    SetScoreSheet { sheet: ScoreSheet },
    /// Confirm an award after publicity.
    ConfirmAward { award_seq: u64 },
    /// Revoke an award after an objection.
    RevokeAward { award_seq: u64, reason: String },
    /// Spend points on a cart of goods.
    Redeem {
        household: HouseholdRef,
        lines: Vec<(String, i64)>,
        proxy: Option<String>,
    },
    /// Reverse a sale.
    VoidSale { sale_seq: u64, reason: String },
    /// Year-end clearing (一年一清): remove what is left of the credit of `year` and earlier.
    ClearYear { year: i32 },
    /// Close the open till session (日结, the Z report): everything since the previous close.
    CloseSession,
    /// The computer clock was fast and is right now: record the manager's statement so that
    /// writes may go on at the real time (`aixin clock correct`).
    CorrectClock { reason: String },
    /// Enroll another station's public keys for sync (the signed roster).
    EnrollStation {
        station_id: String,
        role: StationRole,
        verifying_key: [u8; 32],
        age_recipient: String,
    },
    /// Revoke a station's key: its bundles created at or after `from_ms` are refused.
    RevokeStation { station_id: String, from_ms: i64 },
    /// Township: send goods from the township's stock to a village.
    ShipGoods {
        to_station: String,
        goods_id: String,
        quantity: i64,
    },
    /// Township: set a village's policy (for the county).
    IssuePolicy { to_station: String, policy: Policy },
    /// Township: add a household to a village's list (for the county).
    IssueHousehold {
        to_station: String,
        household: Household,
    },
    /// Add an operator with a role and a PIN (the PIN is hashed into the station's local
    /// table by the store; the event records only the name and role).
    AddOperator {
        name: String,
        role: OperatorRole,
        pin: Pin,
    },
    /// Set an operator's PIN anew (their own, or anyone's by a manager).
    ChangePin { name: String, pin: Pin },
    /// Change an operator's role (a manager's command).
    SetOperatorRole { name: String, role: OperatorRole },
    /// Remove an operator (a manager's command); their events keep their name.
    RemoveOperator { name: String },
    /// Correct a household's file: its head, members, group, phone and registered-poor flag
    /// (`household` carries the id and the current card, unchanged).
    EditHousehold { household: Household },
    /// Set the stock level below which an item is listed as running low (0: no reminder).
    SetLowStock { goods_id: String, units: i64 },
    /// Township: set a village's score sheet with its policy (for the county).
    IssueScoreSheet {
        to_station: String,
        sheet: ScoreSheet,
    },
    /// Add a new catalog item (`goods add`, the till's new-item form): a held id is refused
    /// unless given exactly as held (then nothing is written). See [`super::catalog`].
    AddGoods { goods: Goods },
    /// Village, on import: the township's catalog entry for an id; a different item under the
    /// village's id is refused and left alone. See [`super::catalog::take_township_goods`].
    TakeTownshipGoods { goods: Goods },
    /// Village, on import: a township shipment of the item the township defines as `goods`,
    /// one lot per `(units, source)`; never received into a different item. See
    /// [`super::catalog::receive_shipment`].
    ReceiveShipment {
        goods: Goods,
        lots: Vec<(i64, StockSource)>,
    },
}

/// The outcome when a command is not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    /// A rule refused it.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The state could not be read.
    #[error(transparent)]
    Fault(#[from] Fault),
}

impl From<Refusal> for DecideError {
    fn from(r: Refusal) -> Self {
        DecideError::Refused(r)
    }
}

type Decision = Result<Vec<EventBody>, DecideError>;

/// Decides a command at `now_ms` (UTC) against the current state, with nobody having
/// confirmed the date: see [`decide_at`].
pub fn decide(state: &dyn State, command: &Command, now_ms: i64) -> Decision {
    decide_at(state, command, &Moment::at(now_ms))
}

/// Decides a command at `moment` against the current state: the events to append, or the
/// refusal. The clock is checked first (PRODUCT.md, "Clocks are checked"): a time before the
/// last event is refused (except a clock correction), and a time far past it is accepted only
/// when the manager confirmed the date, which is recorded as a `ClockConfirmed` event.
pub fn decide_at(state: &dyn State, command: &Command, moment: &Moment) -> Decision {
    let meta = state.meta()?;
    let now_ms = moment.now_ms;
    let last_ms = meta.as_ref().map(|m| m.last_time_ms);
    let verdict = match (command, last_ms) {
        (Command::CorrectClock { .. }, Some(last_ms)) => {
            check_correction(moment, last_ms)?;
            ClockVerdict::Plausible
        }
        _ => check_clock(moment, last_ms).map_err(|p| clock_refusal(p, now_ms))?,
    };
    let confirmation = match verdict {
        ClockVerdict::Plausible => None,
        ClockVerdict::Confirmed { last_ms } => Some(EventBody::ClockConfirmed {
            date: moment.date().to_string(),
            last_ms: last_ms.unwrap_or(super::time::BUILD_MS),
        }),
    };
    let mut events = decide_command(state, meta, command, moment)?;
    if let Some(confirmed) = confirmation {
        // The confirmation comes before the write it allowed, except after the station's first
        // event (which must stay first) and after a session close (which closes the session
        // as it stood; the confirmed date opens the next one).
        let at = match command {
            Command::Init { .. } | Command::CloseSession => events.len(),
            _ => 0,
        };
        events.insert(at, confirmed);
    }
    Ok(events)
}

fn clock_refusal(problem: ClockProblem, now_ms: i64) -> Refusal {
    match problem {
        ClockProblem::BehindLedger { last_ms } => Refusal::ClockBehind { now_ms, last_ms },
        ClockProblem::BeforeEpoch => Refusal::ClockReset { now_ms },
        ClockProblem::NeedsConfirmation { last_ms } => {
            Refusal::ClockUnconfirmed { now_ms, last_ms }
        }
        ClockProblem::ConfirmedOtherDate { confirmed } => Refusal::ClockOtherDate {
            confirmed: confirmed.to_string(),
            now_ms,
        },
    }
}

/// A clock correction is for a clock that is now behind the ledger; it may not itself be a
/// reset clock, and a date the manager confirms must be the clock's date.
fn check_correction(moment: &Moment, last_ms: i64) -> Result<(), Refusal> {
    match check_clock(moment, None) {
        Err(ClockProblem::BeforeEpoch) => Err(Refusal::ClockReset {
            now_ms: moment.now_ms,
        }),
        Err(ClockProblem::ConfirmedOtherDate { confirmed }) => Err(Refusal::ClockOtherDate {
            confirmed: confirmed.to_string(),
            now_ms: moment.now_ms,
        }),
        _ if moment.now_ms >= last_ms - CLOCK_SKEW_MS_MAX => {
            Err(Refusal::ClockNotBehind { last_ms })
        }
        _ => Ok(()),
    }
}

fn decide_command(
    state: &dyn State,
    meta: Option<StationMeta>,
    command: &Command,
    moment: &Moment,
) -> Decision {
    let now_ms = moment.now_ms;
    if let Command::Init {
        station_id,
        name,
        role,
        policy,
    } = command
    {
        if meta.is_some() {
            return Err(Refusal::AlreadyInitialized.into());
        }
        text(name, "name")?;
        let station_id =
            super::station::check_station_id(station_id, name).map_err(Refusal::BadStationId)?;
        policy
            .check()
            .map_err(|e| Refusal::BadPolicy(e.to_string()))?;
        return Ok(vec![EventBody::StationInitialized {
            station_id,
            name: name.clone(),
            role: *role,
            policy: policy.clone(),
        }]);
    }
    let meta = meta.ok_or(Refusal::NotInitialized)?;
    let today = CivilDate::from_utc_ms(now_ms);
    match command {
        Command::Init { .. } => Err(Refusal::AlreadyInitialized.into()),
        Command::SetPolicy { policy } => {
            policy
                .check()
                .map_err(|e| Refusal::BadPolicy(e.to_string()))?;
            Ok(vec![EventBody::PolicySet {
                policy: policy.clone(),
            }])
        }
        Command::RegisterHousehold { household } => register_household(state, household),
        Command::ReissueCard {
            household_id,
            new_card_no,
        } => reissue_card(state, household_id, new_card_no),
        Command::DefineGoods { goods } => define_goods(state, &meta, goods),
        Command::ReceiveStock {
            goods_id,
            quantity,
            source,
        } => receive_stock(state, goods_id, *quantity, source),
        Command::AdjustStock {
            goods_id,
            delta,
            reason,
        } => adjust_stock(state, goods_id, *delta, reason),
        Command::EnterScore {
            household_id,
            period,
            score,
            note,
        } => {
            village_only(&meta)?;
            enter_score(
                state,
                &meta.policy,
                today,
                household_id,
                period,
                *score,
                note,
            )
        }
        Command::EnterItemScores {
            household_id,
            period,
            items,
            note,
        } => {
            village_only(&meta)?;
            let sheet = meta.score_sheet.as_ref().ok_or(Refusal::NoScoreSheet)?;
            let (score, items) = sheet.total(items)?;
            let entered = score_entry(
                state,
                &meta.policy,
                today,
                household_id,
                period,
                score,
                note,
            )?;
            Ok(vec![EventBody::ItemScoresEntered {
                household_id: household_id.clone(),
                period: entered.period,
                score,
                points: entered.points,
                note: note.clone(),
                items,
            }])
        }
        Command::SetScoreSheet { sheet } => {
            sheet
                .check()
                .map_err(|e| Refusal::BadPolicy(e.to_string()))?;
            Ok(vec![EventBody::ScoreSheetSet {
                sheet: sheet.clone(),
            }])
        }
        Command::ConfirmAward { award_seq } => {
            confirm_award(state, &meta.policy, *award_seq, now_ms)
        }
        Command::RevokeAward { award_seq, reason } => revoke_award(state, *award_seq, reason),
        Command::Redeem {
            household,
            lines,
            proxy,
        } => {
            village_only(&meta)?;
            redeem(state, &meta.policy, today, household, lines, proxy)
        }
        Command::VoidSale { sale_seq, reason } => void_sale(state, *sale_seq, reason),
        Command::ClearYear { year } => {
            let preview = year_end::preview(state, &meta.policy, today, *year)?;
            Ok(vec![EventBody::YearCleared {
                year: *year,
                cleared: preview
                    .households
                    .iter()
                    .map(|h| (h.household_id.clone(), h.cleared_points))
                    .collect(),
            }])
        }
        Command::CloseSession => {
            let open = &meta.session;
            if open.is_empty() {
                return Err(Refusal::SessionEmpty {
                    session_no: open.session_no,
                }
                .into());
            }
            Ok(vec![EventBody::SessionClosed {
                session_no: open.session_no,
                first_seq: open.first_seq,
                last_seq: open.last_seq,
                totals: open.totals.clone(),
            }])
        }
        Command::CorrectClock { reason } => {
            text(reason, "reason")?;
            Ok(vec![EventBody::ClockCorrected {
                fast_until_ms: meta.last_time_ms,
                reason: reason.clone(),
            }])
        }
        Command::EnrollStation { .. }
        | Command::RevokeStation { .. }
        | Command::ShipGoods { .. }
        | Command::IssuePolicy { .. }
        | Command::IssueHousehold { .. }
        | Command::IssueScoreSheet { .. } => super::roster::decide_sync(state, &meta, command),
        Command::AddOperator { .. }
        | Command::ChangePin { .. }
        | Command::SetOperatorRole { .. }
        | Command::RemoveOperator { .. } => super::operator::decide_operator(&meta, command),
        Command::EditHousehold { household } => super::household::edit(state, household),
        Command::SetLowStock { goods_id, units } => {
            super::stock::set_low_stock(state, goods_id, *units)
        }
        Command::AddGoods { goods } => super::catalog::add_goods(state, &meta, goods),
        Command::TakeTownshipGoods { goods } => {
            super::catalog::take_township_goods(state, &meta, goods)
        }
        Command::ReceiveShipment { goods, lots } => {
            super::catalog::receive_shipment(state, &meta, goods, lots)
        }
    }
}

pub(super) fn village_only(meta: &StationMeta) -> Result<(), Refusal> {
    if meta.role == StationRole::Village {
        Ok(())
    } else {
        Err(Refusal::WrongRole)
    }
}

pub(super) fn text(value: &str, field: &'static str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::EmptyField(field));
    }
    optional_text(value, field)
}

pub(super) fn optional_text(value: &str, field: &'static str) -> Result<(), Refusal> {
    if value.chars().count() > TEXT_CHARS_MAX || value.chars().any(char::is_control) {
        return Err(Refusal::TooLong(field));
    }
    Ok(())
}

pub(super) fn quantity(q: i64) -> Result<(), Refusal> {
    if q <= 0 {
        return Err(Refusal::QuantityNotPositive);
    }
    if q > QUANTITY_MAX {
        return Err(Refusal::QuantityTooLarge(q));
    }
    Ok(())
}

/// At most this many members besides the head in one household's file.
pub const MEMBERS_MAX: usize = 32;

/// The fields of a household's file, as registration and a correction both check them.
pub(super) fn household_fields(h: &Household) -> Result<(), Refusal> {
    text(&h.household_id, "household id")?;
    text(&h.card_no, "card number")?;
    text(&h.head, "head of household")?;
    optional_text(&h.group, "group")?;
    optional_text(&h.phone, "phone")?;
    if h.members.len() > MEMBERS_MAX {
        return Err(Refusal::TooLong("members"));
    }
    for m in &h.members {
        text(m, "member")?;
    }
    Ok(())
}

fn register_household(state: &dyn State, h: &Household) -> Decision {
    household_fields(h)?;
    if state.household(&h.household_id)?.is_some() {
        return Err(Refusal::HouseholdExists(h.household_id.clone()).into());
    }
    if state.card(&h.card_no)?.is_some() {
        return Err(Refusal::CardInUse(h.card_no.clone()).into());
    }
    Ok(vec![EventBody::HouseholdRegistered {
        household: h.clone(),
    }])
}

fn reissue_card(state: &dyn State, household_id: &str, new_card_no: &str) -> Decision {
    text(new_card_no, "card number")?;
    let record = state
        .household(household_id)?
        .ok_or_else(|| Refusal::UnknownHousehold(household_id.to_string()))?;
    if state.card(new_card_no)?.is_some() {
        return Err(Refusal::CardInUse(new_card_no.to_string()).into());
    }
    Ok(vec![EventBody::CardReissued {
        household_id: household_id.to_string(),
        old_card_no: record.household.card_no,
        new_card_no: new_card_no.to_string(),
    }])
}

/// Decides a catalog definition as given (a new item, or `goods edit`'s change): the text
/// fields, a price above 0, a zone the policy has, a barcode no other item holds.
pub(super) fn define_goods(state: &dyn State, meta: &StationMeta, g: &Goods) -> Decision {
    text(&g.goods_id, "goods id")?;
    text(&g.name, "goods name")?;
    optional_text(&g.unit, "unit")?;
    optional_text(&g.barcode, "barcode")?;
    optional_text(&g.category, "category")?;
    optional_text(&g.supplier, "supplier")?;
    if g.price_points <= 0 || g.price_points > PRICE_POINTS_MAX {
        return Err(Refusal::PriceNotPositive.into());
    }
    if let Zone::Points(z) = g.zone {
        if !meta.policy.zones.is_empty() && !meta.policy.zones.contains(&z) {
            return Err(Refusal::UnknownZone(z).into());
        }
    }
    if !g.barcode.is_empty() {
        if let Some(owner) = state.barcode(&g.barcode)? {
            if owner != g.goods_id {
                return Err(Refusal::BarcodeInUse {
                    barcode: g.barcode.clone(),
                    goods_id: owner,
                }
                .into());
            }
        }
    }
    Ok(vec![EventBody::GoodsDefined { goods: g.clone() }])
}

fn receive_stock(state: &dyn State, goods_id: &str, q: i64, source: &StockSource) -> Decision {
    quantity(q)?;
    // The catalog's supplier is only the default for a new supply lot (PRODUCT.md, "Stock
    // comes in lots"): a supply with no merchant named is the catalog supplier's.
    if let StockSource::Supply { merchant } = source {
        if merchant.trim().is_empty() {
            let goods = state
                .goods(goods_id)?
                .ok_or_else(|| Refusal::UnknownGoods(goods_id.to_string()))?;
            if goods.goods.supplier.trim().is_empty() {
                return Err(Refusal::NoMerchant(goods_id.to_string()).into());
            }
            let named = StockSource::Supply {
                merchant: goods.goods.supplier,
            };
            return receive_stock(state, goods_id, q, &named);
        }
    }
    check_source(source)?;
    state
        .goods(goods_id)?
        .ok_or_else(|| Refusal::UnknownGoods(goods_id.to_string()))?;
    Ok(vec![EventBody::StockReceived {
        goods_id: goods_id.to_string(),
        quantity: q,
        source: source.clone(),
    }])
}

/// The checks of a lot's source: who donated, supplied or sent it is named; a purchase says
/// what it cost.
pub(super) fn check_source(source: &StockSource) -> Result<(), Refusal> {
    match source {
        StockSource::Donation { donor } => text(donor, "donor"),
        StockSource::Purchase { fund, cost_fen } => {
            text(fund, "fund")?;
            if *cost_fen <= 0 {
                return Err(Refusal::CostNotPositive);
            }
            Ok(())
        }
        StockSource::Transfer { from } => text(from, "transfer source"),
        StockSource::Supply { merchant } => text(merchant, "merchant"),
        StockSource::Shipment { from, .. } => text(from, "transfer source"),
    }
}

fn adjust_stock(state: &dyn State, goods_id: &str, delta: i64, reason: &str) -> Decision {
    text(reason, "reason")?;
    if delta == 0 {
        return Err(Refusal::AdjustmentZero.into());
    }
    if delta.abs() > QUANTITY_MAX {
        return Err(Refusal::QuantityTooLarge(delta.abs()).into());
    }
    let goods = state
        .goods(goods_id)?
        .ok_or_else(|| Refusal::UnknownGoods(goods_id.to_string()))?;
    // A loss takes from the oldest lots; a gain is a lot of its own.
    let takes = if delta < 0 {
        take_units(goods_id, &goods, -delta)?
    } else {
        Vec::new()
    };
    Ok(vec![EventBody::StockAdjusted {
        goods_id: goods_id.to_string(),
        delta,
        reason: reason.to_string(),
        takes,
    }])
}

/// The lots `wanted` units of an item come from (first in, first out), or the refusal that
/// the shelf holds fewer.
pub(super) fn take_units(
    goods_id: &str,
    goods: &super::state::GoodsRecord,
    wanted: i64,
) -> Result<Vec<super::event::LotTake>, Refusal> {
    lots::take_fifo(goods_id, &goods.lots, wanted).ok_or_else(|| Refusal::StockShort {
        goods_id: goods_id.to_string(),
        stock_units: lots::units_in_lots(goods),
        wanted,
    })
}

/// Refuses a score or award for a period of a year that year-end clearing already closed.
fn year_open(state: &dyn State, period: &super::event::PeriodKey) -> Result<(), DecideError> {
    let (Some(year), Some(cleared)) = (period.year(), state.last_cleared_year()?) else {
        return Ok(());
    };
    if year <= cleared {
        return Err(Refusal::YearCleared {
            period: period.0.clone(),
            year,
        }
        .into());
    }
    Ok(())
}

/// A score the rules accept: its period key and the points it earns.
struct ScoreEntry {
    period: super::event::PeriodKey,
    points: i64,
}

fn enter_score(
    state: &dyn State,
    policy: &Policy,
    today: CivilDate,
    household_id: &str,
    period: &str,
    score: i64,
    note: &str,
) -> Decision {
    let entered = score_entry(state, policy, today, household_id, period, score, note)?;
    Ok(vec![EventBody::ScoreEntered {
        household_id: household_id.to_string(),
        period: entered.period,
        score,
        points: entered.points,
        note: note.to_string(),
    }])
}

/// The rules every score goes through, typed as a total or added up from the score sheet's
/// items: the period is well formed, begun and of a year not yet cleared, the household is
/// known, the score is within the policy's range, the cap and the village budget.
fn score_entry(
    state: &dyn State,
    policy: &Policy,
    today: CivilDate,
    household_id: &str,
    period: &str,
    score: i64,
    note: &str,
) -> Result<ScoreEntry, DecideError> {
    optional_text(note, "note")?;
    let period = parse_period(period, policy.period)
        .ok_or_else(|| Refusal::BadPeriod(period.to_string()))?;
    if period_start(&period).is_none_or(|start| start > today) {
        return Err(Refusal::PeriodInFuture(period.0.clone()).into());
    }
    year_open(state, &period)?;
    state
        .household(household_id)?
        .ok_or_else(|| Refusal::UnknownHousehold(household_id.to_string()))?;
    let tally = state.tally(&period, household_id)?.unwrap_or_default();
    let points = match score_points(policy, &period, &tally, score) {
        Err(Refusal::AlreadyScored { period: key, .. }) => {
            return Err(already_scored(state, household_id, &period, key)?.into())
        }
        other => other?,
    };
    if let Some((budget_key, budget)) = policy.budget_for_period(&period) {
        let used = state.budget_used(&budget_key)?;
        if used + points > budget {
            return Err(Refusal::BudgetExceeded {
                budget_key,
                budget,
                used,
                adding: points,
            }
            .into());
        }
    }
    Ok(ScoreEntry { period, points })
}

/// The refusal of a second score for `period`, naming the live score's award number while it
/// is still in publicity (so the refusal can say `aixin award revoke N`), or saying it stands
/// once confirmed. A live score that is not pending is confirmed: the tally counts live scores
/// only.
fn already_scored(
    state: &dyn State,
    household_id: &str,
    period: &super::event::PeriodKey,
    key: String,
) -> Result<Refusal, DecideError> {
    let pending_award = state
        .pending_awards()?
        .into_iter()
        .find(|a| a.household_id == household_id && &a.period == period)
        .map(|a| a.seq);
    Ok(Refusal::AlreadyScored {
        period: key,
        confirmed: pending_award.is_none(),
        pending_award,
    })
}

/// The score and points of a score entered by item, for the till's preview: the sheet adds the
/// items up (refusing an unknown item or one outside its bounds) and [`score_points`] takes
/// the total. As with [`score_points`], the village budget is checked only by [`decide`].
pub fn item_score_points(
    policy: &Policy,
    sheet: &ScoreSheet,
    period: &super::event::PeriodKey,
    tally: &super::state::PeriodTally,
    items: &[ItemScore],
) -> Result<(i64, i64), Refusal> {
    let (score, _) = sheet.total(items)?;
    let points = score_points(policy, period, tally, score)?;
    Ok((score, points))
}

/// The points a `score` earns for a household whose tally for `period` is `tally`, or the
/// refusal the committee would get: out of the policy's range, already scored this period,
/// or over the per-period cap. This is the score preview the till shows as the manager types
/// and the rule [`decide`] applies when the score is entered; the village budget, which needs
/// the whole village's awards, is checked only by [`decide`].
pub fn score_points(
    policy: &Policy,
    period: &super::event::PeriodKey,
    tally: &super::state::PeriodTally,
    score: i64,
) -> Result<i64, Refusal> {
    if score < policy.score_min || score > policy.score_max {
        return Err(Refusal::ScoreOutOfRange {
            score,
            min: policy.score_min,
            max: policy.score_max,
        });
    }
    if policy.one_score_per_period && tally.entries > 0 {
        return Err(Refusal::AlreadyScored {
            period: period.0.clone(),
            pending_award: None,
            confirmed: false,
        });
    }
    let points = policy.points_for_score(score);
    let cap = policy.points_cap_per_period;
    if cap > 0 && tally.points + points > cap {
        return Err(Refusal::CapExceeded {
            period: period.0.clone(),
            cap,
            already: tally.points,
            adding: points,
        });
    }
    Ok(points)
}

fn confirm_award(state: &dyn State, policy: &Policy, seq: u64, now_ms: i64) -> Decision {
    let award = state.award(seq)?.ok_or(Refusal::UnknownAward(seq))?;
    if award.status != AwardStatus::Pending {
        return Err(Refusal::AwardNotPending(seq).into());
    }
    year_open(state, &award.period)?;
    let until_ms = super::publicity::publicity_until_ms(award.entered_ms, policy);
    if now_ms < until_ms {
        return Err(Refusal::PublicityNotOver { until_ms }.into());
    }
    Ok(vec![EventBody::AwardConfirmed { award_seq: seq }])
}

fn revoke_award(state: &dyn State, seq: u64, reason: &str) -> Decision {
    text(reason, "reason")?;
    let award = state.award(seq)?.ok_or(Refusal::UnknownAward(seq))?;
    if award.status != AwardStatus::Pending {
        return Err(Refusal::AwardNotPending(seq).into());
    }
    Ok(vec![EventBody::AwardRevoked {
        award_seq: seq,
        reason: reason.to_string(),
    }])
}

fn resolve_household(
    state: &dyn State,
    household: &HouseholdRef,
) -> Result<(String, String), DecideError> {
    match household {
        HouseholdRef::Card(card_no) => {
            let entry = state
                .card(card_no)?
                .ok_or_else(|| Refusal::UnknownCard(card_no.clone()))?;
            if !entry.active {
                return Err(Refusal::CardVoided {
                    card_no: card_no.clone(),
                    household_id: entry.household_id,
                }
                .into());
            }
            Ok((entry.household_id, card_no.clone()))
        }
        HouseholdRef::Id(id) => {
            let record = state
                .household(id)?
                .ok_or_else(|| Refusal::UnknownHousehold(id.clone()))?;
            Ok((id.clone(), record.household.card_no))
        }
    }
}

/// Checks whether a household may redeem today under the policy's window and eligibility.
pub fn redemption_gate(
    state: &dyn State,
    policy: &Policy,
    today: CivilDate,
    household_id: &str,
) -> Result<(), DecideError> {
    if !policy.redemption_open(today) {
        return Err(Refusal::OutsideWindow.into());
    }
    if let Some(eligibility) = &policy.eligibility {
        let period = today.previous_period(policy.period);
        let tally = state
            .tally(&period, household_id)?
            .filter(|t| t.entries > 0);
        let Some(tally) = tally else {
            return Err(Refusal::NotEligible {
                period: period.0,
                score: None,
            }
            .into());
        };
        let all = state.period_scores(&period)?;
        if !eligible_by_rank(eligibility, tally.score, &all) {
            return Err(Refusal::NotEligible {
                period: period.0,
                score: Some(tally.score),
            }
            .into());
        }
    }
    Ok(())
}

fn redeem(
    state: &dyn State,
    policy: &Policy,
    today: CivilDate,
    household: &HouseholdRef,
    lines: &[(String, i64)],
    proxy: &Option<String>,
) -> Decision {
    if lines.is_empty() {
        return Err(Refusal::EmptyCart.into());
    }
    if lines.len() > CART_LINES_MAX {
        return Err(Refusal::CartTooLarge.into());
    }
    if let Some(p) = proxy {
        text(p, "proxy collector")?;
    }
    let (household_id, card_no) = resolve_household(state, household)?;
    let record = state
        .household(&household_id)?
        .ok_or_else(|| Refusal::UnknownHousehold(household_id.clone()))?;
    redemption_gate(state, policy, today, &household_id)?;
    let mut sale_lines = Vec::with_capacity(lines.len());
    let mut takes = Vec::with_capacity(lines.len());
    let mut total: i64 = 0;
    let mut has_points_zone = false;
    let mut has_donation_zone = false;
    for (i, (goods_id, q)) in lines.iter().enumerate() {
        quantity(*q)?;
        if lines[..i].iter().any(|(g, _)| g == goods_id) {
            return Err(Refusal::DuplicateLine(goods_id.clone()).into());
        }
        let goods = state
            .goods(goods_id)?
            .ok_or_else(|| Refusal::UnknownGoods(goods_id.clone()))?;
        takes.extend(take_units(goods_id, &goods, *q)?);
        match goods.goods.zone {
            Zone::Points(_) => has_points_zone = true,
            Zone::Donation => has_donation_zone = true,
        }
        total = total.saturating_add(goods.goods.price_points.saturating_mul(*q));
        sale_lines.push(SaleLine {
            goods_id: goods_id.clone(),
            quantity: *q,
            price_points: goods.goods.price_points,
        });
    }
    if has_donation_zone && !has_points_zone {
        return Err(Refusal::DonationZoneFirst.into());
    }
    let credit = credit::spend_oldest(&record.credit, total).ok_or(Refusal::BalanceShort {
        balance_points: record.balance_points,
        wanted: total,
    })?;
    Ok(vec![EventBody::Redeemed {
        household_id,
        card_no,
        lines: sale_lines,
        total_points: total,
        proxy: proxy.clone(),
        takes,
        credit,
    }])
}

fn void_sale(state: &dyn State, seq: u64, reason: &str) -> Decision {
    text(reason, "reason")?;
    let sale = state.sale(seq)?.ok_or(Refusal::UnknownSale(seq))?;
    if sale.voided {
        return Err(Refusal::AlreadyVoided(seq).into());
    }
    Ok(vec![EventBody::SaleVoided {
        sale_seq: seq,
        reason: reason.to_string(),
    }])
}

#[cfg(test)]
mod tests;
