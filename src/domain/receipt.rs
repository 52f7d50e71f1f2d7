//! Receipts (小票) as the ledger numbers and checks them (PRODUCT.md, "Receipts can be checked";
//! issue 11). Every sale and every void issues one receipt. Receipts are numbered per station,
//! from 1 and without gaps, in the order of their events: the count lives in the station's
//! derived meta and is written by [`issue`] in the transaction that stores the event, so a
//! restart never skips or repeats a number, and the township, applying a village's events in
//! the village's scope with the same `apply`, gives every receipt the same number.
//!
//! Each receipt carries a verification code (校验码) taken from its event's hash: the first
//! 50 bits as 10 characters of Crockford's base32 (digits and capitals without I, L, O and U,
//! so nothing on the paper reads two ways), printed in two groups of five for reading aloud
//! (`K7QXM-2PD9A`). Typing is forgiving: lower case, spaces, dashes, full-width characters and
//! O/I/L for 0/1/1 are accepted. A code that nobody's event hashed to is a receipt the ledger
//! never issued; with 50 bits a made-up code matches a real one about once in 10¹⁵ tries per
//! receipt on file. Two real receipts sharing a code (about one chance in 2,000 among a
//! million receipts) are both kept and both found, each with its station and number.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::event::{Event, EventBody, Hash};
use super::state::{Fault, StateMut, StationMeta};

/// Characters in a verification code (5 bits each: 50 bits of the event hash).
pub const CODE_CHARS: usize = 10;

/// Characters per printed group of a code.
pub const CODE_GROUP_CHARS: usize = 5;

/// Crockford's base32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Whether an event issues a receipt: a sale (either layout) or a void.
pub fn issues_receipt(body: &EventBody) -> bool {
    matches!(
        body,
        EventBody::Redeemed { .. } | EventBody::RedeemedV1 { .. } | EventBody::SaleVoided { .. }
    )
}

/// A receipt as the derived state keeps it, keyed by its number: which event it is for and the
/// household's spendable balance around that event, which the event alone does not say (a
/// reprint months later shows the balance of the day). Everything else printed is read from
/// the event and the catalog when the receipt is printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRecord {
    /// The receipt number: 1, 2, 3… per station, sales and voids together.
    pub receipt_no: u64,
    /// The seq of the `Redeemed` or `SaleVoided` event.
    pub seq: u64,
    /// The household whose points moved.
    pub household_id: String,
    /// Spendable points before the event.
    pub balance_before_points: i64,
    /// Spendable points after it.
    pub balance_after_points: i64,
}

/// The household a receipt-issuing event is about and its balance before the event, read
/// before the event is applied; `None` for an event that issues no receipt.
pub(super) fn before(
    state: &dyn StateMut,
    body: &EventBody,
) -> Result<Option<(String, i64)>, Fault> {
    let household_id = match body {
        EventBody::Redeemed { household_id, .. } | EventBody::RedeemedV1 { household_id, .. } => {
            household_id.clone()
        }
        EventBody::SaleVoided { sale_seq, .. } => {
            state
                .sale(*sale_seq)?
                .ok_or_else(|| Fault(format!("void of unknown sale {sale_seq}")))?
                .household_id
        }
        _ => return Ok(None),
    };
    let balance = household_balance(state, &household_id)?;
    Ok(Some((household_id, balance)))
}

/// Issues the next receipt of the station for an event just applied: counts it in `meta` and
/// indexes it by number and by code.
pub(super) fn issue(
    state: &mut dyn StateMut,
    meta: &mut StationMeta,
    event: &Event,
    hash: &Hash,
    (household_id, balance_before_points): (String, i64),
) -> Result<(), Fault> {
    let receipt_no = meta.receipts_issued + 1;
    let balance_after_points = household_balance(state, &household_id)?;
    let record = ReceiptRecord {
        receipt_no,
        seq: event.seq,
        household_id,
        balance_before_points,
        balance_after_points,
    };
    if state.put_receipt(&record, &VerificationCode::of(hash))? {
        return Err(Fault(format!(
            "receipt {receipt_no} issued twice (event #{})",
            event.seq
        )));
    }
    meta.receipts_issued = receipt_no;
    Ok(())
}

