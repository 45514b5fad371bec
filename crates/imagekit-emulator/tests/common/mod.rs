//! The emulator binary as a child process, for tests that measure it or crash it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_imagekit-emulator");

/// A running `imagekit-emulator` on a free port; killed (SIGKILL, like a crash) on drop.
pub struct Emu {
    pub child: Child,
    /// `127.0.0.1:PORT`, from its first stdout line.
    pub host: String,
}

impl Emu {
    /// Starts the binary with `--data-dir data_dir` and `private_key`, and waits until it listens.
    pub fn start(data_dir: &Path, private_key: &str) -> Emu {
        let mut child = Command::new(BIN)
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .env("IMAGEKIT_PRIVATE_KEY", private_key)
            .env_remove("IMAGEKIT_PUBLIC_KEY")
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let host = line
            .strip_prefix("imagekit-emulator listening on http://")
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Emu { child, host }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
