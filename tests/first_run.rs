//! A station set up as a new user sets it up can sync: the till's first-run screen makes the
//! station's keys as `aixin init` does, `aixin keys create` makes them for a station that has
//! none and never replaces them, station ids that sync cannot carry are refused at once with
//! the rule and an id suggested from the name, and a station that has such an id (made before
//! the rule) is told the real cause when it tries to sync.

mod common;

use std::path::Path;

use aixin::domain::Command;
use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::model::Screen;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use common::cli::{aixin, as_manager, json, ok, ok_with, refused, MANAGER, MANAGER_PIN};

/// 2026-03-02 10:00 China time.
const NOW: &str = "2026-03-02T10:00:00+08:00";
const NOW_MS: i64 = 1_772_416_800_000;

fn key_files(dir: &Path) -> Vec<Vec<u8>> {
    ["signing.key", "age.key"]
        .iter()
        .map(|f| std::fs::read(dir.join("keys").join(f)).unwrap_or_default())
        .collect()
}

/// The till's first-run screen on an empty data dir, as `aixin` opens it.
fn first_run_till(dir: &Path, lang: Lang) -> App {
    let ledger = Ledger::create(&dir.join("ledger.redb")).expect("create");
    App::new(
        ledger,
        lang,
        "管理员",
        Access::Till,
        dir.join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(NOW_MS),
    )
    .expect("app")
    .with_data_dir(dir.to_path_buf())
}

