//! URL delivery: `GET` and `HEAD` `/<imagekit_id>/<filePath>`, with ImageKit
//! transformations in the path (`/<imagekit_id>/tr:w-300,h-200/<filePath>`) or
//! in the query (`?tr=w-300,h-200`), signed URLs (`ik-s`, `ik-t`) checked
//! exactly as ImageKit signs them, and private files. `?ik-obj-version=<versionId>`
//! serves an older version of a file; unpublished (draft) files are 404.
//!
//! A subset of transformations is applied for real with the `image` crate:
//! `w`, `h` (pixels, or a ratio below 1), `ar`, `dpr`, `c` (`maintain_ratio`,
//! the default, `force`, `at_max`, `at_least`), `cm` (`pad_resize` with `bg`,
//! `extract`), `f` (`jpg`, `png`, `webp`, `gif`; `auto` and `orig` keep the
//! original format), `q` (JPEG), `rt` (multiples of 90), `fl`, `bl`,
//! `e-grayscale`, `orig-true` and named transformations (stored ones, and the
//! built-in `ik_ml_thumbnail`). Every other key is left out and named in the
//! `x-ik-emulator-ignored` response header, so a test can see what the real
//! service would have done differently.

use std::io::Cursor;

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};
use percent_encoding::percent_decode_str;
use sha1::{Digest, Sha1};

use crate::model::FileVersion;
use crate::state::State;
use crate::store::Collection;
use crate::web::{ApiError, Req, Resp};

/// The largest width or height a transformation may ask for; larger is a 400.
pub const MAX_DIMENSION: u32 = 10_000;

/// Images wider or taller than this are not decoded (served untransformed).
const MAX_DECODE_DIMENSION: u32 = 20_000;

/// The longest side of the built-in `n-ik_ml_thumbnail` named transformation.
pub const THUMBNAIL_SIZE: u32 = 200;

/// The response header naming the transformation keys that were not applied.
pub const IGNORED_HEADER: &str = "x-ik-emulator-ignored";

/// The response header explaining why an image was served untransformed.
pub const WARNING_HEADER: &str = "x-ik-emulator-warning";

/// The JPEG quality used when a URL has no `q-` (ImageKit's default).
const DEFAULT_QUALITY: u8 = 80;

/// What the built-in `ik_ml_thumbnail` named transformation expands to.
const THUMBNAIL_TR: &str = "w-200,h-200,c-at_max";

/// Serve a delivery URL. `raw_query` is the query string exactly as received
/// (still percent-encoded): signatures are checked against it, because that is
/// the text the client signed.
pub async fn serve(state: &State, req: &Req, raw_query: Option<&str>) -> Resp {
    let resp = match handle(state, req, raw_query).await {
        Ok(resp) => resp,
        Err(e) => e.into_resp(),
    };
    // Delivery URLs are plain cross-origin GETs (service-facts §3): a page on
    // any origin may read them (canvas, fetch), as from ImageKit's CDN.
    resp.with_header("access-control-allow-origin", "*")
}

async fn handle(state: &State, req: &Req, raw_query: Option<&str>) -> Result<Resp, ApiError> {
    let head = req.method == Method::HEAD;
    if !head && req.method != Method::GET {
        let mut resp =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Delivery URLs answer GET and HEAD only.").into_resp();
        resp.headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(resp);
    }
    let rest = strip_prefix(&req.path, &state.delivery_prefix).ok_or_else(|| {
        ApiError::not_found(format!(
            "No such resource. Files are delivered under {}/<filePath>; the API is under /v1 and /api.",
            state.delivery_prefix
        ))
    })?;
    let (path_tr, file_part) = split_path_transformation(rest);
    let file_path = percent_decode_str(file_part).decode_utf8_lossy().into_owned();
    if file_path.trim_matches('/').is_empty() {
        return Err(not_found());
    }

    let signed = verify_signature(state, rest, raw_query, crate::util::now_secs())?;

    let version = req.query("ik-obj-version");
    let file = state
        .store
        .read(|db| {
            let rec = db.file_at(&file_path)?;
            match version {
                None => Some(rec.current.clone()),
                Some(id) => std::iter::once(&rec.current).chain(&rec.versions).find(|v| v.version_id == id).cloned(),
            }
        })
        .ok_or_else(not_found)?;
    if !file.is_published {
        return Err(not_found());
    }
    if file.is_private && !signed {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "This file is private: it is only delivered through a signed URL.",
        ));
    }
    let data = state.store.blob(&file.blob).ok_or_else(not_found)?;

    let mut tr = String::new();
    if let Some(p) = path_tr {
        tr.push_str(&percent_decode_str(p).decode_utf8_lossy());
    }
    for (_, v) in req.query.iter().filter(|(k, _)| k == "tr") {
        if !tr.is_empty() && !v.is_empty() {
            tr.push(':');
        }
        tr.push_str(v);
    }

    let out = if tr.is_empty() {
        Output::original(data, &file)
    } else {
        let plan = Plan::parse(&tr, &|name| named_transformation(state, name))?;
        let mime = file.mime.clone();
        let job = move || transform(data, &mime, &plan);
        let result = match tokio::runtime::Handle::try_current() {
            Ok(rt) => rt.spawn_blocking(job).await.map_err(|e| ApiError::internal(format!("transform: {e}")))?,
            Err(_) => job(),
        };
        result?
    };
    Ok(respond(req, out, &file, head))
}

