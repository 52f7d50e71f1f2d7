//! The command line's one error type. Every way a subcommand can fail is a variant of
//! [`CliError`], and each variant knows its exit code (1 refused by a rule, 2 bad usage or a bad
//! input file, 3 the ledger file or the disk cannot be used) and its one-line message in
//! Chinese and English. The errors of the layers below (store, sync, CSV, reports, the till)
//! arrive through `From`, so a handler writes `?` and never maps an error by hand; `main` prints
//! `aixin: <message>` and exits with [`CliError::exit_code`].

use std::path::PathBuf;

use crate::config::{ClockError, StationConfigError};
use crate::demo::DemoError;
use crate::domain::input::InputError;
use crate::domain::policy::PolicyError;
use crate::domain::station::{SaleNumberError, StationIdError};
use crate::domain::{DecideError, Fault, Refusal};
use crate::i18n::{os_error, Lang};
use crate::import::count::CountProblem;
use crate::import::export::ExportError;
use crate::import::{ImportError, PROBLEMS_SHOWN_MAX};
use crate::publish::PublishError;
use crate::receipt::ReceiptError;
use crate::report::ReportError;
use crate::store::StoreError;
use crate::sync::files::FileOutcome;
use crate::sync::keys::KeyError;
use crate::sync::usb::{describe_outcome, PickError};
use crate::sync::SyncError;
use crate::tui::TuiError;

/// Exit code: refused by a rule; the ledger is unchanged.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code: bad usage or a bad input file.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the ledger file (or the disk under it) cannot be used.
pub const EXIT_STORAGE: u8 = 3;

