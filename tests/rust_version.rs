//! `rust-version` in Cargo.toml says what the locked dependencies really need (issue 12): it is
//! the highest `rust-version` any locked package declares, no lower (a build with that toolchain
//! would fail) and no higher (it would turn away a toolchain that builds aixin). Read from
//! `cargo metadata --locked`, so the check follows Cargo.lock.

use std::process::Command;

fn version(text: &str) -> Vec<u64> {
    text.split('.').filter_map(|p| p.parse().ok()).collect()
}

#[test]
fn rust_version_is_the_highest_any_locked_dependency_declares() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let packages = metadata["packages"].as_array().expect("packages");
    let mut ours = None;
    let mut highest: Option<(Vec<u64>, String)> = None;
    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        let Some(declared) = package["rust_version"].as_str() else {
            continue;
        };
        if name == "aixin" {
            ours = Some(version(declared));
            continue;
        }
        if highest.as_ref().is_none_or(|(v, _)| version(declared) > *v) {
            highest = Some((version(declared), format!("{name} {declared}")));
        }
    }
    let ours = ours.expect("aixin declares a rust-version");
    let (needed, by) = highest.expect("some dependency declares one");
    // Compare as major.minor: "1.90" and "1.90.0" are the same requirement.
    let minor = |v: &[u64]| v.iter().take(2).copied().collect::<Vec<_>>();
    assert_eq!(
        minor(&ours),
        minor(&needed),
        "Cargo.toml's rust-version should be what {by} needs"
    );
}
