//! Popups drawn over the screen: key help (generated from the keymap), household details,
//! checkout with the proxy collector, yes/no questions, the void reason and the receipt.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use crate::domain::state::HouseholdRecord;
use crate::domain::time::{format_local, CivilDate, DAY_MS};
use crate::i18n::Lang;
use crate::report::year_end::YearEndSheet;

use super::super::data::HouseholdRow;
use super::super::keymap::{Action, Context};
use super::super::model::{History, Leave, Modal, Model, Question};
use super::super::msg::ClockIssue;
use super::super::sync_report::role_word;
use super::super::text::{pad_left, pad_right, spread, width};
use super::theme::Theme;
use super::till::cart_check;
use super::{input_line, muted, panel, wrap_line};

/// Draws the popup centred in `area`.
pub fn draw(model: &Model, modal: &Modal, frame: &mut Frame, area: Rect) {
    match modal {
        Modal::Help { scroll } => help(model, frame, area, *scroll),
        Modal::Details {
            household_id,
            history,
            scroll,
        } => details(model, frame, area, household_id, history.as_ref(), *scroll),
        Modal::Checkout { proxy } => checkout(model, frame, area, &proxy.text),
        Modal::Confirm(question) => confirm(model, frame, area, question),
        Modal::Reason { sale_seq, reason } => {
            void_reason(model, frame, area, *sale_seq, &reason.text)
        }
        Modal::Form(form) => super::forms::form(model, form, frame, area),
        Modal::Sheet(picker) => super::forms::sheet(model, picker, frame, area),
        Modal::Preview(preview) => super::forms::preview(model, preview, frame, area),
        Modal::Receipt { text, file, scroll } => {
            receipt(model, frame, area, text, file.as_deref(), *scroll)
        }
        Modal::Unlock { .. } | Modal::Passphrase { .. } => {
            super::login::draw_secret(model, modal, frame, area)
        }
    }
}

