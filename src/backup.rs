//! Backups are one encrypted file (PRODUCT.md): a consistent snapshot of the ledger
//! ([`Ledger::snapshot_to`]: one read transaction, the events and the station-local tables,
//! operators' PINs included) together with the station's keys (`keys/`), in one file that a
//! lost stick does not reveal. [`backup_to`] writes it, reads it back and checks it (decrypt,
//! unpack, open, replay and verify the hash chain, compare the head and the keys) before it
//! says the stick may be removed; [`restore`] fills an empty data directory from one, checked
//! the same way before anything is moved into place.
//!
//! The file (`<station>-<YYYYMMDD>-<HHMM>-<head seq>.aixbak`) is an age file encrypted with a
//! passphrase (age's scrypt recipient, work factor 2^[`BACKUP_SCRYPT_LOG_N`]: about a second
//! and 128 MiB on an old laptop, for each guess too), whose plaintext is a plain tar archive:
//!
//! | entry | what |
//! |---|---|
//! | `manifest.json` | format, station, head seq and hash, event count, time, the key files |
//! | `ledger.redb` | the snapshot; its derived tables are rebuilt from the events on open |
//! | `keys/signing.key`, `keys/age.key` | the station's keys, when it has them |
//!
//! So a backup can be opened without aixin (`age -d FILE | tar x`) by whoever has the
//! passphrase. Writing goes to a `.part` file that is renamed into place once complete; the
//! restore unpacks into a temporary folder beside the target and renames it into place.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::iter;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::domain::backup::check_passphrase;
use crate::domain::time::CivilDate;
use crate::domain::Refusal;
use crate::i18n::Lang;
use crate::store::verify::{hex, verify_all};
use crate::store::{Ledger, StoreError};
use crate::sync::keys::{AGE_KEY_FILE, KEYS_DIR, SIGNING_KEY_FILE};

/// The backup file's extension.
pub const BACKUP_FILE_EXTENSION: &str = "aixbak";
/// The scrypt work factor backups are encrypted with (N = 2^17, 128 MiB).
pub const BACKUP_SCRYPT_LOG_N: u8 = 17;
/// The highest work factor a restore accepts: a file asking for more is refused rather than
/// tying up an old laptop for hours.
pub const RESTORE_SCRYPT_LOG_N_MAX: u8 = 20;
/// The largest entry a restore unpacks (a ledger of many years is tens of MB).
pub const ENTRY_BYTES_MAX: u64 = 4 * 1024 * 1024 * 1024;
/// The format of the manifest this build writes.
pub const MANIFEST_FORMAT: u32 = 1;

const MANIFEST_ENTRY: &str = "manifest.json";
const LEDGER_ENTRY: &str = "ledger.redb";

/// What a backup holds, as its `manifest.json` says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: u32,
    /// The station backed up.
    pub station_id: String,
    /// Its head seq when the snapshot was taken.
    pub head_seq: u64,
    /// Its head hash (hex).
    pub head_hash: String,
    /// Events in the file (every station's, at a township).
    pub events: u64,
    /// When the backup was made, UTC ms.
    pub created_ms: i64,
    /// The key files inside, relative to the data directory (`keys/signing.key`…).
    pub key_files: Vec<String>,
}

/// A backup written and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupDone {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds.
    pub manifest: Manifest,
}

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A rule said no (the passphrase is too short).
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The folder to write into is not there.
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The data directory to restore into already holds something.
    #[error("{} is not empty", .0.display())]
    NotEmpty(PathBuf),
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The ledger could not be read or opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The passphrase does not open the file.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The file is not an aixin backup, or it is damaged.
    #[error("not a backup or damaged: {0}")]
    Damaged(String),
    /// The read-back check found the backup differs from what was backed up.
    #[error("backup check failed: {0}")]
    CheckFailed(String),
}

