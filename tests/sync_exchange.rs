//! Library-level sync tests: the round trip with shipments and acknowledgements, replay,
//! overlap, gap-then-fill, fork, wrong recipient, unknown and revoked keys. Every refusal
//! leaves the ledger exactly as it was.

mod common;

use aixin::domain::time::Moment;

use aixin::domain::{Command, StationRole};
use aixin::sync::bundle::BundleError;
use aixin::sync::exchange::{export_range, export_to, ImportOutcome};
use aixin::sync::files::{bundles_in, import_files, write_atomic, HELD_DIR};
use aixin::sync::peers::PeerSync;
use aixin::sync::SyncError;
use common::sync::*;

fn applied(outcome: Result<ImportOutcome, SyncError>) -> aixin::sync::Applied {
    match outcome {
        Ok(ImportOutcome::Applied(a)) => a,
        other => panic!("expected applied, got {other:?}"),
    }
}

#[test]
fn round_trip_with_shipments_and_acks() {
    let (mut village, mut township) = pair();
    village.run(T0 + HOUR, household("H1"));
    village.run(T0 + HOUR, household("H2"));
    township.run(T0 + HOUR, goods("G1"));
    township.run(T0 + HOUR, donate("G1", 50));
    township.run(
        T0 + HOUR,
        Command::ShipGoods {
            to_station: "V001".into(),
            goods_id: "G1".into(),
            quantity: 20,
        },
    );
    assert_eq!(
        township.stock("G1"),
        30,
        "shipped stock leaves the township"
    );

    let up = village.export(T0 + 2 * HOUR);
    assert_eq!(up.len(), 1);
    let a = applied(township.import(&up[0].bytes, T0 + 3 * HOUR));
    assert_eq!(
        (a.sender.as_str(), a.new_events, a.held_seq),
        ("V001", 4, 4)
    );
    assert_eq!(township.held("V001"), village.head());

    let down = township.export(T0 + 3 * HOUR);
    assert_eq!(down.len(), 1);
    assert_eq!(down[0].header.recipient, "V001");
    let a = applied(village.import(&down[0].bytes, T0 + 4 * HOUR));
    assert_eq!(
        a.own_events.len(),
        2,
        "goods defined and stock received: {:?}",
        a.own_events
    );
    assert!(a.skipped.is_empty());
    assert_eq!(
        village.stock("G1"),
        20,
        "the shipment arrives in the village's stock"
    );
    assert_eq!(village.held("T01"), township.head());

    // The township acknowledged the village's four events: the next export starts at #5.
    let view = village.ledger.view().expect("view");
    let peer = PeerSync::load(&view, "T01").expect("peer");
    assert_eq!(peer.acked_seq, 4);
    assert!(peer.last_import_ms.is_some());
    drop(view);
    let up = village.export(T0 + 5 * HOUR);
    assert_eq!((up[0].header.first_seq, up[0].header.last_seq), (5, 6));
    applied(township.import(&up[0].bytes, T0 + 5 * HOUR));
    assert_eq!(
        township.held_events("V001"),
        village.own_events(),
        "the township holds exactly the village's chain"
    );

    // The reply now acknowledges #6 and carries nothing new for the village.
    let down = township.export(T0 + 6 * HOUR);
    assert_eq!(down[0].header.event_count, 0);
    applied(village.import(&down[0].bytes, T0 + 6 * HOUR));
    let peer = PeerSync::load(&village.ledger.view().expect("view"), "T01").expect("peer");
    assert_eq!(peer.acked_seq, 6);
    assert_eq!(village.own_events().len() as u64, village.head());
    village.verify();
    township.verify();
}

