//! `aixin backup --to DIR` and `aixin restore FILE --data-dir NEW`: one encrypted file with
//! the ledger and the station's keys (see [`crate::backup`]). The passphrase is typed twice at
//! the prompt, or given in `AIXIN_BACKUP_PASSPHRASE` for scripts; a backup is a manager's
//! (or, before the station has operators, anyone's) and needs the operator's PIN like a write.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::auth::{can_prompt, prompt_secret};
use super::context::Context;
use super::error::CliError;
use crate::backup::{backup_to, restore as restore_backup};
use crate::domain::operator::may_back_up;
use crate::i18n::Lang;

/// The environment variable holding the backup passphrase, for scripts.
pub const PASSPHRASE_ENV: &str = "AIXIN_BACKUP_PASSPHRASE";

/// Arguments of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The folder to write the backup file into (the USB stick).
    ///
    /// 〈文件夹〉备份文件写入的文件夹（U 盘）
    #[arg(long)]
    pub to: PathBuf,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file (`…aixbak`); the station is restored into `--data-dir`, which must be
    /// empty or missing.
    ///
    /// 〈备份文件〉备份文件（.aixbak）；恢复到 --data-dir 指定的文件夹，它必须是空的或还不存在
    pub file: PathBuf,
}

/// The passphrase: `AIXIN_BACKUP_PASSPHRASE`, or typed at the terminal (twice when it is new).
fn passphrase(ctx: &Context, twice: bool) -> Result<String, CliError> {
    if let Ok(text) = std::env::var(PASSPHRASE_ENV) {
        if !text.is_empty() {
            return Ok(text);
        }
    }
    if !can_prompt() {
        return Err(CliError::PassphraseNeeded);
    }
    let text = prompt_secret(ctx.t("备份口令：", "backup passphrase: "))?;
    if twice && prompt_secret(ctx.t("再输一遍：", "once more: "))? != text {
        return Err(CliError::PassphrasesDiffer);
    }
    Ok(text)
}

/// `aixin backup --to DIR`.
pub fn backup(ctx: &Context, args: BackupArgs) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    let meta = ledger.view()?.require_meta()?;
    ctx.writer(&mut ledger)?;
    may_back_up(&meta.operators, &ctx.operator)?;
    let passphrase = passphrase(ctx, true)?;
    let now_ms = ctx.now_ms()?;
    let done = backup_to(&ledger, &ctx.data_dir, &args.to, &passphrase, now_ms)?;
    ledger.record_backup_ms(now_ms)?;
    let kib = done.bytes.div_ceil(1024);
    let text = match ctx.lang {
        Lang::Zh => format!(
            "已备份到 {}（{kib} KB，站点 {} 记录至 #{}，含 {} 个密钥文件）\n已读回并校验：可以拔出U盘；请把口令另外保管",
            done.path.display(),
            done.manifest.station_id,
            done.manifest.head_seq,
            done.manifest.key_files.len()
        ),
        Lang::En => format!(
            "backed up to {} ({kib} KB, station {} up to #{}, {} key files)\nread back and checked: safe to remove the stick; keep the passphrase apart",
            done.path.display(),
            done.manifest.station_id,
            done.manifest.head_seq,
            done.manifest.key_files.len()
        ),
    };
    ctx.out().print(
        &text,
        json!({
            "file": done.path,
            "bytes": done.bytes,
            "station_id": done.manifest.station_id,
            "head_seq": done.manifest.head_seq,
            "head_hash": done.manifest.head_hash,
            "key_files": done.manifest.key_files,
            "safe_to_remove": true,
        }),
    );
    Ok(())
}

/// `aixin restore FILE --data-dir NEW`.
pub fn restore(ctx: &Context, args: RestoreArgs) -> Result<(), CliError> {
    let passphrase = passphrase(ctx, false)?;
    let done = restore_backup(&args.file, &passphrase, &ctx.data_dir)?;
    let head: String = done.manifest.head_hash.chars().take(16).collect();
    let text = match ctx.lang {
        Lang::Zh => format!(
            "已把站点 {} 恢复到 {}：记录至 #{} {head}…，已校验；用 aixin --data-dir {} 打开",
            done.manifest.station_id,
            done.data_dir.display(),
            done.manifest.head_seq,
            done.data_dir.display()
        ),
        Lang::En => format!(
            "station {} restored into {}: up to #{} {head}…, verified; open it with aixin --data-dir {}",
            done.manifest.station_id,
            done.data_dir.display(),
            done.manifest.head_seq,
            done.data_dir.display()
        ),
    };
    ctx.out().print(
        &text,
        json!({
            "data_dir": done.data_dir,
            "station_id": done.manifest.station_id,
            "head_seq": done.manifest.head_seq,
            "head_hash": done.manifest.head_hash,
        }),
    );
    Ok(())
}
