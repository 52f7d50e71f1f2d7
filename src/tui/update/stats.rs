//! The statistics screen: the year's points, the fast-moving goods' stock and the village
//! budget, read from the ledger as `report::stats` computes them for the command line. It only
//! reads, so monitor mode may open it; the year moves with the period keys, within the years
//! the command line accepts.

use super::super::keymap::Action;
use super::super::model::Model;
use super::super::msg::{Effect, Query};

use crate::report::stats::{YEAR_FIRST, YEAR_LAST};

/// Shows the screen on this year the first time, on the year last shown after that, and reads
/// its figures afresh (the ledger may have changed since).
pub(super) fn open(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.stats.year == 0 {
        model.stats.year = model.today().year;
    }
    model.stats.report = None;
    fx.push(Effect::Load(Query::Stats(model.stats.year)));
}

/// Runs a statistics action: the previous or next year.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let delta = match action {
        Action::PeriodPrev => -1,
        Action::PeriodNext => 1,
        _ => return,
    };
    let year = model.stats.year + delta;
    if !(YEAR_FIRST..=YEAR_LAST).contains(&year) {
        return;
    }
    model.stats.year = year;
    model.stats.report = None;
    fx.push(Effect::Load(Query::Stats(year)));
}

/// A year's report came; kept if it is still the year shown.
pub(super) fn loaded(model: &mut Model, report: Box<crate::report::StatsReport>) {
    if report.year == model.stats.year {
        model.stats.report = Some(report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StatsReport;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::{Access, Screen};
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    fn report(year: i32) -> Box<StatsReport> {
        Box::new(StatsReport {
            year,
            today: "2026-11-21".into(),
            months: vec![],
            weeks: vec![],
            fast_moving: vec![],
            budget: None,
        })
    }

    /// Ctrl-Z opens the screen on this year and asks for its figures, in the till and in
    /// monitor mode alike (it only reads); a late answer for another year is dropped.
    #[test]
    fn the_key_opens_the_screen_and_loads_the_year() {
        for access in [Access::Till, Access::Monitor, Access::ReadOnly] {
            let mut m = model(access);
            let fx = key(&mut m, KeyPress::ctrl('z'));
            assert_eq!(m.screen, Screen::Stats, "{access:?}");
            assert_eq!(fx, vec![Effect::Load(Query::Stats(2026))], "{access:?}");
            assert_eq!(m.status, None, "nothing refused in {access:?}");
        }
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('z'));
        update(&mut m, Msg::Loaded(Loaded::Stats(report(2025))));
        assert!(m.stats.report.is_none(), "another year's report is dropped");
        update(&mut m, Msg::Loaded(Loaded::Stats(report(2026))));
        assert_eq!(m.stats.report.as_ref().map(|r| r.year), Some(2026));
    }

    #[test]
    fn the_period_keys_move_the_year_and_reopening_reads_again() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('z'));
        update(&mut m, Msg::Loaded(Loaded::Stats(report(2026))));
        let fx = named(&mut m, KeyName::Left);
        assert_eq!(fx, vec![Effect::Load(Query::Stats(2025))]);
        assert!(
            m.stats.report.is_none(),
            "the old year is not shown as the new"
        );
        named(&mut m, KeyName::Right);
        let fx = named(&mut m, KeyName::Right);
        assert_eq!(fx, vec![Effect::Load(Query::Stats(2027))]);
        named(&mut m, KeyName::Esc);
        assert_eq!(m.screen, Screen::Till);
        let fx = key(&mut m, KeyPress::ctrl('z'));
        assert_eq!(
            fx,
            vec![Effect::Load(Query::Stats(2027))],
            "the year last shown"
        );
        m.stats.year = YEAR_LAST;
        assert!(named(&mut m, KeyName::Right).is_empty());
        assert_eq!(m.stats.year, YEAR_LAST);
    }
}
