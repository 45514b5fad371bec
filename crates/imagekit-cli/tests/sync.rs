//! `imagekit sync` against the emulator: convergence on awkward names, content
//! changes of the same size, `--delete`, `--dry-run`, resuming (after remote
//! deletes, Ctrl-C or SIGKILL) and a rate-limited run.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use common::{Env, TempDir};
use imagekit_emulator::Faults;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `{"summary": ...}` line of a `--json` run.
fn summary(lines: &[Value]) -> &Value {
    let last = lines.last().expect("no output");
    assert!(last["summary"].is_object(), "the last line is not the summary: {last}");
    &last["summary"]
}

/// The sorted `filePath`s of the lines with this `status`.
fn with_status(lines: &[Value], status: &str) -> Vec<String> {
    let mut v: Vec<String> =
        lines.iter().filter(|l| l["status"] == status).map(|l| l["filePath"].as_str().unwrap().to_owned()).collect();
    v.sort();
    v
}

/// Every file path under `folder` (sub-folders included), from `ls --query`.
fn remote_paths(env: &Env, folder: &str) -> Vec<String> {
    let query = format!("path : \"{folder}\"");
    // Retries enough for the rate-limited tests, where a 429 only delays it.
    let run = env.run(&["--max-retries", "20", "ls", "--query", &query, "--type", "file", "--json"]).ok();
    let mut v: Vec<String> = run
        .json_lines()
        .iter()
        .filter(|l| l["type"] == "file")
        .map(|l| l["filePath"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

/// Read the run's stdout until `n` lines say a file was uploaded; the lines read.
/// (Polling the emulator instead would compete with the run for the rate limit.)
fn read_uploads(stdout: &mut impl BufRead, n: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut uploaded = 0;
    while uploaded < n {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "the run ended after {uploaded} uploads: {lines:?}");
        if line.starts_with("uploaded ") || line.contains(r#""status":"uploaded""#) {
            uploaded += 1;
        }
        lines.push(line);
    }
    lines
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn awkward_names_converge_and_dry_run_shows_stored_paths() {
    let env = Env::start();
    let dir = TempDir::new("sync-names");
    dir.write("my photo (1).png", b"one");
    dir.write("été/ü ß.txt", b"two");
    dir.write("a.b c/d&e/#x+y.txt", b"three");
    dir.write("sp ace/[br] {ce}.md", b"four");
    // The names ImageKit stores, written out by hand from its rule.
    let expected = [
        "/my_site/a_b_c/d_e/_x_y.txt",
        "/my_site/my_photo__1_.png",
        "/my_site/sp_ace/_br___ce_.md",
        "/my_site/été/ü_ß.txt",
    ];

    // A dry run prints the stored paths and changes nothing.
    let run = env.run(&["sync", dir.str(), "/my site", "--dry-run", "--json"]).ok();
    assert_eq!(with_status(&run.json_lines(), "would-upload"), expected);
    assert!(remote_paths(&env, "/").is_empty());
    let run = env.run(&["sync", dir.str(), "/my site", "--dry-run"]).ok();
    assert!(run.stdout.contains("would upload"), "{}", run.stdout);
    assert!(run.stdout.contains("-> /my_site/my_photo__1_.png (3 B)"), "{}", run.stdout);
    assert!(run.stderr.contains("4 to upload, 0 unchanged, 0 to delete (dry run)"), "{}", run.stderr);

    let run = env.run(&["sync", dir.str(), "/my site", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "uploaded"), expected);
    assert_eq!(summary(&lines)["uploaded"], 4);
    assert_eq!(remote_paths(&env, "/my_site"), expected);

    // Nothing changed: nothing uploaded, nothing on stdout.
    let run = env.run(&["sync", dir.str(), "/my site"]).ok();
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("everything is up to date (4 files)"), "{}", run.stderr);
    let run = env.run(&["sync", dir.str(), "/my site", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(summary(&lines)["uploaded"], 0);
    assert_eq!(summary(&lines)["unchanged"], 4);
}

#[test]
fn two_local_files_with_one_stored_path_fail_instead_of_flapping() {
    let env = Env::start();
    let dir = TempDir::new("sync-collide");
    dir.write("a b.txt", b"spaced");
    dir.write("a_b.txt", b"underscored");
    let run = env.run(&["sync", dir.str(), "/c", "--json"]).expect(1);
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "uploaded"), ["/c/a_b.txt"]);
    let failed: Vec<&Value> = lines.iter().filter(|l| l["status"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["error"]["message"].as_str().unwrap().contains("also stored as /c/a_b.txt"));
    assert_eq!(summary(&lines)["failed"], 1);
    assert_eq!(summary(&lines)["failures"][0]["source"], failed[0]["source"]);
}

#[test]
fn a_change_of_content_with_the_same_size_is_uploaded() {
    let env = Env::start();
    let dir = TempDir::new("sync-content");
    dir.write("f.txt", b"aaaa");
    dir.write("g.txt", b"gggg");
    env.run(&["sync", dir.str(), "/s"]).ok();
    let got = env.run(&["get", "/s/f.txt", "--json"]).ok().json();
    assert_eq!(got["customMetadata"]["ikSyncSha256"], sha256_hex(b"aaaa"));

    dir.write("f.txt", b"bbbb");
    let run = env.run(&["sync", dir.str(), "/s", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "uploaded"), ["/s/f.txt"]);
    assert_eq!(with_status(&lines, "unchanged"), ["/s/g.txt"]);
    let got = env.run(&["get", "/s/f.txt", "--json"]).ok().json();
    assert_eq!(got["customMetadata"]["ikSyncSha256"], sha256_hex(b"bbbb"));
    assert_eq!(got["size"], 4);
    assert_eq!(remote_paths(&env, "/s"), ["/s/f.txt", "/s/g.txt"], "replaced in place, no second copy");

    // A remote file of the same size that sync did not upload (no hash) is replaced once.
    let other = TempDir::new("sync-content-other");
    other.write("g.txt", b"GGGG");
    env.run(&["upload", other.path().join("g.txt").to_str().unwrap(), "--folder", "/s", "--no-unique"]).ok();
    let run = env.run(&["sync", dir.str(), "/s", "--json"]).ok();
    assert_eq!(with_status(&run.json_lines(), "uploaded"), ["/s/g.txt"]);
    let run = env.run(&["sync", dir.str(), "/s", "--json"]).ok();
    assert_eq!(summary(&run.json_lines())["uploaded"], 0);
}

#[test]
fn delete_removes_only_remote_only_files_under_the_folder() {
    let env = Env::start();
    let dir = TempDir::new("sync-delete");
    dir.write("keep.txt", b"keep");
    dir.write("sub/keep2.txt", b"keep2");
    dir.write("gone.txt", b"gone");
    dir.write("sub/gone2.txt", b"gone2");
    env.run(&["sync", dir.str(), "/d"]).ok();
    // Outside the folder: never touched.
    env.run(&["upload", dir.path().join("gone.txt").to_str().unwrap(), "--folder", "/dd", "--no-unique"]).ok();
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
    std::fs::remove_file(dir.path().join("sub/gone2.txt")).unwrap();

    // Without --delete the extra files are only mentioned.
    let run = env.run(&["sync", dir.str(), "/d"]).ok();
    assert!(run.stderr.contains("2 remote files under /d/ have no local file"), "{}", run.stderr);

    // Stdin is not a terminal: refused before anything, unless --yes.
    let run = env.run(&["sync", dir.str(), "/d", "--delete"]).expect(1);
    assert!(run.stderr.contains("pass --yes"), "{}", run.stderr);
    assert_eq!(remote_paths(&env, "/d").len(), 4);

    // A dry run lists them and deletes nothing.
    let run = env.run(&["sync", dir.str(), "/d", "--delete", "--dry-run", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "would-delete"), ["/d/gone.txt", "/d/sub/gone2.txt"]);
    assert_eq!(remote_paths(&env, "/d").len(), 4);

    let run = env.run(&["sync", dir.str(), "/d", "--delete", "--yes", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "deleted"), ["/d/gone.txt", "/d/sub/gone2.txt"]);
    assert_eq!(summary(&lines)["deleted"], 2);
    assert_eq!(remote_paths(&env, "/d"), ["/d/keep.txt", "/d/sub/keep2.txt"]);
    assert_eq!(remote_paths(&env, "/dd"), ["/dd/gone.txt"]);
    let run = env.run(&["sync", dir.str(), "/d", "--delete", "--yes"]).ok();
    assert!(run.stderr.contains("everything is up to date (2 files)"), "{}", run.stderr);
}

/// `--delete` on a terminal asks first: run under `script(1)`, which gives the
/// command a pseudo-terminal and types `answer` into it. `None` without `script`.
fn sync_delete_answering(env: &Env, dir: &TempDir, folder: &str, answer: &str) -> Option<(i32, String)> {
    let cmd = env.cmd();
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_str().unwrap().replace('\'', "'\\''"));
    let mut line: Vec<String> = vec![quote(cmd.get_program())];
    line.extend(cmd.get_args().map(quote));
    line.extend(["sync", dir.str(), folder, "--delete"].iter().map(|a| quote(a.as_ref())));
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &line.join(" "), "/dev/null"]).env("NO_COLOR", "1");
    script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = script.spawn().ok()?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // After the prompt is up; the pseudo-terminal holds the line until it is read.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        stdin.write_all(answer.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.code().unwrap_or(-1), text))
}

