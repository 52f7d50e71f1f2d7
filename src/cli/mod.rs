//! The command line: every action a manager takes in the till also exists here, so it can be
//! scripted and tested headless. This wing owns the arguments ([`args`]), what a run is given
//! ([`context`]), the one error type with its exit codes ([`error`]), the one printer
//! ([`print`](mod@print)), the one policy loader ([`policy`]), input files at the edge
//! ([`input`]), and a handler file per subject. A handler turns its arguments into a domain
//! command or a query, runs it through the same [`Ledger`](crate::store::Ledger) the till
//! uses, and prints text (or JSON with `--json`). Rules are asked of [`crate::domain`], never
//! decided here. Nothing below the command line (domain, store, sync, reports) imports this
//! module.
//!
//! To add a subcommand: a variant in [`args::Cmd`], a handler file holding its arguments and
//! its `run`, and one line in [`run`].

pub mod args;
pub mod auth;
pub mod context;
pub mod error;
pub mod help;
pub mod input;
pub mod policy;
pub mod print;

mod award;
mod backup;
mod clock;
mod day;
mod goods;
mod household;
mod init;
mod operator;
mod publish;
mod receipt;
mod report;
mod sale;
mod score;
mod stock;
mod sync;
mod till;
mod verify;

use std::ffi::OsString;
use std::io::Write;

use clap::FromArgMatches;

pub use args::{Cli, Cmd};
pub use context::Context;
pub use error::{CliError, EXIT_REFUSED, EXIT_STORAGE, EXIT_USAGE};

use crate::config::{self, Clock};
use crate::i18n::Lang;

/// A failed run: the error and the language its message is to be printed in.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: CliError,
    /// The run's language (Chinese when `--lang` itself was bad).
    pub lang: Lang,
}

impl Failure {
    /// The one-line message (empty when clap has printed its own).
    pub fn message(&self) -> String {
        self.error.message(self.lang)
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.error.exit_code()
    }
}

/// Runs the program with these arguments (the first is the program name).
pub fn main_with_args<I, T>(args: I) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let asked = help::lang_of(&args);
    // clap would read an empty variable as an empty value ("--data-dir ''"): name it instead.
    let empty = ["AIXIN_DATA_DIR", "AIXIN_LANG", "AIXIN_OPERATOR"]
        .into_iter()
        .find(|name| std::env::var_os(name).is_some_and(|v| v.is_empty()));
    if let Some(name) = empty {
        return Err(Failure {
            error: CliError::EmptyEnv(name),
            lang: asked,
        });
    }
    let mut command = help::command(asked);
    let arguments = |lang| Failure {
        error: CliError::Arguments,
        lang,
    };
    let matches = match command.try_get_matches_from_mut(&args) {
        Ok(matches) => matches,
        Err(e) => {
            // `--help` and `--version` land here too: clap prints them, and they succeed.
            let failed = e.use_stderr();
            match (asked, help::usage_error(&e)) {
                (Lang::Zh, Some(text)) => print_usage_error(&text),
                _ => {
                    let _ = e.print();
                }
            }
            if !failed {
                return Ok(());
            }
            return Err(arguments(asked));
        }
    };
    match help::answer_help(&mut command, &matches, asked) {
        Ok(true) => return Ok(()),
        Ok(false) => {}
        Err(text) => {
            print_usage_error(&format!("{}{text}\n", asked.pick("错误：", "error: ")));
            return Err(arguments(asked));
        }
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| {
        let _ = e.print();
        arguments(asked)
    })?;
    let lang = Lang::parse(&cli.lang).ok_or_else(|| Failure {
        error: CliError::Lang(cli.lang.clone()),
        lang: asked,
    })?;
    start(cli, lang).map_err(|error| Failure { error, lang })?;
    // The command did its work; say so only if what it printed could not all be written.
    match print::output_failure() {
        None => Ok(()),
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Some(e) => Err(Failure {
            error: CliError::Output(e),
            lang,
        }),
    }
}

/// A usage error, already in the user's words, on stderr (clap's own are printed by clap).
fn print_usage_error(text: &str) {
    // Never `eprint!`: it panics when stderr is closed too (`aixin … 2>&1 | head -1`).
    let _ = write!(std::io::stderr().lock(), "{text}");
}

/// Builds the context and runs the subcommand, or opens the till without one.
fn start(cli: Cli, lang: Lang) -> Result<(), CliError> {
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => config::default_data_dir().ok_or(CliError::NoDataDir)?,
    };
    let confirmed_date = cli
        .confirm_date
        .as_deref()
        .map(input::parse_date)
        .transpose()?;
    let ctx = Context {
        data_dir,
        lang,
        operator: crate::domain::input::text(&cli.operator),
        json: cli.json,
        clock: Clock::System,
        confirmed_date,
        pin_checked: Default::default(),
        note_shown: Default::default(),
    };
    match cli.command {
        None if cli.demo => till::run_demo(&ctx),
        None => till::run_till(&ctx),
        Some(command) => run(&ctx, command),
    }
}

/// Hands a subcommand to its handler.
pub fn run(ctx: &Context, command: Cmd) -> Result<(), CliError> {
    match command {
        Cmd::Init(args) => init::run(ctx, args),
        Cmd::Household(command) => household::run(ctx, command),
        Cmd::Goods(command) => goods::run(ctx, command),
        Cmd::Stock(command) => stock::run(ctx, command),
        Cmd::Score(command) => score::run(ctx, command),
        Cmd::Award(command) => award::run(ctx, command),
        Cmd::Redeem(args) => sale::redeem(ctx, args),
        Cmd::Void(args) => sale::void(ctx, args),
        Cmd::Balance(args) => sale::balance(ctx, args),
        Cmd::Log(args) => day::log(ctx, args),
        Cmd::CloseDay(args) => day::close_day(ctx, args),
        Cmd::CloseYear(args) => day::close_year(ctx, args),
        Cmd::Clock(command) => clock::run(ctx, command),
        Cmd::Report(command) => report::run(ctx, command),
        Cmd::Receipt(command) => receipt::run(ctx, command),
        Cmd::Verify(args) => verify::run(ctx, args),
        Cmd::Monitor(args) => till::monitor(ctx, args),
        Cmd::Keys(command) => sync::keys::run(ctx, command),
        Cmd::Station(command) => sync::station::run(ctx, command),
        Cmd::Export(args) => sync::export(ctx, args),
        Cmd::Import(args) => sync::import(ctx, args),
        Cmd::Publish(args) => publish::run(ctx, args),
        Cmd::Operator(command) => operator::run(ctx, command),
        Cmd::Backup(args) => backup::backup(ctx, args),
        Cmd::Restore(args) => backup::restore(ctx, args),
    }
}
