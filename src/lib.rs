//! langbench: build, run, verify and measure equivalent workloads written in
//! Node.js, Python, Go and Rust.
//!
//! Data flows one way: command line ([`cli`]) -> validated settings
//! ([`config`]) -> workloads and toolchains ([`workload`], [`lang`]) -> the
//! run loops ([`suite`], [`io_suite`], [`concurrency_suite`]) driving the [`runner`] -> raw runs and summaries
//! ([`stats`], [`results`]) -> tables ([`report`]). See ARCHITECTURE.md.

pub mod affinity;
pub mod claims;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod config;
pub mod cputime;
pub mod exit;
pub mod fsutil;
pub mod history;
pub mod kinds;
pub mod lang;
pub mod load;
pub mod machine;
pub mod metrics;
pub mod paths;
pub mod report;
pub mod results;
pub mod runner;
pub mod stats;
pub mod suite;
pub mod workload;
