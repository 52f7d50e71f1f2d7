//! Voiding a sale: the recent sales, or a sale number typed (or scanned) as the receipt prints
//! it (`LJC01-1199`, or `1199`; another station's is refused, as [`parse_sale_number`]
//! decides); the sale is asked for a reason in a popup, then one `VoidSale` command; the points
//! and the stock come back, and the void's receipt is printed.

use crate::domain::event::{Event, EventBody};
use crate::domain::refusal::Refusal;
use crate::domain::state::SaleRecord;
use crate::domain::station::parse_sale_number;
use crate::domain::Command;
use crate::receipt::Print;

use super::super::keymap::Action;
use super::super::model::{Input, Modal, Model, Tone};
use super::super::msg::{Effect, Purpose, Query};
use super::{is_move, move_selection, say};

/// Runs a void-screen action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.sales.selected, model.sales.sales.len(), a),
        Action::ClearInput => model.sales.number.clear(),
        Action::Select if !model.sales.number.value().is_empty() => by_number(model, fx),
        Action::Select => {
            if let Some(sale) = model.sales.sales.get(model.sales.selected).cloned() {
                ask_reason(model, &sale);
            }
        }
        _ => {}
    }
}

/// The number typed: the sale in the list, or read from the ledger when it is older.
fn by_number(model: &mut Model, fx: &mut Vec<Effect>) {
    let own = model
        .data
        .meta
        .as_ref()
        .map(|m| m.station_id.clone())
        .unwrap_or_default();
    let seq = match parse_sale_number(&model.sales.number.text, &own) {
        Ok(seq) => seq,
        Err(e) => {
            let text = e.message(model.lang);
            model.say(Tone::Bad, text);
            return;
        }
    };
    match model.sales.sales.iter().position(|s| s.seq == seq) {
        Some(at) => {
            model.sales.selected = at;
            let sale = model.sales.sales[at].clone();
            ask_reason(model, &sale);
        }
        None => fx.push(Effect::Load(Query::Sale(seq))),
    }
}

/// The reason popup for a sale that may still be voided.
fn ask_reason(model: &mut Model, sale: &SaleRecord) {
    if sale.voided {
        let text = Refusal::AlreadyVoided(sale.seq).message(model.lang);
        model.say(Tone::Bad, text);
        return;
    }
    model.sales.number.clear();
    model.modal = Some(Modal::Reason {
        sale_seq: sale.seq,
        reason: Input::default(),
    });
}

/// A sale asked for by number came (or this station has none with it).
pub(super) fn found(model: &mut Model, seq: u64, sale: Option<SaleRecord>) {
    match sale {
        Some(sale) => {
            model.sales.sales.insert(0, sale.clone());
            model.sales.selected = 0;
            ask_reason(model, &sale);
        }
        None => {
            let text = Refusal::UnknownSale(seq).message(model.lang);
            model.say(Tone::Bad, text);
        }
    }
}

/// The reason popup: a reason is required, then the void goes to the domain.
pub(super) fn reason(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Reason { sale_seq, reason }) = &mut model.modal else {
        return;
    };
    match action {
        Action::ClearInput => reason.clear(),
        Action::Cancel => model.modal = None,
        Action::Confirm => {
            if reason.value().is_empty() {
                say(
                    model,
                    Tone::Bad,
                    "请写明作废原因",
                    "write the reason for voiding",
                );
                return;
            }
            let command = Command::VoidSale {
                sale_seq: *sale_seq,
                reason: crate::domain::input::text(&reason.text),
            };
            model.modal = None;
            fx.push(Effect::Commit {
                commands: vec![command],
                purpose: Purpose::Void,
            });
        }
        _ => {}
    }
}

/// The sale was voided: print the void's receipt, read the sales again.
pub(super) fn committed(model: &mut Model, events: &[Event], fx: &mut Vec<Effect>) {
    say(
        model,
        Tone::Good,
        "已作废，积分和库存已退回",
        "voided: points and stock returned",
    );
    if let Some(void) = events
        .iter()
        .find(|e| matches!(e.body, EventBody::SaleVoided { .. }))
    {
        fx.push(Effect::PrintReceipt {
            seq: void.seq,
            print: Print::Original,
        });
    }
    fx.push(Effect::Load(Query::Sales));
}

/// The recent sales came, newest first.
pub(super) fn loaded(model: &mut Model, sales: Vec<SaleRecord>) {
    model.sales.sales = sales;
    model.sales.selected = model
        .sales
        .selected
        .min(model.sales.sales.len().saturating_sub(1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn void_asks_for_a_reason() {
        let mut m = model(Access::Till);
        let fx = key(&mut m, KeyPress::ctrl('v'));
        assert_eq!(fx, vec![Effect::Load(Query::Sales)]);
        update(
            &mut m,
            Msg::Loaded(Loaded::Sales(vec![sale(7, true), sale(5, false)])),
        );
        named(&mut m, KeyName::Enter);
        assert!(bad(&m).contains('7'), "already voided");
        named(&mut m, KeyName::Down);
        named(&mut m, KeyName::Enter);
        assert!(matches!(m.modal, Some(Modal::Reason { sale_seq: 5, .. })));
        assert!(named(&mut m, KeyName::Enter).is_empty());
        bad(&m);
        typed(&mut m, "拿错了");
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::VoidSale {
                    sale_seq: 5,
                    reason: "拿错了".into()
                }],
                purpose: Purpose::Void
            }]
        );
    }

    #[test]
    fn a_void_prints_its_receipt_and_reads_the_sales_again() {
        let mut m = model(Access::Till);
        let void = Event {
            station_id: "LJC01".into(),
            seq: 12,
            operator: "管理员".into(),
            time_ms: NOW,
            prev_hash: crate::domain::event::GENESIS_HASH,
            body: EventBody::SaleVoided {
                sale_seq: 5,
                reason: "拿错了".into(),
            },
        };
        let fx = update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Void,
                result: Ok(vec![void]),
            },
        );
        assert_eq!(
            fx,
            vec![
                Effect::PrintReceipt {
                    seq: 12,
                    print: Print::Original
                },
                Effect::Load(Query::Sales)
            ]
        );
    }

    #[test]
    fn a_sale_number_as_printed_on_the_receipt_is_voided() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('v'));
        update(
            &mut m,
            Msg::Loaded(Loaded::Sales(vec![sale(7, true), sale(5, false)])),
        );
        typed(&mut m, "ＬＪＣ０１－５");
        named(&mut m, KeyName::Enter);
        assert!(
            matches!(m.modal, Some(Modal::Reason { sale_seq: 5, .. })),
            "{:?}",
            m.status
        );
        key(&mut m, KeyPress::plain(KeyName::Esc));
        // Another station's number is refused; an older one is read from the ledger.
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('v'));
        typed(&mut m, "WZ01-5");
        assert!(named(&mut m, KeyName::Enter).is_empty());
        assert!(bad(&m).contains("WZ01"), "another station's sale");
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('v'));
        typed(&mut m, "1199");
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(fx, vec![Effect::Load(Query::Sale(1199))]);
        update(
            &mut m,
            Msg::Loaded(Loaded::Sale {
                seq: 1199,
                sale: None,
            }),
        );
        assert!(bad(&m).contains("1199"));
        update(
            &mut m,
            Msg::Loaded(Loaded::Sale {
                seq: 1199,
                sale: Some(sale(1199, false)),
            }),
        );
        assert!(matches!(
            m.modal,
            Some(Modal::Reason { sale_seq: 1199, .. })
        ));
    }
}
