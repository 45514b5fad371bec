//! `imagekit folder create|rm|cp|mv|rename`: folders, and the bulk jobs that copy,
//! move and rename them (`--wait` polls a job until it completes).

use imagekit::Client;
use imagekit::resources::wait::WaitOptions;
use imagekit::types::{CopyFolderRequest, Job, JobCreated, MoveFolderRequest, RenameFolderRequest};
use serde_json::json;

use crate::cli::{FolderCommand, WaitArgs};
use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit folder ...`.
pub async fn run(ctx: &Context, command: FolderCommand) -> CliResult {
    let client = ctx.client()?;
    match command {
        FolderCommand::Create { path } => {
            let (parent, name) = split_folder(&path)?;
            client.folders().create(name.clone(), parent.clone()).await?;
            let full = format!("{}/{name}", parent.trim_end_matches('/'));
            ctx.out.either(|| format!("created {full}"), &json!({"folderPath": full, "ok": true}))
        }
        FolderCommand::Rm { path } => {
            client.folders().delete(path.clone()).await?;
            ctx.out.either(|| format!("deleted {path}"), &json!({"folderPath": path, "ok": true}))
        }
        FolderCommand::Cp { source, destination, include_versions, wait } => {
            let mut body = CopyFolderRequest::new(source, destination);
            body.include_versions = include_versions.then_some(true);
            let job = client.folders().copy(body).await?;
            finish_job(ctx, &client, "copy", job, wait).await
        }
        FolderCommand::Mv { source, destination, wait } => {
            let body = MoveFolderRequest::new(source, destination);
            let job = client.folders().r#move(body).await?;
            finish_job(ctx, &client, "move", job, wait).await
        }
        FolderCommand::Rename { path, new_name, purge_cache, wait } => {
            let mut body = RenameFolderRequest::new(path, new_name);
            body.purge_cache = purge_cache.then_some(true);
            let job = client.folders().rename(body).await?;
            finish_job(ctx, &client, "rename", job, wait).await
        }
    }
}

/// Report a started job, or with `--wait` its completion.
async fn finish_job(ctx: &Context, client: &Client, what: &str, created: JobCreated, wait: WaitArgs) -> CliResult {
    let id = created.job_id;
    if !wait.wait {
        return ctx.out.either(
            || {
                format!(
                    "{what} job {id} started (follow it with --wait, or `imagekit api {} '{{\"jobId\":\"{id}\"}}'`)",
                    imagekit::operations::FOLDERS_JOB_GET.name
                )
            },
            &json!({"jobId": id, "status": "Pending"}),
        );
    }
    let options = WaitOptions::new().poll_interval(wait.poll_interval).timeout(wait.wait_timeout);
    let job: Job = client.folders().job().wait(&id, options).await?;
    ctx.out.either(|| format!("{what} job {id} completed"), &job)
}

/// `/a/b/c` as (`/a/b`, `c`); `/c` as (`/`, `c`).
fn split_folder(path: &str) -> CliResult<(String, String)> {
    let trimmed = path.trim_end_matches('/');
    let (parent, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    if name.is_empty() {
        return Err(CliError::usage(format!("{path:?} names no folder to create")));
    }
    let parent = if parent.is_empty() { "/".to_owned() } else { parent.to_owned() };
    Ok((parent, name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_split() {
        assert_eq!(split_folder("/a/b/c").ok(), Some(("/a/b".into(), "c".into())));
        assert_eq!(split_folder("/c/").ok(), Some(("/".into(), "c".into())));
        assert_eq!(split_folder("c").ok(), Some(("/".into(), "c".into())));
        assert!(split_folder("/").is_err());
    }
}
