//! The till against a real ledger where a rule is the domain's or a report's: the cart's
//! verdict is the domain's dry run in the domain's words, the board ranks as `report::board`
//! does, the day log says what `aixin log` says, and a user keymap moves the words of a hint.

use std::path::Path;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tempfile::TempDir;

use crate::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use crate::domain::refusal::Refusal;
use crate::domain::time::DAY_MS;
use crate::domain::{Command, HouseholdRef, Policy};
use crate::i18n::Lang;
use crate::report::{board, session_report};
use crate::store::Ledger;
use crate::tui::keymap::{KeyName, KeyPress, Keymap};
use crate::tui::model::{Access, CartVerdict, Screen};
use crate::tui::view::cart_check;

use super::{App, Clock};

/// 2026-11-21 09:30 China time: "now" for every till here.
const NOW: i64 = 1_795_224_600_000;
/// Ten days before: the station's first events, so October's awards are out of publicity.
const T0: i64 = NOW - 10 * DAY_MS;

fn policy(stem: &str) -> Policy {
    crate::policies::builtin(stem)
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("shipped policy {stem}"))
}

fn household(id: &str, card: &str, head: &str) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: id.into(),
            card_no: card.into(),
            head: head.into(),
            members: vec![],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    }
}

fn goods(id: &str, name: &str, price: i64, zone: Zone) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: name.into(),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: price,
            zone,
            category: "粮油".into(),
            supplier: String::new(),
        },
    }
}

fn score(id: &str, score: i64) -> Command {
    Command::EnterScore {
        household_id: id.into(),
        period: "2026-10".into(),
        score,
        note: String::new(),
    }
}

/// A station under `policy` with three households, rice, soap and old clothes on the shelf,
/// the October `scores` entered ten days ago and confirmed now.
fn station(policy: Policy, scores: &[(&str, i64)]) -> (TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut ledger =
        Ledger::create(&dir.path().join("ledger.redb")).unwrap_or_else(|e| panic!("{e}"));
    let mut setup = vec![
        Command::Init {
            station_id: "LJC01".into(),
            name: "李家村爱心超市".into(),
            role: StationRole::Village,
            policy,
        },
        household("H001", "LJ0001", "张三"),
        household("H002", "LJ0002", "李四"),
        household("H003", "LJ0003", "王五"),
        goods("G01", "东北大米", 30, Zone::Points(30)),
        goods("G02", "洗衣粉", 10, Zone::Points(10)),
        goods("G03", "旧衣物", 5, Zone::Donation),
    ];
    for id in ["G01", "G02", "G03"] {
        setup.push(Command::ReceiveStock {
            goods_id: id.into(),
            quantity: 5,
            source: StockSource::Donation {
                donor: "县供销社".into(),
            },
        });
    }
    setup.extend(scores.iter().map(|(id, s)| score(id, *s)));
    ledger
        .execute_batch("管理员", T0, &setup)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let awards = ledger
        .view()
        .and_then(|v| v.awards())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let confirm: Vec<Command> = awards
        .iter()
        .map(|a| Command::ConfirmAward { award_seq: a.seq })
        .collect();
    if !confirm.is_empty() {
        ledger
            .execute_batch("管理员", NOW - 60_000, &confirm)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    (dir, ledger)
}

fn till(dir: &Path, ledger: Ledger, lang: Lang, keymap: Keymap) -> App {
    App::new(
        ledger,
        lang,
        "管理员",
        Access::Till,
        dir.join("receipts"),
        keymap,
        Clock::Fixed(NOW),
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
    .with_usb_mounts(Vec::new())
}

fn builtin() -> Keymap {
    Keymap::builtin().unwrap_or_else(|e| panic!("{e}"))
}

fn press(app: &mut App, keys: &[KeyName]) {
    for k in keys {
        app.press(KeyPress::plain(*k));
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|frame| app.draw(frame))
        .unwrap_or_else(|e| panic!("{e}"));
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut covered = false;
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if !covered {
                out.push_str(symbol);
            }
            covered = !covered && crate::tui::text::width(symbol) == 2;
        }
        out.push('\n');
    }
    out
}

fn check(app: &App) -> String {
    cart_check(&app.model)
        .map(|(text, _)| text)
        .unwrap_or_default()
}

