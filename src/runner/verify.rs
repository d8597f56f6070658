//! Checking a finished run against the workload protocol.
//!
//! A run passes only if the child exited with 0, printed exactly one line on
//! stdout, that line is `{"result": string, "iterations_ns": [K integers]}`
//! and the result equals the manifest's expected result byte for byte.
//! Anything else is a [`Failure`] whose kind and message say which rule broke.

use serde::{Deserialize, Serialize};

use super::{RawOutcome, Termination};

/// Why a run failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The implementation could not be built.
    Build,
    /// The program could not be started.
    Spawn,
    /// Killed after the timeout.
    Timeout,
    /// Killed because stdout passed the capture limit.
    StdoutOverflow,
    /// Killed by a signal.
    Signal,
    /// Exited with a non-zero status.
    ExitCode,
    /// Left processes running after it exited (they were killed).
    LeftProcesses,
    /// stdout is not one protocol line.
    BadOutput,
    /// The result differs from the expected one.
    WrongResult,
    /// A server did not start: no ready line in time, or it exited first.
    ServerStart,
    /// A server exited while it was under load.
    ServerExited,
    /// A server did not exit cleanly on SIGTERM.
    ServerShutdown,
    /// Responses failed their checks (status, body), or requests failed or timed out.
    LoadErrors,
    /// Concurrency suite: the program stopped at a limit of the operating
    /// system (exit status 4, e.g. no more threads); that level's result.
    ResourceLimit,
    /// Concurrency suite: a level not run, because the manifest caps the
    /// implementation below it or a lower level stopped at a limit or failed.
    NotRun,
    /// An instruction count under cachegrind that cannot be used: no out
    /// file, one that does not parse, no instruction counted, or fewer
    /// instructions at K2 iterations than at K1.
    Count,
}

/// A failed run: the kind, a one-line message and the tail of stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Which rule broke.
    pub kind: FailureKind,
    /// One line saying what happened.
    pub message: String,
}

/// What a passing run reported about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The canonical result (equal to the expected one).
    pub result: String,
    /// In-process time of each kernel iteration, in nanoseconds.
    pub iterations_ns: Vec<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolLine {
    result: String,
    iterations_ns: Vec<u64>,
}

