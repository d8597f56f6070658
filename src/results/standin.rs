//! One runtime standing in for its language's default: the results file as
//! if that runtime had been the language's only one, so everything that
//! reads default runtimes (the claims name `node`, `python-threads`) reads
//! it instead.
//!
//! In: a [`ResultsFile`], a language and one of its other runtimes. Out: a
//! new `ResultsFile` in which the default runtime's benchmarks, servers,
//! toolchain and skips of that language are gone and the runtime's carry no
//! runtime name (`node@bun` becomes `node`). Every other language, and the
//! language's other runtimes, stay as measured. Summaries are kept as they
//! are: their ratios to the fastest were taken over every runtime measured,
//! and nothing that reads a stand-in (the claims read the runs) uses them.

use super::ResultsFile;
use crate::lang::runtime::RuntimeName;
use crate::lang::Lang;

/// The runtimes in `results` other than their language's default that
/// measured a benchmark or a server: languages in [`Lang::ALL`] order,
/// within one in the order of `results.toolchains` (the order `run` chose
/// them in), then any without a toolchain entry by name.
pub fn other_runtimes(results: &ResultsFile) -> Vec<(Lang, RuntimeName)> {
    let measured: Vec<(Lang, &RuntimeName)> = results
        .benchmarks
        .iter()
        .filter_map(|b| Some((b.lang, b.runtime.as_ref()?)))
        .chain(
            results
                .servers
                .iter()
                .filter_map(|s| Some((s.lang, s.runtime.as_ref()?))),
        )
        .collect();
    let listed = |lang: Lang, name: &RuntimeName| {
        results
            .toolchains
            .iter()
            .position(|t| t.lang == lang && t.runtime.as_ref() == Some(name))
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<(Lang, RuntimeName)> = Vec::new();
    for (lang, name) in measured {
        if !out.iter().any(|(l, n)| *l == lang && n == name) {
            out.push((lang, name.clone()));
        }
    }
    out.sort_by(|(la, a), (lb, b)| {
        let lang_pos = |l: &Lang| Lang::ALL.iter().position(|x| x == l);
        (lang_pos(la), listed(*la, a), a).cmp(&(lang_pos(lb), listed(*lb, b), b))
    });
    out
}

/// `results` with `runtime` (a runtime of `lang` other than its default)
/// standing in for `lang`'s default runtime: the default's benchmarks,
/// servers, toolchain and skips of `lang` dropped, the runtime's renamed to
/// the default (no runtime name). A benchmark the runtime did not run is
/// then missing, as it would be from a run of that runtime alone.
pub fn standing_in(results: &ResultsFile, lang: Lang, runtime: &RuntimeName) -> ResultsFile {
    let mut out = results.clone();
    // What to do with one entry of `lang`: keep it renamed (the runtime's),
    // drop it (the default's), or keep it as it is.
    let stand_in = |entry_lang: Lang, entry_runtime: &mut Option<_>| -> bool {
        if entry_lang != lang {
            return true;
        }
        match entry_runtime.as_ref() {
            None => false,
            Some(r) if r == runtime => {
                *entry_runtime = None;
                true
            }
            Some(_) => true,
        }
    };
    out.benchmarks
        .retain_mut(|b| stand_in(b.lang, &mut b.runtime));
    out.servers.retain_mut(|s| stand_in(s.lang, &mut s.runtime));
    out.toolchains
        .retain_mut(|t| stand_in(t.lang, &mut t.runtime));
    out.skipped.retain_mut(|s| stand_in(s.lang, &mut s.runtime));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Size;
    use crate::lang::{Impl, Toolchain};
    use crate::results::{Benchmark, Skipped};

    fn name(n: &str) -> RuntimeName {
        RuntimeName::parse(n).unwrap()
    }

    fn imp(lang: Lang, variant: Option<&str>, runtime: Option<&str>) -> Impl {
        Impl {
            lang,
            variant: variant.map(String::from),
            runtime: runtime.map(name),
        }
    }

    fn toolchain(lang: Lang, runtime: Option<&str>, version: &str) -> Toolchain {
        Toolchain::for_tests(lang, runtime, version)
    }

    /// nbody in node, node@bun, node@deno and python; parallel in
    /// python-threads, python-threads@python3.13t (W=1) and node.
    fn file() -> ResultsFile {
        let mut r: ResultsFile =
            serde_json::from_str(include_str!("../../tests/fixtures/results/empty.json")).unwrap();
        let cpu = |i: Impl| Benchmark::new("nbody", &i, Size::Quick);
        r.benchmarks = vec![
            cpu(imp(Lang::Node, None, None)),
            cpu(imp(Lang::Node, None, Some("bun"))),
            cpu(imp(Lang::Python, None, None)),
            cpu(imp(Lang::Node, None, Some("deno"))),
            Benchmark::new(
                "parallel",
                &imp(Lang::Python, Some("threads"), None),
                Size::Quick,
            ),
            Benchmark::new(
                "parallel",
                &imp(Lang::Python, Some("threads"), Some("python3.13t")),
                Size::Quick,
            ),
            Benchmark::new("parallel", &imp(Lang::Node, None, None), Size::Quick),
        ];
        r.toolchains = vec![
            toolchain(Lang::Node, None, "v20"),
            toolchain(Lang::Python, None, "3.11"),
            toolchain(Lang::Python, Some("python3.13t"), "3.13"),
            toolchain(Lang::Node, Some("deno"), "deno 2"),
            toolchain(Lang::Node, Some("bun"), "1.2"),
        ];
        r.skipped = vec![
            Skipped {
                lang: Lang::Node,
                runtime: Some(name("bun")),
                workload: Some("http".into()),
                reason: "cannot".into(),
            },
            Skipped {
                lang: Lang::Node,
                runtime: None,
                workload: Some("json".into()),
                reason: "no implementation".into(),
            },
        ];
        r
    }

    fn labels(r: &ResultsFile) -> Vec<String> {
        r.benchmarks.iter().map(Benchmark::label).collect()
    }

    #[test]
    fn other_runtimes_by_language_then_as_the_toolchains_list_them() {
        assert_eq!(
            other_runtimes(&file()),
            [
                (Lang::Node, name("deno")),
                (Lang::Node, name("bun")),
                (Lang::Python, name("python3.13t")),
            ]
        );
        let mut defaults = file();
        defaults.benchmarks.retain(|b| b.runtime.is_none());
        assert!(
            other_runtimes(&defaults).is_empty(),
            "a toolchain alone is not a column"
        );
    }

    #[test]
    fn the_runtime_replaces_the_default_of_its_language_only() {
        let r = standing_in(&file(), Lang::Node, &name("bun"));
        assert_eq!(
            labels(&r),
            [
                "nbody/node",
                "nbody/python",
                "nbody/node@deno",
                "parallel/python-threads",
                "parallel/python-threads@python3.13t",
            ],
            "node's default dropped (parallel too: bun did not run it), bun's renamed, \
             the rest as measured"
        );
        let versions: Vec<&str> = r.toolchains.iter().map(|t| t.version.as_str()).collect();
        assert_eq!(versions, ["3.11", "3.13", "deno 2", "1.2"]);
        let bun = r.toolchains.iter().find(|t| t.version == "1.2").unwrap();
        assert_eq!(bun.runtime, None);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].runtime, None);
        assert_eq!(r.skipped[0].workload.as_deref(), Some("http"));
    }

    #[test]
    fn a_variant_run_by_the_runtime_stands_in_for_the_default_variant() {
        let r = standing_in(&file(), Lang::Python, &name("python3.13t"));
        assert_eq!(
            labels(&r),
            [
                "nbody/node",
                "nbody/node@bun",
                "nbody/node@deno",
                "parallel/python-threads",
                "parallel/node",
            ],
            "python's default nbody is gone: the runtime did not run it"
        );
        assert_eq!(r.benchmarks[3].runtime, None);
    }

    #[test]
    fn servers_stand_in_too() {
        let mut r: ResultsFile =
            serde_json::from_str(include_str!("../../tests/fixtures/results/all-suites.json"))
                .unwrap();
        let mut bun = r
            .servers
            .iter()
            .find(|s| s.scenario == "http-json" && s.lang == Lang::Node)
            .unwrap()
            .clone();
        bun.runtime = Some(name("bun"));
        bun.levels[0].requests_per_sec = 123.0;
        r.servers.push(bun);
        let labels = |r: &ResultsFile| -> Vec<String> {
            r.servers
                .iter()
                .filter(|s| s.lang == Lang::Node)
                .map(|s| s.label())
                .collect()
        };
        assert!(labels(&r).contains(&"http-json/node@bun".to_string()));
        let stood = standing_in(&r, Lang::Node, &name("bun"));
        assert_eq!(
            labels(&stood),
            ["http-json/node"],
            "bun ran http-json alone"
        );
        assert_eq!(
            stood.servers.last().unwrap().levels[0].requests_per_sec,
            123.0
        );
        let others = |r: &ResultsFile| r.servers.iter().filter(|s| s.lang != Lang::Node).count();
        assert_eq!(
            others(&stood),
            others(&r),
            "the other languages' servers stay"
        );
    }
}
