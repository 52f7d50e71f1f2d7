//! The command line never panics, through the real binary: a reader that closes the pipe early
//! (`aixin log | head -1`, and `--json`), output to a full device, the till started without a
//! terminal, and bad environment values (`AIXIN_NOW`, `AIXIN_LANG`, `AIXIN_DATA_DIR`,
//! `AIXIN_OPERATOR`). Each ends with an exit code and, where something is wrong, one line on
//! stderr that names the way out; a closed pipe ends quietly with the command's own result,
//! as ripgrep's does (the reader took what it wanted).

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::cli::{ok, T0};

fn aixin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aixin"));
    command
        .env_remove("AIXIN_LANG")
        .env_remove("AIXIN_DATA_DIR")
        .env_remove("AIXIN_NOW")
        .env_remove("AIXIN_OPERATOR")
        .stdin(Stdio::null());
    command
}

/// A station with enough households that a listing is longer than a pipe's first read.
fn station() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    ok(
        tmp.path(),
        T0,
        &["init", "--station-id", "V1", "--name", "村"],
    );
    let mut csv = String::from("household_id,card_no,head,members,group,phone,registered_poor\n");
    for i in 0..3_000 {
        csv.push_str(&format!("H{i:05},C{i:05},户主{i},,一组,,否\n"));
    }
    let file = tmp.path().join("h.csv");
    std::fs::write(&file, csv).expect("csv");
    ok(
        tmp.path(),
        T0,
        &["household", "import", &file.to_string_lossy()],
    );
    tmp
}

/// Asserts no panic, the exit code, and stderr's line count; returns stderr.
fn ended(out: &Output, code: i32, stderr_lines: usize, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{what}: panicked: {stderr}");
    assert_eq!(out.status.code(), Some(code), "{what}: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        stderr_lines,
        "{what}: {stderr}"
    );
    stderr
}

