//! Responsive `<img>` attributes, as `@imagekit/javascript`'s `getResponsiveImageAttributes`
//! computes them.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::build::{UrlOptions, build_with};
use crate::error::UrlError;
use crate::transform::Transformation;
use crate::value::{is_js_space, write_u64};

/// Default device breakpoints (pixels).
pub const DEFAULT_DEVICE_BREAKPOINTS: [u32; 8] = [640, 750, 828, 1080, 1200, 1920, 2048, 3840];
/// Default image breakpoints (pixels).
pub const DEFAULT_IMAGE_BREAKPOINTS: [u32; 8] = [16, 32, 48, 64, 96, 128, 256, 384];

/// Options for [`get_responsive_image_attributes`]: URL options plus sizing hints.
#[derive(Debug, Clone, Default)]
pub struct ResponsiveOptions<'a> {
    pub(crate) url: UrlOptions<'a>,
    pub(crate) width: Option<u32>,
    pub(crate) sizes: Option<Cow<'a, str>>,
    pub(crate) device_breakpoints: Option<Vec<u32>>,
    pub(crate) image_breakpoints: Option<Vec<u32>>,
}

impl<'a> ResponsiveOptions<'a> {
    /// Responsive options around URL options (each candidate URL appends
    /// `{width: w, crop: at_max}` as a last step).
    pub fn new(url: UrlOptions<'a>) -> Self {
        Self { url, ..Self::default() }
    }

    /// The rendered width in CSS pixels: gives a `1x`/`2x` (DPR) `srcSet` when no `sizes` is set.
    pub fn width(mut self, width: u32) -> Self {
        self.width = Some(width);
        self
    }

    /// The `sizes` attribute; `vw` values narrow the `srcSet` to widths that can be needed.
    pub fn sizes(mut self, sizes: impl Into<Cow<'a, str>>) -> Self {
        self.sizes = Some(sizes.into());
        self
    }

    /// Replaces the device breakpoints (any order).
    pub fn device_breakpoints(mut self, breakpoints: impl IntoIterator<Item = u32>) -> Self {
        self.device_breakpoints = Some(breakpoints.into_iter().collect());
        self
    }

    /// Replaces the image breakpoints (any order).
    pub fn image_breakpoints(mut self, breakpoints: impl IntoIterator<Item = u32>) -> Self {
        self.image_breakpoints = Some(breakpoints.into_iter().collect());
        self
    }

    /// The URL options.
    pub fn url_options(&self) -> &UrlOptions<'a> {
        &self.url
    }
}

/// Attributes for an `<img>` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponsiveImageAttributes {
    /// `src`: the URL for the largest candidate.
    pub src: String,
    /// `srcset`: `url 640w, …` or `url 1x, url 2x`.
    pub src_set: Option<String>,
    /// `sizes`: the given value, or `100vw` for width descriptors.
    pub sizes: Option<String>,
    /// `width`, when one was given.
    pub width: Option<u32>,
}