/// Why a subcommand did not do what was asked. The `Display` text is a short English
/// description for developers; [`CliError::message`] is what a village manager reads.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// clap rejected the arguments and has already printed why, with the usage.
    #[error("bad arguments (clap printed the usage)")]
    Arguments,
    /// `--lang` names a language the till does not speak.
    #[error("--lang must be zh or en, not '{0}'")]
    Lang(String),
    /// No `--data-dir`, no `AIXIN_DATA_DIR` and no platform data directory.
    #[error("no data directory")]
    NoDataDir,
    /// An environment variable that stands for an option (`AIXIN_DATA_DIR`, `AIXIN_LANG`,
    /// `AIXIN_OPERATOR`) is set but empty: refused rather than read as "not set", so an empty
    /// variable in a script never sends its writes to the default data directory.
    #[error("the environment variable {0} is empty")]
    EmptyEnv(&'static str),
    /// The data directory could not be created.
    #[error("cannot create the data directory {}: {source}", .path.display())]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// `AIXIN_NOW` is set but is not a time.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// An input file (CSV, policy TOML) could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A text input file (a policy's TOML) is not UTF-8.
    #[error("{} is not UTF-8", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A households, goods or scores sheet was not imported; nothing of it was written.
    #[error("{}: {source}", .path.display())]
    Import {
        /// The file.
        path: PathBuf,
        /// Every problem found, with sheet, row and column.
        source: Box<ImportError>,
    },
    /// A list could not be written as a sheet (`list --out`); the file is unchanged.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A row of an imported file was refused by a rule; nothing of the file was written.
    #[error("{} line {line}: {refusal:?}", .path.display())]
    RowRefused {
        /// The file.
        path: PathBuf,
        /// The file line (the header is line 1).
        line: u64,
        /// The domain's reason.
        refusal: Refusal,
    },
    /// A policy (shipped name or TOML file) could not be used.
    #[error("{spec}: {source}")]
    Policy {
        /// The name or file as given.
        spec: String,
        /// What is wrong with it.
        source: PolicyError,
    },
    /// An argument is not what its field takes (`1.5` as a quantity, an Excel-mangled barcode,
    /// a zone that is none).
    #[error(transparent)]
    Input(#[from] InputError),
    /// A new station's id cannot travel with sync.
    #[error(transparent)]
    StationId(#[from] StationIdError),
    /// A sale number is not one, or is another station's.
    #[error(transparent)]
    SaleNumber(#[from] SaleNumberError),
    /// `keys create` found keys in place and kept them.
    #[error("this station already has keys")]
    KeysExist,
    /// `stock receive` needs exactly one of `--donor`, `--fund`, `--from`.
    #[error("give exactly one of --donor, --fund, --from")]
    StockSource,
    /// `stock stocktake` was given no counts: neither `--sheet` nor `--count`.
    #[error("give --sheet FILE or --count GOODS=UNITS")]
    CountsMissing,
    /// A `--count` argument is not `GOODS=UNITS`.
    #[error("--count '{0}': not GOODS=UNITS")]
    CountArgument(String),
    /// Counts of a stocktake cannot be used (a sheet that cannot be read, a cell that is not a
    /// count, an item the catalog does not have, an item counted twice); nothing was recorded.
    #[error("{} stocktake counts cannot be used", .problems.len())]
    CountsRefused {
        /// The count sheet, when one was given.
        file: Option<PathBuf>,
        /// Every problem, with its row or its `--count` argument.
        problems: Vec<CountProblem>,
        /// True when some value could not be read at all (bad input), false when every value
        /// was readable and the catalog or the one-count-per-item rule refused some.
        unreadable: bool,
    },
    /// `--role` is not village or township.
    #[error("--role must be village or township, not '{0}'")]
    Role(String),
    /// `init` without `--station-id` and `--name` (and without `--demo`).
    #[error("give --station-id and --name (or --demo)")]
    InitNeedsStation,
    /// `station enroll` was given a line that is not an `aixin-pub1:` key line.
    #[error(transparent)]
    KeyLine(KeyError),
    /// The fingerprint read over the phone is not the key line's.
    #[error("fingerprint mismatch: {key_line} vs {spoken}")]
    FingerprintMismatch {
        /// The key line's fingerprint.
        key_line: String,
        /// The one read over the phone.
        spoken: String,
    },
    /// A rule refused; nothing was written.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The ledger refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A sync operation refused or failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The bundles named for an import cannot be imported (missing, none for this station).
    #[error("cannot pick bundles: {0:?}")]
    Pick(PickError),
    /// The one bundle file of an import was refused.
    #[error("bundle {} refused", .0.path.display())]
    BundleRefused(Box<FileOutcome>),
    /// Several bundles of an import were refused (each already printed); the rest were
    /// processed. `exit_code` is the lowest of theirs.
    #[error("{count} bundles refused")]
    BundlesRefused {
        /// How many.
        count: usize,
        /// The lowest exit code among them.
        exit_code: u8,
    },
    /// `verify` found events and derived state that disagree.
    #[error("ledger verification failed")]
    VerifyFailed,
    /// A report file could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The demo station could not be built.
    #[error(transparent)]
    Demo(#[from] DemoError),
    /// The till could not run.
    #[error(transparent)]
    Till(#[from] TuiError),
    /// The demo's temporary directory could not be made.
    #[error("cannot make a temporary directory: {0}")]
    TempDir(std::io::Error),
    /// `aixin publish` stopped: not a township, a bad address, PostgreSQL unreachable or
    /// failing, a damaged chain or a fork. Committed batches stand; a re-run resumes.
    #[error(transparent)]
    Publish(PublishError),
    /// A receipt could not be found (a forged code, a wrong number), read or printed.
    #[error(transparent)]
    Receipt(#[from] ReceiptError),
    /// The station's settings file (`station.toml`) cannot be used.
    #[error(transparent)]
    StationConfig(#[from] StationConfigError),
    /// `aixin` (the till) was started without a terminal: stdin or stdout is a pipe or a file.
    #[error("the till needs a terminal")]
    NoTerminal,
    /// `aixin --json monitor` without `--bundle`: the monitor's view of the ledger is a screen
    /// to read, not a result a script can take; the read-only subcommands (`log`, `verify`,
    /// `report`…) give the same facts as JSON.
    #[error("the monitor has no JSON output")]
    MonitorJson,
    /// What the command printed could not all be written to stdout (not a closed pipe).
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
    /// The ledger accepted a command but did not return the event it must write (a bug).
    #[error("unexpected: {0}")]
    Unexpected(&'static str),
    /// `score enter` was given both a total score and `--item`.
    #[error("give the total score or --item, not both")]
    ScoreAndItems,
    /// `score enter` was given neither a total score nor `--item`.
    #[error("give the total score or --item ITEM=SCORE")]
    ScoreMissing,
    /// An `--item` argument is not `ITEM=SCORE` with a whole number.
    #[error("--item '{0}': not ITEM=SCORE")]
    ItemArgument(String),
    /// A report's `--out` names a kind of file aixin does not write (`report.pdf`).
    #[error("--out {}: not .xlsx, .csv or .txt", .0.display())]
    OutputKind(PathBuf),
    /// A write at a station with operators, by a name that is not one of them.
    #[error("operator {given} is not one of {known:?}")]
    OperatorNeeded {
        /// The name given (`--operator`, `AIXIN_OPERATOR`, or the default).
        given: String,
        /// The station's operators.
        known: Vec<String>,
    },
    /// A write needs the operator's PIN and there is no terminal to ask and no `AIXIN_PIN`.
    #[error("PIN needed for {operator}")]
    PinNeeded {
        /// Whose PIN.
        operator: String,
    },
    /// A PIN being set, with no terminal to ask and no `AIXIN_NEW_PIN`.
    #[error("new PIN needed for {operator}")]
    NewPinNeeded {
        /// Whose PIN.
        operator: String,
    },
    /// The two PINs typed at the prompt differ.
    #[error("the PINs typed differ")]
    PinsDiffer,
    /// The chain names the operator but this file keeps no PIN for them.
    #[error("no PIN kept for {operator}")]
    NoPinKept {
        /// Whose PIN.
        operator: String,
    },
    /// The terminal prompt could not be read.
    #[error("cannot read from the terminal: {0}")]
    Prompt(std::io::Error),
    /// `--role` of an operator is not manager or monitor.
    #[error("operator role must be manager or monitor, not '{0}'")]
    OperatorRole(String),
    /// A backup needs a passphrase and there is no terminal to ask and no
    /// `AIXIN_BACKUP_PASSPHRASE`.
    #[error("passphrase needed")]
    PassphraseNeeded,
    /// The two passphrases typed differ.
    #[error("the passphrases typed differ")]
    PassphrasesDiffer,
    /// A backup or restore refused or failed.
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
}

impl From<Refusal> for CliError {
    fn from(refusal: Refusal) -> Self {
        CliError::Refused(refusal)
    }
}

impl From<DecideError> for CliError {
    fn from(e: DecideError) -> Self {
        match e {
            DecideError::Refused(refusal) => CliError::Refused(refusal),
            DecideError::Fault(fault) => fault.into(),
        }
    }
}

/// A storage fault read through the domain's state: the store's storage error, with its
/// message (what the disk said, "the ledger is unchanged", the way out).
impl From<Fault> for CliError {
    fn from(fault: Fault) -> Self {
        CliError::Store(StoreError::from(fault))
    }
}

/// A publish that stopped because of the ledger keeps the ledger's exit code and message.
impl From<PublishError> for CliError {
    fn from(e: PublishError) -> Self {
        match e {
            PublishError::Store(store) => CliError::Store(store),
            other => CliError::Publish(other),
        }
    }
}

impl From<PickError> for CliError {
    fn from(e: PickError) -> Self {
        match e {
            PickError::Sync(e) => CliError::Sync(e),
            other => CliError::Pick(other),
        }
    }
}

/// This station's own keys (`keys/`) cannot be used: a sync failure like any other.
impl From<KeyError> for CliError {
    fn from(e: KeyError) -> Self {
        CliError::Sync(SyncError::Keys(e))
    }
}

impl CliError {
    /// The process exit code: 1 refused by a rule, 2 bad usage or input file, 3 storage.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Refused(_)
            | CliError::SaleNumber(SaleNumberError::OtherStation { .. })
            | CliError::StationId(_)
            | CliError::KeysExist
            | CliError::RowRefused { .. }
            | CliError::FingerprintMismatch { .. }
            | CliError::VerifyFailed => EXIT_REFUSED,
            CliError::Arguments
            | CliError::Lang(_)
            | CliError::NoDataDir
            | CliError::EmptyEnv(_)
            | CliError::DataDir { .. }
            | CliError::Clock(_)
            | CliError::ReadFile { .. }
            | CliError::NotUtf8 { .. }
            | CliError::Policy { .. }
            | CliError::Input(_)
            | CliError::SaleNumber(_)
            | CliError::StockSource
            | CliError::CountsMissing
            | CliError::CountArgument(_)
            | CliError::Role(_)
            | CliError::InitNeedsStation
            | CliError::KeyLine(_)
            | CliError::NoTerminal
            | CliError::MonitorJson
            | CliError::Pick(_)
            | CliError::ScoreAndItems
            | CliError::ScoreMissing
            | CliError::ItemArgument(_)
            | CliError::OutputKind(_) => EXIT_USAGE,
            CliError::Store(e) => store_code(e),
            CliError::CountsRefused { unreadable, .. } => {
                if *unreadable {
                    EXIT_USAGE
                } else {
                    EXIT_REFUSED
                }
            }
            CliError::Import { source, .. } => match source.as_ref() {
                ImportError::Store(e) => store_code(e),
                e if e.is_refused_by_rule() => EXIT_REFUSED,
                _ => EXIT_USAGE,
            },
            CliError::Export(e) => match e {
                ExportError::Store(e) => store_code(e),
                ExportError::Format(_) => EXIT_USAGE,
                ExportError::Write(_) => EXIT_STORAGE,
            },
            CliError::Sync(e) => sync_exit_code(e),
            CliError::BundleRefused(outcome) => match &outcome.result {
                Err(e) => sync_exit_code(e),
                Ok(_) => EXIT_REFUSED,
            },
            CliError::BundlesRefused { exit_code, .. } => *exit_code,
            CliError::Publish(e) => match e {
                PublishError::NotTownship
                | PublishError::Chain { .. }
                | PublishError::Fork { .. } => EXIT_REFUSED,
                PublishError::BadAddress(_) => EXIT_USAGE,
                _ => EXIT_STORAGE,
            },
            CliError::OperatorNeeded { .. }
            | CliError::PinNeeded { .. }
            | CliError::NewPinNeeded { .. }
            | CliError::PinsDiffer
            | CliError::NoPinKept { .. }
            | CliError::PassphraseNeeded
            | CliError::PassphrasesDiffer => EXIT_REFUSED,
            CliError::Prompt(_) | CliError::OperatorRole(_) => EXIT_USAGE,
            CliError::Backup(e) => e.exit_code(),
            CliError::Till(e) => match e {
                TuiError::Keymap(_) | TuiError::Clock(_) => EXIT_USAGE,
                _ => EXIT_STORAGE,
            },
            CliError::Receipt(e) => match e {
                ReceiptError::NoSuchNumber { .. }
                | ReceiptError::NoReceipt(_)
                | ReceiptError::NoSuchCode(_) => EXIT_REFUSED,
                ReceiptError::BadCode { .. } => EXIT_USAGE,
                ReceiptError::Write { .. } => EXIT_STORAGE,
                ReceiptError::Store(e) => store_code(e),
            },
            CliError::StationConfig(_) => EXIT_USAGE,
            CliError::Report(_)
            | CliError::Demo(_)
            | CliError::TempDir(_)
            | CliError::Output(_)
            | CliError::Unexpected(_) => EXIT_STORAGE,
        }
    }

    /// The one-line message for a village manager, in `lang`. Empty for [`CliError::Arguments`]
    /// (clap has printed its own).
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: String, e: String| if zh { z } else { e };
        match self {
            CliError::Arguments => String::new(),
            CliError::Lang(given) => t(
                format!("--lang（或环境变量 AIXIN_LANG）只能是 zh（中文）或 en（英文），不能是“{given}”"),
                format!("--lang (or AIXIN_LANG) must be zh or en, not '{given}'"),
            ),
            CliError::NoDataDir => lang
                .pick(
                    "找不到数据目录，请用 --data-dir 指定",
                    "no data directory; give one with --data-dir",
                )
                .into(),
            CliError::EmptyEnv(name) => t(
                format!("环境变量 {name} 是空的：请给它一个值，或把它从环境里去掉"),
                format!("the environment variable {name} is set but empty: give it a value, or unset {name}"),
            ),
            CliError::DataDir { path, source } => t(
                format!("无法建立数据目录 {}：{}", path.display(), os_error(source, lang)),
                format!("cannot create the data directory {}: {source}", path.display()),
            ),
            CliError::Clock(e) => t(
                format!(
                    "环境变量 AIXIN_NOW 不是合法时间：“{}”；请写成 2026-11-21T09:30:00+08:00 这样的时间，或删掉它以用电脑时钟",
                    e.0
                ),
                format!("{e}, or unset it to use the computer's clock"),
            ),
            CliError::ReadFile { path, source } => t(
                format!("无法读取 {}：{}", path.display(), os_error(source, lang)),
                format!("cannot read {}: {source}", path.display()),
            ),
            CliError::NotUtf8 { path } => t(
                format!("{} 不是 UTF-8 编码；请用记事本另存为 UTF-8", path.display()),
                format!("{} is not UTF-8; save it as UTF-8", path.display()),
            ),
            CliError::Import { path, source } => source.message(lang, path),
            CliError::Export(e) => e.message(lang),
            CliError::RowRefused {
                path,
                line,
                refusal,
            } => t(
                format!(
                    "{} 第 {line} 行：{}（整个文件都未导入）",
                    path.display(),
                    refusal.message(lang)
                ),
                format!(
                    "{} line {line}: {} (nothing of the file was imported)",
                    path.display(),
                    refusal.message(lang)
                ),
            ),
            CliError::Policy { spec, source } => format!("{spec}: {}", source.message(lang)),
            CliError::Input(e) => e.message(lang),
            CliError::StationId(e) => e.message(lang),
            CliError::SaleNumber(e) => e.message(lang),
            CliError::KeysExist => lang
                .pick(
                    "本站已有同步密钥，没有改动（换密钥会让乡镇认不出本站；查看请用 aixin keys show）",
                    "this station already has sync keys; nothing was changed (new keys would make the township refuse this station; see them with aixin keys show)",
                )
                .into(),
            CliError::StockSource => lang
                .pick(
                    "请给出来源 --donor（捐赠）、--fund（资金采购）、--merchant（商户供货）、--from（调拨）之一",
                    "give exactly one source: --donor, --fund, --merchant or --from",
                )
                .into(),
            CliError::CountsMissing => lang
                .pick(
                    "请给出实盘数：--sheet 盘点表文件，或 --count 商品编号=件数（可以写多次）",
                    "give the counts: --sheet with a count sheet, or --count GOODS=UNITS (repeatable)",
                )
                .into(),
            CliError::CountArgument(given) => t(
                format!("--count {given}：应写成 商品编号（或条码）=件数，如 G00001=12"),
                format!("--count {given}: write GOODS=UNITS (goods id or barcode), e.g. G00001=12"),
            ),
            CliError::CountsRefused { file, problems, .. } => counts_refused(lang, file.as_deref(), problems),
            CliError::Role(given) => t(
                format!("--role 只能是 village（村）或 township（乡镇），不能是“{given}”"),
                format!("--role must be village or township, not '{given}'"),
            ),
            CliError::InitNeedsStation => lang
                .pick(
                    "请给出 --station-id 和 --name（或用 --demo）",
                    "give --station-id and --name (or --demo)",
                )
                .into(),
            CliError::KeyLine(e) => e.message(lang),
            CliError::FingerprintMismatch { key_line, spoken } => t(
                format!("指纹不符：公钥行的指纹是 {key_line}，电话里核对的是 {spoken}；未登记"),
                format!("fingerprint mismatch: the key line's is {key_line}, the one read over the phone is {spoken}; not enrolled"),
            ),
            CliError::Refused(refusal) => refusal.message(lang),
            CliError::Store(e) => e.message(lang),
            CliError::Sync(e) => e.message(lang),
            CliError::Pick(e) => e.message(lang),
            CliError::BundleRefused(outcome) => describe_outcome(lang, outcome).0,
            CliError::BundlesRefused { count, .. } => t(
                format!("{count} 个数据包被拒收（见上），其余已处理"),
                format!("{count} bundles refused (see above); the others were processed"),
            ),
            CliError::VerifyFailed => lang
                .pick("账本校验失败", "ledger verification failed")
                .into(),
            CliError::Report(e) => e.message(lang),
            CliError::Publish(e) => e.message(lang),
            CliError::Receipt(e) => e.message(lang),
            CliError::StationConfig(e) => e.message(lang),
            CliError::Demo(e) => match e {
                DemoError::Csv(csv) => csv.message(lang),
                DemoError::Store(store) => store.message(lang),
                DemoError::Policy(_) => t(
                    "演示站点的内置积分政策有错（程序缺陷），请告诉维护人员".into(),
                    e.to_string(),
                ),
            },
            CliError::Till(e) => match e {
                TuiError::Keymap(k) => t(
                    format!(
                        "按键配置文件 {} 第 {} 行有错；请对照 keymaps/default.toml 修改，或删掉这个文件用默认按键",
                        k.path.display(),
                        k.line
                    ),
                    e.to_string(),
                ),
                TuiError::Store(message) => message.clone(),
                TuiError::Terminal(io) => t(
                    format!("终端无法使用：{}", os_error(io, lang)),
                    e.to_string(),
                ),
                TuiError::Clock(clock) => t(
                    format!("AIXIN_NOW 不是合法时间：{}", clock.0),
                    clock.to_string(),
                ),
            },
            CliError::TempDir(e) => t(
                format!("无法建立临时目录：{}", os_error(e, lang)),
                format!("cannot make a temporary directory: {e}"),
            ),
            CliError::NoTerminal => lang
                .pick(
                    "收银台要在终端窗口里打开（标准输入或输出不是终端：被重定向了，或在脚本里）；脚本请用子命令，见 aixin --help",
                    "the till needs a terminal window (stdin or stdout is not a terminal: redirected, or in a script); scripts use the subcommands, see aixin --help",
                )
                .into(),
            CliError::MonitorJson => lang
                .pick(
                    "监督模式是在终端里查看的界面，没有 JSON 输出；脚本请用只读的子命令，如 aixin --json log、aixin --json verify、aixin --json report board",
                    "the monitor is a screen to read in a terminal and has no JSON output; scripts use the read-only subcommands, such as aixin --json log, aixin --json verify, aixin --json report board",
                )
                .into(),
            CliError::Output(e) => t(
                format!("结果没能全部写出（磁盘满？）：{}", os_error(e, lang)),
                format!("the output could not all be written (disk full?): {e}"),
            ),
            CliError::Unexpected(what) => t(
                "程序内部错误（账本没有返回应写的记录），请把这句话告诉维护人员".into(),
                format!("unexpected: {what}"),
            ),
            CliError::ScoreAndItems => lang
                .pick(
                    "请只给总分，或只用 --item 按项录入，不要两样都给",
                    "give the total score or score by --item, not both",
                )
                .into(),
            CliError::ScoreMissing => lang
                .pick(
                    "请给出总分，或用 --item 项目=分数 按项录入（如 --item 环境卫生=5）",
                    "give the total score, or score by item with --item ITEM=SCORE (e.g. --item 环境卫生=5)",
                )
                .into(),
            CliError::ItemArgument(given) => t(
                format!("--item {given}：应写成 项目=整数分数，如 环境卫生=5 或 违规=-10"),
                format!("--item {given}: write ITEM=SCORE with a whole number, e.g. 环境卫生=5 or 违规=-10"),
            ),
            CliError::OutputKind(path) => t(
                format!(
                    "--out {}：只能写 .xlsx（A4 打印）、.csv 或 .txt 文件；什么都没写",
                    path.display()
                ),
                format!(
                    "--out {}: aixin writes .xlsx (A4 printing), .csv or .txt files only; nothing was written",
                    path.display()
                ),
            ),
            CliError::OperatorNeeded { given, known } => t(
                format!(
                    "本站已有操作员，写账本要用操作员的名字和密码：“{given}”不是本站操作员；请用 --operator 指定（{}）",
                    known.join("、")
                ),
                format!(
                    "this station has operators, so writes need an operator and PIN: \"{given}\" is not one; name one with --operator ({})",
                    known.join(", ")
                ),
            ),
            CliError::PinNeeded { operator } => t(
                format!("写账本需要 {operator} 的密码：请在终端里运行以便输入，或设置 AIXIN_PIN；账本未改动"),
                format!("this write needs the PIN of {operator}: run it at a terminal to type it, or set AIXIN_PIN; nothing was changed"),
            ),
            CliError::NewPinNeeded { operator } => t(
                format!("请给 {operator} 设密码：在终端里运行以便输入两遍，或设置 AIXIN_NEW_PIN；账本未改动"),
                format!("give {operator} a PIN: run it at a terminal to type it twice, or set AIXIN_NEW_PIN; nothing was changed"),
            ),
            CliError::PinsDiffer => lang
                .pick(
                    "两次输入的密码不一样，账本未改动；请重新运行",
                    "the two PINs typed differ; nothing was changed, run it again",
                )
                .into(),
            CliError::NoPinKept { operator } => t(
                format!("本机没有保存 {operator} 的密码；请另一位管理员重设：aixin operator pin {operator}"),
                format!("this computer keeps no PIN for {operator}; another manager can set one: aixin operator pin {operator}"),
            ),
            CliError::Prompt(e) => t(
                format!("无法从终端读取：{}", os_error(e, lang)),
                format!("cannot read from the terminal: {e}"),
            ),
            CliError::OperatorRole(given) => t(
                format!("--role 应为 manager（管理员）或 monitor（监督员），不是“{given}”"),
                format!("--role must be manager or monitor, not '{given}'"),
            ),
            CliError::PassphraseNeeded => lang
                .pick(
                    "需要备份口令：请在终端里运行以便输入，或设置 AIXIN_BACKUP_PASSPHRASE",
                    "a backup passphrase is needed: run it at a terminal to type it, or set AIXIN_BACKUP_PASSPHRASE",
                )
                .into(),
            CliError::PassphrasesDiffer => lang
                .pick(
                    "两次输入的口令不一样，没有备份；请重新运行",
                    "the two passphrases typed differ; nothing was backed up, run it again",
                )
                .into(),
            CliError::Backup(e) => e.message(lang),
        }
    }
}

/// A stocktake refused for its counts: one line when one count is wrong, else every problem
/// (the first [`PROBLEMS_SHOWN_MAX`]) on a line of its own under a line saying how many; and
/// that nothing was recorded.
fn counts_refused(lang: Lang, file: Option<&std::path::Path>, problems: &[CountProblem]) -> String {
    let file = file.map(|f| f.display().to_string()).unwrap_or_default();
    let nothing = lang.pick("盘点没有记账", "nothing of the stocktake was recorded");
    if let [problem] = problems {
        return match lang {
            Lang::Zh => format!("{}（{nothing}）", problem.message(lang, &file)),
            Lang::En => format!("{} ({nothing})", problem.message(lang, &file)),
        };
    }
    let total = problems.len();
    let mut out = match lang {
        Lang::Zh => format!("有 {total} 处实盘数不能用，{nothing}；请改正下列各处后再运行："),
        Lang::En => {
            format!("{total} counts cannot be used, {nothing}; correct these and run it again:")
        }
    };
    for problem in problems.iter().take(PROBLEMS_SHOWN_MAX) {
        out.push_str("\n  ");
        out.push_str(&problem.message(lang, &file));
    }
    let more = total.saturating_sub(PROBLEMS_SHOWN_MAX);
    if more > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("\n  ……另有 {more} 处问题未列出"),
            Lang::En => format!("\n  … and {more} more not listed"),
        });
    }
    out
}

/// A store error's exit code: a rule's refusal, a missing or existing ledger (usage), or the
/// file itself.
fn store_code(e: &StoreError) -> u8 {
    match e {
        StoreError::Refused(_) | StoreError::BatchRefused { .. } => EXIT_REFUSED,
        StoreError::NotFound(_) | StoreError::AlreadyExists(_) => EXIT_USAGE,
        _ => EXIT_STORAGE,
    }
}

/// A sync error's exit code: a bad path is usage, unusable keys are storage, the ledger's
/// errors keep theirs, and everything else is a refusal of the bundle.
pub fn sync_exit_code(e: &SyncError) -> u8 {
    match e {
        SyncError::Store(s) => store_code(s),
        SyncError::Io { .. } => EXIT_USAGE,
        SyncError::Keys(_) => EXIT_STORAGE,
        _ => EXIT_REFUSED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layer_keeps_its_exit_code() {
        assert_eq!(CliError::from(Refusal::WrongRole).exit_code(), EXIT_REFUSED);
        let missing = StoreError::NotFound(PathBuf::from("x"));
        assert_eq!(CliError::from(missing).exit_code(), EXIT_USAGE);
        assert_eq!(CliError::from(StoreError::InUse).exit_code(), EXIT_STORAGE);
        let refused = SyncError::Store(StoreError::Refused(Refusal::WrongRole));
        assert_eq!(CliError::from(refused).exit_code(), EXIT_REFUSED);
        assert_eq!(
            CliError::from(SyncError::WrongKind).exit_code(),
            EXIT_REFUSED
        );
        let io = SyncError::io(std::path::Path::new("/stick"), "gone");
        assert_eq!(CliError::from(io).exit_code(), EXIT_USAGE);
        assert_eq!(CliError::from(PickError::NoBundles).exit_code(), EXIT_USAGE);
        let date = crate::domain::input::date("x", crate::domain::input::Field::Date);
        assert_eq!(
            date.map_err(CliError::from).err().map(|e| e.exit_code()),
            Some(EXIT_USAGE)
        );
        assert_eq!(CliError::VerifyFailed.exit_code(), EXIT_REFUSED);
        let publish = |e: PublishError| CliError::from(e).exit_code();
        assert_eq!(publish(PublishError::NotTownship), EXIT_REFUSED);
        assert_eq!(publish(PublishError::BadAddress("x".into())), EXIT_USAGE);
        assert_eq!(
            publish(PublishError::Connect("refused".into())),
            EXIT_STORAGE
        );
        assert_eq!(
            publish(PublishError::Store(StoreError::InUse)),
            EXIT_STORAGE,
            "the ledger's own errors keep theirs"
        );
    }

    #[test]
    fn messages_are_one_line_in_both_languages() {
        let errors = [
            CliError::NoDataDir,
            CliError::EmptyEnv("AIXIN_DATA_DIR"),
            CliError::StockSource,
            CliError::InitNeedsStation,
            CliError::KeysExist,
            CliError::VerifyFailed,
            CliError::from(StoreError::InUse),
            CliError::from(Refusal::WrongRole),
            CliError::ScoreAndItems,
            CliError::ScoreMissing,
            CliError::ItemArgument("环境卫生".into()),
            CliError::OutputKind(PathBuf::from("report.pdf")),
        ];
        for error in errors {
            let (zh, en) = (error.message(Lang::Zh), error.message(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{error:?}");
            assert!(!zh.contains('\n') && !en.contains('\n'), "{error:?}");
        }
        assert_ne!(
            CliError::StockSource.message(Lang::Zh),
            CliError::StockSource.message(Lang::En)
        );
    }
}
