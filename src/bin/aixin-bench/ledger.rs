//! The ledger section of `aixin-bench`: the fsync floor, redb's bare durable commit, a sale
//! commit on a small and on a big ledger (100,000 households, 1,000,000 events), lookups at
//! that size, and the peak RSS of the real CLI on the big ledger (`rss-probe`). Also the
//! synthetic households and goods the till section reuses.

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::DAY_MS;
use aixin::domain::{Command, HouseholdRef};
use aixin::store::Ledger;

use crate::stats::{machine, median, ms, peak_rss_kib, percentile, ratio, us};

/// 2026-10-01T02:00:00Z.
pub const START_MS: i64 = 1_790_820_000_000;
/// Commands per transaction while filling a ledger.
const BATCH: usize = 10_000;

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
    '何', '高', '林', '罗',
];
const GIVEN: &[char] = &[
    '建', '国', '秀', '英', '桂', '兰', '德', '明', '玉', '梅', '志', '强', '春', '花', '海', '军',
    '红', '霞', '福', '林',
];

/// The ledger section: every figure, printed as it is measured; the data under `dir`.
pub fn run(dir: &Path, households: u64, events: u64) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    println!(
        "aixin-bench on {} ({} cores), data in {}",
        machine(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        dir.display()
    );

    let floor = fsync_floor(&dir.join("floor.bin"), 300)?;
    println!(
        "fsync floor (4 KiB write + fsync): median {}",
        ms(median(&floor))
    );

    let bare = redb_single_row(&dir.join("bare.redb"), 300)?;
    println!(
        "redb bare single-row commit (Immediate), fresh file: median {} = {:.2}x the floor",
        ms(median(&bare)),
        ratio(median(&bare), median(&floor))
    );

    let small = sale_commits(&dir.join("small.redb"), 300)?;
    let small_median = median(&small);
    println!(
        "sale commit, small ledger: median {} p99 {} = {:.2}x the floor",
        ms(small_median),
        ms(percentile(&small, 99)),
        ratio(small_median, median(&floor))
    );

    let big_path = dir.join("big.redb");
    let started = Instant::now();
    let (mut ledger, written) = load_big(&big_path, households, events)?;
    let load = started.elapsed();
    let size = std::fs::metadata(&big_path).map(|m| m.len()).unwrap_or(0);
    println!(
        "load {households} households + {written} events: {:.1} s ({:.0} events/s), file {:.1} MiB ({:.0} bytes/event)",
        load.as_secs_f64(),
        written as f64 / load.as_secs_f64(),
        size as f64 / 1_048_576.0,
        size as f64 / written.max(1) as f64
    );

    let (big_sales, floor_again) = big_sales(&mut ledger, households, 300, &dir.join("floor.bin"))?;
    println!(
        "sale commit, big ledger: median {} p99 {} = {:.2}x the floor (interleaved floor median {})",
        ms(median(&big_sales)),
        ms(percentile(&big_sales, 99)),
        ratio(median(&big_sales), median(&floor_again)),
        ms(median(&floor_again))
    );
    drop(ledger);
    let bare_big = redb_single_row(&big_path, 200)?;
    println!(
        "redb bare single-row commit on the big file: median {} = {:.2}x the floor; sale/bare = {:.2}",
        ms(median(&bare_big)),
        ratio(median(&bare_big), median(&floor_again)),
        ratio(median(&big_sales), median(&bare_big))
    );
    let ledger = Ledger::open(&big_path).map_err(|e| e.to_string())?;

    let (cards, names) = lookups(&ledger, households, 2_000)?;
    println!(
        "lookup by card: median {} p99 {}",
        us(median(&cards)),
        us(percentile(&cards, 99))
    );
    println!(
        "lookup by name prefix (20 results): median {} p99 {}",
        us(median(&names)),
        us(percentile(&names, 99))
    );
    drop(ledger);

    println!(
        "peak RSS of this process: {:.1} MiB",
        peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let probe = std::process::Command::new(exe)
        .arg("rss-probe")
        .arg(dir)
        .arg(card(7))
        .output()
        .map_err(|e| e.to_string())?;
    print!("{}", String::from_utf8_lossy(&probe.stdout));
    Ok(())
}

fn fsync_floor(path: &Path, rounds: usize) -> Result<Vec<Duration>, String> {
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| e.to_string())?;
    let block = [0x5au8; 4096];
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        file.write_all(&block).map_err(|e| e.to_string())?;
        file.sync_all().map_err(|e| e.to_string())?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// redb's own durable commit of one small row: the reference the ledger's overhead sits on.
fn redb_single_row(path: &Path, rounds: usize) -> Result<Vec<Duration>, String> {
    const SCRATCH: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("bench_scratch");
    let db = if path.exists() {
        redb::Database::builder()
            .set_cache_size(aixin::store::ledger::CACHE_BYTES)
            .open(path)
    } else {
        redb::Database::builder()
            .set_cache_size(aixin::store::ledger::CACHE_BYTES)
            .create(path)
    }
    .map_err(|e| e.to_string())?;
    let mut samples = Vec::with_capacity(rounds);
    for i in 0..rounds as u64 {
        let t = Instant::now();
        let mut txn = db.begin_write().map_err(|e| e.to_string())?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(|e| e.to_string())?;
        {
            let mut table = txn.open_table(SCRATCH).map_err(|e| e.to_string())?;
            table
                .insert(i, [7u8; 200].as_slice())
                .map_err(|e| e.to_string())?;
        }
        txn.commit().map_err(|e| e.to_string())?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// The member-card policy: direct points, no cap, no budget, no publicity.
pub fn policy() -> Result<aixin::domain::Policy, String> {
    // Member card: direct points, no cap, no budget, no publicity: easy to fund in bulk.
    aixin::policies::builtin("member-card")
        .ok_or("policy missing")?
        .map_err(|e| e.to_string())
}

/// Synthetic household `i`'s card number, `LJ0000007`.
pub fn card(i: u64) -> String {
    format!("LJ{i:07}")
}

/// Synthetic household `i`'s head of household, three characters from small lists.
pub fn name(i: u64) -> String {
    let s = SURNAMES[(i % SURNAMES.len() as u64) as usize];
    let a = GIVEN[((i / 20) % GIVEN.len() as u64) as usize];
    let b = GIVEN[((i / 400) % GIVEN.len() as u64) as usize];
    format!("{s}{a}{b}")
}

/// Registers synthetic household `i` (id `H0000007`, a generated name, a phone).
pub fn household(i: u64) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: format!("H{i:07}"),
            card_no: card(i),
            head: name(i),
            members: vec![],
            group: format!("{}组", i % 8 + 1),
            phone: format!("138{i:08}"),
            registered_poor: i.is_multiple_of(4),
        },
    }
}

