//! Transformation steps: a typed, ordered builder and the `tr` string writer (spec §2.2).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::UrlError;
use crate::overlay::{Overlay, write_overlay};
use crate::value::{Value, push_small};

/// How a resolved URL key treats its value (spec §2.2 "special value rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `key-value`.
    Plain,
    /// `true`, `"true"` or `"-"` emit the bare key; anything else drops the component.
    Flag,
    /// `true`, `"true"` or a blank string emit the bare key; anything else is `key-value`.
    Optional,
    /// `di`/`ff`: strip one leading and one trailing `/`, then `/` → `@@`.
    PathLike,
    /// `sr`: a list is joined with `_`.
    Sr,
    /// `t`: a blank value becomes `true`.
    Trim,
}

/// The rule is decided by the *resolved* key, so raw keys such as `e-grayscale` follow it too.
pub(crate) fn rule_for(key: &str) -> Rule {
    match key {
        "e-grayscale" | "e-contrast" | "e-removedotbg" | "e-bgremove" | "e-upscale" | "e-retouch" | "e-genvar" => {
            Rule::Flag
        }
        "e-sharpen" | "e-shadow" | "e-gradient" | "e-usm" | "e-dropshadow" => Rule::Optional,
        "di" | "ff" => Rule::PathLike,
        "sr" => Rule::Sr,
        "t" => Rule::Trim,
        _ => Rule::Plain,
    }
}

/// The v7 `supportedTransforms` table (option key → URL key).
const TABLE: &[(&str, &str)] = &[
    ("width", "w"),
    ("height", "h"),
    ("aspectRatio", "ar"),
    ("background", "bg"),
    ("border", "b"),
    ("crop", "c"),
    ("cropMode", "cm"),
    ("dpr", "dpr"),
    ("focus", "fo"),
    ("quality", "q"),
    ("x", "x"),
    ("xCenter", "xc"),
    ("y", "y"),
    ("yCenter", "yc"),
    ("format", "f"),
    ("videoCodec", "vc"),
    ("audioCodec", "ac"),
    ("radius", "r"),
    ("rotation", "rt"),
    ("blur", "bl"),
    ("named", "n"),
    ("defaultImage", "di"),
    ("flip", "fl"),
    ("original", "orig"),
    ("startOffset", "so"),
    ("endOffset", "eo"),
    ("duration", "du"),
    ("streamingResolutions", "sr"),
    ("grayscale", "e-grayscale"),
    ("aiUpscale", "e-upscale"),
    ("aiRetouch", "e-retouch"),
    ("aiVariation", "e-genvar"),
    ("aiDropShadow", "e-dropshadow"),
    ("aiChangeBackground", "e-changebg"),
    ("aiRemoveBackground", "e-bgremove"),
    ("aiRemoveBackgroundExternal", "e-removedotbg"),
    ("aiEdit", "e-edit"),
    ("contrastStretch", "e-contrast"),
    ("shadow", "e-shadow"),
    ("sharpen", "e-sharpen"),
    ("unsharpMask", "e-usm"),
    ("gradient", "e-gradient"),
    ("colorReplace", "cr"),
    ("colorize", "e-colorize"),
    ("distort", "e-distort"),
    ("progressive", "pr"),
    ("lossless", "lo"),
    ("colorProfile", "cp"),
    ("metadata", "md"),
    ("opacity", "o"),
    ("trim", "t"),
    ("zoom", "z"),
    ("page", "pg"),
    ("fontSize", "fs"),
    ("fontFamily", "ff"),
    ("fontColor", "co"),
    ("innerAlignment", "ia"),
    ("padding", "pa"),
    ("alpha", "al"),
    ("typography", "tg"),
    ("lineHeight", "lh"),
    ("fontOutline", "fol"),
    ("fontShadow", "fsh"),
    ("color", "co"),
    ("raw", "raw"),
];

