//! Applying a [`Plan`] to an image with the `image` crate.

use std::io::Cursor;

use bytes::Bytes;
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};

use super::plan::{Crop, OutFormat, Plan, Step};
use crate::model::FileVersion;
use crate::web::ApiError;

/// The largest width or height a transformation may ask for; larger is a 400.
const MAX_DIMENSION: u32 = 10_000;

/// Images wider or taller than this are not decoded (served untransformed).
const MAX_DECODE_DIMENSION: u32 = 20_000;

/// The JPEG quality used when a URL has no `q-` (ImageKit's default).
const DEFAULT_QUALITY: u8 = 80;

/// What is sent back.
pub(super) struct Output {
    pub(super) body: Bytes,
    pub(super) mime: String,
    pub(super) ignored: Vec<String>,
    pub(super) warning: Option<String>,
}

impl Output {
    pub(super) fn original(body: Bytes, file: &FileVersion) -> Output {
        Output { body, mime: file.mime.clone(), ignored: Vec::new(), warning: None }
    }
}

/// Apply `plan` to `data` (CPU-bound: run off the async threads).
pub(super) fn transform(data: Bytes, mime: &str, plan: &Plan) -> Result<Output, ApiError> {
    let untouched = |data: Bytes, warning: Option<String>| {
        let mut ignored = plan.ignored.clone();
        for key in plan_keys(plan) {
            if !ignored.contains(&key) {
                ignored.push(key);
            }
        }
        Output { body: data, mime: mime.to_owned(), ignored, warning }
    };
    if plan.original {
        return Ok(Output { body: data, mime: mime.to_owned(), ignored: plan.ignored.clone(), warning: None });
    }
    if !mime.starts_with("image/") {
        return Ok(untouched(data, None));
    }
    let reader = match image::ImageReader::new(Cursor::new(&data[..])).with_guessed_format() {
        Ok(r) => r,
        Err(e) => return Ok(untouched(data.clone(), Some(format!("could not read the image: {e}")))),
    };
    let source = reader.format().and_then(OutFormat::from_image);
    let target = match plan.format {
        Some(Some(f)) => f,
        _ => source.unwrap_or(OutFormat::Png),
    };
    let mut ignored = plan.ignored.clone();
    if plan.quality.is_some() && target != OutFormat::Jpeg {
        push_unique(&mut ignored, "q");
    }
    let changes = plan.steps.iter().any(|s| !s.is_noop())
        || Some(target) != source
        || (plan.quality.is_some() && target == OutFormat::Jpeg);
    if !changes {
        return Ok(Output { body: data, mime: mime.to_owned(), ignored, warning: None });
    }
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_DIMENSION);
    limits.max_image_height = Some(MAX_DECODE_DIMENSION);
    reader.limits(limits);
    let mut img = match reader.decode() {
        Ok(img) => img,
        Err(e) => return Ok(untouched(data.clone(), Some(format!("could not decode the image: {e}")))),
    };
    for step in &plan.steps {
        img = run_step(img, step)?;
    }
    let body = match encode(&img, target, plan.quality) {
        Ok(b) => b,
        Err(e) => return Ok(untouched(data.clone(), Some(format!("could not encode the image: {e}")))),
    };
    Ok(Output { body: body.into(), mime: target.mime().to_owned(), ignored, warning: None })
}

/// Every key a plan applies (all of them are reported when nothing was applied).
fn plan_keys(plan: &Plan) -> Vec<String> {
    let mut keys = Vec::new();
    for s in &plan.steps {
        let present = [
            ("w", s.w.is_some()),
            ("h", s.h.is_some()),
            ("ar", s.ar.is_some()),
            ("dpr", s.dpr.is_some()),
            ("c", s.crop.is_some()),
            ("bg", s.bg.is_some()),
            ("rt", s.rotate != 0),
            ("fl", s.flip_h || s.flip_v),
            ("bl", s.blur.is_some()),
            ("e-grayscale", s.grayscale),
        ];
        for (k, on) in present {
            if on {
                push_unique(&mut keys, k);
            }
        }
    }
    if plan.format.is_some() {
        push_unique(&mut keys, "f");
    }
    if plan.quality.is_some() {
        push_unique(&mut keys, "q");
    }
    keys
}

fn push_unique(list: &mut Vec<String>, key: &str) {
    if !list.iter().any(|k| k == key) {
        list.push(key.to_owned());
    }
}

/// A dimension in pixels, checked against [`MAX_DIMENSION`].
pub(super) fn pixels(v: f64, what: &str) -> Result<u32, ApiError> {
    let r = v.round().max(1.0);
    if !r.is_finite() || r > f64::from(MAX_DIMENSION) {
        return Err(ApiError::bad_request(format!(
            "The requested {what} ({v:.0}px) is larger than the emulator's limit of {MAX_DIMENSION}px."
        )));
    }
    Ok(r as u32)
}

