//! `runtimes install`: the names are checked before anything is installed.
//! (Installs themselves need the network and root, so no test here runs one;
//! the recipes' pure parts are unit tests in `lang::install`.)

use crate::util::TestEnv;

#[test]
fn unknown_runtime_lists_the_installable_names() {
    let env = TestEnv::new(&[]);
    env.cmd()
        .args(["runtimes", "install", "bun", "jython", "all"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: unknown runtime 'jython' (installable: bun, deno, node22, node24, \
             node26, pypy, python3.13t, go1.24, or all)\n",
        );
    // Nothing was installed, not even the first, valid name.
    assert!(!env.root().join("target").exists());
}

#[test]
fn install_needs_a_name() {
    let env = TestEnv::new(&[]);
    env.cmd().args(["runtimes", "install"]).assert().code(2);
}
