//! What to upload: a file on disk, bytes, a stream, a remote URL or base64.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::stream::{Stream, StreamExt, TryStreamExt};
use imagekit_transport::BoxError;

use crate::Error;
use crate::multipart::{FileBytes, FilePart};

/// The largest chunk read from an `AsyncRead` at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The file of an upload.
///
/// ```
/// use imagekit::UploadFile;
/// let from_disk = UploadFile::path("photos/shoe.jpg");
/// let from_memory = UploadFile::bytes(vec![0u8; 16]).file_name("blob.bin");
/// let remote = UploadFile::url("https://example.com/shoe.jpg");
/// # let _ = (from_disk, from_memory, remote);
/// ```
///
/// Every kind reports its progress through
/// [`Call::on_progress`](crate::Call::on_progress) on the upload call.
pub struct UploadFile {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Stream(futures::stream::BoxStream<'static, Result<Bytes, BoxError>>, Option<u64>),
    Text(String),
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Stream(_, len) => format!("stream of {len:?} bytes"),
            Source::Text(t) => format!("text of {} chars", t.len()),
        };
        f.debug_struct("UploadFile").field("source", &source).field("file_name", &self.file_name).finish()
    }
}

impl UploadFile {
    fn new(source: Source) -> Self {
        UploadFile { source, file_name: None, content_type: None }
    }

    /// A file on disk, streamed in chunks and re-read from the start if the
    /// upload is retried. Its length is read when the upload starts, so
    /// `Content-Length` is sent.
    pub fn path(path: impl AsRef<Path>) -> Self {
        Self::new(Source::Path(path.as_ref().to_owned()))
    }

