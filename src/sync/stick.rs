//! Finding the USB stick. A village manager plugs a stick in and expects the till to know where
//! it is, as a file manager would: on Linux the mount points of removable drives are read from
//! `/proc/mounts` and `/sys/block/<disk>/removable`; elsewhere (and when nothing is found) the
//! manager types the folder. The folder used last is remembered in the station's settings
//! ([`crate::config::StationConfig`]). Reading the files is the edge ([`removable_mounts`]);
//! deciding which mounted file systems are removable is pure ([`parse_mounts`]).

use std::path::{Path, PathBuf};

/// At most this many removable mounts are offered (a laptop has two or three USB ports).
pub const MOUNTS_MAX: usize = 8;

/// The disk a block device belongs to: `sdb1` → `sdb`, `mmcblk0p1` → `mmcblk0`,
/// `nvme0n1p2` → `nvme0n1`; a whole disk is itself.
pub fn disk_of(device: &str) -> &str {
    let name = device.rsplit('/').next().unwrap_or(device);
    if name.starts_with("nvme") || name.starts_with("mmcblk") {
        // A partition of these ends in `p` and digits after a name that ends in a digit.
        return match name.rfind('p') {
            Some(at)
                if name[..at].ends_with(|c: char| c.is_ascii_digit())
                    && name.len() > at + 1
                    && name[at + 1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                &name[..at]
            }
            _ => name,
        };
    }
    match name.trim_end_matches(|c: char| c.is_ascii_digit()) {
        "" => name,
        disk => disk,
    }
}

/// Undoes the octal escapes `/proc/mounts` writes for spaces, tabs and backslashes (`\040`).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal.and_then(|d| {
            let code = d.iter().fold(0u32, |n, b| n * 8 + u32::from(b - b'0'));
            u8::try_from(code).ok()
        }) {
            Some(byte) => {
                out.push(byte);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount points in `mounts` (the text of `/proc/mounts`) whose device is a disk that
/// `is_removable` says is removable, in the order mounted, at most [`MOUNTS_MAX`].
pub fn parse_mounts(mounts: &str, is_removable: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for line in mounts.lines() {
        let mut fields = line.split_whitespace();
        let (Some(device), Some(point)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !device.starts_with("/dev/") {
            continue;
        }
        let point = PathBuf::from(unescape(point));
        if is_removable(disk_of(device)) && !out.contains(&point) {
            out.push(point);
        }
        if out.len() >= MOUNTS_MAX {
            break;
        }
    }
    out
}

/// The mount points of removable drives now, read from the running system. Empty where the
/// system does not say (not Linux), and when nothing removable is mounted.
pub fn removable_mounts() -> Vec<PathBuf> {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return Vec::new();
    };
    parse_mounts(&mounts, |disk| {
        let flag = Path::new("/sys/block").join(disk).join("removable");
        std::fs::read_to_string(flag).is_ok_and(|text| text.trim() == "1")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_belong_to_their_disk() {
        assert_eq!(disk_of("/dev/sdb1"), "sdb");
        assert_eq!(disk_of("/dev/sda"), "sda");
        assert_eq!(disk_of("/dev/mmcblk0p1"), "mmcblk0");
        assert_eq!(disk_of("/dev/mmcblk0"), "mmcblk0");
        assert_eq!(disk_of("/dev/nvme0n1p2"), "nvme0n1");
        assert_eq!(disk_of("/dev/nvme0n1"), "nvme0n1");
    }

    #[test]
    fn only_removable_disks_mount_points_are_offered() {
        let mounts = "\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
/dev/sdb1 /media/li/KINGSTON vfat rw 0 0
/dev/sdc1 /media/li/U\\040\\347\\233\\230 vfat rw 0 0
/dev/sdb1 /media/li/KINGSTON vfat rw 0 0
tmpfs /run tmpfs rw 0 0
";
        let found = parse_mounts(mounts, |disk| disk == "sdb" || disk == "sdc");
        assert_eq!(
            found,
            vec![
                PathBuf::from("/media/li/KINGSTON"),
                PathBuf::from("/media/li/U 盘"),
            ]
        );
        assert!(parse_mounts(mounts, |_| false).is_empty());
    }
}
