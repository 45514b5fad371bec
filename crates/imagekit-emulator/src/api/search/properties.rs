//! Properties of the query parser, the surface of the search fuzz target in
//! `fuzz/`: arbitrary input never panics and always gets an answer.

use proptest::prelude::*;

use super::Query;

/// Text that looks like search queries: fields, operators, literals, brackets.
fn query_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("name".to_owned()),
        Just("tags".to_owned()),
        Just("size".to_owned()),
        Just("createdAt".to_owned()),
        Just("private".to_owned()),
        Just("AND".to_owned()),
        Just("OR".to_owned()),
        Just("NOT".to_owned()),
        Just("IN".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just("=".to_owned()),
        Just(":".to_owned()),
        Just(">=".to_owned()),
        Just("<".to_owned()),
        Just("\"7d\"".to_owned()),
        Just("50kb".to_owned()),
        Just("true".to_owned()),
        "\"[a-z ]{0,6}\"",
        "[0-9]{1,4}",
        "\\PC{0,4}",
    ];
    prop::collection::vec(token, 0..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn search_queries_parse_or_fail_cleanly(text in query_text()) {
        let _ = Query::parse(&text, 1_700_000_000_000);
    }

    #[test]
    fn arbitrary_text_never_panics_the_search_parser(text in "\\PC{0,64}") {
        let _ = Query::parse(&text, 0);
    }
}
