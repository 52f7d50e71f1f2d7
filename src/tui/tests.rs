//! `update` tests without a terminal or a ledger: a model over hand-made records, keys in,
//! effects and state out. One test (or more) per action, and the monitor-mode guarantee that
//! no key in any context emits a write effect.

use crate::domain::event::{
    Event, EventBody, Goods, Household, PeriodKey, StationRole, Zone, GENESIS_HASH,
};
use crate::domain::state::{
    AwardRecord, AwardStatus, DayRecord, GoodsRecord, HouseholdRecord, PeriodTally, SaleRecord,
    StationMeta,
};
use crate::domain::time::PeriodKind;
use crate::domain::{Command, HouseholdRef, StockSource};
use crate::i18n::Lang;

use super::data::{Data, HouseholdHit};
use super::keymap::{Action, Context, KeyName, KeyPress, Keymap};
use super::model::{
    Access, Focus, Gate, Modal, Model, Question, ReceiveField, Screen, SourceKind, SyncLine,
    SyncState, Tone, USB_FOLDER_DEFAULT,
};
use super::msg::{Effect, Loaded, Msg, Purpose, Query, SyncDirection};
use super::update::{parse_yuan, shift_period, update, SCAN_GAP_MS_MAX};
use super::view::{sync_report, sync_scroll_max};
use crate::sync::township::{Consolidation, VillageLine};
use crate::sync::usb::RosterLine;

/// 2026-11-21 09:30 China time.
const NOW: i64 = 1_795_224_600_000;
const DAY: i64 = 24 * 3600 * 1000;

fn household(
    id: &str,
    card: &str,
    head: &str,
    phone: &str,
    balance: i64,
    pending: i64,
) -> HouseholdRecord {
    HouseholdRecord {
        household: Household {
            household_id: id.into(),
            card_no: card.into(),
            head: head.into(),
            members: vec![],
            group: "一组".into(),
            phone: phone.into(),
            registered_poor: false,
        },
        old_cards: vec![],
        balance_points: balance,
        pending_points: pending,
        earned_points: balance,
        spent_points: 0,
        cleared_points: 0,
        credit: vec![crate::domain::state::YearCredit {
            year: 2026,
            awarded_points: balance,
            ..Default::default()
        }],
    }
}

fn goods(
    id: &str,
    name: &str,
    barcode: &str,
    price: i64,
    zone: Zone,
    category: &str,
    stock: i64,
) -> GoodsRecord {
    GoodsRecord {
        goods: Goods {
            goods_id: id.into(),
            name: name.into(),
            unit: "个".into(),
            barcode: barcode.into(),
            price_points: price,
            zone,
            category: category.into(),
            supplier: String::new(),
        },
        stock_units: stock,
        received_units: stock,
        sold_units: 0,
        adjusted_units: 0,
        shipped_units: 0,
        lots: vec![crate::domain::state::LotBalance {
            lot_seq: 1,
            remaining_units: stock,
        }],
    }
}

fn meta() -> StationMeta {
    let policy = crate::policies::builtin("threshold-score")
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("policy"));
    StationMeta {
        station_id: "LJC01".into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy,
        head_seq: 10,
        head_hash: GENESIS_HASH,
        last_time_ms: NOW - DAY,
        session: crate::domain::state::OpenSession::new(1),
        clock_corrections: vec![],
    }
}

fn data() -> Data {
    let mut li = household("H003", "LJ0103", "李四", "", 0, 0);
    li.old_cards = vec!["LJ0003".into()];
    let households = vec![
        household("H001", "LJ0001", "张三", "13800001234", 75, 55),
        household("H002", "LJ0002", "张珊珊", "13900005678", 26, 0),
        li,
        household("H004", "LJ0004", "王五", "", 20, 15),
    ];
    let goods = vec![
        goods(
            "G01",
            "东北大米",
            "6901234567892",
            30,
            Zone::Points(30),
            "粮油",
            20,
        ),
        goods(
            "G02",
            "洗衣粉",
            "6901234567915",
            10,
            Zone::Points(10),
            "日用",
            2,
        ),
        goods(
            "G03",
            "毛巾",
            "6901234567946",
            10,
            Zone::Points(10),
            "日用",
            0,
        ),
        goods("G04", "旧衣物", "", 5, Zone::Donation, "捐赠", 12),
    ];
    Data::from_records(Some(meta()), households, goods)
}

fn model(access: Access) -> Model {
    let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
    Model::new(data(), Lang::Zh, "管理员", access, keymap, NOW)
}

/// Sends a key typed slowly (a person); returns its effects.
fn key(m: &mut Model, k: KeyPress) -> Vec<Effect> {
    let at = m.scan.last_ms + 1_000;
    update(m, Msg::Key { key: k, at_ms: at })
}

fn named(m: &mut Model, name: KeyName) -> Vec<Effect> {
    key(m, KeyPress::plain(name))
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyPress::char(c));
    }
}

