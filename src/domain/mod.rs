//! The rules of the love supermarket, pure: no files, no redb, no clock. Time and ids come in
//! as parameters; a command is either accepted, producing events, or refused with a reason.

pub mod apply;
pub mod backup;
pub mod catalog;
pub mod command;
pub mod credit;
pub mod event;
pub mod household;
pub mod input;
pub mod lots;
pub mod operator;
pub mod policy;
pub mod publicity;
pub mod receipt;
pub mod refusal;
pub mod roster;
pub mod score_items;
pub mod session;
pub mod state;
pub mod station;
pub mod stock;
pub mod time;
pub mod trust;
pub mod year_end;

pub use apply::apply;
pub use command::{
    decide, decide_at, item_score_points, score_points, Command, DecideError, HouseholdRef,
};
pub use event::{
    Event, EventBody, Goods, Hash, Household, PeriodKey, SaleLine, StationRole, StockSource, Zone,
};
pub use policy::Policy;
pub use refusal::Refusal;
pub use score_items::{ItemScore, ScoreItem, ScoreSheet};
pub use state::{Fault, MemoryState, State, StateMut};
