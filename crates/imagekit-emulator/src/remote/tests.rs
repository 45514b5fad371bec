use super::*;

#[test]
fn loopback_hosts() {
    for h in ["localhost", "127.0.0.1", "127.5.6.7", "[::1]", "::1", "a.localhost"] {
        assert!(is_loopback(h), "{h}");
    }
    for h in ["example.com", "10.0.0.1", "128.0.0.1", "localhost.example.com"] {
        assert!(!is_loopback(h), "{h}");
    }
}
