#[path = "tui_fixture.rs"]
mod fixture;
use aixin::i18n::Lang;
use aixin::tui::{Access, KeyName};
use fixture::*;

#[test]
fn scratch() {
    for lang in [Lang::Zh, Lang::En] {
    let (_d, mut a) = app(lang, Access::Till);
    println!("{}", screen(&a));
    a.type_text("zs");
    println!("{}", screen(&a));
    press(&mut a, &[KeyName::Enter, KeyName::Enter, KeyName::Down, KeyName::Enter]);
    scan(&mut a, SOAP_BARCODE, 1_000_000);
    println!("{}", screen(&a));
    a.press(key(KeyName::F(5)));
    a.type_text("王书记");
    println!("{}", screen(&a));
    a.press(key(KeyName::Enter));
    println!("{}", screen(&a));
    for k in [KeyName::Esc, KeyName::F(8)] { a.press(key(k)); }
    println!("{}", screen(&a));
    a.press(key(KeyName::F(1)));
    println!("{}", screen(&a));
    }
}
