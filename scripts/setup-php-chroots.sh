#!/usr/bin/env bash
# Builds the chroots that hold the other real PHP allocators the oracle can replay
# traces on, and fetches the matching allocator sources:
#
#   7.4  Debian bullseye (php7.4 7.4.33)  -> .cache/chroots/bullseye, .cache/php-src/7.4/
#   8.4  Debian trixie   (php8.4 8.4.x)   -> .cache/chroots/trixie,   .cache/php-src/8.4/
#
# Usage: scripts/setup-php-chroots.sh [7.4|8.4|all]   (default: all)
#
# Idempotent: a chroot that exists only gets the packages it lacks; sources already
# extracted for the installed version are left alone. Needs root (debootstrap, chroot).
# PHP 8.2 is not handled here: it runs on the host (scripts/setup-php.sh).
#
# Only Zend/zend_alloc.c, Zend/zend_alloc.h and Zend/zend_alloc_sizes.h are kept from
# the source package (plus a VERSION file); nothing of it is ever committed.
set -euo pipefail
# Every network step (apt, debootstrap) gives up after this many seconds.
NET_TIMEOUT="${NET_TIMEOUT:-900}"
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="$ROOT/.cache"
MIRROR="${ZMM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# Scratch directories to remove however the script ends.
WORK_DIRS=()
cleanup() { local d; for d in "${WORK_DIRS[@]+"${WORK_DIRS[@]}"}"; do rm -rf "$d"; done; }
trap cleanup EXIT

die() { echo "setup-php-chroots: $*" >&2; exit 1; }
say() { echo "setup-php-chroots: $*" >&2; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot need it); try: sudo $0 $*"

want="${1:-all}"
case "$want" in
  7.4|8.4) versions=("$want") ;;
  all) versions=(7.4 8.4) ;;
  *) die "unknown version '$want' (expected 7.4, 8.4 or all)" ;;
esac

suite_of() { case "$1" in 7.4) echo bullseye ;; 8.4) echo trixie ;; esac; }

# --- debootstrap on the host -------------------------------------------------------
host_apt_updated=0
ensure_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  say "installing debootstrap on the host"
  if ! DEBIAN_FRONTEND=noninteractive timeout "$NET_TIMEOUT" apt-get install -y -qq debootstrap >/dev/null 2>&1; then
    [ $host_apt_updated = 1 ] || timeout "$NET_TIMEOUT" apt-get update -qq \
      || die "apt-get update failed on the host: is the Debian archive reachable?"
    host_apt_updated=1
    DEBIAN_FRONTEND=noninteractive timeout "$NET_TIMEOUT" apt-get install -y -qq debootstrap >/dev/null \
      || die "cannot install debootstrap with apt-get (network or archive problem)"
  fi
}

# in_chroot DIR CMD...: runs CMD inside DIR with a private /proc that disappears with
# the command (a new mount namespace: nothing is left mounted on the host, whatever
# happens). Falls back to a plain chroot when namespaces are not available.
in_chroot() {
  local dir="$1"; shift
  if unshare --mount --propagation private true 2>/dev/null; then
    unshare --mount --propagation private -- sh -c \
      'mount -t proc proc "$0/proc" 2>/dev/null || true; exec chroot "$0" "$@"' "$dir" "$@"
  else
    chroot "$dir" "$@"
  fi
}

# The packages every chroot needs: the CLI with FFI, its headers and php-config, and a
# compiler with the chroot's own glibc headers for the shim.
packages_for() { if [ "$1" = 7.4 ]; then echo "php7.4-cli php7.4-json php7.4-dev gcc libc6-dev"; else echo "php$1-cli php$1-dev gcc libc6-dev"; fi; }

# A chroot counts as complete once debootstrap finished (it leaves this marker).
MARKER=".zmm-chroot-complete"

create_chroot() {
  local v="$1" suite dir tmp started
  suite="$(suite_of "$v")"
  dir="$CACHE/chroots/$suite"
  if [ -f "$dir/$MARKER" ] || { [ -x "$dir/usr/bin/dpkg" ] && [ -x "$dir/usr/bin/apt-get" ] && [ -f "$dir/var/lib/dpkg/status" ]; }; then
    touch "$dir/$MARKER"
    return 0
  fi
  ensure_debootstrap
  [ -f "/usr/share/debootstrap/scripts/$suite" ] \
    || die "this debootstrap does not know Debian '$suite'; upgrade debootstrap"
  # Build beside the final place and rename at the end: an interrupted run leaves no
  # half-made chroot where the oracle looks for one.
  tmp="$dir.partial"
  if [ -e "$dir" ]; then
    say "removing $dir: it is not a complete chroot"
    rm -rf --one-file-system "$dir"
  fi
  if [ -e "$tmp" ]; then
    say "removing an unfinished $tmp"
    rm -rf --one-file-system "$tmp"
  fi
  mkdir -p "$CACHE/chroots"
  local pkgs; pkgs="$(packages_for "$v" | tr ' ' ',')"
  say "debootstrap $suite into $dir (packages: $pkgs)"
  started=$(date +%s)
  if ! timeout "$NET_TIMEOUT" debootstrap --variant=minbase --include="$pkgs" "$suite" "$tmp" "$MIRROR" >"$CACHE/chroots/$suite.debootstrap.log" 2>&1; then
    tail -n 15 "$CACHE/chroots/$suite.debootstrap.log" >&2 || true
    die "debootstrap of $suite from $MIRROR failed (network or archive problem; log: .cache/chroots/$suite.debootstrap.log)"
  fi
  touch "$tmp/$MARKER"
  mv "$tmp" "$dir"
  say "chroot $suite ready in $(( $(date +%s) - started )) s"
}