/// Checks `out` against the protocol, the expected result and the iteration count.
pub fn verify(
    out: &RawOutcome,
    expected: &str,
    iterations: u64,
    timeout_secs: f64,
) -> Result<Reported, Failure> {
    let fail = |kind, message: String| Err(Failure { kind, message });
    match out.termination {
        Termination::TimedOut => {
            return fail(
                FailureKind::Timeout,
                format!("timed out after {timeout_secs}s; process group killed"),
            )
        }
        Termination::StdoutOverflow => {
            return fail(
                FailureKind::StdoutOverflow,
                format!(
                    "stdout passed {} bytes; process group killed",
                    out.stdout.len()
                ),
            )
        }
        Termination::Signaled(sig) => {
            return fail(
                FailureKind::Signal,
                format!("killed by signal {sig} ({})", signal_name(sig)),
            )
        }
        Termination::Interrupted => {
            return fail(FailureKind::Signal, "interrupted by the user".into())
        }
        Termination::Exited(0) => {}
        Termination::Exited(code) => {
            return fail(FailureKind::ExitCode, format!("exited with status {code}"))
        }
    }
    if out.leftover_processes > 0 {
        return fail(
            FailureKind::LeftProcesses,
            format!(
                "left {} process(es) running after it exited; killed",
                out.leftover_processes
            ),
        );
    }
    let text = match std::str::from_utf8(&out.stdout) {
        Ok(t) => t,
        Err(_) => return fail(FailureKind::BadOutput, "stdout is not UTF-8".into()),
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let line = match lines.as_slice() {
        [] => {
            return fail(
                FailureKind::BadOutput,
                "stdout is empty; expected one JSON line".into(),
            )
        }
        [one] => *one,
        many => {
            return fail(
                FailureKind::BadOutput,
                format!(
                    "stdout has {} lines; expected exactly one JSON line",
                    many.len()
                ),
            )
        }
    };
    let parsed: ProtocolLine = match serde_json::from_str(line) {
        Ok(p) => p,
        Err(e) => {
            return fail(
                FailureKind::BadOutput,
                format!("stdout is not a protocol line ({e}): {}", excerpt(line)),
            )
        }
    };
    if parsed.iterations_ns.len() as u64 != iterations {
        return fail(
            FailureKind::BadOutput,
            format!(
                "iterations_ns has {} values; expected {iterations}",
                parsed.iterations_ns.len()
            ),
        );
    }
    if parsed.result != expected {
        return fail(
            FailureKind::WrongResult,
            format!(
                "wrong result: expected '{}', got '{}'",
                excerpt(expected),
                excerpt(&parsed.result)
            ),
        );
    }
    Ok(Reported {
        result: parsed.result,
        iterations_ns: parsed.iterations_ns,
    })
}

fn excerpt(s: &str) -> String {
    const MAX: usize = 200;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// The usual name of a signal number.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGINT => "SIGINT",
        libc::SIGPIPE => "SIGPIPE",
        _ => "other signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(term: Termination, stdout: &str) -> RawOutcome {
        RawOutcome {
            wall_ns: 1,
            user_ns: 1,
            sys_ns: 1,
            max_rss_bytes: 1,
            others_cpu_ns: None,
            termination: term,
            leftover_processes: 0,
            stdout: stdout.as_bytes().to_vec(),
            stderr_tail: String::new(),
        }
    }

    fn kind(term: Termination, stdout: &str) -> FailureKind {
        verify(&outcome(term, stdout), "42", 2, 1.0)
            .unwrap_err()
            .kind
    }

    const GOOD: &str = "{\"result\":\"42\",\"iterations_ns\":[10,20]}\n";

    #[test]
    fn accepts_a_good_line() {
        let r = verify(&outcome(Termination::Exited(0), GOOD), "42", 2, 1.0).unwrap();
        assert_eq!(r.iterations_ns, [10, 20]);
    }

    #[test]
    fn classifies_every_failure() {
        use FailureKind::*;
        assert_eq!(kind(Termination::TimedOut, ""), Timeout);
        assert_eq!(kind(Termination::StdoutOverflow, "yyyy"), StdoutOverflow);
        assert_eq!(kind(Termination::Signaled(11), ""), Signal);
        assert_eq!(kind(Termination::Exited(1), GOOD), ExitCode);
        assert_eq!(kind(Termination::Exited(0), ""), BadOutput);
        assert_eq!(kind(Termination::Exited(0), "hello\n"), BadOutput);
        assert_eq!(
            kind(Termination::Exited(0), &format!("debug\n{GOOD}")),
            BadOutput
        );
        assert_eq!(
            kind(Termination::Exited(0), "{\"result\":\"42\"}"),
            BadOutput
        );
        assert_eq!(
            kind(
                Termination::Exited(0),
                "{\"result\":\"42\",\"iterations_ns\":[1]}"
            ),
            BadOutput
        );
        assert_eq!(
            kind(
                Termination::Exited(0),
                "{\"result\":\"41\",\"iterations_ns\":[1,2]}"
            ),
            WrongResult
        );
    }

    #[test]
    fn messages_say_what_happened() {
        let e = verify(&outcome(Termination::Signaled(11), ""), "42", 2, 1.0).unwrap_err();
        assert_eq!(e.message, "killed by signal 11 (SIGSEGV)");
        let e = verify(
            &outcome(
                Termination::Exited(0),
                "{\"result\":\"7\",\"iterations_ns\":[1,2]}",
            ),
            "42",
            2,
            1.0,
        )
        .unwrap_err();
        assert_eq!(e.message, "wrong result: expected '42', got '7'");
    }
}
