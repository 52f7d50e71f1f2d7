//! Reviewing a bundle file before it is imported (`aixin monitor --bundle`): its header, whether
//! its signature verifies against a key its sender was enrolled with here (and whether that key
//! was revoked before the bundle was written), and — when the bundle is addressed to this
//! station and verifies — its events counted by kind, with their time span and the
//! acknowledgement it carries. Read-only: the ledger is opened read-only if at all, nothing is
//! written, and a station without a ledger or keys still sees the header. The review is worded
//! here in both languages, so the command line only prints it.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use super::bundle::{peek_header, verify_bundle, BundleHeader, BundleKind};
use super::error::SyncError;
use super::files::read_bundle_file;
use super::keys::{PublicKeys, StationKeys};
use super::payload::decode_payload;
use crate::config;
use crate::domain::roster::KeyEpoch;
use crate::domain::time::format_local;
use crate::domain::trust::revoked_for;
use crate::domain::Event;
use crate::i18n::Lang;
use crate::store::verify::hex;
use crate::store::{codec, Ledger};

/// What checking the signature against this station's roster found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    /// The sender is not enrolled here; the signature cannot be checked.
    SenderUnknown,
    /// No key the sender was enrolled with verifies it: changed or forged.
    Invalid,
    /// A key of the sender verifies it.
    Valid {
        /// The signing key's fingerprint, as read over the phone.
        fingerprint: String,
        /// When that key was revoked, if that refuses this bundle at import.
        revoked_from_ms: Option<i64>,
    },
}

/// A bundle's events in brief: counts by kind, time span, acknowledgement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentsSummary {
    /// Events per kind name.
    pub by_kind: BTreeMap<&'static str, u64>,
    /// Earliest event time, UTC ms.
    pub first_ms: Option<i64>,
    /// Latest event time, UTC ms.
    pub last_ms: Option<i64>,
    /// The acknowledgement carried: (station, sequence number held).
    pub ack: Option<(String, u64)>,
}

/// Everything a review of one bundle file found.
#[derive(Clone, Debug)]
pub struct BundleReview {
    /// The bundle's header (unverified unless [`Signature::Valid`]).
    pub header: BundleHeader,
    /// The file's size in bytes.
    pub bytes: usize,
    /// The signature check.
    pub signature: Signature,
    /// The contents, when this station could verify and decrypt them.
    pub contents: Option<ContentsSummary>,
}

/// Reviews the bundle file at `path` as the station in `data_dir` sees it. Refused only when
/// the file cannot be read or is not a bundle at all.
pub fn review_bundle(data_dir: &Path, path: &Path) -> Result<BundleReview, SyncError> {
    let bytes = read_bundle_file(path)?;
    let header = peek_header(&bytes)?;
    let ledger = Ledger::open_read_only(&config::ledger_path(data_dir)).ok();
    let roster = ledger
        .as_ref()
        .and_then(|l| l.view().ok())
        .and_then(|v| v.roster().ok())
        .unwrap_or_default();
    let own = ledger
        .as_ref()
        .map(|l| l.station().to_string())
        .unwrap_or_default();
    let entry = roster.iter().find(|e| e.station_id == header.sender);
    let signer: Option<&KeyEpoch> = entry.and_then(|e| {
        e.keys.iter().rev().find(|k| {
            let trusted = |id: &str| (id == header.sender).then_some(k.verifying_key);
            verify_bundle(&bytes, &trusted).is_ok()
        })
    });
    let signature = match (entry, signer) {
        (None, _) => Signature::SenderUnknown,
        (Some(_), None) => Signature::Invalid,
        (Some(e), Some(k)) => Signature::Valid {
            fingerprint: PublicKeys {
                station_id: e.station_id.clone(),
                verifying: k.verifying_key,
                age_recipient: k.age_recipient.clone(),
            }
            .fingerprint(),
            revoked_from_ms: revoked_for(k, header.created_ms),
        },
    };
    let contents = signer
        .filter(|_| header.recipient == own)
        .and_then(|k| {
            let keys = StationKeys::load(data_dir).ok()?;
            let trusted = |id: &str| (id == header.sender).then_some(k.verifying_key);
            verify_bundle(&bytes, &trusted).ok()?.decrypt(&keys).ok()
        })
        .and_then(|plain| summarise(&plain));
    Ok(BundleReview {
        header,
        bytes: bytes.len(),
        signature,
        contents,
    })
}

fn summarise(plain: &[u8]) -> Option<ContentsSummary> {
    let (ack, raw) = decode_payload(plain).ok()?;
    let mut summary = ContentsSummary {
        ack: ack.map(|a| (a.station_id, a.seq)),
        ..ContentsSummary::default()
    };
    for bytes in raw {
        let event: Event = codec::decode(bytes).ok()?;
        *summary.by_kind.entry(event.body.kind()).or_default() += 1;
        summary.first_ms = Some(
            summary
                .first_ms
                .map_or(event.time_ms, |t| t.min(event.time_ms)),
        );
        summary.last_ms = Some(
            summary
                .last_ms
                .map_or(event.time_ms, |t| t.max(event.time_ms)),
        );
    }
    Some(summary)
}

