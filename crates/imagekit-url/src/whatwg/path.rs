//! The URL parser's path state: percent-encoding and dot-segment removal, written
//! straight into the output.

use alloc::string::String;

/// Bytes the path percent-encode set escapes (non-ASCII bytes included), plus tab and
/// newlines, which the parser removes.
const PATH_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b < 0x20 || b >= 0x7f || matches!(b, b' ' | b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}');
        i += 1;
    }
    t
};

/// The URL parser's path state, writing `/segment` items straight into `out`.
///
/// Segments are kept as `"/" + encoded` runs; a dot segment is removed when it ends.
pub(crate) struct PathWriter {
    pub path_start: usize,
    seg_start: usize,
    raw: [u8; 6],
    /// Raw length of the current segment; 7 means "too long (or opaque) to be a dot segment".
    raw_len: usize,
    /// Byte range of an opaque segment (the path-position transformation) while it exists.
    opaque: Option<(usize, usize)>,
    /// Whether a `..` removed the opaque segment.
    pub opaque_popped: bool,
}

impl PathWriter {
    /// Starts an empty path at the end of `out`, with an open first segment.
    #[inline]
    pub fn begin(out: &mut String) -> Self {
        let mut w =
            Self { path_start: out.len(), seg_start: 0, raw: [0; 6], raw_len: 0, opaque: None, opaque_popped: false };
        w.open(out);
        w
    }

    /// Opens a new (empty) segment.
    #[inline]
    pub fn open(&mut self, out: &mut String) {
        self.seg_start = out.len();
        out.push('/');
        self.raw_len = 0;
    }

    /// Appends text already known to serialize to itself and not to be a dot segment.
    #[inline]
    pub fn push_verbatim(&mut self, out: &mut String, text: &str) {
        if !text.is_empty() {
            self.raw_len = 7;
            out.push_str(text);
        }
    }

    /// Marks the open segment as opaque (never a dot segment), ending at byte `end`.
    #[inline]
    pub fn mark_opaque(&mut self, end: usize) {
        self.raw_len = 7;
        self.opaque = Some((self.seg_start, end));
    }

    /// Appends raw text (no separators) to the open segment, percent-encoding it and
    /// skipping tabs and newlines.
    pub fn push_text(&mut self, out: &mut String, text: &str) {
        let bytes = text.as_bytes();
        if self.raw_len <= 6 {
            for &b in bytes {
                if matches!(b, b'\t' | b'\n' | b'\r') {
                    continue;
                }
                if self.raw_len < 6 {
                    self.raw[self.raw_len] = b;
                    self.raw_len += 1;
                } else {
                    self.raw_len = 7;
                    break;
                }
            }
        }
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if PATH_ESCAPE[b as usize] {
                // A run of safe ASCII bytes always sits on char boundaries.
                if start < i {
                    out.push_str(&text[start..i]);
                }
                if !matches!(b, b'\t' | b'\n' | b'\r') {
                    out.push_str(percent_encoding::percent_encode_byte(b));
                }
                start = i + 1;
            }
        }
        if start < bytes.len() {
            out.push_str(&text[start..]);
        }
    }

    fn dot_kind(&self) -> u8 {
        if self.raw_len > 6 {
            return 0;
        }
        let mut r = [0u8; 6];
        for (d, s) in r.iter_mut().zip(&self.raw[..self.raw_len]) {
            *d = s.to_ascii_lowercase();
        }
        match &r[..self.raw_len] {
            b"." | b"%2e" => 1,
            b".." | b".%2e" | b"%2e." | b"%2e%2e" => 2,
            _ => 0,
        }
    }

    #[inline]
    fn close(&mut self, out: &mut String, at_end: bool) {
        // Only a short segment can be a dot segment: the usual long one costs one compare.
        if self.raw_len <= 6 {
            self.close_short(out, at_end);
        }
    }

    fn close_short(&mut self, out: &mut String, at_end: bool) {
        match self.dot_kind() {
            2 => {
                out.truncate(self.seg_start);
                self.shorten(out);
                if at_end {
                    out.push('/');
                }
            }
            1 => {
                out.truncate(self.seg_start);
                if at_end {
                    out.push('/');
                }
            }
            _ => {}
        }
    }

    fn shorten(&mut self, out: &mut String) {
        if out.len() <= self.path_start {
            return;
        }
        let mut pos = self.path_start + memchr::memrchr(b'/', &out.as_bytes()[self.path_start..]).unwrap_or(0);
        if let Some((s, e)) = self.opaque {
            if pos >= s && pos < e {
                pos = s;
                self.opaque = None;
                self.opaque_popped = true;
            }
        }
        out.truncate(pos);
    }

    /// A `/` or `\` in the input.
    #[inline]
    pub fn separator(&mut self, out: &mut String) {
        self.close(out, false);
        self.open(out);
    }

    /// End of the path input.
    #[inline]
    pub fn finish(&mut self, out: &mut String) {
        self.close(out, true);
    }

    /// Parses a raw path as the URL parser's path start state does (one leading slash consumed).
    pub fn parse(&mut self, out: &mut String, path: &str) {
        let path = path.strip_prefix(['/', '\\']).unwrap_or(path);
        let mut start = 0;
        for i in memchr::memchr2_iter(b'/', b'\\', path.as_bytes()) {
            self.push_text(out, &path[start..i]);
            self.separator(out);
            start = i + 1;
        }
        self.push_text(out, &path[start..]);
        self.finish(out);
    }
}

/// Drops empty segments from a serialized path, as `pathJoin`'s collapsing of `/` runs does.
pub(crate) fn drop_empty_segments(out: &mut String, path_start: usize) {
    while out.len() > path_start && out.as_bytes()[out.len() - 1] == b'/' {
        out.pop();
    }
    if memchr::memmem::find(&out.as_bytes()[path_start..], b"//").is_some() {
        let compact: String = out[path_start..].split('/').filter(|s| !s.is_empty()).flat_map(|s| ["/", s]).collect();
        out.truncate(path_start);
        out.push_str(&compact);
    }
}
