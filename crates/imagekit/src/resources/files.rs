//! `client.files()`: file details, update, delete, copy, move, rename, upload.

use http::Method;
use imagekit_types::{
    CopyFileRequest, EmptyResponse, File, FileUpdateResponse, FileUploadResponse, MoveFileRequest, RenameFileRequest,
    RenameFileResponse, UpdateFileRequest, UploadParams,
};
use imagekit_url::AuthParams;

use crate::encode::path_param;
use crate::multipart::Form;
use crate::request::{Call, Endpoint, Host, Payload};
use crate::retry::RetryClass;
use crate::upload::{Part, UploadFile};
use crate::{Client, Error, Result};

/// The files resource; see [`Client::files`].
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Files<'a> {
    /// File versions.
    pub fn versions(&self) -> crate::resources::versions::Versions<'a> {
        crate::resources::versions::Versions { client: self.client }
    }

    /// Bulk operations on many files.
    pub fn bulk(&self) -> crate::resources::bulk::Bulk<'a> {
        crate::resources::bulk::Bulk { client: self.client }
    }

    /// Technical metadata.
    pub fn metadata(&self) -> crate::resources::metadata::FileMetadata<'a> {
        crate::resources::metadata::FileMetadata { client: self.client }
    }

    /// `GET /v1/files/{fileId}/details`.
    pub fn get(&self, file_id: &str) -> Call<File> {
        let ep = path_param("fileId", file_id).map(|id| Endpoint::get(format!("/v1/files/{id}/details")));
        Call::json(self.client, ep)
    }

    /// `PATCH /v1/files/{fileId}/details`, with either body shape.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{UpdateFileDetails, UpdateFileRequest};
    /// client.files().update("file_id", UpdateFileDetails::default().tags(["sale"]).clear_custom_coordinates()).await?;
    /// client.files().update("file_id", UpdateFileRequest::publish(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, file_id: &str, body: impl Into<UpdateFileRequest>) -> Call<FileUpdateResponse> {
        let ep = path_param("fileId", file_id)
            .and_then(|id| Endpoint::new(Method::PATCH, format!("/v1/files/{id}/details")).json(&body.into()));
        Call::json(self.client, ep)
    }

    /// `DELETE /v1/files/{fileId}`: the file and all its versions.
    pub fn delete(&self, file_id: &str) -> Call<()> {
        Call::void(self.client, path_param("fileId", file_id).map(|id| Endpoint::delete(format!("/v1/files/{id}"))))
    }

    /// `POST /v1/files/copy`.
    pub fn copy(&self, body: CopyFileRequest) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::new(Method::POST, "/v1/files/copy").json(&body))
    }

    /// `POST /v1/files/move`.
    #[allow(clippy::should_implement_trait)] // named after the official SDK's `files.move`
    pub fn r#move(&self, body: MoveFileRequest) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::new(Method::POST, "/v1/files/move").json(&body))
    }

    /// `PUT /v1/files/rename`.
    pub fn rename(&self, body: RenameFileRequest) -> Call<RenameFileResponse> {
        Call::json(self.client, Endpoint::new(Method::PUT, "/v1/files/rename").json(&body))
    }

    /// `POST /api/v1/files/upload` on the upload host: a multipart upload with
    /// server-side (Basic) authentication.
    ///
    /// A file on disk is streamed, never read whole. An upload that would get
    /// a unique file name (the default) is retried only when the server cannot
    /// have stored it, so a retry never creates a duplicate.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::{UploadFile, types::UploadParams};
    /// let uploaded = client
    ///     .files()
    ///     .upload(UploadFile::path("shoe.jpg"), UploadParams::new("shoe.jpg").folder("/products").tags(["sale"]))
    ///     .await?;
    /// println!("{}", uploaded.url.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub fn upload(&self, file: impl Into<UploadFile>, params: UploadParams) -> Call<FileUploadResponse> {
        Call::json(self.client, upload_endpoint("/api/v1/files/upload", file.into(), &params, true))
    }

    /// A client-side style upload: the public key, token, expiry and signature
    /// authenticate it instead of the private key (no `Authorization` header).
    /// `auth` comes from [`Client::auth_params`] or from your own server.
    pub fn upload_client_side(
        &self,
        file: impl Into<UploadFile>,
        params: UploadParams,
        auth: &AuthParams,
    ) -> Call<FileUploadResponse> {
        let ep = match self.client.inner.public_key.clone() {
            None => Err(Error::MissingSetting {
                setting: "the public key (ClientBuilder::public_key)",
                needed_for: "a client-side upload",
            }),
            Some(pk) => {
                let params = params
                    .public_key(pk)
                    .token(auth.token.clone())
                    .expire(auth.expire)
                    .signature(auth.signature.clone());
                upload_endpoint("/api/v1/files/upload", file.into(), &params, false)
            }
        };
        Call::json(self.client, ep)
    }
}

/// The endpoint of a multipart upload, V1 or V2.
pub(crate) fn upload_endpoint(
    path: &str,
    file: UploadFile,
    params: &UploadParams,
    basic_auth: bool,
) -> Result<Endpoint> {
    let fields = params.form_fields().map_err(|e| Error::InvalidInput(e.to_string()))?;
    form_endpoint(path, file, params, fields.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect(), basic_auth)
}

pub(crate) fn form_endpoint(
    path: &str,
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
    let mut ep = Endpoint::new(Method::POST, path);
    ep.host = Host::Upload;
    ep.basic_auth = basic_auth;
    ep.retry = if params.uses_unique_file_name() { RetryClass::UniqueUpload } else { RetryClass::Normal };
    ep.payload = Payload::Raw { body: form.into_body(), content_type };
    Ok(ep)
}
