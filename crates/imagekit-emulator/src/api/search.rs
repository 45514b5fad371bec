//! The `searchQuery` language of `GET /v1/files`, and ISO-8601 date parsing
//! shared with custom metadata validation.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parse an ISO-8601 date (`2025-01-31`) or date-time (`2025-01-31T10:20`,
/// `2025-01-31T10:20:30.123Z`, `...+05:30`) to milliseconds since the epoch.
/// A date-time without a zone is UTC. `None` when it is not such a date.
pub fn parse_iso_millis(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let num = |from: usize, to: usize| -> Option<i64> {
        let digits = b.get(from..to)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |acc, d| acc.checked_mul(10)?.checked_add(i64::from(d - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut millis = days_from_civil(y, m, d) * 86_400_000;
    let rest = b.get(10..)?;
    if rest.is_empty() {
        return Some(millis);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let t = &rest[1..];
    let tnum = |from: usize, to: usize| -> Option<i64> {
        let digits = t.get(from..to)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    let (h, mi) = (tnum(0, 2)?, tnum(3, 5)?);
    if t.get(2) != Some(&b':') || h > 23 || mi > 59 {
        return None;
    }
    millis += (h * 3600 + mi * 60) * 1000;
    let mut i = 5;
    if t.get(5) == Some(&b':') {
        let sec = tnum(6, 8)?;
        if sec > 60 {
            return None;
        }
        millis += sec * 1000;
        i = 8;
        if t.get(8) == Some(&b'.') {
            let start = 9;
            let mut end = start;
            while t.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &t[start..end.min(start + 3)];
            let mut ms = frac.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            for _ in frac.len()..3 {
                ms *= 10;
            }
            millis += ms;
            i = end;
        }
    }
    let zone = &t[i.min(t.len())..];
    match zone {
        [] | [b'Z' | b'z'] => Some(millis),
        [sign @ (b'+' | b'-'), ..] => {
            let z = &zone[1..];
            let digit = |k: usize| z.get(k).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
            let (oh, om) = match z.len() {
                2 => (digit(0)? * 10 + digit(1)?, 0),
                4 => (digit(0)? * 10 + digit(1)?, digit(2)? * 10 + digit(3)?),
                5 if z[2] == b':' => (digit(0)? * 10 + digit(1)?, digit(3)? * 10 + digit(4)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = (oh * 60 + om) * 60_000;
            Some(if *sign == b'+' { millis - offset } else { millis + offset })
        }
        _ => None,
    }
}

#[cfg(test)]
mod date_tests {
    use super::parse_iso_millis;

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso_millis("1970-01-01"), Some(0));
        assert_eq!(parse_iso_millis("2026-01-01T00:00:00.123Z"), Some(1_767_225_600_123));
        assert_eq!(parse_iso_millis("2000-02-29"), Some(951_782_400_000));
        assert_eq!(parse_iso_millis("1970-01-01T01:00+01:00"), Some(0));
        assert_eq!(parse_iso_millis("1970-01-01T00:00:01"), Some(1000));
        assert_eq!(parse_iso_millis("1970-01-01T00:00:00.5Z"), Some(500));
        for bad in ["", "2001-02-29", "2020-13-01", "2020-1-01", "2020-01-01T", "2020-01-01T25:00", "2020-01-01X", "７"]
        {
            assert_eq!(parse_iso_millis(bad), None, "{bad}");
        }
    }
}
