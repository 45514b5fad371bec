//! [`UrlOptions`], the options of [`build_url`](crate::build_url), and their builder methods.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::UrlError;
use crate::sign::PrivateKey;
use crate::transform::{StepList, Transformation};
use crate::value::Value;

use crate::url::build_url;

/// Where the transformation string goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransformationPosition {
    /// `?tr=…` (the official default). An absolute `src` always uses the query.
    #[default]
    Query,
    /// `/tr:…/` after the endpoint path.
    Path,
}

/// Options for [`build_url`], named after the official helper's `SrcOptions`.
///
/// ```
/// use imagekit_url::{build_url, Transformation, TransformationPosition, UrlOptions};
///
/// let opts = UrlOptions::new("/default-image.jpg")
///     .url_endpoint("https://ik.imagekit.io/demo")
///     .transformation(Transformation::new().width(300).height(300))
///     .position(TransformationPosition::Path);
/// assert_eq!(build_url(&opts).unwrap(), "https://ik.imagekit.io/demo/tr:w-300,h-300/default-image.jpg");
/// ```
#[derive(Debug, Clone, Default)]
pub struct UrlOptions<'a> {
    pub(crate) src: Cow<'a, str>,
    pub(crate) url_endpoint: Cow<'a, str>,
    pub(crate) transformation: StepList<'a>,
    pub(crate) position: TransformationPosition,
    pub(crate) query_parameters: Vec<(Cow<'a, str>, Value<'a>)>,
    pub(crate) signed: bool,
    pub(crate) expires_in: u64,
    pub(crate) now: Option<u64>,
    pub(crate) private_key: Option<&'a PrivateKey>,
    pub(crate) strict: bool,
}

impl<'a> UrlOptions<'a> {
    /// Options for `src`: a path relative to the endpoint, or an absolute `http(s)://` URL.
    #[inline]
    pub fn new(src: impl Into<Cow<'a, str>>) -> Self {
        Self { src: src.into(), ..Self::default() }
    }

    /// The URL endpoint, e.g. `https://ik.imagekit.io/your_imagekit_id`. Its path, query and
    /// fragment are kept. Required for a relative `src` and for signing.
    #[inline]
    pub fn url_endpoint(mut self, endpoint: impl Into<Cow<'a, str>>) -> Self {
        self.url_endpoint = endpoint.into();
        self
    }

    /// Appends a transformation step (steps are chained with `:`).
    #[inline(always)]
    pub fn transformation(mut self, step: Transformation<'a>) -> Self {
        self.transformation.push(step);
        self
    }

    /// Appends several transformation steps.
    #[inline]
    pub fn transformations(mut self, steps: impl IntoIterator<Item = Transformation<'a>>) -> Self {
        for step in steps {
            self.transformation.push(step);
        }
        self
    }

    /// Where the transformation goes (default [`TransformationPosition::Query`]).
    #[inline]
    pub fn position(mut self, position: TransformationPosition) -> Self {
        self.position = position;
        self
    }

    /// Appends an extra query parameter (duplicates are kept, in order).
    ///
    /// ```
    /// use imagekit_url::{build_url, UrlOptions};
    /// let opts = UrlOptions::new("/a.jpg")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .query_parameter("v", 2)
    ///     .query_parameter("q", "a b&c");
    /// assert_eq!(build_url(&opts).unwrap(), "https://ik.imagekit.io/demo/a.jpg?v=2&q=a+b%26c");
    /// ```
    pub fn query_parameter(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Value<'a>>) -> Self {
        self.query_parameters.push((key.into(), value.into()));
        self
    }

    /// Signs the URL with `key` (`ik-s`; without [`Self::expires_in`] it never expires).
    ///
    /// ```
    /// use imagekit_url::{build_url, PrivateKey, Transformation, UrlOptions};
    ///
    /// let key = PrivateKey::new("dummy-key").unwrap();
    /// let opts = UrlOptions::new("sdk-testing-files/future-search.png")
    ///     .url_endpoint("https://ik.imagekit.io/demo/")
    ///     .transformation(Transformation::new().width(300).height(200))
    ///     .query_parameter("version", "2.0")
    ///     .signed(&key);
    /// assert_eq!(
    ///     build_url(&opts).unwrap(),
    ///     "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31"
    /// );
    /// ```
    #[inline]
    pub fn signed(mut self, key: &'a PrivateKey) -> Self {
        self.private_key = Some(key);
        self.signed = true;
        self
    }

