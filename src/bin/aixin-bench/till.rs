//! The till section of `aixin-bench`: start-up to the first frame on the demo station, one
//! keystroke to its frame on a big station (search, update and render into an 80×24
//! `TestBackend`), and the till's peak RSS in a fresh process (`tui-rss-probe`).

use std::path::Path;
use std::time::Instant;

use aixin::domain::event::{StationRole, StockSource};
use aixin::domain::Command;
use aixin::store::Ledger;

use crate::ledger::{exec_batches, goods, household, policy, START_MS};
use crate::stats::{median, ms, peak_rss_kib, percentile};

/// Keystroke → search + update + render into an 80×24 `TestBackend`, on a station with
/// `households` households and 2,000 goods; start-up to first frame on the demo station; the
/// till's peak RSS on the big station (in a fresh process).
pub fn tui_bench(dir: &Path, households: u64) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let demo_path = dir.join("demo.redb");
    {
        let mut demo = Ledger::create(&demo_path).map_err(|e| e.to_string())?;
        aixin::demo::build_demo(&mut demo, START_MS).map_err(|e| e.to_string())?;
    }
    let mut startups = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        open_till(&demo_path, &dir.join("receipts"))?;
        startups.push(t.elapsed());
    }
    println!(
        "till start-up to first frame (demo station, 80x24): median {} p99 {}",
        ms(median(&startups)),
        ms(percentile(&startups, 99))
    );

    let big_path = dir.join("big.redb");
    {
        let mut ledger = Ledger::create(&big_path).map_err(|e| e.to_string())?;
        let mut setup = vec![Command::Init {
            station_id: "B3".into(),
            name: "bench".into(),
            role: StationRole::Village,
            policy: policy()?,
        }];
        setup.extend((0..2_000).map(goods));
        setup.extend((0..2_000).map(|j| Command::ReceiveStock {
            goods_id: format!("G{j:05}"),
            quantity: 50,
            source: StockSource::Donation {
                donor: "bench".into(),
            },
        }));
        setup.extend((0..households).map(household));
        exec_batches(&mut ledger, START_MS, setup)?;
    }
    let t = Instant::now();
    let (mut app, mut terminal) = open_till(&big_path, &dir.join("receipts"))?;
    let big_start = t.elapsed();
    let samples = type_queries(&mut app, &mut terminal, 25)?;
    println!(
        "till keystroke to frame ({households} households, 2,000 goods, {} keys): median {} p99 {}; start-up on that station {}",
        samples.len(),
        ms(median(&samples)),
        ms(percentile(&samples, 99)),
        ms(big_start)
    );
    drop(app);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let probe = std::process::Command::new(exe)
        .arg("tui-rss-probe")
        .arg(&big_path)
        .output()
        .map_err(|e| e.to_string())?;
    print!("{}", String::from_utf8_lossy(&probe.stdout));
    Ok(())
}

/// Opens the till on a ledger file and draws its first frame into an 80×24 `TestBackend`.
pub(crate) fn open_till(
    path: &Path,
    receipts: &Path,
) -> Result<
    (
        aixin::tui::App,
        ratatui::Terminal<ratatui::backend::TestBackend>,
    ),
    String,
> {
    use aixin::tui::{Access, App, Clock, Keymap};
    let ledger = Ledger::open(path).map_err(|e| e.to_string())?;
    let keymap = Keymap::load(None).map_err(|e| e.to_string())?;
    let app = App::starting(
        ledger,
        aixin::i18n::Lang::Zh,
        "bench",
        Access::Till,
        receipts.to_path_buf(),
        keymap,
        Clock::Fixed(START_MS),
    )
    .map_err(|e| e.to_string())?;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .map_err(|e| e.to_string())?;
    terminal.draw(|f| app.draw(f)).map_err(|e| e.to_string())?;
    Ok((app, terminal))
}

/// Opens the till on a ledger without a terminal, draws, types a search, and reports peak RSS.
pub fn tui_rss_probe(args: &[String]) {
    use aixin::tui::{KeyName, KeyPress};
    let Some(path) = args.first() else {
        eprintln!("usage: aixin-bench tui-rss-probe LEDGER");
        return;
    };
    let run = || -> Result<(), String> {
        let (mut app, mut terminal) = open_till(Path::new(path), &std::env::temp_dir())?;
        for c in "zhangsan".chars() {
            app.press(KeyPress::plain(KeyName::Char(c)));
            terminal.draw(|f| app.draw(f)).map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let outcome = run();
    println!(
        "till process on the big station: {}, peak RSS {:.1} MiB",
        if outcome.is_ok() { "ok" } else { "FAILED" },
        peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
}

/// Types pinyin, initials, card and phone queries letter by letter and erases them, as a
/// manager does at the counter, `rounds` times; each key's search + update + render time.
pub(crate) fn type_queries(
    app: &mut aixin::tui::App,
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    rounds: usize,
) -> Result<Vec<std::time::Duration>, String> {
    use aixin::tui::{KeyName, KeyPress};
    let queries = [
        "zhang", "wjl", "lj00123", "liu", "chen", "138000", "hgm", "wang",
    ];
    let mut keys = Vec::new();
    for _ in 0..rounds {
        for q in queries {
            keys.extend(q.chars().map(KeyName::Char));
            keys.extend(std::iter::repeat_n(KeyName::Backspace, q.chars().count()));
        }
    }
    let mut samples = Vec::with_capacity(keys.len());
    for key in keys {
        let t = Instant::now();
        app.press(KeyPress::plain(key));
        terminal.draw(|f| app.draw(f)).map_err(|e| e.to_string())?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// `startup-probe LEDGER`: where the till's start-up goes, phase by phase, on an existing file.
pub fn startup_probe(args: &[String]) {
    let Some(path) = args.first() else {
        eprintln!("usage: aixin-bench startup-probe LEDGER");
        return;
    };
    let run = || -> Result<(), String> {
        let path = Path::new(path);
        let t = Instant::now();
        let ledger = Ledger::open(path).map_err(|e| e.to_string())?;
        let open = t.elapsed();
        let t = Instant::now();
        let view = ledger.view().map_err(|e| e.to_string())?;
        let mut n = 0u64;
        view.for_each_household(|_| {
            n += 1;
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        let decode = t.elapsed();
        let t = Instant::now();
        let goods = view.goods().map_err(|e| e.to_string())?;
        let goods_read = t.elapsed();
        let t = Instant::now();
        let (_data, pending) =
            aixin::tui::data::Data::load_deferred(ledger.view().map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        let deferred = t.elapsed();
        let t = Instant::now();
        let mut data = _data;
        if pending.install(&mut data).is_err() {
            return Err("households not loaded".into());
        }
        let index = t.elapsed();
        let t = Instant::now();
        let keymap = aixin::tui::Keymap::load(None).map_err(|e| e.to_string())?;
        let keymap_t = t.elapsed();
        drop(keymap);
        let t = Instant::now();
        drop(view);
        drop(ledger);
        let (app, mut terminal) = open_till(path, &std::env::temp_dir())?;
        let whole = t.elapsed();
        let t = Instant::now();
        terminal.draw(|f| app.draw(f)).map_err(|e| e.to_string())?;
        let draw = t.elapsed();
        println!(
            "open {} | decode {n} households {} | goods {} ({}) | load_deferred {} | index wait {} | keymap {} | open_till {} | draw {}",
            ms(open), ms(decode), goods.len(), ms(goods_read), ms(deferred), ms(index), ms(keymap_t), ms(whole), ms(draw)
        );
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("aixin-bench: startup-probe: {e}");
    }
}