/// `table[key] || table[key.toLowerCase()]`: the official key lookup, with its lower-case
/// fallback (`Width` → `w`, but `AspectRatio` does not map).
pub fn url_key(option_key: &str) -> Option<&'static str> {
    let find = |k: &str| TABLE.iter().find(|(o, _)| *o == k).map(|(_, u)| *u);
    find(option_key).or_else(|| {
        if option_key.chars().any(|c| !c.is_ascii_lowercase()) { find(&option_key.to_lowercase()) } else { None }
    })
}

/// One component of a step, in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Entry<'a> {
    /// `key-value` after the value rules.
    Param { key: Cow<'a, str>, rule: Rule, value: Value<'a> },
    /// A `raw` value, pushed verbatim.
    Raw(Value<'a>),
    /// A layer (boxed: layers are large and rare, steps stay small).
    Overlay(alloc::boxed::Box<Overlay<'a>>),
}

/// One transformation step: an ordered list of parameters, written as `k-v,k-v`.
///
/// Parameters come out in the order they were added (the official helper keeps object
/// insertion order, and signatures depend on it). Steps are chained with `:`.
///
/// ```
/// use imagekit_url::{build_transformation_string, Transformation};
///
/// let steps = [
///     Transformation::new().height(300).width(400),
///     Transformation::new().rotation(90).grayscale(),
/// ];
/// assert_eq!(build_transformation_string(&steps).unwrap(), "h-300,w-400:rt-90,e-grayscale");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transformation<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident => $key:literal $(as $rule:ident)?;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self, value: impl Into<Value<'a>>) -> Self {
            #[allow(unused_mut, unused_assignments)]
            let mut rule = Rule::Plain;
            $(rule = Rule::$rule;)?
            self.push_rule($key, rule, value.into())
        }
    )*};
}

macro_rules! flags {
    ($($(#[$doc:meta])* $name:ident => $key:literal;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self) -> Self {
            self.push_rule($key, Rule::Flag, Value::Bool(true))
        }
    )*};
}

impl<'a> Transformation<'a> {
    /// An empty step.
    pub fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// Whether no parameter was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline]
    fn push_rule(mut self, key: &'static str, rule: Rule, value: Value<'a>) -> Self {
        if self.entries.capacity() == 0 {
            // One right-sized allocation for typical steps.
            self.entries.reserve_exact(6);
        }
        self.entries.push(Entry::Param { key: Cow::Borrowed(key), rule, value });
        self
    }