chroot_apt_updated=""
chroot_apt_update() {
  local dir="$1"
  case " $chroot_apt_updated " in *" $dir "*) return 0 ;; esac
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  in_chroot "$dir" timeout "$NET_TIMEOUT" apt-get update -qq \
    || die "apt-get update inside $dir failed: is $MIRROR reachable?"
  chroot_apt_updated="$chroot_apt_updated $dir"
}

ensure_packages() {
  local v="$1" dir missing=()
  dir="$CACHE/chroots/$(suite_of "$v")"
  for p in $(packages_for "$v"); do
    if [ "$(chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} = 0 ] && return 0
  say "installing ${missing[*]} into $dir"
  chroot_apt_update "$dir"
  DEBIAN_FRONTEND=noninteractive in_chroot "$dir" timeout "$NET_TIMEOUT" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} inside $dir failed (network or archive problem)"
  # php-dev must be the build of the installed CLI (the shim uses its headers).
  local cli dev
  cli="$(chroot "$dir" dpkg-query -W -f='${Version}' "php$v-cli")"
  dev="$(chroot "$dir" dpkg-query -W -f='${Version}' "php$v-dev")"
  [ "$cli" = "$dev" ] || die "php$v-cli $cli and php$v-dev $dev differ inside $dir"
}

# Extracts the allocator sources of the exact installed build into .cache/php-src/<v>/.
fetch_sources() {
  local v="$1" dir src_dir deb_ver php_ver work orig deb_tar
  dir="$CACHE/chroots/$(suite_of "$v")"
  src_dir="$CACHE/php-src/$v"
  php_ver="$(chroot "$dir" "php$v" -n -r 'echo PHP_VERSION;')" || die "php$v does not run inside $dir"
  deb_ver="$(chroot "$dir" dpkg-query -W -f='${Version}' "php$v-cli")"
  if [ -f "$src_dir/Zend/zend_alloc.c" ] && [ -f "$src_dir/Zend/zend_alloc.h" ] \
     && [ -f "$src_dir/Zend/zend_alloc_sizes.h" ] && [ "$(cat "$src_dir/VERSION" 2>/dev/null)" = "$php_ver" ]; then
    return 0
  fi
  # A deb-src entry for the chroot's own suite, so that apt-get source inside it fetches
  # exactly the source package of the installed build.
  local list="$dir/etc/apt/sources.list.d/zmm-lab-src.list"
  if [ ! -f "$list" ]; then
    echo "deb-src $MIRROR $(suite_of "$v") main" > "$list"
    chroot_apt_updated="${chroot_apt_updated// $dir/}"
  fi
  chroot_apt_update "$dir"
  work="$(mktemp -d "$dir/tmp/zmm-src.XXXXXX")"
  WORK_DIRS+=("$work")
  say "fetching the source package php$v=$deb_ver"
  # apt drops privileges to _apt for downloads; the work directory must let it write.
  chmod 0777 "$work"
  in_chroot "$dir" sh -c "cd '/tmp/$(basename "$work")' && timeout $NET_TIMEOUT apt-get source --download-only -qq 'php$v=$deb_ver'" >/dev/null 2>&1 \
    || die "apt-get source php$v=$deb_ver inside $dir failed (network problem, or the archive no longer offers that source)"
  orig="$(ls "$work"/php"$v"_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)"
  deb_tar="$(ls "$work"/php"$v"_*.debian.tar.* 2>/dev/null | head -1)"
  [ -n "$orig" ] || die "the source package of php$v=$deb_ver has no orig tarball"
  rm -rf "$src_dir"
  mkdir -p "$src_dir"
  tar -xf "$orig" -C "$src_dir" --wildcards --strip-components=1 \
    '*/Zend/zend_alloc.c' '*/Zend/zend_alloc.h' '*/Zend/zend_alloc_sizes.h' \
    || die "the orig tarball $(basename "$orig") lacks the Zend allocator files"
  # Debian patches that touch the allocator are applied, as the binary was built with them.
  if [ -n "$deb_tar" ]; then
    tar -xf "$deb_tar" -C "$work"
    if [ -f "$work/debian/patches/series" ]; then
      while read -r p; do
        { [ -z "$p" ] || [ "${p#\#}" != "$p" ]; } && continue
        if grep -q '^+++ .*Zend/zend_alloc' "$work/debian/patches/$p"; then
          say "applying Debian patch $p"
          (cd "$src_dir" && patch -s -p1 --no-backup-if-mismatch < "$work/debian/patches/$p") \
            || die "Debian patch $p does not apply to the allocator sources"
        fi
      done < "$work/debian/patches/series"
    fi
  fi
  echo "$php_ver" > "$src_dir/VERSION"
  rm -rf "$work"
  say "sources of PHP $php_ver ($deb_ver) in ${src_dir#$ROOT/}/Zend"
}

for v in "${versions[@]}"; do
  create_chroot "$v"
  ensure_packages "$v"
  fetch_sources "$v"
  dir="$CACHE/chroots/$(suite_of "$v")"
  ffi="$(chroot "$dir" "php$v" -n -d extension=ffi -r 'echo extension_loaded("FFI") ? "yes" : "no";' 2>/dev/null || echo no)"
  [ "$ffi" = yes ] || die "php$v inside $dir has no FFI extension"
  echo "setup-php-chroots: PHP $(chroot "$dir" "php$v" -n -r 'echo PHP_VERSION;') ready in ${dir#$ROOT/}"
done
