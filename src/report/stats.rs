//! The picture of the month (统计): for a year, the points awarded and spent per month; for the
//! last eight weeks, the stock of the items households take most; and the village budget used
//! against its limit. The till's statistics screen draws it and `aixin report stats` prints
//! it, so both always show the same figures.
//!
//! The figures follow the ledger's own rules. Points **awarded** are confirmed awards, counted in
//! the month their scoring period starts ([`period_start`]: a December score confirmed in
//! January counts for December, a quarter's in its first month), the month that makes them
//! credit of their year. Points **spent** are sales not voided, in the China month of the sale
//! (a voided sale counts nowhere, whenever it was voided). The **stock** of an item at the end
//! of a week is the domain's own: the events up to that week's last day replayed through
//! [`apply`](crate::domain::apply), as `verify` replays them (receipts, sales, voids,
//! stocktakes, shipments and whatever moves stock later). The **budget**
//! is the domain's: [`Policy::budget_for_period`] says which month or quarter an award counts
//! against and its limit, and the ledger keeps the points awarded against it (pending and
//! confirmed, not revoked), the figure the score-entry rule checks.
//!
//! Everything is an integer; the report is computed from a read [`View`] with no I/O.
//!
//! [`Policy::budget_for_period`]: crate::domain::policy::Policy::budget_for_period

use std::collections::BTreeMap;

use serde::Serialize;

use super::table::{render_text, Cell, Table};
use crate::domain::event::PeriodKey;
use crate::domain::state::AwardStatus;
use crate::domain::time::{period_start, CivilDate, PeriodKind, DAY_MS};
use crate::domain::{apply, MemoryState, Policy};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// The years the statistics are asked for (`aixin report stats --year`, the till's year keys):
/// the domain's one range of years a year argument may name.
pub use crate::domain::input::{YEAR_FIRST, YEAR_LAST};

/// Weeks of stock shown for the fast-moving items, the last one ending today.
pub const WEEKS: usize = 8;

/// At most this many fast-moving items: what fits on the till's screen at 80×24.
pub const FAST_MOVING_ITEMS_MAX: usize = 5;

/// Months in a year: the report's points and budget rows.
const MONTHS: u32 = 12;

/// The statistics of one station for a year, and of its last eight weeks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatsReport {
    /// The calendar year of the monthly figures.
    pub year: i32,
    /// The China date the weeks end on, `YYYY-MM-DD`.
    pub today: String,
    /// Twelve rows, January first.
    pub months: Vec<MonthPoints>,
    /// The [`WEEKS`] weeks of the stock rows, oldest first; the last one ends today.
    pub weeks: Vec<Week>,
    /// The items with most units sold in those weeks, most first (ties by goods id); at most
    /// [`FAST_MOVING_ITEMS_MAX`], none that sold nothing.
    pub fast_moving: Vec<ItemWeeks>,
    /// The village budget per month or quarter; `None` when the policy has no budget.
    pub budget: Option<BudgetUse>,
}

/// One month's points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthPoints {
    /// `YYYY-MM`.
    pub month: String,
    /// Points of confirmed awards whose scoring period starts in this month.
    pub awarded_points: i64,
    /// Points of this month's sales, voided sales left out.
    pub spent_points: i64,
}

/// A week of seven China days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Week {
    /// Its first day, `YYYY-MM-DD`.
    pub first_date: String,
    /// Its last day, `YYYY-MM-DD`: the stock shown is the stock at the end of this day.
    pub last_date: String,
}

/// A fast-moving item and its stock week by week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemWeeks {
    /// Catalog id.
    pub goods_id: String,
    /// Display name.
    pub name: String,
    /// Unit of sale.
    pub unit: String,
    /// Units sold in the weeks shown, voided sales left out.
    pub sold_units: i64,
    /// Units on the shelf at the end of each week, oldest first (one per [`Week`]).
    pub stock_units: Vec<i64>,
}

/// Whether the village budget counts by month or by quarter (the policy's scoring period).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetSpan {
    /// One limit per month.
    Month,
    /// One limit per quarter (three months' budget).
    Quarter,
}

