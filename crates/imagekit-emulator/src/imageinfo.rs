//! What the emulator learns from a file's bytes: image format, dimensions and
//! alpha from the header (no pixel decoding), the MIME type, and on demand a
//! perceptual hash and a JPEG quality estimate.

use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader};

/// Facts read from an image header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// ImageKit's format name: `jpg`, `png`, `gif` or `webp`.
    pub format: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Whether the image has an alpha channel (or a transparent colour).
    pub has_alpha: bool,
    /// Whether an ICC profile is embedded.
    pub has_color_profile: bool,
}

impl ImageInfo {
    /// The MIME type of the format.
    pub fn mime(&self) -> &'static str {
        match self.format {
            "jpg" => "image/jpeg",
            "png" => "image/png",
            "gif" => "image/gif",
            "webp" => "image/webp",
            _ => "application/octet-stream",
        }
    }
}

fn format_name(f: ImageFormat) -> Option<&'static str> {
    match f {
        ImageFormat::Jpeg => Some("jpg"),
        ImageFormat::Png => Some("png"),
        ImageFormat::Gif => Some("gif"),
        ImageFormat::WebP => Some("webp"),
        _ => None,
    }
}

/// Read the header of a PNG, JPEG, GIF or WebP image; `None` for anything else
/// (or a header that does not parse).
pub fn probe(bytes: &[u8]) -> Option<ImageInfo> {
    // A decoder bug on hostile input must not take the request down.
    std::panic::catch_unwind(|| probe_header(bytes)).ok().flatten()
}

fn probe_header(bytes: &[u8]) -> Option<ImageInfo> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let format = format_name(reader.format()?)?;
    let mut decoder = reader.into_decoder().ok()?;
    let (width, height) = decoder.dimensions();
    let has_alpha = match format {
        // The GIF decoder always says RGBA; look for a transparent colour index instead.
        "gif" => gif_has_transparency(bytes),
        "jpg" => false,
        _ => decoder.color_type().has_alpha(),
    };
    let has_color_profile = matches!(decoder.icc_profile(), Ok(Some(p)) if !p.is_empty());
    Some(ImageInfo { format, width, height, has_alpha, has_color_profile })
}

/// Walk a GIF's blocks looking for a graphic control extension with the
/// transparency flag set.
fn gif_has_transparency(b: &[u8]) -> bool {
    fn skip_sub_blocks(b: &[u8], mut i: usize) -> Option<usize> {
        loop {
            let len = *b.get(i)? as usize;
            i += 1;
            if len == 0 {
                return Some(i);
            }
            i += len;
        }
    }
    fn walk(b: &[u8]) -> Option<bool> {
        let flags = *b.get(10)?;
        let mut i = 13;
        if flags & 0x80 != 0 {
            i += 3 * (1usize << ((flags & 0x07) + 1));
        }
        loop {
            match *b.get(i)? {
                0x21 => {
                    let label = *b.get(i + 1)?;
                    if label == 0xF9 && b.get(i + 2) == Some(&4) && b.get(i + 3)? & 1 != 0 {
                        return Some(true);
                    }
                    i = skip_sub_blocks(b, i + 2)?;
                }
                0x2C => {
                    let local = *b.get(i + 9)?;
                    i += 10;
                    if local & 0x80 != 0 {
                        i += 3 * (1usize << ((local & 0x07) + 1));
                    }
                    i = skip_sub_blocks(b, i + 1)?;
                }
                _ => return Some(false),
            }
        }
    }
    walk(b).unwrap_or(false)
}

/// The MIME type of a file: from the sniffed image format, else from the file
/// name's extension, else `application/octet-stream`.
pub fn mime(info: Option<&ImageInfo>, file_name: &str) -> String {
    if let Some(info) = info {
        return info.mime().to_owned();
    }
    let ext = extension(file_name).unwrap_or_default();
    let mime = match ext.as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "ico" => "image/x-icon",
        "svg" => "image/svg+xml",
        "psd" => "image/vnd.adobe.photoshop",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "mkv" => "video/x-matroska",
        "avi" => "video/x-msvideo",
        "m3u8" => "application/vnd.apple.mpegurl",
        "mpd" => "application/dash+xml",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "aac" => "audio/aac",
        "m4a" => "audio/mp4",
        "flac" => "audio/flac",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    };
    mime.to_owned()
}

/// The format name ImageKit reports: the sniffed image format, else the file
/// extension in lower case (`jpeg` as `jpg`).
pub fn format(info: Option<&ImageInfo>, file_name: &str) -> Option<String> {
    if let Some(info) = info {
        return Some(info.format.to_owned());
    }
    extension(file_name).map(|e| if e == "jpeg" { "jpg".to_owned() } else { e })
}

