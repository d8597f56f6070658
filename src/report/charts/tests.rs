//! Tests of the charts on a small results file with every suite
//! (`tests/fixtures/results/all-suites.json`, trimmed from a real quick run).

use super::*;
use crate::lang::runtime::RuntimeName;
use crate::lang::Lang;
use crate::results::ResultsFile;

const NAMES: [&str; 13] = [
    "cpu-relative",
    "cpu-geomean",
    "cpu-warmup",
    "cpu-startup",
    "cpu-memory",
    "http-json-rps",
    "http-io-rps",
    "http-io-ideal",
    "http-json-p99",
    "http-io-p99",
    "http-mixed",
    "tasks-memory",
    "parallel-speedup",
];

fn fixture() -> ResultsFile {
    let text = include_str!("../../../tests/fixtures/results/all-suites.json");
    serde_json::from_str(text).expect("fixture parses")
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let img =
        image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("PNG decodes");
    (img.width(), img.height())
}

#[test]
fn every_chart_is_drawn_for_a_file_with_every_suite() {
    let charts = all_charts(&fixture());
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, NAMES);
    for c in &charts {
        assert!(c.svg.starts_with("<svg"), "{}", c.name);
        assert!(c.svg.trim_end().ends_with("</svg>"), "{}", c.name);
        assert!(c.svg.contains(&c.title), "{}: title missing", c.name);
        assert!(c.svg.contains("DejaVu Sans"), "{}: font family", c.name);
        assert!(
            !c.caption.is_empty() && c.caption.ends_with('.'),
            "{}",
            c.name
        );
        assert!(c.png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", c.name);
        let (w, h) = png_size(&c.png);
        assert_eq!(w, 800, "{}", c.name);
        assert!(
            c.svg.contains(&format!("width=\"{w}\"")) && c.svg.contains(&format!("height=\"{h}\""))
        );
    }
}

#[test]
fn legends_name_every_series() {
    let charts = all_charts(&fixture());
    let find = |name: &str| charts.iter().find(|c| c.name == name).unwrap().svg.clone();
    for (chart, labels) in [
        ("cpu-relative", &["node", "python", "go", "rust"][..]),
        (
            "http-json-rps",
            &["node", "python", "python-flask", "go", "rust"][..],
        ),
        (
            "tasks-memory",
            &["python-threads", "rust-threads", "node", "go"][..],
        ),
        (
            "parallel-speedup",
            &["python-threads", "python-processes", "ideal speedup (= W)"][..],
        ),
    ] {
        let svg = find(chart);
        for label in labels {
            // Plotters writes each text element's content on its own line.
            let text = format!("\n{label}\n</text>");
            assert!(svg.contains(&text), "{chart}: legend lacks {label}");
        }
    }
}

#[test]
fn a_level_that_did_not_pass_is_named_not_hidden() {
    let chart = tasks_memory(&fixture()).unwrap();
    let note = "rust-threads at N=100000: stopped at a resource limit";
    assert!(chart.caption.contains(note), "{}", chart.caption);
    // The legend wraps the note over lines; its first words share one.
    assert!(
        chart.svg.contains("rust-threads at"),
        "legend lacks the note"
    );
}

#[test]
fn geomean_bars_carry_the_article_levels() {
    let svg = cpu_geomean(&fixture()).unwrap().svg;
    for level in ["Extremely High", "Very High", "Moderate", "Low"] {
        assert!(svg.contains(level), "{level}");
    }
}

#[test]
fn a_language_has_the_same_colour_in_every_chart() {
    let results = fixture();
    let python = svg_colour(lang_colour(Lang::Python));
    let relative = cpu_relative(&results).unwrap().svg;
    let rps = http_json_rps(&results).unwrap().svg;
    assert!(relative.contains(&python) && rps.contains(&python));
    let colours: Vec<String> = Lang::ALL
        .iter()
        .map(|&l| svg_colour(lang_colour(l)))
        .collect();
    let mut distinct = colours.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
}

#[test]
fn charts_without_data_are_skipped() {
    let mut results = fixture();
    results.servers.clear();
    let names: Vec<String> = all_charts(&results).into_iter().map(|c| c.name).collect();
    assert!(!names.iter().any(|n| n.starts_with("http-")), "{names:?}");
    assert!(names.contains(&"cpu-relative".to_string()));
    results.benchmarks.clear();
    assert!(all_charts(&results).is_empty());
}

