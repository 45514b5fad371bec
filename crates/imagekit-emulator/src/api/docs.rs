//! TODO(emulator): being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, ApiResult, Req};

fn todo() -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn usage(state: &State, req: &Req) -> ApiResult {
    todo()
}

/// Not written yet.
pub fn usage_analytics(state: &State, req: &Req) -> ApiResult {
    todo()
}

/// Not written yet.
pub mod saved_extensions {
    use super::*;

    /// Not written yet.
    pub fn list(state: &State) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn create(state: &State, req: &Req) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn get(state: &State, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn delete(state: &State, id: &str) -> ApiResult {
        todo()
    }
}

/// Not written yet.
pub mod named_transformations {
    use super::*;

    /// Not written yet.
    pub fn list(state: &State) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn create(state: &State, req: &Req) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn get(state: &State, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn delete(state: &State, id: &str) -> ApiResult {
        todo()
    }
}

/// Not written yet.
pub mod origins {
    use super::*;

    /// Not written yet.
    pub fn list(state: &State) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn create(state: &State, req: &Req) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn get(state: &State, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn delete(state: &State, id: &str) -> ApiResult {
        todo()
    }
}

/// Not written yet.
pub mod url_endpoints {
    use super::*;

    /// Not written yet.
    pub fn list(state: &State) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn create(state: &State, req: &Req) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn get(state: &State, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn delete(state: &State, id: &str) -> ApiResult {
        todo()
    }
}

/// Not written yet.
pub mod webhooks {
    use super::*;

    /// Not written yet.
    pub fn list(state: &State) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn create(state: &State, req: &Req) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn get(state: &State, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
        todo()
    }

    /// Not written yet.
    pub fn delete(state: &State, id: &str) -> ApiResult {
        todo()
    }
}
