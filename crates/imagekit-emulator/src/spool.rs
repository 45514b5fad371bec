//! Temporary files for upload bodies and the blobs they carry, so an upload
//! of any size passes through the server in bounded memory.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::Stream;

/// The chunk size bodies are read back in.
const CHUNK: usize = 64 * 1024;

/// A temporary file, removed when dropped unless [`TempFile::keep`] took it.
#[derive(Debug)]
pub(crate) struct TempFile {
    path: Option<PathBuf>,
}

impl TempFile {
    /// Create `.{random}.tmp` in `dir` (the blob directory's start-up sweep
    /// removes any left behind by a crash).
    pub(crate) async fn create(dir: &Path) -> std::io::Result<(TempFile, tokio::fs::File)> {
        let path = dir.join(format!(".{}.tmp", crate::util::new_id()));
        let file = tokio::fs::File::create(&path).await?;
        Ok((TempFile { path: Some(path) }, file))
    }

    /// The path.
    pub(crate) fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Take the path out: the caller now owns the file.
    pub(crate) fn keep(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The chunks of a file, [`CHUNK`] bytes at a time.
///
/// Each chunk is read synchronously (off the async threads where the runtime
/// allows), then the stream yields once (`Pending`, woken at once) so that
/// multer, which drains a stream for as long as it is ready, buffers one chunk
/// rather than the whole file. The last chunk is followed at once by the end:
/// over tokio's asynchronous file reads, multer was seen to report a complete
/// small body as an "incomplete multipart stream".
pub(crate) fn read_chunks(path: &Path) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    use std::io::Read as _;
    use std::task::Poll;
    let path = path.to_owned();
    let mut file: Option<(std::fs::File, u64)> = None;
    let mut done = false;
    let mut yield_next = false;
    futures::stream::poll_fn(move |cx| {
        if done {
            return Poll::Ready(None);
        }
        if yield_next {
            yield_next = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let next = crate::util::blocking(|| -> std::io::Result<(Bytes, u64)> {
            if file.is_none() {
                let f = std::fs::File::open(&path)?;
                let len = f.metadata()?.len();
                file = Some((f, len));
            }
            let Some((f, left)) = file.as_mut() else { return Ok((Bytes::new(), 0)) };
            let mut buf = vec![0; CHUNK.min(usize::try_from(*left).unwrap_or(CHUNK))];
            let n = if buf.is_empty() { 0 } else { f.read(&mut buf)? };
            buf.truncate(n);
            // A file that shrank under us ends here rather than looping.
            *left = if n == 0 { 0 } else { left.saturating_sub(n as u64) };
            Ok((Bytes::from(buf), *left))
        });
        match next {
            Ok((chunk, _)) if chunk.is_empty() => {
                done = true;
                Poll::Ready(None)
            }
            Ok((chunk, left)) => {
                done = left == 0;
                yield_next = !done;
                Poll::Ready(Some(Ok(chunk)))
            }
            Err(e) => {
                done = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    })
}

/// The first `limit` bytes of a file.
pub(crate) fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    std::fs::File::open(path)?.take(limit).read_to_end(&mut out)?;
    Ok(out)
}