#[test]
fn odd_data_draws_without_panicking() {
    let mut results = fixture();
    // Zeros everywhere a log scale would choke, and one level per server.
    for b in &mut results.benchmarks {
        if let Some(s) = b.summary.as_mut() {
            s.max_rss_bytes.median = 0.0;
            s.kernel_ns.median = 0.0;
        }
    }
    for s in &mut results.servers {
        s.levels.truncate(1);
        for l in &mut s.levels {
            l.requests_per_sec = 0.0;
            l.latency_us.p99 = 0;
        }
    }
    for c in all_charts(&results) {
        assert!(c.svg.starts_with("<svg"), "{}", c.name);
    }
    let mut one = fixture();
    one.benchmarks.truncate(1);
    one.servers.truncate(1);
    assert!(all_charts(&one).iter().any(|c| c.name == "cpu-relative"));
}

#[test]
fn the_embedded_font_draws_glyphs_into_the_png() {
    // A chart's PNG holds dark text pixels in its title row; without a
    // usable font the title would be blank (plotters draws no fallback).
    let chart = cpu_relative(&fixture()).unwrap();
    let img = image::load_from_memory(&chart.png).unwrap().to_rgb8();
    let dark = (0..img.width())
        .flat_map(|x| (5..30).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 100))
        .count();
    assert!(dark > 50, "only {dark} dark pixels in the title row");
}

#[test]
fn the_instruction_chart_is_drawn_beside_cpu_relative_only_with_counts() {
    let mut results = fixture();
    assert!(cpu_instructions(&results).is_none());
    crate::report::counts::testing::add_counts(&mut results, 1.02);
    let charts = all_charts(&results);
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names[..2], ["cpu-relative", "cpu-instructions"]);
    assert_eq!(names.len(), NAMES.len() + 1);
    let chart = &charts[1];
    assert!(chart.caption.contains("Instructions are not time"));
    assert!(chart.caption.contains("claims are decided on time"));
    // Two CPU workloads and parallel W=1: as wide as cpu-relative (it
    // widens beyond five workloads).
    assert_eq!(png_size(&chart.png).0, 800);
    for label in ["python-threads", "Rust (1×)", "W=1"] {
        assert!(chart.svg.contains(label), "legend lacks {label}");
    }
    assert!(
        chart.svg.contains("NON-DETERMINISTIC"),
        "flagged counts are named"
    );
}

#[test]
fn the_instruction_chart_names_what_it_cannot_draw() {
    let mut results = fixture();
    crate::report::counts::testing::add_counts(&mut results, 1.0);
    // No Rust count on nbody, and a count of go's binary-trees that failed.
    results
        .benchmarks
        .retain(|b| !(b.workload == "nbody" && b.lang == Lang::Rust));
    let go = results
        .benchmarks
        .iter_mut()
        .find(|b| b.workload == "binary-trees" && b.lang == Lang::Go)
        .unwrap();
    go.counting.as_mut().unwrap().summary = None;
    let svg = cpu_instructions(&results).unwrap().svg;
    assert!(svg.contains("nbody: no Rust"), "{svg}");
    assert!(svg.contains("binary-trees/go: no count"), "{svg}");
    assert!(!svg.contains("NON-DETERMINISTIC"));
    // Without any Rust count there is nothing to draw.
    results.benchmarks.retain(|b| b.lang != Lang::Rust);
    assert!(cpu_instructions(&results).is_none());
}

#[test]
fn the_warm_up_chart_has_a_panel_per_workload_and_marks_the_warm_up() {
    let mut results = fixture();
    let plain = cpu_warmup(&results).unwrap();
    // The fixture's runs are too short to classify: lines, no boundary.
    assert!(!plain.svg.contains("end of warm-up"), "no boundary");
    // Node warms up over 3 of 20 iterations on every CPU workload.
    for b in results
        .benchmarks
        .iter_mut()
        .filter(|b| b.lang == Lang::Node)
    {
        for run in &mut b.runs {
            run.iterations_ns = [900, 600, 400].into_iter().chain([100; 17]).collect();
            run.steady = crate::results::Steady::of(&run.iterations_ns);
        }
    }
    crate::results::summary::summarize_all(&mut results.benchmarks);
    let chart = cpu_warmup(&results).unwrap();
    let workloads = distinct_in_order(
        results
            .benchmarks
            .iter()
            .filter(|b| b.level.is_none())
            .map(|b| b.workload.as_str()),
    );
    for w in &workloads {
        assert!(chart.svg.contains(&format!("\n{w}\n</text>")), "panel {w}");
    }
    assert!(chart.svg.contains("end of warm-up"));
    let (w, h) = png_size(&chart.png);
    let rows = workloads.len().div_ceil(2) as u32;
    assert_eq!((w, h), (800, 40 + 260 * rows));
    assert!(chart.caption.contains("warm-up ends"));
}

