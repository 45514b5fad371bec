//! Strict mode: refuses, naming the field and value, what the official helper would
//! silently drop or mangle. It only checks: whatever it lets through is built by the
//! default code, byte for byte.

mod steps;
mod url;

use alloc::string::String;

use crate::build::{UrlOptions, build_with};
use crate::error::{StrictError, UrlError};
use crate::transform::Transformation;

pub(crate) use url::check_options;

impl<'a> UrlOptions<'a> {
    /// Turns strict mode on: [`Self::build`] then refuses, with [`UrlError::Strict`], what
    /// the official helper would silently drop or mangle, and otherwise builds exactly the
    /// URL the default mode builds.
    ///
    /// The default mode copies the official helper byte for byte, quirks included:
    /// `Overlay::image(..).x(0)` loses its position (the helper writes `lx` only when `x`
    /// is truthy, and `0` is falsy in JavaScript), `width(f64::NAN)` gives `w-NaN`,
    /// `width(-5)` gives `w--5`, `param("widht", 100)` gives `widht-100`, and
    /// `width("100,h-9999:rt-90")` smuggles in two more parameters and a step. Strict mode
    /// refuses all of these, naming where, the field and the value:
    ///
    /// ```
    /// use imagekit_url::{Overlay, Transformation, UrlError, UrlOptions};
    ///
    /// let build = |t: Transformation<'static>| {
    ///     UrlOptions::new("/a.jpg").url_endpoint("https://ik.imagekit.io/demo").transformation(t).strict().build()
    /// };
    /// let message = |t| match build(t) {
    ///     Err(UrlError::Strict(e)) => e.to_string(),
    ///     other => panic!("not refused: {other:?}"),
    /// };
    /// assert_eq!(message(Transformation::new().width(-5)),
    ///     r#"transformation 0: width: -5 is negative; ImageKit writes negative values with an N prefix ("N10" for -10)"#);
    /// assert_eq!(message(Transformation::new().param("widht", 100)),
    ///     r#"transformation 0: widht: not a known transformation parameter (value 100); did you mean "width"?"#);
    /// assert_eq!(message(Transformation::new().width("100,h-9999:rt-90")),
    ///     r#"transformation 0: width: "100,h-9999:rt-90" contains ',', which separates transformation parameters"#);
    /// assert_eq!(message(Transformation::new().overlay(Overlay::image("logo.png").x(0))),
    ///     r#"transformation 0: overlay 0: x: 0 is dropped by the official helper, which writes this field only when truthy (write 0 as "0")"#);
    ///
    /// // What strict mode accepts is built exactly as in the default mode.
    /// let t = Transformation::new().width(300).overlay(Overlay::image("logo.png").x("0"));
    /// assert_eq!(build(t).unwrap(), "https://ik.imagekit.io/demo/a.jpg?tr=w-300,l-image,i-logo.png,lx-0,l-end");
    /// ```
    ///
    /// # What strict mode refuses
    ///
    /// By kind of value, wherever it is written after `key-` (step parameters, layer fields,
    /// list items):
    ///
    /// * numbers: `NaN` and infinities ([`NotFinite`]), negative numbers ([`Negative`]:
    ///   ImageKit writes negatives with an `N` prefix, `"N10"`);
    /// * strings: empty or blank ([`Blank`]), a leading `-` ([`Negative`]), and the
    ///   reserved characters ([`ReservedChar`]): `,` (separates parameters), `:` (separates
    ///   steps), `/` (ends the `tr:` path segment), `?`, `#`, `&` (end the path or the `tr`
    ///   query value), `%` (decoded by the server), `+` (a space in a query string), `\`
    ///   (turned into `/`), control characters, and `$` followed by `$`, `&`, `` ` `` or `'`
    ///   (the helper inserts the transformation with `String.prototype.replace`, which expands
    ///   these: `a$$b` comes out as `a$b`). Spaces and non-ASCII text are allowed:
    ///   the helper writes them raw (think `aiEdit` prompts), clients percent-encode them and
    ///   ImageKit decodes them back;
    /// * booleans: only for the options below that take them ([`WrongType`]);
    /// * lists: only for `streamingResolutions`; elsewhere the helper joins them with `,`;
    /// * `null`: accepted as "not set" (the helper skips it), except inside a list.
    ///
    /// By option of the official key table (option key → URL key):
    ///
    /// | options | take | strict mode also refuses |
    /// |---|---|---|
    /// | `width` `w`, `height` `h`, `aspectRatio` `ar`, `background` `bg`, `border` `b`, `crop` `c`, `cropMode` `cm`, `dpr`, `focus` `fo`, `quality` `q`, `x`, `xCenter` `xc`, `y`, `yCenter` `yc`, `format` `f`, `videoCodec` `vc`, `audioCodec` `ac`, `radius` `r`, `rotation` `rt`, `blur` `bl`, `named` `n`, `flip` `fl`, `startOffset` `so`, `endOffset` `eo`, `duration` `du`, `aiChangeBackground` `e-changebg`, `aiEdit` `e-edit`, `colorReplace` `cr`, `colorize` `e-colorize`, `distort` `e-distort`, `opacity` `o`, `zoom` `z`, `page` `pg`, `fontSize` `fs`, `fontColor` / `color` `co`, `innerAlignment` `ia`, `padding` `pa`, `alpha` `al`, `typography` `tg`, `lineHeight` `lh`, `fontOutline` `fol`, `fontShadow` `fsh` | a number or a string | booleans (`w-true`), lists |
    /// | `original` `orig`, `progressive` `pr`, `lossless` `lo`, `colorProfile` `cp`, `metadata` `md` | `true`, `false` or a string | numbers, lists |
    /// | flags: `grayscale` `e-grayscale`, `aiUpscale` `e-upscale`, `aiRetouch` `e-retouch`, `aiVariation` `e-genvar`, `aiRemoveBackground` `e-bgremove`, `aiRemoveBackgroundExternal` `e-removedotbg`, `contrastStretch` `e-contrast` | `true`, `"true"`, `"-"` (bare key); `false` (left out, as asked) | any other value, which the helper silently drops |
    /// | optional-value effects: `sharpen` `e-sharpen`, `shadow` `e-shadow`, `gradient` `e-gradient`, `unsharpMask` `e-usm`, `aiDropShadow` `e-dropshadow` | `true` / `"true"` (bare key), a number or a string | `false` (written `e-sharpen-false`), blank strings (silently the bare key), lists |
    /// | `defaultImage` `di`, `fontFamily` `ff` | a path; its `/` become `@@` | non-strings, an empty path, empty segments (`a//b` → `a@@@@b`), the reserved characters but `/` |
    /// | `streamingResolutions` `sr` | a list of numbers or strings, joined with `_` (or one value) | an empty list, `null`, boolean or list items |
    /// | `trim` `t` | `true` / `"true"`, a number or a string | `false`, blank strings (silently `t-true`), lists |
    /// | `raw` ([`Transformation::raw`]) | a string, inserted verbatim: `,` and `:` are its own syntax | non-strings, blank values, empty components (`w-1,,h-2`, a leading or trailing `,` or `:`), the other reserved characters; `raw` given to [`Transformation::param`] ([`RawAsParameter`]: written `raw-…`) |
    /// | any other name | — | [`UnknownParameter`], with a "did you mean" (legacy names such as `effectSharpen` and other spellings of a known key always; similar names with `std`). URL keys of the table (`w`, `e-sharpen`) are accepted: they write that parameter. |
    ///
    /// Layers ([`Overlay`](crate::Overlay)):
    ///
    /// * `text`: empty; `input` (image, video, subtitle): empty once the helper has stripped
    ///   one leading and one trailing `/`, and, when the path is written plain
    ///   (`OverlayEncoding::Plain`, or `Auto` with a simple path), empty segments and (with
    ///   `Plain`) the reserved characters but `/`; `color` (solid color): as any string;
    /// * `layerMode`, `x`, `y`, `xCenter`, `yCenter`, `focus`, `anchorPoint`, `start`,
    ///   `end`, `duration`: falsy values ([`Falsy`]: `0`, `""`, `false`, which the helper
    ///   drops; write a zero as `"0"`), then as any value (`NaN`, negatives, booleans, lists,
    ///   reserved characters);
    /// * an unknown layer type ([`UnknownOverlayType`]: only `l-end` would be written);
    /// * nested steps: as top-level steps.
    ///
    /// Steps: a step that writes nothing (no parameter, or only `null` values and `false`
    /// flags) is refused ([`EmptyStep`]); the helper drops it.
    ///
    /// The URL: a relative `src` holding `?` or `#` ([`EncodedIntoPath`]: encoded into the
    /// path); a `#fragment` in the absolute `src` or the endpoint when `tr`, `ik-t` or `ik-s`
    /// would be appended after it ([`AfterFragment`]); a `tr` query parameter next to a
    /// transformation, or `ik-t` / `ik-s` on a signed URL ([`DuplicateQueryParameter`]); a
    /// `..` segment in a relative `src` that would remove the `tr:` path segment
    /// ([`DotSegment`]); the helper's placeholder text `PLEASEREPLACEJUSTBEFORESIGN` before
    /// the place of the transformation, in the endpoint, the `src` or a query parameter
    /// ([`PlaceholderText`]: the helper replaces its first occurrence); an empty query in the
    /// absolute `src` or the endpoint (`a.jpg?`) when `tr` or the signature follows
    /// ([`EmptyQuery`]: written `a.jpg??tr=…`).
    ///
    /// Not checked: whether ImageKit knows a value (`c-foo`) or a combination; and what is
    /// dropped before strict mode sees it, as the helper drops it: an empty name given to
    /// [`Transformation::param`], and, in JSON, `null` values, falsy steps and layers with no
    /// type or an empty text, input or color. Overlay text and base64-encoded inputs are
    /// encoded by the helper, so any text is fine there.
    ///
    /// [`NotFinite`]: crate::StrictErrorKind::NotFinite
    /// [`Negative`]: crate::StrictErrorKind::Negative
    /// [`Blank`]: crate::StrictErrorKind::Blank
    /// [`ReservedChar`]: crate::StrictErrorKind::ReservedChar
    /// [`WrongType`]: crate::StrictErrorKind::WrongType
    /// [`RawAsParameter`]: crate::StrictErrorKind::RawAsParameter
    /// [`UnknownParameter`]: crate::StrictErrorKind::UnknownParameter
    /// [`Falsy`]: crate::StrictErrorKind::Falsy
    /// [`UnknownOverlayType`]: crate::StrictErrorKind::UnknownOverlayType
    /// [`EmptyStep`]: crate::StrictErrorKind::EmptyStep
    /// [`EncodedIntoPath`]: crate::StrictErrorKind::EncodedIntoPath
    /// [`AfterFragment`]: crate::StrictErrorKind::AfterFragment
    /// [`DuplicateQueryParameter`]: crate::StrictErrorKind::DuplicateQueryParameter
    /// [`DotSegment`]: crate::StrictErrorKind::DotSegment
    /// [`PlaceholderText`]: crate::StrictErrorKind::PlaceholderText
    /// [`EmptyQuery`]: crate::StrictErrorKind::EmptyQuery
    #[inline]
    pub fn strict(self) -> Self {
        self.set_strict(true)
    }

