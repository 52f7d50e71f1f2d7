//! The sync subcommands (`keys`, `station`, `export`, `import`, `monitor --bundle`) and the
//! key generation that `init` runs. Thin: each turns its arguments into calls on
//! [`super::exchange`], [`super::files`] and [`super::township`], and prints the outcome in
//! the user's language (or JSON).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use super::bundle::{peek_header, verify_bundle, BundleHeader, BundleKind};
use super::error::{bundle_message, SyncError};
use super::files::{fork_notes, held_notes, read_bundle_file};
use super::keys::{PublicKeys, StationKeys};
use super::payload::decode_payload;
use super::township::consolidate;
use super::usb::{
    describe_outcome, export_lines, export_to_folder, import_paths, roster_lines, safe_to_remove,
    PickError,
};
use crate::cli::{
    store_failure, Context, ExportArgs, Failure, ImportArgs, KeysCmd, StationCmd, EXIT_REFUSED,
    EXIT_STORAGE, EXIT_USAGE,
};
use crate::domain::time::{format_local, CivilDate};
use crate::domain::{Command, Event, Policy, StationRole};
use crate::i18n::Lang;
use crate::report::table::{render_text, write_csv, write_xlsx, AsTable, Table};
use crate::store::verify::hex;
use crate::store::Ledger;

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
            let ledger = ctx.open()?;
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
            print(ctx, &text, value);
            Ok(())
        }
    }
}

fn print(ctx: &Context, text: &str, value: serde_json::Value) {
    if ctx.json {
        println!("{value}");
    } else if !text.is_empty() {
        println!("{text}");
    }
}

fn sync_failure(e: SyncError, lang: Lang) -> Failure {
    match e {
        SyncError::Store(s) => store_failure(s, lang),
        SyncError::Io { .. } => (EXIT_USAGE, e.message(lang)),
        SyncError::Keys(_) => (EXIT_STORAGE, e.message(lang)),
        _ => (EXIT_REFUSED, e.message(lang)),
    }
}

fn open(ctx: &Context) -> Result<Ledger, Failure> {
    Ledger::open(&crate::config::ledger_path(&ctx.data_dir)).map_err(|e| store_failure(e, ctx.lang))
}

fn load_keys(ctx: &Context) -> Result<StationKeys, Failure> {
    StationKeys::load(&ctx.data_dir).map_err(|e| sync_failure(e.into(), ctx.lang))
}

fn execute(ctx: &Context, ledger: &mut Ledger, command: &Command) -> Result<Vec<Event>, Failure> {
    let now_ms = crate::cli::now(ctx.lang)?;
    ledger
        .execute(&ctx.operator, now_ms, command)
        .map_err(|e| store_failure(e, ctx.lang))
}

fn role_word(role: StationRole, lang: Lang) -> &'static str {
    match role {
        StationRole::Village => lang.pick("村站", "village"),
        StationRole::Township => lang.pick("乡镇", "township"),
    }
}

/// `aixin station …`.
pub fn station(ctx: &Context, command: StationCmd) -> Result<(), Failure> {
    match command {
        StationCmd::Enroll {
            key_line,
            fingerprint,
            township,
        } => enroll(ctx, &key_line, fingerprint.as_deref(), township),
        StationCmd::List => list(ctx),
        StationCmd::Revoke { station, from } => revoke(ctx, &station, from.as_deref()),
        StationCmd::Ship {
            station,
            goods,
            quantity,
        } => {
            let mut ledger = open(ctx)?;
            let command = Command::ShipGoods {
                to_station: station.clone(),
                goods_id: goods.clone(),
                quantity,
            };
            execute(ctx, &mut ledger, &command)?;
            let text = match ctx.lang {
                Lang::Zh => format!("已调拨 {goods} × {quantity} 给 {station}；下次导出给该村的数据包会带上"),
                Lang::En => format!("shipped {goods} × {quantity} to {station}; it goes with the next bundle exported for that village"),
            };
            print(
                ctx,
                &text,
                json!({ "to_station": station, "goods_id": goods, "quantity": quantity }),
            );
            Ok(())
        }
        StationCmd::IssuePolicy { station, policy } => {
            let policy = load_policy(&policy)?;
            let mut ledger = open(ctx)?;
            let name = policy.name.clone();
            execute(
                ctx,
                &mut ledger,
                &Command::IssuePolicy {
                    to_station: station.clone(),
                    policy,
                },
            )?;
            let text = match ctx.lang {
                Lang::Zh => format!("已为 {station} 下发积分规则：{name}"),
                Lang::En => format!("policy {name} issued to {station}"),
            };
            print(ctx, &text, json!({ "to_station": station, "policy": name }));
            Ok(())
        }
        StationCmd::IssueHouseholds { station, file } => issue_households(ctx, &station, &file),
        StationCmd::Report { out } => report(ctx, out.as_deref()),
    }
}

