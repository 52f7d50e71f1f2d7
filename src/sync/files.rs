//! Bundle files: writing them to the USB stick so that a pulled stick or a power cut never
//! leaves half a bundle under a real name (temporary file, fsync, rename, fsync the folder,
//! then read back and verified), importing files and folders in name order, and the two
//! folders in the data directory where bundles wait for a person or for their turn:
//!
//! - `held/`: bundles that build on events not yet received (a gap). They are retried after
//!   every import that brings something new, and removed once applied.
//! - `forks/`: bundles refused because they contradict events already held, each with a
//!   `.json` note naming the station, the sequence number and both hashes, for a person to
//!   resolve. The township's consolidation lists them as anomalies.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::bundle::{peek_header, verify_bundle, BundleError, BUNDLE_BYTES_MAX, BUNDLE_EXTENSION};
use super::error::SyncError;
use super::exchange::{import_bundle, ImportOutcome, OutBundle};
use super::keys::StationKeys;
use crate::domain::time::Moment;
use crate::store::verify::hex;
use crate::store::Ledger;

/// Folder in the data directory for bundles waiting for an earlier one.
pub const HELD_DIR: &str = "held";
/// Folder in the data directory for bundles refused as forks.
pub const FORKS_DIR: &str = "forks";
/// At most this many bundle files in one import (a folder of a whole township's month is a
/// few hundred).
pub const IMPORT_FILES_MAX: usize = 10_000;

/// Writes `bytes` as `dir/name` atomically: a temporary file in the same folder, fsynced,
/// renamed into place, the folder fsynced.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, SyncError> {
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    let written = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(SyncError::os(&path, &e));
    }
    fs::rename(&tmp, &path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        SyncError::os(&path, &e)
    })?;
    // Make the rename itself durable; some file systems (FAT on Windows) cannot open a folder.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(path)
}

/// Writes exported bundles into `dir` (which must exist: the stick's folder), then reads each
/// back and verifies its signature with this station's own key before reporting success.
pub fn write_export(
    dir: &Path,
    bundles: &[OutBundle],
    keys: &StationKeys,
    own_station: &str,
) -> Result<Vec<PathBuf>, SyncError> {
    if !dir.is_dir() {
        return Err(SyncError::io_words(dir, "不是文件夹", "not a folder"));
    }
    let own_key = keys.public(own_station).verifying;
    let mut paths = Vec::new();
    for bundle in bundles {
        let path = write_atomic(dir, &bundle.file_name, &bundle.bytes)?;
        let back = fs::read(&path).map_err(|e| SyncError::os(&path, &e))?;
        let trusted = |id: &str| (id == own_station).then_some(own_key);
        if back != bundle.bytes || verify_bundle(&back, &trusted).is_err() {
            return Err(SyncError::ReadBackFailed(path));
        }
        paths.push(path);
    }
    Ok(paths)
}

/// Reads a bundle file, refusing one larger than the limit before reading it.
pub fn read_bundle_file(path: &Path) -> Result<Vec<u8>, SyncError> {
    let meta = fs::metadata(path).map_err(|e| SyncError::os(path, &e))?;
    if meta.len() > BUNDLE_BYTES_MAX {
        return Err(BundleError::TooLarge.into());
    }
    fs::read(path).map_err(|e| SyncError::os(path, &e))
}

/// The bundle files named by the user: files as given, folders expanded to their `*.axb`
/// files in name order (so a village's bundles arrive in sequence order).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SyncError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            out.extend(bundles_in(path)?);
        } else {
            out.push(path.clone());
        }
        if out.len() > IMPORT_FILES_MAX {
            return Err(SyncError::io_words(
                path,
                format!("数据包文件超过 {IMPORT_FILES_MAX} 个，请分几次导入"),
                format!("more than {IMPORT_FILES_MAX} bundle files"),
            ));
        }
    }
    Ok(out)
}

/// The `*.axb` files directly in a folder, in name order.
pub fn bundles_in(dir: &Path) -> Result<Vec<PathBuf>, SyncError> {
    let mut files = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(SyncError::os(dir, &e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| SyncError::os(dir, &e))?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == BUNDLE_EXTENSION) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A note kept beside a bundle refused as a fork.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForkNote {
    /// Whose chain forked.
    pub station_id: String,
    /// The sequence number with two versions.
    pub seq: u64,
    /// The hash held in the ledger, hex.
    pub held_hash: String,
    /// The hash in the bundle, hex.
    pub bundle_hash: String,
    /// The bundle's file name in `forks/`.
    pub bundle_file: String,
    /// When it was refused (this station's clock), UTC ms.
    pub refused_ms: i64,
}

/// A bundle waiting in `held/`, as its signed-but-unchecked header describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeldNote {
    /// The sender.
    pub station_id: String,
    /// First sequence number in it.
    pub first_seq: u64,
    /// Last sequence number in it.
    pub last_seq: u64,
    /// Its file name in `held/`.
    pub file: String,
}

/// What happened to one file of an import.
#[derive(Debug)]
pub struct FileOutcome {
    /// The file.
    pub path: PathBuf,
    /// Whether it came from `held/` (retried after a gap was filled).
    pub from_held: bool,
    /// The import's outcome or refusal.
    pub result: Result<ImportOutcome, SyncError>,
}

