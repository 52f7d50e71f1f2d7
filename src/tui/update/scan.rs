//! The barcode scanner and the card reader: each is a keyboard that types a code very fast and
//! ends with Enter. A run of characters and Enter is taken for a scan when it came faster than
//! a person types and is printable ASCII without spaces — at least [`SCAN_CHARS_MIN`] long, or
//! the whole number of one of the station's cards (a small village's cards can be short) — or
//! (digits typed by hand) when it is a barcode in the catalog. A burst whose Enter came late
//! (the till drew the screen in between on an old laptop; tmux sends Enter as its own command)
//! or that came full width (an input method) is a scan only when it is, normalised, a whole
//! barcode or card of this station, outside the lookup and any popup. Any other burst with
//! spaces or Chinese (a paste, an input method committing a phrase) is typing. A scan's characters
//! are taken back out of whatever field they landed in — a burst never stays appended to a
//! half-typed number — and the code, normalised by [`crate::domain::input::code`], is routed by
//! where it landed:
//!
//! - in the household lookup, a card number, household id or phone selects its household (a
//!   replaced card is named, never chosen); a barcode still goes to the cart;
//! - everywhere else a barcode goes to the cart (or the receive form), and on the till screen a
//!   card that is no barcode still selects its household, from any panel;
//! - in a popup, a barcode or card is refused until the popup is closed; so is any scanner
//!   burst over a popup that takes no code (a yes/no question; the checkout's collector and a
//!   void's reason when the burst has a digit), so that its Enter never answers the popup;
//!   anything else is typed into the popup's field (a new item's barcode into its form);
//! - a code that is neither is said clearly.
//!
//! Choosing a household by scan follows the till's one rule for it (`till::choose_household`):
//! a cart holding another household's goods is never moved without asking.

use crate::domain::input;

use super::super::data::HouseholdHit;
use super::super::keymap::{KeyName, KeyPress};
use super::super::model::{Focus, Input, Model, ReceiveField, Screen, Tone};
use super::{input as typing, till};

/// A scanner types faster than this gap between keys (ms); people are slower.
pub const SCAN_GAP_MS_MAX: u64 = 50;

/// Fewer characters than this are taken for a scan only when they are a whole card number
/// (quantities, scores and phone tails stay typing).
pub const SCAN_CHARS_MIN: usize = 6;

/// A burst that is a whole known code is still its scan when its Enter comes this late (ms):
/// the till may draw the screen between the characters and their Enter.
pub const SCAN_ENTER_GAP_MS_MAX: u64 = 1_000;

/// At most this many characters are remembered for a scan; a burst longer than this is a
/// paste (a key line, a path), never a scan, and stays whole in its field.
pub const SCAN_CHARS_MAX: usize = 32;

/// A run that ended with Enter: the characters taken for a code, as they came, and whether
/// they came as a burst.
pub(super) struct Run {
    /// The characters as they came.
    pub raw: String,
    /// Whether they came as a burst (each within [`SCAN_GAP_MS_MAX`] of the one before, and
    /// the Enter too).
    pub fast: bool,
}

