//! The till's field cases of issue 9 as tests of the right value, on a station made by the real
//! binary from the field's own sheets (`tests/fixtures/field/tui-*.csv`): a card number read
//! as one burst in the household lookup selects its household (`tui-scan-card-hijacked.sh`),
//! typed slowly it does the same, and number fields refuse what is not a number.

mod common;

use std::path::Path;

use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use common::cli::ok;

/// 2026-11-01 09:00 China time: the script's setup time.
const SETUP: &str = "2026-11-01T09:00:00+08:00";
/// 2026-11-09 10:00 China time: when the script opens the till.
const OPENED_MS: i64 = 1_794_189_600_000;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/field")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The script's station: direct points, the field's households and goods.
fn station() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(
        dir,
        SETUP,
        &[
            "init",
            "--station-id",
            "TUI01",
            "--name",
            "界面测试村",
            "--policy",
            "direct-points",
        ],
    );
    ok(
        dir,
        SETUP,
        &["household", "import", &fixture("tui-households-cjk.csv")],
    );
    ok(
        dir,
        SETUP,
        &["goods", "import", &fixture("tui-goods-cjk.csv")],
    );
    ok(
        dir,
        SETUP,
        &["stock", "receive", "6901234500028", "10", "--donor", "某"],
    );
    tmp
}

fn till(dir: &Path) -> App {
    let ledger = Ledger::open(&dir.join("ledger.redb")).expect("open");
    App::new(
        ledger,
        Lang::Zh,
        "管理员",
        Access::Till,
        dir.join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(OPENED_MS),
    )
    .expect("app")
    .with_data_dir(dir.to_path_buf())
}

/// The screen's rows, as `tmux capture-pane` shows them.
fn rows(app: &App) -> Vec<String> {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    terminal
        .backend()
        .to_string()
        .lines()
        .map(String::from)
        .collect()
}

/// `text` then Enter, `gap_ms` apart, from `start_ms` on the till's key clock.
fn keys_at(app: &mut App, text: &str, start_ms: u64, gap_ms: u64) {
    let mut at = start_ms;
    for c in text.chars() {
        app.press_at(KeyPress::char(c), at);
        at += gap_ms;
    }
    app.press_at(KeyPress::plain(KeyName::Enter), at);
}

#[test]
fn a_card_read_as_one_burst_in_the_lookup_selects_its_household() {
    let tmp = station();
    let mut app = till(tmp.path());
    // As a scanner (or tmux send-keys -l): all eight keys and Enter 2 ms apart.
    keys_at(&mut app, "LJ900402", 10_000, 2);
    assert_eq!(
        app.model.cart.household.as_deref(),
        Some("H402"),
        "{:?}",
        app.model.status
    );
    let screen = rows(&app);
    assert!(screen[2].contains("查找：LJ900402"), "{}", screen[2]);
    assert!(
        screen[22].contains("已选农户：张三 LJ900402"),
        "{}",
        screen[22]
    );
    assert!(!screen[22].contains("条码"), "not taken for a barcode");
}

#[test]
fn the_same_card_typed_by_hand_selects_the_same_household() {
    let tmp = station();
    let mut app = till(tmp.path());
    keys_at(&mut app, "LJ900402", 10_000, 150);
    assert_eq!(app.model.cart.household.as_deref(), Some("H402"));
    // And its phone read as a burst from the catalog, and a goods barcode into the cart.
    keys_at(&mut app, "13800000404", 20_000, 2);
    assert_eq!(app.model.cart.household.as_deref(), Some("H404"));
    keys_at(&mut app, "6901234500028", 30_000, 2);
    assert_eq!(app.model.cart.lines.len(), 1);
    assert_eq!(app.model.cart.lines[0].goods_id, "G402");
}

#[test]
fn number_fields_refuse_what_is_not_a_number() {
    let tmp = station();
    let mut app = till(tmp.path());
    keys_at(&mut app, "LJ900402", 10_000, 2);
    keys_at(&mut app, "6901234500028", 20_000, 2);
    app.press(KeyPress::plain(KeyName::F(4)));
    app.type_text("1.5");
    app.press(KeyPress::plain(KeyName::Enter));
    let status = app.model.status.clone().expect("status");
    assert!(status.text.contains("数量“1.5”不是整数"), "{}", status.text);
    assert_eq!(app.model.cart.lines[0].quantity, 1, "1.5 is not 15");
    app.press(KeyPress::plain(KeyName::Esc));
    app.type_text("３");
    app.press(KeyPress::plain(KeyName::Enter));
    assert_eq!(
        app.model.cart.lines[0].quantity, 3,
        "full-width digits are digits"
    );
    // A score of 8.5 is not 85.
    app.press(KeyPress::plain(KeyName::F(7)));
    app.type_text("8.5");
    app.press(KeyPress::plain(KeyName::F(5)));
    let status = app.model.status.clone().expect("status");
    assert!(status.text.contains("得分“8.5”不是整数"), "{}", status.text);
    assert!(
        app.model.modal.is_none(),
        "nothing is asked, nothing written"
    );
}
