#!/usr/bin/env bash
# Installs the Debian packages the E2E suite and `npm start` need, only those not installed yet, quietly.
#   bash scripts/e2e/ensure-debian-packages.sh [package ...]   (default: chromium ripgrep libkrb5-dev)
# ripgrep and libkrb5-dev are needed to install code-server offline; chromium drives it in the E2E suite.
set -euo pipefail

packages=("$@")
[[ ${#packages[@]} -gt 0 ]] || packages=(chromium ripgrep libkrb5-dev)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "[debian-packages] missing: ${missing[*]} — install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "[debian-packages] installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
