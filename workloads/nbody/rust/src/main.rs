fn main() {
    langbench_protocol::main(wl_nbody::kernel);
}
