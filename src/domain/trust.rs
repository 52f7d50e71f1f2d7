//! Trust between stations, as two small rules that the sync layer and the command line ask
//! instead of deciding: the role in which a station enrolls a peer (a village trusts its
//! township, a township its villages), and whether a revoked key still vouches for a bundle
//! written at a given time (it does not from the moment of revocation on). The roster itself —
//! who is enrolled, with which keys, since when — is [`super::roster`]. Source: PRODUCT.md,
//! "Village and township" (keys are enrolled after reading the fingerprint over the phone; a
//! stolen laptop's key is revoked from a date).

use super::event::StationRole;
use super::roster::KeyEpoch;

/// The role of the peer a station of role `own` enrolls by default: the other one.
pub fn peer_role(own: StationRole) -> StationRole {
    match own {
        StationRole::Village => StationRole::Township,
        StationRole::Township => StationRole::Village,
    }
}

/// When `key` was revoked, if that refuses a bundle its holder wrote at `written_ms` (the
/// bundle header's `created_ms`): bundles written at or after the revocation are refused.
pub fn revoked_for(key: &KeyEpoch, written_ms: i64) -> Option<i64> {
    key.revoked_from_ms.filter(|from_ms| written_ms >= *from_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_enrolls_the_other() {
        assert_eq!(peer_role(StationRole::Village), StationRole::Township);
        assert_eq!(peer_role(StationRole::Township), StationRole::Village);
    }

    #[test]
    fn a_revoked_key_refuses_bundles_from_the_revocation_on() {
        let mut key = KeyEpoch {
            verifying_key: [7; 32],
            age_recipient: "age1x".into(),
            enrolled_ms: 1_000,
            revoked_from_ms: None,
        };
        assert_eq!(revoked_for(&key, 5_000), None);
        key.revoked_from_ms = Some(5_000);
        assert_eq!(revoked_for(&key, 4_999), None);
        assert_eq!(revoked_for(&key, 5_000), Some(5_000));
        assert_eq!(revoked_for(&key, 9_000), Some(5_000));
    }
}
