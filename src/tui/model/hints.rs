//! The keys named in the till's sentences ("press F9 to return to the till", "回车 确认兑换"),
//! drawn from the loaded keymap, so a user's `keymap.toml` that moves an action moves the
//! words with it. A sentence names a key as a person says it ([`KeyPress::spoken`]: in
//! Chinese, Enter is 回车 and Space 空格); the hint line at the bottom shows key caps.

use super::super::keymap::{Action, Context, KeyName, KeyPress};
use super::Model;

fn is_arrow(key: &KeyPress) -> bool {
    *key == KeyPress::plain(KeyName::Up)
        || *key == KeyPress::plain(KeyName::Down)
        || *key == KeyPress::plain(KeyName::Left)
        || *key == KeyPress::plain(KeyName::Right)
}

impl Model {
    fn bound(&self, context: Context, action: Action) -> Vec<KeyPress> {
        self.keymap
            .bindings(context)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.key)
            .collect()
    }

    /// Every key bound to `action` in `context`, as a sentence names it, in keymap order.
    pub fn keys_spoken(&self, context: Context, action: Action) -> Vec<String> {
        self.bound(context, action)
            .iter()
            .map(|k| k.spoken(self.lang))
            .collect()
    }

    /// The first key bound to `action` in `context`, as a sentence names it. When a user
    /// keymap gave the action's last key to another action, the action's own name stands in.
    pub fn key(&self, context: Context, action: Action) -> String {
        self.keys_spoken(context, action)
            .into_iter()
            .next()
            .unwrap_or_else(|| action.name().to_string())
    }

    /// A sentence around the first key bound to `action` in `context`: `before`, the key,
    /// `after`, each given as `(Chinese, English)` ("choose a household first (F2)").
    pub fn key_sentence(
        &self,
        before: (&str, &str),
        context: Context,
        action: Action,
        after: (&str, &str),
    ) -> String {
        format!(
            "{}{}{}",
            self.t(before.0, before.1),
            self.key(context, action),
            self.t(after.0, after.1)
        )
    }

    /// Every key bound to `action` in `context`, joined by `separator` (`z / F5`, `Del 或 d`).
    pub fn keys(&self, context: Context, action: Action, separator: &str) -> String {
        let keys = self.keys_spoken(context, action);
        if keys.is_empty() {
            return action.name().to_string();
        }
        keys.join(separator)
    }

    /// The last key bound to `action` in `context`: a form's own key (Enter) where the hint
    /// line already shows the first one (a function key).
    pub fn key_last(&self, context: Context, action: Action) -> String {
        self.keys_spoken(context, action)
            .pop()
            .unwrap_or_else(|| action.name().to_string())
    }

    /// A pair of opposite actions as one hint, key by key in keymap order and joined by `/`:
    /// arrow keys side by side (`←→`, `↑↓`), any other key by its forward key alone (`Tab`),
    /// so the shipped setup form reads `Tab/↑↓`.
    pub fn key_pair(&self, context: Context, back: Action, forward: Action) -> String {
        let backs = self.bound(context, back);
        let forwards = self.bound(context, forward);
        if forwards.is_empty() {
            return forward.name().to_string();
        }
        let parts: Vec<String> = forwards
            .iter()
            .enumerate()
            .map(|(i, f)| match backs.get(i) {
                Some(b) if is_arrow(b) && is_arrow(f) => {
                    format!("{}{}", b.spoken(self.lang), f.spoken(self.lang))
                }
                _ => f.spoken(self.lang),
            })
            .collect();
        parts.join("/")
    }
}