#[test]
fn catalog_policy_and_households_reach_the_village() {
    let (mut village, mut township) = pair();
    township.run(T0, goods("G7"));
    let policy = aixin::policies::builtin("threshold-score")
        .expect("builtin")
        .expect("policy");
    let name = policy.name.clone();
    township.run(
        T0,
        Command::IssuePolicy {
            to_station: "V001".into(),
            policy,
        },
    );
    if let Command::RegisterHousehold { household } = household("H9") {
        township.run(
            T0,
            Command::IssueHousehold {
                to_station: "V001".into(),
                household,
            },
        );
    }
    let down = township.export(T0 + HOUR);
    let a = applied(village.import(&down[0].bytes, T0 + HOUR));
    assert_eq!(a.own_events.len(), 3, "{:?}", a.own_events);
    let view = village.ledger.view().expect("view");
    assert!(view.state().goods("G7").expect("goods").is_some());
    assert!(view.state().household("H9").expect("household").is_some());
    assert_eq!(view.require_meta().expect("meta").policy.name, name);
    drop(view);
    // Importing the same reply again changes nothing: no second registration.
    let before = village.snapshot();
    assert!(matches!(
        village.import(&down[0].bytes, T0 + 2 * HOUR),
        Ok(ImportOutcome::NothingNew { .. })
    ));
    assert_eq!(village.snapshot(), before);
    village.verify();
}

#[test]
fn replay_and_overlap_change_nothing_the_second_time() {
    let (mut village, mut township) = pair();
    village.run(T0, household("H1"));
    let first = village.export(T0 + HOUR);
    applied(township.import(&first[0].bytes, T0 + HOUR));
    let before = township.snapshot();
    assert!(matches!(
        township.import(&first[0].bytes, T0 + 2 * HOUR),
        Ok(ImportOutcome::NothingNew { .. })
    ));
    assert_eq!(township.snapshot(), before, "replay changed the ledger");

    // No acknowledgement reached the village, so its next export overlaps the first.
    village.run(T0 + 2 * HOUR, household("H2"));
    village.run(T0 + 2 * HOUR, household("H3"));
    let second = village.export(T0 + 3 * HOUR);
    assert_eq!(second[0].header.first_seq, 1);
    let a = applied(township.import(&second[0].bytes, T0 + 3 * HOUR));
    assert_eq!(a.new_events, 2);
    // And the older, shorter bundle arriving late is a no-op.
    let before = township.snapshot();
    assert!(matches!(
        township.import(&first[0].bytes, T0 + 4 * HOUR),
        Ok(ImportOutcome::NothingNew { .. })
    ));
    assert_eq!(township.snapshot(), before);
    assert_eq!(township.held_events("V001"), village.own_events());
    township.verify();
}

#[test]
fn gap_is_held_then_applied_when_filled() {
    let (mut village, mut township) = pair();
    for i in 0..4 {
        village.run(T0, household(&format!("H{i}")));
    }
    let entry = village
        .ledger
        .view()
        .and_then(|v| v.roster())
        .expect("roster")
        .remove(0);
    let head = village.head();
    let early = export_range(&village.ledger, &village.keys, T0, &entry, 0, [0; 32], 3)
        .expect("export")
        .remove(0);
    let hash3 = village
        .ledger
        .view()
        .and_then(|v| v.event_hash(3))
        .expect("hash")
        .expect("held");
    let late = export_range(&village.ledger, &village.keys, T0, &entry, 3, hash3, head)
        .expect("export")
        .remove(0);
    let stick = tempfile::tempdir().expect("stick");
    let early_path = write_atomic(stick.path(), &early.file_name, &early.bytes).expect("write");
    let late_path = write_atomic(stick.path(), &late.file_name, &late.bytes).expect("write");

    let before = township.snapshot();
    let data_dir = township.data_dir().to_path_buf();
    let outcomes = import_files(
        &mut township.ledger,
        &township.keys,
        &data_dir,
        &[late_path],
        "测试",
        Moment::at(T0 + HOUR),
    );
    assert!(
        matches!(
            outcomes[0].result,
            Ok(ImportOutcome::Gap {
                held_seq: 0,
                first_seq: 4,
                ..
            })
        ),
        "{:?}",
        outcomes[0].result
    );
    assert_eq!(township.snapshot(), before, "a gap changes nothing");
    assert_eq!(bundles_in(&data_dir.join(HELD_DIR)).expect("held").len(), 1);

    let outcomes = import_files(
        &mut township.ledger,
        &township.keys,
        &data_dir,
        &[early_path],
        "测试",
        Moment::at(T0 + 2 * HOUR),
    );
    assert_eq!(
        outcomes.len(),
        2,
        "the held bundle is retried: {outcomes:?}"
    );
    assert!(outcomes[1].from_held && matches!(outcomes[1].result, Ok(ImportOutcome::Applied(_))));
    assert!(bundles_in(&data_dir.join(HELD_DIR))
        .expect("held")
        .is_empty());
    assert_eq!(township.held_events("V001"), village.own_events());
    township.verify();
}

