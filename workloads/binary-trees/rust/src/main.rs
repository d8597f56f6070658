fn main() {
    langbench_protocol::main(wl_binary_trees::kernel);
}
