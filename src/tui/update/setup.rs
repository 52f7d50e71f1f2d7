//! First-run setup: the station id, its name, village or township, one of the shipped
//! policies and the first manager (name and PIN twice), committed as the station's first
//! events (what `aixin init --manager` asks, as a form).

use crate::domain::event::StationRole;
use crate::domain::{Command, Policy};
use crate::policies::BUILTIN;

use super::super::keymap::Action;
use super::super::model::{Model, Screen, SetupField, Tone};
use super::super::msg::{Effect, Purpose};
use super::{input, say};

const FIELDS: [SetupField; 7] = [
    SetupField::StationId,
    SetupField::Name,
    SetupField::Role,
    SetupField::Policy,
    SetupField::Manager,
    SetupField::Pin,
    SetupField::PinAgain,
];

/// Runs a setup-form action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let form = &mut model.setup;
    let at = FIELDS.iter().position(|f| *f == form.field).unwrap_or(0);
    match action {
        Action::FieldNext => form.field = FIELDS[(at + 1) % FIELDS.len()],
        Action::FieldPrev => form.field = FIELDS[(at + FIELDS.len() - 1) % FIELDS.len()],
        Action::OptionNext | Action::OptionPrev => match form.field {
            SetupField::Role => form.township = !form.township,
            SetupField::Policy => {
                let len = BUILTIN.len();
                form.policy = if action == Action::OptionNext {
                    (form.policy + 1) % len
                } else {
                    (form.policy + len - 1) % len
                };
            }
            _ => {}
        },
        Action::ClearInput => {
            if let Some(input) = input::active_input(model) {
                input.clear();
            }
        }
        Action::Submit => submit(model, fx),
        _ => {}
    }
}

fn submit(model: &mut Model, fx: &mut Vec<Effect>) {
    let form = &model.setup;
    if form.station_id.value().is_empty() || form.name.value().is_empty() {
        say(
            model,
            Tone::Bad,
            "请填写站点编号和名称",
            "write the station id and name",
        );
        return;
    }
    let Some((stem, text)) = BUILTIN.get(form.policy) else {
        return;
    };
    let policy = match Policy::from_toml(text) {
        Ok(p) => p,
        Err(e) => {
            model.say(Tone::Bad, format!("{stem}: {e}"));
            return;
        }
    };
    let role = if form.township {
        StationRole::Township
    } else {
        StationRole::Village
    };
    let init = Command::Init {
        station_id: form.station_id.value().to_string(),
        name: form.name.value().to_string(),
        role,
        policy,
    };
    // The first manager is created with the station, and writes its first events.
    let manager = model.setup.manager.clone();
    let Some(add_manager) = super::login::manager_command(model, &manager) else {
        return;
    };
    model.operator = manager.name.value().to_string();
    fx.push(Effect::Commit {
        commands: vec![init, add_manager],
        purpose: Purpose::Setup,
    });
}

/// The station exists, with its first manager logged in: on to the till.
pub(super) fn committed(model: &mut Model) {
    super::login::manager_created(model);
    model.screen = Screen::Till;
    say(
        model,
        Tone::Good,
        "本站已建立，可以开始登记农户和商品",
        "the station is set up; register households and goods next",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::PeriodKind;
    use crate::i18n::Lang;
    use crate::tui::data::Data;
    use crate::tui::keymap::{KeyName, Keymap};
    use crate::tui::model::Access;
    use crate::tui::msg::Msg;
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn first_run_setup_commits_init() {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut m = Model::new(
            Data::default(),
            Lang::En,
            "admin",
            Access::Till,
            keymap,
            NOW,
        );
        assert_eq!(m.screen, Screen::Setup);
        named(&mut m, KeyName::F(3));
        assert_eq!(m.screen, Screen::Setup, "the till keys wait for setup");
        named(&mut m, KeyName::Enter);
        bad(&m);
        typed(&mut m, "LJC01");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "李家村爱心超市");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Left);
        named(&mut m, KeyName::Enter);
        assert!(
            bad(&m).contains("operator"),
            "the first manager is created with the station"
        );
        named(&mut m, KeyName::Tab);
        typed(&mut m, "王丽");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "12a34");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "1235");
        assert_eq!(m.setup.manager.pin.text, "1234", "a PIN takes digits only");
        assert!(named(&mut m, KeyName::Enter).is_empty());
        assert!(bad(&m).contains("differ"), "{:?}", m.status);
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "1234");
        let fx = named(&mut m, KeyName::Enter);
        let [Effect::Commit {
            commands,
            purpose: Purpose::Setup,
        }] = &fx[..]
        else {
            panic!("{fx:?}")
        };
        let Command::Init {
            station_id,
            name,
            role,
            policy,
        } = &commands[0]
        else {
            panic!()
        };
        assert_eq!(
            (station_id.as_str(), name.as_str(), *role),
            ("LJC01", "李家村爱心超市", StationRole::Village)
        );
        assert_eq!(policy.period, PeriodKind::Month, "{}", policy.name);
        let Command::AddOperator { name, role, pin } = &commands[1] else {
            panic!("{commands:?}")
        };
        assert_eq!(
            (name.as_str(), *role, pin.expose()),
            (
                "王丽",
                crate::domain::operator::OperatorRole::Manager,
                "1234"
            )
        );
        assert_eq!(
            m.operator, "王丽",
            "the first manager writes the first events"
        );
        update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Setup,
                result: Ok(vec![]),
            },
        );
        assert_eq!((m.screen, m.access), (Screen::Till, Access::Till));
    }
}