fn not_found() -> ApiError {
    ApiError::not_found("The requested resource does not exist.")
}

/// The part of `path` after `prefix` (`""` or starting with `/`), if `path` is under it.
fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Split `/tr:w-100/a/b.jpg` into (`Some("w-100")`, `/a/b.jpg`).
fn split_path_transformation(rest: &str) -> (Option<&str>, &str) {
    let body = rest.strip_prefix('/').unwrap_or(rest);
    if let Some(after) = body.strip_prefix("tr:") {
        return match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), ""),
        };
    }
    (None, rest)
}

// ---------------------------------------------------------------------------
// Signed URLs
// ---------------------------------------------------------------------------

/// The key of a raw `k=v` query pair.
fn pair_key(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(k, _)| k)
}

/// Check `ik-s` (and `ik-t`). `Ok(false)`: the URL is not signed; `Ok(true)`:
/// it is, validly; `Err`: a 401 for a wrong signature or an expired URL.
///
/// The client signed `url_endpoint + "/" + rest + query-before-signing` by
/// stripping `url_endpoint/` and appending the expiry (url-rules §2.4); the
/// request carries the same path and query, so the text is rebuilt from it.
fn verify_signature(state: &State, rest: &str, raw_query: Option<&str>, now: i64) -> Result<bool, ApiError> {
    let pairs: Vec<&str> = raw_query.map(|q| q.split('&').collect()).unwrap_or_default();
    let Some(sig_pair) = pairs.iter().find(|p| pair_key(p) == "ik-s") else {
        return Ok(false);
    };
    let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, m);
    let signature = sig_pair.split_once('=').map_or("", |(_, v)| v).to_ascii_lowercase();
    let expiry = match pairs.iter().find(|p| pair_key(p) == "ik-t") {
        Some(p) => p
            .split_once('=')
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .ok_or_else(|| unauthorized("The ik-t parameter of this signed URL is not a unix timestamp."))?,
        None => imagekit_url::DEFAULT_TIMESTAMP,
    };
    let kept: Vec<&str> = pairs.iter().copied().filter(|p| !matches!(pair_key(p), "ik-s" | "ik-t")).collect();
    let query = kept.join("&");

    let mut candidates = vec![unsigned_url(&state.url_endpoint, rest, &query)];
    // A transformation is signed raw (spaces, non-ASCII), but an HTTP client
    // must percent-encode those to send them: also try with them decoded.
    let (path_tr, file_part) = split_path_transformation(rest);
    let decoded_rest = match path_tr {
        Some(tr) => format!("/tr:{}{file_part}", percent_decode_str(tr).decode_utf8_lossy()),
        None => rest.to_owned(),
    };
    let decoded_query = kept
        .iter()
        .map(|p| match p.split_once('=') {
            Some(("tr", v)) => format!("tr={}", percent_decode_str(v).decode_utf8_lossy()),
            _ => (*p).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    candidates.push(unsigned_url(&state.url_endpoint, &decoded_rest, &decoded_query));
    let raw = unsigned_url(&state.url_endpoint, rest, &query);
    candidates.push(percent_decode_str(&raw).decode_utf8_lossy().into_owned());

    let valid = candidates.iter().any(|url| {
        state
            .signer
            .url_signature(url, &state.url_endpoint, expiry)
            .is_ok_and(|s| crate::auth::constant_time_eq(s.as_bytes(), signature.as_bytes()))
    });
    if !valid {
        return Err(unauthorized("The signature of this URL is invalid."));
    }
    if expiry != imagekit_url::DEFAULT_TIMESTAMP && i64::try_from(expiry).unwrap_or(i64::MAX) < now {
        return Err(unauthorized("This signed URL has expired."));
    }
    Ok(true)
}

fn unsigned_url(endpoint: &str, rest: &str, query: &str) -> String {
    if query.is_empty() { format!("{endpoint}{rest}") } else { format!("{endpoint}{rest}?{query}") }
}

// ---------------------------------------------------------------------------
// Transformation strings
// ---------------------------------------------------------------------------

/// One `key-value` component of a step.
#[derive(Debug, Clone, PartialEq)]
struct Component {
    key: String,
    value: String,
}

impl Component {
    fn parse(token: &str) -> Component {
        // Effects have a two-part key: `e-sharpen-10` is `e-sharpen` = `10`.
        let split_at =
            if let Some(after) = token.strip_prefix("e-") { after.find('-').map(|i| i + 2) } else { token.find('-') };
        match split_at {
            Some(i) => Component { key: token[..i].to_owned(), value: token[i + 1..].to_owned() },
            None => Component { key: token.to_owned(), value: String::new() },
        }
    }
}

/// Split a transformation string into steps (`:`) of components (`,`). A
/// layer (`l-text,…,l-end`, nested transformations and all) becomes a single
/// component keyed by its opening token.
fn split_steps(tr: &str) -> Vec<Vec<Component>> {
    let mut steps: Vec<Vec<Component>> = vec![Vec::new()];
    let mut depth = 0usize;
    let mut sep_before = ',';
    let mut start = 0;
    let mut tokens = Vec::new();
    for (i, c) in tr.char_indices() {
        if c == ',' || c == ':' {
            tokens.push((sep_before, &tr[start..i]));
            sep_before = c;
            start = i + 1;
        }
    }
    tokens.push((sep_before, &tr[start..]));
    for (sep, token) in tokens {
        if depth > 0 {
            if token == "l-end" {
                depth -= 1;
            } else if token.starts_with("l-") {
                depth += 1;
            }
            continue;
        }
        if sep == ':' {
            steps.push(Vec::new());
        }
        if token.is_empty() {
            continue;
        }
        let component = if token.starts_with("l-") && token != "l-end" {
            depth = 1;
            Component { key: token.to_owned(), value: String::new() }
        } else {
            Component::parse(token)
        };
        if let Some(step) = steps.last_mut() {
            step.push(component);
        }
    }
    steps.retain(|s| !s.is_empty());
    steps
}

/// A stored named transformation's string, if one with that name exists.
/// `Err` when it is disabled (delivery fails, as ImageKit's does).
fn named_transformation(state: &State, name: &str) -> Result<Option<String>, ApiError> {
    let found = state.store.read(|db| {
        db.docs(Collection::NamedTransformations)
            .filter(|d| !d.deleted)
            .find(|d| d.value.get("name").and_then(|v| v.as_str()) == Some(name))
            .map(|d| {
                let enabled = d.value.get("enabled").and_then(|v| v.as_bool()).unwrap_or(true);
                let tr = d.value.get("transformation").and_then(|v| v.as_str()).unwrap_or("").to_owned();
                (enabled, tr)
            })
    });
    match found {
        Some((false, _)) => Err(ApiError::bad_request(format!("The named transformation {name} is disabled."))),
        Some((true, tr)) => Ok(Some(tr)),
        None if name == "ik_ml_thumbnail" => Ok(Some(THUMBNAIL_TR.to_owned())),
        None => Ok(None),
    }
}

/// How a step fits the image into `w`×`h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crop {
    /// Cover `w`×`h` keeping the ratio, then crop the middle (ImageKit's default).
    MaintainRatio,
    /// Stretch to exactly `w`×`h`.
    Force,
    /// Fit within `w`×`h` keeping the ratio; never enlarge.
    AtMax,
    /// Cover `w`×`h` keeping the ratio, no crop.
    AtLeast,
    /// Fit within `w`×`h`, then pad to exactly `w`×`h` with the background.
    PadResize,
    /// Cut a `w`×`h` region out of the middle, no resize.
    Extract,
}

