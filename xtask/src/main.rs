//! Project automation, run as `cargo xtask <task>`.
//!
//! Kept dependency-free so that `cargo xtask ci` builds in seconds on a fresh machine.

use std::env;
use std::process::{Command, ExitCode};

/// One step of a task: a program, its arguments and extra environment.
struct Step {
    program: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const CI: &[Step] = &[
    Step { program: "cargo", args: &["fmt", "--all", "--check"], env: &[] },
    Step { program: "cargo", args: &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], env: &[] },
    Step { program: "cargo", args: &["test", "--workspace"], env: &[] },
    Step { program: "cargo", args: &["doc", "--workspace", "--no-deps"], env: &[("RUSTDOCFLAGS", "-D warnings")] },
];

const DENY: &[Step] = &[Step { program: "cargo", args: &["deny", "check"], env: &[] }];

fn run(steps: &[Step]) -> ExitCode {
    for step in steps {
        eprintln!("xtask: {} {}", step.program, step.args.join(" "));
        let status = Command::new(step.program).args(step.args).envs(step.env.iter().copied()).status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("xtask: `{} {}` failed with {s}", step.program, step.args.join(" "));
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("xtask: could not run `{}`: {e}", step.program);
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn deny() -> ExitCode {
    // cargo-deny is optional on a fresh machine; say so rather than fail.
    let present = Command::new("cargo").args(["deny", "--version"]).output().is_ok_and(|o| o.status.success());
    if !present {
        eprintln!("xtask: cargo-deny is not installed (cargo install --locked cargo-deny); skipping");
        return ExitCode::SUCCESS;
    }
    run(DENY)
}

fn main() -> ExitCode {
    let task = env::args().nth(1);
    match task.as_deref() {
        Some("ci") => run(CI),
        Some("deny") => deny(),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\ntasks:\n  ci     fmt, clippy, test, doc (what CI runs)\n  deny   cargo deny check, when cargo-deny is installed"
            );
            ExitCode::FAILURE
        }
    }
}
