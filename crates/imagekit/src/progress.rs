//! Upload progress: the request body's chunks counted as the transport takes
//! them, reported to a caller's callback ([`Call::on_progress`](crate::Call::on_progress)).

use std::fmt;
use std::sync::Arc;

use futures::TryStreamExt as _;
use imagekit_transport::Body;

/// How far one attempt of a call has sent its request body, reported to the
/// callback of [`Call::on_progress`](crate::Call::on_progress).
///
/// `sent` counts the bytes of the body the transport has taken so far in this
/// attempt: for an upload, the file plus the multipart framing and form fields
/// (a few hundred bytes). Each attempt starts with an event at `sent == 0`; a
/// retry starts again from 0 with the next `attempt`. Within an attempt
/// `sent` only grows, and when the whole body has been taken it equals `total`.
///
/// "Taken by the transport" is not "acknowledged by the server": a transport
/// buffers a little (a socket buffer, a TLS record), so the last event may
/// come shortly before the server has read everything.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes of the request body taken by the transport in this attempt.
    pub sent: u64,
    /// The request body's length, when known before sending (always, except
    /// for a stream or reader uploaded without a length).
    pub total: Option<u64>,
    /// The attempt, from 1; a retry reports from `sent == 0` again with the
    /// next number.
    pub attempt: u32,
}

impl UploadProgress {
    /// An event as the SDK reports it, e.g. to test a callback.
    ///
    /// ```
    /// let p = imagekit::UploadProgress::new(512, Some(2048), 1);
    /// assert_eq!(p.fraction(), Some(0.25));
    /// ```
    pub fn new(sent: u64, total: Option<u64>, attempt: u32) -> Self {
        UploadProgress { sent, total, attempt }
    }

    /// `sent / total` between 0.0 and 1.0, when the total is known (an empty
    /// body counts as done).
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|total| if total == 0 { 1.0 } else { (self.sent as f64 / total as f64).min(1.0) })
    }
}

/// A progress callback, shared by every attempt of a call.
#[derive(Clone)]
pub(crate) struct ProgressFn(Arc<dyn Fn(UploadProgress) + Send + Sync>);

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn")
    }
}

impl ProgressFn {
    pub(crate) fn new(f: impl Fn(UploadProgress) + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(f))
    }

    /// `body`, reporting each chunk as the transport takes it, for attempt
    /// `attempt` (from 1). Reports `sent == 0` at once.
    ///
    /// The chunks are passed through as they are (a `Bytes` moves, nothing is
    /// copied). The wrapper is one-shot: the caller replays from its own copy
    /// of the body and wraps each attempt's body anew, which restarts the count.
    pub(crate) fn observe(&self, body: Body, attempt: u32) -> Body {
        let total = body.content_length();
        (self.0)(UploadProgress { sent: 0, total, attempt });
        let callback = Arc::clone(&self.0);
        let mut sent = 0u64;
        let chunks = body.into_data_stream().inspect_ok(move |chunk| {
            sent = sent.saturating_add(chunk.len() as u64);
            callback(UploadProgress { sent, total, attempt });
        });
        // The length still goes out as `Content-Length`, and is still enforced.
        Body::from_stream(chunks, total)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use bytes::Bytes;
    use futures::executor::block_on;

    use super::*;

    fn recorder() -> (ProgressFn, Arc<Mutex<Vec<UploadProgress>>>) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        (ProgressFn::new(move |p| sink.lock().unwrap().push(p)), events)
    }

    #[test]
    fn chunks_are_counted_as_they_are_taken_and_passed_through_unchanged() {
        let chunks = vec![Bytes::from_static(b"abc"), Bytes::from_static(b"defgh")];
        let first_ptr = chunks[0].as_ptr();
        let body = Body::from_stream(futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>)), Some(8));
        let (progress, events) = recorder();
        let mut observed = progress.observe(body, 2);
        assert_eq!(observed.content_length(), Some(8), "the length is still announced");
        assert_eq!(events.lock().unwrap().clone(), vec![UploadProgress { sent: 0, total: Some(8), attempt: 2 }]);
        let first = block_on(observed.chunk()).unwrap().unwrap();
        assert_eq!(first.as_ptr(), first_ptr, "the chunk itself, not a copy");
        assert_eq!(events.lock().unwrap().last().unwrap().sent, 3, "counted when taken, not before");
        assert_eq!(block_on(observed.collect()).unwrap(), "defgh");
        let sent: Vec<u64> = events.lock().unwrap().iter().map(|p| p.sent).collect();
        assert_eq!(sent, [0, 3, 8]);
    }

    #[test]
    fn an_unknown_length_has_no_total_and_no_fraction() {
        let body = Body::from_stream(futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"xy"))]), None);
        let (progress, events) = recorder();
        assert_eq!(block_on(progress.observe(body, 1).collect()).unwrap(), "xy");
        let last = *events.lock().unwrap().last().unwrap();
        assert_eq!((last.sent, last.total, last.fraction()), (2, None, None));
        let half = UploadProgress { sent: 5, total: Some(10), attempt: 1 };
        assert_eq!(half.fraction(), Some(0.5));
        assert_eq!(UploadProgress { sent: 0, total: Some(0), attempt: 1 }.fraction(), Some(1.0));
    }
}
