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

#[test]
fn retried_files_are_counted_once_in_the_overall_bar() {
    // One upload a second: most first attempts are refused with a 429 and go again.
    let env = Env::with_faults(imagekit_emulator::Faults { rate_limit: Some(1), ..Default::default() });
    let dir = TempDir::new("retry-bars");
    for name in ["a", "b", "c"] {
        dir.write(&format!("{name}.bin"), &[9u8; 100_000]);
    }
    let run = env
        .run(&["--max-retries", "6", "upload", dir.str(), "-r", "--folder", "/retry-bars", "--progress=always"])
        .ok();
    assert!(run.stderr.contains("3/3 files"), "{}", run.stderr);
    // 300,000 bytes in all (292.97 KiB), however many attempts each file took:
    // no frame of the overall bar ever shows more.
    let frames = run.stderr.match_indices("/292.97 KiB").map(|(at, _)| &run.stderr[..at]);
    let shown: Vec<f64> = frames.map(|before| kib(before.split_whitespace().rev().take(2).collect())).collect();
    assert!(shown.len() > 2, "{}", run.stderr);
    assert!(shown.iter().all(|&k| k <= 292.97), "a retried file counted twice: {shown:?}");
    assert_eq!(shown.last(), Some(&292.97), "{shown:?}");
}

/// "12.5 KiB" (as the last two words, reversed) in KiB.
fn kib(words: Vec<&str>) -> f64 {
    let [unit, number] = words[..] else { panic!("not a size: {words:?}") };
    let n: f64 = number.parse().unwrap_or_else(|e| panic!("{number}: {e}"));
    match unit {
        "B" => n / 1024.0,
        "KiB" => n,
        "MiB" => n * 1024.0,
        other => panic!("unit {other}"),
    }
}
