//! Typed work not yet submitted, and what leaving it means (no lost work): the cart, the score
//! grid, the receive form, the stocktake's counts, a partner's key line, and a popup form. Quitting
//! with any of it anywhere asks first; switching away from a screen with its own typed work asks
//! first and, when the manager says yes, leaves that work behind; a popup form asks when it is
//! closed. Both `update` (which asks) and `view` (which words the question) read it here.

use crate::i18n::Lang;

use super::super::keymap::Action;
use super::{Form, Modal, Model, Question, Screen};

/// Typed work not yet submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Lines in the cart, not checked out.
    Cart(usize),
    /// Scores typed for this many households, not committed.
    Scores(usize),
    /// The receive form, filled and not received.
    Receive,
    /// Counts typed for this many items, not recorded.
    Stocktake(usize),
    /// A partner station's key line, typed and not enrolled.
    KeyLine,
    /// A popup form, filled and not submitted.
    Form,
}

impl Work {
    /// What would be lost, in a few words.
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Work::Cart(n), Lang::Zh) => format!("购物车里还有 {n} 行商品未结账"),
            (Work::Cart(n), Lang::En) => format!("the cart is not checked out ({n} lines)"),
            (Work::Scores(n), Lang::Zh) => format!("评分表里有 {n} 户已填、未提交"),
            (Work::Scores(n), Lang::En) => {
                format!("scores are typed and not committed ({n})")
            }
            (Work::Receive, Lang::Zh) => "入库单已填、未入库".into(),
            (Work::Receive, Lang::En) => "the receive form is filled and not received".into(),
            (Work::Stocktake(n), Lang::Zh) => format!("盘点已填 {n} 项、未记账"),
            (Work::Stocktake(n), Lang::En) => {
                format!("counts are typed and not recorded ({n})")
            }
            (Work::KeyLine, Lang::Zh) => "乡镇公钥已填、未登记".into(),
            (Work::KeyLine, Lang::En) => "a key line is typed and not enrolled".into(),
            (Work::Form, Lang::Zh) => "表单已填、未提交".into(),
            (Work::Form, Lang::En) => "the form is filled and not submitted".into(),
        }
    }
}

/// Where the manager goes when typed work would be lost, if they say yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leave {
    /// Close this popup form (no: back to it as it was).
    Form(Box<Form>),
    /// Leave the screen by this `[global]` action (the screen's typed work is dropped).
    Screen(Action),
    /// Quit the till; "no" shows again the popup it was asked over, if any (the filled form).
    Quit(Option<Box<Modal>>),
}

impl Model {
    /// The typed work on the screen in front, which switching away would leave behind.
    pub fn screen_work(&self) -> Option<Work> {
        match self.screen {
            Screen::Scores => {
                let typed = self
                    .scores
                    .entries
                    .values()
                    .filter(|i| !i.value().is_empty())
                    .count();
                (typed > 0).then_some(Work::Scores(typed))
            }
            Screen::Receive => {
                let form = &self.receive;
                let filled = form.goods_id.is_some()
                    || form.new_goods.is_some()
                    || !form.quantity.value().is_empty()
                    || !form.cost.value().is_empty();
                filled.then_some(Work::Receive)
            }
            Screen::Stocktake => {
                let typed = self
                    .stocktake
                    .counts
                    .values()
                    .filter(|i| !i.value().is_empty())
                    .count();
                (typed > 0).then_some(Work::Stocktake(typed))
            }
            Screen::Sync => (!self.sync.key_line.value().is_empty()).then_some(Work::KeyLine),
            _ => None,
        }
    }

    /// All typed work anywhere, which quitting would lose: the cart, the screen in front, and
    /// an open popup form.
    pub fn all_work(&self) -> Vec<Work> {
        let mut work = Vec::new();
        if !self.cart.lines.is_empty() {
            work.push(Work::Cart(self.cart.lines.len()));
        }
        work.extend(self.screen_work());
        work.extend(self.modal.as_ref().and_then(popup_work));
        work
    }

    /// Drops the typed work of the screen in front (the manager chose to leave it).
    pub fn drop_screen_work(&mut self) {
        match self.screen {
            Screen::Scores => self.scores.entries.clear(),
            Screen::Receive => {
                self.receive = Default::default();
                self.refresh_receive_goods();
            }
            Screen::Stocktake => self.stocktake = Default::default(),
            Screen::Sync => self.sync.key_line.clear(),
            _ => {}
        }
    }
}

/// The typed work in a popup: a filled form, also while a question asked over it (close it?
/// quit?) is shown.
fn popup_work(modal: &Modal) -> Option<Work> {
    match modal {
        Modal::Form(form) => form.is_dirty().then_some(Work::Form),
        Modal::Confirm(Question::Discard(Leave::Form(_))) => Some(Work::Form),
        Modal::Confirm(Question::Quit(Some(back)) | Question::Discard(Leave::Quit(Some(back)))) => {
            popup_work(back)
        }
        _ => None,
    }
}
