use super::*;

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ik-emu-store-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_blob_on_disk_is_whole_under_its_id_with_no_temporary_left() {
    let dir = temp_dir();
    let store = Store::open(&dir).unwrap();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let id = store.put_blob(Bytes::from(data.clone())).unwrap();
    assert_eq!(std::fs::read(dir.join("blobs").join(&id)).unwrap(), data);
    assert_eq!(store.blob(&id).unwrap(), data);
    let names: Vec<String> = std::fs::read_dir(dir.join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![id]);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn syncing_a_directory_works_and_a_missing_one_is_an_error() {
    let dir = temp_dir();
    sync_dir(&dir).unwrap();
    assert!(sync_dir(&dir.join("missing")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_full_disk_is_507_and_other_failures_500() {
    let full = blob_error(std::io::Error::from(std::io::ErrorKind::StorageFull));
    assert_eq!(full.status, http::StatusCode::INSUFFICIENT_STORAGE);
    assert!(full.message.contains("full"), "{}", full.message);
    let other = blob_error(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    assert_eq!(other.status, http::StatusCode::INTERNAL_SERVER_ERROR);
}
