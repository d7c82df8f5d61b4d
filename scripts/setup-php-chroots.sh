#!/usr/bin/env bash
# Builds the chroots that hold the other real PHP allocators the oracle can replay
# traces on, and fetches the matching allocator sources:
#
#   7.4  Debian bullseye (php7.4 7.4.33-1+deb11u5)  -> .cache/chroots/bullseye, .cache/php-src/7.4/
#   8.4  Debian trixie   (php8.4 8.4.24-1~deb13u1)  -> .cache/chroots/trixie,   .cache/php-src/8.4/
#
# Each PHP is pinned to the exact Debian build the oracle's structure layouts and the engine's
# profiles were read from. A suite moves on to newer point releases; when it no longer offers
# the pinned build, its packages and source are fetched from the archive's pool and checked
# against the SHA-256 sums written below.
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
# The pinned Debian build of each version.
deb_version_of() { case "$1" in 7.4) echo 7.4.33-1+deb11u5 ;; 8.4) echo 8.4.24-1~deb13u1 ;; esac; }
SECURITY_MIRROR="${ZMM_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

# SHA-256 of the pinned files fetched from the pool (a source package's .dsc then vouches
# for its tarballs).
pinned_sha256() {
  case "$1" in
    php8.4-cli_8.4.24-1~deb13u1_amd64.deb) echo 8205f927545c28a03fdcc1bd1fc83c1aa9615d2ee1f7cec4cd5c86e59716782f ;;
    php8.4-common_8.4.24-1~deb13u1_amd64.deb) echo fe81bee8ec155ed0ba14a2d1330f52f5ad3da2e7446ab74858f61c9e36202052 ;;
    php8.4-dev_8.4.24-1~deb13u1_amd64.deb) echo 5a03a0baab2673e11e94177f9e001b8f9d860c78b9c42255be317c6cc5856d5f ;;
    php8.4-opcache_8.4.24-1~deb13u1_amd64.deb) echo 0ed0c6ae703c5545155cc74905f4d3aad2efadb5c234f77f90e208d5f84f2ace ;;
    php8.4-readline_8.4.24-1~deb13u1_amd64.deb) echo 0b61ee28ce6c983c1bd3f7c851ff3f7c9124b3d3ffc52c8285a87d83c84ecc51 ;;
    php8.4_8.4.24-1~deb13u1.dsc) echo fd84ce153abc1af23514100a25d04acd3c728f5c4b5c30c3e1a0788ef9c780eb ;;
    *) echo "" ;;
  esac
}

# fetch_pool SOURCE FILE OUT SHA256: downloads FILE of source package SOURCE from the main
# archive's pool, else the security archive's, and checks its SHA-256.
fetch_pool() {
  local src="$1" file="$2" out="$3" sum="$4" url got
  [ -n "$sum" ] || die "no SHA-256 is pinned for $file"
  for url in "$MIRROR/pool/main/${src:0:1}/$src/$file" "$SECURITY_MIRROR/pool/updates/main/${src:0:1}/$src/$file"; do
    if timeout "$NET_TIMEOUT" curl -sfL -o "$out" "$url"; then
      got="$(sha256sum "$out" | cut -d' ' -f1)"
      [ "$got" = "$sum" ] || die "$file from $url has SHA-256 $got, not the pinned $sum"
      return 0
    fi
  done
  die "$file is neither in $MIRROR nor in $SECURITY_MIRROR (network problem, or the archive dropped it)"
}

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

# Brings every installed package built from php<v>'s source to the pinned build (a newer
# point release of the suite is replaced by the pinned one from the pool).
pin_build() {
  local v="$1" dir want work p arch f debs=()
  dir="$CACHE/chroots/$(suite_of "$v")"
  want="$(deb_version_of "$v")"
  local stale
  stale="$(chroot "$dir" dpkg-query -W -f='${Package} ${source:Package} ${Version}\n' | awk -v s="php$v" -v w="$want" '$2 == s && $3 != w { print $1 }')"
  [ -n "$stale" ] || return 0
  say "the suite offers another build of php$v; installing the pinned $want of: $(echo $stale)"
  work="$(mktemp -d "$dir/tmp/zmm-debs.XXXXXX")"
  WORK_DIRS+=("$work")
  for p in $stale; do
    arch="$(chroot "$dir" dpkg-query -W -f='${Architecture}' "$p")"
    f="${p}_${want}_${arch}.deb"
    fetch_pool "php$v" "$f" "$work/$f" "$(pinned_sha256 "$f")"
    debs+=("/tmp/$(basename "$work")/$f")
  done
  DEBIAN_FRONTEND=noninteractive in_chroot "$dir" dpkg -i "${debs[@]}" >/dev/null \
    || die "dpkg -i of the pinned php$v $want packages inside $dir failed"
}

# fetch_source_package V DEB_VERSION WORK: puts the source package of the pinned build into
# WORK: through apt-get source while the suite offers it (apt checks it), else from the pool
# (the .dsc checked against its pinned sum, the tarballs against the .dsc).
fetch_source_package() {
  local v="$1" deb_ver="$2" work="$3" dir dsc sum size name
  dir="$CACHE/chroots/$(suite_of "$v")"
  if in_chroot "$dir" sh -c "cd '/tmp/$(basename "$work")' && timeout $NET_TIMEOUT apt-get source --download-only -qq 'php$v=$deb_ver'" >/dev/null 2>&1; then
    return 0
  fi
  say "apt-get source php$v=$deb_ver failed; fetching it from the pool"
  dsc="php${v}_${deb_ver}.dsc"
  fetch_pool "php$v" "$dsc" "$work/$dsc" "$(pinned_sha256 "$dsc")"
  # the tarballs the .dsc names under Checksums-Sha256, each checked against it
  while read -r sum size name; do
    [ -n "$name" ] || continue
    case "$name" in *.asc) continue ;; esac
    fetch_pool "php$v" "$name" "$work/$name" "$sum"
  done < <(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on' "$work/$dsc")
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
  fetch_source_package "$v" "$deb_ver" "$work"
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
  pin_build "$v"
  fetch_sources "$v"
  dir="$CACHE/chroots/$(suite_of "$v")"
  ffi="$(chroot "$dir" "php$v" -n -d extension=ffi -r 'echo extension_loaded("FFI") ? "yes" : "no";' 2>/dev/null || echo no)"
  [ "$ffi" = yes ] || die "php$v inside $dir has no FFI extension"
  echo "setup-php-chroots: PHP $(chroot "$dir" "php$v" -n -r 'echo PHP_VERSION;') ready in ${dir#$ROOT/}"
done
