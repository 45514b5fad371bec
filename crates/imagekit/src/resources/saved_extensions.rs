//! `client.saved_extensions()`: extension configurations stored by name.

use imagekit_types::{CreateSavedExtensionRequest, SavedExtension, UpdateSavedExtensionRequest};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// Saved extensions; see [`Client::saved_extensions`].
#[derive(Debug, Clone, Copy)]
pub struct SavedExtensions<'a> {
    pub(crate) client: &'a Client,
}

fn item(id: &str) -> crate::Result<String> {
    Ok(format!("/v1/saved-extensions/{}", path_param("id", id)?))
}

impl<'a> SavedExtensions<'a> {
    /// `GET /v1/saved-extensions`.
    pub fn list(&self) -> Call<Vec<SavedExtension>> {
        Call::json(self.client, Ok(Endpoint::get("/v1/saved-extensions")))
    }

    /// `POST /v1/saved-extensions`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{CreateSavedExtensionRequest, Extension, RemoveBg};
    /// let saved = client
    ///     .saved_extensions()
    ///     .create(CreateSavedExtensionRequest::new(
    ///         "bg",
    ///         "Remove the background",
    ///         Extension::RemoveBg(RemoveBg::new()),
    ///     ))
    ///     .await?;
    /// # let _ = saved; Ok(()) }
    /// ```
    pub fn create(&self, body: CreateSavedExtensionRequest) -> Call<SavedExtension> {
        Call::json(self.client, Endpoint::post("/v1/saved-extensions").json(&body))
    }

    /// `GET /v1/saved-extensions/{id}`.
    pub fn get(&self, id: &str) -> Call<SavedExtension> {
        Call::json(self.client, item(id).map(Endpoint::get))
    }

    /// `PATCH /v1/saved-extensions/{id}`.
    pub fn update(&self, id: &str, body: UpdateSavedExtensionRequest) -> Call<SavedExtension> {
        Call::json(self.client, item(id).and_then(|p| Endpoint::patch(p).json(&body)))
    }

    /// `DELETE /v1/saved-extensions/{id}`.
    pub fn delete(&self, id: &str) -> Call<()> {
        Call::void(self.client, item(id).map(Endpoint::delete))
    }
}
