//! The first-run setup screen: what `aixin init` asks, as a form (station id, name, role and
//! one of the shipped policies).

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::input::text;
use crate::domain::station::{check_station_id, station_id_hint, STATION_ID_CHARS_MAX};
use crate::domain::Policy;
use crate::i18n::Lang;
use crate::policies::BUILTIN;

use super::super::keymap::{Action, Context};
use super::super::model::{ManagerField, Model, SetupField};
use super::theme::Theme;
use super::{input_line, muted, panel};

/// Draws the setup form.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let area = body.centered(
        Constraint::Length(70.min(body.width)),
        Constraint::Length(20.min(body.height)),
    );
    let block = panel(
        model.t("首次使用：建立本站", "First run: set up this station"),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let form = &model.setup;
    let choose = model.key_pair(Context::Setup, Action::OptionPrev, Action::OptionNext);
    let cells = inner.width as usize;
    let on = |f: SetupField| form.field == f && model.modal.is_none();
    let choice = |label: String, chosen: bool, focused: bool| {
        let style = match (chosen, focused) {
            (true, true) => Theme::HIGHLIGHT,
            (true, false) => Theme::CHOICE,
            _ => Theme::PLAIN,
        };
        Span::styled(format!(" {label} "), style)
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{}{}{}",
                model.t(
                    "这台电脑上还没有账本。填写以下几项后按",
                    "There is no ledger here yet. Fill in these fields and press "
                ),
                model.key_last(Context::Setup, Action::Submit),
                model.t("建立本站。", "."),
            ),
            Theme::INFO,
        )),
        Line::from(""),
        input_line(
            model.t("站点编号：", "Station id: "),
            &form.station_id.text,
            on(SetupField::StationId),
            cells,
        ),
        station_id_rule(model),
        input_line(
            model.t("站点名称：", "Station name: "),
            &form.name.text,
            on(SetupField::Name),
            cells,
        ),
        Line::from(vec![
            Span::styled(model.t("角色：", "Role: ").to_string(), Theme::MUTED),
            choice(
                model.t("村爱心超市", "village shop").to_string(),
                !form.township,
                on(SetupField::Role),
            ),
            choice(
                model.t("乡镇", "township").to_string(),
                form.township,
                on(SetupField::Role),
            ),
        ]),
    ];
    let (stem, toml) = BUILTIN.get(form.policy).copied().unwrap_or(("", ""));
    let name = Policy::from_toml(toml).map(|p| p.name).unwrap_or_default();
    // The policy's own name is Chinese; the file stem is what `aixin init --policy` takes.
    let label = match model.lang {
        Lang::Zh => name,
        Lang::En => format!("{stem} · {name}"),
    };
    lines.push(Line::from(vec![
        Span::styled(model.t("积分政策：", "Policy: ").to_string(), Theme::MUTED),
        choice(label, true, on(SetupField::Policy)),
        Span::styled(format!(" {choose}"), Theme::MUTED),
    ]));
    let manager = match form.field {
        SetupField::Manager => Some(ManagerField::Name),
        SetupField::Pin => Some(ManagerField::Pin),
        SetupField::PinAgain => Some(ManagerField::PinAgain),
        _ => None,
    }
    .filter(|_| model.modal.is_none());
    lines.extend(super::login::manager_lines(
        model,
        &form.manager,
        manager,
        cells,
    ));
    lines.push(Line::from(""));
    lines.push(muted(format!(
        "{} {} · {choose} {} · {} {}",
        model.key_pair(Context::Setup, Action::FieldPrev, Action::FieldNext),
        model.t("换项", "field"),
        model.t("选择", "choose"),
        model.key_last(Context::Setup, Action::Submit),
        model.t("建立", "set up"),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The rule for the station id under its field, with the id the name suggests unless that is
/// what is typed already ([`station_id_hint`]); in red once
/// what is typed breaks it (the same check the form's submit makes).
fn station_id_rule(model: &Model) -> Line<'static> {
    let form = &model.setup;
    let name = text(form.name.value());
    let typed = !form.station_id.value().is_empty();
    let broken = typed && check_station_id(&form.station_id.text, &name).is_err();
    let mut rule = match model.lang {
        Lang::Zh => format!("  只用英文字母、数字、- 和 _，最多 {STATION_ID_CHARS_MAX} 个"),
        Lang::En => format!("  letters, digits, - and _ only, at most {STATION_ID_CHARS_MAX}"),
    };
    if broken {
        rule = format!(
            "  {}{}",
            model.t("不能同步：", "sync cannot carry this: "),
            rule.trim_start()
        );
    }
    if let Some(suggested) = station_id_hint(&form.station_id.text, &name) {
        rule.push_str(&format!("{}{suggested}", model.t("；建议 ", "; e.g. ")));
    }
    Line::from(Span::styled(
        rule,
        if broken { Theme::BAD } else { Theme::MUTED },
    ))
}
