//! `aixin station`: the stations this one trusts for sync — enroll a key line (checked against
//! the fingerprint read over the phone), list them with their sync state, revoke a key from a
//! date — and the township's sending to a village (goods, a policy, households) and its report
//! on all of them. The peer's role and every refusal are the domain's.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::role_word;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::input::{commit_rows, parse_date, sheet_rows};
use crate::cli::policy::load_policy_file;
use crate::cli::print::to_json;
use crate::domain::input::{code, number, Field};
use crate::domain::time::format_local;
use crate::domain::trust::peer_role;
use crate::domain::{Command, Refusal, StationRole};
use crate::i18n::Lang;
use crate::import::Kind;
use crate::report::table::{render_text, Table};
use crate::report::township::{consolidate, is_township};
use crate::sync::files::{fork_notes, held_notes};
use crate::sync::keys::PublicKeys;
use crate::sync::usb::roster_lines;

/// Station roster subcommands: trust, revoke, and (township) send things to villages.
#[derive(Debug, Subcommand)]
pub enum StationCmd {
    /// Trust a station's public key line (from `aixin keys show` on the other computer).
    ///
    /// 登记对方站点的公钥行（在对方电脑上运行 aixin keys show 得到）
    Enroll {
        /// The `aixin-pub1:` line.
        ///
        /// 〈公钥行〉以 aixin-pub1: 开头的一行
        key_line: String,
        /// The fingerprint read over the phone, to double-check.
        ///
        /// 〈指纹〉电话里核对过的指纹
        #[arg(long)]
        fingerprint: Option<String>,
        /// At a village: this line is the township's (the village's one sync partner).
        ///
        /// 村站用：这是乡镇的公钥（村站唯一的同步对象）
        #[arg(long)]
        township: bool,
    },
    /// Known stations and their sync state (last sync, acknowledged and held heads).
    ///
    /// 已登记的站点及同步情况（最近同步、已确认和已收到的记录）
    List,
    /// Revoke a station's key from a date (a stolen laptop).
    ///
    /// 从某天起吊销一个站点的公钥（如电脑被盗）
    Revoke {
        /// Station id.
        ///
        /// 〈站点编号〉站点编号
        station: String,
        /// Refuse bundles created from this date on, YYYY-MM-DD (default: now).
        ///
        /// 〈日期〉从这一天起签名的数据包一律拒收，YYYY-MM-DD（默认：现在）
        #[arg(long)]
        from: Option<String>,
    },
    /// Township: ship goods from the township's stock to a village (arrives with the next reply bundle).
    ///
    /// 乡镇用：从乡镇库存调拨物品给村站（随下次回复数据包送达）
    Ship {
        /// Village station id.
        ///
        /// 〈站点编号〉村站编号
        station: String,
        /// Goods id.
        ///
        /// 〈商品编号〉商品编号
        goods: String,
        /// Units.
        ///
        /// 〈数量〉数量
        #[arg(allow_hyphen_values = true)]
        quantity: String,
    },
    /// Township: set a village's policy (a shipped policy name or a TOML file).
    ///
    /// 乡镇用：为村站设置积分政策（内置政策名或 TOML 文件）
    IssuePolicy {
        /// Village station id.
        ///
        /// 〈站点编号〉村站编号
        station: String,
        /// Policy name or file.
        ///
        /// 〈积分政策〉内置政策名或文件
        policy: String,
    },
    /// Township: add the county's households to a village's list (a sheet as for `household import`).
    ///
    /// 乡镇用：把县里的农户名单下发给村站（表格同 household import）
    IssueHouseholds {
        /// Village station id.
        ///
        /// 〈站点编号〉村站编号
        station: String,
        /// The sheet file (.xlsx/.xls/.ods or CSV).
        ///
        /// 〈表格文件〉表格文件（.xlsx、.xls、.ods 或 CSV）
        file: PathBuf,
    },
    /// Township: per-village totals and anomalies (gaps, forks, revoked keys, overruns…).
    ///
    /// 乡镇用：各村合计和异常（缺漏、分叉、吊销的公钥、超支…）
    Report {
        /// Also write the villages as CSV or XLSX (by extension); anomalies go beside it as `<name>-anomalies.<ext>`.
        ///
        /// 〈文件〉同时把各村合计写成 .csv 或 .xlsx 文件，异常另写在旁边的 名称-anomalies.csv（或 .xlsx）文件里
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `aixin station …`.
pub fn run(ctx: &Context, command: StationCmd) -> Result<(), CliError> {
    match command {
        StationCmd::Enroll {
            key_line,
            fingerprint,
            township,
        } => enroll(
            ctx,
            key_line.trim(),
            fingerprint.as_deref().map(code).as_deref(),
            township,
        ),
        StationCmd::List => list(ctx),
        StationCmd::Revoke { station, from } => revoke(ctx, &code(&station), from.as_deref()),
        StationCmd::Ship {
            station,
            goods,
            quantity,
        } => ship(
            ctx,
            code(&station),
            code(&goods),
            number(&quantity, Field::Quantity)?,
        ),
        StationCmd::IssuePolicy { station, policy } => {
            issue_policy(ctx, code(&station), policy.trim())
        }
        StationCmd::IssueHouseholds { station, file } => {
            issue_households(ctx, &code(&station), &file)
        }
        StationCmd::Report { out } => report(ctx, out.as_deref()),
    }
}

fn enroll(
    ctx: &Context,
    key_line: &str,
    fingerprint: Option<&str>,
    township: bool,
) -> Result<(), CliError> {
    let public = PublicKeys::parse_line(key_line).map_err(CliError::KeyLine)?;
    if let Some(spoken) = fingerprint {
        if !public.fingerprint_matches(spoken) {
            return Err(CliError::FingerprintMismatch {
                key_line: public.fingerprint(),
                spoken: spoken.to_string(),
            });
        }
    }
    let mut ledger = ctx.open()?;
    let own_role = ledger.view()?.require_meta()?.role;
    // `--township` names a township; the domain refuses it where a township may not be enrolled.
    let role = if township {
        StationRole::Township
    } else {
        peer_role(own_role)
    };
    let command = public.enrollment(role);
    ctx.execute_on(&mut ledger, &command)?;
    let (station, fingerprint) = (&public.station_id, public.fingerprint());
    let text = match ctx.lang {
        Lang::Zh => format!(
            "已登记{} {station}，指纹 {fingerprint}",
            role_word(role, ctx.lang)
        ),
        Lang::En => format!(
            "enrolled {} {station}, fingerprint {fingerprint}",
            role_word(role, ctx.lang)
        ),
    };
    ctx.out().print(
        &text,
        json!({ "station_id": station, "role": role, "fingerprint": fingerprint }),
    );
    Ok(())
}

fn revoke(ctx: &Context, station: &str, from: Option<&str>) -> Result<(), CliError> {
    let from_ms = match from {
        Some(text) => parse_date(text)?.utc_range_ms().0,
        None => ctx.now_ms()?,
    };
    ctx.execute(&Command::RevokeStation {
        station_id: station.to_string(),
        from_ms,
    })?;
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
    ctx.out()
        .print(&text, json!({ "station_id": station, "from_ms": from_ms }));
    Ok(())
}

fn ship(ctx: &Context, station: String, goods: String, quantity: i64) -> Result<(), CliError> {
    ctx.execute(&Command::ShipGoods {
        to_station: station.clone(),
        goods_id: goods.clone(),
        quantity,
    })?;
    let text = match ctx.lang {
        Lang::Zh => {
            format!("已调拨 {goods} × {quantity} 给 {station}；下次导出给该村的数据包会带上")
        }
        Lang::En => format!(
            "shipped {goods} × {quantity} to {station}; it goes with the next bundle exported for that village"
        ),
    };
    ctx.out().print(
        &text,
        json!({ "to_station": station, "goods_id": goods, "quantity": quantity }),
    );
    Ok(())
}

fn issue_policy(ctx: &Context, station: String, spec: &str) -> Result<(), CliError> {
    let (policy, sheet) = load_policy_file(spec)?;
    let name = policy.name.clone();
    // The score sheet goes right after its policy: the village adopts both in that order.
    let mut commands = vec![Command::IssuePolicy {
        to_station: station.clone(),
        policy,
    }];
    commands.extend(sheet.map(|sheet| Command::IssueScoreSheet {
        to_station: station.clone(),
        sheet,
    }));
    let mut ledger = ctx.open()?;
    ctx.execute_batch_on(&mut ledger, &commands)?;
    let text = match ctx.lang {
        Lang::Zh => format!("已为 {station} 下发积分规则：{name}"),
        Lang::En => format!("policy {name} issued to {station}"),
    };
    ctx.out()
        .print(&text, json!({ "to_station": station, "policy": name }));
    Ok(())
}

/// The households sheet, each row issued to `station` instead of registered here; a refused
/// row names its row and nothing of the file is issued.
fn issue_households(ctx: &Context, station: &str, file: &Path) -> Result<(), CliError> {
    let rows: Vec<(u64, Command)> = sheet_rows(ctx, Kind::Households, file)?
        .into_iter()
        .filter_map(|(line, command)| match command {
            Command::RegisterHousehold { household } => Some((
                line,
                Command::IssueHousehold {
                    to_station: station.to_string(),
                    household,
                },
            )),
            _ => None,
        })
        .collect();
    let count = commit_rows(ctx, file, &rows)?;
    let text = match ctx.lang {
        Lang::Zh => format!("已为 {station} 下发 {count} 户"),
        Lang::En => format!("{count} households issued to {station}"),
    };
    ctx.out()
        .print(&text, json!({ "to_station": station, "households": count }));
    Ok(())
}

fn list(ctx: &Context) -> Result<(), CliError> {
    let ledger = ctx.open()?;
    let meta = ledger.view()?.require_meta()?;
    let lines = roster_lines(&ledger)?;
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
                    l.station_id.as_str().into(),
                    role_word(l.role, lang).into(),
                    l.fingerprint.as_str().into(),
                    status.into(),
                    format!("#{}", l.acked_seq).into(),
                    format!("#{}", l.held_seq).into(),
                    time(l.last_import_ms).into(),
                    time(l.last_export_ms).into(),
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
    ctx.out().print(
        &text,
        json!({ "station_id": meta.station_id, "role": meta.role, "head_seq": meta.head_seq, "stations": lines }),
    );
    Ok(())
}

/// The table with only the given columns (the terminal is 80 columns wide).
fn narrow(table: &Table, columns: &[usize]) -> Table {
    fn pick<T: Clone>(row: &[T], columns: &[usize]) -> Vec<T> {
        columns
            .iter()
            .filter_map(|&i| row.get(i).cloned())
            .collect()
    }
    Table {
        title: table.title.clone(),
        headers: pick(&table.headers, columns),
        rows: table.rows.iter().map(|r| pick(r, columns)).collect(),
    }
}

/// `aixin station report [--out FILE]`: the township's consolidation; with `--out`, the
/// villages in FILE and the anomalies beside it as `<name>-anomalies.<ext>`.
fn report(ctx: &Context, out: Option<&Path>) -> Result<(), CliError> {
    use crate::report::table::AsTable;
    let ledger = ctx.open()?;
    if !is_township(ledger.view()?.require_meta()?.role) {
        return Err(Refusal::WrongRole.into());
    }
    let now_ms = ctx.now_ms()?;
    let consolidation = consolidate(
        &ledger,
        &held_notes(&ctx.data_dir),
        &fork_notes(&ctx.data_dir),
        now_ms,
    )?;
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
        ctx.out().write_table(path, &villages)?;
        ctx.out().write_table(&anomalies_path, &anomalies)?;
    }
    let mut text = render_text(&narrow(&villages, &[0, 2, 3, 5, 7, 8, 12]));
    text.push('\n');
    if consolidation.anomalies.is_empty() {
        text.push_str(ctx.lang.pick("没有异常", "no anomalies"));
    } else {
        text.push_str(&render_text(&anomalies));
    }
    ctx.out().print(&text, to_json(&consolidation));
    Ok(())
}
