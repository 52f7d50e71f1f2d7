//! What each fuzz target checks, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`)
//! and by the replay test on stable (`tests/fuzz_replay.rs`), which runs every committed corpus
//! file and every minimised crash through the same function. A check panics only on a real
//! bug: a reader that panics or overflows, accepts what it must refuse, reads back other than
//! what was written, or leaves a ledger that `verify` finds unsound. Like redb's
//! `fuzz_redb.rs`, each check mirrors the operation in something simpler and compares.
//!
//! The targets: the bundle reader ([`bundle_reader`]), the payload decoder and the import of
//! what a signed peer sends ([`payload`]), the CSV importers ([`csv_import`]), the sheet
//! importer for whatever file a clerk brings — XLSX/XLS/ODS workbooks and CSV in UTF-8,
//! UTF-16 or GBK ([`sheet_import`]) — the policy loader ([`policy`]) and the keymap loader
//! ([`keymap`]).

use std::io::{Error, ErrorKind};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::{CivilDate, Moment, DAY_MS};
use aixin::domain::{Command, Event, HouseholdRef, Policy};
use aixin::i18n::Lang;
use aixin::store::{codec, Ledger};
use aixin::sync::bundle::{
    peek_header, read_bundle, verify_bundle, write_bundle, BundleHeader, BundleKind,
};
use aixin::sync::exchange::{import_bundle, ImportOutcome};
use aixin::sync::keys::StationKeys;
use aixin::sync::payload::{decode_payload, encode_payload};
use aixin::tui::keymap::{self, Keymap};
use redb::StorageBackend;

/// The village's test keys (fuzzing only; never a real station's).
const VILLAGE_SIGNING: &str =
    "AIXIN-ED25519-SECRET-KEY-1:2436aec2e36df60467e418485ba14e49149fc18064c2b3fbaa2ad64810c21f6a\n";
const VILLAGE_AGE: &str =
    "AGE-SECRET-KEY-1KZ65WYMMT7M8DUD8UEECUAG3WLSE6WPFDCJWTRMPVZV0FYWAWEUQ6NRE0N\n";
/// The township's test keys.
const TOWNSHIP_SIGNING: &str =
    "AIXIN-ED25519-SECRET-KEY-1:da80b0ff96d67d9501837d1f3ff9219cb69c505be45c87d473065f45a45a30fa\n";
const TOWNSHIP_AGE: &str =
    "AGE-SECRET-KEY-19QV0AX3NLGPQUY5JXLCRD0937VXFTHGNH99EHN2RDPPK9UCQWL9QUY6P5R\n";

/// 2026-03-02 10:00 China time: when every check's ledger writes.
pub const NOW_MS: i64 = 1_772_416_800_000;
/// The village's and the township's station ids.
pub const VILLAGE: &str = "V001";
pub const TOWNSHIP: &str = "T01";
/// Rows of an accepted CSV actually committed (bounded time per input).
const CSV_ROWS_COMMITTED_MAX: usize = 500;

/// The two stations' keys, loaded once per process through the real key loader.
pub struct Keys {
    pub village: StationKeys,
    pub township: StationKeys,
}

/// The fixed test keys.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let load = |signing: &str, age: &str| {
            let dir = tempfile::tempdir().expect("temp dir");
            let keys = dir.path().join("keys");
            std::fs::create_dir_all(&keys).expect("keys dir");
            std::fs::write(keys.join("signing.key"), signing).expect("write key");
            std::fs::write(keys.join("age.key"), age).expect("write key");
            StationKeys::load(dir.path()).expect("the test keys load")
        };
        Keys {
            village: load(VILLAGE_SIGNING, VILLAGE_AGE),
            township: load(TOWNSHIP_SIGNING, TOWNSHIP_AGE),
        }
    })
}

/// A redb backend in memory whose clones share their bytes (a ledger reopens its clone after
/// a failed write).
#[derive(Clone, Debug, Default)]
pub struct Memory(Arc<Mutex<Vec<u8>>>);

