//! Reports that print (issue 11): every report — the publicity board with its items and
//! publicity dates, the day log, the X and Z session reports, the stock ledger, the donation
//! ledger, the settlement and the village budget — as aligned text and CSV against golden files
//! (insta), and as XLSX read back cell by cell with calamine: the title and station rows, the
//! header, every number stored as a number (points as integers, yuan with two decimals), and
//! the lines people sign. Where LibreOffice is installed each workbook is converted to PDF and
//! checked to print one page wide on A4 (skipped with a message where it is not). The command
//! line refuses an output name it cannot write (`report.pdf`) before anything changes.

mod common;

use std::path::Path;
use std::process::Command as Process;

use aixin::domain::time::{CivilDate, DAY_MS};
use aixin::domain::{
    Command, Event, Goods, Household, HouseholdRef, ItemScore, StationRole, StockSource, Zone,
};
use aixin::i18n::Lang;
use aixin::report::table::{csv_bytes, render_sheet, xlsx_bytes, AsSheet, Cell, Sheet};
use aixin::report::{self};
use aixin::store::Ledger;
use calamine::{Data, Reader, Xlsx};
use common::cli::{aixin, ok, refused, T0};

/// 2026-10-01 10:00 China.
const T0_MS: i64 = 1_790_820_000_000;
/// 2026-10-09 10:00 China: September's publicity is over.
const REDEEM_MS: i64 = T0_MS + 8 * DAY_MS;
/// 2026-10-10 10:00 China: the manager closes the session.
const CLOSE_MS: i64 = T0_MS + 9 * DAY_MS;
/// 2026-10-12 10:00 China: one sale in the next session (X).
const NEXT_MS: i64 = T0_MS + 11 * DAY_MS;

const STATION: &str = "李家村爱心超市（LJC01）";

