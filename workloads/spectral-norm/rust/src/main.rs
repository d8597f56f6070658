fn main() {
    langbench_protocol::main(wl_spectral_norm::kernel);
}