/// One step's operations.
#[derive(Debug, Clone, Default, PartialEq)]
struct Step {
    w: Option<f64>,
    h: Option<f64>,
    ar: Option<f64>,
    dpr: Option<f64>,
    crop: Option<Crop>,
    bg: Option<[u8; 4]>,
    rotate: u32,
    flip_h: bool,
    flip_v: bool,
    blur: Option<f32>,
    grayscale: bool,
}

impl Step {
    fn is_noop(&self) -> bool {
        self.w.is_none()
            && self.h.is_none()
            && self.rotate == 0
            && !self.flip_h
            && !self.flip_v
            && self.blur.is_none()
            && !self.grayscale
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl OutFormat {
    fn from_image(f: ImageFormat) -> Option<OutFormat> {
        match f {
            ImageFormat::Jpeg => Some(OutFormat::Jpeg),
            ImageFormat::Png => Some(OutFormat::Png),
            ImageFormat::WebP => Some(OutFormat::Webp),
            ImageFormat::Gif => Some(OutFormat::Gif),
            _ => None,
        }
    }

    fn mime(self) -> &'static str {
        match self {
            OutFormat::Jpeg => "image/jpeg",
            OutFormat::Png => "image/png",
            OutFormat::Webp => "image/webp",
            OutFormat::Gif => "image/gif",
        }
    }
}

/// A parsed transformation: steps, output settings and what was not understood.
#[derive(Debug, Clone, Default, PartialEq)]
struct Plan {
    steps: Vec<Step>,
    /// `Some(None)`: `f-auto` / `f-orig`, keep the source format.
    format: Option<Option<OutFormat>>,
    quality: Option<u8>,
    original: bool,
    ignored: Vec<String>,
}

impl Plan {
    /// Parse `tr`; `named` resolves `n-<name>` to its transformation string.
    fn parse(tr: &str, named: &dyn Fn(&str) -> Result<Option<String>, ApiError>) -> Result<Plan, ApiError> {
        let mut plan = Plan::default();
        plan.add(tr, named, 0)?;
        Ok(plan)
    }

