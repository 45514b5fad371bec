//! The builder methods of [`Transformation`]: one per supported parameter, plus `param`,
//! `raw` and `overlay`.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{CUSTOM_KEY, Entry, Kind, Layers, Overlay, Rule, TABLE, Transformation, key_id, rule_for, url_key_id};
use crate::value::{Val, Value};

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
