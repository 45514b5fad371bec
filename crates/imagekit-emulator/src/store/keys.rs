//! The records table and its keys: `kind/id`, one kind per record type and
//! document collection.

use redb::TableDefinition;

/// One table: key `kind/id`, value the record's JSON.
pub(super) const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");

/// The kinds of free-form documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    /// Custom metadata fields.
    CustomMetadataFields,
    /// Saved extensions.
    SavedExtensions,
    /// Named transformations.
    NamedTransformations,
    /// Origins.
    Origins,
    /// URL endpoints.
    UrlEndpoints,
    /// Account webhooks.
    Webhooks,
}

impl Collection {
    pub(super) fn prefix(self) -> &'static str {
        match self {
            Collection::CustomMetadataFields => "cmf",
            Collection::SavedExtensions => "ext",
            Collection::NamedTransformations => "ntr",
            Collection::Origins => "origin",
            Collection::UrlEndpoints => "urlep",
            Collection::Webhooks => "webhook",
        }
    }

    pub(super) const ALL: [Collection; 6] = [
        Collection::CustomMetadataFields,
        Collection::SavedExtensions,
        Collection::NamedTransformations,
        Collection::Origins,
        Collection::UrlEndpoints,
        Collection::Webhooks,
    ];
}

/// The key of one record in the table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    File(String),
    Folder(String),
    Job(String),
    Doc(Collection, String),
    Token(String),
}

impl Key {
    pub(super) fn text(&self) -> String {
        match self {
            Key::File(id) => format!("file/{id}"),
            Key::Folder(p) => format!("folder/{p}"),
            Key::Job(id) => format!("job/{id}"),
            Key::Doc(c, id) => format!("{}/{id}", c.prefix()),
            Key::Token(t) => format!("token/{t}"),
        }
    }
}
