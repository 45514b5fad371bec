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
use futures::channel::mpsc;
use futures::sink::SinkExt;
use futures::stream::{self, BoxStream, Stream, StreamExt};
use imagekit_transport::{Body, BoxError};

/// How large each read of a file on disk is. 64 KiB reads, one thread hand-off
/// each, reached only a third of curl's throughput; 256 KiB keeps memory small.
const CHUNK: usize = 256 * 1024;

/// How many chunks the reader may get ahead of the connection (1 MiB).
const READ_AHEAD: usize = 4;

type Chunks = mpsc::Receiver<Result<Bytes, BoxError>>;

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
/// A reader thread of its own reads ahead while the connection sends, so reading
/// and writing overlap instead of taking turns; at most [`READ_AHEAD`] chunks wait
/// in memory. It needs no async runtime. Dropping the stream (a cancelled or
/// failed upload) stops the reader.
fn read_file(path: PathBuf) -> BoxStream<'static, Result<Bytes, BoxError>> {
    enum State {
        Closed(PathBuf),
        Open(Chunks),
        Done,
    }
    stream::unfold(State::Closed(path), |state| async move {
        let mut chunks = match state {
            State::Open(rx) => rx,
            State::Closed(path) => match spawn_reader(path) {
                Ok((rx, _)) => rx,
                Err(e) => return Some((Err(e), State::Done)),
            },
            State::Done => return None,
        };
        chunks.next().await.map(|chunk| (chunk, State::Open(chunks)))
    })
    .boxed()
}

/// Start the reading side of [`read_file`] on a thread of its own.
///
/// A plain thread rather than a runtime's blocking pool, so uploads from disk work
/// on any executor; one thread start per attempt is small next to an upload.
fn spawn_reader(path: PathBuf) -> Result<(Chunks, std::thread::JoinHandle<()>), BoxError> {
    // A bounded channel holds `buffer + 1` items (one per sender): READ_AHEAD in all.
    let (tx, rx) = mpsc::channel(READ_AHEAD - 1);
    let handle = std::thread::Builder::new()
        .name("imagekit-file-reader".into())
        .spawn(move || read_ahead(&path, tx))
        .map_err(|e| BoxError::from(format!("cannot start a thread to read the upload file: {e}")))?;
    Ok((rx, handle))
}

/// The reading side of [`read_file`]: runs until the end of the file, an error,
/// or the receiver going away (which wakes a send waiting for room).
fn read_ahead(path: &Path, mut chunks: mpsc::Sender<Result<Bytes, BoxError>>) {
    let mut send = |chunk| futures::executor::block_on(chunks.send(chunk)).is_ok();
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            send(Err(format!("{}: {e}", path.display()).into()));
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
        if !send(chunk) || failed {
            return;
        }
    }
}

/// Quote a name for `Content-Disposition` as browsers do (`"`, CR and LF
/// percent-escaped, per the WHATWG form encoding) so it cannot end the quoted
/// string or the header; the other control characters are escaped the same
/// way, since no header may carry them.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c == '"' || c.is_ascii_control() {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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

    // These run on `futures::executor`: reading from disk needs no runtime.
    use futures::executor::block_on;

    #[test]
    fn a_file_is_read_whole_and_in_order() {
        // Not a multiple of the chunk size, with a recognisable pattern.
        let bytes: Vec<u8> = (0..CHUNK * 5 + 1234).map(|i| (i % 251) as u8).collect();
        let file = TempFile::new("whole", &bytes);
        let chunks: Vec<Bytes> = block_on(read_file(file.0.clone()).map(Result::unwrap).collect());
        assert!(chunks.iter().all(|c| c.len() <= CHUNK));
        assert_eq!(chunks.concat(), bytes);
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let path = std::env::temp_dir().join("imagekit-multipart-does-not-exist");
        let errors: Vec<_> = block_on(read_file(path.clone()).collect());
        assert_eq!(errors.len(), 1);
        let err = errors[0].as_ref().unwrap_err().to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
    }

    #[test]
    fn the_reader_stays_at_most_the_read_ahead_in_front() {
        let bytes = vec![3u8; CHUNK * (READ_AHEAD + 8)];
        let file = TempFile::new("ahead", &bytes);
        // Nothing is taken: the reader fills the channel, then waits for room. A busy
        // machine may not have filled it yet, so a short count is measured again, longer.
        let mut queued = 0;
        for pause_ms in [200, 500, 1000, 2000] {
            let (mut rx, reader) = spawn_reader(file.0.clone()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(pause_ms));
            assert!(!reader.is_finished(), "the reader read the whole file without waiting");
            // Closing keeps what was sent and refuses more, so the count cannot grow while draining.
            rx.close();
            queued = 0;
            while let Some(chunk) = block_on(rx.next()) {
                queued += 1;
                assert_eq!(chunk.unwrap().len(), CHUNK);
            }
            reader.join().unwrap();
            assert!(queued <= READ_AHEAD, "{queued} chunks read ahead, more than 1 MiB");
            if queued == READ_AHEAD {
                break;
            }
        }
        assert_eq!(queued, READ_AHEAD, "the reader reads ahead up to 1 MiB");
    }

    #[test]
    fn dropping_the_stream_stops_the_reader() {
        // Much more than the read-ahead, so a reader that ignored the drop would wait forever.
        let bytes = vec![7u8; CHUNK * (READ_AHEAD + 8)];
        let file = TempFile::new("cancel", &bytes);
        let (mut rx, reader) = spawn_reader(file.0.clone()).unwrap();
        assert_eq!(block_on(rx.next()).unwrap().unwrap().len(), CHUNK);
        drop(rx);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !reader.is_finished() {
            assert!(std::time::Instant::now() < deadline, "the reader is still running after the stream was dropped");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        reader.join().unwrap();
        // The whole file still reads through a fresh stream.
        let all = block_on(read_file(file.0.clone()).map(|c| c.unwrap().len()).fold(0, |a, n| async move { a + n }));
        assert_eq!(all, bytes.len());
    }

    #[test]
    fn layout_and_length_agree() {
        let file = FilePart {
            bytes: FileBytes::Bytes(Bytes::from_static(b"PNGDATA")),
            file_name: "a\"b.png".into(),
            content_type: "image/png".into(),
        };
        let form = Form::new([("fileName", "a.png"), ("tags", "x,y")], Some(file));
        let b = form.boundary.clone();
        let len = form.content_length().unwrap();
        let body = block_on(form.into_body().collect()).unwrap();
        assert_eq!(body.len() as u64, len);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.png\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nx,y\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    }

    #[test]
    fn names_cannot_end_the_quoted_string_or_the_header() {
        assert_eq!(escape("a\"b\r\nc\0d\x7fe\tf.png"), "a%22b%0D%0Ac%00d%7Fe%09f.png");
        assert_eq!(escape("plain name é.png"), "plain name é.png");
    }

    #[test]
    fn text_only_form() {
        let form = Form::new([("fileName", "a.png"), ("file", "https://example.com/a.png")], None);
        let b = form.boundary.clone();
        let body = block_on(form.into_body().collect()).unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.png\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhttps://example.com/a.png\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    }
}
