//! Backups through the real binary (PRODUCT.md, "Backups are one encrypted file"): one file
//! with the ledger and the keys, encrypted with a passphrase, read back and checked; restored
//! into an empty data dir it verifies with the same head, its operators can log in with their
//! PINs, and the station's keys are the same. A wrong passphrase, a short one, or a data dir
//! that holds anything is refused, and nothing is left half done.

mod common;

use std::path::Path;

use common::cli::{
    add_manager, aixin_with, as_manager, head, json, ok, ok_with, one_household_shop, T0, T0_LATE,
};

const PASSPHRASE: &str = "李家村 backup 2026";
/// The day after the shop's award was confirmed.
const T1: &str = "2026-10-10T02:00:00Z";

fn backup_env() -> Vec<(&'static str, &'static str)> {
    let mut env = as_manager().to_vec();
    env.push(("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE));
    env
}

fn the_backup(folder: &Path) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(folder)
        .expect("folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "aixbak"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn backup_restore_verify_keeps_the_head_keys_and_pins() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let station = tmp.path().join("station");
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).expect("stick");
    one_household_shop(
        &station,
        "threshold-score",
        5,
        10,
        "2026-09",
        90,
        "2026-10-09T02:00:00Z",
    );
    add_manager(&station, T1);
    ok_with(&station, T1, &["redeem", "C1", "G1:2"], &as_manager());
    let before = head(&station);

    let done = json_with(&station, &["backup", "--to", path(&stick)], &backup_env());
    assert_eq!(done["safe_to_remove"], true);
    assert_eq!(done["head_seq"].as_u64(), Some(before.0));
    assert_eq!(done["head_hash"].as_str(), Some(before.1.as_str()));
    assert_eq!(done["key_files"].as_array().map(Vec::len), Some(2));
    let file = the_backup(&stick);
    let bytes = std::fs::read(&file).expect("backup");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    assert!(
        !bytes.windows("张三".len()).any(|w| w == "张三".as_bytes()),
        "a lost stick reveals no household"
    );

    let restored = tmp.path().join("restored");
    ok_with(
        &restored,
        T1,
        &["restore", path(&file)],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(head(&restored), before, "verify passes with the same head");
    for key in ["keys/signing.key", "keys/age.key"] {
        assert_eq!(
            std::fs::read(restored.join(key)).expect("key"),
            std::fs::read(station.join(key)).expect("key"),
            "{key}"
        );
    }
    let keys = ok(&restored, T0_LATE, &["keys", "show"]);
    assert_eq!(keys, ok(&station, T0_LATE, &["keys", "show"]));
    // The operators and their PINs came along: the manager writes at the restored station.
    ok_with(
        &restored,
        T1,
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
    let balance = json(&restored, T0_LATE, &["balance", "C1"]);
    let original = json(&station, T0_LATE, &["balance", "C1"]);
    assert_eq!(balance["balance_points"], original["balance_points"]);
    // The sync screen's reminder reads when the backup was made.
    assert!(!std::fs::read_dir(&station)
        .expect("station")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with(".backup-")));
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn json_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let text = ok_with(dir, T1, &all, env);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn a_backup(tmp: &Path) -> std::path::PathBuf {
    let station = tmp.join("station");
    let stick = tmp.join("stick");
    std::fs::create_dir_all(&stick).expect("stick");
    ok(
        &station,
        T0,
        &["init", "--station-id", "LJC01", "--name", "李家村"],
    );
    add_manager(&station, T0);
    ok_with(
        &station,
        T0,
        &["backup", "--to", path(&stick)],
        &backup_env(),
    );
    the_backup(&stick)
}

fn refused(out: std::process::Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr} should say {needle}");
}

#[test]
fn a_wrong_passphrase_is_refused_and_restores_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = a_backup(tmp.path());
    let target = tmp.path().join("new");
    let out = aixin_with(
        &target,
        T0,
        &["restore", path(&file)],
        &[("AIXIN_BACKUP_PASSPHRASE", "not the passphrase")],
    );
    refused(out, 1, "口令不对");
    assert!(!target.exists(), "nothing restored");
    assert!(
        std::fs::read_dir(tmp.path())
            .expect("tmp")
            .filter_map(Result::ok)
            .all(|e| !e
                .file_name()
                .to_string_lossy()
                .starts_with(".aixin-restore")),
        "no half-restored folder left"
    );
    let out = aixin_with(&target, T0, &["restore", path(&file)], &[]);
    refused(out, 1, "AIXIN_BACKUP_PASSPHRASE");
}

#[test]
fn restore_into_a_data_dir_that_holds_anything_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = a_backup(tmp.path());
    let station = tmp.path().join("station");
    let before = head(&station);
    let out = aixin_with(
        &station,
        T0,
        &["restore", path(&file)],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    refused(out, 1, "已经有文件");
    assert_eq!(head(&station), before);
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).expect("dir");
    std::fs::write(other.join("notes.txt"), "村里的记录").expect("file");
    let out = aixin_with(
        &other,
        T0,
        &["--lang", "en", "restore", path(&file)],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    refused(out, 1, "not empty");
    assert!(!other.join("ledger.redb").exists());
    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).expect("dir");
    ok_with(
        &empty,
        T0,
        &["restore", path(&file)],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(head(&empty), before);
}

#[test]
fn a_short_passphrase_or_a_missing_folder_writes_no_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let station = tmp.path().join("station");
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).expect("stick");
    ok(
        &station,
        T0,
        &["init", "--station-id", "LJC01", "--name", "李家村"],
    );
    let out = aixin_with(
        &station,
        T0,
        &["backup", "--to", path(&stick)],
        &[("AIXIN_BACKUP_PASSPHRASE", "short")],
    );
    refused(out, 1, "口令太短");
    let out = aixin_with(
        &station,
        T0,
        &["backup", "--to", path(&tmp.path().join("no-stick"))],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    refused(out, 2, "不是文件夹");
    assert_eq!(std::fs::read_dir(&stick).expect("stick").count(), 0);
    // A damaged file is refused as one.
    let fake = tmp.path().join("fake.aixbak");
    std::fs::write(&fake, "age-encryption.org/v1\nnot really").expect("fake");
    let out = aixin_with(
        &tmp.path().join("r"),
        T0,
        &["restore", path(&fake)],
        &[("AIXIN_BACKUP_PASSPHRASE", PASSPHRASE)],
    );
    refused(out, 2, "损坏");
}