/// A bordered popup of `columns` × at least `rows` cells (more when its lines, wrapped to its
/// width, need them, up to [`tall`]), centred in `area`, showing `lines` from `scroll`.
pub(super) fn boxed(
    frame: &mut Frame,
    area: Rect,
    columns: u16,
    rows: u16,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: usize,
) {
    let columns = columns.min(area.width);
    let inner_cells = usize::from(columns.saturating_sub(2));
    let lines: Vec<Line<'static>> = lines
        .iter()
        .flat_map(|line| wrap_line(line, inner_cells))
        .collect();
    let needed = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    // Grown to its wrapped lines, but below the screen's own top and bottom borders.
    let most = tall(area).max(rows).min(area.height);
    let rect = area.centered(
        Constraint::Length(columns),
        Constraint::Length(rows.max(needed).min(most)),
    );
    clear_wide_edge(frame, rect);
    frame.render_widget(Clear, rect);
    let block = panel(title, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let skip = scroll.min(lines.len().saturating_sub(inner.height as usize));
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Blanks a wide character just left of `rect` whose right half lies under the popup's border,
/// which would otherwise still be printed over it (and the border lost).
pub(super) fn clear_wide_edge(frame: &mut Frame, rect: Rect) {
    let Some(x) = rect.x.checked_sub(1) else {
        return;
    };
    let buffer = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        if buffer.area.contains(ratatui::layout::Position { x, y })
            && width(buffer[(x, y)].symbol()) > 1
        {
            buffer[(x, y)].set_symbol(" ");
        }
    }
}

/// Rows of a popup as tall as the screen allows: the screen's panel borders above and below
/// stay in view, so the popup reads as over the screen, not as the screen.
fn tall(area: Rect) -> u16 {
    area.height.saturating_sub(2)
}

/// Bindings of a context merged by action: (keys, description), the keys named as the hint
/// line names them in the manager's language (`Keymap::keys_cap`).
fn help_rows(model: &Model, context: Context) -> Vec<(String, String)> {
    let mut rows: Vec<(Action, String)> = Vec::new();
    for b in model.keymap.bindings(context) {
        if rows.iter().all(|(a, _)| *a != b.action) {
            rows.push((b.action, b.desc(model.lang).to_string()));
        }
    }
    rows.into_iter()
        .map(|(action, desc)| (model.keymap.keys_cap(context, action, model.lang), desc))
        .collect()
}

fn context_title(model: &Model, context: Context) -> &str {
    match context {
        Context::Global => model.t("全局", "Everywhere"),
        Context::Lookup => model.t("查找农户", "Household lookup"),
        Context::Catalog => model.t("商品目录", "Catalog"),
        Context::Cart => model.t("购物车", "Cart"),
        Context::Checkout => model.t("结账", "Checkout"),
        Context::Confirm => model.t("确认", "Questions"),
        Context::Reason => model.t("作废原因", "Void reason"),
        Context::Popup => model.t("弹窗", "Popups"),
        Context::Receive => model.t("物品入库", "Receive stock"),
        Context::Scores => model.t("录入评分", "Scores"),
        Context::Awards => model.t("确认积分", "Awards"),
        Context::Day => model.t("班次流水（日结）", "Till session"),
        Context::Void => model.t("作废兑换", "Void"),
        Context::Board => model.t("公示榜", "Board"),
        Context::Setup => model.t("首次设置", "Setup"),
        Context::Sync => model.t("U盘同步", "USB sync"),
        Context::Stats => model.t("统计", "Statistics"),
        Context::Households => model.t("农户档案", "Households"),
        Context::Goods => model.t("商品管理", "Goods"),
        Context::Stocktake => model.t("盘点", "Stocktake"),
        Context::Form => model.t("表单", "Forms"),
        Context::Sheet => model.t("选择表格", "Choosing a sheet"),
        Context::Preview => model.t("导入预览", "Import preview"),
        Context::Login => model.t("登录", "Log in"),
        Context::Secret => model.t("密码 / 口令", "PIN / passphrase"),
    }
}

fn help(model: &Model, frame: &mut Frame, area: Rect, scroll: usize) {
    let current = model.screen_context();
    let mut lines = Vec::new();
    lines.push(Line::from(Span::styled(
        model
            .t(
                "扫码枪：在任何地方扫码即可加入购物车。打字即查找。",
                "Barcode scanner: scan anywhere to add to the cart. Type to search.",
            )
            .to_string(),
        Theme::INFO,
    )));
    for context in [current, Context::Global] {
        lines.push(Line::from(Span::styled(
            format!("── {} ──", context_title(model, context)),
            Theme::FOCUS_BORDER,
        )));
        for (keys, desc) in help_rows(model, context) {
            lines.push(Line::from(vec![
                Span::styled(pad_right(&keys, 22), Theme::INFO),
                Span::raw(desc),
            ]));
        }
    }
    let title = format!(
        "{} ({})",
        model.t("按键帮助", "Keys"),
        model.key(Context::Popup, Action::Cancel)
    );
    boxed(frame, area, 70, tall(area), &title, lines, scroll);
}

fn history_lines(model: &Model, history: Option<&History>) -> Vec<Line<'static>> {
    let Some(history) = history else {
        return vec![muted(model.t("正在读取记录…", "loading history…"))];
    };
    let mut lines = vec![Line::from(Span::styled(
        model.t("最近兑换", "Recent sales").to_string(),
        Theme::FOCUS_BORDER,
    ))];
    if history.sales.is_empty() {
        lines.push(muted(model.t("（无）", "(none)")));
    }
    for s in history.sales.iter().take(6) {
        let voided = if s.voided {
            model.t(" 已作废", " voided")
        } else {
            ""
        };
        let proxy = s
            .proxy
            .as_ref()
            .map(|p| format!(" {}{p}", model.t("代领:", "by ")))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{} #{} −{}{voided}{proxy}",
            format_local(s.time_ms),
            s.seq,
            s.total_points
        )));
    }
    lines.push(Line::from(Span::styled(
        model.t("最近评分", "Recent awards").to_string(),
        Theme::FOCUS_BORDER,
    )));
    if history.awards.is_empty() {
        lines.push(muted(model.t("（无）", "(none)")));
    }
    for a in history.awards.iter().take(6) {
        let status = match a.status {
            crate::domain::state::AwardStatus::Pending => model.t("公示中", "pending"),
            crate::domain::state::AwardStatus::Confirmed => model.t("已确认", "confirmed"),
            crate::domain::state::AwardStatus::Revoked => model.t("已撤销", "revoked"),
        };
        lines.push(Line::from(format!(
            "{} {} {} → +{} {status}",
            a.period.0,
            model.t("得分", "score"),
            a.score,
            a.points
        )));
    }
    lines
}

