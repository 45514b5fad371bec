//! `client.folders()`: create, delete, copy, move and rename folders, and the
//! bulk jobs that copy, move and rename them.

use std::future::IntoFuture;

use imagekit_types::{
    CopyFolderRequest, CreateFolderRequest, DeleteFolderRequest, EmptyResponse, Job, JobCreated, MoveFolderRequest,
    RenameFolderRequest,
};

use crate::encode::path_param;
use crate::request::{Call, Endpoint};
use crate::resources::wait::{WaitOptions, until_completed};
use crate::{Client, Result};

/// Folders; see [`Client::folders`].
#[derive(Debug, Clone, Copy)]
pub struct Folders<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Folders<'a> {
    /// `POST /v1/folder`: create `folder_name` under `parent_folder_path`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// client.folders().create("summer", "/products").await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, folder_name: impl Into<String>, parent_folder_path: impl Into<String>) -> Call<EmptyResponse> {
        let body = CreateFolderRequest::new(folder_name, parent_folder_path);
        Call::json(self.client, Endpoint::post("/v1/folder").json(&body))
    }

    /// `DELETE /v1/folder` with a JSON body: the folder and everything in it.
    pub fn delete(&self, folder_path: impl Into<String>) -> Call<EmptyResponse> {
        let body = DeleteFolderRequest::new(folder_path);
        Call::json(self.client, Endpoint::delete("/v1/folder").json(&body))
    }

    /// `POST /v1/bulkJobs/copyFolder`: starts a job.
    pub fn copy(&self, body: CopyFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::post("/v1/bulkJobs/copyFolder").json(&body))
    }

    /// `POST /v1/bulkJobs/moveFolder`: starts a job.
    #[allow(clippy::should_implement_trait)] // named after the official SDK's `folders.move`
    pub fn r#move(&self, body: MoveFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::post("/v1/bulkJobs/moveFolder").json(&body))
    }

    /// `POST /v1/bulkJobs/renameFolder`: starts a job.
    pub fn rename(&self, body: RenameFolderRequest) -> Call<JobCreated> {
        Call::json(self.client, Endpoint::post("/v1/bulkJobs/renameFolder").json(&body))
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
    /// `GET /v1/bulkJobs/{jobId}`.
    pub fn get(&self, job_id: &str) -> Call<Job> {
        Call::json(self.client, path_param("jobId", job_id).map(|id| Endpoint::get(format!("/v1/bulkJobs/{id}"))))
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
