//! `aixin household`: register, list, show and import households, and replace a lost card.
//! Also how the command line finds a household by card number or id ([`find_household`]) and
//! the one-line summary of a household that `balance` prints too.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::CliError;
use super::input::{export_list, import_sheet};
use super::print::to_json;
use crate::domain::event::Household;
use crate::domain::input::{checked_code, code, names, text, Field};
use crate::domain::state::HouseholdRecord;
use crate::domain::{Command, Refusal};
use crate::i18n::Lang;
use crate::import::{self, Kind};
use crate::store::ledger::{StoreError, View};
use crate::tui::lookup::LookupBuilder;

/// Household subcommands.
#[derive(Debug, Subcommand)]
pub enum HouseholdCmd {
    /// Register a household.
    ///
    /// 登记一户
    Add {
        /// Household id.
        ///
        /// 〈户号〉户号
        #[arg(long)]
        id: String,
        /// Card number.
        ///
        /// 〈卡号〉卡号
        #[arg(long)]
        card: String,
        /// Head of household.
        ///
        /// 〈户主〉户主姓名
        #[arg(long)]
        head: String,
        /// Other members, separated by ';' or '、'.
        ///
        /// 〈家庭成员〉其他家庭成员，用 ; 或 、 分隔
        #[arg(long, default_value = "")]
        members: String,
        /// Village group.
        ///
        /// 〈村民小组〉村民小组
        #[arg(long, default_value = "")]
        group: String,
        /// Phone.
        ///
        /// 〈电话〉联系电话
        #[arg(long, default_value = "")]
        phone: String,
        /// Registered-poor household (建档立卡).
        ///
        /// 建档立卡户
        #[arg(long)]
        poor: bool,
    },
    /// List households (optionally those the till's lookup finds for --name).
    ///
    /// 农户列表（可用 --name 像收银台的查找一样筛选）
    List {
        /// Find as the till's lookup does: the head's or a member's name, pinyin initials (zs)
        /// or full pinyin, a card number or household id, a phone's last digits.
        ///
        /// 〈查找〉像收银台的查找一样：户主或家庭成员姓名、拼音首字母（如 zs）或全拼、卡号或户号、电话后几位
        #[arg(long)]
        name: Option<String>,
        /// At most this many.
        ///
        /// 〈条数〉最多列出多少户
        #[arg(long, default_value = "1000")]
        limit: String,
        /// Write every matching household to an .xlsx or .csv file (imports back unchanged).
        ///
        /// 〈文件〉把列出的农户写成 .xlsx 或 .csv 表格（原样导入时没有新内容）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Show one household by id or card.
    ///
    /// 按户号或卡号查看一户
    Show {
        /// Household id or card number.
        ///
        /// 〈户号或卡号〉户号或卡号
        who: String,
    },
    /// Import households from a sheet: .xlsx/.xls/.ods or CSV (UTF-8 or GBK), headers by name
    /// in Chinese or English, any order (see data/samples/households.xlsx).
    ///
    /// 从表格导入农户：.xlsx、.xls、.ods 或 CSV（UTF-8 或 GBK），表头用中文或英文、顺序不限（样表见 data/samples/households.xlsx）
    Import {
        /// The sheet file.
        ///
        /// 〈表格文件〉表格文件
        file: PathBuf,
    },
    /// Correct a household's file (head, members, group, phone, registered poor); what is
    /// not given stays as it is. The id and card stay (a new card is `reissue-card`); the
    /// earlier file stays in the ledger.
    ///
    /// 更正农户档案（户主、家庭成员、村民小组、电话、建档立卡）；没给的项不变。户号和卡号不变（换卡用 reissue-card），原档案留有记录
    Edit {
        /// Household id.
        ///
        /// 〈户号〉要更正的农户的户号
        household: String,
        /// Head of household.
        ///
        /// 〈户主〉新的户主姓名
        #[arg(long)]
        head: Option<String>,
        /// Other members, separated by ';' or '、' (all of them: the list is replaced).
        ///
        /// 〈家庭成员〉其他家庭成员，用 ; 或 、 分隔（整个名单换成这里给的）
        #[arg(long)]
        members: Option<String>,
        /// Village group.
        ///
        /// 〈村民小组〉村民小组
        #[arg(long)]
        group: Option<String>,
        /// Phone.
        ///
        /// 〈电话〉联系电话
        #[arg(long)]
        phone: Option<String>,
        /// Registered-poor household (建档立卡): yes or no.
        ///
        /// 〈是或否〉是否建档立卡户：是 或 否
        #[arg(long)]
        poor: Option<String>,
    },
    /// Replace a lost card: the old number stops working at once.
    ///
    /// 补卡：旧卡号立即作废
    ReissueCard {
        /// Household id.
        ///
        /// 〈户号〉户号
        household: String,
        /// The new card number.
        ///
        /// 〈新卡号〉新卡号
        new_card: String,
    },
}

/// `aixin household …`.
pub fn run(ctx: &Context, command: HouseholdCmd) -> Result<(), CliError> {
    match command {
        HouseholdCmd::Add {
            id,
            card,
            head,
            members,
            group,
            phone,
            poor,
        } => {
            let id = checked_code(&id, Field::HouseholdId)?;
            let household = Household {
                household_id: id.clone(),
                card_no: checked_code(&card, Field::CardNo)?,
                head: text(&head),
                members: names(&members),
                group: text(&group),
                phone: checked_code(&phone, Field::Phone)?,
                registered_poor: poor,
            };
            ctx.execute(&Command::RegisterHousehold { household })?;
            ctx.out().print(
                &format!("{} {id}", ctx.t("已登记农户", "registered household")),
                json!({ "household_id": id }),
            );
            Ok(())
        }
        HouseholdCmd::List {
            name,
            out: Some(path),
            ..
        } => {
            let name = name.as_deref().map(text);
            export_list(ctx, Kind::Households, &path, |view| {
                let only = match name.as_deref() {
                    Some(query) => Some(matching(view, query, usize::MAX)?),
                    None => None,
                };
                import::export::households(view, ctx.lang, &path, only.as_deref())
            })
        }
        HouseholdCmd::List { name, limit, .. } => {
            let limit = usize::try_from(crate::domain::input::count(&limit, Field::Quantity)?)
                .unwrap_or(usize::MAX);
            list(ctx, name.as_deref().map(text).as_deref(), limit)
        }
        HouseholdCmd::Show { who } => show(ctx, &code(&who)),
        HouseholdCmd::Edit {
            household,
            head,
            members,
            group,
            phone,
            poor,
        } => {
            let id = code(&household);
            let file = {
                let ledger = ctx.open()?;
                let view = ledger.view()?;
                view.state()
                    .household(&id)?
                    .ok_or_else(|| Refusal::UnknownHousehold(id.clone()))?
                    .household
            };
            let household = Household {
                head: head.as_deref().map_or(file.head, text),
                members: members.as_deref().map_or(file.members, names),
                group: group.as_deref().map_or(file.group, text),
                phone: match phone.as_deref() {
                    Some(phone) => checked_code(phone, Field::Phone)?,
                    None => file.phone,
                },
                registered_poor: match poor.as_deref() {
                    Some(poor) => crate::domain::input::flag(poor, Field::RegisteredPoor)?,
                    None => file.registered_poor,
                },
                ..file
            };
            ctx.execute(&Command::EditHousehold { household })?;
            ctx.out().print(
                &format!(
                    "{} {id}{}",
                    ctx.t("已更正农户", "corrected the file of household"),
                    ctx.t("（原档案留有记录）", " (the earlier file stays on record)")
                ),
                json!({ "household_id": id }),
            );
            Ok(())
        }
        HouseholdCmd::Import { file } => import_sheet(ctx, Kind::Households, &file),
        HouseholdCmd::ReissueCard {
            household,
            new_card,
        } => {
            let household = code(&household);
            let new_card = checked_code(&new_card, Field::CardNo)?;
            ctx.execute(&Command::ReissueCard {
                household_id: household.clone(),
                new_card_no: new_card.clone(),
            })?;
            let text = match ctx.lang {
                Lang::Zh => format!("农户 {household} 已换新卡 {new_card}，旧卡立即作废"),
                Lang::En => format!(
                    "household {household} now has card {new_card}; the old card no longer works"
                ),
            };
            ctx.out().print(
                &text,
                json!({ "household_id": household, "card_no": new_card }),
            );
            Ok(())
        }
    }
}

fn list(ctx: &Context, name: Option<&str>, limit: usize) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let view = ledger.view()?;
    let list = match name {
        Some(query) => matching(&view, query, limit)?,
        None => {
            let mut all = view.households()?;
            all.truncate(limit);
            all
        }
    };
    let text = match (name, list.is_empty()) {
        (Some(query), true) => match ctx.lang {
            Lang::Zh => format!("没有找到“{query}”：可以输入户主姓名、拼音首字母（如 zs）、卡号或电话后四位"),
            Lang::En => format!(
                "nothing found for '{query}': try the head's name, its pinyin initials (zs), a card number or a phone's last four digits"
            ),
        },
        _ => list
            .iter()
            .map(|h| household_line(ctx.lang, h))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    ctx.out().print(&text, to_json(&list));
    Ok(())
}

/// The households the till's lookup panel finds for `query`, best match first, at most
/// `limit`: the head's or a member's name (spaces and full-width forms do not matter: `李四`
/// finds `李　四`), its pinyin initials or full pinyin (`zs`, `zhangsan`), a card number or
/// household id, or a phone number's last digits. The rules are [`crate::tui::lookup`]'s, so
/// the command line and the till find the same households.
fn matching(view: &View, query: &str, limit: usize) -> Result<Vec<HouseholdRecord>, StoreError> {
    let mut builder = LookupBuilder::new();
    view.for_each_household(|record| {
        let h = &record.household;
        builder.push(&h.household_id, &h.card_no, &h.head, &h.phone, &h.members);
        Ok(())
    })?;
    let index = builder.finish();
    let mut found = Vec::new();
    for (id, _) in index.search(query, limit) {
        if let Some(record) = view.state().household(&id)? {
            found.push(record);
        }
    }
    Ok(found)
}

fn show(ctx: &Context, who: &str) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let view = ledger.view()?;
    let (record, active) = find_household(&view, who)?;
    let h = &record.household;
    let mut text = household_line(ctx.lang, &record);
    text.push_str(&format!(
        "\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
        ctx.t("家庭成员", "members"),
        h.members.join("、"),
        ctx.t("电话", "phone"),
        h.phone,
        ctx.t("建档立卡", "registered poor"),
        if h.registered_poor {
            ctx.t("是", "yes")
        } else {
            ctx.t("否", "no")
        },
        ctx.t("已挂失旧卡", "replaced cards"),
        record.old_cards.join(ctx.t("、", ", ")),
    ));
    if !active {
        text.push_str(&format!(
            "\n{} {who} {}",
            ctx.t("注意：卡号", "note: card"),
            ctx.t("已作废", "no longer works")
        ));
    }
    ctx.out()
        .print(&text, json!({ "household": record, "card_active": active }));
    Ok(())
}

/// One household on one line: id, head, card, group, spendable and pending points.
pub fn household_line(lang: Lang, h: &HouseholdRecord) -> String {
    let hh = &h.household;
    match lang {
        Lang::Zh => format!(
            "{}  {}  卡 {}  {}  可用 {} 分  公示中 {} 分",
            hh.household_id, hh.head, hh.card_no, hh.group, h.balance_points, h.pending_points
        ),
        Lang::En => format!(
            "{}  {}  card {}  {}  spendable {}  pending {}",
            hh.household_id, hh.head, hh.card_no, hh.group, h.balance_points, h.pending_points
        ),
    }
}

/// Finds a household by card number or id (normalised by the caller), and whether `who` is a
/// card that still works; a replaced card still finds its household but says so. Unknown: the
/// domain's refusal.
pub fn find_household(view: &View, who: &str) -> Result<(HouseholdRecord, bool), CliError> {
    if let Some(found) = view.household_by_card(who)? {
        return Ok(found);
    }
    match view.state().household(who)? {
        Some(h) => Ok((h, true)),
        None => Err(Refusal::UnknownCard(who.to_string()).into()),
    }
}
