//! A station's id and the numbers printed with it (PRODUCT.md, "Station id and name").
//!
//! The id (`LJC01`) is short ASCII: it travels in every bundle's header and in the bundle's file
//! name on a FAT-formatted USB stick (`LJC01-000000000001-000000000200-3f9a0c1d.axb`, where the
//! sender is cut to 16 characters), in key lines the township enrolls, and on receipts before
//! the sale's number (`LJC01-1199`). The name (李家村爱心超市) is free text. This module owns:
//!
//! - [`check_station_id`]: the rule a new station's id must keep, refused at setup and at
//!   `aixin init` at once, with the rule and a suggested id in the message. It is stricter than
//!   what sync reads (`sync::keys::validate_station_id`, up to 64 bytes, for ledgers made before
//!   this rule), and everything it accepts, sync carries.
//! - [`suggest_station_id`]: an id from the name's pinyin initials (李家村爱心超市 → `LJC01`).
//! - [`sale_number`] and [`parse_sale_number`]: a sale's number as the receipt prints it, and
//!   read back as a manager types it (`LJC01-1199`, `1199`, full-width digits), refused when it
//!   names another station.
//!
//! Pure: ids and names in, values or refusals out.

use pinyin::ToPinyin;

use super::input;
use crate::i18n::Lang;

/// At most this many characters in a new station's id: the bundle file name keeps 16 of the
/// sender's characters, so two ids never share a file name prefix.
pub const STATION_ID_CHARS_MAX: usize = 16;

/// At most this many letters of a name's initials go into a suggested id.
const SUGGESTED_LETTERS_MAX: usize = 6;

/// Why a station id cannot be used; the message states the rule and offers an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StationIdProblem {
    /// Nothing was typed.
    Empty,
    /// Longer than [`STATION_ID_CHARS_MAX`].
    TooLong,
    /// A character that is not an ASCII letter, digit, `-` or `_` (a Chinese character, a
    /// space, a dot…).
    BadChar(char),
    /// Starts with `-` or `_`.
    BadStart,
}

/// A station id refused, with the id suggested from the station's name (when there is one).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct StationIdError {
    /// The id as typed (normalised).
    pub id: String,
    /// What is wrong.
    pub problem: StationIdProblem,
    /// An id that would be accepted, from the station's name.
    pub suggested: Option<String>,
}

impl StationIdError {
    /// One line: what is wrong, the rule, and the suggested id.
    pub fn message(&self, lang: Lang) -> String {
        let id = &self.id;
        let max = STATION_ID_CHARS_MAX;
        let what = match (&self.problem, lang) {
            (StationIdProblem::Empty, Lang::Zh) => "站点编号不能为空".to_string(),
            (StationIdProblem::Empty, Lang::En) => "the station id is empty".to_string(),
            (StationIdProblem::TooLong, Lang::Zh) => {
                format!("站点编号“{id}”太长（最多 {max} 个字符）")
            }
            (StationIdProblem::TooLong, Lang::En) => {
                format!("station id '{id}' is too long (at most {max} characters)")
            }
            (StationIdProblem::BadChar(c), Lang::Zh) if *c == ' ' => {
                format!("站点编号“{id}”里有空格")
            }
            (StationIdProblem::BadChar(c), Lang::Zh) => {
                format!("站点编号“{id}”里有“{c}”")
            }
            (StationIdProblem::BadChar(c), Lang::En) => {
                format!("station id '{id}' has '{c}' in it")
            }
            (StationIdProblem::BadStart, Lang::Zh) => {
                format!("站点编号“{id}”不能以 - 或 _ 开头")
            }
            (StationIdProblem::BadStart, Lang::En) => {
                format!("station id '{id}' must not start with - or _")
            }
        };
        let rule = match lang {
            Lang::Zh => format!(
                "；站点编号要写在同步数据包的文件名里，只能用英文字母、数字、- 和 _，最多 {max} 个字符（站点名称可以写中文）"
            ),
            Lang::En => format!(
                "; the id goes into sync bundle file names, so use only letters A-Z, digits, - and _, at most {max} characters (the station name may be Chinese)"
            ),
        };
        let offer = match (&self.suggested, lang) {
            (Some(s), Lang::Zh) => format!("；例如 {s}"),
            (Some(s), Lang::En) => format!("; for example {s}"),
            (None, Lang::Zh) => "；例如 LJC01".to_string(),
            (None, Lang::En) => "; for example LJC01".to_string(),
        };
        format!("{what}{rule}{offer}")
    }
}

/// Checks a new station's id, normalised as a code (full-width `ＬＪＣ０１` is `LJC01`): 1 to
/// [`STATION_ID_CHARS_MAX`] ASCII letters, digits, `-` and `_`, starting with a letter or a
/// digit. Returns the id to use. `name` (the station's name) gives the suggested id of the
/// refusal.
pub fn check_station_id(raw: &str, name: &str) -> Result<String, StationIdError> {
    let id = input::code(raw);
    let problem = if id.is_empty() {
        Some(StationIdProblem::Empty)
    } else if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        Some(StationIdProblem::BadChar(c))
    } else if id.chars().count() > STATION_ID_CHARS_MAX {
        Some(StationIdProblem::TooLong)
    } else if id.starts_with(['-', '_']) {
        Some(StationIdProblem::BadStart)
    } else {
        None
    };
    match problem {
        None => Ok(id),
        Some(problem) => Err(StationIdError {
            suggested: station_id_hint(&id, name),
            id,
            problem,
        }),
    }
}

