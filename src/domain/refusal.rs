//! Why the domain refused a command: one variant per rule, each with a one-line message in
//! Chinese and English that tells a village manager what was refused and what to do.

use crate::i18n::Lang;

use super::input::Field;
use super::time::format_local;

/// A rule said no. The ledger is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The data dir has no station yet.
    NotInitialized,
    /// `init` on a station that exists.
    AlreadyInitialized,
    /// The command needs the other role.
    WrongRole,
    /// A required text field is empty.
    EmptyField(&'static str),
    /// A text field is too long.
    TooLong(&'static str),
    /// No household with that id.
    UnknownHousehold(String),
    /// A household with that id exists.
    HouseholdExists(String),
    /// The card number already belongs to a household.
    CardInUse(String),
    /// No household has this card.
    UnknownCard(String),
    /// The card was replaced and no longer works.
    CardVoided {
        card_no: String,
        household_id: String,
    },
    /// No goods with that id.
    UnknownGoods(String),
    /// A township ships an item its own catalog does not hold: the township defines and
    /// receives goods before it sends them to a village.
    ShipUnknownGoods(String),
    /// The barcode belongs to another item.
    BarcodeInUse { barcode: String, goods_id: String },
    /// A price of zero or less.
    PriceNotPositive,
    /// A purchase with a fund must say what it cost (more than 0 fen), or the fund's
    /// spending goes missing from the budget and the donations ledger.
    CostNotPositive,
    /// A zone the policy does not have.
    UnknownZone(u32),
    /// A quantity of zero or less.
    QuantityNotPositive,
    /// A quantity above [`super::command::QUANTITY_MAX`] units in one write (a typo: one
    /// shop never moves that many of an item at once).
    QuantityTooLarge(i64),
    /// A stock adjustment of zero.
    AdjustmentZero,
    /// Stock would go below zero.
    StockShort {
        goods_id: String,
        stock_units: i64,
        wanted: i64,
    },
    /// Nothing in the cart.
    EmptyCart,
    /// More cart lines than a till allows.
    CartTooLarge,
    /// The same item twice in one cart.
    DuplicateLine(String),
    /// Not enough points.
    BalanceShort { balance_points: i64, wanted: i64 },
    /// Donation-zone goods without goods-zone spending in the same cart.
    DonationZoneFirst,
    /// Redemption is closed today.
    OutsideWindow,
    /// The household may not redeem this period.
    NotEligible { period: String, score: Option<i64> },
    /// A malformed period for the policy.
    BadPeriod(String),
    /// A period that has not begun.
    PeriodInFuture(String),
    /// A score outside the policy's range.
    ScoreOutOfRange { score: i64, min: i64, max: i64 },
    /// The household already has its score for the period. `pending_award` is the number of
    /// that score's award while it is still in publicity (revocable: the refusal names
    /// `aixin award revoke N`); `confirmed` says it has passed publicity and stands. Neither is
    /// known where only the period's tally was at hand (the till's preview).
    AlreadyScored {
        period: String,
        pending_award: Option<u64>,
        confirmed: bool,
    },
    /// Over the per-period cap.
    CapExceeded {
        period: String,
        cap: i64,
        already: i64,
        adding: i64,
    },
    /// Over the village budget.
    BudgetExceeded {
        budget_key: String,
        budget: i64,
        used: i64,
        adding: i64,
    },
    /// No award with that number.
    UnknownAward(u64),
    /// The award was already confirmed or revoked.
    AwardNotPending(u64),
    /// Publicity is not over yet.
    PublicityNotOver { until_ms: i64 },
    /// No sale with that number.
    UnknownSale(u64),
    /// The sale was already voided.
    AlreadyVoided(u64),
    /// A year that has not ended.
    YearNotOver(i32),
    /// That year (or a later one) was already cleared.
    YearAlreadyCleared(i32),
    /// Awards of the year (or earlier) still in publicity.
    PendingAwards { year: i32, count: usize },
    /// The policy never clears points at year end.
    PolicyNeverClears,
    /// A score or award for a period of a year that was already cleared.
    YearCleared { period: String, year: i32 },
    /// Nothing has happened since the previous close.
    SessionEmpty { session_no: u64 },
    /// No closed till session with that Z number.
    UnknownSession(u64),
    /// A merchant supply with no merchant named and none in the catalog.
    NoMerchant(String),
    /// The clock is before the ledger's last event.
    ClockBehind { now_ms: i64, last_ms: i64 },
    /// The clock reads a date before aixin existed.
    ClockReset { now_ms: i64 },
    /// The clock is far past the last event (or the build date, `last_ms` `None`) and the
    /// manager has not confirmed the date shown.
    ClockUnconfirmed { now_ms: i64, last_ms: Option<i64> },
    /// The date the manager confirmed is not the clock's date.
    ClockOtherDate { confirmed: String, now_ms: i64 },
    /// A clock correction while the clock agrees with the ledger.
    ClockNotBehind { last_ms: i64 },
    /// The policy failed its checks.
    BadPolicy(String),
    /// A new station's id breaks the rule of [`super::station::check_station_id`] (PRODUCT.md,
    /// "Station id and name"): the message states the rule and offers an id.
    BadStationId(super::station::StationIdError),
    /// No station with that id on the roster.
    UnknownStation(String),
    /// The station is already enrolled with this key.
    StationAlreadyEnrolled(String),
    /// The station is enrolled with another key that is still in force.
    StationKeyConflict(String),
    /// This key of the station was revoked and cannot be enrolled again.
    StationKeyRevoked(String),
    /// A station cannot enroll itself.
    CannotEnrollSelf,
    /// The station's key is already revoked.
    StationAlreadyRevoked(String),
    /// Shipments and county lists go only to enrolled, unrevoked villages.
    NotAVillage(String),
    /// No operator with that name at this station.
    UnknownOperator(String),
    /// An operator with that name exists.
    OperatorExists(String),
    /// An operator's name is too long, has spaces around it or control characters.
    BadOperatorName(String),
    /// A PIN that is not 4 to 12 digits.
    BadPin,
    /// The station's first operator must be a manager.
    FirstOperatorManager,
    /// More operators than a station keeps.
    TooManyOperators,
    /// A monitor tried to write (anything but their own PIN).
    MonitorCannotWrite(String),
    /// A monitor's PIN cannot leave monitor mode.
    MonitorCannotUnlock(String),
    /// The station's last manager cannot be removed or made a monitor.
    LastManager(String),
    /// The operator already has that role.
    RoleUnchanged(String),
    /// A PIN did not match the operator's.
    WrongPin(String),
    /// A backup passphrase shorter than the rule.
    PassphraseTooShort { chars_min: usize },
    /// A correction of a household's file tried to change its card (a new card is reissued).
    EditChangesCard { household_id: String },
    /// A correction that changes nothing in the household's file.
    HouseholdUnchanged(String),
    /// A low-stock reminder below 0 or above the most units one movement may hold.
    LowStockOutOfRange(i64),
    /// The item's low-stock reminder is already that level.
    LowStockUnchanged { goods_id: String, units: i64 },
    /// A counted quantity below zero in a stocktake.
    CountNegative { goods_id: String, counted: i64 },
    /// Scores by item, but the policy has no score sheet (评分细则).
    NoScoreSheet,
    /// A score by item with no item given.
    NoItemScores,
    /// An item the policy's score sheet does not have; `known` lists the sheet's items.
    UnknownScoreItem { item: String, known: Vec<String> },
    /// The same item given twice in one score.
    ScoreItemTwice(String),
    /// An item's score outside its bounds on the sheet (e.g. 违规 −10…0).
    ScoreItemOutOfRange {
        item: String,
        score: i64,
        min: i64,
        max: i64,
    },
    /// A budget report for a policy without a village budget.
    NoBudget,
    /// `goods add` of an id the catalog holds with another definition (`name` is the held
    /// item's; `differences` names each field that differs, held and given, in the catalog's
    /// order): a change is `goods edit` of those fields, a new item takes a new id.
    GoodsIdTaken {
        goods_id: String,
        name: String,
        differences: Vec<GoodsDifference>,
    },
    /// The township's catalog entry has the id of a village item with another name or unit:
    /// the village's item was left as it is.
    TownshipGoodsConflict(Box<GoodsConflict>),
    /// A township shipment of an item with the id of a village item with another name or unit:
    /// nothing was received.
    ShipmentConflict(Box<GoodsConflict>),
}

/// A township's item and the village's item under one id, as a refusal names them (boxed in
/// [`Refusal`] to keep every refusal small).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoodsConflict {
    /// The id both use.
    pub goods_id: String,
    /// The township's name and unit for it.
    pub township_name: String,
    pub township_unit: String,
    /// The village's name and unit for it.
    pub village_name: String,
    pub village_unit: String,
    /// The units of a shipment not received (0 for a catalog entry).
    pub quantity: i64,
    /// The township's station id.
    pub from: String,
}

