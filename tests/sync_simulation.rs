//! A simulation of a township's villages over many rounds: each village does random work and
//! exports (sometimes in two bundles), the stick loses, duplicates and reorders bundles in
//! both directions, the township ships goods. After a final clean round the township holds
//! exactly every village's chain, once each, nothing is left held, every village's
//! acknowledged head matches what the township holds, and `verify` passes everywhere.

mod common;

use aixin::domain::{Command, StationRole};
use aixin::sync::exchange::{export_range, export_to, ImportOutcome};
use aixin::sync::files::{bundles_in, import_files, write_atomic, HELD_DIR};
use aixin::sync::peers::PeerSync;
use common::sync::*;

const VILLAGES: usize = 3;
const ROUNDS: i64 = 10;

fn work(rng: &mut Rng, village: &mut Station, now_ms: i64, counter: &mut u64) {
    for _ in 0..rng.below(4) {
        *counter += 1;
        let n = *counter;
        let command = match rng.below(4) {
            0 => household(&format!("H{n}")),
            1 => goods(&format!("VG{}", n % 5)),
            2 if village.stock("VG1") > 0 => Command::AdjustStock {
                goods_id: "VG1".into(),
                delta: -1,
                reason: "损耗".into(),
            },
            _ => {
                if village
                    .ledger
                    .view()
                    .and_then(|v| Ok(v.state().goods("VG1")?))
                    .ok()
                    .flatten()
                    .is_none()
                {
                    goods("VG1")
                } else {
                    donate("VG1", 1 + rng.below(5) as i64)
                }
            }
        };
        village.run(now_ms, command);
    }
}

/// Bundles a village writes this round: usually one, sometimes split in two.
fn village_bundles(rng: &mut Rng, village: &Station, now_ms: i64) -> Vec<(String, Vec<u8>)> {
    let view = village.ledger.view().expect("view");
    let entry = view.roster().expect("roster").remove(0);
    let peer = PeerSync::load(&view, "T01").expect("peer");
    let head = village.head();
    let all = export_to(&village.ledger, &village.keys, now_ms, &entry).expect("export");
    if rng.chance(40) && peer.acked_seq + 2 < head {
        let mid = peer.acked_seq + 1 + rng.below(head - peer.acked_seq - 1);
        let mid_hash = view.event_hash(mid).expect("hash").expect("held");
        let first = export_range(
            &village.ledger,
            &village.keys,
            now_ms,
            &entry,
            peer.acked_seq,
            peer.acked_hash,
            mid,
        )
        .expect("first");
        let second = export_range(
            &village.ledger,
            &village.keys,
            now_ms,
            &entry,
            mid,
            mid_hash,
            head,
        )
        .expect("second");
        return first
            .into_iter()
            .chain(second)
            .map(|b| (b.file_name, b.bytes))
            .collect();
    }
    all.into_iter().map(|b| (b.file_name, b.bytes)).collect()
}

/// Carries bundles with loss, duplication and reordering.
fn carry(rng: &mut Rng, bundles: Vec<(String, Vec<u8>)>, lossy: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for b in bundles {
        if lossy && rng.chance(25) {
            continue;
        }
        if lossy && rng.chance(20) {
            out.push(b.clone());
        }
        out.push(b);
    }
    if lossy {
        rng.shuffle(&mut out);
    }
    out
}

/// Imports the carried bundles; returns how many were held for a gap.
fn deliver(station: &mut Station, bundles: &[(String, Vec<u8>)], now_ms: i64) -> usize {
    let stick = tempfile::tempdir().expect("stick");
    let mut paths = Vec::new();
    for (i, (name, bytes)) in bundles.iter().enumerate() {
        let dir = stick.path().join(format!("{i:03}"));
        std::fs::create_dir_all(&dir).expect("dir");
        paths.push(write_atomic(&dir, name, bytes).expect("write"));
    }
    let data_dir = station.data_dir().to_path_buf();
    let mut gaps = 0;
    for outcome in import_files(
        &mut station.ledger,
        &station.keys,
        &data_dir,
        &paths,
        "测试",
        aixin::domain::time::Moment::at(now_ms),
    ) {
        assert!(
            outcome.result.is_ok(),
            "{:?}: {:?}",
            outcome.path,
            outcome.result
        );
        gaps += usize::from(matches!(outcome.result, Ok(ImportOutcome::Gap { .. })));
    }
    gaps
}