/// Defines synthetic goods `j` (id `G00007`, 2 points, in the 2-point zone).
pub fn goods(j: u64) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: format!("G{j:05}"),
            name: format!("商品{j}"),
            unit: "个".into(),
            barcode: format!("69{j:011}"),
            price_points: 2,
            zone: Zone::Points(2),
            category: "日用".into(),
            supplier: "县供销社".into(),
        },
    }
}

/// Runs `commands` in batches of [`BATCH`] at `now`; returns the events written.
pub fn exec_batches(ledger: &mut Ledger, now: i64, commands: Vec<Command>) -> Result<u64, String> {
    let mut written = 0;
    for chunk in commands.chunks(BATCH) {
        written += ledger
            .execute_batch("bench", now, chunk)
            .map_err(|e| format!("{e:?}"))?
            .len() as u64;
    }
    Ok(written)
}

fn sale_commits(path: &Path, rounds: usize) -> Result<Vec<Duration>, String> {
    let mut ledger = Ledger::create(path).map_err(|e| e.to_string())?;
    let init = Command::Init {
        station_id: "B1".into(),
        name: "bench".into(),
        role: StationRole::Village,
        policy: policy()?,
    };
    let mut setup = vec![init];
    setup.extend((0..20).map(household));
    setup.push(goods(0));
    setup.push(Command::ReceiveStock {
        goods_id: "G00000".into(),
        quantity: 100_000,
        source: StockSource::Donation {
            donor: "bench".into(),
        },
    });
    let mut now = START_MS;
    exec_batches(&mut ledger, now, setup)?;
    fund(&mut ledger, &mut now, 0..20)?;
    let mut samples = Vec::with_capacity(rounds);
    for i in 0..rounds as u64 {
        samples.push(timed_sale(&mut ledger, &card(i % 20), "G00000", now)?);
    }
    Ok(samples)
}

/// Scores 100 for each household and confirms it: 100 points each.
fn fund(ledger: &mut Ledger, now: &mut i64, range: std::ops::Range<u64>) -> Result<u64, String> {
    let mut written = 0;
    let period = aixin::domain::time::CivilDate::from_utc_ms(*now)
        .period(aixin::domain::time::PeriodKind::Month)
        .0;
    let scores: Vec<Command> = range
        .clone()
        .map(|i| Command::EnterScore {
            household_id: format!("H{i:07}"),
            period: period.clone(),
            score: 100,
            note: String::new(),
        })
        .collect();
    let first_seq = ledger
        .view()
        .map_err(|e| e.to_string())?
        .require_meta()
        .map_err(|e| e.to_string())?
        .head_seq
        + 1;
    written += exec_batches(ledger, *now, scores)?;
    *now += DAY_MS;
    let confirms: Vec<Command> = (0..range.end - range.start)
        .map(|k| Command::ConfirmAward {
            award_seq: first_seq + k,
        })
        .collect();
    written += exec_batches(ledger, *now, confirms)?;
    Ok(written)
}

