//! parallel workload, Rust implementation with std threads: the binary runs
//! the kernel of the library through the shared protocol helper, with the
//! worker count from `--workers`.

fn main() {
    langbench_protocol::main_with_workers(wl_parallel::kernel);
}