/// Imports bundle files in order. A gap puts a copy in `held/`; a fork puts a copy and a note
/// in `forks/`; after every import that brought something new, the held bundles are retried,
/// and those applied (or no longer needed) are removed.
pub fn import_files(
    ledger: &mut Ledger,
    keys: &StationKeys,
    data_dir: &Path,
    files: &[PathBuf],
    operator: &str,
    moment: Moment,
) -> Vec<FileOutcome> {
    let now_ms = moment.now_ms;
    let mut outcomes = Vec::new();
    for path in files {
        let result = read_bundle_file(path).and_then(|bytes| {
            let result = import_bundle(ledger, keys, &bytes, operator, moment);
            keep_aside(data_dir, path, &bytes, &result, now_ms)?;
            result
        });
        let progressed = matches!(result, Ok(ImportOutcome::Applied(_)));
        outcomes.push(FileOutcome {
            path: path.clone(),
            from_held: false,
            result,
        });
        if progressed {
            outcomes.extend(retry_held(ledger, keys, data_dir, operator, moment));
        }
    }
    outcomes
}

/// Copies a gap bundle to `held/` and a fork bundle (with its note) to `forks/`.
fn keep_aside(
    data_dir: &Path,
    path: &Path,
    bytes: &[u8],
    result: &Result<ImportOutcome, SyncError>,
    now_ms: i64,
) -> Result<(), SyncError> {
    let name = file_name_of(path, bytes);
    match result {
        Ok(ImportOutcome::Gap { .. }) => {
            let dir = data_dir.join(HELD_DIR);
            if path.parent() != Some(dir.as_path()) {
                fs::create_dir_all(&dir).map_err(|e| SyncError::os(&dir, &e))?;
                write_atomic(&dir, &name, bytes)?;
            }
        }
        Err(SyncError::Fork {
            station,
            seq,
            held,
            bundle,
        }) => {
            let dir = data_dir.join(FORKS_DIR);
            fs::create_dir_all(&dir).map_err(|e| SyncError::os(&dir, &e))?;
            write_atomic(&dir, &name, bytes)?;
            let note = ForkNote {
                station_id: station.clone(),
                seq: *seq,
                held_hash: hex(held),
                bundle_hash: hex(bundle),
                bundle_file: name.clone(),
                refused_ms: now_ms,
            };
            let json = serde_json::to_vec_pretty(&note).map_err(|e| SyncError::io(&dir, e))?;
            write_atomic(&dir, &format!("{name}.json"), &json)?;
        }
        _ => {}
    }
    Ok(())
}

/// The canonical file name for a bundle (from its header), or the name it came with.
fn file_name_of(path: &Path, bytes: &[u8]) -> String {
    match peek_header(bytes) {
        Ok(header) => super::bundle::bundle_file_name(&header),
        Err(_) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "bundle.axb".into()),
    }
}

/// Retries every bundle in `held/` until none makes progress; removes those applied or
/// redundant, moves those that turned out to be forks to `forks/`.
pub fn retry_held(
    ledger: &mut Ledger,
    keys: &StationKeys,
    data_dir: &Path,
    operator: &str,
    moment: Moment,
) -> Vec<FileOutcome> {
    let now_ms = moment.now_ms;
    let dir = data_dir.join(HELD_DIR);
    let mut outcomes = Vec::new();
    loop {
        let Ok(files) = bundles_in(&dir) else {
            return outcomes;
        };
        let mut progressed = false;
        for path in files {
            let bytes = match read_bundle_file(&path) {
                Ok(b) => b,
                Err(e) => {
                    outcomes.push(FileOutcome {
                        path,
                        from_held: true,
                        result: Err(e),
                    });
                    continue;
                }
            };
            let result = import_bundle(ledger, keys, &bytes, operator, moment);
            match &result {
                Ok(ImportOutcome::Gap { .. }) => continue,
                Ok(ImportOutcome::Applied(_)) => progressed = true,
                Ok(ImportOutcome::NothingNew { .. }) => {}
                Err(_) => {
                    let _ = keep_aside(data_dir, &path, &bytes, &result, now_ms);
                }
            }
            let _ = fs::remove_file(&path);
            outcomes.push(FileOutcome {
                path,
                from_held: true,
                result,
            });
        }
        if !progressed {
            return outcomes;
        }
    }
}

/// The bundles waiting in `held/`, described by their (unverified) headers.
pub fn held_notes(data_dir: &Path) -> Vec<HeldNote> {
    let files = bundles_in(&data_dir.join(HELD_DIR)).unwrap_or_default();
    files
        .iter()
        .filter_map(|path| {
            let bytes = fs::read(path).ok()?;
            let header = peek_header(&bytes).ok()?;
            Some(HeldNote {
                station_id: header.sender,
                first_seq: header.first_seq,
                last_seq: header.last_seq,
                file: path.file_name()?.to_string_lossy().into_owned(),
            })
        })
        .collect()
}

/// The fork notes in `forks/`.
pub fn fork_notes(data_dir: &Path) -> Vec<ForkNote> {
    let dir = data_dir.join(FORKS_DIR);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut notes: Vec<ForkNote> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| serde_json::from_slice(&fs::read(p).ok()?).ok())
        .collect();
    notes.sort_by(|a, b| (&a.station_id, a.seq).cmp(&(&b.station_id, b.seq)));
    notes
}