/// Tracks typed characters; on Enter, returns the burst that ended there (printable ASCII, at
/// least [`SCAN_CHARS_MIN`] characters or a whole card number), else the digits typed by hand
/// just before it.
pub(super) fn observe(model: &mut Model, key: KeyPress, at_ms: u64) -> Option<Run> {
    let gap_ok = at_ms.saturating_sub(model.scan.last_ms) <= SCAN_GAP_MS_MAX;
    let late_ok = at_ms.saturating_sub(model.scan.last_ms) <= SCAN_ENTER_GAP_MS_MAX;
    let run = &mut model.scan;
    match key.typed_char() {
        Some(c) if !c.is_control() => {
            let continues = gap_ok && !run.text.is_empty();
            if !continues {
                run.overlong = false;
            }
            if run.text.chars().count() >= SCAN_CHARS_MAX {
                run.text.clear();
                run.burst_start = 0;
                run.overlong = continues;
            }
            if !continues || run.text.is_empty() {
                run.burst_start = run.text.len();
            }
            run.text.push(c);
            run.last_ms = at_ms;
            None
        }
        _ => {
            let text = std::mem::take(&mut run.text);
            let burst = text.get(run.burst_start..).unwrap_or_default();
            run.burst_start = 0;
            let overlong = std::mem::take(&mut run.overlong);
            if key != KeyPress::plain(KeyName::Enter) || overlong {
                return None;
            }
            if gap_ok && scanner_text(burst) {
                let short = burst.chars().count() < SCAN_CHARS_MIN;
                if !short || whole_card(model, burst) {
                    return Some(Run {
                        raw: burst.to_string(),
                        fast: true,
                    });
                }
            }
            if late_ok && burst.chars().count() > 1 && late_scan(model, burst) {
                return Some(Run {
                    raw: burst.to_string(),
                    fast: true,
                });
            }
            let digits: String = {
                let mut tail: Vec<char> = text
                    .chars()
                    .rev()
                    .take_while(|c| input::fold_width(*c).is_ascii_digit())
                    .collect();
                tail.reverse();
                tail.into_iter().collect()
            };
            (digits.len() >= SCAN_CHARS_MIN).then_some(Run {
                raw: digits,
                fast: false,
            })
        }
    }
}

/// Whether a burst could have come from a scanner: printable ASCII without spaces. A paste or
/// a Chinese input method committing `帮扶干部 刘明` (or full-width `ＬＪ０１`) in one burst is
/// typing, never a scan.
fn scanner_text(burst: &str) -> bool {
    !burst.is_empty() && burst.chars().all(|c| c.is_ascii_graphic())
}

/// Whether a burst is, normalised, the whole number of a card of this station (a small
/// village's `LJ001`, a full-width `ＬＪ１０００８`), current or replaced, scanned on the till
/// with no popup open: a card selects (or names) its household from any panel, while other
/// short bursts stay typing (a quantity, a score, a search).
fn whole_card(model: &Model, burst: &str) -> bool {
    if model.screen != Screen::Till || model.modal.is_some() {
        return false;
    }
    let code = input::code(burst);
    match model.data.household_by_code(&code) {
        Some(HouseholdHit::Household(i)) => model
            .data
            .households
            .get(i)
            .is_some_and(|h| h.card_no.eq_ignore_ascii_case(&code)),
        Some(HouseholdHit::VoidedCard(_)) => true,
        None => false,
    }
}

/// Whether a burst that is not plainly a scanner's (its Enter came late, or it came full
/// width) is still one: normalised, it is a whole barcode of the catalog or a whole card
/// number of this station on the till; or, on the till outside the lookup, it looks like a
/// scanner's (printable ASCII, at least [`SCAN_CHARS_MIN`] long), so a code that is neither
/// is said rather than left in the goods search. Never in a popup (what is typed there is
/// the popup's) nor, typed full width, in the household lookup, where it is a search.
fn late_scan(model: &Model, burst: &str) -> bool {
    if model.modal.is_some() {
        return false;
    }
    let in_lookup = model.screen == Screen::Till && model.focus == Focus::Lookup;
    if in_lookup && !scanner_text(burst) {
        return false;
    }
    let scanner_like = model.screen == Screen::Till
        && !in_lookup
        && scanner_text(burst)
        && burst.chars().count() >= SCAN_CHARS_MIN;
    scanner_like
        || model.data.barcodes.contains_key(&input::code(burst))
        || whole_card(model, burst)
}

