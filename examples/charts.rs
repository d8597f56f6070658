//! Writes every chart of a results file as SVG and PNG, to look at them:
//! `cargo run --example charts -- RESULTS.json OUTDIR`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use langbench::report::charts::all_charts;
use langbench::results::store;

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(file), Some(out)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: charts RESULTS.json OUTDIR");
    };
    let (file, out) = (PathBuf::from(file), PathBuf::from(out));
    let results = store::load(&file)?;
    std::fs::create_dir_all(&out).with_context(|| format!("creating '{}'", out.display()))?;
    for chart in all_charts(&results) {
        for (ext, bytes) in [("svg", chart.svg.as_bytes()), ("png", chart.png.as_slice())] {
            let path = out.join(format!("{}.{ext}", chart.name));
            langbench::fsutil::write_atomic(&path, bytes)?;
        }
        println!("{}: {}", chart.name, chart.caption);
    }
    Ok(())
}