fn heads(m: &Model) -> Vec<String> {
    m.lookup
        .hits
        .iter()
        .filter_map(|h| match h {
            HouseholdHit::Household(i) => m.data.households.get(*i).map(|h| h.head.to_string()),
            HouseholdHit::VoidedCard(_) => Some("VOID".into()),
        })
        .collect()
}

fn bad(m: &Model) -> String {
    match &m.status {
        Some(s) if s.tone == Tone::Bad => s.text.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn with_household(m: &mut Model) {
    typed(m, "zs");
    let fx = named(m, KeyName::Enter);
    assert_eq!(fx, vec![Effect::Load(Query::Gate("H001".into()))]);
}

#[test]
fn lookup_types_as_you_go_by_initials_pinyin_card_and_phone() {
    let mut m = model(Access::Till);
    assert_eq!(m.lookup.hits.len(), 4, "empty query lists everyone");
    typed(&mut m, "zs");
    assert_eq!(heads(&m), vec!["张三", "张珊珊"]);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "zhangsan");
    assert_eq!(heads(&m)[0], "张三");
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "LJ0004");
    assert_eq!(heads(&m), vec!["王五"]);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "5678");
    assert_eq!(heads(&m), vec!["张珊珊"]);
    named(&mut m, KeyName::Backspace);
    assert_eq!(m.lookup.query.text, "567");
}

#[test]
fn lookup_moves_and_selects_a_household() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Down);
    assert_eq!(m.lookup.selected, 2);
    named(&mut m, KeyName::Up);
    assert_eq!(m.lookup.selected, 1);
    named(&mut m, KeyName::PageDown);
    assert_eq!(m.lookup.selected, 3, "page down stops at the last row");
    named(&mut m, KeyName::PageUp);
    assert_eq!(m.lookup.selected, 0);
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(fx, vec![Effect::Load(Query::Gate("H001".into()))]);
    assert_eq!(m.cart.household.as_deref(), Some("H001"));
    assert_eq!(
        m.focus,
        Focus::Catalog,
        "choosing a household moves on to the goods"
    );
}

#[test]
fn a_replaced_card_says_so_and_cannot_be_selected() {
    let mut m = model(Access::Till);
    typed(&mut m, "LJ0003");
    assert_eq!(heads(&m)[0], "VOID");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("LJ0003"));
    assert_eq!(m.cart.household, None);
}

#[test]
fn lookup_details_and_clear() {
    let mut m = model(Access::Till);
    let fx = key(&mut m, KeyPress::ctrl('l'));
    assert_eq!(fx, vec![Effect::Load(Query::History("H001".into()))]);
    assert!(matches!(m.modal, Some(Modal::Details { .. })));
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None);
    typed(&mut m, "zs");
    named(&mut m, KeyName::Esc);
    assert!(
        m.lookup.query.text.is_empty(),
        "Esc on the till clears the search"
    );
}

#[test]
fn catalog_adds_goods_and_refuses_what_is_out_of_stock() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    assert_eq!(m.focus, Focus::Catalog);
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.lines.len(), 1);
    typed(&mut m, "mj");
    assert_eq!(m.catalog.hits.len(), 1);
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("毛巾"));
    assert_eq!(m.cart.lines.len(), 1);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "xiyi");
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains('2'), "only 2 in stock");
    assert_eq!(m.cart.lines[1].quantity, 2);
}

#[test]
fn catalog_filters_by_zone_and_category() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Right);
    let first = m.catalog.zone;
    assert!(first.is_some());
    assert!(m
        .catalog
        .hits
        .iter()
        .all(|&i| Some(m.data.goods[i].goods.zone) == first));
    named(&mut m, KeyName::Left);
    assert_eq!(m.catalog.zone, None);
    named(&mut m, KeyName::Left);
    assert_eq!(m.catalog.zone, Some(Zone::Donation));
    assert_eq!(m.catalog.hits.len(), 1);
    named(&mut m, KeyName::Right);
    key(&mut m, KeyPress::ctrl('l'));
    assert_eq!(m.catalog.category.as_deref(), Some("粮油"));
    assert_eq!(m.catalog.hits.len(), 1);
}

#[test]
fn cart_quantities_remove_and_clear() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(4));
    key(&mut m, KeyPress::char('+'));
    key(&mut m, KeyPress::char('+'));
    assert_eq!(m.cart.lines[0].quantity, 3);
    key(&mut m, KeyPress::char('-'));
    assert_eq!(m.cart.lines[0].quantity, 2);
    key(&mut m, KeyPress::char('-'));
    key(&mut m, KeyPress::char('-'));
    assert_eq!(m.cart.lines[0].quantity, 1, "never below one");
    typed(&mut m, "12");
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.lines[0].quantity, 12);
    typed(&mut m, "99");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("20"), "stock is 20");
    assert_eq!(m.cart.lines[0].quantity, 12);
    typed(&mut m, "abc");
    assert!(
        m.cart.typed_quantity.text.is_empty(),
        "only digits are typed into a quantity"
    );
    typed(&mut m, "0");
    named(&mut m, KeyName::Enter);
    assert!(m.cart.lines.is_empty(), "a quantity of 0 removes the line");
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(4));
    assert_eq!(m.cart.lines.len(), 2);
    named(&mut m, KeyName::Delete);
    assert_eq!(m.cart.lines.len(), 1);
    key(&mut m, KeyPress::ctrl('x'));
    assert!(m.cart.lines.is_empty());
}