impl BundleReview {
    /// The review in words, one finding per line.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut lines = header_lines(&self.header, self.bytes, lang);
        lines.push(signature_line(&self.signature, lang));
        match &self.contents {
            Some(summary) => lines.extend(summary.lines(lang)),
            None => lines.push(match lang {
                Lang::Zh => format!(
                    "内容：只显示包头（数据包是发给 {} 的，本站无法解密）",
                    self.header.recipient
                ),
                Lang::En => format!(
                    "contents: header only (the bundle is for {}; this station cannot decrypt it)",
                    self.header.recipient
                ),
            }),
        }
        lines
    }

    /// The review for `--json`: the header and size, the signer's fingerprint when it
    /// verified, and the event counts when the contents were read.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = json!({ "header": self.header, "bytes": self.bytes });
        if let Signature::Valid { fingerprint, .. } = &self.signature {
            value["signer_fingerprint"] = json!(fingerprint);
        }
        if let Some(summary) = &self.contents {
            value["events"] = json!({ "by_kind": summary.by_kind, "first_ms": summary.first_ms, "last_ms": summary.last_ms });
        }
        value
    }
}

fn signature_line(signature: &Signature, lang: Lang) -> String {
    match signature {
        Signature::SenderUnknown => lang
            .pick(
                "签名：发送站未在本站登记，无法核验",
                "signature: the sender is not enrolled here; cannot check it",
            )
            .into(),
        Signature::Invalid => lang
            .pick(
                "签名：不符！文件被改动或伪造，请勿导入",
                "signature: does NOT verify; the file was changed or forged, do not import it",
            )
            .into(),
        Signature::Valid {
            fingerprint: fp,
            revoked_from_ms,
        } => match (lang, revoked_from_ms) {
            (Lang::Zh, None) => format!("签名：有效，签名者指纹 {fp}"),
            (Lang::En, None) => format!("signature: valid, signer fingerprint {fp}"),
            (Lang::Zh, Some(t)) => format!(
                "签名：有效（指纹 {fp}），但该公钥自 {} 起已吊销，导入会被拒收",
                format_local(*t)
            ),
            (Lang::En, Some(t)) => format!(
                "signature: valid (fingerprint {fp}), but the key was revoked from {}; import will refuse it",
                format_local(*t)
            ),
        },
    }
}

fn header_lines(h: &BundleHeader, bytes: usize, lang: Lang) -> Vec<String> {
    let kind = match h.kind {
        BundleKind::VillageEvents => lang.pick("村站数据", "village events"),
        BundleKind::TownshipReply => lang.pick("乡镇回复", "township reply"),
    };
    match lang {
        Lang::Zh => vec![
            format!("数据包：{kind}，{bytes} 字节"),
            format!("发送：{} → 接收：{}", h.sender, h.recipient),
            format!(
                "记录：#{}–#{}，共 {} 条；接续 {}…",
                h.first_seq,
                h.last_seq,
                h.event_count,
                hex(&h.prev_head_hash[..6])
            ),
            format!("导出时间（发送方时钟）：{}", format_local(h.created_ms)),
        ],
        Lang::En => vec![
            format!("bundle: {kind}, {bytes} bytes"),
            format!("from {} to {}", h.sender, h.recipient),
            format!(
                "events #{}–#{}, {} in all; builds on {}…",
                h.first_seq,
                h.last_seq,
                h.event_count,
                hex(&h.prev_head_hash[..6])
            ),
            format!(
                "written at (sender's clock): {}",
                format_local(h.created_ms)
            ),
        ],
    }
}

impl ContentsSummary {
    /// The summary in words: time span, counts by kind, acknowledgement.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(first), Some(last)) = (self.first_ms, self.last_ms) {
            out.push(match lang {
                Lang::Zh => format!("时间：{} 至 {}", format_local(first), format_local(last)),
                Lang::En => format!("time: {} to {}", format_local(first), format_local(last)),
            });
        }
        for (kind, count) in &self.by_kind {
            let label = crate::report::day::kind_label(kind, lang);
            out.push(match lang {
                Lang::Zh => format!("  {label}：{count} 条"),
                Lang::En => format!("  {label}: {count}"),
            });
        }
        if let Some((station, seq)) = &self.ack {
            out.push(match lang {
                Lang::Zh => format!("确认：已收到 {station} 至 #{seq}"),
                Lang::En => format!("acknowledges: holds {station} to #{seq}"),
            });
        }
        out
    }
}
