//! `langbench load` against fixture servers: every response is checked and
//! every kind of failure is counted; bad input is exit 2.

use predicates::prelude::*;

use crate::util::{FixtureServer, TestEnv};

const BODY: &str = r#"{"message":"Hello, World!"}"#;

/// Runs `langbench load URL ARGS --json`, checks the exit code, returns the report.
fn load(url: &str, args: &[&str], code: i32) -> serde_json::Value {
    let env = TestEnv::new(&[]);
    let out = env
        .cmd()
        .args(["load", url, "--warmup", "0", "--json"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("JSON report")
}

#[test]
fn correct_server_has_no_errors() {
    let server = FixtureServer::start("ok", &[]);
    let r = load(
        &server.url(),
        &["-c", "4", "-d", "1s", "--expect-body", BODY],
        0,
    );
    assert!(r["responses"].as_u64().unwrap() > 0);
    assert_eq!(r["connections"], 4);
    for key in ["non_2xx", "body_mismatches", "socket_errors", "timeouts"] {
        assert_eq!(r[key], 0, "{key}");
    }
    let lat = &r["latency_us"];
    assert!(
        lat["p50"].as_u64() <= lat["p99"].as_u64() && lat["p99"].as_u64() <= lat["max"].as_u64()
    );
}

#[test]
fn wrong_bodies_are_counted_and_fail() {
    let server = FixtureServer::start("wrong-body", &[]);
    let r = load(
        &server.url(),
        &["-c", "2", "-d", "1s", "--expect-body", BODY],
        1,
    );
    let (mismatches, responses) = (
        r["body_mismatches"].as_u64().unwrap(),
        r["responses"].as_u64().unwrap(),
    );
    assert!(
        mismatches > 0 && mismatches < responses,
        "{mismatches} of {responses}"
    );
}

#[test]
fn non_2xx_are_counted_and_fail() {
    let server = FixtureServer::start("status-500", &[]);
    let r = load(&server.url(), &["-c", "2", "-d", "1s"], 1);
    // Every response is a 500; those still in flight at the end are checked too.
    let (non_2xx, responses) = (
        r["non_2xx"].as_u64().unwrap(),
        r["responses"].as_u64().unwrap(),
    );
    assert!(
        responses > 0 && (responses..=responses + 2).contains(&non_2xx),
        "{non_2xx} of {responses}"
    );
}

#[test]
fn chunked_and_closing_servers_are_read_correctly() {
    for mode in ["chunked", "close"] {
        let server = FixtureServer::start(mode, &[]);
        let r = load(
            &server.url(),
            &["-c", "2", "-d", "1s", "--expect-body", BODY],
            0,
        );
        assert!(r["responses"].as_u64().unwrap() > 0, "{mode}");
        assert_eq!(r["body_mismatches"], 0, "{mode}");
    }
}

#[test]
fn a_crashing_server_gives_socket_errors() {
    let server = FixtureServer::start("crash-after", &["--crash-after", "20"]);
    let r = load(&server.url(), &["-c", "2", "-d", "1s"], 1);
    assert!(r["socket_errors"].as_u64().unwrap() > 0);
}

#[test]
fn slow_responses_time_out() {
    let server = FixtureServer::start("slow", &[]);
    let r = load(
        &server.url(),
        &["-c", "2", "-d", "1s", "--timeout", "100ms"],
        1,
    );
    assert!(r["timeouts"].as_u64().unwrap() > 0);
    assert_eq!(r["responses"], 0);
}

#[test]
fn a_server_that_stops_answering_is_reported() {
    // Requests still unanswered at the end are awaited until their timeout and
    // counted, even when the timeout is longer than the run.
    let server = FixtureServer::start("hang", &[]);
    let r = load(
        &server.url(),
        &["-c", "3", "-d", "1s", "--timeout", "2s"],
        1,
    );
    assert_eq!(r["responses"], 0);
    assert_eq!(
        r["timeouts"], 3,
        "one request per connection, none answered"
    );
}

#[test]
fn warm_up_responses_are_checked_too() {
    let server = FixtureServer::start("status-500", &[]);
    let env = TestEnv::new(&[]);
    let out = env
        .cmd()
        .args([
            "load",
            &server.url(),
            "--warmup",
            "1s",
            "-d",
            "1s",
            "--rate",
            "1",
            "-c",
            "1",
            "--json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(r["non_2xx"].as_u64().unwrap() >= 1, "{r}");
}

#[test]
fn open_model_sends_at_the_rate() {
    let server = FixtureServer::start("ok", &[]);
    let r = load(&server.url(), &["-c", "4", "-d", "1s", "--rate", "100"], 0);
    assert_eq!(r["target_rate"], 100.0);
    // 100 requests are scheduled in the window; a few may still be in flight at its end.
    let responses = r["responses"].as_u64().unwrap();
    assert!((50..=104).contains(&responses), "{responses}");
}

#[test]
fn bad_input_is_exit_2_with_a_clear_message() {
    let env = TestEnv::new(&[]);
    let cases: [(&[&str], &str); 8] = [
        (&["load", "not a url"], "'not a url' is not a URL"),
        (
            &["load", "https://127.0.0.1/json"],
            "only http:// URLs are supported",
        ),
        (
            &["load", "http://192.0.2.1/json"],
            "not a loopback address (192.0.2.1); pass --allow-remote",
        ),
        (
            &["load", "http://127.0.0.1:1/json", "-c", "0"],
            "--connections must be at least 1",
        ),
        (
            &["load", "http://127.0.0.1:1/json", "-d", "0"],
            "--duration '0' is not a positive duration",
        ),
        (
            &["load", "http://127.0.0.1:1/json", "--rate", "0"],
            "--rate must be a positive number",
        ),
        (
            &["load", "http://127.0.0.1:1/json", "--cpus", "x"],
            "--cpus 'x' is not a CPU list",
        ),
        (
            &["load", "http://127.0.0.1:1/json", "--cpus", "5000"],
            "--cpus: CPU 5000 does not exist",
        ),
    ];
    for (args, message) in cases {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn too_many_connections_for_the_file_limit_is_exit_2() {
    let env = TestEnv::new(&[]);
    env.cmd()
        .args([
            "load",
            "http://127.0.0.1:1/json",
            "-c",
            "100000000",
            "-d",
            "1s",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("open files are needed but"));
}
