//! The statistics screen (统计): the year's points awarded and spent per month as a bar chart
//! of two bars a month, the fast-moving goods' stock over the last eight weeks as sparklines,
//! and the village budget used per month (or quarter) as bars whose full height is stated. The
//! figures are `report::stats`', the same the command line prints. At 80×24 the points chart
//! takes the upper half and the stock and the budget share the lower; a larger terminal gives
//! the charts wider bars (with their values written in when they fit) and taller sparklines.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Sparkline, SparklineBar, Wrap};
use ratatui::Frame;

use super::super::model::Model;
use super::super::text::{pad_left, pad_right, truncate};
use super::theme::Theme;
use super::{muted, panel};
use crate::domain::time::CivilDate;
use crate::i18n::Lang;
use crate::report::stats::{month_label, BudgetRow, BudgetSpan, BudgetUse, WEEKS};
use crate::report::StatsReport;

/// Awarded points' bars.
const AWARDED: Style = Style::new().fg(Color::Green);
/// Spent points' bars.
const SPENT: Style = Style::new().fg(Color::Yellow);
/// The stock sparklines.
const STOCK: Style = Style::new().fg(Color::Cyan);
/// A week that ended with none on the shelf.
const NONE_LEFT: Style = Style::new().fg(Color::Red);
/// Budget bars within the limit.
const WITHIN: Style = Style::new().fg(Color::Green);
/// Budget bars over the limit.
const OVER: Style = Style::new().fg(Color::Red);

/// The lower row's height at 80×24; taller terminals share their extra rows between both rows.
const LOWER_ROWS_MIN: u16 = 10;
/// The body's height at 80×24.
const BODY_ROWS_MIN: u16 = 21;

/// Draws the statistics of the year shown.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let Some(report) = model.stats.report.as_deref() else {
        let block = panel(
            &points_title(model, model.stats.year),
            model.modal.is_none(),
        );
        let inner = block.inner(body);
        frame.render_widget(block, body);
        frame.render_widget(
            Paragraph::new(muted(model.t("正在读取…", "reading…"))),
            inner,
        );
        return;
    };
    let lower = LOWER_ROWS_MIN + body.height.saturating_sub(BODY_ROWS_MIN) / 2;
    let [upper, lower] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(lower)]).areas(body);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    points(model, report, frame, upper);
    stock(model, report, frame, left);
    budget(model, report, frame, right);
}

fn points_title(model: &Model, year: i32) -> String {
    match model.lang {
        Lang::Zh => format!("{year} 年每月积分：发放与兑换"),
        Lang::En => format!("Points per month in {year}: awarded and spent"),
    }
}

/// A chart value: points below zero (never in a sound ledger) draw as nothing.
fn bar_value(points: i64) -> u64 {
    u64::try_from(points).unwrap_or(0)
}

/// `area` narrowed to `used` cells, centred.
fn centred(area: Rect, used: u16) -> Rect {
    let used = used.min(area.width);
    Rect {
        x: area.x + (area.width - used) / 2,
        width: used,
        ..area
    }
}

