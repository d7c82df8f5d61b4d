#!/usr/bin/env bash
# Installs Debian's Chromium for the headless browser tests (webview rendering, VS Code end
# to end) when it is missing, and prints the path of its executable. Needs root (apt-get).
set -euo pipefail
NET_TIMEOUT="${NET_TIMEOUT:-900}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null; then
  as_root timeout "$NET_TIMEOUT" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root timeout "$NET_TIMEOUT" apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
fi
command -v chromium
