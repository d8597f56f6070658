//! tasks workload, Rust implementation with tokio tasks: the binary runs the
//! kernel of the library through the shared protocol helper.

fn main() {
    langbench_protocol::main(wl_tasks::kernel);
}