#[test]
fn checkout_needs_a_household_and_goods_then_commits_one_redeem() {
    let mut m = model(Access::Till);
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    bad(&m);
    with_household(&mut m);
    named(&mut m, KeyName::F(5));
    assert!(bad(&m).contains("空"), "empty cart");
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(5));
    assert!(matches!(m.modal, Some(Modal::Checkout { .. })));
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None);
    named(&mut m, KeyName::F(5));
    typed(&mut m, "王书记");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::Redeem {
                household: HouseholdRef::Id("H001".into()),
                lines: vec![("G01".into(), 1)],
                proxy: Some("王书记".into()),
            }],
            purpose: Purpose::Sale,
        }]
    );
}

#[test]
fn checkout_without_proxy_sends_none() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(5));
    typed(&mut m, "x");
    key(&mut m, KeyPress::ctrl('u'));
    let fx = named(&mut m, KeyName::Enter);
    assert!(
        matches!(&fx[..], [Effect::Commit { commands, .. }] if matches!(&commands[0], Command::Redeem { proxy: None, .. }))
    );
}

#[test]
fn cart_checks_say_what_is_wrong_in_words() {
    let mut m = model(Access::Till);
    typed(&mut m, "wangwu");
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    let checks = super::view::till_checks(&m);
    assert!(
        checks.iter().any(|(t, ok)| !ok && t.contains("积分不足")),
        "{checks:?}"
    );
    update(
        &mut m,
        Msg::Loaded(Loaded::Gate {
            household_id: "H004".into(),
            result: Err("现在不是兑换时间".into()),
        }),
    );
    assert_eq!(m.cart.gate, Gate::Closed("现在不是兑换时间".into()));
    let checks = super::view::till_checks(&m);
    assert!(checks.iter().any(|(t, _)| t.contains("兑换时间")));
}

#[test]
fn a_committed_sale_shows_the_receipt_writes_it_and_empties_the_cart() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    let event = Event {
        station_id: "LJC01".into(),
        seq: 11,
        operator: "管理员".into(),
        time_ms: NOW,
        prev_hash: GENESIS_HASH,
        body: EventBody::Redeemed {
            household_id: "H001".into(),
            card_no: "LJ0001".into(),
            lines: vec![crate::domain::SaleLine {
                goods_id: "G01".into(),
                quantity: 1,
                price_points: 30,
            }],
            total_points: 30,
            proxy: Some("王书记".into()),
            takes: vec![],
            credit: vec![],
        },
    };
    let fx = update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Sale,
            result: Ok(vec![event]),
        },
    );
    assert!(m.cart.lines.is_empty());
    let Some(Modal::Receipt { text, .. }) = &m.modal else {
        panic!("receipt")
    };
    assert!(text.contains("王书记") && text.contains("东北大米"));
    assert!(text.lines().all(|l| super::text::width(l) <= 32), "{text}");
    assert!(
        matches!(&fx[0], Effect::WriteReceipt { file_name, .. } if file_name == "2026-11-21-11.txt")
    );
    update(
        &mut m,
        Msg::ReceiptWritten(Ok("/r/2026-11-21-11.txt".into())),
    );
    assert!(matches!(
        &m.modal,
        Some(Modal::Receipt { file: Some(_), .. })
    ));
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Sale,
            result: Err("积分不足".into()),
        },
    );
    assert_eq!(bad(&m), "积分不足");
}

fn scan(m: &mut Model, code: &str, gap_ms: u64) -> Vec<Effect> {
    let mut at = m.scan.last_ms + 10_000;
    for c in code.chars() {
        update(
            m,
            Msg::Key {
                key: KeyPress::char(c),
                at_ms: at,
            },
        );
        at += gap_ms;
    }
    update(
        m,
        Msg::Key {
            key: KeyPress::plain(KeyName::Enter),
            at_ms: at,
        },
    )
}

#[test]
fn a_scanned_barcode_adds_its_item_from_any_panel() {
    let mut m = model(Access::Till);
    typed(&mut m, "zs");
    scan(&mut m, "6901234567915", 3);
    assert_eq!(m.cart.lines.len(), 1);
    assert_eq!(m.cart.lines[0].goods_id, "G02");
    assert_eq!(
        m.lookup.query.text, "zs",
        "the scanner's digits are taken back out of the search"
    );
    assert_eq!(
        m.cart.household, None,
        "the Enter did not choose a household"
    );
    named(&mut m, KeyName::F(4));
    scan(&mut m, "6901234567915", 3);
    assert_eq!(m.cart.lines[0].quantity, 2);
    assert!(m.cart.typed_quantity.text.is_empty());
}

