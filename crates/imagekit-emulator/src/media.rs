//! The duration of an audio or video file, read from its container's headers
//! (nothing is decoded), for `File.duration`, `bitRate` and the `DURATION`
//! sorts:
//!
//! - ISO BMFF (MP4, MOV, M4A, M4V, 3GP): `moov/mvhd` duration over its timescale;
//! - Matroska and WebM: `Segment/Info/Duration` times `TimecodeScale`;
//! - AVI: `avih` frame count times frame period;
//! - WAVE: `data` size over the `fmt ` byte rate;
//! - FLAC: `STREAMINFO` sample count over the sample rate;
//! - Ogg Vorbis and Opus: the last page's granule position over the rate
//!   (Opus: 48 kHz, minus the pre-skip);
//! - MP3: a Xing/Info or VBRI frame count, else the audio bytes over the
//!   first frame's bit rate (constant bit rate);
//! - AAC (ADTS): the number of frames times 1024 samples over the rate.
//!
//! Anything else, or a header that does not parse, has no duration. Every read
//! is bounds-checked: hostile input gives `None`, never a panic.

/// The duration in seconds, when `bytes` is one of the containers above and
/// its header says (a positive, finite value).
pub fn duration_secs(bytes: &[u8]) -> Option<f64> {
    let d = if bytes.starts_with(b"\x1A\x45\xDF\xA3") {
        matroska(bytes)
    } else if bytes.starts_with(b"RIFF") && has(bytes, 8, b"WAVE") {
        wave(bytes)
    } else if bytes.starts_with(b"RIFF") && has(bytes, 8, b"AVI ") {
        avi(bytes)
    } else if bytes.starts_with(b"fLaC") {
        flac(bytes)
    } else if bytes.starts_with(b"OggS") {
        ogg(bytes)
    } else if matches!(bytes.get(4..8), Some(b"ftyp" | b"moov" | b"wide" | b"free" | b"mdat" | b"skip")) {
        iso_bmff(bytes)
    } else if bytes.starts_with(b"ID3") || mpeg_frame(bytes, 0).is_some() {
        mp3(bytes)
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xF6 == 0xF0 {
        adts(bytes)
    } else {
        None
    };
    d.filter(|d| d.is_finite() && *d > 0.0)
}

/// Whether `b` holds `tag` at `at`.
fn has(b: &[u8], at: usize, tag: &[u8]) -> bool {
    b.get(at..at.saturating_add(tag.len())) == Some(tag)
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_be(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

// ---------------------------------------------------------------- ISO BMFF

/// The payload of the first box of type `kind` among the boxes of `b`.
fn find_box<'a>(b: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    let mut at = 0usize;
    while at + 8 <= b.len() {
        let size32 = u32_be(b, at)?;
        let (header, size) = match size32 {
            0 => (8, b.len() - at),
            1 => (16, usize::try_from(u64_be(b, at + 8)?).ok()?),
            n => (8, n as usize),
        };
        if size < header {
            return None;
        }
        let end = at.checked_add(size)?.min(b.len());
        if &b[at + 4..at + 8] == kind {
            return b.get(at + header..end);
        }
        at = at.checked_add(size)?;
    }
    None
}

fn iso_bmff(b: &[u8]) -> Option<f64> {
    let mvhd = find_box(find_box(b, b"moov")?, b"mvhd")?;
    let (timescale, duration) = match mvhd.first()? {
        0 => (u32_be(mvhd, 12)?, u64::from(u32_be(mvhd, 16)?)),
        1 => (u32_be(mvhd, 20)?, u64_be(mvhd, 24)?),
        _ => return None,
    };
    // All ones: unknown (a live or fragmented recording).
    if timescale == 0 || duration == u64::MAX || duration == u64::from(u32::MAX) {
        return None;
    }
    Some(duration as f64 / f64::from(timescale))
}

// ---------------------------------------------------------------- Matroska

/// An EBML variable-length integer at `at`: (value, length). With `keep_marker`
/// (element ids) the length marker bit stays in the value.
fn vint(b: &[u8], at: usize, keep_marker: bool) -> Option<(u64, usize)> {
    let first = *b.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut v = if keep_marker { u64::from(first) } else { u64::from(first) & (0xFF >> len) };
    for i in 1..len {
        v = (v << 8) | u64::from(*b.get(at + i)?);
    }
    Some((v, len))
}

/// The children of an EBML master element's payload: (id, payload), stopping
/// at an element of unknown size (other than the one asked for).
fn ebml_children(b: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let (id, id_len) = vint(b, at, true)?;
        let (size, size_len) = vint(b, at + id_len, false)?;
        let start = at + id_len + size_len;
        // All value bits set: unknown size, up to the end of the parent.
        let unknown = size == (1u64 << (7 * size_len)) - 1;
        let end = if unknown { b.len() } else { start.checked_add(usize::try_from(size).ok()?)?.min(b.len()) };
        let payload = b.get(start..end)?;
        at = end;
        Some((id, payload))
    })
}

