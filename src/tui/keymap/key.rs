//! Keys as the till knows them, apart from any terminal library: [`KeyName`] and
//! [`KeyPress`] with its modifiers, how a keymap file writes a key (`F2`, `ctrl-g`, `enter`)
//! and how the till shows one, as a key cap on the hint line ([`KeyPress::label`]) or as a
//! person says it in a sentence ([`KeyPress::spoken`]).

use std::fmt;

use crate::i18n::Lang;

/// A key the till can be bound to, independent of the terminal library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyName {
    /// A printable character (letters are lower case when Ctrl or Alt is held).
    Char(char),
    /// A function key F1–F24.
    F(u8),
    /// Enter / Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
}

/// A key with its modifiers, as bound in a keymap and as pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyPress {
    /// The key.
    pub key: KeyName,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
    /// Shift held (only for non-character keys; a character carries its own case).
    pub shift: bool,
}

impl KeyPress {
    /// A key without modifiers.
    pub const fn plain(key: KeyName) -> KeyPress {
        KeyPress {
            key,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A character without modifiers.
    pub const fn char(c: char) -> KeyPress {
        KeyPress::plain(KeyName::Char(c))
    }

    /// Ctrl and a character.
    pub const fn ctrl(c: char) -> KeyPress {
        KeyPress {
            key: KeyName::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// The same key in its canonical form: Ctrl/Alt letters are lower case, Shift is dropped
    /// for characters (the character already says it) and Shift-Tab is `BackTab`.
    pub fn normalized(self) -> KeyPress {
        let mut k = self;
        if let KeyName::Char(c) = k.key {
            k.shift = false;
            if k.ctrl || k.alt {
                k.key = KeyName::Char(c.to_ascii_lowercase());
            }
        }
        if k.key == KeyName::Tab && k.shift {
            k.key = KeyName::BackTab;
            k.shift = false;
        }
        if k.key == KeyName::BackTab {
            k.shift = false;
        }
        k
    }

    /// A printable character typed without Ctrl or Alt: text for an input field.
    pub fn typed_char(&self) -> Option<char> {
        match self.key {
            KeyName::Char(c) if !self.ctrl && !self.alt && !c.is_control() => Some(c),
            _ => None,
        }
    }

    /// Parses a key as written in a keymap: `F2`, `ctrl-g`, `enter`, `shift-up`, `+`.
    pub fn parse(text: &str) -> Option<KeyPress> {
        let mut rest = text.trim();
        let mut press = KeyPress::plain(KeyName::Enter);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1
                && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+"))
            {
                press.ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1
                && (lower.starts_with("alt-") || lower.starts_with("alt+"))
            {
                press.alt = true;
                rest = &rest[4..];
            } else if rest.chars().count() > 1
                && (lower.starts_with("shift-") || lower.starts_with("shift+"))
            {
                press.shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let first = chars.next()?;
        press.key = if chars.next().is_none() {
            KeyName::Char(first)
        } else {
            named_key(&rest.to_ascii_lowercase())?
        };
        Some(press.normalized())
    }

    /// How the key is shown in hints and the help overlay.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.ctrl {
            out.push_str("Ctrl-");
        }
        if self.alt {
            out.push_str("Alt-");
        }
        if self.shift {
            out.push_str("Shift-");
        }
        let name = match self.key {
            KeyName::Char(' ') => "Space".to_string(),
            KeyName::Char(c) if self.ctrl || self.alt => c.to_ascii_uppercase().to_string(),
            KeyName::Char(c) => c.to_string(),
            KeyName::F(n) => format!("F{n}"),
            KeyName::Enter => "Enter".into(),
            KeyName::Esc => "Esc".into(),
            KeyName::Tab => "Tab".into(),
            KeyName::BackTab => "Shift-Tab".into(),
            KeyName::Backspace => "Bksp".into(),
            KeyName::Delete => "Del".into(),
            KeyName::Insert => "Ins".into(),
            KeyName::Up => "↑".into(),
            KeyName::Down => "↓".into(),
            KeyName::Left => "←".into(),
            KeyName::Right => "→".into(),
            KeyName::Home => "Home".into(),
            KeyName::End => "End".into(),
            KeyName::PageUp => "PgUp".into(),
            KeyName::PageDown => "PgDn".into(),
        };
        out.push_str(&name);
        out
    }

    /// The key as a cap on the hint line in `lang`, as short as it reads: a Ctrl letter is
    /// `^V` (as terminal programs show it); in Chinese, Enter is 回车 and Space 空格, as the
    /// sentences on the same screen name them ("回车 登录" above "回车登录"); everything else
    /// as [`KeyPress::label`].
    pub fn cap(&self, lang: Lang) -> String {
        match self.key {
            KeyName::Char(c) if self.ctrl && !self.alt && !self.shift && c != ' ' => {
                format!("^{}", c.to_ascii_uppercase())
            }
            _ => self.spoken(lang),
        }
    }

    /// How a sentence names the key: its [`KeyPress::label`], except that Chinese says 回车
    /// for Enter and 空格 for Space ("按回车建立本站").
    pub fn spoken(&self, lang: Lang) -> String {
        let plain = !self.ctrl && !self.alt && !self.shift;
        match (lang, self.key) {
            (Lang::Zh, KeyName::Enter) if plain => "回车".to_string(),
            (Lang::Zh, KeyName::Char(' ')) if plain => "空格".to_string(),
            _ => self.label(),
        }
    }
}

fn named_key(lower: &str) -> Option<KeyName> {
    if let Some(n) = lower.strip_prefix('f') {
        if let Ok(n) = n.parse::<u8>() {
            return (1..=24).contains(&n).then_some(KeyName::F(n));
        }
    }
    Some(match lower {
        "enter" | "return" => KeyName::Enter,
        "esc" | "escape" => KeyName::Esc,
        "tab" => KeyName::Tab,
        "backtab" => KeyName::BackTab,
        "backspace" | "bksp" => KeyName::Backspace,
        "delete" | "del" => KeyName::Delete,
        "insert" | "ins" => KeyName::Insert,
        "up" => KeyName::Up,
        "down" => KeyName::Down,
        "left" => KeyName::Left,
        "right" => KeyName::Right,
        "home" => KeyName::Home,
        "end" => KeyName::End,
        "pageup" | "pgup" => KeyName::PageUp,
        "pagedown" | "pgdn" => KeyName::PageDown,
        "space" => KeyName::Char(' '),
        "plus" => KeyName::Char('+'),
        "minus" => KeyName::Char('-'),
        _ => return None,
    })
}

impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_syntax() {
        assert_eq!(KeyPress::parse("F2"), Some(KeyPress::plain(KeyName::F(2))));
        assert_eq!(KeyPress::parse("ctrl-G"), Some(KeyPress::ctrl('g')));
        assert_eq!(KeyPress::parse("+"), Some(KeyPress::char('+')));
        assert_eq!(KeyPress::parse("-"), Some(KeyPress::char('-')));
        assert_eq!(
            KeyPress::parse("shift-tab"),
            Some(KeyPress::plain(KeyName::BackTab))
        );
        assert_eq!(KeyPress::parse("F25"), None);
        assert_eq!(KeyPress::parse("hyper-x"), None);
        assert_eq!(KeyPress::parse(""), None);
    }

    #[test]
    fn a_sentence_says_enter_and_space_in_its_language() {
        let enter = KeyPress::plain(KeyName::Enter);
        assert_eq!(enter.spoken(Lang::Zh), "回车");
        assert_eq!(enter.spoken(Lang::En), "Enter");
        assert_eq!(KeyPress::char(' ').spoken(Lang::Zh), "空格");
        assert_eq!(KeyPress::char(' ').spoken(Lang::En), "Space");
        assert_eq!(KeyPress::plain(KeyName::F(9)).spoken(Lang::Zh), "F9");
        assert_eq!(KeyPress::ctrl('w').spoken(Lang::Zh), "Ctrl-W");
    }

    #[test]
    fn a_key_bar_says_enter_in_its_language() {
        let enter = KeyPress::plain(KeyName::Enter);
        assert_eq!(enter.cap(Lang::Zh), "回车");
        assert_eq!(enter.cap(Lang::En), "Enter");
        assert_eq!(KeyPress::ctrl('v').cap(Lang::Zh), "^V");
        assert_eq!(KeyPress::plain(KeyName::Esc).cap(Lang::Zh), "Esc");
    }
}
