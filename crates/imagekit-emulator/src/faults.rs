//! TODO(emulator): fault injection, being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{Req, Resp};

/// A fault to answer `req` with instead of handling it, if any.
pub async fn before(state: &State, req: &Req) -> Option<Resp> {
    None
}
