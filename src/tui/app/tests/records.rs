//! The registers' screens against a real ledger: each action goes through the one write path
//! and the ledger holds what the command line's command would have written; each refusal is
//! said in the domain's words and leaves the ledger exactly as it was (its head unchanged).

use std::path::Path;

use super::*;
use crate::domain::event::StockSource;
use crate::domain::state::AwardStatus;
use crate::domain::EventBody;
use crate::tui::model::{Input, Modal, PATH_CHARS_MAX};

fn head(app: &App) -> u64 {
    app.ledger()
        .view()
        .and_then(|v| v.require_meta())
        .map(|m| m.head_seq)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn said(app: &App) -> String {
    app.model.status.clone().map(|s| s.text).unwrap_or_default()
}

fn alt(c: char) -> KeyPress {
    KeyPress {
        alt: true,
        ..KeyPress::char(c)
    }
}

fn household_of(app: &App, id: &str) -> Option<crate::domain::state::HouseholdRecord> {
    app.ledger()
        .view()
        .and_then(|v| Ok(v.state().household(id)?))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn goods_of(app: &App, id: &str) -> Option<crate::domain::state::GoodsRecord> {
    app.ledger()
        .view()
        .and_then(|v| Ok(v.state().goods(id)?))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn bodies(app: &App) -> Vec<EventBody> {
    let view = app.ledger().view().unwrap_or_else(|e| panic!("{e:?}"));
    view.events(1, u64::MAX)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_iter()
        .map(|(e, _)| e.body)
        .collect()
}

/// Register, correct (the name index follows, the history stays), reissue a card (the old one
/// shows as void → the new one), with the refusals of each.
#[test]
fn households_are_registered_corrected_and_given_new_cards() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.press(KeyPress::ctrl('b'));
    press(&mut app, &[KeyName::F(5)]);
    app.type_text("H010");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("LJ0010");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("赵十");
    press(&mut app, &[KeyName::F(5)]);
    assert_eq!(app.model.modal, None, "{}", said(&app));
    assert_eq!(
        household_of(&app, "H010").map(|h| h.household.head),
        Some("赵十".into())
    );

    // The same id again: the domain refuses, nothing is written, the form stays.
    let before = head(&app);
    press(&mut app, &[KeyName::F(5)]);
    app.type_text("H010");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("LJ0011");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("赵十一");
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("H010 已经存在"), "{}", said(&app));
    assert_eq!(head(&app), before);
    assert!(matches!(app.model.modal, Some(Modal::Form(_))));
    press(&mut app, &[KeyName::Esc]);
    app.press(KeyPress::char('y'));

    // A correction: the file reads anew, the name index follows, the registration stays.
    app.press(KeyPress::ctrl('u'));
    app.type_text("H010");
    press(&mut app, &[KeyName::F(6)]);
    app.press(KeyPress::ctrl('u'));
    app.type_text("赵拾");
    press(&mut app, &[KeyName::F(5)]);
    assert_eq!(
        household_of(&app, "H010").map(|h| h.household.head),
        Some("赵拾".into())
    );
    let view = app.ledger().view().unwrap_or_else(|e| panic!("{e:?}"));
    let found = |name: &str| {
        view.households_by_name(name, 5)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .len()
    };
    assert_eq!((found("赵拾"), found("赵十")), (1, 0));
    drop(view);
    let history = bodies(&app);
    assert!(history.iter().any(
        |b| matches!(b, EventBody::HouseholdRegistered { household } if household.head == "赵十")
    ));
    assert!(history.iter().any(
        |b| matches!(b, EventBody::HouseholdEdited { household } if household.head == "赵拾")
    ));

    // The same file again changes nothing: refused.
    let before = head(&app);
    press(&mut app, &[KeyName::F(6)]);
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("没有要更正"), "{}", said(&app));
    assert_eq!(head(&app), before);
    press(&mut app, &[KeyName::Esc]);

    // A card in use is refused; a new one works and the old one shows as void.
    press(&mut app, &[KeyName::F(7)]);
    app.type_text("LJ0001");
    press(&mut app, &[KeyName::Enter]);
    assert!(said(&app).contains("LJ0001 已被使用"), "{}", said(&app));
    assert_eq!(head(&app), before);
    app.press(KeyPress::ctrl('u'));
    app.type_text("LJ0110");
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(
        household_of(&app, "H010").map(|h| h.household.card_no),
        Some("LJ0110".into())
    );
    app.press(KeyPress::ctrl('u'));
    app.type_text("LJ0010");
    let text = screen(&app);
    assert!(text.contains("LJ0010 作废 → 新卡 LJ0110"), "{text}");
    press(&mut app, &[KeyName::Esc, KeyName::F(2)]);
    app.type_text("LJ0010");
    assert!(
        screen(&app).contains("LJ0010 已作废 → 赵拾 LJ0110"),
        "{}",
        screen(&app)
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

const HEADER: &str = "household_id,card_no,head,members,group,phone,registered_poor\n";

/// A households sheet on the stick: previewed, then imported whole; a sheet with a refused row
/// writes nothing at all.
#[test]
fn a_households_sheet_is_previewed_and_imported_whole() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap_or_else(|e| panic!("{e}"));
    write(
        &usb.join("农户.csv"),
        &format!("{HEADER}H001,LJ0001,张三,,一组,,否\nH021,LJ0021,孙二一,孙小一,二组,13500001111,是\nH022,LJ0022,孙二二,,二组,,否\n"),
    );
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.model.sync.folder = Input::long(&usb.to_string_lossy(), PATH_CHARS_MAX);
    app.press(KeyPress::ctrl('b'));
    press(&mut app, &[KeyName::F(8)]);
    assert!(screen(&app).contains("农户.csv"), "{}", screen(&app));
    let before = head(&app);
    press(&mut app, &[KeyName::Enter]);
    let Some(Modal::Preview(preview)) = app.model.modal.clone() else {
        panic!("the preview opens: {}", said(&app));
    };
    assert_eq!(
        (preview.new.len(), preview.unchanged, preview.refused.len()),
        (2, 1, 0)
    );
    assert_eq!(head(&app), before, "a preview writes nothing");
    assert!(screen(&app).contains("将新增 2 户"));
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(said(&app), "已导入 2 户");
    let h = household_of(&app, "H021").map(|h| h.household);
    assert_eq!(
        h.as_ref().map(|h| (h.members.clone(), h.registered_poor)),
        Some((vec!["孙小一".to_string()], true))
    );

    write(
        &usb.join("农户.csv"),
        &format!("{HEADER}H031,LJ0031,钱三一,,三组,,否\nH032,LJ0001,钱三二,,三组,,否\n"),
    );
    let before = head(&app);
    press(&mut app, &[KeyName::F(8), KeyName::Enter]);
    let Some(Modal::Preview(preview)) = app.model.modal.clone() else {
        panic!("the preview opens: {}", said(&app));
    };
    assert_eq!(preview.refused.len(), 1, "{:?}", preview.refused);
    assert!(
        preview.refused[0].contains("第 3 行"),
        "{:?}",
        preview.refused
    );
    press(&mut app, &[KeyName::Enter]);
    assert!(said(&app).contains("整个文件都未导入"));
    assert_eq!(head(&app), before);
    assert_eq!(household_of(&app, "H031"), None);
}

/// Items are added and changed (stock kept), a reminder set marks a low item in the catalog
/// and on the day screen; a bad price and an unchanged reminder are refused, nothing written.
#[test]
fn goods_are_added_changed_and_watched_for_low_stock() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.press(alt('g'));
    press(&mut app, &[KeyName::F(5)]);
    app.type_text("酱油");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("瓶");
    press(&mut app, &[KeyName::Tab, KeyName::Tab]);
    app.type_text("10");
    press(&mut app, &[KeyName::Tab]);
    app.press(KeyPress::ctrl('u'));
    app.type_text("10");
    press(&mut app, &[KeyName::F(5)]);
    assert_eq!(
        goods_of(&app, "G04").map(|g| g.goods.name),
        Some("酱油".into()),
        "{}",
        said(&app)
    );

    // The rice (G01, 5 on the shelf) gets a new price; a price of 0 is refused.
    app.type_text("G01");
    press(&mut app, &[KeyName::Enter]);
    for _ in 0..3 {
        press(&mut app, &[KeyName::Tab]);
    }
    app.press(KeyPress::ctrl('u'));
    app.type_text("0");
    let before = head(&app);
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("必须大于 0"), "{}", said(&app));
    assert_eq!(head(&app), before);
    app.press(KeyPress::ctrl('u'));
    app.type_text("35");
    press(&mut app, &[KeyName::F(5)]);
    let rice = goods_of(&app, "G01");
    assert_eq!(
        rice.as_ref().map(|g| (g.goods.price_points, g.stock_units)),
        Some((35, 5))
    );

    press(&mut app, &[KeyName::F(7)]);
    app.press(KeyPress::ctrl('u'));
    app.type_text("8");
    press(&mut app, &[KeyName::Enter]);
    assert!(goods_of(&app, "G01").is_some_and(|g| g.is_low()));
    let before = head(&app);
    press(&mut app, &[KeyName::F(7), KeyName::Enter]);
    assert!(said(&app).contains("已经是 8"), "{}", said(&app));
    assert_eq!(head(&app), before);
    press(&mut app, &[KeyName::Esc, KeyName::Esc, KeyName::F(3)]);
    assert!(screen(&app).contains("5↓"), "{}", screen(&app));
    press(&mut app, &[KeyName::F(8)]);
    assert!(screen(&app).contains("低库存 1"), "{}", screen(&app));
}

