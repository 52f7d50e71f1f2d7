//! A throw-away PostgreSQL server for the tests: `initdb` and `pg_ctl` from Debian's packages
//! (`/usr/lib/postgresql/<version>/bin`, or the folder in `AIXIN_PG_BIN`) run a cluster in a
//! temporary directory on a free local port, started once per test binary. PostgreSQL refuses
//! to run as root, so under root (CI) the cluster belongs to the `postgres` system user (or
//! `nobody`) and its commands run through `runuser`. A watcher process stops the server and
//! removes the directory when the test binary exits, however it exits.
//!
//! Without the binaries the tests skip with a loud message on the terminal, so `cargo test`
//! passes on a machine without PostgreSQL; `.ci/run` installs them and sets
//! `AIXIN_PG_REQUIRED=1`, which turns a missing or failing server into a test failure.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The cluster's superuser (trust authentication on 127.0.0.1 only).
pub const SUPERUSER: &str = "aixin";

/// A running server.
pub struct Cluster {
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    run_as: Option<String>,
}

static SHARED: OnceLock<Option<Cluster>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The test binary's cluster, started on first use; `None` (after a loud message) when
/// PostgreSQL is not installed and not required.
pub fn cluster() -> Option<&'static Cluster> {
    SHARED
        .get_or_init(|| match Cluster::start(false) {
            Ok(cluster) => Some(cluster),
            Err(reason) => {
                let required = std::env::var("AIXIN_PG_REQUIRED").is_ok_and(|v| v == "1");
                assert!(
                    !required,
                    "PostgreSQL is required (AIXIN_PG_REQUIRED=1) but: {reason}"
                );
                loud(&format!(
                    "SKIPPED: the PostgreSQL tests did not run: {}. Install the server \
                     (apt-get install postgresql; .ci/run does) to run them.",
                    reason.trim_end()
                ));
                None
            }
        })
        .as_ref()
}

/// Writes past the test harness's output capture, so a skip is seen.
pub fn loud(message: &str) {
    let mut stderr = std::io::stderr();
    let _ = writeln!(stderr, "\n*** {message} ***\n");
}

/// The newest `bin` folder holding `initdb` and `pg_ctl`.
fn find_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("AIXIN_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The unprivileged user to run PostgreSQL as when we are root, with its uid and gid.
fn unprivileged_user() -> Result<Option<(String, u32, u32)>, String> {
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Ok(None);
    }
    for user in ["postgres", "nobody"] {
        let uid = output("id", &["-u", user]).and_then(|v| v.parse().ok());
        let gid = output("id", &["-g", user]).and_then(|v| v.parse().ok());
        if let (Some(uid), Some(gid)) = (uid, gid) {
            return Ok(Some((user.to_string(), uid, gid)));
        }
    }
    Err("running as root and neither the postgres nor the nobody user exists".into())
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

impl Cluster {
    /// Creates and starts a cluster. `durable` keeps PostgreSQL's defaults (fsync on, for the
    /// benchmark); otherwise fsync is off, which the tests' throw-away data can afford.
    pub fn start(durable: bool) -> Result<Cluster, String> {
        let bin = find_bin().ok_or("no initdb and pg_ctl under /usr/lib/postgresql/*/bin")?;
        let user = unprivileged_user()?;
        let dir = tempfile::Builder::new()
            .prefix("aixin-pg-")
            .tempdir()
            .map_err(|e| e.to_string())?
            .keep();
        if let Some((_, uid, gid)) = &user {
            std::os::unix::fs::chown(&dir, Some(*uid), Some(*gid)).map_err(|e| e.to_string())?;
        }
        let mut cluster = Cluster {
            port: 0,
            dir,
            bin,
            run_as: user.map(|(name, _, _)| name),
        };
        cluster.watch_parent();
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        let mut last_error = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            let mut options = format!(
                "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=40",
                cluster.port,
                cluster.dir.display()
            );
            if !durable {
                options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            }
            let log = cluster.dir.join("server.log");
            match cluster.run(
                "pg_ctl",
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &log.to_string_lossy(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &options,
                    "start",
                ],
            ) {
                Ok(_) => return Ok(cluster),
                Err(e) => last_error = e,
            }
        }
        Err(format!("pg_ctl start failed: {last_error}"))
    }

    /// Runs one of the server's programs, as the unprivileged user when we are root.
    fn run(&self, program: &str, args: &[&str]) -> Result<String, String> {
        let path = self.bin.join(program);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        let out = command
            .args(args)
            .current_dir(&self.dir)
            .output()
            .map_err(|e| format!("{program}: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            ))
        }
    }

    /// Starts a watcher in its own process group that stops the server and removes its
    /// directory once this test process has gone.
    fn watch_parent(&self) {
        use std::os::unix::process::CommandExt;
        let pg_ctl = self.bin.join("pg_ctl");
        let prefix = match &self.run_as {
            Some(user) => format!("runuser -u {user} -- "),
            None => String::new(),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {prefix}'{pg_ctl}' -D '{dir}/data' -m immediate stop >/dev/null 2>&1; \
             rm -rf '{dir}'",
            pid = std::process::id(),
            pg_ctl = pg_ctl.display(),
            dir = self.dir.display(),
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
    }

    /// The connection string of database `name`.
    pub fn address(&self, name: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={SUPERUSER} dbname={name}",
            self.port
        )
    }

    /// A new, empty database for one test; returns its connection string.
    pub fn fresh_database(&self, label: &str) -> String {
        let n = DATABASES.fetch_add(1, Ordering::SeqCst);
        let name = format!(
            "t{n}_{}",
            label.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let mut admin = postgres::Client::connect(&self.address("postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test cluster: {e}"));
        admin
            .batch_execute(&format!("create database {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        self.address(&name)
    }

    /// A connection to a database (of this cluster, by its connection string).
    #[allow(
        clippy::unused_self,
        reason = "asked of the cluster that made the database"
    )]
    pub fn connect(&self, address: &str) -> postgres::Client {
        postgres::Client::connect(address, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect {address}: {e}"))
    }

    /// The folder of the cluster (data, socket, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