#[test]
fn delete_on_a_terminal_asks_first() {
    let env = Env::start();
    let dir = TempDir::new("sync-ask");
    dir.write("keep.txt", b"keep");
    dir.write("gone.txt", b"gone");
    env.run(&["sync", dir.str(), "/ask"]).ok();
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();

    let Some((code, text)) = sync_delete_answering(&env, &dir, "/ask", "n\n") else {
        eprintln!("skipped: no script(1) to give the command a terminal");
        return;
    };
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("delete 1 remote files under /ask/ that are not in"), "{text}");
    assert!(text.contains("nothing deleted"), "{text}");
    assert_eq!(remote_paths(&env, "/ask"), ["/ask/gone.txt", "/ask/keep.txt"]);

    let (code, text) = sync_delete_answering(&env, &dir, "/ask", "y\n").unwrap();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("deleted /ask/gone.txt"), "{text}");
    assert_eq!(remote_paths(&env, "/ask"), ["/ask/keep.txt"]);
}

#[test]
fn a_resumed_run_uploads_only_what_is_missing() {
    let env = Env::start();
    let dir = TempDir::new("sync-resume");
    for i in 0..20 {
        dir.write(&format!("d{}/f{i:02}.txt", i % 3), format!("file {i}").as_bytes());
    }
    env.run(&["sync", dir.str(), "/r"]).ok();
    env.run(&["rm", "/r/d0/f03.txt", "/r/d1/f10.txt", "/r/d2/f17.txt"]).ok();
    let run = env.run(&["sync", dir.str(), "/r", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(with_status(&lines, "uploaded"), ["/r/d0/f03.txt", "/r/d1/f10.txt", "/r/d2/f17.txt"]);
    assert_eq!(summary(&lines)["unchanged"], 17);
}

#[test]
fn rate_limited_run_finishes_with_no_failed_file() {
    let env = Env::with_faults(Faults { rate_limit: Some(20), ..Faults::default() });
    let dir = TempDir::new("sync-rate");
    for i in 0..60 {
        dir.write(&format!("f{i:02}.txt"), format!("rate {i}").as_bytes());
    }
    let run = env.run(&["--max-retries", "0", "sync", dir.str(), "/rl", "--json"]).ok();
    let lines = run.json_lines();
    let s = summary(&lines);
    assert_eq!((s["uploaded"].as_u64(), s["failed"].as_u64()), (Some(60), Some(0)), "{s}");
    assert!(s["rateLimitBackoffs"].as_u64().unwrap() > 0, "the limit was hit and followed: {s}");
    assert_eq!(remote_paths(&env, "/rl").len(), 60);
}

#[test]
fn ctrl_c_stops_new_uploads_and_the_next_run_finishes() {
    let env = Env::with_faults(Faults { rate_limit: Some(10), ..Faults::default() });
    let dir = TempDir::new("sync-int");
    for i in 0..80 {
        dir.write(&format!("f{i:02}.txt"), format!("int {i}").as_bytes());
    }
    let mut cmd = env.cmd();
    cmd.args(["sync", dir.str(), "/i", "--json"]).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut stdout = read_uploads(&mut reader, 5).concat();
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    reader.read_to_string(&mut stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{:?}\n--- stderr\n{stderr}", out.status);
    assert!(stderr.contains("stopping: no new uploads"), "{stderr}");
    let lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let s = summary(&lines);
    assert_eq!(s["interrupted"], true);
    assert_eq!(s["failed"], 0);
    let first = s["uploaded"].as_u64().unwrap();
    assert!(first > 0 && first < 80, "{s}");
    assert_eq!(remote_paths(&env, "/i").len() as u64, first, "each upload reported is stored");

    let run = env.run(&["sync", dir.str(), "/i", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(summary(&lines)["uploaded"].as_u64(), Some(80 - first));
    assert_eq!(summary(&lines)["unchanged"].as_u64(), Some(first));
}

#[test]
fn a_run_killed_with_sigkill_loses_nothing() {
    let env = Env::with_faults(Faults { rate_limit: Some(10), ..Faults::default() });
    let dir = TempDir::new("sync-kill");
    for i in 0..60 {
        dir.write(&format!("k{}/f{i:02}.txt", i % 2), format!("kill {i}").as_bytes());
    }
    let mut cmd = env.cmd();
    cmd.args(["sync", dir.str(), "/k"]).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    read_uploads(&mut BufReader::new(child.stdout.take().unwrap()), 5);
    child.kill().unwrap();
    child.wait().unwrap();
    let stored = remote_paths(&env, "/k").len() as u64;
    assert!(stored > 0 && stored < 60, "{stored} stored before the kill");

    // No local state: the next run finds what is stored by its hash and sends only the rest.
    let run = env.run(&["sync", dir.str(), "/k", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(summary(&lines)["uploaded"].as_u64(), Some(60 - stored));
    assert_eq!(summary(&lines)["unchanged"].as_u64(), Some(stored));
    assert_eq!(remote_paths(&env, "/k").len(), 60);
}

mod names {
    use proptest::prelude::*;

    use super::*;

    /// Names from letters, digits, unicode and the punctuation people use.
    fn name() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zA-Z0-9 ()._&#+@,'éüßж-]{1,12}").unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        /// Whatever the names, a second run uploads nothing.
        #[test]
        fn a_second_run_converges(files in proptest::collection::vec((name(), name()), 1..6)) {
            let env = Env::start();
            let dir = TempDir::new("sync-prop");
            let mut stored = std::collections::HashSet::new();
            let mut count = 0;
            for (i, (folder, file)) in files.iter().enumerate() {
                let (folder, file) = (folder.trim(), file.trim());
                // Names the file system or the service cannot hold, or two files one stored path.
                if [folder, file].iter().any(|n| n.is_empty() || *n == "." || *n == "..")
                    || !stored.insert(imagekit::types::stored_file_path(folder, file).to_lowercase())
                {
                    continue;
                }
                dir.write(&format!("{folder}/{file}"), format!("content {i}").as_bytes());
                count += 1;
            }
            prop_assume!(count > 0);
            let run = env.run(&["sync", dir.str(), "/p", "--json"]).ok();
            prop_assert_eq!(summary(&run.json_lines())["uploaded"].as_u64(), Some(count));
            let run = env.run(&["sync", dir.str(), "/p", "--json"]).ok();
            let lines = run.json_lines();
            prop_assert_eq!(summary(&lines)["uploaded"].as_u64(), Some(0));
            prop_assert_eq!(summary(&lines)["unchanged"].as_u64(), Some(count));
        }
    }
}
