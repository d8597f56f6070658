//! Settings `run` shares with other commands: the report written at its end
//! (also `langbench report`'s) and the baseline it is compared with
//! (`--baseline`, like `langbench compare`), and the threshold check both
//! comparisons use.

use std::path::Path;

use anyhow::Result;

use crate::claims::{parse_claims, ClaimsFile, ARTICLE_CLAIMS};
use crate::exit::input_error;
use crate::results::{store, ResultsFile};

/// What a report checks and where it goes.
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The claims, parsed and validated.
    pub claims: ClaimsFile,
    /// The report folder; None: next to the results file.
    pub out_dir: Option<std::path::PathBuf>,
}

impl ReportSettings {
    /// The claims of `file`, or the article's; a claims file that cannot be
    /// read or parsed is an input error naming the file, the claim and the field.
    pub fn new(claims: Option<&Path>, out_dir: Option<&Path>) -> Result<ReportSettings> {
        let claims = match claims {
            None => parse_claims(ARTICLE_CLAIMS)
                .map_err(|e| input_error(format!("built-in claims: {e}")))?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    input_error(format!("cannot read claims file '{}': {e}", path.display()))
                })?;
                parse_claims(&text)
                    .map_err(|e| input_error(format!("claims file '{}': {e}", path.display())))?
            }
        };
        Ok(ReportSettings {
            claims,
            out_dir: out_dir.map(Path::to_path_buf),
        })
    }

    /// The report folder for the results file `results`.
    pub fn dir_for(&self, results: &Path) -> std::path::PathBuf {
        self.out_dir.clone().unwrap_or_else(|| {
            let stem = results
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "results".into());
            results.with_file_name(format!("{stem}-report"))
        })
    }
}

/// A threshold in percent must be in [0, 100).
pub fn check_threshold(pct: f64) -> Result<()> {
    if !(pct.is_finite() && (0.0..100.0).contains(&pct)) {
        return Err(input_error(format!(
            "--threshold {pct} is not a percentage from 0 up to (not including) 100"
        )));
    }
    Ok(())
}

/// `run --baseline FILE`: the results the run is compared with at its end, on
/// kernel time. Loaded before anything runs, so a bad file costs no run.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The baseline file.
    pub path: std::path::PathBuf,
    /// Its contents.
    pub results: ResultsFile,
    /// Noise threshold, in percent (None: each metric's default, 5 on
    /// kernel time and 1 on instructions).
    pub threshold_pct: Option<f64>,
    /// Go on when the baseline comes from another machine.
    pub force: bool,
}

impl Baseline {
    /// Reads and checks the baseline file.
    pub fn load(path: &Path, threshold_pct: Option<f64>, force: bool) -> Result<Baseline> {
        threshold_pct.map(check_threshold).transpose()?;
        Ok(Baseline {
            path: path.to_path_buf(),
            results: store::load(path)?,
            threshold_pct,
            force,
        })
    }
}
