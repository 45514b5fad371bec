//! Upload progress bars: moved by the SDK's progress events, labelled with the
//! file's name (not the start of its path), and counting every byte.

mod common;

use common::{Env, TempDir};

#[test]
fn a_file_given_by_an_absolute_path_is_labelled_with_its_name() {
    let env = Env::start();
    let dir = TempDir::new("label");
    // A long directory: a label cut from the start of the path would show only this.
    let deep = format!("{}/a-very-long-directory-name-that-fills-the-label/and-another-one", "nested");
    let path = dir.write(&format!("{deep}/holiday-photo.bin"), &vec![7u8; 8 * 1024 * 1024]);
    assert!(path.is_absolute());

    let mut cmd = env.cmd();
    cmd.args(["upload", path.to_str().unwrap(), "--folder", "/labels", "--progress=always"]).env("COLUMNS", "160");
    let run = common::Run::of(&mut cmd).ok();
    assert!(run.stderr.contains("holiday-photo.bin"), "the bar names the file: {}", run.stderr);
    assert!(!run.stderr.contains("a-very-long-directory"), "no directory in the label: {}", run.stderr);
    // The overall bar ends at the file's size: the SDK's count of the whole form is
    // scaled onto the file.
    assert!(run.stderr.contains("8.00 MiB/8.00 MiB"), "{}", run.stderr);
    assert!(run.stderr.contains("1/1 files"), "{}", run.stderr);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("uploaded ")).count(), 1, "{}", run.stdout);
}
