//! A temporary project per test (fd's `TestEnv` idea): a `workloads/` folder
//! holding copies of the fixtures asked for, and helpers to run langbench in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary project folder with fixture workloads.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    /// A project whose workloads are copies of `tests/fixtures/<name>` for each name.
    pub fn new(fixtures: &[&str]) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join("fixtures");
        for name in fixtures {
            copy_dir(&src.join(name), &dir.path().join("workloads").join(name));
        }
        std::fs::create_dir_all(dir.path().join("workloads")).expect("workloads dir");
        // The fixture server workloads run this shared script.
        std::fs::copy(
            src.join("servers").join("server.py"),
            dir.path().join("workloads").join("server.py"),
        )
        .expect("fixture server script");
        TestEnv { dir }
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The workloads folder.
    pub fn workloads(&self) -> PathBuf {
        self.root().join("workloads")
    }

    /// Writes `content` to `rel` (relative to the project), creating folders.
    pub fn write(&self, rel: &str, content: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// A project without workloads whose `results.json` is `results`.
    pub fn with_results(results: &serde_json::Value) -> TestEnv {
        let env = TestEnv::new(&[]);
        env.write(
            "results.json",
            &serde_json::to_string_pretty(results).unwrap(),
        );
        env
    }

    /// The default results file for tests.
    pub fn out(&self) -> PathBuf {
        self.root().join("out.json")
    }

    /// `langbench --workloads-dir <workloads>` run in the project folder.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("langbench").expect("binary");
        cmd.current_dir(self.root())
            .arg("--workloads-dir")
            .arg(self.workloads());
        cmd
    }

    /// The results file, parsed.
    pub fn results(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out()).expect("results file");
        serde_json::from_str(&text).expect("results JSON")
    }

    /// Processes still alive whose command line mentions this project folder,
    /// allowing a killed process up to a second to finish exiting.
    pub fn leftover_processes(&self) -> Vec<String> {
        let marker = self.root().to_string_lossy().into_owned();
        for _ in 0..20 {
            if self.processes_matching(&marker).is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        self.processes_matching(&marker)
    }

    /// Processes alive whose command line contains `marker`.
    pub fn processes_matching(&self, marker: &str) -> Vec<String> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(marker) {
                found.push(format!(
                    "{}: {cmdline}",
                    entry.file_name().to_string_lossy()
                ));
            }
        }
        found
    }
}

/// The benchmark of `workload` in `lang` from a parsed results file.
pub fn bench<'a>(
    results: &'a serde_json::Value,
    workload: &str,
    lang: &str,
) -> &'a serde_json::Value {
    results["benchmarks"]
        .as_array()
        .expect("benchmarks")
        .iter()
        .find(|b| b["workload"] == workload && b["lang"] == lang)
        .unwrap_or_else(|| panic!("no benchmark {workload}/{lang}"))
}