/// `(^|\s)(1?\d{1,2})vw` matches, as percentages.
fn vw_percents(sizes: &str) -> Vec<u32> {
    let chars: Vec<char> = sizes.chars().collect();
    let digit = |i: usize| chars.get(i).and_then(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()));
    let vw = |i: usize| chars.get(i) == Some(&'v') && chars.get(i + 1) == Some(&'w');
    // Tries `1?\d{1,2}vw` at `p` in regex backtracking order; returns (value, end).
    let token_at = |p: usize| -> Option<(u32, usize)> {
        let with_one = chars.get(p) == Some(&'1');
        let starts: &[usize] = if with_one { &[1, 0] } else { &[0] };
        for &skip in starts {
            let q = p + skip;
            for len in [2usize, 1] {
                if (0..len).all(|k| digit(q + k).is_some()) && vw(q + len) {
                    let value = (p..q + len).filter_map(digit).fold(0, |a, d| a * 10 + d);
                    return Some((value, q + len + 2));
                }
            }
        }
        None
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let hit = (if i == 0 { token_at(0) } else { None })
            .or_else(|| if is_js_space(chars[i]) { token_at(i + 1) } else { None });
        match hit {
            Some((v, end)) => {
                found.push(v);
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// Computes `{src, srcSet, sizes, width}` like `@imagekit/javascript` 5.5.1.
///
/// ```
/// use imagekit_url::{get_responsive_image_attributes, ResponsiveOptions, UrlOptions};
///
/// let opts = ResponsiveOptions::new(
///     UrlOptions::new("photo.jpg").url_endpoint("https://ik.imagekit.io/demo"),
/// )
/// .width(400);
/// let attrs = get_responsive_image_attributes(&opts).unwrap();
/// assert_eq!(attrs.src, "https://ik.imagekit.io/demo/photo.jpg?tr=w-828,c-at_max");
/// assert_eq!(
///     attrs.src_set.unwrap(),
///     "https://ik.imagekit.io/demo/photo.jpg?tr=w-640,c-at_max 1x, https://ik.imagekit.io/demo/photo.jpg?tr=w-828,c-at_max 2x"
/// );
/// assert_eq!(attrs.sizes, None);
/// ```
pub fn get_responsive_image_attributes(opts: &ResponsiveOptions<'_>) -> Result<ResponsiveImageAttributes, UrlError> {
    if opts.url.strict {
        // Once for all candidates; the step each one adds is ours and well-formed.
        crate::strict::check_strict(&opts.url)?;
    }
    let mut device: Vec<u32> = opts.device_breakpoints.clone().unwrap_or_else(|| DEFAULT_DEVICE_BREAKPOINTS.to_vec());
    let mut image: Vec<u32> = opts.image_breakpoints.clone().unwrap_or_else(|| DEFAULT_IMAGE_BREAKPOINTS.to_vec());
    device.sort_unstable();
    image.sort_unstable();
    let mut all: Vec<u32> = image.iter().chain(&device).copied().collect();
    all.sort_unstable();

    let sizes = opts.sizes.as_deref();
    // `None` stands for JavaScript's `undefined` width (no breakpoints at all).
    let (candidates, width_descriptors): (Vec<Option<u32>>, bool) = match sizes {
        Some(s) if !s.is_empty() => {
            let vws = vw_percents(s);
            match vws.iter().min() {
                Some(&min) => {
                    let min_px = device.first().map_or(f64::NAN, |&d| f64::from(d) * (f64::from(min) / 100.0));
                    (all.iter().filter(|&&w| f64::from(w) >= min_px).map(|&w| Some(w)).collect(), true)
                }
                None => (all.iter().map(|&w| Some(w)).collect(), true),
            }
        }
        _ => match opts.width {
            None => (device.iter().map(|&w| Some(w)).collect(), true),
            Some(width) => {
                let nearest = |t: u64| -> Option<u32> {
                    match all.iter().find(|&&n| u64::from(n) >= t) {
                        Some(&n) if n != 0 => Some(n),
                        _ => all.last().copied(),
                    }
                };
                let a = nearest(u64::from(width));
                let b = nearest(2 * u64::from(width));
                (if a == b { alloc::vec![a] } else { alloc::vec![a, b] }, false)
            }
        },
    };

    let url_for = |w: Option<u32>| {
        let step = match w {
            Some(w) => Transformation::new().width(w).crop("at_max"),
            None => Transformation::new().crop("at_max"),
        };
        build_with(&opts.url, Some(&step))
    };

    let mut src_set = String::new();
    for (i, &w) in candidates.iter().enumerate() {
        if i > 0 {
            src_set.push_str(", ");
        }
        src_set.push_str(&url_for(w)?);
        src_set.push(' ');
        if width_descriptors {
            if let Some(w) = w {
                write_u64(&mut src_set, u64::from(w));
            } else {
                src_set.push_str("undefined");
            }
            src_set.push('w');
        } else {
            write_u64(&mut src_set, i as u64 + 1);
            src_set.push('x');
        }
    }
    let src = url_for(candidates.last().copied().flatten())?;
    let sizes = match sizes {
        Some(s) => Some(String::from(s)),
        None if width_descriptors => Some(String::from("100vw")),
        None => None,
    }
    .filter(|s| !s.is_empty());
    Ok(ResponsiveImageAttributes {
        src,
        src_set: if src_set.is_empty() { None } else { Some(src_set) },
        sizes,
        width: opts.width,
    })
}
