//! What a manager does with a USB stick, as one implementation that both the CLI (`export`,
//! `import`, `station list`) and the till's sync screen call: export into a folder on the stick
//! and record when, pick the bundles in a folder that are addressed to this station, describe
//! each import outcome in the user's language, and the sync state of every peer station. The
//! callers only print or draw what these return.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use super::bundle::peek_header;
use super::error::SyncError;
use super::exchange::{export_bundles, ImportOutcome, OutBundle};
use super::files::{expand_paths, import_files, read_bundle_file, write_export, FileOutcome};
use super::keys::{PublicKeys, StationKeys};
use super::peers::PeerSync;
use crate::domain::roster::RosterEntry;
use crate::domain::time::Moment;
use crate::domain::{Command, StationRole};
use crate::i18n::Lang;
use crate::store::{Ledger, StoreError};

/// The bundles an export wrote, each with the path it was written to.
#[derive(Clone, Debug)]
pub struct Exported {
    /// The bundles, in the order written.
    pub bundles: Vec<OutBundle>,
    /// Where each was written (same order).
    pub paths: Vec<PathBuf>,
}

/// Seals the bundles for every default recipient (or the one named), writes them into `dir`
/// atomically, reads each back and verifies it, and then records the export time per
/// recipient. That record is bookkeeping outside the hash chain, but still a write to the
/// ledger file: a read-only monitor must not call this.
pub fn export_to_folder(
    ledger: &mut Ledger,
    keys: &StationKeys,
    dir: &Path,
    recipient: Option<&str>,
    now_ms: i64,
) -> Result<Exported, SyncError> {
    let bundles = export_bundles(ledger, keys, now_ms, recipient)?;
    let own = ledger.station().to_string();
    let paths = write_export(dir, &bundles, keys, &own)?;
    let mut records = Vec::new();
    {
        let view = ledger.view()?;
        let mut seen = std::collections::BTreeSet::new();
        for bundle in &bundles {
            if seen.insert(bundle.header.recipient.clone()) {
                let mut peer = PeerSync::load(&view, &bundle.header.recipient)?;
                peer.last_export_ms = Some(now_ms);
                records.push(peer.to_record(&bundle.header.recipient)?);
            }
        }
    }
    ledger.put_peer_records(&records)?;
    Ok(Exported { bundles, paths })
}

/// One line per bundle written: file, recipient, events and size.
pub fn export_lines(lang: Lang, exported: &Exported) -> Vec<String> {
    exported
        .bundles
        .iter()
        .zip(&exported.paths)
        .map(|(bundle, path)| {
            let h = &bundle.header;
            match lang {
                Lang::Zh => format!(
                    "{} → {}：{} 条记录（#{}–#{}），{} 字节",
                    path.display(),
                    h.recipient,
                    h.event_count,
                    h.first_seq,
                    h.last_seq,
                    bundle.bytes.len()
                ),
                Lang::En => format!(
                    "{} → {}: {} events (#{}–#{}), {} bytes",
                    path.display(),
                    h.recipient,
                    h.event_count,
                    h.first_seq,
                    h.last_seq,
                    bundle.bytes.len()
                ),
            }
        })
        .collect()
}

/// The sentence said once every bundle was written and verified.
pub fn safe_to_remove(lang: Lang) -> &'static str {
    lang.pick(
        "已写入并读回校验，可以拔出U盘",
        "written and verified; safe to remove the USB stick",
    )
}

/// Why the bundles named for an import cannot be imported, before any of them is read.
#[derive(Debug)]
pub enum PickError {
    /// A folder could not be listed, or it holds too many files.
    Sync(SyncError),
    /// A named file does not exist.
    Missing(PathBuf),
    /// No `.axb` files there at all.
    NoBundles,
    /// Bundles, but none addressed to this station.
    NoneForStation {
        /// This station.
        station: String,
        /// Bundles skipped (for other stations, or written here).
        skipped: usize,
    },
}

impl PickError {
    /// The one-line message.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PickError::Sync(e) => e.message(lang),
            PickError::Missing(path) => match lang {
                Lang::Zh => format!("找不到文件 {}", path.display()),
                Lang::En => format!("no such file {}", path.display()),
            },
            PickError::NoBundles => lang
                .pick("文件夹里没有 .axb 数据包", "no .axb bundle files there")
                .into(),
            PickError::NoneForStation { station, skipped } => match lang {
                Lang::Zh => format!(
                    "没有发给本站 {station} 的数据包（跳过 {skipped} 个发给其他站点或本站导出的）"
                ),
                Lang::En => format!(
                    "no bundles for this station {station} (skipped {skipped} for other stations or written here)"
                ),
            },
        }
    }
}