fn run(ledger: &mut Ledger, now_ms: i64, command: Command) -> Vec<Event> {
    ledger
        .execute("张会计", now_ms, &command)
        .unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

fn new_ledger(dir: &Path, stem: &str) -> Ledger {
    let mut ledger = Ledger::create(&dir.join("ledger.redb")).expect("create ledger");
    let policy = aixin::policies::builtin(stem)
        .expect("shipped")
        .expect("parses");
    let mut commands = vec![Command::Init {
        station_id: "LJC01".into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy,
    }];
    if let Some(sheet) = aixin::policies::builtin_sheet(stem)
        .expect("shipped")
        .expect("sheet parses")
    {
        commands.push(Command::SetScoreSheet { sheet });
    }
    ledger
        .execute_batch("张会计", T0_MS, &commands)
        .expect("init");
    ledger
}

fn register(ledger: &mut Ledger, id: &str, head: &str, group: &str) {
    let household = Household {
        household_id: id.into(),
        card_no: format!("LJ{id}"),
        head: head.into(),
        members: vec![],
        group: group.into(),
        phone: String::new(),
        registered_poor: false,
    };
    run(ledger, T0_MS, Command::RegisterHousehold { household });
}

fn define(ledger: &mut Ledger, id: &str, name: &str, price: i64, zone: Zone, supplier: &str) {
    let goods = Goods {
        goods_id: id.into(),
        name: name.into(),
        unit: "个".into(),
        barcode: String::new(),
        price_points: price,
        zone,
        category: "日用".into(),
        supplier: supplier.into(),
    };
    run(ledger, T0_MS, Command::DefineGoods { goods });
}

fn receive(ledger: &mut Ledger, goods_id: &str, quantity: i64, source: StockSource) {
    let command = Command::ReceiveStock {
        goods_id: goods_id.into(),
        quantity,
        source,
    };
    run(ledger, T0_MS, command);
}

fn items(ledger: &mut Ledger, id: &str, period: &str, given: &[(&str, i64)]) -> u64 {
    let command = Command::EnterItemScores {
        household_id: id.into(),
        period: period.into(),
        items: given.iter().map(|(n, s)| ItemScore::new(*n, *s)).collect(),
        note: String::new(),
    };
    run(ledger, T0_MS, command)
        .last()
        .map(|e| e.seq)
        .expect("event")
}

fn redeem(ledger: &mut Ledger, now_ms: i64, id: &str, lines: &[(&str, i64)]) -> u64 {
    let command = Command::Redeem {
        household: HouseholdRef::Id(id.into()),
        lines: lines.iter().map(|(g, q)| (g.to_string(), *q)).collect(),
        proxy: None,
    };
    run(ledger, now_ms, command)
        .last()
        .map(|e| e.seq)
        .expect("event")
}

/// A threshold-score village scoring by item: four households (one with a long name), goods in
/// lots from two merchants, a fund and two donors, September scored by item (and one total),
/// confirmed, sales on 2026-10-09 (one voided), Z1 closed the next morning, one sale in X2.
fn village(dir: &Path) -> Ledger {
    let mut ledger = new_ledger(dir, "threshold-score");
    register(&mut ledger, "H001", "王秀英", "一组");
    register(&mut ledger, "H002", "欧阳明月光", "二组");
    register(&mut ledger, "H003", "张桂兰", "一组");
    register(&mut ledger, "H004", "刘强", "三组");
    define(
        &mut ledger,
        "G01",
        "东北大米五公斤装",
        10,
        Zone::Points(10),
        "粮油店",
    );
    define(&mut ledger, "G02", "食用油", 20, Zone::Points(20), "粮油店");
    define(&mut ledger, "G03", "洗衣粉", 5, Zone::Points(5), "日杂店");
    define(&mut ledger, "G04", "旧衣物", 2, Zone::Donation, "");
    receive(
        &mut ledger,
        "G01",
        50,
        StockSource::Supply {
            merchant: "粮油店".into(),
        },
    );
    let fund = StockSource::Purchase {
        fund: "村集体经济".into(),
        cost_fen: 36_050,
    };
    receive(&mut ledger, "G02", 20, fund);
    receive(
        &mut ledger,
        "G03",
        20,
        StockSource::Supply {
            merchant: "日杂店".into(),
        },
    );
    receive(
        &mut ledger,
        "G04",
        10,
        StockSource::Donation {
            donor: "县妇联".into(),
        },
    );
    let full = [
        ("主动脱贫", 8),
        ("家庭美德", 8),
        ("遵纪守法", 8),
        ("环境卫生", 8),
        ("配合工作", 7),
    ];
    let mut awards = vec![
        items(&mut ledger, "H001", "2026-09", &full),
        items(
            &mut ledger,
            "H002",
            "2026-09",
            &[
                ("主动脱贫", 6),
                ("家庭美德", 8),
                ("环境卫生", 8),
                ("遵纪守法", 6),
                ("配合工作", 7),
            ],
        ),
        items(
            &mut ledger,
            "H003",
            "2026-09",
            &[("环境卫生", 8), ("违规", -10)],
        ),
    ];
    let total = Command::EnterScore {
        household_id: "H004".into(),
        period: "2026-09".into(),
        score: 85,
        note: String::new(),
    };
    awards.push(
        run(&mut ledger, T0_MS, total)
            .last()
            .map(|e| e.seq)
            .expect("event"),
    );
    for award_seq in awards {
        run(&mut ledger, REDEEM_MS, Command::ConfirmAward { award_seq });
    }
    redeem(
        &mut ledger,
        REDEEM_MS,
        "H001",
        &[("G01", 2), ("G03", 1), ("G04", 1)],
    );
    redeem(&mut ledger, REDEEM_MS, "H002", &[("G02", 1)]);
    let wrong = redeem(&mut ledger, REDEEM_MS, "H004", &[("G01", 1)]);
    let void = Command::VoidSale {
        sale_seq: wrong,
        reason: "拿错了".into(),
    };
    run(&mut ledger, REDEEM_MS, void);
    run(&mut ledger, CLOSE_MS, Command::CloseSession);
    redeem(&mut ledger, NEXT_MS, "H004", &[("G03", 2)]);
    // October's scores are entered and still in publicity.
    let october = Command::EnterItemScores {
        household_id: "H001".into(),
        period: "2026-10".into(),
        items: vec![ItemScore::new("环境卫生", 8), ItemScore::new("家庭美德", 8)],
        note: String::new(),
    };
    run(&mut ledger, NEXT_MS, october);
    ledger
}

/// A direct-points village with a budget: two households scored by item in two months.
fn budget_village(dir: &Path) -> Ledger {
    let mut ledger = new_ledger(dir, "direct-points");
    register(&mut ledger, "H001", "王秀英", "一组");
    register(&mut ledger, "H002", "刘强", "二组");
    let all = [
        ("遵纪守法", 4),
        ("政策落实", 4),
        ("脱贫攻坚", 4),
        ("精神文明", 4),
        ("公益活动", 4),
    ];
    items(&mut ledger, "H001", "2026-08", &all);
    items(&mut ledger, "H001", "2026-09", &all);
    items(&mut ledger, "H002", "2026-09", &[("公益活动", 3)]);
    ledger
}

/// Every report of the village as a sheet, by name, in `lang`.
fn sheets(village: &Ledger, budget: &Ledger, lang: Lang) -> Vec<(&'static str, Sheet)> {
    let view = village.view().expect("view");
    let budget_view = budget.view().expect("view");
    vec![
        (
            "board",
            report::board(&view, "2026-09")
                .expect("board")
                .to_sheet(lang, STATION),
        ),
        (
            "day",
            report::day_report(&view, "2026-10-09")
                .expect("day")
                .to_sheet(lang, STATION),
        ),
        (
            "session_z1",
            report::session_report(&view, Some(1))
                .expect("Z1")
                .to_sheet(lang, STATION),
        ),
        (
            "session_x",
            report::session_report(&view, None)
                .expect("X")
                .to_sheet(lang, STATION),
        ),
        (
            "stock",
            report::stock_report(&view)
                .expect("stock")
                .to_sheet(lang, STATION),
        ),
        (
            "donations",
            report::donation_report(&view)
                .expect("donations")
                .to_sheet(lang, STATION),
        ),
        (
            "settlement",
            report::settlement(&view, "2026-Q4")
                .expect("settlement")
                .to_sheet(lang, STATION),
        ),
        (
            "budget",
            report::budget_report(&budget_view, 2026)
                .expect("budget")
                .to_sheet(lang, STATION),
        ),
    ]
}

#[test]
fn every_report_prints_as_golden_text_and_csv() {
    let (a, b) = (
        tempfile::tempdir().expect("tmp"),
        tempfile::tempdir().expect("tmp"),
    );
    let (village, budget) = (village(a.path()), budget_village(b.path()));
    for (name, sheet) in sheets(&village, &budget, Lang::Zh) {
        let text = render_sheet(&sheet);
        for line in text.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "{name}: {line}"
            );
        }
        insta::assert_snapshot!(format!("{name}_text_zh"), text);
        let csv = String::from_utf8(csv_bytes(&sheet.tables[0]).expect("csv")).expect("utf-8");
        assert!(csv.starts_with('\u{feff}'), "{name}: a BOM for Excel");
        insta::assert_snapshot!(format!("{name}_csv_zh"), csv);
    }
    for (name, sheet) in sheets(&village, &budget, Lang::En) {
        // In English too, every report fits 80 columns and no heading's word is split
        // (the board by item printed `ra` over `nk`).
        let text = render_sheet(&sheet);
        for line in text.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "{name}: {line}"
            );
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for table in &sheet.tables {
            for word in table
                .headers
                .iter()
                .flat_map(|h| h.split_whitespace())
                .filter(|w| w.is_ascii())
            {
                assert!(words.contains(&word), "{name}: {word} split\n{text}");
            }
        }
        if matches!(name, "board" | "settlement" | "session_z1") {
            insta::assert_snapshot!(format!("{name}_text_en"), render_sheet(&sheet));
        }
    }
}

