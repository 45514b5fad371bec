//! `imagekit purge <url> [--wait]`: CDN cache invalidation, and `--status` of an
//! earlier purge.

use imagekit::resources::wait::WaitOptions;
use serde_json::json;

use crate::cli::PurgeArgs;
use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit purge`.
pub async fn run(ctx: &Context, args: PurgeArgs) -> CliResult {
    let client = ctx.client()?;
    let invalidation = client.cache().invalidation();
    let request_id = match (&args.status, &args.url) {
        (Some(id), _) if !args.wait.wait => {
            let status = invalidation.get(id).await?;
            let state = status.status.as_ref().map_or("unknown", |s| s.as_str()).to_owned();
            return ctx.out.either(|| format!("purge {id}: {state}"), &json!({"requestId": id, "status": state}));
        }
        (Some(id), _) => id.clone(),
        (None, Some(url)) => {
            let created = invalidation.create(url.clone()).await?;
            let id =
                created.request_id.ok_or_else(|| CliError::usage("the API answered without a purge request id"))?;
            if !args.wait.wait {
                return ctx.out.either(
                    || format!("purge {id} started for {url}"),
                    &json!({"requestId": id, "status": "Pending"}),
                );
            }
            id
        }
        (None, None) => return Err(CliError::usage("give a URL to purge, or --status REQUEST_ID")),
    };
    let options = WaitOptions::new().poll_interval(args.wait.poll_interval).timeout(args.wait.wait_timeout);
    let status = invalidation.wait(&request_id, options).await?;
    let state = status.status.as_ref().map_or("Completed", |s| s.as_str()).to_owned();
    ctx.out.either(|| format!("purge {request_id} completed"), &json!({"requestId": request_id, "status": state}))
}
