//! `client.assets()`: the media library listing, one page or all of them.

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures::stream::{FusedStream, Stream};
use imagekit_types::{Asset, ListAssetsQuery};

use crate::operations::ASSETS_LIST;
use crate::request::{Call, Endpoint};
use crate::{Client, Error, PagingStop, Result};

/// The largest page the API serves.
const MAX_PAGE: u64 = 1000;

/// Pages [`Assets::list_all`] reads at most unless told otherwise: 10 million
/// items at the API's largest page size.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// The assets resource; see [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Assets<'a> {
    /// One page of files, versions and folders ([`ASSETS_LIST`]).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{AssetSort, ListAssetsQuery};
    /// let page = client.assets().list(ListAssetsQuery::default().path("/products/").sort(AssetSort::DescCreated).limit(100u64)).await?;
    /// # let _ = page; Ok(()) }
    /// ```
    pub fn list(&self, query: ListAssetsQuery) -> Call<Vec<Asset>> {
        Call::json(self.client, Endpoint::for_op(&ASSETS_LIST, &[]).and_then(|ep| ep.query(&query)))
    }

    /// Every item matching `query`, page by page: `skip` advances by the page
    /// size until a page comes back shorter than `limit` (default 1000). The
    /// API has no cursor, so items added or removed while paging may shift
    /// between pages.
    ///
    /// A server that never ends the listing cannot keep the stream going: it
    /// stops with [`Error::Paging`] when a full page holds the same items in
    /// the same order as any earlier page ([`PagingStop::RepeatedPage`]; that
    /// page's items are not yielded), or when [`ListAll::max_pages`] full pages
    /// (default [`DEFAULT_MAX_PAGES`]) have not ended it
    /// ([`PagingStop::PageCap`]).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use futures::TryStreamExt;
    /// use imagekit::types::ListAssetsQuery;
    /// let everything: Vec<_> = client.assets().list_all(ListAssetsQuery::default()).max_pages(100).try_collect().await?;
    /// # let _ = everything; Ok(()) }
    /// ```
    pub fn list_all(&self, query: ListAssetsQuery) -> ListAll {
        let limit = query.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
        let start = query.skip.unwrap_or(0);
        ListAll {
            client: self.client.clone(),
            query,
            limit,
            next_skip: Some(start),
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
            seen: HashMap::new(),
            buffered: Vec::new().into_iter(),
            pending: None,
        }
    }
}

type PageFuture = Pin<Box<dyn Future<Output = Result<Vec<Asset>>> + Send>>;

/// The stream of [`Assets::list_all`]: every item of a listing, one page
/// request at a time, as `Result<Asset>`. Ends after the first error.
#[must_use = "a stream does nothing until polled"]
pub struct ListAll {
    client: Client,
    query: ListAssetsQuery,
    limit: u64,
    /// Where the next page starts; `None` once paging is over.
    next_skip: Option<u64>,
    pages: u32,
    max_pages: u32,
    /// A fingerprint of every full page served, and where it was first seen.
    /// 16 bytes a page, so a cycle of any length is caught.
    seen: HashMap<u64, u64>,
    buffered: std::vec::IntoIter<Asset>,
    pending: Option<(u64, PageFuture)>,
}

impl ListAll {
    /// Stop with [`Error::Paging`] ([`PagingStop::PageCap`]) rather than
    /// request more than `max_pages` pages (default [`DEFAULT_MAX_PAGES`]; at
    /// least 1). The items of those pages are all yielded first.
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// A page arrived: check it, queue its items and decide what comes next.
    fn take_page(&mut self, skip: u64, page: Vec<Asset>) -> Result<()> {
        self.next_skip = None;
        if (page.len() as u64) < self.limit {
            self.buffered = page.into_iter();
            return Ok(());
        }
        // Only a full page asks for another, so only full pages can loop.
        let print = fingerprint(&page);
        if let Some(&earlier_skip) = self.seen.get(&print) {
            return Err(Error::Paging { stop: PagingStop::RepeatedPage { skip, earlier_skip }, pages: self.pages });
        }
        self.seen.insert(print, skip);
        self.buffered = page.into_iter();
        self.next_skip = skip.checked_add(self.limit);
        Ok(())
    }
}

impl std::fmt::Debug for ListAll {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListAll")
            .field("limit", &self.limit)
            .field("next_skip", &self.next_skip)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl Stream for ListAll {
    type Item = Result<Asset>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Asset>>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((skip, page)) = &mut this.pending {
                let (skip, result) = (*skip, ready!(page.as_mut().poll(cx)));
                this.pending = None;
                match result.and_then(|page| this.take_page(skip, page)) {
                    Ok(()) => continue,
                    Err(e) => {
                        this.next_skip = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            let Some(skip) = this.next_skip else { return Poll::Ready(None) };
            if this.pages >= this.max_pages {
                this.next_skip = None;
                let stop = PagingStop::PageCap { max_pages: this.max_pages };
                return Poll::Ready(Some(Err(Error::Paging { stop, pages: this.pages })));
            }
            this.pages += 1;
            let query = this.query.clone().skip(skip).limit(this.limit);
            this.pending = Some((skip, this.client.assets().list(query).into_future()));
        }
    }
}

impl FusedStream for ListAll {
    fn is_terminated(&self) -> bool {
        self.next_skip.is_none() && self.pending.is_none() && self.buffered.len() == 0
    }
}

/// A page's identity: each item's kind, id and path, in order. An item with
/// neither (an unknown kind) counts by its whole JSON.
fn fingerprint(page: &[Asset]) -> u64 {
    let mut h = DefaultHasher::new();
    for item in page {
        match item {
            Asset::File(f) => {
                let version = f.version_info.as_ref().and_then(|v| v.id.as_deref());
                (0u8, &f.file_id, version, &f.file_path, &f.name).hash(&mut h);
            }
            Asset::Folder(f) => (1u8, &f.folder_id, &f.folder_path, &f.name).hash(&mut h),
            // `Unknown`, and any kind a later imagekit-types names.
            other => (2u8, serde_json::to_string(other).unwrap_or_default()).hash(&mut h),
        }
    }
    h.finish()
}
