//! Every screen of the till at 80×24, in Chinese and English, as insta snapshots drawn into a
//! `TestBackend` over the fixed fixture station; plus `Buffer` assertions for what snapshots
//! cannot see: highlight colours, the focused border, the monitor badge, 16 colours only.

mod common;

use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use common::till::*;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn snap(app: &App) -> String {
    text(draw(app, 80, 24).backend().buffer())
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

macro_rules! both_languages {
    ($name:ident, |$app:ident| $body:block) => {
        #[test]
        fn $name() {
            for lang in [Lang::Zh, Lang::En] {
                #[allow(unused_mut)]
                let (_dir, mut $app) = app(lang, Access::Till);
                $body
                insta::assert_snapshot!(format!("{}_{}", stringify!($name), lang_name(lang)), snap(&$app));
            }
        }
    };
}

fn fill_cart(app: &mut App) {
    app.type_text("zs");
    press(
        app,
        &[
            KeyName::Enter,
            KeyName::Enter,
            KeyName::Down,
            KeyName::Enter,
        ],
    );
    scan(app, SOAP_BARCODE, 1_000_000);
}

both_languages!(till_start, |app| {});

both_languages!(till_search_pinyin, |app| {
    app.type_text("zs");
    app.press(key(KeyName::Down));
});

both_languages!(till_voided_card, |app| {
    app.type_text("LJ0003");
    app.press(key(KeyName::Enter));
});

both_languages!(till_cart, |app| {
    fill_cart(&mut app);
    app.press(key(KeyName::F(4)));
    app.press(KeyPress::char('+'));
});

both_languages!(till_over_balance, |app| {
    app.type_text("wangwu");
    press(&mut app, &[KeyName::Enter, KeyName::Enter, KeyName::Enter]);
});

both_languages!(till_catalog_zone, |app| {
    press(
        &mut app,
        &[
            KeyName::F(3),
            KeyName::Right,
            KeyName::Right,
            KeyName::Right,
        ],
    );
});

both_languages!(till_unknown_barcode, |app| {
    scan(&mut app, "4006381333931", 1_000_000);
});

both_languages!(checkout_popup, |app| {
    fill_cart(&mut app);
    app.press(key(KeyName::F(5)));
    app.type_text("王书记");
});

both_languages!(receipt_popup, |app| {
    fill_cart(&mut app);
    app.press(key(KeyName::F(5)));
    app.type_text("王书记");
    app.press(key(KeyName::Enter));
});

both_languages!(household_details, |app| {
    app.type_text("zhangsan");
    app.press(KeyPress::ctrl('l'));
});

both_languages!(help_overlay, |app| {
    app.press(key(KeyName::F(1)));
});

both_languages!(receive_stock, |app| {
    app.press(key(KeyName::F(6)));
    app.type_text("ddy");
    app.press(key(KeyName::Enter));
    app.type_text("12");
    press(&mut app, &[KeyName::Tab, KeyName::Right, KeyName::Tab]);
    app.type_text("专项资金");
    app.press(key(KeyName::Tab));
    app.type_text("216.5");
});

both_languages!(score_grid, |app| {
    app.press(key(KeyName::F(7)));
    app.type_text("91");
    app.press(key(KeyName::Down));
    app.type_text("79");
    app.press(key(KeyName::Down));
    app.type_text("101");
    app.press(key(KeyName::Down));
    app.type_text("95");
});

both_languages!(awards_screen, |app| {
    app.press(key(KeyName::F(11)));
    app.press(KeyPress::char('a'));
});

both_languages!(day_log, |app| {
    app.press(key(KeyName::F(8)));
});

both_languages!(day_close_question, |app| {
    app.press(key(KeyName::F(8)));
    app.press(KeyPress::char('z'));
});

both_languages!(void_screen, |app| {
    app.press(KeyPress::ctrl('v'));
    app.press(key(KeyName::Enter));
    app.type_text("拿错了");
});

both_languages!(publicity_board, |app| {
    app.press(key(KeyName::F(12)));
});

/// Alt and a letter, as the till reads it.
fn alt(c: char) -> KeyPress {
    KeyPress {
        alt: true,
        ..KeyPress::char(c)
    }
}

both_languages!(households_screen, |app| {
    app.press(KeyPress::ctrl('b'));
});

both_languages!(households_voided_card, |app| {
    app.press(KeyPress::ctrl('b'));
    app.type_text("LJ0003");
});

both_languages!(household_register_form, |app| {
    app.press(KeyPress::ctrl('b'));
    app.press(key(KeyName::F(5)));
    app.type_text("H008");
    app.press(key(KeyName::Tab));
    app.type_text("LJ0008");
    app.press(key(KeyName::Tab));
    app.type_text("孙八");
    app.press(key(KeyName::Tab));
    app.type_text("孙小八、周红");
    press(&mut app, &[KeyName::Tab, KeyName::Tab, KeyName::Tab]);
});

both_languages!(household_page, |app| {
    app.press(KeyPress::ctrl('b'));
    app.type_text("zhangsan");
    app.press(key(KeyName::Enter));
});

both_languages!(household_reissue_form, |app| {
    app.press(KeyPress::ctrl('b'));
    app.type_text("ls");
    app.press(key(KeyName::F(7)));
    app.type_text("LJ0203");
});

both_languages!(goods_screen_low_stock, |app| {
    app.press(alt('g'));
    app.type_text("bwb");
    app.press(key(KeyName::F(7)));
    app.press(KeyPress::ctrl('u'));
    app.type_text("5");
    app.press(key(KeyName::Enter));
    app.press(KeyPress::ctrl('u'));
});

both_languages!(goods_add_form, |app| {
    app.press(alt('g'));
    app.press(key(KeyName::F(5)));
    app.type_text("菜籽油 5L");
    app.press(key(KeyName::Tab));
    app.type_text("桶");
    press(&mut app, &[KeyName::Tab, KeyName::Tab]);
    app.type_text("30");
});

both_languages!(day_low_stock, |app| {
    app.press(alt('g'));
    app.type_text("bwb");
    app.press(key(KeyName::F(7)));
    app.press(KeyPress::ctrl('u'));
    app.type_text("5");
    app.press(key(KeyName::Enter));
    press(&mut app, &[KeyName::Esc, KeyName::F(8)]);
});

both_languages!(receive_new_item, |app| {
    app.press(key(KeyName::F(6)));
    app.type_text("6901234567991");
    app.press(key(KeyName::Insert));
    app.type_text("菜籽油 5L");
    app.press(key(KeyName::Tab));
    app.type_text("桶");
    press(&mut app, &[KeyName::Tab, KeyName::Tab]);
    app.type_text("30");
    app.press(key(KeyName::F(5)));
    app.type_text("6");
    press(
        &mut app,
        &[KeyName::Tab, KeyName::Right, KeyName::Right, KeyName::Tab],
    );
    app.type_text("县粮油公司");
});

both_languages!(stocktake_screen, |app| {
    app.press(alt('g'));
    app.press(key(KeyName::F(8)));
    app.type_text("19");
    app.press(key(KeyName::Enter));
    app.type_text("15");
    app.press(key(KeyName::Enter));
    app.type_text("3x");
});

both_languages!(stocktake_confirm, |app| {
    app.press(alt('g'));
    app.press(key(KeyName::F(8)));
    app.type_text("19");
    press(&mut app, &[KeyName::Enter, KeyName::Enter, KeyName::Enter]);
    app.type_text("38");
    app.press(key(KeyName::F(5)));
});

both_languages!(award_correction_form, |app| {
    app.press(key(KeyName::F(11)));
    app.press(key(KeyName::Down));
    app.press(KeyPress::char('c'));
    app.type_text("88");
    app.press(key(KeyName::Tab));
    app.type_text("卫生分漏算");
});

both_languages!(leave_typed_scores, |app| {
    app.press(key(KeyName::F(7)));
    app.type_text("91");
    app.press(key(KeyName::F(8)));
});

/// A fixed, valid public key line (RFC 8032's first test key, age's example recipient), so the
/// fingerprint on screen is the same every run.
const TOWNSHIP_LINE: &str = "aixin-pub1:T01:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a:age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

both_languages!(sync_enroll_question, |app| {
    app.press(KeyPress::ctrl('y'));
    app.press(key(KeyName::Tab));
    app.type_text(TOWNSHIP_LINE);
    app.press(key(KeyName::Enter));
});

#[test]
fn household_import_preview() {
    for lang in [Lang::Zh, Lang::En] {
        let (dir, mut app) = app(lang, Access::Till);
        let usb = dir.path().join("usb");
        std::fs::create_dir_all(&usb).expect("usb");
        std::fs::write(
            usb.join("三组农户.csv"),
            "户号,卡号,户主,家庭成员,村民小组,电话,建档立卡\nH004,LJ0004,王五,,三组,13700002468,否\nH008,LJ0008,孙八,孙小八,三组,,是\nH009,LJ0001,周九,,三组,,否\nH010,LJ0010,,,三组,,否\n",
        )
        .expect("sheet");
        app.model.sync.folder = aixin::tui::model::Input::long(
            &usb.to_string_lossy(),
            aixin::tui::model::PATH_CHARS_MAX,
        );
        app.press(KeyPress::ctrl('b'));
        app.press(key(KeyName::F(8)));
        app.press(key(KeyName::Enter));
        insta::assert_snapshot!(
            format!("household_import_preview_{}", lang_name(lang)),
            snap(&app)
        );
    }
}

// 张三's cart, then 王五's card: the till asks before the cart leaves its household.
both_languages!(switch_household_question, |app| {
    fill_cart(&mut app);
    scan(&mut app, "LJ0004", 2_000_000);
});

// "No" to that question: the lookup is cleared onto 张三, whose cart it still is, so the next
// keys or scans start afresh (the trial found them appended to 王五's card).
both_languages!(switch_household_declined, |app| {
    fill_cart(&mut app);
    scan(&mut app, "LJ0004", 2_000_000);
    app.press(key(KeyName::Esc));
});

// The same in monitor mode: refused in one line, the cart still 张三's.
both_languages!(monitor_keeps_the_cart, |app| {
    fill_cart(&mut app);
    app.press(key(KeyName::F(9)));
    scan(&mut app, "LJ0004", 2_000_000);
});

both_languages!(monitor_mode, |app| {
    app.press(key(KeyName::F(9)));
    app.press(key(KeyName::F(5)));
});

#[test]
fn first_run_setup() {
    for lang in [Lang::Zh, Lang::En] {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create");
        let mut app = App::new(
            ledger,
            lang,
            "管理员",
            Access::Till,
            dir.path().join("r"),
            Keymap::builtin().expect("keymap"),
            Clock::Fixed(NOW),
        )
        .expect("app");
        app.type_text("LJC01");
        app.press(key(KeyName::Tab));
        app.type_text("李家村爱心超市");
        insta::assert_snapshot!(format!("first_run_setup_{}", lang_name(lang)), snap(&app));
    }
}

#[test]
fn too_small_and_larger_terminals() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, app) = app(lang, Access::Till);
        let small = text(draw(&app, 79, 24).backend().buffer());
        insta::assert_snapshot!(format!("too_small_{}", lang_name(lang)), small);
        let large = draw(&app, 120, 40);
        let shown = text(large.backend().buffer());
        assert!(
            shown.contains("单田芳") || shown.contains("钱七"),
            "a taller lookup shows more households:\n{shown}"
        );
    }
}

