//! The API's operations as data: one row per SDK method, with its official
//! dotted name (as the official Node SDK names it), HTTP method, host, path
//! template, request and response types, retry class and parameters.
//!
//! The SDK's resource methods are built from these rows, and the `imagekit`
//! CLI's `api` command takes its method list, help and dispatch from
//! [`OPERATIONS`], so each name and path is written once.
//!
//! ```
//! use imagekit::operations::{Location, Method, OPERATIONS, Operation, FILES_VERSIONS_GET};
//!
//! // By its official name (here taken from the row, which holds it).
//! let op = Operation::find(FILES_VERSIONS_GET.name).expect("a known operation");
//! assert_eq!(op, &FILES_VERSIONS_GET);
//! assert_eq!(op.method, Method::Get);
//! assert!(op.path.ends_with("/versions/{versionId}"));
//! assert!(OPERATIONS.contains(op) && Operation::find("files.nope").is_none());
//! let path_params: Vec<&str> = op.params_in(Location::Path).map(|p| p.name).collect();
//! assert_eq!(path_params, ["fileId", "versionId"]);
//! ```

mod table;

pub use table::*;

use crate::encode::path_param;
use crate::request::{self, Endpoint};
use crate::retry::RetryClass;
use crate::{Error, Result};

/// An HTTP method an operation uses.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method as sent, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method as an [`http::Method`].
    pub fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The host an operation is sent to.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// The API host (`ClientBuilder::base_url`, by default `https://api.imagekit.io`).
    Api,
    /// The upload host (`ClientBuilder::upload_base_url`, by default `https://upload.imagekit.io`).
    Upload,
}

/// When a failed attempt of an operation is sent again.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// The official SDKs' rule: a connection failure, a timeout, 408, 409,
    /// 429 or 5xx, unless the server says `x-should-retry: false`.
    Standard,
    /// An upload: the standard rule when the file name is fixed; with
    /// `useUniqueFileName` (the default) only when the server cannot have
    /// stored the file, so a retry never makes a duplicate.
    Upload,
}

/// Where a parameter goes in the request.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// A `{name}` segment of the path template, percent-encoded.
    Path,
    /// The query string.
    Query,
    /// A field of the JSON body.
    Body,
    /// A field of the multipart form of an upload.
    Form,
}

impl Location {
    /// `"path"`, `"query"`, `"body"` or `"form"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Body => "body",
            Location::Form => "form",
        }
    }
}

/// One parameter of an operation, by its API name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param {
    /// The name the API uses, e.g. `fileId`, `useUniqueFileName`.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether the API requires it (path parameters always are).
    pub required: bool,
    /// A short description.
    pub help: &'static str,
}

impl Param {
    const fn new(name: &'static str, location: Location, help: &'static str) -> Self {
        Param { name, location, required: false, help }
    }

    pub(crate) const fn path(name: &'static str, help: &'static str) -> Self {
        Param { required: true, ..Param::new(name, Location::Path, help) }
    }

    pub(crate) const fn query(name: &'static str, help: &'static str) -> Self {
        Param::new(name, Location::Query, help)
    }

    pub(crate) const fn body(name: &'static str, help: &'static str) -> Self {
        Param::new(name, Location::Body, help)
    }

    pub(crate) const fn form(name: &'static str, help: &'static str) -> Self {
        Param::new(name, Location::Form, help)
    }

    /// The same parameter, required.
    pub(crate) const fn required(self) -> Self {
        Param { required: true, ..self }
    }
}

/// One API operation: a row of [`OPERATIONS`].
///
/// Rows are constants (e.g. [`FILES_GET`]), so a `match` can key on them.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The official dotted name, e.g. `files.versions.list`.
    pub name: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The host it is sent to.
    pub host: Host,
    /// The path template: `{name}` segments are the [`Location::Path`] parameters.
    pub path: &'static str,
    /// The `imagekit::types` type of its body, query or form, if any.
    pub request: Option<&'static str>,
    /// The `imagekit::types` type of its response; `()` when it has no body.
    pub response: &'static str,
    /// When a failed attempt is retried.
    pub retry: Retry,
    /// Its parameters: path parameters in template order, then the body,
    /// query or form fields (the main ones when [`extra_fields`](Self::extra_fields) is set).
    pub params: &'static [Param],
    /// Whether its request type also takes fields not listed in
    /// [`params`](Self::params), and sends them as they are.
    pub extra_fields: bool,
}

impl Operation {
    /// The defaults rows start from.
    pub(crate) const BASE: Operation = Operation {
        name: "",
        summary: "",
        method: Method::Get,
        host: Host::Api,
        path: "",
        request: None,
        response: "()",
        retry: Retry::Standard,
        params: &[],
        extra_fields: false,
    };

    /// The row named `name` (the official dotted name, exactly).
    pub fn find(name: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|op| op.name == name)
    }

    /// Its parameters at `location`, in order.
    pub fn params_in(&self, location: Location) -> impl Iterator<Item = &'static Param> + use<> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// The path with `values` for its path parameters, in template order, each
    /// percent-encoded as one segment. A value that is empty, `.` or `..`, or a
    /// count other than the template's, is an [`Error::InvalidInput`].
    ///
    /// ```
    /// let op = &imagekit::operations::FILES_VERSIONS_GET;
    /// assert_eq!(op.fill_path(&["a b", "v/1"])?, "/v1/files/a%20b/versions/v%2F1");
    /// assert!(op.fill_path(&["only one"]).is_err());
    /// # Ok::<(), imagekit::Error>(())
    /// ```
    pub fn fill_path(&self, values: &[&str]) -> Result<String> {
        let names: Vec<&str> = self.params_in(Location::Path).map(|p| p.name).collect();
        if names.len() != values.len() {
            return Err(Error::InvalidInput(format!(
                "{} takes {} path parameter(s) ({}), not {}",
                self.name,
                names.len(),
                names.join(", "),
                values.len()
            )));
        }
        let mut out = String::with_capacity(self.path.len() + values.iter().map(|v| v.len()).sum::<usize>());
        let mut rest = self.path;
        let mut values = names.iter().zip(values);
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            out.push_str(&rest[..open]);
            // The table's templates name their parameters in order (tested).
            let (name, value) = values.next().ok_or_else(|| {
                Error::InvalidInput(format!("{}: the path template {} has more parameters", self.name, self.path))
            })?;
            out.push_str(&path_param(name, value)?);
            rest = rest.get(close + 1..).unwrap_or("");
        }
        out.push_str(rest);
        Ok(out)
    }
}

impl std::fmt::Display for Operation {
    /// `name (METHOD /path)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} {})", self.name, self.method, self.path)
    }
}

impl Endpoint {
    /// The endpoint of `op` with `path_params` filled in: its method, host,
    /// path and retry class; the body, query and auth are the caller's.
    pub(crate) fn for_op(op: &Operation, path_params: &[&str]) -> Result<Endpoint> {
        let mut ep = Endpoint::new(op.method.to_http(), op.fill_path(path_params)?);
        ep.host = match op.host {
            Host::Api => request::Host::Api,
            Host::Upload => request::Host::Upload,
        };
        // An upload starts cautious; the form builder relaxes it when the name is fixed.
        ep.retry = match op.retry {
            Retry::Standard => RetryClass::Normal,
            Retry::Upload => RetryClass::UniqueUpload,
        };
        Ok(ep)
    }
}
