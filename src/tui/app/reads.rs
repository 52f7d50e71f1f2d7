//! What the shell reads for the screens that keep the station's registers and for the USB
//! stick: the sheet files in a folder, a households sheet's preview (`import::preview`, the
//! ledger only read), a stocktake count sheet matched to the catalog (`import::count`), and
//! the stick as the settings remember it and the system mounts it (`sync::stick`). Each answers
//! in words a village manager can act on; none writes the ledger.

use std::path::{Path, PathBuf};

use crate::config::StationConfig;
use crate::domain::time::{CivilDate, Moment};
use crate::i18n::Lang;
use crate::import::count::{read_count_file, Tally};
use crate::import::headers::Kind;
use crate::import::preview::preview_file;
use crate::store::ledger::View;
use crate::store::StoreError;
use crate::sync::stick::removable_mounts;

use super::super::model::{SheetPreview, UsbFound};
use super::super::msg::Loaded;

/// At most this many sheet files are listed from one folder.
pub const SHEET_FILES_MAX: usize = 200;

/// The extensions of the sheet files a village keeps (Excel, WPS, LibreOffice, CSV).
const SHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xls", "ods", "csv", "txt"];

/// A file's name for messages: its name alone (the folder is shown once, above).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The sheet files directly in `folder`, sorted by name.
pub(super) fn sheet_files(folder: &Path, lang: Lang) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(folder).map_err(|e| match lang {
        Lang::Zh => format!(
            "打不开文件夹 {}：{e}；请插好U盘，或输入表格文件的路径",
            folder.display()
        ),
        Lang::En => format!(
            "cannot open the folder {}: {e}; plug the stick in, or type the sheet file's path",
            folder.display()
        ),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path.extension().is_some_and(|ext| {
                    let ext = ext.to_string_lossy().to_ascii_lowercase();
                    SHEET_EXTENSIONS.contains(&ext.as_str())
                })
        })
        .collect();
    files.sort();
    files.truncate(SHEET_FILES_MAX);
    Ok(files)
}

/// What importing the households sheet at `path` would do at `now_ms`, in words.
pub(super) fn sheet_preview(
    view: &View,
    path: &Path,
    now_ms: i64,
    lang: Lang,
) -> Result<Box<SheetPreview>, String> {
    let moment = Moment::confirmed(now_ms, CivilDate::from_utc_ms(now_ms));
    let name = file_name(path);
    let preview = preview_file(view, Kind::Households, path, &moment)
        .map_err(|e| e.message(lang, Path::new(&name)))?;
    Ok(Box::new(SheetPreview {
        file: name.clone(),
        new: preview.new.into_iter().map(|l| (l.row, l.value)).collect(),
        unchanged: preview.unchanged,
        refused: preview
            .refused
            .iter()
            .map(|p| p.message(lang, &name))
            .collect(),
        more_refused: preview.more_refused,
        scroll: 0,
    }))
}

/// A count sheet's counts matched to the catalog by goods id or barcode
/// ([`crate::import::count::Tally`]); rows that name no item, or an item twice, are listed as
/// problems (nothing of them is counted).
pub(super) fn count_sheet(view: &View, path: &Path, lang: Lang) -> Result<Loaded, StoreError> {
    let name = file_name(path);
    let (counts, problems) = match read_count_file(path) {
        Ok(rows) => {
            let mut tally = Tally::default();
            tally.add_rows(view, rows)?;
            let counts = tally
                .counts
                .into_iter()
                .map(|c| (c.goods_id, c.counted_units))
                .collect();
            let problems = tally
                .problems
                .iter()
                .map(|p| p.message(lang, &name))
                .collect();
            (counts, problems)
        }
        Err(problems) => (
            Vec::new(),
            problems.iter().map(|p| p.message(lang, &name)).collect(),
        ),
    };
    Ok(Loaded::Counts {
        file: name,
        counts,
        problems,
    })
}

/// The USB stick as the station's settings remember it and the system mounts it now (or as
/// `mounts` says, when the till was given fixed ones).
pub(super) fn usb_found(
    data_dir: Option<&Path>,
    mounts: Option<Vec<PathBuf>>,
    lang: Lang,
) -> UsbFound {
    let (remembered, problem) = match data_dir.map(StationConfig::load) {
        Some(Ok(config)) => (config.usb.folder, None),
        Some(Err(e)) => (None, Some(e.message(lang))),
        None => (None, None),
    };
    UsbFound {
        remembered_present: remembered.as_deref().is_some_and(Path::is_dir),
        remembered,
        mounts: mounts.unwrap_or_else(removable_mounts),
        problem,
    }
}

/// Remembers `folder` as the USB folder in the station's settings.
pub(super) fn remember_usb(
    data_dir: Option<&Path>,
    folder: &Path,
    lang: Lang,
) -> Result<(), String> {
    let Some(data_dir) = data_dir else {
        return Ok(());
    };
    StationConfig::remember_usb_folder(data_dir, folder).map_err(|e| e.message(lang))
}
