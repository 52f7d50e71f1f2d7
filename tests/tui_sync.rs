//! The till's USB sync screen against real stations: a village till exports into a folder
//! standing in for the stick, a township till imports it (and holds the village's chain), the
//! township answers on the same stick and the village takes only the bundle addressed to it.
//! In monitor mode the same keys write nothing, neither on the stick nor in the ledger.

mod common;

use std::path::Path;

use aixin::domain::StationRole;
use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::sync::files::bundles_in;
use aixin::sync::peers::PeerSync;
use aixin::tui::model::{Screen, Tone};
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use common::sync::*;
use tempfile::TempDir;

/// A till on a station's ledger and data dir.
fn till(station: Station, lang: Lang, now_ms: i64) -> (TempDir, App) {
    let Station { dir, ledger, .. } = station;
    let app = App::new(
        ledger,
        lang,
        "管理员",
        Access::Till,
        dir.path().join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(now_ms),
    )
    .expect("app")
    .with_data_dir(dir.path().to_path_buf());
    (dir, app)
}

/// Opens the sync screen and types the folder.
fn open_sync(app: &mut App, folder: &Path) {
    app.press(KeyPress::ctrl('y'));
    assert_eq!(app.model.screen, Screen::Sync);
    app.press(KeyPress::ctrl('u'));
    app.type_text(&folder.display().to_string());
}

fn status(app: &App) -> (Tone, String) {
    let s = app.model.status.clone().expect("a status line");
    (s.tone, s.text)
}

fn held(ledger: &Ledger, station: &str) -> Vec<(aixin::domain::Hash, Vec<u8>)> {
    ledger
        .view_of(station)
        .and_then(|v| v.raw_events(1, u64::MAX, u64::MAX))
        .expect("events")
}

fn pair_with_work() -> (Station, Station) {
    let mut village = Station::new("V001", StationRole::Village);
    let mut township = Station::new("T01", StationRole::Township);
    village.enroll(&township);
    township.enroll(&village);
    village.run(T0 + HOUR, household("H1"));
    village.run(T0 + HOUR, household("H2"));
    (village, township)
}

#[test]
fn a_village_till_exports_and_a_township_till_imports_through_the_stick() {
    let (village, township) = pair_with_work();
    let village_events = village.own_events();
    let stick = tempfile::tempdir().expect("stick");

    let (_village_dir, mut village) = till(village, Lang::Zh, T0 + 2 * HOUR);
    open_sync(&mut village, stick.path());
    village.press(KeyPress::plain(KeyName::F(5)));
    let (tone, text) = status(&village);
    assert_eq!(tone, Tone::Good, "{text}");
    assert!(text.contains("可以拔出U盘"), "{text}");
    let files = bundles_in(stick.path()).expect("stick");
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().expect("name").to_string_lossy();
    assert!(
        village
            .model
            .sync
            .outcome
            .iter()
            .any(|l| l.text.contains(name.as_ref())),
        "the file is named: {:?}",
        village.model.sync.outcome
    );
    let peer = PeerSync::load(&village.ledger().view().expect("view"), "T01").expect("peer");
    assert_eq!(
        peer.last_export_ms,
        Some(T0 + 2 * HOUR),
        "the export time is recorded"
    );
    let state = village.model.sync.state.clone().expect("state reloaded");
    assert_eq!(state.peers[0].last_export_ms, Some(T0 + 2 * HOUR));

    let (_township_dir, mut township) = till(township, Lang::En, T0 + 3 * HOUR);
    open_sync(&mut township, stick.path());
    township.press(KeyPress::plain(KeyName::F(6)));
    let (tone, text) = status(&township);
    assert_eq!(
        tone,
        Tone::Good,
        "{text}: {:?}",
        township.model.sync.outcome
    );
    assert!(
        township.model.sync.outcome[0]
            .text
            .contains("new events from V001"),
        "{:?}",
        township.model.sync.outcome
    );
    assert_eq!(
        held(township.ledger(), "V001"),
        village_events,
        "the township holds exactly the village's events"
    );
    let state = township.model.sync.state.clone().expect("state");
    let consolidation = state.consolidation.expect("a township consolidates");
    assert_eq!(consolidation.villages.len(), 1);
    assert_eq!(consolidation.villages[0].households, 2);
    assert_eq!(
        consolidation.villages[0].events,
        village_events.len() as u64
    );

    // The same stick again: nothing new, nothing changed.
    township.press(KeyPress::plain(KeyName::F(6)));
    assert!(
        township.model.sync.outcome[0].text.contains("nothing new"),
        "{:?}",
        township.model.sync.outcome
    );
    assert_eq!(held(township.ledger(), "V001"), village_events);

    // The reply goes on the same stick; the village takes only the bundle addressed to it.
    township.press(KeyPress::plain(KeyName::F(5)));
    assert_eq!(status(&township).0, Tone::Good);
    assert_eq!(bundles_in(stick.path()).expect("stick").len(), 2);
    village.press(KeyPress::plain(KeyName::F(6)));
    let (tone, text) = status(&village);
    assert_eq!(tone, Tone::Good, "{text}: {:?}", village.model.sync.outcome);
    assert_eq!(village.model.sync.outcome.len(), 1, "one file for V001");
    let peer = PeerSync::load(&village.ledger().view().expect("view"), "T01").expect("peer");
    assert_eq!(
        peer.acked_seq,
        village_events.len() as u64,
        "the township acknowledged everything"
    );
}