/// A cell as calamine reads it back: numbers as numbers (Excel's doubles), words as strings,
/// nothing for an empty cell.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "Excel stores numbers as doubles: the test reads them as Excel does"
)]
fn expected(cell: &Cell) -> Option<Data> {
    match cell {
        Cell::Text(text) if text.is_empty() => None,
        Cell::Text(text) => match text.parse::<i64>() {
            Ok(n) if n.to_string() == *text => Some(Data::Float(n as f64)),
            _ => Some(Data::String(text.clone())),
        },
        Cell::Int(n) => Some(Data::Float(*n as f64)),
        Cell::Fen(fen) => Some(Data::Float(*fen as f64 / 100.0)),
    }
}

/// The one sheet of a workbook, and its name.
fn read_back(bytes: Vec<u8>) -> (String, calamine::Range<Data>) {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx opens");
    let name = book.sheet_names().first().cloned().expect("one sheet");
    let range = book.worksheet_range(&name).expect("sheet");
    (name, range)
}

#[test]
fn every_workbook_reads_back_cell_by_cell_with_numbers_as_numbers() {
    let (a, b) = (
        tempfile::tempdir().expect("tmp"),
        tempfile::tempdir().expect("tmp"),
    );
    let (village, budget) = (village(a.path()), budget_village(b.path()));
    for (name, sheet) in sheets(&village, &budget, Lang::Zh) {
        let (sheet_name, range) = read_back(xlsx_bytes(&sheet).expect("xlsx"));
        assert_eq!(
            sheet_name, sheet.title,
            "{name}: the sheet is named after the report"
        );
        let at = |row: usize, col: usize| {
            range
                .get_value((row as u32, col as u32))
                .filter(|d| **d != Data::Empty)
                .cloned()
        };
        assert_eq!(at(0, 0), Some(Data::String(sheet.title.clone())), "{name}");
        assert_eq!(
            at(1, 0),
            Some(Data::String(format!("{STATION}    {}", sheet.period))),
            "{name}"
        );
        let mut row = 2;
        let columns = sheet.tables[0].headers.len();
        for (t, table) in sheet.tables.iter().enumerate() {
            if t > 0 {
                row += 1;
                assert_eq!(
                    at(row, 0),
                    Some(Data::String(table.title.clone())),
                    "{name}"
                );
                row += 1;
            }
            // A smaller further table spreads its first cell over the missing columns.
            let spread = columns.saturating_sub(table.headers.len());
            let col = |i: usize| if i == 0 { 0 } else { i + spread };
            for (i, header) in table.headers.iter().enumerate() {
                assert_eq!(
                    at(row, col(i)),
                    Some(Data::String(header.clone())),
                    "{name}"
                );
            }
            row += 1;
            for cells in &table.rows {
                for (i, cell) in cells.iter().enumerate() {
                    assert_eq!(at(row, col(i)), expected(cell), "{name} row {row} col {i}");
                }
                row += 1;
            }
        }
        let signed_row = row + 1 + usize::from(!sheet.notes.is_empty()) * (1 + sheet.notes.len());
        assert_eq!(
            at(signed_row, 0),
            Some(Data::String(format!("{}：", sheet.signatures[0]))),
            "{name}: the lines to sign"
        );
        // Every signer has a place on the signature row (经办人, 审核人, 商户签字, 公示时间…).
        let signers: String = (0..columns.max(1) * 2)
            .filter_map(|c| at(signed_row, c))
            .map(|d| d.to_string())
            .collect();
        for who in &sheet.signatures {
            assert!(signers.contains(who.as_str()), "{name}: {who} in {signers}");
        }
    }
    // Spot checks on the settlement: yuan are numbers with two decimals, not text.
    let view = village.view().expect("view");
    let settlement = report::settlement(&view, "2026-Q4").expect("settlement");
    let (_, range) = read_back(xlsx_bytes(&settlement.to_sheet(Lang::Zh, STATION)).expect("xlsx"));
    let last = settlement.to_sheet(Lang::Zh, STATION).tables[0].rows.len() + 2;
    assert_eq!(range.get_value((last as u32, 5)), Some(&Data::Float(35.0)));
    assert_eq!(range.get_value((last as u32, 3)), Some(&Data::Float(5.0)));
}