    /// Bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self::new(Source::Bytes(data.into()))
    }

    /// A stream of chunks, sent once (an upload from a stream is not retried
    /// after it may have been sent). With `len`, `Content-Length` is sent.
    pub fn stream<S, B, E>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::new(Source::Stream(stream.map_ok(Into::into).map_err(Into::into).boxed(), len))
    }

    /// Any [`futures::io::AsyncRead`] (a socket, a decompressor, a file of any
    /// runtime), read in chunks of up to 64 KiB and sent once. Needs no runtime.
    ///
    /// ```
    /// use imagekit::UploadFile;
    /// let data = b"hello".to_vec();
    /// let len = data.len() as u64;
    /// let file = UploadFile::async_read(futures::io::Cursor::new(data), Some(len)).file_name("hello.txt");
    /// # let _ = file;
    /// ```
    pub fn async_read<R: futures::io::AsyncRead + Send + Unpin + 'static>(reader: R, len: Option<u64>) -> Self {
        // One buffer reused for every read; each chunk copies only what was read.
        let buf = vec![0u8; READ_CHUNK].into_boxed_slice();
        // After an error the stream ends: the body is sent once, so nothing can resume it.
        let chunks = futures::stream::unfold(Some((reader, buf)), |state| async move {
            use futures::io::AsyncReadExt;
            let (mut r, mut buf) = state?;
            loop {
                return match r.read(&mut buf).await {
                    Ok(0) => None,
                    Ok(n) => Some((Ok::<_, std::io::Error>(Bytes::copy_from_slice(&buf[..n])), Some((r, buf)))),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => Some((Err(e), None)),
                };
            }
        });
        Self::stream(chunks, len)
    }

    /// Any Tokio [`AsyncRead`](tokio::io::AsyncRead) (a socket, a decompressor),
    /// read in chunks of up to 64 KiB and sent once. For other runtimes' readers
    /// see [`async_read`](Self::async_read).
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub fn reader<R: tokio::io::AsyncRead + Send + Unpin + 'static>(reader: R, len: Option<u64>) -> Self {
        let chunks = futures::stream::unfold(reader, |mut r| async move {
            use tokio::io::AsyncReadExt;
            let mut buf = bytes::BytesMut::with_capacity(READ_CHUNK);
            match r.read_buf(&mut buf).await {
                Ok(0) => None,
                Ok(_) => Some((Ok::<_, std::io::Error>(buf.freeze()), r)),
                Err(e) => Some((Err(e), r)),
            }
        });
        Self::stream(chunks, len)
    }

    /// A remote URL that ImageKit fetches (it must answer within 8 s).
    pub fn url(url: impl Into<String>) -> Self {
        Self::new(Source::Text(url.into()))
    }

    /// Base64 data, or a `data:` URI.
    pub fn base64(data: impl Into<String>) -> Self {
        Self::new(Source::Text(data.into()))
    }

    /// The file name of the file part (default: the path's file name, else
    /// the upload's `fileName`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type of the file part (default `application/octet-stream`).
    ///
    /// It must be a media type, `type/subtype` with optional `; name=value`
    /// parameters, in printable ASCII: anything else (a line break would end
    /// the part's headers) fails the upload with [`Error::InvalidInput`]
    /// naming the value.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) {
    /// use imagekit::{UploadFile, types::UploadParams};
    /// let file = UploadFile::bytes(b"x".to_vec()).content_type("image/png\r\nX-Evil: 1");
    /// let err = client.files().upload(file, UploadParams::new("a.png")).await.unwrap_err();
    /// assert!(matches!(err, imagekit::Error::InvalidInput(_)));
    /// # }
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file part, or the text value of a URL/base64 file.
    pub(crate) fn into_part(self, upload_name: &str) -> Result<Part, Error> {
        let default_name = |p: Option<&Path>| {
            p.and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| upload_name.to_owned())
        };
        let (bytes, name) = match self.source {
            Source::Text(t) => return Ok(Part::Text(t)),
            Source::Bytes(b) => (FileBytes::Bytes(b), self.file_name.unwrap_or_else(|| default_name(None))),
            Source::Stream(s, len) => (
                FileBytes::Stream(std::sync::Mutex::new(Some(s)), len),
                self.file_name.unwrap_or_else(|| default_name(None)),
            ),
            Source::Path(p) => {
                let meta = match std::fs::metadata(&p) {
                    Ok(meta) => meta,
                    Err(source) => return Err(Error::File { path: p, source }),
                };
                if !meta.is_file() {
                    return Err(Error::InvalidInput(format!("cannot upload {}: not a file", p.display())));
                }
                let name = self.file_name.unwrap_or_else(|| default_name(Some(&p)));
                (FileBytes::Path(p, meta.len()), name)
            }
        };
        let content_type = match self.content_type {
            Some(t) => check_media_type(t)?,
            None => "application/octet-stream".to_owned(),
        };
        Ok(Part::File(FilePart { bytes, file_name: name, content_type }))
    }
}

/// Accept `type/subtype` (RFC 9110 tokens) with optional parameters, all in
/// printable ASCII: the value is written into the part's headers as is.
fn check_media_type(value: String) -> Result<String, Error> {
    let refuse = |why: &str| Error::InvalidInput(format!("upload content type {value:?} {why}"));
    if let Some(c) = value.chars().find(|c| !(' '..='~').contains(c) && *c != '\t') {
        return Err(refuse(&format!("contains {c:?}: only printable ASCII may go in a multipart header")));
    }
    let essence = value.split(';').next().unwrap_or_default().trim();
    let is_token =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    match essence.split_once('/') {
        Some((kind, sub)) if is_token(kind) && is_token(sub) => Ok(value),
        _ => Err(refuse("is not a media type (type/subtype, such as image/png)")),
    }
}

/// The file as it goes into the form.
pub(crate) enum Part {
    File(FilePart),
    Text(String),
}

impl From<Bytes> for UploadFile {
    fn from(b: Bytes) -> Self {
        UploadFile::bytes(b)
    }
}

impl From<Vec<u8>> for UploadFile {
    fn from(b: Vec<u8>) -> Self {
        UploadFile::bytes(b)
    }
}

impl From<&Path> for UploadFile {
    fn from(p: &Path) -> Self {
        UploadFile::path(p)
    }
}

impl From<PathBuf> for UploadFile {
    fn from(p: PathBuf) -> Self {
        UploadFile::path(p)
    }
}
