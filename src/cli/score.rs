//! `aixin score`: enter one household's committee score for a period, or a sheet of them.
//! The points an entry is worth are the domain's, read back from the event it wrote.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::import_sheet;
use crate::domain::input::{self, code, number, text, Field};
use crate::domain::{Command, EventBody};
use crate::i18n::Lang;
use crate::import::Kind;

/// Score subcommands.
#[derive(Debug, Subcommand)]
pub enum ScoreCmd {
    /// Enter one household's score for a period.
    ///
    /// 录入一户一期的评分
    Enter {
        /// Household id.
        ///
        /// 〈户号〉户号
        household: String,
        /// Period: 2026-11 (month), 2026-Q4 (quarter) or 2026-11-21 (day), per the policy.
        ///
        /// 〈评分周期〉按积分政策：2026-11（月）、2026-Q4（季度）或 2026-11-21（日）
        period: String,
        /// The committee's score.
        ///
        /// 〈得分〉评议得分
        #[arg(allow_hyphen_values = true)]
        score: String,
        /// A note.
        ///
        /// 〈备注〉备注
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import scores from a sheet: .xlsx/.xls/.ods or CSV (UTF-8 or GBK), headers by name in
    /// Chinese or English, any order (see data/samples/scores.xlsx).
    ///
    /// 从表格导入评分：.xlsx、.xls、.ods 或 CSV（UTF-8 或 GBK），表头用中文或英文、顺序不限（样表见 data/samples/scores.xlsx）
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
            note,
        } => {
            let household = code(&household);
            let score = number(&score, Field::Score)?;
            let mut ledger = ctx.open()?;
            let kind = ledger.view()?.require_meta()?.policy.period;
            let period = input::period(&period, kind)?;
            let events = ctx.execute_on(
                &mut ledger,
                &Command::EnterScore {
                    household_id: household.clone(),
                    period,
                    score,
                    note: text(&note),
                },
            )?;
            let (seq, points) = match events.last() {
                Some(event) => match &event.body {
                    EventBody::ScoreEntered { points, .. } => (event.seq, *points),
                    _ => (event.seq, 0),
                },
                None => (0, 0),
            };
            let text = match ctx.lang {
                Lang::Zh => format!(
                    "评分 #{seq}：农户 {household} 得 {score} 分，折 {points} 积分，公示期满后确认"
                ),
                Lang::En => format!(
                    "award #{seq}: household {household} scored {score}, {points} points after publicity"
                ),
            };
            ctx.out().print(
                &text,
                json!({ "award": seq, "household_id": household, "score": score, "points": points }),
            );
            Ok(())
        }
        ScoreCmd::Import { file } => import_sheet(ctx, Kind::Scores, &file),
    }
}
