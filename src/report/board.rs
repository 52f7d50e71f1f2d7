//! The publicity board (公示榜): one period's scores and points per household, ranked, as the
//! committee posts it on the village notice board so that neighbours can check and object.
//! Ranking is by the committee's score, with ties sharing a rank, exactly as the domain's
//! [`Ranking`] counts it (the rule of `eligible_by_rank`), so the board and the till never
//! disagree about who may redeem. Revoked entries do not count; a household whose only entry was revoked is not listed.
//!
//! Where the scores were entered by item (the policy's score sheet, 评分细则), the board shows
//! each item, so a household sees what it gained and lost. It also says when the period's
//! scores are posted: publicity (公示) runs from the entry for the policy's `publicity_days`
//! ([`crate::domain::publicity`]), and that is the time to object (异议期).

use std::collections::BTreeMap;

use serde::Serialize;

use super::table::{signers, AsSheet, AsTable, Cell, Sheet, Table};
use crate::domain::policy::Ranking;
use crate::domain::publicity::publicity_until_ms;
use crate::domain::state::AwardStatus;
use crate::domain::time::{parse_period, CivilDate, PeriodKind};
use crate::domain::{ItemScore, Refusal};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// A period's ranked board.
#[derive(Clone, Debug, Serialize)]
pub struct Board {
    /// The period key, e.g. `2026-09` or `2026-Q3`.
    pub period: String,
    /// Households ranked by score, best first.
    pub rows: Vec<BoardRow>,
    /// The items of the score sheet the period was scored on, in sheet order (empty when the
    /// scores were entered as totals).
    pub items: Vec<String>,
    /// Days each score is posted before it counts (the policy's `publicity_days`).
    pub publicity_days: u32,
    /// China date the period's first live score was posted, `YYYY-MM-DD` (none without rows).
    pub posted_from: Option<String>,
    /// China date the last of them may be confirmed: the end of the objection period.
    pub posted_until: Option<String>,
}

/// One household on the board.
#[derive(Clone, Debug, Serialize)]
pub struct BoardRow {
    /// 1 + the number of households with a strictly higher score: ties share a rank.
    pub rank: u32,
    /// The household's id.
    pub household_id: String,
    /// Head of household.
    pub head: String,
    /// Village group.
    pub group: String,
    /// The period's score (sum of live entries).
    pub score: i64,
    /// Points the period earned (pending or confirmed).
    pub points: i64,
    /// Whether the household may redeem on this period's result, when the policy ranks.
    pub eligible: Option<bool>,
    /// The period's score by item (summed over its live entries), in sheet order; empty when
    /// it was entered as a total.
    pub items: Vec<ItemScore>,
    /// Whether an entry of the period is still in publicity (pending), or all are confirmed.
    pub in_publicity: bool,
}

impl BoardRow {
    /// The household's score on the item named `item`, if it was scored on it.
    pub fn item(&self, item: &str) -> Option<i64> {
        self.items.iter().find(|i| i.item == item).map(|i| i.score)
    }
}

/// Accepts a day, month or quarter key; the policy may have changed its period kind mid-year.
fn parse_any_period(period: &str) -> Result<String, StoreError> {
    [PeriodKind::Quarter, PeriodKind::Month, PeriodKind::Day]
        .into_iter()
        .find_map(|kind| parse_period(period, kind))
        .map(|key| key.0)
        .ok_or_else(|| StoreError::Refused(Refusal::BadPeriod(period.to_string())))
}

/// What the live awards of one household in the period add up to, beyond the tally.
#[derive(Default)]
struct Posted {
    items: Vec<ItemScore>,
    in_publicity: bool,
}

