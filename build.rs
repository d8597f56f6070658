//! Builds the spawn helper, `spawn-helper/main.rs`, which
//! `src/runner/spawn.rs` embeds: one small static program, compiled with the
//! same rustc for the same target, without Rust's standard library and
//! linked statically against the C library, so that a fresh exec of it
//! touches little memory (the floor of the peak RSS every child reports;
//! see the helper's own documentation).
//!
//! Linking statically needs the C library's static archive (Debian and
//! Ubuntu: `libc6-dev`, which the C compiler Rust links with pulls in;
//! Fedora: `glibc-static`). Without it the helper is linked dynamically,
//! with a warning: it then works the same, but its own peak, about 1.2 MiB,
//! becomes the floor of every child's reported peak RSS.

use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE: &str = "spawn-helper/main.rs";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(var("OUT_DIR")).join("langbench-spawn");
    let gnu = var("CARGO_CFG_TARGET_ENV") == "gnu";
    let mut static_args = vec!["-Ctarget-feature=+crt-static", "-Crelocation-model=static"];
    if gnu {
        // -Bstatic: rustc ends its own `-lc` with -Bdynamic. glibc's archive
        // names the unwinder of its C++-safe paths, found in libgcc_eh.
        static_args
            .push("-Clink-args=-Wl,-Bstatic -Wl,--start-group -lc -lgcc -lgcc_eh -Wl,--end-group");
    }
    let static_err = match compile(&out, &static_args) {
        Ok(()) => return,
        Err(e) => e,
    };
    println!(
        "cargo:warning=the spawn helper could not be linked statically (is the C library's static \
         archive installed? Debian: libc6-dev, Fedora: glibc-static), so it is linked dynamically \
         and every child's reported peak RSS is at least about 1.2 MiB; the static link said: {}",
        static_err
            .lines()
            .rev()
            .find(|l| l.contains("error"))
            .unwrap_or("(nothing)")
            .trim()
    );
    if let Err(e) = compile(&out, &[]) {
        panic!("cannot build the spawn helper {SOURCE}:\n{e}");
    }
}

/// Compiles the helper to `out` with the common flags and `extra`; the
/// compiler's output on failure.
fn compile(out: &Path, extra: &[&str]) -> Result<(), String> {
    let mut rustc = Command::new(var("RUSTC"));
    rustc
        .args(["--edition", "2021", "--crate-type", "bin"])
        .args(["--crate-name", "langbench_spawn", "--target"])
        .arg(var("TARGET"))
        .args([
            "-Cpanic=abort",
            "-Copt-level=2",
            "-Cdebuginfo=0",
            "-Cstrip=symbols",
        ])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(SOURCE);
    // The linker the user configured for the target, if any.
    if let Ok(linker) = std::env::var("RUSTC_LINKER") {
        rustc.arg(format!("-Clinker={linker}"));
    }
    let output = rustc
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name} for build scripts"))
}
