//! The households screen's actions and refusals, on the model alone: each action becomes the
//! domain command `aixin household …` sends, and what cannot be read is refused with nothing
//! sent. The ledger's own refusals (a card in use, nothing changed) are `app::records_tests`'.

use super::*;
use crate::domain::event::Household;
use crate::domain::Command;
use crate::tui::keymap::{KeyName, KeyPress};
use crate::tui::model::{Access, Leave, Question, SheetPreview, SheetPurpose};
use crate::tui::msg::{Loaded, Msg, Purpose};
use crate::tui::testing::*;
use crate::tui::update::update;

fn on_screen() -> Model {
    let mut m = model(Access::Till);
    key(&mut m, KeyPress::ctrl('b'));
    assert_eq!(m.screen, Screen::Households);
    m
}

fn commit(fx: &[Effect]) -> Option<(Vec<Command>, Purpose)> {
    fx.iter().find_map(|e| match e {
        Effect::Commit { commands, purpose } => Some((commands.clone(), *purpose)),
        _ => None,
    })
}

#[test]
fn registering_a_household_sends_one_registration() {
    let mut m = on_screen();
    named(&mut m, KeyName::F(5));
    assert!(matches!(&m.modal, Some(Modal::Form(f)) if f.kind == FormKind::RegisterHousehold));
    typed(&mut m, "Ｈ２０１");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "LJ0201");
    named(&mut m, KeyName::Tab);
    typed(&mut m, " 周九 ");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "周小九、吴芳");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "二组");
    named(&mut m, KeyName::Tab);
    named(&mut m, KeyName::Tab);
    named(&mut m, KeyName::Right);
    let fx = named(&mut m, KeyName::Enter);
    let expected = Household {
        household_id: "H201".into(),
        card_no: "LJ0201".into(),
        head: "周九".into(),
        members: vec!["周小九".into(), "吴芳".into()],
        group: "二组".into(),
        phone: String::new(),
        registered_poor: true,
    };
    assert_eq!(
        commit(&fx),
        Some((
            vec![Command::RegisterHousehold {
                household: expected
            }],
            Purpose::Household
        ))
    );
}

#[test]
fn a_registration_without_a_head_is_refused_and_nothing_is_sent() {
    let mut m = on_screen();
    named(&mut m, KeyName::Insert);
    typed(&mut m, "H201");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "LJ0201");
    let fx = named(&mut m, KeyName::F(5));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(bad(&m).contains("户主不能为空"), "{}", bad(&m));
    assert!(matches!(m.modal, Some(Modal::Form(_))), "the form stays");
}

#[test]
fn correcting_a_file_reads_it_first_and_keeps_id_and_card() {
    let mut m = on_screen();
    typed(&mut m, "zs");
    let fx = named(&mut m, KeyName::F(6));
    assert_eq!(fx, vec![Effect::Load(Query::Household("H001".into()))]);
    let record = household("H001", "LJ0001", "张三", "13800001234", 75, 55);
    update(
        &mut m,
        Msg::Loaded(Loaded::Household(Some(Box::new(record.clone())))),
    );
    let Some(Modal::Form(form)) = &m.modal else {
        panic!("the correction form opens: {:?}", m.modal);
    };
    assert_eq!(form.text(Field::Head), "张三");
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "张山");
    let fx = named(&mut m, KeyName::F(5));
    let mut corrected = record.household;
    corrected.head = "张山".into();
    assert_eq!(
        commit(&fx),
        Some((
            vec![Command::EditHousehold {
                household: corrected
            }],
            Purpose::Household
        ))
    );
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Household,
            result: Err("农户 H001 的档案和填写的一样，没有要更正的内容".into()),
        },
    );
    assert!(
        matches!(m.modal, Some(Modal::Form(_))),
        "a refusal keeps the form"
    );
    assert!(bad(&m).contains("没有要更正"));
}

