//! Reports against a real ledger: a village runs a month's scores through publicity, redeems,
//! voids a sale and closes the day; every report's figures are checked exactly, and the CSV and
//! XLSX writers are checked on disk.

use std::path::Path;

use aixin::domain::time::{CivilDate, Moment, DAY_MS};
use aixin::domain::{
    Command, Event, Goods, Household, HouseholdRef, Refusal, StationRole, StockSource, Zone,
};
use aixin::i18n::Lang;
use aixin::report::{self, AsTable, Cell};
use aixin::store::{Ledger, StoreError};

/// 2026-10-01T02:00:00Z, 10:00 on the shop wall in China.
const T0_MS: i64 = 1_790_820_000_000;
/// 2026-10-09 10:00 China: publicity of the September scores is over.
const REDEEM_MS: i64 = T0_MS + 8 * DAY_MS;
/// 2026-10-10 10:00 China: the manager closes yesterday.
const CLOSE_MS: i64 = T0_MS + 9 * DAY_MS;
/// 2027-01-05 10:00 China: a sale in the next quarter.
const NEXT_QUARTER_MS: i64 = T0_MS + 96 * DAY_MS;

fn run(ledger: &mut Ledger, now_ms: i64, command: Command) -> Vec<Event> {
    ledger
        .execute("张会计", now_ms, &command)
        .unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

fn last_seq(events: &[Event]) -> u64 {
    events.last().map(|e| e.seq).expect("an event")
}

fn new_ledger(dir: &Path, policy_stem: &str) -> Ledger {
    let mut ledger = Ledger::create(&dir.join("ledger.redb")).expect("create ledger");
    let policy = aixin::policies::builtin(policy_stem)
        .expect("shipped policy")
        .expect("policy parses");
    run(
        &mut ledger,
        T0_MS,
        Command::Init {
            station_id: "lijia".into(),
            name: "李家村爱心超市".into(),
            role: StationRole::Village,
            policy,
        },
    );
    ledger
}

fn register(ledger: &mut Ledger, id: &str, head: &str, group: &str) {
    let household = Household {
        household_id: id.into(),
        card_no: format!("C{id}"),
        head: head.into(),
        members: vec![],
        group: group.into(),
        phone: String::new(),
        registered_poor: false,
    };
    run(ledger, T0_MS, Command::RegisterHousehold { household });
}

fn define(
    ledger: &mut Ledger,
    id: &str,
    name: &str,
    price_points: i64,
    zone: Zone,
    supplier: &str,
) {
    let goods = Goods {
        goods_id: id.into(),
        name: name.into(),
        unit: "个".into(),
        barcode: String::new(),
        price_points,
        zone,
        category: "日用".into(),
        supplier: supplier.into(),
    };
    run(ledger, T0_MS, Command::DefineGoods { goods });
}

fn receive(ledger: &mut Ledger, goods_id: &str, quantity: i64, source: StockSource) {
    run(
        ledger,
        T0_MS,
        Command::ReceiveStock {
            goods_id: goods_id.into(),
            quantity,
            source,
        },
    );
}

fn donation(donor: &str) -> StockSource {
    StockSource::Donation {
        donor: donor.into(),
    }
}

fn supply(merchant: &str) -> StockSource {
    StockSource::Supply {
        merchant: merchant.into(),
    }
}

fn score(ledger: &mut Ledger, household_id: &str, period: &str, value: i64) -> u64 {
    let events = run(
        ledger,
        T0_MS,
        Command::EnterScore {
            household_id: household_id.into(),
            period: period.into(),
            score: value,
            note: String::new(),
        },
    );
    last_seq(&events)
}

fn redeem(
    ledger: &mut Ledger,
    now_ms: i64,
    household: HouseholdRef,
    lines: &[(&str, i64)],
    proxy: Option<&str>,
) -> u64 {
    let lines = lines.iter().map(|(g, q)| (g.to_string(), *q)).collect();
    let events = run(
        ledger,
        now_ms,
        Command::Redeem {
            household,
            lines,
            proxy: proxy.map(str::to_string),
        },
    );
    last_seq(&events)
}

/// The threshold-score village: four households, five items in lots from two merchants, a fund
/// and two donors, September's scores confirmed, three sales on 2026-10-09 (one voided), the
/// till session closed the next morning, and one more sale in 2027-Q1.
fn threshold_village(dir: &Path) -> Ledger {
    let mut ledger = new_ledger(dir, "threshold-score");
    register(&mut ledger, "H001", "王秀英", "一组");
    register(&mut ledger, "H002", "李大山", "二组");
    register(&mut ledger, "H003", "张桂兰", "一组");
    register(&mut ledger, "H004", "刘强", "三组");
    define(&mut ledger, "G01", "大米", 10, Zone::Points(10), "粮油店");
    define(&mut ledger, "G02", "食用油", 20, Zone::Points(20), "粮油店");
    define(&mut ledger, "G03", "洗衣粉", 5, Zone::Points(5), "日杂店");
    define(&mut ledger, "G04", "旧衣物", 2, Zone::Donation, "");
    define(&mut ledger, "G05", "毛巾", 5, Zone::Points(5), "");
    receive(&mut ledger, "G01", 50, supply("粮油店"));
    receive(
        &mut ledger,
        "G02",
        20,
        StockSource::Purchase {
            fund: "村集体经济".into(),
            cost_fen: 200_000,
        },
    );
    receive(&mut ledger, "G03", 20, supply("日杂店"));
    receive(&mut ledger, "G03", 10, donation("县供销社"));
    receive(&mut ledger, "G04", 10, donation("王老板"));
    receive(&mut ledger, "G05", 12, donation("王老板"));
    run(
        &mut ledger,
        T0_MS,
        Command::AdjustStock {
            goods_id: "G01".into(),
            delta: -2,
            reason: "鼠咬".into(),
        },
    );
    let awards = [
        score(&mut ledger, "H001", "2026-09", 95),
        score(&mut ledger, "H002", "2026-09", 90),
        score(&mut ledger, "H003", "2026-09", 90),
        score(&mut ledger, "H004", "2026-09", 70),
    ];
    for award_seq in awards {
        run(&mut ledger, REDEEM_MS, Command::ConfirmAward { award_seq });
    }
    redeem(
        &mut ledger,
        REDEEM_MS,
        HouseholdRef::Card("CH001".into()),
        &[("G01", 2), ("G03", 1), ("G04", 1)],
        None,
    );
    redeem(
        &mut ledger,
        REDEEM_MS,
        HouseholdRef::Id("H002".into()),
        &[("G02", 1), ("G05", 2)],
        Some("村干部李四"),
    );
    let wrong = redeem(
        &mut ledger,
        REDEEM_MS,
        HouseholdRef::Id("H003".into()),
        &[("G01", 3)],
        None,
    );
    run(
        &mut ledger,
        REDEEM_MS,
        Command::VoidSale {
            sale_seq: wrong,
            reason: "拿错了".into(),
        },
    );
    run(&mut ledger, CLOSE_MS, Command::CloseSession);
    // Nearly three months later: the manager confirms the date the till shows.
    let moment = Moment::confirmed(NEXT_QUARTER_MS, CivilDate::from_utc_ms(NEXT_QUARTER_MS));
    ledger
        .execute_at(
            "张会计",
            &moment,
            &Command::Redeem {
                household: HouseholdRef::Id("H001".into()),
                lines: vec![("G01".into(), 1)],
                proxy: None,
            },
        )
        .expect("sale in the next quarter");
    ledger
}

#[test]
fn board_ranks_with_ties_and_no_eligibility_without_a_ranking_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let board = report::board(&view, "2026-09").expect("board");
    assert_eq!(board.period, "2026-09");
    let rows: Vec<_> = board
        .rows
        .iter()
        .map(|r| {
            (
                r.rank,
                r.household_id.as_str(),
                r.head.as_str(),
                r.group.as_str(),
                r.score,
                r.points,
                r.eligible,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (1, "H001", "王秀英", "一组", 95, 75, None),
            (2, "H002", "李大山", "二组", 90, 50, None),
            (2, "H003", "张桂兰", "一组", 90, 50, None),
            (4, "H004", "刘强", "三组", 70, 0, None),
        ]
    );
    assert!(report::board(&view, "2026-08")
        .expect("empty board")
        .rows
        .is_empty());
    assert!(matches!(
        report::board(&view, "September"),
        Err(StoreError::Refused(Refusal::BadPeriod(_)))
    ));
}

#[test]
fn board_eligibility_top_sixty_percent_and_revoked_entries_drop_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ledger = new_ledger(dir.path(), "quarterly-ranked");
    let scores = [
        ("Q1", 95),
        ("Q2", 90),
        ("Q3", 85),
        ("Q4", 85),
        ("Q5", 80),
        ("Q6", 70),
        ("Q7", 99),
    ];
    for (id, _) in scores {
        register(&mut ledger, id, &format!("户主{id}"), "一组");
    }
    let mut revoked = 0;
    for (id, value) in scores {
        revoked = score(&mut ledger, id, "2026-Q3", value);
    }
    run(
        &mut ledger,
        T0_MS,
        Command::RevokeAward {
            award_seq: revoked,
            reason: "群众异议属实".into(),
        },
    );
    let view = ledger.view().expect("view");
    let board = report::board(&view, "2026-Q3").expect("board");
    // Six live scores: the top ceil(6 × 60 %) = 4 ranks may redeem if they scored at least 80.
    let rows: Vec<_> = board
        .rows
        .iter()
        .map(|r| (r.rank, r.household_id.as_str(), r.points, r.eligible))
        .collect();
    assert_eq!(
        rows,
        vec![
            (1, "Q1", 95, Some(true)),
            (2, "Q2", 90, Some(true)),
            (3, "Q3", 85, Some(true)),
            (3, "Q4", 85, Some(true)),
            (5, "Q5", 80, Some(false)),
            (6, "Q6", 0, Some(false)),
        ]
    );
    let table = board.to_table(Lang::Zh);
    assert_eq!(table.headers.last().map(String::as_str), Some("可兑换"));
    assert_eq!(
        table.rows[4].last().map(|c| c.text()),
        Some("否".to_string())
    );
}

