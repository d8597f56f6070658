//! `langbench doctor`: toolchains, machine facts, and warnings about timing.

use anyhow::Result;
use serde_json::json;

use super::probe_runtimes;
use crate::config::Paths;
use crate::exit::Outcome;
use crate::lang::runtime::RuntimeDef;
use crate::lang::Toolchain;
use crate::machine;
use crate::report::bytes;
use crate::runner::cachegrind;

/// Prints what langbench found.
pub fn run(paths: &Paths, json_out: bool) -> Result<Outcome> {
    let m = machine::probe();
    let warnings = machine::warnings(&m);
    let runtimes = probe_runtimes(paths)?;
    let valgrind = cachegrind::probe();
    if json_out {
        let entry = |def: &RuntimeDef, found: &Result<Toolchain, String>| match found {
            Ok(tc) => json!({"runtime": def.name, "lang": def.lang, "default": def.is_default(),
                "found": true, "path": tc.path, "version": tc.version, "origin": tc.origin}),
            Err(reason) => json!({"runtime": def.name, "lang": def.lang,
                "default": def.is_default(), "found": false, "reason": reason}),
        };
        // `toolchains`: the four default runtimes, as before runtimes existed.
        let tcs: Vec<_> = runtimes
            .iter()
            .filter(|(d, _)| d.is_default())
            .map(|(d, t)| entry(d, t))
            .collect();
        let all: Vec<_> = runtimes.iter().map(|(d, t)| entry(d, t)).collect();
        let valgrind = match &valgrind {
            Ok(version) => json!({"found": true, "version": version}),
            Err(reason) => json!({"found": false, "reason": reason}),
        };
        let doc = json!({"toolchains": tcs, "runtimes": all, "valgrind": valgrind,
            "machine": m, "warnings": warnings});
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(Outcome::Success);
    }
    println!("Runtimes (the default one of each language first):");
    for (def, tc) in &runtimes {
        let name = format!("{} ({})", def.name, def.lang);
        match tc {
            Ok(tc) => println!(
                "  {name:<22} {}  ({}, from {})",
                tc.version,
                tc.path.display(),
                tc.origin
            ),
            Err(reason) => println!("  {name:<22} MISSING: {reason}"),
        }
    }
    match &valgrind {
        Ok(version) => println!("  valgrind {version}  (for --measure instructions)"),
        Err(reason) => println!("  valgrind MISSING: {reason}"),
    }
    println!("Machine:");
    println!(
        "  CPU       {} ({} logical CPUs)",
        m.cpu_model, m.logical_cpus
    );
    println!("  memory    {}", bytes(m.memory_bytes as f64));
    println!("  kernel    {}", m.kernel);
    println!(
        "  load      {:.2} {:.2} {:.2}",
        m.load_average[0], m.load_average[1], m.load_average[2]
    );
    println!(
        "  governor  {}",
        m.cpu_governor.as_deref().unwrap_or("not readable")
    );
    println!("  VM        {}", if m.virtualized { "yes" } else { "no" });
    if warnings.is_empty() {
        println!("No warnings.");
    } else {
        println!("Warnings:");
        for w in &warnings {
            println!("  - {w}");
        }
    }
    Ok(Outcome::Success)
}
