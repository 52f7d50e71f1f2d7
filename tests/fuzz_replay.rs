//! The fuzz targets' inputs, replayed on stable in every `cargo test`: each file of the small
//! committed corpus (`fuzz/corpus/<target>/`) and every minimised crash the fuzzers found
//! (`fuzz/artifacts/<target>/`) goes through the very check its target runs
//! (`fuzz/src/checks.rs`, included here by path). A crash fixed stays fixed.
//!
//! `cargo test --test fuzz_replay -- --ignored write_seed_corpus` writes the seed corpus again
//! (real bundles, payloads, CSV files, policies and keymaps); see `docs/fuzzing.md`.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::DAY_MS;
use aixin::domain::{Command, HouseholdRef};
use aixin::store::Ledger;
use aixin::sync::bundle::read_bundle;
use aixin::sync::exchange::export_bundles;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Runs every committed input of `target` through `check`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let mut files = Vec::new();
    for kind in ["corpus", "artifacts"] {
        let dir = fuzz_dir().join(kind).join(target);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    files.sort();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(
            outcome.is_ok(),
            "{target}: {} fails its check",
            file.display()
        );
    }
    assert!(!files.is_empty(), "{target} has a committed corpus");
    files.len()
}

#[test]
fn bundle_reader_corpus_and_crashes() {
    replay("bundle_reader", checks::bundle_reader);
}

#[test]
fn payload_corpus_and_crashes() {
    replay("payload", checks::payload);
}

#[test]
fn csv_import_corpus_and_crashes() {
    replay("csv_import", checks::csv_import);
}

#[test]
fn sheet_import_corpus_and_crashes() {
    replay("sheet_import", checks::sheet_import);
}

#[test]
fn policy_corpus_and_crashes() {
    replay("policy", checks::policy);
}

#[test]
fn keymap_corpus_and_crashes() {
    replay("keymap", checks::keymap);
}

fn write_seed(target: &str, name: &str, bytes: &[u8]) {
    let dir = fuzz_dir().join("corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus dir");
    std::fs::write(dir.join(name), bytes).expect("write seed");
}