#[test]
fn settlement_pays_merchants_only_for_their_lots_and_splits_the_rest_by_origin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let q4 = report::settlement(&view, "2026-Q4").expect("settlement");
    assert_eq!(q4.quarter, "2026-Q4");
    let merchants: Vec<_> = q4
        .merchants
        .iter()
        .map(|m| {
            (
                m.merchant.as_str(),
                m.points,
                m.value_fen,
                m.units,
                m.goods.clone(),
            )
        })
        .collect();
    assert_eq!(
        merchants,
        vec![
            (
                "日杂店",
                5,
                500,
                1,
                vec![("G03".to_string(), "洗衣粉".to_string(), 1, 5)]
            ),
            (
                "粮油店",
                20,
                2000,
                2,
                vec![("G01".to_string(), "大米".to_string(), 2, 20)]
            ),
        ]
    );
    // 旧衣物 ×1 = 2 points and 毛巾 ×2 = 10 points were donated; 食用油 ×1 = 20 points was
    // bought with the village fund: nobody is paid for them, whatever the catalog says.
    assert_eq!((q4.donated_points, q4.donated_units), (12, 3));
    assert_eq!((q4.fund_points, q4.fund_units), (20, 1));
    assert_eq!((q4.other_points, q4.other_units), (0, 0));
    assert_eq!(
        q4.redeemed_units(),
        7,
        "every unit sold (net) has one origin"
    );

    let q1 = report::settlement(&view, "2027-Q1").expect("next quarter");
    assert_eq!(q1.merchants.len(), 1);
    assert_eq!(
        (
            q1.merchants[0].merchant.as_str(),
            q1.merchants[0].points,
            q1.merchants[0].value_fen
        ),
        ("粮油店", 10, 1000)
    );
    assert_eq!(q1.donated_points, 0);

    for bad in ["2026-Q5", "2026-10", "Q4"] {
        assert!(
            matches!(
                report::settlement(&view, bad),
                Err(StoreError::Refused(Refusal::BadPeriod(_)))
            ),
            "{bad}"
        );
    }
    let table = q4.to_table(Lang::Zh);
    let total = table.rows.last().expect("total row");
    assert_eq!(
        total,
        &vec![
            Cell::from("应结算合计"),
            Cell::empty(),
            Cell::empty(),
            Cell::Int(3),
            Cell::Int(25),
            Cell::Fen(2500)
        ]
    );
}

