//! Transformation steps: a typed, ordered builder and the `tr` string writer (spec §2.2).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::UrlError;
use crate::overlay::{Overlay, write_overlay};
use crate::value::{Lookup, Val, Value, push_small, write_i64};

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
pub(crate) const TABLE: &[(&str, &str)] = &[
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
    url_key_id(option_key).map(|i| TABLE[i as usize].1)
}

/// [`url_key`] as an index into the table.
fn url_key_id(option_key: &str) -> Option<u32> {
    let find = |k: &str| TABLE.iter().position(|(o, _)| *o == k).map(|i| i as u32);
    find(option_key).or_else(|| {
        if option_key.chars().any(|c| !c.is_ascii_lowercase()) { find(&option_key.to_lowercase()) } else { None }
    })
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The table index of a URL key, at compile time (the setters' keys are all in the table).
const fn key_id(url_key: &str) -> u32 {
    let mut i = 0;
    while i < TABLE.len() {
        if str_eq(TABLE[i].1, url_key) {
            return i as u32;
        }
        i += 1;
    }
    panic!("URL key missing from the table")
}

/// Marks a key that lives in the step's store (a key the table does not know).
pub(crate) const CUSTOM_KEY: u32 = 1 << 31;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `key-value` after the value rules.
    Param,
    /// A `raw` value, pushed verbatim.
    Raw,
    /// A layer; the value is its index in the step's layers.
    Overlay,
}

/// One component of a step, in insertion order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub val: Val<'a>,
    /// Table index, or [`CUSTOM_KEY`] | store index.
    pub key: u32,
    pub rule: Rule,
    pub kind: Kind,
}

/// A step's layers: usually none or one, which needs no list.
///
/// Hand-rolled rather than `smallvec::SmallVec<[Overlay; 1]>`: `SmallVec<A>` is invariant
/// over `A`, which would make `Transformation<'a>`, `Overlay<'a>` and `UrlOptions<'a>`
/// invariant in `'a` (a `Transformation<'static>` could no longer be used as a
/// `Transformation<'a>`, and the crate's own serde impls stop compiling).
#[derive(Clone, Default)]
pub(crate) enum Layers<'a> {
    #[default]
    None,
    One(Overlay<'a>),
    Many(Vec<Overlay<'a>>),
}

impl<'a> Layers<'a> {
    /// Adds a layer and returns its index.
    fn push(&mut self, o: Overlay<'a>) -> u32 {
        match self {
            Layers::None => {
                *self = Layers::One(o);
                0
            }
            Layers::One(_) => {
                if let Layers::One(first) = core::mem::take(self) {
                    *self = Layers::Many(alloc::vec![first, o]);
                }
                1
            }
            Layers::Many(v) => {
                v.push(o);
                (v.len() - 1) as u32
            }
        }
    }

    fn get(&self, i: u32) -> Option<&Overlay<'a>> {
        match self {
            Layers::None => None,
            Layers::One(o) => (i == 0).then_some(o),
            Layers::Many(v) => v.get(i as usize),
        }
    }
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
#[derive(Clone, Default)]
pub struct Transformation<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
    /// Owned values and lists (`Val::Stored`) and unknown keys; stays unallocated for the
    /// usual borrowed strings and numbers.
    pub(crate) store: Vec<Value<'a>>,
    /// Layers (`Kind::Overlay` entries index it).
    pub(crate) overlays: Layers<'a>,
}

/// An entry with its key and value looked up (for `Debug` and `PartialEq`).
#[derive(Debug, PartialEq)]
enum Resolved<'s, 'a> {
    Param { key: &'s str, rule: Rule, value: Value<'s> },
    Raw(Value<'s>),
    Overlay(&'s Overlay<'a>),
}

impl<'a> Transformation<'a> {
    fn resolved(&self) -> impl Iterator<Item = Resolved<'_, 'a>> + '_ {
        self.entries.iter().map(move |e| match e.kind {
            Kind::Param => Resolved::Param { key: self.key_str(e.key), rule: e.rule, value: e.val.to_value(self) },
            Kind::Raw => Resolved::Raw(e.val.to_value(self)),
            Kind::Overlay => match self.overlay_at(e.val) {
                Some(o) => Resolved::Overlay(o),
                None => Resolved::Raw(Value::Null),
            },
        })
    }

    /// The URL key of an entry.
    #[inline]
    pub(crate) fn key_str(&self, key: u32) -> &str {
        if key & CUSTOM_KEY == 0 {
            TABLE[key as usize].1
        } else {
            match self.store.get((key & !CUSTOM_KEY) as usize) {
                Some(Value::Str(k)) => k,
                _ => "",
            }
        }
    }