fn load_policy(spec: &str) -> Result<Policy, Failure> {
    let parsed = match crate::policies::builtin(spec) {
        Some(p) => p,
        None => {
            let text =
                std::fs::read_to_string(spec).map_err(|e| (EXIT_USAGE, format!("{spec}: {e}")))?;
            Policy::from_toml(&text)
        }
    };
    parsed.map_err(|e| (EXIT_USAGE, format!("{spec}: {e}")))
}

fn enroll(
    ctx: &Context,
    key_line: &str,
    fingerprint: Option<&str>,
    township: bool,
) -> Result<(), Failure> {
    let public = PublicKeys::parse_line(key_line).map_err(|e| (EXIT_USAGE, e.to_string()))?;
    if let Some(expected) = fingerprint {
        let norm = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        if norm(expected) != norm(&public.fingerprint()) {
            let message = match ctx.lang {
                Lang::Zh => format!("指纹不符：公钥行的指纹是 {}，电话里核对的是 {expected}；未登记", public.fingerprint()),
                Lang::En => format!("fingerprint mismatch: the key line's is {}, the one read over the phone is {expected}; not enrolled", public.fingerprint()),
            };
            return Err((EXIT_REFUSED, message));
        }
    }
    let mut ledger = open(ctx)?;
    let own_role = ledger
        .view()
        .and_then(|v| v.require_meta())
        .map_err(|e| store_failure(e, ctx.lang))?
        .role;
    let role = match (own_role, township) {
        (StationRole::Village, _) => StationRole::Township,
        (StationRole::Township, false) => StationRole::Village,
        (StationRole::Township, true) => StationRole::Township,
    };
    let command = Command::EnrollStation {
        station_id: public.station_id.clone(),
        role,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient.clone(),
    };
    execute(ctx, &mut ledger, &command)?;
    let text = match ctx.lang {
        Lang::Zh => format!(
            "已登记{} {}，指纹 {}",
            role_word(role, ctx.lang),
            public.station_id,
            public.fingerprint()
        ),
        Lang::En => format!(
            "enrolled {} {}, fingerprint {}",
            role_word(role, ctx.lang),
            public.station_id,
            public.fingerprint()
        ),
    };
    print(
        ctx,
        &text,
        json!({ "station_id": public.station_id, "role": role, "fingerprint": public.fingerprint() }),
    );
    Ok(())
}

