//! The bundle container: one file carried on a USB stick between a village and the township.
//!
//! This module owns the byte layout of a bundle and every check made on it before its
//! contents are trusted. It does not know what the payload holds: the caller passes opaque
//! bytes in (encoded events) and gets them back out. Layout, all integers little-endian and
//! fixed width (see `docs/bundle-format.md` for the byte-by-byte description):
//!
//! ```text
//! magic "AIXINBDL" (8) | version u16 | header_len u32 | header (header_len)
//!   | payload_len u64 | age ciphertext (payload_len) | ed25519 signature (64)
//! ```
//!
//! The payload is encrypted with age to the recipient station's x25519 key, so a lost stick
//! reveals no household data; the header (station ids, sequence range, counts, time) stays in
//! the clear for routing and review. The signature covers every byte before it, so a reader
//! checks sizes, the header and the sender's signature before it decrypts anything.

use std::io::Read;
use std::iter;
use std::str::FromStr;

use ed25519_dalek::{Signature, Signer, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::keys::{validate_station_id, StationKeys};

/// The first eight bytes of every bundle file.
pub const BUNDLE_MAGIC: [u8; 8] = *b"AIXINBDL";
/// The format version this code writes and the only one it reads.
pub const BUNDLE_FORMAT_VERSION: u16 = 1;
/// The largest bundle file accepted, and the largest decrypted payload.
pub const BUNDLE_BYTES_MAX: u64 = 256 * 1024 * 1024;
/// The largest sequence number a bundle header may carry (twelve decimal digits, so that
/// [`bundle_file_name`] stays fixed width and sorts correctly).
pub const BUNDLE_SEQ_MAX: u64 = 999_999_999_999;
/// The file name extension of bundle files, without the dot.
pub const BUNDLE_EXTENSION: &str = "axb";

/// Length of an ed25519 signature.
const SIGNATURE_LEN: usize = 64;
/// Largest `header_len` accepted; a version 1 header is at most 197 bytes.
const HEADER_BYTES_MAX: u32 = 1024;
/// Longest station id in a header, in bytes.
const HEADER_STRING_MAX: u16 = 64;
/// Characters of the sender id kept in a file name.
const FILE_NAME_SENDER_MAX: usize = 16;

/// What a bundle carries; one byte on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum BundleKind {
    /// A village's new events, sent to the township.
    VillageEvents = 1,
    /// The township's answer: acknowledgements and catalog, policy, household and shipment
    /// changes for one village.
    TownshipReply = 2,
}

impl BundleKind {
    /// The wire byte of this kind.
    pub fn to_u8(self) -> u8 {
        self as u8
    }

    /// The kind for a wire byte, if it is one.
    pub fn from_u8(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Self::VillageEvents),
            2 => Some(Self::TownshipReply),
            _ => None,
        }
    }
}

/// The clear-text, signed header of a bundle.
///
/// The container checks only its shape (station id charset and length, known kind,
/// sequence numbers at most [`BUNDLE_SEQ_MAX`]); what the range, hash and count mean — and
/// whether `recipient` is this station — is for the importer to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    /// Station id of the writer; its key must verify the signature.
    pub sender: String,
    /// Station id of the station the payload is encrypted to.
    pub recipient: String,
    /// First sequence number of the sender's events in this bundle.
    pub first_seq: u64,
    /// Last sequence number of the sender's events in this bundle.
    pub last_seq: u64,
    /// Hash of the sender's event just before `first_seq` (the chain link to check against).
    pub prev_head_hash: [u8; 32],
    /// When the bundle was written, milliseconds since the Unix epoch (the writer's clock).
    pub created_ms: i64,
    /// Number of events in the payload.
    pub event_count: u64,
    /// What the bundle carries.
    pub kind: BundleKind,
}

