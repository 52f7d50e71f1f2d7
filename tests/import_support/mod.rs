//! Helpers shared by the import tests: fixture and sample paths, a fresh station, a household
//! as `household show` reports it, and a refused import checked to leave the ledger unchanged.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::common::cli::{aixin, head, json, ok, T0};

/// A file under `tests/fixtures/<folder>/`.
pub fn fixture(folder: &str, name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A sample sheet under `data/samples/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/samples")
        .join(name)
}

/// A path as an argument.
pub fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A new village station `id` (threshold-score policy) in a temp dir, created at T0.
pub fn station(id: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    ok(
        tmp.path(),
        T0,
        &["init", "--station-id", id, "--name", "李家村爱心超市"],
    );
    tmp
}

/// Registers a household from the command line.
pub fn add_household(dir: &Path, id: &str, card: &str, head: &str) {
    ok(
        dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            id,
            "--card",
            card,
            "--head",
            head,
        ],
    );
}

/// A household's file as `household show` reports it, by id or card.
pub fn household(dir: &Path, who: &str) -> serde_json::Value {
    json(dir, T0, &["household", "show", who])["household"]["household"].clone()
}

/// Runs a refused import: the exit code, a message on stderr, the ledger unchanged.
pub fn refused_import(dir: &Path, args: &[&str], code: i32) -> String {
    let before = head(dir);
    let out = aixin(dir, T0, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.starts_with("aixin: "), "{stderr}");
    assert_eq!(
        head(dir),
        before,
        "{args:?} was refused but changed the ledger"
    );
    stderr
}
