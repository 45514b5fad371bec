//! `UrlOptions::expire_after`: an expiry given as a `Duration` from the moment the URL is built.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use imagekit_url::{PrivateKey, UrlError, UrlOptions};
use sha1::Sha1;

const EP: &str = "https://ik.imagekit.io/demo";
const KEY: &str = "private_key_test";

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Builds with `expire_after(after)` and returns the URL, reading the clock around the build.
fn build(after: Duration, key: &PrivateKey) -> (u64, String, u64) {
    let before = unix_now();
    let url = UrlOptions::new("/a.jpg").url_endpoint(EP).private_key(key).expire_after(after).build().unwrap();
    (before, url, unix_now())
}

/// `(ik-t, ik-s)` of a signed URL with an expiry, checking the layout `…?ik-t=T&ik-s=S`.
fn expiry_and_signature(url: &str) -> (u64, &str) {
    let (rest, sig) = url.rsplit_once("&ik-s=").unwrap();
    let (_, t) = rest.rsplit_once("?ik-t=").unwrap();
    (t.parse().unwrap(), sig)
}

#[test]
fn expiry_counts_from_the_clock_at_build_time() {
    let key = PrivateKey::new(KEY).unwrap();
    let (before, url, after) = build(Duration::from_secs(3600), &key);
    let (t, sig) = expiry_and_signature(&url);
    assert!((before + 3600..=after + 3600).contains(&t), "ik-t={t}, clock {before}..={after}");
    assert!(url.starts_with(&format!("{EP}/a.jpg?ik-t={t}&ik-s=")), "{url}");
    // Signed as the spec says (§2.4): HMAC-SHA1 of the URL minus `endpoint/`, plus the expiry.
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(format!("a.jpg{t}").as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(sig, expected);
}

#[test]
fn fractions_round_up_and_never_to_no_expiry() {
    let key = PrivateKey::new(KEY).unwrap();
    // 1.5 s is 2 s: the URL never lives shorter than asked.
    let (before, url, after) = build(Duration::from_millis(1500), &key);
    let (t, _) = expiry_and_signature(&url);
    assert!((before + 2..=after + 2).contains(&t), "ik-t={t}, clock {before}..={after}");
    // 0 would mean "never expires" (no ik-t at all); a zero duration expires in a second.
    let (before, url, after) = build(Duration::ZERO, &key);
    let (t, _) = expiry_and_signature(&url);
    assert!((before + 1..=after + 1).contains(&t), "ik-t={t}, clock {before}..={after}");
}

#[test]
fn it_replaces_a_fixed_clock_and_a_later_now_replaces_it() {
    let key = PrivateKey::new(KEY).unwrap();
    let opts = UrlOptions::new("/a.jpg").url_endpoint(EP).private_key(&key);
    // An earlier `expires_in(.., now)` does not pin the clock for `expire_after`.
    let before = unix_now();
    let url = opts.clone().expires_in(10, 1_000_000_000).expire_after(Duration::from_secs(60)).build().unwrap();
    let (t, _) = expiry_and_signature(&url);
    assert!((before + 60..=unix_now() + 60).contains(&t), "ik-t={t}");
    // A time given afterwards is used instead of the clock.
    let url = opts.clone().expire_after(Duration::from_secs(60)).now(1_700_000_000).build().unwrap();
    assert_eq!(expiry_and_signature(&url).0, 1_700_000_060);
    // The current API is unchanged.
    let url = opts.expires_in(3600, 1_700_000_000).build().unwrap();
    assert_eq!(expiry_and_signature(&url).0, 1_700_003_600);
}

#[test]
fn it_asks_for_signing() {
    let opts = UrlOptions::new("/a.jpg").url_endpoint(EP).expire_after(Duration::from_secs(60));
    assert!(opts.is_signed());
    assert_eq!(opts.build(), Err(UrlError::MissingPrivateKey));
}

#[test]
fn a_huge_duration_saturates_instead_of_overflowing() {
    let key = PrivateKey::new(KEY).unwrap();
    let (_, url, _) = build(Duration::MAX, &key);
    assert_eq!(expiry_and_signature(&url).0, u64::MAX);
}
