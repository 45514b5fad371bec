//! The `imagekit-emulator` binary: a local ImageKit.io for tests, CI and
//! offline development. Run `imagekit-emulator --help` for the flags.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};
use imagekit_emulator::cli::{ServeArgs, init_logging, key_source, serve};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY};

const EXAMPLES: &str = "\
Examples:
  # Listen on http://127.0.0.1:8787 with the default keys, everything in memory
  imagekit-emulator

  # A random free port (the first line on stdout says which), your own keys
  IMAGEKIT_PRIVATE_KEY=private_test imagekit-emulator --port 0 --public-key public_test

  # Keep files and records across restarts
  imagekit-emulator --data-dir ./.imagekit-emulator

  # Resilience testing: 200 ms of latency, 10% of API calls fail, 5 calls/s at most
  imagekit-emulator --latency-ms 200 --fail-rate 0.1 --rate-limit 5/s

  # JSON request logs on stderr, with an explicit filter
  RUST_LOG=imagekit_emulator=info imagekit-emulator --log-format json

Point an SDK at it: API base URL http://127.0.0.1:8787 (both the API and the upload API are
served there), URL endpoint http://127.0.0.1:8787/<imagekit-id>, and the private key above.
The first line on stdout is `imagekit-emulator listening on <base URL> (...)`; logs go to stderr.";

/// A local ImageKit.io-compatible server: the REST API, the upload API, URL
/// delivery with transformations and signed URLs, with no account and no network.
#[derive(Debug, Parser)]
#[command(name = "imagekit-emulator", version, about, long_about = None, after_long_help = EXAMPLES)]
struct Cli {
    /// Private API key that requests must authenticate with (HTTP Basic user name)
    /// and that signs URLs. Never printed.
    #[arg(long, env = "IMAGEKIT_PRIVATE_KEY", hide_env_values = true, default_value = DEFAULT_PRIVATE_KEY, value_name = "KEY")]
    private_key: String,

    /// Public key that client-side uploads must name.
    #[arg(long, env = "IMAGEKIT_PUBLIC_KEY", hide_env_values = true, default_value = DEFAULT_PUBLIC_KEY, value_name = "KEY")]
    public_key: String,

    #[command(flatten)]
    serve: ServeArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    init_logging(cli.serve.log_format);
    let source = key_source(matches.value_source("private_key"), "--private-key", "IMAGEKIT_PRIVATE_KEY");
    match serve("imagekit-emulator", &cli.serve, cli.private_key, cli.public_key, &source).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imagekit-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