    fn ignore(&mut self, key: &str) {
        if !self.ignored.iter().any(|k| k == key) {
            self.ignored.push(key.to_owned());
        }
    }

    fn add(
        &mut self,
        tr: &str,
        named: &dyn Fn(&str) -> Result<Option<String>, ApiError>,
        depth: u8,
    ) -> Result<(), ApiError> {
        for comps in split_steps(tr) {
            let mut step = Step::default();
            for c in comps {
                let v = c.value.as_str();
                let ok = match c.key.as_str() {
                    "w" => set(&mut step.w, positive(v)),
                    "h" => set(&mut step.h, positive(v)),
                    "ar" => set(&mut step.ar, aspect_ratio(v)),
                    "dpr" => set(&mut step.dpr, positive(v).filter(|d| *d <= 5.0)),
                    "c" => set(
                        &mut step.crop,
                        match v {
                            "maintain_ratio" => Some(Crop::MaintainRatio),
                            "force" => Some(Crop::Force),
                            "at_max" => Some(Crop::AtMax),
                            "at_least" => Some(Crop::AtLeast),
                            _ => None,
                        },
                    ),
                    "cm" => set(
                        &mut step.crop,
                        match v {
                            "pad_resize" => Some(Crop::PadResize),
                            "extract" => Some(Crop::Extract),
                            _ => None,
                        },
                    ),
                    "bg" => set(&mut step.bg, hex_color(v)),
                    "rt" => match v.parse::<i64>() {
                        Ok(deg) if deg.rem_euclid(90) == 0 => {
                            step.rotate = ((i64::from(step.rotate) + deg).rem_euclid(360)) as u32;
                            true
                        }
                        _ => false,
                    },
                    "fl" => match v {
                        "h" => {
                            step.flip_h = !step.flip_h;
                            true
                        }
                        "v" => {
                            step.flip_v = !step.flip_v;
                            true
                        }
                        "h_v" | "v_h" => {
                            step.flip_h = !step.flip_h;
                            step.flip_v = !step.flip_v;
                            true
                        }
                        _ => false,
                    },
                    "bl" => set(&mut step.blur, v.parse::<u8>().ok().filter(|b| (1..=100).contains(b)).map(f32::from)),
                    "e-grayscale" => {
                        step.grayscale = true;
                        true
                    }
                    "f" => match v {
                        "jpg" | "jpeg" => set(&mut self.format, Some(Some(OutFormat::Jpeg))),
                        "png" => set(&mut self.format, Some(Some(OutFormat::Png))),
                        "webp" => set(&mut self.format, Some(Some(OutFormat::Webp))),
                        "gif" => set(&mut self.format, Some(Some(OutFormat::Gif))),
                        "auto" | "orig" => set(&mut self.format, Some(None)),
                        _ => false,
                    },
                    "q" => set(&mut self.quality, v.parse::<u8>().ok().filter(|q| (1..=100).contains(q))),
                    "orig" => {
                        if v == "true" {
                            self.original = true;
                        }
                        v == "true" || v == "false"
                    }
                    "n" if depth == 0 => match named(v)? {
                        Some(text) => {
                            // A named transformation is its own step(s), where it stands.
                            self.finish(std::mem::take(&mut step));
                            self.add(&text, named, depth + 1)?;
                            true
                        }
                        None => false,
                    },
                    _ => false,
                };
                if !ok {
                    self.ignore(&c.key);
                }
            }
            self.finish(step);
        }
        Ok(())
    }

