//! `client.named_transformations()`: transformations used in URLs as `tr:n-<name>`.

use imagekit_types::{CreateNamedTransformationRequest, NamedTransformation, UpdateNamedTransformationRequest};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// Named transformations; see [`Client::named_transformations`].
#[derive(Debug, Clone, Copy)]
pub struct NamedTransformations<'a> {
    pub(crate) client: &'a Client,
}

fn item(id: &str) -> crate::Result<String> {
    Ok(format!("/v1/named-transformations/{}", path_param("id", id)?))
}

impl<'a> NamedTransformations<'a> {
    /// `GET /v1/named-transformations`.
    pub fn list(&self) -> Call<Vec<NamedTransformation>> {
        Call::json(self.client, Ok(Endpoint::get("/v1/named-transformations")))
    }

    /// `POST /v1/named-transformations`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::CreateNamedTransformationRequest;
    /// client
    ///     .named_transformations()
    ///     .create(CreateNamedTransformationRequest::new("thumb", "w-150,h-150"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, body: CreateNamedTransformationRequest) -> Call<NamedTransformation> {
        Call::json(self.client, Endpoint::post("/v1/named-transformations").json(&body))
    }

    /// `GET /v1/named-transformations/{id}`.
    pub fn get(&self, id: &str) -> Call<NamedTransformation> {
        Call::json(self.client, item(id).map(Endpoint::get))
    }

    /// `PATCH /v1/named-transformations/{id}`.
    pub fn update(&self, id: &str, body: UpdateNamedTransformationRequest) -> Call<NamedTransformation> {
        Call::json(self.client, item(id).and_then(|p| Endpoint::patch(p).json(&body)))
    }

    /// `DELETE /v1/named-transformations/{id}`.
    pub fn delete(&self, id: &str) -> Call<()> {
        Call::void(self.client, item(id).map(Endpoint::delete))
    }
}