/// The fixture with http-io's go at c=100 in three rounds on a busy core
/// (CPU-bound), and rust's at c=100 with the generator's core saturated.
fn with_io_rounds() -> ResultsFile {
    use crate::results::LevelRound;
    let mut results = fixture();
    for s in results
        .servers
        .iter_mut()
        .filter(|s| s.scenario == "http-io")
    {
        let (server_ms, generator_ms) = match s.lang {
            Lang::Go => (950, 300),
            Lang::Rust => (400, 980),
            _ => continue,
        };
        let template = s.levels[1].clone();
        for (i, factor) in [1.0, 1.05, 0.95].into_iter().enumerate() {
            let mut report = template.clone();
            report.requests_per_sec *= factor;
            let round = LevelRound {
                round: i as u32,
                report,
                loaded: None,
                background: None,
                window_ns: 1_000_000_000,
                server_cpu_ns: Some(server_ms * 1_000_000),
                server_wait_ns: Some(0),
                generator_cpu_ns: Some(generator_ms * 1_000_000),
                generator_wait_ns: Some(0),
            };
            s.add_round(template.connections, round, 1);
        }
    }
    results
}

#[test]
fn rounds_draw_error_bars_and_marks_are_drawn_and_said() {
    let results = with_io_rounds();
    for chart in [http_io_rps(&results), http_io_ideal(&results)] {
        let chart = chart.unwrap();
        assert!(
            chart
                .caption
                .contains("Error bars: the 95% bootstrap interval of the median over 3 rounds"),
            "{}",
            chart.caption
        );
        assert!(
            chart
                .caption
                .contains("a ring marks a level where the server was CPU-bound"),
            "{}",
            chart.caption
        );
        assert!(
            chart
                .caption
                .contains("rust: 100 connections generator-bound"),
            "{}",
            chart.caption
        );
        let ring = format!("r=\"{}\"", super::canvas::RING_RADIUS);
        assert_eq!(chart.svg.matches(&ring).count(), 1, "one CPU-bound point");
        // The legend wraps its label; its first words share one line.
        assert!(chart.svg.contains("ring: server"), "legend lacks the ring");
    }
    // A file measured once has neither.
    let plain = http_io_rps(&fixture()).unwrap();
    assert!(!plain.caption.contains("Error bars"), "{}", plain.caption);
    assert!(!plain.caption.contains("ring"), "{}", plain.caption);
}

fn imp(lang: Lang, variant: Option<&str>, runtime: Option<&str>) -> Impl {
    Impl {
        lang,
        variant: variant.map(String::from),
        runtime: runtime.map(|r| RuntimeName::parse(r).unwrap()),
    }
}

/// The fixture with node's CPU benchmarks run again by `runtimes`, each
/// `factor` times node's kernel time, and python-threads' parallel levels
/// by python3.13t.
fn with_runtimes(runtimes: &[(&str, f64)]) -> ResultsFile {
    let mut results = fixture();
    let node: Vec<Benchmark> = results
        .benchmarks
        .iter()
        .filter(|b| b.lang == Lang::Node && b.level.is_none())
        .cloned()
        .collect();
    for (name, factor) in runtimes {
        for b in &node {
            let mut b = b.clone();
            b.runtime = Some(RuntimeName::parse(name).unwrap());
            let s = b.summary.as_mut().unwrap();
            s.kernel_ns.median *= factor;
            s.kernel_ns.ci_low *= factor;
            s.kernel_ns.ci_high *= factor;
            results.benchmarks.push(b);
        }
    }
    let threads: Vec<Benchmark> = results
        .benchmarks
        .iter()
        .filter(|b| b.workload == "parallel" && b.variant.as_deref() == Some("threads"))
        .cloned()
        .collect();
    for mut b in threads {
        b.runtime = Some(RuntimeName::parse("python3.13t").unwrap());
        results.benchmarks.push(b);
    }
    results
}

