//! The `aixin` binary: parse the command line, run it, print `aixin: <message>` on failure and
//! exit with the error's code: 1 for a refusal by a rule, 2 for bad usage or a bad input file,
//! 3 when the ledger file cannot be used (in use, damaged, disk full).
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match aixin::cli::main_with_args(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let message = failure.message();
            if !message.is_empty() {
                aixin::cli::print::write_stderr(&format!("aixin: {message}"));
            }
            ExitCode::from(failure.exit_code())
        }
    }
}