impl Memory {
    fn bytes(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl StorageBackend for Memory {
    fn len(&self) -> Result<u64, Error> {
        Ok(self.bytes().len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), Error> {
        let bytes = self.bytes();
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let slice = bytes
            .get(start..start + out.len())
            .ok_or_else(|| Error::from(ErrorKind::UnexpectedEof))?;
        out.copy_from_slice(slice);
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), Error> {
        let len = usize::try_from(len).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        self.bytes().resize(len, 0);
        Ok(())
    }

    fn sync_data(&self) -> Result<(), Error> {
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let mut bytes = self.bytes();
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        if bytes.len() < start + data.len() {
            bytes.resize(start + data.len(), 0);
        }
        bytes[start..start + data.len()].copy_from_slice(data);
        Ok(())
    }
}

/// A new ledger in memory, initialised as `station` with `role` and `policy`.
fn station(station: &str, role: StationRole, policy: Policy) -> Option<Ledger> {
    let mut ledger = Ledger::create_with_backend(Memory::default()).expect("ledger in memory");
    let init = Command::Init {
        station_id: station.into(),
        name: format!("{station} 站"),
        role,
        policy,
    };
    ledger.execute("fuzz", NOW_MS, &init).ok()?;
    Some(ledger)
}

fn shipped_policy(name: &str) -> Policy {
    aixin::policies::builtin(name)
        .expect("shipped policy")
        .expect("shipped policy parses")
}

fn enroll(ledger: &mut Ledger, id: &str, role: StationRole, keys: &StationKeys) {
    let public = keys.public(id);
    let enroll = Command::EnrollStation {
        station_id: id.into(),
        role,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient,
    };
    ledger
        .execute("fuzz", NOW_MS, &enroll)
        .expect("enroll the peer");
}

/// Panics unless `verify` finds the ledger sound.
fn assert_sound(ledger: &Ledger, what: &str) {
    let reports = aixin::store::verify::verify_all(ledger)
        .unwrap_or_else(|e| panic!("{what}: verify could not run: {e}"));
    for report in reports {
        assert!(
            report.problems.is_empty(),
            "{what}: verify found {:?}",
            report.problems
        );
    }
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (i, b) in data.iter().skip(at).take(8).enumerate() {
        bytes[i] = *b;
    }
    u64::from_le_bytes(bytes)
}

/// The bundle reader. Any bytes: `peek_header`, `verify_bundle` and `read_bundle` refuse or
/// agree (a verified header is the peeked one; a read bundle verified). And, when the first
/// byte is odd, the rest as a payload under a header made of its first bytes: written, signed
/// and encrypted here, read back exactly, and refused once any one byte is changed.
pub fn bundle_reader(data: &[u8]) {
    let keys = keys();
    let village_key = keys.village.public(VILLAGE).verifying;
    let trusted = |id: &str| (id == VILLAGE).then_some(village_key);
    let peeked = peek_header(data);
    let verified = verify_bundle(data, &trusted);
    let read = read_bundle(data, &trusted, &keys.township);
    if let Ok(verified) = &verified {
        assert_eq!(
            peeked.as_ref().ok(),
            Some(&verified.header),
            "verified is peeked"
        );
    }
    if let Ok((header, _)) = &read {
        let verified = verified.as_ref().expect("a read bundle verifies");
        assert_eq!(&verified.header, header);
    }
    if peeked.is_err() {
        assert!(
            verified.is_err(),
            "a header that cannot be peeked cannot verify"
        );
    }

    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 || rest.len() < 24 {
        return;
    }
    let header = BundleHeader {
        sender: VILLAGE.into(),
        recipient: TOWNSHIP.into(),
        first_seq: u64_at(rest, 0) % 1_000_000_000_000_000,
        last_seq: u64_at(rest, 8) % 1_000_000_000_000_000,
        prev_head_hash: *blake3::hash(&rest[..16]).as_bytes(),
        created_ms: u64_at(rest, 16) as i64,
        event_count: u64::from(mode),
        kind: BundleKind::VillageEvents,
    };
    let payload = &rest[24..];
    let recipient = keys.township.public(TOWNSHIP).age_recipient;
    let Ok(bytes) = write_bundle(&header, payload, &keys.village, &recipient) else {
        return;
    };
    let (read_header, read_payload) =
        read_bundle(&bytes, &trusted, &keys.township).expect("a bundle just written reads back");
    assert_eq!(read_header, header);
    assert_eq!(read_payload, payload);
    let at = (u64_at(rest, 3) % bytes.len() as u64) as usize;
    let mut tampered = bytes;
    tampered[at] ^= 1 << (mode % 8);
    assert!(
        read_bundle(&tampered, &trusted, &keys.township).is_err(),
        "a bundle with byte {at} changed is refused"
    );
}

/// A township in memory that has enrolled the village, built once and copied per input.
fn township() -> Option<Ledger> {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    let image = IMAGE.get_or_init(|| {
        let memory = Memory::default();
        let mut ledger = Ledger::create_with_backend(memory.clone()).expect("ledger in memory");
        let init = Command::Init {
            station_id: TOWNSHIP.into(),
            name: "镇".into(),
            role: StationRole::Township,
            policy: shipped_policy("direct-points"),
        };
        ledger.execute("fuzz", NOW_MS, &init).expect("init");
        enroll(&mut ledger, VILLAGE, StationRole::Village, &keys().village);
        drop(ledger);
        let bytes = memory.bytes().clone();
        bytes
    });
    let memory = Memory(Arc::new(Mutex::new(image.clone())));
    Ledger::open_with_backend(memory).ok()
}

/// The payload decoder, and what a township does with a payload a signed village sends. Any
/// bytes: `decode_payload` refuses or splits them, and what it splits encodes back to the
/// same bytes. When the events decode, the payload is sealed in a
/// bundle from the village (header taken from the events) and imported by a township in
/// memory: refused, or applied with `verify` passing, and never a panic; an event spelled
/// other than its one encoding (the chain hashes bytes) is refused.
pub fn payload(data: &[u8]) {
    let Ok((ack, raw)) = decode_payload(data) else {
        return;
    };
    let framed: Vec<([u8; 32], Vec<u8>)> = raw.iter().map(|b| ([0; 32], b.to_vec())).collect();
    let again = encode_payload(&ack, &framed).expect("a decoded payload encodes");
    assert_eq!(again, data, "a payload has one encoding");
    let mut events = Vec::new();
    let mut canonical = true;
    for bytes in &raw {
        let Ok(event) = codec::decode::<Event>(bytes) else {
            return;
        };
        let again = codec::encode(&event).expect("a decoded event encodes");
        canonical &= again.as_slice() == *bytes;
        events.push(event);
    }
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return;
    };
    let header = BundleHeader {
        sender: VILLAGE.into(),
        recipient: TOWNSHIP.into(),
        first_seq: first.seq,
        last_seq: last.seq,
        prev_head_hash: first.prev_hash,
        created_ms: NOW_MS,
        event_count: events.len() as u64,
        kind: BundleKind::VillageEvents,
    };
    let keys = keys();
    let recipient = keys.township.public(TOWNSHIP).age_recipient;
    let Ok(bundle) = write_bundle(&header, data, &keys.village, &recipient) else {
        return;
    };
    let Some(mut township) = township() else {
        panic!("the township fixture opens");
    };
    let imported = import_bundle(
        &mut township,
        &keys.township,
        &bundle,
        "fuzz",
        Moment::at(NOW_MS),
    );
    if let Ok(ImportOutcome::Applied(_)) = imported {
        assert!(
            canonical,
            "an event spelled other than its one encoding is refused"
        );
        assert_sound(&township, "after importing a fuzzed payload");
    }
}

/// A village in memory with two households, two goods in stock and points to spend, for the
/// CSV importers' rows to be decided against.
fn village() -> Option<Ledger> {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    let image = IMAGE.get_or_init(|| {
        let memory = Memory::default();
        let mut ledger = Ledger::create_with_backend(memory.clone()).expect("ledger in memory");
        let mut setup = vec![Command::Init {
            station_id: VILLAGE.into(),
            name: "村".into(),
            role: StationRole::Village,
            policy: shipped_policy("direct-points"),
        }];
        for i in 1..=2 {
            setup.push(Command::RegisterHousehold {
                household: Household {
                    household_id: format!("H00{i}"),
                    card_no: format!("LJ000{i}"),
                    head: format!("户主{i}"),
                    members: vec![],
                    group: "一组".into(),
                    phone: format!("1380000000{i}"),
                    registered_poor: false,
                },
            });
            setup.push(Command::DefineGoods {
                goods: Goods {
                    goods_id: format!("G00{i}"),
                    name: format!("商品{i}"),
                    unit: "袋".into(),
                    barcode: format!("690123456789{i}"),
                    price_points: 5,
                    zone: Zone::Points(5),
                    category: "粮油".into(),
                    supplier: "县供销社".into(),
                },
            });
            setup.push(Command::ReceiveStock {
                goods_id: format!("G00{i}"),
                quantity: 10,
                source: StockSource::Donation {
                    donor: "县农商银行".into(),
                },
            });
        }
        ledger.execute_batch("fuzz", NOW_MS, &setup).expect("setup");
        drop(ledger);
        let bytes = memory.bytes().clone();
        bytes
    });
    let memory = Memory(Arc::new(Mutex::new(image.clone())));
    Ledger::open_with_backend(memory).ok()
}

/// The CSV importers (households, goods, scores). Any UTF-8 text, read by each: refused with
/// a line inside the file (or line 0, the file as a whole), or rows on increasing lines past the header; the rows of a small
/// file committed in one batch to a village in memory are refused whole or written whole,
/// with `verify` passing either way.
pub fn csv_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines end in LF, CRLF or a lone CR, as the importers count them.
    let bytes = text.as_bytes();
    let line_breaks = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    let line_count = line_breaks as u64 + 1;
    for parse in [
        aixin::import::parse_households,
        aixin::import::parse_goods,
        aixin::import::parse_scores,
    ] {
        let rows = match parse(text) {
            Ok(rows) => rows,
            Err(e) => {
                // Line 0 is the file as a whole (no header row, too many rows).
                assert!(
                    e.line <= line_count,
                    "a refusal names a line of the file: {e:?} of {line_count}"
                );
                let message = e.message(Lang::Zh);
                assert!(!message.contains('\n'), "one line: {message}");
                continue;
            }
        };
        let mut previous = 1;
        for (line, _) in &rows {
            assert!(
                *line > previous,
                "rows on increasing lines: {line} after {previous}"
            );
            previous = *line;
        }
        if rows.is_empty() || rows.len() > CSV_ROWS_COMMITTED_MAX {
            continue;
        }
        let Some(mut ledger) = village() else {
            panic!("the village fixture opens");
        };
        let before = ledger
            .view()
            .and_then(|v| v.require_meta())
            .map(|m| m.head_seq);
        let commands: Vec<Command> = rows.into_iter().map(|(_, c)| c).collect();
        let result = ledger.execute_batch("fuzz", NOW_MS + DAY_MS, &commands);
        let after = ledger
            .view()
            .and_then(|v| v.require_meta())
            .map(|m| m.head_seq);
        if result.is_err() {
            assert_eq!(before.ok(), after.ok(), "a refused batch writes nothing");
        }
        assert_sound(&ledger, "after a CSV import");
    }
}

/// The head of a ledger, for "unchanged" checks.
fn head_of(ledger: &Ledger) -> Option<u64> {
    ledger
        .view()
        .and_then(|v| v.require_meta())
        .map(|m| m.head_seq)
        .ok()
}

/// The sheet importer, as `aixin household|goods|score import FILE` runs it, on any bytes: a
/// workbook by its magic bytes (calamine), otherwise CSV text in UTF-8, UTF-16 or GBK. Read,
/// then imported as each kind into a village in memory ([`aixin::import::import_book`]):
/// refused with every problem on one line naming a row inside the file and the ledger
/// unchanged, or written; imported again, nothing more is written. `verify` passes throughout.
pub fn sheet_import(data: &[u8]) {
    use aixin::import::{import_book, reader, ImportError, Kind};
    let file = "fuzz.xlsx";
    let one_line = |message: String| {
        assert!(!message.contains(['\n', '\r']), "one line: {message}");
    };
    let book = match reader::from_bytes(data) {
        Ok(book) => book,
        Err(problem) => {
            one_line(problem.message(Lang::Zh, file));
            one_line(problem.message(Lang::En, file));
            return;
        }
    };
    let rows: usize = book.sheets.iter().map(|s| s.rows.len()).sum();
    if rows > CSV_ROWS_COMMITTED_MAX {
        return;
    }
    let moment = Moment::at(NOW_MS + DAY_MS);
    for kind in [Kind::Households, Kind::Goods, Kind::Scores] {
        let Some(mut ledger) = village() else {
            panic!("the village fixture opens");
        };
        let before = head_of(&ledger);
        match import_book(&mut ledger, "fuzz", &moment, kind, &book) {
            Ok(outcome) => {
                let after = head_of(&ledger);
                assert_eq!(
                    outcome.imported == 0,
                    before == after,
                    "{kind:?}: {} rows said imported, head {before:?} to {after:?}",
                    outcome.imported
                );
                let again = import_book(&mut ledger, "fuzz", &moment, kind, &book);
                if let Ok(outcome) = &again {
                    assert_eq!(outcome.imported, 0, "{kind:?}: a file imported twice");
                }
                assert_eq!(
                    head_of(&ledger),
                    after,
                    "{kind:?}: imported twice, written once"
                );
            }
            Err(e) => {
                assert_eq!(
                    head_of(&ledger),
                    before,
                    "{kind:?}: a refused file writes nothing"
                );
                let problems: Vec<_> = match &e {
                    ImportError::Unusable(p) => vec![p],
                    ImportError::Rows { problems, .. } => problems.iter().collect(),
                    ImportError::Store(store) => panic!("{kind:?}: the ledger failed: {store}"),
                };
                assert!(
                    !problems.is_empty(),
                    "{kind:?}: a refusal names its problems"
                );
                let last_row = book
                    .sheets
                    .iter()
                    .filter_map(|s| s.rows.last().map(|r| r.number))
                    .max()
                    .unwrap_or(0);
                for p in problems {
                    assert!(
                        p.row <= last_row,
                        "{kind:?}: a problem names a row of the file (last {last_row}): {p:?}"
                    );
                    one_line(p.message(Lang::Zh, file));
                    one_line(p.message(Lang::En, file));
                }
            }
        }
        assert_sound(&ledger, "after a sheet import");
    }
}

/// The policy loader. Any UTF-8 text: refused, or a policy that reads back the same from its
/// own TOML, and that a village can run: initialised with it, two households scored at its
/// lowest and highest scores for today's period, awards confirmed after publicity, points
/// spent, a year cleared — every command decided, refused or written, and `verify` passing.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_toml(text) else {
        return;
    };
    assert_eq!(
        Policy::from_toml(&policy.to_toml()).as_ref(),
        Ok(&policy),
        "a policy reads back from its own TOML"
    );
    let Some(mut ledger) = station(VILLAGE, StationRole::Village, policy.clone()) else {
        return;
    };
    let today = CivilDate::from_utc_ms(NOW_MS);
    let period = today.period(policy.period).0;
    let mut commands = Vec::new();
    for (i, score) in [(1, policy.score_min), (2, policy.score_max)] {
        commands.push(Command::RegisterHousehold {
            household: Household {
                household_id: format!("H{i}"),
                card_no: format!("C{i}"),
                head: format!("户主{i}"),
                members: vec![],
                group: "一组".into(),
                phone: String::new(),
                registered_poor: false,
            },
        });
        commands.push(Command::EnterScore {
            household_id: format!("H{i}"),
            period: period.clone(),
            score,
            note: String::new(),
        });
    }
    for command in &commands {
        let _ = ledger.execute("fuzz", NOW_MS, command);
    }
    let publicity_ms = i64::from(policy.publicity_days.min(3_650)) * DAY_MS;
    let later = NOW_MS + publicity_ms + DAY_MS;
    let moment = Moment::confirmed(later, CivilDate::from_utc_ms(later));
    let awards = ledger.view().and_then(|v| v.awards()).unwrap_or_default();
    let mut more: Vec<Command> = awards
        .iter()
        .map(|a| Command::ConfirmAward { award_seq: a.seq })
        .collect();
    more.push(Command::DefineGoods {
        goods: Goods {
            goods_id: "G1".into(),
            name: "米".into(),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: 2,
            zone: Zone::Points(policy.zones.first().copied().unwrap_or(2)),
            category: "粮油".into(),
            supplier: "县供销社".into(),
        },
    });
    more.push(Command::ReceiveStock {
        goods_id: "G1".into(),
        quantity: 10,
        source: StockSource::Donation {
            donor: "县农商银行".into(),
        },
    });
    more.push(Command::Redeem {
        household: HouseholdRef::Id("H2".into()),
        lines: vec![("G1".into(), 1)],
        proxy: None,
    });
    more.push(Command::ClearYear { year: today.year });
    for command in &more {
        let _ = ledger.execute_at("fuzz", &moment, command);
    }
    let next_year = CivilDate::from_utc_ms(later).year;
    let _ = ledger.execute_at(
        "fuzz",
        &moment,
        &Command::ClearYear {
            year: next_year - 1,
        },
    );
    assert_sound(&ledger, "after running a fuzzed policy");
}

