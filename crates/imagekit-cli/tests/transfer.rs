//! Upload transfers: progress output, and the memory bound of a large upload.

mod common;

use std::io::{Seek, SeekFrom, Write};

use common::{Env, TempDir};
use imagekit_emulator::Faults;

#[test]
fn progress_bars_only_when_asked_or_on_a_terminal() {
    let env = Env::start();
    let dir = TempDir::new("progress");
    dir.write("a.bin", &[1u8; 300_000]);
    dir.write("sub/b.bin", &[2u8; 200_000]);

    // Forced: the bars render on stderr (bytes, rate, ETA, file count); results stay clean on stdout.
    let run = env.run(&["upload", dir.str(), "-r", "--folder", "/p1", "--progress=always"]).ok();
    assert!(run.stderr.contains("ETA"), "{}", run.stderr);
    assert!(run.stderr.contains("2/2 files"), "{}", run.stderr);
    assert!(run.stderr.contains("488.28 KiB/488.28 KiB"), "the overall bar counts every byte: {}", run.stderr);
    assert!(!run.stdout.contains("\x1b["), "{}", run.stdout);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("uploaded ")).count(), 2, "{}", run.stdout);

    // Default (auto) without a terminal: no control codes anywhere, plain lines.
    let run = env.run(&["upload", dir.str(), "-r", "--folder", "/p2"]).ok();
    assert!(!run.stdout.contains("\x1b[") && !run.stderr.contains("\x1b["), "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("ETA"), "{}", run.stderr);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("uploaded ")).count(), 2, "{}", run.stdout);

    // Never, even when forced elsewhere.
    let run = env.run(&["upload", dir.str(), "-r", "--folder", "/p3", "--progress", "never", "--json"]).ok();
    assert!(!run.stderr.contains("ETA") && !run.stdout.contains("\x1b["));
    assert_eq!(run.json_lines().len(), 2);
}

/// Uploads refused with a 429 go again after the server's `Retry-After`; with
/// no retries left the refused files fail and the exit status says so.
#[test]
fn rate_limited_uploads_are_retried() {
    let env = Env::with_faults(Faults { rate_limit: Some(2), ..Faults::default() });
    let dir = TempDir::new("retry");
    for name in ["a", "b", "c", "d"] {
        dir.write(&format!("{name}.txt"), name.as_bytes());
    }
    let run = env.run(&["--max-retries", "0", "upload", dir.str(), "-r", "--folder", "/r0", "--json"]).expect(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().any(|l| l["ok"] == false && l["error"]["status"] == 429), "{}", run.stdout);

    let run = env
        .run(&["--max-retries", "3", "upload", dir.str(), "-r", "--folder", "/r1", "--progress=always", "--json"])
        .ok();
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|l| l["ok"] == true), "{}", run.stdout);
    assert!(run.stderr.contains("4/4 files"), "{}", run.stderr);
}

/// 512 MiB streamed from disk: the CLI's peak RSS (`VmHWM`, reported by the
/// binary at exit) stays under 64 MiB.
#[test]
fn a_512_mib_upload_keeps_the_cli_under_64_mib() {
    const SIZE: u64 = 512 * 1024 * 1024;
    let env = Env::start();
    let dir = TempDir::new("big");
    let path = dir.path().join("big.bin");
    {
        // Sparse, with a pattern at both ends so the bytes are not all the same.
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(&[0xAB; 4096]).unwrap();
        f.set_len(SIZE).unwrap();
        f.seek(SeekFrom::End(-4096)).unwrap();
        f.write_all(&[0xCD; 4096]).unwrap();
    }
    let mut cmd = env.cmd();
    cmd.env("IMAGEKIT_CLI_REPORT_PEAK_RSS", "1").args(["upload", path.to_str().unwrap(), "--folder", "/big", "--json"]);
    let run = common::Run::of(&mut cmd).ok();
    let uploaded = &run.json_lines()[0];
    assert_eq!(uploaded["file"]["size"], SIZE, "{}", run.stdout);

    let line =
        run.stderr.lines().find(|l| l.starts_with("imagekit: peak RSS")).unwrap_or_else(|| panic!("{}", run.stderr));
    let kib: u64 = line.split_whitespace().nth(3).unwrap().parse().unwrap();
    println!("peak RSS of `imagekit upload` of 512 MiB: {kib} KiB");
    assert!(kib < 64 * 1024, "peak RSS {kib} KiB");
}
