//! `aixin-bench all [--markdown]`: every benchmark in one run, each figure beside the
//! reference measured in the same run, as one table (the body of `docs/performance.md`).
//!
//! The machine is shared and busy, so a reference is only meaningful when measured beside the
//! figure: each sale round runs a bare 4 KiB write + fsync, redb's own single-row commit, our
//! sale and the SQLite peer's sale back to back (ours and the peer's in alternating order), so
//! all four see the same disk and the same neighbours. Our ledgers sit on a counting storage
//! backend, so the pages a sale writes are counted on the very ledger being timed. At each
//! scale it also times every `aixin report` and the export and import of the station's chain
//! (issue 12's "how cost grows"), each beside a bare read or write of the same event rows.

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aixin::store::{Ledger, StoreError};

use crate::counting::{Counted, CountingBackend};
use crate::ledger::{card, name, START_MS};
use crate::stats::{mean, median, percentile};

/// Sale rounds at each scale (each round: floor, redb bare commit, ours, the peer's).
const ROUNDS: usize = 2048;
/// Till start-ups timed at each scale.
const STARTS: usize = 5;
/// Bytes in a redb page and a SQLite page (both defaults).
const PAGE_BYTES: f64 = 4096.0;

/// One line of the table.
struct Row {
    figure: String,
    median: String,
    spread: String,
    reference: String,
    ref_median: String,
    ratio: String,
}

/// Timings summarised: median and the p10–p90 spread.
fn time_cells(samples: &[Duration]) -> (String, String) {
    (
        ms(median(samples)),
        format!(
            "{}–{}",
            ms_bare(percentile(samples, 10)),
            ms_bare(percentile(samples, 90))
        ),
    )
}

fn ms(d: Duration) -> String {
    format!("{} ms", ms_bare(d))
}

fn ms_bare(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        "—".into()
    } else {
        format!("{:.2}×", a / b)
    }
}

impl Row {
    /// A timed figure against a timed reference from the same run.
    fn timed(figure: String, ours: &[Duration], reference: &str, theirs: &[Duration]) -> Row {
        let (median_cell, spread) = time_cells(ours);
        let (ref_median, ref_spread) = time_cells(theirs);
        Row {
            figure,
            median: median_cell,
            spread,
            reference: reference.to_string(),
            ref_median: format!("{ref_median} ({ref_spread})"),
            ratio: ratio(median(ours).as_secs_f64(), median(theirs).as_secs_f64()),
        }
    }

    /// A timed figure's mean against its reference's, each with its 99th percentile: the slow
    /// operations a median leaves out (ours: the journal's checkpoints, the receipts moved to
    /// their table, the code batches; SQLite's: its WAL checkpoints).
    fn mean(figure: String, ours: &[Duration], reference: &str, theirs: &[Duration]) -> Row {
        Row {
            figure,
            median: ms(mean(ours)),
            spread: format!("p99 {}", ms_bare(percentile(ours, 99))),
            reference: reference.to_string(),
            ref_median: format!(
                "{} (p99 {})",
                ms(mean(theirs)),
                ms_bare(percentile(theirs, 99))
            ),
            ratio: ratio(mean(ours).as_secs_f64(), mean(theirs).as_secs_f64()),
        }
    }

    /// A timed figure with no peer.
    fn alone(figure: String, ours: &[Duration]) -> Row {
        let (median_cell, spread) = time_cells(ours);
        Row {
            figure,
            median: median_cell,
            spread,
            reference: "—".into(),
            ref_median: "—".into(),
            ratio: "—".into(),
        }
    }

    /// A count against a count.
    fn count(figure: String, ours: f64, reference: &str, theirs: Option<f64>) -> Row {
        Row {
            figure,
            median: format!("{ours:.1}"),
            spread: "exact".into(),
            reference: reference.to_string(),
            ref_median: theirs.map_or("—".into(), |t| format!("{t:.1}")),
            ratio: theirs.map_or("—".into(), |t| ratio(ours, t)),
        }
    }
}

