//! The sync subcommands: `export` and `import` here, `keys` and `station` in their own files,
//! and the printing of a bundle review (`monitor --bundle`). Thin: each turns its arguments into
//! calls on [`crate::sync`] (and [`crate::report::township`]) and prints what they return, in
//! the user's language or as JSON.

pub mod keys;
pub mod station;

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::{sync_exit_code, CliError, EXIT_REFUSED};
use crate::i18n::Lang;
use crate::sync::keys::StationKeys;
use crate::sync::usb::{
    describe_outcome, export_lines, export_to_folder, import_paths, safe_to_remove,
};

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder on the USB stick.
    ///
    /// 〈文件夹〉U 盘上的文件夹
    #[arg(long)]
    pub to: PathBuf,
    /// Recipient station id (default: the village's township, or every village for a township).
    ///
    /// 〈站点编号〉接收站点（默认：村站发给乡镇，乡镇发给每个村）
    #[arg(long)]
    pub recipient: Option<String>,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle files (or folders holding them).
    ///
    /// 〈数据包文件〉数据包文件（或放数据包的文件夹）
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `aixin export --to DIR`: seal, write, read back, then say the stick may be removed.
pub fn export(ctx: &Context, args: ExportArgs) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    let writer = ctx.writer(&mut ledger)?;
    let keys = StationKeys::load(&ctx.data_dir)?;
    let now_ms = ctx.now_ms()?;
    let exported = export_to_folder(
        &mut ledger,
        &keys,
        &args.to,
        args.recipient.as_deref(),
        now_ms,
    )?;
    ctx.after_write(writer);
    let mut text = String::new();
    for line in export_lines(ctx.lang, &exported) {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(safe_to_remove(ctx.lang));
    let files: Vec<serde_json::Value> = exported
        .bundles
        .iter()
        .zip(&exported.paths)
        .map(|(bundle, path)| {
            let h = &bundle.header;
            json!({ "file": path, "recipient": h.recipient, "first_seq": h.first_seq, "last_seq": h.last_seq, "events": h.event_count, "bytes": bundle.bytes.len() })
        })
        .collect();
    ctx.out()
        .print(&text, json!({ "bundles": files, "safe_to_remove": true }));
    Ok(())
}

/// `aixin import FILE…`: every file is tried; a refused one does not stop the others. One
/// file refused alone is the error; several are printed one per line and summed up.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<(), CliError> {
    let mut ledger = ctx.open()?;
    let writer = ctx.writer(&mut ledger)?;
    let keys = StationKeys::load(&ctx.data_dir)?;
    let outcomes = import_paths(
        &mut ledger,
        &keys,
        &ctx.data_dir,
        &args.files,
        &ctx.operator,
        ctx.moment()?,
    )?;
    let file_count = outcomes.len();
    let mut text = Vec::new();
    let mut json_lines = Vec::new();
    let mut refused = Vec::new();
    for outcome in outcomes {
        let (line, value) = describe_outcome(ctx.lang, &outcome);
        json_lines.push(value);
        match &outcome.result {
            Ok(_) => text.push(line),
            Err(_) if !outcome.from_held => refused.push((line, outcome)),
            Err(_) => {}
        }
    }
    ctx.out()
        .print(&text.join("\n"), json!({ "files": json_lines }));
    if file_count == 1 {
        if let Some((_, outcome)) = refused.pop() {
            return Err(CliError::BundleRefused(Box::new(outcome)));
        }
    }
    if refused.is_empty() {
        ctx.after_write(writer);
        return Ok(());
    }
    for (line, _) in &refused {
        ctx.out().warn(line);
    }
    let exit_code = refused
        .iter()
        .filter_map(|(_, outcome)| outcome.result.as_ref().err())
        .map(sync_exit_code)
        .min()
        .unwrap_or(EXIT_REFUSED);
    Err(CliError::BundlesRefused {
        count: refused.len(),
        exit_code,
    })
}

/// `aixin monitor --bundle FILE`: a read-only review of a bundle before it is imported.
pub fn review_bundle(ctx: &Context, path: &Path) -> Result<(), CliError> {
    let review = crate::sync::review::review_bundle(&ctx.data_dir, path)?;
    ctx.out()
        .print(&review.lines(ctx.lang).join("\n"), review.to_json());
    Ok(())
}

/// A station's role in words.
fn role_word(role: crate::domain::StationRole, lang: Lang) -> &'static str {
    match role {
        crate::domain::StationRole::Village => lang.pick("村站", "village"),
        crate::domain::StationRole::Township => lang.pick("乡镇", "township"),
    }
}
