fn main() {
    langbench_protocol::main(wl_fannkuch_redux::kernel);
}