#[test]
fn an_unknown_scanned_code_is_said_clearly() {
    let mut m = model(Access::Till);
    scan(&mut m, "1234567890123", 3);
    assert!(bad(&m).contains("1234567890123"));
    assert!(m.cart.lines.is_empty());
    assert!(m.lookup.query.text.is_empty());
}

#[test]
fn a_barcode_typed_by_hand_also_adds_but_slow_digits_are_otherwise_text() {
    let mut m = model(Access::Till);
    scan(&mut m, "6901234567892", SCAN_GAP_MS_MAX * 4);
    assert_eq!(m.cart.lines.len(), 1);
    let fx = scan(&mut m, "13800001234", SCAN_GAP_MS_MAX * 4);
    assert_eq!(
        fx,
        vec![Effect::Load(Query::Gate("H001".into()))],
        "a typed phone number chooses the household"
    );
}

#[test]
fn monitor_mode_toggles_and_makes_every_write_inert() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Monitor);
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert_eq!(m.modal, None);
    assert!(bad(&m).contains("监督"));
    named(&mut m, KeyName::F(6));
    assert_eq!(m.screen, Screen::Till, "receive stock does not open");
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Till);
    named(&mut m, KeyName::F(5));
    assert!(matches!(m.modal, Some(Modal::Checkout { .. })));
}

#[test]
fn a_read_only_monitor_cannot_switch_back() {
    let mut m = model(Access::ReadOnly);
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::ReadOnly);
    bad(&m);
}

/// Every bound key in every screen, popup and panel, pressed in monitor mode: no write effect.
#[test]
fn no_key_anywhere_writes_in_monitor_mode() {
    for access in [Access::Monitor, Access::ReadOnly] {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<KeyPress> = Context::ALL
            .iter()
            .flat_map(|c| keymap.bindings(*c).iter().map(|b| b.key))
            .collect();
        let screens = [
            Screen::Till,
            Screen::Receive,
            Screen::Scores,
            Screen::Awards,
            Screen::Day,
            Screen::Void,
            Screen::Board,
            Screen::Setup,
            Screen::Sync,
        ];
        let modals = [
            None,
            Some(Modal::Checkout {
                proxy: Default::default(),
            }),
            Some(Modal::Confirm(Question::CloseDay("2026-11-21".into()))),
            Some(Modal::Confirm(Question::CommitScores)),
            Some(Modal::Confirm(Question::ConfirmAwards(vec![3]))),
            Some(Modal::Reason {
                sale_seq: 5,
                reason: super::model::Input::with("错了"),
            }),
        ];
        let mut keys = keys;
        keys.sort();
        keys.dedup();
        let mut base = model(access);
        base.cart.household = Some("H001".into());
        base.cart.lines.push(super::model::CartLine {
            goods_id: "G01".into(),
            quantity: 1,
        });
        base.scores.period = "2026-10".into();
        base.scores
            .entries
            .insert("H001".into(), super::model::Input::with("90"));
        base.receive.goods_id = Some("G01".into());
        base.receive.quantity = super::model::Input::with("3");
        base.receive.party = super::model::Input::with("县农商银行");
        base.sales.sales.push(sale(5, false));
        base.awards.pending.push(award(20, "H004", NOW - 11 * DAY));
        base.awards.marked.insert(20);
        for screen in screens {
            let focuses: &[Focus] = if screen == Screen::Till {
                &[Focus::Lookup, Focus::Catalog, Focus::Cart]
            } else {
                &[Focus::Lookup]
            };
            for focus in focuses {
                for modal in &modals {
                    for k in &keys {
                        let mut m = base.clone();
                        m.screen = screen;
                        m.focus = *focus;
                        m.modal = modal.clone();
                        for _ in 0..2 {
                            let fx = key(&mut m, *k);
                            assert!(
                                fx.iter().all(|e| !e.writes()),
                                "{access:?} {screen:?} {focus:?} {modal:?} {k}: {fx:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

fn sale(seq: u64, voided: bool) -> SaleRecord {
    SaleRecord {
        seq,
        household_id: "H002".into(),
        lines: vec![crate::domain::SaleLine {
            goods_id: "G02".into(),
            quantity: 1,
            price_points: 10,
        }],
        total_points: 10,
        proxy: None,
        time_ms: NOW - 3600 * 1000,
        voided,
        takes: vec![],
        credit: vec![],
    }
}

#[test]
fn receive_stock_form_builds_one_command() {
    let mut m = model(Access::Till);
    let fx = named(&mut m, KeyName::F(6));
    assert!(fx.is_empty());
    assert_eq!(m.screen, Screen::Receive);
    typed(&mut m, "xyf");
    named(&mut m, KeyName::Enter);
    assert_eq!(m.receive.goods_id.as_deref(), Some("G02"));
    assert_eq!(m.receive.field, ReceiveField::Quantity);
    typed(&mut m, "2x4");
    assert_eq!(m.receive.quantity.text, "24", "digits only");
    named(&mut m, KeyName::Tab);
    named(&mut m, KeyName::Right);
    assert_eq!(m.receive.source, SourceKind::Purchase);
    named(&mut m, KeyName::F(5));
    assert!(bad(&m).contains("资金"));
    named(&mut m, KeyName::Tab);
    typed(&mut m, "专项资金");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "120.5");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::ReceiveStock {
                goods_id: "G02".into(),
                quantity: 24,
                source: StockSource::Purchase {
                    fund: "专项资金".into(),
                    cost_fen: 12_050
                },
            }],
            purpose: Purpose::Receive,
        }]
    );
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Receive,
            result: Ok(vec![]),
        },
    );
    assert_eq!(m.receive.goods_id, None);
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Good));
}

