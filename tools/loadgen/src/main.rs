//! Load test and upload benchmark for imagekit-rs.
//!
//! Run through `cargo xtask load` and `cargo xtask bench-upload`; see `docs/performance.md`.
//!
//! * `load [--seconds N] [--clients N]`: N concurrent clients against an in-memory emulator doing mixed
//!   uploads, lists, updates, bulk tag changes and deletes, then a check that exactly the files the clients
//!   believe exist do, byte for byte.
//! * `bench-upload [--size 1GiB]`: uploads a generated file of that size through the SDK to a local sink
//!   (and through `curl` when it is on `PATH`), printing MiB/s and the uploading process's peak RSS.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use http_body_util::BodyExt;
use imagekit::types::{Asset, AssetType, ListAssetsQuery, UpdateFileDetails, UploadParams};
use imagekit::{Client, UploadFile};
use imagekit_transport::{Body, HttpClient, HyperClient};

const USAGE: &str = "usage:
  imagekit-loadgen load [--seconds 30] [--clients 200]
  imagekit-loadgen bench-upload [--size 1GiB]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let result = match args.first().map(String::as_str) {
        Some("load") => rt.block_on(load(&args[1..])),
        Some("bench-upload") => rt.block_on(bench_upload(&args[1..])),
        Some("upload-client") => rt.block_on(upload_client(&args[1..])),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imagekit-loadgen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The value of `--name value` in `args`, if present.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn flag_num(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match flag(args, name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("{name} expects a number, got {v:?}")),
    }
}

/// `1GiB`, `256MiB`, `64KiB`, `1000MB`, `12345` (bytes).
fn parse_size(s: &str) -> Result<u64, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("bad size {s:?}"))?;
    let mult = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => return Err(format!("bad size unit in {s:?} (use KiB, MiB or GiB)")),
    };
    Ok(n * mult)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

// ---------------------------------------------------------------------------------------------------------
// load

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Op {
    Upload,
    List,
    Update,
    BulkTags,
    Delete,
}

impl Op {
    const ALL: [Op; 5] = [Op::Upload, Op::List, Op::Update, Op::BulkTags, Op::Delete];
    fn name(self) -> &'static str {
        match self {
            Op::Upload => "upload",
            Op::List => "list",
            Op::Update => "update",
            Op::BulkTags => "bulk add_tags",
            Op::Delete => "delete",
        }
    }
    fn pick(owned: usize) -> Op {
        if owned == 0 {
            return Op::Upload;
        }
        match fastrand::u32(0..100) {
            0..35 => Op::Upload,
            35..55 => Op::List,
            55..70 => Op::Update,
            70..85 => Op::BulkTags,
            _ => Op::Delete,
        }
    }
}

#[derive(Default)]
struct Tally {
    ok: HashMap<Op, u64>,
    err: HashMap<Op, u64>,
    list_mismatches: u64,
    first_errors: Vec<String>,
}

impl Tally {
    fn record(&mut self, op: Op, result: Result<(), String>) {
        match result {
            Ok(()) => *self.ok.entry(op).or_default() += 1,
            Err(e) => {
                *self.err.entry(op).or_default() += 1;
                if self.first_errors.len() < 5 {
                    self.first_errors.push(format!("{}: {e}", op.name()));
                }
            }
        }
    }
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.ok {
            *self.ok.entry(k).or_default() += v;
        }
        for (k, v) in other.err {
            *self.err.entry(k).or_default() += v;
        }
        self.list_mismatches += other.list_mismatches;
        for e in other.first_errors {
            if self.first_errors.len() < 10 {
                self.first_errors.push(e);
            }
        }
    }
}