fn details(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    household_id: &str,
    history: Option<&History>,
    scroll: usize,
) {
    let Some(row) = model.data.household(household_id) else {
        return;
    };
    // The list row is at hand; the rest of the file comes with the history.
    let mut lines = match history.and_then(|history| history.household.as_ref()) {
        Some(file) => file_lines(model, file),
        None => row_lines(model, row),
    };
    lines.extend(history_lines(model, history));
    let title = format!(
        "{} {} ({})",
        model.t("农户详情", "Household"),
        row.head,
        model.key(Context::Popup, Action::Cancel)
    );
    boxed(frame, area, 66, tall(area), &title, lines, scroll);
}

/// One labelled line of the details popup.
fn field(model: &Model, zh: &str, en: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(pad_right(model.t(zh, en), 12), Theme::MUTED),
        Span::raw(value),
    ])
}

/// What the details popup shows before the household's file has been read.
fn row_lines(model: &Model, row: HouseholdRow) -> Vec<Line<'static>> {
    vec![
        field(model, "户号", "Household", row.household_id.to_string()),
        field(model, "户主", "Head", row.head.to_string()),
        field(model, "卡号", "Card", row.card_no.to_string()),
        field(model, "组", "Group", row.group.to_string()),
        field(model, "电话", "Phone", row.phone.to_string()),
        field(
            model,
            "积分",
            "Points",
            format!(
                "{} {} · {} {}",
                model.t("可用", "balance"),
                row.balance_points,
                model.t("公示中", "pending"),
                row.pending_points,
            ),
        ),
    ]
}

