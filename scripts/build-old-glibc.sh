#!/usr/bin/env bash
# Builds the release `aixin` for the laptops villages have: x86_64 Linux with glibc 2.17 or
# later (UOS and Kylin releases with glibc 2.28, older CentOS), stripped, with LTO, then runs
# it and checks that no symbol it needs is newer than glibc 2.17.
#
#   scripts/build-old-glibc.sh            # builds target/x86_64-unknown-linux-gnu/release-old-glibc/aixin
#
# Needs: cargo-zigbuild and zig, both from PyPI (`pip install --user cargo-zigbuild ziglang`;
# the script installs them when missing). The build uses its own profile (`release-old-glibc`
# in Cargo.toml: LTO, one codegen unit, stripped) so the everyday release build stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."

GLIBC=2.17
TARGET=x86_64-unknown-linux-gnu
PROFILE=release-old-glibc
export PATH="$HOME/.local/bin:$PATH"

if ! command -v cargo-zigbuild >/dev/null 2>&1 || ! python3 -m ziglang version >/dev/null 2>&1; then
  python3 -m pip install --user --quiet cargo-zigbuild ziglang
fi

nice -n 10 cargo zigbuild --locked --profile "$PROFILE" --target "$TARGET.$GLIBC" --bin aixin
BIN="target/$TARGET/$PROFILE/aixin"

# Every versioned glibc symbol the binary asks for must be 2.17 or older.
newest=$(objdump -T "$BIN" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -u | tail -1)
echo "newest glibc symbol version needed: $newest"
if [ "$(printf '%s\n%s\n' "$newest" "$GLIBC" | sort -t. -k1,1n -k2,2n | tail -1)" != "$GLIBC" ]; then
  echo "error: $BIN needs glibc $newest, newer than $GLIBC" >&2
  exit 1
fi

# It runs: its version, and a whole station in a temporary data dir (init, then verify).
"$BIN" --version
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" --data-dir "$tmp" init --station-id V001 --name "测试村" --policy member-card >/dev/null
"$BIN" --data-dir "$tmp" verify >/dev/null
echo "ok: $BIN runs; $(stat -c %s "$BIN") bytes ($(( $(stat -c %s "$BIN") / 1024 )) KiB)"
