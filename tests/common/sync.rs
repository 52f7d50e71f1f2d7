//! The sync fixtures: stations on temporary data dirs driven through the library (ledger +
//! keys), a fixed clock (UTC ms), and a snapshot of everything a refused import must leave
//! unchanged.

use std::path::Path;

use aixin::domain::{Command, Goods, Hash, Household, StationRole, StockSource, Zone};
use aixin::store::Ledger;
use aixin::sync::exchange::{export_bundles, import_bundle, ImportOutcome, OutBundle};
use aixin::sync::keys::StationKeys;
use aixin::sync::SyncError;
use tempfile::TempDir;

/// 2026-03-02 10:00 China time.
pub const T0: i64 = 1_772_416_800_000;
/// One hour in ms.
pub const HOUR: i64 = 3_600_000;

/// A station on a temporary data dir.
pub struct Station {
    pub dir: TempDir,
    pub ledger: Ledger,
    pub keys: StationKeys,
    pub id: String,
    pub role: StationRole,
}

impl Station {
    /// Creates and initialises a station with fresh keys.
    pub fn new(id: &str, role: StationRole) -> Station {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = StationKeys::generate();
        keys.save(dir.path()).expect("save keys");
        let keys = StationKeys::load(dir.path()).expect("load keys");
        let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create ledger");
        let policy = aixin::policies::builtin("direct-points")
            .expect("builtin")
            .expect("policy");
        let init = Command::Init {
            station_id: id.into(),
            name: format!("{id} 站"),
            role,
            policy,
        };
        ledger.execute("测试", T0, &init).expect("init");
        Station {
            dir,
            ledger,
            keys,
            id: id.into(),
            role,
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs one command; panics on refusal (test setup).
    pub fn run(&mut self, now_ms: i64, command: Command) {
        self.ledger
            .execute("测试", now_ms, &command)
            .unwrap_or_else(|e| panic!("{command:?}: {e:?}"));
    }

    /// Enrolls `other`'s public keys here.
    pub fn enroll(&mut self, other: &Station) {
        let public = other.keys.public(&other.id);
        self.run(
            T0,
            Command::EnrollStation {
                station_id: other.id.clone(),
                role: other.role,
                verifying_key: public.verifying,
                age_recipient: public.age_recipient,
            },
        );
    }

    pub fn export(&self, now_ms: i64) -> Vec<OutBundle> {
        export_bundles(&self.ledger, &self.keys, now_ms, None).expect("export")
    }

    pub fn import(&mut self, bytes: &[u8], now_ms: i64) -> Result<ImportOutcome, SyncError> {
        import_bundle(
            &mut self.ledger,
            &self.keys,
            bytes,
            "测试",
            aixin::domain::time::Moment::at(now_ms),
        )
    }

    pub fn head(&self) -> u64 {
        self.ledger
            .view()
            .and_then(|v| v.require_meta())
            .map(|m| m.head_seq)
            .unwrap_or(0)
    }

    /// The head held here of another station's chain (0 if none).
    pub fn held(&self, station: &str) -> u64 {
        self.ledger
            .view_of(station)
            .ok()
            .and_then(|v| v.meta().ok().flatten())
            .map_or(0, |m| m.head_seq)
    }

    /// Every scope's (station, head seq, head hash) and event count: what must not change.
    pub fn snapshot(&self) -> Vec<(String, u64, Hash, usize)> {
        let view = self.ledger.view().expect("view");
        let mut out = Vec::new();
        for s in view.stations().expect("stations") {
            let v = self.ledger.view_of(&s).expect("view_of");
            let m = v.meta().expect("meta").expect("meta present");
            let n = v.raw_events(1, u64::MAX, u64::MAX).expect("events").len();
            out.push((s, m.head_seq, m.head_hash, n));
        }
        out
    }

    /// This station's events as (hash, bytes).
    pub fn own_events(&self) -> Vec<(Hash, Vec<u8>)> {
        self.ledger
            .view()
            .and_then(|v| v.raw_events(1, u64::MAX, u64::MAX))
            .expect("events")
    }

    /// Another station's events as held here.
    pub fn held_events(&self, station: &str) -> Vec<(Hash, Vec<u8>)> {
        self.ledger
            .view_of(station)
            .and_then(|v| v.raw_events(1, u64::MAX, u64::MAX))
            .expect("events")
    }

    pub fn stock(&self, goods_id: &str) -> i64 {
        self.ledger
            .view()
            .ok()
            .and_then(|v| v.state().goods(goods_id).ok().flatten())
            .map_or(0, |g| g.stock_units)
    }

    pub fn verify(&self) {
        for report in aixin::store::verify::verify_all(&self.ledger).expect("verify") {
            assert!(
                report.problems.is_empty(),
                "{}: {:?}",
                report.station_id,
                report.problems
            );
        }
    }
}

/// A village and a township that have enrolled each other.
pub fn pair() -> (Station, Station) {
    let mut village = Station::new("V001", StationRole::Village);
    let mut township = Station::new("T01", StationRole::Township);
    township.enroll(&village);
    village.enroll(&township);
    (village, township)
}

pub fn household(id: &str) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: id.into(),
            card_no: format!("C{id}"),
            head: format!("户主{id}"),
            members: vec![],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    }
}

pub fn goods(id: &str) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: format!("商品{id}"),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: 10,
            zone: Zone::Points(10),
            category: "粮油".into(),
            supplier: "供销社".into(),
        },
    }
}

pub fn donate(goods_id: &str, quantity: i64) -> Command {
    Command::ReceiveStock {
        goods_id: goods_id.into(),
        quantity,
        source: StockSource::Donation {
            donor: "爱心企业".into(),
        },
    }
}

/// A tiny deterministic generator (xorshift64*), so the simulation needs no extra crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}
