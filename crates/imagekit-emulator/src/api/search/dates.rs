//! Date values of a query: ISO-8601, or relative to now (`7d`).

use crate::dates::parse_iso_millis;

/// A relative date (`7d`) or an ISO-8601 one, as milliseconds.
pub(super) fn parse_date(s: &str, now: i64) -> Option<(i64, bool)> {
    let s = s.trim();
    if let Some(unit) = s.chars().last().filter(char::is_ascii_alphabetic) {
        let n = &s[..s.len() - 1];
        if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
            let n: i64 = n.parse().ok()?;
            let ms: i64 = match unit {
                'h' => 3_600_000,
                'd' => 86_400_000,
                'w' => 7 * 86_400_000,
                'm' => 30 * 86_400_000,
                'y' => 365 * 86_400_000,
                _ => return None,
            };
            return Some((now.checked_sub(n.checked_mul(ms)?)?, false));
        }
    }
    parse_iso_millis(s).map(|t| (t, s.len() == 10))
}
