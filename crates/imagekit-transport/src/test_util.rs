//! Test transports (placeholder, filled in next).