/// One field in which a second definition of a held goods id differs from the catalog's, as
/// the refusal names it ([`crate::domain::catalog::differences`]). Values are as the normaliser
/// reads them; a zone is its `--zone` value (`20`, `捐赠区`), a price its points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoodsDifference {
    /// The field: name, unit, price in points, zone, barcode, category or supplier.
    pub field: Field,
    /// What the catalog holds (may be empty).
    pub held: String,
    /// What was given (may be empty: left out).
    pub given: String,
}

impl GoodsDifference {
    /// `条码“6901234500011”→空`, `barcode "6901234500011" → none`.
    fn describe(&self, lang: Lang) -> String {
        let shown = |value: &str| match (value.is_empty(), lang) {
            (true, Lang::Zh) => "空".to_string(),
            (true, Lang::En) => "none".to_string(),
            (false, Lang::Zh) => format!("“{value}”"),
            (false, Lang::En) => format!("\"{}\"", self.value_en(value)),
        };
        let (held, given) = (shown(&self.held), shown(&self.given));
        match lang {
            Lang::Zh => format!("{}{held}→{given}", self.field.name(lang)),
            Lang::En => format!("{} {held} → {given}", self.field.name(lang)),
        }
    }

    /// A value in an English message or command: the donation zone as `donation`.
    fn value_en<'a>(&self, value: &'a str) -> &'a str {
        if self.field == Field::Zone && value == "捐赠区" {
            "donation"
        } else {
            value
        }
    }

    /// This field's option of `aixin goods edit` with the given value: `--barcode ''`.
    fn edit_option(&self, lang: Lang) -> String {
        let flag = match self.field {
            Field::GoodsName => "--name",
            Field::Unit => "--unit",
            Field::PricePoints => "--price",
            Field::Zone => "--zone",
            Field::Barcode => "--barcode",
            Field::Category => "--category",
            _ => "--supplier",
        };
        let value = match lang {
            Lang::Zh => self.given.as_str(),
            Lang::En => self.value_en(&self.given),
        };
        let plain = !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_whitespace() || "\"'\\$`;&|<>()*?!#~[]{}".contains(c));
        if plain {
            format!("{flag} {value}")
        } else {
            // Quoted for a POSIX shell: `--barcode ''`, `--name 'Rice 5kg'`.
            format!("{flag} '{}'", value.replace('\'', "'\\''"))
        }
    }
}

