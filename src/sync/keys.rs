//! Station keys: the one identity a station holds for sync.
//!
//! This module owns the station's two secret keys, how they are stored on disk and how their
//! public halves are shared:
//!
//! - an ed25519 **signing key**, which signs every bundle the station writes, and
//! - an age x25519 **identity**, which decrypts bundles sent to the station.
//!
//! Both live in `keys/` inside the data directory (`keys/signing.key`, `keys/age.key`), are
//! created with mode 0600 on unix, are written atomically (temp file, fsync, rename) and are
//! never overwritten. The public halves travel as one line of text
//! (`aixin-pub1:<station>:<hex ed25519>:<age recipient>`) and are compared over the phone by a
//! short [`PublicKeys::fingerprint`]. Station ids are checked here too
//! ([`validate_station_id`]) because they name keys and bundles alike.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Directory inside the data directory that holds the key files.
pub const KEYS_DIR: &str = "keys";
/// File name of the ed25519 signing key inside [`KEYS_DIR`].
pub const SIGNING_KEY_FILE: &str = "signing.key";
/// File name of the age x25519 identity inside [`KEYS_DIR`].
pub const AGE_KEY_FILE: &str = "age.key";
/// Longest station id, in bytes.
pub const STATION_ID_MAX: usize = 64;
/// Prefix of the one-line public key text form.
pub const PUBLIC_LINE_PREFIX: &str = "aixin-pub1";

/// Prefix of the single line stored in `signing.key`.
const SIGNING_FILE_PREFIX: &str = "AIXIN-ED25519-SECRET-KEY-1:";
/// Longest key file or public line accepted; real ones are about 100 bytes.
const KEY_TEXT_MAX: usize = 1024;

/// Why keys could not be created, stored, loaded or parsed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `save` found key files already in place and kept them.
    #[error("key file {} already exists; refusing to overwrite this station's keys (move keys/ aside only to replace the station's identity)", .path.display())]
    Exists {
        /// The key file that already exists.
        path: PathBuf,
    },
    /// A key file is not there.
    #[error("key file {} is missing; run `aixin keys create` to make this station's keys, or restore keys/ from a backup", .path.display())]
    Missing {
        /// The key file that was expected.
        path: PathBuf,
    },
    /// A key file is there but does not hold a key.
    #[error("key file {} is damaged ({reason}); restore keys/ from a backup", .path.display())]
    Corrupt {
        /// The damaged key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The file system refused a read or write.
    #[error("cannot access {}: {source}; check the disk and its permissions", .path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A station id breaks the naming rules.
    #[error("station id '{id}' cannot travel with sync ({why}); ids use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, so that station must be set up again with an id such as LJC01")]
    BadStationId {
        /// The id as given.
        id: String,
        /// Which rule it breaks.
        why: &'static str,
    },
    /// A shared public key line could not be read.
    #[error(
        "not an aixin public key line ({0}); expected aixin-pub1:<station>:<64 hex>:<age1...>"
    )]
    BadPublicLine(&'static str),
}

impl KeyError {
    /// The one-line message for a village manager or township clerk, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            KeyError::Exists { path } => format!(
                "密钥文件 {} 已存在，不会覆盖本站密钥（只有要更换本站身份时，才把 keys 文件夹移走）",
                path.display()
            ),
            KeyError::Missing { path } => format!(
                "找不到密钥文件 {}；请运行 aixin keys create 生成本站密钥，或从备份恢复 keys 文件夹",
                path.display()
            ),
            KeyError::Corrupt { path, .. } => {
                format!("密钥文件 {} 已损坏；请从备份恢复 keys 文件夹", path.display())
            }
            KeyError::Io { path, source } => format!(
                "无法读写 {}（{}）；请检查磁盘和权限",
                path.display(),
                crate::i18n::os_error(source, lang)
            ),
            KeyError::BadStationId { id, .. } => format!(
                "站点编号“{id}”不能用于同步（只能用 1 到 64 个英文字母、数字、.、_ 和 -，以字母或数字开头）；该站点须用合规编号（例如 LJC01）重新建站"
            ),
            KeyError::BadPublicLine(_) => format!(
                "这不是 aixin 公钥行；应为 {PUBLIC_LINE_PREFIX}:站点编号:64 位十六进制:age1…，请在对方电脑上运行 aixin keys show 后整行复制"
            ),
        }
    }
}