    /// Add a parsed step, reporting the keys it cannot act on: an aspect
    /// ratio, DPR or crop with no size, and a background with no padding.
    fn finish(&mut self, step: Step) {
        let sized = step.w.is_some() || step.h.is_some();
        if !sized {
            if step.ar.is_some() {
                self.ignore("ar");
            }
            if step.dpr.is_some() {
                self.ignore("dpr");
            }
            match step.crop {
                Some(Crop::PadResize | Crop::Extract) => self.ignore("cm"),
                Some(_) => self.ignore("c"),
                None => {}
            }
        }
        if step.ar.is_some() && step.w.is_some() && step.h.is_some() {
            self.ignore("ar");
        }
        if step.bg.is_some() && !(sized && step.crop == Some(Crop::PadResize)) {
            self.ignore("bg");
        }
        if step != Step::default() {
            self.steps.push(step);
        }
    }
}

/// Set `slot` to `value` if there is one; whether there was.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            *slot = Some(v);
            true
        }
        None => false,
    }
}

fn positive(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().filter(|x| x.is_finite() && *x > 0.0)
}

/// `4-3` → 4/3.
fn aspect_ratio(v: &str) -> Option<f64> {
    let (w, h) = v.split_once('-')?;
    Some(positive(w)? / positive(h)?)
}

/// `RRGGBB` or `RRGGBBAA` (ImageKit's `bg-`), as RGBA.
fn hex_color(v: &str) -> Option<[u8; 4]> {
    if !(v.len() == 6 || v.len() == 8) || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?, if v.len() == 8 { byte(6)? } else { 255 }])
}

// ---------------------------------------------------------------------------
// Applying a plan
// ---------------------------------------------------------------------------

/// What is sent back.
struct Output {
    body: Bytes,
    mime: String,
    ignored: Vec<String>,
    warning: Option<String>,
}

impl Output {
    fn original(body: Bytes, file: &FileVersion) -> Output {
        Output { body, mime: file.mime.clone(), ignored: Vec::new(), warning: None }
    }
}