/// The id to offer beside what was typed in a new station's id field (`raw`, normalised here
/// as [`check_station_id`] does): the one the name suggests ([`suggest_station_id`]), only when
/// the rule accepts it and it is not what was typed already. `None` means "say the rule only":
/// a hint never offers back the id in the field (in any case), refused or not.
pub fn station_id_hint(raw: &str, name: &str) -> Option<String> {
    let typed = input::code(raw);
    suggest_station_id(name).filter(|s| {
        !s.eq_ignore_ascii_case(&typed)
            && s.chars().count() <= STATION_ID_CHARS_MAX
            && s.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// An id for a station named `name`: the pinyin initials of the place (the name up to its
/// first 村, 乡, 镇 or 街道, else the name without 爱心超市), upper case, at most six letters, then
/// `01`: 李家村爱心超市 → `LJC01`, 城关镇 → `CGZ01`. ASCII letters and digits in the name count
/// as themselves. `None` when the name gives no letter.
pub fn suggest_station_id(name: &str) -> Option<String> {
    let name = input::text(name);
    let place = ["村", "乡", "镇", "街道"]
        .iter()
        .filter_map(|mark| name.find(mark).map(|at| at + mark.len()))
        .min()
        .map_or_else(
            || name.replace("爱心超市", "").replace("超市", ""),
            |end| name[..end].to_string(),
        );
    let letters: String = place
        .chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p
                .first_letter()
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic),
            None if c.is_ascii_alphanumeric() => Some(c),
            None => None,
        })
        .map(|c| c.to_ascii_uppercase())
        .take(SUGGESTED_LETTERS_MAX)
        .collect();
    if letters.is_empty() {
        return None;
    }
    Some(format!("{letters}01"))
}

/// A sale's number as the receipt prints it: `LJC01-1199`.
pub fn sale_number(station_id: &str, seq: u64) -> String {
    format!("{station_id}-{seq}")
}

/// Why a typed sale number was not taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum SaleNumberError {
    /// Not `STATION-SEQ` nor a number.
    NotASaleNumber(String),
    /// The number of a sale made at another station.
    OtherStation {
        /// The number as typed.
        number: String,
        /// The station it names.
        station: String,
        /// This station.
        own: String,
    },
}

impl SaleNumberError {
    /// One line saying how to write the number.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SaleNumberError::NotASaleNumber(n), Lang::Zh) => format!(
                "兑换单号“{n}”不对；请照小票上的“单号”填写，例如 LJC01-1199，或只写后面的数字 1199"
            ),
            (SaleNumberError::NotASaleNumber(n), Lang::En) => format!(
                "'{n}' is not a sale number; write it as printed on the receipt, e.g. LJC01-1199, or only its number 1199"
            ),
            (
                SaleNumberError::OtherStation {
                    number,
                    station,
                    own,
                },
                Lang::Zh,
            ) => format!(
                "兑换单 {number} 是站点 {station} 的，本站是 {own}；只能作废本站的兑换，请到 {station} 作废"
            ),
            (
                SaleNumberError::OtherStation {
                    number,
                    station,
                    own,
                },
                Lang::En,
            ) => format!(
                "sale {number} was made at station {station}, this is {own}; only this station's sales can be voided here, void it at {station}"
            ),
        }
    }
}