/// Runs `args` on `dir` with stdout a pipe the reader closes after `read_bytes` bytes.
fn closed_pipe(dir: &Path, args: &[&str], read_bytes: usize) -> Output {
    let mut child = aixin()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("AIXIN_NOW", T0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = vec![0u8; read_bytes];
    let _ = stdout.read_exact(&mut first);
    drop(stdout);
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_result() {
    let tmp = station();
    for args in [
        &["household", "list", "--limit", "100000"][..],
        &["--json", "household", "list", "--limit", "100000"],
        &["log"],
        &["--json", "log"],
    ] {
        for read_bytes in [0, 10] {
            let out = closed_pipe(tmp.path(), args, read_bytes);
            ended(
                &out,
                0,
                0,
                &format!("{args:?} closed after {read_bytes} bytes"),
            );
        }
    }
    // The shell's own pipeline, as a manager would type it.
    let script = format!(
        "'{}' --data-dir '{}' household list --limit 100000 | head -1; exit ${{PIPESTATUS[0]}}",
        env!("CARGO_BIN_EXE_aixin"),
        tmp.path().display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("AIXIN_NOW", T0)
        .output()
        .expect("bash");
    ended(&out, 0, 0, "aixin household list | head -1");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn help_through_a_closed_pipe_ends_quietly_and_a_closed_stderr_panics_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for args in [
        &["help"][..],
        &["help", "goods", "add"],
        &["--lang", "en", "help", "goods", "add"],
        &["goods", "add", "--help"],
    ] {
        for read_bytes in [0, 10] {
            let out = closed_pipe(tmp.path(), args, read_bytes);
            ended(
                &out,
                0,
                0,
                &format!("{args:?} closed after {read_bytes} bytes"),
            );
        }
    }
    // stdout and stderr both into a reader that leaves at once: an error about a command
    // that does not exist has nowhere to go, and still ends with its code, not a panic.
    for args in [
        "help goods add",
        "help nosuch",
        "nosuch",
        "--lang en help nosuch",
    ] {
        let script = format!(
            "'{}' --data-dir '{}' {args} 2>&1 | head -c 1 > /dev/null; exit ${{PIPESTATUS[0]}}",
            env!("CARGO_BIN_EXE_aixin"),
            tmp.path().display()
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("bash");
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{args}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_takes_the_language_after_the_command_as_a_user_writes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        aixin()
            .arg("--data-dir")
            .arg(tmp.path())
            .args(args)
            .output()
            .expect("aixin")
    };
    let after = run(&["help", "goods", "add", "--lang", "en"]);
    let before = run(&["--lang", "en", "help", "goods", "add"]);
    ended(&after, 0, 0, "help goods add --lang en");
    assert_eq!(after.stdout, before.stdout);
    assert!(String::from_utf8_lossy(&after.stdout).contains("Usage: aixin goods add"));
    let chinese = run(&["help", "goods", "add"]);
    assert!(String::from_utf8_lossy(&chinese.stdout).contains("用法：aixin goods add"));
    let unknown = run(&["help", "nosuch", "--lang", "en"]);
    let stderr = ended(&unknown, 2, 1, "help nosuch --lang en");
    assert!(
        stderr.contains("there is no command 'nosuch'; run aixin help"),
        "{stderr}"
    );
}

#[test]
fn help_names_the_environment_variables_without_their_values() {
    // A database address carries its password, and an empty-looking `AIXIN_OPERATOR=` read as
    // set but empty (a fresh-user trial): help names each variable, never its value.
    let tmp = tempfile::tempdir().expect("tempdir");
    for args in [
        &["--lang", "en", "help", "publish"][..],
        &["help", "publish"][..],
        &["--lang", "en", "help", "redeem"][..],
    ] {
        let out = aixin()
            .arg("--data-dir")
            .arg(tmp.path())
            .env(
                "AIXIN_POSTGRES",
                "postgresql://aixin:s3cret-pw@db.example/county",
            )
            .env("AIXIN_OPERATOR", "wang-li")
            .args(args)
            .output()
            .expect("aixin");
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {shown}");
        assert!(!shown.contains("s3cret-pw"), "{args:?}: {shown}");
        assert!(!shown.contains("wang-li"), "{args:?}: {shown}");
        assert!(shown.contains("AIXIN_OPERATOR"), "{args:?}: {shown}");
        assert!(!shown.contains("AIXIN_OPERATOR="), "{args:?}: {shown}");
    }
}

#[test]
fn output_to_a_full_device_is_an_error_with_a_message() {
    if !Path::new("/dev/full").exists() {
        eprintln!("note: no /dev/full here; full-output test not run");
        return;
    }
    let tmp = station();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = aixin()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["household", "list"])
        .env("AIXIN_NOW", T0)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    let stderr = ended(&out, 3, 1, "stdout is /dev/full");
    assert!(
        stderr.starts_with("aixin: 结果没能全部写出（磁盘满？）"),
        "{stderr}"
    );
}

#[test]
fn the_till_without_a_terminal_says_so_and_touches_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fresh = tmp.path().join("fresh");
    for args in [&[][..], &["--demo"], &["--lang", "en"]] {
        let out = aixin()
            .arg("--data-dir")
            .arg(&fresh)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        let stderr = ended(&out, 2, 1, &format!("aixin {args:?} with no terminal"));
        assert!(
            stderr.contains("终端") || stderr.contains("terminal"),
            "{stderr}"
        );
        assert!(
            !fresh.exists(),
            "no data dir was made for a till that cannot run"
        );
    }
    // The monitor: on a station that exists, the same.
    ok(
        tmp.path(),
        T0,
        &["init", "--station-id", "V1", "--name", "村"],
    );
    let out = aixin()
        .arg("--data-dir")
        .arg(tmp.path())
        .arg("monitor")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    let stderr = ended(&out, 2, 1, "aixin monitor with no terminal");
    assert!(stderr.contains("终端"), "{stderr}");
}

/// Runs `args` on a station with one environment variable set to `value`.
fn with_env(dir: &Path, name: &str, value: &str, args: &[&str]) -> Output {
    let mut command = aixin();
    command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env(name, value);
    if name != "AIXIN_NOW" {
        command.env("AIXIN_NOW", T0);
    }
    command.output().expect("run")
}

#[test]
fn bad_environment_values_end_with_one_line_and_an_exit_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--station-id", "V1", "--name", "村"]);
    let head = common::cli::head(dir);

    let out = with_env(dir, "AIXIN_NOW", "yesterday", &["log"]);
    let stderr = ended(&out, 2, 1, "AIXIN_NOW=yesterday");
    assert!(
        stderr.contains("AIXIN_NOW") && stderr.contains("2026-11-21T09:30:00+08:00"),
        "{stderr}"
    );
    let out = with_env(
        dir,
        "AIXIN_NOW",
        "yesterday",
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "张三",
        ],
    );
    ended(&out, 2, 1, "AIXIN_NOW=yesterday on a write");
    // Far from now, either way: refused by the clock rules or read, never a panic.
    for now in [
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "1969-12-31T23:59:59Z",
    ] {
        for args in [
            &["log"][..],
            &[
                "household",
                "add",
                "--id",
                "H1",
                "--card",
                "C1",
                "--head",
                "张三",
            ],
        ] {
            let out = with_env(dir, "AIXIN_NOW", now, args);
            let code = out.status.code();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked"),
                "AIXIN_NOW={now} {args:?}: {stderr}"
            );
            assert!(
                matches!(code, Some(0..=3)),
                "AIXIN_NOW={now} {args:?}: {code:?} {stderr}"
            );
            assert!(stderr.trim_end().lines().count() <= 1, "{stderr}");
        }
    }
    assert_eq!(
        common::cli::head(dir),
        head,
        "no write got through a bad clock"
    );

    let out = with_env(dir, "AIXIN_LANG", "fr", &["log"]);
    let stderr = ended(&out, 2, 1, "AIXIN_LANG=fr");
    assert!(
        stderr.contains("AIXIN_LANG") && stderr.contains("zh"),
        "{stderr}"
    );

    // A data dir that is not there, is a file, or cannot be made.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").expect("file");
    for (value, args) in [
        (dir.join("nowhere").display().to_string(), &["log"][..]),
        (file.display().to_string(), &["log"][..]),
        (
            file.join("sub").display().to_string(),
            &["init", "--station-id", "V2", "--name", "村"][..],
        ),
        (
            "/proc/aixin-cannot-be-here".to_string(),
            &["init", "--station-id", "V2", "--name", "村"][..],
        ),
    ] {
        let mut command = aixin();
        let out = command
            .args(args)
            .env("AIXIN_DATA_DIR", &value)
            .env("AIXIN_NOW", T0)
            .output()
            .expect("run");
        ended(&out, 2, 1, &format!("AIXIN_DATA_DIR={value} {args:?}"));
    }
    // An empty variable is bad usage, named as the variable (not as --data-dir ''), and never
    // read as "not set" (which would send a script's writes to the default data directory).
    for name in ["AIXIN_DATA_DIR", "AIXIN_LANG", "AIXIN_OPERATOR"] {
        let out = aixin().arg("log").env(name, "").output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("环境变量 {name} 是空的")) && stderr.lines().count() == 1,
            "{stderr}"
        );
    }

    // An operator name far too long is refused by the rules, or recorded; never a panic.
    let long = "管".repeat(10_000);
    let out = with_env(
        dir,
        "AIXIN_OPERATOR",
        &long,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "张三",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0..=3)), "{stderr}");
    assert!(stderr.trim_end().lines().count() <= 1, "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_language_value_that_is_not_text_is_bad_usage() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = aixin()
        .arg("--data-dir")
        .arg(tmp.path())
        .arg("log")
        .env("AIXIN_LANG", std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}

/// A write-protected copy of a data folder still answers reads; a write is refused in one line
/// that names the cause, and the copy is unchanged. Runs as an unprivileged user through
/// `setpriv` (root ignores permissions); where that cannot be done the test says so.
#[cfg(unix)]
#[test]
fn a_write_protected_data_folder_is_read_and_a_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let as_nobody = |dir: &Path, args: &[&str]| -> Option<Output> {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_aixin"))
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .env_clear()
            .env("AIXIN_NOW", T0)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .ok()
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).expect("mkdir");
    common::cli::one_household_shop(&dir, "member-card", 2, 20, "2026-10", 100, T0);
    let before = common::cli::head(&dir);
    // Readable by everyone, writable by no one (the folder and every file in it).
    let mode = |path: &Path, bits: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).expect("chmod")
    };
    mode(tmp.path(), 0o755);
    for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
        let bits = if entry.path().is_dir() { 0o555 } else { 0o444 };
        mode(&entry.path(), bits);
    }
    mode(&dir, 0o555);
    let Some(probe) = as_nobody(&dir, &["--lang", "en", "log"]) else {
        eprintln!("note: setpriv is not available; write-protected folder test not run");
        return;
    };
    if String::from_utf8_lossy(&probe.stderr).contains("setpriv:") {
        eprintln!("note: cannot run as another user here; write-protected folder test not run");
        mode(&dir, 0o755);
        return;
    }
    assert_eq!(
        probe.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let verify = as_nobody(&dir, &["--lang", "en", "verify"]).expect("verify");
    assert_eq!(verify.status.code(), Some(0), "{verify:?}");
    let write = as_nobody(
        &dir,
        &[
            "household",
            "add",
            "--id",
            "H9",
            "--card",
            "C9",
            "--head",
            "赵六",
        ],
    )
    .expect("write");
    let stderr = String::from_utf8_lossy(&write.stderr);
    assert_ne!(write.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("只读") && stderr.contains("没有写权限") && stderr.lines().count() == 1,
        "{stderr}"
    );
    mode(&dir, 0o755);
    assert_eq!(common::cli::head(&dir), before, "the copy is unchanged");
}