    /// Adds a parameter by its official option name (`"width"`, `"aiEdit"`, …) or by any
    /// other key, which passes through verbatim (`"fooBar"` → `fooBar-…`), exactly as the
    /// official helper does. `"raw"` and `"overlay"` keys are not special here; use
    /// [`Self::raw`] and [`Self::overlay`].
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Transformation};
    ///
    /// let t = Transformation::new().param("Width", 300).param("effectSharpen", 10);
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "w-300,effectSharpen-10");
    /// ```
    pub fn param(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Value<'a>>) -> Self {
        let key = key.into();
        if key.is_empty() {
            return self; // the official helper skips an empty key
        }
        let key = match url_key(&key) {
            Some(k) => Cow::Borrowed(k),
            None => key,
        };
        let rule = rule_for(&key);
        self.entries.push(Entry::Param { key, rule, value: value.into() });
        self
    }

    /// Adds a raw transformation component, inserted verbatim (e.g. `"w-100,h-100"`).
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Transformation};
    /// let t = Transformation::new().dpr(1).raw("w-100,h-100");
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "dpr-1,w-100,h-100");
    /// ```
    pub fn raw(mut self, value: impl Into<Value<'a>>) -> Self {
        self.entries.push(Entry::Raw(value.into()));
        self
    }

    /// Adds a layer (text, image, video, subtitle or solid color) at this position.
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Overlay, Transformation};
    /// let t = Transformation::new()
    ///     .overlay(Overlay::text("Hi").x(10).transformation(Transformation::new().font_size(20)));
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "l-text,i-Hi,lx-10,fs-20,l-end");
    /// ```
    pub fn overlay(mut self, overlay: Overlay<'a>) -> Self {
        self.entries.push(Entry::Overlay(alloc::boxed::Box::new(overlay)));
        self
    }

    /// `sr-…`: streaming resolutions for adaptive bitrate streaming, joined with `_`.
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Transformation};
    /// let t = Transformation::new().streaming_resolutions(["240", "360"]);
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "sr-240_360");
    /// ```
    pub fn streaming_resolutions<V: Into<Value<'a>>>(self, resolutions: impl IntoIterator<Item = V>) -> Self {
        let list = resolutions.into_iter().map(Into::into).collect();
        self.push_rule("sr", Rule::Sr, Value::List(list))
    }

    /// `di-…`: default image when the source is missing; a leading and trailing `/` are
    /// dropped and inner `/` become `@@`.
    pub fn default_image(self, path: impl Into<Cow<'a, str>>) -> Self {
        self.push_rule("di", Rule::PathLike, Value::Str(path.into()))
    }

    /// `ff-…`: font family for text layers (a font name or an uploaded font's path).
    pub fn font_family(self, font: impl Into<Cow<'a, str>>) -> Self {
        self.push_rule("ff", Rule::PathLike, Value::Str(font.into()))
    }

    setters! {
        /// `w-…`: width (pixels, a ratio, or an expression such as `iw_div_2`).
        width => "w";
        /// `h-…`: height.
        height => "h";
        /// `ar-…`: aspect ratio, e.g. `"4-3"`.
        aspect_ratio => "ar";
        /// `bg-…`: background color or `blurred`/`dominant`.
        background => "bg";
        /// `b-…`: border, `<width>_<color>`.
        border => "b";
        /// `c-…`: crop strategy (`maintain_ratio`, `force`, `at_max`, `at_least`, …).
        crop => "c";
        /// `cm-…`: crop mode (`pad_resize`, `extract`, `pad_extract`).
        crop_mode => "cm";
        /// `dpr-…`: device pixel ratio.
        dpr => "dpr";
        /// `fo-…`: focus (`center`, `face`, `auto`, an object name, …).
        focus => "fo";
        /// `q-…`: quality.
        quality => "q";
        /// `x-…`: crop x.
        x => "x";
        /// `xc-…`: crop x center.
        x_center => "xc";
        /// `y-…`: crop y.
        y => "y";
        /// `yc-…`: crop y center.
        y_center => "yc";
        /// `f-…`: output format (`auto`, `webp`, `avif`, `mp4`, …).
        format => "f";
        /// `vc-…`: video codec.
        video_codec => "vc";
        /// `ac-…`: audio codec.
        audio_codec => "ac";
        /// `r-…`: corner radius (`max` for a circle).
        radius => "r";
        /// `rt-…`: rotation in degrees or `auto`.
        rotation => "rt";
        /// `bl-…`: blur.
        blur => "bl";
        /// `n-…`: named transformation.
        named => "n";
        /// `fl-…`: flip (`h`, `v`, `h_v`).
        flip => "fl";
        /// `orig-…`: deliver the original file (`true`).
        original => "orig";
        /// `so-…`: video start offset (seconds).
        start_offset => "so";
        /// `eo-…`: video end offset.
        end_offset => "eo";
        /// `du-…`: video duration.
        duration => "du";
        /// `e-dropshadow[-…]`: AI drop shadow; `true` or a blank string for the default.
        ai_drop_shadow => "e-dropshadow" as Optional;
        /// `e-changebg-…`: AI background change, e.g. `"prompt-snow road"`.
        ai_change_background => "e-changebg";
        /// `e-edit-…`: AI edit, e.g. `"prompt-make it vintage"`.
        ai_edit => "e-edit";
        /// `e-shadow[-…]`: shadow; `true` for the default.
        shadow => "e-shadow" as Optional;
        /// `e-sharpen[-…]`: sharpen; `true` for the default.
        sharpen => "e-sharpen" as Optional;
        /// `e-usm[-…]`: unsharp mask; `true` for the default.
        unsharp_mask => "e-usm" as Optional;
        /// `e-gradient[-…]`: gradient; `true` for the default.
        gradient => "e-gradient" as Optional;
        /// `cr-…`: color replace.
        color_replace => "cr";
        /// `e-colorize-…`: colorize.
        colorize => "e-colorize";
        /// `e-distort-…`: distort.
        distort => "e-distort";
        /// `pr-…`: progressive JPEG.
        progressive => "pr";
        /// `lo-…`: lossless.
        lossless => "lo";
        /// `cp-…`: keep the color profile.
        color_profile => "cp";
        /// `md-…`: keep metadata.
        metadata => "md";
        /// `o-…`: opacity.
        opacity => "o";
        /// `t-…`: trim; `true` or a threshold (a blank value becomes `true`).
        trim => "t" as Trim;
        /// `z-…`: zoom.
        zoom => "z";
        /// `pg-…`: page of a PDF or layered file.
        page => "pg";
        /// `fs-…`: font size (text layers).
        font_size => "fs";
        /// `co-…`: font color (text layers).
        font_color => "co";
        /// `ia-…`: inner alignment (text layers).
        inner_alignment => "ia";
        /// `pa-…`: padding (text layers).
        padding => "pa";
        /// `al-…`: alpha (text layers).
        alpha => "al";
        /// `tg-…`: typography, e.g. `b`, `i`, `b_i`.
        typography => "tg";
        /// `lh-…`: line height (text layers).
        line_height => "lh";
        /// `fol-…`: font outline (subtitle layers).
        font_outline => "fol";
        /// `fsh-…`: font shadow (subtitle layers).
        font_shadow => "fsh";
        /// `co-…`: color (subtitle layers).
        color => "co";
    }

    flags! {
        /// `e-grayscale`.
        grayscale => "e-grayscale";
        /// `e-upscale`: AI upscale.
        ai_upscale => "e-upscale";
        /// `e-retouch`: AI retouch.
        ai_retouch => "e-retouch";
        /// `e-genvar`: AI variation.
        ai_variation => "e-genvar";
        /// `e-bgremove`: AI background removal.
        ai_remove_background => "e-bgremove";
        /// `e-removedotbg`: background removal by remove.bg.
        ai_remove_background_external => "e-removedotbg";
        /// `e-contrast`: contrast stretch.
        contrast_stretch => "e-contrast";
    }

    /// Copies borrowed data so the step no longer borrows.
    pub fn into_owned(self) -> Transformation<'static> {
        Transformation {
            entries: self
                .entries
                .into_iter()
                .map(|e| match e {
                    Entry::Param { key, rule, value } => {
                        Entry::Param { key: Cow::Owned(key.into_owned()), rule, value: value.into_owned() }
                    }
                    Entry::Raw(v) => Entry::Raw(v.into_owned()),
                    Entry::Overlay(o) => Entry::Overlay(alloc::boxed::Box::new((*o).into_owned())),
                })
                .collect(),
        }
    }
}

