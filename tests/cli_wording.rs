//! How the command line reads to a village manager, through the real binary: Chinese lines
//! put nothing between a full-width colon and what follows it ("已确认评分条数：2"), the day
//! log's and the board's headings stay whole at 80 columns (序号, 名次), and `--json monitor`
//! (a screen, not a result) is refused in one line naming the subcommands that give JSON.

mod common;

use std::path::Path;

use common::cli::{aixin, head, ok, write, T0};

/// After the publicity week of the scores entered at [`T0`].
const LATER: &str = "2026-10-09T03:00:00Z";

/// A station with two households, goods, stock, confirmed scores and a sale: enough for every
/// read command to print something. Returns each command's stdout and stderr, in Chinese.
fn village(dir: &Path) -> Vec<(String, String)> {
    let mut said = Vec::new();
    let mut run = |now: &str, args: &[&str]| {
        let out = aixin(dir, now, args);
        assert!(
            out.status.success(),
            "aixin {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        said.push((
            format!("{args:?}"),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    };
    run(
        T0,
        &[
            "init",
            "--station-id",
            "LJC01",
            "--name",
            "李家村爱心超市",
            "--policy",
            "threshold-score",
        ],
    );
    let households = write(
        dir,
        "households.csv",
        "household_id,card_no,head,members,group,phone,registered_poor\nH001,LJ001,张三,李梅,一组,13800001234,是\nH002,LJ002,王秀英,,二组,,否\n",
    );
    run(T0, &["household", "import", &households]);
    let goods = write(
        dir,
        "goods.csv",
        "goods_id,name,unit,barcode,price_points,zone,category,supplier\nG01,食用油 1.8L,桶,6901234567892,20,20,粮油,县供销社\nG02,洗衣粉,袋,6901234567908,5,5,清洁,县供销社\nG03,毛巾,条,,5,5,日用,县供销社\n",
    );
    run(T0, &["goods", "import", &goods]);
    run(
        T0,
        &["stock", "receive", "G01", "10", "--donor", "县农商银行"],
    );
    run(T0, &["stock", "receive", "G02", "30", "--donor", "县妇联"]);
    run(T0, &["stock", "receive", "G03", "30", "--donor", "县妇联"]);
    run(T0, &["score", "enter", "H001", "2026-09", "95"]);
    run(T0, &["score", "enter", "H002", "2026-09", "90"]);
    run(LATER, &["award", "confirm", "--due"]);
    run(LATER, &["redeem", "LJ001", "G01:1", "G02:2", "G03:3"]);
    // A line of the day log wider than 80 columns: it wraps, and the log's 序号 must not.
    run(
        LATER,
        &[
            "redeem",
            "LJ002",
            "G01:1",
            "G02:1",
            "G03:1",
            "--proxy",
            "帮扶干部 刘明",
        ],
    );
    // A board by item: thirteen columns, too wide for 80 unless the headings wrap.
    for (household, items) in [
        (
            "H001",
            &[
                "主动脱贫=8",
                "家庭美德=8",
                "遵纪守法=8",
                "环境卫生=8",
                "配合工作=7",
                "违规=-5",
            ][..],
        ),
        ("H002", &["主动脱贫=8", "家庭美德=6"]),
    ] {
        let mut args = vec!["score", "enter", household, "2026-10"];
        for item in items {
            args.extend(["--item", item]);
        }
        run(LATER, &args);
    }
    for args in [
        &["household", "list"][..],
        &["household", "show", "H001"],
        &["goods", "list"],
        &["stock", "list"],
        &["award", "list"],
        &["balance", "LJ001"],
        &["log"],
        &["report", "session"],
        &["report", "board", "--period", "2026-09"],
        &["report", "board", "--period", "2026-10"],
        &["report", "stock"],
        &["report", "donations"],
        &["verify"],
    ] {
        run(LATER, args);
    }
    run(LATER, &["close-day"]);
    said
}

#[test]
fn chinese_lines_have_no_space_after_a_full_width_colon() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let said = village(tmp.path());
    assert!(
        said.iter()
            .any(|(args, text)| args.contains("confirm") && text.contains("已确认评分条数：2")),
        "{said:?}"
    );
    for (args, text) in &said {
        for line in text.lines() {
            assert!(!line.contains("： "), "aixin {args}: {line:?}");
        }
    }
    // The English line keeps its space.
    let dir = tmp.path().join("en");
    ok(&dir, T0, &["init", "--station-id", "V1", "--name", "村"]);
    ok(
        &dir,
        T0,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "张三",
        ],
    );
    ok(&dir, T0, &["score", "enter", "H1", "2026-09", "90"]);
    let confirmed = ok(&dir, LATER, &["--lang", "en", "award", "confirm", "--due"]);
    assert_eq!(confirmed.trim(), "awards confirmed: 1");
}

/// The heading lines of each table in `text`: the two lines above a rule of dashes (a heading
/// that wraps takes the second).
fn headings(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(3)
        .filter(|w| !w[2].is_empty() && w[2].chars().all(|c| c == '-'))
        .flat_map(|w| [w[0], w[1]])
        .collect()
}

#[test]
fn log_and_board_headings_stay_whole_at_eighty_columns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    village(dir);
    // The day log of the day of the sales (the open session was closed by `village`).
    let log = ok(dir, LATER, &["log", "--date", "2026-10-09"]);
    assert!(log.contains("刘明"), "{log}");
    let board = ok(dir, LATER, &["report", "board", "--period", "2026-10"]);
    assert!(board.contains("违规"), "{board}");
    let two = [
        "名次", "户号", "户主", "小组", "违规", "得分", "积分", "状态",
    ];
    for (what, text, words) in [
        ("log", &log, &["序号", "时间", "内容"][..]),
        ("board", &board, &two),
    ] {
        let headings = headings(text);
        assert!(!headings.is_empty(), "{what}: a table\n{text}");
        for word in words {
            assert!(
                headings.iter().any(|h| h.contains(word)),
                "{what}: {word} split over two lines\n{text}"
            );
        }
        for line in text.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "{what}: wider than 80\n{text}"
            );
        }
    }
}

#[test]
fn json_monitor_is_refused_in_one_line_naming_the_way_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, T0, &["init", "--station-id", "V1", "--name", "村"]);
    let before = head(dir);
    for (lang, words) in [
        ("zh", "监督模式是在终端里查看的界面，没有 JSON 输出"),
        (
            "en",
            "the monitor is a screen to read in a terminal and has no JSON output",
        ),
    ] {
        let out = aixin(dir, T0, &["--lang", lang, "--json", "monitor"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("aixin: "), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        assert!(stderr.contains("aixin --json log"), "{stderr}");
    }
    assert_eq!(head(dir), before);
    // A bundle's review is a result, so it stays JSON (refused here for another reason).
    let missing = dir.join("none.axb");
    let out = aixin(
        dir,
        T0,
        &["--json", "monitor", "--bundle", &missing.to_string_lossy()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("JSON"), "{stderr}");
}
