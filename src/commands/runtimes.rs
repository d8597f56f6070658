//! `langbench runtimes install NAME...`: the names checked, each runtime
//! installed on its own by [`crate::lang::install`] (a failure is one line on
//! stderr and the others go on), and one line (or JSON object) per runtime:
//! what was done, the version, the time and the disk it takes.

use std::time::Duration;

use anyhow::Result;
use serde_json::json;

use crate::cli::RuntimesInstallArgs;
use crate::config::Paths;
use crate::exit::{input_error, Outcome};
use crate::lang::install::{Action, Installable, Installer, Report};

/// Settings of `runtimes install`: the runtimes, in order, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallConfig {
    /// The runtimes to install, in the order given (`all`: every one).
    pub runtimes: Vec<Installable>,
    /// JSON on stdout instead of lines.
    pub json: bool,
}

impl TryFrom<&RuntimesInstallArgs> for InstallConfig {
    type Error = anyhow::Error;

    fn try_from(args: &RuntimesInstallArgs) -> Result<InstallConfig> {
        let mut runtimes = Vec::new();
        for name in &args.names {
            let found = match name.as_str() {
                "all" => Installable::ALL.to_vec(),
                _ => vec![Installable::parse(name).ok_or_else(|| {
                    let names: Vec<&str> = Installable::ALL.iter().map(|r| r.name()).collect();
                    input_error(format!(
                        "unknown runtime '{name}' (installable: {}, or all)",
                        names.join(", ")
                    ))
                })?],
            };
            for r in found {
                if !runtimes.contains(&r) {
                    runtimes.push(r);
                }
            }
        }
        Ok(InstallConfig {
            runtimes,
            json: args.json,
        })
    }
}

/// Installs each runtime; exit 1 if any failed.
pub fn install(paths: &Paths, config: &InstallConfig, quiet: bool) -> Result<Outcome> {
    let progress = |runtime: Installable, msg: &str| {
        if !quiet {
            eprintln!("langbench: {runtime}: {msg}");
        }
    };
    let mut installer = Installer::new(paths, &progress);
    let mut failed = false;
    let mut objects = Vec::new();
    for &runtime in &config.runtimes {
        match installer.install(runtime) {
            Ok(report) => {
                if config.json {
                    objects.push(report_json(&report));
                } else {
                    println!("{}", line(&report));
                }
            }
            Err(err) => {
                failed = true;
                eprintln!("langbench: could not install {runtime}: {err:#}");
                objects.push(json!({
                    "name": runtime.name(),
                    "ok": false,
                    "error": format!("{err:#}"),
                }));
            }
        }
    }
    if config.json {
        println!("{}", serde_json::to_string_pretty(&objects)?);
    }
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// One line: `bun: installed 1.4.5 in 18.4 s, 205.3 MiB on disk -> <link> (note)`.
fn line(r: &Report) -> String {
    let action = match (r.action, r.runtime) {
        (Action::Installed, _) => "installed",
        (Action::Built, _) => "built",
        (Action::Present, Installable::Python313t) => "already built",
        (Action::Present, _) => "already installed",
    };
    let disk = r.disk_bytes.map_or("disk unknown".to_string(), |b| {
        format!("{} on disk", crate::report::bytes(b as f64))
    });
    let mut text = format!(
        "{}: {action} {} in {}, {disk}",
        r.runtime,
        r.version,
        duration(r.elapsed)
    );
    if let Some(path) = &r.path {
        text.push_str(&format!(" -> {}", path.display()));
    }
    if let Some(took) = r.built_before_in {
        text.push_str(&format!(" (its build took {})", duration(took)));
    }
    if let Some(note) = &r.note {
        text.push_str(&format!(" ({note})"));
    }
    text
}

fn report_json(r: &Report) -> serde_json::Value {
    json!({
        "name": r.runtime.name(),
        "ok": true,
        "action": r.action,
        "version": r.version,
        "seconds": r.elapsed.as_secs_f64(),
        "disk_bytes": r.disk_bytes,
        "path": r.path,
        "note": r.note,
        "build_seconds": r.built_before_in.map(|d| d.as_secs()),
    })
}

/// `0.4 s`, `18.4 s`, `23 min 5 s`.
fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = secs.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(names: &[&str]) -> Result<InstallConfig> {
        InstallConfig::try_from(&RuntimesInstallArgs {
            names: names.iter().map(|s| s.to_string()).collect(),
            json: false,
        })
    }

    #[test]
    fn names_all_and_duplicates() {
        assert_eq!(
            config(&["deno", "bun", "deno"]).unwrap().runtimes,
            [Installable::Deno, Installable::Bun]
        );
        assert_eq!(
            config(&["pypy", "all"]).unwrap().runtimes[..2],
            [Installable::Pypy, Installable::Bun]
        );
        assert_eq!(config(&["all"]).unwrap().runtimes, Installable::ALL);
    }

    #[test]
    fn an_unknown_name_lists_the_installable_ones() {
        let err = config(&["bun", "jython"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown runtime 'jython' (installable: bun, deno, node22, node24, node26, \
             pypy, python3.13t, go1.24, or all)"
        );
        assert_eq!(
            crate::exit::error_exit_code(&err),
            std::process::ExitCode::from(2)
        );
    }

    #[test]
    fn lines_say_what_was_done() {
        let report = Report {
            runtime: Installable::Python313t,
            action: Action::Built,
            version: "3.13.5".into(),
            elapsed: Duration::from_secs(1385),
            disk_bytes: Some(3 * 1024 * 1024),
            path: Some("/b/runtimes/bin/python3.13t".into()),
            note: None,
            built_before_in: None,
        };
        assert_eq!(
            line(&report),
            "python3.13t: built 3.13.5 in 23 min 5 s, 3.0 MiB on disk -> /b/runtimes/bin/python3.13t"
        );
        let again = Report {
            action: Action::Present,
            elapsed: Duration::from_millis(300),
            built_before_in: Some(Duration::from_secs(1477)),
            ..report
        };
        assert_eq!(
            line(&again),
            "python3.13t: already built 3.13.5 in 0.3 s, 3.0 MiB on disk -> \
             /b/runtimes/bin/python3.13t (its build took 24 min 37 s)"
        );
        let go = Report {
            runtime: Installable::Go124,
            action: Action::Present,
            version: "go1.24.0".into(),
            elapsed: Duration::from_millis(420),
            disk_bytes: None,
            path: None,
            note: Some("run 'go' with GOTOOLCHAIN=go1.24.0".into()),
            built_before_in: None,
        };
        assert_eq!(
            line(&go),
            "go1.24: already installed go1.24.0 in 0.4 s, disk unknown (run 'go' with GOTOOLCHAIN=go1.24.0)"
        );
    }
}