#[test]
fn a_scan_on_the_receive_screen_picks_the_goods() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(6));
    scan(&mut m, "6901234567892", 3);
    assert_eq!(m.receive.goods_id.as_deref(), Some("G01"));
    assert!(m.receive.goods_query.text.is_empty());
    assert!(m.cart.lines.is_empty());
}

#[test]
fn score_grid_previews_points_checks_and_commits_one_batch() {
    let mut m = model(Access::Till);
    let fx = named(&mut m, KeyName::F(7));
    assert_eq!(fx, vec![Effect::Load(Query::Tallies("2026-10".into()))]);
    update(
        &mut m,
        Msg::Loaded(Loaded::Tallies {
            period: "2026-10".into(),
            tallies: vec![(
                "H004".into(),
                PeriodTally {
                    points: 15,
                    score: 83,
                    entries: 1,
                },
            )],
        }),
    );
    let policy = meta().policy;
    typed(&mut m, "91");
    assert_eq!(
        super::update::score_preview(&m, &policy, 0),
        super::update::ScorePreview::Points(55)
    );
    named(&mut m, KeyName::Enter);
    typed(&mut m, "150");
    assert_eq!(
        super::update::score_preview(&m, &policy, 1),
        super::update::ScorePreview::OutOfRange
    );
    named(&mut m, KeyName::F(5));
    bad(&m);
    assert_eq!(m.scores.selected, 1, "the bad row is highlighted");
    key(&mut m, KeyPress::ctrl('u'));
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Down);
    typed(&mut m, "88");
    assert_eq!(
        super::update::score_preview(&m, &policy, 3),
        super::update::ScorePreview::AlreadyScored
    );
    key(&mut m, KeyPress::ctrl('u'));
    named(&mut m, KeyName::Right);
    bad(&m);
    assert_eq!(
        m.scores.period, "2026-10",
        "the period does not change with scores typed"
    );
    let fx = named(&mut m, KeyName::F(5));
    assert!(fx.is_empty());
    assert_eq!(m.modal, Some(Modal::Confirm(Question::CommitScores)));
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::EnterScore {
                household_id: "H001".into(),
                period: "2026-10".into(),
                score: 91,
                note: String::new()
            }],
            purpose: Purpose::Scores,
        }]
    );
}

fn award(seq: u64, household: &str, entered_ms: i64) -> AwardRecord {
    AwardRecord {
        seq,
        household_id: household.into(),
        period: PeriodKey("2026-10".into()),
        score: 86,
        points: 30,
        status: AwardStatus::Pending,
        entered_ms,
    }
}

#[test]
fn awards_whose_publicity_is_over_are_confirmed_together() {
    let mut m = model(Access::Till);
    let fx = named(&mut m, KeyName::F(11));
    assert_eq!(fx, vec![Effect::Load(Query::PendingAwards)]);
    update(
        &mut m,
        Msg::Loaded(Loaded::PendingAwards(vec![
            award(20, "H004", NOW - 11 * DAY),
            award(21, "H001", NOW - 3 * DAY),
        ])),
    );
    named(&mut m, KeyName::Enter);
    assert_eq!(m.modal, None, "nothing marked");
    named(&mut m, KeyName::Down);
    key(&mut m, KeyPress::char(' '));
    assert!(bad(&m).contains("公示"));
    key(&mut m, KeyPress::char('a'));
    assert_eq!(
        m.awards.marked.iter().copied().collect::<Vec<_>>(),
        vec![20]
    );
    named(&mut m, KeyName::Up);
    key(&mut m, KeyPress::char(' '));
    assert!(m.awards.marked.is_empty(), "space unmarks");
    key(&mut m, KeyPress::char(' '));
    named(&mut m, KeyName::F(5));
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::ConfirmAward { award_seq: 20 }],
            purpose: Purpose::Awards
        }]
    );
}

