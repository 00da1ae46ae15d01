#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 with a real Node extension host) into a cache folder outside the
# extension's node_modules, so `npm ci` for unit tests stays small and the E2E suite / `npm start` reuse it.
#
#   bash scripts/e2e/install-code-server.sh [--print-entry]   # --print-entry: print the entry script's path on stdout
#
# Idempotent: a finished install is marked with `.complete` and only re-checked (`--version`), not redone.
# Offline-safe apart from the npm registry: @vscode/ripgrep's postinstall would fetch `rg` from GitHub, so its
# download cache is pre-filled with Debian's /usr/bin/rg; node-gyp gets Debian's node headers (nodedir=/usr).
# Needs Debian packages: ripgrep, libkrb5-dev (kerberos module), and a C/C++ toolchain (python3, make, g++).
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${CLAUDE_USAGE_E2E_CACHE:-$HOME/.cache/claude-usage-e2e}"
DIR="$CACHE/code-server-$VERSION"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
RIPGREP_CACHE_NAME="vscode-ripgrep-cache-1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

print_entry=false
[[ "${1:-}" == "--print-entry" ]] && print_entry=true

log() { printf '[install-code-server] %s\n' "$*" >&2; }

works() {
  [[ -f "$DIR/.complete" && -f "$ENTRY" ]] && node "$ENTRY" --version >/dev/null 2>&1
}

mkdir -p "$CACHE"
# Two callers at once (CI + a local run) must not interleave one npm install.
exec 9>"$CACHE/.install-code-server.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

if works; then
  log "code-server $VERSION already installed in $DIR"
  if $print_entry; then printf '%s\n' "$ENTRY"; fi
  exit 0
fi

for tool in node npm rg; do
  command -v "$tool" >/dev/null 2>&1 || { log "missing '$tool' (apt-get install ripgrep nodejs npm)"; exit 1; }
done
if [[ ! -f /usr/include/gssapi/gssapi.h ]]; then
  log "missing /usr/include/gssapi/gssapi.h — install Debian's libkrb5-dev (code-server's kerberos module needs it)"
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  log "warning: code-server $VERSION supports Node 20 only; this is Node $(node -v)"
fi

log "installing code-server $VERSION into $DIR (about a minute) ..."
started=$(date +%s)
rm -rf "$DIR"
mkdir -p "$DIR/tmp"

# A private TMPDIR: @vscode/ripgrep looks for its archive in $TMPDIR/vscode-ripgrep-cache-<version>/.
work_tmp="$DIR/tmp"
mkdir -p "$work_tmp/$RIPGREP_CACHE_NAME"
tar -czf "$work_tmp/$RIPGREP_CACHE_NAME/$RIPGREP_ARCHIVE" -C "$(dirname "$(readlink -f "$(command -v rg)")")" rg

cat >"$DIR/package.json" <<JSON
{ "name": "claude-usage-e2e-code-server", "private": true, "version": "0.0.0" }
JSON

(
  cd "$DIR"
  export TMPDIR="$work_tmp"
  export npm_config_unsafe_perm=true   # its postinstall refuses to run as root otherwise
  export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`
  export npm_config_nodedir=/usr       # Debian's node headers; node-gyp would download them otherwise
  export npm_config_update_notifier=false
  export npm_config_fund=false
  export npm_config_audit=false
  npm install --no-save --loglevel=error "code-server@$VERSION" >"$DIR/install.log" 2>&1
) || {
  log "npm install failed; last lines of $DIR/install.log:"
  tail -n 40 "$DIR/install.log" >&2 || true
  exit 1
}
rm -rf "$work_tmp"

if ! node "$ENTRY" --version >/dev/null 2>&1; then
  log "code-server installed but '$ENTRY --version' fails:"
  node "$ENTRY" --version >&2 || true
  exit 1
fi
touch "$DIR/.complete"
log "installed code-server $(node "$ENTRY" --version | head -n 1) in $(( $(date +%s) - started )) s"
if $print_entry; then printf '%s\n' "$ENTRY"; fi
