//! `aixin-bench crash-child DATA_DIR SEED`: the child of the kill -9 harness
//! (`tests/crash.rs`). It runs the real command line, in this process, on a station the parent
//! made: sales, scores, award confirmations, stock receipts and household imports, chosen by a
//! seeded generator, one after another until the parent kills it. Before each command it
//! writes `@begin N KIND` on stdout; only after the command returned done does it read the
//! ledger's head and write `@ack N KIND HEAD_SEQ HEAD_HASH`. A refused command is reported
//! `@refused N KIND`, and anything else ends the child with a message on stderr. Each line is
//! one write to the pipe, so a kill never leaves half of one. The command line's own output
//! (`--json`, one line each) goes to the same stdout; the parent reads only the `@` lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use aixin::store::verify::hex;
use aixin::store::Ledger;

/// Households in one imported file.
const IMPORT_ROWS: usize = 20;
/// Commands a child runs at most before it stops by itself.
const COMMANDS_MAX: u64 = 400;

/// The kinds of command, as named on the `@` lines.
const KINDS: [&str; 5] = ["sale", "score", "confirm", "receipt", "import"];

/// Runs the child until it is killed or has run [`COMMANDS_MAX`] commands; returns the exit
/// code: 0 when it stopped by itself, 1 when a command failed other than by a refusal, 2 on
/// bad usage.
pub fn run(args: &[String]) -> i32 {
    let (Some(dir), Some(seed)) = (args.first(), args.get(1).and_then(|s| s.parse().ok())) else {
        eprintln!("usage: aixin-bench crash-child DATA_DIR SEED");
        return 2;
    };
    match commands(Path::new(dir), seed) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("crash-child: {e}");
            1
        }
    }
}

/// One line on stdout in one write.
fn say(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{line}\n").as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())
}

fn commands(dir: &Path, seed: u64) -> Result<(), String> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for n in 0..COMMANDS_MAX {
        let kind = match next() % 20 {
            0..=9 => 0,
            10..=12 => 1,
            13 => 2,
            14..=15 => 3,
            _ => 4,
        };
        let args = arguments(dir, seed, n, kind)?;
        say(&format!("@begin {n} {}", KINDS[kind]))?;
        let mut argv = vec!["aixin".to_string(), "--data-dir".into()];
        argv.push(dir.display().to_string());
        argv.push("--json".into());
        argv.extend(args);
        match aixin::cli::main_with_args(argv) {
            Ok(()) => {
                let (seq, hash) = head(dir)?;
                say(&format!("@ack {n} {} {seq} {hash}", KINDS[kind]))?;
            }
            Err(failure) if failure.exit_code() == aixin::cli::EXIT_REFUSED => {
                say(&format!("@refused {n} {}", KINDS[kind]))?;
            }
            Err(failure) => return Err(failure.message()),
        }
    }
    Ok(())
}

/// The command line of command `n` of `kind`; an import's file is written first.
fn arguments(dir: &Path, seed: u64, n: u64, kind: usize) -> Result<Vec<String>, String> {
    let words: Vec<String> = match kind {
        0 => vec!["redeem".into(), format!("C{}", n % 5 + 1), "G1:1".into()],
        1 => vec![
            "score".into(),
            "enter".into(),
            format!("H{}", n % 5 + 1),
            "2026-10".into(),
            "20".into(),
        ],
        2 => vec!["award".into(), "confirm".into(), "--due".into()],
        3 => vec![
            "stock".into(),
            "receive".into(),
            "G1".into(),
            "10".into(),
            "--donor".into(),
            "爱心人士".into(),
        ],
        _ => {
            let file = import_file(dir, seed, n);
            let mut text =
                String::from("household_id,card_no,head,members,group,phone,registered_poor\n");
            for j in 0..IMPORT_ROWS {
                let id = import_id(seed, n, j);
                text.push_str(&format!("{id},C{id},户主{j},,一组,,否\n"));
            }
            std::fs::write(&file, text).map_err(|e| e.to_string())?;
            vec![
                "household".into(),
                "import".into(),
                file.display().to_string(),
            ]
        }
    };
    Ok(words)
}

/// The CSV file of import `n` of the child with `seed`.
fn import_file(dir: &Path, seed: u64, n: u64) -> PathBuf {
    dir.join(format!("import-{seed}-{n}.csv"))
}

/// The id of household `j` of import `n` of the child with `seed` (the parent checks an
/// import is all there or not at all by these ids).
fn import_id(seed: u64, n: u64, j: usize) -> String {
    format!("K{seed}N{n}J{j}")
}

/// The ledger's head (seq, hash in hex) as a reader sees it after the command closed it.
fn head(dir: &Path) -> Result<(u64, String), String> {
    let ledger =
        Ledger::open_read_only(&aixin::config::ledger_path(dir)).map_err(|e| e.to_string())?;
    let meta = ledger
        .view()
        .and_then(|v| v.require_meta())
        .map_err(|e| e.to_string())?;
    Ok((meta.head_seq, hex(&meta.head_hash)))
}
