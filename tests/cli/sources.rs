//! Source sizes: `run` records them in the results file, so a report made
//! later gives the same verdict on code size however the workloads folder
//! has changed since; a file without them (written before they were
//! recorded) is measured from today's folder, and the report says so.

use serde_json::Value;

use crate::util::TestEnv;

/// One claim on code size: Python's source is smaller than Node's.
const CLAIMS: &str = r#"{"source": "my notes", "claims": [
    {"id": "short", "topic": "expressiveness", "quote": "Python needs less code than Node",
     "tests": [{"metric": "source_size", "better": [["python", "node"]]}]}
]}"#;

/// Where the report says it measured the sizes from today's folder.
const NOTE: &str =
    "Source sizes: not recorded in this results file; measured from the workloads folder today.";

/// `n` characters that gzip cannot shrink much (xorshift letters).
fn noise(n: usize) -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (b'a' + (x % 26) as u8) as char
        })
        .collect()
}

/// The fixture `ok` with a short Python and a long Node implementation,
/// measured by the mock runner into `out.json`, and the claims file.
fn recorded_run() -> TestEnv {
    let env = TestEnv::new(&["ok"]);
    env.write("workloads/ok/python/main.py", "print('x')\n");
    env.write(
        "workloads/ok/node/main.js",
        &format!("console.log(\"{}\");\n", noise(2000)),
    );
    env.write("claims.json", CLAIMS);
    env.cmd()
        .args(["-q", "run", "--quick", "-l", "node,python", "--debug-mock"])
        .args(["--no-report", "--out", "out.json"])
        .assert()
        .success();
    env
}

/// `report FILE --claims claims.json --out rep`: stdout and REPORT.md.
fn report(env: &TestEnv, file: &str) -> (String, String) {
    let out = env
        .cmd()
        .args(["report", file, "--claims", "claims.json", "--out", "rep"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(env.root().join("rep").join("REPORT.md")).unwrap();
    (String::from_utf8(out.stdout).unwrap(), md)
}

#[test]
fn run_records_each_implementations_source_size() {
    let env = recorded_run();
    let sources = env.results()["sources"].clone();
    let entries = sources.as_array().expect("a sources list");
    assert_eq!(entries.len(), 2, "{sources}");
    let bytes = |lang: &str| {
        entries
            .iter()
            .find(|s| s["workload"] == "ok" && s["lang"] == lang)
            .and_then(|s| s["gzip_bytes"].as_u64())
            .unwrap_or_else(|| panic!("no size of ok/{lang}: {sources}"))
    };
    assert!(bytes("python") < 40, "{sources}");
    assert!(bytes("node") > 1000, "{sources}");
}

#[test]
fn recorded_sizes_keep_the_verdict_when_the_sources_change() {
    let env = recorded_run();
    let (before, md) = report(&env, "out.json");
    assert!(before.contains("short  SUPPORTED"), "{before}");
    assert!(!before.contains("Source sizes"), "{before}");
    assert!(!md.contains("Source sizes"), "{md}");
    // Python grows far past Node in the tree; the file still holds what ran.
    env.write(
        "workloads/ok/python/main.py",
        &format!("print('{}')\n", noise(6000)),
    );
    let (after, _) = report(&env, "out.json");
    assert!(after.contains("short  SUPPORTED"), "{after}");
}

#[test]
fn a_file_without_sizes_is_measured_today_with_a_note() {
    let env = recorded_run();
    let mut old: Value = env.results();
    old.as_object_mut().unwrap().remove("sources");
    env.write("old.json", &serde_json::to_string_pretty(&old).unwrap());
    let (stdout, md) = report(&env, "old.json");
    assert!(stdout.contains("short  SUPPORTED"), "{stdout}");
    assert!(stdout.contains(NOTE), "{stdout}");
    assert!(md.contains(NOTE), "{md}");
    let html = std::fs::read_to_string(env.root().join("rep").join("index.html")).unwrap();
    assert!(html.contains(&format!("<p>{NOTE}</p>")), "{html}");
    // Today's sources decide now: Python has grown past Node.
    env.write(
        "workloads/ok/python/main.py",
        &format!("print('{}')\n", noise(6000)),
    );
    let (stdout, _) = report(&env, "old.json");
    assert!(stdout.contains("short  CONTRADICTED"), "{stdout}");
}

#[test]
fn a_file_missing_some_sizes_names_them() {
    let env = recorded_run();
    let mut partial: Value = env.results();
    partial["sources"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["lang"] != "python");
    env.write(
        "partial.json",
        &serde_json::to_string_pretty(&partial).unwrap(),
    );
    let (stdout, md) = report(&env, "partial.json");
    let note = "Source sizes: not recorded in this results file for ok/python; measured from the workloads folder today.";
    assert!(stdout.contains(note), "{stdout}");
    assert!(md.contains(note), "{md}");
}
