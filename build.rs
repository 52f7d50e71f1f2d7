//! Records when the program was built, so the domain can ask for the manager's confirmation
//! when a new station's first event is dated years past it (a CMOS clock set far ahead).
//! `SOURCE_DATE_EPOCH` (seconds) makes the build reproducible; otherwise the build's own time.

use std::time::{SystemTime, UNIX_EPOCH};

// The build's own time is what this script exists to record; the program itself reads the
// clock only through `aixin::config::now_ms`.
#[allow(clippy::disallowed_methods)]
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let ms = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(|secs| secs.saturating_mul(1000))
        .or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()
                .and_then(|d| i64::try_from(d.as_millis()).ok())
        })
        .unwrap_or(0);
    println!("cargo:rustc-env=AIXIN_BUILD_MS={ms}");
}
