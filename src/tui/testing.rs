//! The fixture of the till's unit tests: a model over hand-made records (no ledger, no
//! terminal), keys typed slowly as a person types or fast as a scanner does, and the records
//! the screens load. Shared by the tests beside each `update` and `view` file.
#![allow(dead_code)]

use crate::domain::event::{Goods, Household, PeriodKey, StationRole, Zone, GENESIS_HASH};
use crate::domain::state::{
    AwardRecord, AwardStatus, GoodsRecord, HouseholdRecord, SaleRecord, StationMeta,
};
use crate::i18n::Lang;
use crate::sync::township::{Consolidation, VillageLine};
use crate::sync::usb::RosterLine;

use super::data::{Data, HouseholdHit};
use super::keymap::{KeyName, KeyPress, Keymap};
use super::model::{Access, CartQuestion, Model, SyncLine, SyncState, Tone};
use super::msg::{Effect, Msg, Query};
use super::update::update;

/// 2026-11-21 09:30 China time.
pub const NOW: i64 = 1_795_224_600_000;
pub const DAY: i64 = crate::domain::time::DAY_MS;

pub fn household(
    id: &str,
    card: &str,
    head: &str,
    phone: &str,
    balance: i64,
    pending: i64,
) -> HouseholdRecord {
    HouseholdRecord {
        household: Household {
            household_id: id.into(),
            card_no: card.into(),
            head: head.into(),
            members: vec![],
            group: "一组".into(),
            phone: phone.into(),
            registered_poor: false,
        },
        old_cards: vec![],
        balance_points: balance,
        pending_points: pending,
        earned_points: balance,
        spent_points: 0,
        cleared_points: 0,
        credit: vec![crate::domain::state::YearCredit {
            year: 2026,
            awarded_points: balance,
            ..Default::default()
        }],
    }
}

pub fn goods(
    id: &str,
    name: &str,
    barcode: &str,
    price: i64,
    zone: Zone,
    category: &str,
    stock: i64,
) -> GoodsRecord {
    GoodsRecord {
        goods: Goods {
            goods_id: id.into(),
            name: name.into(),
            unit: "个".into(),
            barcode: barcode.into(),
            price_points: price,
            zone,
            category: category.into(),
            supplier: String::new(),
        },
        stock_units: stock,
        received_units: stock,
        sold_units: 0,
        adjusted_units: 0,
        shipped_units: 0,
        lots: vec![crate::domain::state::LotBalance {
            lot_seq: 1,
            remaining_units: stock,
        }],
        low_stock_units: 0,
        former_names: Vec::new(),
    }
}

pub fn meta() -> StationMeta {
    let policy = crate::policies::builtin("threshold-score")
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("policy"));
    StationMeta {
        station_id: "LJC01".into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy,
        score_sheet: None,
        head_seq: 10,
        head_hash: GENESIS_HASH,
        last_time_ms: NOW - DAY,
        session: crate::domain::state::OpenSession::new(1),
        clock_corrections: vec![],
        operators: vec![],
        receipts_issued: 0,
        open_day: None,
    }
}

pub fn data() -> Data {
    data_with(vec![])
}

/// The fixture's records and `more` households (a small village's short cards).
pub fn data_with(more: Vec<HouseholdRecord>) -> Data {
    let mut li = household("H003", "LJ0103", "李四", "", 0, 0);
    li.old_cards = vec!["LJ0003".into()];
    let households: Vec<HouseholdRecord> = vec![
        household("H001", "LJ0001", "张三", "13800001234", 75, 55),
        household("H002", "LJ0002", "张珊珊", "13900005678", 26, 0),
        li,
        household("H004", "LJ0004", "王五", "", 20, 15),
    ]
    .into_iter()
    .chain(more)
    .collect();
    let goods = vec![
        goods(
            "G01",
            "东北大米",
            "6901234567892",
            30,
            Zone::Points(30),
            "粮油",
            20,
        ),
        goods(
            "G02",
            "洗衣粉",
            "6901234567915",
            10,
            Zone::Points(10),
            "日用",
            2,
        ),
        goods(
            "G03",
            "毛巾",
            "6901234567946",
            10,
            Zone::Points(10),
            "日用",
            0,
        ),
        goods("G04", "旧衣物", "", 5, Zone::Donation, "捐赠", 12),
    ];
    Data::from_records(Some(meta()), households, goods)
}

pub fn model(access: Access) -> Model {
    model_over(data(), access)
}

/// A till over `data`.
pub fn model_over(data: Data, access: Access) -> Model {
    let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
    Model::new(data, Lang::Zh, "管理员", access, keymap, NOW)
}

