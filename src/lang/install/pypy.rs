//! PyPy 3 from the system's Debian package `pypy3` (`apt-get install -y
//! pypy3`, after `apt-get update` when apt does not know the package). That
//! needs root: without it, or without apt-get, the error says what to run by
//! hand. `pypy3` then is on PATH, and `<build>/runtimes/bin/pypy3` links to it.

use anyhow::{bail, Context, Result};

use super::{is_root, link, output, Action, Installable, Report};
use crate::paths::{find_in_path, Paths};

/// The Debian packages whose installed size is PyPy's disk: the interpreter
/// and its standard library.
const PACKAGES: [&str; 2] = ["pypy3", "pypy3-lib"];

/// Installs (or finds) pypy3, links it and reports its version.
pub(super) fn install(paths: &Paths, step: &dyn Fn(&str)) -> Result<Report> {
    let installed = dpkg_installed("pypy3");
    let action = if installed || find_in_path("pypy3").is_some() {
        Action::Present
    } else {
        apt_install(step)?;
        Action::Installed
    };
    let pypy = find_in_path("pypy3").context("'pypy3' is not on PATH after the install")?;
    let out = output(
        duct::cmd(&pypy, ["--version"]),
        &format!("'{} --version'", pypy.display()),
    )?;
    let version =
        pypy_version(&out).with_context(|| format!("no PyPy version in '{}'", out.trim()))?;
    let link = link(paths, Installable::Pypy, &pypy)?;
    Ok(Report {
        built_before_in: None,
        runtime: Installable::Pypy,
        action,
        version,
        elapsed: Default::default(),
        disk_bytes: installed_size(),
        path: Some(link),
        note: None,
    })
}

/// Runs apt-get, or says why it cannot and what to run by hand.
fn apt_install(step: &dyn Fn(&str)) -> Result<()> {
    if find_in_path("apt-get").is_none() {
        bail!("no apt-get here: install PyPy 3 with the system's package manager so that 'pypy3' is on PATH, then run this again");
    }
    if !is_root() {
        bail!("installing a Debian package needs root: run 'sudo apt-get install -y pypy3', then this again");
    }
    let known = duct::cmd("apt-cache", ["show", "pypy3"])
        .stdout_null()
        .stderr_null()
        .unchecked()
        .run()
        .is_ok_and(|o| o.status.success());
    if !known {
        step("apt-get update (apt does not know pypy3 yet)");
        output(duct::cmd("apt-get", ["update"]), "apt-get update")?;
    }
    step("apt-get install -y pypy3");
    output(
        duct::cmd("apt-get", ["install", "-y", "pypy3"]).env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install -y pypy3",
    )?;
    Ok(())
}

fn dpkg_installed(package: &str) -> bool {
    duct::cmd("dpkg-query", ["-W", "-f=${Status}", package])
        .stdout_capture()
        .stderr_null()
        .unchecked()
        .run()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "install ok installed")
}

/// The installed size of PyPy's packages, in bytes (None without dpkg or
/// the packages).
fn installed_size() -> Option<u64> {
    let out = duct::cmd(
        "dpkg-query",
        ["-W", "-f=${Installed-Size}\n", PACKAGES[0], PACKAGES[1]],
    )
    .stdout_capture()
    .stderr_null()
    .unchecked()
    .run()
    .ok()?;
    parse_installed_size(&String::from_utf8_lossy(&out.stdout))
}

/// Sums dpkg's `Installed-Size` lines (KiB) into bytes.
fn parse_installed_size(text: &str) -> Option<u64> {
    let sizes: Option<Vec<u64>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().parse::<u64>().ok())
        .collect();
    sizes
        .filter(|s| !s.is_empty())
        .map(|s| s.iter().sum::<u64>() * 1024)
}

/// PyPy's own version and the Python it implements, from `pypy3 --version`:
/// `Python 3.9.16 (7.3.11+dfsg-2+deb12u3, ...)` then `[PyPy 7.3.11 with GCC ...]`
/// gives `PyPy 7.3.11 (Python 3.9.16)`.
fn pypy_version(text: &str) -> Option<String> {
    let python = text
        .split_whitespace()
        .skip_while(|w| *w != "Python")
        .nth(1)?;
    let pypy = text.split("[PyPy ").nth(1)?.split_whitespace().next()?;
    Some(format!("PyPy {pypy} (Python {python})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_size_is_kib() {
        assert_eq!(parse_installed_size("58751\n16147\n"), Some(74898 * 1024));
        assert_eq!(parse_installed_size("12\n"), Some(12 * 1024));
        assert_eq!(parse_installed_size(""), None);
        assert_eq!(parse_installed_size("12\nx\n"), None);
    }

    #[test]
    fn pypy_and_python_versions() {
        let out = "Python 3.9.16 (7.3.11+dfsg-2+deb12u3, Feb 23 2023, 09:03:34)\n\
                   [PyPy 7.3.11 with GCC 12.2.0]\n";
        assert_eq!(
            pypy_version(out).as_deref(),
            Some("PyPy 7.3.11 (Python 3.9.16)")
        );
        assert_eq!(pypy_version("Python 3.11.7"), None);
    }
}