/// The board of one period; a malformed period is refused.
pub fn board(view: &View, period: &str) -> Result<Board, StoreError> {
    let meta = view.require_meta()?;
    let key = parse_any_period(period)?;
    let tallies: Vec<_> = view
        .period_tallies(&key)?
        .into_iter()
        .filter(|(_, t)| t.entries > 0)
        .collect();
    let all_scores: Vec<i64> = tallies.iter().map(|(_, t)| t.score).collect();
    let ranking = Ranking::new(&all_scores);
    // Eligibility is decided on the policy's own period kind; other periods get no verdict.
    let eligibility = meta
        .policy
        .eligibility
        .as_ref()
        .filter(|_| parse_period(&key, meta.policy.period).is_some());
    // The items and publicity of the period's live awards, by household.
    let mut posted: BTreeMap<String, Posted> = BTreeMap::new();
    let mut items: Vec<String> = meta
        .score_sheet
        .as_ref()
        .map(|s| s.names())
        .unwrap_or_default();
    let mut any_items = false;
    let (mut from_ms, mut until_ms) = (None::<i64>, None::<i64>);
    for award in view.awards()? {
        if award.period.0 != key || award.status == AwardStatus::Revoked {
            continue;
        }
        let entry = posted.entry(award.household_id.clone()).or_default();
        entry.in_publicity |= award.status == AwardStatus::Pending;
        for given in &award.items {
            any_items = true;
            if !items.contains(&given.item) {
                items.push(given.item.clone());
            }
            match entry.items.iter_mut().find(|i| i.item == given.item) {
                Some(sum) => sum.score += given.score,
                None => entry.items.push(given.clone()),
            }
        }
        let until = publicity_until_ms(award.entered_ms, &meta.policy);
        from_ms = Some(from_ms.map_or(award.entered_ms, |m| m.min(award.entered_ms)));
        until_ms = Some(until_ms.map_or(until, |m| m.max(until)));
    }
    if !any_items {
        items.clear();
    }
    let mut rows = Vec::with_capacity(tallies.len());
    for (household_id, tally) in tallies {
        let (head, group) = match view.state().household(&household_id)? {
            Some(h) => (h.household.head, h.household.group),
            None => (String::new(), String::new()),
        };
        let higher = ranking.higher(tally.score);
        let mut household = posted.remove(&household_id).unwrap_or_default();
        household
            .items
            .sort_by_key(|i| items.iter().position(|name| *name == i.item));
        rows.push(BoardRow {
            rank: u32::try_from(higher + 1).unwrap_or(u32::MAX),
            household_id,
            head,
            group,
            score: tally.score,
            points: tally.points,
            eligible: eligibility.map(|e| ranking.eligible(e, tally.score)),
            items: household.items,
            in_publicity: household.in_publicity,
        });
    }
    rows.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then(b.points.cmp(&a.points))
            .then_with(|| a.household_id.cmp(&b.household_id))
    });
    let date = |ms: i64| CivilDate::from_utc_ms(ms).to_string();
    Ok(Board {
        period: key,
        rows,
        items,
        publicity_days: meta.policy.publicity_days,
        posted_from: from_ms.map(date),
        posted_until: until_ms.map(date),
    })
}

impl Board {
    /// The publicity window in words: when the scores are posted and until when neighbours
    /// may object (Chinese, English).
    pub fn publicity_note(&self, lang: Lang) -> String {
        let days = self.publicity_days;
        match (&self.posted_from, &self.posted_until, lang) {
            (_, _, Lang::Zh) if days == 0 => "本规则的评分不经公示，录入即生效".to_string(),
            (_, _, Lang::En) if days == 0 => {
                "this policy posts no scores: they count when entered".to_string()
            }
            (Some(from), Some(until), Lang::Zh) => format!(
                "公示期：{from} 至 {until}（每条评分公示 {days} 天）。对评分有异议的，请在公示期内向村评分小组提出；期满无异议的积分方可兑换。"
            ),
            (Some(from), Some(until), Lang::En) => format!(
                "Posted from {from} to {until} ({days} days for each score). Objections go to the village scoring group within that time; points count only after it."
            ),
            (_, _, Lang::Zh) => format!("每条评分公示 {days} 天，期满无异议方可兑换。"),
            (_, _, Lang::En) => {
                format!("each score is posted for {days} days before its points count.")
            }
        }
    }