/// Why a bundle could not be written or was refused on reading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// The file or the payload is larger than [`BUNDLE_BYTES_MAX`].
    #[error("bundle is larger than 256 MiB; split the export into smaller bundles")]
    TooLarge,
    /// The file ends before the layout says it should (an interrupted copy?).
    #[error("bundle file is cut short; copy it from the USB stick again")]
    Truncated,
    /// The file does not start with `AIXINBDL`.
    #[error("not an aixin bundle file")]
    BadMagic,
    /// The file was written by a format version this program does not read.
    #[error("bundle format version {0} is not supported; update aixin on this computer")]
    UnsupportedVersion(u16),
    /// The header is not well formed.
    #[error("bundle header is malformed ({0}); ask the sender to export again")]
    MalformedHeader(&'static str),
    /// Writing: a station id (this station's own, or the recipient's) cannot go into a
    /// bundle's header and file name. Nothing was written; only a station with another id
    /// can sync.
    #[error("station id '{0}' cannot travel in a sync bundle (only letters, digits, '.', '_' and '-'); a station's id cannot change, so sync needs a station set up with an id such as LJC01: move the households and goods there with household list --out and goods list --out")]
    UnfitStationId(String),
    /// The sending station is not enrolled here.
    #[error(
        "unknown sender {0}: maybe a damaged file (ask for a new export), or enroll the station"
    )]
    UnknownSender(String),
    /// The signature does not match the sender's enrolled key: tampered or forged.
    #[error(
        "bundle signature does not verify: changed or forged; do not use it, ask for a new export"
    )]
    BadSignature,
    /// The payload is not encrypted to this station's key.
    #[error("bundle is not addressed to this station's key; check which station it is for")]
    NotForUs,
    /// The signed payload could not be decrypted.
    #[error("bundle payload cannot be decrypted; ask the sender to export again")]
    DecryptFailed,
    /// Bytes follow the signature.
    #[error("bundle file has extra bytes after its end; copy it from the USB stick again")]
    TrailingBytes,
    /// The recipient's age key given to the writer is not an `age1...` key.
    #[error("recipient's age key is not a valid age1... key; enroll the station again")]
    BadRecipientKey,
    /// Encryption failed while writing.
    #[error("bundle payload could not be encrypted")]
    EncryptFailed,
}

/// Writes a complete bundle: header, payload encrypted to `recipient_age` (an `age1...`
/// x25519 recipient), signed by `signer`. Refuses a malformed header and anything that would
/// exceed [`BUNDLE_BYTES_MAX`].
pub fn write_bundle(
    header: &BundleHeader,
    payload: &[u8],
    signer: &StationKeys,
    recipient_age: &str,
) -> Result<Vec<u8>, BundleError> {
    let header_bytes = encode_header(header)?;
    if u64::try_from(payload.len()).map_or(true, |n| n > BUNDLE_BYTES_MAX) {
        return Err(BundleError::TooLarge);
    }
    let recipient = age::x25519::Recipient::from_str(recipient_age)
        .map_err(|_| BundleError::BadRecipientKey)?;
    let ciphertext = encrypt(payload, &recipient)?;
    seal(&header_bytes, &ciphertext, signer)
}

/// Reads a bundle and returns its header and decrypted payload.
///
/// Everything is checked before any payload is returned, in this order: size limit, magic,
/// version, header length, header, payload length against the file's actual length,
/// signature (by the key `trusted` returns for the header's sender), then decryption with
/// `identity`, whose output is limited to [`BUNDLE_BYTES_MAX`]. The caller still checks that
/// the header's recipient is this station and what the sequence range means.
pub fn read_bundle(
    bytes: &[u8],
    trusted: &dyn Fn(&str) -> Option<[u8; 32]>,
    identity: &StationKeys,
) -> Result<(BundleHeader, Vec<u8>), BundleError> {
    let (header, ciphertext) = open(bytes, trusted, BUNDLE_BYTES_MAX)?;
    let payload = decrypt(ciphertext, identity)?;
    Ok((header, payload))
}

/// Reads and verifies a bundle's header without decrypting it (for a monitor's review and for
/// routing). Makes every check [`read_bundle`] makes up to and including the signature.
pub fn read_header(
    bytes: &[u8],
    trusted: &dyn Fn(&str) -> Option<[u8; 32]>,
) -> Result<BundleHeader, BundleError> {
    open(bytes, trusted, BUNDLE_BYTES_MAX).map(|(header, _)| header)
}

/// A bundle whose size, layout, header and signature have been checked but whose payload is
/// still encrypted: the importer checks what the header means (recipient, revocation) before
/// it decrypts anything.
#[derive(Debug)]
pub struct VerifiedBundle<'a> {
    /// The signed header.
    pub header: BundleHeader,
    ciphertext: &'a [u8],
}

