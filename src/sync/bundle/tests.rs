//! Unit, property and tamper tests of the bundle container: round trips, every refusal of
//! [`super::verify_bundle`] and [`super::peek_header`], and byte flips that must never pass.

use super::*;
use proptest::prelude::*;
use std::sync::OnceLock;

struct Fixture {
    village: StationKeys,
    township: StationKeys,
    header: BundleHeader,
    payload: Vec<u8>,
    bundle: Vec<u8>,
}

fn header() -> BundleHeader {
    BundleHeader {
        sender: "V001".into(),
        recipient: "T01".into(),
        first_seq: 1,
        last_seq: 200,
        prev_head_hash: [9u8; 32],
        created_ms: 1_735_689_600_000,
        event_count: 200,
        kind: BundleKind::VillageEvents,
    }
}

/// One small bundle, built once: V001 -> T01 with a ~100 byte payload.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let village = StationKeys::generate();
        let township = StationKeys::generate();
        let header = header();
        let payload: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(37)).collect();
        let recipient = township.public("T01").age_recipient;
        let bundle = write_bundle(&header, &payload, &village, &recipient).unwrap();
        Fixture {
            village,
            township,
            header,
            payload,
            bundle,
        }
    })
}

fn trusted(f: &Fixture) -> impl Fn(&str) -> Option<[u8; 32]> + '_ {
    move |id: &str| (id == "V001").then(|| f.village.public("V001").verifying)
}

fn read(bytes: &[u8]) -> Result<(BundleHeader, Vec<u8>), BundleError> {
    let f = fixture();
    read_bundle(bytes, &trusted(f), &f.township)
}

#[test]
fn round_trip() {
    let f = fixture();
    let (header, payload) = read(&f.bundle).unwrap();
    assert_eq!(header, f.header);
    assert_eq!(payload, f.payload);
    assert_eq!(read_header(&f.bundle, &trusted(f)).unwrap(), f.header);
    // The layout documented in docs/bundle-format.md.
    let b = &f.bundle;
    assert_eq!(&b[..8], b"AIXINBDL");
    assert_eq!(&b[8..10], &1u16.to_le_bytes());
    let h = u32::from_le_bytes(b[10..14].try_into().unwrap()) as usize;
    assert_eq!(h, 69 + "V001".len() + "T01".len());
    assert_eq!(b[14], 1, "kind");
    assert_eq!(&b[15..17], &4u16.to_le_bytes());
    assert_eq!(&b[17..21], b"V001");
    let p = u64::from_le_bytes(b[14 + h..22 + h].try_into().unwrap()) as usize;
    assert_eq!(b.len(), 86 + h + p);
    assert!(b[22 + h..].starts_with(b"age-encryption.org/v1\n"));
    assert!(f.bundle.len() < 1024, "small enough for a fast flip test");
}

#[test]
fn round_trip_empty_and_township_reply() {
    let f = fixture();
    let mut header = header();
    header.sender = "T01".into();
    header.recipient = "V001".into();
    header.kind = BundleKind::TownshipReply;
    header.event_count = 0;
    header.created_ms = -5;
    let bytes = write_bundle(
        &header,
        b"",
        &f.township,
        &f.village.public("V001").age_recipient,
    )
    .unwrap();
    let trust = |id: &str| (id == "T01").then(|| f.township.public("T01").verifying);
    let (got, payload) = read_bundle(&bytes, &trust, &f.village).unwrap();
    assert_eq!(got, header);
    assert!(payload.is_empty());
}

#[test]
fn wrong_recipient_key_cannot_decrypt() {
    let f = fixture();
    let stranger = StationKeys::generate();
    assert_eq!(
        read_bundle(&f.bundle, &trusted(f), &stranger),
        Err(BundleError::NotForUs)
    );
    // The header is still readable for routing.
    assert!(read_header(&f.bundle, &trusted(f)).is_ok());
}

#[test]
fn unknown_sender_is_refused() {
    let f = fixture();
    let nobody = |_: &str| None;
    assert_eq!(
        read_bundle(&f.bundle, &nobody, &f.township),
        Err(BundleError::UnknownSender("V001".into()))
    );
    assert_eq!(
        read_header(&f.bundle, &nobody),
        Err(BundleError::UnknownSender("V001".into()))
    );
}

#[test]
fn wrong_sender_key_is_a_bad_signature() {
    let f = fixture();
    let impostor = StationKeys::generate().public("V001").verifying;
    let trust = move |_: &str| Some(impostor);
    assert_eq!(
        read_bundle(&f.bundle, &trust, &f.township),
        Err(BundleError::BadSignature)
    );
    // A key that is not even a curve point is refused the same way, without panicking.
    let mut junk = [0xffu8; 32];
    junk[31] = 0x7f;
    let trust = move |_: &str| Some(junk);
    assert!(read_header(&f.bundle, &trust).is_err());
}