/// Checks a station id: 1 to 64 bytes of ASCII letters, digits, `.`, `_` or `-`, starting with
/// a letter or digit. Such ids are safe in file names, key lines and bundle headers.
pub fn validate_station_id(id: &str) -> Result<(), &'static str> {
    let bytes = id.as_bytes();
    let Some(first) = bytes.first() else {
        return Err("empty");
    };
    if bytes.len() > STATION_ID_MAX {
        return Err("longer than 64 bytes");
    }
    if !first.is_ascii_alphanumeric() {
        return Err("must start with a letter or digit");
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err("only letters, digits, '.', '_' and '-' are allowed");
    }
    Ok(())
}

/// The secret keys of one station: an ed25519 signing key and an age x25519 identity.
///
/// `Debug` shows only the public halves.
pub struct StationKeys {
    signing: SigningKey,
    age_identity: age::x25519::Identity,
}

impl fmt::Debug for StationKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StationKeys")
            .field("verifying", &hex(self.signing.verifying_key().as_bytes()))
            .field("age_recipient", &self.age_identity.to_public().to_string())
            .finish_non_exhaustive()
    }
}

impl StationKeys {
    /// Generates fresh keys from the operating system's random source.
    pub fn generate() -> Self {
        Self {
            signing: SigningKey::generate(&mut rand_core::OsRng),
            age_identity: age::x25519::Identity::generate(),
        }
    }

    /// Stores the keys in `<data_dir>/keys/`, creating that directory if needed.
    ///
    /// Each file is written to a temporary file with mode 0600 (unix), fsynced and renamed
    /// into place. Refuses with [`KeyError::Exists`] if either key file is already there, and
    /// then changes nothing.
    pub fn save(&self, data_dir: &Path) -> Result<(), KeyError> {
        let dir = data_dir.join(KEYS_DIR);
        let signing_path = dir.join(SIGNING_KEY_FILE);
        let age_path = dir.join(AGE_KEY_FILE);
        for path in [&signing_path, &age_path] {
            match fs::symlink_metadata(path) {
                Ok(_) => return Err(KeyError::Exists { path: path.clone() }),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(KeyError::Io {
                        path: path.clone(),
                        source,
                    })
                }
            }
        }
        create_private_dir(&dir)?;

        let mut signing_text = Vec::with_capacity(SIGNING_FILE_PREFIX.len() + 65);
        signing_text.extend_from_slice(SIGNING_FILE_PREFIX.as_bytes());
        signing_text.extend_from_slice(hex(self.signing.as_bytes()).as_bytes());
        signing_text.push(b'\n');
        let mut age_text = self
            .age_identity
            .to_string()
            .expose_secret()
            .as_bytes()
            .to_vec();
        age_text.push(b'\n');

