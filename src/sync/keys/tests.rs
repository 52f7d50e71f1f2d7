//! Unit tests of station keys: generation, the key files on disk (private, never
//! overwritten, damage named), the public key line and its fingerprint.

use super::*;

fn sample_public() -> PublicKeys {
    PublicKeys {
        station_id: "V001".into(),
        verifying: [7u8; 32],
        age_recipient: "age1example".into(),
    }
}

#[test]
fn a_spoken_fingerprint_matches_however_it_is_typed() {
    let public = sample_public();
    let fp = public.fingerprint();
    assert!(public.fingerprint_matches(&fp));
    assert!(public.fingerprint_matches(&fp.replace('-', " ").to_uppercase()));
    assert!(!public.fingerprint_matches("aaaa-bbbb-cccc-dddd"));
    assert!(!public.fingerprint_matches(""));
}

#[test]
fn generate_save_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let keys = StationKeys::generate();
    keys.save(dir.path()).unwrap();
    let loaded = StationKeys::load(dir.path()).unwrap();
    assert_eq!(keys.public("V001"), loaded.public("V001"));
    assert_eq!(
        keys.signing.to_bytes(),
        loaded.signing.to_bytes(),
        "signing key survives the trip"
    );
    // No temp files are left behind.
    let mut names: Vec<_> = fs::read_dir(dir.path().join(KEYS_DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [AGE_KEY_FILE, SIGNING_KEY_FILE]);
}