fn revoke(ctx: &Context, station: &str, from: Option<&str>) -> Result<(), Failure> {
    let from_ms = match from {
        Some(text) => {
            let date = CivilDate::parse(text).ok_or_else(|| {
                (
                    EXIT_USAGE,
                    format!(
                        "{text}: {}",
                        ctx.lang
                            .pick("日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
                    ),
                )
            })?;
            date.utc_range_ms().0
        }
        None => crate::cli::now(ctx.lang)?,
    };
    let mut ledger = open(ctx)?;
    execute(
        ctx,
        &mut ledger,
        &Command::RevokeStation {
            station_id: station.to_string(),
            from_ms,
        },
    )?;
    let text = match ctx.lang {
        Lang::Zh => format!(
            "已吊销 {station} 的公钥：{} 之后签名的数据包一律拒收",
            format_local(from_ms)
        ),
        Lang::En => format!(
            "revoked the key of {station}: bundles signed from {} on are refused",
            format_local(from_ms)
        ),
    };
    print(
        ctx,
        &text,
        json!({ "station_id": station, "from_ms": from_ms }),
    );
    Ok(())
}

fn issue_households(ctx: &Context, station: &str, file: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| (EXIT_USAGE, format!("{}: {e}", file.display())))?;
    let rows = crate::import::parse_households(&text).map_err(|e| {
        (
            EXIT_USAGE,
            format!("{}: {}", file.display(), e.message(ctx.lang)),
        )
    })?;
    let commands: Vec<Command> = rows
        .iter()
        .filter_map(|(_, c)| match c {
            Command::RegisterHousehold { household } => Some(Command::IssueHousehold {
                to_station: station.to_string(),
                household: household.clone(),
            }),
            _ => None,
        })
        .collect();
    let mut ledger = open(ctx)?;
    let now_ms = crate::cli::now(ctx.lang)?;
    let events = ledger
        .execute_batch(&ctx.operator, now_ms, &commands)
        .map_err(|e| match e {
            crate::store::StoreError::BatchRefused { index, refusal } => {
                let line = rows.get(index).map(|(l, _)| *l).unwrap_or(0);
                (
                    EXIT_REFUSED,
                    format!("{}:{line}: {}", file.display(), refusal.message(ctx.lang)),
                )
            }
            other => store_failure(other, ctx.lang),
        })?;
    let text = match ctx.lang {
        Lang::Zh => format!("已为 {station} 下发 {} 户", events.len()),
        Lang::En => format!("{} households issued to {station}", events.len()),
    };
    print(
        ctx,
        &text,
        json!({ "to_station": station, "households": events.len() }),
    );
    Ok(())
}

fn list(ctx: &Context) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let fail = |e| store_failure(e, ctx.lang);
    let view = ledger.view().map_err(fail)?;
    let meta = view.require_meta().map_err(fail)?;
    let lines = roster_lines(&ledger).map_err(fail)?;
    let lang = ctx.lang;
    let never = lang.pick("从未", "never");
    let time = |t: Option<i64>| t.map(format_local).unwrap_or_else(|| never.to_string());
    let table = Table {
        title: match lang {
            Lang::Zh => format!(
                "本站 {}（{}），记录 #{}",
                meta.station_id,
                role_word(meta.role, lang),
                meta.head_seq
            ),
            Lang::En => format!(
                "this station {} ({}), head #{}",
                meta.station_id,
                role_word(meta.role, lang),
                meta.head_seq
            ),
        },
        headers: [
            ("站点", "station"),
            ("角色", "role"),
            ("指纹", "fingerprint"),
            ("状态", "key"),
            ("对方已确认", "acked"),
            ("本地已收", "held"),
            ("上次收到", "last import"),
            ("上次导出", "last export"),
        ]
        .iter()
        .map(|(z, e)| lang.pick(z, e).to_string())
        .collect(),
        rows: lines
            .iter()
            .map(|l| {
                let status = match l.revoked_from_ms {
                    Some(t) => format!("{} {}", lang.pick("吊销于", "revoked"), format_local(t)),
                    None => lang.pick("有效", "active").to_string(),
                };
                vec![
                    l.station_id.clone(),
                    role_word(l.role, lang).to_string(),
                    l.fingerprint.clone(),
                    status,
                    format!("#{}", l.acked_seq),
                    format!("#{}", l.held_seq),
                    time(l.last_import_ms),
                    time(l.last_export_ms),
                ]
            })
            .collect(),
    };
    let mut text = render_text(&table);
    if lines.is_empty() {
        text.push_str(lang.pick(
            "\n还没有登记任何同步站点（aixin station enroll）",
            "\nno stations enrolled yet (aixin station enroll)",
        ));
    }
    print(
        ctx,
        &text,
        json!({ "station_id": meta.station_id, "role": meta.role, "head_seq": meta.head_seq, "stations": lines }),
    );
    Ok(())
}

