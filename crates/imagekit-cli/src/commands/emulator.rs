//! `imagekit emulator`: the local ImageKit emulator, started through its library
//! with the flags of the `imagekit-emulator` binary; it runs until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

use imagekit_emulator::{DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, Emulator, Faults};

use crate::cli::{EmulatorArgs, LogFormat};
use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit emulator`. `key_source` says where the private key came from, for
/// the startup line (the key itself is never printed).
pub async fn run(ctx: &Context, args: EmulatorArgs, key_source: &str) -> CliResult {
    init_logging(args.log_format);
    let addr = socket_addr(&args.host, args.port).map_err(CliError::Usage)?;
    let private_key = ctx.global.private_key.clone().filter(|k| !k.is_empty());
    let key_source = if private_key.is_some() { key_source } else { "default" };
    let public_key = ctx.global.public_key.clone().unwrap_or_else(|| DEFAULT_PUBLIC_KEY.to_owned());
    let mut builder = Emulator::builder()
        .addr(addr)
        .private_key(private_key.unwrap_or_else(|| DEFAULT_PRIVATE_KEY.to_owned()))
        .public_key(public_key)
        .imagekit_id(args.imagekit_id.clone())
        .faults(Faults {
            fail_rate: args.fail_rate,
            latency: Duration::from_millis(args.latency_ms),
            rate_limit: args.rate_limit,
        });
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir);
    }

    let signal = shutdown_signal().map_err(|e| CliError::usage(format!("cannot install signal handlers: {e}")))?;
    let emulator = builder.start().await.map_err(|e| CliError::usage(format!("cannot start the emulator: {e}")))?;
    let storage = match &args.data_dir {
        Some(dir) => format!("data dir {}", dir.display()),
        None => "in memory".into(),
    };
    let line = format!(
        "imagekit emulator listening on {} (url endpoint {}, public key {}, private key {key_source}, {storage})",
        emulator.base_url(),
        emulator.url_endpoint(),
        emulator.public_key(),
    );
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }

    let why = signal.await;
    tracing::info!(target: "imagekit_emulator", signal = why, "shutting down");
    emulator.shutdown().await;
    Ok(())
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

/// Resolves on Ctrl-C or SIGTERM; the handlers are installed before it returns.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(socket_addr("127.0.0.1", 1).ok(), Some(SocketAddr::from(([127, 0, 0, 1], 1))));
        assert_eq!(socket_addr("[::1]", 2).ok().map(|a| a.port()), Some(2));
    }
}