/// A sale number as typed or scanned from a receipt: `LJC01-1199` (this station's), `1199`,
/// `#1199`, in full-width forms too; the sale's sequence number at `own_station`. The station
/// part is compared without regard to case.
pub fn parse_sale_number(raw: &str, own_station: &str) -> Result<u64, SaleNumberError> {
    let number = input::code(raw);
    let (station, seq) = match number.rsplit_once('-') {
        Some((station, seq)) => (Some(station.trim()), seq.trim()),
        None => (None, number.trim_start_matches(['#', '＃']).trim()),
    };
    let not = || SaleNumberError::NotASaleNumber(number.clone());
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not());
    }
    let seq: u64 = seq.parse().map_err(|_| not())?;
    match station {
        Some("") => Err(not()),
        Some(station) if !station.eq_ignore_ascii_case(own_station) => {
            Err(SaleNumberError::OtherStation {
                number: number.clone(),
                station: station.to_string(),
                own: own_station.to_string(),
            })
        }
        _ => Ok(seq),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sync_can_carry_are_accepted_as_typed() {
        assert_eq!(check_station_id("LJC01", ""), Ok("LJC01".into()));
        assert_eq!(check_station_id(" ＬＪＣ０１ ", ""), Ok("LJC01".into()));
        assert_eq!(check_station_id("tw-3_b", ""), Ok("tw-3_b".into()));
        assert_eq!(
            check_station_id("A234567890123456", "").map(|s| s.len()),
            Ok(16)
        );
    }

    #[test]
    fn ids_sync_cannot_carry_are_refused_with_the_rule_and_an_id() {
        let err = check_station_id("李家村", "李家村爱心超市").err();
        let Some(err) = err else {
            panic!("a Chinese id must be refused")
        };
        assert_eq!(err.problem, StationIdProblem::BadChar('李'));
        assert_eq!(err.suggested.as_deref(), Some("LJC01"));
        let zh = err.message(Lang::Zh);
        assert!(
            zh.contains("只能用英文字母、数字、- 和 _") && zh.contains("LJC01"),
            "{zh}"
        );
        let en = err.message(Lang::En);
        assert!(
            en.contains("letters A-Z, digits") && en.contains("LJC01"),
            "{en}"
        );
        let problem = |raw: &str| check_station_id(raw, "").err().map(|e| e.problem);
        assert_eq!(problem(""), Some(StationIdProblem::Empty));
        assert_eq!(problem("  "), Some(StationIdProblem::Empty));
        assert_eq!(problem("LJ C01"), Some(StationIdProblem::BadChar(' ')));
        assert_eq!(problem("LJC.01"), Some(StationIdProblem::BadChar('.')));
        assert_eq!(problem("-LJC"), Some(StationIdProblem::BadStart));
        assert_eq!(
            problem("A2345678901234567"),
            Some(StationIdProblem::TooLong)
        );
    }

    #[test]
    fn a_hint_never_offers_back_the_typed_id() {
        let name = "李家村爱心超市";
        // Typed what the name suggests: the rule alone, no "e.g. LJC01" beside LJC01.
        assert_eq!(station_id_hint("LJC01", name), None);
        assert_eq!(station_id_hint(" ｌｊｃ０１ ", name), None);
        assert_eq!(station_id_hint("", name), Some("LJC01".into()));
        assert_eq!(station_id_hint("X1", name), Some("LJC01".into()));
        // A refused id is never the offer, and the offer is always one the rule accepts.
        for raw in ["李家村", "LJC 01", "-LJC01", "LJC01。", "A2345678901234567"] {
            let err = check_station_id(raw, name)
                .err()
                .map(|e| (e.id.clone(), e.suggested));
            let Some((id, suggested)) = err else {
                panic!("{raw} must be refused")
            };
            assert_ne!(suggested.as_deref(), Some(id.as_str()), "{raw}");
            if let Some(s) = suggested {
                assert!(check_station_id(&s, name).is_ok(), "{s}");
            }
        }
    }

    #[test]
    fn every_accepted_id_is_one_sync_reads() {
        for id in ["LJC01", "a", "Z-9_x", "A234567890123456"] {
            assert!(check_station_id(id, "").is_ok());
            assert_eq!(crate::sync::keys::validate_station_id(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn suggested_ids_come_from_the_places_initials() {
        assert_eq!(suggest_station_id("李家村爱心超市"), Some("LJC01".into()));
        assert_eq!(suggest_station_id("城关镇"), Some("CGZ01".into()));
        assert_eq!(suggest_station_id("王庄爱心超市"), Some("WZ01".into()));
        assert_eq!(
            suggest_station_id("城关镇李家村爱心超市"),
            Some("CGZ01".into())
        );
        assert_eq!(suggest_station_id("Test shop"), Some("TESTSH01".into()));
        assert_eq!(suggest_station_id("·"), None);
        assert_eq!(suggest_station_id(""), None);
        for name in [
            "李家村爱心超市",
            "城关镇",
            "Test shop",
            "欧阳长孙上官慕容村",
        ] {
            let id = suggest_station_id(name).unwrap_or_default();
            assert_eq!(check_station_id(&id, name), Ok(id.clone()), "{name}");
        }
    }

    #[test]
    fn sale_numbers_are_read_as_printed() {
        assert_eq!(sale_number("LJC01", 1199), "LJC01-1199");
        assert_eq!(parse_sale_number("LJC01-1199", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("ljc01-1199", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("1199", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("#1199", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("１１９９", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("ＬＪＣ０１－１１９９", "LJC01"), Ok(1199));
        assert_eq!(parse_sale_number("TW-A-7", "TW-A"), Ok(7));
        assert!(matches!(
            parse_sale_number("WZ01-1199", "LJC01"),
            Err(SaleNumberError::OtherStation { .. })
        ));
        for bad in ["", "LJC01-", "-5", "1.5", "LJC01-x", "abc"] {
            assert!(
                matches!(
                    parse_sale_number(bad, "LJC01"),
                    Err(SaleNumberError::NotASaleNumber(_))
                ),
                "{bad}"
            );
        }
        let zh = parse_sale_number("WZ01-3", "LJC01")
            .err()
            .map(|e| e.message(Lang::Zh))
            .unwrap_or_default();
        assert!(zh.contains("WZ01") && zh.contains("LJC01"), "{zh}");
    }
}
