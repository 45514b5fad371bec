//! `client.files().versions()`: list, get, delete and restore file versions.

use imagekit_types::{EmptyResponse, File};

use crate::Client;
use crate::operations::{FILES_VERSIONS_DELETE, FILES_VERSIONS_GET, FILES_VERSIONS_LIST, FILES_VERSIONS_RESTORE};
use crate::request::{Call, Endpoint};

/// File versions; see [`Files::versions`](crate::resources::files::Files::versions).
#[derive(Debug, Clone, Copy)]
pub struct Versions<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Versions<'a> {
    /// Every version of a file, at most 100 ([`FILES_VERSIONS_LIST`]).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// for v in client.files().versions().list("file_id").await? {
    ///     println!("{:?}", v.version_info);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, file_id: &str) -> Call<Vec<File>> {
        Call::json(self.client, Endpoint::for_op(&FILES_VERSIONS_LIST, &[file_id]))
    }

    /// One version ([`FILES_VERSIONS_GET`]).
    pub fn get(&self, file_id: &str, version_id: &str) -> Call<File> {
        Call::json(self.client, Endpoint::for_op(&FILES_VERSIONS_GET, &[file_id, version_id]))
    }

    /// Delete a non-current version ([`FILES_VERSIONS_DELETE`]).
    pub fn delete(&self, file_id: &str, version_id: &str) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::for_op(&FILES_VERSIONS_DELETE, &[file_id, version_id]))
    }

    /// Make a version the current one ([`FILES_VERSIONS_RESTORE`]).
    pub fn restore(&self, file_id: &str, version_id: &str) -> Call<File> {
        Call::json(self.client, Endpoint::for_op(&FILES_VERSIONS_RESTORE, &[file_id, version_id]))
    }
}
