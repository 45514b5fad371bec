//! `client.saved_extensions()`: extension configurations stored by name.

use imagekit_types::{CreateSavedExtensionRequest, SavedExtension, UpdateSavedExtensionRequest};

use crate::resources::crud::crud;

crud!(
    /// Saved extensions; see [`Client::saved_extensions`](crate::Client::saved_extensions).
    /// `update` is a PATCH that changes only the fields set.
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
    SavedExtensions,
    [
        SAVED_EXTENSIONS_LIST,
        SAVED_EXTENSIONS_CREATE,
        SAVED_EXTENSIONS_GET,
        SAVED_EXTENSIONS_UPDATE,
        SAVED_EXTENSIONS_DELETE
    ],
    CreateSavedExtensionRequest,
    UpdateSavedExtensionRequest,
    SavedExtension
);