impl From<Refusal> for BackupError {
    fn from(r: Refusal) -> Self {
        BackupError::Refused(r)
    }
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl BackupError {
    /// The process exit code: 1 refused, 2 a bad path or file, 3 the ledger or disk.
    pub fn exit_code(&self) -> u8 {
        match self {
            BackupError::Refused(_)
            | BackupError::NotEmpty(_)
            | BackupError::WrongPassphrase
            | BackupError::CheckFailed(_) => 1,
            BackupError::NotAFolder(_) | BackupError::Damaged(_) => 2,
            BackupError::Io { .. } | BackupError::Store(_) => 3,
        }
    }

    /// One line for a village manager.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: String, e: String| if zh { z } else { e };
        match self {
            BackupError::Refused(r) => r.message(lang),
            BackupError::NotAFolder(p) => t(
                format!("{} 不是文件夹：请插好U盘并输入它的文件夹（例如 /media/usb）", p.display()),
                format!("{} is not a folder: plug in the stick and give its folder (e.g. /media/usb)", p.display()),
            ),
            BackupError::NotEmpty(p) => t(
                format!("{} 里已经有文件，不能在这里恢复（以免覆盖）；请指定一个新的空文件夹 --data-dir", p.display()),
                format!("{} is not empty, so nothing was restored there (nothing is overwritten); give a new, empty --data-dir", p.display()),
            ),
            BackupError::Io { path, source } => t(
                format!("无法读写 {}：{}（U盘满了或被拔出？）；未完成", path.display(), crate::i18n::os_error(source, lang)),
                format!("cannot read or write {}: {source} (stick full or removed?); not done", path.display()),
            ),
            BackupError::Store(e) => e.message(lang),
            BackupError::WrongPassphrase => lang
                .pick(
                    "备份口令不对，打不开这个备份；请核对口令（区分大小写）后再试",
                    "wrong passphrase: the backup does not open with it; check it (case matters) and try again",
                )
                .into(),
            BackupError::Damaged(why) => t(
                "这不是 aixin 备份文件，或文件已损坏；请换一个备份文件".to_string(),
                format!("not an aixin backup, or the file is damaged ({why}); use another backup file"),
            ),
            BackupError::CheckFailed(why) => t(
                "备份读回校验失败：不要拔U盘，请再备份一次".to_string(),
                format!("the backup failed its read-back check ({why}): do not remove the stick, back up again"),
            ),
        }
    }
}

/// The backup file's name: station, China date and time, head seq.
pub fn backup_file_name(station_id: &str, head_seq: u64, now_ms: i64) -> String {
    let date = CivilDate::from_utc_ms(now_ms);
    let local = crate::domain::time::format_local(now_ms);
    let hhmm: String = local
        .split(' ')
        .nth(1)
        .unwrap_or("0000")
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    format!(
        "{station_id}-{:04}{:02}{:02}-{hhmm}-{head_seq:06}.{BACKUP_FILE_EXTENSION}",
        date.year, date.month, date.day
    )
}

/// The key files of a data directory that exist, relative to it.
fn key_files(data_dir: &Path) -> Vec<String> {
    [SIGNING_KEY_FILE, AGE_KEY_FILE]
        .iter()
        .map(|f| format!("{KEYS_DIR}/{f}"))
        .filter(|rel| data_dir.join(rel).is_file())
        .collect()
}

/// Backs up the station: a snapshot of `ledger` with the keys in `data_dir`, encrypted with
/// `passphrase` into a new file in `folder`, then read back and checked. Returns the file
/// once it is safe to take away. `now_ms` names the file and is recorded in the manifest.
pub fn backup_to(
    ledger: &Ledger,
    data_dir: &Path,
    folder: &Path,
    passphrase: &str,
    now_ms: i64,
) -> Result<BackupDone, BackupError> {
    check_passphrase(passphrase)?;
    if !folder.is_dir() {
        return Err(BackupError::NotAFolder(folder.to_path_buf()));
    }
    let work = tempfile::Builder::new()
        .prefix(".backup-")
        .tempdir_in(data_dir)
        .map_err(io_at(data_dir))?;
    let snapshot = work.path().join(LEDGER_ENTRY);
    let head = ledger.snapshot_to(&snapshot)?;
    let manifest = Manifest {
        format: MANIFEST_FORMAT,
        station_id: head.station_id.clone(),
        head_seq: head.head_seq,
        head_hash: hex(&head.head_hash),
        events: head.events,
        created_ms: now_ms,
        key_files: key_files(data_dir),
    };
    let name = backup_file_name(&head.station_id, head.head_seq, now_ms);
    let path = folder.join(&name);
    let part = folder.join(format!(".{name}.part"));
    let written = write_backup(&part, &manifest, &snapshot, data_dir, passphrase);
    if let Err(e) = written {
        let _ = fs::remove_file(&part);
        return Err(e);
    }
    fs::rename(&part, &path).map_err(io_at(&path))?;
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    let check = work.path().join("check");
    let read_back = check_backup(&path, passphrase, &check)?;
    if read_back != manifest {
        return Err(BackupError::CheckFailed("manifest".into()));
    }
    for rel in &manifest.key_files {
        let original = fs::read(data_dir.join(rel)).map_err(io_at(&data_dir.join(rel)))?;
        let copy = fs::read(check.join(rel)).map_err(io_at(&check.join(rel)))?;
        if original != copy {
            return Err(BackupError::CheckFailed(rel.clone()));
        }
    }
    let bytes = fs::metadata(&path).map_err(io_at(&path))?.len();
    Ok(BackupDone {
        path,
        bytes,
        manifest,
    })
}

