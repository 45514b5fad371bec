use super::*;

#[test]
fn unique_names_keep_the_extension() {
    let n = unique_name("shoe.jpg");
    assert!(n.starts_with("shoe_") && n.ends_with(".jpg") && n.len() == "shoe_.jpg".len() + 9, "{n}");
    let n = unique_name("README");
    assert!(n.starts_with("README_") && n.len() == 7 + 9);
    let n = unique_name(".env");
    assert!(n.starts_with(".env_"));
}

#[test]
fn base64_variants() {
    assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
    assert_eq!(decode_base64("aGVs\nbG8").as_deref(), Some(&b"hello"[..]));
    assert_eq!(decode_base64("not base64!"), None);
}