/// An item not in the catalog is defined and received in one batch: a refusal of the receipt
/// writes neither; the lot keeps its merchant.
#[test]
fn a_new_item_and_its_first_lot_are_one_batch() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    press(&mut app, &[KeyName::F(6)]);
    app.type_text("6901234567999");
    press(&mut app, &[KeyName::Insert]);
    app.type_text("酱油");
    press(&mut app, &[KeyName::Tab, KeyName::Tab, KeyName::Tab]);
    app.type_text("10");
    press(&mut app, &[KeyName::Tab]);
    app.press(KeyPress::ctrl('u'));
    app.type_text("10");
    press(&mut app, &[KeyName::F(5)]);
    app.type_text("12");
    press(&mut app, &[KeyName::Tab, KeyName::Right, KeyName::Right]);
    // A supply with no merchant needs the catalog's supplier, which the new item has not.
    let before = head(&app);
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("没有供货商"), "{}", said(&app));
    assert_eq!(head(&app), before);
    assert_eq!(goods_of(&app, "G04"), None, "not defined either");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("县供销社");
    press(&mut app, &[KeyName::F(5)]);
    let item = goods_of(&app, "G04");
    assert_eq!(
        item.as_ref()
            .map(|g| (g.goods.barcode.as_str(), g.stock_units)),
        Some(("6901234567999", 12))
    );
    let received = bodies(&app).into_iter().rev().find_map(|b| match b {
        EventBody::StockReceived {
            goods_id, source, ..
        } if goods_id == "G04" => Some(source),
        _ => None,
    });
    assert_eq!(
        received,
        Some(StockSource::Supply {
            merchant: "县供销社".into()
        })
    );
}