/// The XLSX parts that make a workbook print on A4, one page wide, with its header repeated.
#[test]
fn the_workbook_is_set_up_for_a4_one_page_wide_with_the_header_repeated() {
    let a = tempfile::tempdir().expect("tmp");
    let village = village(a.path());
    let view = village.view().expect("view");
    let sheet = report::board(&view, "2026-09")
        .expect("board")
        .to_sheet(Lang::Zh, STATION);
    let bytes = xlsx_bytes(&sheet).expect("xlsx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
        &mut xml,
    )
    .expect("utf-8");
    assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{xml}");
    assert!(xml.contains("paperSize=\"9\""), "A4: {xml}");
    assert!(
        xml.contains("fitToHeight=\"0\""),
        "one page wide, any height: {xml}"
    );
    let mut workbook = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/workbook.xml").expect("workbook"),
        &mut workbook,
    )
    .expect("utf-8");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    assert!(
        workbook.contains("$3:$3"),
        "the header row repeats: {workbook}"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/styles.xml").expect("styles"),
        &mut styles,
    )
    .expect("utf-8");
    assert!(
        styles.contains("<left style=\"thin\">") || styles.contains("<left style=\"thin\"/>"),
        "cells have borders: {styles}"
    );
    // The board's signers: the one who keeps it, the one who checks it and the posting date.
    for who in ["经办人", "审核人", "公示时间"] {
        assert!(sheet.signatures.iter().any(|s| s == who), "{who}");
    }
    // The settlement's yuan column carries the 0.00 number format.
    let settlement = report::settlement(&view, "2026-Q4")
        .expect("settlement")
        .to_sheet(Lang::Zh, STATION);
    assert!(settlement.signatures.iter().any(|s| s == "商户签字"));
    let bytes = xlsx_bytes(&settlement).expect("xlsx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/styles.xml").expect("styles"),
        &mut styles,
    )
    .expect("utf-8");
    assert!(
        styles.contains("formatCode=\"0.00\""),
        "yuan as 0.00: {styles}"
    );
}

