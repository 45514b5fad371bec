//! `client.files().bulk()`: delete and tag many files, one API call at a time
//! or any number of ids at once with the `*_all` methods.

use std::sync::Arc;

use futures::stream::{self, StreamExt};
use imagekit_types::{
    BulkDeleteRequest, BulkDeleteResponse, BulkRemoveAiTagsRequest, BulkTagsRequest, BulkUpdateResponse,
};

use crate::operations::{FILES_BULK_ADD_TAGS, FILES_BULK_DELETE, FILES_BULK_REMOVE_AI_TAGS, FILES_BULK_REMOVE_TAGS};
use crate::request::{Call, Endpoint};
use crate::{Client, Error};

/// Most ids one bulk delete takes.
pub const DELETE_CHUNK: usize = 100;
/// Most ids one bulk tag call takes.
pub const TAGS_CHUNK: usize = 50;
/// Chunks in flight at once in the `*_all` helpers, unless set.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Bulk operations; see [`Files::bulk`](crate::resources::files::Files::bulk).
#[derive(Debug, Clone, Copy)]
pub struct Bulk<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Bulk<'a> {
    /// Delete files ([`FILES_BULK_DELETE`]; at most 100 ids; if any is
    /// missing the API deletes nothing and answers 404 with `missingFileIds`).
    pub fn delete<I: IntoIterator<Item = S>, S: Into<String>>(&self, file_ids: I) -> Call<BulkDeleteResponse> {
        let body = BulkDeleteRequest::new(file_ids);
        Call::json(self.client, Endpoint::for_op(&FILES_BULK_DELETE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Add tags ([`FILES_BULK_ADD_TAGS`]; at most 50 ids).
    pub fn add_tags(&self, file_ids: Vec<String>, tags: Vec<String>) -> Call<BulkUpdateResponse> {
        let body = BulkTagsRequest::new(file_ids, tags);
        Call::json(self.client, Endpoint::for_op(&FILES_BULK_ADD_TAGS, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Remove tags ([`FILES_BULK_REMOVE_TAGS`]; at most 50 ids).
    pub fn remove_tags(&self, file_ids: Vec<String>, tags: Vec<String>) -> Call<BulkUpdateResponse> {
        let body = BulkTagsRequest::new(file_ids, tags);
        Call::json(self.client, Endpoint::for_op(&FILES_BULK_REMOVE_TAGS, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Remove AI tags ([`FILES_BULK_REMOVE_AI_TAGS`]; at most 50 ids).
    pub fn remove_ai_tags(&self, file_ids: Vec<String>, ai_tags: Vec<String>) -> Call<BulkUpdateResponse> {
        let body = BulkRemoveAiTagsRequest::new(file_ids, ai_tags);
        Call::json(self.client, Endpoint::for_op(&FILES_BULK_REMOVE_AI_TAGS, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Delete any number of files: chunks of 100, [`DEFAULT_CONCURRENCY`] at a
    /// time. A chunk that fails with 404 names its missing ids; they are
    /// reported as [`FailureReason::Missing`] and the rest of that chunk is sent
    /// again, since the API deleted nothing of it.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client, ids: Vec<String>) {
    /// let outcome = client.files().bulk().delete_all(ids, 4).await;
    /// println!("deleted {}, failed {}", outcome.succeeded.len(), outcome.failed.len());
    /// # }
    /// ```
    pub async fn delete_all(&self, file_ids: Vec<String>, concurrency: usize) -> BulkOutcome {
        let client = self.client.clone();
        run_chunks(file_ids, DELETE_CHUNK, concurrency, move |chunk| {
            let client = client.clone();
            async move {
                let mut outcome = BulkOutcome::default();
                let mut pending = chunk;
                // At most twice: once, and once more without the missing ids.
                for _ in 0..2 {
                    match client.files().bulk().delete(pending.clone()).await {
                        Ok(resp) => {
                            outcome.record(&pending, resp.successfully_deleted_file_ids);
                            return outcome;
                        }
                        Err(e) => {
                            let missing: Vec<String> =
                                e.api_error().map(|a| a.missing_file_ids().to_vec()).unwrap_or_default();
                            if missing.is_empty() {
                                outcome.fail_all(&pending, e);
                                return outcome;
                            }
                            // Only ids that were sent, once each, whatever the server lists.
                            for id in pending.iter().filter(|id| missing.contains(id)) {
                                outcome
                                    .failed
                                    .push(BulkFailure { file_id: id.clone(), reason: FailureReason::Missing });
                            }
                            pending.retain(|id| !missing.contains(id));
                            if pending.is_empty() {
                                return outcome;
                            }
                        }
                    }
                }
                outcome.fail_all(&pending, Error::UnexpectedResponse("the API reported missing ids twice".into()));
                outcome
            }
        })
        .await
    }

    /// Add tags to any number of files, in chunks of 50.
    pub async fn add_tags_all(&self, file_ids: Vec<String>, tags: Vec<String>, concurrency: usize) -> BulkOutcome {
        self.tags_all(file_ids, concurrency, move |b, ids| b.add_tags(ids, tags.clone())).await
    }

    /// Remove tags from any number of files, in chunks of 50.
    pub async fn remove_tags_all(&self, file_ids: Vec<String>, tags: Vec<String>, concurrency: usize) -> BulkOutcome {
        self.tags_all(file_ids, concurrency, move |b, ids| b.remove_tags(ids, tags.clone())).await
    }

    /// Remove AI tags from any number of files, in chunks of 50.
    pub async fn remove_ai_tags_all(
        &self,
        file_ids: Vec<String>,
        ai_tags: Vec<String>,
        concurrency: usize,
    ) -> BulkOutcome {
        self.tags_all(file_ids, concurrency, move |b, ids| b.remove_ai_tags(ids, ai_tags.clone())).await
    }

    async fn tags_all<F>(&self, file_ids: Vec<String>, concurrency: usize, call: F) -> BulkOutcome
    where
        F: Fn(Bulk<'_>, Vec<String>) -> Call<BulkUpdateResponse> + Send + Sync + 'static,
    {
        let client = self.client.clone();
        let call = Arc::new(call);
        run_chunks(file_ids, TAGS_CHUNK, concurrency, move |chunk| {
            let client = client.clone();
            let call = call.clone();
            async move {
                let mut outcome = BulkOutcome::default();
                let fut = call(client.files().bulk(), chunk.clone());
                match fut.await {
                    Ok(resp) => outcome.record(&chunk, resp.successfully_updated_file_ids),
                    Err(e) => outcome.fail_all(&chunk, e),
                }
                outcome
            }
        })
        .await
    }
}

async fn run_chunks<F, Fut>(ids: Vec<String>, size: usize, concurrency: usize, run: F) -> BulkOutcome
where
    F: Fn(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = BulkOutcome>,
{
    let chunks: Vec<Vec<String>> = ids.chunks(size).map(<[String]>::to_vec).collect();
    let results: Vec<BulkOutcome> = stream::iter(chunks).map(run).buffer_unordered(concurrency.max(1)).collect().await;
    let mut merged = BulkOutcome::default();
    for r in results {
        merged.succeeded.extend(r.succeeded);
        merged.failed.extend(r.failed);
    }
    merged
}

/// The merged result of a `*_all` bulk helper.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BulkOutcome {
    /// Ids the API reported as done.
    pub succeeded: Vec<String>,
    /// Ids that were not done, with the reason.
    pub failed: Vec<BulkFailure>,
}

impl BulkOutcome {
    /// Whether every id succeeded.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

    fn record(&mut self, sent: &[String], reported: Option<Vec<String>>) {
        match reported {
            // No list at all: the API accepted the whole chunk.
            None => self.succeeded.extend_from_slice(sent),
            Some(done) => {
                for id in sent {
                    if done.contains(id) {
                        self.succeeded.push(id.clone());
                    } else {
                        self.failed.push(BulkFailure { file_id: id.clone(), reason: FailureReason::NotReported });
                    }
                }
            }
        }
    }

    fn fail_all(&mut self, ids: &[String], error: Error) {
        let error = Arc::new(error);
        self.failed.extend(
            ids.iter().map(|id| BulkFailure { file_id: id.clone(), reason: FailureReason::Error(error.clone()) }),
        );
    }
}

/// One id a bulk helper could not handle.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BulkFailure {
    /// The file id.
    pub file_id: String,
    /// Why.
    pub reason: FailureReason,
}

/// Why an id failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum FailureReason {
    /// The API said the file does not exist (`missingFileIds` of a 404).
    Missing,
    /// The call for its chunk failed; the error is shared by the chunk's ids.
    Error(Arc<Error>),
    /// The call succeeded but did not list this id as done.
    NotReported,
}

/// A short reason, for reports (a match on [`FailureReason`] needs a wildcard
/// arm; this gives it something to print).
impl std::fmt::Display for FailureReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailureReason::Missing => f.write_str("not found"),
            FailureReason::Error(error) => std::fmt::Display::fmt(error, f),
            FailureReason::NotReported => f.write_str("the API did not report it as done"),
        }
    }
}
