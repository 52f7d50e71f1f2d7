//! Village ↔ township sync by USB: station keys, the signed and encrypted bundle container,
//! the payload inside it, export and import against the ledger (with gap, fork and replay
//! detection), the bundle files on the stick and in the held folder, the township's
//! consolidated view of its villages, the USB operations the CLI and the till share, and the
//! commands that drive all of it.

pub mod bench;
pub mod bundle;
pub mod commands;
pub mod error;
pub mod exchange;
pub mod files;
pub mod keys;
pub mod payload;
pub mod peers;
pub mod township;
pub mod usb;

pub use error::SyncError;
pub use exchange::{export_bundles, import_bundle, Applied, ImportOutcome, OutBundle};
