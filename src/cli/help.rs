//! The command line's help and usage errors in the user's language. Every subcommand and
//! argument keeps its Chinese text beside its English one, as the last paragraph of its doc
//! comment (a paragraph that starts with a Chinese character; `〈名〉` first gives the value's
//! name, shown as `<名>`):
//!
//! ```text
//! /// Household id.
//! ///
//! /// 〈户号〉户号
//! ```
//!
//! [`command`] builds the clap `Command` for a language: English shows the first paragraph;
//! Chinese shows the Chinese one, with Chinese headings, usage lines and help flags, and
//! `aixin help [命令…]` of its own. [`usage_error`] says clap's usage errors (a missing
//! argument, an unknown subcommand…) in Chinese. The language is read from the arguments
//! before they are parsed ([`lang_of`]): `--lang`, else `AIXIN_LANG`, else Chinese.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::args::Cli;
use crate::i18n::Lang;

/// The help layout in Chinese before the command is built (clap's own, with a Chinese heading
/// for the usage); [`chinese_template`] replaces it once the command's arguments are known.
const ZH_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The headings of the Chinese help, each written with the full-width colon and nothing after
/// it (`选项：`), as all our Chinese text is: clap's `{all-args}` would write `选项:`.
pub const ZH_HEADINGS: [&str; 4] = ["用法", "命令", "参数", "选项"];

/// The name of the Chinese `help` subcommand's argument.
const HELP_PATH: &str = "command";

/// The language asked for on the command line (`--lang xx`, `--lang=xx`), else in
/// `AIXIN_LANG`, else Chinese; an unknown one is Chinese (and refused later, in Chinese).
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut given = None;
    let mut rest = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = rest.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            given = rest.next().map(|v| v.into_owned());
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            given = Some(value.to_string());
        }
    }
    let given = given.or_else(|| std::env::var("AIXIN_LANG").ok());
    given.as_deref().and_then(Lang::parse).unwrap_or_default()
}

/// The command line for `lang`, built (so that its help and usage can be printed).
pub fn command(lang: Lang) -> Command {
    let root = Cli::command().about(lang.pick(
        "爱心超市的收银台和账本；不带命令时打开收银台",
        "Till and ledger for a village love supermarket (爱心超市); without a command, the till opens",
    ));
    let mut cmd = match lang {
        Lang::En => english_help_subcommand(english(root)),
        Lang::Zh => chinese(root, true),
    };
    cmd.build();
    if lang == Lang::Zh {
        chinese_usages(&mut cmd);
    }
    cmd
}

/// The Chinese help layout of a built command: a section for each kind it shows (commands,
/// arguments, options), each under its heading with the full-width colon, styled as clap
/// styles its own headings (plain where colour is off).
fn chinese_template(cmd: &Command) -> String {
    let styles = cmd.get_styles();
    let (usage, header) = (styles.get_usage(), styles.get_header());
    let shown = |arg: &&Arg| !arg.is_hide_set();
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|sub| !sub.is_hide_set()) {
        sections.push(("命令", "{subcommands}"));
    }
    if cmd.get_positionals().any(|a| shown(&a)) {
        sections.push(("参数", "{positionals}"));
    }
    if cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .any(|a| shown(&a))
    {
        sections.push(("选项", "{options}"));
    }
    let sections: Vec<String> = sections
        .into_iter()
        .map(|(heading, tag)| format!("{header}{heading}：{header:#}\n{tag}"))
        .collect();
    format!(
        "{{before-help}}{{about-with-newline}}\n{usage}用法：{usage:#}{{usage}}\n\n{}{{after-help}}",
        sections.join("\n\n")
    )
}

/// The Chinese paragraph of a doc comment, with the value's name when it starts with `〈名〉`.
fn chinese_paragraph(long: Option<String>) -> Option<(Option<String>, String)> {
    let long = long?;
    let (_, last) = long.rsplit_once("\n\n")?;
    let last = last.trim();
    if last.chars().next().is_none_or(|c| c.is_ascii()) {
        return None;
    }
    let text = last.replace('\n', " ");
    match text
        .strip_prefix('〈')
        .and_then(|rest| rest.split_once('〉'))
    {
        Some((name, help)) => Some((Some(name.to_string()), help.trim().to_string())),
        None => Some((None, text)),
    }
}