fn matroska(b: &[u8]) -> Option<f64> {
    const SEGMENT: u64 = 0x1853_8067;
    const INFO: u64 = 0x1549_A966;
    const TIMECODE_SCALE: u64 = 0x2A_D7B1;
    const DURATION: u64 = 0x4489;
    let (_, segment) = ebml_children(b).find(|(id, _)| *id == SEGMENT)?;
    let (_, info) = ebml_children(segment).find(|(id, _)| *id == INFO)?;
    let mut scale = 1_000_000u64; // nanoseconds per tick, the default
    let mut duration = None;
    for (id, v) in ebml_children(info) {
        match id {
            TIMECODE_SCALE if !v.is_empty() && v.len() <= 8 => {
                scale = v.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
            }
            DURATION => {
                duration = match v.len() {
                    4 => Some(f64::from(f32::from_be_bytes(v.try_into().ok()?))),
                    8 => Some(f64::from_be_bytes(v.try_into().ok()?)),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    Some(duration? * scale as f64 / 1e9)
}

// ---------------------------------------------------------------- RIFF

/// The RIFF chunks after the 12-byte header: (id, payload), payloads cut at the end of the file.
fn riff_chunks(b: &[u8], from: usize) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut at = from;
    std::iter::from_fn(move || {
        let id = b.get(at..at + 4)?;
        let size = u32_le(b, at + 4)? as usize;
        let start = at + 8;
        let end = start.saturating_add(size).min(b.len());
        let payload = b.get(start..end)?;
        // Chunks are padded to an even size.
        at = start.saturating_add(size).saturating_add(size & 1);
        Some((id, payload))
    })
}

fn wave(b: &[u8]) -> Option<f64> {
    let mut byte_rate = None;
    for (id, payload) in riff_chunks(b, 12) {
        match id {
            b"fmt " => byte_rate = u32_le(payload, 8),
            b"data" => {
                let rate = byte_rate.filter(|r| *r > 0)?;
                return Some(payload.len() as f64 / f64::from(rate));
            }
            _ => {}
        }
    }
    None
}

fn avi(b: &[u8]) -> Option<f64> {
    let (_, hdrl) = riff_chunks(b, 12).find(|(id, p)| *id == b"LIST" && p.starts_with(b"hdrl"))?;
    let (_, avih) = riff_chunks(hdrl, 4).find(|(id, _)| *id == b"avih")?;
    let micros_per_frame = u32_le(avih, 0)?;
    let frames = u32_le(avih, 16)?;
    Some(f64::from(micros_per_frame) * f64::from(frames) / 1e6)
}

// ---------------------------------------------------------------- FLAC, Ogg

fn flac(b: &[u8]) -> Option<f64> {
    // The first metadata block is STREAMINFO (type 0, 34 bytes).
    if b.get(4)? & 0x7F != 0 {
        return None;
    }
    let info = b.get(8..8 + 34)?;
    let rate = (u32::from(info[10]) << 12) | (u32::from(info[11]) << 4) | (u32::from(info[12]) >> 4);
    let samples = (u64::from(info[13] & 0x0F) << 32) | u64::from(u32_be(info, 14)?);
    (rate > 0 && samples > 0).then(|| samples as f64 / f64::from(rate))
}

fn ogg(b: &[u8]) -> Option<f64> {
    let serial = u32_le(b, 14)?;
    let segments = usize::from(*b.get(26)?);
    let packet = b.get(27 + segments..)?;
    let (rate, pre_skip) = if packet.starts_with(b"\x01vorbis") {
        (u32_le(packet, 12)?, 0)
    } else if packet.starts_with(b"OpusHead") {
        (48_000, u64::from(u16_le(packet, 10)?))
    } else {
        return None;
    };
    // The last page of this stream with a granule position (-1: none ends on it).
    let mut at = b.len().saturating_sub(27);
    loop {
        if has(b, at, b"OggS") && u32_le(b, at + 14) == Some(serial) {
            let granule = u64_le(b, at + 6)?;
            if granule != u64::MAX {
                return (rate > 0).then(|| granule.saturating_sub(pre_skip) as f64 / f64::from(rate));
            }
        }
        at = at.checked_sub(1)?;
    }
}

// ---------------------------------------------------------------- MPEG audio

/// A parsed MPEG audio frame header.
struct MpegFrame {
    mpeg1: bool,
    layer: u8,
    mono: bool,
    bitrate_kbps: u32,
    sample_rate: u32,
    len: usize,
}

impl MpegFrame {
    fn samples(&self) -> u32 {
        match (self.layer, self.mpeg1) {
            (1, _) => 384,
            (3, false) => 576,
            _ => 1152,
        }
    }
}

/// The MPEG audio frame header at `at`, if it is a valid one.
fn mpeg_frame(b: &[u8], at: usize) -> Option<MpegFrame> {
    let h = b.get(at..at + 4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    let layer = match (h[1] >> 1) & 3 {
        3 => 1,
        2 => 2,
        1 => 3,
        _ => return None,
    };
    let (bitrate_index, rate_index) = (usize::from(h[2] >> 4), usize::from((h[2] >> 2) & 3));
    if version == 1 || !(1..15).contains(&bitrate_index) || rate_index == 3 {
        return None;
    }
    const RATES: [[u32; 3]; 3] = [[11_025, 12_000, 8_000], [22_050, 24_000, 16_000], [44_100, 48_000, 32_000]];
    const BITRATES: [[u32; 14]; 5] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], // MPEG-1 layer I
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],    // MPEG-1 layer II
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],     // MPEG-1 layer III
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],    // MPEG-2/2.5 layer I
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],         // MPEG-2/2.5 layers II, III
    ];
    let mpeg1 = version == 3;
    let sample_rate = RATES[match version {
        3 => 2,
        2 => 1,
        _ => 0,
    }][rate_index];
    let table = match (mpeg1, layer) {
        (true, l) => usize::from(l) - 1,
        (false, 1) => 3,
        (false, _) => 4,
    };
    let bitrate_kbps = BITRATES[table][bitrate_index - 1];
    let padding = u32::from((h[2] >> 1) & 1);
    let bps = bitrate_kbps * 1000;
    let len = match (layer, mpeg1) {
        (1, _) => (12 * bps / sample_rate + padding) * 4,
        (3, false) => 72 * bps / sample_rate + padding,
        _ => 144 * bps / sample_rate + padding,
    } as usize;
    Some(MpegFrame { mpeg1, layer, mono: h[3] >> 6 == 3, bitrate_kbps, sample_rate, len })
}

