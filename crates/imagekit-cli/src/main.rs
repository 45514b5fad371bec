//! `imagekit`: the ImageKit.io API from the shell, built on the `imagekit` SDK.
//!
//! Run `imagekit --help` for the commands; the crate's README has an example of each.

mod api_cmd;
mod cli;
mod commands;
mod config;
mod error;
mod output;
mod progress;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::config::Context;
use crate::error::CliResult;

/// Set to `1` to print the process's peak resident set size (`VmHWM`) on stderr
/// at exit; the memory test of large uploads reads it.
const PEAK_RSS_ENV: &str = "IMAGEKIT_CLI_REPORT_PEAK_RSS";

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let key_source = key_source(&matches);
    let ctx = Context::new(cli.global);
    config::init_tracing(ctx.global.verbose);

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("imagekit: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(dispatch(&ctx, cli.command, key_source));
    drop(runtime);

    let code = match result {
        Ok(()) => 0,
        Err(e) => {
            e.report(ctx.global.json);
            e.exit_code()
        }
    };
    if std::env::var_os(PEAK_RSS_ENV).is_some_and(|v| v == "1") {
        report_peak_rss();
    }
    ExitCode::from(code)
}

async fn dispatch(ctx: &Context, command: Command, key_source: &'static str) -> CliResult {
    use commands::*;
    match command {
        Command::Url(args) => url::run(ctx, args),
        Command::AuthParams(args) => url::auth_params(ctx, args),
        Command::Upload(args) => upload::run(ctx, args).await,
        Command::Sync(args) => sync::run(ctx, args).await,
        Command::Ls(args) => ls::run(ctx, args).await,
        Command::Get(args) => files::get(ctx, args).await,
        Command::Rm(args) => files::rm(ctx, args).await,
        Command::Cp(args) => files::cp(ctx, args).await,
        Command::Mv(args) => files::mv(ctx, args).await,
        Command::Rename(args) => files::rename(ctx, args).await,
        Command::Tag(args) => files::tag(ctx, args).await,
        Command::Untag(args) => files::untag(ctx, args).await,
        Command::Versions(args) => files::versions(ctx, args).await,
        Command::Restore(args) => files::restore(ctx, args).await,
        Command::Publish(args) => files::publish(ctx, args).await,
        Command::Metadata(args) => files::metadata(ctx, args).await,
        Command::Folder(command) => folders::run(ctx, command).await,
        Command::Purge(args) => purge::run(ctx, args).await,
        Command::Fields(command) => fields::run(ctx, command).await,
        Command::Webhook(command) => webhook::run(ctx, command),
        Command::Api(args) => api::run(ctx, args).await,
        Command::Emulator(args) => emulator::run(ctx, args, key_source).await,
    }
}

/// Where `--private-key` came from (for the emulator's startup line).
fn key_source(matches: &clap::ArgMatches) -> &'static str {
    let source = matches
        .subcommand()
        .and_then(|(_, sub)| sub.value_source("private_key"))
        .or_else(|| matches.value_source("private_key"));
    match source {
        Some(ValueSource::CommandLine) => "set by --private-key",
        Some(ValueSource::EnvVariable) => "set by IMAGEKIT_PRIVATE_KEY",
        _ => "default",
    }
}

/// Print `VmHWM` of `/proc/self/status` (Linux) on stderr.
fn report_peak_rss() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    match status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
        Some(value) => eprintln!("imagekit: peak RSS {}", value.trim()),
        None => eprintln!("imagekit: peak RSS unknown"),
    }
}
