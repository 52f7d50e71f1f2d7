//! First-run setup: the station id, its name, village or township, one of the shipped
//! policies and the first manager (name and PIN twice), committed as the station's first
//! events, then the station's sync keys (what `aixin init --manager` does, as a form). The id
//! is checked against the rule sync needs ([`crate::domain::station`]) before anything is
//! written; the refusal states the rule and the id suggested from the name.

use crate::domain::event::StationRole;
use crate::domain::input::text;
use crate::domain::station::check_station_id;
use crate::domain::{Command, Policy, ScoreSheet};
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
    let name = text(form.name.value());
    if name.is_empty() {
        say(
            model,
            Tone::Bad,
            "请填写站点编号和名称",
            "write the station id and name",
        );
        return;
    }
    let station_id = match check_station_id(&form.station_id.text, &name) {
        Ok(id) => id,
        Err(e) => {
            let text = e.message(model.lang);
            model.say(Tone::Bad, text);
            model.setup.field = SetupField::StationId;
            return;
        }
    };
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
    let sheet = match ScoreSheet::from_policy_toml(text) {
        Ok(sheet) => sheet,
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
        station_id,
        name,
        role,
        policy,
    };
    // The first manager is created with the station, and writes its first events.
    let manager = model.setup.manager.clone();
    let Some(add_manager) = super::login::manager_command(model, &manager) else {
        return;
    };
    model.operator = crate::domain::input::text(manager.name.value());
    // The policy file's score sheet (评分细则) is its own event, in the same batch.
    let mut commands = vec![init];
    commands.extend(sheet.map(|sheet| Command::SetScoreSheet { sheet }));
    commands.push(add_manager);
    fx.push(Effect::Commit {
        commands,
        purpose: Purpose::Setup,
    });
}

/// The station exists, with its first manager logged in: on to the till, and make its sync
/// keys.
pub(super) fn committed(model: &mut Model, fx: &mut Vec<Effect>) {
    super::login::manager_created(model);
    model.screen = Screen::Till;
    say(
        model,
        Tone::Good,
        "本站已建立，可以开始登记农户和商品",
        "the station is set up; register households and goods next",
    );
    fx.push(Effect::MakeKeys);
}

/// The keys were made (their fingerprint) or were not (why, and how to make them later).
pub(super) fn keys_made(model: &mut Model, result: Result<String, String>) {
    match result {
        Ok(fingerprint) => {
            let text = format!(
                "{}{fingerprint}",
                model.t(
                    "本站已建立，同步密钥已生成，指纹 ",
                    "the station is set up with its sync keys, fingerprint "
                )
            );
            model.say(Tone::Good, text);
        }
        Err(why) => {
            let text = format!(
                "{}{why}",
                model.t(
                    "本站已建立，但同步密钥没有生成（可运行 aixin keys create）：",
                    "the station is set up but its sync keys were not made (run aixin keys create): "
                )
            );
            model.say(Tone::Bad, text);
        }
    }
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
        assert!(
            bad(&m).contains("digits"),
            "a letter in a PIN is refused as it is typed: {:?}",
            m.status
        );
        assert_eq!(m.setup.manager.pin.text, "1234");
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "12");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "1234");
        assert!(named(&mut m, KeyName::Enter).is_empty());
        assert!(
            bad(&m).contains("digits"),
            "a PIN too short is refused on submit: {:?}",
            m.status
        );
        named(&mut m, KeyName::BackTab);
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "１２３４");
        named(&mut m, KeyName::Tab);
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "1235");
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
        // The shipped policy's score sheet (评分细则) follows the station, then its first manager.
        assert!(
            matches!(&commands[1], Command::SetScoreSheet { .. }),
            "{commands:?}"
        );
        let Some(Command::AddOperator { name, role, pin }) = commands.last() else {
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
        let fx = update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Setup,
                result: Ok(vec![]),
            },
        );
        assert_eq!((m.screen, m.access), (Screen::Till, Access::Till));
        assert_eq!(fx, vec![Effect::MakeKeys], "first run makes the keys");
        update(&mut m, Msg::KeysMade(Ok("abcd-efgh".into())));
        assert!(good(&m).contains("abcd-efgh"));
    }

    #[test]
    fn a_station_id_sync_cannot_carry_is_refused_with_the_rule_and_a_suggestion() {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut m = Model::new(
            Data::default(),
            Lang::Zh,
            "admin",
            Access::Till,
            keymap,
            NOW,
        );
        typed(&mut m, "李家村");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "李家村爱心超市");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Tab);
        typed(&mut m, "王丽");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "1234");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "1234");
        let fx = named(&mut m, KeyName::F(5));
        assert!(fx.is_empty(), "nothing is written: {fx:?}");
        let said = bad(&m);
        assert!(
            said.contains("只能用英文字母、数字、- 和 _") && said.contains("LJC01"),
            "{said}"
        );
        assert_eq!(m.setup.field, SetupField::StationId);
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "ＬＪＣ０１");
        let fx = named(&mut m, KeyName::F(5));
        let [Effect::Commit { commands, .. }] = &fx[..] else {
            panic!("{fx:?}")
        };
        assert!(
            matches!(&commands[0], Command::Init { station_id, .. } if station_id == "LJC01"),
            "full-width typing is the ASCII id: {commands:?}"
        );
    }

    #[test]
    fn a_pin_field_takes_digits_only_and_says_so_as_a_letter_is_typed() {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut m = Model::new(
            Data::default(),
            Lang::Zh,
            "admin",
            Access::Till,
            keymap,
            NOW,
        );
        m.setup.field = SetupField::Pin;
        typed(&mut m, "12a");
        assert_eq!(m.setup.manager.pin.text, "12");
        assert!(bad(&m).contains("位数字"), "{}", bad(&m));
        typed(&mut m, "３4");
        assert_eq!(
            m.setup.manager.pin.text, "12３4",
            "full-width digits are digits"
        );
        m.setup.field = SetupField::PinAgain;
        typed(&mut m, "x1");
        assert_eq!(m.setup.manager.pin_again.text, "1");
        // The name field takes letters as before.
        m.setup.field = SetupField::Manager;
        typed(&mut m, "Wang");
        assert_eq!(m.setup.manager.name.text, "Wang");
        // The PIN to leave monitor mode too.
        let mut m = model(Access::Monitor);
        m.modal = Some(crate::tui::model::Modal::Unlock {
            selected: 0,
            pin: Default::default(),
        });
        typed(&mut m, "0a0");
        assert!(
            matches!(&m.modal, Some(crate::tui::model::Modal::Unlock { pin, .. }) if pin.text == "00")
        );
    }
}
