//! Project automation, run as `cargo xtask <task>`.
//!
//! Kept dependency-free so that `cargo xtask ci` builds in seconds on a fresh machine; `load` and
//! `bench-upload` run the separate `imagekit-loadgen` program (tools/loadgen) with `cargo run --release`.

mod bench_sync;

use std::env;
use std::path::{Path, PathBuf};
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
    // The SDK without a runtime (no `tokio`, no default transport) must build cleanly too.
    Step {
        program: "cargo",
        args: &["clippy", "-p", "imagekit", "--lib", "--no-default-features", "--", "-D", "warnings"],
        env: &[],
    },
    Step { program: "cargo", args: &["test", "--workspace"], env: &[] },
    // The docs as docs.rs builds them: every feature, `--cfg docsrs` for the feature badges
    // (`doc(cfg)` is unstable, hence RUSTC_BOOTSTRAP on the stable toolchain).
    Step {
        program: "cargo",
        args: &["doc", "--workspace", "--no-deps", "--all-features"],
        env: &[("RUSTDOCFLAGS", "--cfg docsrs -D warnings"), ("RUSTC_BOOTSTRAP", "1")],
    },
];

/// Licenses, bans and sources need only crates.io; the advisory database cannot be fetched here,
/// so `advisories` is left to a machine that can (`cargo deny check advisories`).
const DENY: &[Step] = &[Step { program: "cargo", args: &["deny", "check", "licenses", "bans", "sources"], env: &[] }];

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

/// Runs cargo-deny. On a developer's machine without it, says so and skips; under CI (`CI` set),
/// where `.ci/run` installs it first, a missing cargo-deny fails the run.
fn deny() -> ExitCode {
    let present = Command::new("cargo").args(["deny", "--version"]).output().is_ok_and(|o| o.status.success());
    if !present {
        eprintln!("xtask: cargo-deny is not installed (cargo install --locked cargo-deny)");
        return if env::var_os("CI").is_some() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }
    run(DENY)
}

fn ci() -> ExitCode {
    match run(CI) {
        ExitCode::SUCCESS => deny(),
        failed => failed,
    }
}

/// Run the load and benchmark program (the non-default workspace member `tools/loadgen`) in release mode,
/// passing `task` and the remaining arguments through.
fn loadgen(task: &str, rest: &[String]) -> ExitCode {
    let mut args = vec!["run", "--release", "-p", "imagekit-loadgen", "--", task];
    args.extend(rest.iter().map(String::as_str));
    eprintln!("xtask: cargo {}", args.join(" "));
    match Command::new("cargo").args(&args).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("xtask: {task} failed with {s}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("xtask: could not run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The scratch folder the official clients are installed in: outside the repository, so nothing
/// installed is ever committed (`tools/official-clients/install.sh` refuses a folder inside it).
fn clients_scratch() -> PathBuf {
    env::var_os("OFFICIAL_CLIENTS_SCRATCH")
        .map_or_else(|| PathBuf::from("/work/scratch/official-clients"), PathBuf::from)
}

/// Run the official clients (legacy Python and Node SDKs, the browser SDK in headless Chromium)
/// against a fresh emulator through the recording proxy; install them first when the scratch folder
/// has none. Remaining arguments go to the driver (`tools/official-clients/run.py --help`).
fn clients(rest: &[String]) -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."));
    let tools = root.join("tools/official-clients");
    let scratch = clients_scratch();
    let installed = scratch.join("venv/bin/python").exists()
        && scratch.join("node_modules/imagekit").is_dir()
        && Path::new("/usr/bin/chromium").exists();
    if !installed {
        eprintln!("xtask: installing the official clients into {}", scratch.display());
        match Command::new(tools.join("install.sh")).arg(&scratch).status() {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("xtask: install.sh failed with {s}");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("xtask: could not run install.sh: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("xtask: python3 tools/official-clients/run.py {}", rest.join(" "));
    let status = Command::new("python3")
        .arg(tools.join("run.py"))
        .arg("--scratch")
        .arg(&scratch)
        .args(rest)
        .current_dir(root)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("xtask: clients: some steps failed or the harness failed ({s}); see the lines above");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("xtask: could not run python3: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  ci                            fmt, clippy, test, doc, deny (what CI runs)
  deny                          cargo deny: licenses, bans, sources (skipped when not installed, except under CI)
  load [--seconds 30] [--clients 200]
                                mixed concurrent load against an in-memory emulator, then a consistency check
  bench-upload [--size 1GiB]    SDK upload throughput and peak RSS against a local sink, next to curl
  bench-sync [--files 10000] [--rate-limit 200] [--size 100]
                                `imagekit sync` of N small files to a rate-limited emulator: files/s, ratio
                                to the limit, peak RSS, failures, then a resume check (1% deleted remotely)
  clients [--clients python,node,browser] [--emulator-rev HEAD]
                                the official legacy Python/Node SDKs and the browser SDK (headless Chromium)
                                against a fresh emulator; records tests/fixtures/official-clients/*.jsonl";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("deny") => deny(),
        Some(task @ ("load" | "bench-upload")) => loadgen(task, &args[1..]),
        Some("clients") => clients(&args[1..]),
        Some("bench-sync") => bench_sync::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}
