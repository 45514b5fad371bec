//! Building the multipart form of an upload, V1 or V2: the form fields, the
//! file part, the upload host and the retry class that never duplicates.

use imagekit_types::UploadParams;

use crate::multipart::Form;
use crate::operations::Operation;
use crate::request::{Endpoint, Payload};
use crate::retry::RetryClass;
use crate::upload::{Part, UploadFile};
use crate::{Error, Result};

/// The endpoint of the upload `op` with the form fields of `params`.
pub(crate) fn upload_endpoint(
    op: &Operation,
    file: UploadFile,
    params: &UploadParams,
    basic_auth: bool,
) -> Result<Endpoint> {
    let fields = params.form_fields().map_err(|e| Error::encode("upload fields", e))?;
    form_endpoint(op, file, params, fields.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect(), basic_auth)
}

/// The endpoint of the upload `op` with the form `fields`, in that order,
/// then the file.
pub(crate) fn form_endpoint(
    op: &Operation,
    file: UploadFile,
    params: &UploadParams,
    fields: Vec<(&str, &str)>,
    basic_auth: bool,
) -> Result<Endpoint> {
    if params.file_name.is_empty() {
        return Err(Error::InvalidInput("fileName must not be empty".into()));
    }
    let form = match file.into_part(&params.file_name)? {
        Part::File(part) => Form::new(fields, Some(part)),
        Part::Text(text) => Form::new(std::iter::once(("file", text.as_str())).chain(fields), None),
    };
    let content_type = http::HeaderValue::try_from(form.content_type())
        .map_err(|_| Error::InvalidInput("bad multipart boundary".into()))?;
    let mut ep = Endpoint::for_op(op, &[])?;
    ep.basic_auth = basic_auth;
    // Only a unique name makes a repeat a duplicate.
    ep.retry = if params.uses_unique_file_name() { RetryClass::UniqueUpload } else { RetryClass::Normal };
    ep.payload = Payload::Raw { body: form.into_body(), content_type };
    Ok(ep)
}
