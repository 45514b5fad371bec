//! ISO-8601 timestamps as the emulator reads and writes them, on jiff's
//! calendar: written as `2025-01-02T03:04:05.678Z` (UTC, milliseconds, as
//! ImageKit writes them), read in the extended form ImageKit's API accepts.

use jiff::SignedDuration;
use jiff::civil::{DateTime, Time};
use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;

/// 1970-01-01T00:00:00, UTC: timestamps are milliseconds since it.
const EPOCH: DateTime = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

/// `millis` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn iso_from_millis(millis: i64) -> String {
    let datetime = EPOCH.saturating_add(SignedDuration::from_millis(millis));
    format!("{datetime:.3}Z")
}

/// Parse an ISO-8601 date (`2025-01-31`) or date-time (`2025-01-31T10:20`,
/// `2025-01-31T10:20:30.123Z`, `...+05:30`) to milliseconds since the epoch.
/// A date-time without a zone is UTC. `None` when it is not such a date.
pub(crate) fn parse_iso_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if !extended_form(s) {
        return None;
    }
    let pieces = Pieces::parse(s).ok()?;
    let offset = pieces.offset().map_or(Offset::UTC, |o| o.to_numeric_offset());
    // Offsets are whole minutes below a day (`+05:30`), as JavaScript reads them.
    if offset.seconds().abs() >= 24 * 3600 || offset.seconds() % 60 != 0 {
        return None;
    }
    let time = pieces.time().unwrap_or(Time::midnight());
    // Whole seconds, then the milliseconds of the fraction (digits past the
    // third are dropped, never rounded). Civil arithmetic, not `Timestamp`:
    // it covers all of years 0000-9999.
    let whole = pieces.date().to_datetime(Time::new(time.hour(), time.minute(), time.second(), 0).ok()?);
    let secs = whole.duration_since(EPOCH).as_secs() - i64::from(offset.seconds());
    Some(secs * 1000 + i64::from(time.subsec_nanosecond() / 1_000_000))
}

/// The subset of ISO-8601 the emulator has always accepted, which jiff's
/// (Temporal's) grammar widens: `YYYY-MM-DD`, then optionally `T`, `t` or a
/// space and `HH:MM`, optional `:SS` and `.fraction`, and optionally `Z` or
/// an offset `±HH`, `±HHMM`, `±HH:MM`. Refused here: basic format
/// (`20250131`), signed six-digit years, hour-only times, comma fractions,
/// offsets with seconds and `[zone]` annotations.
fn extended_form(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.get(13) != Some(&b':') {
        return false;
    }
    if b.contains(&b'[') || b.contains(&b',') {
        return false;
    }
    match b[11..].iter().rposition(|c| matches!(c, b'+' | b'-')) {
        Some(i) => {
            let zone = &b[11 + i + 1..];
            matches!(zone.len(), 2 | 4) || (zone.len() == 5 && zone[2] == b':')
        }
        None => true,
    }
}

#[cfg(test)]
mod tests;