#[test]
fn the_command_line_writes_xlsx_csv_and_text_and_refuses_other_names() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    common::cli::one_household_shop(dir, "threshold-score", 5, 10, "2026-09", 90, T0);
    for name in ["board.xlsx", "board.csv", "board.txt"] {
        let path = dir.join(name);
        ok(
            dir,
            T0,
            &[
                "report",
                "board",
                "--period",
                "2026-09",
                "--out",
                &path.to_string_lossy(),
            ],
        );
        assert!(path.exists(), "{name}");
    }
    let mut book: Xlsx<_> = calamine::open_workbook(dir.join("board.xlsx")).expect("xlsx");
    let first = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&first).expect("range");
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("积分公示榜".into()))
    );
    let csv = std::fs::read(dir.join("board.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}".as_bytes()), "UTF-8 with BOM");
    let text = std::fs::read_to_string(dir.join("board.txt")).expect("text");
    assert!(text.starts_with("村（V1）  积分公示榜  2026-09"), "{text}");
    assert!(text.contains("公示时间："), "{text}");
    let pdf = dir.join("report.pdf");
    let message = refused(
        dir,
        T0,
        &["report", "stock", "--out", &pdf.to_string_lossy()],
        2,
        "report.pdf",
    );
    assert!(message.contains(".xlsx"), "{message}");
    assert!(!pdf.exists());
    // A close that would write a PDF is refused before the session is closed.
    refused(
        dir,
        T0,
        &["close-day", "--out", &pdf.to_string_lossy()],
        2,
        "report.pdf",
    );
    let en = aixin(
        dir,
        T0,
        &[
            "--lang",
            "en",
            "report",
            "budget",
            "--out",
            &pdf.to_string_lossy(),
        ],
    );
    assert_eq!(en.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&en.stderr).contains("nothing was written"));
    // A policy without a village budget has no budget report.
    refused(dir, T0, &["report", "budget"], 1, "没有全村积分预算");
}