/// The way out of [`Refusal::GoodsIdTaken`]: `aixin goods edit G003 --barcode ''`.
fn goods_edit(goods_id: &str, differences: &[GoodsDifference], lang: Lang) -> String {
    let mut command = format!("aixin goods edit {goods_id}");
    for d in differences {
        command.push(' ');
        command.push_str(&d.edit_option(lang));
    }
    command
}

/// An item as a message names it: `面粉10kg（袋）`, `flour (bag)`, or the name alone without a
/// unit (in Chinese followed by a space, as the unit's bracket would separate it).
fn named(name: &str, unit: &str, lang: Lang) -> String {
    match (unit.trim().is_empty(), lang) {
        (true, Lang::Zh) => format!("{name} "),
        (true, Lang::En) => name.to_string(),
        (false, Lang::Zh) => format!("{name}（{unit}）"),
        (false, Lang::En) => format!("{name} ({unit})"),
    }
}

/// A bound as the sheet prints it: `+5`, `0`, `-10`.
fn signed(value: i64) -> String {
    if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

/// The Chinese name of a field the domain names in English (`EmptyField("head of household")`).
fn field_zh(field: &str) -> &'static str {
    match field {
        "household id" => "户号",
        "card number" => "卡号",
        "head of household" => "户主",
        "member" | "members" => "家庭成员",
        "group" => "村民小组",
        "phone" => "电话",
        "goods id" => "商品编号",
        "goods name" => "商品名称",
        "unit" => "单位",
        "barcode" => "条码",
        "category" => "类别",
        "supplier" => "供应商",
        "note" => "备注",
        "reason" => "原因",
        "donor" => "捐赠人",
        "fund" => "资金来源",
        "merchant" => "商户",
        "transfer source" => "调出单位",
        "proxy collector" => "代领人",
        "station id" => "站点编号",
        "name" => "名称",
        "age recipient" => "加密公钥",
        "batch" => "这一批",
        _ => "这一项",
    }
}

