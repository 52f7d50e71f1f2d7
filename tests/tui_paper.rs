//! The till and paper (issue 11): the score grid (F7) takes the score sheet's items where the
//! policy has them — Tab moves between items, the preview adds them up as the domain would and
//! names the item that is out of bounds, the commit writes the items with the score — and the
//! board (F12) shows them; F8 and F12 save their report for A4 (an XLSX file in the data dir
//! when no USB stick is there) and print its short form on the receipt printer. Snapshots at
//! 80×24 in Chinese and English.

mod common;

use aixin::domain::{Command, EventBody, ItemScore};
use aixin::i18n::Lang;
use aixin::tui::{Access, App, Clock, KeyName, KeyPress, Keymap};
use calamine::{Data, Reader, Xlsx};
use common::till::*;

/// The fixture station after its policy's score sheet was set, with October scored by item for
/// two more households (H002 still in publicity, H006 with a deduction).
fn app_with_items(lang: Lang, access: Access) -> (tempfile::TempDir, App) {
    let (dir, mut ledger) = ledger();
    let sheet = aixin::policies::builtin_sheet("threshold-score")
        .expect("shipped")
        .expect("parses")
        .expect("threshold-score has a score sheet");
    let item = |household: &str, items: &[(&str, i64)]| Command::EnterItemScores {
        household_id: household.into(),
        period: "2026-10".into(),
        items: items.iter().map(|(n, s)| ItemScore::new(*n, *s)).collect(),
        note: String::new(),
    };
    ledger
        .execute_batch(
            "村评议小组",
            NOW - 1800 * 1000,
            &[
                Command::SetScoreSheet { sheet },
                item(
                    "H006",
                    &[
                        ("主动脱贫", 8),
                        ("家庭美德", 8),
                        ("环境卫生", 8),
                        ("违规", -5),
                    ],
                ),
                item("H007", &[("环境卫生", 6), ("遵纪守法", 8)]),
            ],
        )
        .expect("sheet and scores");
    let app = App::new(
        ledger,
        lang,
        "管理员",
        access,
        dir.path().join("receipts"),
        Keymap::builtin().expect("keymap"),
        Clock::Fixed(NOW),
    )
    .expect("app")
    .with_data_dir(dir.path().to_path_buf());
    (dir, app)
}

/// The screen as plain rows, wide characters once.
fn snap(app: &App) -> String {
    let terminal = draw(app, 80, 24);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0usize;
        let mut row = String::new();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            row.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

fn typed(app: &mut App, text: &str) {
    app.type_text(text);
}

#[test]
fn the_score_grid_takes_items_previews_their_total_and_commits_them() {
    for (lang, name) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (_dir, mut app) = app_with_items(lang, Access::Till);
        press(&mut app, &[KeyName::F(7), KeyName::Down]);
        // H002: 主动脱贫 8, 家庭美德 8, 遵纪守法 6, then a deduction the sheet allows.
        typed(&mut app, "8");
        press(&mut app, &[KeyName::Tab]);
        typed(&mut app, "8");
        press(&mut app, &[KeyName::Tab]);
        typed(&mut app, "6");
        press(&mut app, &[KeyName::Tab, KeyName::Tab, KeyName::Tab]);
        typed(&mut app, "-2");
        assert_eq!(
            app.model.score_preview(1),
            aixin::tui::ScorePreview::Items {
                score: 80,
                points: 0
            }
        );
        // H003: an item beyond its bound is named in the preview.
        press(
            &mut app,
            &[KeyName::Down, KeyName::BackTab, KeyName::BackTab],
        );
        typed(&mut app, "9");
        insta::assert_snapshot!(format!("score_grid_items_{name}"), snap(&app));
        assert!(matches!(
            app.model.score_preview(2),
            aixin::tui::ScorePreview::Refused(aixin::domain::Refusal::ScoreItemOutOfRange { .. })
        ));
        // The bad row must be fixed before anything is committed.
        press(&mut app, &[KeyName::F(5)]);
        assert!(app.model.modal.is_none());
        app.press(KeyPress::ctrl('u'));
        press(&mut app, &[KeyName::F(5), KeyName::Enter]);
        // After the commit the grid shows what the period now holds, and the status says so.
        insta::assert_snapshot!(format!("score_grid_items_committed_{name}"), snap(&app));
        let view = app.ledger().view().expect("view");
        let award = view
            .awards()
            .expect("awards")
            .into_iter()
            .rfind(|a| a.household_id == "H002")
            .expect("H002's award");
        assert_eq!(award.score, 80);
        assert_eq!(
            award.items,
            vec![
                ItemScore::new("主动脱贫", 8),
                ItemScore::new("家庭美德", 8),
                ItemScore::new("遵纪守法", 6),
                ItemScore::new("违规", -2),
            ]
        );
        let events = view.events(1, u64::MAX).expect("events");
        assert!(matches!(
            events.last().map(|(e, _)| &e.body),
            Some(EventBody::ItemScoresEntered { .. })
        ));
    }
}