impl VerifiedBundle<'_> {
    /// Decrypts the payload with this station's age identity (step 9 of the reading order).
    pub fn decrypt(&self, identity: &StationKeys) -> Result<Vec<u8>, BundleError> {
        decrypt(self.ciphertext, identity)
    }

    /// Length of the encrypted payload in bytes.
    pub fn ciphertext_len(&self) -> u64 {
        self.ciphertext.len() as u64
    }
}

/// Makes every check [`read_bundle`] makes before decrypting (steps 1 to 8) and returns the
/// verified header with the still-encrypted payload.
pub fn verify_bundle<'a>(
    bytes: &'a [u8],
    trusted: &dyn Fn(&str) -> Option<[u8; 32]>,
) -> Result<VerifiedBundle<'a>, BundleError> {
    let (header, ciphertext) = open(bytes, trusted, BUNDLE_BYTES_MAX)?;
    Ok(VerifiedBundle { header, ciphertext })
}

/// Reads a bundle's header checking its layout (steps 1 to 6) but **not** its signature: for
/// a monitor to see who a bundle claims to come from when the sender is not enrolled here.
/// Nothing read this way may be trusted.
pub fn peek_header(bytes: &[u8]) -> Result<BundleHeader, BundleError> {
    parse(bytes, BUNDLE_BYTES_MAX).map(|parsed| parsed.header)
}

/// A FAT32-safe file name for a bundle, shorter than 64 characters and made of
/// `[A-Za-z0-9._-]` only, that sorts by sender then sequence:
/// `<sender, at most 16 chars>-<first_seq, 12 digits>-<last_seq, 12 digits>-<8 hex>.axb`,
/// e.g. `V001-000000000001-000000000200-3f9a0c1d.axb`. The hex tag is a hash of the whole
/// header, so bundles to different recipients, or written at different times, never share a
/// name (also on case-insensitive file systems).
pub fn bundle_file_name(header: &BundleHeader) -> String {
    let sender: String = header
        .sender
        .chars()
        .take(FILE_NAME_SENDER_MAX)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let sender = match sender.strip_prefix('.') {
        Some(rest) => format!("_{rest}"),
        None if sender.is_empty() => "_".to_owned(),
        None => sender,
    };
    let tag = header_tag(header);
    format!(
        "{sender}-{:012}-{:012}-{tag}.{BUNDLE_EXTENSION}",
        header.first_seq.min(BUNDLE_SEQ_MAX),
        header.last_seq.min(BUNDLE_SEQ_MAX),
    )
}