    /// Sets the key used when the options ask for signing (e.g. deserialized `signed: true`)
    /// without turning signing on.
    #[inline]
    pub fn private_key(mut self, key: &'a PrivateKey) -> Self {
        self.private_key = Some(key);
        self
    }

    /// Sets the `signed` flag alone (the key comes from [`Self::private_key`]).
    #[inline]
    pub fn set_signed(mut self, signed: bool) -> Self {
        self.signed = signed;
        self
    }

    /// Makes a signed URL expire `seconds` after `now` (unix seconds): `ik-t=now+seconds`.
    /// A positive value turns signing on by itself, as in the official helper; `0` means no
    /// expiry.
    ///
    /// ```
    /// use imagekit_url::{build_url, PrivateKey, UrlOptions};
    ///
    /// let key = PrivateKey::new("dummy-key").unwrap();
    /// let opts = UrlOptions::new("sdk-testing-files/future-search.png")
    ///     .url_endpoint("https://ik.imagekit.io/demo/")
    ///     .private_key(&key)
    ///     .expires_in(3600, 1_700_000_000);
    /// assert_eq!(
    ///     build_url(&opts).unwrap(),
    ///     "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?ik-t=1700003600&ik-s=02b18bdf67868ccda662ddedda61defd75e97e49"
    /// );
    /// ```
    #[inline]
    pub fn expires_in(mut self, seconds: u64, now: u64) -> Self {
        self.expires_in = seconds;
        self.now = Some(now);
        self
    }

    /// Sets the clock (unix seconds) used with an expiry set elsewhere (e.g. deserialized).
    #[inline]
    pub fn now(mut self, now: u64) -> Self {
        self.now = Some(now);
        self
    }

    /// Makes a signed URL expire `after` the moment it is built: the system clock is read
    /// by [`Self::build`], so options kept around and built later still get the full
    /// duration. A positive duration turns signing on by itself, like [`Self::expires_in`].
    ///
    /// The official helper counts whole seconds; a fraction of a second is rounded up and
    /// the result is at least one second, so a short duration never turns into `0`, which
    /// would mean "never expires". [`Self::now`] set afterwards replaces the clock reading.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    /// use imagekit_url::{PrivateKey, UrlOptions};
    ///
    /// let key = PrivateKey::new("your_private_key")?;
    /// let unix_now = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    /// let before = unix_now();
    /// let url = UrlOptions::new("/a.jpg")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .private_key(&key)
    ///     .expire_after(Duration::from_secs(600))
    ///     .build()?;
    /// let after = unix_now();
    /// let (_, query) = url.split_once("?ik-t=").unwrap();
    /// let expiry: u64 = query.split('&').next().unwrap().parse().unwrap();
    /// assert!((before + 600..=after + 600).contains(&expiry));
    /// # Ok::<(), imagekit_url::UrlError>(())
    /// ```
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    #[inline]
    pub fn expire_after(mut self, after: core::time::Duration) -> Self {
        let secs = after.as_secs().saturating_add(u64::from(after.subsec_nanos() > 0));
        self.expires_in = secs.max(1);
        self.now = None;
        self
    }

    /// Whether the URL will be signed (`signed`, or a positive `expires_in`).
    pub fn is_signed(&self) -> bool {
        self.signed || self.expires_in > 0
    }

    /// The transformation steps, in order.
    pub fn transformation_steps(&self) -> &[Transformation<'a>] {
        self.transformation.as_slice()
    }

    /// The `src`.
    pub fn src(&self) -> &str {
        &self.src
    }

    /// Builds the URL; same as [`build_url`].
    pub fn build(&self) -> Result<String, UrlError> {
        build_url(self)
    }

    /// Copies borrowed data so the options no longer borrow (the private key is dropped).
    pub fn into_owned(self) -> UrlOptions<'static> {
        UrlOptions {
            src: Cow::Owned(self.src.into_owned()),
            url_endpoint: Cow::Owned(self.url_endpoint.into_owned()),
            transformation: self.transformation.into_owned(),
            position: self.position,
            query_parameters: self
                .query_parameters
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
            signed: self.signed,
            expires_in: self.expires_in,
            now: self.now,
            private_key: None,
            strict: self.strict,
        }
    }
}
