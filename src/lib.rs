//! aixin: the till and ledger of a village love supermarket (爱心超市).
//!
//! Households earn points from the village committee's scores and spend them on donated goods.
//! The crate is a functional core with thin shells: [`domain`] holds the scheme rules and knows
//! nothing of files or clocks; [`store`] commits the domain's events and derived indexes to redb
//! in one transaction; [`sync`] carries signed bundles between village and township; [`report`]
//! turns the ledger into day logs and boards; [`receipt`] lays out and prints the receipts of
//! sales and voids; [`publish`] streams a township's verified events into PostgreSQL; [`cli`]
//! and [`tui`] are the two front doors.
#![forbid(unsafe_code)]

/// The allocator of every binary built on this library (the till, the bench, the tests):
/// mimalloc. A sale decodes and encodes its records and redb copies the pages it touches,
/// allocating and freeing dozens of small buffers; glibc's allocator spent about a sixth of a
/// sale's CPU on them (`perf`, 2026-12-01). Measured with `aixin-bench sale-probe` on a
/// tmpfs, 20,000 sales, two runs each: 48.1 / 48.3 µs with glibc's against 44.2 / 44.7 µs
/// at 100,000 events, 59.7 / 59.8 µs against 52.9 / 54.7 µs at 1,000,000.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod policies;
pub mod publish;
pub mod receipt;
pub mod report;
pub mod store;
pub mod sync;
pub mod tui;