/// The keymap loader. Any UTF-8 text as a user's `keymap.toml`: refused with a line inside
/// the file, or bindings in normal form that, laid over the shipped keymap, are what a key
/// press looks up; the merged keymap then draws the till at 80×24 and 40×12 in both
/// languages (hint lines come from it).
pub fn keymap(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("keymap.toml");
    let bindings = match keymap::parse(text, path) {
        Ok(bindings) => bindings,
        Err(e) => {
            let lines = text.lines().count().max(1);
            assert!(
                e.line <= lines + 1,
                "a refusal names a line: {e:?} of {lines}"
            );
            return;
        }
    };
    let keymap =
        Keymap::with_override(text, path).expect("a parsed keymap lays over the shipped one");
    for (context, binding) in &bindings {
        assert_eq!(
            binding.key,
            binding.key.normalized(),
            "keys are kept normalized"
        );
        assert_eq!(
            keymap.action(*context, binding.key),
            Some(binding.action),
            "the user's binding of {} in {context:?} is the one looked up",
            binding.key.label()
        );
    }
    draw_till(&keymap);
}

/// Draws a till on the shipped village fixture with `keymap`.
fn draw_till(keymap: &Keymap) {
    static DATA: OnceLock<aixin::tui::data::Data> = OnceLock::new();
    let data = DATA.get_or_init(|| {
        let ledger = village().expect("the village fixture opens");
        let view = ledger.view().expect("view");
        aixin::tui::data::Data::load(&view).expect("the till's data loads")
    });
    for lang in [Lang::Zh, Lang::En] {
        let model = aixin::tui::Model::new(
            data.clone(),
            lang,
            "fuzz",
            aixin::tui::Access::Till,
            keymap.clone(),
            NOW_MS,
        );
        for (width, height) in [(80, 24), (40, 12)] {
            let backend = ratatui::backend::TestBackend::new(width, height);
            let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
            terminal
                .draw(|frame| aixin::tui::view(&model, frame))
                .expect("draw");
        }
    }
}