fn write_backup(
    part: &Path,
    manifest: &Manifest,
    snapshot: &Path,
    data_dir: &Path,
    passphrase: &str,
) -> Result<(), BackupError> {
    let io = io_at(part);
    let file = File::create(part).map_err(&io)?;
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
    recipient.set_work_factor(BACKUP_SCRYPT_LOG_N);
    let encryptor = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| BackupError::Damaged(e.to_string()))?;
    let stream = encryptor.wrap_output(BufWriter::new(file)).map_err(&io)?;
    let mut tar = tar::Builder::new(stream);
    tar.mode(tar::HeaderMode::Deterministic);
    let manifest_bytes =
        serde_json::to_vec_pretty(manifest).map_err(|e| BackupError::Damaged(e.to_string()))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest_bytes.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST_ENTRY, manifest_bytes.as_slice())
        .map_err(&io)?;
    let mut ledger_file = File::open(snapshot).map_err(io_at(snapshot))?;
    tar.append_file(LEDGER_ENTRY, &mut ledger_file)
        .map_err(&io)?;
    for rel in &manifest.key_files {
        let mut key = File::open(data_dir.join(rel)).map_err(io_at(&data_dir.join(rel)))?;
        tar.append_file(rel, &mut key).map_err(&io)?;
    }
    let stream = tar.into_inner().map_err(&io)?;
    let mut buffered = stream.finish().map_err(&io)?;
    buffered.flush().map_err(&io)?;
    let file = buffered.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(&io)?;
    Ok(())
}

/// Decrypts and unpacks a backup into the empty folder `into` (created), checks what it
/// holds (the ledger opens, its chain and derived state verify, the head is the manifest's)
/// and returns its manifest.
pub fn check_backup(file: &Path, passphrase: &str, into: &Path) -> Result<Manifest, BackupError> {
    let manifest = unpack(file, passphrase, into)?;
    let ledger = Ledger::open(&into.join(LEDGER_ENTRY))?;
    let reports = verify_all(&ledger)?;
    if let Some(problem) = reports.iter().flat_map(|r| r.problems.iter()).next() {
        return Err(BackupError::CheckFailed(problem.clone()));
    }
    let own = reports
        .iter()
        .find(|r| r.station_id == manifest.station_id)
        .ok_or_else(|| BackupError::CheckFailed(format!("no station {}", manifest.station_id)))?;
    if own.head_seq != manifest.head_seq || own.head_hash != manifest.head_hash {
        return Err(BackupError::CheckFailed(format!(
            "head #{} is not #{}",
            own.head_seq, manifest.head_seq
        )));
    }
    Ok(manifest)
}

/// Which entries a backup may hold, as paths relative to the data directory.
fn allowed_entry(name: &str) -> bool {
    name == MANIFEST_ENTRY
        || name == LEDGER_ENTRY
        || [SIGNING_KEY_FILE, AGE_KEY_FILE]
            .iter()
            .any(|f| name == format!("{KEYS_DIR}/{f}"))
}

