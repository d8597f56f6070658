//! Exit codes and the error type that selects "bad input".
//!
//! 0: everything ran and verified. 1: a measured failure (a run failed, a
//! build failed) or an unexpected error. 2: bad usage or input (unknown name,
//! bad manifest, unwritable output, missing required toolchain). 130: stopped
//! by Ctrl-C after saving what was measured.

use std::process::ExitCode;

/// The outcome of a command that did not hit an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for ran and verified.
    Success,
    /// Something was measured and failed (a run or a build).
    Failed,
    /// Stopped by a signal after saving what was measured.
    Interrupted,
}

impl Outcome {
    /// The process exit code of this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
            Outcome::Interrupted => ExitCode::from(130),
        }
    }
}

/// Bad usage or input: the user can fix it, and the exit code is 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// A shorthand to build an [`InputError`] inside `anyhow`.
pub fn input_error(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(InputError(msg.into()))
}

/// The exit code for an error: 2 if an [`InputError`] is anywhere in its chain, else 1.
pub fn error_exit_code(err: &anyhow::Error) -> ExitCode {
    if err.chain().any(|e| e.is::<InputError>()) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn input_errors_keep_code_two_through_context() {
        let err = Err::<(), _>(input_error("bad"))
            .context("loading")
            .unwrap_err();
        assert_eq!(error_exit_code(&err), ExitCode::from(2));
        assert_eq!(error_exit_code(&anyhow::anyhow!("io")), ExitCode::from(1));
    }
}