/// English: the first paragraph only; the Chinese one is never shown.
fn english(cmd: Command) -> Command {
    cmd.long_about(None)
        .mut_args(|arg| arg.long_help(None))
        .mut_subcommands(english)
}

/// English: our own `help` subcommand, as in Chinese, instead of clap's: clap's takes only
/// command names, so `aixin help goods add --lang en` (the language after the command, as a
/// user writes it) was refused as an unknown command `--lang`. Ours takes the global options
/// anywhere and prints the help [`answer_help`] finds.
fn english_help_subcommand(cmd: Command) -> Command {
    cmd.disable_help_subcommand(true).subcommand(
        Command::new("help")
            .about("Print help; aixin help <command> prints that command's, e.g. aixin help household add")
            .disable_help_flag(true)
            .arg(
                Arg::new(HELP_PATH)
                    .value_name("COMMAND")
                    .num_args(0..)
                    .help("The command to show help for"),
            ),
    )
}

/// Chinese: every text, heading, help flag and the `help` subcommand.
fn chinese(cmd: Command, root: bool) -> Command {
    let about = chinese_paragraph(cmd.get_long_about().map(ToString::to_string));
    let mut cmd = cmd
        .long_about(None)
        .mut_args(chinese_arg)
        .mut_subcommands(|sub| chinese(sub, false))
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .help_template(ZH_TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if let Some((_, about)) = about {
        cmd = cmd.about(about);
    }
    if root {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("显示版本")
                    .help_heading("选项"),
            )
            .subcommand(
                Command::new("help")
                    .about("显示帮助；aixin help 〈命令〉显示这个命令的帮助，如 aixin help household add")
                    .help_template(ZH_TEMPLATE)
                    .disable_help_flag(true)
                    .arg(
                        Arg::new(HELP_PATH)
                            .value_name("命令")
                            .num_args(0..)
                            .help("要看帮助的命令")
                            .help_heading("参数"),
                    ),
            );
    }
    cmd
}

fn chinese_arg(arg: Arg) -> Arg {
    let zh = chinese_paragraph(arg.get_long_help().map(ToString::to_string));
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let takes_values = arg.get_action().takes_values();
    let mut arg = arg.long_help(None).help_heading(heading);
    if takes_values {
        // The Chinese paragraph says the default and the variable in words.
        arg = arg
            .hide_env(true)
            .hide_default_value(true)
            .hide_possible_values(true);
    }
    if let Some((name, help)) = zh {
        arg = arg.help(help);
        if let Some(name) = name.filter(|_| takes_values) {
            arg = arg.value_name(name);
        }
    }
    arg
}

/// Usage lines and headings in Chinese: clap writes `[OPTIONS]` and `选项:` itself, so each
/// command's usage is rendered once (after the command is built) and given back with
/// `[选项]`, and its layout becomes [`chinese_template`]'s.
fn chinese_usages(cmd: &mut Command) {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim_start()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]");
    let template = chinese_template(cmd);
    *cmd = std::mem::take(cmd)
        .override_usage(usage)
        .help_template(template);
    for sub in cmd.get_subcommands_mut() {
        chinese_usages(sub);
    }
}

/// Whether `matches` asked for the Chinese `help` subcommand; prints the help it names (to
/// stdout) or says that no such command exists. `Ok(false)` when it is not a help request.
pub fn answer_help(
    cmd: &mut Command,
    matches: &clap::ArgMatches,
    lang: Lang,
) -> Result<bool, String> {
    let Some(("help", sub)) = matches.subcommand() else {
        return Ok(false);
    };
    let path: Vec<String> = sub
        .get_many::<String>(HELP_PATH)
        .map(|names| names.cloned().collect())
        .unwrap_or_default();
    let mut target = cmd;
    for name in &path {
        target = target.find_subcommand_mut(name).ok_or_else(|| match lang {
            Lang::Zh => format!("没有命令“{name}”；运行 aixin help 查看全部命令"),
            Lang::En => format!("there is no command '{name}'; run aixin help to see them all"),
        })?;
    }
    match target.print_help() {
        // A closed pipe (`aixin help | head -1`): the reader took what it wanted, as for
        // every command's output.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(true),
    }
}

