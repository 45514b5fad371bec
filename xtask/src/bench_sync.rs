//! `cargo xtask bench-sync [--files N] [--rate-limit R] [--size BYTES]`: how fast `imagekit sync`
//! uploads N small files to an emulator that allows R API requests a second, how close that is to
//! the limit, the sync process's peak RSS, and whether a rerun after 1% of the remote files is
//! deleted uploads exactly those.
//!
//! Std only, like the rest of xtask: the numbers come from the CLI's `--json` summary line and
//! its `IMAGEKIT_CLI_REPORT_PEAK_RSS=1` report (`VmHWM`); wall time is measured here.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

/// The private key the benchmark's emulator expects.
const KEY: &str = "private_bench_sync";
/// The remote folder synced into.
const FOLDER: &str = "/bench";
/// Local sub-directories the files are spread over: deleting one remotely is 1%.
const DIRS: u64 = 100;

struct Options {
    files: u64,
    rate_limit: u32,
    size: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options { files: 10_000, rate_limit: 200, size: 100 };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag}: `{value}` is not a positive whole number");
        match flag.as_str() {
            "--files" => o.files = value.parse().map_err(bad)?,
            "--rate-limit" => o.rate_limit = value.parse().map_err(bad)?,
            "--size" => o.size = value.parse().map_err(bad)?,
            _ => return Err(format!("unknown flag {flag} (expected --files, --rate-limit, --size)")),
        }
    }
    if o.files < DIRS || o.rate_limit == 0 || o.size < 16 {
        return Err(format!("--files must be at least {DIRS}, --rate-limit at least 1, --size at least 16"));
    }
    Ok(o)
}

/// Run the benchmark.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("xtask: bench-sync: {e}");
            return ExitCode::FAILURE;
        }
    };
    match bench(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("xtask: bench-sync: a check failed (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("xtask: bench-sync: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn release_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from).join("release")
}

fn bench(o: &Options) -> Result<bool, String> {
    let status = Command::new("cargo")
        .args(["build", "--release", "-p", "imagekit-emulator", "-p", "imagekit-cli"])
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the release build failed ({status})"));
    }
    let dir = std::env::temp_dir().join(format!("imagekit-bench-sync-{}", std::process::id()));
    let started = Instant::now();
    let per_dir = generate(&dir, o)?;
    eprintln!("xtask: {} files of {} bytes in {} ({:.1} s)", o.files, o.size, dir.display(), secs(started));
    let mut emulator = Emulator::start(o.rate_limit)?;
    let result = measure(&emulator.base_url, &dir, o, per_dir);
    emulator.stop();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// `files` files spread over [`DIRS`] directories, each with unique contents; how many the
/// first directory holds.
fn generate(dir: &Path, o: &Options) -> Result<u64, String> {
    let io = |e: std::io::Error| format!("cannot write the files under {}: {e}", dir.display());
    let per_dir = o.files / DIRS;
    for i in 0..o.files {
        let d = (i / per_dir).min(DIRS - 1);
        let sub = dir.join(format!("d{d:02}"));
        if i % per_dir == 0 && d * per_dir == i {
            std::fs::create_dir_all(&sub).map_err(io)?;
        }
        let mut body = format!("file {i:010}\n").into_bytes();
        // A cheap xorshift fills the rest, seeded by the index: unique, not compressible.
        let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        while body.len() < o.size {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push(b'a' + (x % 26) as u8);
        }
        body.truncate(o.size);
        std::fs::write(sub.join(format!("f{i:07}.txt")), &body).map_err(io)?;
    }
    Ok(per_dir)
}

struct Emulator {
    child: Child,
    base_url: String,
}

