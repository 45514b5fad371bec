//! The media library commands run as a user would, against an emulator started
//! in the test process: upload a tree, list it, tag, delete; folders and purges
//! with `--wait`; custom metadata fields; errors and exit statuses; `api`; and
//! `imagekit emulator` itself.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Env, KEY, Run, TempDir, bare};
use serde_json::Value;

/// A small tree: two files at the top, one a level down, one two levels down.
fn tree(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("top.txt", b"top");
    dir.write("readme.md", b"# readme");
    dir.write("a/one.txt", b"one!");
    dir.write("a/b/two.bin", &[7u8; 5000]);
    dir
}

fn paths(lines: &[Value], key: &str) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().filter_map(|l| l[key].as_str().map(str::to_owned)).collect();
    v.sort();
    v
}

#[test]
fn upload_a_tree_list_it_tag_and_delete() {
    let env = Env::start();
    let dir = tree("upload");

    // A directory needs --recursive.
    let run = env.run(&["upload", dir.str(), "--folder", "/it"]).expect(1);
    assert!(run.stderr.contains("--recursive"), "{}", run.stderr);

    let run =
        env.run(&["upload", dir.str(), "--folder", "/it", "-r", "--no-unique", "--tags", "cli,test", "--json"]).ok();
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "one line per file: {}", run.stdout);
    assert!(lines.iter().all(|l| l["ok"] == true));
    assert_eq!(
        lines
            .iter()
            .map(|l| l["file"]["filePath"].as_str().unwrap().to_owned())
            .collect::<std::collections::BTreeSet<_>>(),
        ["/it/a/b/two.bin", "/it/a/one.txt", "/it/readme.md", "/it/top.txt"].map(String::from).into()
    );
    assert!(!run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'), "no bars without a terminal");

    // ls: JSON lines per folder, and a table.
    let top = env.run(&["ls", "/it", "--json"]).ok().json_lines();
    assert_eq!(paths(&top, "filePath"), ["/it/readme.md", "/it/top.txt"]);
    assert_eq!(paths(&top, "folderPath"), ["/it/a"]);
    let nested = env.run(&["ls", "/it/a/b", "--type", "file", "--json"]).ok().json_lines();
    assert_eq!(nested.len(), 1);
    assert_eq!(nested[0]["size"], 5000);
    assert_eq!(nested[0]["tags"], serde_json::json!(["cli", "test"]));
    let table = env.run(&["ls", "/it/a"]).ok().stdout;
    assert!(table.starts_with("TYPE"), "{table}");
    assert!(table.contains("/it/a/one.txt") && table.contains("/it/a/b/"), "{table}");
    let limited = env.run(&["ls", "--json", "--limit", "2"]).ok().json_lines();
    assert_eq!(limited.len(), 2, "--limit stops the paging");
    let sorted = env.run(&["ls", "/it", "--type", "file", "--sort", "desc_name", "--json"]).ok().json_lines();
    assert_eq!(sorted[0]["name"], "top.txt");
    env.run(&["ls", "--sort", "sideways"]).expect(1);

    // tag by path and by id, then read it back.
    let one_id = nested[0]["fileId"].as_str().unwrap().to_owned();
    let run = env.run(&["tag", "/it/a/one.txt", &one_id, "--tags", "new,extra", "--json"]).ok();
    assert_eq!(run.json_lines().len(), 2);
    let one = env.run(&["get", "/it/a/one.txt", "--json"]).ok().json();
    assert_eq!(one["tags"], serde_json::json!(["cli", "test", "new", "extra"]));
    env.run(&["untag", "/it/a/one.txt", "-t", "new"]).ok();
    let one = env.run(&["get", one["fileId"].as_str().unwrap(), "--json"]).ok().json();
    assert_eq!(one["tags"], serde_json::json!(["cli", "test", "extra"]));

    // versions, publish, metadata of a file.
    let versions = env.run(&["versions", "/it/top.txt", "--json"]).ok().json_lines();
    assert_eq!(versions.len(), 1);
    let published = env.run(&["publish", "/it/top.txt", "--unpublish", "--json"]).ok().json();
    assert_eq!(published["isPublished"], false);
    let meta = env.run(&["metadata", "/it/a/b/two.bin", "--json"]).ok().json();
    assert_eq!(meta["size"], 5000);

    // cp, mv, rename.
    env.run(&["cp", "/it/top.txt", "/copies"]).ok();
    env.run(&["mv", "/copies/top.txt", "/moved"]).ok();
    let renamed = env.run(&["rename", "/moved/top.txt", "renamed.txt", "--json"]).ok().json();
    assert_eq!(renamed["ok"], true);
    env.run(&["get", "/moved/renamed.txt"]).ok();

    // rm: one by path, the rest by id in one bulk call.
    env.run(&["rm", "/moved/renamed.txt"]).ok();
    let ids: Vec<String> = env
        .run(&["ls", "/it", "--type", "file", "--json"])
        .ok()
        .json_lines()
        .iter()
        .map(|l| l["fileId"].as_str().unwrap().to_owned())
        .collect();
    let mut args = vec!["rm", "--json"];
    args.extend(ids.iter().map(String::as_str));
    let run = env.run(&args).ok();
    assert_eq!(run.json_lines().len(), ids.len());
    assert!(env.run(&["ls", "/it", "--type", "file", "--json"]).ok().stdout.is_empty());
    let run = env.run(&["rm", "/it/top.txt"]).expect(1);
    assert!(run.stderr.contains("no file at /it/top.txt"), "{}", run.stderr);
}

