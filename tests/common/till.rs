//! A small, fixed station for the till's tests: seven households (one with a replaced card, a
//! polyphonic name), ten goods in every zone (one never stocked), two scoring rounds (one
//! confirmed, one in publicity, one due), a few sales. Every event has a fixed time, so the
//! snapshots never depend on the clock.

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::{Command, HouseholdRef};
use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// 2026-10-01 10:00 China time.
pub const T_START: i64 = 1_790_820_000_000;
/// One day.
pub const DAY: i64 = aixin::domain::time::DAY_MS;
/// "Now" for the till: 2026-11-21 09:30 China time.
pub const NOW: i64 = 1_795_224_600_000;

fn household(
    id: &str,
    card: &str,
    head: &str,
    members: &[&str],
    group: &str,
    phone: &str,
    poor: bool,
) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: id.into(),
            card_no: card.into(),
            head: head.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
            group: group.into(),
            phone: phone.into(),
            registered_poor: poor,
        },
    }
}

fn goods(
    id: &str,
    name: &str,
    unit: &str,
    barcode: &str,
    price: i64,
    zone: Zone,
    category: &str,
) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: name.into(),
            unit: unit.into(),
            barcode: barcode.into(),
            price_points: price,
            zone,
            category: category.into(),
            supplier: if zone == Zone::Donation {
                String::new()
            } else {
                "县供销社".into()
            },
        },
    }
}

fn score(id: &str, period: &str, score: i64) -> Command {
    Command::EnterScore {
        household_id: id.into(),
        period: period.into(),
        score,
        note: String::new(),
    }
}

/// The rice's barcode.
pub const RICE_BARCODE: &str = "6901234567892";
/// The soap powder's barcode.
pub const SOAP_BARCODE: &str = "6901234567915";