/// The village budget of the year: limit and use per month or quarter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BudgetUse {
    /// Months or quarters.
    pub span: BudgetSpan,
    /// Twelve months or four quarters, in order.
    pub rows: Vec<BudgetRow>,
}

/// One month's or quarter's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BudgetRow {
    /// The budget key, `2026-03` or `2026-Q1`.
    pub key: String,
    /// The points the village may award in it.
    pub limit_points: i64,
    /// The points awarded against it (pending or confirmed, not revoked).
    pub used_points: i64,
}

impl BudgetRow {
    /// Whether more was awarded than the limit (possible only after the policy lowered it).
    pub fn over(&self) -> bool {
        self.used_points > self.limit_points
    }
}

/// The statistics of `year`, with the weeks ending `today` (China date, from the caller's clock).
///
/// Errors: the ledger cannot be read, or an event cannot be replayed (a damaged ledger:
/// `aixin verify` says where).
pub fn stats_report(view: &View, year: i32, today: CivilDate) -> Result<StatsReport, StoreError> {
    let meta = view.require_meta()?;
    let mut months: Vec<MonthPoints> = (1..=MONTHS)
        .map(|month| MonthPoints {
            month: format!("{year:04}-{month:02}"),
            awarded_points: 0,
            spent_points: 0,
        })
        .collect();
    for award in view.awards()? {
        if award.status != AwardStatus::Confirmed {
            continue;
        }
        if let Some(start) = period_start(&award.period) {
            if let Some(row) = month_row(&mut months, year, start) {
                row.awarded_points = row.awarded_points.saturating_add(award.points);
            }
        }
    }

    let spans = weeks_ending(today);
    let first_day = spans.first().map_or(today, |(first, _)| *first);
    let mut sold_in_weeks: BTreeMap<String, i64> = BTreeMap::new();
    for sale in view.sales()? {
        if sale.voided {
            continue;
        }
        let date = CivilDate::from_utc_ms(sale.time_ms);
        if let Some(row) = month_row(&mut months, year, date) {
            row.spent_points = row.spent_points.saturating_add(sale.total_points);
        }
        if date >= first_day && date <= today {
            for line in &sale.lines {
                let units = sold_in_weeks.entry(line.goods_id.clone()).or_default();
                *units = units.saturating_add(line.quantity);
            }
        }
    }

    let week_ends: Vec<CivilDate> = spans.iter().map(|(_, last)| *last).collect();
    let fast_moving = fast_moving(view, &week_ends, sold_in_weeks)?;
    Ok(StatsReport {
        year,
        today: today.to_string(),
        months,
        weeks: spans
            .iter()
            .map(|(first, last)| Week {
                first_date: first.to_string(),
                last_date: last.to_string(),
            })
            .collect(),
        fast_moving,
        budget: budget_use(view, &meta.policy, year)?,
    })
}

/// The row of `date`'s month, if it is in `year`.
fn month_row(months: &mut [MonthPoints], year: i32, date: CivilDate) -> Option<&mut MonthPoints> {
    if date.year != year {
        return None;
    }
    let index = usize::try_from(date.month).ok()?.checked_sub(1)?;
    months.get_mut(index)
}

/// The China date `days` days before `date`.
fn days_before(date: CivilDate, days: i64) -> CivilDate {
    let (start_ms, _) = date.utc_range_ms();
    CivilDate::from_utc_ms(start_ms - days * DAY_MS)
}

/// The [`WEEKS`] weeks of seven days up to and including `today`, oldest first, as their
/// first and last days.
fn weeks_ending(today: CivilDate) -> Vec<(CivilDate, CivilDate)> {
    (0..WEEKS as i64)
        .rev()
        .map(|back| {
            let last = days_before(today, 7 * back);
            (days_before(last, 6), last)
        })
        .collect()
}

