//! Ledgers written before stock lots, credit years, till sessions and clock events keep
//! working. `tests/fixtures/legacy/` holds a village and its township as aixin wrote them at
//! commit 17de3ca (see the README there). Opening a copy read-write rebuilds the derived tables
//! from the unchanged events with the documented defaults; the monitor's read-only open asks
//! for that first; afterwards verify passes, the reports add up, and the station sells, voids
//! and syncs as a new one would.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use aixin::domain::lots::LotOrigin;
use aixin::domain::time::Moment;
use aixin::domain::{Command, HouseholdRef, Refusal};
use aixin::report;
use aixin::store::verify::verify_all;
use aixin::store::{Ledger, StoreError};

/// 2027-01-06 09:00 China time: the day after the fixtures' last events.
const NOW_MS: i64 = 1_799_197_200_000;
const NOW: &str = "2027-01-06T01:00:00Z";

fn copy_fixture(name: &str, to: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legacy")
        .join(name);
    let dir = to.join(name);
    std::fs::create_dir_all(dir.join("keys")).expect("mkdir");
    std::fs::copy(from.join("ledger.redb"), dir.join("ledger.redb")).expect("copy ledger");
    for key in ["age.key", "signing.key"] {
        std::fs::copy(from.join("keys").join(key), dir.join("keys").join(key)).expect("copy key");
    }
    dir
}