impl Emulator {
    fn start(rate_limit: u32) -> Result<Emulator, String> {
        let bin = release_dir().join("imagekit-emulator");
        let mut child = Command::new(&bin)
            .args(["--port", "0", "--rate-limit", &rate_limit.to_string()])
            .env("IMAGEKIT_PRIVATE_KEY", KEY)
            // One log line per request would cost the shared CPU; warnings only.
            .env("RUST_LOG", "imagekit_emulator=warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("the emulator has no stdout")?;
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        lines.read_line(&mut first).map_err(|e| format!("cannot read the emulator's first line: {e}"))?;
        // "... listening on http://127.0.0.1:PORT (...)"
        let base_url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .ok_or_else(|| format!("no URL in the emulator's first line: {first:?}"))?
            .to_owned();
        // Keep draining its stdout so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut lines, &mut std::io::sink());
        });
        eprintln!("xtask: emulator at {base_url}, --rate-limit {rate_limit}");
        Ok(Emulator { child, base_url })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `imagekit` run against the emulator.
struct CliRun {
    seconds: f64,
    summary: String,
    peak_rss_kib: Option<u64>,
    code: Option<i32>,
}

fn imagekit(base_url: &str, args: &[&str]) -> Result<CliRun, String> {
    let bin = release_dir().join("imagekit");
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["--base-url", base_url, "--json"])
        .args(args)
        .env("IMAGEKIT_PRIVATE_KEY", KEY)
        .env("IMAGEKIT_CLI_REPORT_PEAK_RSS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    // Only the last line (the summary) is kept: a line per file would be 100,000 lines.
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut last = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !line.trim().is_empty() {
                last = line;
            }
        }
        last
    });
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(|e| format!("waiting for imagekit: {e}"))?;
    let seconds = secs(started);
    let summary = reader.join().unwrap_or_default();
    let peak_rss_kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("imagekit: peak RSS "))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
        eprintln!("xtask: imagekit {} exited with {status}; stderr ends:", args.join(" "));
        for l in tail.iter().rev() {
            eprintln!("  {l}");
        }
    }
    Ok(CliRun { seconds, summary, peak_rss_kib, code: status.code() })
}

fn measure(base_url: &str, dir: &Path, o: &Options, per_dir: u64) -> Result<bool, String> {
    let dir_s = dir.to_str().ok_or("the temp dir is not UTF-8")?;
    let sync = ["sync", dir_s, FOLDER, "--progress", "never"];
    println!("bench-sync: {} files of {} bytes, emulator --rate-limit {}", o.files, o.size, o.rate_limit);
    println!("cores: {}", std::thread::available_parallelism().map_or(0, usize::from));

    let first = imagekit(base_url, &sync)?;
    let uploaded = field(&first.summary, "uploaded");
    let failed = field(&first.summary, "failed");
    let rate = uploaded.unwrap_or(0) as f64 / first.seconds;
    println!("first run: {}", first.summary);
    println!(
        "  wall {:.1} s, {rate:.1} files/s, {:.3} of the limit, peak RSS {}, failed {}",
        first.seconds,
        rate / f64::from(o.rate_limit),
        mib(first.peak_rss_kib),
        failed.map_or("?".to_owned(), |f| f.to_string()),
    );
    let mut ok = first.code == Some(0) && uploaded == Some(o.files) && failed == Some(0);

    // Resume: 1% of the remote files disappear; the next run must upload exactly those.
    let gone = format!("{FOLDER}/d00");
    let rm = imagekit(base_url, &["folder", "rm", &gone])?;
    if rm.code != Some(0) {
        return Err(format!("could not delete {gone}"));
    }
    let second = imagekit(base_url, &sync)?;
    println!("after deleting {gone} ({per_dir} files): {}", second.summary);
    let (up2, unchanged2) = (field(&second.summary, "uploaded"), field(&second.summary, "unchanged"));
    println!(
        "  wall {:.1} s, uploaded {} (expected {per_dir}), unchanged {} (expected {}), peak RSS {}",
        second.seconds,
        up2.map_or("?".to_owned(), |n| n.to_string()),
        unchanged2.map_or("?".to_owned(), |n| n.to_string()),
        o.files - per_dir,
        mib(second.peak_rss_kib),
    );
    ok &= second.code == Some(0) && up2 == Some(per_dir) && unchanged2 == Some(o.files - per_dir);
    let _ = std::io::stdout().flush();
    Ok(ok)
}

/// A whole number field of the `{"summary": {...}}` line.
fn field(summary: &str, key: &str) -> Option<u64> {
    let at = summary.find(&format!("\"{key}\":"))? + key.len() + 3;
    let digits: String = summary[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "unknown".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn secs(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn summary_fields() {
        let line = r#"{"summary":{"dryRun":false,"uploaded":1200,"unchanged":3,"failed":0,"failures":[]}}"#;
        assert_eq!(field(line, "uploaded"), Some(1200));
        assert_eq!(field(line, "unchanged"), Some(3));
        assert_eq!(field(line, "failed"), Some(0));
        assert_eq!(field(line, "deleted"), None);
    }
}