/// One simulated client: its own folder, the files it believes exist (id → bytes).
async fn run_client(client: Client, n: usize, deadline: Instant) -> (HashMap<String, Bytes>, Tally) {
    let folder = format!("/load/c{n}");
    let mut owned: HashMap<String, Bytes> = HashMap::new();
    let mut tally = Tally::default();
    let mut seq = 0u64;
    while Instant::now() < deadline {
        let op = Op::pick(owned.len());
        let result = match op {
            Op::Upload => {
                seq += 1;
                let len = fastrand::usize(16..4096);
                let data: Bytes = std::iter::repeat_with(|| fastrand::u8(..)).take(len).collect::<Vec<_>>().into();
                let params = UploadParams::new(format!("f{seq}.bin")).folder(folder.clone()).use_unique_file_name(true);
                match client.files().upload(UploadFile::bytes(data.clone()), params).await {
                    Ok(up) => match up.file_id {
                        Some(id) => {
                            owned.insert(id, data);
                            Ok(())
                        }
                        None => Err("upload response without fileId".to_owned()),
                    },
                    Err(e) => Err(e.to_string()),
                }
            }
            Op::List => {
                let query = ListAssetsQuery::default().path(folder.clone()).kind(AssetType::File).limit(1000u64);
                match client.assets().list(query).await {
                    Ok(items) => {
                        if owned.len() < 1000 {
                            let listed: BTreeSet<&str> = items
                                .iter()
                                .filter_map(|a| match a {
                                    Asset::File(f) => f.file_id.as_deref(),
                                    _ => None,
                                })
                                .collect();
                            let mine: BTreeSet<&str> = owned.keys().map(String::as_str).collect();
                            if listed != mine {
                                tally.list_mismatches += 1;
                            }
                        }
                        Ok(())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Op::Update => {
                let id = pick_id(&owned);
                let tag = format!("t{}", fastrand::u8(0..8));
                client
                    .files()
                    .update(&id, UpdateFileDetails::default().tags([tag]))
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Op::BulkTags => {
                let ids: Vec<String> =
                    (0..fastrand::usize(1..=3)).map(|_| pick_id(&owned)).collect::<BTreeSet<_>>().into_iter().collect();
                let tags = vec![format!("bulk{}", fastrand::u8(0..4))];
                client.files().bulk().add_tags(ids, tags).await.map(drop).map_err(|e| e.to_string())
            }
            Op::Delete => {
                let id = pick_id(&owned);
                match client.files().delete(&id).await {
                    Ok(()) => {
                        owned.remove(&id);
                        Ok(())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
        };
        tally.record(op, result);
    }
    (owned, tally)
}

fn pick_id(owned: &HashMap<String, Bytes>) -> String {
    let i = fastrand::usize(..owned.len());
    owned.keys().nth(i).cloned().expect("non-empty")
}

async fn load(args: &[String]) -> Result<(), String> {
    let seconds = flag_num(args, "--seconds", 30)?;
    let clients = flag_num(args, "--clients", 200)? as usize;
    let emu = imagekit_emulator::Emulator::builder().start().await.map_err(|e| format!("emulator: {e}"))?;
    let client = Client::builder()
        .private_key(emu.private_key())
        .public_key(emu.public_key())
        .base_url(emu.base_url())
        .url_endpoint(emu.url_endpoint())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    println!("load: {clients} clients for {seconds} s against the emulator at {}", emu.base_url());

    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients).map(|n| tokio::spawn(run_client(client.clone(), n, deadline))).collect();
    let mut expected: HashMap<String, Bytes> = HashMap::new();
    let mut tally = Tally::default();
    for t in tasks {
        let (owned, t) = t.await.map_err(|e| format!("client task: {e}"))?;
        expected.extend(owned);
        tally.merge(t);
    }
    let elapsed = start.elapsed().as_secs_f64();

    println!("\n{:<14} {:>9} {:>9} {:>7}", "operation", "ok", "ops/s", "errors");
    let (mut total_ok, mut total_err) = (0, 0);
    for op in Op::ALL {
        let ok = tally.ok.get(&op).copied().unwrap_or(0);
        let err = tally.err.get(&op).copied().unwrap_or(0);
        total_ok += ok;
        total_err += err;
        println!("{:<14} {:>9} {:>9.1} {:>7}", op.name(), ok, ok as f64 / elapsed, err);
    }
    println!("{:<14} {:>9} {:>9.1} {:>7}", "total", total_ok, total_ok as f64 / elapsed, total_err);
    println!("elapsed {elapsed:.1} s; in-run list mismatches: {}", tally.list_mismatches);
    for e in &tally.first_errors {
        println!("  error: {e}");
    }

    // Verification: exactly the believed files exist, byte for byte.
    let verify_start = Instant::now();
    let listed: Vec<Asset> = client
        .assets()
        .list_all(ListAssetsQuery::default().kind(AssetType::File))
        .try_collect()
        .await
        .map_err(|e| format!("list_all: {e}"))?;
    let mut urls: HashMap<String, String> = HashMap::new();
    let mut unexpected = Vec::new();
    for asset in &listed {
        if let Asset::File(f) = asset {
            let id = f.file_id.clone().unwrap_or_default();
            if !expected.contains_key(&id) {
                unexpected.push(f.file_path.clone().unwrap_or(id.clone()));
            }
            urls.insert(id, f.url.clone().unwrap_or_default());
        }
    }
    let missing: Vec<&String> = expected.keys().filter(|id| !urls.contains_key(*id)).collect();
    let http = HyperClient::new().map_err(|e| e.to_string())?;
    let http = &http;
    let bad_bytes: Vec<String> = futures::stream::iter(expected.iter().filter_map(|(id, data)| {
        urls.get(id).map(|url| async move {
            let req = http::Request::get(url.as_str()).body(Body::empty()).expect("request");
            match http.send(req).await {
                Ok(resp) if resp.status() == 200 => match resp.into_body().collect().await {
                    Ok(body) if body == *data => None,
                    Ok(body) => Some(format!("{id}: {} bytes, expected {}", body.len(), data.len())),
                    Err(e) => Some(format!("{id}: {e}")),
                },
                Ok(resp) => Some(format!("{id}: HTTP {}", resp.status())),
                Err(e) => Some(format!("{id}: {e}")),
            }
        })
    }))
    .buffer_unordered(32)
    .filter_map(|r| async move { r })
    .collect()
    .await;
    println!(
        "\nverify: {} files expected, {} listed, {} missing, {} unexpected, {} with wrong bytes ({:.1} s)",
        expected.len(),
        listed.len(),
        missing.len(),
        unexpected.len(),
        bad_bytes.len(),
        verify_start.elapsed().as_secs_f64()
    );
    for m in missing.iter().take(5) {
        println!("  missing: {m}");
    }
    for u in unexpected.iter().take(5) {
        println!("  unexpected: {u}");
    }
    for b in bad_bytes.iter().take(5) {
        println!("  wrong bytes: {b}");
    }
    emu.shutdown().await;
    let failed =
        !missing.is_empty() || !unexpected.is_empty() || !bad_bytes.is_empty() || listed.len() != expected.len();
    if failed || tally.list_mismatches > 0 || total_err > 0 {
        return Err(format!(
            "FAILED: {} mismatches, {} in-run list mismatches, {total_err} errors",
            missing.len() + unexpected.len() + bad_bytes.len(),
            tally.list_mismatches
        ));
    }
    println!("load: OK");
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// bench-upload

/// A local server that discards request bodies, counts their bytes and answers `{"fileId":"x"}`.
async fn start_sink() -> Result<(String, Arc<AtomicU64>), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let count = Arc::new(AtomicU64::new(0));
    let total = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let total = total.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let total = total.clone();
                    async move {
                        let mut body = req.into_body();
                        while let Some(frame) = body.frame().await {
                            match frame {
                                Ok(f) => {
                                    if let Some(d) = f.data_ref() {
                                        total.fetch_add(d.len() as u64, Ordering::Relaxed);
                                    }
                                }
                                Err(_) => break,
                            }
                        }
                        let resp = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(http_body_util::Full::new(Bytes::from_static(br#"{"fileId":"x"}"#)))
                            .expect("response");
                        Ok::<_, Infallible>(resp)
                    }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    Ok((format!("http://{addr}"), count))
}

fn write_file(path: &Path, size: u64) -> Result<(), String> {
    use std::io::Write;
    let mut rng = fastrand::Rng::with_seed(7);
    let block: Vec<u8> = std::iter::repeat_with(|| rng.u8(..)).take(1 << 20).collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        f.write_all(&block[..n]).map_err(|e| e.to_string())?;
        left -= n as u64;
    }
    f.flush().map_err(|e| e.to_string())
}

/// The peak resident set size of this process, in KiB (`VmHWM` in `/proc/self/status`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Child mode: upload `--file` to `--url` through the SDK, print `secs <f> rss_kib <n>`.
async fn upload_client(args: &[String]) -> Result<(), String> {
    let url = flag(args, "--url").ok_or("--url is required")?;
    let file = flag(args, "--file").ok_or("--file is required")?;
    let client = Client::builder()
        .private_key("private_bench")
        .base_url(url)
        .timeout(Duration::from_secs(3600))
        .max_retries(0)
        .build()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let up = client
        .files()
        .upload(UploadFile::path(file), UploadParams::new("bench.bin").use_unique_file_name(false))
        .await
        .map_err(|e| format!("upload: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    if up.file_id.as_deref() != Some("x") {
        return Err(format!("unexpected response {up:?}"));
    }
    println!("secs {secs} rss_kib {}", peak_rss_kib().unwrap_or(0));
    Ok(())
}

async fn bench_upload(args: &[String]) -> Result<(), String> {
    let size = parse_size(flag(args, "--size").unwrap_or("1GiB"))?;
    let (url, received) = start_sink().await?;
    let dir = std::env::temp_dir().join(format!("imagekit-bench-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path: PathBuf = dir.join("bench.bin");
    let result = bench_with_file(size, &url, &received, &path).await;
    std::fs::remove_dir_all(&dir).ok();
    result
}

async fn bench_with_file(size: u64, url: &str, received: &AtomicU64, path: &Path) -> Result<(), String> {
    println!("bench-upload: generating {:.0} MiB at {}", mib(size), path.display());
    write_file(path, size)?;
    println!("bench-upload: sink at {url}");

    // The SDK upload runs in a child process so that its peak RSS is the client's alone.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let before = received.load(Ordering::Relaxed);
    let out = tokio::process::Command::new(exe)
        .args(["upload-client", "--url", url, "--file"])
        .arg(path)
        .stderr(Stdio::inherit())
        .output()
        .await
        .map_err(|e| format!("spawn client: {e}"))?;
    if !out.status.success() {
        return Err(format!("client failed: {}", out.status));
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let mut words = line.split_whitespace();
    let (secs, rss_kib) = match (words.next(), words.next(), words.next(), words.next()) {
        (Some("secs"), Some(s), Some("rss_kib"), Some(r)) => {
            (s.parse::<f64>().map_err(|e| e.to_string())?, r.parse::<u64>().map_err(|e| e.to_string())?)
        }
        _ => return Err(format!("unexpected client output {line:?}")),
    };
    let sdk_bytes = received.load(Ordering::Relaxed) - before;
    let sdk_mibs = mib(size) / secs;
    println!("\n{:<10} {:>10} {:>10} {:>14} {:>14}", "client", "seconds", "MiB/s", "peak RSS MiB", "body bytes");
    println!("{:<10} {:>10.2} {:>10.1} {:>14.1} {:>14}", "sdk", secs, sdk_mibs, rss_kib as f64 / 1024.0, sdk_bytes);

    let curl = Command::new("curl").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !curl {
        println!("curl is not on PATH: no comparison");
        return check_targets(sdk_bytes, size, rss_kib, None);
    }
    let before = received.load(Ordering::Relaxed);
    let start = Instant::now();
    let status = tokio::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-F"])
        .arg(format!("file=@{}", path.display()))
        .arg(format!("{url}/api/v1/files/upload"))
        .status()
        .await
        .map_err(|e| format!("curl: {e}"))?;
    let curl_secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("curl failed: {status}"));
    }
    let curl_bytes = received.load(Ordering::Relaxed) - before;
    let curl_mibs = mib(size) / curl_secs;
    println!("{:<10} {:>10.2} {:>10.1} {:>14} {:>14}", "curl", curl_secs, curl_mibs, "-", curl_bytes);
    println!("sdk/curl throughput: {:.0}%", 100.0 * sdk_mibs / curl_mibs);
    check_targets(sdk_bytes, size, rss_kib, Some(sdk_mibs / curl_mibs))
}

fn check_targets(sdk_bytes: u64, size: u64, rss_kib: u64, ratio: Option<f64>) -> Result<(), String> {
    let mut misses = Vec::new();
    if sdk_bytes < size {
        misses.push(format!("the sink received {sdk_bytes} bytes, fewer than the file's {size}"));
    }
    if rss_kib > 24 * 1024 {
        misses.push(format!("peak RSS {:.1} MiB > 24 MiB", rss_kib as f64 / 1024.0));
    }
    if let Some(r) = ratio.filter(|r| *r < 0.9) {
        misses.push(format!("throughput {:.0}% of curl < 90%", r * 100.0));
    }
    if misses.is_empty() {
        println!("bench-upload: targets met (>= 90% of curl, <= 24 MiB peak RSS)");
        Ok(())
    } else {
        Err(format!("targets missed: {}", misses.join("; ")))
    }
}