#[test]
fn day_log_moves_between_days_and_closes_with_a_question() {
    let mut m = model(Access::Till);
    let fx = named(&mut m, KeyName::F(8));
    assert_eq!(fx, vec![Effect::Load(Query::Day("2026-11-21".into()))]);
    assert!(
        named(&mut m, KeyName::Right).is_empty(),
        "no days after today"
    );
    let fx = named(&mut m, KeyName::Left);
    assert_eq!(fx, vec![Effect::Load(Query::Day("2026-11-20".into()))]);
    named(&mut m, KeyName::Right);
    key(&mut m, KeyPress::char('z'));
    assert_eq!(
        m.modal,
        Some(Modal::Confirm(Question::CloseDay("2026-11-21".into())))
    );
    assert!(key(&mut m, KeyPress::char('n')).is_empty());
    assert_eq!(m.modal, None);
    key(&mut m, KeyPress::char('z'));
    let fx = key(&mut m, KeyPress::char('y'));
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::CloseSession],
            purpose: Purpose::CloseDay
        }]
    );
}

#[test]
fn void_asks_for_a_reason() {
    let mut m = model(Access::Till);
    let fx = key(&mut m, KeyPress::ctrl('v'));
    assert_eq!(fx, vec![Effect::Load(Query::Sales)]);
    update(
        &mut m,
        Msg::Loaded(Loaded::Sales(vec![sale(7, true), sale(5, false)])),
    );
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains('7'), "already voided");
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Enter);
    assert!(matches!(m.modal, Some(Modal::Reason { sale_seq: 5, .. })));
    assert!(named(&mut m, KeyName::Enter).is_empty());
    bad(&m);
    typed(&mut m, "拿错了");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::VoidSale {
                sale_seq: 5,
                reason: "拿错了".into()
            }],
            purpose: Purpose::Void
        }]
    );
}

#[test]
fn board_ranks_the_period_and_moves_between_periods() {
    let mut m = model(Access::Till);
    let fx = named(&mut m, KeyName::F(12));
    assert_eq!(fx, vec![Effect::Load(Query::Tallies("2026-10".into()))]);
    let t = |points, score| PeriodTally {
        points,
        score,
        entries: 1,
    };
    update(
        &mut m,
        Msg::Loaded(Loaded::Tallies {
            period: "2026-10".into(),
            tallies: vec![
                ("H001".into(), t(55, 91)),
                ("H002".into(), PeriodTally::default()),
                ("H004".into(), t(60, 92)),
            ],
        }),
    );
    let order: Vec<&str> = m.board.rows.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        order,
        vec!["H004", "H001"],
        "ranked by points; unscored households left out"
    );
    let fx = named(&mut m, KeyName::Left);
    assert_eq!(fx, vec![Effect::Load(Query::Tallies("2026-09".into()))]);
}

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
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Setup,
            result: Ok(vec![]),
        },
    );
    assert_eq!(m.screen, Screen::Till);
}

#[test]
fn help_quit_and_ctrl_c() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(1));
    assert_eq!(m.modal, Some(Modal::Help { scroll: 0 }));
    named(&mut m, KeyName::Down);
    assert_eq!(m.modal, Some(Modal::Help { scroll: 1 }));
    named(&mut m, KeyName::F(1));
    assert_eq!(m.modal, None);
    assert_eq!(named(&mut m, KeyName::F(10)), vec![Effect::Quit]);
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Enter);
    assert!(named(&mut m, KeyName::F(10)).is_empty());
    assert_eq!(m.modal, Some(Modal::Confirm(Question::Quit)));
    assert_eq!(named(&mut m, KeyName::Enter), vec![Effect::Quit]);
    let mut m = model(Access::Till);
    m.modal = Some(Modal::Checkout {
        proxy: Default::default(),
    });
    assert_eq!(key(&mut m, KeyPress::ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn focus_keys_cycle_the_panels() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::Tab);
    assert_eq!(m.focus, Focus::Catalog);
    named(&mut m, KeyName::Tab);
    assert_eq!(m.focus, Focus::Cart);
    named(&mut m, KeyName::BackTab);
    assert_eq!(m.focus, Focus::Catalog);
    key(&mut m, KeyPress::ctrl('f'));
    assert_eq!(m.focus, Focus::Lookup);
    named(&mut m, KeyName::F(8));
    key(&mut m, KeyPress::ctrl('t'));
    assert_eq!((m.screen, m.focus), (Screen::Till, Focus::Cart));
    named(&mut m, KeyName::F(12));
    named(&mut m, KeyName::Esc);
    assert_eq!(m.screen, Screen::Till);
}

