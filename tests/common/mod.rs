//! The integration tests' one fixture family, compiled into each test crate that declares
//! `mod common;`:
//!
//! - [`cli`]: the real `aixin` binary on a temp data dir, refusals that leave the ledger as it
//!   was, a one-household shop;
//! - [`disk`]: a simulated disk under a ledger (crash images, ENOSPC and EIO at chosen writes)
//!   and a digest of everything a ledger answers;
//! - [`scenario`]: a village's six kinds of write, for the crash and disk-fault tests;
//! - [`sync`]: village and township stations driven through the library, with their keys;
//! - [`till`]: a small fixed station and a till on it, drawn into a `TestBackend`.
//!
//! Each test uses only part of it, hence `dead_code` is allowed here.
#![allow(dead_code)]

pub mod cli;
pub mod disk;
pub mod scenario;
pub mod sync;
pub mod till;