#[test]
fn stock_report_reconciles_received_sold_and_adjusted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let stock = report::stock_report(&view).expect("stock");
    let rows: Vec<_> = stock
        .rows
        .iter()
        .map(|r| {
            (
                r.goods_id.as_str(),
                r.zone.as_str(),
                r.price_points,
                r.stock_units,
                r.received_units,
                r.sold_units,
                r.adjusted_units,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("G01", "10", 10, 45, 50, 3, -2),
            ("G02", "20", 20, 19, 20, 1, 0),
            ("G03", "5", 5, 29, 30, 1, 0),
            ("G04", "donation", 2, 9, 10, 1, 0),
            ("G05", "5", 5, 10, 12, 2, 0),
        ]
    );
    for r in &stock.rows {
        assert_eq!(r.shipped_units, 0);
        assert_eq!(
            r.stock_units,
            r.received_units - r.sold_units + r.adjusted_units - r.shipped_units,
            "{}",
            r.goods_id
        );
    }
    let table = stock.to_table(Lang::Zh);
    assert_eq!(table.headers.len(), 8);
    assert_eq!(table.rows[3][2], "捐赠区");
}

#[test]
fn donation_ledger_lists_each_gift_with_what_was_redeemed_and_what_is_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let donations = report::donation_report(&view).expect("donations");
    let lines: Vec<_> = donations
        .lines
        .iter()
        .map(|l| {
            (
                l.date.as_str(),
                l.donor.as_str(),
                l.goods_id.as_str(),
                l.name.as_str(),
                l.quantity,
                l.redeemed_units,
                l.in_stock_units,
                l.points,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("2026-10-01", "县供销社", "G03", "洗衣粉", 10, 0, 10, 50),
            ("2026-10-01", "王老板", "G04", "旧衣物", 10, 1, 9, 20),
            ("2026-10-01", "王老板", "G05", "毛巾", 12, 2, 10, 60),
        ]
    );
    let donors: Vec<_> = donations
        .by_donor
        .iter()
        .map(|d| (d.donor.as_str(), d.units, d.redeemed_units, d.points))
        .collect();
    assert_eq!(donors, vec![("县供销社", 10, 0, 50), ("王老板", 22, 3, 80)]);
    // The donations ledger and the settlement agree on what was donated and redeemed.
    let settled: i64 = ["2026-Q4", "2027-Q1"]
        .iter()
        .map(|q| {
            report::settlement(&view, q)
                .expect("settlement")
                .donated_units
        })
        .sum();
    assert_eq!(
        settled,
        donations
            .lines
            .iter()
            .map(|l| l.redeemed_units)
            .sum::<i64>()
    );
}

