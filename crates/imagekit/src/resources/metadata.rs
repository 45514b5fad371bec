//! `client.files().metadata()`: technical metadata of a stored file or a URL.

use imagekit_types::{Metadata, MetadataFromUrlQuery};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// File metadata; see [`Files::metadata`](crate::resources::files::Files::metadata).
#[derive(Debug, Clone, Copy)]
pub struct FileMetadata<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> FileMetadata<'a> {
    /// `GET /v1/files/{fileId}/metadata`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let meta = client.files().metadata().get("file_id").await?;
    /// println!("{:?} x {:?}, pHash {:?}", meta.width, meta.height, meta.p_hash);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, file_id: &str) -> Call<Metadata> {
        let ep = path_param("fileId", file_id).map(|id| Endpoint::get(format!("/v1/files/{id}/metadata")));
        Call::json(self.client, ep)
    }

    /// `GET /v1/metadata?url=...`: metadata of any URL the account serves.
    pub fn get_from_url(&self, url: impl Into<String>) -> Call<Metadata> {
        let ep = Endpoint::get("/v1/metadata").query(&MetadataFromUrlQuery::new(url));
        Call::json(self.client, ep)
    }
}