/// The table with only the given columns (the terminal is 80 columns wide).
fn narrow(table: &Table, columns: &[usize]) -> Table {
    let pick = |row: &Vec<String>| {
        columns
            .iter()
            .filter_map(|&i| row.get(i).cloned())
            .collect()
    };
    Table {
        title: table.title.clone(),
        headers: pick(&table.headers),
        rows: table.rows.iter().map(pick).collect(),
    }
}

fn report(ctx: &Context, out: Option<&Path>) -> Result<(), Failure> {
    let ledger = ctx.open()?;
    let fail = |e| store_failure(e, ctx.lang);
    let meta = ledger.view().and_then(|v| v.require_meta()).map_err(fail)?;
    if meta.role != StationRole::Township {
        return Err((
            EXIT_REFUSED,
            crate::domain::Refusal::WrongRole.message(ctx.lang),
        ));
    }
    let now_ms = crate::cli::now(ctx.lang)?;
    let consolidation = consolidate(
        &ledger,
        &held_notes(&ctx.data_dir),
        &fork_notes(&ctx.data_dir),
        now_ms,
    )
    .map_err(fail)?;
    let villages = consolidation.to_table(ctx.lang);
    let anomalies = consolidation.anomalies_table(ctx.lang);
    if let Some(path) = out {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "csv".into());
        let anomalies_path = path.with_file_name(format!("{stem}-anomalies.{ext}"));
        for (table, target) in [(&villages, path), (&anomalies, anomalies_path.as_path())] {
            let written = if ext.eq_ignore_ascii_case("xlsx") {
                write_xlsx(table, target)
            } else {
                write_csv(table, target)
            };
            written.map_err(|e| (EXIT_STORAGE, e.message(ctx.lang)))?;
        }
    }
    let mut text = render_text(&narrow(&villages, &[0, 2, 3, 5, 7, 8, 12]));
    text.push('\n');
    if consolidation.anomalies.is_empty() {
        text.push_str(ctx.lang.pick("没有异常", "no anomalies"));
    } else {
        text.push_str(&render_text(&anomalies));
    }
    print(ctx, &text, crate::cli::to_json(&consolidation));
    Ok(())
}

/// `aixin export --to DIR`.
pub fn export(ctx: &Context, args: ExportArgs) -> Result<(), Failure> {
    let mut ledger = open(ctx)?;
    let keys = load_keys(ctx)?;
    let now_ms = crate::cli::now(ctx.lang)?;
    let exported = export_to_folder(
        &mut ledger,
        &keys,
        &args.to,
        args.recipient.as_deref(),
        now_ms,
    )
    .map_err(|e| sync_failure(e, ctx.lang))?;
    let mut text = String::new();
    for line in export_lines(ctx.lang, &exported) {
        text.push_str(&line);
        text.push('\n');
    }
    let files: Vec<serde_json::Value> = exported
        .bundles
        .iter()
        .zip(&exported.paths)
        .map(|(bundle, path)| {
            let h = &bundle.header;
            json!({ "file": path, "recipient": h.recipient, "first_seq": h.first_seq, "last_seq": h.last_seq, "events": h.event_count, "bytes": bundle.bytes.len() })
        })
        .collect();
    text.push_str(safe_to_remove(ctx.lang));
    print(
        ctx,
        &text,
        json!({ "bundles": files, "safe_to_remove": true }),
    );
    Ok(())
}

