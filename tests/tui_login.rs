//! Who is at the till (PRODUCT.md, "Operators"), through the whole till on real ledgers: the
//! till opens at a login; a wrong PIN changes nothing and a few in a row make the next try
//! wait; every event written after the login records the operator; a monitor logs in to
//! monitor mode, and only a manager's PIN leaves it; a station with no operators creates its
//! first manager first. Login and popups at 80×24 in Chinese and English; and the backup from
//! the sync screen, read back and checked.

mod common;

use aixin::domain::operator::{OperatorRole, Pin};
use aixin::domain::Command;
use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::model::{Modal, Screen};
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use common::till::*;

const MANAGER: &str = "王丽";
const MANAGER_PIN: &str = "2468";
const MONITOR: &str = "李监督";
const MONITOR_PIN: &str = "5678";

/// The fixture station with a manager and a monitor.
fn staffed() -> (tempfile::TempDir, Ledger) {
    let (dir, mut ledger) = ledger();
    ledger
        .execute_batch(
            MANAGER,
            NOW - 1_800_000,
            &[
                Command::AddOperator {
                    name: MANAGER.into(),
                    role: OperatorRole::Manager,
                    pin: Pin::new(MANAGER_PIN),
                },
                Command::AddOperator {
                    name: MONITOR.into(),
                    role: OperatorRole::Monitor,
                    pin: Pin::new(MONITOR_PIN),
                },
            ],
        )
        .expect("operators");
    (dir, ledger)
}

fn at_login(ledger: Ledger, dir: &tempfile::TempDir, lang: Lang) -> App {
    App::at_login(
        ledger,
        lang,
        dir.path().join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(NOW),
    )
    .expect("app")
    .with_data_dir(dir.path().to_path_buf())
}

fn head(app: &App) -> (u64, [u8; 32]) {
    let meta = app
        .ledger()
        .view()
        .and_then(|v| v.require_meta())
        .expect("meta");
    (meta.head_seq, meta.head_hash)
}

