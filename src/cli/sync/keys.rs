//! `aixin keys`: `show` prints this station's public key line and the fingerprint to read over
//! the phone before the other side enrolls it; `create` makes the keys of a station that has
//! none (one set up before the till made keys at first run) and never replaces keys that exist.

use clap::Subcommand;
use serde_json::json;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::i18n::Lang;
use crate::sync::keys::{KeyError, StationKeys};

/// Key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Print public keys and the fingerprint to read over the phone.
    ///
    /// 显示本站公钥和电话核对用的指纹
    Show,
    /// Make this station's sync keys if it has none; existing keys are never replaced.
    ///
    /// 本站还没有同步密钥时生成；已有的密钥不会被替换
    Create,
}

/// `aixin keys …`.
pub fn run(ctx: &Context, command: KeysCmd) -> Result<(), CliError> {
    match command {
        KeysCmd::Show => show(ctx),
        KeysCmd::Create => create(ctx),
    }
}

fn show(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let keys = StationKeys::load(&ctx.data_dir)?;
    print_public(ctx, ledger.station(), &keys, None);
    Ok(())
}

/// Makes the keys of the station in the data directory (its ledger must exist), then shows
/// them. Keys already there are refused by [`StationKeys::save`], which changes nothing.
fn create(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let keys = StationKeys::generate();
    keys.save(&ctx.data_dir).map_err(|e| match e {
        KeyError::Exists { .. } => CliError::KeysExist,
        other => CliError::from(other),
    })?;
    let made = ctx.t("已为本站生成同步密钥", "sync keys created for this station");
    print_public(ctx, ledger.station(), &keys, Some(made));
    Ok(())
}

/// The public key line and its fingerprint, after `first` when given.
fn print_public(ctx: &Context, station: &str, keys: &StationKeys, first: Option<&str>) {
    let public = keys.public(station);
    let (fingerprint, line) = (public.fingerprint(), public.to_line());
    let mut text = first.map(|f| format!("{f}\n")).unwrap_or_default();
    text.push_str(&match ctx.lang {
        Lang::Zh => format!("站点 {station}\n指纹（电话核对用）：{fingerprint}\n公钥：{line}"),
        Lang::En => format!(
            "station {station}\nfingerprint (read it over the phone): {fingerprint}\npublic key: {line}"
        ),
    });
    ctx.out().print(
        &text,
        json!({ "station_id": station, "fingerprint": fingerprint, "key_line": line }),
    );
}