        let signing_tmp = dir.join(format!(".{SIGNING_KEY_FILE}.tmp"));
        let age_tmp = dir.join(format!(".{AGE_KEY_FILE}.tmp"));
        let written = write_private_file(&signing_tmp, &signing_text)
            .and_then(|()| write_private_file(&age_tmp, &age_text));
        // Best effort: do not leave secret bytes lying around in our own buffers.
        signing_text.fill(0);
        age_text.fill(0);
        if let Err(e) = written {
            let _ = fs::remove_file(&signing_tmp);
            let _ = fs::remove_file(&age_tmp);
            return Err(e);
        }
        // Check again right before the renames, which would silently replace a file.
        for path in [&signing_path, &age_path] {
            if fs::symlink_metadata(path).is_ok() {
                let _ = fs::remove_file(&signing_tmp);
                let _ = fs::remove_file(&age_tmp);
                return Err(KeyError::Exists { path: path.clone() });
            }
        }
        rename(&signing_tmp, &signing_path)?;
        rename(&age_tmp, &age_path)?;
        sync_dir(&dir)
    }

    /// Loads the keys from `<data_dir>/keys/`.
    pub fn load(data_dir: &Path) -> Result<Self, KeyError> {
        let dir = data_dir.join(KEYS_DIR);
        let signing_path = dir.join(SIGNING_KEY_FILE);
        let age_path = dir.join(AGE_KEY_FILE);

        let mut signing_text = read_key_file(&signing_path)?;
        let signing = parse_signing_file(&signing_text);
        signing_text.fill(0);
        let signing = signing.map_err(|reason| KeyError::Corrupt {
            path: signing_path.clone(),
            reason,
        })?;

        let mut age_text = read_key_file(&age_path)?;
        let age_identity = std::str::from_utf8(&age_text)
            .map_err(|_| "not text")
            .and_then(|s| age::x25519::Identity::from_str(s.trim()).map_err(|_| "not an age key"));
        age_text.fill(0);
        let age_identity = age_identity.map_err(|reason| KeyError::Corrupt {
            path: age_path.clone(),
            reason,
        })?;

        Ok(Self {
            signing,
            age_identity,
        })
    }

    /// The public halves, labelled with this station's id.
    pub fn public(&self, station_id: &str) -> PublicKeys {
        PublicKeys {
            station_id: station_id.to_owned(),
            verifying: self.signing.verifying_key().to_bytes(),
            age_recipient: self.age_identity.to_public().to_string(),
        }
    }

    /// The ed25519 key that signs this station's bundles.
    pub(super) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The age identity that decrypts bundles sent to this station.
    pub(super) fn age_identity(&self) -> &age::x25519::Identity {
        &self.age_identity
    }
}

/// The public keys of a station, as enrolled at the other end of a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeys {
    /// The station these keys belong to.
    pub station_id: String,
    /// The ed25519 verifying key that checks the station's bundle signatures.
    pub verifying: [u8; 32],
    /// The age x25519 recipient (`age1...`) that bundles for the station are encrypted to.
    pub age_recipient: String,
}

impl PublicKeys {
    /// A short code to compare over the phone, e.g. `k3vq-7m2a-x5dd-4pwe`: the first 10 bytes
    /// of blake3(verifying key || age recipient text), in lowercase RFC 4648 base32, in four
    /// groups of four.
    pub fn fingerprint(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&self.verifying);
        hasher.update(self.age_recipient.as_bytes());
        let digest = hasher.finalize();
        let mut prefix = [0u8; 10];
        prefix.copy_from_slice(&digest.as_bytes()[..10]);
        let code = base32_lower(&prefix);
        let mut out = String::with_capacity(19);
        for (i, c) in code.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    /// Whether `spoken` (a fingerprint read over the phone and typed in) is this key's
    /// fingerprint. Only letters and digits count, in any case: people type the groups with
    /// spaces, dashes or none.
    pub fn fingerprint_matches(&self, spoken: &str) -> bool {
        let norm = |s: &str| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        };
        norm(spoken) == norm(&self.fingerprint())
    }

    /// The one-line text form: `aixin-pub1:<station_id>:<hex verifying>:<age recipient>`.
    pub fn to_line(&self) -> String {
        format!(
            "{PUBLIC_LINE_PREFIX}:{}:{}:{}",
            self.station_id,
            hex(&self.verifying),
            self.age_recipient
        )
    }

    /// Parses the text form written by [`PublicKeys::to_line`]. Surrounding whitespace is
    /// ignored; the station id, the ed25519 key and the age recipient are all checked.
    pub fn parse_line(line: &str) -> Result<Self, KeyError> {
        let line = line.trim();
        if line.len() > KEY_TEXT_MAX {
            return Err(KeyError::BadPublicLine("too long"));
        }
        let mut parts = line.split(':');
        let (Some(prefix), Some(station_id), Some(verifying_hex), Some(recipient), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(KeyError::BadPublicLine(
                "expected four ':'-separated fields",
            ));
        };
        if prefix != PUBLIC_LINE_PREFIX {
            return Err(KeyError::BadPublicLine("does not start with aixin-pub1"));
        }
        validate_station_id(station_id).map_err(|why| KeyError::BadStationId {
            id: station_id.to_string(),
            why,
        })?;
        let verifying = parse_hex32(verifying_hex)
            .ok_or(KeyError::BadPublicLine("signing key is not 64 hex digits"))?;
        let key = VerifyingKey::from_bytes(&verifying)
            .map_err(|_| KeyError::BadPublicLine("signing key is not a valid ed25519 key"))?;
        if key.is_weak() {
            return Err(KeyError::BadPublicLine("signing key is a weak ed25519 key"));
        }
        let recipient = age::x25519::Recipient::from_str(recipient)
            .map_err(|_| KeyError::BadPublicLine("age recipient is not a valid age1... key"))?;
        Ok(Self {
            station_id: station_id.to_owned(),
            verifying,
            age_recipient: recipient.to_string(),
        })
    }
}

