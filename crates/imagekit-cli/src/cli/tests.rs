use super::*;
use clap::CommandFactory;

#[test]
fn cli_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn parsers() {
    assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
    assert!(parse_seconds("-1").is_err());
    assert!(parse_seconds("x").is_err());
}
