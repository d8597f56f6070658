//! The `langbench` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use langbench::{cli::Cli, commands, exit};

fn main() -> ExitCode {
    // A closed pipe (`langbench list | head`) ends the program quietly.
    reset_sigpipe();
    let cli = Cli::parse();
    match commands::dispatch(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::error_exit_code(&err)
        }
    }
}

/// Restores the default SIGPIPE action, which Rust's runtime sets to "ignore".
fn reset_sigpipe() {
    // SAFETY: setting a signal disposition to SIG_DFL at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
