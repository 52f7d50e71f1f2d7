//! The year-end sheet (一年一清): what clearing a year removes, per household and in total,
//! what later years' credit stays, the scoring periods of the year with no scores (maybe
//! forgotten), and beside it the year's honours list — the households with the most points
//! awarded in the year (seed 000 篇五: the year's top households are honoured). The clearing's
//! figures are the domain's own preview ([`crate::domain::year_end`]), so the sheet and the
//! ledger cannot differ; the honours list is a ranking, not a payment.

use serde::Serialize;

use super::table::{render_text, AsTable, Table};
use crate::domain::time::CivilDate;
use crate::domain::year_end::{describe_periods, preview, YearEndPreview};
use crate::domain::DecideError;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// How many ranks the honours list shows (ties at the last rank are all listed).
pub const HONOURS_RANKS_MAX: usize = 10;

/// One household on the honours list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HonourRow {
    /// Rank; households with equal points share it.
    pub rank: usize,
    /// Household id.
    pub household_id: String,
    /// Head of household.
    pub head: String,
    /// Village group.
    pub group: String,
    /// Points confirmed as credit of the year.
    pub points: i64,
}

/// The year-end sheet: the preview of the clearing and the honours list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearEndSheet {
    /// The station.
    pub station_id: String,
    /// What the clearing removes (or removed).
    pub preview: YearEndPreview,
    /// The unscored periods, written compactly in English (`2026-01, 2026-03–2026-05`).
    pub unscored: String,
    /// The same in Chinese, with the enumeration comma (`2026-01、2026-03–2026-05`).
    pub unscored_zh: String,
    /// The year's top households.
    pub honours: Vec<HonourRow>,
}

/// The sheet for clearing `year` as of `today`; the domain's refusals (policy never clears,
/// year not over, already cleared, awards still in publicity) come back as refusals.
pub fn year_end_sheet(
    view: &View,
    year: i32,
    today: CivilDate,
) -> Result<YearEndSheet, StoreError> {
    let meta = view.require_meta()?;
    let preview = preview(view.state(), &meta.policy, today, year).map_err(|e| match e {
        DecideError::Refused(r) => StoreError::Refused(r),
        DecideError::Fault(f) => StoreError::from(f),
    })?;
    let unscored = |lang| describe_periods(&preview.unscored_periods, meta.policy.period, lang);
    Ok(YearEndSheet {
        station_id: view.station().to_string(),
        unscored: unscored(Lang::En),
        unscored_zh: unscored(Lang::Zh),
        honours: honours(view, year)?,
        preview,
    })
}

/// The households with the most points awarded as credit of `year`, ranked with ties sharing
/// a rank, up to [`HONOURS_RANKS_MAX`] ranks.
pub fn honours(view: &View, year: i32) -> Result<Vec<HonourRow>, StoreError> {
    let mut rows = Vec::new();
    view.for_each_household(|h| {
        let points = h
            .credit
            .iter()
            .find(|c| c.year == year)
            .map_or(0, |c| c.awarded_points);
        if points > 0 {
            rows.push(HonourRow {
                rank: 0,
                household_id: h.household.household_id,
                head: h.household.head,
                group: h.household.group,
                points,
            });
        }
        Ok(())
    })?;
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| a.household_id.cmp(&b.household_id))
    });
    let mut out: Vec<HonourRow> = Vec::new();
    for (i, mut row) in rows.into_iter().enumerate() {
        row.rank = match out.last() {
            Some(prev) if prev.points == row.points => prev.rank,
            _ => i + 1,
        };
        if row.rank > HONOURS_RANKS_MAX {
            break;
        }
        out.push(row);
    }
    Ok(out)
}

impl YearEndSheet {
    /// The printable sheet: the clearing, its totals and gaps, then the honours list.
    pub fn render(&self, lang: Lang) -> String {
        let p = &self.preview;
        let mut out = render_text(&self.to_table(lang));
        out.push_str(&match lang {
            Lang::Zh => format!(
                "合计清零 {} 户，{} 积分；{} 年以后的积分 {} 分保留\n",
                p.households.len(),
                p.total_points,
                p.year,
                p.kept_points
            ),
            Lang::En => format!(
                "in all {} households, {} points cleared; {} points of later years stay\n",
                p.households.len(),
                p.total_points,
                p.kept_points
            ),
        });
        if !self.unscored.is_empty() {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "注意：{} 年这些评分期没有录入任何评分：{}\n",
                    p.year, self.unscored_zh
                ),
                Lang::En => format!(
                    "note: no scores were entered for {} of {}\n",
                    self.unscored, p.year
                ),
            });
        }
        out.push('\n');
        out.push_str(&render_text(&self.honours_table(lang)));
        if self.honours.is_empty() {
            out.push_str(lang.pick(
                "（这一年没有确认的积分）\n",
                "(no points were confirmed that year)\n",
            ));
        }
        out
    }

    /// The honours list as a table.
    pub fn honours_table(&self, lang: Lang) -> Table {
        Table {
            title: match lang {
                Lang::Zh => format!(
                    "{} 年度表彰（积分前 {HONOURS_RANKS_MAX} 名）",
                    self.preview.year
                ),
                Lang::En => format!(
                    "{} honours (top {HONOURS_RANKS_MAX} by points)",
                    self.preview.year
                ),
            },
            headers: [
                ("名次", "rank"),
                ("户号", "household"),
                ("户主", "head"),
                ("小组", "group"),
                ("积分", "points"),
            ]
            .iter()
            .map(|(zh, en)| lang.pick(zh, en).to_string())
            .collect(),
            rows: self
                .honours
                .iter()
                .map(|h| {
                    vec![
                        h.rank.into(),
                        h.household_id.as_str().into(),
                        h.head.as_str().into(),
                        h.group.as_str().into(),
                        h.points.into(),
                    ]
                })
                .collect(),
        }
    }
}

impl AsTable for YearEndSheet {
    fn to_table(&self, lang: Lang) -> Table {
        let year = self.preview.year;
        Table {
            title: match lang {
                Lang::Zh => format!("{} {year} 年终清零（一年一清）", self.station_id),
                Lang::En => format!("{} year-end clearing of {year}", self.station_id),
            },
            headers: [
                ("户号", "household"),
                ("户主", "head"),
                ("清零积分", "cleared"),
                ("保留（以后年度）", "kept (later years)"),
            ]
            .iter()
            .map(|(zh, en)| lang.pick(zh, en).to_string())
            .collect(),
            rows: self
                .preview
                .households
                .iter()
                .map(|h| {
                    vec![
                        h.household_id.as_str().into(),
                        h.head.as_str().into(),
                        h.cleared_points.into(),
                        h.kept_points.into(),
                    ]
                })
                .collect(),
        }
    }
}