fn extension(file_name: &str) -> Option<String> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Images larger than this many pixels get no perceptual hash (decoding them is
/// not cheap).
const MAX_HASH_PIXELS: u64 = 40_000_000;

/// A 64-bit difference hash (dHash of a 9x8 grayscale thumbnail) as 16 hex
/// digits: similar images have hashes a small Hamming distance apart, like
/// ImageKit's `pHash`. `None` when the bytes are not a decodable image.
pub fn phash(bytes: &[u8]) -> Option<String> {
    let info = probe(bytes)?;
    if u64::from(info.width) * u64::from(info.height) > MAX_HASH_PIXELS {
        return None;
    }
    std::panic::catch_unwind(|| dhash(bytes)).ok().flatten()
}

fn dhash(bytes: &[u8]) -> Option<String> {
    let img = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?.decode().ok()?;
    let small = img.thumbnail_exact(9, 8).to_luma8();
    let mut hash: u64 = 0;
    for y in 0..8 {
        for x in 0..8 {
            let left = small.get_pixel(x, y).0[0];
            let right = small.get_pixel(x + 1, y).0[0];
            hash = (hash << 1) | u64::from(left > right);
        }
    }
    Some(format!("{hash:016x}"))
}

/// The IJG (libjpeg) luminance quantisation table, in zig-zag order as JPEG
/// files store it.
const STD_LUMINANCE: [u16; 64] = [
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61,
    60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113,
    121, 112, 100, 120, 92, 101, 103, 99,
];

/// Estimate a JPEG's quality (1-100) from its first quantisation table, the
/// inverse of libjpeg's scaling; `None` if the bytes are not a JPEG with one.
pub fn jpeg_quality(b: &[u8]) -> Option<u64> {
    if b.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xFF {
            i += 1;
            continue;
        }
        // Markers without a length.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        if marker == 0xDB {
            let pq_tq = *b.get(i + 4)?;
            let precision16 = pq_tq >> 4 != 0;
            let table = b.get(i + 5..)?;
            let mut sum = 0.0f64;
            for (k, std) in STD_LUMINANCE.iter().enumerate() {
                let q = if precision16 {
                    f64::from(u16::from_be_bytes([*table.get(2 * k)?, *table.get(2 * k + 1)?]))
                } else {
                    f64::from(*table.get(k)?)
                };
                sum += q * 100.0 / f64::from(*std);
            }
            let scale = sum / 64.0;
            let quality = if scale <= 100.0 { (200.0 - scale) / 2.0 } else { 5000.0 / scale };
            return Some(quality.round().clamp(1.0, 100.0) as u64);
        }
        i += 2 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(img: &image::DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn png_with_and_without_alpha() {
        let rgba = image::DynamicImage::ImageRgba8(image::RgbaImage::new(30, 20));
        let info = probe(&encode(&rgba, ImageFormat::Png)).unwrap();
        assert_eq!((info.format, info.width, info.height, info.has_alpha), ("png", 30, 20, true));
        let rgb = image::DynamicImage::ImageRgb8(image::RgbImage::new(7, 9));
        let info = probe(&encode(&rgb, ImageFormat::Png)).unwrap();
        assert_eq!((info.width, info.height, info.has_alpha), (7, 9, false));
        assert_eq!(info.mime(), "image/png");
    }

    #[test]
    fn jpeg_gif_and_quality() {
        let rgb = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 5) as u8, 128])
        }));
        let jpg = encode(&rgb, ImageFormat::Jpeg);
        let info = probe(&jpg).unwrap();
        assert_eq!((info.format, info.width, info.height, info.has_alpha), ("jpg", 64, 48, false));
        let q = jpeg_quality(&jpg).unwrap();
        assert!((70..=80).contains(&q), "quality {q}");
        let gif = encode(&rgb, ImageFormat::Gif);
        let info = probe(&gif).unwrap();
        assert_eq!((info.format, info.width, info.height), ("gif", 64, 48));
        assert!(phash(&jpg).is_some_and(|h| h.len() == 16));
    }

    #[test]
    fn gif_transparency_is_seen() {
        let mut img = image::RgbaImage::new(4, 4);
        img.put_pixel(0, 0, image::Rgba([255, 0, 0, 255]));
        let gif = encode(&image::DynamicImage::ImageRgba8(img), ImageFormat::Gif);
        assert!(probe(&gif).unwrap().has_alpha);
    }

    #[test]
    fn non_images() {
        assert_eq!(probe(b"hello"), None);
        assert_eq!(mime(None, "notes.TXT"), "text/plain");
        assert_eq!(mime(None, "blob"), "application/octet-stream");
        assert_eq!(format(None, "x.JPEG").as_deref(), Some("jpg"));
        assert_eq!(jpeg_quality(b"\x89PNG"), None);
    }
}