/// Lowercase RFC 4648 base32 without padding.
fn base32_lower(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let mut buffer: u16 = 0;
    let mut bits: u32 = 0;
    for &byte in data {
        buffer = (buffer << 8) | u16::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[usize::from((buffer >> bits) & 31)]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(
            ALPHABET[usize::from((buffer << (5 - bits)) & 31)],
        ));
    }
    out
}

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Parses exactly 64 hex digits (either case) into 32 bytes.
fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *slot = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

/// Parses the contents of `signing.key`.
fn parse_signing_file(text: &[u8]) -> Result<SigningKey, &'static str> {
    let text = std::str::from_utf8(text).map_err(|_| "not text")?;
    let hex_part = text
        .trim()
        .strip_prefix(SIGNING_FILE_PREFIX)
        .ok_or("not an aixin signing key")?;
    let mut secret = parse_hex32(hex_part).ok_or("key is not 64 hex digits")?;
    let key = SigningKey::from_bytes(&secret);
    secret.fill(0);
    Ok(key)
}

/// Reads a key file, mapping "not there" to [`KeyError::Missing`].
fn read_key_file(path: &Path) -> Result<Vec<u8>, KeyError> {
    let metadata = fs::metadata(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            KeyError::Missing {
                path: path.to_owned(),
            }
        } else {
            KeyError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })?;
    if metadata.len() > KEY_TEXT_MAX as u64 {
        return Err(KeyError::Corrupt {
            path: path.to_owned(),
            reason: "file is far too large for a key",
        });
    }
    fs::read(path).map_err(|source| KeyError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Creates `dir` (and parents); the keys directory itself gets mode 0700 on unix.
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| KeyError::Io {
        path: dir.to_owned(),
        source,
    })
}

/// Writes `contents` to a new file at `path` with mode 0600 (unix) and fsyncs it. A stale file
/// of the same name (a temp file left by a crash) is replaced.
fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    let io_err = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(e)),
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file: File = options.open(path).map_err(io_err)?;
    file.write_all(contents).map_err(io_err)?;
    file.sync_all().map_err(io_err)
}

/// Renames `from` to `to`.
fn rename(from: &Path, to: &Path) -> Result<(), KeyError> {
    fs::rename(from, to).map_err(|source| KeyError::Io {
        path: to.to_owned(),
        source,
    })
}

/// Makes the renames in `dir` durable (unix); elsewhere a no-op.
fn sync_dir(dir: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| KeyError::Io {
                path: dir.to_owned(),
                source,
            })?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests;
