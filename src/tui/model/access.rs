//! Monitor mode (监督模式) and what it forbids. [`Access`] says whether the till may write;
//! [`Model::writes`] is the one table of the actions that write, asked by `update` at dispatch
//! (which refuses them in monitor mode with one message) and by the hint line (which never
//! offers a key that would be refused).

use super::super::keymap::{Action, Context};
use super::{Modal, Model, Question};

/// Whether the till may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The manager's till: everything allowed.
    Till,
    /// Switched to monitor inside a running till (F9 in the shipped keymap): read-only until
    /// switched back.
    Monitor,
    /// Opened with `aixin monitor` on a read-only ledger: read-only for good.
    ReadOnly,
}

impl Access {
    /// Whether write actions are refused.
    pub fn is_monitor(self) -> bool {
        self != Access::Till
    }
}

impl Model {
    /// The one line that says monitor mode only looks: read-only for good (a ledger opened
    /// read-only), or until the monitor key is pressed again. Said when a write is refused and
    /// shown in the cart instead of an invitation to check out.
    pub fn read_only_text(&self) -> String {
        match self.access {
            Access::ReadOnly => self
                .t(
                    "监督模式（只读打开）：不能修改账本",
                    "monitor (opened read-only): nothing can be changed",
                )
                .to_string(),
            Access::Till | Access::Monitor => self.key_sentence(
                ("监督模式：只能查看，按 ", "monitor mode: read-only; press "),
                Context::Global,
                Action::ToggleMonitor,
                (" 回到收银", " to return to the till"),
            ),
        }
    }

    /// Whether `action` in `context` writes: it commits, exports or imports, enrolls a
    /// partner, opens a screen or popup whose only purpose is a write (checkout, receive
    /// stock, scores, void, a household's or an item's form, an objection, the stocktake, a
    /// sheet import), or prepares a sale (adding goods to the cart, changing or removing its
    /// lines: a monitor only looks, and the cart never fills for a checkout that is refused). Leaving through the quit question writes nothing; Enter on the receive
    /// form or a popup form writes only on its last field. Looking (the households' and goods'
    /// lists, a household's page, finding the USB stick) writes nothing.
    pub fn writes(&self, context: Context, action: Action) -> bool {
        use Action as A;
        use Context as C;
        match (context, action) {
            (C::Global, A::Checkout | A::OpenReceive | A::OpenScores | A::OpenVoid) => true,
            (C::Catalog, A::Select) => true,
            (C::Cart, A::QtyUp | A::QtyDown | A::Select | A::RemoveLine | A::ClearCart) => true,
            (C::Checkout | C::Reason, A::Confirm) => true,
            (C::Confirm, A::Confirm) => !matches!(
                self.modal,
                Some(Modal::Confirm(Question::Quit(_) | Question::Discard(_)))
            ),
            (C::Receive | C::Scores | C::Awards | C::Setup, A::Submit) => true,
            (C::Receive, A::Select) => self.receive.fields().last() == Some(&self.receive.field),
            // A reprint writes no event, but it writes paper and files: not a monitor's.
            (C::Day, A::CloseDay | A::CloseYear | A::Reprint) | (C::Void, A::Select) => true,
            (C::Sync, A::Export | A::Import | A::Enroll | A::Backup) => true,
            (C::Receive, A::New) => true,
            (C::Awards, A::Revoke | A::Correct) => true,
            (C::Households, A::New | A::Edit | A::ReissueCard | A::ImportSheet) => true,
            (C::Goods, A::New | A::Edit | A::LowStock | A::Stocktake) => true,
            (C::Stocktake, A::Submit | A::ImportSheet) => true,
            (C::Form, A::Submit) | (C::Preview, A::Confirm) => true,
            (C::Form, A::Select) => {
                matches!(&self.modal, Some(Modal::Form(form)) if form.at_last())
            }
            (C::Secret, A::Confirm) => matches!(self.modal, Some(Modal::Passphrase { .. })),
            // Creating the first manager writes; logging in does not.
            (C::Login, A::Submit) => self.operators().is_empty(),
            _ => false,
        }
    }
}
