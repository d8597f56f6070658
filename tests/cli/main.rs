//! langbench as a user sees it: the binary run in a temporary project.

mod builds;
mod cachegrind;
mod compare;
mod concurrency;
mod counts;
mod export;
mod faults;
mod history;
mod input;
mod instructions;
mod layers;
mod load;
mod output;
mod report;
mod rounds;
mod runner;
mod runtimes;
mod servers;
mod shard;
mod slowdown;
mod sources;
mod steady;
mod util;
mod workloads;
