//! `imagekit api <method> '<json>'`: the clap side of [`crate::api_cmd`].

use std::io::Read;

use crate::api_cmd::{self, ApiCmdError};
use crate::cli::ApiArgs;
use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit api`.
pub async fn run(ctx: &Context, args: ApiArgs) -> CliResult {
    let Some(method) = args.method else {
        // `--list` (clap requires a method otherwise).
        if ctx.out.json {
            return api_cmd::list_json().iter().try_for_each(|row| ctx.out.json_line(row));
        }
        return ctx.out.line(api_cmd::list().trim_end());
    };
    // A wrong name is reported before anything else is needed (a key, the parameters).
    if let Err(ApiCmdError::Usage(m)) = api_cmd::operation(&method) {
        return Err(CliError::Usage(m));
    }
    let text = match args.params.as_deref() {
        None => "{}".to_owned(),
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| CliError::usage(format!("cannot read the parameters from stdin: {e}")))?;
            s
        }
        Some(p) => match p.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("cannot read the parameters from {path}: {e}")))?,
            None => p.to_owned(),
        },
    };
    let params: serde_json::Value = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).map_err(|e| CliError::usage(format!("the parameters are not JSON: {e}")))?
    };
    let client = ctx.client()?;
    match api_cmd::run(&client, &method, params).await {
        Ok(value) => ctx.out.value(&value),
        Err(ApiCmdError::Usage(m)) => Err(CliError::Usage(m)),
        Err(ApiCmdError::Api(e)) => Err(CliError::Sdk(e)),
    }
}
