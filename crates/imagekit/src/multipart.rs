//! A streaming `multipart/form-data` body with its length known up front.
//!
//! Text fields are small and kept in memory; the file part is streamed from its
//! source (a file on disk is read ahead in 256 KiB chunks), so a 1 GiB upload never
//! holds more than a few chunks of it. When every part's length is known the total is
//! computed before sending, so `Content-Length` goes out instead of chunked
//! encoding.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures::stream::{self, BoxStream, Stream, StreamExt};
use imagekit_transport::{Body, BoxError};
use tokio::sync::mpsc;

/// How large each read of a file on disk is. 64 KiB reads, one blocking-pool round
/// trip each, reached only a third of curl's throughput; 256 KiB keeps memory small.
const CHUNK: usize = 256 * 1024;

/// How many chunks the reader may get ahead of the connection (1 MiB).
const READ_AHEAD: usize = 4;

/// Where the file part's bytes come from.
pub(crate) enum FileBytes {
    /// In memory.
    Bytes(Bytes),
    /// A file on disk, re-opened for each attempt; its length at the time the
    /// request was built.
    Path(PathBuf, u64),
    /// A one-shot stream, taken on the first attempt.
    Stream(std::sync::Mutex<Option<BoxStream<'static, Result<Bytes, BoxError>>>>, Option<u64>),
}

/// The file part: its bytes, and the name and type it is announced with.
pub(crate) struct FilePart {
    pub(crate) bytes: FileBytes,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
}

/// A multipart form: text fields, then at most one file part.
pub(crate) struct Form {
    boundary: String,
    head: Bytes,
    file: Option<(Bytes, Arc<FilePart>)>,
    tail: Bytes,
}

impl Form {
    /// Lay out `fields` (name, value) and the optional `file` part, file first
    /// as the official SDK's callers usually write it.
    pub(crate) fn new<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>, file: Option<FilePart>) -> Form {
        let boundary = format!("----imagekit-rs-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        let mut text = BytesMut::new();
        for (name, value) in fields {
            text.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n", escape(name)).as_bytes(),
            );
            text.extend_from_slice(value.as_bytes());
            text.extend_from_slice(b"\r\n");
        }
        let file = file.map(|f| {
            let header = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                escape(&f.file_name),
                f.content_type
            );
            (Bytes::from(header), Arc::new(f))
        });
        // With a file, the file part goes first and the text fields follow it.
        let (head, tail) = match &file {
            Some(_) => (Bytes::new(), {
                let mut t = BytesMut::from(&b"\r\n"[..]);
                t.extend_from_slice(&text);
                t.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
                t.freeze()
            }),
            None => {
                text.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
                (text.freeze(), Bytes::new())
            }
        };
        Form { boundary, head, file, tail }
    }

    /// The `Content-Type` header value.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The total length, when the file's length is known.
    pub(crate) fn content_length(&self) -> Option<u64> {
        let fixed = (self.head.len() + self.tail.len()) as u64;
        match &self.file {
            None => Some(fixed),
            Some((header, part)) => {
                let len = match &part.bytes {
                    FileBytes::Bytes(b) => Some(b.len() as u64),
                    FileBytes::Path(_, len) => Some(*len),
                    FileBytes::Stream(_, len) => *len,
                };
                len.map(|l| fixed + header.len() as u64 + l)
            }
        }
    }

    /// The body: replayable unless the file is a one-shot stream.
    pub(crate) fn into_body(self) -> Body {
        let len = self.content_length();
        let one_shot = matches!(self.file.as_ref().map(|f| &f.1.bytes), Some(FileBytes::Stream(..)));
        let form = Arc::new(self);
        if one_shot {
            Body::from_stream(form.stream(), len)
        } else {
            Body::from_stream_factory(move || form.stream(), len)
        }
    }

    fn stream(self: &Arc<Self>) -> Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>> {
        let head = stream::iter([Ok::<_, BoxError>(self.head.clone())]);
        let tail = stream::iter([Ok::<_, BoxError>(self.tail.clone())]);
        let middle: BoxStream<'static, Result<Bytes, BoxError>> = match &self.file {
            None => stream::empty().boxed(),
            Some((header, part)) => {
                let header = stream::iter([Ok::<_, BoxError>(header.clone())]);
                header.chain(file_stream(part.clone())).boxed()
            }
        };
        Box::pin(head.chain(middle).chain(tail).filter(|c| std::future::ready(!matches!(c, Ok(b) if b.is_empty()))))
    }
}

fn file_stream(part: Arc<FilePart>) -> BoxStream<'static, Result<Bytes, BoxError>> {
    match &part.bytes {
        FileBytes::Bytes(b) => stream::iter([Ok(b.clone())]).boxed(),
        FileBytes::Path(path, _) => read_file(path.clone()),
        FileBytes::Stream(slot, _) => {
            let taken = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
            match taken {
                Some(s) => s,
                None => stream::iter([Err::<Bytes, BoxError>("the upload stream was already consumed".into())]).boxed(),
            }
        }
    }
}