/// The real interpreter behind `python3` (not a version-manager shim).
pub fn real_python() -> PathBuf {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 runs");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        // A fixture crate built in place has a target/ folder: not part of the fixture.
        if entry.file_name() == "target" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fixture HTTP server (`tests/fixtures/servers/server.py`), killed on drop.
pub struct FixtureServer {
    child: std::process::Child,
    /// The port it listens on, from its ready line.
    pub port: u16,
}

impl FixtureServer {
    /// Starts the fixture server in `mode` (see the script) and waits for its ready line.
    pub fn start(mode: &str, extra: &[&str]) -> FixtureServer {
        use std::io::BufRead;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/servers/server.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .args(["--port", "0", "--mode", mode])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 starts the fixture server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: serde_json::Value = serde_json::from_str(&line).expect("ready line");
        FixtureServer {
            port: ready["port"].as_u64().unwrap() as u16,
            child,
        }
    }

    /// The URL of its /json endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/json", self.port)
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The all-suites results fixture (a trimmed real quick run), parsed.
pub fn all_suites() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("results")
        .join("all-suites.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

/// Multiplies a run's iteration times by `factor`, and the times of its
/// recorded steady state with them, as a run that much slower records them.
pub fn scale_iterations(run: &mut serde_json::Value, factor: f64) {
    use serde_json::Value;
    let scaled = |v: &Value| (v.as_f64().expect("a number") * factor).round() as u64;
    for t in run["iterations_ns"].as_array_mut().expect("iterations") {
        *t = Value::from(scaled(t));
    }
    if run["steady"].is_object() {
        let steady = run["steady"]["steady_ns"].as_f64().expect("steady_ns") * factor;
        run["steady"]["steady_ns"] = Value::from(steady);
        run["steady"]["warmup_ns"] = Value::from(scaled(&run["steady"]["warmup_ns"]));
    }
}

/// Replaces a benchmark's runs by one measured run per factor: its first
/// measured run with every iteration time, the wall, user and system times
/// and the peak RSS multiplied by the factor.
pub fn replace_runs(bench: &mut serde_json::Value, factors: &[f64]) {
    use serde_json::Value;
    let template = bench["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|r| r["warmup"] == false)
        .expect("a measured run")
        .clone();
    let scaled =
        |v: &Value, f: f64| Value::from((v.as_f64().expect("a number") * f).round() as u64);
    let runs: Vec<Value> = factors
        .iter()
        .enumerate()
        .map(|(i, &f)| {
            let mut r = template.clone();
            r["round"] = Value::from(i as u64);
            for key in ["wall_ns", "user_ns", "sys_ns", "max_rss_bytes"] {
                r[key] = scaled(&r[key], f);
            }
            scale_iterations(&mut r, f);
            r
        })
        .collect();
    bench["runs"] = Value::from(runs);
}

/// Adds instruction counts to a parsed results file as `run --measure
/// time,instructions` records them: every CPU benchmark and parallel at W=1
/// that passed gets two equal repeats of (its median kernel time in ns × 3)
/// instructions per iteration, 1.5 times as many estimated cycles, and their
/// summary. With `only`, the file becomes one of `run --measure
/// instructions`: no timed run, no summary, no server, only what is counted.
pub fn add_counts(results: &mut serde_json::Value, only: bool) {
    use serde_json::{json, Value};
    let estimate = |v: f64| {
        json!({"n": 2, "median": v, "mean": v, "std_dev": 0.0, "min": v, "max": v,
               "mad": 0.0, "ci_low": v, "ci_high": v})
    };
    let counted = |b: &Value| {
        b["summary"].is_object()
            && (b["level"].is_null()
                || (b["level"]["vary"] == "workers" && b["level"]["value"] == 1))
    };
    let benchmarks = results["benchmarks"].as_array_mut().expect("benchmarks");
    if only {
        benchmarks.retain(counted);
    }
    for b in benchmarks.iter_mut().filter(|b| counted(b)) {
        let v = (b["summary"]["kernel_ns"]["median"]
            .as_f64()
            .expect("kernel")
            * 3.0)
            .round();
        let counts = json!({"ir": 0, "i1mr": 0, "ilmr": 0, "dr": 0, "d1mr": 0, "dlmr": 0,
                            "dw": 0, "d1mw": 0, "dlmw": 0});
        let repeats: Vec<Value> = (0..2)
            .map(|round| {
                json!({"round": round, "low": counts, "high": counts, "instructions": v,
                       "estimated_cycles": v * 1.5, "wall_ns": 1_000_000_000u64})
            })
            .collect();
        b["counting"] = json!({
            "command": ["setarch", "x86_64", "-R", "valgrind", "--tool=cachegrind"],
            "env": [], "k1": 2, "k2": 4, "tolerance_pct": 0.5, "repeats": repeats,
            "summary": {"repeats": 2, "instructions": estimate(v),
                        "estimated_cycles": estimate(v * 1.5), "spread_pct": 0.0,
                        "deterministic": true},
        });
    }
    if only {
        for b in benchmarks.iter_mut() {
            b["runs"] = json!([]);
            b["summary"] = Value::Null;
        }
    }
    if only {
        results["servers"] = json!([]);
    }
    let settings = &mut results["settings"];
    settings["measure"] = if only {
        json!(["instructions"])
    } else {
        json!(["time", "instructions"])
    };
    settings["count_runs"] = json!(2);
    settings["valgrind"] = json!("valgrind-3.19.0");
}

/// What a finished command printed on stdout, as text.
pub fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8 stdout")
}
