//! Shared by the CLI tests: an emulator in the test process, the `imagekit`
//! binary pointed at it, and scratch directories.
#![allow(dead_code)] // each test binary uses a part of this

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use imagekit_emulator::{Emulator, Faults, RunningEmulator};

/// The private key the test emulators expect; no output may ever contain it.
pub const KEY: &str = "private_cli_test_k3y_never_printed";

/// The environment variables the binary would otherwise pick up from the host.
const HOST_VARS: &[&str] = &[
    "IMAGEKIT_PRIVATE_KEY",
    "IMAGEKIT_PUBLIC_KEY",
    "IMAGEKIT_URL_ENDPOINT",
    "IMAGE_KIT_BASE_URL",
    "IMAGEKIT_BASE_URL",
    "IMAGEKIT_WEBHOOK_SECRET",
    "IMAGE_KIT_CUSTOM_HEADERS",
    "IMAGEKIT_CLI_REPORT_PEAK_RSS",
];

/// An emulator serving on its own runtime while the test runs the binary.
pub struct Env {
    pub emu: RunningEmulator,
    _rt: tokio::runtime::Runtime,
}

impl Env {
    /// Start an emulator that expects [`KEY`].
    pub fn start() -> Env {
        Env::with_faults(Faults::default())
    }

    /// [`Env::start`] with fault injection.
    pub fn with_faults(faults: Faults) -> Env {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let emu = rt.block_on(Emulator::builder().private_key(KEY).faults(faults).start()).unwrap();
        Env { emu, _rt: rt }
    }

    /// `imagekit` with the connection flags for this emulator.
    pub fn cmd(&self) -> Command {
        let mut cmd = bare();
        cmd.args(["--base-url", &self.emu.base_url(), "--private-key", KEY, "--url-endpoint", self.emu.url_endpoint()]);
        cmd
    }

    /// Run `imagekit <args>` against the emulator.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.cmd();
        cmd.args(args);
        Run::of(&mut cmd)
    }
}

/// `imagekit` with no configuration from the host.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imagekit"));
    for var in HOST_VARS {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").stdin(Stdio::null());
    cmd
}

/// What a run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Run {
        let out: Output = cmd.output().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY), "the private key was printed");
        run
    }

    /// Panics with both streams unless the exit status is `code`.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, code, "exit status\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    pub fn ok(self) -> Run {
        self.expect(0)
    }

    /// Stdout as JSON lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect()
    }

    /// Stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON: {}: {e}", self.stdout))
    }
}

/// A scratch directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("imagekit-cli-{name}-{}-{}", std::process::id(), fastrand_u64()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Write `contents` at `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn str(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fastrand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    h.finish()
}
