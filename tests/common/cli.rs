//! The command line's fixtures: run the real `aixin` binary on a temp data dir at a chosen
//! time (RFC 3339 strings), read the ledger's head to prove a refusal changed nothing, and set
//! up a one-household shop.

use std::path::Path;
use std::process::{Command, Output};

/// 2026-10-01T10:00 China time.
pub const T0: &str = "2026-10-01T02:00:00Z";

/// Runs `aixin --data-dir DIR ARGS…` with `AIXIN_NOW=now`.
pub fn aixin(dir: &Path, now: &str, args: &[&str]) -> Output {
    aixin_with(dir, now, args, &[])
}

/// The variables a run never inherits from the developer's shell: the tests set what they
/// mean (the operator, PINs and passphrase included).
const CLEARED_ENV: [&str; 7] = [
    "AIXIN_LANG",
    "AIXIN_DATA_DIR",
    "AIXIN_OPERATOR",
    "AIXIN_PIN",
    "AIXIN_NEW_PIN",
    "AIXIN_BACKUP_PASSPHRASE",
    "AIXIN_CONFIG_DIR",
];

/// Runs `aixin --data-dir DIR ARGS…` with `AIXIN_NOW=now` and the variables `env` (an
/// operator's `AIXIN_PIN`, a backup's `AIXIN_BACKUP_PASSPHRASE`…).
pub fn aixin_with(dir: &Path, now: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aixin"));
    command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("AIXIN_NOW", now);
    for name in CLEARED_ENV {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run aixin")
}

/// Runs with `env` and asserts success; returns stdout.
pub fn ok_with(dir: &Path, now: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = aixin_with(dir, now, args, env);
    assert!(
        out.status.success(),
        "aixin {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The manager the operator fixtures create, and their PIN.
pub const MANAGER: &str = "王丽";
/// The manager's PIN.
pub const MANAGER_PIN: &str = "2468";

/// Makes the station in `dir` one with operators: its first manager [`MANAGER`].
pub fn add_manager(dir: &Path, now: &str) {
    ok_with(
        dir,
        now,
        &["operator", "add", MANAGER, "--role", "manager"],
        &[("AIXIN_PIN", MANAGER_PIN)],
    );
}

/// The environment of the manager at the keyboard: their name and PIN.
pub fn as_manager() -> [(&'static str, &'static str); 2] {
    [("AIXIN_OPERATOR", MANAGER), ("AIXIN_PIN", MANAGER_PIN)]
}

/// Runs and asserts success; returns stdout.
pub fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = aixin(dir, now, args);
    assert!(
        out.status.success(),
        "aixin {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `--json` and parses stdout.
pub fn json(dir: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let text = ok(dir, now, &all);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The ledger's (event count, head hash) per `aixin verify --json`.
pub fn head(dir: &Path) -> (u64, String) {
    let v = json(dir, T0_LATE, &["verify"]);
    let first = &v[0];
    (
        first["events"].as_u64().unwrap_or(0),
        first["head_hash"].as_str().unwrap_or("").to_string(),
    )
}

/// A time after everything the tests write (verify does not write, so any time works).
pub const T0_LATE: &str = "2026-12-31T02:00:00Z";

/// Asserts a refusal: exit code, a message on stderr, and the ledger unchanged.
pub fn refused(dir: &Path, now: &str, args: &[&str], code: i32, needle: &str) -> String {
    refused_with(dir, now, args, &[], code, needle)
}

/// [`refused`] with the variables `env`.
pub fn refused_with(
    dir: &Path,
    now: &str,
    args: &[&str],
    env: &[(&str, &str)],
    code: i32,
    needle: &str,
) -> String {
    let before = head(dir);
    let out = aixin_with(dir, now, args, env);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "aixin {args:?}: expected exit {code}, stderr: {stderr}"
    );
    assert!(
        stderr.starts_with("aixin: "),
        "message must start with 'aixin: ': {stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one-line message expected: {stderr}"
    );
    assert!(
        stderr.contains(needle),
        "aixin {args:?}: stderr {stderr:?} should mention {needle:?}"
    );
    assert_eq!(
        head(dir),
        before,
        "aixin {args:?} was refused but changed the ledger"
    );
    stderr
}

/// Writes a file in the dir and returns its path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path.to_string_lossy().into_owned()
}

/// A one-household shop for tests that need points to spend: station V1 on `policy`, household
/// H1 (card C1), goods G1 at `price` points (zone `price`) with `stock` units, and H1 scored
/// `score` for `period` at T0 and confirmed at `confirm_at`.
pub fn one_household_shop(
    dir: &Path,
    policy: &str,
    price: u32,
    stock: u32,
    period: &str,
    score: i64,
    confirm_at: &str,
) {
    ok(
        dir,
        T0,
        &[
            "init",
            "--station-id",
            "V1",
            "--name",
            "村",
            "--policy",
            policy,
        ],
    );
    ok(
        dir,
        T0,
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
    );
    let price = price.to_string();
    ok(
        dir,
        T0,
        &[
            "goods", "add", "--id", "G1", "--name", "肥皂", "--price", &price, "--zone", &price,
        ],
    );
    ok(
        dir,
        T0,
        &[
            "stock",
            "receive",
            "G1",
            &stock.to_string(),
            "--donor",
            "县妇联",
        ],
    );
    ok(
        dir,
        T0,
        &["score", "enter", "H1", period, &score.to_string()],
    );
    ok(dir, confirm_at, &["award", "confirm", "--due"]);
}

/// The bundles (`.axb`) in `folder` whose file name starts with the sender's id `prefix`, in
/// name order: what an export wrote onto the stick for one sender.
pub fn bundles(folder: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("stick")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                && p.extension().is_some_and(|e| e == "axb")
        })
        .collect();
    files.sort();
    files
}

/// Enrolls a village (data dir `village`) and its township (`township`), both initialised,
/// with each other at `now`: the township checks the village's fingerprint.
pub fn enroll_each_other(village: &Path, township: &Path, now: &str) {
    let vk = json(village, now, &["keys", "show"]);
    let tk = json(township, now, &["keys", "show"]);
    ok(
        township,
        now,
        &[
            "station",
            "enroll",
            vk["key_line"].as_str().expect("line"),
            "--fingerprint",
            vk["fingerprint"].as_str().expect("fp"),
        ],
    );
    ok(
        village,
        now,
        &[
            "station",
            "enroll",
            tk["key_line"].as_str().expect("line"),
            "--township",
        ],
    );
}
