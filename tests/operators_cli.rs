//! Operators through the real binary (PRODUCT.md, "Operators"): once a station has its first
//! manager, a write needs an operator and their PIN; without it, with a wrong one, or with a
//! monitor's, the write is refused and the ledger is exactly as it was. Until then writes work
//! as before and say how to create the manager. Who added whom is in the chain.

mod common;

use std::time::{Duration, Instant};

use common::cli::{
    add_manager, aixin_with, as_manager, head, json, ok, ok_with, refused_with, MANAGER,
    MANAGER_PIN, T0,
};

fn station(dir: &std::path::Path) {
    ok(
        dir,
        T0,
        &["init", "--station-id", "LJC01", "--name", "李家村"],
    );
}

const HOUSEHOLD: [&str; 8] = [
    "household",
    "add",
    "--id",
    "H1",
    "--card",
    "C1",
    "--head",
    "张三",
];

#[test]
fn until_the_first_manager_writes_work_and_say_how_to_create_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    let out = aixin_with(dir, T0, &HOUSEHOLD, &[]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("aixin operator add") && stderr.lines().count() == 1,
        "{stderr}"
    );
    add_manager(dir, T0);
    let list = json(dir, T0, &["operator", "list"]);
    assert_eq!(list["operators"][0]["name"], MANAGER);
    assert_eq!(list["operators"][0]["role"], "manager");
    assert_eq!(
        list["operators"][0]["added_by"], MANAGER,
        "the first manager creates themselves"
    );
}

#[test]
fn a_write_without_a_pin_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    add_manager(dir, T0);
    // No PIN at all (no terminal to ask either).
    refused_with(
        dir,
        T0,
        &HOUSEHOLD,
        &[("AIXIN_OPERATOR", MANAGER)],
        1,
        "AIXIN_PIN",
    );
    // No operator: the default name is not one of the station's.
    refused_with(
        dir,
        T0,
        &HOUSEHOLD,
        &[("AIXIN_PIN", MANAGER_PIN)],
        1,
        MANAGER,
    );
    // A wrong PIN.
    refused_with(
        dir,
        T0,
        &HOUSEHOLD,
        &[("AIXIN_OPERATOR", MANAGER), ("AIXIN_PIN", "1111")],
        1,
        "密码",
    );
    // The manager's own PIN writes.
    ok_with(dir, T0, &HOUSEHOLD, &as_manager());
    let log = json(dir, T0, &["log"]);
    let text = log.to_string();
    assert!(text.contains("household_registered"), "{text}");
}

#[test]
fn a_monitor_pin_cannot_write() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    add_manager(dir, T0);
    let mut env = as_manager().to_vec();
    env.push(("AIXIN_NEW_PIN", "5678"));
    ok_with(
        dir,
        T0,
        &["operator", "add", "李监督", "--role", "monitor"],
        &env,
    );
    let monitor = [("AIXIN_OPERATOR", "李监督"), ("AIXIN_PIN", "5678")];
    refused_with(dir, T0, &HOUSEHOLD, &monitor, 1, "监督员");
    refused_with(dir, T0, &["close-day"], &monitor, 1, "监督员");
    refused_with(
        dir,
        T0,
        &["operator", "add", "张三", "--role", "manager"],
        &[
            ("AIXIN_OPERATOR", "李监督"),
            ("AIXIN_PIN", "5678"),
            ("AIXIN_NEW_PIN", "1357"),
        ],
        1,
        "监督员",
    );
    refused_with(
        dir,
        T0,
        &["backup", "--to", dir.to_str().expect("path")],
        &[
            ("AIXIN_OPERATOR", "李监督"),
            ("AIXIN_PIN", "5678"),
            ("AIXIN_BACKUP_PASSPHRASE", "a long passphrase"),
        ],
        1,
        "监督员",
    );
    // A monitor may change their own PIN, not a manager's.
    refused_with(
        dir,
        T0,
        &["operator", "pin", MANAGER],
        &[
            ("AIXIN_OPERATOR", "李监督"),
            ("AIXIN_PIN", "5678"),
            ("AIXIN_NEW_PIN", "0000"),
        ],
        1,
        "监督员",
    );
    ok_with(
        dir,
        T0,
        &["operator", "pin", "李监督"],
        &[
            ("AIXIN_OPERATOR", "李监督"),
            ("AIXIN_PIN", "5678"),
            ("AIXIN_NEW_PIN", "9753"),
        ],
    );
    refused_with(
        dir,
        T0,
        &HOUSEHOLD,
        &[("AIXIN_OPERATOR", "李监督"), ("AIXIN_PIN", "5678")],
        1,
        "密码",
    );
}