#[test]
fn every_lot_adds_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let lots = report::lot_ledger(&view).expect("lots");
    for lot in &lots.lots {
        assert_eq!(
            lot.received_units,
            lot.redeemed_units + lot.lost_units + lot.shipped_units + lot.in_stock_units,
            "lot #{}",
            lot.lot_seq
        );
    }
    // The rat bite took the oldest lot of rice (the merchant's); the sales took it too.
    let rice = lots
        .lots
        .iter()
        .find(|l| l.goods_id == "G01")
        .expect("rice lot");
    assert_eq!(
        (rice.lost_units, rice.redeemed_units, rice.in_stock_units),
        (2, 3, 45)
    );
}

#[test]
fn day_log_lists_the_calendar_day_and_the_z_report_freezes_the_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let day = report::day_report(&view, "2026-10-09").expect("day");
    assert_eq!(day.station_id, "lijia");
    let totals = &day.totals;
    assert_eq!(
        (
            totals.sales,
            totals.points_spent,
            totals.voids,
            totals.points_voided
        ),
        (3, 87, 1, 30)
    );
    assert_eq!(
        (
            totals.units_sold,
            totals.units_received,
            totals.scores_entered,
            totals.points_confirmed,
            totals.events
        ),
        (7, 0, 0, 175, 8)
    );
    assert!(day.closes.is_empty(), "the close came the next morning");
    let kinds: Vec<_> = day.lines.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "award_confirmed",
            "award_confirmed",
            "award_confirmed",
            "award_confirmed",
            "redeemed",
            "redeemed",
            "redeemed",
            "sale_voided"
        ]
    );
    assert!(day
        .lines
        .iter()
        .all(|l| l.clock_time() == "10:00" && l.operator == "张会计"));
    assert!(
        day.lines[5].summary_zh.contains("村干部李四 代领"),
        "{}",
        day.lines[5].summary_zh
    );
    assert!(
        day.lines[7].summary_en.contains("30 pt returned"),
        "{}",
        day.lines[7].summary_en
    );
    let zh = day.render(Lang::Zh);
    assert!(zh.contains("lijia 当日流水 2026-10-09"));
    assert!(zh.contains("当天没有日结"));
    let en = day.render(Lang::En);
    for line in zh.lines().chain(en.lines()) {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
    }

    // The session closed on the 10th covers everything since the station opened.
    let next = report::day_report(&view, "2026-10-10").expect("the close's day");
    assert_eq!(next.closes, vec![1]);
    let z1 = report::session_report(&view, Some(1)).expect("Z1");
    assert!(z1.closed_ms.is_some());
    assert_eq!(z1.first_seq, 1);
    assert_eq!(z1.lines.len() as u64, z1.totals.events);
    assert_eq!(
        (z1.totals.sales, z1.totals.points_spent, z1.totals.voids),
        (3, 87, 1)
    );
    assert_eq!(
        (
            z1.totals.units_received,
            z1.totals.scores_entered,
            z1.totals.points_confirmed
        ),
        (122, 4, 175)
    );
    let open = report::session_report(&view, None).expect("X");
    assert_eq!((open.session_no, open.closed_ms), (2, None));
    assert_eq!((open.totals.sales, open.totals.points_spent), (1, 10));
    let zh = z1.render(Lang::Zh);
    assert!(zh.contains("日结 Z1"), "{zh}");
    assert!(open
        .render(Lang::En)
        .contains("open session (X, to close as Z2)"));
    assert!(matches!(
        report::session_report(&view, Some(9)),
        Err(StoreError::Refused(Refusal::UnknownSession(9)))
    ));
    assert!(matches!(
        report::day_report(&view, "2026-13-01"),
        Err(StoreError::Refused(Refusal::BadPeriod(_)))
    ));
}

