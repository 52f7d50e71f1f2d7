//! What a bundle's encrypted payload holds: an acknowledgement of the recipient's chain and a
//! run of the sender's events, each exactly as the sender stored and hashed it.
//!
//! Layout (all integers little-endian, fixed width; see `docs/bundle-format.md`):
//!
//! ```text
//! ack_len u32 | ack (codec bytes of Option<ChainAck>, ack_len) | event_count u64
//!   | event_count × ( event_len u32 | event (canonical codec bytes, event_len) )
//! ```
//!
//! Events are framed one by one, rather than encoded as one list, so that no single codec
//! record is larger than one event, and so that the receiver hashes exactly the bytes the
//! sender hashed.

use serde::{Deserialize, Serialize};

use crate::domain::Hash;
use crate::store::codec::{self, RECORD_BYTES_MAX};

/// At most this many events in one bundle; a longer export is split into several bundles,
/// each building on the one before.
pub const EVENTS_PER_BUNDLE_MAX: u64 = 500_000;
/// An export starts a new bundle once a payload would grow beyond this many bytes (well under
/// the container's 256 MiB limit, so one bundle never needs more than a few hundred MiB of RAM).
pub const PAYLOAD_BYTES_TARGET: u64 = 64 * 1024 * 1024;
/// The largest encoded acknowledgement accepted.
const ACK_BYTES_MAX: u32 = 1024;

/// The head of a chain one station holds of another's: "I hold your events up to `seq`,
/// the last of which hashes to `hash`".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainAck {
    /// The station whose chain is acknowledged (the bundle's recipient).
    pub station_id: String,
    /// The last sequence number held (0: nothing).
    pub seq: u64,
    /// The hash of that event (all zeros for nothing).
    pub hash: Hash,
}

/// Why a decrypted payload could not be read: only a signed sender can produce one, so this
/// means a bug or a forged sender key, never a damaged stick.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bundle payload is malformed: {0}")]
pub struct PayloadError(pub &'static str);

/// Encodes a payload from an optional acknowledgement and stored events (hash, bytes).
pub fn encode_payload(
    ack: &Option<ChainAck>,
    events: &[(Hash, Vec<u8>)],
) -> Result<Vec<u8>, PayloadError> {
    let ack_bytes =
        codec::encode(ack).map_err(|_| PayloadError("acknowledgement cannot be encoded"))?;
    let total: usize =
        events.iter().map(|(_, b)| b.len() + 4).sum::<usize>() + ack_bytes.len() + 12;
    let mut out = Vec::with_capacity(total);
    let ack_len =
        u32::try_from(ack_bytes.len()).map_err(|_| PayloadError("acknowledgement too large"))?;
    out.extend_from_slice(&ack_len.to_le_bytes());
    out.extend_from_slice(&ack_bytes);
    out.extend_from_slice(&(events.len() as u64).to_le_bytes());
    for (_, bytes) in events {
        let len = u32::try_from(bytes.len()).map_err(|_| PayloadError("event too large"))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(bytes);
    }
    Ok(out)
}

/// Splits a payload into its acknowledgement and the events' bytes, checking every length
/// against what is there and against the limits. Events are not decoded here.
pub fn decode_payload(bytes: &[u8]) -> Result<(Option<ChainAck>, Vec<&[u8]>), PayloadError> {
    let mut rest = bytes;
    let ack_len = take_u32(&mut rest)?;
    if ack_len > ACK_BYTES_MAX {
        return Err(PayloadError("acknowledgement too large"));
    }
    let ack_bytes = take(&mut rest, ack_len as usize)?;
    let ack: Option<ChainAck> =
        codec::decode(ack_bytes).map_err(|_| PayloadError("acknowledgement is not readable"))?;
    let count = take_u64(&mut rest)?;
    if count > EVENTS_PER_BUNDLE_MAX {
        return Err(PayloadError("too many events"));
    }
    // Each event needs at least its 4-byte length; refuse a count the bytes cannot hold
    // before reserving memory for it.
    if count.saturating_mul(4) > rest.len() as u64 {
        return Err(PayloadError("event count larger than the payload"));
    }
    let mut events = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = take_u32(&mut rest)?;
        if len as usize > RECORD_BYTES_MAX {
            return Err(PayloadError("event too large"));
        }
        events.push(take(&mut rest, len as usize)?);
    }
    if !rest.is_empty() {
        return Err(PayloadError("extra bytes after the events"));
    }
    Ok((ack, events))
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], PayloadError> {
    if n > rest.len() {
        return Err(PayloadError("cut short"));
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn take_u32(rest: &mut &[u8]) -> Result<u32, PayloadError> {
    let mut a = [0u8; 4];
    a.copy_from_slice(take(rest, 4)?);
    Ok(u32::from_le_bytes(a))
}

fn take_u64(rest: &mut &[u8]) -> Result<u64, PayloadError> {
    let mut a = [0u8; 8];
    a.copy_from_slice(take(rest, 8)?);
    Ok(u64::from_le_bytes(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip() {
        let ack = Some(ChainAck {
            station_id: "T01".into(),
            seq: 7,
            hash: [3; 32],
        });
        let events = vec![
            ([1; 32], vec![1, 2, 3]),
            ([2; 32], vec![]),
            ([3; 32], vec![9; 300]),
        ];
        let bytes = encode_payload(&ack, &events).unwrap_or_default();
        let (back_ack, back) = decode_payload(&bytes).unwrap_or((None, Vec::new()));
        assert_eq!(back_ack, ack);
        assert_eq!(
            back,
            events.iter().map(|(_, b)| b.as_slice()).collect::<Vec<_>>()
        );
        let empty = encode_payload(&None, &[]).unwrap_or_default();
        assert_eq!(decode_payload(&empty), Ok((None, Vec::new())));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_payload(&bytes);
        }

        #[test]
        fn truncations_are_refused(cut in 0usize..40) {
            let events = vec![([1; 32], vec![1, 2, 3]), ([2; 32], vec![4; 10])];
            let bytes = encode_payload(&None, &events).unwrap_or_default();
            let cut = cut.min(bytes.len() - 1);
            prop_assert!(decode_payload(&bytes[..cut]).is_err());
        }
    }
}