#[test]
fn every_single_byte_flip_is_refused() {
    let f = fixture();
    for i in 0..f.bundle.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bytes = f.bundle.clone();
            bytes[i] ^= mask;
            let result = read(&bytes);
            assert!(result.is_err(), "flip {mask:#x} at byte {i} accepted");
        }
    }
}

#[test]
fn every_truncation_is_refused() {
    let f = fixture();
    for len in 0..f.bundle.len() {
        let result = read(&f.bundle[..len]);
        assert!(result.is_err(), "truncation to {len} bytes accepted");
    }
    assert_eq!(read(&f.bundle[..5]), Err(BundleError::Truncated));
    assert_eq!(read(&[]), Err(BundleError::Truncated));
    assert_eq!(
        read(&f.bundle[..f.bundle.len() - 1]),
        Err(BundleError::Truncated)
    );
}

#[test]
fn trailing_bytes_are_refused() {
    let f = fixture();
    for extra in [&[0u8][..], b"\n", &[0u8; 64], &[0u8; 1000]] {
        let mut bytes = f.bundle.clone();
        bytes.extend_from_slice(extra);
        assert_eq!(read(&bytes), Err(BundleError::TrailingBytes));
    }
    // A whole second bundle glued on is refused too.
    let doubled = [f.bundle.clone(), f.bundle.clone()].concat();
    assert_eq!(read(&doubled), Err(BundleError::TrailingBytes));
}

#[test]
fn checks_come_in_order() {
    let f = fixture();
    assert_eq!(read(b"PK\x03\x04zipfile"), Err(BundleError::BadMagic));
    let mut v2 = f.bundle.clone();
    v2[8..10].copy_from_slice(&2u16.to_le_bytes());
    assert_eq!(read(&v2), Err(BundleError::UnsupportedVersion(2)));
    let mut big_header = f.bundle.clone();
    big_header[10..14].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        read(&big_header),
        Err(BundleError::MalformedHeader(_))
    ));
    let mut bad_kind = f.bundle.clone();
    bad_kind[14] = 9;
    assert_eq!(
        read(&bad_kind),
        Err(BundleError::MalformedHeader("unknown bundle kind"))
    );
    // Limit is checked first of all.
    assert_eq!(
        open(&f.bundle, &trusted(f), 100).map(|(h, _)| h),
        Err(BundleError::TooLarge)
    );
}

#[test]
fn writer_refuses_bad_headers_and_keys() {
    let f = fixture();
    let recipient = f.township.public("T01").age_recipient;
    let mut bad = header();
    bad.sender = "V 001".into();
    assert!(matches!(
        write_bundle(&bad, b"x", &f.village, &recipient),
        Err(BundleError::UnfitStationId(id)) if id == "V 001"
    ));
    let mut bad = header();
    bad.recipient = "x".repeat(65);
    assert!(matches!(
        write_bundle(&bad, b"x", &f.village, &recipient),
        Err(BundleError::UnfitStationId(_))
    ));
    let mut bad = header();
    bad.last_seq = BUNDLE_SEQ_MAX + 1;
    assert!(matches!(
        write_bundle(&bad, b"x", &f.village, &recipient),
        Err(BundleError::MalformedHeader(_))
    ));
    assert_eq!(
        write_bundle(&header(), b"x", &f.village, "age1nope"),
        Err(BundleError::BadRecipientKey)
    );
}

#[test]
fn signed_garbage_ciphertext_fails_cleanly() {
    // Only a trusted sender can reach the decryptor; even so, junk must not panic.
    let f = fixture();
    let header_bytes = encode_header(&f.header).unwrap();
    for junk in [&b""[..], b"age-encryption.org/v1\n", &[0u8; 300]] {
        let bytes = seal(&header_bytes, junk, &f.village).unwrap();
        assert_eq!(read(&bytes), Err(BundleError::DecryptFailed));
    }
}

#[test]
fn file_names_are_safe_and_sort_by_sender_then_seq() {
    let mut names = Vec::new();
    for (sender, first, last) in [
        ("V002", 1, 5),
        ("V001", 201, 350),
        ("V001", 1, 200),
        ("V001", 9, 10),
        ("T01", 1, 1),
    ] {
        let mut h = header();
        h.sender = sender.into();
        h.first_seq = first;
        h.last_seq = last;
        names.push(((sender, first), bundle_file_name(&h)));
    }
    let mut by_name = names.clone();
    by_name.sort_by(|a, b| a.1.cmp(&b.1));
    let mut by_key = names.clone();
    by_key.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(by_name, by_key);

    let name = bundle_file_name(&header());
    assert!(
        name.starts_with("V001-000000000001-000000000200-"),
        "{name}"
    );
    assert!(name.ends_with(".axb"));

    let mut long = header();
    long.sender = "x".repeat(64);
    long.first_seq = u64::MAX;
    long.last_seq = u64::MAX;
    let mut weird = header();
    weird.sender = ".村/..\\:*?".into();
    for h in [header(), long, weird] {
        let name = bundle_file_name(&h);
        assert!(name.len() < 64, "{name}");
        assert!(!name.starts_with('.'), "{name}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')),
            "{name}"
        );
    }
}