#[test]
fn fork_after_restored_backup_is_refused_and_reported() {
    let (mut village, mut township) = pair();
    village.run(T0, household("H1"));
    applied(township.import(&village.export(T0)[0].bytes, T0));
    // Back up the village's ledger, then carry on and sync.
    let backup = tempfile::tempdir().expect("backup");
    let path = village.dir.path().join("ledger.redb");
    let Station {
        dir,
        ledger,
        keys,
        id,
        role,
    } = village;
    drop(ledger);
    std::fs::copy(&path, backup.path().join("ledger.redb")).expect("copy");
    let mut village = Station {
        ledger: aixin::store::Ledger::open(&path).expect("open"),
        dir,
        keys,
        id,
        role,
    };
    village.run(T0 + HOUR, household("H2"));
    applied(township.import(&village.export(T0 + HOUR)[0].bytes, T0 + HOUR));
    let fork_seq = village.head();

    // The laptop is restored from the backup and records something else at the same number.
    let restored_keys = aixin::sync::keys::StationKeys::load(village.data_dir()).expect("keys");
    let mut restored = Station {
        ledger: aixin::store::Ledger::open(&backup.path().join("ledger.redb"))
            .expect("open backup"),
        dir: backup,
        keys: restored_keys,
        id: "V001".into(),
        role: StationRole::Village,
    };
    restored.run(T0 + 2 * HOUR, household("H3"));
    let bundle = restored.export(T0 + 2 * HOUR).remove(0);
    let before = township.snapshot();
    match township.import(&bundle.bytes, T0 + 3 * HOUR) {
        Err(SyncError::Fork {
            station,
            seq,
            held,
            bundle: theirs,
        }) => {
            assert_eq!((station.as_str(), seq), ("V001", fork_seq));
            assert_ne!(held, theirs);
        }
        other => panic!("expected a fork, got {other:?}"),
    }
    assert_eq!(township.snapshot(), before);
    // Through the file layer the fork is kept with a note for a person to resolve.
    let stick = tempfile::tempdir().expect("stick");
    let file = write_atomic(stick.path(), &bundle.file_name, &bundle.bytes).expect("write");
    let data_dir = township.data_dir().to_path_buf();
    let outcomes = import_files(
        &mut township.ledger,
        &township.keys,
        &data_dir,
        &[file],
        "测试",
        Moment::at(T0 + 3 * HOUR),
    );
    assert!(matches!(outcomes[0].result, Err(SyncError::Fork { .. })));
    assert_eq!(
        township.snapshot(),
        before,
        "a kept-aside fork changes nothing"
    );
    let notes = aixin::sync::files::fork_notes(&data_dir);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].seq, fork_seq);
    let report = aixin::sync::township::consolidate(&township.ledger, &[], &notes, T0 + 3 * HOUR)
        .expect("consolidate");
    assert!(report
        .anomalies
        .iter()
        .any(|a| a.kind == aixin::sync::township::AnomalyKind::Fork));
}

