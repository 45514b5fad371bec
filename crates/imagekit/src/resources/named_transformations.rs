//! `client.named_transformations()`: transformations used in URLs as `tr:n-<name>`.

use imagekit_types::{CreateNamedTransformationRequest, NamedTransformation, UpdateNamedTransformationRequest};

use crate::resources::crud::crud;

crud!(
    /// Named transformations; see [`Client::named_transformations`](crate::Client::named_transformations).
    /// `update` is a PATCH that changes only the fields set.
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
    NamedTransformations,
    [
        NAMED_TRANSFORMATIONS_LIST,
        NAMED_TRANSFORMATIONS_CREATE,
        NAMED_TRANSFORMATIONS_GET,
        NAMED_TRANSFORMATIONS_UPDATE,
        NAMED_TRANSFORMATIONS_DELETE
    ],
    CreateNamedTransformationRequest,
    UpdateNamedTransformationRequest,
    NamedTransformation
);