/// The run's options.
pub struct Options {
    /// Where the files go (the disk a real ledger would be on, not a tmpfs).
    pub dir: PathBuf,
    /// The scales, in events (households are a tenth).
    pub scales: Vec<u64>,
    /// Print a Markdown table (else plain lines).
    pub markdown: bool,
}

/// Runs every benchmark and prints the table.
pub fn run(options: &Options) -> Result<(), String> {
    let dir = &options.dir;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(text)?;
    let load_before = load_average();
    let mut rows = Vec::new();
    for &events in &options.scales {
        eprintln!("aixin-bench: {events} events…");
        scale(dir, events, &mut rows)?;
    }
    let load_after = load_average();
    print_table(options, &rows, &load_before, &load_after);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A comma-grouped count, `1,000,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every figure at one scale: `events` events over `events / 10` households.
fn scale(dir: &Path, events: u64, rows: &mut Vec<Row>) -> Result<(), String> {
    let households = (events / 10).max(20);
    let at = format!("{} ev", grouped(events));
    let ours_path = dir.join(format!("ours-{events}.redb"));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&ours_path)
        .map_err(text)?;
    let (backend, counters) = CountingBackend::new(file)?;
    let journal_file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(aixin::store::ledger::journal_path(&ours_path))
        .map_err(text)?;
    let (journal_backend, journal_counters) = CountingBackend::new(journal_file)?;
    let mut ledger = Ledger::create_with_journal(backend, journal_backend).map_err(text)?;
    let written_now = || counters.now() + journal_counters.now();
    let started = Instant::now();
    let written = crate::ledger::fill(&mut ledger, households, events)?;
    let load = started.elapsed();
    let size = std::fs::metadata(&ours_path).map(|m| m.len()).unwrap_or(0);

    let mut peer = Peer::create(&dir.join(format!("peer-{events}.sqlite")), households)?;
    peer.fill(written, households)?;

    // The sale rounds.
    let floor_path = dir.join("floor.bin");
    let mut floor_file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&floor_path)
        .map_err(text)?;
    let bare_file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(dir.join(format!("bare-{events}.redb")))
        .map_err(text)?;
    let (bare_backend, bare_counters) = CountingBackend::new(bare_file)?;
    let bare = redb::Database::builder()
        .set_cache_size(aixin::store::ledger::CACHE_BYTES)
        .create_with_backend(bare_backend)
        .map_err(text)?;
    let bare_before = bare_counters.now();
    let now = START_MS + 2 * aixin::domain::time::DAY_MS;
    let (mut floors, mut bares, mut ours, mut theirs) = (vec![], vec![], vec![], vec![]);
    let mut theirs_plain = vec![];
    let before: Counted = written_now();
    for i in 0..ROUNDS as u64 {
        floors.push(floor_write(&mut floor_file)?);
        bares.push(bare_commit(&bare, i)?);
        let who = (i * 7919 + 11) % households;
        let mut our_sale = || crate::ledger::timed_sale(&mut ledger, &card(who), "G00001", now);
        // Ours first, second or third in turn, so neither side always follows the other.
        match i % 3 {
            0 => {
                ours.push(our_sale()?);
                theirs.push(peer.sale(&card(who), now)?);
                theirs_plain.push(peer.sale_without_receipt(&card(who), now)?);
            }
            1 => {
                theirs.push(peer.sale(&card(who), now)?);
                ours.push(our_sale()?);
                theirs_plain.push(peer.sale_without_receipt(&card(who), now)?);
            }
            _ => {
                theirs.push(peer.sale(&card(who), now)?);
                theirs_plain.push(peer.sale_without_receipt(&card(who), now)?);
                ours.push(our_sale()?);
            }
        }
    }
    let per_sale = written_now().since(before);
    let per_bare = bare_counters.now().since(bare_before);
    // The same bare commit writing one row into each of seven tables, as many as a sale
    // touches: what redb's copy-on-write costs per table, apart from our rules.
    let seven_before = bare_counters.now();
    for i in 0..50u64 {
        bare_commit_tables(&bare, ROUNDS as u64 + i)?;
    }
    let per_seven = bare_counters.now().since(seven_before);
    drop(bare);
    let n = ROUNDS as f64;
    rows.push(Row::alone(
        format!("4 KiB write + fsync (the floor), {at}"),
        &floors,
    ));
    rows.push(Row::timed(
        format!("redb bare single-row commit, {at}"),
        &bares,
        "4 KiB write + fsync",
        &floors,
    ));
    rows.push(Row::timed(
        format!("**sale** (durable, one transaction, with its numbered receipt), {at}"),
        &ours,
        "SQLite sale with its receipt",
        &theirs,
    ));
    rows.push(Row::timed(
        format!("sale against SQLite's sale without a receipt (issue 12's first reference), {at}"),
        &ours,
        "SQLite sale without a receipt",
        &theirs_plain,
    ));
    rows.push(Row::mean(
        format!("sale, **mean** of the round (with its p99; the slow sales included: journal checkpoints, receipts moved, code batches), {at}"),
        &ours,
        "SQLite sale with its receipt, mean (its WAL checkpoints included)",
        &theirs,
    ));
    rows.push(Row::timed(
        format!("sale against redb's bare commit, {at}"),
        &ours,
        "redb bare single-row commit",
        &bares,
    ));
    let peer_pages = peer.pages_per_sale(households, now)?;
    rows.push(Row::count(
        format!("pages written per sale (bytes / 4 KiB, ledger file + journal; SQLite: WAL frames, a checkpoint copies them later), {at}"),
        per_sale.bytes as f64 / PAGE_BYTES / n,
        "SQLite WAL frames per sale",
        peer_pages,
    ));
    rows.push(Row::count(
        format!("distinct pages made durable per sale (dirty 4 KiB pages at each fsync, ledger file + journal), {at}"),
        per_sale.synced_pages as f64 / n,
        "SQLite WAL frames per sale",
        peer_pages,
    ));
    rows.push(Row::count(
        format!("pages written per redb bare commit: one row in 1 table / in 7 tables, {at}"),
        per_bare.bytes as f64 / PAGE_BYTES / n,
        "the same commit with a row in each of 7 tables",
        Some(per_seven.bytes as f64 / PAGE_BYTES / 50.0),
    ));
    rows.push(Row::count(
        format!("write calls per sale, {at}"),
        per_sale.writes as f64 / n,
        "—",
        None,
    ));
    rows.push(Row::count(
        format!("fsyncs per sale, {at}"),
        per_sale.syncs as f64 / n,
        "SQLite (WAL, FULL): 1 per commit, checkpoints not counted",
        peer_pages.map(|_| 1.0),
    ));

    // Lookups at this size.
    let (mut cards, mut names, mut peer_cards, mut peer_names) = (vec![], vec![], vec![], vec![]);
    {
        let view = ledger.view().map_err(text)?;
        for i in 0..2_000u64 {
            let who = (i * 104_729) % households;
            let t = Instant::now();
            let found = view.household_by_card(&card(who)).map_err(text)?;
            cards.push(t.elapsed());
            if found.is_none() {
                return Err(format!("card {} not found", card(who)));
            }
            let prefix: String = name(who).chars().take(2).collect();
            let t = Instant::now();
            let list = view.households_by_name(&prefix, 20).map_err(text)?;
            names.push(t.elapsed());
            if list.is_empty() {
                return Err(format!("nobody named {prefix}…"));
            }
            if let Some(d) = peer.lookup_card(&card(who))? {
                peer_cards.push(d);
            }
            if let Some(d) = peer.lookup_name(&prefix)? {
                peer_names.push(d);
            }
        }
    }
    rows.push(Row::timed(
        format!("lookup by card, {at}"),
        &cards,
        "SQLite by card",
        &peer_cards,
    ));
    rows.push(Row::timed(
        format!("lookup by name prefix (20 rows), {at}"),
        &names,
        "SQLite by name prefix",
        &peer_names,
    ));

    // Verify: the whole chain and every derived table.
    let t = Instant::now();
    let reports = aixin::store::verify::verify_all(&ledger).map_err(text)?;
    let verify = t.elapsed();
    if reports.iter().any(|r| !r.problems.is_empty()) {
        return Err(format!("verify found problems at {events} events"));
    }
    let peer_verify = peer.verify()?;
    rows.push(Row::timed(
        format!("verify (chain + every derived table), {at}"),
        &[verify],
        "SQLite: rehash the chain",
        &peer_verify.into_iter().collect::<Vec<_>>(),
    ));
    drop(ledger);

    // Start-up of the till, to its first frame, in this process (warm page cache).
    let receipts = dir.join("receipts");
    let mut starts = Vec::new();
    let mut peer_starts = Vec::new();
    let mut readies = Vec::new();
    let mut keys = Vec::new();
    for k in 0..STARTS {
        let t = Instant::now();
        let (mut app, mut terminal) = crate::till::open_till(&ours_path, &receipts)?;
        starts.push(t.elapsed());
        app.settle_households();
        readies.push(t.elapsed());
        if let Some(d) = Peer::start_up(&dir.join(format!("peer-{events}.sqlite")))? {
            peer_starts.push(d);
        }
        if k == 0 {
            keys = crate::till::type_queries(&mut app, &mut terminal, 5)?;
        }
    }
    rows.push(Row::timed(
        format!(
            "till start-up to first frame ({} households), {at}",
            grouped(households)
        ),
        &starts,
        "SQLite: open + read every household row",
        &peer_starts,
    ));
    rows.push(Row::timed(
        format!("till start-up until the search index is in (first key waits for it), {at}"),
        &readies,
        "SQLite: open + read every household row",
        &peer_starts,
    ));
    rows.push(Row::alone(
        format!("till keystroke to frame (search + render 80×24), {at}"),
        &keys,
    ));
    rows.push(Row::alone(
        format!(
            "load {} events ({} MiB, {:.0} B/event), {at}",
            grouped(written),
            size / 1_048_576,
            size as f64 / written.max(1) as f64
        ),
        &[load],
    ));
    report_rows(&ours_path, &at, rows)?;
    sync_rows(dir, &ours_path, events, &at, rows)?;
    Ok(())
}

/// At most this many samples of a report, an export or an import at one scale…
const SCALING_SAMPLES_MAX: usize = 5;
/// …and no new sample once this much time went on the figure and its reference.
const SCALING_BUDGET: Duration = Duration::from_secs(2);
/// Event rows read at a time by the bare scan.
const SCAN_CHUNK: u64 = 10_000;
/// The reference of the report and export rows.
const SCAN: &str = "read every event row (raw bytes, no decode)";

/// Runs `ours` and `reference` alternately (ours first in even rounds), at least once and
/// until [`SCALING_SAMPLES_MAX`] rounds or [`SCALING_BUDGET`]: (ours, reference) samples.
fn paired(
    mut ours: impl FnMut() -> Result<Duration, String>,
    mut reference: impl FnMut() -> Result<Duration, String>,
) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let started = Instant::now();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for k in 0..SCALING_SAMPLES_MAX {
        if k > 0 && started.elapsed() >= SCALING_BUDGET {
            break;
        }
        if k.is_multiple_of(2) {
            a.push(ours()?);
            b.push(reference()?);
        } else {
            b.push(reference()?);
            a.push(ours()?);
        }
    }
    Ok((a, b))
}

/// The floor of anything that reads the whole chain: every event row of the station read in
/// chunks through the library's raw read (`View::raw_events`, what an export copies), bytes
/// only, nothing decoded. Fails unless it read as many rows as the chain's head says.
fn scan_events(ledger: &Ledger) -> Result<Duration, String> {
    let t = Instant::now();
    let view = ledger.view().map_err(text)?;
    let head_seq = view.require_meta().map_err(text)?.head_seq;
    let (mut from, mut bytes) = (1u64, 0usize);
    loop {
        let chunk = view.raw_events(from, u64::MAX, SCAN_CHUNK).map_err(text)?;
        if chunk.is_empty() {
            break;
        }
        bytes += chunk.iter().map(|(_, b)| b.len()).sum::<usize>();
        from += chunk.len() as u64;
    }
    let elapsed = t.elapsed();
    if from != head_seq + 1 || bytes == 0 {
        return Err(format!("the scan read {} of {head_seq} events", from - 1));
    }
    Ok(elapsed)
}

/// One report as `aixin report …` computes it: its command line, what its count is (`{}` stands
/// for the count), and the library call (the one the command-line handler makes) returning how
/// many lines it has.
type ReportCall<'a> = (
    String,
    &'static str,
    Box<dyn Fn(&Ledger, &aixin::store::ledger::View) -> Result<usize, StoreError> + 'a>,
);

/// Every report of `aixin report`, each timed as the command computes it (open a read view,
/// call the library function; printing not included) against a bare scan of the event rows
/// interleaved with it. Each must have lines at every scale: the bench ledger's fill gives
/// every one of them data (scores, a closed till session, donated and supplied lots, a
/// budget), and an empty report fails the run rather than timing nothing.
fn report_rows(ours_path: &Path, at: &str, rows: &mut Vec<Row>) -> Result<(), String> {
    use aixin::domain::time::{CivilDate, PeriodKind, DAY_MS};
    use aixin::report::township::settlement_for_station;
    use aixin::report::{
        board, budget_report, day_report, donation_report, session_report, stats_report,
        stock_report,
    };

    let ledger = Ledger::open(ours_path).map_err(text)?;
    let kind = ledger
        .view()
        .map_err(text)?
        .require_meta()
        .map_err(text)?
        .policy
        .period;
    // The fill scores and sells in its first days; the sale rounds above are a day later.
    let first = CivilDate::from_utc_ms(START_MS);
    let sales_day = CivilDate::from_utc_ms(START_MS + DAY_MS).to_string();
    let today = CivilDate::from_utc_ms(START_MS + 2 * DAY_MS);
    let period = first.period(kind).0;
    let quarter = first.period(PeriodKind::Quarter).0;
    let year = first.year;
    let calls: Vec<ReportCall> = vec![
        (
            format!("day --date {sales_day}"),
            "{} events",
            Box::new(|_, v| Ok(day_report(v, &sales_day)?.lines.len())),
        ),
        (
            "session".into(),
            "X, the open till session: {} events",
            Box::new(|_, v| Ok(session_report(v, None)?.lines.len())),
        ),
        (
            "session --z 1".into(),
            "Z, a closed till session: {} events",
            Box::new(|_, v| Ok(session_report(v, Some(1))?.lines.len())),
        ),
        (
            format!("board --period {period}"),
            "{} households",
            Box::new(|_, v| Ok(board(v, &period)?.rows.len())),
        ),
        (
            "stock".into(),
            "{} goods",
            Box::new(|_, v| Ok(stock_report(v)?.rows.len())),
        ),
        (
            "donations".into(),
            "{} donated lots",
            Box::new(|_, v| Ok(donation_report(v)?.lines.len())),
        ),
        (
            format!("settlement --quarter {quarter}"),
            "{} goods lines of merchants, and donated units",
            Box::new(|l, v| {
                let s = settlement_for_station(l, v, &quarter)?;
                let goods: usize = s.merchants.iter().map(|m| m.goods.len()).sum();
                // Donated units are redeemed too: both kinds of line must be there.
                Ok(if s.donated_units > 0 { goods } else { 0 })
            }),
        ),
        (
            format!("budget --year {year}"),
            "months with awards: {}",
            Box::new(|_, v| {
                let report = budget_report(v, year)?;
                Ok(report.lines.iter().filter(|l| l.used_points > 0).count())
            }),
        ),
        (
            format!("stats --year {year}"),
            "months with points: {}",
            Box::new(|_, v| {
                let report = stats_report(v, year, today)?;
                let months = report.months.iter();
                Ok(months
                    .filter(|m| m.awarded_points > 0 || m.spent_points > 0)
                    .count())
            }),
        ),
    ];
    for (name, unit, call) in &calls {
        let mut lines = 0;
        let ours = || -> Result<Duration, String> {
            let t = Instant::now();
            let view = ledger.view().map_err(text)?;
            lines = call(&ledger, &view).map_err(|e| format!("report {name}: {e}"))?;
            let elapsed = t.elapsed();
            if lines == 0 {
                return Err(format!("report {name} is empty at {at}"));
            }
            Ok(elapsed)
        };
        let (ours, scans) = paired(ours, || scan_events(&ledger))?;
        rows.push(Row::timed(
            format!(
                "`aixin report {name}` ({}), {at}",
                unit.replace("{}", &grouped(lines as u64))
            ),
            &ours,
            SCAN,
            &scans,
        ));
    }
    Ok(())
}

/// Export of the station's whole chain to USB bundles for its township and their import at
/// the township, with the library's sync calls as the sync section makes them
/// ([`crate::sync`]'s helpers): the township is enrolled on the bench ledger (one event), each
/// import goes into a new township ledger. Export is timed against a bare scan of the event
/// rows, import against redb inserting the same rows with one durable commit per bundle.
fn sync_rows(
    dir: &Path,
    ours_path: &Path,
    events: u64,
    at: &str,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    use crate::sync::{enroll, import_all, station};
    use aixin::domain::time::DAY_MS;
    use aixin::domain::StationRole;
    use aixin::sync::exchange::{export_bundles, OutBundle};
    use aixin::sync::keys::StationKeys;

    let now = START_MS + 3 * DAY_MS;
    let (village_keys, township_keys) = (StationKeys::generate(), StationKeys::generate());
    let mut ledger = Ledger::open(ours_path).map_err(text)?;
    let village = ledger.station().to_string();
    enroll(
        &mut ledger,
        "T01",
        StationRole::Township,
        &township_keys,
        now,
    )
    .map_err(text)?;

    let mut bundles: Vec<OutBundle> = Vec::new();
    let export = || -> Result<Duration, String> {
        let t = Instant::now();
        bundles = export_bundles(&ledger, &village_keys, now, Some("T01")).map_err(text)?;
        Ok(t.elapsed())
    };
    let (exports, scans) = paired(export, || scan_events(&ledger))?;
    let exported: u64 = bundles.iter().map(|b| b.header.event_count).sum();
    let bundle_bytes: u64 = bundles.iter().map(|b| b.bytes.len() as u64).sum();
    let head_seq = ledger
        .view()
        .map_err(text)?
        .require_meta()
        .map_err(text)?
        .head_seq;
    if exported != head_seq {
        return Err(format!("exported {exported} of {head_seq} events"));
    }
    // Events per second at the median, comma-grouped.
    let per_s = |samples: &[Duration]| {
        let rate = format!(
            "{:.0}",
            exported as f64 / median(samples).as_secs_f64().max(1e-9)
        );
        rate.parse().map_or(rate, grouped)
    };
    rows.push(Row::timed(
        format!(
            "export to USB bundles ({} events, {:.1} MiB, bundles: {}; {} events/s; built in memory, not written to the stick), {at}",
            grouped(exported),
            bundle_bytes as f64 / 1_048_576.0,
            bundles.len(),
            per_s(&exports)
        ),
        &exports,
        SCAN,
        &scans,
    ));

    let mut round = 0;
    let import = || -> Result<Duration, String> {
        round += 1;
        let township_dir = dir.join(format!("township-{events}-{round}"));
        std::fs::create_dir_all(&township_dir).map_err(text)?;
        let mut township = station(&township_dir, "T01", StationRole::Township, now)?;
        enroll(
            &mut township,
            &village,
            StationRole::Village,
            &village_keys,
            now,
        )
        .map_err(text)?;
        let seconds = import_all(&mut township, &township_keys, &bundles, now)?;
        let held = township.view_of(&village).map_err(text)?;
        let held_seq = held.require_meta().map_err(text)?.head_seq;
        drop(held);
        drop(township);
        let _ = std::fs::remove_dir_all(&township_dir);
        if held_seq != exported {
            return Err(format!(
                "the township holds {held_seq} of {exported} events"
            ));
        }
        Ok(Duration::from_secs_f64(seconds))
    };
    let bare = || bare_import(dir, events, &ledger, &bundles);
    let (imports, bares) = paired(import, bare)?;
    rows.push(Row::timed(
        format!(
            "import of those bundles at the township (signature, decryption, chain check, store, apply; {} events/s), {at}",
            per_s(&imports)
        ),
        &imports,
        "redb bare: the same event rows inserted, one durable commit per bundle",
        &bares,
    ));
    Ok(())
}

/// redb alone storing `bundles`' event rows (read from `ledger` before each bundle's timing) in
/// a new file, one durable commit per bundle: the floor under an import that checks and
/// applies them.
fn bare_import(
    dir: &Path,
    events: u64,
    ledger: &Ledger,
    bundles: &[aixin::sync::exchange::OutBundle],
) -> Result<Duration, String> {
    const ROWS: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("events");
    let path = dir.join(format!("bare-import-{events}.redb"));
    let _ = std::fs::remove_file(&path);
    let db = redb::Database::builder()
        .set_cache_size(aixin::store::ledger::CACHE_BYTES)
        .create(&path)
        .map_err(text)?;
    let view = ledger.view().map_err(text)?;
    let mut elapsed = Duration::ZERO;
    let mut seq = 0u64;
    for bundle in bundles {
        let header = &bundle.header;
        let rows = view
            .raw_events(header.first_seq, header.last_seq, u64::MAX)
            .map_err(text)?;
        let t = Instant::now();
        let mut txn = db.begin_write().map_err(text)?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(text)?;
        {
            let mut table = txn.open_table(ROWS).map_err(text)?;
            for (_, row) in &rows {
                seq += 1;
                table.insert(seq, row.as_slice()).map_err(text)?;
            }
        }
        txn.commit().map_err(text)?;
        elapsed += t.elapsed();
    }
    drop(db);
    let expected: u64 = bundles.iter().map(|b| b.header.event_count).sum();
    if seq != expected {
        return Err(format!("the bare import stored {seq} of {expected} rows"));
    }
    let _ = std::fs::remove_file(&path);
    Ok(elapsed)
}

fn floor_write(file: &mut std::fs::File) -> Result<Duration, String> {
    let block = [0x5au8; 4096];
    let t = Instant::now();
    file.seek(SeekFrom::Start(0)).map_err(text)?;
    file.write_all(&block).map_err(text)?;
    file.sync_all().map_err(text)?;
    Ok(t.elapsed())
}

fn bare_commit(db: &redb::Database, i: u64) -> Result<Duration, String> {
    const SCRATCH: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("bench_scratch");
    let t = Instant::now();
    let mut txn = db.begin_write().map_err(text)?;
    txn.set_durability(redb::Durability::Immediate)
        .map_err(text)?;
    {
        let mut table = txn.open_table(SCRATCH).map_err(text)?;
        table.insert(i, [7u8; 200].as_slice()).map_err(text)?;
    }
    txn.commit().map_err(text)?;
    Ok(t.elapsed())
}

/// A durable commit of one row into each of seven tables (keys after the bare commit's).
fn bare_commit_tables(db: &redb::Database, i: u64) -> Result<(), String> {
    const NAMES: [&str; 7] = ["t1", "t2", "t3", "t4", "t5", "t6", "t7"];
    let mut txn = db.begin_write().map_err(text)?;
    txn.set_durability(redb::Durability::Immediate)
        .map_err(text)?;
    for name in NAMES {
        let definition: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new(name);
        let mut table = txn.open_table(definition).map_err(text)?;
        table.insert(i, [7u8; 100].as_slice()).map_err(text)?;
    }
    txn.commit().map_err(text)?;
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The machine: CPU model, cores, kernel, and the file system under the data dir.
fn machine(dir: &Path) -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_string())
        .unwrap_or_else(|_| "?".into());
    format!(
        "{} ({cores} cores), Linux {kernel}, {} file system",
        crate::stats::machine(),
        file_system(dir)
    )
}

/// The type of the file system holding `dir` (longest mount point that contains it).
fn file_system(dir: &Path) -> String {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return "?".into();
    };
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return "?".into();
    };
    mounts
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (_, point, kind) = (parts.next()?, parts.next()?, parts.next()?);
            dir.starts_with(point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or("?".into(), |(_, kind)| kind)
}

fn print_table(options: &Options, rows: &[Row], load_before: &str, load_after: &str) {
    let machine = machine(&options.dir);
    if options.markdown {
        println!("Machine: {machine}. Load average (1 min) {load_before} at the start, {load_after} at the end.");
        println!();
        println!("| figure | median | spread (p10–p90) | reference (same run) | reference median (p10–p90) | ratio |");
        println!("|---|---:|---:|---|---:|---:|");
        for r in rows {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                r.figure, r.median, r.spread, r.reference, r.ref_median, r.ratio
            );
        }
    } else {
        println!("{machine}; load {load_before} → {load_after}");
        for r in rows {
            println!(
                "{}: {} ({}) vs {}: {} = {}",
                r.figure, r.median, r.spread, r.reference, r.ref_median, r.ratio
            );
        }
    }
}

/// The SQLite peer, or its absence when the bench was built without `bench-peer`: then every
/// reference cell says so instead of holding a number.
#[cfg(feature = "bench-peer")]
struct Peer {
    inner: crate::peer::Peer,
    path: PathBuf,
}

#[cfg(feature = "bench-peer")]
impl Peer {
    fn create(path: &Path, households: u64) -> Result<Peer, String> {
        Ok(Peer {
            inner: crate::peer::Peer::create(path, households, 2_000)?,
            path: path.to_path_buf(),
        })
    }
    fn fill(&mut self, events: u64, households: u64) -> Result<(), String> {
        self.inner.fill(events, households)
    }
    fn sale(&mut self, card: &str, now: i64) -> Result<Duration, String> {
        let t = Instant::now();
        self.inner.sale(card, "G00001", now)?;
        Ok(t.elapsed())
    }
    fn sale_without_receipt(&mut self, card: &str, now: i64) -> Result<Duration, String> {
        let t = Instant::now();
        self.inner.sale_without_receipt(card, "G00001", now)?;
        Ok(t.elapsed())
    }
    fn pages_per_sale(&mut self, households: u64, now: i64) -> Result<Option<f64>, String> {
        let cards: Vec<String> = (0..100u64)
            .map(|i| card((i * 31 + 5) % households))
            .collect();
        self.inner.pages_per_sale(&cards, now).map(Some)
    }
    fn lookup_card(&self, card: &str) -> Result<Option<Duration>, String> {
        self.inner.lookup_card(card).map(Some)
    }
    fn lookup_name(&self, prefix: &str) -> Result<Option<Duration>, String> {
        self.inner.lookup_name(prefix).map(Some)
    }
    fn verify(&self) -> Result<Option<Duration>, String> {
        crate::peer::verify(&self.path).map(Some)
    }
    fn start_up(path: &Path) -> Result<Option<Duration>, String> {
        crate::peer::start_up(path).map(Some)
    }
}

#[cfg(not(feature = "bench-peer"))]
struct Peer;

#[cfg(not(feature = "bench-peer"))]
#[allow(
    clippy::unused_self,
    reason = "the same methods as the real peer's, so the run reads the same either way"
)]
impl Peer {
    fn create(_: &Path, _: u64) -> Result<Peer, String> {
        eprintln!("aixin-bench: built without --features bench-peer: no SQLite references");
        Ok(Peer)
    }
    fn fill(&mut self, _: u64, _: u64) -> Result<(), String> {
        Ok(())
    }
    fn sale(&mut self, _: &str, _: i64) -> Result<Duration, String> {
        Ok(Duration::ZERO)
    }
    fn sale_without_receipt(&mut self, _: &str, _: i64) -> Result<Duration, String> {
        Ok(Duration::ZERO)
    }
    fn pages_per_sale(&mut self, _: u64, _: i64) -> Result<Option<f64>, String> {
        Ok(None)
    }
    fn lookup_card(&self, _: &str) -> Result<Option<Duration>, String> {
        Ok(None)
    }
    fn lookup_name(&self, _: &str) -> Result<Option<Duration>, String> {
        Ok(None)
    }
    fn verify(&self) -> Result<Option<Duration>, String> {
        Ok(None)
    }
    fn start_up(_: &Path) -> Result<Option<Duration>, String> {
        Ok(None)
    }
}
