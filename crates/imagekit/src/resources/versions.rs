//! `client.files().versions()`: list, get, delete and restore file versions.

use imagekit_types::{EmptyResponse, File};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// File versions; see [`Files::versions`](crate::resources::files::Files::versions).
#[derive(Debug, Clone, Copy)]
pub struct Versions<'a> {
    pub(crate) client: &'a Client,
}

fn version_path(file_id: &str, version_id: &str) -> crate::Result<String> {
    Ok(format!("/v1/files/{}/versions/{}", path_param("fileId", file_id)?, path_param("versionId", version_id)?))
}

impl<'a> Versions<'a> {
    /// `GET /v1/files/{fileId}/versions`: every version (at most 100).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// for v in client.files().versions().list("file_id").await? {
    ///     println!("{:?}", v.version_info);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, file_id: &str) -> Call<Vec<File>> {
        let ep = path_param("fileId", file_id).map(|id| Endpoint::get(format!("/v1/files/{id}/versions")));
        Call::json(self.client, ep)
    }

    /// `GET /v1/files/{fileId}/versions/{versionId}`.
    pub fn get(&self, file_id: &str, version_id: &str) -> Call<File> {
        Call::json(self.client, version_path(file_id, version_id).map(Endpoint::get))
    }

    /// `DELETE /v1/files/{fileId}/versions/{versionId}`: a non-current version only.
    pub fn delete(&self, file_id: &str, version_id: &str) -> Call<EmptyResponse> {
        Call::json(self.client, version_path(file_id, version_id).map(Endpoint::delete))
    }

    /// `PUT /v1/files/{fileId}/versions/{versionId}/restore`: make it current.
    pub fn restore(&self, file_id: &str, version_id: &str) -> Call<File> {
        Call::json(self.client, version_path(file_id, version_id).map(|p| Endpoint::put(format!("{p}/restore"))))
    }
}
