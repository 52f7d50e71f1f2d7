use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const NOW: i64 = 1_795_224_600_000; // 2026-11-21T09:30+08:00 approx

fn app(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).unwrap();
    aixin::demo::build_demo(&mut ledger, NOW).unwrap();
    let app = App::new(ledger, lang, "张三", Access::Till, dir.path().join("receipts"), Keymap::builtin().unwrap(), Clock::Fixed(NOW + 60_000)).unwrap();
    (dir, app)
}

fn show(app: &App) {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    println!("{}", t.backend());
}

#[test]
fn scratch() {
    let (_d, mut a) = app(Lang::Zh);
    show(&a);
    a.type_text("zs");
    show(&a);
    a.press(KeyPress::plain(KeyName::Enter));
    a.press(KeyPress::plain(KeyName::Enter));
    a.press(KeyPress::plain(KeyName::Down));
    a.press(KeyPress::plain(KeyName::Enter));
    show(&a);
    a.press(KeyPress::plain(KeyName::F(5)));
    a.type_text("王书记");
    show(&a);
    a.press(KeyPress::plain(KeyName::Enter));
    show(&a);
    for k in [KeyName::Esc, KeyName::F(8)] { a.press(KeyPress::plain(k)); }
    show(&a);
    a.press(KeyPress::plain(KeyName::F(1)));
    show(&a);
}
