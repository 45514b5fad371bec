//! Serde models of every request body and response of the ImageKit.io API.
