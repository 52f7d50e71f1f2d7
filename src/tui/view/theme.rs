//! The till's colours: the 16 ANSI colours only, so it reads the same on a cheap screen, a
//! Linux console and a Windows terminal. Highlights use a background colour, not just bold, so
//! the selected row is visible on a washed-out display.

use ratatui::style::{Color, Modifier, Style};

/// Named styles.
pub struct Theme;

impl Theme {
    /// The title bar.
    pub const TITLE: Style = Style::new().fg(Color::White).bg(Color::Blue);
    /// The mode badge in till mode.
    pub const TILL_BADGE: Style = Style::new().fg(Color::Black).bg(Color::Green);
    /// The mode badge in monitor mode.
    pub const MONITOR: Style = Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD);
    /// The selected row of the panel with the keyboard.
    pub const HIGHLIGHT: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
    /// The selected row of a panel without the keyboard.
    pub const HIGHLIGHT_DIM: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
    /// The border of the panel with the keyboard.
    pub const FOCUS_BORDER: Style = Style::new().fg(Color::Yellow);
    /// Other borders.
    pub const BORDER: Style = Style::new().fg(Color::Gray);
    /// Column headers and hints.
    pub const MUTED: Style = Style::new().fg(Color::DarkGray);
    /// Rows that cannot be chosen (out of stock, replaced card).
    pub const DISABLED: Style = Style::new().fg(Color::DarkGray);
    /// Refusals and warnings.
    pub const BAD: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    /// Success.
    pub const GOOD: Style = Style::new().fg(Color::Green);
    /// Neutral information.
    pub const INFO: Style = Style::new().fg(Color::Cyan);
    /// Keys in the hint line.
    pub const KEY: Style = Style::new().fg(Color::Black).bg(Color::Gray);
    /// Marked rows (awards to confirm).
    pub const MARKED: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    /// The current choice in a row of choices (zones).
    pub const CHOICE: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
    /// Plain text.
    pub const PLAIN: Style = Style::new();
}