fn row_of(buffer: &Buffer, needle: &str) -> u16 {
    let shown = text(buffer);
    shown
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not on screen:\n{shown}")) as u16
}

fn column_of(buffer: &Buffer, y: u16, needle: &str) -> u16 {
    (0..buffer.area.width)
        .find(|x| buffer[(*x, y)].symbol() == needle)
        .unwrap_or_else(|| panic!("{needle} not in row {y}"))
}

#[test]
fn the_selected_row_of_the_focused_panel_is_highlighted() {
    let (_dir, mut app) = app(Lang::Zh, Access::Till);
    app.press(key(KeyName::Down));
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let selected = row_of(buffer, "张珊珊");
    let other = row_of(buffer, "王五");
    let x = column_of(buffer, selected, "张");
    let mut covered = false;
    for dx in 0..40 {
        let cell = &buffer[(x + dx, selected)];
        if !covered {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Black, Color::Cyan),
                "cell {dx} of the selected row"
            );
        }
        covered = !covered && unicode_width::UnicodeWidthStr::width(cell.symbol()) == 2;
    }
    assert_ne!(
        buffer[(x, other)].bg,
        Color::Cyan,
        "other rows are not highlighted"
    );
    // The lookup panel has the keyboard: its border is yellow, the catalog's is not.
    assert_eq!(buffer[(0, 1)].fg, Color::Yellow);
    let catalog_top = row_of(buffer, "商品目录");
    assert_eq!(buffer[(0, catalog_top)].fg, Color::Gray);
    // The catalog's selected row is only bold cyan text while it lacks focus.
    let rice = row_of(buffer, "东北大米");
    let cell = &buffer[(column_of(buffer, rice, "东"), rice)];
    assert_eq!((cell.fg, cell.bg), (Color::Cyan, Color::Reset));
}