/// The cart is checked by the domain as it changes: accepted with the domain's total, then
/// refused in the domain's words when it costs more than the balance or holds donation goods
/// alone (the till decides neither).
#[test]
fn the_cart_says_what_the_domain_says_of_it() {
    let (dir, ledger) = station(policy("threshold-score"), &[("H001", 91), ("H002", 84)]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.type_text("ls");
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(app.model.cart.household.as_deref(), Some("H002"));
    assert_eq!(
        app.model.cart.verdict,
        CartVerdict::Accepted { total_points: 0 }
    );
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(
        app.model.cart.verdict,
        CartVerdict::Refused(Refusal::BalanceShort {
            balance_points: 20,
            wanted: 30
        })
    );
    assert!(check(&app).contains("积分不足"), "{}", check(&app));
    assert!(screen(&app).contains("✗ 积分不足"));
    press(&mut app, &[KeyName::F(4)]);
    app.press(KeyPress::ctrl('x'));
    press(&mut app, &[KeyName::F(3)]);
    app.type_text("jyw");
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(
        app.model.cart.verdict,
        CartVerdict::Refused(Refusal::DonationZoneFirst)
    );
    app.press(KeyPress::ctrl('u'));
    app.type_text("xyf");
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(
        app.model.cart.verdict,
        CartVerdict::Accepted { total_points: 15 }
    );
    assert_eq!(app.model.cart_total(), 15);
    assert!(check(&app).contains("可以结账"), "{}", check(&app));
}

/// Outside the policy's redemption window the household is refused as soon as it is chosen,
/// in the domain's words (the window is the domain's, not the till's).
#[test]
fn a_closed_window_is_said_when_the_household_is_chosen() {
    let (dir, ledger) = station(policy("quarterly-ranked"), &[]);
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    app.type_text("zs");
    press(&mut app, &[KeyName::Enter]);
    assert_eq!(
        app.model.cart.verdict,
        CartVerdict::Refused(Refusal::OutsideWindow)
    );
    assert!(check(&app).contains("兑换时间"), "{}", check(&app));
}

/// Where ranking by points and by score disagree (two scores summed against one better one),
/// the till's board is the printed board: by score, ties sharing a rank.
#[test]
fn the_board_ranks_as_the_printed_board() {
    let mut summed = policy("threshold-score");
    summed.one_score_per_period = false;
    let (dir, ledger) = station(
        summed,
        &[("H001", 85), ("H001", 85), ("H002", 95), ("H003", 95)],
    );
    let printed = ledger
        .view()
        .and_then(|v| board(&v, "2026-10"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = till(dir.path(), ledger, Lang::En, builtin());
    press(&mut app, &[KeyName::F(12)]);
    assert_eq!(app.model.screen, Screen::Board);
    let shown: Vec<(u32, &str, i64, i64)> = app
        .model
        .board
        .rows
        .iter()
        .map(|r| (r.rank, r.household_id.as_str(), r.score, r.points))
        .collect();
    assert_eq!(
        shown,
        vec![
            (1, "H001", 170, 50),
            (2, "H002", 95, 75),
            (2, "H003", 95, 75)
        ],
        "by score, though H002 and H003 have more points"
    );
    let printed: Vec<(u32, &str, i64, i64)> = printed
        .rows
        .iter()
        .map(|r| (r.rank, r.household_id.as_str(), r.score, r.points))
        .collect();
    assert_eq!(shown, printed);
    let text = screen(&app);
    let first = text.find("张三").unwrap_or(usize::MAX);
    assert!(first < text.find("李四").unwrap_or(0), "{text}");
}

/// F8 words the day's events exactly as `aixin log` does.
#[test]
fn the_day_screen_says_what_the_session_report_says() {
    let (dir, mut ledger) = station(policy("threshold-score"), &[("H001", 91)]);
    ledger
        .execute(
            "管理员",
            NOW - 30_000,
            &Command::Redeem {
                household: HouseholdRef::Id("H001".into()),
                lines: vec![("G01".into(), 1)],
                proxy: Some("王书记".into()),
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let printed = ledger
        .view()
        .and_then(|v| session_report(&v, None))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = till(dir.path(), ledger, Lang::Zh, builtin());
    press(&mut app, &[KeyName::F(8)]);
    let shown = app.model.day.report.as_ref().map(|r| {
        r.lines
            .iter()
            .map(|l| (l.seq, l.summary_zh.clone(), l.summary_en.clone()))
            .collect::<Vec<_>>()
    });
    let expected: Vec<_> = printed
        .lines
        .iter()
        .map(|l| (l.seq, l.summary_zh.clone(), l.summary_en.clone()))
        .collect();
    assert_eq!(shown, Some(expected));
    let sale = printed
        .lines
        .iter()
        .find(|l| l.kind == "redeemed")
        .unwrap_or_else(|| panic!("the sale is logged"));
    let start: String = sale.summary_zh.chars().take(8).collect();
    assert!(screen(&app).contains(&start), "{start}");
}

/// A user keymap that moves an action moves the words that name its key.
#[test]
fn a_user_keymap_changes_the_hints_that_name_its_keys() {
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let keymap = Keymap::with_override(
        "[global]\nkeymap = [\n  { on = \"alt-h\", run = \"focus_lookup\" },\n  { on = \"alt-m\", run = \"toggle_monitor\" },\n]\n",
        Path::new("keymap.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut app = till(dir.path(), ledger, Lang::En, keymap);
    let text = screen(&app);
    assert!(text.contains("Household Alt-H"), "{text}");
    assert!(text.contains("choose a household first (Alt-H)"), "{text}");
    assert!(!text.contains("F2"), "{text}");
    press(&mut app, &[KeyName::F(5)]);
    let said = app.model.status.clone().map(|s| s.text).unwrap_or_default();
    assert_eq!(said, "choose a household first (Alt-H)");
    app.press(KeyPress {
        key: KeyName::Char('m'),
        ctrl: false,
        alt: true,
        shift: false,
    });
    press(&mut app, &[KeyName::F(5)]);
    let said = app.model.status.clone().map(|s| s.text).unwrap_or_default();
    assert_eq!(
        said,
        "monitor mode: read-only; press Alt-M to return to the till"
    );
    let (dir, ledger) = station(policy("threshold-score"), &[]);
    let shipped = till(dir.path(), ledger, Lang::En, builtin());
    assert!(screen(&shipped).contains("Household F2"));
}

mod records;
/// The till reads its households and builds their search index off its own thread at start (so
/// the first screen does not wait for 100,000 households): the first key waits for them, then every
/// household is found by its card, its id, its head's name and pinyin, and a member's name, as
/// a till whose index was built before its first frame finds them.
#[test]
fn the_lookup_built_after_the_first_frame_finds_every_household() {
    const HEADS: [&str; 6] = ["张建国", "李秀英", "王桂兰", "刘德明", "陈玉梅", "单田芳"];
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut ledger =
        Ledger::create(&dir.path().join("ledger.redb")).unwrap_or_else(|e| panic!("{e}"));
    let mut setup = vec![Command::Init {
        station_id: "V1".into(),
        name: "村".into(),
        role: StationRole::Village,
        policy: policy("member-card"),
    }];
    let count = 600usize;
    setup.extend((0..count).map(|i| Command::RegisterHousehold {
        household: Household {
            household_id: format!("H{i:05}"),
            card_no: format!("LJ{i:07}"),
            head: format!("{}{i}", HEADS[i % HEADS.len()]),
            members: if i % 3 == 0 {
                vec![format!("成员{i}")]
            } else {
                vec![]
            },
            group: "一组".into(),
            phone: format!("139{i:08}"),
            registered_poor: false,
        },
    }));
    ledger
        .execute_batch("t", T0, &setup)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = App::starting(
        ledger,
        Lang::Zh,
        "管理员",
        Access::Till,
        dir.path().join("receipts"),
        builtin(),
        Clock::Fixed(NOW),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|f| app.draw(f))
        .unwrap_or_else(|e| panic!("{e}"));

    // Typed as soon as the first frame is up: the key waits for the households.
    for c in "lj0000457".chars() {
        app.press(KeyPress::plain(KeyName::Char(c)));
    }
    assert!(app.households_ready());
    assert!(!app.model.data.households_loading);
    let first = app.model.lookup.hits.first().copied();
    let found = first.and_then(|hit| match hit {
        crate::tui::data::HouseholdHit::Household(p) => app.model.data.households.get(p),
        crate::tui::data::HouseholdHit::VoidedCard(_) => None,
    });
    assert_eq!(found.map(|row| row.household_id), Some("H00457"));

    let data = &app.model.data;
    let finds = |query: &str, id: &str| {
        data.search_households(query, 1_000)
            .iter()
            .any(|hit| match hit {
                crate::tui::data::HouseholdHit::Household(p) => {
                    data.households.get(*p).map(|row| row.household_id) == Some(id)
                }
                crate::tui::data::HouseholdHit::VoidedCard(_) => false,
            })
    };
    for i in 0..count {
        let id = format!("H{i:05}");
        let head = format!("{}{i}", HEADS[i % HEADS.len()]);
        assert!(finds(&format!("LJ{i:07}"), &id), "card of {id}");
        assert!(finds(&id, &id), "id {id}");
        assert!(finds(&head, &id), "name {head}");
        assert!(finds(&format!("{i:08}"), &id), "phone tail of {id}");
        if i % 3 == 0 {
            assert!(finds(&format!("成员{i}"), &id), "member of {id}");
        }
    }
    assert!(finds("zhangjianguo", "H00000"), "full pinyin");
    assert!(finds("stf", "H00005"), "initials of a polyphonic name");
}
