//! The claims parser: the article's file, and errors naming claim and field.

use super::*;

#[test]
fn the_article_claims_parse() {
    let file = parse_claims(ARTICLE_CLAIMS).unwrap();
    assert!(file.claims.len() >= 10);
    let speed = &file.claims[0];
    assert_eq!(speed.id, "speed-levels");
    let ClaimBody::Tests(tests) = &speed.body else {
        panic!("tests")
    };
    assert_eq!(
        tests[0].relation,
        Relation::Better(vec![
            ("rust".into(), "go".into()),
            ("go".into(), "node".into()),
            ("node".into(), "python".into())
        ])
    );
    assert!(file
        .claims
        .iter()
        .any(|c| matches!(c.body, ClaimBody::NotMeasurable(_))));
}

#[test]
fn errors_name_the_claim_and_the_field() {
    let good = r#"{"source": "s", "claims": [{"id": "c1", "topic": "t", "quote": "q",
        "tests": [{"metric": "kernel_time", "order": ["rust", "go"]}]}]}"#;
    assert!(parse_claims(good).is_ok());
    let cases = [
        (
            good.replace("kernel_time", "speed"),
            "claim 'c1': field 'tests[0].metric' is 'speed'",
        ),
        (
            good.replace("\"order\": [\"rust\", \"go\"]", "\"order\": [\"rust\"]"),
            "claim 'c1': field 'tests[0].order'",
        ),
        (
            good.replace("\"order\"", "\"sorted\""),
            "claim 'c1': field 'tests[0]' needs exactly one relation",
        ),
        (
            good.replace("\"quote\": \"q\",", ""),
            "claim 'c1': missing field 'quote'",
        ),
        (
            good.replace("kernel_time", "speedup"),
            "claim 'c1': missing field 'tests[0].workload'",
        ),
        (
            good.replace(
                "\"order\": [\"rust\", \"go\"]",
                "\"similar\": [[\"rust\", \"go\"]]",
            ),
            "claim 'c1': field 'tests[0].tolerance'",
        ),
        (
            good.replace("\"order\"", "\"level\": \"io-bound\", \"order\""),
            "claim 'c1': field 'tests[0].level' is \"io-bound\", which only an io metric",
        ),
        (
            good.replace("\"order\"", "\"level\": \"busy\", \"order\""),
            "claim 'c1': field 'tests[0].level' must be \"max\", \"cores\", \"io-bound\"",
        ),
        (
            good.replace("\"order\"", "\"decides\": \"no\", \"order\""),
            "claim 'c1': field 'tests[0].decides' must be true or false",
        ),
        (
            good.replace("\"order\"", "\"name\": \"\", \"order\""),
            "claim 'c1': field 'tests[0].name' must be a non-empty string",
        ),
        (good.replace("\"id\": \"c1\",", ""), "claims[0].id"),
        ("{nope".to_string(), "not valid JSON"),
    ];
    for (text, want) in cases {
        let err = parse_claims(&text).unwrap_err();
        assert!(err.contains(want), "{err} should contain {want}");
    }
}

#[test]
fn io_bound_names_and_deciding() {
    let text = r#"{"source": "s", "claims": [{"id": "io", "topic": "t", "quote": "q",
        "tests": [{"metric": "ideal_fraction", "scenario": "http-io", "level": "io-bound",
                   "order": ["go", "node", "go"]},
                  {"metric": "ideal_fraction", "scenario": "http-io", "level": "max",
                   "name": "cpu-per-request", "decides": false,
                   "at_least": [["node", 0.5]]}]}]}"#;
    let file = parse_claims(text).unwrap();
    let ClaimBody::Tests(tests) = &file.claims[0].body else {
        panic!("tests")
    };
    assert_eq!(tests[0].level, LevelChoice::IoBound);
    assert_eq!((tests[0].name.as_deref(), tests[0].decides), (None, true));
    assert_eq!(tests[0].implementations(), ["go", "node"]);
    assert_eq!(tests[1].name.as_deref(), Some("cpu-per-request"));
    assert!(!tests[1].decides);
    assert_eq!(tests[1].implementations(), ["node"]);
}
