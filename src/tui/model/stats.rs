//! The statistics screen's state: the year shown and its report as the shell read it
//! (`report::stats`), kept whole so the charts draw from the same figures the command line
//! prints.

use crate::report::StatsReport;

/// The statistics of a year.
#[derive(Clone, Debug, Default)]
pub struct StatsScreen {
    /// The calendar year shown; 0 until the screen is first opened (then this year).
    pub year: i32,
    /// The year's report, once read; `None` while it is being read.
    pub report: Option<Box<StatsReport>>,
}