/// `aixin import FILE...`.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<(), Failure> {
    let pick_failure = |e: PickError| match e {
        PickError::Sync(e) => sync_failure(e, ctx.lang),
        other => (EXIT_USAGE, other.message(ctx.lang)),
    };
    let mut ledger = open(ctx)?;
    let keys = load_keys(ctx)?;
    let now_ms = crate::cli::now(ctx.lang)?;
    let outcomes = import_paths(
        &mut ledger,
        &keys,
        &ctx.data_dir,
        &args.files,
        &ctx.operator,
        now_ms,
    )
    .map_err(pick_failure)?;
    let file_count = outcomes.len();
    let mut text = Vec::new();
    let mut json_lines = Vec::new();
    let mut failures: Vec<Failure> = Vec::new();
    for outcome in outcomes {
        let (line, value) = describe_outcome(ctx.lang, &outcome);
        json_lines.push(value);
        match outcome.result {
            Ok(_) => text.push(line),
            Err(e) if !outcome.from_held => failures.push((sync_failure(e, ctx.lang).0, line)),
            Err(_) => {}
        }
    }
    print(ctx, &text.join("\n"), json!({ "files": json_lines }));
    match failures.len() {
        0 => Ok(()),
        1 if file_count == 1 => {
            let (code, line) = failures.remove(0);
            Err((code, line))
        }
        n => {
            for (_, line) in &failures {
                eprintln!("aixin: {line}");
            }
            let code = failures.iter().map(|f| f.0).min().unwrap_or(EXIT_REFUSED);
            let message = match ctx.lang {
                Lang::Zh => format!("{n} 个数据包被拒收（见上），其余已处理"),
                Lang::En => format!("{n} bundles refused (see above); the others were processed"),
            };
            Err((code, message))
        }
    }
}

/// `aixin monitor --bundle FILE`: a read-only review of a bundle before import.
pub fn monitor_bundle(ctx: &Context, path: &Path) -> Result<(), Failure> {
    let lang = ctx.lang;
    let bytes = read_bundle_file(path).map_err(|e| sync_failure(e, lang))?;
    let header = peek_header(&bytes).map_err(|e| (EXIT_REFUSED, bundle_message(&e, lang)))?;
    let ledger = Ledger::open_read_only(&crate::config::ledger_path(&ctx.data_dir)).ok();
    let roster = ledger
        .as_ref()
        .and_then(|l| l.view().ok())
        .and_then(|v| v.roster().ok())
        .unwrap_or_default();
    let own = ledger
        .as_ref()
        .map(|l| l.station().to_string())
        .unwrap_or_default();
    let mut lines = header_lines(&header, bytes.len(), lang);
    let mut value = json!({ "header": header, "bytes": bytes.len() });
    let entry = roster.iter().find(|e| e.station_id == header.sender);
    let signer = entry.and_then(|e| {
        e.keys.iter().rev().find(|k| {
            let trusted = |id: &str| (id == header.sender).then_some(k.verifying_key);
            verify_bundle(&bytes, &trusted).is_ok()
        })
    });
    match (entry, signer) {
        (None, _) => lines.push(
            lang.pick(
                "签名：发送站未在本站登记，无法核验",
                "signature: the sender is not enrolled here; cannot check it",
            )
            .into(),
        ),
        (Some(_), None) => lines.push(
            lang.pick(
                "签名：不符！文件被改动或伪造，请勿导入",
                "signature: does NOT verify; the file was changed or forged, do not import it",
            )
            .into(),
        ),
        (Some(e), Some(k)) => {
            let fp = PublicKeys {
                station_id: e.station_id.clone(),
                verifying: k.verifying_key,
                age_recipient: k.age_recipient.clone(),
            }
            .fingerprint();
            let revoked = k.revoked_from_ms.filter(|t| header.created_ms >= *t);
            lines.push(match (lang, revoked) {
                (Lang::Zh, None) => format!("签名：有效，签名者指纹 {fp}"),
                (Lang::En, None) => format!("signature: valid, signer fingerprint {fp}"),
                (Lang::Zh, Some(t)) => format!("签名：有效（指纹 {fp}），但该公钥自 {} 起已吊销，导入会被拒收", format_local(t)),
                (Lang::En, Some(t)) => format!("signature: valid (fingerprint {fp}), but the key was revoked from {}; import will refuse it", format_local(t)),
            });
            value["signer_fingerprint"] = json!(fp);
        }
    }
    let decrypted = (signer.is_some() && header.recipient == own)
        .then(|| StationKeys::load(&ctx.data_dir).ok())
        .flatten()
        .and_then(|keys| {
            let trusted = |id: &str| {
                (id == header.sender)
                    .then(|| signer.map(|k| k.verifying_key))
                    .flatten()
            };
            verify_bundle(&bytes, &trusted).ok()?.decrypt(&keys).ok()
        });
    match decrypted.as_deref().map(summarise_payload) {
        Some(Some(summary)) => {
            lines.extend(summary.lines(lang));
            value["events"] = json!({ "by_kind": summary.by_kind, "first_ms": summary.first_ms, "last_ms": summary.last_ms });
        }
        _ => lines.push(match lang {
            Lang::Zh => format!(
                "内容：只显示包头（数据包是发给 {} 的，本站无法解密）",
                header.recipient
            ),
            Lang::En => format!(
                "contents: header only (the bundle is for {}; this station cannot decrypt it)",
                header.recipient
            ),
        }),
    }
    print(ctx, &lines.join("\n"), value);
    Ok(())
}