/// Acts on a run that ended with Enter; false when the Enter should be handled as a normal key.
pub(super) fn handle(model: &mut Model, run: &Run) -> bool {
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
    let code = input::code(&run.raw);
    let barcode = model.data.barcodes.get(&code).copied();
    let in_lookup =
        model.modal.is_none() && model.screen == Screen::Till && model.focus == Focus::Lookup;
    let household = if run.fast && (in_lookup || barcode.is_none()) && model.screen == Screen::Till
    {
        model.data.household_by_code(&code)
    } else {
        None
    };
    // Digits typed by hand are a scan only when they are a barcode (a typed phone is not).
    if !run.fast && barcode.is_none() {
        return false;
    }
    // In a popup, what is neither a barcode nor a card here is typed into its field (a new
    // item's barcode in a form, a pasted name), and so is anything typed by hand; but a
    // scanner's burst over a popup that takes no code is refused like a known one, so that
    // its Enter never answers the popup (an unknown barcode scanned over the checkout used to
    // become the collector's name and confirm the sale).
    let unknown = !run.fast || (barcode.is_none() && household.is_none());
    if model.modal.is_some() && unknown && !(run.fast && takes_no_code(model, &run.raw)) {
        return false;
    }
    strip_scanned(model, &run.raw);
    if model.modal.is_some() {
        super::say(
            model,
            Tone::Bad,
            "请先关闭弹窗再扫码",
            "close the popup before scanning",
        );
        return true;
    }
    match (household, barcode) {
        (Some(hit), _) if in_lookup => select_scanned_household(model, &code, hit),
        // Monitor mode only looks: a scanned item fills no cart and no receive form.
        (_, Some(_)) if model.access.is_monitor() => super::monitor::refuse(model),
        (_, Some(position)) => add_scanned_goods(model, position),
        (Some(hit), None) => select_scanned_household(model, &code, hit),
        (None, None) => {
            let text = match model.lang {
                crate::i18n::Lang::Zh if in_lookup => {
                    format!("{code} 不是本站的卡号、户号、电话或商品条码，请核对")
                }
                crate::i18n::Lang::En if in_lookup => {
                    format!("{code}: no card, household id, phone or barcode here; check it")
                }
                // On the till a scan may be a card or a barcode: both are named.
                crate::i18n::Lang::Zh if model.screen == Screen::Till => {
                    format!("{code} 不是本站的卡号或商品条码，请核对或手工选择")
                }
                crate::i18n::Lang::En if model.screen == Screen::Till => {
                    format!("{code}: no card or barcode here; check it or choose by hand")
                }
                crate::i18n::Lang::Zh => {
                    format!("条码 {code} 不在商品目录里，请核对或手工选择商品")
                }
                crate::i18n::Lang::En => {
                    format!(
                        "barcode {code} is not in the catalog; check it or pick the item by hand"
                    )
                }
            };
            model.say(Tone::Bad, text);
        }
    }
    true
}

/// Whether the open popup takes no scanned code, so that a scanner's burst over it (`raw`) is
/// refused, its characters taken back out and its Enter never the popup's answer: a yes/no
/// question or a popup with no field, always; the checkout's collector and a void's reason
/// when the burst has a digit (a barcode or a card; a pasted name such as `LiuMing` has none
/// and stays typing). A form takes codes (a new item's barcode, a new card number).
fn takes_no_code(model: &Model, raw: &str) -> bool {
    use super::super::model::Modal;
    match &model.modal {
        None | Some(Modal::Form(_)) => false,
        Some(Modal::Checkout { .. } | Modal::Reason { .. }) => {
            raw.chars().any(|c| c.is_ascii_digit())
        }
        Some(_) => true,
    }
}

/// A scanned card, household id or phone: the lookup shows it and its household is chosen.
fn select_scanned_household(model: &mut Model, code: &str, hit: HouseholdHit) {
    model.screen = Screen::Till;
    model.focus = Focus::Lookup;
    model.lookup.query = Input::with(code);
    model.refresh_lookup();
    model.lookup.selected = model
        .lookup
        .hits
        .iter()
        .position(|h| *h == hit)
        .unwrap_or(0);
    till::select_household(model);
}

/// A scanned barcode: into the receive form on that screen, else into the cart.
fn add_scanned_goods(model: &mut Model, position: usize) {
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
}

