//! `imagekit api <method> '<json>'`: every SDK method by its official dotted name.

/// The official dotted method names this command accepts.
pub const METHODS: &[&str] = &[];