/// Fills a fresh ledger with the fixture station.
pub fn fill(ledger: &mut Ledger) {
    let policy = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("parses");
    let mut setup = vec![Command::Init {
        station_id: "LJC01".into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy,
    }];
    setup.extend([
        household(
            "H001",
            "LJ0001",
            "张三",
            &["李梅", "张小明"],
            "一组",
            "13800001234",
            true,
        ),
        household(
            "H002",
            "LJ0002",
            "张珊珊",
            &[],
            "二组",
            "13900005678",
            false,
        ),
        household("H003", "LJ0003", "李四", &["刘芳"], "一组", "", false),
        household("H004", "LJ0004", "王五", &[], "三组", "13700002468", false),
        household("H005", "LJ0005", "赵六", &[], "二组", "", true),
        household("H006", "LJ0006", "单田芳", &[], "三组", "", false),
        household("H007", "LJ0007", "钱七", &[], "一组", "", false),
    ]);
    setup.extend([
        goods(
            "G01",
            "东北大米 5kg",
            "袋",
            RICE_BARCODE,
            30,
            Zone::Points(30),
            "粮油",
        ),
        goods(
            "G02",
            "大豆油 1.8L",
            "桶",
            "6901234567908",
            20,
            Zone::Points(20),
            "粮油",
        ),
        goods(
            "G03",
            "洗衣粉 1kg",
            "袋",
            SOAP_BARCODE,
            10,
            Zone::Points(10),
            "日用",
        ),
        goods(
            "G04",
            "牙膏",
            "支",
            "6901234567922",
            5,
            Zone::Points(5),
            "日用",
        ),
        goods(
            "G05",
            "食盐",
            "袋",
            "6901234567939",
            2,
            Zone::Points(2),
            "调味",
        ),
        goods(
            "G06",
            "毛巾",
            "条",
            "6901234567946",
            10,
            Zone::Points(10),
            "日用",
        ),
        goods("G07", "旧衣物", "件", "", 5, Zone::Donation, "捐赠"),
        goods(
            "G08",
            "酱油",
            "瓶",
            "6901234567953",
            5,
            Zone::Points(5),
            "调味",
        ),
        goods(
            "G09",
            "挂面 1kg",
            "袋",
            "6901234567960",
            10,
            Zone::Points(10),
            "粮油",
        ),
        goods(
            "G10",
            "保温杯",
            "个",
            "6901234567977",
            50,
            Zone::Points(50),
            "日用",
        ),
    ]);
    for (id, quantity) in [
        ("G01", 20),
        ("G02", 15),
        ("G03", 30),
        ("G04", 40),
        ("G05", 50),
        ("G08", 25),
        ("G09", 30),
        ("G10", 3),
    ] {
        setup.push(Command::ReceiveStock {
            goods_id: id.into(),
            quantity,
            source: StockSource::Purchase {
                fund: "县级爱心超市专项资金".into(),
                cost_fen: quantity * 900,
            },
        });
    }
    setup.push(Command::ReceiveStock {
        goods_id: "G07".into(),
        quantity: 12,
        source: StockSource::Donation {
            donor: "县农商银行".into(),
        },
    });
    for (id, s) in [
        ("H001", 95),
        ("H002", 88),
        ("H003", 79),
        ("H004", 90),
        ("H005", 85),
        ("H006", 92),
        ("H007", 81),
    ] {
        setup.push(score(id, "2026-09", s));
    }
    must(ledger.execute_batch("村评议小组", T_START, &setup));
    // Confirm September after publicity.
    let view = ledger.view().expect("view");
    let awards: Vec<Command> = view
        .awards()
        .expect("awards")
        .iter()
        .map(|a| Command::ConfirmAward { award_seq: a.seq })
        .collect();
    drop(view);
    must(ledger.execute_batch("管理员", T_START + 8 * DAY, &awards));
    must(ledger.execute_batch(
        "管理员",
        T_START + 9 * DAY,
        &[Command::Redeem {
            household: HouseholdRef::Card("LJ0004".into()),
            lines: vec![("G01".into(), 1)],
            proxy: None,
        }],
    ));
    must(ledger.execute_batch(
        "管理员",
        T_START + 11 * DAY,
        &[Command::ReissueCard {
            household_id: "H003".into(),
            new_card_no: "LJ0103".into(),
        }],
    ));
    // October: one award already due, two still in publicity.
    must(ledger.execute_batch(
        "村评议小组",
        T_START + 40 * DAY,
        &[score("H005", "2026-10", 86)],
    ));
    must(ledger.execute_batch(
        "村评议小组",
        T_START + 48 * DAY,
        &[score("H001", "2026-10", 91), score("H004", "2026-10", 83)],
    ));
    // Today, an hour ago: a sale collected by a proxy and a donation received.
    must(ledger.execute_batch(
        "管理员",
        NOW - 3600 * 1000,
        &[
            Command::Redeem {
                household: HouseholdRef::Id("H002".into()),
                lines: vec![("G03".into(), 1), ("G05".into(), 2)],
                proxy: Some("王书记".into()),
            },
            Command::ReceiveStock {
                goods_id: "G04".into(),
                quantity: 10,
                source: StockSource::Donation {
                    donor: "鑫源集团有限公司".into(),
                },
            },
        ],
    ));
}

fn must<T>(result: Result<T, aixin::store::StoreError>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!("fixture refused: {}", e.message(Lang::En)),
    }
}

/// A fresh fixture ledger in a temp dir.
pub fn ledger() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create");
    fill(&mut ledger);
    (dir, ledger)
}

/// A till on the fixture at [`NOW`].
pub fn app(lang: Lang, access: Access) -> (tempfile::TempDir, App) {
    let (dir, ledger) = ledger();
    let keymap = Keymap::builtin().expect("shipped keymap");
    let app = App::new(
        ledger,
        lang,
        "管理员",
        access,
        dir.path().join("receipts"),
        keymap,
        Clock::Fixed(NOW),
    )
    .expect("app")
    .with_usb_mounts(Vec::new());
    (dir, app)
}

/// Draws the till into a test terminal.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| app.draw(frame)).expect("draw");
    terminal
}

/// The screen as plain rows, wide characters once (no "hidden cell" noise).
pub fn text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0usize;
        let mut row = String::new();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            row.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

/// The screen as text.
pub fn screen(app: &App) -> String {
    draw(app, 80, 24).backend().to_string()
}

/// A key without modifiers.
pub fn key(name: KeyName) -> KeyPress {
    KeyPress::plain(name)
}

/// Presses named keys one after another.
pub fn press(app: &mut App, keys: &[KeyName]) {
    for k in keys {
        app.press(key(*k));
    }
}

/// Types a barcode as a scanner does: digits 5 ms apart, then Enter.
pub fn scan(app: &mut App, code: &str, start_ms: u64) {
    let mut at = start_ms;
    for c in code.chars() {
        app.press_at(KeyPress::char(c), at);
        at += 5;
    }
    app.press_at(key(KeyName::Enter), at);
}
