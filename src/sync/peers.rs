//! Sync bookkeeping per peer station, kept beside the ledger but outside its hash chain: how
//! much of this station's chain the peer has acknowledged (so an export carries only what the
//! peer lacks), and when the two last exchanged bundles. Losing it costs nothing but a larger
//! next bundle: an export with no valid acknowledgement starts from the first event, and the
//! importer at the other end skips what it already holds.

use serde::{Deserialize, Serialize};

use crate::domain::event::GENESIS_HASH;
use crate::domain::Hash;
use crate::store::codec;
use crate::store::ledger::View;
use crate::store::StoreError;

/// What this station knows about its exchanges with one peer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerSync {
    /// The last of this station's events the peer acknowledged holding (0: none).
    pub acked_seq: u64,
    /// That event's hash, to notice when the peer holds a different chain (a fork).
    pub acked_hash: Hash,
    /// When a bundle from the peer last brought something new (this station's clock, UTC ms).
    pub last_import_ms: Option<i64>,
    /// When that bundle was written (the peer's clock).
    pub last_bundle_created_ms: Option<i64>,
    /// When this station last wrote a bundle for the peer.
    pub last_export_ms: Option<i64>,
    /// Bundles from the peer that brought something new.
    pub bundles_imported: u64,
    /// Set when the peer acknowledged an event this station does not hold at that number:
    /// the peer holds another version of this chain (e.g. this laptop was restored from an
    /// old backup). Exports then start from the first event so the peer sees the fork.
    pub ack_mismatch_seq: Option<u64>,
}

impl Default for PeerSync {
    fn default() -> Self {
        PeerSync {
            acked_seq: 0,
            acked_hash: GENESIS_HASH,
            last_import_ms: None,
            last_bundle_created_ms: None,
            last_export_ms: None,
            bundles_imported: 0,
            ack_mismatch_seq: None,
        }
    }
}

impl PeerSync {
    /// Reads the record for `peer` from this station's view (the default if none).
    pub fn load(view: &View, peer: &str) -> Result<PeerSync, StoreError> {
        match view.peer_record(peer)? {
            Some(bytes) => codec::decode(&bytes).map_err(|e| StoreError::Storage(e.to_string())),
            None => Ok(PeerSync::default()),
        }
    }

    /// The record as stored bytes, keyed by the peer's id.
    pub fn to_record(&self, peer: &str) -> Result<(String, Vec<u8>), StoreError> {
        let bytes = codec::encode(self).map_err(|e| StoreError::Storage(e.to_string()))?;
        Ok((peer.to_string(), bytes))
    }
}
