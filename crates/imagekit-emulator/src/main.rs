//! The `imagekit-emulator` binary: a local ImageKit.io for tests, CI and
//! offline development. Run `imagekit-emulator --help` for the flags.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use imagekit_emulator::{DEFAULT_IMAGEKIT_ID, DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, Emulator, Faults};

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
    /// Address to listen on (an IP address or a host name such as `localhost`).
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    host: String,

    /// Port to listen on; 0 picks a free one (printed on the first stdout line).
    #[arg(long, default_value_t = 8787, value_name = "PORT")]
    port: u16,

    /// Private API key that requests must authenticate with (HTTP Basic user name)
    /// and that signs URLs. Never printed.
    #[arg(long, env = "IMAGEKIT_PRIVATE_KEY", hide_env_values = true, default_value = DEFAULT_PRIVATE_KEY, value_name = "KEY")]
    private_key: String,

    /// Public key that client-side uploads must name.
    #[arg(long, env = "IMAGEKIT_PUBLIC_KEY", hide_env_values = true, default_value = DEFAULT_PUBLIC_KEY, value_name = "KEY")]
    public_key: String,

    /// ImageKit id: the first path segment of delivery URLs (`/<id>/<filePath>`).
    #[arg(long, default_value = DEFAULT_IMAGEKIT_ID, value_name = "ID")]
    imagekit_id: String,

    /// Persist records and files under this directory (created if missing); without it
    /// everything lives in memory and is gone on exit.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Fault injection: answer this fraction (0 to 1) of API requests with a 500.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fail_rate, value_name = "FRACTION")]
    fail_rate: f64,

    /// Fault injection: delay every API request by this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,

    /// Fault injection: allow at most N API requests per second (`N/s` or `N`); the rest
    /// get a 429 with Retry-After and X-RateLimit-* headers.
    #[arg(long, value_parser = parse_rate_limit, value_name = "N/s")]
    rate_limit: Option<u32>,

    /// Request log format on stderr (one line per request: method, path, status,
    /// elapsed_ms). RUST_LOG overrides the default filter `imagekit_emulator=info`.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, value_name = "FORMAT")]
    log_format: LogFormat,
}

/// How request logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_fail_rate(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number; expected a fraction from 0 to 1"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("{v} is out of range; expected a fraction from 0 to 1 (0.1 = 10%)"));
    }
    Ok(v)
}

fn parse_rate_limit(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let n = t.strip_suffix("/s").unwrap_or(t).trim();
    match n.parse::<u32>() {
        Ok(0) => Err("the rate limit must be at least 1 request per second".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a rate; expected requests per second as `N/s` or `N`, e.g. `10/s`")),
    }
}

/// `host` and `port` as a socket address (an IP literal, `[v6]`, or a name to resolve).
fn socket_addr(host: &str, port: u16) -> Result<SocketAddr, String> {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (bare, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve --host {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("--host {host} resolves to no address"))
}

/// Where a key came from, for the startup line (the key itself is never printed).
fn key_source(source: Option<ValueSource>, flag: &str, env: &str) -> String {
    match source {
        Some(ValueSource::CommandLine) => format!("set by {flag}"),
        Some(ValueSource::EnvVariable) => format!("set by {env}"),
        _ => "default".into(),
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("imagekit_emulator=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed before this
/// returns the future, so a signal that arrives right after startup is caught.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    init_logging(cli.log_format);

    let addr = match socket_addr(&cli.host, cli.port) {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("imagekit-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut builder = Emulator::builder()
        .addr(addr)
        .private_key(cli.private_key.clone())
        .public_key(cli.public_key.clone())
        .imagekit_id(cli.imagekit_id.clone())
        .faults(Faults {
            fail_rate: cli.fail_rate,
            latency: Duration::from_millis(cli.latency_ms),
            rate_limit: cli.rate_limit,
        });
    if let Some(dir) = &cli.data_dir {
        builder = builder.data_dir(dir);
    }

    let signal = match shutdown_signal() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("imagekit-emulator: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("imagekit-emulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };

    let key = key_source(matches.value_source("private_key"), "--private-key", "IMAGEKIT_PRIVATE_KEY");
    let storage = match &cli.data_dir {
        Some(dir) => format!("data dir {}", dir.display()),
        None => "in memory".into(),
    };
    println!(
        "imagekit-emulator listening on {} (url endpoint {}, public key {}, private key {key}, {storage})",
        emulator.base_url(),
        emulator.url_endpoint(),
        emulator.public_key(),
    );
    {
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }

    let why = signal.await;
    tracing::info!(target: "imagekit_emulator", signal = why, "shutting down");
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        assert_eq!(parse_rate_limit("10/s"), Ok(10));
        assert_eq!(parse_rate_limit(" 3 "), Ok(3));
        assert!(parse_rate_limit("0/s").is_err());
        assert!(parse_rate_limit("abc").is_err());
        assert!(parse_rate_limit("10/m").is_err());
        assert!(parse_rate_limit("-1").is_err());
    }

    #[test]
    fn fail_rates() {
        assert_eq!(parse_fail_rate("0.25"), Ok(0.25));
        assert!(parse_fail_rate("1.5").is_err());
        assert!(parse_fail_rate("NaN").is_err());
        assert!(parse_fail_rate("x").is_err());
    }

    #[test]
    fn hosts() {
        assert_eq!(socket_addr("127.0.0.1", 1).unwrap(), SocketAddr::from(([127, 0, 0, 1], 1)));
        assert_eq!(socket_addr("[::1]", 2).unwrap().port(), 2);
        assert!(socket_addr("localhost", 3).is_ok());
    }

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
