//! `aixin keys show`: this station's public key line and the fingerprint to read over the
//! phone before the other side enrolls it.

use clap::Subcommand;
use serde_json::json;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::i18n::Lang;
use crate::sync::keys::StationKeys;

/// Key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Print public keys and the fingerprint to read over the phone.
    Show,
}

/// `aixin keys …`.
pub fn run(ctx: &Context, command: KeysCmd) -> Result<(), CliError> {
    match command {
        KeysCmd::Show => show(ctx),
    }
}

fn show(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let keys = StationKeys::load(&ctx.data_dir)?;
    let station = ledger.station();
    let public = keys.public(station);
    let (fingerprint, line) = (public.fingerprint(), public.to_line());
    let text = match ctx.lang {
        Lang::Zh => format!("站点 {station}\n指纹（电话核对用）：{fingerprint}\n公钥：{line}"),
        Lang::En => format!(
            "station {station}\nfingerprint (read it over the phone): {fingerprint}\npublic key: {line}"
        ),
    };
    ctx.out().print(
        &text,
        json!({ "station_id": station, "fingerprint": fingerprint, "key_line": line }),
    );
    Ok(())
}