fn run_step(mut img: DynamicImage, s: &Step) -> Result<DynamicImage, ApiError> {
    let (w0, h0) = img.dimensions();
    let dpr = s.dpr.unwrap_or(1.0);
    // Below 1, a size is a fraction of the image's own.
    let resolve = |v: f64, base: u32| if v < 1.0 { v * f64::from(base) } else { v } * dpr;
    let mut tw = s.w.map(|v| resolve(v, w0));
    let mut th = s.h.map(|v| resolve(v, h0));
    match (s.ar, tw, th) {
        (Some(ar), Some(w), None) => th = Some(w / ar),
        (Some(ar), None, Some(h)) => tw = Some(h * ar),
        _ => {}
    }
    let tw = tw.map(|v| pixels(v, "width")).transpose()?;
    let th = th.map(|v| pixels(v, "height")).transpose()?;
    let crop = s.crop.unwrap_or(Crop::MaintainRatio);
    let filter = FilterType::CatmullRom;
    let scaled = |w: u32, h: u32| (w.max(1), h.max(1));
    img = match (tw, th) {
        (None, None) => img,
        (Some(w), Some(h)) => match crop {
            Crop::MaintainRatio => img.resize_to_fill(w, h, filter),
            Crop::Force => img.resize_exact(w, h, filter),
            Crop::AtMax => {
                if w0 <= w && h0 <= h {
                    img
                } else {
                    img.resize(w, h, filter)
                }
            }
            Crop::AtLeast => {
                let k = (f64::from(w) / f64::from(w0)).max(f64::from(h) / f64::from(h0));
                let (nw, nh) = scaled(pixels(f64::from(w0) * k, "width")?, pixels(f64::from(h0) * k, "height")?);
                img.resize_exact(nw, nh, filter)
            }
            Crop::PadResize => {
                let fitted = img.resize(w, h, filter).to_rgba8();
                let mut canvas = RgbaImage::from_pixel(w, h, Rgba(s.bg.unwrap_or([255, 255, 255, 255])));
                let x = i64::from((w - fitted.width()) / 2);
                let y = i64::from((h - fitted.height()) / 2);
                image::imageops::overlay(&mut canvas, &fitted, x, y);
                DynamicImage::ImageRgba8(canvas)
            }
            Crop::Extract => {
                let (cw, ch) = (w.min(w0), h.min(h0));
                img.crop_imm((w0 - cw) / 2, (h0 - ch) / 2, cw, ch)
            }
        },
        (Some(w), None) => match crop {
            Crop::Extract => img.crop_imm((w0 - w.min(w0)) / 2, 0, w.min(w0), h0),
            Crop::AtMax if w >= w0 => img,
            _ => {
                let h = pixels(f64::from(h0) * f64::from(w) / f64::from(w0), "height")?;
                img.resize_exact(w, h, filter)
            }
        },
        (None, Some(h)) => match crop {
            Crop::Extract => img.crop_imm(0, (h0 - h.min(h0)) / 2, w0, h.min(h0)),
            Crop::AtMax if h >= h0 => img,
            _ => {
                let w = pixels(f64::from(w0) * f64::from(h) / f64::from(h0), "width")?;
                img.resize_exact(w, h, filter)
            }
        },
    };
    img = match s.rotate {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => img,
    };
    if s.flip_h {
        img = img.fliph();
    }
    if s.flip_v {
        img = img.flipv();
    }
    if s.grayscale {
        img = if img.color().has_alpha() {
            DynamicImage::ImageLumaA8(img.to_luma_alpha8())
        } else {
            DynamicImage::ImageLuma8(img.to_luma8())
        };
    }
    if let Some(b) = s.blur {
        img = img.blur(b / 2.0);
    }
    Ok(img)
}

fn encode(img: &DynamicImage, format: OutFormat, quality: Option<u8>) -> image::ImageResult<Vec<u8>> {
    let mut buf = Vec::new();
    let alpha = img.color().has_alpha();
    match format {
        OutFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality.unwrap_or(DEFAULT_QUALITY));
            if img.color().channel_count() <= 2 {
                img.to_luma8().write_with_encoder(enc)?;
            } else {
                img.to_rgb8().write_with_encoder(enc)?;
            }
        }
        OutFormat::Png => {
            let img =
                if alpha { DynamicImage::ImageRgba8(img.to_rgba8()) } else { DynamicImage::ImageRgb8(img.to_rgb8()) };
            img.write_to(&mut Cursor::new(&mut buf), ImageFormat::Png)?;
        }
        OutFormat::Webp => {
            let enc = image::codecs::webp::WebPEncoder::new_lossless(&mut buf);
            if alpha { img.to_rgba8().write_with_encoder(enc)? } else { img.to_rgb8().write_with_encoder(enc)? }
        }
        OutFormat::Gif => {
            DynamicImage::ImageRgba8(img.to_rgba8()).write_to(&mut Cursor::new(&mut buf), ImageFormat::Gif)?;
        }
    }
    Ok(buf)
}