/// The bundle files named (folders expanded in name order); every one must exist and there
/// must be at least one.
pub fn bundle_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PickError> {
    let files = expand_paths(paths).map_err(PickError::Sync)?;
    if let Some(missing) = files.iter().find(|p| !p.is_file()) {
        return Err(PickError::Missing(missing.clone()));
    }
    if files.is_empty() {
        return Err(PickError::NoBundles);
    }
    Ok(files)
}

/// Of `files`, those addressed to `own` plus any the user named one by one. A folder on the
/// stick holds bundles both ways: only those for this station are taken from it.
pub fn addressed_files(
    named: &[PathBuf],
    files: Vec<PathBuf>,
    own: &str,
) -> Result<Vec<PathBuf>, PickError> {
    let named: Vec<&Path> = named
        .iter()
        .filter(|p| p.is_file())
        .map(|p| p.as_path())
        .collect();
    let (files, skipped): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|p| named.contains(&p.as_path()) || addressed_to(p, own));
    if files.is_empty() {
        return Err(PickError::NoneForStation {
            station: own.to_string(),
            skipped: skipped.len(),
        });
    }
    Ok(files)
}

/// Whether a bundle file's (unverified) header names `station` as recipient.
fn addressed_to(path: &Path, station: &str) -> bool {
    read_bundle_file(path)
        .ok()
        .and_then(|bytes| peek_header(&bytes).ok())
        .is_none_or(|h| h.recipient == station)
}

/// Imports the bundles for this station from the files and folders named, as `aixin import`
/// does: picked, imported in name order, gaps held and forks kept aside in `data_dir`.
pub fn import_paths(
    ledger: &mut Ledger,
    keys: &StationKeys,
    data_dir: &Path,
    paths: &[PathBuf],
    operator: &str,
    moment: Moment,
) -> Result<Vec<FileOutcome>, PickError> {
    let files = bundle_files(paths)?;
    let own = ledger.station().to_string();
    let files = addressed_files(paths, files, &own)?;
    Ok(import_files(
        ledger, keys, data_dir, &files, operator, moment,
    ))
}

/// What became of one file, for colouring and counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKind {
    /// New events stored.
    Applied,
    /// Already held: nothing changed.
    NothingNew,
    /// Builds on events not received yet: held until they come.
    Held,
    /// Contradicts events held here: refused and kept for a person.
    Fork,
    /// Refused for another reason.
    Refused,
}

/// The kind of an import outcome.
pub fn outcome_kind(outcome: &FileOutcome) -> OutcomeKind {
    match &outcome.result {
        Ok(ImportOutcome::Applied(_)) => OutcomeKind::Applied,
        Ok(ImportOutcome::NothingNew { .. }) => OutcomeKind::NothingNew,
        Ok(ImportOutcome::Gap { .. }) => OutcomeKind::Held,
        Err(SyncError::Fork { .. }) => OutcomeKind::Fork,
        Err(_) => OutcomeKind::Refused,
    }
}

/// One file's outcome in words (continuation lines start with two spaces) and as JSON.
pub fn describe_outcome(lang: Lang, outcome: &FileOutcome) -> (String, serde_json::Value) {
    let name = outcome
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let held_tag = if outcome.from_held {
        lang.pick("（暂存的）", " (held)")
    } else {
        ""
    };
    match &outcome.result {
        Ok(ImportOutcome::Applied(a)) => {
            let mut line = match lang {
                Lang::Zh => format!(
                    "{name}{held_tag}：收到 {} 的 {} 条新记录，现有至 #{}",
                    a.sender, a.new_events, a.held_seq
                ),
                Lang::En => format!(
                    "{name}{held_tag}: {} new events from {}, now held to #{}",
                    a.new_events, a.sender, a.held_seq
                ),
            };
            if !a.own_events.is_empty() {
                line.push_str(&match lang {
                    Lang::Zh => format!(
                        "；本站据此记账 {} 条（入库、商品、规则、农户）",
                        a.own_events.len()
                    ),
                    Lang::En => format!(
                        "; {} entries made here (stock, goods, policy, households)",
                        a.own_events.len()
                    ),
                });
            }
            for (command, refusal) in &a.skipped {
                line.push_str(&format!(
                    "\n  ! {} {:?}: {}",
                    lang.pick("未能执行", "not applied"),
                    command_name(command),
                    refusal.message(lang)
                ));
            }
            if let Some(seq) = a.ack_mismatch_seq {
                line.push_str(&match lang {
                    Lang::Zh => format!("\n  ! 对方确认的本站第 {seq} 条与本地不同（本机是否恢复过旧备份？）下次导出将从头发送"),
                    Lang::En => format!("\n  ! the other side acknowledged our #{seq}, which differs here (old backup restored?); the next export starts from the beginning"),
                });
            }
            let value = json!({ "file": name, "status": "applied", "sender": a.sender, "new_events": a.new_events, "held_seq": a.held_seq, "own_events": a.own_events.len(), "skipped": a.skipped.iter().map(|(_, r)| r.message(lang)).collect::<Vec<_>>(), "from_held": outcome.from_held });
            (line, value)
        }
        Ok(ImportOutcome::NothingNew { sender, held_seq }) => (
            match lang {
                Lang::Zh => format!("{name}{held_tag}：没有新内容（{sender} 已有至 #{held_seq}）"),
                Lang::En => {
                    format!("{name}{held_tag}: nothing new ({sender} already held to #{held_seq})")
                }
            },
            json!({ "file": name, "status": "nothing_new", "sender": sender, "held_seq": held_seq, "from_held": outcome.from_held }),
        ),
        Ok(ImportOutcome::Gap {
            sender,
            held_seq,
            first_seq,
        }) => (
            match lang {
                Lang::Zh => format!(
                    "{name}：缺少 {sender} 的 #{}–#{}，已暂存，补齐后自动导入",
                    held_seq + 1,
                    first_seq - 1
                ),
                Lang::En => format!(
                    "{name}: {sender} #{}–#{} are missing; held, it is applied once they arrive",
                    held_seq + 1,
                    first_seq - 1
                ),
            },
            json!({ "file": name, "status": "held", "sender": sender, "held_seq": held_seq, "first_seq": first_seq }),
        ),
        Err(e) => {
            let message = e.message(lang);
            (
                format!("{name}{held_tag}: {message}"),
                json!({ "file": name, "status": "refused", "reason": message, "from_held": outcome.from_held }),
            )
        }
    }
}