impl Refusal {
    /// Whether the clock rules refused (the manager can answer: set the clock, confirm the
    /// date, or record a correction), as opposed to a rule about the books.
    pub fn is_clock(&self) -> bool {
        matches!(
            self,
            Refusal::ClockBehind { .. }
                | Refusal::ClockReset { .. }
                | Refusal::ClockUnconfirmed { .. }
                | Refusal::ClockOtherDate { .. }
        )
    }

    /// The one-line message for a village manager.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: String, e: String| if zh { z } else { e };
        use Refusal::*;
        match self {
            NotInitialized => t("本站尚未初始化，请先运行 aixin init".into(), "this station is not set up yet; run aixin init first".into()),
            AlreadyInitialized => t("本站已经初始化过，不能重复初始化".into(), "this station is already set up; init was not repeated".into()),
            WrongRole => t("本站的角色不能做这个操作（村站/乡镇）".into(), "this station's role (village/township) cannot do that".into()),
            EmptyField(f) => t(
                format!("{}不能为空，请填写", field_zh(f)),
                format!("{f} must not be empty"),
            ),
            TooLong(f) => t(
                format!("{}太长了（或含有控制字符），请改短", field_zh(f)),
                format!("{f} is too long"),
            ),
            UnknownHousehold(id) => t(format!("没有户号为 {id} 的农户，请核对户号"), format!("no household {id}; check the household id")),
            HouseholdExists(id) => t(format!("户号 {id} 已经存在"), format!("household {id} already exists")),
            CardInUse(c) => t(format!("卡号 {c} 已被使用"), format!("card {c} is already in use")),
            UnknownCard(c) => t(format!("没有卡号 {c}，请核对卡号"), format!("no card {c}; check the card number")),
            CardVoided { card_no, household_id } => t(
                format!("卡号 {card_no} 已挂失作废（农户 {household_id}），请使用新卡"),
                format!("card {card_no} was replaced and no longer works (household {household_id}); use the new card"),
            ),
            UnknownGoods(g) => t(format!("没有编号为 {g} 的商品"), format!("no goods {g} in the catalog")),
            ShipUnknownGoods(g) => t(
                format!("乡镇的商品目录里没有编号为 {g} 的商品：乡镇要先登记这件商品（aixin goods add）并入库（aixin stock receive），才能发给村里"),
                format!("the township's catalog has no goods {g}: the township adds the item (aixin goods add) and receives it into stock (aixin stock receive) before it ships it to a village"),
            ),
            BarcodeInUse { barcode, goods_id } => t(format!("条码 {barcode} 已属于商品 {goods_id}"), format!("barcode {barcode} already belongs to {goods_id}")),
            PriceNotPositive => t("价格（积分）必须大于 0".into(), "price in points must be above 0".into()),
            CostNotPositive => t(
                "用资金采购的物资要写明采购总金额，以分计、大于 0（命令行写 --cost-fen 1250 表示 12.50 元）".into(),
                "a purchase with a fund needs its total cost in fen, above 0 (on the command line --cost-fen 1250 for 12.50 yuan)".into(),
            ),
            UnknownZone(z) => t(format!("积分政策中没有 {z} 分区"), format!("the policy has no {z}-point zone")),
            QuantityNotPositive => t("数量必须大于 0".into(), "quantity must be above 0".into()),
            QuantityTooLarge(q) => t(
                format!("数量 {q} 太大：一次最多 {} 件；请核对后重填", super::command::QUANTITY_MAX),
                format!("a quantity of {q} is too large: at most {} units at once; check it and enter it again", super::command::QUANTITY_MAX),
            ),
            AdjustmentZero => t("盘点调整数量不能为 0".into(), "a stock adjustment must not be 0".into()),
            StockShort { goods_id, stock_units, wanted } => t(
                format!("商品 {goods_id} 库存只有 {stock_units}，不够 {wanted}"),
                format!("goods {goods_id} has only {stock_units} in stock, not {wanted}"),
            ),
            EmptyCart => t("购物车是空的".into(), "the cart is empty".into()),
            CartTooLarge => t("购物车行数太多，请分两次兑换".into(), "too many cart lines; split the redemption".into()),
            DuplicateLine(g) => t(format!("商品 {g} 在购物车里重复了，请合并数量"), format!("goods {g} appears twice in the cart; merge the quantities")),
            BalanceShort { balance_points, wanted } => t(
                format!("积分不足：可用 {balance_points} 分，需要 {wanted} 分"),
                format!("not enough points: {balance_points} available, {wanted} needed"),
            ),
            DonationZoneFirst => t("捐赠区物品须先在积分区兑换后才能领取".into(), "donation-zone goods need goods-zone spending in the same cart".into()),
            OutsideWindow => t("现在不是兑换时间（每季度第一个月的前几天）".into(), "redemption is closed today (only the first days of each quarter)".into()),
            NotEligible { period, score } => match score {
                Some(s) => t(format!("该户 {period} 得分 {s}，未达到兑换条件（分数或排名）"), format!("this household scored {s} in {period}: not eligible (score or rank)")),
                None => t(format!("该户 {period} 没有评分，不能兑换"), format!("this household has no score for {period}; not eligible")),
            },
            BadPeriod(p) => t(format!("评分周期 {p} 格式不对（如 2026-11、2026-Q4 或 2026-11-21）"), format!("period {p} is malformed (e.g. 2026-11, 2026-Q4 or 2026-11-21)")),
            PeriodInFuture(p) => t(format!("评分周期 {p} 还没开始"), format!("period {p} has not started yet")),
            ScoreOutOfRange { score, min, max } => t(format!("分数 {score} 超出范围 {min}–{max}"), format!("score {score} is outside {min}–{max}")),
            AlreadyScored { period, pending_award: Some(n), .. } => t(
                format!("该户 {period} 已经评过分（评分 #{n}，公示中）；如需更正，先运行 aixin award revoke {n} --reason 原因 撤销，再重新评分"),
                format!("this household is already scored for {period} (award #{n}, in publicity); to correct it, run aixin award revoke {n} --reason WHY, then enter the score again"),
            ),
            AlreadyScored { period, pending_award: None, confirmed: true } => t(
                format!("该户 {period} 的评分已过公示并确认，不能再评或更改；要评别的周期，请写那一期（如 2026-10）"),
                format!("this household's score for {period} has passed publicity and stands; it cannot be scored again (to score another period, give that period, e.g. 2026-10)"),
            ),
            // The till's preview, where only the tally is at hand: its awards screen revokes.
            AlreadyScored { period, .. } => t(
                format!("该户 {period} 已经评过分；如需更正请先撤销"),
                format!("this household is already scored for {period}; revoke it first to correct"),
            ),
            CapExceeded { period, cap, already, adding } => t(
                format!("{period} 每户最多 {cap} 分：已有 {already} 分，再加 {adding} 分超出上限"),
                format!("{period} is capped at {cap} points a household: {already} already, {adding} more is over"),
            ),
            BudgetExceeded { budget_key, budget, used, adding } => t(
                format!("{budget_key} 全村积分预算 {budget} 分，已发 {used} 分，再发 {adding} 分超出预算"),
                format!("the village budget for {budget_key} is {budget} points: {used} used, {adding} more is over"),
            ),
            UnknownAward(n) => t(format!("没有编号为 {n} 的评分"), format!("no award number {n}")),
            AwardNotPending(n) => t(format!("评分 {n} 已经确认或撤销过了"), format!("award {n} was already confirmed or revoked")),
            PublicityNotOver { until_ms } => t(
                format!("公示期未满，{} 之后才能确认", format_local(*until_ms)),
                format!("publicity is not over; confirm after {}", format_local(*until_ms)),
            ),
            UnknownSale(n) => t(
                format!("没有编号为 {n} 的兑换记录；请用小票上的“单号”，不是小票号"),
                format!("no sale number {n}; use the sale number on the receipt (单号), not the receipt number"),
            ),
            AlreadyVoided(n) => t(format!("兑换 {n} 已经作废过了"), format!("sale {n} was already voided")),
            YearNotOver(y) => t(format!("{y} 年还没结束，不能清零；到 {} 年再做年终清零", y + 1), format!("{y} has not ended; clear it in {} or later", y + 1)),
            YearAlreadyCleared(y) => t(format!("{y} 年（或更晚）已经清零过了，不用再清"), format!("{y} (or a later year) was already cleared; nothing more to do")),
            PendingAwards { year, count } => t(
                format!("{year} 年及以前还有 {count} 条评分在公示中，请先确认或撤销（aixin award confirm --due）再清零"),
                format!("{count} awards of {year} or earlier are still in publicity; confirm or revoke them first (aixin award confirm --due)"),
            ),
            PolicyNeverClears => t(
                "本村积分政策不做年终清零，积分一直有效；如政策已改，请先更换积分政策".into(),
                "this village's policy never clears points at year end; change the policy first if the scheme changed".into(),
            ),
            YearCleared { period, year } => t(
                format!("{year} 年已年终清零，{period} 的评分不能再录入；请与乡镇商定是否计入下一年"),
                format!("{year} was cleared at year end; a score for {period} can no longer count (agree with the township whether to score it in the next year)"),
            ),
            SessionEmpty { session_no } => t(
                format!("上次日结（Z{}）以来没有任何业务，不用日结", session_no.saturating_sub(1)),
                format!("nothing has happened since the last close (Z{}); there is nothing to close", session_no.saturating_sub(1)),
            ),
            NoMerchant(g) => t(
                format!("商品 {g} 在目录里没有供货商；请写明商户（--merchant 商户名）"),
                format!("goods {g} has no supplier in the catalog; name the merchant (--merchant NAME)"),
            ),
            UnknownSession(n) => t(
                format!("没有编号为 Z{n} 的日结；aixin report session 列出当前班次"),
                format!("no close numbered Z{n}; aixin report session shows the open session"),
            ),
            ClockBehind { now_ms, last_ms } => t(
                format!(
                    "电脑时间（{}）早于账本最后一笔（{}）：如电脑时间不对，请先校准；如电脑时间是对的、之前的时钟走快了，请登记时钟更正（aixin clock correct）",
                    format_local(*now_ms),
                    format_local(*last_ms)
                ),
                format!(
                    "the computer clock ({}) is before the ledger's last entry ({}): if the clock is wrong, set it; if it is right and the clock was fast before, record that with aixin clock correct",
                    format_local(*now_ms),
                    format_local(*last_ms)
                ),
            ),
            ClockReset { now_ms } => t(
                format!("电脑时间是 {}，像是主板电池没电被重置了；请先在系统设置里校准日期和时间", format_local(*now_ms)),
                format!("the computer clock reads {}, as if its battery was reset; set the date and time in the system settings first", format_local(*now_ms)),
            ),
            ClockUnconfirmed { now_ms, last_ms } => {
                let date = super::time::CivilDate::from_utc_ms(*now_ms);
                match last_ms {
                    Some(last) => {
                        let days = (now_ms - last).div_euclid(super::time::DAY_MS);
                        t(
                            format!(
                                "电脑日期是 {date}，距账本最后一笔（{}）已有 {days} 天：如日期正确，请确认（--confirm-date {date}，收银台里按“是”）；如不对，请先校准电脑时钟",
                                format_local(*last)
                            ),
                            format!(
                                "the computer's date is {date}, {days} days after the ledger's last entry ({}): if that date is right, confirm it (--confirm-date {date}, or yes in the till); if not, set the clock first",
                                format_local(*last)
                            ),
                        )
                    }
                    None => t(
                        format!("电脑日期是 {date}，比本程序的发布日期晚了好几年：如日期正确，请确认（--confirm-date {date}）；如不对，请先校准电脑时钟"),
                        format!("the computer's date is {date}, years after this program was built: if that date is right, confirm it (--confirm-date {date}); if not, set the clock first"),
                    ),
                }
            }
            ClockOtherDate { confirmed, now_ms } => {
                let date = super::time::CivilDate::from_utc_ms(*now_ms);
                t(
                    format!("确认的日期 {confirmed} 与电脑日期 {date} 不一致：请核对电脑时钟后用 --confirm-date {date} 确认，或先校准时钟"),
                    format!("the confirmed date {confirmed} is not the computer's date {date}: check the clock, then confirm with --confirm-date {date} or set the clock first"),
                )
            }
            ClockNotBehind { last_ms } => t(
                format!("电脑时间与账本一致（最后一笔 {}），没有需要更正的时钟", format_local(*last_ms)),
                format!("the clock agrees with the ledger (last entry {}); there is no clock to correct", format_local(*last_ms)),
            ),
            BadPolicy(m) => t(format!("积分政策有误：{m}"), format!("the policy is wrong: {m}")),
            BadStationId(e) => e.message(lang),
            UnknownStation(s) => t(format!("站点 {s} 没有登记；请先用 aixin station enroll 登记它的公钥"), format!("station {s} is not enrolled; enroll its public key with aixin station enroll first")),
            StationAlreadyEnrolled(s) => t(format!("站点 {s} 已经用这把公钥登记过了"), format!("station {s} is already enrolled with this key")),
            StationKeyConflict(s) => t(
                format!("站点 {s} 已登记了另一把仍有效的公钥；如换了电脑，请先吊销旧公钥（aixin station revoke {s}）"),
                format!("station {s} is enrolled with another key still in force; if it has a new computer, revoke the old key first (aixin station revoke {s})"),
            ),
            StationKeyRevoked(s) => t(format!("站点 {s} 的这把公钥已被吊销，不能再登记；请让该站提供新公钥"), format!("this key of station {s} was revoked and cannot be enrolled again; ask the station for its new key")),
            CannotEnrollSelf => t("不能登记本站自己".into(), "a station cannot enroll itself".into()),
            StationAlreadyRevoked(s) => t(format!("站点 {s} 的公钥已经吊销过了"), format!("the key of station {s} is already revoked")),
            NotAVillage(s) => t(format!("{s} 不是本乡镇已登记且有效的村站"), format!("{s} is not an enrolled village of this township with a valid key")),
            UnknownOperator(n) => t(
                format!("本站没有操作员“{n}”；请用本站操作员的名字（aixin operator list 列出全部）"),
                format!("no operator \"{n}\" at this station; use an operator's name (aixin operator list shows them)"),
            ),
            OperatorExists(n) => t(format!("操作员“{n}”已经存在；如要改密码请用 aixin operator pin"), format!("operator \"{n}\" already exists; change a PIN with aixin operator pin")),
            BadOperatorName(n) => t(
                format!("操作员名字“{n}”不行：最多 {} 个字，前后不能有空格", super::operator::OPERATOR_NAME_CHARS_MAX),
                format!("operator name \"{n}\" is not allowed: at most {} characters, no spaces around it", super::operator::OPERATOR_NAME_CHARS_MAX),
            ),
            BadPin => t(
                format!("密码必须是 {}–{} 位数字", super::operator::PIN_DIGITS_MIN, super::operator::PIN_DIGITS_MAX),
                format!("a PIN must be {} to {} digits", super::operator::PIN_DIGITS_MIN, super::operator::PIN_DIGITS_MAX),
            ),
            FirstOperatorManager => t("本站第一个操作员必须是管理员（--role manager）".into(), "the station's first operator must be a manager (--role manager)".into()),
            TooManyOperators => t(
                format!("操作员已满 {} 人；请先删除不再使用的操作员", super::operator::OPERATORS_MAX),
                format!("the station already has {} operators; remove one no longer used first", super::operator::OPERATORS_MAX),
            ),
            MonitorCannotWrite(n) => t(
                format!("{n} 是监督员，只能查看，不能修改账本；请由管理员登录操作"),
                format!("{n} is a monitor and can only look, not change the ledger; a manager must log in to do this"),
            ),
            MonitorCannotUnlock(n) => t(
                format!("{n} 是监督员，不能退出监督模式；请管理员输入自己的密码"),
                format!("{n} is a monitor and cannot leave monitor mode; a manager must type their own PIN"),
            ),
            LastManager(n) => t(
                format!("{n} 是本站最后一个管理员，不能删除或改为监督员；请先添加另一个管理员"),
                format!("{n} is the station's last manager and cannot be removed or made a monitor; add another manager first"),
            ),
            RoleUnchanged(n) => t(format!("{n} 已经是这个角色了"), format!("{n} already has that role")),
            WrongPin(n) => t(
                format!("{n} 的密码不对，账本未改动；忘了密码请管理员重设（aixin operator pin {n}）"),
                format!("wrong PIN for {n}; nothing was changed (a manager can reset it: aixin operator pin {n})"),
            ),
            PassphraseTooShort { chars_min } => t(
                format!("备份口令太短：至少 {chars_min} 个字符（可以是几个中文词）；请写下来另外保管"),
                format!("the backup passphrase is too short: at least {chars_min} characters (a few words); write it down and keep it apart"),
            ),
            EditChangesCard { household_id } => t(
                format!("更正档案不能改卡号（农户 {household_id}）；丢了卡请用“补卡”：发新卡号，旧卡立即作废"),
                format!("a correction cannot change the card (household {household_id}); for a lost card use reissue: a new number, the old card stops at once"),
            ),
            HouseholdUnchanged(id) => t(
                format!("农户 {id} 的档案和填写的一样，没有要更正的内容"),
                format!("household {id}'s file already reads like that; there is nothing to correct"),
            ),
            LowStockOutOfRange(units) => t(
                format!("低库存提醒 {units} 不对：请写 0（不提醒）到 {} 之间的件数", super::command::QUANTITY_MAX),
                format!("a low-stock reminder of {units} is out of range: write 0 (no reminder) to {} units", super::command::QUANTITY_MAX),
            ),
            LowStockUnchanged { goods_id, units } => t(
                format!("商品 {goods_id} 的低库存提醒已经是 {units}，没有变化"),
                format!("goods {goods_id} already has a low-stock reminder of {units}; nothing changed"),
            ),
            CountNegative { goods_id, counted } => t(
                format!("商品 {goods_id} 的实盘数 {counted} 不能小于 0；请重数后填写"),
                format!("the count {counted} of goods {goods_id} cannot be below 0; count it again"),
            ),
            NoScoreSheet => t(
                "本村积分政策没有评分细则（分项），请直接录入总分".into(),
                "this village's policy has no score items; enter the total score instead".into(),
            ),
            NoItemScores => t("没有录入任何评分项目".into(), "no score items were given".into()),
            UnknownScoreItem { item, known } => t(
                format!("评分细则里没有“{item}”这一项；可用的项目：{}", known.join("、")),
                format!("the score sheet has no item \"{item}\"; its items are: {}", known.join(", ")),
            ),
            ScoreItemTwice(item) => t(format!("“{item}”这一项录入了两次，请合并"), format!("item \"{item}\" is given twice; give it once")),
            ScoreItemOutOfRange { item, score, min, max } => t(
                format!("“{item}”得分 {score} 超出该项范围（{} 至 {}），请按评分细则改正", signed(*min), signed(*max)),
                format!("item \"{item}\" scored {score}, outside its bounds ({} to {}); correct it to the score sheet", signed(*min), signed(*max)),
            ),
            NoBudget => t(
                "本村积分政策没有全村积分预算，没有预算表可出".into(),
                "this village's policy has no village budget, so there is no budget report".into(),
            ),
            GoodsIdTaken { goods_id, name, differences } if differences.is_empty() => t(
                format!("商品编号 {goods_id} 已是“{name}”，账本未改动；要修改它请用 aixin goods edit {goods_id}（如 --name、--price，只改给出的项），新商品请换一个编号"),
                format!("goods id {goods_id} is already \"{name}\"; nothing was changed. To change it use aixin goods edit {goods_id} (e.g. --name, --price: only what is given changes); a new item needs another id"),
            ),
            GoodsIdTaken { goods_id, name, differences } => {
                let listed = |lang| {
                    differences
                        .iter()
                        .map(|d| d.describe(lang))
                        .collect::<Vec<_>>()
                        .join(lang.pick("、", ", "))
                };
                t(
                    format!("商品编号 {goods_id} 已是“{name}”，与这次给的不同：{}；账本未改动。要改成这次给的请用 {}，新商品请换一个编号", listed(Lang::Zh), goods_edit(goods_id, differences, Lang::Zh)),
                    format!("goods id {goods_id} is already \"{name}\", and what was given differs: {}; nothing was changed. To change it to what was given use {}; a new item needs another id", listed(Lang::En), goods_edit(goods_id, differences, Lang::En)),
                )
            }
            TownshipGoodsConflict(c) => {
                let GoodsConflict { goods_id, township_name, township_unit, village_name, village_unit, .. } = &**c;
                t(
                format!(
                    "乡镇目录的 {goods_id} {}与本村 {goods_id} {}编号相同但名称或单位不同，未改动本村商品；请与乡镇核对编号",
                    named(township_name, township_unit, lang),
                    named(village_name, village_unit, lang)
                ),
                format!(
                    "the township's catalog item {goods_id} {} has the id of this village's {goods_id} {} but another name or unit; the village's item was not changed. Check the ids with the township",
                    named(township_name, township_unit, lang),
                    named(village_name, village_unit, lang)
                ),
            )
            }
            ShipmentConflict(c) => {
                let GoodsConflict { goods_id, township_name, township_unit, village_name, village_unit, quantity, from } = &**c;
                t(
                format!(
                    "乡镇 {from} 发来的 {goods_id} {}{quantity} 件没有入库：本村 {goods_id} 是 {}，名称或单位不同；请与乡镇核对编号，或用新编号登记后手工入库（aixin goods add --id 新编号 …，再 aixin stock receive 新编号 {quantity} --from {from}）",
                    named(township_name, township_unit, lang),
                    named(village_name, village_unit, lang).trim_end()
                ),
                format!(
                    "{quantity} units of {goods_id} {} shipped by township {from} were not received: this village's {goods_id} is {}, another name or unit. Check the ids with the township, or add the item under a new id and receive it by hand (aixin goods add --id NEW …, then aixin stock receive NEW {quantity} --from {from})",
                    named(township_name, township_unit, lang),
                    named(village_name, village_unit, lang)
                ),
            )
            }
        }
    }
}