/// Removes a scanner's characters from whichever field received them.
fn strip_scanned(model: &mut Model, raw: &str) {
    if let Some(field) = typing::active_input(model) {
        if field.strip_suffix(raw) {
            model.refresh_lists();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::{Access, Focus, Modal, Question};
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
    fn a_card_burst_in_the_lookup_selects_its_household_not_a_barcode() {
        let mut m = model(Access::Till);
        let fx = scan(&mut m, "LJ0002", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H002"), "{:?}", m.status);
        assert_eq!(m.lookup.query.text, "LJ0002");
        assert_eq!(
            m.focus,
            Focus::Catalog,
            "on to the goods, as a chosen household"
        );
        assert_eq!(
            fx,
            vec![Effect::Load(Query::Cart(cart_of("H002", &[])))],
            "the cart is asked for the household"
        );
        // A household id and a whole phone number are codes too, and full width is ASCII.
        named(&mut m, KeyName::F(2));
        key(&mut m, KeyPress::ctrl('u'));
        scan(&mut m, "Ｈ００４", 3);
        assert_eq!(
            m.cart.household.as_deref(),
            Some("H004"),
            "too short for a burst, it is a search whose first row is chosen"
        );
        scan(&mut m, "13900005678", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H002"));
        // Full width comes from an input method, never a scanner: typing, here a search
        // whose first row Enter chooses.
        named(&mut m, KeyName::F(2));
        scan(&mut m, "ＬＪ０１０３", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H003"));
        assert_eq!(m.lookup.query.text, "ＬＪ０１０３");
    }

    #[test]
    fn a_replaced_or_unknown_card_burst_is_said_and_selects_nobody() {
        let mut m = model(Access::Till);
        typed(&mut m, "zh");
        scan(&mut m, "LJ0003", 3);
        assert!(bad(&m).contains("LJ0003"), "a replaced card is named");
        assert_eq!(m.cart.household, None);
        let mut m = model(Access::Till);
        typed(&mut m, "zh");
        scan(&mut m, "LJ9999", 3);
        let said = bad(&m);
        assert!(said.contains("LJ9999") && said.contains("卡号"), "{said}");
        assert_eq!(m.lookup.query.text, "zh", "the burst is taken back out");
        assert_eq!(m.cart.household, None);
    }

    #[test]
    fn a_card_burst_elsewhere_on_the_till_still_selects_its_household() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(3));
        typed(&mut m, "米");
        scan(&mut m, "LJ0004", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H004"));
        assert_eq!(
            m.catalog.query.text, "米",
            "the catalog search is as it was"
        );
    }

    #[test]
    fn a_burst_never_appends_to_a_half_typed_number() {
        let mut m = model(Access::Till);
        with_household(&mut m);
        named(&mut m, KeyName::F(3));
        named(&mut m, KeyName::Enter);
        named(&mut m, KeyName::F(4));
        typed(&mut m, "2");
        scan(&mut m, "6901234567915", 3);
        assert_eq!(
            m.cart.typed_quantity.text, "2",
            "the barcode is not part of it"
        );
        assert_eq!(m.cart.lines.len(), 2);
        typed(&mut m, "5");
        scan(&mut m, "LJ0002", 3);
        assert_eq!(m.cart.typed_quantity.text, "25", "nor is a card");
        // The card asks before the cart leaves its household; "no" keeps it as it was.
        assert!(matches!(
            m.modal,
            Some(Modal::Confirm(Question::SwitchHousehold(_)))
        ));
        named(&mut m, KeyName::Esc);
        assert_eq!(m.cart.typed_quantity.text, "25");
        assert_eq!(m.cart.household.as_deref(), Some("H001"));
        named(&mut m, KeyName::F(6));
        typed(&mut m, "xyf");
        named(&mut m, KeyName::Enter);
        typed(&mut m, "1");
        scan(&mut m, "6901234567892", 3);
        assert_eq!(m.receive.quantity.text, "1");
        assert_eq!(m.receive.goods_id.as_deref(), Some("G01"));
    }

    /// The field trial: 张三's card, an item scanned into his cart, then 张珊珊's card. The
    /// cart is never moved to her without asking: "no" keeps 张三 and his cart, "yes" empties
    /// it and chooses her; from the lookup and from the cart panel alike.
    #[test]
    fn a_card_scanned_over_another_households_cart_asks_first() {
        let asked = Some(Modal::Confirm(Question::SwitchHousehold("H002".into())));
        let mut m = model(Access::Till);
        scan(&mut m, "LJ0001", 3);
        scan(&mut m, "6901234567915", 3);
        assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G02", 1)])));
        let fx = scan(&mut m, "LJ0002", 3);
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(m.modal, asked);
        assert_eq!(
            m.switch_household_text("H002"),
            "购物车里还有张三的 1 件商品：清空购物车，换成 张珊珊 吗？"
        );
        // Another card over the question is refused until it is answered.
        scan(&mut m, "LJ0004", 3);
        assert!(bad(&m).contains("弹窗"), "{}", bad(&m));
        assert_eq!(m.modal, asked);
        let fx = named(&mut m, KeyName::Esc);
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(m.modal, None);
        assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G02", 1)])));
        // From the cart panel: asked again; "yes" empties the cart and chooses her.
        named(&mut m, KeyName::F(4));
        scan(&mut m, "LJ0002", 3);
        assert_eq!(m.modal, asked);
        let fx = key(&mut m, KeyPress::char('y'));
        assert_eq!(m.modal, None);
        assert_eq!(m.cart.question(), Some(cart_of("H002", &[])));
        assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H002", &[])))]);
        // Her own card again asks nothing; her goods go to her cart.
        scan(&mut m, "6901234567892", 3);
        scan(&mut m, "LJ0002", 3);
        assert_eq!(m.modal, None);
        assert_eq!(m.cart.question(), Some(cart_of("H002", &[("G01", 1)])));
    }

    /// The highlighted row of the lookup, as a household id.
    fn highlighted(m: &Model) -> Option<String> {
        match m.lookup.hits.get(m.lookup.selected) {
            Some(HouseholdHit::Household(i)) => m
                .data
                .households
                .get(*i)
                .map(|h| h.household_id.to_string()),
            _ => None,
        }
    }

    /// The second trial: "no" to a scanned card's question left the card in the lookup, and
    /// the next keys were appended to it. Whenever another household is asked for and not
    /// chosen ("no", or monitor mode's refusal), the lookup is cleared onto the cart's
    /// household; "yes" shows the chosen card, as a scan that asks nothing does.
    #[test]
    fn a_card_not_chosen_leaves_the_lookup_clear_on_the_carts_household() {
        let mut m = model(Access::Till);
        scan(&mut m, "LJ0001", 3);
        scan(&mut m, "6901234567915", 3);
        scan(&mut m, "LJ0002", 3);
        assert_eq!(
            m.modal,
            Some(Modal::Confirm(Question::SwitchHousehold("H002".into())))
        );
        key(&mut m, KeyPress::char('n'));
        assert_eq!(m.modal, None);
        assert_eq!(m.lookup.query.text, "", "the card text is cleared");
        assert_eq!(
            highlighted(&m).as_deref(),
            Some("H001"),
            "the cart's household"
        );
        assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G02", 1)])));
        typed(&mut m, "ww");
        assert_eq!(
            m.lookup.query.text, "ww",
            "the next keys start a new search"
        );
        // The next scan is read whole and asked about again; "yes" shows the chosen card.
        scan(&mut m, "LJ0004", 3);
        assert_eq!(
            m.modal,
            Some(Modal::Confirm(Question::SwitchHousehold("H004".into())))
        );
        key(&mut m, KeyPress::char('y'));
        assert_eq!(m.cart.question(), Some(cart_of("H004", &[])));
        assert_eq!(m.lookup.query.text, "LJ0004");
        assert_eq!(highlighted(&m).as_deref(), Some("H004"));
        assert_eq!(m.focus, Focus::Catalog, "on to the goods");
        // Monitor mode refuses the switch: the lookup is left the same way.
        scan(&mut m, "6901234567915", 3);
        named(&mut m, KeyName::F(9));
        scan(&mut m, "LJ0002", 3);
        assert_eq!(m.modal, None);
        assert_eq!(m.lookup.query.text, "");
        assert_eq!(highlighted(&m).as_deref(), Some("H004"));
        assert_eq!(m.cart.question(), Some(cart_of("H004", &[("G02", 1)])));
    }

    /// A small village's cards: five, six and seven characters.
    fn small_village() -> Model {
        model_over(
            data_with(vec![
                household("H005", "LJ001", "赵六", "", 40, 0),
                household("H006", "LJ0010", "钱七", "", 40, 0),
                household("H007", "LJ00011", "孙八", "", 40, 0),
            ]),
            Access::Till,
        )
    }

    #[test]
    fn a_short_card_burst_selects_its_household_from_any_panel() {
        let mut m = small_village();
        with_household(&mut m);
        assert_eq!(m.focus, Focus::Catalog);
        typed(&mut m, "jyw");
        let fx = scan(&mut m, "LJ001", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H005"), "{:?}", m.status);
        assert_eq!(
            m.catalog.query.text, "jyw",
            "the card is taken back out of the catalog search"
        );
        assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H005", &[])))]);
        for (card, id) in [("LJ0010", "H006"), ("LJ00011", "H007"), ("lj001", "H005")] {
            named(&mut m, KeyName::F(4));
            scan(&mut m, card, 3);
            assert_eq!(m.cart.household.as_deref(), Some(id), "{card}");
        }
        // The goods scanned next go into that household's cart.
        scan(&mut m, "6901234567892", 3);
        assert_eq!(m.cart.question(), Some(cart_of("H005", &[("G01", 1)])));
    }

    #[test]
    fn a_short_burst_that_is_no_card_stays_typing() {
        let mut m = small_village();
        // Initials typed fast: a search, whose first row Enter chooses.
        scan(&mut m, "zs", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H001"));
        assert_eq!(m.lookup.query.text, "zs");
        named(&mut m, KeyName::Enter);
        // A quantity typed fast in the cart.
        named(&mut m, KeyName::F(4));
        scan(&mut m, "2", 3);
        assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
        // A short code that is nobody's still says so, and chooses nobody.
        named(&mut m, KeyName::F(2));
        scan(&mut m, "LJ999", 3);
        assert!(bad(&m).contains("没有找到农户"), "{}", bad(&m));
        assert_eq!(m.cart.household.as_deref(), Some("H001"));
        // A short card on another screen is typing there (the households' search).
        let mut m = small_village();
        key(&mut m, KeyPress::ctrl('b'));
        scan(&mut m, "LJ001", 3);
        assert_eq!(m.households.query.text, "LJ001");
        assert_eq!(m.cart.household, None);
    }

    #[test]
    fn a_burst_with_chinese_or_spaces_is_typed_into_the_focused_field() {
        use crate::domain::{Command, HouseholdRef};
        use crate::tui::model::Modal;
        use crate::tui::msg::Purpose;
        let mut m = model(Access::Till);
        with_household(&mut m);
        named(&mut m, KeyName::Enter);
        named(&mut m, KeyName::F(5));
        // An input method commits the collector's name and Enter in one burst.
        let fx = scan(&mut m, "帮扶干部 刘明", 0);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::Redeem {
                    household: HouseholdRef::Id("H001".into()),
                    lines: vec![("G01".into(), 1)],
                    proxy: Some("帮扶干部 刘明".into()),
                }],
                purpose: Purpose::Sale,
            }],
            "{:?}",
            m.status
        );
        // Pasted ASCII that is no code here is typed too, and Enter acts on the field.
        named(&mut m, KeyName::F(5));
        scan(&mut m, "Liu Ming", 1);
        assert!(m.modal.is_none(), "{:?}", m.status);
        named(&mut m, KeyName::F(5));
        let fx = scan(&mut m, "LiuMing", 1);
        assert!(
            matches!(&fx[..], [Effect::Commit { commands, .. }]
                if matches!(&commands[0], Command::Redeem { proxy: Some(p), .. } if p == "LiuMing")),
            "{fx:?}"
        );
        // A barcode scanned over the popup is still refused until it is closed.
        named(&mut m, KeyName::F(5));
        scan(&mut m, "6901234567892", 3);
        assert!(bad(&m).contains("弹窗"), "{}", bad(&m));
        assert!(matches!(&m.modal, Some(Modal::Checkout { proxy }) if proxy.text.is_empty()));
        // In a form: a pasted name with a space, and a new card number in one burst.
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('b'));
        named(&mut m, KeyName::F(5));
        scan(&mut m, "H201", 1);
        let fx = scan(&mut m, "LJ0201", 1);
        assert!(fx.is_empty());
        scan(&mut m, "周 九", 1);
        let Some(Modal::Form(form)) = &m.modal else {
            panic!("the form stays open: {:?}", m.status);
        };
        use crate::domain::input::Field;
        assert_eq!(
            (
                form.text(Field::HouseholdId),
                form.text(Field::CardNo),
                form.text(Field::Head)
            ),
            ("H201", "LJ0201", "周 九"),
            "{:?}",
            m.status
        );
    }

    #[test]
    fn a_scanner_burst_never_answers_a_popup_that_takes_no_code() {
        use crate::tui::model::Modal;
        // Field case (fresh-user trial): an unknown barcode scanned over the checkout became
        // the collector's name and its Enter recorded the sale.
        let mut m = model(Access::Till);
        with_household(&mut m);
        named(&mut m, KeyName::Enter);
        named(&mut m, KeyName::F(5));
        let fx = scan(&mut m, "6920907562293", 3);
        assert!(fx.is_empty(), "nothing is committed: {fx:?}");
        assert!(
            matches!(&m.modal, Some(Modal::Checkout { proxy }) if proxy.text.is_empty()),
            "{:?}",
            m.modal
        );
        assert!(bad(&m).contains("弹窗"), "{}", bad(&m));
        // A card-like code too (letters and digits), and over a void's reason.
        let fx = scan(&mut m, "XJ900402", 3);
        assert!(fx.is_empty(), "{fx:?}");
        assert!(matches!(&m.modal, Some(Modal::Checkout { proxy }) if proxy.text.is_empty()));
        m.modal = Some(Modal::Reason {
            sale_seq: 7,
            reason: Input::with("收错"),
        });
        let fx = scan(&mut m, "6920907562293", 3);
        assert!(fx.is_empty(), "{fx:?}");
        assert!(
            matches!(&m.modal, Some(Modal::Reason { reason, .. }) if reason.text == "收错"),
            "the reason typed before is kept, the scan taken back out: {:?}",
            m.modal
        );
        // Field case: a scan answered "yes" to the date question. No scanner burst's Enter
        // answers a yes/no question. (A lone `y` still answers at once: a key is not known to
        // start a burst until the next one comes; scanners send digits and capitals.)
        for code in ["6920907562293", "AYX12345"] {
            let question = Modal::Confirm(Question::CloseDay(3));
            m.modal = Some(question.clone());
            let fx = scan(&mut m, code, 3);
            assert!(fx.is_empty(), "{code}: {fx:?}");
            assert_eq!(m.modal.as_ref(), Some(&question), "{code}");
        }
        // A person's own Enter still answers it.
        named(&mut m, KeyName::Enter);
        assert_ne!(m.modal, Some(Modal::Confirm(Question::CloseDay(3))));
    }

    #[test]
    fn a_paste_longer_than_any_code_stays_whole_in_its_field() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        named(&mut m, KeyName::F(4));
        let line = "aixin-pub1:T01:zz:age1qyqszqgpqyqszqgpqyqszqgpqyqszqgp";
        assert!(line.chars().count() > SCAN_CHARS_MAX);
        scan(&mut m, line, 1);
        assert_eq!(m.sync.key_line.text, line, "{:?}", m.status);
        let said = bad(&m);
        assert!(said.contains("公钥") && !said.contains("条码"), "{said}");
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
