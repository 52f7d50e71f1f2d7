//! Tampering at the import path: every single-byte flip and every truncation of a small
//! bundle is refused and leaves the ledger unchanged (event count and head hash of every
//! scope); random mutations never pass either.

mod common;

use aixin::sync::exchange::ImportOutcome;
use common::sync::*;
use proptest::prelude::*;

/// A small village bundle and a township that has enrolled the village.
fn fixture() -> (Station, Station, Vec<u8>) {
    let (mut village, township) = pair();
    village.run(T0, household("H1"));
    let bundle = village.export(T0 + HOUR).remove(0);
    (village, township, bundle.bytes)
}

#[test]
fn every_byte_flip_is_refused_and_changes_nothing() {
    let (_village, mut township, bytes) = fixture();
    assert!(
        bytes.len() < 2048,
        "small enough to flip every byte: {}",
        bytes.len()
    );
    let before = township.snapshot();
    for i in 0..bytes.len() {
        let mut tampered = bytes.clone();
        tampered[i] ^= 0x01;
        let result = township.import(&tampered, T0 + 2 * HOUR);
        assert!(result.is_err(), "flip at byte {i} accepted: {result:?}");
        assert_eq!(
            township.snapshot(),
            before,
            "flip at byte {i} changed the ledger"
        );
    }
    assert!(matches!(
        township.import(&bytes, T0 + 2 * HOUR),
        Ok(ImportOutcome::Applied(_))
    ));
}

#[test]
fn every_truncation_is_refused_and_changes_nothing() {
    let (_village, mut township, bytes) = fixture();
    let before = township.snapshot();
    for len in 0..bytes.len() {
        let result = township.import(&bytes[..len], T0 + 2 * HOUR);
        assert!(result.is_err(), "truncation to {len} accepted");
        assert_eq!(
            township.snapshot(),
            before,
            "truncation to {len} changed the ledger"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(township.import(&longer, T0).is_err());
    assert_eq!(township.snapshot(), before);
}

#[test]
fn every_refusal_has_a_one_line_message_in_both_languages() {
    let (_village, mut township, bytes) = fixture();
    let mut tampered = bytes.clone();
    tampered[bytes.len() / 2] ^= 0x80;
    for broken in [&tampered[..], &bytes[..40], b"not a bundle"] {
        let e = township.import(broken, T0).expect_err("refused");
        for lang in [aixin::i18n::Lang::Zh, aixin::i18n::Lang::En] {
            let message = e.message(lang);
            assert!(!message.is_empty() && !message.contains('\n'), "{message}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn mutated_bundles_never_reach_the_ledger(
        edits in proptest::collection::vec((any::<usize>(), 1..=255u8, 0..3u8), 1..5)
    ) {
        let (_village, mut township, bytes) = fixture();
        let before = township.snapshot();
        let mut mutated = bytes.clone();
        for (at, value, how) in &edits {
            let n = mutated.len();
            match how {
                0 if n > 0 => mutated[at % n] ^= value,
                1 => mutated.truncate(at % (n + 1)),
                _ => mutated.insert(at % (n + 1), *value),
            }
        }
        let result = township.import(&mutated, T0 + HOUR);
        if mutated == bytes {
            prop_assert!(result.is_ok());
        } else {
            prop_assert!(result.is_err(), "mutations {:?} accepted", edits);
            prop_assert_eq!(township.snapshot(), before);
        }
    }
}
