//! Criterion benchmarks of the harness's own hot paths, the code that runs
//! between or around measurements and must stay cheap next to them:
//!
//! - `stats/*`: a summary with its 10,000-resample bootstrap interval, which
//!   every metric of every benchmark gets after every round;
//! - `results/*`: reading the reference results file (`results/reference/
//!   default-run.json`) and re-summarising all of its benchmarks, as a run
//!   does after each round;
//! - `load/*`: the load generator's response parser on keep-alive responses
//!   (Content-Length and chunked, alone, pipelined and incomplete);
//! - `compare/*`: `langbench compare` of the reference file with itself.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use langbench::compare::compare;
use langbench::kinds::Metric;
use langbench::load::http::{parse_response, Body};
use langbench::results::{store, summary, ResultsFile};
use langbench::stats::Sample;

/// The results file the `results` and `compare` benchmarks read.
fn reference_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results/reference/default-run.json")
}

fn stats(c: &mut Criterion) {
    let mut group = c.benchmark_group("stats");
    // 5: a default run's measured runs per benchmark; 30: a long one.
    for n in [5usize, 30] {
        let values: Vec<f64> = (0..n)
            .map(|i| 1e6 + (i * 7919 % 101) as f64 * 1e3)
            .collect();
        let sample = Sample::new(values).expect("valid sample");
        group.bench_function(format!("summarize_10k_resamples/n{n}"), |b| {
            b.iter(|| {
                black_box(&sample).summarize(langbench::stats::RESAMPLES, langbench::stats::SEED)
            })
        });
    }
    group.finish();
}

fn results(c: &mut Criterion) {
    let path = reference_path();
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("reading '{}': {e}", path.display()));
    let reference: ResultsFile = serde_json::from_slice(&bytes).expect("reference parses");
    let mut group = c.benchmark_group("results");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse_reference", |b| {
        b.iter(|| serde_json::from_slice::<ResultsFile>(black_box(&bytes)).expect("parses"))
    });
    // What `compare` and `report` do: read the file, check its schema
    // version through a `serde_json::Value`, then convert.
    group.bench_function("load_reference", |b| {
        b.iter(|| store::load(black_box(&path)).expect("loads"))
    });
    group.bench_function("to_bytes_reference", |b| {
        b.iter(|| store::to_bytes(black_box(&reference)))
    });
    // The summaries of every benchmark (five metrics each, bootstrap
    // included), recomputed from the raw runs.
    group.throughput(Throughput::Elements(reference.benchmarks.len() as u64));
    group.bench_function("summarize_all_reference", |b| {
        b.iter_batched_ref(
            || reference.benchmarks.clone(),
            |benchmarks| summary::summarize_all(benchmarks),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// The body of the `http-json` scenario (`workloads/http/manifest.json`).
const JSON_BODY: &[u8] = br#"{"message":"Hello, World!"}"#;

/// A keep-alive response with a Content-Length, headers as Go's net/http sends them.
fn content_length_response() -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
         Date: Fri, 27 Nov 2026 08:40:00 GMT\r\nContent-Length: {}\r\n\r\n",
        JSON_BODY.len()
    )
    .into_bytes();
    r.extend_from_slice(JSON_BODY);
    r
}

/// A keep-alive chunked response, headers as Node's http module sends them
/// when the body is written without a length: the body in two chunks.
fn chunked_response() -> Vec<u8> {
    let (a, b) = JSON_BODY.split_at(12);
    let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
        Date: Fri, 27 Nov 2026 08:40:00 GMT\r\nConnection: keep-alive\r\n\
        Keep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for chunk in [a, b] {
        r.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        r.extend_from_slice(chunk);
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(b"0\r\n\r\n");
    r
}

/// Parses every response in `buf` as the load generator does (parse, check
/// status and body, drop the consumed bytes); returns how many it found.
fn parse_all(mut buf: &[u8], scratch: &mut Vec<u8>) -> usize {
    let mut count = 0;
    while let Some(p) = parse_response(buf, scratch).expect("valid response") {
        let body = match p.body {
            Body::InBuffer(a, b) => &buf[a..b],
            Body::Decoded => scratch.as_slice(),
        };
        assert!((200..300).contains(&p.status) && body == JSON_BODY);
        count += 1;
        buf = &buf[p.consumed..];
    }
    count
}

fn load(c: &mut Criterion) {
    let cl = content_length_response();
    let chunked = chunked_response();
    // 16 responses in one read, alternating the two framings.
    let pipelined: Vec<u8> = (0..8)
        .flat_map(|_| [&cl[..], &chunked[..]].concat())
        .collect();
    // A read that ended inside the body: the parser must ask for more.
    let partial = &cl[..cl.len() - 5];
    let mut scratch = Vec::with_capacity(4096);

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(1));
    group.bench_function("parse_response/content_length", |b| {
        b.iter(|| parse_all(black_box(&cl), &mut scratch))
    });
    group.bench_function("parse_response/chunked", |b| {
        b.iter(|| parse_all(black_box(&chunked), &mut scratch))
    });
    group.bench_function("parse_response/incomplete", |b| {
        b.iter(|| parse_response(black_box(partial), &mut scratch).expect("valid head"))
    });
    group.throughput(Throughput::Elements(16));
    group.bench_function("parse_response/pipelined_16", |b| {
        b.iter(|| parse_all(black_box(&pipelined), &mut scratch))
    });
    group.finish();
    assert_eq!(parse_all(&pipelined, &mut scratch), 16);
    assert_eq!(parse_response(partial, &mut scratch), Ok(None));
}

fn compare_reference(c: &mut Criterion) {
    let reference = store::load(&reference_path()).expect("reference loads");
    let mut group = c.benchmark_group("compare");
    for metric in [Metric::KernelTime, Metric::RequestsPerSecond] {
        group.bench_function(format!("reference_with_itself/{}", metric.name()), |b| {
            b.iter(|| compare(black_box(&reference), black_box(&reference), metric, 5.0))
        });
    }
    group.finish();
}

criterion_group!(benches, stats, results, load, compare_reference);
criterion_main!(benches);
