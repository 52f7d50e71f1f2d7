//! The monitor's two ways in, with the till involved: while the till holds the ledger,
//! `aixin monitor` says so and how to hand over; after the till was killed, it says the file
//! needs the till once; a read-write open (here `verify`) repairs it. Nothing is written. The
//! monitor's header never names an operator the station does not have.
//! Drives the real till in tmux; without tmux the test says so and passes without running.

mod common;

use std::process::Command;
use std::time::Duration;

use common::cli::{aixin, head, ok, T0};

fn tmux(args: &[&str]) -> bool {
    Command::new("tmux")
        .arg("-f")
        .arg("/dev/null")
        .args(args)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Starts `aixin --data-dir DIR ARGS` at [`T0`] in a detached tmux session of 80x24.
fn start_80x24(session: &str, dir: &std::path::Path, args: &str) -> bool {
    let command = format!(
        "AIXIN_NOW={T0} exec '{}' --data-dir '{}' {args}",
        env!("CARGO_BIN_EXE_aixin"),
        dir.display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "80",
        "-y",
        "24",
        &command,
    ])
}

#[test]
fn monitor_refuses_while_the_till_holds_the_ledger_and_after_a_kill() {
    if !tmux(&["-V"]) {
        eprintln!("note: tmux is not installed; monitor hand-over test not run");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--demo"]);
    let before = head(dir);
    let session = format!("aixin-monitor-{}", std::process::id());
    assert!(start_80x24(&session, dir, ""));
    let held = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        aixin(dir, T0, &["verify"]).status.code() == Some(3)
    });
    assert!(held, "the till never took the ledger");
    let out = aixin(dir, T0, &["--lang", "en", "monitor"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("open in the till") && stderr.contains("F9"),
        "{stderr}"
    );

    // Kill the till as a power cut would.
    let pane_pid = Command::new("tmux")
        .args(["display-message", "-p", "-t", &session, "#{pane_pid}"])
        .output()
        .expect("pid");
    let pid = String::from_utf8_lossy(&pane_pid.stdout).trim().to_string();
    let _ = Command::new("kill").args(["-KILL", &pid]).status();
    tmux(&["kill-session", "-t", &session]);
    let refused = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        let out = aixin(dir, T0, &["--lang", "en", "monitor"]);
        out.status.code() == Some(3)
            && String::from_utf8_lossy(&out.stderr).contains("not closed cleanly")
    });
    assert!(refused, "monitor must refuse a file that needs repair");
    assert_eq!(head(dir), before, "the ledger is exactly as before");
}

#[test]
fn the_monitor_s_header_names_no_operator_the_station_does_not_have() {
    if !tmux(&["-V"]) {
        eprintln!("note: tmux is not installed; monitor header test not run");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--demo"]);
    common::cli::add_manager(dir, T0);
    let session = format!("aixin-monitor-header-{}", std::process::id());
    // No --operator: the default name (管理员) is not one of this station's operators.
    assert!(start_80x24(&session, dir, "monitor"));
    let mut screen = String::new();
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &session])
            .output()
            .expect("capture");
        screen = String::from_utf8_lossy(&out.stdout).to_string();
        if screen.contains("监督") {
            break;
        }
    }
    tmux(&["kill-session", "-t", &session]);
    let header = screen.lines().next().unwrap_or_default().to_string();
    assert!(header.contains("监督员"), "{screen}");
    assert!(!header.contains("管理员"), "{header}");
}
