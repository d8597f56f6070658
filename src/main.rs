//! The `langbench` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use langbench::{cli::Cli, commands, exit};

fn main() -> ExitCode {
    // A closed pipe (`langbench list | head`) ends the program quietly, and an
    // inherited "ignore SIGCHLD" must not let the kernel reap (and lose the
    // rusage of) the children langbench measures.
    reset_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match langbench::cli::one_line(&err) {
            Some(line) => {
                eprintln!("error: {line}");
                return ExitCode::from(2);
            }
            None => err.exit(),
        },
    };
    match commands::dispatch(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::error_exit_code(&err)
        }
    }
}

/// Restores the default actions of SIGPIPE (Rust's runtime ignores it) and SIGCHLD.
fn reset_signals() {
    // SAFETY: setting signal dispositions to SIG_DFL at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::signal(libc::SIGCHLD, libc::SIG_DFL);
    }
}
