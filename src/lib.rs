//! aixin: the till and ledger of a village love supermarket (爱心超市).
//!
//! Households earn points from the village committee's scores and spend them on donated goods.
//! The crate is a functional core with thin shells: [`domain`] holds the scheme rules and knows
//! nothing of files or clocks; [`store`] commits the domain's events and derived indexes to redb
//! in one transaction; [`sync`] carries signed bundles between village and township; [`report`]
//! turns the ledger into day logs and boards; [`receipt`] lays out and prints the receipts of
//! sales and voids; [`cli`] and [`tui`] are the two front doors.
#![forbid(unsafe_code)]

pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod policies;
pub mod receipt;
pub mod report;
pub mod store;
pub mod sync;
pub mod tui;