/// The points chart: a legend with the year's totals, then two bars a month.
fn points(model: &Model, report: &StatsReport, frame: &mut Frame, area: Rect) {
    let block = panel(&points_title(model, report.year), model.modal.is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [legend, chart] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let (awarded, spent) = report.totals();
    let legend_line = Line::from(vec![
        Span::styled("■ ", AWARDED),
        Span::raw(format!(
            "{} {awarded}   ",
            model.t("发放（已确认）", "awarded (confirmed)")
        )),
        Span::styled("■ ", SPENT),
        Span::raw(format!(
            "{} {spent}   ",
            model.t("兑换（不含作废）", "spent (net of voids)")
        )),
        Span::styled(model.t("全年合计，分", "year, points"), Theme::MUTED),
    ]);
    frame.render_widget(Paragraph::new(legend_line), legend);

    let months = report.months.len().max(1) as u16;
    let per_month = chart.width / months;
    let bar_width = (per_month.saturating_sub(1) / 2).max(1);
    let group_gap = per_month.saturating_sub(2 * bar_width).max(1);
    let label_cells = usize::from(2 * bar_width);
    let groups: Vec<BarGroup> = report
        .months
        .iter()
        .map(|m| {
            let label = truncate(&month_label(&m.month, model.lang), label_cells);
            BarGroup::default()
                .label(Line::from(label).centered())
                .bars(&[
                    Bar::default()
                        .value(bar_value(m.awarded_points))
                        .style(AWARDED)
                        .value_style(Style::new().fg(Color::Black).bg(Color::Green)),
                    Bar::default()
                        .value(bar_value(m.spent_points))
                        .style(SPENT)
                        .value_style(Style::new().fg(Color::Black).bg(Color::Yellow)),
                ])
        })
        .collect();
    let used = months * 2 * bar_width + (months - 1) * group_gap;
    let mut chart_widget = BarChart::default()
        .bar_width(bar_width)
        .bar_gap(0)
        .group_gap(group_gap)
        .label_style(Theme::PLAIN);
    for group in groups {
        chart_widget = chart_widget.data(group);
    }
    frame.render_widget(chart_widget, centred(chart, used));
}

/// The fast-moving goods: a row each with its name, a sparkline of its stock at the end of
/// each week and the stock now.
fn stock(model: &Model, report: &StatsReport, frame: &mut Frame, area: Rect) {
    let title = match model.lang {
        Lang::Zh => format!("快销物品库存（近{WEEKS}周）"),
        Lang::En => format!("Fast-moving stock, last {WEEKS} weeks"),
    };
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if report.fast_moving.is_empty() {
        let note = match model.lang {
            Lang::Zh => format!("近 {WEEKS} 周没有兑换出去的物品"),
            Lang::En => format!("no goods were redeemed in the last {WEEKS} weeks"),
        };
        frame.render_widget(Paragraph::new(muted(note)).wrap(Wrap { trim: true }), inner);
        return;
    }
    let cells = usize::from(inner.width);
    let name_cells = (cells / 3).clamp(8, 20);
    let now_cells = 5usize;
    let spark_room = cells.saturating_sub(name_cells + now_cells + 2);
    let per_week = (spark_room / WEEKS).max(1);
    let spark_cells = per_week * WEEKS;
    let header = format!(
        "{} {} {}",
        pad_right(model.t("物品", "Goods"), name_cells),
        pad_right(model.t("8周前 → 本周", "8 wk ago → now"), spark_cells),
        pad_left(model.t("现存", "Now"), now_cells),
    );
    let items = report.fast_moving.len() as u16;
    let rows_left = inner.height.saturating_sub(2);
    let item_rows = (rows_left / items.max(1)).clamp(1, 3);
    let mut y = inner.y;
    frame.render_widget(
        Paragraph::new(muted(header)),
        Rect {
            y,
            height: 1,
            ..inner
        },
    );
    y += 1;
    for item in &report.fast_moving {
        if y + item_rows > inner.bottom() {
            break;
        }
        let now = item.stock_units.last().copied().unwrap_or(0);
        let row = Rect {
            y: y + item_rows - 1,
            height: 1,
            ..inner
        };
        let text = format!(
            "{} {} {}",
            pad_right(&item.name, name_cells),
            " ".repeat(spark_cells),
            pad_left(&now.to_string(), now_cells)
        );
        frame.render_widget(Paragraph::new(text), row);
        let data: Vec<SparklineBar> = item
            .stock_units
            .iter()
            .flat_map(|units| {
                let bar = match u64::try_from(*units) {
                    Ok(0) | Err(_) => SparklineBar::from(None),
                    Ok(units) => SparklineBar::from(units),
                };
                std::iter::repeat_n(bar, per_week)
            })
            .collect();
        let spark_area = Rect {
            x: inner.x + name_cells as u16 + 1,
            y,
            width: spark_cells as u16,
            height: item_rows,
        };
        let sparkline = Sparkline::default()
            .data(data)
            .style(STOCK)
            .absent_value_symbol("·")
            .absent_value_style(NONE_LEFT);
        frame.render_widget(sparkline, spark_area.intersection(inner));
        y += item_rows;
    }
    if y < inner.bottom() {
        let last_day = report.today.get(5..).unwrap_or(&report.today);
        let note = match model.lang {
            Lang::Zh => format!("每周末一格，到 {last_day}；· 为缺货"),
            Lang::En => format!("a cell a week, to {last_day}; · = none"),
        };
        frame.render_widget(
            Paragraph::new(muted(note)),
            Rect {
                y: inner.bottom() - 1,
                height: 1,
                ..inner
            },
        );
    }
}

/// The village budget: a bar per month (or quarter) of the points awarded against it, the full
/// height stated in words, bars over the limit in red.
fn budget(model: &Model, report: &StatsReport, frame: &mut Frame, area: Rect) {
    let Some(budget) = &report.budget else {
        let block = panel(
            model.t("村级积分预算", "Village budget"),
            model.modal.is_none(),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let note = model.t(
            "本村的积分方案没有村级积分预算",
            "this village's policy has no points budget",
        );
        frame.render_widget(Paragraph::new(muted(note)).wrap(Wrap { trim: true }), inner);
        return;
    };
    let limit = budget.rows.first().map_or(0, |r| r.limit_points);
    let title = match (model.lang, budget.span) {
        (Lang::Zh, BudgetSpan::Month) => format!("村级积分预算（每月上限 {limit} 分）"),
        (Lang::Zh, BudgetSpan::Quarter) => {
            format!("村级积分预算（每季上限 {limit} 分）")
        }
        (Lang::En, BudgetSpan::Month) => format!("Village budget ({limit} a month)"),
        (Lang::En, BudgetSpan::Quarter) => {
            format!("Village budget ({limit} a quarter)")
        }
    };
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [summary, chart] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let top = budget
        .rows
        .iter()
        .map(|r| r.limit_points.max(r.used_points))
        .max()
        .unwrap_or(0);
    frame.render_widget(
        Paragraph::new(budget_summary(model, report, budget, top)),
        summary,
    );

    let bars = budget.rows.len().max(1) as u16;
    let bar_width = ((chart.width + 1) / bars).saturating_sub(1).max(1);
    let used = bars * bar_width + (bars - 1);
    let bar_list: Vec<Bar> = budget
        .rows
        .iter()
        .map(|r| {
            let style = if r.over() { OVER } else { WITHIN };
            let background = if r.over() { Color::Red } else { Color::Green };
            Bar::default()
                .value(bar_value(r.used_points))
                .label(Line::from(budget_label(r, budget.span)))
                .style(style)
                .value_style(Style::new().fg(Color::Black).bg(background))
        })
        .collect();
    let chart_widget = BarChart::default()
        .data(BarGroup::default().bars(&bar_list))
        .bar_width(bar_width)
        .bar_gap(1)
        .max(bar_value(top).max(1))
        .label_style(Theme::PLAIN);
    frame.render_widget(chart_widget, centred(chart, used));
}

/// A budget bar's label: the month's number or the quarter.
fn budget_label(row: &BudgetRow, span: BudgetSpan) -> String {
    match span {
        BudgetSpan::Month => row
            .key
            .get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .map_or_else(|| row.key.clone(), |m| m.to_string()),
        BudgetSpan::Quarter => row.key.get(5..).unwrap_or(&row.key).to_string(),
    }
}

/// The line above the budget bars: this month's (or quarter's) use against its limit when the
/// year shown is this year, else the year's, and what a full bar means.
fn budget_summary(
    model: &Model,
    report: &StatsReport,
    budget: &BudgetUse,
    top: i64,
) -> Line<'static> {
    let today = CivilDate::parse(&report.today);
    let current = today.filter(|d| d.year == report.year).and_then(|d| {
        let index = match budget.span {
            BudgetSpan::Month => d.month,
            BudgetSpan::Quarter => d.quarter(),
        };
        budget
            .rows
            .get(usize::try_from(index).ok()?.checked_sub(1)?)
    });
    let (label, used, limit, over) = match current {
        Some(row) => (
            match budget.span {
                BudgetSpan::Month => model.t("本月已发", "this month"),
                BudgetSpan::Quarter => model.t("本季已发", "this quarter"),
            },
            row.used_points,
            row.limit_points,
            row.over(),
        ),
        None => {
            let used: i64 = budget.rows.iter().map(|r| r.used_points).sum();
            let limit: i64 = budget.rows.iter().map(|r| r.limit_points).sum();
            (model.t("全年已发", "the year"), used, limit, used > limit)
        }
    };
    let figure_style = if over { Theme::BAD } else { Theme::PLAIN };
    let full = format!(" · {} {top}", model.t("满格", "full bar"));
    let spans = vec![
        Span::raw(format!("{label} ")),
        Span::styled(format!("{used}/{limit}"), figure_style),
        Span::styled(full, Theme::MUTED),
    ];
    Line::from(spans)
}
