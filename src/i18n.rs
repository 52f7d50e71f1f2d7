//! The two languages of the till. Chinese is the default; English with `--lang en`. Messages
//! are chosen with [`Lang::pick`] beside the code that says them, so a message and its
//! translation never drift apart in separate files.

use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Chooses the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Parses `zh` or `en`.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" => Some(Lang::Zh),
            "en" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
}

/// What the operating system said about a file, in `lang`: its own words in English; in
/// Chinese, words for the common kinds (not found, no permission, disk full…) and the system's
/// error code for the rest.
pub fn os_error(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return e.to_string();
    }
    let words = match e.kind() {
        K::NotFound => "找不到这个文件或文件夹",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::IsADirectory => "这是文件夹，不是文件",
        K::NotADirectory => "这不是文件夹",
        K::UnexpectedEof => "文件不完整",
        K::InvalidData => "文件内容不对",
        K::Interrupted | K::TimedOut => "读写被中断",
        K::WriteZero => "写不进去",
        _ => "系统报错",
    };
    match e.raw_os_error() {
        Some(code) => format!("{words}（系统代码 {code}）"),
        None => words.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_in_chinese_name_the_kind() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(
            os_error(&e, Lang::Zh),
            "找不到这个文件或文件夹（系统代码 2）"
        );
        assert!(os_error(&e, Lang::En).contains("No such file"));
    }
}