/// First four bytes of a hash over every header field, as lowercase hex.
fn header_tag(header: &BundleHeader) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"aixin bundle name v1");
    for text in [&header.sender, &header.recipient] {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.update(&header.first_seq.to_le_bytes());
    hasher.update(&header.last_seq.to_le_bytes());
    hasher.update(&header.prev_head_hash);
    hasher.update(&header.created_ms.to_le_bytes());
    hasher.update(&header.event_count.to_le_bytes());
    hasher.update(&[header.kind.to_u8()]);
    let digest = hasher.finalize();
    digest.as_bytes()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a header's shape (shared by writer and reader).
fn validate_header(header: &BundleHeader) -> Result<(), BundleError> {
    validate_station_id(&header.sender)
        .map_err(|_| BundleError::MalformedHeader("bad sender id"))?;
    validate_station_id(&header.recipient)
        .map_err(|_| BundleError::MalformedHeader("bad recipient id"))?;
    if header.first_seq > BUNDLE_SEQ_MAX || header.last_seq > BUNDLE_SEQ_MAX {
        return Err(BundleError::MalformedHeader(
            "sequence number above 999999999999",
        ));
    }
    Ok(())
}

/// Encodes a header in its fixed version 1 layout. A station id that cannot travel is refused
/// as such (the writer's own problem), not as a malformed header (a reader's).
fn encode_header(header: &BundleHeader) -> Result<Vec<u8>, BundleError> {
    for id in [&header.sender, &header.recipient] {
        if validate_station_id(id).is_err() {
            return Err(BundleError::UnfitStationId(id.clone()));
        }
    }
    validate_header(header)?;
    let mut out = Vec::with_capacity(197);
    out.push(header.kind.to_u8());
    for text in [&header.sender, &header.recipient] {
        let len = u16::try_from(text.len())
            .map_err(|_| BundleError::MalformedHeader("station id too long"))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    out.extend_from_slice(&header.first_seq.to_le_bytes());
    out.extend_from_slice(&header.last_seq.to_le_bytes());
    out.extend_from_slice(&header.prev_head_hash);
    out.extend_from_slice(&header.created_ms.to_le_bytes());
    out.extend_from_slice(&header.event_count.to_le_bytes());
    Ok(out)
}

/// Decodes a version 1 header; `bytes` must be exactly the header.
fn decode_header(bytes: &[u8]) -> Result<BundleHeader, BundleError> {
    let truncated = BundleError::MalformedHeader("header ends early");
    let mut r = Reader::new(bytes, truncated.clone());
    let kind =
        BundleKind::from_u8(r.u8()?).ok_or(BundleError::MalformedHeader("unknown bundle kind"))?;
    let sender = r.station_id()?;
    let recipient = r.station_id()?;
    let first_seq = r.u64()?;
    let last_seq = r.u64()?;
    let prev_head_hash = r.array::<32>()?;
    let created_ms = i64::from_le_bytes(r.array::<8>()?);
    let event_count = r.u64()?;
    if !r.rest().is_empty() {
        return Err(BundleError::MalformedHeader("extra bytes in header"));
    }
    let header = BundleHeader {
        sender,
        recipient,
        first_seq,
        last_seq,
        prev_head_hash,
        created_ms,
        event_count,
        kind,
    };
    validate_header(&header)?;
    Ok(header)
}

/// Encrypts `payload` to one age x25519 recipient, binary (not armored).
fn encrypt(payload: &[u8], recipient: &age::x25519::Recipient) -> Result<Vec<u8>, BundleError> {
    let encryptor = age::Encryptor::with_recipients(iter::once(recipient as &dyn age::Recipient))
        .map_err(|_| BundleError::EncryptFailed)?;
    let mut ciphertext = Vec::with_capacity(payload.len() + 256);
    let mut writer = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|_| BundleError::EncryptFailed)?;
    std::io::Write::write_all(&mut writer, payload).map_err(|_| BundleError::EncryptFailed)?;
    writer.finish().map_err(|_| BundleError::EncryptFailed)?;
    Ok(ciphertext)
}

/// Decrypts a signed ciphertext with this station's age identity, reading at most
/// [`BUNDLE_BYTES_MAX`] bytes of plaintext.
fn decrypt(ciphertext: &[u8], identity: &StationKeys) -> Result<Vec<u8>, BundleError> {
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|_| BundleError::DecryptFailed)?;
    let reader = decryptor
        .decrypt(iter::once(identity.age_identity() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => BundleError::NotForUs,
            _ => BundleError::DecryptFailed,
        })?;
    let mut payload = Vec::new();
    reader
        .take(BUNDLE_BYTES_MAX + 1)
        .read_to_end(&mut payload)
        .map_err(|_| BundleError::DecryptFailed)?;
    if u64::try_from(payload.len()).map_or(true, |n| n > BUNDLE_BYTES_MAX) {
        return Err(BundleError::TooLarge);
    }
    Ok(payload)
}

/// Lays out magic, version, header and ciphertext, and appends the signature over them.
fn seal(
    header_bytes: &[u8],
    ciphertext: &[u8],
    signer: &StationKeys,
) -> Result<Vec<u8>, BundleError> {
    let header_len = u32::try_from(header_bytes.len())
        .map_err(|_| BundleError::MalformedHeader("header too long"))?;
    let payload_len = u64::try_from(ciphertext.len()).map_err(|_| BundleError::TooLarge)?;
    let total = 8 + 2 + 4 + header_bytes.len() + 8 + ciphertext.len() + SIGNATURE_LEN;
    if u64::try_from(total).map_or(true, |n| n > BUNDLE_BYTES_MAX) {
        return Err(BundleError::TooLarge);
    }
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&BUNDLE_MAGIC);
    out.extend_from_slice(&BUNDLE_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(header_bytes);
    out.extend_from_slice(&payload_len.to_le_bytes());
    out.extend_from_slice(ciphertext);
    let signature: Signature = signer.signing_key().sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// Checks everything up to and including the signature; returns the header and the (still
/// encrypted) ciphertext. `limit` is the largest file accepted.
fn open<'a>(
    bytes: &'a [u8],
    trusted: &dyn Fn(&str) -> Option<[u8; 32]>,
    limit: u64,
) -> Result<(BundleHeader, &'a [u8]), BundleError> {
    let parsed = parse(bytes, limit)?;
    // 7. signature, by the sender's enrolled key
    let key_bytes = trusted(&parsed.header.sender)
        .ok_or_else(|| BundleError::UnknownSender(parsed.header.sender.clone()))?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|_| BundleError::BadSignature)?;
    let signature = Signature::from_bytes(&parsed.signature);
    key.verify_strict(parsed.signed, &signature)
        .map_err(|_| BundleError::BadSignature)?;
    Ok((parsed.header, parsed.ciphertext))
}