#[test]
fn a_station_set_up_at_the_tills_first_run_has_keys_and_syncs() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t, stick) = (
        root.path().join("village"),
        root.path().join("township"),
        root.path().join("usb"),
    );
    std::fs::create_dir_all(&v).expect("village dir");
    std::fs::create_dir_all(&stick).expect("stick");
    {
        let mut app = first_run_till(&v, Lang::Zh);
        assert_eq!(app.model.screen, Screen::Setup);
        // The natural thing to type first: a Chinese id. Refused at once, nothing written.
        app.type_text("李家村");
        app.press(KeyPress::plain(KeyName::Tab));
        app.type_text("李家村爱心超市");
        // The first manager is created with the station (role and policy keep their defaults).
        for _ in 0..3 {
            app.press(KeyPress::plain(KeyName::Tab));
        }
        app.type_text(MANAGER);
        app.press(KeyPress::plain(KeyName::Tab));
        app.type_text(MANAGER_PIN);
        app.press(KeyPress::plain(KeyName::Tab));
        app.type_text(MANAGER_PIN);
        app.press(KeyPress::plain(KeyName::F(5)));
        let status = app.model.status.clone().expect("status").text;
        assert!(
            status.contains("只能用英文字母、数字、- 和 _") && status.contains("LJC01"),
            "{status}"
        );
        assert_eq!(app.model.screen, Screen::Setup);
        assert!(app.ledger().station().is_empty(), "nothing was written");
        // The suggested id, typed with a Chinese input method's full-width letters.
        app.press(KeyPress::ctrl('u'));
        app.type_text("ＬＪＣ０１");
        app.press(KeyPress::plain(KeyName::F(5)));
        assert_eq!(app.model.screen, Screen::Till, "{:?}", app.model.status);
        assert_eq!(app.ledger().station(), "LJC01");
        assert_eq!(
            app.model.operator, MANAGER,
            "the first manager is logged in"
        );
        let status = app.model.status.clone().expect("status").text;
        assert!(status.contains("同步密钥已生成"), "{status}");
    }
    let keys = key_files(&v);
    assert!(keys.iter().all(|k| !k.is_empty()), "the keys are on disk");

    // `aixin init` then refuses (a ledger exists); `keys create` refuses (keys exist) and
    // changes nothing.
    refused(&v, NOW, &["keys", "create"], 1, "本站已有同步密钥");
    assert_eq!(key_files(&v), keys, "existing keys are never replaced");

    // The station syncs with a township like any other.
    ok(
        &t,
        NOW,
        &[
            "init",
            "--station-id",
            "CGZ01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    let vk = json(&v, NOW, &["keys", "show"]);
    let tk = json(&t, NOW, &["keys", "show"]);
    let line = |v: &serde_json::Value| v["key_line"].as_str().unwrap_or_default().to_string();
    ok(&t, NOW, &["station", "enroll", &line(&vk)]);
    // The village has its manager now: its writes need her name and PIN.
    ok_with(
        &v,
        NOW,
        &["station", "enroll", &line(&tk), "--township"],
        &as_manager(),
    );
    ok_with(
        &v,
        NOW,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "张三",
        ],
        &as_manager(),
    );
    let stick_arg = stick.to_string_lossy().into_owned();
    ok_with(&v, NOW, &["export", "--to", &stick_arg], &as_manager());
    let imported = aixin(&t, NOW, &["import", &stick_arg]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let stations = json(&t, NOW, &["station", "list"]);
    assert!(stations.to_string().contains("LJC01"), "{stations}");
}

#[test]
fn keys_create_makes_the_keys_of_a_station_that_has_none() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    // A station set up by the till before it made keys: a ledger, no keys/.
    {
        let mut ledger = Ledger::create(&dir.join("ledger.redb")).expect("create");
        let policy = aixin::policies::builtin("direct-points")
            .expect("shipped")
            .expect("policy");
        ledger
            .execute(
                "管理员",
                NOW_MS,
                &Command::Init {
                    station_id: "WZ01".into(),
                    name: "王庄".into(),
                    role: aixin::domain::StationRole::Village,
                    policy,
                },
            )
            .expect("init");
    }
    let out = aixin(dir, NOW, &["keys", "show"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aixin keys create"), "{stderr}");
    let init = aixin(
        dir,
        NOW,
        &["init", "--station-id", "WZ01", "--name", "王庄"],
    );
    assert_eq!(init.status.code(), Some(2), "init refuses: a ledger exists");

    let made = json(dir, NOW, &["keys", "create"]);
    assert_eq!(made["station_id"], "WZ01");
    let shown = json(dir, NOW, &["keys", "show"]);
    assert_eq!(shown["fingerprint"], made["fingerprint"]);
    let keys = key_files(dir);
    let again = aixin(dir, NOW, &["--lang", "en", "keys", "create"]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already has sync keys"), "{stderr}");
    assert_eq!(key_files(dir), keys, "never overwritten");
}

#[test]
fn init_refuses_an_id_sync_cannot_carry_and_suggests_one_from_the_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    for (id, needle) in [
        ("李家村", "LJC01"),
        ("LJ C01", "空格"),
        ("LJC.01", "只能用英文字母、数字、- 和 _"),
        ("", "站点编号不能为空"),
    ] {
        let out = aixin(
            dir,
            NOW,
            &["init", "--station-id", id, "--name", "李家村爱心超市"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{id}: {stderr}");
        assert!(
            stderr.contains(needle) && stderr.contains("例如 LJC01"),
            "{id}: {stderr}"
        );
        assert!(!dir.join("ledger.redb").exists(), "no ledger left behind");
        assert!(!dir.join("keys").exists(), "no keys left behind");
    }
    let out = aixin(dir, NOW, &["init", "--name", "城关镇"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CGZ01"), "{stderr}");
    let out = aixin(
        dir,
        NOW,
        &[
            "--lang",
            "en",
            "init",
            "--station-id",
            "李家村",
            "--name",
            "李家村爱心超市",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("only letters A-Z, digits, - and _") && stderr.contains("LJC01"),
        "{stderr}"
    );
    let made = json(
        dir,
        NOW,
        &[
            "init",
            "--station-id",
            "ｌｊｃ０１",
            "--name",
            "李家村爱心超市",
        ],
    );
    assert_eq!(made["station_id"], "ljc01", "full width is the ASCII id");
}

#[test]
fn a_station_whose_id_cannot_travel_is_told_the_real_cause() {
    let root = tempfile::tempdir().expect("tmp");
    let (v, t, stick) = (
        root.path().join("village"),
        root.path().join("township"),
        root.path().join("usb"),
    );
    std::fs::create_dir_all(&v).expect("village");
    std::fs::create_dir_all(&stick).expect("stick");
    // A ledger made before the id rule, with the id a clerk typed: 李家村. Today's domain refuses
    // such an id at `init`, so the ledger comes from a fixture written by the version before.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy/chinese-id/ledger.redb"),
        v.join("ledger.redb"),
    )
    .expect("copy the fixture");
    ok(&v, NOW, &["keys", "create"]);
    ok(
        &t,
        NOW,
        &[
            "init",
            "--station-id",
            "CGZ01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    // The township cannot enroll the village's key line: the message names the id.
    let line = json(&v, NOW, &["keys", "show"])["key_line"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let stderr = refused(&t, NOW, &["station", "enroll", &line], 2, "李家村");
    assert!(stderr.contains("不能用于同步"), "{stderr}");
    assert!(!stderr.contains("重新导出"), "{stderr}");
    // The village's export names its own id, never "ask the other side to re-export".
    let t_line = json(&t, NOW, &["keys", "show"])["key_line"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    ok(&v, NOW, &["station", "enroll", &t_line, "--township"]);
    let stick_arg = stick.to_string_lossy().into_owned();
    let stderr = refused(&v, NOW, &["export", "--to", &stick_arg], 1, "李家村");
    assert!(stderr.contains("不能写进同步数据包"), "{stderr}");
    assert!(!stderr.contains("请让对方重新导出"), "{stderr}");
    let out = aixin(&v, NOW, &["--lang", "en", "export", "--to", &stick_arg]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("station id '李家村' cannot travel in a sync bundle")
            && !stderr.contains("ask the sender"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&stick).map(|d| d.count()).unwrap_or(0),
        0,
        "nothing on the stick"
    );
}
