//! Village ↔ township sync by USB: station keys, the signed and encrypted bundle container,
//! the payload inside it, export and import against the ledger (with gap, fork and replay
//! detection), the bundle files on the stick and in the held folder, the review of a bundle
//! before it is imported, and the USB operations the command line and the till share. Sync
//! knows nothing of either front door: they call it and print or draw what it returns.

pub mod bundle;
pub mod error;
pub mod exchange;
pub mod files;
pub mod keys;
pub mod payload;
pub mod peers;
pub mod review;
pub mod stick;
pub mod usb;

/// Transitional alias: the township's consolidation is a report and lives in
/// [`crate::report::township`]; the till still names it by this path. Remove once the till
/// imports `crate::report::township`.
pub use crate::report::township;

pub use error::SyncError;
pub use exchange::{export_bundles, import_bundle, Applied, ImportOutcome, OutBundle};
