//! `client.folders()`: create, delete, copy, move and rename folders, and the
//! bulk jobs that copy, move and rename them.

use std::future::IntoFuture;

use imagekit_types::{
    CopyFolderRequest, CreateFolderRequest, DeleteFolderRequest, EmptyResponse, Job, JobCreated, MoveFolderRequest,
    RenameFolderRequest,
};

use crate::operations::{FOLDERS_COPY, FOLDERS_CREATE, FOLDERS_DELETE, FOLDERS_JOB_GET, FOLDERS_MOVE, FOLDERS_RENAME};
use crate::request::{Call, Endpoint};
use crate::resources::wait::{WaitOptions, until_completed};
use crate::{Client, Result};

/// Folders; see [`Client::folders`].
#[derive(Debug, Clone, Copy)]
pub struct Folders<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Folders<'a> {
    /// Create `folder_name` under `parent_folder_path` ([`FOLDERS_CREATE`]).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// client.folders().create("summer", "/products").await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, folder_name: impl Into<String>, parent_folder_path: impl Into<String>) -> Call<EmptyResponse> {
        let body = CreateFolderRequest::new(folder_name, parent_folder_path);
        Call::json(self.client, Endpoint::for_op(&FOLDERS_CREATE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Delete the folder and everything in it ([`FOLDERS_DELETE`], a `DELETE` with a JSON body).
    pub fn delete(&self, folder_path: impl Into<String>) -> Call<EmptyResponse> {
        let body = DeleteFolderRequest::new(folder_path);
        Call::json(self.client, Endpoint::for_op(&FOLDERS_DELETE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Start a job copying a folder ([`FOLDERS_COPY`]).
    pub fn copy(&self, body: CopyFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::for_op(&FOLDERS_COPY, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Start a job moving a folder ([`FOLDERS_MOVE`]).
    #[allow(clippy::should_implement_trait)] // named after the official SDK's method
    pub fn r#move(&self, body: MoveFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::for_op(&FOLDERS_MOVE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Start a job renaming a folder ([`FOLDERS_RENAME`]).
    pub fn rename(&self, body: RenameFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::for_op(&FOLDERS_RENAME, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Bulk jobs.
    pub fn job(&self) -> FolderJobs<'a> {
        FolderJobs { client: self.client }
    }
}

/// `client.folders().job()`.
#[derive(Debug, Clone, Copy)]
pub struct FolderJobs<'a> {
    client: &'a Client,
}

impl<'a> FolderJobs<'a> {
    /// The status of a job ([`FOLDERS_JOB_GET`]).
    pub fn get(&self, job_id: &str) -> Call<Job> {
        Call::json(self.client, Endpoint::for_op(&FOLDERS_JOB_GET, &[job_id]))
    }

    /// Poll the job until it is `Completed`, or fail with
    /// [`Error::WaitTimeout`](crate::Error::WaitTimeout) after `options.timeout`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::resources::wait::WaitOptions;
    /// use imagekit::types::CopyFolderRequest;
    /// let job = client.folders().copy(CopyFolderRequest::new("/a", "/b")).await?;
    /// let done = client.folders().job().wait(&job.job_id, WaitOptions::default()).await?;
    /// # let _ = done; Ok(()) }
    /// ```
    pub async fn wait(&self, job_id: &str, options: WaitOptions) -> Result<Job> {
        until_completed(
            &*self.client.inner.sleep,
            job_id,
            options,
            || self.get(job_id).into_future(),
            |j: &Job| j.status.as_ref(),
        )
        .await
    }
}