fn header_lines(h: &BundleHeader, bytes: usize, lang: Lang) -> Vec<String> {
    let kind = match h.kind {
        BundleKind::VillageEvents => lang.pick("村站数据", "village events"),
        BundleKind::TownshipReply => lang.pick("乡镇回复", "township reply"),
    };
    match lang {
        Lang::Zh => vec![
            format!("数据包：{kind}，{bytes} 字节"),
            format!("发送：{} → 接收：{}", h.sender, h.recipient),
            format!(
                "记录：#{}–#{}，共 {} 条；接续 {}…",
                h.first_seq,
                h.last_seq,
                h.event_count,
                hex(&h.prev_head_hash[..6])
            ),
            format!("导出时间（发送方时钟）：{}", format_local(h.created_ms)),
        ],
        Lang::En => vec![
            format!("bundle: {kind}, {bytes} bytes"),
            format!("from {} to {}", h.sender, h.recipient),
            format!(
                "events #{}–#{}, {} in all; builds on {}…",
                h.first_seq,
                h.last_seq,
                h.event_count,
                hex(&h.prev_head_hash[..6])
            ),
            format!(
                "written at (sender's clock): {}",
                format_local(h.created_ms)
            ),
        ],
    }
}

struct PayloadSummary {
    by_kind: BTreeMap<&'static str, u64>,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    ack: Option<(String, u64)>,
}

impl PayloadSummary {
    fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(first), Some(last)) = (self.first_ms, self.last_ms) {
            out.push(match lang {
                Lang::Zh => format!("时间：{} 至 {}", format_local(first), format_local(last)),
                Lang::En => format!("time: {} to {}", format_local(first), format_local(last)),
            });
        }
        for (kind, count) in &self.by_kind {
            out.push(format!("  {kind}: {count}"));
        }
        if let Some((station, seq)) = &self.ack {
            out.push(match lang {
                Lang::Zh => format!("确认：已收到 {station} 至 #{seq}"),
                Lang::En => format!("acknowledges: holds {station} to #{seq}"),
            });
        }
        out
    }
}

fn summarise_payload(plain: &[u8]) -> Option<PayloadSummary> {
    let (ack, raw) = decode_payload(plain).ok()?;
    let mut summary = PayloadSummary {
        by_kind: BTreeMap::new(),
        first_ms: None,
        last_ms: None,
        ack: ack.map(|a| (a.station_id, a.seq)),
    };
    for bytes in raw {
        let event: Event = crate::store::codec::decode(bytes).ok()?;
        *summary.by_kind.entry(event.body.kind()).or_default() += 1;
        summary.first_ms = Some(
            summary
                .first_ms
                .map_or(event.time_ms, |t| t.min(event.time_ms)),
        );
        summary.last_ms = Some(
            summary
                .last_ms
                .map_or(event.time_ms, |t| t.max(event.time_ms)),
        );
    }
    Some(summary)
}
