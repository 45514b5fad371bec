//! Hamming distance between two perceptual hashes (legacy SDK `pHashDistance`, spec §2.6).

use crate::error::PHashError;

/// Number of differing bits between two hex pHashes (case-insensitive).
///
/// ```
/// use imagekit_url::{phash_distance, PHashError};
///
/// assert_eq!(phash_distance("f06830ca9f1e3e90", "2222222222222222"), Ok(30));
/// assert_eq!(phash_distance("ABCDEF", "abcdef"), Ok(0));
/// assert_eq!(phash_distance("", "ab"), Err(PHashError::Missing));
/// assert_eq!(phash_distance("ab", "abc"), Err(PHashError::UnequalLength));
/// ```
pub fn phash_distance(first: &str, second: &str) -> Result<u32, PHashError> {
    if first.is_empty() || second.is_empty() {
        return Err(PHashError::Missing);
    }
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(first) || !hex(second) {
        return Err(PHashError::InvalidHex);
    }
    if first.len() != second.len() {
        return Err(PHashError::UnequalLength);
    }
    let nibble = |b: u8| (b as char).to_digit(16).unwrap_or(0);
    Ok(first.bytes().zip(second.bytes()).map(|(a, b)| (nibble(a) ^ nibble(b)).count_ones()).sum())
}