fn household_balance(state: &dyn StateMut, household_id: &str) -> Result<i64, Fault> {
    state
        .household(household_id)?
        .map(|h| h.balance_points)
        .ok_or_else(|| Fault(format!("receipt for unknown household {household_id}")))
}

/// A receipt's verification code: [`CODE_CHARS`] Crockford base32 characters, kept without
/// the group dash (the index key), shown with it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VerificationCode(String);

/// Why typed text is not a verification code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Too few or too many letters and digits.
    #[error("{0} letters and digits, not {CODE_CHARS}")]
    Length(usize),
    /// A character that no code contains.
    #[error("'{0}' is not in a code")]
    Character(char),
}

impl VerificationCode {
    /// The code of an event with this hash: its first 50 bits, most significant first.
    pub fn of(hash: &Hash) -> VerificationCode {
        let mut head = [0u8; 8];
        head.copy_from_slice(&hash[..8]);
        let bits = u64::from_be_bytes(head) >> (64 - 5 * CODE_CHARS);
        let text = (0..CODE_CHARS)
            .rev()
            .map(|i| char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize]))
            .collect();
        VerificationCode(text)
    }

    /// Reads a code as a person types it: case, spaces, dashes and full-width forms do not
    /// matter, and O, I and L are read as 0, 1 and 1.
    pub fn parse(text: &str) -> Result<VerificationCode, CodeError> {
        let mut code = String::with_capacity(CODE_CHARS);
        let mut count = 0usize;
        for c in text.chars() {
            let c = half_width(c).to_ascii_uppercase();
            if c.is_whitespace() || c == '-' || c == '_' {
                continue;
            }
            let c = match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(CodeError::Character(c));
            }
            count += 1;
            if count <= CODE_CHARS {
                code.push(c);
            }
        }
        if count != CODE_CHARS {
            return Err(CodeError::Length(count));
        }
        Ok(VerificationCode(code))
    }

    /// The code without its dash: the key it is indexed by.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A full-width form (Ｋ７－) typed with a Chinese input method, as its ASCII character.
fn half_width(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.0.split_at(CODE_GROUP_CHARS.min(self.0.len()));
        write!(f, "{first}-{second}")
    }
}

impl Serialize for VerificationCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_the_hash_head_in_crockford_base32_grouped_five_and_five() {
        let mut hash = [0u8; 32];
        assert_eq!(VerificationCode::of(&hash).to_string(), "00000-00000");
        hash[..8].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(VerificationCode::of(&hash).to_string(), "ZZZZZ-ZZZZZ");
        // 0b00001_00010_00011 … : the first ten 5-bit groups of the hash, in order.
        let bits: u64 = (1..=10u64).fold(0, |acc, i| (acc << 5) | i) << 14;
        hash[..8].copy_from_slice(&bits.to_be_bytes());
        assert_eq!(VerificationCode::of(&hash).as_str(), "123456789A");
    }

    #[test]
    fn typing_is_forgiving_and_a_wrong_shape_is_refused() {
        let code = VerificationCode::parse("K7QXM-2PD9A").expect("code");
        assert_eq!(code.as_str(), "K7QXM2PD9A");
        for typed in ["k7qxm 2pd9a", "Ｋ７ＱＸＭ－２ＰＤ９Ａ", "  K7QXM2PD9A "] {
            assert_eq!(VerificationCode::parse(typed), Ok(code.clone()), "{typed}");
        }
        assert_eq!(
            VerificationCode::parse("OIL00-11111").map(|c| c.0),
            Ok("0110011111".into())
        );
        assert_eq!(
            VerificationCode::parse("K7QX-M2PD"),
            Err(CodeError::Length(8))
        );
        assert_eq!(
            VerificationCode::parse("K7QXM-2PD9AB"),
            Err(CodeError::Length(11))
        );
        assert_eq!(
            VerificationCode::parse("K7QXU-2PD9A"),
            Err(CodeError::Character('U'))
        );
        assert_eq!(
            VerificationCode::parse("K7QX码-2PD9A"),
            Err(CodeError::Character('码'))
        );
    }

    #[test]
    fn every_printed_code_reads_back_as_itself() {
        for seed in 0u8..=255 {
            let hash = [seed.wrapping_mul(37).wrapping_add(11); 32];
            let code = VerificationCode::of(&hash);
            assert_eq!(VerificationCode::parse(&code.to_string()), Ok(code));
        }
    }
}
