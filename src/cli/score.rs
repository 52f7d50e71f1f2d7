//! `aixin score`: enter one household's committee score for a period — a total, or item by
//! item on the policy's score sheet (`--item 环境卫生=5 --item 违规=-10`) — or import a sheet
//! of them (a score column, or one column per item). The points an entry is worth are the
//! domain's, read back from the event it wrote; whether an item and its score are allowed is
//! the score sheet's ([`crate::domain::ScoreSheet`]).

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::import_sheet;
use crate::domain::input::{self, code, number, text, Field};
use crate::domain::{Command, EventBody, ItemScore, Refusal};
use crate::i18n::Lang;
use crate::import::Kind;
use crate::store::ledger::View;

/// Score subcommands.
#[derive(Debug, Subcommand)]
pub enum ScoreCmd {
    /// Enter one household's score for a period: the total, or by item with --item.
    ///
    /// 录入一户一期的评分：总分，或用 --item 按评分细则分项录入
    Enter {
        /// Household id or card number.
        ///
        /// 〈户号或卡号〉户号或卡号
        household: String,
        /// Period: 2026-11 (month), 2026-Q4 (quarter) or 2026-11-21 (day), per the policy;
        /// also 2026/11, 2026.11, 2026年11月, 2026年第4季度, 2026/11/21.
        ///
        /// 〈评分周期〉按积分政策：2026-11（月）、2026-Q4（季度）或 2026-11-21（日）；也可写 2026/11、2026.11、2026年11月、2026年第4季度、2026/11/21
        period: String,
        /// The committee's total score (leave out when scoring by item).
        ///
        /// 〈得分〉评议总分（按项录入时不填）
        #[arg(allow_hyphen_values = true)]
        score: Option<String>,
        /// One item of the policy's score sheet and its score, e.g. 环境卫生=5 or 违规=-10
        /// (repeat for each item; an item left out counts 0).
        ///
        /// 〈项目=分数〉评分细则的一项及其得分，如 环境卫生=5 或 违规=-10（每项写一次，没写的项目按 0 分）
        #[arg(long = "item", value_name = "ITEM=SCORE", allow_hyphen_values = true)]
        items: Vec<String>,
        /// A note.
        ///
        /// 〈备注〉备注
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import scores from a sheet: .xlsx/.xls/.ods or CSV (UTF-8 or GBK), headers by name in
    /// Chinese or English, any order (see data/samples/scores.xlsx); a score column, or one
    /// column per item of the score sheet in its place.
    ///
    /// 从表格导入评分：.xlsx、.xls、.ods 或 CSV（UTF-8 或 GBK），表头用中文或英文、顺序不限（样表见 data/samples/scores.xlsx）；一列得分，或按评分细则每项一列
    Import {
        /// The sheet file.
        ///
        /// 〈表格文件〉表格文件
        file: PathBuf,
    },
}

/// `aixin score …`.
pub fn run(ctx: &Context, command: ScoreCmd) -> Result<(), CliError> {
    match command {
        ScoreCmd::Enter {
            household,
            period,
            score,
            items,
            note,
        } => {
            let mut ledger = ctx.open()?;
            let household = household_id(&ledger.view()?, &code(&household))?;
            let kind = ledger.view()?.require_meta()?.policy.period;
            let period = input::period(&period, kind)?;
            let note = text(&note);
            let command = match (score, items.is_empty()) {
                (Some(score), true) => Command::EnterScore {
                    household_id: household.clone(),
                    period,
                    score: number(&score, Field::Score)?,
                    note,
                },
                (None, false) => Command::EnterItemScores {
                    household_id: household.clone(),
                    period,
                    items: items
                        .iter()
                        .map(|item| parse_item(item))
                        .collect::<Result<_, _>>()?,
                    note,
                },
                (Some(_), false) => return Err(CliError::ScoreAndItems),
                (None, true) => return Err(CliError::ScoreMissing),
            };
            let events = ctx.execute_on(&mut ledger, &command)?;
            entered(ctx, &household, events.last())
        }
        ScoreCmd::Import { file } => import_sheet(ctx, Kind::Scores, &file),
    }
}

/// `ITEM=SCORE` as typed after `--item`, both through the one normaliser (full-width digits
/// and spaces folded); the name is checked against the sheet by the domain.
fn parse_item(given: &str) -> Result<ItemScore, CliError> {
    let bad = || CliError::ItemArgument(given.to_string());
    let (name, score) = given.split_once(['=', '＝']).ok_or_else(bad)?;
    let value = number(score, Field::Score).map_err(|_| bad())?;
    let name = text(name);
    if name.is_empty() {
        return Err(bad());
    }
    Ok(ItemScore::new(name, value))
}

/// Says what the score event recorded: the total, the items and the points after publicity.
fn entered(
    ctx: &Context,
    household: &str,
    event: Option<&crate::domain::Event>,
) -> Result<(), CliError> {
    let Some(event) = event else {
        return Ok(());
    };
    let (score, points, items) = match &event.body {
        EventBody::ScoreEntered { score, points, .. } => (*score, *points, Vec::new()),
        EventBody::ItemScoresEntered {
            score,
            points,
            items,
            ..
        } => (*score, *points, items.clone()),
        _ => return Ok(()),
    };
    let seq = event.seq;
    let listed = items
        .iter()
        .map(|i| format!("{} {:+}", i.item, i.score))
        .collect::<Vec<_>>();
    let text = match (ctx.lang, listed.is_empty()) {
        (Lang::Zh, true) => format!(
            "评分 #{seq}：农户 {household} 得 {score} 分，折 {points} 积分，公示期满后确认"
        ),
        (Lang::Zh, false) => format!(
            "评分 #{seq}：农户 {household} 得 {score} 分（{}），折 {points} 积分，公示期满后确认",
            listed.join("，")
        ),
        (Lang::En, true) => format!(
            "award #{seq}: household {household} scored {score}, {points} points after publicity"
        ),
        (Lang::En, false) => format!(
            "award #{seq}: household {household} scored {score} ({}), {points} points after publicity",
            listed.join(", ")
        ),
    };
    ctx.out().print(
        &text,
        json!({
            "award": seq,
            "household_id": household,
            "score": score,
            "points": points,
            "items": items,
        }),
    );
    Ok(())
}

/// The household a score is for, as typed: its id, or a card number as `balance` and `redeem`
/// take it. A replaced card is refused with the new card's way out; anything else is passed
/// on as an id, for the domain to refuse as unknown.
fn household_id(view: &View, typed: &str) -> Result<String, CliError> {
    if view.state().household(typed)?.is_some() {
        return Ok(typed.to_string());
    }
    match view.household_by_card(typed)? {
        Some((record, true)) => Ok(record.household.household_id),
        Some((record, false)) => Err(Refusal::CardVoided {
            card_no: typed.to_string(),
            household_id: record.household.household_id,
        }
        .into()),
        None => Ok(typed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_arguments_parse_or_are_refused() {
        assert_eq!(
            parse_item("环境卫生=5").ok(),
            Some(ItemScore::new("环境卫生", 5))
        );
        assert_eq!(
            parse_item("违规=-10").ok(),
            Some(ItemScore::new("违规", -10))
        );
        assert_eq!(parse_item("违规=+3").ok(), Some(ItemScore::new("违规", 3)));
        for bad in ["环境卫生", "=5", "环境卫生=", "环境卫生=1.5", "环境卫生=五"] {
            assert!(parse_item(bad).is_err(), "{bad}");
        }
    }
}