fn status(app: &App) -> String {
    app.model
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Chooses the operator at `index` (from the top) and types the PIN, then Enter.
fn log_in(app: &mut App, index: usize, pin: &str) {
    for _ in 0..4 {
        app.press(key(KeyName::Up));
    }
    for _ in 0..index {
        app.press(key(KeyName::Down));
    }
    app.type_text(pin);
    app.press(key(KeyName::Enter));
}

/// The screen at 80×24 as plain rows, wide characters once.
fn snap(app: &App) -> String {
    let terminal = draw(app, 80, 24);
    let buffer = terminal.backend().buffer();
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

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

#[test]
fn the_till_opens_at_the_login_and_records_who_sells() {
    let (dir, ledger) = staffed();
    let mut app = at_login(ledger, &dir, Lang::Zh);
    assert_eq!(app.model.screen, Screen::Login);
    // Nothing but the login: the till's keys wait.
    app.press(key(KeyName::F(5)));
    app.press(key(KeyName::F(6)));
    assert_eq!(app.model.screen, Screen::Login);
    let before = head(&app);
    log_in(&mut app, 0, "1111");
    assert_eq!(app.model.screen, Screen::Login);
    assert!(status(&app).contains("密码不对"), "{}", status(&app));
    assert_eq!(head(&app), before, "a wrong PIN changes nothing");
    log_in(&mut app, 0, MANAGER_PIN);
    assert_eq!(
        (
            app.model.screen,
            app.model.access,
            app.model.operator.as_str()
        ),
        (Screen::Till, Access::Till, MANAGER)
    );
    // A sale: its event records the logged-in operator.
    app.type_text("zs");
    press(&mut app, &[KeyName::Enter, KeyName::Enter]);
    scan(&mut app, SOAP_BARCODE, 1_000_000);
    app.press(key(KeyName::F(5)));
    app.press(key(KeyName::Enter));
    let meta = app
        .ledger()
        .view()
        .and_then(|v| v.require_meta())
        .expect("meta");
    assert_eq!(meta.head_seq, before.0 + 1, "{}", status(&app));
    let events = app
        .ledger()
        .view()
        .and_then(|v| v.events(meta.head_seq, meta.head_seq))
        .expect("events");
    assert_eq!(events[0].0.operator, MANAGER);
    assert_eq!(events[0].0.body.kind(), "redeemed");
}

#[test]
fn a_monitor_logs_in_read_only_and_only_a_manager_pin_leaves_monitor_mode() {
    let (dir, ledger) = staffed();
    let mut app = at_login(ledger, &dir, Lang::En);
    log_in(&mut app, 1, MONITOR_PIN);
    assert_eq!(
        (
            app.model.screen,
            app.model.access,
            app.model.operator.as_str()
        ),
        (Screen::Till, Access::Monitor, MONITOR)
    );
    let before = head(&app);
    // F9 asks a manager's PIN, offering the first manager.
    app.press(key(KeyName::F(9)));
    assert!(
        matches!(app.model.modal, Some(Modal::Unlock { selected: 0, .. })),
        "{:?}",
        app.model.modal
    );
    // The monitor's own right PIN cannot leave monitor mode.
    app.press(key(KeyName::Down));
    app.type_text(MONITOR_PIN);
    app.press(key(KeyName::Enter));
    assert_eq!(app.model.access, Access::Monitor);
    assert!(status(&app).contains("monitor"), "{}", status(&app));
    // Nor a wrong PIN under the manager's name.
    app.press(key(KeyName::Up));
    app.type_text(MONITOR_PIN);
    app.press(key(KeyName::Enter));
    assert_eq!(app.model.access, Access::Monitor);
    assert!(status(&app).contains("wrong PIN"), "{}", status(&app));
    // Esc keeps monitor mode.
    app.press(key(KeyName::Esc));
    assert_eq!(
        (app.model.modal.is_none(), app.model.access),
        (true, Access::Monitor)
    );
    assert_eq!(head(&app), before, "nothing was written");
    // The manager's PIN leaves it, and the manager is at the keyboard now.
    app.press(key(KeyName::F(9)));
    app.type_text(MANAGER_PIN);
    app.press(key(KeyName::Enter));
    assert_eq!(
        (app.model.access, app.model.operator.as_str()),
        (Access::Till, MANAGER)
    );
    // Into monitor mode needs no PIN; out again does.
    app.press(key(KeyName::F(9)));
    assert_eq!(app.model.access, Access::Monitor);
    app.press(key(KeyName::F(9)));
    assert!(matches!(app.model.modal, Some(Modal::Unlock { .. })));
}

#[test]
fn wrong_pins_in_a_row_make_the_next_try_wait() {
    let (dir, ledger) = staffed();
    let mut app = at_login(ledger, &dir, Lang::En);
    let mut at = 10_000u64;
    let try_pin = |app: &mut App, pin: &str, at: &mut u64| {
        for c in pin.chars() {
            *at += 100;
            app.press_at(KeyPress::char(c), *at);
        }
        *at += 100;
        app.press_at(key(KeyName::Enter), *at);
    };
    for _ in 0..3 {
        try_pin(&mut app, "0000", &mut at);
    }
    assert!(
        status(&app).contains("3 wrong in a row"),
        "{}",
        status(&app)
    );
    // Half a second later: refused before the PIN is checked.
    try_pin(&mut app, MANAGER_PIN, &mut at);
    assert_eq!(app.model.screen, Screen::Login);
    assert!(status(&app).contains("try again in"), "{}", status(&app));
    // After the wait, the right PIN logs in.
    at += 2_000;
    try_pin(&mut app, MANAGER_PIN, &mut at);
    assert_eq!(app.model.screen, Screen::Till, "{}", status(&app));
    let record = app
        .ledger()
        .pin_record(MANAGER)
        .expect("pin")
        .expect("kept");
    assert_eq!(record.failures, 0, "a right PIN resets the count");
}

#[test]
fn a_station_without_operators_creates_its_first_manager_first() {
    let (dir, ledger) = ledger();
    let mut app = at_login(ledger, &dir, Lang::Zh);
    assert_eq!(app.model.screen, Screen::Login);
    let before = head(&app);
    app.type_text(MANAGER);
    app.press(key(KeyName::Tab));
    app.type_text("2468");
    app.press(key(KeyName::Tab));
    app.type_text("2469");
    app.press(key(KeyName::Enter));
    assert_eq!(app.model.screen, Screen::Login);
    assert_eq!(head(&app), before, "PINs that differ write nothing");
    app.press(KeyPress::ctrl('u'));
    app.type_text("2468");
    app.press(key(KeyName::Enter));
    assert_eq!(
        (
            app.model.screen,
            app.model.access,
            app.model.operator.as_str()
        ),
        (Screen::Till, Access::Till, MANAGER),
        "{}",
        status(&app)
    );
    let meta = app
        .ledger()
        .view()
        .and_then(|v| v.require_meta())
        .expect("meta");
    assert_eq!(meta.operators.len(), 1);
    assert_eq!(meta.operators[0].added_by, MANAGER);
    assert!(app.ledger().pin_record(MANAGER).expect("pin").is_some());
}

#[test]
fn the_login_screens_at_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        let (dir, staffed_ledger) = staffed();
        let mut app = at_login(staffed_ledger, &dir, lang);
        app.type_text("97");
        insta::assert_snapshot!(format!("login_{}", lang_name(lang)), snap(&app));
        assert!(!snap(&app).contains("97"), "the PIN is never drawn");

        let (dir, bare) = ledger();
        let mut app = at_login(bare, &dir, lang);
        app.type_text(MANAGER);
        app.press(key(KeyName::Tab));
        app.type_text("2468");
        insta::assert_snapshot!(
            format!("login_first_manager_{}", lang_name(lang)),
            snap(&app)
        );

        let (dir, staffed_ledger) = staffed();
        let mut app = at_login(staffed_ledger, &dir, lang);
        log_in(&mut app, 1, MONITOR_PIN);
        app.press(key(KeyName::F(9)));
        app.type_text("12");
        insta::assert_snapshot!(format!("unlock_popup_{}", lang_name(lang)), snap(&app));
    }
}