#[test]
fn file_names_differ_by_recipient_and_time() {
    let a = header();
    let mut b = header();
    b.recipient = "T02".into();
    let mut c = header();
    c.created_ms += 1;
    let names = [
        bundle_file_name(&a),
        bundle_file_name(&b),
        bundle_file_name(&c),
    ];
    assert_ne!(names[0], names[1]);
    assert_ne!(names[0], names[2]);
    assert_eq!(bundle_file_name(&a), bundle_file_name(&header()));
}

#[test]
fn messages_are_one_line() {
    let all = [
        BundleError::TooLarge,
        BundleError::Truncated,
        BundleError::BadMagic,
        BundleError::UnsupportedVersion(3),
        BundleError::MalformedHeader("x"),
        BundleError::UnknownSender("V9".into()),
        BundleError::BadSignature,
        BundleError::NotForUs,
        BundleError::DecryptFailed,
        BundleError::TrailingBytes,
        BundleError::BadRecipientKey,
        BundleError::EncryptFailed,
    ];
    for e in all {
        let text = e.to_string();
        assert!(!text.contains('\n') && text.len() < 100, "{text}");
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Xor(usize, u8),
    Set(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Remove(usize),
    Append(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(i, m)| Mutation::Xor(i, m)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
        proptest::collection::vec(any::<u8>(), 1..80).prop_map(Mutation::Append),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    match *m {
        Mutation::Xor(i, mask) if n > 0 => bytes[i % n] ^= mask,
        Mutation::Set(i, b) if n > 0 => bytes[i % n] = b,
        Mutation::Truncate(i) => bytes.truncate(i % (n + 1)),
        Mutation::Insert(i, b) => bytes.insert(i % (n + 1), b),
        Mutation::Remove(i) if n > 0 => {
            bytes.remove(i % n);
        }
        Mutation::Append(ref extra) => bytes.extend_from_slice(extra),
        _ => {}
    }
}

proptest! {
    #[test]
    fn mutated_bundles_never_pass(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let f = fixture();
        let mut bytes = f.bundle.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let result = read(&bytes);
        if bytes == f.bundle {
            prop_assert!(result.is_ok());
        } else {
            prop_assert!(result.is_err(), "mutations {:?} accepted", mutations);
            prop_assert!(read_header(&bytes, &trusted(f)).is_err());
        }
    }

    #[test]
    fn arbitrary_bytes_never_pass(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert!(read(&bytes).is_err());
        // Past magic and version, so the length and header checks see the noise.
        let mut prefixed = BUNDLE_MAGIC.to_vec();
        prefixed.extend_from_slice(&BUNDLE_FORMAT_VERSION.to_le_bytes());
        prefixed.extend_from_slice(&bytes);
        prop_assert!(read(&prefixed).is_err());
    }

    #[test]
    fn signed_arbitrary_ciphertext_never_panics(junk in proptest::collection::vec(any::<u8>(), 0..400)) {
        let f = fixture();
        let header_bytes = encode_header(&f.header).unwrap();
        let bytes = seal(&header_bytes, &junk, &f.village).unwrap();
        prop_assert!(read(&bytes).is_err());
    }

    #[test]
    fn any_valid_header_round_trips(
        sender in "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        recipient in "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        first_seq in 0..=BUNDLE_SEQ_MAX,
        last_seq in 0..=BUNDLE_SEQ_MAX,
        prev_head_hash in any::<[u8; 32]>(),
        created_ms in any::<i64>(),
        event_count in any::<u64>(),
        reply in any::<bool>(),
    ) {
        let header = BundleHeader {
            sender, recipient, first_seq, last_seq, prev_head_hash, created_ms, event_count,
            kind: if reply { BundleKind::TownshipReply } else { BundleKind::VillageEvents },
        };
        let encoded = encode_header(&header).unwrap();
        prop_assert!(encoded.len() <= 197);
        prop_assert_eq!(decode_header(&encoded).unwrap(), header.clone());
        let name = bundle_file_name(&header);
        prop_assert!(name.len() < 64);
    }
}