fn unpack(file: &Path, passphrase: &str, into: &Path) -> Result<Manifest, BackupError> {
    // Some readers explain over several lines; the refusal is one.
    let damaged = |e: &dyn std::fmt::Display| {
        let text = e.to_string();
        BackupError::Damaged(text.lines().next().unwrap_or("").trim().to_string())
    };
    let input = File::open(file).map_err(io_at(file))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(input)).map_err(|e| damaged(&e))?;
    if !decryptor.is_scrypt() {
        return Err(BackupError::Damaged(
            "not encrypted with a passphrase".into(),
        ));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    identity.set_max_work_factor(RESTORE_SCRYPT_LOG_N_MAX);
    let reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                BackupError::WrongPassphrase
            }
            other => damaged(&other),
        })?;
    fs::create_dir_all(into.join(KEYS_DIR)).map_err(io_at(into))?;
    restrict_dir(&into.join(KEYS_DIR));
    let mut archive = tar::Archive::new(reader);
    let mut seen = Vec::new();
    for entry in archive.entries().map_err(|e| damaged(&e))? {
        let mut entry = entry.map_err(|e| damaged(&e))?;
        let name = entry
            .path()
            .map_err(|e| damaged(&e))?
            .to_string_lossy()
            .into_owned();
        if !allowed_entry(&name) || seen.contains(&name) {
            return Err(BackupError::Damaged(format!("unexpected entry {name}")));
        }
        if entry.size() > ENTRY_BYTES_MAX {
            return Err(BackupError::Damaged(format!("{name} is too large")));
        }
        let target = into.join(&name);
        let mut out = File::create(&target).map_err(io_at(&target))?;
        io::copy(&mut (&mut entry).take(ENTRY_BYTES_MAX), &mut out).map_err(|e| damaged(&e))?;
        out.sync_all().map_err(io_at(&target))?;
        restrict(&target);
        seen.push(name);
    }
    let text = fs::read(into.join(MANIFEST_ENTRY))
        .map_err(|_| BackupError::Damaged("no manifest".into()))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| damaged(&e))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(BackupError::Damaged(format!(
            "manifest format {}",
            manifest.format
        )));
    }
    if !seen.iter().any(|n| n == LEDGER_ENTRY)
        || manifest.key_files.iter().any(|k| !seen.contains(k))
    {
        return Err(BackupError::Damaged("entries missing".into()));
    }
    Ok(manifest)
}

/// Key files are readable by their owner only, as `sync::keys` writes them.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The keys folder is its owner's only.
fn restrict_dir(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o700));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A station restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreDone {
    /// The data directory filled.
    pub data_dir: PathBuf,
    /// What the backup held.
    pub manifest: Manifest,
}

/// Fills the empty (or missing) `data_dir` from a backup file: unpacked and checked in a
/// folder beside it, then moved into place in one rename. A data directory that holds
/// anything is refused, so a restore never overwrites a station.
pub fn restore(file: &Path, passphrase: &str, data_dir: &Path) -> Result<RestoreDone, BackupError> {
    let not_empty = match fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_at(data_dir)(e)),
    };
    if not_empty || data_dir.is_file() {
        return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
    }
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_at(&parent))?;
    let stage = tempfile::Builder::new()
        .prefix(".aixin-restore-")
        .tempdir_in(&parent)
        .map_err(io_at(&parent))?;
    let manifest = check_backup(file, passphrase, stage.path())?;
    fs::remove_file(stage.path().join(MANIFEST_ENTRY)).map_err(io_at(stage.path()))?;
    if data_dir.exists() {
        fs::remove_dir(data_dir).map_err(io_at(data_dir))?;
    }
    let staged = stage.keep();
    fs::rename(&staged, data_dir).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        io_at(data_dir)(e)
    })?;
    Ok(RestoreDone {
        data_dir: data_dir.to_path_buf(),
        manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_says_station_time_and_head() {
        // 2026-11-21 09:30 China time.
        assert_eq!(
            backup_file_name("LJC01", 412, 1_795_224_600_000),
            "LJC01-20261121-0930-000412.aixbak"
        );
    }

    #[test]
    fn only_known_entries_are_unpacked() {
        assert!(allowed_entry("ledger.redb"));
        assert!(allowed_entry("keys/age.key"));
        assert!(!allowed_entry("../ledger.redb"));
        assert!(!allowed_entry("keys/../../etc/passwd"));
        assert!(!allowed_entry("/etc/passwd"));
    }
}