#[test]
fn upload_names_and_failures() {
    let env = Env::start();
    let dir = tree("names");
    let file = dir.path().join("top.txt");
    let file = file.to_str().unwrap();
    // Default: the API makes the name unique.
    let run = env.run(&["upload", file, "--folder", "/u", "--json"]).ok();
    let name = run.json_lines()[0]["file"]["name"].as_str().unwrap().to_owned();
    assert!(name.starts_with("top_") && name.ends_with(".txt"), "{name}");
    // Human output: one line per file and a summary on stderr.
    let run = env.run(&["upload", file, "--folder", "/u", "--no-unique", "--private"]).ok();
    assert!(run.stdout.starts_with("uploaded ") && run.stdout.contains("-> /u/top.txt"), "{}", run.stdout);
    assert!(run.stderr.contains("1 uploaded"), "{}", run.stderr);
    let got = env.run(&["get", "/u/top.txt", "--json"]).ok().json();
    assert_eq!(got["isPrivateFile"], true);

    // A missing path is refused before anything is sent.
    let run = env.run(&["upload", "/definitely/not/here.jpg"]).expect(1);
    assert!(run.stderr.contains("cannot read /definitely/not/here.jpg"), "{}", run.stderr);

    // A wrong key: every file fails, the API's message and status are shown, exit 1.
    let mut cmd = bare();
    cmd.args(["--base-url", &env.emu.base_url(), "--private-key", "private_wrong", "upload", file, "--json"]);
    let run = Run::of(&mut cmd).expect(1);
    let line = &run.json_lines()[0];
    assert_eq!(line["ok"], false);
    assert_eq!(line["error"]["status"], 401);
}

#[test]
fn sync_uploads_only_new_or_changed_files() {
    let env = Env::start();
    let dir = tree("sync");
    let run = env.run(&["sync", dir.str(), "/mirror", "--json"]).ok();
    assert_eq!(run.json_lines().iter().filter(|l| l["file"].is_object()).count(), 4);

    let run = env.run(&["sync", dir.str(), "/mirror"]).ok();
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("up to date (4 files)"), "{}", run.stderr);

    dir.write("a/one.txt", b"one, but longer now");
    dir.write("a/b/new.txt", b"new");
    let run = env.run(&["sync", dir.str(), "/mirror", "--dry-run", "--json"]).ok();
    let planned: Vec<Value> = run.json_lines().into_iter().filter(|l| l["status"] == "would-upload").collect();
    assert_eq!(paths(&planned, "filePath"), ["/mirror/a/b/new.txt", "/mirror/a/one.txt"]);
    let run = env.run(&["sync", dir.str(), "/mirror", "--json"]).ok();
    let lines = run.json_lines();
    let uploaded: Vec<&Value> = lines.iter().filter(|l| l["file"].is_object()).collect();
    assert_eq!(uploaded.len(), 2, "{}", run.stdout);
    assert_eq!(lines.iter().filter(|l| l["status"] == "unchanged").count(), 3);
    let one = env.run(&["get", "/mirror/a/one.txt", "--json"]).ok().json();
    assert_eq!(one["size"], 19, "the changed file replaced the old one in place");
}

