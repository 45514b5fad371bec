//! A streaming `multipart/form-data` body with its length known up front.
//!
//! Text fields are small and kept in memory; the file part is streamed from its
//! source (a file on disk is read in 256 KiB chunks), so a 1 GiB upload never
//! holds more than a chunk of it. When every part's length is known the total is
//! computed before sending, so `Content-Length` goes out instead of chunked
//! encoding.

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures::stream::{self, BoxStream, Stream, StreamExt};
use imagekit_transport::{Body, BoxError};
use tokio::io::AsyncReadExt;

/// How large each read of a file on disk is: one blocking-pool round trip per read, so
/// 64 KiB reads cost a third of curl's throughput; 256 KiB keeps memory at a few MiB.
const CHUNK: usize = 256 * 1024;

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
fn read_file(path: PathBuf) -> BoxStream<'static, Result<Bytes, BoxError>> {
    enum State {
        Closed(PathBuf),
        Open(tokio::fs::File),
        Done,
    }
    stream::unfold(State::Closed(path), |state| async move {
        let mut file = match state {
            State::Done => return None,
            State::Open(f) => f,
            State::Closed(path) => match tokio::fs::File::open(&path).await {
                Ok(f) => f,
                Err(e) => return Some((Err(BoxError::from(format!("{}: {e}", path.display()))), State::Done)),
            },
        };
        let mut buf = BytesMut::with_capacity(CHUNK);
        match file.read_buf(&mut buf).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(buf.freeze()), State::Open(file))),
            Err(e) => Some((Err(BoxError::from(e)), State::Done)),
        }
    })
    .boxed()
}

/// Quote a name for `Content-Disposition` as browsers do: `"` and line breaks
/// are percent-escaped so they cannot end the header.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

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