#[cfg(unix)]
#[test]
fn key_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    StationKeys::generate().save(dir.path()).unwrap();
    for name in [SIGNING_KEY_FILE, AGE_KEY_FILE] {
        let mode = fs::metadata(dir.path().join(KEYS_DIR).join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    let mode = fs::metadata(dir.path().join(KEYS_DIR))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn save_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let first = StationKeys::generate();
    first.save(dir.path()).unwrap();
    let signing_before = fs::read(dir.path().join(KEYS_DIR).join(SIGNING_KEY_FILE)).unwrap();
    let err = StationKeys::generate().save(dir.path()).unwrap_err();
    assert!(matches!(err, KeyError::Exists { .. }), "{err}");
    assert!(err.to_string().contains("signing.key"), "{err}");
    let signing_after = fs::read(dir.path().join(KEYS_DIR).join(SIGNING_KEY_FILE)).unwrap();
    assert_eq!(signing_before, signing_after);
    let loaded = StationKeys::load(dir.path()).unwrap();
    assert_eq!(loaded.public("V"), first.public("V"));
}

#[test]
fn save_refuses_when_only_one_key_exists() {
    let dir = tempfile::tempdir().unwrap();
    let keys_dir = dir.path().join(KEYS_DIR);
    fs::create_dir_all(&keys_dir).unwrap();
    fs::write(keys_dir.join(AGE_KEY_FILE), b"x").unwrap();
    let err = StationKeys::generate().save(dir.path()).unwrap_err();
    assert!(matches!(err, KeyError::Exists { .. }), "{err}");
    assert!(!keys_dir.join(SIGNING_KEY_FILE).exists());
}

#[test]
fn load_reports_missing_and_damaged_files() {
    let dir = tempfile::tempdir().unwrap();
    let err = StationKeys::load(dir.path()).unwrap_err();
    assert!(matches!(err, KeyError::Missing { .. }), "{err}");

    StationKeys::generate().save(dir.path()).unwrap();
    let signing = dir.path().join(KEYS_DIR).join(SIGNING_KEY_FILE);
    fs::write(&signing, b"AIXIN-ED25519-SECRET-KEY-1:zz\n").unwrap();
    let err = StationKeys::load(dir.path()).unwrap_err();
    assert!(matches!(err, KeyError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("signing.key"), "{err}");

    StationKeys::generate()
        .save(&dir.path().join("other"))
        .unwrap();
    fs::copy(
        dir.path()
            .join("other")
            .join(KEYS_DIR)
            .join(SIGNING_KEY_FILE),
        &signing,
    )
    .unwrap();
    fs::write(dir.path().join(KEYS_DIR).join(AGE_KEY_FILE), [0xffu8; 40]).unwrap();
    let err = StationKeys::load(dir.path()).unwrap_err();
    assert!(matches!(err, KeyError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("age.key"), "{err}");
}

#[test]
fn debug_does_not_show_secrets() {
    let keys = StationKeys::generate();
    let shown = format!("{keys:?}");
    assert!(!shown.contains(&hex(keys.signing.as_bytes())));
    assert!(!shown.contains("AGE-SECRET-KEY"));
}

#[test]
fn base32_matches_rfc4648_vectors() {
    let cases: [(&[u8], &str); 7] = [
        (b"", ""),
        (b"f", "my"),
        (b"fo", "mzxq"),
        (b"foo", "mzxw6"),
        (b"foob", "mzxw6yq"),
        (b"fooba", "mzxw6ytb"),
        (b"foobar", "mzxw6ytboi"),
    ];
    for (input, expected) in cases {
        assert_eq!(base32_lower(input), expected);
    }
}

#[test]
fn fingerprint_is_stable_and_short() {
    let public = sample_public();
    let fp = public.fingerprint();
    assert_eq!(fp, public.fingerprint());
    // Pinned: the fingerprint is compared across versions and over the phone.
    assert_eq!(fp, "xyk4-betd-doyk-vgc7");
    assert_eq!(fp.len(), 19);
    assert!(fp
        .chars()
        .all(|c| c == '-' || c.is_ascii_lowercase() || ('2'..='7').contains(&c)));
}

#[test]
fn fingerprint_differs_between_stations() {
    let a = StationKeys::generate().public("V001");
    let b = StationKeys::generate().public("V001");
    assert_ne!(a.fingerprint(), b.fingerprint());
    let mut c = sample_public();
    c.verifying[0] ^= 1;
    assert_ne!(c.fingerprint(), sample_public().fingerprint());
}

#[test]
fn public_line_round_trip() {
    let public = StationKeys::generate().public("430521-101.a_b");
    let line = public.to_line();
    assert!(line.starts_with("aixin-pub1:430521-101.a_b:"));
    assert_eq!(PublicKeys::parse_line(&line).unwrap(), public);
    assert_eq!(
        PublicKeys::parse_line(&format!("  {line}\r\n")).unwrap(),
        public
    );
    let upper_hex = line.replace(
        &hex(&public.verifying),
        &hex(&public.verifying).to_uppercase(),
    );
    assert_eq!(PublicKeys::parse_line(&upper_hex).unwrap(), public);
}

#[test]
fn public_line_rejects_garbage() {
    let good = StationKeys::generate().public("V001").to_line();
    let fields: Vec<&str> = good.split(':').collect();
    let hex_key = fields[2];
    let recipient = fields[3];
    let cases = vec![
        String::new(),
        "hello".into(),
        "aixin-pub1".into(),
        format!("aixin-pub2:V001:{hex_key}:{recipient}"),
        format!("aixin-pub1::{hex_key}:{recipient}"),
        format!("aixin-pub1:V 001:{hex_key}:{recipient}"),
        format!("aixin-pub1:村一:{hex_key}:{recipient}"),
        format!("aixin-pub1:{}:{hex_key}:{recipient}", "V".repeat(65)),
        format!("aixin-pub1:V001:{}:{recipient}", &hex_key[..62]),
        format!("aixin-pub1:V001:{}zz:{recipient}", &hex_key[..62]),
        format!("aixin-pub1:V001:{hex_key}:age1notakey"),
        format!("aixin-pub1:V001:{hex_key}:"),
        format!("aixin-pub1:V001:{hex_key}:{recipient}:extra"),
        format!("aixin-pub1:V001:{}:{recipient}", "00".repeat(32)),
        format!("aixin-pub1:V001:{hex_key}:{}", "a".repeat(2000)),
    ];
    for case in cases {
        assert!(PublicKeys::parse_line(&case).is_err(), "accepted {case:?}");
    }
    assert!(PublicKeys::parse_line(&good).is_ok());
}

#[test]
fn station_id_rules() {
    for ok in ["V001", "a", "430521101201", "v.1_2-3", &"x".repeat(64)] {
        assert_eq!(validate_station_id(ok), Ok(()), "{ok}");
    }
    for bad in ["", "-V", ".V", "V 1", "V/1", "V:1", "村", &"x".repeat(65)] {
        assert!(validate_station_id(bad).is_err(), "{bad}");
    }
}