/// A usage error in Chinese: what is wrong, the usage line, and where to read more. `None`
/// for the kinds that are not errors (help and version, which clap prints as they are).
pub fn usage_error(error: &clap::Error) -> Option<String> {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(list)) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let suggestion = || {
        let s = text(ContextKind::SuggestedSubcommand);
        let s = if s.is_empty() {
            text(ContextKind::SuggestedArg)
        } else {
            s
        };
        if s.is_empty() {
            String::new()
        } else {
            format!("；您是不是想用 {s}？")
        }
    };
    let arg = text(ContextKind::InvalidArg);
    let what = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::DisplayVersion => return None,
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令{}",
            text(ContextKind::InvalidSubcommand),
            suggestion()
        ),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”{}", suggestion()),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = text(ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                String::new()
            } else {
                format!("；可用的值：{valid}")
            };
            format!(
                "参数 {arg} 的值“{}”不对{valid}",
                text(ContextKind::InvalidValue)
            )
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用 = 连着写"),
        ErrorKind::TooManyValues if arg.is_empty() => {
            format!("多余的参数“{}”", text(ContextKind::InvalidValue))
        }
        ErrorKind::TooManyValues => {
            format!("参数 {arg} 的值太多：“{}”", text(ContextKind::InvalidValue))
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("参数 {arg} 只能给一次")
            } else {
                format!("参数 {arg} 不能和 {prior} 一起用")
            }
        }
        ErrorKind::InvalidUtf8 => "参数里有无法识别的字符（不是 UTF-8）".to_string(),
        _ => "命令行参数不对".to_string(),
    };
    let usage = text(ContextKind::Usage);
    let usage = usage
        .trim_start()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]");
    let command = usage
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ");
    let command = if command.is_empty() {
        "aixin".to_string()
    } else {
        command
    };
    let mut out = format!("错误：{what}\n");
    if !usage.is_empty() {
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str(&format!("\n更多说明请运行 {command} --help\n"));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_of(&os(&["aixin", "--lang", "en", "help"])), Lang::En);
        assert_eq!(lang_of(&os(&["aixin", "--lang=en"])), Lang::En);
        assert_eq!(lang_of(&os(&["aixin", "--lang", "zh"])), Lang::Zh);
        assert_eq!(lang_of(&os(&["aixin", "--lang", "fr"])), Lang::Zh);
    }

    #[test]
    fn chinese_help_has_the_chinese_paragraphs() {
        let mut cmd = command(Lang::Zh);
        let help = cmd.render_help().to_string();
        assert!(help.contains("用法：aixin [选项] [命令]"), "{help}");
        assert!(
            help.contains("\n命令：\n") && help.contains("\n选项：\n"),
            "{help}"
        );
        for heading in ZH_HEADINGS {
            assert!(!help.contains(&format!("{heading}:")), "{help}");
        }
        assert!(help.contains("在数据目录里建立本站"), "{help}");
        let add = cmd
            .find_subcommand_mut("household")
            .and_then(|c| c.find_subcommand_mut("add"))
            .map(|c| c.render_help().to_string())
            .unwrap_or_default();
        assert!(
            add.contains("--id <户号>") && add.contains("显示帮助"),
            "{add}"
        );
        assert!(!add.contains("Household id"), "{add}");
        assert!(
            add.contains("\n选项：\n") && !add.contains("选项:") && !add.contains("命令："),
            "{add}"
        );
        let mut en = command(Lang::En);
        let help = en.render_help().to_string();
        assert!(help.contains("Usage: aixin [OPTIONS] [COMMAND]"), "{help}");
        assert!(
            help.contains("\nCommands:\n") && help.contains("\nOptions:\n"),
            "English keeps clap's headings: {help}"
        );
        assert!(!help.contains("在数据目录里建立本站"), "{help}");
    }

    #[test]
    fn usage_errors_are_said_in_chinese() {
        let mut cmd = command(Lang::Zh);
        let err = cmd
            .try_get_matches_from_mut(["aixin", "void", "7"])
            .err()
            .and_then(|e| usage_error(&e))
            .unwrap_or_default();
        assert!(
            err.contains("缺少必填的参数：--reason <原因>") && err.contains("用法：aixin void"),
            "{err}"
        );
        let err = cmd
            .try_get_matches_from_mut(["aixin", "housework"])
            .err()
            .and_then(|e| usage_error(&e))
            .unwrap_or_default();
        assert!(err.contains("没有“housework”这个命令"), "{err}");
    }
}
