//! Runtime names, the built-ins, user files and their errors.

use super::*;

#[test]
fn names_are_checked() {
    assert!(RuntimeName::parse("python3.13t").is_ok());
    assert!(RuntimeName::parse("go1.24").is_ok());
    for bad in ["", "3node", "Bun", "py py", "a/b"] {
        assert!(RuntimeName::parse(bad).is_err(), "{bad}");
    }
    assert!(RuntimeName::default_of(Lang::Go).is_default_of(Lang::Go));
}

#[test]
fn builtins_have_one_default_per_language_and_unique_names() {
    let all = builtins();
    for lang in Lang::ALL {
        let defaults = all.iter().filter(|d| d.lang == lang && d.is_default());
        assert_eq!(defaults.count(), 1, "{lang}");
    }
    let mut names: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
    names.sort();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n);
    for name in [
        "node22",
        "node24",
        "node26",
        "bun",
        "deno",
        "pypy",
        "python3.13t",
        "go1.24",
    ] {
        assert!(all.iter().any(|d| d.name.as_str() == name), "{name}");
    }
    let go = all.iter().find(|d| d.name.as_str() == "go1.24").unwrap();
    assert_eq!(go.env, [("GOTOOLCHAIN".into(), "go1.24.0".into())]);
}

#[test]
fn every_installable_runtime_is_a_built_in_one() {
    let all = builtins();
    for runtime in super::super::install::Installable::ALL {
        let def = all.iter().find(|d| d.name.as_str() == runtime.name());
        let def = def.unwrap_or_else(|| panic!("{}", runtime.name()));
        if let Some(link) = runtime.link_name() {
            assert_eq!(def.program, link, "{}", runtime.name());
        }
    }
}

#[test]
fn a_user_file_adds_and_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("runtimes.json");
    std::fs::write(
        &file,
        r#"{"runtimes": [
            {"name": "mypy", "lang": "py", "program": "bin/python", "env": {"PYTHON_GIL": "0"},
             "unsupported": [{"workload": "http", "implementation": "python", "reason": "no wheels"}]},
            {"name": "bun", "lang": "node", "program": "/opt/bun/bin/bun"}
        ]}"#,
    )
    .unwrap();
    let catalog = Catalog::load(Some(&file)).unwrap();
    let mypy = catalog.get("mypy").unwrap();
    assert_eq!(mypy.lang, Lang::Python);
    assert_eq!(mypy.env, [("PYTHON_GIL".into(), "0".into())]);
    assert_eq!(mypy.version_args, ["--version"]);
    assert_eq!(
        mypy.unsupported,
        [Unsupported {
            workload: "http".into(),
            implementation: "python".into(),
            reason: "no wheels".into()
        }]
    );
    assert_eq!(catalog.get("bun").unwrap().program, "/opt/bun/bin/bun");
    assert_eq!(
        catalog
            .all()
            .iter()
            .filter(|d| d.name.as_str() == "bun")
            .count(),
        1
    );
    // A path is taken relative to the file, and reported missing as such.
    let paths = Paths::resolve(Some(dir.path()));
    let err = mypy.find(&paths).unwrap_err();
    assert!(err.contains("'bin/python' not found"), "{err}");
}

#[test]
fn a_broken_user_file_names_the_file_and_field() {
    let file = Path::new("/x/runtimes.json");
    let err = |text: &str| parse_user_file(text, file).unwrap_err();
    assert!(err("{").starts_with("/x/runtimes.json: not valid JSON"));
    assert_eq!(
        err(r#"{"runs": []}"#),
        "/x/runtimes.json: needs a \"runtimes\" array"
    );
    assert_eq!(
        err(r#"{"runtimes": [{"name": "a", "lang": "cobol", "program": "x"}]}"#),
        "/x/runtimes.json: runtimes[0] (a): field \"lang\" must be node, python, go or rust"
    );
    assert_eq!(
        err(r#"{"runtimes": [{"name": "a", "lang": "go"}]}"#),
        "/x/runtimes.json: runtimes[0] (a): field \"program\" is required (a name on PATH or a path)"
    );
    assert!(
        err(r#"{"runtimes": [{"name": "A", "lang": "go", "program": "x"}]}"#)
            .contains("field \"name\" is not valid: 'A' is not a runtime name")
    );
    assert!(
        err(r#"{"runtimes": [{"name": "a", "lang": "go", "program": "x", "args": "-v"}]}"#)
            .ends_with("field \"args\" must be an array of strings")
    );
    assert!(
        err(r#"{"runtimes": [{"name": "a", "lang": "go", "program": "x", "colour": 1}]}"#)
            .contains("field \"colour\" is not known")
    );
    assert!(err(
        r#"{"runtimes": [{"name": "a", "lang": "go", "program": "x"}, {"name": "a", "lang": "go", "program": "y"}]}"#
    )
    .contains("runtimes[1] (a): field \"name\" repeats"));
}

#[test]
fn unknown_names_list_the_known_ones() {
    let catalog = Catalog::load(None).unwrap();
    let err = catalog.get("jython").unwrap_err();
    assert!(err.starts_with("unknown runtime 'jython' (known: node, python, go, rust, node22"));
    assert_eq!(catalog.default_of(Lang::Python).program, "python3");
}