/// A ledger of `households` households and about `events` events at `path` (the recovery
/// section's too).
pub fn load_big(path: &Path, households: u64, events: u64) -> Result<(Ledger, u64), String> {
    let mut ledger = Ledger::create(path).map_err(|e| e.to_string())?;
    let written = fill(&mut ledger, households, events)?;
    Ok((ledger, written))
}

/// Fills a new ledger with a station of `households` households and 2,000 goods (the even ones
/// donated, the odd ones supplied by a merchant, so that the donation ledger and the
/// settlement both have lines), funds every household with 100 points under a village budget
/// (so the budget report has figures), then sells until about `events` events are written (at
/// most 50 sales a household), closing the till session after the first round of sales (so
/// there is a Z report as well as the open session's X report). Returns the events written.
pub fn fill(ledger: &mut Ledger, households: u64, events: u64) -> Result<u64, String> {
    let mut now = START_MS;
    let goods_count = 2_000u64;
    let mut setup = vec![Command::Init {
        station_id: "B2".into(),
        name: "bench".into(),
        role: StationRole::Village,
        policy: budget_policy(households)?,
    }];
    setup.extend((0..goods_count).map(goods));
    setup.extend((0..goods_count).map(|j| Command::ReceiveStock {
        goods_id: format!("G{j:05}"),
        quantity: 100_000,
        source: if j.is_multiple_of(2) {
            StockSource::Donation {
                donor: "bench".into(),
            }
        } else {
            StockSource::Supply {
                merchant: "县供销社".into(),
            }
        },
    }));
    setup.extend((0..households).map(household));
    let mut written = exec_batches(ledger, now, setup)?;
    written += fund(ledger, &mut now, 0..households)?;
    // Sales fill the rest: each household spends 2 points at a time, up to 50 sales each.
    let mut round = 0u64;
    while written < events && round < 50 {
        let remaining = events - written;
        let n = remaining.min(households);
        let sales: Vec<Command> = (0..n)
            .map(|i| Command::Redeem {
                household: HouseholdRef::Card(card(i)),
                lines: vec![(format!("G{:05}", (i + round) % goods_count), 1)],
                proxy: None,
            })
            .collect();
        now += 60_000;
        written += exec_batches(ledger, now, sales)?;
        if round == 0 {
            written += exec_batches(ledger, now, vec![Command::CloseSession])?;
        }
        round += 1;
    }
    Ok(written)
}

/// The member-card policy with a village budget big enough for [`fill`]'s funding (100 points
/// a household in one month), so that the budget report has a budget and its use.
fn budget_policy(households: u64) -> Result<aixin::domain::Policy, String> {
    let mut policy = policy()?;
    policy.budget = Some(aixin::domain::policy::Budget {
        population: u32::try_from(households.saturating_mul(3)).unwrap_or(u32::MAX),
        tiers: vec![aixin::domain::policy::BudgetTier {
            population_max: u32::MAX,
            monthly_points: i64::try_from(households.saturating_mul(100)).unwrap_or(i64::MAX),
        }],
    });
    Ok(policy)
}

/// Durable sales on the big ledger, each right after one floor sample (4 KiB write + fsync on
/// the same disk), so both see the same disk weather: returns (sales, floors).
fn big_sales(
    ledger: &mut Ledger,
    households: u64,
    rounds: usize,
    floor_path: &Path,
) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let now = START_MS + 60 * DAY_MS;
    let mut floor = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(floor_path)
        .map_err(|e| e.to_string())?;
    let block = [0x5au8; 4096];
    let mut samples = Vec::with_capacity(rounds);
    let mut floors = Vec::with_capacity(rounds);
    for i in 0..rounds as u64 {
        let t = Instant::now();
        floor.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        floor.write_all(&block).map_err(|e| e.to_string())?;
        floor.sync_all().map_err(|e| e.to_string())?;
        floors.push(t.elapsed());
        let who = (i * 7919) % households;
        let command = Command::Redeem {
            household: HouseholdRef::Card(card(who)),
            lines: vec![("G00001".into(), 1)],
            proxy: None,
        };
        let t = Instant::now();
        ledger
            .execute("bench", now, &command)
            .map_err(|e| format!("{e:?}"))?;
        samples.push(t.elapsed());
    }
    Ok((samples, floors))
}

