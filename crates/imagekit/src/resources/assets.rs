//! `client.assets()`: the media library listing, one page or all of them.

use futures::stream::{self, Stream, StreamExt};
use imagekit_types::{Asset, ListAssetsQuery};

use crate::request::{Call, Endpoint};
use crate::{Client, Result};

/// The largest page the API serves.
const MAX_PAGE: u64 = 1000;

/// The assets resource; see [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Assets<'a> {
    /// `GET /v1/files`: one page of files, versions and folders.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{AssetSort, ListAssetsQuery};
    /// let page = client.assets().list(ListAssetsQuery::default().path("/products/").sort(AssetSort::DescCreated).limit(100u64)).await?;
    /// # let _ = page; Ok(()) }
    /// ```
    pub fn list(&self, query: ListAssetsQuery) -> Call<Vec<Asset>> {
        Call::json(self.client, Endpoint::get("/v1/files").query(&query))
    }

    /// Every item matching `query`, page by page: `skip` advances by the page
    /// size until a page comes back shorter than `limit` (default 1000). The
    /// API has no cursor, so items added or removed while paging may shift
    /// between pages.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use futures::TryStreamExt;
    /// use imagekit::types::ListAssetsQuery;
    /// let everything: Vec<_> = client.assets().list_all(ListAssetsQuery::default()).try_collect().await?;
    /// # let _ = everything; Ok(()) }
    /// ```
    pub fn list_all(&self, query: ListAssetsQuery) -> impl Stream<Item = Result<Asset>> + Send + 'static {
        let client = self.client.clone();
        let limit = query.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
        let start = query.skip.unwrap_or(0);
        stream::try_unfold(Some(start), move |skip| {
            let client = client.clone();
            let query = query.clone();
            async move {
                let Some(skip) = skip else { return Ok(None) };
                let page = client.assets().list(query.skip(skip).limit(limit)).await?;
                let next = (page.len() as u64 == limit).then_some(skip + limit);
                Ok(Some((stream::iter(page.into_iter().map(Ok)), next)))
            }
        })
        .map(|r: Result<_>| match r {
            Ok(items) => items.left_stream(),
            Err(e) => stream::iter([Err(e)]).right_stream(),
        })
        .flatten()
    }
}