#[test]
fn out_of_stock_goods_are_greyed_and_refusals_are_red() {
    let (_dir, mut app) = app(Lang::En, Access::Till);
    let buffer_owner = draw(&app, 80, 24);
    let buffer = buffer_owner.backend().buffer();
    let towel = row_of(buffer, "毛巾");
    assert_eq!(
        buffer[(column_of(buffer, towel, "毛"), towel)].fg,
        Color::DarkGray
    );
    app.press(key(KeyName::F(5)));
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    assert_eq!(
        buffer[(1, 21)].fg,
        Color::Red,
        "the status line says the refusal in red"
    );
}

#[test]
fn the_monitor_badge_is_yellow_and_says_monitor() {
    for (lang, says, first) in [(Lang::Zh, "监督（只读）", "监"), (Lang::En, "MONITOR", "M")]
    {
        let (_dir, mut app) = app(lang, Access::Till);
        app.press(key(KeyName::F(9)));
        let terminal = draw(&app, 80, 24);
        let buffer = terminal.backend().buffer();
        let top = text(buffer);
        assert!(top.lines().next().unwrap_or("").contains(says), "{top}");
        let x = column_of(buffer, 0, first);
        assert_eq!(buffer[(x, 0)].bg, Color::Yellow);
    }
}

#[test]
fn only_the_sixteen_colours_are_used() {
    let sixteen = [
        Color::Reset,
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    let (_dir, mut app) = app(Lang::Zh, Access::Till);
    let mut screens = Vec::new();
    for keys in [
        vec![],
        vec![KeyName::F(6)],
        vec![KeyName::F(7)],
        vec![KeyName::F(8)],
        vec![KeyName::F(11)],
        vec![KeyName::F(12)],
        vec![KeyName::Esc, KeyName::F(1)],
    ] {
        press(&mut app, &keys);
        screens.push(draw(&app, 80, 24));
    }
    for terminal in screens {
        for cell in terminal.backend().buffer().content() {
            assert!(
                sixteen.contains(&cell.fg) && sixteen.contains(&cell.bg),
                "{cell:?}"
            );
        }
    }
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Enrolls a station with fixed keys, so the fingerprint on screen is the same every run.
fn enroll_fixed(
    ledger: &mut Ledger,
    at_ms: i64,
    station_id: &str,
    role: aixin::domain::StationRole,
    byte: u8,
) {
    ledger
        .execute(
            "管理员",
            at_ms,
            &aixin::domain::Command::EnrollStation {
                station_id: station_id.into(),
                role,
                verifying_key: [byte; 32],
                age_recipient: "age1example".into(),
            },
        )
        .expect("enroll");
}

fn sync_app(ledger: Ledger, dir: &tempfile::TempDir, lang: Lang) -> App {
    App::new(
        ledger,
        lang,
        "管理员",
        Access::Till,
        dir.path().join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(NOW),
    )
    .expect("app")
    .with_data_dir(dir.path().to_path_buf())
    .with_usb_mounts(Vec::new())
}

#[test]
fn sync_village_after_export() {
    use aixin::tui::model::{SyncLine, Tone};
    use aixin::tui::msg::{Msg, SyncDirection};
    for lang in [Lang::Zh, Lang::En] {
        let (dir, mut ledger) = ledger();
        enroll_fixed(
            &mut ledger,
            NOW,
            "T01",
            aixin::domain::StationRole::Township,
            7,
        );
        let mut app = sync_app(ledger, &dir, lang);
        app.press(KeyPress::ctrl('y'));
        let file = match lang {
            Lang::Zh => {
                "/media/usb/LJC01-00000001-00000042-T01.axb → T01：42 条记录（#1–#42），9120 字节"
            }
            Lang::En => {
                "/media/usb/LJC01-00000001-00000042-T01.axb → T01: 42 events (#1–#42), 9120 bytes"
            }
        };
        app.send(Msg::Synced {
            direction: SyncDirection::Export,
            result: Ok(vec![
                SyncLine {
                    tone: Tone::Info,
                    text: file.into(),
                },
                SyncLine {
                    tone: Tone::Good,
                    text: aixin::sync::usb::safe_to_remove(lang).into(),
                },
            ]),
        });
        insta::assert_snapshot!(
            format!("sync_village_after_export_{}", lang_name(lang)),
            snap(&app)
        );
    }
}

#[test]
fn sync_township_consolidation() {
    use aixin::domain::StationRole;
    for lang in [Lang::Zh, Lang::En] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create");
        let policy = aixin::policies::builtin("direct-points")
            .expect("builtin")
            .expect("policy");
        ledger
            .execute(
                "管理员",
                NOW - 60 * DAY_MS,
                &aixin::domain::Command::Init {
                    station_id: "T01".into(),
                    name: "城关镇".into(),
                    role: StationRole::Township,
                    policy,
                },
            )
            .expect("init");
        enroll_fixed(
            &mut ledger,
            NOW - 50 * DAY_MS,
            "LJC01",
            StationRole::Village,
            7,
        );
        enroll_fixed(
            &mut ledger,
            NOW - 50 * DAY_MS,
            "WJC02",
            StationRole::Village,
            9,
        );
        let mut app = sync_app(ledger, &dir, lang);
        app.press(KeyPress::ctrl('y'));
        insta::assert_snapshot!(
            format!("sync_township_consolidation_{}", lang_name(lang)),
            snap(&app)
        );
        let shown = snap(&app);
        for _ in 0..3 {
            app.press(key(KeyName::PageDown));
        }
        let scrolled = snap(&app);
        assert_ne!(shown, scrolled, "the report scrolls");
        assert!(
            scrolled.contains("never synced") || scrolled.contains("从未同步"),
            "{scrolled}"
        );
    }
}

#[test]
fn clock_questions() {
    for lang in [Lang::Zh, Lang::En] {
        for (name, now_ms) in [("far", NOW + 40 * DAY), ("behind", NOW - 2 * DAY)] {
            let (dir, ledger) = ledger();
            let mut app = App::new(
                ledger,
                lang,
                "管理员",
                Access::Till,
                dir.path().join("receipts"),
                Keymap::builtin().expect("keymap"),
                Clock::Fixed(now_ms),
            )
            .expect("app");
            fill_cart(&mut app);
            app.press(key(KeyName::F(5)));
            app.press(key(KeyName::Enter));
            insta::assert_snapshot!(
                format!("clock_question_{name}_{}", lang_name(lang)),
                snap(&app)
            );
        }
    }
}

#[test]
fn year_end_preview() {
    for lang in [Lang::Zh, Lang::En] {
        let (dir, mut ledger) = ledger();
        let later = NOW + 10 * DAY;
        let view = ledger.view().expect("view");
        let policy = view.require_meta().expect("meta").policy;
        let due = aixin::domain::publicity::due_awards(view.state(), &policy, later).expect("due");
        drop(view);
        let confirms: Vec<_> = due
            .into_iter()
            .map(|award_seq| aixin::domain::Command::ConfirmAward { award_seq })
            .collect();
        ledger
            .execute_batch("管理员", later, &confirms)
            .expect("confirm");
        let mut app = App::new(
            ledger,
            lang,
            "管理员",
            Access::Till,
            dir.path().join("receipts"),
            Keymap::builtin().expect("keymap"),
            Clock::Fixed(1_799_114_400_000),
        )
        .expect("app");
        app.press(key(KeyName::F(8)));
        app.press(KeyPress::char('y'));
        insta::assert_snapshot!(format!("year_end_preview_{}", lang_name(lang)), snap(&app));
    }
}

both_languages!(statistics, |app| {
    app.press(KeyPress::ctrl('z'));
});

/// The cells of `rows` whose symbol is a bar (full or eighths) drawn in `colour`.
fn bar_cells(buffer: &Buffer, rows: std::ops::Range<u16>, colour: Color) -> usize {
    const BARS: [&str; 8] = ["█", "▇", "▆", "▅", "▄", "▃", "▂", "▁"];
    rows.flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let cell = &buffer[(x, y)];
            cell.fg == colour && BARS.contains(&cell.symbol())
        })
        .count()
}

