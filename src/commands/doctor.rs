//! `langbench doctor`: toolchains, machine facts, and warnings about timing.

use anyhow::Result;
use serde_json::json;

use crate::exit::Outcome;
use crate::lang::{find_toolchain, Lang};
use crate::machine;
use crate::report::bytes;
use crate::runner::cachegrind;

/// Prints what langbench found.
pub fn run(json_out: bool) -> Result<Outcome> {
    let m = machine::probe();
    let warnings = machine::warnings(&m);
    let toolchains: Vec<_> = Lang::ALL.iter().map(|&l| (l, find_toolchain(l))).collect();
    let valgrind = cachegrind::probe();
    if json_out {
        let tcs: Vec<_> = toolchains
            .iter()
            .map(|(l, t)| match t {
                Ok(tc) => json!({"lang": l, "found": true, "path": tc.path, "version": tc.version}),
                Err(reason) => json!({"lang": l, "found": false, "reason": reason}),
            })
            .collect();
        let valgrind = match &valgrind {
            Ok(version) => json!({"found": true, "version": version}),
            Err(reason) => json!({"found": false, "reason": reason}),
        };
        let doc =
            json!({"toolchains": tcs, "valgrind": valgrind, "machine": m, "warnings": warnings});
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(Outcome::Success);
    }
    println!("Toolchains:");
    for (lang, tc) in &toolchains {
        match tc {
            Ok(tc) => println!(
                "  {:<7} {}  ({})",
                lang.name(),
                tc.version,
                tc.path.display()
            ),
            Err(reason) => println!("  {:<7} MISSING: {reason}", lang.name()),
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
