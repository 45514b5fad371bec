//! `imagekit emulator`: the local ImageKit emulator with the flags of the
//! `imagekit-emulator` binary (both front-ends share `imagekit_emulator::cli`).

use imagekit_emulator::cli::{ServeArgs, init_logging, serve};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY};

use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit emulator`. `key_source` says where the private key came from, for
/// the startup line (the key itself is never printed).
pub async fn run(ctx: &Context, args: ServeArgs, key_source: &str) -> CliResult {
    init_logging(args.log_format);
    let private_key = ctx.global.private_key.clone().filter(|k| !k.is_empty());
    let key_source = if private_key.is_some() { key_source } else { "default" };
    let private_key = private_key.unwrap_or_else(|| DEFAULT_PRIVATE_KEY.to_owned());
    let public_key = ctx.global.public_key.clone().unwrap_or_else(|| DEFAULT_PUBLIC_KEY.to_owned());
    serve("imagekit emulator", &args, private_key, public_key, key_source)
        .await
        .map_err(|e| CliError::usage(format!("cannot start the emulator: {e}")))
}
