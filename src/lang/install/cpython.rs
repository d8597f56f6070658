//! CPython 3.13 free-threaded (`python3.13t`): the upstream tarball inside
//! Debian trixie's source package `python3.13` (fetched with a private apt
//! configuration, see [`super::PrivateApt`]), configured with
//! `--disable-gil` into `<build>/runtimes/python3.13t` and built with make.
//! No `--enable-optimizations`: a profile-guided build takes several times
//! as long. Built once: an install that finds the interpreter only checks it.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::{
    disk_usage, is_root, link, logged, output, parse_version, runtimes_dir, Action, Installable,
    PrivateApt, Report,
};
use crate::paths::{find_in_path, Paths};

/// The Debian source package holding the upstream tarball.
const SOURCE_PACKAGE: &str = "python3.13";

/// The install prefix: `<build>/runtimes/python3.13t`.
pub fn prefix(paths: &Paths) -> PathBuf {
    runtimes_dir(paths).join("python3.13t")
}

/// The interpreter `make install` puts in the prefix.
fn interpreter(paths: &Paths) -> PathBuf {
    prefix(paths).join("bin").join("python3.13t")
}

/// Written after `make install` succeeded: a prefix without it is a build
/// that stopped half-way.
fn stamp(paths: &Paths) -> PathBuf {
    prefix(paths).join(".langbench-built")
}

/// Builds (or finds) the interpreter, checks the GIL is off and links it.
pub(super) fn install(paths: &Paths, step: &dyn Fn(&str)) -> Result<Report> {
    let python = interpreter(paths);
    let (action, built_before_in) = if python.is_file() && stamp(paths).is_file() {
        step(&format!("found '{}', built before", python.display()));
        let took = std::fs::read_to_string(stamp(paths))
            .ok()
            .and_then(|text| built_in(&text));
        (Action::Present, took.map(std::time::Duration::from_secs))
    } else {
        build(paths, step)?;
        (Action::Built, None)
    };
    let version = check(&python)?;
    let link = link(paths, Installable::Python313t, &python)?;
    Ok(Report {
        runtime: Installable::Python313t,
        action,
        version,
        elapsed: Default::default(),
        disk_bytes: Some(disk_usage(&[prefix(paths)])),
        path: Some(link),
        note: None,
        built_before_in,
    })
}

/// The stamp's text: how many seconds the build took (download to install).
fn stamp_text(secs: u64) -> String {
    format!("build_seconds={secs}\n")
}

/// The build's seconds a stamp records (None for a stamp written without).
fn built_in(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("build_seconds="))
        .and_then(|v| v.trim().parse().ok())
}

/// The interpreter's version, once it has said the GIL is off.
fn check(python: &Path) -> Result<String> {
    let what = format!("'{}'", python.display());
    let out = output(
        duct::cmd(
            python,
            [
                "-c",
                "import sys; print(sys.version.split()[0], sys._is_gil_enabled())",
            ],
        )
        .env_remove("PYTHON_GIL"),
        &what,
    )?;
    match out.split_whitespace().collect::<Vec<_>>()[..] {
        [version, "False"] => Ok(version.to_string()),
        [_, "True"] => bail!("{what} runs with the GIL enabled"),
        _ => bail!("{what} printed '{}'", out.trim()),
    }
}

