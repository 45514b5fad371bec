//! Reading request bodies within the size limit and the idle timeout: into
//! memory, or spooled to a file for uploads.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body as _, Incoming};

use crate::web::{ApiError, Resp};

/// The largest request body accepted (uploads included).
pub(crate) const MAX_BODY: usize = 1024 * 1024 * 1024;

/// Why a request body could not be read.
pub(crate) enum BodyError {
    TooLarge,
    Stalled(Duration),
    Read(hyper::Error),
    /// The spool file could not be written (a full disk is 507).
    Spool(std::io::Error),
}

/// The next data frame of a body: `None` at its end; trailers are skipped.
async fn next_data(body: &mut Incoming, idle: Duration) -> Result<Option<Bytes>, BodyError> {
    loop {
        let frame = match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => return Err(BodyError::Stalled(idle)),
            Ok(None) => return Ok(None),
            Ok(Some(frame)) => frame.map_err(BodyError::Read)?,
        };
        if let Ok(data) = frame.into_data() {
            return Ok(Some(data));
        }
    }
}

/// Write a whole body, at most [`MAX_BODY`] bytes, to a temporary file in
/// `dir`, failing when it stalls for `idle`. Memory stays at one frame.
pub(crate) async fn spool_body(
    mut body: Incoming,
    idle: Duration,
    dir: &std::path::Path,
) -> Result<crate::spool::TempFile, BodyError> {
    use tokio::io::AsyncWriteExt as _;
    if body.size_hint().lower() > MAX_BODY as u64 {
        return Err(BodyError::TooLarge);
    }
    // Dropping `tmp` on any error below removes the file.
    let (tmp, mut file) = crate::spool::TempFile::create(dir).await.map_err(BodyError::Spool)?;
    let mut len = 0usize;
    while let Some(data) = next_data(&mut body, idle).await? {
        len += data.len();
        if len > MAX_BODY {
            return Err(BodyError::TooLarge);
        }
        file.write_all(&data).await.map_err(BodyError::Spool)?;
    }
    file.flush().await.map_err(BodyError::Spool)?;
    Ok(tmp)
}

/// Read a whole body, at most [`MAX_BODY`] bytes, failing when it stalls for `idle`.
pub(crate) async fn read_body(mut body: Incoming, idle: Duration) -> Result<Bytes, BodyError> {
    // Refuse an announced length over the limit before reading a byte.
    if body.size_hint().lower() > MAX_BODY as u64 {
        return Err(BodyError::TooLarge);
    }
    let mut buf = Vec::new();
    loop {
        let frame = match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => return Err(BodyError::Stalled(idle)),
            Ok(None) => return Ok(Bytes::from(buf)),
            Ok(Some(frame)) => frame.map_err(BodyError::Read)?,
        };
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > MAX_BODY {
                return Err(BodyError::TooLarge);
            }
            if buf.is_empty() && body.is_end_stream() {
                return Ok(data);
            }
            buf.extend_from_slice(&data);
        }
    }
}

/// ImageKit's error for a body that could not be read.
pub(crate) fn body_error(e: BodyError) -> Resp {
    match e {
        // The rest of the body is unread: the connection cannot carry another request.
        BodyError::TooLarge => ApiError::new(
            http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body is too large: at most {MAX_BODY} bytes."),
        )
        .into_resp()
        .with_header("connection", "close"),
        BodyError::Stalled(idle) => ApiError::new(
            http::StatusCode::REQUEST_TIMEOUT,
            format!("The request body stalled: no bytes for {} ms.", idle.as_millis()),
        )
        .into_resp()
        .with_header("connection", "close"),
        BodyError::Read(e) => ApiError::bad_request(format!("Could not read the request body: {e}")).into_resp(),
        // The rest of the body is unread here too.
        BodyError::Spool(e) => crate::store::blob_error(e).into_resp().with_header("connection", "close"),
    }
}
