//! `client.files()`: file details, update, delete, copy, move, rename, upload.

use imagekit_types::{
    CopyFileRequest, EmptyResponse, File, FileUpdateResponse, FileUploadResponse, MoveFileRequest, RenameFileRequest,
    RenameFileResponse, UpdateFileRequest, UploadParams,
};
use imagekit_url::AuthParams;

use crate::operations::{FILES_COPY, FILES_DELETE, FILES_GET, FILES_MOVE, FILES_RENAME, FILES_UPDATE, FILES_UPLOAD};
use crate::request::{Call, Endpoint};
use crate::resources::uploads::upload_endpoint;
use crate::upload::UploadFile;
use crate::{Client, Error};

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

    /// A file's details ([`FILES_GET`]).
    pub fn get(&self, file_id: &str) -> Call<File> {
        Call::json(self.client, Endpoint::for_op(&FILES_GET, &[file_id]))
    }

    /// Update a file's details or publish it ([`FILES_UPDATE`]), with either body shape.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{UpdateFileDetails, UpdateFileRequest};
    /// client.files().update("file_id", UpdateFileDetails::default().tags(["sale"]).clear_custom_coordinates()).await?;
    /// client.files().update("file_id", UpdateFileRequest::publish(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, file_id: &str, body: impl Into<UpdateFileRequest>) -> Call<FileUpdateResponse> {
        Call::json(self.client, Endpoint::for_op(&FILES_UPDATE, &[file_id]).and_then(|ep| ep.json(&body.into())))
    }

    /// Delete the file and all its versions ([`FILES_DELETE`]).
    pub fn delete(&self, file_id: &str) -> Call<()> {
        Call::void(self.client, Endpoint::for_op(&FILES_DELETE, &[file_id]))
    }

    /// Copy a file into a folder ([`FILES_COPY`]).
    pub fn copy(&self, body: CopyFileRequest) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::for_op(&FILES_COPY, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Move a file into a folder ([`FILES_MOVE`]).
    #[allow(clippy::should_implement_trait)] // named after the official SDK's method
    pub fn r#move(&self, body: MoveFileRequest) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::for_op(&FILES_MOVE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Rename a file ([`FILES_RENAME`]).
    pub fn rename(&self, body: RenameFileRequest) -> Call<RenameFileResponse> {
        Call::json(self.client, Endpoint::for_op(&FILES_RENAME, &[]).and_then(|ep| ep.json(&body)))
    }

    /// A multipart upload ([`FILES_UPLOAD`], on the upload host) with
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
        Call::json(self.client, upload_endpoint(&FILES_UPLOAD, file.into(), &params, true))
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
                upload_endpoint(&FILES_UPLOAD, file.into(), &params, false)
            }
        };
        Call::json(self.client, ep)
    }
}