#[test]
fn a_backup_from_the_sync_screen_is_read_back_and_checked() {
    let (dir, ledger) = staffed();
    let stick = tempfile::tempdir().expect("stick");
    let mut app = at_login(ledger, &dir, Lang::Zh);
    log_in(&mut app, 0, MANAGER_PIN);
    app.press(KeyPress::ctrl('y'));
    let shown = snap(&app);
    assert!(shown.contains("还没有备份过"), "the reminder:\n{shown}");
    app.press(KeyPress::ctrl('u'));
    app.type_text(&stick.path().display().to_string());
    app.press(key(KeyName::F(7)));
    app.type_text("short");
    app.press(key(KeyName::Enter));
    app.type_text("short");
    app.press(key(KeyName::Enter));
    assert!(status(&app).contains("口令太短"), "{}", status(&app));
    app.press(KeyPress::ctrl('u'));
    app.type_text("村委会的钥匙串2026");
    app.press(key(KeyName::Enter));
    app.type_text("村委会的钥匙串2026");
    let folder = stick.path().display().to_string();
    insta::assert_snapshot!(
        "passphrase_popup_zh",
        snap(&app).replace(&folder, "/media/usb")
    );
    assert!(
        !snap(&app).contains("钥匙串"),
        "the passphrase is never drawn"
    );
    app.press(key(KeyName::Enter));
    assert!(status(&app).contains("可以拔出U盘"), "{}", status(&app));
    let files: Vec<_> = std::fs::read_dir(stick.path())
        .expect("stick")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let shown = snap(&app);
    assert!(shown.contains("上次备份"), "{shown}");
    // The file restores into a new folder with the same head.
    let restored = tempfile::tempdir().expect("restored");
    let target = restored.path().join("station");
    let done =
        aixin::backup::restore(&files[0].path(), "村委会的钥匙串2026", &target).expect("restore");
    let meta = app
        .ledger()
        .view()
        .and_then(|v| v.require_meta())
        .expect("meta");
    assert_eq!(done.manifest.head_seq, meta.head_seq);
    let copy = Ledger::open(&target.join("ledger.redb")).expect("open");
    let copied = copy.view().and_then(|v| v.require_meta()).expect("meta");
    assert_eq!(
        (copied.head_seq, copied.head_hash),
        (meta.head_seq, meta.head_hash)
    );
    assert_eq!(copied.operators, meta.operators);
}
