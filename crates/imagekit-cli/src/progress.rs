//! Progress bars for transfers: one bar per file in flight and an overall one
//! (bytes, rate, ETA), drawn on stderr with indicatif's `MultiProgress`.

use std::io::{IsTerminal, Write};

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

    /// The overall bar (hidden when bars are off).
    pub fn overall(&self) -> &ProgressBar {
        &self.overall
    }

    /// A bar for one file of `len` bytes, above the overall bar.
    pub fn file_bar(&self, name: &str, len: u64) -> ProgressBar {
        match &self.multi {
            None => ProgressBar::hidden(),
            Some(multi) => {
                let bar = multi.insert_before(&self.overall, ProgressBar::new(len));
                bar.set_style(style(FILE_TEMPLATE));
                bar.set_message(name.to_owned());
                bar
            }
        }
    }

    /// One file is done: its bar goes away.
    pub fn file_done(&self, bar: &ProgressBar) {
        bar.finish_and_clear();
        if let Some(multi) = &self.multi {
            multi.remove(bar);
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