/// Downloads the source, configures, makes and installs.
fn build(paths: &Paths, step: &dyn Fn(&str)) -> Result<()> {
    let start = std::time::Instant::now();
    for tool in ["apt-get", "tar", "xz", "make", "cc"] {
        if find_in_path(tool).is_none() {
            bail!("'{tool}' not found on PATH (needed to fetch and build CPython)");
        }
    }
    let tarball = download(paths, step)?;
    let work = runtimes_dir(paths).join("python3.13t-build");
    let log = runtimes_dir(paths).join("python3.13t-build.log");
    let _ = std::fs::remove_file(&log);
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("removing the old build '{}'", work.display()))?;
    }
    std::fs::create_dir_all(&work).with_context(|| format!("creating '{}'", work.display()))?;
    step(&format!("unpacking '{}'", tarball.display()));
    output(
        duct::cmd("tar", ["-xJf".as_ref(), tarball.as_os_str()]).dir(&work),
        "tar",
    )?;
    let source = single_folder(&work)?;
    let prefix = prefix(paths);
    if prefix.exists() {
        std::fs::remove_dir_all(&prefix)
            .with_context(|| format!("removing the unfinished '{}'", prefix.display()))?;
    }
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    step(&format!(
        "configure --disable-gil, make -j{jobs}, make install (log: '{}')",
        log.display()
    ));
    // By absolute path: a relative program is not looked up in `dir`.
    let prefix_arg = format!("--prefix={}", prefix.display());
    logged(
        duct::cmd(source.join("configure"), ["--disable-gil", &prefix_arg]).dir(&source),
        &format!("configure --disable-gil {prefix_arg}"),
        &log,
    )?;
    let make = format!("-j{jobs}");
    logged(
        duct::cmd("make", [make.as_str()]).dir(&source),
        &format!("make {make}"),
        &log,
    )?;
    logged(
        duct::cmd("make", ["install"]).dir(&source),
        "make install",
        &log,
    )?;
    let text = stamp_text(start.elapsed().as_secs());
    crate::fsutil::write_atomic(&stamp(paths), text.as_bytes())?;
    // The build tree is about 10 times the install; the tarball stays for a rebuild.
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// Fetches the source package with the private apt configuration; returns
/// the upstream tarball.
fn download(paths: &Paths, step: &dyn Fn(&str)) -> Result<PathBuf> {
    let apt = PrivateApt::new(&runtimes_dir(paths).join("apt"));
    apt.prepare()?;
    let options = apt.options(is_root());
    step("apt-get update (private lists of Debian trixie's sources)");
    let update: Vec<&str> = options
        .iter()
        .map(String::as_str)
        .chain(["update"])
        .collect();
    output(duct::cmd("apt-get", &update), "apt-get update")?;
    step(&format!("apt-get source --download-only {SOURCE_PACKAGE}"));
    let source: Vec<&str> = options
        .iter()
        .map(String::as_str)
        .chain(["source", "--download-only", SOURCE_PACKAGE])
        .collect();
    output(
        duct::cmd("apt-get", &source).dir(apt.downloads()),
        "apt-get source",
    )?;
    let names: Vec<String> = std::fs::read_dir(apt.downloads())
        .with_context(|| format!("reading '{}'", apt.downloads().display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let tarball = orig_tarball(&names).with_context(|| {
        format!(
            "no {SOURCE_PACKAGE}_*.orig.tar.xz in '{}'",
            apt.downloads().display()
        )
    })?;
    Ok(apt.downloads().join(tarball))
}

/// The upstream tarball among the files of a source package
/// (`python3.13_3.13.5.orig.tar.xz`); of several, the newest version.
fn orig_tarball(names: &[String]) -> Option<&str> {
    let prefix = format!("{SOURCE_PACKAGE}_");
    names
        .iter()
        .map(String::as_str)
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".orig.tar.xz"))
        .max_by_key(|n| {
            parse_version(&n[prefix.len()..])
                .map(|v| {
                    v.split('.')
                        .map(|p| p.parse::<u32>().unwrap_or(0))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
}

/// The one folder a tarball unpacked into.
fn single_folder(dir: &Path) -> Result<PathBuf> {
    let folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading '{}'", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    match &folders[..] {
        [one] if one.join("configure").is_file() => Ok(one.clone()),
        _ => bail!(
            "the tarball did not unpack into one folder with a configure script in '{}'",
            dir.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_upstream_tarball() {
        let names: Vec<String> = [
            "python3.13_3.13.5-2+deb13u5.dsc",
            "python3.13_3.13.5.orig.tar.xz.asc",
            "python3.13_3.13.5-2+deb13u5.debian.tar.xz",
            "python3.13_3.13.5.orig.tar.xz",
            "python3.13_3.13.10.orig.tar.xz",
            "python3.12_3.12.9.orig.tar.xz",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(orig_tarball(&names), Some("python3.13_3.13.10.orig.tar.xz"));
        assert_eq!(orig_tarball(&names[..3]), None);
    }

    #[test]
    fn the_prefix_is_in_the_build_folder() {
        let paths = Paths {
            workloads_dir: "/p/workloads".into(),
            root: "/p".into(),
            build_dir: "/p/target/langbench".into(),
            runtimes_file: None,
        };
        assert_eq!(
            interpreter(&paths),
            Path::new("/p/target/langbench/runtimes/python3.13t/bin/python3.13t")
        );
    }

    #[test]
    fn the_source_tree_is_the_folder_with_configure() {
        let dir = tempfile::tempdir().unwrap();
        assert!(single_folder(dir.path()).is_err());
        std::fs::create_dir(dir.path().join("Python-3.13.5")).unwrap();
        std::fs::write(dir.path().join("Python-3.13.5/configure"), "").unwrap();
        assert_eq!(
            single_folder(dir.path()).unwrap(),
            dir.path().join("Python-3.13.5")
        );
    }

    #[test]
    fn the_stamp_says_how_long_the_build_took() {
        assert_eq!(built_in(&stamp_text(1477)), Some(1477));
        // A stamp from before the build time was kept says nothing.
        assert_eq!(built_in(""), None);
    }
}
