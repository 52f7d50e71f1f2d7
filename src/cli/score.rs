//! `aixin score`: enter one household's committee score for a period — a total, or item by
//! item on the policy's score sheet (`--item 环境卫生=5 --item 违规=-10`) — or import a CSV
//! file of them (one column per item, or a `score` column). The points an entry is worth are
//! the domain's, read back from the event it wrote; whether an item and its score are allowed is
//! the score sheet's ([`crate::domain::ScoreSheet`]).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::{commit_rows, read_text};
use crate::domain::{Command, EventBody, ItemScore, Refusal};
use crate::i18n::Lang;
use crate::import;

/// Score subcommands.
#[derive(Debug, Subcommand)]
pub enum ScoreCmd {
    /// Enter one household's score for a period: the total, or by item with --item.
    Enter {
        /// Household id.
        household: String,
        /// Period: 2026-11 (month), 2026-Q4 (quarter) or 2026-11-21 (day), per the policy.
        period: String,
        /// The committee's total score (leave out when scoring by item).
        #[arg(allow_hyphen_values = true)]
        score: Option<i64>,
        /// One item of the policy's score sheet and its score, e.g. 环境卫生=5 or 违规=-10
        /// (repeat for each item; an item left out counts 0).
        #[arg(long = "item", value_name = "ITEM=SCORE", allow_hyphen_values = true)]
        items: Vec<String>,
        /// A note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import scores from CSV: household_id,period,score,note — or household_id,period, one
    /// column per item of the score sheet, note.
    Import {
        /// The CSV file.
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
            let command = match (score, items.is_empty()) {
                (Some(score), true) => Command::EnterScore {
                    household_id: household.clone(),
                    period,
                    score,
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
            let events = ctx.execute(&command)?;
            entered(ctx, &household, events.last())
        }
        ScoreCmd::Import { file } => import_scores(ctx, &file),
    }
}

/// `score import FILE`: the file's item columns are checked against the station's score sheet
/// first (an unknown column is refused at line 1 even when its cells are empty), then every row
/// is committed as one batch; a refused row names its line and nothing is written.
fn import_scores(ctx: &Context, path: &Path) -> Result<(), CliError> {
    let text = read_text(path)?;
    let csv = |source| CliError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let rows = import::parse_scores(&text).map_err(csv)?;
    let columns = import::score_file_items(&text).map_err(csv)?;
    if !columns.is_empty() {
        let sheet = ctx.open()?.view()?.require_meta()?.score_sheet;
        let refusal = match &sheet {
            None => Some(Refusal::NoScoreSheet),
            Some(sheet) => columns
                .iter()
                .find(|name| sheet.item(name).is_none())
                .map(|name| Refusal::UnknownScoreItem {
                    item: name.clone(),
                    known: sheet.names(),
                }),
        };
        if let Some(refusal) = refusal {
            return Err(CliError::RowRefused {
                path: path.to_path_buf(),
                line: 1,
                refusal,
            });
        }
    }
    let count = commit_rows(ctx, path, &rows)?;
    let text = format!(
        "{} {count} {}",
        ctx.t("已导入", "imported"),
        ctx.t("条评分", "scores")
    );
    ctx.out().print(&text, json!({ "imported": count }));
    Ok(())
}

/// `ITEM=SCORE` as typed after `--item`; the name is checked against the sheet by the domain.
fn parse_item(text: &str) -> Result<ItemScore, CliError> {
    let bad = || CliError::ItemArgument(text.to_string());
    let (name, score) = text.split_once('=').ok_or_else(bad)?;
    let score = score.trim();
    let value: i64 = score.parse().map_err(|_| bad())?;
    // Refuse `+5`-style or padded numbers the same way as any other mangled digits.
    if value.to_string() != score.trim_start_matches('+') {
        return Err(bad());
    }
    let name = name.trim();
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
        for bad in [
            "环境卫生",
            "=5",
            "环境卫生=",
            "环境卫生=1.5",
            "环境卫生=五",
            "a=05",
        ] {
            assert!(parse_item(bad).is_err(), "{bad}");
        }
    }
}
