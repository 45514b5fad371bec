use super::*;

#[test]
fn parses_iso_dates() {
    assert_eq!(parse_iso_millis("1970-01-01"), Some(0));
    assert_eq!(parse_iso_millis("2026-01-01T00:00:00.123Z"), Some(1_767_225_600_123));
    assert_eq!(parse_iso_millis("2000-02-29"), Some(951_782_400_000));
    assert_eq!(parse_iso_millis("1970-01-01T01:00+01:00"), Some(0));
    assert_eq!(parse_iso_millis("1970-01-01T00:00:01"), Some(1000));
    assert_eq!(parse_iso_millis("1970-01-01T00:00:00.5Z"), Some(500));
    for bad in ["", "2001-02-29", "2020-13-01", "2020-1-01", "2020-01-01T", "2020-01-01T25:00", "2020-01-01X", "７"] {
        assert_eq!(parse_iso_millis(bad), None, "{bad}");
    }
}

#[test]
fn formats_iso_dates() {
    assert_eq!(iso_from_millis(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_from_millis(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
    assert_eq!(iso_from_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
}

#[test]
fn formats_the_ends_of_the_four_digit_years() {
    assert_eq!(iso_from_millis(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
    assert_eq!(iso_from_millis(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
    assert_eq!(iso_from_millis(-1), "1969-12-31T23:59:59.999Z");
}

#[test]
fn reads_the_extended_form_only() {
    assert_eq!(parse_iso_millis(" 1970-01-01t00:00Z "), Some(0));
    assert_eq!(parse_iso_millis("1970-01-01 00:00:00.1239"), Some(123));
    assert_eq!(parse_iso_millis("1970-01-01T05:30+0530"), Some(0));
    assert_eq!(parse_iso_millis("1970-01-01T00:00-01"), Some(3_600_000));
    assert_eq!(parse_iso_millis("9999-12-31"), Some(253_402_214_400_000));
    assert_eq!(parse_iso_millis("0000-01-01T00:00:00.5"), Some(-62_167_219_199_500));
    // Forms jiff's Temporal grammar accepts but ImageKit's validation does not.
    for wider in [
        "19700101",
        "+001970-01-01",
        "1970-01-01T00",
        "1970-01-01T0000",
        "1970-01-01T00:00:00,5",
        "1970-01-01T00:00+05:30:00",
        "1970-01-01T00:00Z[UTC]",
        "1970-01-01T00:00+24:00",
        "1970-01-01_00:00",
    ] {
        assert_eq!(parse_iso_millis(wider), None, "{wider}");
    }
}