#[test]
fn csv_has_a_bom_and_the_board_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let table = report::board(&view, "2026-09")
        .expect("board")
        .to_table(Lang::Zh);
    let path = dir.path().join("board.csv");
    report::write_csv(&table, &path).expect("write csv");
    let bytes = std::fs::read(&path).expect("read csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, ["名次", "户号", "户主", "小组", "得分", "积分"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], ["1", "H001", "王秀英", "一组", "95", "75"]);
    assert_eq!(rows[2], ["2", "H003", "张桂兰", "一组", "90", "50"]);
    // Overwriting is atomic and leaves no temporary files beside the target.
    report::write_csv(&table, &path).expect("rewrite csv");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.to_string_lossy().ends_with(".csv"))
            .count(),
        1
    );
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".tmp")),
        "{names:?}"
    );
}

#[test]
fn xlsx_is_a_zip_for_every_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let tables = [
        report::board(&view, "2026-09")
            .expect("board")
            .to_table(Lang::Zh),
        report::settlement(&view, "2026-Q4")
            .expect("settlement")
            .to_table(Lang::En),
        report::stock_report(&view)
            .expect("stock")
            .to_table(Lang::Zh),
        report::donation_report(&view)
            .expect("donations")
            .to_table(Lang::Zh),
        report::day_report(&view, "2026-10-09")
            .expect("day")
            .to_table(Lang::En),
        report::session_report(&view, Some(1))
            .expect("Z1")
            .to_table(Lang::Zh),
    ];
    for (i, table) in tables.iter().enumerate() {
        let path = dir.path().join(format!("report-{i}.xlsx"));
        report::write_xlsx(table, &path).expect("write xlsx");
        let bytes = std::fs::read(&path).expect("read xlsx");
        assert!(bytes.starts_with(b"PK"), "{}", table.title);
        assert!(!report::render_text(table).is_empty());
    }
}

#[test]
fn reports_serialise_to_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = threshold_village(dir.path());
    let view = ledger.view().expect("view");
    let json = serde_json::to_value(report::settlement(&view, "2026-Q4").expect("settlement"))
        .expect("json");
    assert_eq!(json["donated_points"], 12);
    assert_eq!(json["merchants"][1]["value_fen"], 2000);
    let json =
        serde_json::to_value(report::session_report(&view, Some(1)).expect("Z1")).expect("json");
    assert_eq!(json["totals"]["points_spent"], 87);
}