#[test]
fn runtimes_of_a_language_look_different_from_each_other_and_from_variants() {
    let looks: Vec<(Impl, SeriesStyle)> = [
        imp(Lang::Node, None, None),
        imp(Lang::Node, None, Some("bun")),
        imp(Lang::Node, None, Some("deno")),
        imp(Lang::Node, None, Some("node22")),
        imp(Lang::Node, None, Some("node24")),
        imp(Lang::Node, None, Some("node26")),
        imp(Lang::Node, None, Some("a-user-runtime")),
        imp(Lang::Python, None, None),
        imp(Lang::Python, Some("threads"), None),
        imp(Lang::Python, Some("processes"), None),
        imp(Lang::Python, Some("flask"), None),
        imp(Lang::Python, None, Some("pypy")),
        imp(Lang::Python, None, Some("python3.13t")),
        imp(Lang::Python, Some("threads"), Some("python3.13t")),
    ]
    .into_iter()
    .map(|i| {
        let style = SeriesStyle::of(&i);
        (i, style)
    })
    .collect();
    for (i, (a, sa)) in looks.iter().enumerate() {
        for (b, sb) in &looks[i + 1..] {
            if a.lang != b.lang {
                continue;
            }
            assert_eq!(sa.colour, sb.colour, "{a} and {b}: the language's colour");
            // Each kind of chart tells them apart: points by their
            // marker, bars by their fill, lines by both marker and dash
            // but for a variant under a runtime, whose dash is the
            // runtime's and whose marker the variant's.
            assert_ne!(
                (sa.marker(), sa.hollow()),
                (sb.marker(), sb.hollow()),
                "{a}, {b}"
            );
            assert_ne!(sa.bar_fill(), sb.bar_fill(), "{a}, {b}");
            if a.runtime.is_none() || a.variant == b.variant {
                assert_ne!(sa.dash(), sb.dash(), "{a}, {b}");
            }
        }
    }
}

#[test]
fn charts_keep_runtimes_apart_in_chart_order() {
    let results = with_runtimes(&[("deno", 2.0), ("bun", 0.5)]);
    let imps = implementations(
        cpu::cpu_benchmarks(&results)
            .iter()
            .map(|b| b.imp())
            .filter(|i| i.lang == Lang::Node),
    );
    let names: Vec<&str> = imps.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["node", "node@bun", "node@deno"]);
    // Each matches its own benchmarks only.
    for i in &imps {
        let nbody: Vec<&Benchmark> = results
            .benchmarks
            .iter()
            .filter(|b| b.workload == "nbody" && i.measured(b))
            .collect();
        assert_eq!(nbody.len(), 1, "{}", i.name);
        assert_eq!(nbody[0].implementation(), i.name);
    }
    for chart in [
        cpu_relative(&results),
        cpu_geomean(&results),
        cpu_memory(&results),
    ] {
        let chart = chart.unwrap();
        let at = |label: &str| {
            chart
                .svg
                .find(&format!("\n{label}\n</text>"))
                .unwrap_or_else(|| panic!("{}: no {label}", chart.name))
        };
        assert!(
            at("node") < at("node@bun") && at("node@bun") < at("node@deno"),
            "{}: legend in chart order",
            chart.name
        );
    }
    // A label too long for the legend breaks before its runtime.
    let speedup = parallel_speedup(&results).unwrap().svg;
    for line in ["python-threads", "@python3.13t"] {
        assert!(speedup.contains(&format!("\n{line}\n</text>")), "{line}");
    }
    // The runtimes' hollow markers are drawn: a path in node's colour
    // around a white inside, which no plain implementation has.
    let node = svg_colour(lang_colour(Lang::Node));
    let plain = cpu_relative(&fixture()).unwrap().svg;
    let relative = cpu_relative(&results).unwrap().svg;
    let outlined = |svg: &str| {
        svg.matches(&format!("stroke=\"{node}\" stroke-width=\"2\""))
            .count()
    };
    assert!(
        outlined(&relative) > outlined(&plain),
        "hollow markers of bun and deno"
    );
}
