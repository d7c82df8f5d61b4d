#!/usr/bin/env bash
# Installs the real PHP allocators the oracle tests compare against, and fetches the
# matching zend_alloc.c sources into a git-ignored cache (.cache/php-src/<version>/).
# Idempotent: does nothing that is already done. Needs root (apt-get).
set -euo pipefail
# Every network step (apt) gives up after this many seconds.
NET_TIMEOUT="${NET_TIMEOUT:-900}"
cd "$(dirname "$0")/.."
CACHE="$PWD/.cache"
PHP82_DEB="8.2.32-1~deb12u1"
mkdir -p "$CACHE/php-src"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_update_once() { if [ $apt_updated = 0 ]; then as_root timeout "$NET_TIMEOUT" apt-get update -qq; apt_updated=1; fi; }

# offered PKG VERSION: does apt offer that exact version? (The listing is read whole
# before searching it: `madison | grep -q` dies of SIGPIPE under pipefail.)
offered() { local list; list="$(apt-cache madison "$1")"; grep -qF "| $2 |" <<<"$list"; }

# 1. PHP 8.2.32 CLI with FFI (pinned: its source is the one apt-get source can fetch).
if ! command -v php8.2 >/dev/null || ! php8.2 -r 'exit(PHP_VERSION === "8.2.32" ? 0 : 1);' 2>/dev/null; then
  apt_update_once
  want="$PHP82_DEB"
  if ! offered php8.2-cli "$want"; then
    want="$(apt-cache madison php8.2-cli | awk -F'|' 'NR==1{gsub(/ /,"",$2); print $2}')"
    echo "setup-php: $PHP82_DEB is no longer offered; installing $want" >&2
  fi
  DEBIAN_FRONTEND=noninteractive as_root timeout "$NET_TIMEOUT" apt-get install -y -qq --allow-downgrades \
    "php8.2-cli=$want" "php8.2-common=$want" "php8.2-opcache=$want" "php8.2-readline=$want" >/dev/null
fi

# 1b. The headers of that same build (php-config8.2 --includes): the oracle's C shim
#     (media/oracle/zmm_shim.c) is compiled against them. Pinned to the CLI's version.
cli_deb="$(dpkg-query -W -f='${Version}' php8.2-cli)"
if [ "$(dpkg-query -W -f='${Status} ${Version}' php8.2-dev 2>/dev/null)" != "install ok installed $cli_deb" ] \
   || ! command -v php-config8.2 >/dev/null; then
  apt_update_once
  if ! offered php8.2-dev "$cli_deb"; then
    echo "setup-php: php8.2-dev $cli_deb is not offered; cannot build the oracle shim" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive as_root timeout "$NET_TIMEOUT" apt-get install -y -qq --no-install-recommends \
    "php8.2-dev=$cli_deb" >/dev/null
fi

# 2. The matching sources: only Zend/zend_alloc.{c,h} and zend_alloc_sizes.h are kept.
src_dir="$CACHE/php-src/8.2"
if [ ! -f "$src_dir/Zend/zend_alloc.c" ]; then
  if ! grep -q 'deb-src' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null; then
    as_root tee /etc/apt/sources.list.d/zend-mm-lab-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt_updated=0
  fi
  apt_update_once
  ver="$(php8.2 -r 'echo PHP_VERSION;')"
  deb_ver="$(dpkg-query -W -f='${Version}' php8.2-cli)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && timeout "$NET_TIMEOUT" apt-get source --download-only -qq "php8.2=$deb_ver" >/dev/null)
  orig="$(ls "$tmp"/php8.2_*.orig.tar.* | head -1)"
  mkdir -p "$src_dir"
  tar -xf "$orig" -C "$src_dir" --wildcards --strip-components=1 \
    '*/Zend/zend_alloc.c' '*/Zend/zend_alloc.h' '*/Zend/zend_alloc_sizes.h'
  # Debian patches may touch the allocator: apply those that do.
  deb_tar="$(ls "$tmp"/php8.2_*.debian.tar.* | head -1)"
  mkdir -p "$tmp/debian" && tar -xf "$deb_tar" -C "$tmp"
  if [ -f "$tmp/debian/patches/series" ]; then
    while read -r p; do
      [ -z "$p" ] || [ "${p#\#}" != "$p" ] && continue
      if grep -q '^+++ .*Zend/zend_alloc' "$tmp/debian/patches/$p"; then
        (cd "$src_dir" && patch -s -p1 --no-backup-if-mismatch < "$tmp/debian/patches/$p" || true)
      fi
    done < "$tmp/debian/patches/series"
  fi
  echo "$ver" > "$src_dir/VERSION"
  rm -rf "$tmp"
fi
echo "setup-php: php $(php8.2 -r 'echo PHP_VERSION;') ready; sources in $src_dir"