/// The items that sold most in the weeks, with their stock at the end of each week.
///
/// The stock at a week's end is what the domain's [`apply`] leaves after the events up to that
/// day: the station's events are replayed into a [`MemoryState`] (as `verify` does) and the
/// items' stock is read before the first event dated after each week's end. So every event
/// that moves stock, now and later, counts as the ledger counts it, with no second rule here.
/// Events are in ledger order; an event dated earlier than one before it (a clock put back)
/// counts from where it stands in the ledger.
fn fast_moving(
    view: &View,
    week_ends: &[CivilDate],
    sold_in_weeks: BTreeMap<String, i64>,
) -> Result<Vec<ItemWeeks>, StoreError> {
    let mut ranked: Vec<(String, i64)> = sold_in_weeks
        .into_iter()
        .filter(|(_, units)| *units > 0)
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(FAST_MOVING_ITEMS_MAX);
    if ranked.is_empty() {
        return Ok(Vec::new());
    }

    let stock_of = |memory: &MemoryState| -> Vec<i64> {
        ranked
            .iter()
            .map(|(goods_id, _)| memory.goods.get(goods_id).map_or(0, |g| g.stock_units))
            .collect()
    };
    // `at_week_end[w][i]`: item i's stock at the end of week w.
    let mut at_week_end: Vec<Vec<i64>> = Vec::with_capacity(week_ends.len());
    let mut memory = MemoryState::default();
    for (event, hash) in view.events(1, u64::MAX)? {
        let date = CivilDate::from_utc_ms(event.time_ms);
        while let Some(end) = week_ends.get(at_week_end.len()) {
            if date <= *end {
                break;
            }
            at_week_end.push(stock_of(&memory));
        }
        if at_week_end.len() == week_ends.len() {
            break;
        }
        apply(&mut memory, &event, &hash).map_err(|fault| {
            StoreError::Storage(format!(
                "event #{} cannot be replayed ({}); run aixin verify",
                event.seq, fault.0
            ))
        })?;
    }
    while at_week_end.len() < week_ends.len() {
        at_week_end.push(stock_of(&memory));
    }

    let mut items = Vec::with_capacity(ranked.len());
    for (index, (goods_id, sold_units)) in ranked.into_iter().enumerate() {
        let Some(record) = view.state().goods(&goods_id)? else {
            return Err(StoreError::Storage(format!(
                "sold goods {goods_id} is not in the catalog; run aixin verify"
            )));
        };
        items.push(ItemWeeks {
            goods_id,
            name: record.goods.name,
            unit: record.goods.unit,
            sold_units,
            stock_units: at_week_end
                .iter()
                .map(|week| week.get(index).copied().unwrap_or(0))
                .collect(),
        });
    }
    Ok(items)
}

/// The budget of `year`'s months (or quarters, when the policy scores by quarter), as the
/// domain keys and limits it; `None` without a budget in the policy.
fn budget_use(view: &View, policy: &Policy, year: i32) -> Result<Option<BudgetUse>, StoreError> {
    if policy.budget.is_none() {
        return Ok(None);
    }
    let (span, periods): (BudgetSpan, Vec<String>) = match policy.period {
        PeriodKind::Quarter => (
            BudgetSpan::Quarter,
            (1..=4).map(|q| format!("{year:04}-Q{q}")).collect(),
        ),
        PeriodKind::Month | PeriodKind::Day => (
            BudgetSpan::Month,
            (1..=MONTHS).map(|m| format!("{year:04}-{m:02}")).collect(),
        ),
    };
    let mut rows = Vec::with_capacity(periods.len());
    for period in periods {
        let Some((key, limit_points)) = policy.budget_for_period(&PeriodKey(period)) else {
            return Ok(None);
        };
        let used_points = view.state().budget_used(&key)?;
        rows.push(BudgetRow {
            key,
            limit_points,
            used_points,
        });
    }
    Ok(Some(BudgetUse { span, rows }))
}

/// A month key `YYYY-MM` as a reader sees it on the screen: `3月`, `Mar`.
pub fn month_label(month_key: &str, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: Option<usize> = month_key.get(5..7).and_then(|m| m.parse().ok());
    match (month, lang) {
        (Some(m @ 1..=12), Lang::Zh) => format!("{m}月"),
        (Some(m @ 1..=12), Lang::En) => EN[m - 1].to_string(),
        _ => month_key.to_string(),
    }
}