fn mp3(b: &[u8]) -> Option<f64> {
    let mut start = 0usize;
    if b.starts_with(b"ID3") {
        let h = b.get(6..10)?;
        let size = h.iter().fold(0usize, |acc, x| (acc << 7) | usize::from(x & 0x7F));
        let footer = if b.get(5)? & 0x10 != 0 { 10 } else { 0 };
        start = 10 + size + footer;
    }
    let frame = mpeg_frame(b, start)?;
    // A second frame where the first one ends, unless the file ends there:
    // a lone 0xFFE bit pattern is not enough to call bytes MP3.
    let next = start + frame.len;
    if next + 4 <= b.len() && mpeg_frame(b, next).is_none() {
        return None;
    }
    // A Xing/Info (after the side information) or VBRI header counts the frames.
    let side = match (frame.mpeg1, frame.mono) {
        (true, false) => 32,
        (true, true) | (false, false) => 17,
        (false, true) => 9,
    };
    let xing = start + 4 + side;
    let frames = match b.get(xing..xing + 4) {
        Some(b"Xing" | b"Info") if u32_be(b, xing + 4)? & 1 == 1 => Some(u32_be(b, xing + 8)?),
        _ if has(b, start + 36, b"VBRI") => Some(u32_be(b, start + 36 + 14)?),
        _ => None,
    };
    if let Some(frames) = frames.filter(|f| *f > 0) {
        return Some(f64::from(frames) * f64::from(frame.samples()) / f64::from(frame.sample_rate));
    }
    let mut end = b.len();
    if end >= start + 128 && has(b, end - 128, b"TAG") {
        end -= 128;
    }
    Some((end - start) as f64 * 8.0 / (f64::from(frame.bitrate_kbps) * 1000.0))
}