/// The household's whole file.
fn file_lines(model: &Model, h: &HouseholdRecord) -> Vec<Line<'static>> {
    let f = &h.household;
    let mut lines = vec![
        field(model, "户号", "Household", f.household_id.clone()),
        field(model, "户主", "Head", f.head.clone()),
        field(model, "卡号", "Card", f.card_no.clone()),
        field(
            model,
            "成员",
            "Members",
            if f.members.is_empty() {
                "—".into()
            } else {
                f.members.join("、")
            },
        ),
        field(model, "组", "Group", f.group.clone()),
        field(model, "电话", "Phone", f.phone.clone()),
        field(
            model,
            "建档立卡",
            "Reg. poor",
            if f.registered_poor {
                model.t("是", "yes").into()
            } else {
                model.t("否", "no").into()
            },
        ),
        field(
            model,
            "积分",
            "Points",
            format!(
                "{} {} · {} {} · {} {} · {} {}",
                model.t("可用", "balance"),
                h.balance_points,
                model.t("公示中", "pending"),
                h.pending_points,
                model.t("累计获得", "earned"),
                h.earned_points,
                model.t("已兑换", "spent"),
                h.spent_points
            ),
        ),
    ];
    if !h.old_cards.is_empty() {
        lines.push(field(
            model,
            "作废卡号",
            "Old cards",
            h.old_cards
                .iter()
                .map(|old| format!("{old} → {}", f.card_no))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    // The balance by credit year: awarded = spent + cleared + remaining for each year.
    for year in &h.credit {
        let label = format!("{}{}", year.year, model.t(" 年", ""));
        lines.push(Line::from(vec![
            Span::styled(pad_right(&label, 12), Theme::MUTED),
            Span::raw(match model.lang {
                Lang::Zh => format!(
                    "获得 {} · 已用 {} · 清零 {} · 余 {}",
                    year.awarded_points,
                    year.spent_points,
                    year.cleared_points,
                    year.remaining_points()
                ),
                Lang::En => format!(
                    "awarded {} · spent {} · cleared {} · left {}",
                    year.awarded_points,
                    year.spent_points,
                    year.cleared_points,
                    year.remaining_points()
                ),
            }),
        ]));
    }
    lines
}

fn checkout(model: &Model, frame: &mut Frame, area: Rect, proxy: &str) {
    let cells = 50usize;
    let mut lines = Vec::new();
    if let Some(h) = model.cart_household() {
        lines.push(Line::from(format!(
            "{}{} {}",
            model.t("农户：", "Household: "),
            h.head,
            h.card_no
        )));
    }
    for line in &model.cart.lines {
        let (name, price) = model
            .data
            .goods_by_id(&line.goods_id)
            .map(|g| (g.goods.name.clone(), g.goods.price_points))
            .unwrap_or_else(|| (line.goods_id.clone(), 0));
        lines.push(Line::from(format!(
            "{} {} {}",
            pad_right(&name, cells - 16),
            pad_left(&format!("×{}", line.quantity), 6),
            pad_left(&price.saturating_mul(line.quantity).to_string(), 8)
        )));
    }
    let total = model.cart_total();
    let unit = model.t("分", "pts");
    lines.push(Line::from(spread(
        model.t("合计", "Total"),
        &format!("{total} {unit}"),
        cells,
    )));
    if let Some(h) = model.cart_household() {
        lines.push(Line::from(spread(
            model.t("兑换后余额", "Balance after"),
            &format!("{} {unit}", h.balance_points - total),
            cells,
        )));
    }
    if let Some((text, false)) = cart_check(model) {
        lines.push(Line::from(Span::styled(format!("✗ {text}"), Theme::BAD)));
    }
    lines.push(Line::from(""));
    lines.push(input_line(
        model.t("代领人（可空）：", "Collected by (optional): "),
        proxy,
        true,
        cells,
    ));
    lines.push(muted(format!(
        "{} {} · {} {}",
        model.key(Context::Checkout, Action::Confirm),
        model.t("确认兑换", "confirm"),
        model.key(Context::Checkout, Action::Cancel),
        model.t("取消", "cancel"),
    )));
    let rows = (lines.len() as u16).saturating_add(2);
    boxed(
        frame,
        area,
        cells as u16 + 2,
        rows,
        model.t("确认兑换", "Confirm redemption"),
        lines,
        0,
    );
}

/// The clock question in words: the date shown and the last entry, and what yes does.
fn clock_question(model: &Model, clock: &ClockIssue) -> String {
    match (clock, model.lang) {
        (ClockIssue::Unconfirmed { now_ms, last_ms: Some(last) }, Lang::Zh) => format!(
            "电脑日期是 {}，距上一笔（{}）已有 {} 天。这个日期对吗？对：确认并继续；不对：先校准电脑时钟",
            CivilDate::from_utc_ms(*now_ms),
            format_local(*last),
            (now_ms - last).div_euclid(DAY_MS)
        ),
        (ClockIssue::Unconfirmed { now_ms, last_ms: Some(last) }, Lang::En) => format!(
            "The computer's date is {}, {} days after the last entry ({}). Is that date right? Yes: confirm and go on; no: set the clock first",
            CivilDate::from_utc_ms(*now_ms),
            (now_ms - last).div_euclid(DAY_MS),
            format_local(*last)
        ),
        (ClockIssue::Unconfirmed { now_ms, last_ms: None }, Lang::Zh) => format!(
            "电脑日期是 {}，比本程序的发布日期晚了好几年。这个日期对吗？对：确认并继续；不对：先校准电脑时钟",
            CivilDate::from_utc_ms(*now_ms)
        ),
        (ClockIssue::Unconfirmed { now_ms, last_ms: None }, Lang::En) => format!(
            "The computer's date is {}, years after this program was built. Is that date right? Yes: confirm and go on; no: set the clock first",
            CivilDate::from_utc_ms(*now_ms)
        ),
        (ClockIssue::Behind { now_ms, last_ms }, Lang::Zh) => format!(
            "账本最后一笔在 {}，比电脑现在的时间 {} 还晚。电脑时钟现在准吗？准（之前时钟偏快）：登记时钟更正并继续；不准：先校准电脑时钟",
            format_local(*last_ms),
            format_local(*now_ms)
        ),
        (ClockIssue::Behind { now_ms, last_ms }, Lang::En) => format!(
            "The ledger's last entry is {}, later than the computer's time {}. Is the clock right now? Yes (it was fast before): record a clock correction and go on; no: set the clock first",
            format_local(*last_ms),
            format_local(*now_ms)
        ),
    }
}

/// The year-end preview as a question: what is cleared and kept, the periods with no scores,
/// the top of the honours list; the full list prints with `aixin close-year YEAR --preview`.
fn year_end_question(model: &Model, sheet: &YearEndSheet) -> String {
    let p = &sheet.preview;
    let honours = sheet
        .honours
        .iter()
        .take(3)
        .map(|h| format!("{}. {} {}", h.rank, h.head, h.points))
        .collect::<Vec<_>>()
        .join("  ");
    let unscored = if sheet.unscored.is_empty() {
        String::new()
    } else {
        match model.lang {
            Lang::Zh => format!("无评分的期：{}。", sheet.unscored_zh),
            Lang::En => format!("No scores for: {}. ", sheet.unscored),
        }
    };
    match model.lang {
        Lang::Zh => format!(
            "{} 年终清零：{} 户共 {} 分将清零，{} 年以后的 {} 分保留。{unscored}表彰：{honours}。确定清零吗？",
            p.year,
            p.households.len(),
            p.total_points,
            p.year,
            p.kept_points
        ),
        Lang::En => format!(
            "Year-end clearing of {}: {} points of {} households are cleared; {} points of later years stay. {unscored}Honours: {honours}. Clear now?",
            p.year,
            p.total_points,
            p.households.len(),
            p.kept_points
        ),
    }
}

fn confirm(model: &Model, frame: &mut Frame, area: Rect, question: &Question) {
    let text = match question {
        Question::ClearYear(sheet) => year_end_question(model, sheet),
        Question::Clock { clock, .. } => clock_question(model, clock),
        Question::CloseDay(no) => {
            let (sales, points) = model
                .day
                .report
                .as_ref()
                .map_or((0, 0), |r| (r.totals.sales, r.totals.points_spent));
            match model.lang {
                Lang::Zh => format!(
                    "日结 Z{no}：结束本班次（自上次日结以来的全部业务：兑换 {sales} 笔，{points} 积分），冻结合计。确定吗？"
                ),
                Lang::En => format!(
                    "close Z{no}: end this till session (everything since the last close: {sales} sales, {points} pt) and freeze its totals. Close it?"
                ),
            }
        }
        Question::Quit(_) => model
            .t(
                "购物车里还有商品，确定退出吗？（未结账的不会记账）",
                "the cart is not empty. Quit anyway? (nothing is recorded)",
            )
            .to_string(),
        Question::CommitScores => {
            let n = model.score_commands().len();
            format!(
                "{} {} {n} {}",
                model.scores.period,
                model.t("提交评分：", "commit scores:"),
                model.t(
                    "户，进入公示。确定吗？",
                    "households, into publicity. Commit?"
                )
            )
        }
        Question::Enroll(e) => match model.lang {
            Lang::Zh => format!(
                "登记{} {} 的公钥。指纹：{}。请对方在电脑上运行 aixin keys show，把指纹念给您听，四组逐一核对；一致才确定，不一致请取消。",
                role_word(model, e.role),
                e.station_id,
                e.fingerprint
            ),
            Lang::En => format!(
                "Enroll the keys of {} {}. Fingerprint: {}. Ask them to run aixin keys show and read theirs aloud; compare all four groups. Yes only if they match; otherwise cancel.",
                role_word(model, e.role),
                e.station_id,
                e.fingerprint
            ),
        },
        Question::Discard(leave) => {
            let work: Vec<String> = model
                .all_work()
                .into_iter()
                .map(|w| w.describe(model.lang))
                .collect();
            let work = work.join(model.t("；", "; "));
            match (leave, model.lang) {
                (Leave::Quit(_), Lang::Zh) => format!("{work}。确定退出吗？（未提交的不会记账）"),
                (Leave::Quit(_), Lang::En) => {
                    format!("{work}. Quit anyway? (nothing of it is recorded)")
                }
                (Leave::Form(_), Lang::Zh) => "表单已填、未提交。放弃填写的内容吗？".to_string(),
                (Leave::Form(_), Lang::En) => {
                    "The form is filled and not submitted. Discard what you typed?".to_string()
                }
                (Leave::Screen(_), Lang::Zh) => {
                    format!("{work}。离开这个画面将放弃所填内容，确定离开吗？")
                }
                (Leave::Screen(_), Lang::En) => {
                    format!("{work}. Leaving this screen discards what you typed. Leave?")
                }
            }
        }
        Question::SwitchHousehold(household_id) => model.switch_household_text(household_id),
        Question::ConfirmAwards(seqs) => format!(
            "{} {} {}",
            model.t("确认", "Confirm"),
            seqs.len(),
            model.t(
                "条评分，积分即可使用。确定吗？",
                "awards; their points become spendable. Confirm?"
            )
        ),
    };
    let lines = vec![
        Line::from(text),
        Line::from(""),
        muted(format!(
            "{} {} · {} {}",
            model.keys(Context::Confirm, Action::Confirm, "/"),
            model.t("确定", "yes"),
            model.keys(Context::Confirm, Action::Cancel, "/"),
            model.t("取消", "no"),
        )),
    ];
    let rows = (lines.len() as u16).saturating_add(2);
    boxed(
        frame,
        area,
        50,
        rows,
        model.t("请确认", "Please confirm"),
        lines,
        0,
    );
}

fn void_reason(model: &Model, frame: &mut Frame, area: Rect, sale_seq: u64, reason: &str) {
    let mut lines = Vec::new();
    if let Some(s) = model.sales.sales.iter().find(|s| s.seq == sale_seq) {
        let name = model
            .data
            .household(&s.household_id)
            .map(|h| h.head.to_string())
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "#{sale_seq} {} {name} −{}",
            format_local(s.time_ms),
            s.total_points
        )));
    }
    lines.push(muted(model.t(
        "作废后积分退回农户、商品退回库存。",
        "Voiding returns the points and the stock.",
    )));
    lines.push(input_line(model.t("原因：", "Reason: "), reason, true, 48));
    lines.push(muted(format!(
        "{} {} · {} {}",
        model.key(Context::Reason, Action::Confirm),
        model.t("作废", "void"),
        model.key(Context::Reason, Action::Cancel),
        model.t("取消", "cancel"),
    )));
    let rows = (lines.len() as u16).saturating_add(2);
    boxed(
        frame,
        area,
        52,
        rows,
        model.t("作废兑换", "Void a sale"),
        lines,
        0,
    );
}