/// Builds the `tr` value for a list of steps, like the official `buildTransformationString`.
///
/// Empty lists and empty steps give an empty string, not an error.
///
/// ```
/// use imagekit_url::{build_transformation_string, Transformation};
///
/// assert_eq!(build_transformation_string(&[]).unwrap(), "");
/// let t = Transformation::new().width(0).default_image("/folder/file.jpg/").sharpen(true);
/// assert_eq!(build_transformation_string(&[t]).unwrap(), "w-0,di-folder@@file.jpg,e-sharpen");
/// ```
pub fn build_transformation_string(steps: &[Transformation<'_>]) -> Result<String, UrlError> {
    let mut out = String::new();
    write_steps(&mut out, steps.iter())?;
    Ok(out)
}

/// Appends the steps joined by `:`; steps with no component are dropped.
pub(crate) fn write_steps<'s, 'a: 's>(
    out: &mut String,
    steps: impl Iterator<Item = &'s Transformation<'a>>,
) -> Result<(), UrlError> {
    let mut wrote_step = false;
    for step in steps {
        let start = out.len();
        if wrote_step {
            out.push(':');
        }
        let mut n = 0usize;
        for entry in &step.entries {
            let before = out.len();
            if n > 0 {
                out.push(',');
            }
            if write_entry(out, entry)? {
                n += 1;
            } else {
                out.truncate(before);
            }
        }
        if n == 0 {
            out.truncate(start);
        } else {
            wrote_step = true;
        }
    }
    Ok(())
}