#[test]
fn a_lost_card_is_reissued_with_a_new_number() {
    let mut m = on_screen();
    typed(&mut m, "ls");
    named(&mut m, KeyName::F(7));
    assert!(matches!(&m.modal, Some(Modal::Form(f))
        if f.kind == FormKind::ReissueCard { household_id: "H003".into(), old_card_no: "LJ0103".into() }));
    let fx = named(&mut m, KeyName::Enter);
    assert!(fx.is_empty());
    assert!(bad(&m).contains("卡号不能为空"));
    typed(&mut m, "lj0203");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        commit(&fx),
        Some((
            vec![Command::ReissueCard {
                household_id: "H003".into(),
                new_card_no: "lj0203".into()
            }],
            Purpose::Household
        ))
    );
}

#[test]
fn the_page_opens_with_its_history() {
    let mut m = on_screen();
    typed(&mut m, "wangwu");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(fx, vec![Effect::Load(Query::History("H004".into()))]);
    assert!(
        matches!(&m.modal, Some(Modal::Details { household_id, .. }) if household_id == "H004")
    );
}

fn preview(refused: Vec<String>) -> SheetPreview {
    SheetPreview {
        file: "/media/usb/农户.xlsx".into(),
        new: vec![(
            3,
            Command::RegisterHousehold {
                household: household("H201", "LJ0201", "周九", "", 0, 0).household,
            },
        )],
        unchanged: 2,
        refused,
        more_refused: 0,
        scroll: 0,
    }
}

#[test]
fn a_sheet_is_previewed_then_imported_whole() {
    let mut m = on_screen();
    let fx = named(&mut m, KeyName::F(8));
    assert_eq!(
        fx,
        vec![Effect::Load(Query::SheetFiles("/media/usb".into()))]
    );
    assert!(matches!(&m.modal, Some(Modal::Sheet(p)) if p.purpose == SheetPurpose::Households));
    update(
        &mut m,
        Msg::Loaded(Loaded::SheetFiles {
            folder: "/media/usb".into(),
            files: Ok(vec!["/media/usb/农户.xlsx".into()]),
        }),
    );
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Load(Query::SheetPreview(
            "/media/usb/农户.xlsx".into()
        ))]
    );
    update(
        &mut m,
        Msg::Loaded(Loaded::SheetPreview(Ok(Box::new(preview(vec![]))))),
    );
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        commit(&fx).map(|(c, p)| (c.len(), p)),
        Some((1, Purpose::ImportHouseholds))
    );
}

#[test]
fn a_sheet_with_refused_rows_is_not_imported() {
    let mut m = on_screen();
    update(
        &mut m,
        Msg::Loaded(Loaded::SheetPreview(Ok(Box::new(preview(vec![
            "农户.xlsx 第 4 行：卡号 LJ0001 已被使用".into(),
        ]))))),
    );
    let fx = named(&mut m, KeyName::Enter);
    assert!(commit(&fx).is_none());
    assert!(bad(&m).contains("整个文件都未导入"));
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None);
    update(
        &mut m,
        Msg::Loaded(Loaded::SheetPreview(Err("农户.xlsx：找不到表头".into()))),
    );
    assert!(bad(&m).contains("表头"));
}

#[test]
fn closing_a_filled_form_asks_first() {
    let mut m = on_screen();
    named(&mut m, KeyName::F(5));
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None, "an empty form closes at once");
    named(&mut m, KeyName::F(5));
    typed(&mut m, "H201");
    named(&mut m, KeyName::Esc);
    assert!(matches!(
        &m.modal,
        Some(Modal::Confirm(Question::Discard(Leave::Form(_))))
    ));
    key(&mut m, KeyPress::char('n'));
    let Some(Modal::Form(form)) = &m.modal else {
        panic!("no: back to the form");
    };
    assert_eq!(form.text(Field::HouseholdId), "H201", "as it was");
    named(&mut m, KeyName::Esc);
    key(&mut m, KeyPress::char('y'));
    assert_eq!(m.modal, None);
}

#[test]
fn in_monitor_mode_the_households_are_only_looked_at() {
    let mut m = model(Access::Monitor);
    key(&mut m, KeyPress::ctrl('b'));
    assert_eq!(m.screen, Screen::Households, "the list opens");
    for k in [KeyName::F(5), KeyName::F(6), KeyName::F(7), KeyName::F(8)] {
        m.status = None;
        assert!(named(&mut m, k).is_empty());
        assert!(bad(&m).contains("监督"));
        assert_eq!(m.modal, None);
    }
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(fx.len(), 1, "the page opens: {fx:?}");
}