/// LibreOffice's command, if it is installed.
fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|cmd| {
        Process::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn tool(name: &str) -> bool {
    Process::new(name)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// Each report of the demo station (two hundred households: several pages) converted to PDF by
/// LibreOffice: every page is A4, and every page carries the first and the last column's
/// heading (the header row repeats and no column moved to a page of its own).
#[test]
fn every_workbook_prints_one_page_wide_on_a4_in_libreoffice() {
    let Some(soffice) = soffice() else {
        eprintln!(
            "skipped: LibreOffice (soffice) is not installed; apt-get install libreoffice-calc"
        );
        return;
    };
    if !tool("pdfinfo") || !tool("pdftotext") {
        eprintln!("skipped: pdfinfo/pdftotext are not installed; apt-get install poppler-utils");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let mut demo = Ledger::create(&tmp.path().join("ledger.redb")).expect("ledger");
    let now_ms = 1_795_226_400_000; // 2026-11-21
    aixin::demo::build_demo(&mut demo, now_ms).expect("demo");
    let b = tempfile::tempdir().expect("tmp");
    let budget = budget_village(b.path());
    let view = demo.view().expect("view");
    let station = "李家村爱心超市（LJC01）";
    let mut workbooks: Vec<(String, Sheet)> = vec![
        (
            "board".into(),
            report::board(&view, "2026-10")
                .expect("board")
                .to_sheet(Lang::Zh, station),
        ),
        (
            "session".into(),
            report::session_report(&view, None)
                .expect("X")
                .to_sheet(Lang::Zh, station),
        ),
        (
            "stock".into(),
            report::stock_report(&view)
                .expect("stock")
                .to_sheet(Lang::Zh, station),
        ),
        (
            "donations".into(),
            report::donation_report(&view)
                .expect("don")
                .to_sheet(Lang::Zh, station),
        ),
        (
            "settlement".into(),
            report::settlement(&view, "2026-Q4")
                .expect("s")
                .to_sheet(Lang::Zh, station),
        ),
        (
            "budget".into(),
            report::budget_report(&budget.view().expect("v"), 2026)
                .expect("b")
                .to_sheet(Lang::Zh, station),
        ),
    ];
    // The busiest recent day of the demo, in English.
    let day = (1..60)
        .map(|back| CivilDate::from_utc_ms(now_ms - back * DAY_MS).to_string())
        .map(|date| report::day_report(&view, &date).expect("day"))
        .max_by_key(|d| d.lines.len())
        .expect("a day");
    assert!(day.lines.len() > 10, "a busy day: {}", day.lines.len());
    workbooks.push(("day".into(), day.to_sheet(Lang::En, station)));
    let out = tempfile::tempdir().expect("tmp");
    let mut files = Vec::new();
    for (name, sheet) in &workbooks {
        let path = out.path().join(format!("{name}.xlsx"));
        std::fs::write(&path, xlsx_bytes(sheet).expect("xlsx")).expect("write");
        files.push(path);
    }
    let profile = out.path().join("lo-profile");
    let converted = Process::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .args(&files)
        .output()
        .expect("run soffice");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    for (name, sheet) in &workbooks {
        let pdf = out.path().join(format!("{name}.pdf"));
        let info = Process::new("pdfinfo")
            .args(["-f", "1", "-l", "999"])
            .arg(&pdf)
            .output()
            .expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout).into_owned();
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains(" size:"))
            .collect();
        assert!(!sizes.is_empty(), "{name}: {info}");
        for size in &sizes {
            assert!(
                size.contains("595") && size.contains("841"),
                "{name}: not A4: {size}"
            );
        }
        let text = Process::new("pdftotext")
            .args(["-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8_lossy(&text.stdout).into_owned();
        let headers = &sheet.tables[0].headers;
        let squeeze =
            |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
        let (first, last) = (
            squeeze(headers.first().expect("a column")),
            squeeze(headers.last().expect("a column")),
        );
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(pages.len(), sizes.len(), "{name}: one text per page");
        for (i, page) in pages.iter().enumerate() {
            let squeezed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                squeezed.contains(first.as_str()) && squeezed.contains(last.as_str()),
                "{name} page {}: the header {first}…{last} is not whole on it:\n{page}",
                i + 1
            );
        }
        eprintln!("{name}: {} page(s), one page wide", pages.len());
    }
}

/// 2026-11-21 12:00 China: the demo station is filled up to an hour before.
const DEMO_NOW: &str = "2026-11-21T04:00:00Z";

/// The text reports a manager prints on the demo station (`aixin init --demo`), in `lang`,
/// as the binary prints them: every report, and the day log of the demo's last two weeks.
fn demo_reports(dir: &Path, lang: &str) -> Vec<(String, String)> {
    let mut runs: Vec<Vec<String>> = [
        &["report", "day"][..],
        &["report", "session"],
        &["report", "session", "--z", "1"],
        &["report", "board"],
        &["report", "settlement"],
        &["report", "stock"],
        &["report", "donations"],
        &["report", "stats"],
    ]
    .iter()
    .map(|args| args.iter().map(|a| a.to_string()).collect())
    .collect();
    for day in 8..=21 {
        runs.push(vec![
            "log".into(),
            "--date".into(),
            format!("2026-11-{day:02}"),
        ]);
    }
    runs.iter()
        .map(|args| {
            let mut all = vec!["--lang", lang];
            all.extend(args.iter().map(String::as_str));
            (args.join(" "), ok(dir, DEMO_NOW, &all))
        })
        .collect()
}

/// How many times `name` is printed whole in `text`.
fn printed(text: &str, name: &str) -> usize {
    text.matches(name).count()
}

#[test]
fn every_text_report_of_the_demo_station_fits_80_columns_with_names_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    ok(dir, DEMO_NOW, &["init", "--demo"]);
    let goods = common::cli::json(dir, DEMO_NOW, &["goods", "list"]);
    let names: Vec<String> = goods
        .as_array()
        .expect("goods list")
        .iter()
        .filter_map(|g| g["goods"]["name"].as_str().map(String::from))
        .collect();
    assert!(names.len() > 20, "{} demo goods", names.len());
    let zh = demo_reports(dir, "zh");
    let en = demo_reports(dir, "en");
    let mut wrong = Vec::new();
    for ((what, zh), (_, en)) in zh.iter().zip(&en) {
        for (lang, text) in [("zh", zh), ("en", en)] {
            for line in text.lines() {
                if unicode_width::UnicodeWidthStr::width(line) > 80 {
                    wrong.push(format!("{what} ({lang}): wider than 80: {line}"));
                }
            }
        }
        // A goods name printed whole in Chinese is printed whole in English: "儿童羽绒服"
        // is never "儿童羽绒" over "服", nor "火腿肠 10支" over two lines. (Checked where
        // the goods have a column; the logs' "what happened" is prose that wraps.)
        let goods_column = ["report stock", "report settlement", "report donations"];
        if !goods_column.contains(&what.as_str()) {
            continue;
        }
        for name in &names {
            let (in_zh, in_en) = (printed(zh, name), printed(en, name));
            if in_en < in_zh {
                wrong.push(format!(
                    "{what} (en): {name:?} whole {in_en} times, in Chinese {in_zh}:\n{en}"
                ));
            }
        }
    }
    let donations = |text: &str| names.iter().map(|n| printed(text, n)).sum::<usize>();
    let (zh_donations, en_donations) = (&zh[6].1, &en[6].1);
    assert!(
        donations(zh_donations) > 5,
        "the demo's donations name their goods:\n{zh_donations}"
    );
    // Every heading of the English donation ledger takes one line, as the Chinese ones do
    // ("in stock" and "points value" took two): the line above the rule is not a second
    // line of headings, which starts with the date column's spaces.
    let one_line = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines
            .iter()
            .position(|l| l.starts_with("----"))
            .is_some_and(|rule| rule >= 1 && !lines[rule - 1].starts_with(' '))
    };
    assert!(one_line(zh_donations), "{zh_donations}");
    if !one_line(en_donations) {
        wrong.push(format!(
            "donations (en): headings over two lines:\n{en_donations}"
        ));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