#[test]
fn the_board_shows_the_items_and_saves_and_prints_itself() {
    for (lang, name) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (dir, mut app) = app_with_items(lang, Access::Till);
        press(&mut app, &[KeyName::F(12)]);
        insta::assert_snapshot!(format!("publicity_board_items_{name}"), snap(&app));
        app.press(KeyPress::char('s'));
        let saved = dir.path().join("reports").join("LJC01-board-2026-10.xlsx");
        assert!(saved.exists(), "{}", snap(&app));
        let mut book: Xlsx<_> = calamine::open_workbook(&saved).expect("xlsx");
        let sheet = book.sheet_names().first().cloned().expect("sheet");
        let range = book.worksheet_range(&sheet).expect("range");
        let title = lang.pick("积分公示榜", "publicity board");
        assert_eq!(range.get_value((0, 0)), Some(&Data::String(title.into())));
        assert!(snap(&app).contains(&saved.display().to_string()[..20]));
        app.press(KeyPress::char('t'));
        let slip = dir.path().join("receipts").join("LJC01-board-2026-10.txt");
        let text = std::fs::read_to_string(&slip).expect("the slip");
        assert!(text.contains("单田芳") || text.contains("H006"), "{text}");
        for line in text.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 32, "{line}");
        }
        insta::assert_snapshot!(format!("board_slip_{name}"), text);
    }
}

#[test]
fn the_day_screen_saves_the_x_report_and_prints_its_totals_even_for_the_monitor() {
    let (dir, mut app) = app_with_items(Lang::Zh, Access::Monitor);
    let head = |app: &App| {
        app.ledger()
            .view()
            .expect("view")
            .require_meta()
            .expect("meta")
            .head_seq
    };
    let before = head(&app);
    press(&mut app, &[KeyName::F(8)]);
    app.press(KeyPress::char('s'));
    let saved = dir.path().join("reports").join("LJC01-X1.xlsx");
    assert!(saved.exists(), "{}", snap(&app));
    app.press(KeyPress::char('t'));
    let slip = std::fs::read_to_string(dir.path().join("receipts").join("LJC01-X1.txt"))
        .expect("the slip");
    assert!(slip.contains("兑换笔数"), "{slip}");
    assert!(slip.contains("经办人："), "{slip}");
    insta::assert_snapshot!("session_x_slip_zh", slip);
    // Saving and printing a report changes nothing in the ledger.
    assert_eq!(head(&app), before);
}

/// The trial: at 80 columns in English the board by item cut every item's name (`主动脱…`)
/// to make room for `Score`, and the score grid by item cut the selected row's refusal. Both
/// grids by item, in both languages, show every heading and item name whole at 80×24, and
/// the refusal whole under the grid.
#[test]
fn the_grids_by_item_show_every_heading_whole_at_80_columns() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, mut app) = app_with_items(lang, Access::Till);
        let names = [
            "主动脱贫",
            "家庭美德",
            "遵纪守法",
            "环境卫生",
            "配合工作",
            "违规",
        ];
        press(&mut app, &[KeyName::F(12)]);
        let board = snap(&app);
        let (score, points) = match lang {
            Lang::Zh => ("得分", "积分"),
            Lang::En => ("Score", "Pts"),
        };
        let header = board
            .lines()
            .find(|l| l.contains(names[1]) && l.contains(names[5]))
            .expect("the header");
        for word in names.iter().chain(&[score, points]) {
            assert!(header.contains(word), "{word}: {header}");
        }
        assert!(!board.contains('…'), "{board}");
        press(&mut app, &[KeyName::F(7), KeyName::Down, KeyName::Down]);
        typed(&mut app, "9");
        let grid = snap(&app);
        let header = grid
            .lines()
            .find(|l| l.contains(names[1]) && l.contains(names[5]))
            .expect("the header");
        for word in names {
            assert!(header.contains(word), "{word}: {header}");
        }
        let refusal = app.model.score_preview(2).clone();
        let text = match refusal {
            aixin::tui::ScorePreview::Refused(r) => r.message(lang),
            other => panic!("{other:?}"),
        };
        let flat: String = grid
            .lines()
            .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains(&text), "{text}\n{grid}");
    }
}
