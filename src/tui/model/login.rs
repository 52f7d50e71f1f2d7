//! Who is at the till: the login screen's form (choose an operator, type the PIN; or, at a
//! station with no operators yet, create the first manager), the manager fields the setup
//! screen shares, and the two secret popups (a manager's PIN to leave monitor mode, a backup's
//! passphrase). Plain values; the PIN typed is never drawn, and never kept after it is sent to
//! the shell to check.

use super::Input;
use crate::domain::operator::{OperatorRecord, OperatorRole};

/// A field of the manager fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ManagerField {
    /// The manager's name.
    #[default]
    Name,
    /// The PIN.
    Pin,
    /// The PIN once more.
    PinAgain,
}

impl ManagerField {
    /// The fields in order.
    pub const ALL: [ManagerField; 3] = [
        ManagerField::Name,
        ManagerField::Pin,
        ManagerField::PinAgain,
    ];
}

/// The three fields that create a station's first manager: on the setup screen (with the
/// station) and on the login screen of a station that has no operators yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagerFields {
    /// The manager's name (every event they write records it).
    pub name: Input,
    /// The PIN, typed hidden.
    pub pin: Input,
    /// The PIN once more, typed hidden.
    pub pin_again: Input,
}

impl ManagerFields {
    /// The field's input.
    pub fn input(&mut self, field: ManagerField) -> &mut Input {
        match field {
            ManagerField::Name => &mut self.name,
            ManagerField::Pin => &mut self.pin,
            ManagerField::PinAgain => &mut self.pin_again,
        }
    }
}

/// The login screen.
#[derive(Clone, Debug, Default)]
pub struct LoginForm {
    /// The operator chosen (position in the station's operator list).
    pub selected: usize,
    /// The PIN typed, hidden.
    pub pin: Input,
    /// A station with no operators: the first manager to create.
    pub manager: ManagerFields,
    /// The manager field with the keyboard.
    pub field: ManagerField,
    /// No PIN is checked before this time on the till's key clock (ms): after a few wrong PINs
    /// in a row each try waits longer (`domain::operator::pin_delay_ms`).
    pub wait_until_ms: u64,
}

/// A field of the backup passphrase popup.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PassphraseField {
    /// The passphrase.
    #[default]
    Passphrase,
    /// The passphrase once more.
    Again,
}

/// The operators a PIN popup or the login screen offers, with their roles.
pub fn operator_names(operators: &[OperatorRecord]) -> Vec<(String, OperatorRole)> {
    operators.iter().map(|o| (o.name.clone(), o.role)).collect()
}
