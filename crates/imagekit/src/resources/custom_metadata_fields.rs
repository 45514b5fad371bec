//! `client.custom_metadata_fields()`: the schema of custom metadata.

use imagekit_types::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, EmptyResponse, ListCustomMetadataFieldsQuery,
    UpdateCustomMetadataFieldRequest,
};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// Custom metadata fields; see [`Client::custom_metadata_fields`].
#[derive(Debug, Clone, Copy)]
pub struct CustomMetadataFields<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> CustomMetadataFields<'a> {
    /// `GET /v1/customMetadataFields` (`folderPath`, `includeDeleted`).
    pub fn list(&self, query: ListCustomMetadataFieldsQuery) -> Call<Vec<CustomMetadataField>> {
        Call::json(self.client, Endpoint::get("/v1/customMetadataFields").query(&query))
    }

    /// `POST /v1/customMetadataFields`.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{CreateCustomMetadataFieldRequest, FieldSchema, FieldType};
    /// let field = client
    ///     .custom_metadata_fields()
    ///     .create(CreateCustomMetadataFieldRequest::new("price", "Price", FieldSchema::new(FieldType::Number)))
    ///     .await?;
    /// # let _ = field; Ok(()) }
    /// ```
    pub fn create(&self, body: CreateCustomMetadataFieldRequest) -> Call<CustomMetadataField> {
        Call::json(self.client, Endpoint::post("/v1/customMetadataFields").json(&body))
    }

    /// `PATCH /v1/customMetadataFields/{id}`.
    pub fn update(&self, id: &str, body: UpdateCustomMetadataFieldRequest) -> Call<CustomMetadataField> {
        let ep =
            path_param("id", id).and_then(|id| Endpoint::patch(format!("/v1/customMetadataFields/{id}")).json(&body));
        Call::json(self.client, ep)
    }

    /// `DELETE /v1/customMetadataFields/{id}`.
    pub fn delete(&self, id: &str) -> Call<EmptyResponse> {
        let ep = path_param("id", id).map(|id| Endpoint::delete(format!("/v1/customMetadataFields/{id}")));
        Call::json(self.client, ep)
    }
}
