//! Why an export or import was refused: one variant per reason, each a one-line message in
//! Chinese and English that says what was refused and what to do. A refused import changes
//! nothing in the ledger.

use std::path::PathBuf;

use super::bundle::BundleError;
use super::keys::KeyError;
use super::payload::PayloadError;
use crate::domain::time::format_local;
use crate::domain::Hash;
use crate::i18n::{os_error, Lang};
use crate::store::verify::hex;
use crate::store::StoreError;

/// A refused or failed sync operation.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The container refused the file (size, layout, signature, decryption).
    #[error("{0}")]
    Bundle(#[from] BundleError),
    /// The payload could not be read although the signature verified.
    #[error("{0}")]
    Payload(#[from] PayloadError),
    /// The signed contents contradict the signed header, or the chain inside is broken.
    #[error("bundle contents do not match its header: {0}")]
    Inconsistent(&'static str),
    /// The bundle is addressed to another station.
    #[error("bundle is for station {recipient}, this is {own}")]
    WrongRecipient {
        /// Who the bundle is for.
        recipient: String,
        /// This station.
        own: String,
    },
    /// A village bundle at a village, or a township reply at the township.
    #[error("bundle of the wrong kind for this station's role")]
    WrongKind,
    /// This station's own bundle was imported here: it is for `recipient`.
    #[error("bundle was written by this station itself, for {recipient}")]
    OwnBundle {
        /// Who the bundle is for (where it is to be carried).
        recipient: String,
    },
    /// The bundle was signed by a key revoked before the bundle was written.
    #[error("bundle from {station} was signed by a key revoked from {from_ms}")]
    Revoked {
        /// The sender.
        station: String,
        /// When its key was revoked, UTC ms.
        from_ms: i64,
    },
    /// Another event is held at the same station and sequence number.
    #[error("fork at {station} #{seq}")]
    Fork {
        /// Whose chain forked.
        station: String,
        /// Where.
        seq: u64,
        /// The hash of the event held here.
        held: Hash,
        /// The hash of the bundle's event at that number.
        bundle: Hash,
    },
    /// A village has no township enrolled to export to.
    #[error("no township enrolled")]
    NoTownship,
    /// The recipient is not an enrolled, unrevoked station of the right role.
    #[error("{0} is not an enrolled station to export to")]
    UnknownRecipient(String),
    /// A village with several townships must name one.
    #[error("several townships are enrolled; name one with --recipient")]
    AmbiguousRecipient,
    /// This station's keys cannot be used.
    #[error("{0}")]
    Keys(#[from] KeyError),
    /// The ledger refused or failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A file or folder could not be read or written.
    #[error("{}: {message}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong, in English (the system's words).
        message: String,
        /// What went wrong, in Chinese.
        message_zh: String,
    },
    /// The file written to the stick does not read back the same.
    #[error("{} did not read back correctly", .0.display())]
    ReadBackFailed(PathBuf),
}

impl From<crate::domain::Fault> for SyncError {
    fn from(f: crate::domain::Fault) -> Self {
        SyncError::Store(StoreError::from(f))
    }
}

impl SyncError {
    /// A file or folder that could not be used, with what went wrong in words (Chinese,
    /// English).
    pub fn io_words(
        path: &std::path::Path,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> SyncError {
        SyncError::Io {
            path: path.to_path_buf(),
            message: en.into(),
            message_zh: zh.into(),
        }
    }

    /// A file or folder the operating system refused, with its words.
    pub fn os(path: &std::path::Path, e: &std::io::Error) -> SyncError {
        SyncError::io_words(path, os_error(e, Lang::Zh), os_error(e, Lang::En))
    }

    /// Wraps an error that has only an English description (a test's, a library's).
    pub fn io(path: &std::path::Path, e: impl std::fmt::Display) -> SyncError {
        let text = e.to_string();
        SyncError::io_words(path, "系统报错", text)
    }

    /// Whether this is a refusal of a bundle (exit 1) rather than a bad file name or a
    /// storage failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            SyncError::Io { .. }
                | SyncError::Keys(_)
                | SyncError::Store(StoreError::Storage(_) | StoreError::Uncertain(_))
        )
    }

    /// The one-line message for a village manager or township clerk.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: String, e: String| if zh { z } else { e };
        match self {
            SyncError::Bundle(e) => bundle_message(e, lang),
            SyncError::Payload(_) => t("数据包内容无法读取，请让对方重新导出".into(), format!("{self}; ask the sender to export again")),
            SyncError::Inconsistent(why) => t(
                "数据包内容与包头不符，已拒收；请让对方重新导出".into(),
                format!("bundle contents do not match its header ({why}); refused, ask the sender to export again"),
            ),
            SyncError::WrongRecipient { recipient, own } => t(
                format!("这个数据包是发给 {recipient} 的，本站是 {own}；请交给正确的站点"),
                format!("this bundle is for station {recipient}, not this station {own}; take it to the right station"),
            ),
            SyncError::WrongKind => t(
                "数据包类型与本站角色不符（村站只收乡镇的回复，乡镇只收村站的数据）".into(),
                "wrong kind of bundle for this station (a village takes township replies, the township takes village bundles)".into(),
            ),
            SyncError::OwnBundle { recipient } => t(
                format!("这是本站自己导出、发给 {recipient} 的数据包，不能导入本站；请把它带到 {recipient} 导入"),
                format!("this is this station's own export, for {recipient}; it is not imported here: take it to {recipient} and import it there"),
            ),
            SyncError::Revoked { station, from_ms } => t(
                format!("站点 {station} 的公钥自 {} 起已吊销，此后签名的数据包一律拒收", format_local(*from_ms)),
                format!("the key of station {station} was revoked from {}; bundles signed after that are refused", format_local(*from_ms)),
            ),
            SyncError::Fork { station, seq, held, bundle } => t(
                format!(
                    "分叉：站点 {station} 第 {seq} 条记录有两个不同版本（本地 {}…，数据包 {}…）；已拒收，请人工核对（是否恢复过旧备份？）",
                    short(held),
                    short(bundle)
                ),
                format!(
                    "fork: station {station} has two different events #{seq} (held {}…, bundle {}…); refused, a person must resolve it (was an old backup restored?)",
                    short(held),
                    short(bundle)
                ),
            ),
            SyncError::NoTownship => t(
                "还没有登记乡镇；请先运行 aixin station enroll <乡镇公钥行> --township".into(),
                "no township is enrolled; run aixin station enroll <township key line> --township first".into(),
            ),
            SyncError::UnknownRecipient(s) => t(
                format!("{s} 不是已登记且有效的同步站点；请先登记它的公钥"),
                format!("{s} is not an enrolled station with a valid key; enroll its public key first"),
            ),
            SyncError::AmbiguousRecipient => t("登记了多个乡镇，请用 --recipient 指定一个".into(), "several townships are enrolled; name one with --recipient".into()),
            SyncError::Keys(e) => t(format!("本站密钥不可用：{}", e.message(lang)), format!("this station's keys cannot be used: {e}")),
            SyncError::Store(e) => e.message(lang),
            SyncError::Io { path, message, message_zh } => t(
                format!("无法读写 {}（U 盘拔出、磁盘满或没有权限？）：{message_zh}", path.display()),
                format!("cannot read or write {} (USB stick removed, disk full or no permission?): {message}", path.display()),
            ),
            SyncError::ReadBackFailed(path) => t(
                format!("写入 U 盘的 {} 读回校验失败，请不要拔出，换一个 U 盘重新导出", path.display()),
                format!("{} did not read back correctly from the stick; do not use it, export again (try another stick)", path.display()),
            ),
        }
    }
}