/// Read a file from disk chunk by chunk, opening it when first polled.
///
/// A blocking-pool thread reads ahead while the connection sends, so reading and
/// writing overlap instead of taking turns; at most [`READ_AHEAD`] chunks wait in
/// memory. Dropping the stream (a cancelled or failed upload) stops the reader.
fn read_file(path: PathBuf) -> BoxStream<'static, Result<Bytes, BoxError>> {
    enum State {
        Closed(PathBuf),
        Open(mpsc::Receiver<Result<Bytes, BoxError>>),
    }
    stream::unfold(State::Closed(path), |state| async move {
        let mut chunks = match state {
            State::Open(rx) => rx,
            State::Closed(path) => {
                let (tx, rx) = mpsc::channel(READ_AHEAD);
                tokio::task::spawn_blocking(move || read_ahead(&path, &tx));
                rx
            }
        };
        chunks.recv().await.map(|chunk| (chunk, State::Open(chunks)))
    })
    .boxed()
}

/// The reading side of [`read_file`]: runs until the end of the file, an error,
/// or the receiver going away.
fn read_ahead(path: &Path, chunks: &mpsc::Sender<Result<Bytes, BoxError>>) {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            let _ = chunks.blocking_send(Err(format!("{}: {e}", path.display()).into()));
            return;
        }
    };
    loop {
        // `read_to_end` through `take` fills the spare capacity without zeroing it first.
        let mut buf = Vec::with_capacity(CHUNK);
        let chunk = match (&mut file).take(CHUNK as u64).read_to_end(&mut buf) {
            Ok(0) => return,
            Ok(_) => Ok(Bytes::from(buf)),
            Err(e) => Err(BoxError::from(e)),
        };
        let failed = chunk.is_err();
        if chunks.blocking_send(chunk).is_err() || failed {
            return;
        }
    }
}

/// Quote a name for `Content-Disposition` as browsers do: `"` and line breaks
/// are percent-escaped so they cannot end the header.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the temp dir, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str, bytes: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!("imagekit-multipart-{}-{name}", std::process::id()));
            std::fs::write(&path, bytes).unwrap();
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[tokio::test]
    async fn a_file_is_read_whole_and_in_order() {
        // Not a multiple of the chunk size, with a recognisable pattern.
        let bytes: Vec<u8> = (0..CHUNK * 5 + 1234).map(|i| (i % 251) as u8).collect();
        let file = TempFile::new("whole", &bytes);
        let chunks: Vec<Bytes> = read_file(file.0.clone()).map(Result::unwrap).collect().await;
        assert!(chunks.iter().all(|c| c.len() <= CHUNK));
        assert_eq!(chunks.concat(), bytes);
    }

    #[tokio::test]
    async fn a_missing_file_is_an_error_naming_it() {
        let path = std::env::temp_dir().join("imagekit-multipart-does-not-exist");
        let errors: Vec<_> = read_file(path.clone()).collect().await;
        assert_eq!(errors.len(), 1);
        let err = errors[0].as_ref().unwrap_err().to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
    }

    #[test]
    fn dropping_the_stream_stops_the_reader() {
        // One blocking thread: a reader that never stopped would keep it, and the
        // second read below could not start.
        let rt = tokio::runtime::Builder::new_current_thread().max_blocking_threads(1).enable_time().build().unwrap();
        let bytes = vec![7u8; CHUNK * (READ_AHEAD + 8)];
        let file = TempFile::new("cancel", &bytes);
        rt.block_on(async {
            let mut first = read_file(file.0.clone());
            assert_eq!(first.next().await.unwrap().unwrap().len(), CHUNK);
            drop(first);
            let all = tokio::time::timeout(std::time::Duration::from_secs(20), async {
                read_file(file.0.clone()).map(|c| c.unwrap().len()).fold(0, |a, n| async move { a + n }).await
            });
            assert_eq!(all.await.expect("the first reader still holds the only blocking thread"), bytes.len());
        });
    }

    #[tokio::test]
    async fn layout_and_length_agree() {
        let file = FilePart {
            bytes: FileBytes::Bytes(Bytes::from_static(b"PNGDATA")),
            file_name: "a\"b.png".into(),
            content_type: "image/png".into(),
        };
        let form = Form::new([("fileName", "a.png"), ("tags", "x,y")], Some(file));
        let b = form.boundary.clone();
        let len = form.content_length().unwrap();
        let body = form.into_body().collect().await.unwrap();
        assert_eq!(body.len() as u64, len);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.png\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nx,y\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    }

    #[tokio::test]
    async fn text_only_form() {
        let form = Form::new([("fileName", "a.png"), ("file", "https://example.com/a.png")], None);
        let b = form.boundary.clone();
        let body = form.into_body().collect().await.unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.png\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhttps://example.com/a.png\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    }
}