    pub(crate) fn overlay_at(&self, v: Val<'a>) -> Option<&Overlay<'a>> {
        match v {
            Val::Stored(i) => self.overlays.get(i),
            _ => None,
        }
    }

    #[inline(always)]
    fn intern(&mut self, value: Value<'a>) -> Val<'a> {
        Val::intern(value, |v| self.stash(v))
    }

    #[inline(never)]
    fn stash(&mut self, item: Value<'a>) -> u32 {
        self.store.push(item);
        (self.store.len() - 1) as u32
    }

    #[inline(always)]
    fn push_entry(&mut self, entry: Entry<'a>) {
        if self.entries.capacity() == 0 {
            // One right-sized allocation for typical steps.
            self.entries = Vec::with_capacity(6);
        }
        self.entries.push(entry);
    }
}

impl<'a> Lookup<'a> for Transformation<'a> {
    #[inline]
    fn stored(&self, i: u32) -> &Value<'a> {
        self.store.stored(i)
    }
}

impl PartialEq for Transformation<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len() && self.resolved().eq(other.resolved())
    }
}

impl core::fmt::Debug for Transformation<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        struct Entries<'s, 'a>(&'s Transformation<'a>);
        impl core::fmt::Debug for Entries<'_, '_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.0.resolved()).finish()
            }
        }
        f.debug_struct("Transformation").field("entries", &Entries(self)).finish()
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident => $key:literal $(as $rule:ident)?;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self, value: impl Into<Value<'a>>) -> Self {
            #[allow(unused_mut, unused_assignments)]
            let mut rule = Rule::Plain;
            $(rule = Rule::$rule;)?
            self.push_rule(const { key_id($key) }, rule, value.into())
        }
    )*};
}

macro_rules! flags {
    ($($(#[$doc:meta])* $name:ident => $key:literal;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self) -> Self {
            self.push_rule(const { key_id($key) }, Rule::Flag, Value::Bool(true))
        }
    )*};
}

impl<'a> Transformation<'a> {
    /// An empty step.
    #[inline]
    pub fn new() -> Self {
        Self { entries: Vec::new(), store: Vec::new(), overlays: Layers::None }
    }

    /// Whether no parameter was added.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline(always)]
    fn push_rule(mut self, key: u32, rule: Rule, value: Value<'a>) -> Self {
        let val = self.intern(value);
        self.push_entry(Entry { val, key, rule, kind: Kind::Param });
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
        let (key, rule) = match url_key_id(&key) {
            Some(id) => (id, rule_for(TABLE[id as usize].1)),
            None => {
                let rule = rule_for(&key);
                (CUSTOM_KEY | self.stash(Value::Str(key)), rule)
            }
        };
        let val = self.intern(value.into());
        self.push_entry(Entry { val, key, rule, kind: Kind::Param });
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
        let val = self.intern(value.into());
        self.push_entry(Entry { val, key: 0, rule: Rule::Plain, kind: Kind::Raw });
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
        let val = Val::Stored(self.overlays.push(overlay));
        self.push_entry(Entry { val, key: 0, rule: Rule::Plain, kind: Kind::Overlay });
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
        self.push_rule(const { key_id("sr") }, Rule::Sr, Value::List(list))
    }

    /// `di-…`: default image when the source is missing; a leading and trailing `/` are
    /// dropped and inner `/` become `@@`.
    pub fn default_image(self, path: impl Into<Cow<'a, str>>) -> Self {
        self.push_rule(const { key_id("di") }, Rule::PathLike, Value::Str(path.into()))
    }

