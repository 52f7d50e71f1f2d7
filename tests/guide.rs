//! The guides show the till's real screens and printouts: every capture marked
//! `<!-- screen: tests/snapshots/NAME.snap -->` in `docs/guide.zh.md` and `docs/guide.md` must
//! be exactly the snapshot the tests check, so a change to a screen that leaves the guide
//! behind fails here (refresh the captures from the snapshots and read the text around them).

use std::path::Path;

const MARK: &str = "<!-- screen: ";

/// The body of an insta snapshot: everything after its header.
fn snapshot_body(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut parts = text.splitn(3, "---\n");
    let (_, _, body) = (parts.next(), parts.next(), parts.next());
    let body = body.unwrap_or(&text).to_string();
    if body.ends_with('\n') {
        body
    } else {
        format!("{body}\n")
    }
}

/// Each marked capture in a guide: (snapshot path, the text block after the mark).
fn captures(guide: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = guide;
    while let Some(at) = rest.find(MARK) {
        rest = &rest[at + MARK.len()..];
        let end = rest.find(" -->").expect("a closed mark");
        let snapshot = rest[..end].to_string();
        let block = rest[end..]
            .split_once("```text\n")
            .map(|(_, b)| b)
            .expect("a text block after the mark");
        let block = block
            .split_once("```")
            .map(|(b, _)| b)
            .expect("a closed block");
        out.push((snapshot, block.to_string()));
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_guides_show_the_screens_as_the_snapshots_have_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for guide in ["docs/guide.zh.md", "docs/guide.md"] {
        let text = std::fs::read_to_string(root.join(guide)).expect("the guide");
        let captures = captures(&text);
        assert!(captures.len() >= 4, "{guide}: screens are shown");
        for (snapshot, block) in captures {
            assert_eq!(
                block,
                snapshot_body(&root.join(&snapshot)),
                "{guide}: the capture of {snapshot} is out of date"
            );
        }
    }
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains("docs/guide.zh.md") && readme.contains("docs/guide.md"));
}