/// A deterministic storm of keys (including control and wide characters) never panics, and
/// every frame size draws.
#[test]
fn nothing_typed_can_panic() {
    let alphabet: Vec<KeyPress> = {
        let mut v: Vec<KeyPress> = "az09 +-=.张\u{7}\u{0}"
            .chars()
            .map(KeyPress::char)
            .collect();
        for n in 1..=12 {
            v.push(KeyPress::plain(KeyName::F(n)));
        }
        for k in [
            KeyName::Enter,
            KeyName::Esc,
            KeyName::Tab,
            KeyName::BackTab,
            KeyName::Backspace,
            KeyName::Delete,
            KeyName::Up,
            KeyName::Down,
            KeyName::Left,
            KeyName::Right,
            KeyName::PageUp,
            KeyName::PageDown,
            KeyName::Home,
        ] {
            v.push(KeyPress::plain(k));
        }
        for c in "aefgklnoprtuvwxs".chars() {
            v.push(KeyPress::ctrl(c));
        }
        v
    };
    let mut seed: u64 = 0x2026_1121;
    let mut m = model(Access::Till);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .unwrap_or_else(|e| panic!("{e}"));
    for step in 0..20_000u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let k = alphabet[(seed % alphabet.len() as u64) as usize];
        if k == KeyPress::plain(KeyName::F(10)) || k == KeyPress::ctrl('q') {
            continue;
        }
        let fx = update(
            &mut m,
            Msg::Key {
                key: k,
                at_ms: step * 7,
            },
        );
        for e in fx {
            if let Effect::Commit { purpose, .. } = e {
                update(
                    &mut m,
                    Msg::Committed {
                        purpose,
                        result: Err("refused".into()),
                    },
                );
            }
        }
        if step % 97 == 0 {
            let size = [(80, 24), (79, 23), (120, 40), (1, 1), (200, 60)][(step / 97 % 5) as usize];
            terminal.backend_mut().resize(size.0, size.1);
            terminal
                .draw(|f| super::view::view(&m, f))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn period_and_money_helpers() {
    assert_eq!(
        shift_period("2026-01", PeriodKind::Month, -1).as_deref(),
        Some("2025-12")
    );
    assert_eq!(
        shift_period("2026-12", PeriodKind::Month, 1).as_deref(),
        Some("2027-01")
    );
    assert_eq!(
        shift_period("2026-Q1", PeriodKind::Quarter, -1).as_deref(),
        Some("2025-Q4")
    );
    assert_eq!(
        shift_period("2026-03-01", PeriodKind::Day, -1).as_deref(),
        Some("2026-02-28")
    );
    assert_eq!(shift_period("junk", PeriodKind::Month, 1), None);
    assert_eq!(parse_yuan("12"), Some(1200));
    assert_eq!(parse_yuan("12.5"), Some(1250));
    assert_eq!(parse_yuan("0.05"), Some(5));
    assert_eq!(parse_yuan("1.234"), None);
    assert_eq!(parse_yuan("."), None);
    assert_eq!(parse_yuan("-1"), None);
    assert_eq!(parse_yuan("99999999999999999999"), None);
}

#[test]
fn every_action_in_the_keymap_is_reachable_by_some_key() {
    let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
    for action in Action::ALL {
        let bound = Context::ALL
            .iter()
            .any(|c| keymap.bindings(*c).iter().any(|b| b.action == *action));
        assert!(bound, "{} has no key in the shipped keymap", action.name());
    }
}

fn sync_state(villages: usize) -> SyncState {
    let peer = RosterLine {
        station_id: "T01".into(),
        role: StationRole::Township,
        fingerprint: "xyk4-betd-doyk-vgc7".into(),
        active: true,
        revoked_from_ms: None,
        enrolled_ms: Some(NOW - 40 * DAY),
        acked_seq: 12,
        held_seq: 3,
        last_import_ms: Some(NOW - 40 * DAY),
        last_export_ms: None,
    };
    let consolidation = (villages > 0).then(|| Consolidation {
        township_id: "LJC01".into(),
        now_ms: NOW,
        villages: (0..villages)
            .map(|i| VillageLine {
                station_id: format!("V{i:03}"),
                name: format!("{i} 村"),
                key_active: true,
                days_since_sync: Some(2),
                ..Default::default()
            })
            .collect(),
        total: VillageLine::default(),
        anomalies: vec![],
    });
    SyncState {
        station_id: "LJC01".into(),
        role: StationRole::Village,
        head_seq: 20,
        peers: vec![peer],
        held: vec![],
        forks: vec![],
        consolidation,
    }
}

fn sync_line(tone: Tone, text: &str) -> SyncLine {
    SyncLine {
        tone,
        text: text.into(),
    }
}

#[test]
fn the_sync_screen_loads_its_state_and_remembers_the_folder() {
    let mut m = model(Access::Till);
    let fx = key(&mut m, KeyPress::ctrl('y'));
    assert_eq!(m.screen, Screen::Sync);
    assert_eq!(fx, vec![Effect::Load(Query::Sync)]);
    assert_eq!(m.sync.folder.text, USB_FOLDER_DEFAULT);
    assert!(update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(0))))).is_empty());
    let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
    assert!(report.iter().any(|r| r.contains("LJC01")), "{report:?}");
    assert!(report.iter().any(|r| r.contains("xyk4-betd-doyk-vgc7")));
    assert!(
        report.iter().any(|r| r.contains("40 天前")),
        "how stale the last import is: {report:?}"
    );

    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "/mnt/stick9");
    named(&mut m, KeyName::Backspace);
    let folder = std::path::PathBuf::from("/mnt/stick");
    assert_eq!(
        named(&mut m, KeyName::F(5)),
        vec![Effect::Export {
            folder: folder.clone()
        }]
    );
    assert_eq!(
        key(&mut m, KeyPress::ctrl('s')),
        vec![Effect::Export {
            folder: folder.clone()
        }]
    );
    assert_eq!(
        named(&mut m, KeyName::F(6)),
        vec![Effect::Import {
            folder: folder.clone()
        }]
    );
    assert_eq!(
        key(&mut m, KeyPress::ctrl('l')),
        vec![Effect::Import {
            folder: folder.clone()
        }]
    );
    named(&mut m, KeyName::Esc);
    assert_eq!(m.screen, Screen::Till);
    key(&mut m, KeyPress::ctrl('y'));
    assert_eq!(
        m.sync.folder.value(),
        "/mnt/stick",
        "the last folder is kept"
    );
}

