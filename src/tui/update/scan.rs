//! The barcode scanner: a scanner is a keyboard that types a code's digits very fast and ends
//! with Enter. A run of digits and Enter is taken for a scan when it names a barcode in the
//! catalog, or came faster than a person types; its digits are taken back out of whatever field
//! they landed in, and the item goes into the cart (or the receive form) from any screen.

use super::super::keymap::{KeyName, KeyPress};
use super::super::model::{Model, ReceiveField, Screen, Tone};
use super::{input, till};

/// A scanner types faster than this gap between keys (ms); people are slower.
pub const SCAN_GAP_MS_MAX: u64 = 50;

/// Fewer digits than this are never taken for a barcode (quantities, scores, phone tails).
pub const SCAN_DIGITS_MIN: usize = 6;

/// At most this many digits are remembered for a scan.
pub const SCAN_DIGITS_MAX: usize = 32;

/// Tracks digit runs; on Enter after enough digits, returns the code and whether it was fast.
pub(super) fn observe(model: &mut Model, key: KeyPress, at_ms: u64) -> Option<(String, bool)> {
    let gap_ok = at_ms.saturating_sub(model.scan.last_ms) <= SCAN_GAP_MS_MAX;
    match key.typed_char() {
        Some(c) if c.is_ascii_digit() => {
            if model.scan.digits.is_empty() {
                model.scan.fast = true;
            } else {
                model.scan.fast &= gap_ok;
            }
            if model.scan.digits.len() < SCAN_DIGITS_MAX {
                model.scan.digits.push(c);
            } else {
                model.scan.fast = false;
            }
            model.scan.last_ms = at_ms;
            None
        }
        _ => {
            let digits = std::mem::take(&mut model.scan.digits);
            let fast = model.scan.fast && gap_ok;
            model.scan.fast = false;
            (key == KeyPress::plain(KeyName::Enter) && digits.len() >= SCAN_DIGITS_MIN)
                .then_some((digits, fast))
        }
    }
}

/// Acts on a scanned code; false when the Enter should be handled as a normal key.
pub(super) fn handle(model: &mut Model, code: &str, fast: bool) -> bool {
    // A PIN or passphrase typed fast is never a barcode.
    let secret = matches!(
        model.modal,
        Some(
            super::super::model::Modal::Unlock { .. }
                | super::super::model::Modal::Passphrase { .. }
        )
    );
    if matches!(model.screen, Screen::Setup | Screen::Login) || secret {
        return false;
    }
    let known = model.data.barcodes.get(code).copied();
    if known.is_none() && !fast {
        return false;
    }
    strip_scanned(model, code);
    let Some(position) = known else {
        let text = format!(
            "{}{code}{}",
            model.t("条码 ", "barcode "),
            model.t(
                " 不在商品目录里，请核对或手工选择商品",
                " is not in the catalog; check it or pick the item by hand"
            )
        );
        model.say(Tone::Bad, text);
        return true;
    };
    if model.modal.is_some() {
        super::say(
            model,
            Tone::Bad,
            "请先关闭弹窗再扫码",
            "close the popup before scanning",
        );
        return true;
    }
    match model.screen {
        Screen::Receive => {
            if let Some(g) = model.data.goods.get(position) {
                model.receive.goods_id = Some(g.goods.goods_id.clone());
                model.receive.field = ReceiveField::Quantity;
            }
        }
        Screen::Till => till::add_goods(model, position),
        _ => {
            model.screen = Screen::Till;
            till::add_goods(model, position);
        }
    }
    true
}

/// Removes a scanner's digits from whichever field received them.
fn strip_scanned(model: &mut Model, code: &str) {
    if let Some(input) = input::active_input(model) {
        if input.strip_suffix(code) {
            model.refresh_lists();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::Access;
    use crate::tui::msg::{Effect, Query};
    use crate::tui::testing::*;

    #[test]
    fn a_scanned_barcode_adds_its_item_from_any_panel() {
        let mut m = model(Access::Till);
        typed(&mut m, "zs");
        scan(&mut m, "6901234567915", 3);
        assert_eq!(m.cart.lines.len(), 1);
        assert_eq!(m.cart.lines[0].goods_id, "G02");
        assert_eq!(
            m.lookup.query.text, "zs",
            "the scanner's digits are taken back out of the search"
        );
        assert_eq!(
            m.cart.household, None,
            "the Enter did not choose a household"
        );
        named(&mut m, KeyName::F(4));
        scan(&mut m, "6901234567915", 3);
        assert_eq!(m.cart.lines[0].quantity, 2);
        assert!(m.cart.typed_quantity.text.is_empty());
    }

    #[test]
    fn an_unknown_scanned_code_is_said_clearly() {
        let mut m = model(Access::Till);
        scan(&mut m, "1234567890123", 3);
        assert!(bad(&m).contains("1234567890123"));
        assert!(m.cart.lines.is_empty());
        assert!(m.lookup.query.text.is_empty());
    }

    #[test]
    fn a_barcode_typed_by_hand_also_adds_but_slow_digits_are_otherwise_text() {
        let mut m = model(Access::Till);
        scan(&mut m, "6901234567892", SCAN_GAP_MS_MAX * 4);
        assert_eq!(m.cart.lines.len(), 1);
        let fx = scan(&mut m, "13800001234", SCAN_GAP_MS_MAX * 4);
        assert_eq!(
            fx,
            vec![Effect::Load(Query::Cart(cart_of("H001", &[("G01", 1)])))],
            "a typed phone number chooses the household"
        );
    }

    #[test]
    fn a_scan_on_the_receive_screen_picks_the_goods() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(6));
        scan(&mut m, "6901234567892", 3);
        assert_eq!(m.receive.goods_id.as_deref(), Some("G01"));
        assert!(m.receive.goods_query.text.is_empty());
        assert!(m.cart.lines.is_empty());
    }
}
