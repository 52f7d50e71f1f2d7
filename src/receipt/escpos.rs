//! A receipt's lines as the bytes a thermal receipt printer takes (ESC/POS, as Epson, Xprinter,
//! Gprinter and the 58/80 mm printers of village shops speak it): initialise, Chinese
//! double-byte mode, each line in GBK followed by a line feed, a few lines of feed to bring the
//! paper past the cutter, and a partial cut (a printer without a cutter ignores it).
//!
//! A character GBK lacks (an emoji, a rare character beyond GBK) is printed as `□`, two
//! columns like the character it stands for, so the layout still lines up; a control character
//! is printed as a space, so text can never smuggle a command to the printer.

use encoding_rs::GBK;

use super::layout::char_columns;

/// `ESC @`: initialise the printer (clears any mode left by the last job).
pub const INITIALISE: [u8; 2] = [0x1B, 0x40];

/// `FS &`: Chinese character mode, double-byte GBK.
pub const CHINESE_MODE: [u8; 2] = [0x1C, 0x26];

/// `ESC d 4`: feed four lines, so the last line clears the cutter.
pub const FEED: [u8; 3] = [0x1B, 0x64, 4];

/// `GS V 1`: partial cut.
pub const CUT: [u8; 3] = [0x1D, 0x56, 0x01];

/// What stands for a character GBK cannot encode.
pub const MISSING: char = '□';

/// The printer job for receipt text (lines separated by `\n`).
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    out.extend_from_slice(&INITIALISE);
    out.extend_from_slice(&CHINESE_MODE);
    for line in text.lines() {
        encode_line(line, &mut out);
        out.push(b'\n');
    }
    out.extend_from_slice(&FEED);
    out.extend_from_slice(&CUT);
    out
}

fn encode_line(line: &str, out: &mut Vec<u8>) {
    let mut buffer = [0u8; 4];
    for c in line.chars() {
        if c.is_control() {
            out.push(b' ');
            continue;
        }
        let (bytes, _, unmappable) = GBK.encode(c.encode_utf8(&mut buffer));
        if unmappable {
            let (missing, _, _) = GBK.encode(MISSING.encode_utf8(&mut buffer));
            out.extend_from_slice(&missing);
            // An unmappable ASCII character cannot happen; a wide one keeps its two columns.
            debug_assert_eq!(char_columns(c), 2);
        } else {
            out.extend_from_slice(&bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_initialise_chinese_mode_lines_feed_and_cut() {
        let bytes = encode("大米\nRice 5kg\n");
        let (start, rest) = bytes.split_at(4);
        assert_eq!(start, [0x1B, 0x40, 0x1C, 0x26]);
        let (body, end) = rest.split_at(rest.len() - 6);
        assert_eq!(end, [0x1B, 0x64, 4, 0x1D, 0x56, 0x01]);
        assert_eq!(body, b"\xB4\xF3\xC3\xD7\nRice 5kg\n");
    }

    #[test]
    fn what_gbk_lacks_prints_as_a_box_and_controls_as_spaces() {
        let bytes = encode("米😀\u{1b}x");
        let body = &bytes[4..bytes.len() - 6];
        let (text, _, errors) = GBK.decode(body);
        assert!(!errors);
        assert_eq!(text, "米□ x\n");
    }
}
