//! `client.custom_metadata_fields()`: the schema of custom metadata.

use imagekit_types::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, EmptyResponse, ListCustomMetadataFieldsQuery,
    UpdateCustomMetadataFieldRequest,
};

use crate::Client;
use crate::operations::{
    CUSTOM_METADATA_FIELDS_CREATE, CUSTOM_METADATA_FIELDS_DELETE, CUSTOM_METADATA_FIELDS_LIST,
    CUSTOM_METADATA_FIELDS_UPDATE,
};
use crate::request::{Call, Endpoint};

/// Custom metadata fields; see [`Client::custom_metadata_fields`].
#[derive(Debug, Clone, Copy)]
pub struct CustomMetadataFields<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> CustomMetadataFields<'a> {
    /// The fields ([`CUSTOM_METADATA_FIELDS_LIST`]; `folderPath`, `includeDeleted`).
    pub fn list(&self, query: ListCustomMetadataFieldsQuery) -> Call<Vec<CustomMetadataField>> {
        Call::json(self.client, Endpoint::for_op(&CUSTOM_METADATA_FIELDS_LIST, &[]).and_then(|ep| ep.query(&query)))
    }

    /// Create a field ([`CUSTOM_METADATA_FIELDS_CREATE`]).
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
        Call::json(self.client, Endpoint::for_op(&CUSTOM_METADATA_FIELDS_CREATE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// Update a field ([`CUSTOM_METADATA_FIELDS_UPDATE`]).
    pub fn update(&self, id: &str, body: UpdateCustomMetadataFieldRequest) -> Call<CustomMetadataField> {
        Call::json(self.client, Endpoint::for_op(&CUSTOM_METADATA_FIELDS_UPDATE, &[id]).and_then(|ep| ep.json(&body)))
    }

    /// Delete a field ([`CUSTOM_METADATA_FIELDS_DELETE`]).
    pub fn delete(&self, id: &str) -> Call<EmptyResponse> {
        Call::json(self.client, Endpoint::for_op(&CUSTOM_METADATA_FIELDS_DELETE, &[id]))
    }
}