fn command_name(command: &Command) -> String {
    match command {
        Command::DefineGoods { goods } | Command::TakeTownshipGoods { goods } => {
            format!("goods {}", goods.goods_id)
        }
        Command::ReceiveShipment { goods, lots } => format!(
            "stock {} × {}",
            goods.goods_id,
            lots.iter().map(|(units, _)| units).sum::<i64>()
        ),
        Command::ReceiveStock {
            goods_id, quantity, ..
        } => format!("stock {goods_id} × {quantity}"),
        Command::SetPolicy { policy } => format!("policy {}", policy.name),
        Command::RegisterHousehold { household } => format!("household {}", household.household_id),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

/// One enrolled station as this station sees it: its key and how far the two are in sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RosterLine {
    /// The peer's id.
    pub station_id: String,
    /// Village or township.
    pub role: StationRole,
    /// Its newest key's fingerprint, to read over the phone.
    pub fingerprint: String,
    /// Whether its key is in force.
    pub active: bool,
    /// When its key was revoked from, UTC ms.
    pub revoked_from_ms: Option<i64>,
    /// When its newest key was enrolled, UTC ms.
    pub enrolled_ms: Option<i64>,
    /// How much of this station's chain the peer acknowledged.
    pub acked_seq: u64,
    /// How much of the peer's chain is held here.
    pub held_seq: u64,
    /// When a bundle from the peer last brought something new (this station's clock).
    pub last_import_ms: Option<i64>,
    /// When this station last wrote a bundle for the peer.
    pub last_export_ms: Option<i64>,
}

/// Every enrolled station's line, in roster order.
pub fn roster_lines(ledger: &Ledger) -> Result<Vec<RosterLine>, StoreError> {
    let view = ledger.view()?;
    let mut lines = Vec::new();
    for entry in view.roster()? {
        let peer = PeerSync::load(&view, &entry.station_id)?;
        lines.push(roster_line(ledger, &peer, &entry)?);
    }
    Ok(lines)
}

fn roster_line(
    ledger: &Ledger,
    peer: &PeerSync,
    entry: &RosterEntry,
) -> Result<RosterLine, StoreError> {
    let key = entry.keys.last();
    let fingerprint = key
        .map(|k| {
            PublicKeys {
                station_id: entry.station_id.clone(),
                verifying: k.verifying_key,
                age_recipient: k.age_recipient.clone(),
            }
            .fingerprint()
        })
        .unwrap_or_default();
    let held_seq = ledger
        .view_of(&entry.station_id)?
        .meta()?
        .map_or(0, |m| m.head_seq);
    Ok(RosterLine {
        station_id: entry.station_id.clone(),
        role: entry.role,
        fingerprint,
        active: entry.is_active(),
        revoked_from_ms: key.and_then(|k| k.revoked_from_ms),
        enrolled_ms: key.map(|k| k.enrolled_ms),
        acked_seq: peer.acked_seq,
        held_seq,
        last_import_ms: peer.last_import_ms,
        last_export_ms: peer.last_export_ms,
    })
}