/// AAC in ADTS frames: every frame holds 1024 samples.
fn adts(b: &[u8]) -> Option<f64> {
    const RATES: [u32; 13] =
        [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350];
    let rate = *RATES.get(usize::from((b.get(2)? >> 2) & 0x0F))?;
    let (mut at, mut frames) = (0usize, 0u64);
    while let Some(h) = b.get(at..at + 7) {
        if h[0] != 0xFF || h[1] & 0xF6 != 0xF0 {
            break;
        }
        let len = (usize::from(h[3] & 3) << 11) | (usize::from(h[4]) << 3) | usize::from(h[5] >> 5);
        if len < 7 {
            break;
        }
        // Raw data blocks in the frame, each 1024 samples.
        frames += u64::from(h[6] & 3) + 1;
        at += len;
    }
    (frames > 0).then(|| frames as f64 * 1024.0 / f64::from(rate))
}

/// The duration of a file on disk, reading at most `window` bytes of it, so a
/// large upload never sits in memory whole. ISO BMFF (MP4, MOV) files are
/// walked box by box with seeks until `moov`, wherever it is (a camera writes
/// it after `mdat`); every other container is read from its first `window`
/// bytes, which holds the header of all but Ogg and MP3 files, whose duration
/// a large file then does not report.
pub fn duration_of_file(path: &std::path::Path, window: u64) -> std::io::Result<Option<f64>> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = Vec::new();
    (&mut file).take(window.min(size)).read_to_end(&mut head)?;
    if !matches!(head.get(4..8), Some(b"ftyp" | b"moov" | b"wide" | b"free" | b"mdat" | b"skip")) {
        return Ok(duration_secs(&head));
    }
    // Top-level boxes: a 32-bit size and a type; size 1 means a 64-bit size
    // follows, size 0 runs to the end of the file.
    let mut offset = 0u64;
    for _ in 0..4096 {
        let mut header = [0u8; 16];
        file.seek(SeekFrom::Start(offset))?;
        let got = (&mut file).take(16).read(&mut header)?;
        if got < 8 {
            return Ok(None);
        }
        let small = u64::from(u32::from_be_bytes([header[0], header[1], header[2], header[3]]));
        let len = match small {
            0 => size - offset,
            1 if got == 16 => u64::from_be_bytes([
                header[8], header[9], header[10], header[11], header[12], header[13], header[14], header[15],
            ]),
            1 => return Ok(None),
            n => n,
        };
        if len < 8 || offset.saturating_add(len) > size {
            return Ok(None);
        }
        if &header[4..8] == b"moov" {
            if len > window {
                return Ok(None);
            }
            let mut moov = Vec::new();
            file.seek(SeekFrom::Start(offset))?;
            (&mut file).take(len).read_to_end(&mut moov)?;
            return Ok(duration_secs(&moov));
        }
        offset += len;
    }
    Ok(None)
}

#[cfg(test)]
pub(crate) mod tests;