impl StatsReport {
    /// The year's totals: points awarded and points spent.
    pub fn totals(&self) -> (i64, i64) {
        self.months.iter().fold((0, 0), |(a, s), m| {
            (
                a.saturating_add(m.awarded_points),
                s.saturating_add(m.spent_points),
            )
        })
    }

    /// The three tables the command line prints (the budget's only when the policy has one).
    pub fn tables(&self, lang: Lang) -> Vec<Table> {
        let mut tables = vec![self.points_table(lang), self.stock_table(lang)];
        if let Some(budget) = &self.budget {
            tables.push(budget_table(budget, self.year, lang));
        }
        tables
    }

    /// The report as aligned text, one table after another, with a sentence where a part has
    /// nothing to show.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for table in self.tables(lang) {
            out.push_str(&render_text(&table));
            out.push('\n');
        }
        if self.fast_moving.is_empty() {
            out.push_str(lang.pick(
                "近 8 周没有兑换出去的物品。\n",
                "no goods were redeemed in the last 8 weeks.\n",
            ));
        }
        if self.budget.is_none() {
            out.push_str(lang.pick(
                "本村的积分方案没有村级积分预算。\n",
                "this village's policy has no village points budget.\n",
            ));
        }
        out.trim_end().to_string()
    }

    fn points_table(&self, lang: Lang) -> Table {
        let mut rows: Vec<Vec<Cell>> = self
            .months
            .iter()
            .map(|m| {
                vec![
                    Cell::from(m.month.clone()),
                    Cell::Int(m.awarded_points),
                    Cell::Int(m.spent_points),
                ]
            })
            .collect();
        let (awarded, spent) = self.totals();
        rows.push(vec![
            Cell::from(lang.pick("合计", "total")),
            Cell::Int(awarded),
            Cell::Int(spent),
        ]);
        Table {
            title: match lang {
                Lang::Zh => format!("{} 年积分发放与兑换（分）", self.year),
                Lang::En => format!("Points awarded and spent in {}", self.year),
            },
            headers: vec![
                lang.pick("月份", "month").to_string(),
                lang.pick("发放（已确认）", "awarded (confirmed)")
                    .to_string(),
                lang.pick("兑换（不含作废）", "spent (net of voids)")
                    .to_string(),
            ],
            rows,
        }
    }

    fn stock_table(&self, lang: Lang) -> Table {
        let mut headers = vec![
            lang.pick("物品", "goods").to_string(),
            lang.pick("售出", "sold").to_string(),
        ];
        // A week is headed by its last day, `MM-DD`: the stock shown is at its end.
        headers.extend(
            self.weeks
                .iter()
                .map(|w| w.last_date.get(5..).unwrap_or(&w.last_date).to_string()),
        );
        let rows = self
            .fast_moving
            .iter()
            .map(|item| {
                let mut row = vec![Cell::from(item.name.clone()), Cell::Int(item.sold_units)];
                row.extend(item.stock_units.iter().map(|units| Cell::Int(*units)));
                row
            })
            .collect();
        Table {
            title: match lang {
                Lang::Zh => format!("快销物品每周末库存（近 {WEEKS} 周，截至 {}）", self.today),
                Lang::En => format!(
                    "Stock of the fast-moving goods at each week's end (last {WEEKS} weeks, to {})",
                    self.today
                ),
            },
            headers,
            rows,
        }
    }
}

fn budget_table(budget: &BudgetUse, year: i32, lang: Lang) -> Table {
    let rows = budget
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::from(r.key.clone()),
                Cell::Int(r.limit_points),
                Cell::Int(r.used_points),
                Cell::Int(r.limit_points - r.used_points),
            ]
        })
        .collect();
    let period = match budget.span {
        BudgetSpan::Month => lang.pick("月份", "month"),
        BudgetSpan::Quarter => lang.pick("季度", "quarter"),
    };
    Table {
        title: match lang {
            Lang::Zh => format!("{year} 年村级积分预算使用（分）"),
            Lang::En => format!("Village points budget used in {year}"),
        },
        headers: vec![
            period.to_string(),
            lang.pick("上限", "limit").to_string(),
            lang.pick("已发放", "awarded").to_string(),
            lang.pick("剩余", "left").to_string(),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests;