    /// The table's headings. The English ones are as short as the Chinese (`#`, `id`, `pt`,
    /// as on the slip): a board by item has six or more item columns, and with `rank`,
    /// `household` and `points` it did not fit 80 columns without splitting them (`ra`/`nk`).
    fn headers(&self, lang: Lang, with_eligibility: bool) -> Vec<String> {
        let mut headers: Vec<String> = [
            ("名次", "#"),
            ("户号", "id"),
            ("户主", "head"),
            ("小组", "group"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        headers.extend(self.items.iter().cloned());
        headers.push(lang.pick("得分", "score").to_string());
        headers.push(lang.pick("积分", "pt").to_string());
        if with_eligibility {
            headers.push(lang.pick("可兑换", "may redeem").to_string());
        }
        headers
    }

    fn rows(&self, lang: Lang, with_eligibility: bool, with_status: bool) -> Vec<Vec<Cell>> {
        self.rows
            .iter()
            .map(|r| {
                let mut row: Vec<Cell> = vec![
                    r.rank.into(),
                    r.household_id.as_str().into(),
                    r.head.as_str().into(),
                    r.group.as_str().into(),
                ];
                row.extend(
                    self.items
                        .iter()
                        .map(|name| r.item(name).map_or_else(Cell::empty, Cell::Int)),
                );
                row.push(r.score.into());
                row.push(r.points.into());
                if with_eligibility {
                    let verdict = match r.eligible {
                        Some(true) => lang.pick("是", "yes"),
                        Some(false) => lang.pick("否", "no"),
                        None => "",
                    };
                    row.push(verdict.into());
                }
                if with_status {
                    let status = if r.in_publicity {
                        lang.pick("公示中", "posted")
                    } else {
                        // As short as `posted`, so the status column fits 80 columns.
                        lang.pick("已生效", "final")
                    };
                    row.push(status.into());
                }
                row
            })
            .collect()
    }
}

impl AsTable for Board {
    fn to_table(&self, lang: Lang) -> Table {
        let with_eligibility = self.rows.iter().any(|r| r.eligible.is_some());
        let title = match lang {
            Lang::Zh => format!("公示榜 {}", self.period),
            Lang::En => format!("publicity board {}", self.period),
        };
        Table {
            title,
            headers: self.headers(lang, with_eligibility),
            rows: self.rows(lang, with_eligibility, false),
        }
    }
}

impl AsSheet for Board {
    /// The board as posted: the ranked table with the items and each household's publicity
    /// state, the publicity window and objection period, and the lines to sign and date.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let with_eligibility = self.rows.iter().any(|r| r.eligible.is_some());
        let mut headers = self.headers(lang, with_eligibility);
        headers.push(lang.pick("状态", "status").to_string());
        let table = Table {
            title: String::new(),
            headers,
            rows: self.rows(lang, with_eligibility, true),
        };
        let mut notes = vec![self.publicity_note(lang)];
        if self.rows.is_empty() {
            notes.insert(
                0,
                lang.pick("本期还没有评分。", "no scores this period.")
                    .to_string(),
            );
        }
        Sheet {
            title: lang.pick("积分公示榜", "publicity board").to_string(),
            station: station.to_string(),
            period: self.period.clone(),
            tables: vec![table],
            notes,
            signatures: signers(
                lang,
                &[
                    ("经办人", "prepared by"),
                    ("审核人", "checked by"),
                    ("公示时间", "posted on"),
                ],
            ),
        }
    }
}

/// The board in a few columns for the receipt printer (rank, head, score, points), at
/// `line_width` columns, with the publicity window under it and the lines to sign when it is
/// posted (who posted it, and when), as on the A4 sheet.
pub fn board_slip(board: &Board, lang: Lang, station: &str, line_width: usize) -> String {
    let table = Table {
        title: String::new(),
        headers: [
            ("名次", "#"),
            ("户主", "head"),
            ("得分", "score"),
            ("积分", "pt"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect(),
        rows: board
            .rows
            .iter()
            .map(|r| {
                let head = if r.head.is_empty() {
                    &r.household_id
                } else {
                    &r.head
                };
                vec![
                    r.rank.into(),
                    head.as_str().into(),
                    r.score.into(),
                    r.points.into(),
                ]
            })
            .collect(),
    };
    let sheet = Sheet {
        title: lang.pick("积分公示榜", "publicity board").to_string(),
        station: station.to_string(),
        period: board.period.clone(),
        tables: vec![table],
        notes: vec![board.publicity_note(lang)],
        signatures: signers(lang, &[("经办人", "by"), ("公示时间", "posted on")]),
    };
    super::table::render_sheet_width(&sheet, line_width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_period_kind_is_accepted_and_junk_refused() {
        assert_eq!(
            parse_any_period("2026-Q3").ok(),
            Some("2026-Q3".to_string())
        );
        assert_eq!(
            parse_any_period("2026-09").ok(),
            Some("2026-09".to_string())
        );
        assert_eq!(
            parse_any_period("2026-09-30").ok(),
            Some("2026-09-30".to_string())
        );
        assert!(matches!(
            parse_any_period("2026-Q5"),
            Err(StoreError::Refused(Refusal::BadPeriod(_)))
        ));
        assert!(parse_any_period("last month").is_err());
    }

    fn sample() -> Board {
        Board {
            period: "2026-10".into(),
            rows: vec![BoardRow {
                rank: 1,
                household_id: "H001".into(),
                head: "王秀英".into(),
                group: "一组".into(),
                score: 95,
                points: 75,
                eligible: None,
                items: vec![ItemScore::new("环境卫生", 8), ItemScore::new("违规", -5)],
                in_publicity: true,
            }],
            items: vec!["环境卫生".into(), "家庭美德".into(), "违规".into()],
            publicity_days: 7,
            posted_from: Some("2026-11-02".into()),
            posted_until: Some("2026-11-09".into()),
        }
    }

    #[test]
    fn the_posted_board_has_its_items_window_and_lines_to_sign() {
        let sheet = sample().to_sheet(Lang::Zh, "李家村爱心超市（LJC01）");
        let table = &sheet.tables[0];
        assert_eq!(
            table.headers,
            [
                "名次",
                "户号",
                "户主",
                "小组",
                "环境卫生",
                "家庭美德",
                "违规",
                "得分",
                "积分",
                "状态"
            ]
        );
        assert_eq!(table.rows[0][4], Cell::Int(8));
        assert_eq!(table.rows[0][5], Cell::empty());
        assert_eq!(table.rows[0][6], Cell::Int(-5));
        assert_eq!(table.rows[0][9], "公示中");
        assert!(sheet.notes[0].contains("2026-11-02 至 2026-11-09"));
        assert_eq!(sheet.signatures, ["经办人", "审核人", "公示时间"]);
        let slip = board_slip(&sample(), Lang::Zh, "李家村", 32);
        assert!(
            slip.lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 32),
            "{slip}"
        );
    }
}
