//! The sync subcommands (`keys`, `station`, `export`, `import`, `monitor --bundle`) and the
//! key generation that `init` runs.

use crate::cli::{
    Context, ExportArgs, Failure, ImportArgs, KeysCmd, StationCmd, EXIT_STORAGE, EXIT_USAGE,
};
use crate::i18n::Lang;
use crate::store::Ledger;

use super::keys::StationKeys;

/// Creates this station's keys right after `init`.
pub fn after_init(ctx: &Context, _ledger: &Ledger) -> Result<(), Failure> {
    StationKeys::generate()
        .save(&ctx.data_dir)
        .map_err(|e| (EXIT_STORAGE, e.to_string()))
}

/// `aixin keys show`.
pub fn keys(ctx: &Context, command: KeysCmd) -> Result<(), Failure> {
    match command {
        KeysCmd::Show => {
            let ledger = Ledger::open(&crate::config::ledger_path(&ctx.data_dir))
                .or_else(|_| Ledger::open_read_only(&crate::config::ledger_path(&ctx.data_dir)))
                .map_err(|e| crate::cli::store_failure(e, ctx.lang))?;
            let keys =
                StationKeys::load(&ctx.data_dir).map_err(|e| (EXIT_STORAGE, e.to_string()))?;
            let public = keys.public(ledger.station());
            let text = match ctx.lang {
                Lang::Zh => format!(
                    "站点 {}\n指纹（电话核对用）：{}\n公钥：{}",
                    ledger.station(),
                    public.fingerprint(),
                    public.to_line()
                ),
                Lang::En => format!(
                    "station {}\nfingerprint (read it over the phone): {}\npublic key: {}",
                    ledger.station(),
                    public.fingerprint(),
                    public.to_line()
                ),
            };
            let value = serde_json::json!({ "station_id": ledger.station(), "fingerprint": public.fingerprint(), "key_line": public.to_line() });
            if ctx.json {
                println!("{value}");
            } else {
                println!("{text}");
            }
            Ok(())
        }
    }
}

fn not_yet(ctx: &Context) -> Failure {
    (
        EXIT_USAGE,
        ctx.lang
            .pick("同步功能尚未完成", "sync is not available in this build")
            .into(),
    )
}

/// `aixin station …` (township roster).
pub fn station(ctx: &Context, _command: StationCmd) -> Result<(), Failure> {
    Err(not_yet(ctx))
}

/// `aixin export --to DIR`.
pub fn export(ctx: &Context, _args: ExportArgs) -> Result<(), Failure> {
    Err(not_yet(ctx))
}

/// `aixin import FILE...`.
pub fn import(ctx: &Context, _args: ImportArgs) -> Result<(), Failure> {
    Err(not_yet(ctx))
}

/// `aixin monitor --bundle FILE`.
pub fn monitor_bundle(ctx: &Context, _path: &std::path::Path) -> Result<(), Failure> {
    Err(not_yet(ctx))
}