#[test]
fn the_last_manager_stays_and_the_chain_says_who_did_what() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    add_manager(dir, T0);
    refused_with(
        dir,
        T0,
        &["operator", "remove", MANAGER],
        &as_manager(),
        1,
        "最后一个管理员",
    );
    refused_with(
        dir,
        T0,
        &["operator", "role", MANAGER, "--role", "monitor"],
        &as_manager(),
        1,
        "最后一个管理员",
    );
    let mut env = as_manager().to_vec();
    env.push(("AIXIN_NEW_PIN", "12"));
    refused_with(
        dir,
        T0,
        &["operator", "add", "李四", "--role", "manager"],
        &env,
        1,
        "密码",
    );
    env.pop();
    env.push(("AIXIN_NEW_PIN", "1212"));
    ok_with(
        dir,
        T0,
        &["operator", "add", "李四", "--role", "manager"],
        &env,
    );
    ok_with(
        dir,
        T0,
        &["operator", "remove", MANAGER],
        &[("AIXIN_OPERATOR", "李四"), ("AIXIN_PIN", "1212")],
    );
    let log = ok(dir, T0, &["--lang", "en", "log"]);
    assert!(log.contains("operator added: 王丽 (manager)"), "{log}");
    assert!(log.contains("operator added: 李四 (manager)"), "{log}");
    assert!(log.contains("operator removed: 王丽"), "{log}");
    let verify = json(dir, T0, &["verify"]);
    assert!(verify[0]["problems"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn init_can_create_the_first_manager_at_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let out = aixin_with(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村",
            "--manager",
            MANAGER,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "no PIN, no station");
    assert!(!dir.join("ledger.redb").exists());
    ok_with(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村",
            "--manager",
            MANAGER,
        ],
        &[("AIXIN_PIN", MANAGER_PIN)],
    );
    let list = json(dir, T0, &["operator", "list"]);
    assert_eq!(list["operators"][0]["name"], MANAGER);
    assert_eq!(
        head(dir).0,
        3,
        "the station, its policy's score sheet and its manager"
    );
    refused_with(dir, T0, &HOUSEHOLD, &[], 1, MANAGER);
    ok_with(dir, T0, &HOUSEHOLD, &as_manager());
}

#[test]
fn wrong_pins_in_a_row_slow_the_next_try() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    add_manager(dir, T0);
    let wrong = [("AIXIN_OPERATOR", MANAGER), ("AIXIN_PIN", "0000")];
    for _ in 0..3 {
        refused_with(dir, T0, &HOUSEHOLD, &wrong, 1, "密码");
    }
    // The fourth try waits a second before the PIN is checked, right or wrong.
    let start = Instant::now();
    let out = aixin_with(dir, T0, &HOUSEHOLD, &as_manager());
    assert!(out.status.success());
    assert!(start.elapsed() >= Duration::from_millis(1_000));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("连续输错 3 次"), "{stderr}");
    // A right PIN resets the count: the next write does not wait.
    let out = aixin_with(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H2",
            "--card",
            "C2",
            "--head",
            "李四",
        ],
        &as_manager(),
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

/// A sheet import writes like any other command: at a station with operators it needs one and
/// their PIN, and without them the ledger is as it was.
#[test]
fn a_sheet_import_needs_an_operator_and_pin_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    station(dir);
    add_manager(dir, T0);
    let sheet = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/field/households-fullwidth.csv");
    let sheet = sheet.to_str().expect("path");
    let import = ["household", "import", sheet];
    refused_with(
        dir,
        T0,
        &import,
        &[("AIXIN_OPERATOR", MANAGER)],
        1,
        "AIXIN_PIN",
    );
    refused_with(
        dir,
        T0,
        &import,
        &[("AIXIN_OPERATOR", MANAGER), ("AIXIN_PIN", "1111")],
        1,
        "密码",
    );
    ok_with(dir, T0, &import, &as_manager());
    let log = json(dir, T0, &["log"]).to_string();
    assert!(log.contains("household_registered"), "{log}");
    assert!(
        log.contains(&format!("\"operator\":\"{MANAGER}\"")),
        "{log}"
    );
}