/// A village (the fixed test keys) with one of each kind of event, and the bundle it exports
/// to its township.
fn village_bundle() -> Vec<u8> {
    let keys = checks::keys();
    let mut village = Ledger::create_with_backend(checks::Memory::default()).expect("ledger");
    let policy = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("parses");
    let public = keys.township.public(checks::TOWNSHIP);
    let mut setup = vec![
        Command::Init {
            station_id: checks::VILLAGE.into(),
            name: "李家村".into(),
            role: StationRole::Village,
            policy,
        },
        Command::EnrollStation {
            station_id: checks::TOWNSHIP.into(),
            role: StationRole::Township,
            verifying_key: public.verifying,
            age_recipient: public.age_recipient,
        },
        Command::DefineGoods {
            goods: Goods {
                goods_id: "G1".into(),
                name: "大米".into(),
                unit: "袋".into(),
                barcode: "6901234567892".into(),
                price_points: 10,
                zone: Zone::Points(10),
                category: "粮油".into(),
                supplier: "县供销社".into(),
            },
        },
        Command::ReceiveStock {
            goods_id: "G1".into(),
            quantity: 20,
            source: StockSource::Donation {
                donor: "县农商银行".into(),
            },
        },
    ];
    setup.push(Command::RegisterHousehold {
        household: Household {
            household_id: "H1".into(),
            card_no: "LJ0001".into(),
            head: "张三".into(),
            members: vec!["李梅".into()],
            group: "一组".into(),
            phone: "13800001234".into(),
            registered_poor: true,
        },
    });
    let start = checks::NOW_MS - 40 * DAY_MS;
    village
        .execute_batch("管理员", start, &setup)
        .expect("setup");
    let score = Command::EnterScore {
        household_id: "H1".into(),
        period: "2026-01".into(),
        score: 95,
        note: "院落整洁".into(),
    };
    let scored = village
        .execute("管理员", start + DAY_MS, &score)
        .expect("score");
    let confirm = Command::ConfirmAward {
        award_seq: scored[0].seq,
    };
    village
        .execute("管理员", start + 9 * DAY_MS, &confirm)
        .expect("confirm");
    let sale = Command::Redeem {
        household: HouseholdRef::Card("LJ0001".into()),
        lines: vec![("G1".into(), 2)],
        proxy: Some("王书记".into()),
    };
    let sold = village
        .execute("管理员", start + 10 * DAY_MS, &sale)
        .expect("sale");
    let void = Command::VoidSale {
        sale_seq: sold[0].seq,
        reason: "拿错了".into(),
    };
    village
        .execute("管理员", start + 10 * DAY_MS, &void)
        .expect("void");
    let bundles = export_bundles(&village, &keys.village, checks::NOW_MS, None).expect("export");
    bundles.into_iter().next().expect("one bundle").bytes
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus; run by hand"]
fn write_seed_corpus() {
    let keys = checks::keys();
    let bundle = village_bundle();
    write_seed("bundle_reader", "seed-village-bundle", &bundle);
    let mut sealed = vec![1u8];
    sealed.extend_from_slice(&1u64.to_le_bytes());
    sealed.extend_from_slice(&9u64.to_le_bytes());
    sealed.extend_from_slice(&checks::NOW_MS.to_le_bytes());
    sealed.extend_from_slice("事件".as_bytes());
    write_seed("bundle_reader", "seed-sealed", &sealed);

    let village_key = keys.village.public(checks::VILLAGE).verifying;
    let trusted = |id: &str| (id == checks::VILLAGE).then_some(village_key);
    let (_, payload) = read_bundle(&bundle, &trusted, &keys.township).expect("read back");
    write_seed("payload", "seed-village-events", &payload);
    let (ack, events) = aixin::sync::payload::decode_payload(&payload).expect("payload");
    let first: Vec<([u8; 32], Vec<u8>)> = events
        .iter()
        .take(1)
        .map(|b| ([0; 32], b.to_vec()))
        .collect();
    let init_only = aixin::sync::payload::encode_payload(&ack, &first).expect("encode");
    write_seed("payload", "seed-init-only", &init_only);

    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    for (name, file) in [("households", "households.csv"), ("goods", "goods.csv")] {
        let text = std::fs::read_to_string(demo.join(file)).expect("demo csv");
        let head: Vec<&str> = text.lines().take(6).collect();
        write_seed(
            "csv_import",
            &format!("seed-{name}"),
            head.join("\n").as_bytes(),
        );
    }
    write_seed(
        "csv_import",
        "seed-scores",
        "household_id,period,score,note\r\nH001,2026-03,95,院落整洁\r\nH002,2026-03,82,\r\n"
            .as_bytes(),
    );

    // The sample sheets a clerk starts from, as workbooks and CSV, and one in GBK.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    for name in ["households", "goods", "scores"] {
        for ext in ["xlsx", "csv"] {
            let file = samples.join(format!("{name}.{ext}"));
            let bytes = std::fs::read(&file).expect("sample sheet");
            write_seed("sheet_import", &format!("seed-{name}-{ext}"), &bytes);
        }
    }
    let scores = std::fs::read_to_string(samples.join("scores.csv")).expect("sample csv");
    let (gbk, _, _) = encoding_rs::GBK.encode(&scores);
    write_seed("sheet_import", "seed-scores-gbk-csv", &gbk);

    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/policies");
    for entry in std::fs::read_dir(policies).expect("policies") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        write_seed(
            "policy",
            &format!("seed-{name}"),
            &std::fs::read(&path).expect("policy"),
        );
    }

    let keymap = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/default.toml");
    write_seed(
        "keymap",
        "seed-default",
        &std::fs::read(keymap).expect("keymap"),
    );
    write_seed(
        "keymap",
        "seed-override",
        "[global]\nkeymap = [\n  { on = \"ctrl-g\", run = \"checkout\", desc_zh = \"结账\", desc_en = \"Check out\" },\n]\n"
            .as_bytes(),
    );
}