fn round(
    rng: &mut Rng,
    villages: &mut [Station],
    township: &mut Station,
    now_ms: i64,
    lossy: bool,
) -> usize {
    let mut up = Vec::new();
    for village in villages.iter() {
        up.extend(village_bundles(rng, village, now_ms));
    }
    let up = carry(rng, up, lossy);
    let gaps = deliver(township, &up, now_ms);
    let down: Vec<_> = township
        .export(now_ms)
        .into_iter()
        .map(|b| (b.header.recipient.clone(), (b.file_name, b.bytes)))
        .collect();
    for village in villages.iter_mut() {
        let mine: Vec<_> = down
            .iter()
            .filter(|(r, _)| *r == village.id)
            .map(|(_, b)| b.clone())
            .collect();
        let mine = carry(rng, mine, lossy);
        deliver(village, &mine, now_ms);
    }
    gaps
}

#[test]
fn lossy_duplicating_reordering_stick_converges() {
    let mut gaps = 0;
    for seed in [0x5eed_u64, 0xa1b2_c3d4, 42] {
        gaps += simulate(seed);
    }
    assert!(gaps > 0, "the simulation never produced a gap");
}

fn simulate(seed: u64) -> usize {
    let mut rng = Rng(seed);
    let mut township = Station::new("T01", StationRole::Township);
    let mut villages: Vec<Station> = (0..VILLAGES)
        .map(|i| Station::new(&format!("V{i:03}"), StationRole::Village))
        .collect();
    for village in villages.iter_mut() {
        township.enroll(village);
        village.enroll(&township);
    }
    township.run(T0, goods("G1"));
    township.run(T0, donate("G1", 1000));
    let mut counter = 0;
    let mut gaps = 0;
    let mut shipped = [0i64; VILLAGES];
    for r in 1..=ROUNDS {
        let now_ms = T0 + r * HOUR;
        for village in villages.iter_mut() {
            work(&mut rng, village, now_ms, &mut counter);
        }
        if rng.chance(50) {
            let i = rng.below(VILLAGES as u64) as usize;
            let quantity = 1 + rng.below(10) as i64;
            township.run(
                now_ms,
                Command::ShipGoods {
                    to_station: villages[i].id.clone(),
                    goods_id: "G1".into(),
                    quantity,
                },
            );
            shipped[i] += quantity;
        }
        gaps += round(&mut rng, &mut villages, &mut township, now_ms, true);
    }
    // One clean round to converge: everything not yet acknowledged is carried again.
    for extra in 1..=2 {
        round(
            &mut rng,
            &mut villages,
            &mut township,
            T0 + (ROUNDS + extra) * HOUR,
            false,
        );
    }
    assert!(
        bundles_in(&township.data_dir().join(HELD_DIR))
            .expect("held")
            .is_empty(),
        "seed {seed}: bundles left held"
    );
    let view = township.ledger.view().expect("view");
    for (i, village) in villages.iter().enumerate() {
        assert_eq!(
            township.held_events(&village.id),
            village.own_events(),
            "seed {seed}: {} differs",
            village.id
        );
        let peer = PeerSync::load(&village.ledger.view().expect("view"), "T01").expect("peer");
        let held = township
            .ledger
            .view_of(&village.id)
            .and_then(|v| v.require_meta())
            .expect("meta");
        assert_eq!(
            (peer.acked_seq, peer.acked_hash),
            (held.head_seq, held.head_hash),
            "seed {seed}: {} ack",
            village.id
        );
        assert_eq!(
            village.stock("G1"),
            shipped[i],
            "seed {seed}: {} shipments",
            village.id
        );
        assert_eq!(
            village.held_events("T01"),
            township.own_events(),
            "seed {seed}: township chain at {}",
            village.id
        );
        let township_peer = PeerSync::load(&view, &village.id).expect("peer");
        assert_eq!(township_peer.acked_seq, village.held("T01"));
        village.verify();
    }
    township.verify();
    gaps
}
