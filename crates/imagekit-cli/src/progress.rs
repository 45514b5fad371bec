//! Progress bars for transfers: one bar per file in flight and an overall one
//! (bytes, rate, ETA), drawn on stderr with indicatif's `MultiProgress`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::ValueEnum;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use crate::error::CliResult;
use crate::output::Output;

/// When to draw progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// When stdout and stderr are both terminals.
    Auto,
    /// Always, on stderr, even when it is not a terminal (then as if it were one
    /// `COLUMNS` wide, 100 by default).
    Always,
    /// Never.
    Never,
}

impl ProgressMode {
    /// Whether bars are drawn in this environment.
    pub fn enabled(self) -> bool {
        match self {
            ProgressMode::Always => true,
            ProgressMode::Never => false,
            ProgressMode::Auto => {
                std::io::stdout().is_terminal()
                    && std::io::stderr().is_terminal()
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

const FILE_TEMPLATE: &str =
    "  [{bar:24.cyan/blue}] {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12} ETA {eta:>3} {wide_msg}";
const OVERALL_TEMPLATE: &str = "{spinner:.green} [{bar:24.green/white}] {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12} ETA {eta:>3} {elapsed:>4} {msg}";

/// The bars of one transfer. Without bars every method is a cheap no-op, so the
/// transfer code does not care whether they are drawn.
pub struct Progress {
    multi: Option<MultiProgress>,
    overall: ProgressBar,
    files: u64,
}

impl Progress {
    /// Bars for `files` files of `total_bytes` bytes in all, drawn as `mode` says.
    pub fn new(mode: ProgressMode, total_bytes: u64, files: u64) -> Self {
        let target = match mode {
            ProgressMode::Always if !std::io::stderr().is_terminal() => {
                ProgressDrawTarget::term_like_with_hz(Box::new(StderrTerm), 10)
            }
            _ if mode.enabled() => ProgressDrawTarget::stderr_with_hz(10),
            _ => {
                return Progress { multi: None, overall: ProgressBar::hidden(), files };
            }
        };
        let multi = MultiProgress::with_draw_target(target);
        let overall = multi.add(ProgressBar::new(total_bytes));
        overall.set_style(style(OVERALL_TEMPLATE));
        overall.set_message(format!("0/{files} files"));
        overall.tick();
        Progress { multi: Some(multi), overall, files }
    }

    /// A bar for the file at `path`, of `len` bytes, above the overall bar,
    /// labelled with the file's name (see [`label`]).
    pub fn file_bar(&self, path: &Path, len: u64) -> FileBar {
        let bar = match &self.multi {
            None => ProgressBar::hidden(),
            Some(multi) => {
                let bar = multi.insert_before(&self.overall, ProgressBar::new(len));
                bar.set_style(style(FILE_TEMPLATE));
                bar.set_message(label(path));
                bar
            }
        };
        FileBar { bar, overall: self.overall.clone(), len, counted: Arc::new(AtomicU64::new(0)) }
    }

    /// One file is done: its bar goes away.
    pub fn file_done(&self, file: &FileBar) {
        file.bar.finish_and_clear();
        if let Some(multi) = &self.multi {
            multi.remove(&file.bar);
        }
    }

    /// `done` files of the transfer are done.
    pub fn set_done(&self, done: u64) {
        self.overall.set_message(format!("{done}/{} files", self.files));
    }

    /// Print a result line on stdout without tearing the bars.
    pub fn print(&self, out: &Output, f: impl FnOnce(&Output) -> CliResult) -> CliResult {
        match &self.multi {
            Some(multi) => multi.suspend(|| f(out)),
            None => f(out),
        }
    }

    /// Leave the overall bar in its final state.
    pub fn finish(&self) {
        if self.multi.is_some() {
            self.overall.finish();
        }
    }
}

/// The bar of one file, moved by the SDK's progress events, and its share of
/// the overall bar.
pub struct FileBar {
    bar: ProgressBar,
    overall: ProgressBar,
    /// The file's size, which the bars count in.
    len: u64,
    /// What this file has added to the overall bar.
    counted: Arc<AtomicU64>,
}

impl FileBar {
    /// The callback for [`imagekit::Call::on_progress`]: moves this bar and
    /// the overall one; a new attempt (which starts from 0) takes back what
    /// the last one added.
    pub fn callback(&self) -> impl Fn(imagekit::UploadProgress) + Send + Sync + 'static {
        let (bar, overall, len, counted) = (self.bar.clone(), self.overall.clone(), self.len, self.counted.clone());
        move |p| {
            let done = file_bytes(p.sent, p.total, len);
            bar.set_position(done);
            let before = counted.swap(done, Ordering::Relaxed);
            if done >= before {
                overall.inc(done - before);
            } else {
                overall.dec(before - done);
            }
        }
    }

    /// The attempt failed: this file's bytes leave the overall bar.
    pub fn reset(&self) {
        self.overall.dec(self.counted.swap(0, Ordering::Relaxed));
        self.bar.set_position(0);
    }
}

/// The SDK counts the whole request body: the file and the form around it (a
/// few hundred bytes). The bars count the file, so the body's progress is
/// scaled onto its `len`: 0 at 0, `len` when the body is sent.
fn file_bytes(sent: u64, total: Option<u64>, len: u64) -> u64 {
    match total {
        Some(total) if total > 0 => (u128::from(sent.min(total)) * u128::from(len) / u128::from(total)) as u64,
        _ => sent.min(len),
    }
}

/// The longest label, in characters.
const LABEL_MAX: usize = 40;

/// A bar's label: the file's name (never the start of a long path), cut in
/// the middle when long so both its start and its extension show.
pub fn label(path: &Path) -> String {
    let name = path.file_name().map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy());
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= LABEL_MAX {
        return name.into_owned();
    }
    let tail = (LABEL_MAX - 1) / 2;
    let head = LABEL_MAX - 1 - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Stderr as a terminal whether or not it is one (`--progress=always`): ANSI
/// cursor movement, the width from `COLUMNS` or 100.
#[derive(Debug)]
struct StderrTerm;

impl StderrTerm {
    fn write(&self, s: &str) -> std::io::Result<()> {
        std::io::stderr().lock().write_all(s.as_bytes())
    }
}

impl TermLike for StderrTerm {
    fn width(&self) -> u16 {
        std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()).filter(|w| *w > 20).unwrap_or(100)
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.write(&format!("\x1b[{n}A")) } else { Ok(()) }
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.write(&format!("\x1b[{n}B")) } else { Ok(()) }
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.write(&format!("\x1b[{n}C")) } else { Ok(()) }
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.write(&format!("\x1b[{n}D")) } else { Ok(()) }
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.write(&format!("{s}\n"))
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.write(s)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.write("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_file_names_cut_in_the_middle() {
        assert_eq!(label(Path::new("/home/someone/photos/2024/summer/beach.jpg")), "beach.jpg");
        assert_eq!(label(Path::new("relative/dir/a.bin")), "a.bin");
        assert_eq!(label(Path::new("a.bin")), "a.bin");
        let long = format!("/tmp/{}.jpeg", "x".repeat(30) + &"y".repeat(30));
        let shown = label(Path::new(&long));
        assert_eq!(shown.chars().count(), LABEL_MAX);
        assert_eq!(shown, format!("{}…{}", "x".repeat(20), "y".repeat(14) + ".jpeg"));
        // Characters, not bytes: a cut never splits one.
        let wide = label(Path::new(&"é".repeat(50)));
        assert_eq!(wide, format!("{}…{}", "é".repeat(20), "é".repeat(19)));
    }

    #[test]
    fn body_progress_is_scaled_onto_the_file() {
        assert_eq!(file_bytes(0, Some(1300), 1000), 0);
        assert_eq!(file_bytes(650, Some(1300), 1000), 500);
        assert_eq!(file_bytes(1300, Some(1300), 1000), 1000);
        assert_eq!(file_bytes(2000, Some(1300), 1000), 1000, "never past the file");
        assert_eq!(file_bytes(700, None, 1000), 700);
        assert_eq!(file_bytes(5000, None, 1000), 1000);
        assert_eq!(file_bytes(0, Some(0), 0), 0);
        // No overflow on huge files.
        assert_eq!(file_bytes(u64::MAX, Some(u64::MAX), u64::MAX - 1), u64::MAX - 1);
    }

    #[test]
    fn a_new_attempt_takes_back_what_the_last_one_added() {
        let progress = Progress { multi: None, overall: ProgressBar::new(2000), files: 1 };
        let file = progress.file_bar(Path::new("/x/a.bin"), 1000);
        let event = |sent, attempt| imagekit::UploadProgress::new(sent, Some(1100), attempt);
        let callback = file.callback();
        callback(event(0, 1));
        callback(event(550, 1));
        assert_eq!(progress.overall.position(), 500);
        // The SDK's retry starts from 0 again.
        callback(event(0, 2));
        assert_eq!(progress.overall.position(), 0);
        callback(event(1100, 2));
        assert_eq!(progress.overall.position(), 1000);
        file.reset();
        assert_eq!(progress.overall.position(), 0);
    }
}