    /// `ff-…`: font family for text layers (a font name or an uploaded font's path).
    pub fn font_family(self, font: impl Into<Cow<'a, str>>) -> Self {
        self.push_rule(const { key_id("ff") }, Rule::PathLike, Value::Str(font.into()))
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
        let mut store: Vec<Value<'static>> = self.store.into_iter().map(Value::into_owned).collect();
        let overlays = match self.overlays {
            Layers::None => Layers::None,
            Layers::One(o) => Layers::One(o.into_owned()),
            Layers::Many(v) => Layers::Many(v.into_iter().map(Overlay::into_owned).collect()),
        };
        let entries = self
            .entries
            .into_iter()
            .map(|e| {
                let val = match e.val {
                    Val::Str(s) => {
                        store.push(Value::Str(Cow::Owned(String::from(s))));
                        Val::Stored((store.len() - 1) as u32)
                    }
                    Val::Int(i) => Val::Int(i),
                    Val::Float(f) => Val::Float(f),
                    Val::Bool(b) => Val::Bool(b),
                    Val::Null => Val::Null,
                    Val::Stored(i) => Val::Stored(i),
                };
                Entry { val, key: e.key, rule: e.rule, kind: e.kind }
            })
            .collect();
        Transformation { entries, store, overlays }
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
            // Fast path: a table key with a plain rule and a borrowed string or an integer.
            let wrote = match (entry.kind, entry.rule, entry.val) {
                (Kind::Param, Rule::Plain, Val::Int(i)) if entry.key & CUSTOM_KEY == 0 => {
                    push_key_dash(out, entry.key);
                    write_i64(out, i);
                    true
                }
                (Kind::Param, Rule::Plain, Val::Str(v)) if entry.key & CUSTOM_KEY == 0 => {
                    push_key_dash(out, entry.key);
                    push_small(out, v);
                    true
                }
                _ => write_entry(out, step, entry)?,
            };
            if wrote {
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

/// Appends a table key and `-` (keys are ASCII, mostly one to three bytes).
#[inline(always)]
fn push_key_dash(out: &mut String, id: u32) {
    let key = TABLE[id as usize].1;
    if key.len() <= 3 {
        for &b in key.as_bytes() {
            out.push(char::from(b & 0x7f));
        }
    } else {
        out.push_str(key);
    }
    out.push('-');
}

/// Writes one component; `Ok(false)` when the official helper would emit nothing.
fn write_entry(out: &mut String, step: &Transformation<'_>, e: &Entry<'_>) -> Result<bool, UrlError> {
    if let Val::Null = e.val {
        return Ok(false);
    }
    match e.kind {
        Kind::Param => {}
        Kind::Raw => {
            e.val.write_js(out, step);
            return Ok(true);
        }
        Kind::Overlay => {
            return match step.overlay_at(e.val) {
                Some(o) => write_overlay(out, o),
                None => Ok(false),
            };
        }
    }
    let known = e.key & CUSTOM_KEY == 0;
    let key = step.key_str(e.key);
    let value = e.val;
    match e.rule {
        Rule::Plain => {}
        Rule::Flag => {
            if !(matches!(value, Val::Bool(true)) || value.is_str(step, "true") || value.is_str(step, "-")) {
                return Ok(false);
            }
            out.push_str(key);
            return Ok(true);
        }
        Rule::Optional if matches!(value, Val::Bool(true)) || value.is_str(step, "true") || value.is_js_blank(step) => {
            out.push_str(key);
            return Ok(true);
        }
        _ => {}
    }
    if known {
        push_key_dash(out, e.key);
    } else {
        out.push_str(key);
        out.push('-');
    }
    match e.rule {
        Rule::PathLike => match value.as_str(step) {
            Some(s) => {
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
            None if !value.is_truthy(step) => {}
            None => return Err(UrlError::InvalidValue { key: String::from(key) }),
        },
        Rule::Sr => match value {
            Val::Stored(i) => step.stored(i).write_js_joined(out, "_"),
            v => v.write_js(out, step),
        },
        Rule::Trim if value.is_js_blank(step) => out.push_str("true"),
        _ => value.write_js(out, step),
    }
    Ok(true)
}

/// An ordered list of steps that stores a single step inline: most URLs have one step, and
/// this saves an allocation per build.
/// Not `smallvec::SmallVec` for the variance reason given at [`Layers`].
#[derive(Debug, Clone, Default)]
pub(crate) enum StepList<'a> {
    #[default]
    Empty,
    One(Transformation<'a>),
    Many(Vec<Transformation<'a>>),
}

impl<'a> StepList<'a> {
    #[inline(always)]
    pub fn push(&mut self, step: Transformation<'a>) {
        match self {
            // Nothing to drop in `Empty`; skipping the drop glue keeps this inlinable.
            StepList::Empty => core::mem::forget(core::mem::replace(self, StepList::One(step))),
            StepList::Many(v) => v.push(step),
            StepList::One(_) => self.spill(step),
        }
    }

    #[inline(never)]
    fn spill(&mut self, step: Transformation<'a>) {
        if let StepList::One(first) = core::mem::replace(self, StepList::Many(Vec::with_capacity(4))) {
            if let StepList::Many(v) = self {
                v.push(first);
                v.push(step);
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

/// Equal when the steps are: `Empty`, `One(t)` and `Many(vec![t])` hold the same list.
impl PartialEq for StepList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<'a> From<Vec<Transformation<'a>>> for StepList<'a> {
    fn from(v: Vec<Transformation<'a>>) -> Self {
        StepList::Many(v)
    }
}
