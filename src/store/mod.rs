//! Turns the domain's events into redb transactions. One write path: a command is decided
//! against the derived state inside a write transaction, its events are hashed into the chain,
//! applied to the derived tables, and committed together — all of it or none.

pub mod codec;
pub mod ledger;
pub mod pins;
pub mod scoped;
pub mod snapshot;
pub mod tables;
pub mod verify;

pub use ledger::{Ledger, StoreError};