/// The charts really draw: September's confirmed awards (255 points, the year's most) fill
/// their bar to the top in green, October's and November's spending show in yellow, each
/// fast-moving item's sparkline has cyan cells; a larger terminal writes the values in.
#[test]
fn the_statistics_charts_draw_bars_and_sparklines() {
    let (_dir, mut app) = app(Lang::Zh, Access::Till);
    app.press(KeyPress::ctrl('z'));
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let labels = row_of(buffer, "9月");
    let september = column_of(buffer, labels, "9");
    let chart = 3..labels;
    assert!(bar_cells(buffer, chart.clone(), Color::Green) > 0);
    assert!(bar_cells(buffer, chart.clone(), Color::Yellow) > 0);
    for y in chart {
        let column: Vec<&str> = (september.saturating_sub(2)..september + 3)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        assert!(
            column.contains(&"█"),
            "September's bar is full in row {y}: {column:?}"
        );
    }
    for item in ["食盐", "东北大米", "洗衣粉"] {
        let y = row_of(buffer, item);
        assert!(
            bar_cells(buffer, y..y + 1, Color::Cyan) > 0,
            "{item}'s sparkline"
        );
    }
    let large = draw(&app, 120, 40);
    let shown = text(large.backend().buffer());
    assert!(shown.contains("255"), "values fit in wider bars:\n{shown}");
    assert!(bar_cells(large.backend().buffer(), 3..20, Color::Green) > 0);
}

// A second score for a household already scored this period: the refusal, too long for the
// grid's last column, is shown whole under the grid.
both_languages!(scores_refusal_shown_whole, |app| {
    app.press(key(KeyName::F(7)));
    app.type_text("90");
});