#[test]
fn folders_and_purges_with_wait() {
    let env = Env::start();
    let dir = tree("folders");
    env.run(&["upload", dir.str(), "-r", "--folder", "/src", "--no-unique"]).ok();
    let fast = ["--wait", "--poll-interval", "0.05"];

    let run = env.run(&["folder", "create", "/made/here", "--json"]).ok();
    assert_eq!(run.json()["folderPath"], "/made/here");
    let folders = env.run(&["ls", "/made", "--type", "folder", "--json"]).ok().json_lines();
    assert_eq!(paths(&folders, "folderPath"), ["/made/here"]);

    let mut args = vec!["folder", "cp", "/src", "/made", "--json"];
    args.extend(fast);
    let job = env.run(&args).ok().json();
    assert_eq!(job["status"], "Completed");
    assert_eq!(job["type"], "COPY_FOLDER");
    env.run(&["get", "/made/src/a/one.txt"]).ok();

    let mut args = vec!["folder", "mv", "/made/src", "/moved"];
    args.extend(fast);
    let run = env.run(&args).ok();
    assert!(run.stdout.contains("completed"), "{}", run.stdout);
    env.run(&["get", "/moved/src/a/b/two.bin"]).ok();

    let mut args = vec!["folder", "rename", "/moved/src", "renamed", "--json"];
    args.extend(fast);
    assert_eq!(env.run(&args).ok().json()["status"], "Completed");
    env.run(&["get", "/moved/renamed/top.txt"]).ok();

    // Without --wait the job is only started.
    let run = env.run(&["folder", "cp", "/src", "/later", "--json"]).ok();
    assert_eq!(run.json()["status"], "Pending");

    env.run(&["folder", "rm", "/moved"]).ok();
    env.run(&["get", "/moved/renamed/top.txt"]).expect(1);

    let url = format!("{}/src/top.txt", env.emu.url_endpoint());
    let mut args = vec!["purge", url.as_str(), "--json"];
    args.extend(fast);
    let purge = env.run(&args).ok().json();
    assert_eq!(purge["status"], "Completed");
    let started = env.run(&["purge", &url, "--json"]).ok().json();
    let id = started["requestId"].as_str().unwrap().to_owned();
    let mut args = vec!["purge", "--status", id.as_str()];
    args.extend(fast);
    assert!(env.run(&args).ok().stdout.contains("completed"));
}