/// A bundle split into its parts, its layout checked but its signature not yet.
struct Parsed<'a> {
    header: BundleHeader,
    ciphertext: &'a [u8],
    signed: &'a [u8],
    signature: [u8; SIGNATURE_LEN],
}

/// Steps 1 to 6 of the reading order: size, magic, version, header, lengths.
fn parse(bytes: &[u8], limit: u64) -> Result<Parsed<'_>, BundleError> {
    // 1. size
    if u64::try_from(bytes.len()).map_or(true, |n| n > limit) {
        return Err(BundleError::TooLarge);
    }
    // 2. magic: a short file that starts like a bundle is truncated, anything else is foreign.
    if !bytes.iter().zip(BUNDLE_MAGIC.iter()).all(|(a, b)| a == b) {
        return Err(BundleError::BadMagic);
    }
    let mut r = Reader::new(bytes, BundleError::Truncated);
    r.array::<8>()?;
    // 3. version
    let version = u16::from_le_bytes(r.array::<2>()?);
    if version != BUNDLE_FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion(version));
    }
    // 4. header length
    let header_len = u32::from_le_bytes(r.array::<4>()?);
    if header_len > HEADER_BYTES_MAX {
        return Err(BundleError::MalformedHeader("header length too large"));
    }
    let header_bytes = r.take(usize::try_from(header_len).map_err(|_| BundleError::Truncated)?)?;
    // 5. header
    let header = decode_header(header_bytes)?;
    // 6. payload length against what is actually there
    let payload_len = r.u64()?;
    let available = r.rest().len().saturating_sub(SIGNATURE_LEN);
    let available = u64::try_from(available).map_err(|_| BundleError::TooLarge)?;
    if r.rest().len() < SIGNATURE_LEN || payload_len > available {
        return Err(BundleError::Truncated);
    }
    if payload_len < available {
        return Err(BundleError::TrailingBytes);
    }
    let ciphertext = r.take(usize::try_from(payload_len).map_err(|_| BundleError::TooLarge)?)?;
    let signature_bytes = r.array::<SIGNATURE_LEN>()?;
    let signed = bytes
        .len()
        .checked_sub(SIGNATURE_LEN)
        .and_then(|n| bytes.get(..n))
        .ok_or(BundleError::Truncated)?;
    Ok(Parsed {
        header,
        ciphertext,
        signed,
        signature: signature_bytes,
    })
}

/// A cursor over a byte slice that never reads past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    short: BundleError,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes` that fails with `short` when asked for more than is left.
    fn new(bytes: &'a [u8], short: BundleError) -> Self {
        Self { bytes, short }
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Result<&'a [u8], BundleError> {
        if n > self.bytes.len() {
            return Err(self.short.clone());
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes as an array.
    fn array<const N: usize>(&mut self) -> Result<[u8; N], BundleError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, BundleError> {
        Ok(self.array::<1>()?[0])
    }

    fn u64(&mut self) -> Result<u64, BundleError> {
        Ok(u64::from_le_bytes(self.array::<8>()?))
    }

    /// A u16-length-prefixed station id, checked against the station id rules.
    fn station_id(&mut self) -> Result<String, BundleError> {
        let len = u16::from_le_bytes(self.array::<2>()?);
        if len > HEADER_STRING_MAX {
            return Err(BundleError::MalformedHeader(
                "station id longer than 64 bytes",
            ));
        }
        let raw = self.take(usize::from(len))?;
        let text = std::str::from_utf8(raw)
            .map_err(|_| BundleError::MalformedHeader("station id is not UTF-8"))?;
        validate_station_id(text)
            .map_err(|_| BundleError::MalformedHeader("station id has bad characters"))?;
        Ok(text.to_owned())
    }

    /// Everything not read yet.
    fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

#[cfg(test)]
mod tests;