fn lookups(
    ledger: &Ledger,
    households: u64,
    rounds: u64,
) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let view = ledger.view().map_err(|e| e.to_string())?;
    let mut cards = Vec::new();
    let mut names = Vec::new();
    for i in 0..rounds {
        let who = (i * 104_729) % households;
        let t = Instant::now();
        let found = view
            .household_by_card(&card(who))
            .map_err(|e| e.to_string())?;
        cards.push(t.elapsed());
        if found.is_none() {
            return Err(format!("card {} not found", card(who)));
        }
        let full = name(who);
        let prefix: String = full.chars().take(2).collect();
        let t = Instant::now();
        let list = view
            .households_by_name(&prefix, 20)
            .map_err(|e| e.to_string())?;
        names.push(t.elapsed());
        if list.is_empty() {
            return Err(format!("no household named {prefix}…"));
        }
    }
    Ok((cards, names))
}

/// Runs the real CLI code path (balance by card, name lookup) in a fresh process on the big
/// ledger and reports that process's peak RSS.
pub fn rss_probe(args: &[String]) {
    let (Some(dir), Some(card)) = (args.first(), args.get(1)) else {
        eprintln!("usage: aixin-bench rss-probe DIR CARD");
        return;
    };
    let data = Path::new(dir).join("cli");
    let _ = std::fs::create_dir_all(&data);
    let _ = std::fs::rename(Path::new(dir).join("big.redb"), data.join("ledger.redb"));
    let quiet = |argv: &[&str]| aixin::cli::main_with_args(argv.iter().copied());
    let t = Instant::now();
    let result = quiet(&[
        "aixin",
        "--data-dir",
        &data.to_string_lossy(),
        "--json",
        "balance",
        card,
    ]);
    let elapsed = t.elapsed();
    let listed = quiet(&[
        "aixin",
        "--data-dir",
        &data.to_string_lossy(),
        "--json",
        "household",
        "list",
        "--name",
        "王建",
        "--limit",
        "5",
    ]);
    println!(
        "CLI process (aixin balance + household list --name, 100k households): {} + {}, {:.1} ms, peak RSS {:.1} MiB",
        if result.is_ok() { "ok" } else { "FAILED" },
        if listed.is_ok() { "ok" } else { "FAILED" },
        elapsed.as_secs_f64() * 1000.0,
        peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
}

/// One sale of one unit of `goods_id` to the household holding `card_no`, at `now`: how long
/// `Ledger::execute` took (the sale every sale figure of the bench times).
pub fn timed_sale(
    ledger: &mut Ledger,
    card_no: &str,
    goods_id: &str,
    now: i64,
) -> Result<Duration, String> {
    let command = Command::Redeem {
        household: HouseholdRef::Card(card_no.to_string()),
        lines: vec![(goods_id.to_string(), 1)],
        proxy: None,
    };
    let t = Instant::now();
    ledger
        .execute("bench", now, &command)
        .map_err(|e| format!("{e:?}"))?;
    Ok(t.elapsed())
}

/// `sale-probe DIR EVENTS ROUNDS [EVICT_MIB]`: fills a ledger in DIR (a tmpfs for CPU alone, a
/// disk for the whole sale) with EVENTS events, then times ROUNDS sales one after another and
/// prints their median: the loop to run under `perf record` when the sale's cost is studied.
/// With EVICT_MIB, that many MiB are written before each sale (not timed), so the sale runs with
/// cold CPU caches as it does in the bench's interleaved rounds and at a real till.
pub fn sale_probe(args: &[String]) -> Result<String, String> {
    let dir = PathBuf::from(
        args.first()
            .ok_or("sale-probe DIR EVENTS ROUNDS [EVICT_MIB]")?,
    );
    let events: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let rounds: u64 = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let evict_mib: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(0);
    if evict_mib > 4096 {
        return Err(format!("EVICT_MIB {evict_mib} is more than 4096"));
    }
    let mut evict = vec![0u8; evict_mib * 1024 * 1024];
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("sale-probe-{events}.redb"));
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(aixin::store::ledger::journal_path(&path));
    let households = (events / 10).max(20);
    let mut ledger = Ledger::create(&path).map_err(|e| e.to_string())?;
    fill(&mut ledger, households, events)?;
    let now = START_MS + 2 * DAY_MS;
    let mut times = Vec::new();
    for i in 0..rounds {
        let who = card((i * 7919 + 11) % households);
        for line in evict.chunks_mut(64) {
            line[0] = line[0].wrapping_add(1);
        }
        std::hint::black_box(&evict);
        times.push(timed_sale(&mut ledger, &who, "G00001", now)?);
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    drop(ledger);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(aixin::store::ledger::journal_path(&path));
    Ok(format!(
        "{rounds} sales at {events} events ({evict_mib} MiB evicted before each): median {:.1} µs",
        median.as_secs_f64() * 1e6
    ))
}