/// A sale of one unit of `goods_id` to `household_id`, as the ledger answers a checkout.
pub fn sale_event(seq: u64, household_id: &str, goods_id: &str) -> crate::domain::event::Event {
    use crate::domain::event::{Event, EventBody};
    Event {
        station_id: "LJC01".into(),
        seq,
        operator: "管理员".into(),
        time_ms: NOW,
        prev_hash: GENESIS_HASH,
        body: EventBody::Redeemed {
            household_id: household_id.into(),
            card_no: String::new(),
            lines: vec![crate::domain::SaleLine {
                goods_id: goods_id.into(),
                quantity: 1,
                price_points: 10,
            }],
            total_points: 10,
            proxy: None,
            takes: vec![],
            credit: vec![],
        },
    }
}

/// Sends a key typed slowly (a person); returns its effects.
pub fn key(m: &mut Model, k: KeyPress) -> Vec<Effect> {
    let at = m.scan.last_ms + 1_000;
    update(m, Msg::Key { key: k, at_ms: at })
}

pub fn named(m: &mut Model, name: KeyName) -> Vec<Effect> {
    key(m, KeyPress::plain(name))
}

pub fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyPress::char(c));
    }
}

pub fn heads(m: &Model) -> Vec<String> {
    m.lookup
        .hits
        .iter()
        .filter_map(|h| match h {
            HouseholdHit::Household(i) => m.data.households.get(*i).map(|h| h.head.to_string()),
            HouseholdHit::VoidedCard(_) => Some("VOID".into()),
        })
        .collect()
}

pub fn bad(m: &Model) -> String {
    match &m.status {
        Some(s) if s.tone == Tone::Bad => s.text.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub fn good(m: &Model) -> String {
    match &m.status {
        Some(s) if s.tone == Tone::Good => s.text.clone(),
        other => panic!("expected success, got {other:?}"),
    }
}

pub fn with_household(m: &mut Model) {
    typed(m, "zs");
    let fx = named(m, KeyName::Enter);
    assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H001", &[])))]);
}

/// The cart question the domain is asked for a household and its lines.
pub fn cart_of(household_id: &str, lines: &[(&str, i64)]) -> CartQuestion {
    CartQuestion {
        household_id: household_id.into(),
        lines: lines.iter().map(|(g, q)| (g.to_string(), *q)).collect(),
    }
}

pub fn scan(m: &mut Model, code: &str, gap_ms: u64) -> Vec<Effect> {
    let mut at = m.scan.last_ms + 10_000;
    for c in code.chars() {
        update(
            m,
            Msg::Key {
                key: KeyPress::char(c),
                at_ms: at,
            },
        );
        at += gap_ms;
    }
    update(
        m,
        Msg::Key {
            key: KeyPress::plain(KeyName::Enter),
            at_ms: at,
        },
    )
}

pub fn sale(seq: u64, voided: bool) -> SaleRecord {
    SaleRecord {
        seq,
        household_id: "H002".into(),
        lines: vec![crate::domain::SaleLine {
            goods_id: "G02".into(),
            quantity: 1,
            price_points: 10,
        }],
        total_points: 10,
        proxy: None,
        time_ms: NOW - 3600 * 1000,
        voided,
        takes: vec![],
        credit: vec![],
    }
}

pub fn award(seq: u64, household: &str, entered_ms: i64) -> AwardRecord {
    AwardRecord {
        seq,
        household_id: household.into(),
        period: PeriodKey("2026-10".into()),
        score: 86,
        points: 30,
        status: AwardStatus::Pending,
        entered_ms,
        items: Vec::new(),
    }
}

pub fn sync_state(villages: usize) -> SyncState {
    let peer = RosterLine {
        station_id: "T01".into(),
        role: StationRole::Township,
        fingerprint: "xyk4-betd-doyk-vgc7".into(),
        active: true,
        revoked_from_ms: None,
        enrolled_ms: Some(NOW - 40 * DAY),
        acked_seq: 12,
        held_seq: 3,
        last_import_ms: Some(NOW - 40 * DAY),
        last_export_ms: None,
    };
    let consolidation = (villages > 0).then(|| Consolidation {
        township_id: "LJC01".into(),
        now_ms: NOW,
        villages: (0..villages)
            .map(|i| VillageLine {
                station_id: format!("V{i:03}"),
                name: format!("{i} 村"),
                key_active: true,
                days_since_sync: Some(2),
                ..Default::default()
            })
            .collect(),
        total: VillageLine::default(),
        anomalies: vec![],
    });
    SyncState {
        station_id: "LJC01".into(),
        role: StationRole::Village,
        head_seq: 20,
        peers: vec![peer],
        held: vec![],
        forks: vec![],
        consolidation,
        last_backup_ms: Some(NOW - DAY),
    }
}

pub fn sync_line(tone: Tone, text: &str) -> SyncLine {
    SyncLine {
        tone,
        text: text.into(),
    }
}
