#!/usr/bin/env bash
# Installs what the native baseline of `npm run bench` needs: the PHP embed SAPI library
# (libphp8.2.so, package libphp8.2-embed) of exactly the same Debian build as the installed
# php8.2-cli, and that build's headers (php8.2-dev, php-config8.2). The bench links its small
# replay harness (bench/native/zmmReplay.c) against them, so its figures are those of the real
# zend_alloc.c that the oracle tests compare the engine against.
# Idempotent: installs nothing that is already there. Needs root (apt-get) when it installs.
set -euo pipefail
# Every network step (apt) gives up after this many seconds.
NET_TIMEOUT="${NET_TIMEOUT:-900}"
cd "$(dirname "$0")/.."

die() { echo "setup-bench: error: $*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "must run as root (or with sudo) to run: $*"; fi
}

command -v dpkg-query >/dev/null && command -v apt-get >/dev/null \
  || die "this script targets Debian bookworm (apt/dpkg not found)"

# The version every package is pinned to: that of the installed CLI (scripts/setup-php.sh
# installs 8.2.32-1~deb12u1).
cli_deb="$(dpkg-query -W -f='${Version}' php8.2-cli 2>/dev/null || true)"
[ -n "$cli_deb" ] || die "php8.2-cli is not installed; run 'bash scripts/setup-php.sh' first"

installed() { [ "$(dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null || true)" = "install ok installed $2" ]; }

# offered PKG VERSION: does apt offer that exact version? (The listing is read whole before
# it is searched: `madison | grep -q` dies of SIGPIPE under pipefail.)
offered() { local list; list="$(apt-cache madison "$1" 2>/dev/null || true)"; grep -qF "| $2 |" <<<"$list"; }

apt_updated=0
apt_update_once() {
  if [ $apt_updated = 0 ]; then
    as_root timeout "$NET_TIMEOUT" apt-get update -qq \
      || die "apt-get update failed or timed out after ${NET_TIMEOUT}s (NET_TIMEOUT)"
    apt_updated=1
  fi
}

missing=()
for pkg in libphp8.2-embed php8.2-dev; do
  installed "$pkg" "$cli_deb" || missing+=("$pkg")
done
command -v php-config8.2 >/dev/null || { [[ " ${missing[*]-} " == *" php8.2-dev "* ]] || missing+=(php8.2-dev); }

if [ ${#missing[@]} -gt 0 ]; then
  for pkg in "${missing[@]}"; do
    if ! offered "$pkg" "$cli_deb"; then
      apt_update_once
      offered "$pkg" "$cli_deb" \
        || die "apt does not offer $pkg=$cli_deb (the version of the installed php8.2-cli); the native baseline must be the same build"
    fi
  done
  pins=()
  for pkg in "${missing[@]}"; do pins+=("$pkg=$cli_deb"); done
  echo "setup-bench: installing ${pins[*]}"
  DEBIAN_FRONTEND=noninteractive as_root timeout "$NET_TIMEOUT" \
    apt-get install -y -qq --no-install-recommends --allow-downgrades "${pins[@]}" >/dev/null \
    || die "apt-get install ${pins[*]} failed or timed out after ${NET_TIMEOUT}s (NET_TIMEOUT)"
fi

# Check the result: the library, the headers and a C compiler.
lib="$(dpkg-query -L libphp8.2-embed 2>/dev/null | grep -E '/libphp8\.2\.so$' | head -1 || true)"
[ -n "$lib" ] && [ -f "$lib" ] || die "libphp8.2-embed is installed but libphp8.2.so was not found in it"
inc="$(php-config8.2 --include-dir 2>/dev/null || true)"
[ -f "$inc/Zend/zend_alloc.h" ] || die "php8.2-dev headers not found (php-config8.2 --include-dir gave '$inc')"
command -v cc >/dev/null || die "no C compiler 'cc' (install build-essential)"
echo "setup-bench: libphp8.2-embed $cli_deb ready ($lib); headers in $inc"