#[test]
fn export_and_import_need_a_folder() {
    let mut m = model(Access::Till);
    key(&mut m, KeyPress::ctrl('y'));
    key(&mut m, KeyPress::ctrl('u'));
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert!(bad(&m).contains("文件夹"));
    assert!(named(&mut m, KeyName::F(6)).is_empty());
}

#[test]
fn sync_in_monitor_mode_shows_the_state_and_writes_nothing() {
    for access in [Access::Monitor, Access::ReadOnly] {
        let mut m = model(access);
        assert_eq!(
            key(&mut m, KeyPress::ctrl('y')),
            vec![Effect::Load(Query::Sync)],
            "the state view works in monitor mode"
        );
        update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(0)))));
        for k in [
            KeyPress::plain(KeyName::F(5)),
            KeyPress::ctrl('s'),
            KeyPress::plain(KeyName::F(6)),
            KeyPress::ctrl('l'),
        ] {
            m.status = None;
            assert!(key(&mut m, k).is_empty(), "{access:?} {k}");
            assert!(bad(&m).contains("监督"), "{access:?} {k}: {:?}", m.status);
        }
        assert!(sync_report(&m).iter().any(|r| r.text.contains("监督模式")));
    }
}

#[test]
fn an_export_says_safe_to_remove_and_a_refusal_in_one_line() {
    let mut m = model(Access::Till);
    key(&mut m, KeyPress::ctrl('y'));
    let fx = update(
        &mut m,
        Msg::Synced {
            direction: SyncDirection::Export,
            result: Ok(vec![
                sync_line(Tone::Info, "/media/usb/LJC01-000001-000020-T01.axb → T01"),
                sync_line(Tone::Good, "已写入并读回校验，可以拔出U盘"),
            ]),
        },
    );
    assert_eq!(
        fx,
        vec![Effect::Load(Query::Sync)],
        "the state is read again"
    );
    let status = m.status.clone().expect("status");
    assert_eq!(status.tone, Tone::Good);
    assert!(status.text.contains("可以拔出U盘"));
    let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
    assert!(report
        .iter()
        .any(|r| r.contains("LJC01-000001-000020-T01.axb")));

    let fx = update(
        &mut m,
        Msg::Synced {
            direction: SyncDirection::Export,
            result: Err("/media/usb: not a folder".into()),
        },
    );
    assert_eq!(fx, vec![Effect::Load(Query::Sync)]);
    assert_eq!(bad(&m), "/media/usb: not a folder");
    assert_eq!(
        m.sync.outcome.len(),
        1,
        "the refusal replaces the old lines"
    );
}

#[test]
fn an_import_lists_each_file_and_flags_refusals() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    key(&mut m, KeyPress::ctrl('y'));
    let fx = update(
        &mut m,
        Msg::Synced {
            direction: SyncDirection::Import,
            result: Ok(vec![
                sync_line(Tone::Good, "a.axb：收到 T01 的 3 条新记录"),
                sync_line(Tone::Bad, "  ! 未能执行"),
                sync_line(Tone::Info, "b.axb：没有新内容"),
                sync_line(Tone::Bad, "c.axb: 签名不符"),
            ]),
        },
    );
    assert!(fx.contains(&Effect::Load(Query::Sync)));
    assert!(
        fx.contains(&Effect::Load(Query::Gate("H001".into()))),
        "the cart's household is checked again: {fx:?}"
    );
    assert!(bad(&m).contains("3 个数据包"), "{:?}", m.status);
    assert_eq!(m.sync.outcome.len(), 4);
}

#[test]
fn the_sync_report_scrolls_within_its_rows() {
    let mut m = model(Access::Till);
    key(&mut m, KeyPress::ctrl('y'));
    update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(40)))));
    let last = sync_scroll_max(&m);
    assert!(last > 20, "forty villages do not fit: {last}");
    for _ in 0..20 {
        named(&mut m, KeyName::PageDown);
    }
    assert_eq!(m.sync.scroll, last);
    named(&mut m, KeyName::Up);
    assert_eq!(m.sync.scroll, last - 1);
    named(&mut m, KeyName::PageUp);
    assert_eq!(m.sync.scroll, last - 1 - 8);
    let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
    assert!(report.iter().any(|r| r.contains("V039")));
}