fn receipt(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    text: &str,
    file: Option<&str>,
    scroll: usize,
) {
    let mut lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
    lines.push(Line::from(""));
    let saved = match file {
        Some(path) => format!("{}{path}", model.t("已打印到：", "printed to: ")),
        None => model
            .t("小票没有打印出来", "receipt not printed")
            .to_string(),
    };
    lines.push(muted(saved));
    lines.push(muted(format!(
        "{}/{} {}",
        model.key(Context::Popup, Action::Confirm),
        model.key(Context::Popup, Action::Cancel),
        model.t("关闭", "close"),
    )));
    // As wide as the paper (32 or 48 columns), with the border and a margin.
    let paper = text.lines().map(width).max().unwrap_or(0);
    let columns = u16::try_from(paper + 4).unwrap_or(u16::MAX).max(36);
    boxed(
        frame,
        area,
        columns,
        area.height,
        model.t("小票", "Receipt"),
        lines,
        scroll,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::Access;
    use crate::tui::testing::model;

    /// The year-end question lists the unscored periods as each language writes a list: the
    /// Chinese one with 、 (it showed the English `2026-11, 2026-12`), the English with ", ".
    #[test]
    fn the_year_end_question_lists_unscored_periods_in_the_managers_language() {
        let sheet = YearEndSheet {
            station_id: "LJC01".into(),
            preview: crate::domain::year_end::YearEndPreview {
                year: 2026,
                households: Vec::new(),
                total_points: 50,
                kept_points: 20,
                unscored_periods: Vec::new(),
            },
            unscored: "2026-09, 2026-11".into(),
            unscored_zh: "2026-09、2026-11".into(),
            honours: Vec::new(),
        };
        let mut m = model(Access::Till);
        m.lang = Lang::Zh;
        let zh = year_end_question(&m, &sheet);
        assert!(zh.contains("无评分的期：2026-09、2026-11。"), "{zh}");
        m.lang = Lang::En;
        let en = year_end_question(&m, &sheet);
        assert!(en.contains("No scores for: 2026-09, 2026-11."), "{en}");
    }

    /// The trial: the Chinese help listed keys as Enter and Space while the key bars said 回车
    /// and 空格. In every context and both languages, the help names each key as the hint
    /// line does (its cap), so the two never disagree.
    #[test]
    fn the_help_names_every_key_as_the_hint_line_does() {
        for lang in [Lang::Zh, Lang::En] {
            let mut m = model(Access::Till);
            m.lang = lang;
            for &context in Context::ALL {
                let rows = help_rows(&m, context);
                for b in m.keymap.bindings(context) {
                    let cap = b.key.cap(lang);
                    assert!(
                        rows.iter()
                            .any(|(keys, _)| keys.split('/').any(|k| k == cap)),
                        "{lang:?} [{}]: {cap} missing from {rows:?}",
                        context.name()
                    );
                }
                if lang == Lang::Zh {
                    for (keys, _) in &rows {
                        assert!(
                            !keys.contains("Enter") && !keys.contains("Space"),
                            "[{}]: {keys}",
                            context.name()
                        );
                    }
                }
            }
        }
        let mut m = model(Access::Till);
        m.lang = Lang::Zh;
        assert!(help_rows(&m, Context::Lookup)
            .iter()
            .any(|(keys, desc)| keys == "回车" && desc == "选定农户"));
    }
}