#[test]
fn wrong_recipient_unknown_sender_and_wrong_kind_are_refused() {
    let (mut village, mut township) = pair();
    let mut other_township = Station::new("T02", StationRole::Township);
    other_township.enroll(&village);
    village.enroll(&other_township);
    let entry = village
        .ledger
        .view()
        .and_then(|v| v.roster())
        .expect("roster")
        .into_iter()
        .find(|e| e.station_id == "T02")
        .expect("T02");
    let for_t02 = export_to(&village.ledger, &village.keys, T0, &entry)
        .expect("export")
        .remove(0);
    let before = township.snapshot();
    assert!(matches!(
        township.import(&for_t02.bytes, T0),
        Err(SyncError::WrongRecipient { .. })
    ));
    assert_eq!(township.snapshot(), before);

    let stranger = Station::new("V999", StationRole::Village);
    let mut s2 = stranger;
    s2.enroll(&township);
    let from_stranger = s2.export(T0).remove(0);
    let refused = township.import(&from_stranger.bytes, T0);
    assert!(matches!(
        refused,
        Err(SyncError::Bundle(BundleError::UnknownSender(_)))
    ));
    // A flipped byte in the sender's id reads the same way, so the message does not only
    // invite the clerk to enroll a station nobody knows.
    let said = refused
        .err()
        .map(|e| e.message(aixin::i18n::Lang::Zh))
        .unwrap_or_default();
    assert!(
        said.contains("V999") && said.contains("可能已损坏") && said.contains("station enroll"),
        "{said}"
    );
    assert_eq!(township.snapshot(), before);

    // A village cannot import another village's bundle (nor its own).
    let own = aixin::sync::export_bundles(&village.ledger, &village.keys, T0, Some("T01"))
        .expect("export")
        .remove(0);
    let before = village.snapshot();
    assert!(village.import(&own.bytes, T0).is_err());
    assert_eq!(village.snapshot(), before);
}

#[test]
fn revoked_key_refuses_later_bundles_but_not_earlier_ones() {
    let (mut village, mut township) = pair();
    village.run(T0, household("H1"));
    let before_revocation = village.export(T0 + HOUR).remove(0);
    township.run(
        T0 + 2 * HOUR,
        Command::RevokeStation {
            station_id: "V001".into(),
            from_ms: T0 + 2 * HOUR,
        },
    );
    village.run(T0 + 3 * HOUR, household("H2"));
    let after_revocation = village.export(T0 + 3 * HOUR).remove(0);
    let before = township.snapshot();
    assert!(matches!(
        township.import(&after_revocation.bytes, T0 + 4 * HOUR),
        Err(SyncError::Revoked { .. })
    ));
    assert_eq!(township.snapshot(), before);
    applied(township.import(&before_revocation.bytes, T0 + 4 * HOUR));
    // A revoked village cannot receive shipments, and its key cannot come back.
    township.run(T0 + 4 * HOUR, goods("G1"));
    township.run(T0 + 4 * HOUR, donate("G1", 5));
    let ship = Command::ShipGoods {
        to_station: "V001".into(),
        goods_id: "G1".into(),
        quantity: 1,
    };
    assert!(township
        .ledger
        .execute("测试", T0 + 4 * HOUR, &ship)
        .is_err());
    let public = village.keys.public("V001");
    let again = Command::EnrollStation {
        station_id: "V001".into(),
        role: StationRole::Village,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient,
    };
    assert!(township
        .ledger
        .execute("测试", T0 + 4 * HOUR, &again)
        .is_err());
    township.verify();
}

#[test]
fn enrollment_rules() {
    let (mut village, mut township) = pair();
    let public = village.keys.public("V001");
    let twice = Command::EnrollStation {
        station_id: "V001".into(),
        role: StationRole::Village,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient.clone(),
    };
    assert!(
        township.ledger.execute("测试", T0, &twice).is_err(),
        "already enrolled"
    );
    let other = aixin::sync::keys::StationKeys::generate().public("V001");
    let conflict = Command::EnrollStation {
        station_id: "V001".into(),
        role: StationRole::Village,
        verifying_key: other.verifying,
        age_recipient: other.age_recipient,
    };
    assert!(
        township.ledger.execute("测试", T0, &conflict).is_err(),
        "another key in force"
    );
    let me = township.keys.public("T01");
    let self_enroll = Command::EnrollStation {
        station_id: "T01".into(),
        role: StationRole::Village,
        verifying_key: me.verifying,
        age_recipient: me.age_recipient,
    };
    assert!(township.ledger.execute("测试", T0, &self_enroll).is_err());
    let village_as_village = Command::EnrollStation {
        station_id: "V002".into(),
        role: StationRole::Village,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient,
    };
    assert!(
        village
            .ledger
            .execute("测试", T0, &village_as_village)
            .is_err(),
        "a village enrolls only townships"
    );
}
