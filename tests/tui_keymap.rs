//! Keymap loading: the shipped keymap loads and covers every context; a user file overrides only
//! what it names; every broken fixture fails with its file and line.

use std::path::{Path, PathBuf};

use aixin::tui::keymap::{
    parse, Action, Context, KeyName, KeyPress, Keymap, DEFAULT_KEYMAP, DEFAULT_KEYMAP_PATH,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keymaps")
        .join(name)
}

fn load_fixture(name: &str) -> Result<Keymap, aixin::tui::KeymapError> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture(name), dir.path().join("keymap.toml")).expect("copy fixture");
    Keymap::load(Some(dir.path()))
}

#[test]
fn shipped_keymap_loads_and_covers_every_context() {
    let keymap = Keymap::builtin().expect("shipped keymap");
    for context in Context::ALL {
        assert!(
            !keymap.bindings(*context).is_empty(),
            "[{}] has no keys",
            context.name()
        );
    }
    for binding in Context::ALL.iter().flat_map(|c| keymap.bindings(*c)) {
        assert!(
            !binding.desc_zh.is_empty() && !binding.desc_en.is_empty(),
            "line {} lacks a description",
            binding.line
        );
    }
    assert_eq!(
        keymap.action(Context::Global, KeyPress::plain(KeyName::F(5))),
        Some(Action::Checkout)
    );
    assert_eq!(
        keymap.action(Context::Global, KeyPress::ctrl('p')),
        Some(Action::Checkout)
    );
    assert_eq!(
        keymap.action(Context::Global, KeyPress::plain(KeyName::F(9))),
        Some(Action::ToggleMonitor)
    );
}

#[test]
fn the_file_on_disk_is_the_one_built_in() {
    let on_disk =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_KEYMAP_PATH))
            .expect("read");
    assert_eq!(on_disk, DEFAULT_KEYMAP);
}

#[test]
fn no_config_dir_or_no_user_file_means_the_shipped_keymap() {
    let shipped = Keymap::builtin().expect("shipped");
    assert_eq!(Keymap::load(None).expect("load"), shipped);
    let empty = tempfile::tempdir().expect("tempdir");
    assert_eq!(Keymap::load(Some(empty.path())).expect("load"), shipped);
}

#[test]
fn a_user_keymap_overrides_only_what_it_names() {
    let shipped = Keymap::builtin().expect("shipped");
    let keymap = load_fixture("override.toml").expect("valid override");
    assert_eq!(
        keymap.action(Context::Global, KeyPress::plain(KeyName::F(12))),
        Some(Action::Checkout)
    );
    assert_eq!(
        keymap.action(Context::Global, KeyPress::plain(KeyName::F(5))),
        None,
        "checkout's old keys are gone"
    );
    assert_eq!(
        keymap.action(Context::Global, KeyPress::ctrl('n')),
        Some(Action::OpenBoard),
        "the board keeps its other key"
    );
    assert_eq!(
        keymap.action(Context::Cart, KeyPress::char('x')),
        Some(Action::RemoveLine)
    );
    assert_eq!(keymap.action(Context::Cart, KeyPress::char('d')), None);
    assert_eq!(
        keymap.bindings(Context::Lookup),
        shipped.bindings(Context::Lookup),
        "sections not named are untouched"
    );
    assert_eq!(
        keymap.action(Context::Global, KeyPress::plain(KeyName::F(1))),
        Some(Action::Help)
    );
    let help = keymap
        .bindings(Context::Global)
        .iter()
        .find(|b| b.action == Action::Checkout)
        .expect("bound");
    assert_eq!(help.desc_en, "check out (F12)");
    let removal = keymap
        .bindings(Context::Cart)
        .iter()
        .find(|b| b.action == Action::RemoveLine)
        .expect("bound");
    assert_eq!(
        removal.desc_en, "remove line",
        "a description left out is kept from the shipped binding"
    );
}

fn assert_fails(name: &str, line: usize, words: &str) {
    let error = load_fixture(name).expect_err(name);
    assert_eq!(error.line, line, "{name}: {error}");
    assert!(error.path.ends_with("keymap.toml"), "{name}: {error}");
    let shown = error.to_string();
    assert!(shown.contains(&format!("keymap.toml:{line}:")), "{shown}");
    assert!(shown.contains(words), "{name}: {shown}");
    let direct = parse(
        &std::fs::read_to_string(fixture(name)).expect("read"),
        &fixture(name),
    )
    .expect_err(name);
    assert_eq!(direct.line, line);
    assert!(direct.to_string().contains(name), "{direct}");
}

#[test]
fn a_syntax_error_names_file_and_line() {
    assert_fails("syntax_error.toml", 4, "not a valid keymap");
}

#[test]
fn an_unknown_action_names_file_and_line() {
    assert_fails("unknown_action.toml", 4, "unknown action \"pay\"");
}

#[test]
fn a_duplicate_key_names_file_and_line() {
    assert_fails("duplicate_key.toml", 6, "bound twice");
}

#[test]
fn an_unknown_key_names_file_and_line() {
    assert_fails("unknown_key.toml", 4, "unknown key \"hyper-z\"");
}

#[test]
fn an_unknown_section_names_file_and_line() {
    assert_fails("unknown_section.toml", 4, "unknown section [kitchen]");
}

#[test]
fn an_action_out_of_its_context_names_file_and_line() {
    assert_fails("wrong_context.toml", 3, "does nothing in [lookup]");
}

#[test]
fn an_unreadable_user_file_is_an_error_not_the_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("keymap.toml"), [0xff, 0xfe, 0x00]).expect("write");
    let error = Keymap::load(Some(dir.path())).expect_err("binary file");
    assert!(error.to_string().contains("keymap.toml"), "{error}");
}
