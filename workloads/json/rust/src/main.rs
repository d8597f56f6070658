fn main() {
    langbench_protocol::main(wl_json::kernel);
}