fn aixin(dir: &Path, args: &[&str]) -> String {
    let out = Process::new(env!("CARGO_BIN_EXE_aixin"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--lang", "en"])
        .args(args)
        .env("AIXIN_NOW", NOW)
        .env_remove("AIXIN_DATA_DIR")
        .output()
        .expect("run aixin");
    assert!(
        out.status.success(),
        "aixin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn verified(ledger: &Ledger) {
    for report in verify_all(ledger).expect("verify") {
        assert!(
            report.problems.is_empty(),
            "{}: {:?}",
            report.station_id,
            report.problems
        );
    }
}

#[test]
fn an_old_village_is_upgraded_and_its_books_follow_the_new_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let village = copy_fixture("village", dir.path());
    let path = village.join("ledger.redb");
    assert!(
        matches!(Ledger::open_read_only(&path), Err(StoreError::NeedsUpgrade)),
        "the monitor asks for the till to open it once first"
    );
    let mut ledger = Ledger::open(&path).expect("upgrade");
    verified(&ledger);
    let view = ledger.view().expect("view");
    let meta = view.require_meta().expect("meta");
    assert_eq!(meta.head_seq, 28, "no event was added or changed");

    // Credit years: 2026 was cleared; the old code let a 2026-12 score in afterwards.
    let h1 = view.state().household("H1").expect("read").expect("H1");
    let h2 = view.state().household("H2").expect("read").expect("H2");
    assert_eq!(
        (
            h1.earned_points,
            h1.spent_points,
            h1.cleared_points,
            h1.balance_points
        ),
        (75, 45, 30, 0)
    );
    assert_eq!(
        (
            h2.earned_points,
            h2.spent_points,
            h2.cleared_points,
            h2.balance_points
        ),
        (30, 10, 20, 0)
    );
    assert_eq!(h1.pending_points, 40);

    // Lots: old sales, losses and transfers were split first in, first out when applied.
    let lots = report::lot_ledger(&view).expect("lots");
    for lot in &lots.lots {
        assert_eq!(
            lot.received_units,
            lot.redeemed_units + lot.lost_units + lot.shipped_units + lot.in_stock_units,
            "lot #{}",
            lot.lot_seq
        );
    }
    let donated = lots.lot(6).expect("donated rice");
    assert_eq!((donated.redeemed_units, donated.in_stock_units), (3, 0));
    let bought = lots.lot(7).expect("rice bought with the fund");
    assert_eq!(
        (
            bought.redeemed_units,
            bought.lost_units,
            bought.in_stock_units
        ),
        (2, 1, 2)
    );
    assert_eq!(lots.lot(17).map(|l| &l.origin), Some(&LotOrigin::Stocktake));

    // Nobody is paid for donated or fund-bought rice, whatever the catalog's supplier says.
    let q4 = report::settlement(&view, "2026-Q4").expect("settlement");
    assert!(q4.merchants.is_empty(), "{:?}", q4.merchants);
    assert_eq!((q4.donated_units, q4.fund_units, q4.other_units), (3, 2, 1));
    assert_eq!(q4.redeemed_units(), 6);

    // The old calendar-day close closed the first session with the totals it recorded.
    let z1 = view.state().session(1).expect("read").expect("Z1");
    assert_eq!((z1.first_seq, z1.last_seq, z1.closed_seq), (1, 17, 18));
    assert_eq!((z1.totals.sales, z1.totals.points_spent), (2, 55));
    assert_eq!(meta.session.session_no, 2);
    drop(view);

    // The pending score of the cleared year can no longer be confirmed.
    let pending = Command::ConfirmAward { award_seq: 25 };
    assert!(matches!(
        ledger.execute("管理员", NOW_MS, &pending),
        Err(StoreError::Refused(Refusal::YearCleared { year: 2026, .. }))
    ));
    // An old sale can be voided: the units go back to the lots they came from, and its points
    // stay cleared because 2026 was cleared.
    ledger
        .execute(
            "管理员",
            NOW_MS,
            &Command::VoidSale {
                sale_seq: 13,
                reason: "补录退货".into(),
            },
        )
        .expect("void an old sale");
    let view = ledger.view().expect("view");
    let h1 = view.state().household("H1").expect("read").expect("H1");
    assert_eq!((h1.balance_points, h1.cleared_points), (0, 75));
    let rice = view.state().goods("G1").expect("read").expect("G1");
    assert_eq!(
        rice.lots
            .iter()
            .map(|l| (l.lot_seq, l.remaining_units))
            .collect::<Vec<_>>(),
        vec![(6, 3), (7, 3)]
    );
    drop(view);
    // New credit, a new sale: the till goes on.
    let score = ledger
        .execute(
            "管理员",
            NOW_MS,
            &Command::EnterScore {
                household_id: "H2".into(),
                period: "2027-01".into(),
                score: 84,
                note: String::new(),
            },
        )
        .expect("score for the new year");
    let later = NOW_MS + 8 * 24 * 3600 * 1000;
    ledger
        .execute(
            "管理员",
            later,
            &Command::ConfirmAward {
                award_seq: score[0].seq,
            },
        )
        .expect("confirm");
    ledger
        .execute_at(
            "管理员",
            &Moment::at(later),
            &Command::Redeem {
                household: HouseholdRef::Card("C2".into()),
                lines: vec![("G1".into(), 2)],
                proxy: None,
            },
        )
        .expect("sell");
    verified(&ledger);
    drop(ledger);
    assert!(
        Ledger::open_read_only(&path).is_ok(),
        "the monitor may open it now"
    );
}

#[test]
fn an_old_township_is_upgraded_and_keeps_syncing_with_its_village() {
    let dir = tempfile::tempdir().expect("tempdir");
    let township = copy_fixture("township", dir.path());
    let village = copy_fixture("village", dir.path());
    {
        let ledger = Ledger::open(&township.join("ledger.redb")).expect("upgrade");
        verified(&ledger);
        let view = ledger.view().expect("view");
        let oil = view.state().goods("G9").expect("read").expect("G9");
        assert_eq!(
            oil.stock_units, 2,
            "6 donated, 4 shipped by an old shipment"
        );
        assert_eq!(oil.shipped_units, 4);
        let lots = report::lot_ledger(&view).expect("lots");
        let lot = lots
            .lots
            .iter()
            .find(|l| l.goods_id == "G9")
            .expect("oil lot");
        assert_eq!((lot.shipped_units, lot.in_stock_units), (4, 2));
    }
    // The village sells after the upgrade; the township imports that and reports it.
    {
        let mut ledger = Ledger::open(&village.join("ledger.redb")).expect("upgrade village");
        let score = ledger
            .execute(
                "管理员",
                NOW_MS,
                &Command::RegisterHousehold {
                    household: aixin::domain::Household {
                        household_id: "H3".into(),
                        card_no: "C3".into(),
                        head: "丙".into(),
                        members: vec![],
                        group: "三组".into(),
                        phone: String::new(),
                        registered_poor: false,
                    },
                },
            )
            .expect("register");
        assert_eq!(score.len(), 1);
    }
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    aixin(
        &village,
        &["export", "--to", usb.to_str().expect("utf-8 path")],
    );
    let imported = aixin(&township, &["import", usb.to_str().expect("utf-8 path")]);
    assert!(imported.contains("new events from LGV01"), "{imported}");
    let ledger = Ledger::open(&township.join("ledger.redb")).expect("open township");
    verified(&ledger);
    let view = ledger.view_of("LGV01").expect("village scope");
    assert!(view.state().household("H3").expect("read").is_some());
}
