//! `client.beta().v2().files()`: the V2 upload, authenticated with a JWT the SDK builds.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imagekit_types::{FileUploadResponse, UploadParams};

use crate::operations::BETA_V2_FILES_UPLOAD;
use crate::request::Call;
use crate::resources::uploads::form_endpoint;
use crate::upload::UploadFile;
use crate::{Client, Error, Result};

/// How long a V2 upload token is valid (ImageKit allows up to an hour).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Beta endpoints; see [`Client::beta`].
#[derive(Debug, Clone, Copy)]
pub struct Beta<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Beta<'a> {
    /// Version 2 of the beta endpoints.
    pub fn v2(&self) -> V2<'a> {
        V2 { client: self.client }
    }
}

/// `client.beta().v2()`.
#[derive(Debug, Clone, Copy)]
pub struct V2<'a> {
    client: &'a Client,
}

impl<'a> V2<'a> {
    /// `client.beta().v2().files()`.
    pub fn files(&self) -> V2Files<'a> {
        V2Files { client: self.client }
    }
}

/// `client.beta().v2().files()`.
#[derive(Debug, Clone, Copy)]
pub struct V2Files<'a> {
    client: &'a Client,
}

impl<'a> V2Files<'a> {
    /// A V2 upload ([`BETA_V2_FILES_UPLOAD`]). Unless `params.token` is set, the SDK builds
    /// the JWT: HS256 with the private key, `kid` = the public key, claims =
    /// every form field as the exact string sent, plus `iat` and `exp`.
    pub fn upload(&self, file: impl Into<UploadFile>, params: UploadParams) -> Call<FileUploadResponse> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        self.upload_at(file, params, now, DEFAULT_TOKEN_LIFETIME)
    }

    /// [`upload`](Self::upload) with the token's issue time and lifetime given.
    pub fn upload_at(
        &self,
        file: impl Into<UploadFile>,
        params: UploadParams,
        issued_at: u64,
        lifetime: Duration,
    ) -> Call<FileUploadResponse> {
        Call::json(self.client, v2_endpoint(self.client, file.into(), params, issued_at, lifetime))
    }
}

fn v2_endpoint(
    client: &Client,
    file: UploadFile,
    mut params: UploadParams,
    iat: u64,
    lifetime: Duration,
) -> Result<crate::request::Endpoint> {
    if params.token.is_none() {
        let public_key = client.inner.public_key.as_deref().ok_or_else(|| Error::MissingSetting {
            setting: "the public key (ClientBuilder::public_key)",
            needed_for: "a V2 upload token",
        })?;
        let fields = params.form_fields().map_err(|e| Error::encode("upload fields", e))?;
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
        let token = crate::jwt::upload_token(
            client.inner.private_key.expose(),
            public_key,
            &pairs,
            iat,
            iat + lifetime.as_secs(),
        )?;
        params.token = Some(token);
    }
    let fields = params.form_fields().map_err(|e| Error::encode("upload fields", e))?;
    // The token goes first, as the JWT's claims are the fields that follow it.
    let mut pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
    if let Some(i) = pairs.iter().position(|(k, _)| *k == "token") {
        let token = pairs.remove(i);
        pairs.insert(0, token);
    }
    form_endpoint(&BETA_V2_FILES_UPLOAD, file, &params, pairs, true)
}