    /// Turns strict mode ([`Self::strict`]) on or off.
    #[inline]
    pub fn set_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether strict mode ([`Self::strict`]) is on.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Runs the checks of [`Self::strict`] without building, whether strict mode is on or not.
    ///
    /// ```
    /// use imagekit_url::{Transformation, UrlOptions};
    ///
    /// let opts = UrlOptions::new("/a.jpg")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .transformation(Transformation::new().width(300))
    ///     .transformation(Transformation::new());
    /// let err = opts.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "transformation 1 is empty, so the official helper drops it");
    /// ```
    pub fn validate(&self) -> Result<(), StrictError> {
        crate::strict::check_options(self)
    }
}

/// Runs the checks of strict mode ([`UrlOptions::strict`]) on transformation steps, for
/// callers of [`build_transformation_string`](crate::build_transformation_string).
///
/// ```
/// use imagekit_url::{Overlay, Transformation, validate_transformations};
///
/// let steps = [Transformation::new().width(300), Transformation::new().overlay(Overlay::text("Hi").x(f64::NAN))];
/// let err = validate_transformations(&steps).unwrap_err();
/// assert_eq!(err.to_string(), "transformation 1: overlay 0: x: NaN is not a finite number");
/// assert!(validate_transformations(&steps[..1]).is_ok());
/// ```
pub fn validate_transformations(steps: &[Transformation<'_>]) -> Result<(), StrictError> {
    steps::check_steps(steps, &steps::Loc::Root)
}

/// [`build_url`](crate::build_url) in strict mode: the checks, then the same build. Kept out of line so the
/// default path compiles as it did before strict mode existed.
#[cold]
#[inline(never)]
pub(crate) fn build_strict(opts: &UrlOptions<'_>) -> Result<String, UrlError> {
    check_strict(opts)?;
    build_with(opts, None)
}

/// Strict mode's checks, as a [`UrlError`].
pub(crate) fn check_strict(opts: &UrlOptions<'_>) -> Result<(), UrlError> {
    check_options(opts).map_err(UrlError::from)
}
