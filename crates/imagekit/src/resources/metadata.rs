//! `client.files().metadata()`: technical metadata of a stored file or a URL.

use imagekit_types::{Metadata, MetadataFromUrlQuery};

use crate::Client;
use crate::operations::{FILES_METADATA_GET, FILES_METADATA_GET_FROM_URL};
use crate::request::{Call, Endpoint};

/// File metadata; see [`Files::metadata`](crate::resources::files::Files::metadata).
#[derive(Debug, Clone, Copy)]
pub struct FileMetadata<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> FileMetadata<'a> {
    /// A stored file's technical metadata ([`FILES_METADATA_GET`]).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let meta = client.files().metadata().get("file_id").await?;
    /// println!("{:?} x {:?}, pHash {:?}", meta.width, meta.height, meta.p_hash);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, file_id: &str) -> Call<Metadata> {
        Call::json(self.client, Endpoint::for_op(&FILES_METADATA_GET, &[file_id]))
    }

    /// Metadata of any URL the account serves ([`FILES_METADATA_GET_FROM_URL`]).
    pub fn get_from_url(&self, url: impl Into<String>) -> Call<Metadata> {
        let query = MetadataFromUrlQuery::new(url);
        let ep = Endpoint::for_op(&FILES_METADATA_GET_FROM_URL, &[]).and_then(|ep| ep.query(&query));
        Call::json(self.client, ep)
    }
}
