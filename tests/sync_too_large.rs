//! A bundle file over the size limit is refused before a byte of it is read, with a one-line
//! message, and the ledger is unchanged. The file is sparse, so the test costs no disk.

mod common;

use common::cli::{ok, refused, T0};

#[test]
fn an_oversized_bundle_is_refused_unread() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("town");
    ok(
        &dir,
        T0,
        &[
            "init",
            "--station-id",
            "TS01",
            "--name",
            "镇",
            "--role",
            "township",
        ],
    );
    let file = tmp
        .path()
        .join("V001-000000000001-000000000009-00000000.axb");
    let sparse = std::fs::File::create(&file).expect("create");
    sparse
        .set_len(aixin::sync::bundle::BUNDLE_BYTES_MAX + 1)
        .expect("set_len");
    refused(&dir, T0, &["import", &file.to_string_lossy()], 1, "256 MiB");
}