/// Apply `plan` to `data` (CPU-bound: run off the async threads).
fn transform(data: Bytes, mime: &str, plan: &Plan) -> Result<Output, ApiError> {
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
fn pixels(v: f64, what: &str) -> Result<u32, ApiError> {
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

// ---------------------------------------------------------------------------
// The response
// ---------------------------------------------------------------------------

fn respond(req: &Req, out: Output, file: &FileVersion, head: bool) -> Resp {
    let digest = Sha1::digest(&out.body);
    let etag = format!("\"{}\"", digest.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let cache = if file.is_private { "private, max-age=3600" } else { "public, max-age=31536000" };
    let not_modified = req.header("if-none-match").is_some_and(|v| {
        v.split(',').map(str::trim).any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag.as_str()))
    });
    let len = out.body.len();
    let (status, body) = if not_modified {
        (StatusCode::NOT_MODIFIED, Bytes::new())
    } else if head {
        (StatusCode::OK, Bytes::new())
    } else {
        (StatusCode::OK, out.body)
    };
    let mut resp = Resp::bytes(status, &out.mime, body)
        .with_header("etag", &etag)
        .with_header("cache-control", cache)
        .with_header("accept-ranges", "none");
    if not_modified {
        resp.headers.remove(header::CONTENT_TYPE);
    } else {
        resp = resp.with_header("content-length", &len.to_string());
    }
    if !out.ignored.is_empty() {
        resp = resp.with_header(IGNORED_HEADER, &out.ignored.join(","));
    }
    if let Some(w) = out.warning {
        resp = resp.with_header(WARNING_HEADER, &w);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(steps: &[Vec<Component>]) -> Vec<Vec<&str>> {
        steps.iter().map(|s| s.iter().map(|c| c.key.as_str()).collect()).collect()
    }

    fn no_named(_: &str) -> Result<Option<String>, ApiError> {
        Ok(None)
    }

    #[test]
    fn splits_steps_components_and_layers() {
        let steps = split_steps("w-300,h-200:rt-90,e-sharpen-10,l-text,i-Hi,co-red:fs-32,l-end,q-50");
        assert_eq!(keys(&steps), vec![vec!["w", "h"], vec!["rt", "e-sharpen", "l-text", "q"]]);
        assert_eq!(steps[1][1].value, "10");
        assert_eq!(split_steps("ar-4-3")[0][0], Component { key: "ar".into(), value: "4-3".into() });
        assert_eq!(keys(&split_steps("e-grayscale,,:")), vec![vec!["e-grayscale"]]);
        assert!(split_steps("").is_empty());
    }

    #[test]
    fn parses_plans_and_reports_ignored_keys() {
        let plan = Plan::parse("w-0.5,h-100,c-at_max,f-webp,q-70,fo-face,z-0.5:rt--90,fl-h_v,foo", &no_named).unwrap();
        assert_eq!(plan.steps.len(), 2);
        assert_eq!(plan.steps[0].w, Some(0.5));
        assert_eq!(plan.steps[0].crop, Some(Crop::AtMax));
        assert_eq!(plan.steps[1].rotate, 270);
        assert!(plan.steps[1].flip_h && plan.steps[1].flip_v);
        assert_eq!(plan.format, Some(Some(OutFormat::Webp)));
        assert_eq!(plan.quality, Some(70));
        assert_eq!(plan.ignored, vec!["fo", "z", "foo"]);
        let plan = Plan::parse("w-abc,rt-45,c-weird,n-unknown", &no_named).unwrap();
        assert_eq!(plan.ignored, vec!["w", "rt", "c", "n"]);
    }

    #[test]
    fn expands_named_transformations() {
        let named = |n: &str| Ok(if n == "thumb" { Some("w-10,h-10:rt-90".to_owned()) } else { None });
        let plan = Plan::parse("n-thumb:f-png", &named).unwrap();
        assert_eq!(plan.steps.len(), 2);
        assert_eq!(plan.format, Some(Some(OutFormat::Png)));
        assert_eq!(plan.steps[0].w, Some(10.0));
        assert_eq!(plan.steps[1].rotate, 90);
        let disabled = |_: &str| Err(ApiError::bad_request("disabled"));
        assert!(Plan::parse("n-x", &disabled).is_err());
    }

    #[test]
    fn colors_and_ratios() {
        assert_eq!(hex_color("FF000080"), Some([255, 0, 0, 128]));
        assert_eq!(hex_color("00ff00"), Some([0, 255, 0, 255]));
        assert_eq!(hex_color("red"), None);
        assert_eq!(aspect_ratio("16-9"), Some(16.0 / 9.0));
        assert_eq!(aspect_ratio("16"), None);
    }

    #[test]
    fn paths() {
        assert_eq!(strip_prefix("/emulator/a.jpg", "/emulator"), Some("/a.jpg"));
        assert_eq!(strip_prefix("/emulatorx/a.jpg", "/emulator"), None);
        assert_eq!(split_path_transformation("/tr:w-1/a/b.jpg"), (Some("w-1"), "/a/b.jpg"));
        assert_eq!(split_path_transformation("/a/tr:w-1/b.jpg"), (None, "/a/tr:w-1/b.jpg"));
    }

    #[test]
    fn dimension_limits() {
        assert_eq!(pixels(0.2, "width").unwrap(), 1);
        assert_eq!(pixels(10_000.0, "width").unwrap(), 10_000);
        assert_eq!(pixels(10_001.0, "width").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert!(pixels(f64::INFINITY, "width").is_err());
    }
}