#[test]
fn an_export_to_a_missing_folder_is_refused_in_one_line() {
    let (village, _township) = pair_with_work();
    let (_dir, mut app) = till(village, Lang::En, T0 + 2 * HOUR);
    open_sync(&mut app, Path::new("/nonexistent/usb"));
    app.press(KeyPress::plain(KeyName::F(5)));
    let (tone, text) = status(&app);
    assert_eq!(tone, Tone::Bad);
    assert!(text.contains("/nonexistent/usb"), "{text}");
    assert!(!text.contains('\n'));
    let peer = PeerSync::load(&app.ledger().view().expect("view"), "T01").expect("peer");
    assert_eq!(peer.last_export_ms, None, "nothing recorded");
}

#[test]
fn in_monitor_mode_the_sync_screen_writes_nothing() {
    let (village, township) = pair_with_work();
    let stick = tempfile::tempdir().expect("stick");
    // Something for the village to import, so an import would change its ledger.
    let reply = township.export(T0 + HOUR);
    std::fs::write(stick.path().join(&reply[0].file_name), &reply[0].bytes).expect("write");
    let (_dir, mut app) = till(village, Lang::Zh, T0 + 2 * HOUR);
    let before = app
        .ledger()
        .view()
        .expect("view")
        .require_meta()
        .expect("meta");
    app.press(KeyPress::plain(KeyName::F(9)));
    assert_eq!(app.model.access, Access::Monitor);
    open_sync(&mut app, stick.path());
    assert!(
        app.model.sync.state.is_some(),
        "the state view works in monitor mode"
    );
    for k in [KeyName::F(5), KeyName::F(6)] {
        app.press(KeyPress::plain(k));
        assert_eq!(status(&app).0, Tone::Bad);
    }
    app.press(KeyPress::ctrl('s'));
    app.press(KeyPress::ctrl('l'));
    assert_eq!(
        bundles_in(stick.path()).expect("stick").len(),
        1,
        "no bundle written"
    );
    let view = app.ledger().view().expect("view");
    assert_eq!(view.require_meta().expect("meta"), before);
    let peer = PeerSync::load(&view, "T01").expect("peer");
    assert_eq!((peer.last_export_ms, peer.last_import_ms), (None, None));
    drop(view);
    assert!(held(app.ledger(), "T01").is_empty(), "nothing imported");
}