/// A stocktake records each difference with its reason; a negative count sends nothing.
#[test]
fn a_stocktake_records_the_differences() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.press(alt('g'));
    press(&mut app, &[KeyName::F(8)]);
    app.type_text("-1");
    let before = head(&app);
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("不能小于 0"), "{}", said(&app));
    assert_eq!(head(&app), before);
    app.press(KeyPress::ctrl('u'));
    app.type_text("3");
    press(&mut app, &[KeyName::Down]);
    app.type_text("5");
    press(&mut app, &[KeyName::Down]);
    app.type_text("7");
    press(&mut app, &[KeyName::F(5)]);
    assert!(screen(&app).contains("盘点差异 2 项"), "{}", screen(&app));
    press(&mut app, &[KeyName::Enter]);
    let stock: Vec<i64> = ["G01", "G02", "G03"]
        .iter()
        .map(|id| goods_of(&app, id).map_or(-1, |g| g.stock_units))
        .collect();
    assert_eq!(stock, vec![3, 5, 7]);
    let reasons: Vec<String> = bodies(&app)
        .into_iter()
        .filter_map(|b| match b {
            EventBody::StockAdjusted { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, vec!["盘点".to_string(), "盘点".to_string()]);
}

/// An objection revokes an award, or corrects it (revoked and scored again, one batch); a
/// corrected score the policy refuses leaves the award as it was.
#[test]
fn objections_revoke_or_correct_an_award_in_publicity() {
    let (dir, mut ledger) = station(policy("threshold-score"), &[]);
    ledger
        .execute_batch(
            "管理员",
            NOW - DAY_MS,
            &[score("H002", 90), score("H003", 88)],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    press(&mut app, &[KeyName::F(11)]);
    assert_eq!(app.model.awards.pending.len(), 2);
    let first = app.model.awards.pending[0].seq;
    app.press(KeyPress::char('r'));
    app.type_text("院子未打扫，群众有异议");
    press(&mut app, &[KeyName::Enter]);
    let status = |app: &App, seq| {
        app.ledger()
            .view()
            .and_then(|v| Ok(v.state().award(seq)?))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .map(|a| a.status)
    };
    assert_eq!(status(&app, first), Some(AwardStatus::Revoked));

    let second = app.model.awards.pending[0].seq;
    app.press(KeyPress::char('c'));
    app.type_text("150");
    press(&mut app, &[KeyName::Tab]);
    app.type_text("加分项算错");
    let before = head(&app);
    press(&mut app, &[KeyName::F(5)]);
    assert!(said(&app).contains("超出范围"), "{}", said(&app));
    assert_eq!(head(&app), before);
    assert_eq!(
        status(&app, second),
        Some(AwardStatus::Pending),
        "not revoked either"
    );
    press(&mut app, &[KeyName::Tab]);
    app.press(KeyPress::ctrl('u'));
    app.type_text("84");
    press(&mut app, &[KeyName::F(5)]);
    assert_eq!(status(&app, second), Some(AwardStatus::Revoked));
    let pending = &app.model.awards.pending;
    assert_eq!(
        pending
            .iter()
            .map(|a| (a.household_id.as_str(), a.score))
            .collect::<Vec<_>>(),
        vec![("H003", 84)]
    );
    press(&mut app, &[KeyName::F(12)]);
    assert!(screen(&app).contains("公示至"), "{}", screen(&app));
}

/// The township is enrolled from its key line after its fingerprint is shown; enrolling it
/// again is refused and writes nothing.
#[test]
fn the_township_is_enrolled_by_its_key_line() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let public = crate::sync::keys::StationKeys::generate().public("T01");
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.press(KeyPress::ctrl('y'));
    press(&mut app, &[KeyName::Tab]);
    app.type_text(&public.to_line());
    press(&mut app, &[KeyName::Enter]);
    assert!(
        screen(&app).contains(&public.fingerprint()),
        "{}",
        screen(&app)
    );
    app.press(KeyPress::char('y'));
    let roster = app
        .ledger()
        .view()
        .and_then(|v| Ok(v.state().roster("T01")?))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(roster.is_some(), "{}", said(&app));
    let before = head(&app);
    press(&mut app, &[KeyName::Tab]);
    app.type_text(&public.to_line());
    press(&mut app, &[KeyName::F(4)]);
    app.press(KeyPress::char('y'));
    assert!(
        said(&app).contains("已经用这把公钥登记过"),
        "{}",
        said(&app)
    );
    assert_eq!(head(&app), before);
}