/// A reader's header problem in Chinese (the writer's words are English constants).
fn header_problem_zh(why: &str) -> &'static str {
    match why {
        "bad sender id" => "发送站编号不合规",
        "bad recipient id" => "接收站编号不合规",
        "station id too long" | "station id longer than 64 bytes" => "站点编号太长",
        "station id is not UTF-8" | "station id has bad characters" => "站点编号有不能用的字符",
        "header ends early" => "包头不完整",
        "unknown bundle kind" => "数据包种类不认识",
        "extra bytes in header" => "包头有多余内容",
        "header too long" | "header length too large" => "包头太长",
        _ => "包头数值不对",
    }
}

fn short(hash: &Hash) -> String {
    hex(&hash[..6])
}

/// The container's refusals in both languages.
pub fn bundle_message(e: &BundleError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        BundleError::TooLarge => "数据包超过 256 MiB，已拒收；请分成几次导出".into(),
        BundleError::Truncated => "数据包不完整（复制中断？），已拒收；请从 U 盘重新复制".into(),
        BundleError::BadMagic => "这不是 aixin 数据包文件".into(),
        BundleError::UnsupportedVersion(v) => {
            format!("数据包格式版本 {v} 不支持；请升级本机的 aixin")
        }
        BundleError::MalformedHeader(why) => {
            format!("数据包包头格式错误（{}），请让对方重新导出", header_problem_zh(why))
        }
        BundleError::UnfitStationId(id) => format!(
            "站点编号“{id}”不能写进同步数据包（只能用英文字母、数字、.、_ 和 -），没有导出任何文件；站点编号建站后不能更改，要同步须用合规编号（例如 LJC01）另建站点，再用 household list --out 和 goods list --out 把农户和商品带过去"
        ),
        BundleError::UnknownSender(s) => {
            format!("数据包自称来自未登记的站点 {s}，已拒收：如果不认识这个站点，文件可能已损坏或被改动，请让对方重新导出；如果是新站点，请先登记它的公钥（aixin station enroll）")
        }
        BundleError::BadSignature => "数据包签名不对：文件被改动或伪造，已拒收，请勿使用；请让对方重新导出一份".into(),
        BundleError::NotForUs => "数据包不是用本站密钥加密的；请核对它是发给哪个站点的".into(),
        BundleError::DecryptFailed => "数据包无法解密，已拒收；请让对方重新导出".into(),
        BundleError::TrailingBytes => "数据包末尾有多余内容，已拒收；请从 U 盘重新复制".into(),
        BundleError::BadRecipientKey => "对方的加密公钥无效；请重新登记该站点".into(),
        BundleError::EncryptFailed => "数据包加密失败".into(),
    }
}