fn is_flag_on(v: &Value<'_>) -> bool {
    matches!(v, Value::Bool(true)) || v.is_str("true") || v.is_str("-")
}

/// Writes one component; `Ok(false)` when the official helper would emit nothing.
fn write_entry(out: &mut String, entry: &Entry<'_>) -> Result<bool, UrlError> {
    match entry {
        Entry::Raw(Value::Null) => Ok(false),
        Entry::Raw(v) => {
            v.write_js(out);
            Ok(true)
        }
        Entry::Overlay(o) => write_overlay(out, o),
        Entry::Param { value: Value::Null, .. } => Ok(false),
        Entry::Param { key, rule, value } => {
            match rule {
                Rule::Flag => {
                    if !is_flag_on(value) {
                        return Ok(false);
                    }
                    out.push_str(key);
                    return Ok(true);
                }
                Rule::Optional if matches!(value, Value::Bool(true)) || value.is_str("true") || value.is_js_blank() => {
                    out.push_str(key);
                    return Ok(true);
                }
                _ => {}
            }
            push_small(out, key);
            out.push('-');
            match rule {
                Rule::PathLike => match value {
                    Value::Str(s) => {
                        let s = s.strip_prefix('/').unwrap_or(s);
                        let s = s.strip_suffix('/').unwrap_or(s);
                        for (i, part) in s.split('/').enumerate() {
                            if i > 0 {
                                out.push_str("@@");
                            }
                            out.push_str(part);
                        }
                    }
                    // `(value || '')`: falsy values become empty; others make `.replace` throw.
                    v if !v.is_truthy() => {}
                    _ => return Err(UrlError::InvalidValue { key: String::from(&**key) }),
                },
                Rule::Sr => value.write_js_joined(out, "_"),
                Rule::Trim if value.is_js_blank() => out.push_str("true"),
                _ => value.write_js(out),
            }
            Ok(true)
        }
    }
}

/// An ordered list of steps that stores a single step inline: most URLs have one step, and
/// this saves an allocation per build.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum StepList<'a> {
    #[default]
    Empty,
    One(Transformation<'a>),
    Many(Vec<Transformation<'a>>),
}

impl<'a> StepList<'a> {
    #[inline]
    pub fn push(&mut self, step: Transformation<'a>) {
        *self = match core::mem::take(self) {
            StepList::Empty => StepList::One(step),
            StepList::One(first) => {
                let mut v = Vec::with_capacity(4);
                v.push(first);
                v.push(step);
                StepList::Many(v)
            }
            StepList::Many(mut v) => {
                v.push(step);
                StepList::Many(v)
            }
        }
    }

    #[inline]
    pub fn as_slice(&self) -> &[Transformation<'a>] {
        match self {
            StepList::Empty => &[],
            StepList::One(t) => core::slice::from_ref(t),
            StepList::Many(v) => v,
        }
    }

    pub fn into_owned(self) -> StepList<'static> {
        match self {
            StepList::Empty => StepList::Empty,
            StepList::One(t) => StepList::One(t.into_owned()),
            StepList::Many(v) => StepList::Many(v.into_iter().map(Transformation::into_owned).collect()),
        }
    }
}

impl<'a> From<Vec<Transformation<'a>>> for StepList<'a> {
    fn from(v: Vec<Transformation<'a>>) -> Self {
        StepList::Many(v)
    }
}
