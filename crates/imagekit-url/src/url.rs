//! [`build_url`], the entry point: the strict checks when asked for, then the build.
//! Kept apart from `build` so that `strict` (which builds through `build`) and `build`
//! do not depend on each other.

use alloc::string::String;

use crate::build::{UrlOptions, build_with};
use crate::error::UrlError;

/// Builds a delivery URL exactly as the official `helper.buildSrc` does.
///
/// The transformation string is inserted raw (never percent-encoded); the path is encoded as
/// the WHATWG URL parser does; signing appends `ik-t`/`ik-s`.
///
/// ```
/// use imagekit_url::{build_url, Transformation, UrlOptions};
///
/// let opts = UrlOptions::new("/test_path.jpg")
///     .url_endpoint("https://ik.imagekit.io/test_url_endpoint")
///     .transformation(Transformation::new().height("300").width("400"))
///     .transformation(Transformation::new().rotation(90));
/// assert_eq!(
///     build_url(&opts).unwrap(),
///     "https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400:rt-90"
/// );
/// ```
pub fn build_url(opts: &UrlOptions<'_>) -> Result<String, UrlError> {
    if opts.strict {
        return crate::strict::build_strict(opts);
    }
    build_with(opts, None)
}
