//! Transformation strings to a [`Plan`]: steps (`:`) of components (`,`),
//! named transformations expanded, and every key not applied remembered.

use image::ImageFormat;

use crate::state::State;
use crate::store::Collection;
use crate::web::ApiError;

/// What the built-in `ik_ml_thumbnail` named transformation expands to.
const THUMBNAIL_TR: &str = "w-200,h-200,c-at_max";

/// Split `/tr:w-100/a/b.jpg` into (`Some("w-100")`, `/a/b.jpg`).
pub(super) fn split_path_transformation(rest: &str) -> (Option<&str>, &str) {
    let body = rest.strip_prefix('/').unwrap_or(rest);
    if let Some(after) = body.strip_prefix("tr:") {
        return match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), ""),
        };
    }
    (None, rest)
}

/// One `key-value` component of a step.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Component {
    pub(super) key: String,
    pub(super) value: String,
}

impl Component {
    pub(super) fn parse(token: &str) -> Component {
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
pub(super) fn split_steps(tr: &str) -> Vec<Vec<Component>> {
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
pub(super) fn named_transformation(state: &State, name: &str) -> Result<Option<String>, ApiError> {
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
pub(super) enum Crop {
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
pub(super) struct Step {
    pub(super) w: Option<f64>,
    pub(super) h: Option<f64>,
    pub(super) ar: Option<f64>,
    pub(super) dpr: Option<f64>,
    pub(super) crop: Option<Crop>,
    pub(super) bg: Option<[u8; 4]>,
    pub(super) rotate: u32,
    pub(super) flip_h: bool,
    pub(super) flip_v: bool,
    pub(super) blur: Option<f32>,
    pub(super) grayscale: bool,
}

impl Step {
    pub(super) fn is_noop(&self) -> bool {
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
pub(super) enum OutFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl OutFormat {
    pub(super) fn from_image(f: ImageFormat) -> Option<OutFormat> {
        match f {
            ImageFormat::Jpeg => Some(OutFormat::Jpeg),
            ImageFormat::Png => Some(OutFormat::Png),
            ImageFormat::WebP => Some(OutFormat::Webp),
            ImageFormat::Gif => Some(OutFormat::Gif),
            _ => None,
        }
    }

    pub(super) fn mime(self) -> &'static str {
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
pub(super) struct Plan {
    pub(super) steps: Vec<Step>,
    /// `Some(None)`: `f-auto` / `f-orig`, keep the source format.
    pub(super) format: Option<Option<OutFormat>>,
    pub(super) quality: Option<u8>,
    pub(super) original: bool,
    pub(super) ignored: Vec<String>,
}

impl Plan {
    /// Parse `tr`; `named` resolves `n-<name>` to its transformation string.
    pub(super) fn parse(tr: &str, named: &dyn Fn(&str) -> Result<Option<String>, ApiError>) -> Result<Plan, ApiError> {
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
pub(super) fn aspect_ratio(v: &str) -> Option<f64> {
    let (w, h) = v.split_once('-')?;
    Some(positive(w)? / positive(h)?)
}

/// `RRGGBB` or `RRGGBBAA` (ImageKit's `bg-`), as RGBA.
pub(super) fn hex_color(v: &str) -> Option<[u8; 4]> {
    match *hex::decode(v).ok()?.as_slice() {
        [r, g, b] => Some([r, g, b, 255]),
        [r, g, b, a] => Some([r, g, b, a]),
        _ => None,
    }
}