#[test]
fn custom_metadata_fields() {
    let env = Env::start();
    let created = env
        .run(&["fields", "create", "price", "--type", "Number", "--min-value", "0", "--max-value", "500", "--json"])
        .ok()
        .json();
    assert_eq!(created["schema"]["maxValue"], 500);
    let id = created["id"].as_str().unwrap().to_owned();
    let sizes = env
        .run(&[
            "fields",
            "create",
            "size",
            "--label",
            "Size",
            "--type",
            "SingleSelect",
            "--select-options",
            "S,M,L",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(sizes["schema"]["selectOptions"], serde_json::json!(["S", "M", "L"]));

    let listed = env.run(&["fields", "ls", "--json"]).ok().json_lines();
    assert_eq!(paths(&listed, "name"), ["price", "size"]);
    let table = env.run(&["fields", "ls"]).ok().stdout;
    assert!(table.contains("SingleSelect") && table.contains("price"), "{table}");

    let updated = env.run(&["fields", "update", &id, "--label", "Cost", "--max-value", "1000", "--json"]).ok().json();
    assert_eq!(updated["label"], "Cost");
    assert_eq!(updated["schema"]["maxValue"], 1000);
    env.run(&["fields", "update", &id]).expect(1);
    env.run(&["fields", "create", "untyped"]).expect(1);

    env.run(&["fields", "rm", &id]).ok();
    assert_eq!(env.run(&["fields", "ls", "--json"]).ok().json_lines().len(), 1);
}

#[test]
fn errors_exit_codes_and_keys() {
    let env = Env::start();
    // An API error: the message and the status on stderr, exit 1; -v shows the setup, never the key.
    let run = env.run(&["get", "no_such_file", "-v"]).expect(1);
    assert!(run.stderr.contains("status: 404"), "{}", run.stderr);
    assert!(run.stderr.contains("private key set"), "{}", run.stderr);
    let run = env.run(&["get", "no_such_file", "--json"]).expect(1);
    let err: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(err["error"]["status"], 404);
    assert!(err["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    // -vv logs each request; still no key.
    env.run(&["ls", "-vv"]).ok();

    // No key at all.
    let run = Run::of(bare().args(["--base-url", &env.emu.base_url(), "ls"])).expect(1);
    assert!(run.stderr.contains("--private-key"), "{}", run.stderr);
    // The key from the environment works like the flag.
    let mut cmd = bare();
    cmd.env("IMAGEKIT_PRIVATE_KEY", KEY).env("IMAGEKIT_BASE_URL", env.emu.base_url()).args(["ls"]);
    Run::of(&mut cmd).ok();
    // Bad flags are clap's: exit 2.
    Run::of(bare().args(["ls", "--no-such-flag"])).expect(2);
    Run::of(bare().args(["no-such-command"])).expect(2);
    // A closed stdout ends a listing quietly.
    env.run(&["upload", tree("pipe").str(), "-r"]).ok();
    let mut child = env.cmd().args(["ls"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    assert!(child.wait().unwrap().code().is_some_and(|c| c == 0 || c == 1));
}

/// A server that answers every request with the same 404, as ImageKit does:
/// a JSON message and an `x-ik-requestId`.
fn one_answer_server() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let body = r#"{"message":"The requested file does not exist.","help":"For support kindly contact us at support@imagekit.io ."}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nx-ik-requestId: req_cli_42\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn api_errors_show_the_message_status_and_request_id() {
    let base = one_answer_server();
    let run = Run::of(bare().args(["--base-url", &base, "--private-key", KEY, "get", "f_1"])).expect(1);
    assert!(run.stderr.contains("error: The requested file does not exist."), "{}", run.stderr);
    assert!(run.stderr.contains("status: 404 Not Found"), "{}", run.stderr);
    assert!(run.stderr.contains("request id: req_cli_42"), "{}", run.stderr);
    let run = Run::of(bare().args(["--base-url", &base, "--private-key", KEY, "get", "f_1", "--json"])).expect(1);
    let err: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(err["error"]["requestId"], "req_cli_42");
    assert_eq!(err["error"]["status"], 404);
}

#[test]
fn the_api_subcommand() {
    let env = Env::start();
    let dir = tree("api");
    let path = format!("@{}", dir.path().join("top.txt").display());
    let params = serde_json::json!({"file": path, "folder": "/api", "useUniqueFileName": false}).to_string();
    let uploaded = env.run(&["api", "files.upload", &params, "--json"]).ok().json();
    assert_eq!(uploaded["filePath"], "/api/top.txt");
    let listed = env.run(&["api", "assets.list", r#"{"path":"/api"}"#]).ok().json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let run = env.run(&["api", "files.nope", "{}"]).expect(1);
    assert!(!run.stderr.is_empty());
    env.run(&["api", "files.get", "{not json"]).expect(1);
    let run = env.run(&["api", "files.get", r#"{"fileId":"missing"}"#]).expect(1);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
}

#[test]
fn the_emulator_subcommand() {
    let mut child = bare()
        .args(["emulator", "--port", "0", "--private-key", KEY, "--imagekit-id", "cli"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("imagekit emulator listening on http://127.0.0.1:"), "{line}");
    assert!(line.contains("private key set by --private-key") && !line.contains(KEY), "{line}");
    let base = line.split_whitespace().nth(4).unwrap().to_owned();
    assert!(line.contains(&format!("url endpoint {base}/cli")), "{line}");

    let mut cmd = bare();
    cmd.args(["--base-url", &base, "--private-key", KEY, "folder", "create", "/x"]);
    Run::of(&mut cmd).ok();

    // SIGTERM stops it cleanly.
    std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}
