//! Village ↔ township sync by USB: station keys, the signed and encrypted bundle container,
//! and the commands that export and import bundles.

pub mod bundle;
pub mod commands;
pub mod keys;
