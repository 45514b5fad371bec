//! TODO(emulator): the searchQuery parser, being written.
