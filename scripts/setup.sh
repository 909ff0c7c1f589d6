#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine to build and test twauth. Idempotent and quick to re-run:
# apt runs only if a package is missing, npm ci only if package-lock.json changed since the last
# successful install (or keytar's native module is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use, and why:
#   chromium                 browser-user.mjs / chromium.ts (driven by playwright-core)
#   gnome-keyring dbus       a private Secret Service per test (test/helpers/secret-service.ts)
#   libsecret-tools          secret-tool, for looking at a test keyring by hand
#   python3-dbus             test/helpers/secret-service-tool.py (items, lock, unlock, hanging service)
#   libsecret-1-dev pkg-config g++ make python3
#                            building keytar's native module (its prebuilt download cannot work here)
#   tmux                     terminal tests (test/helpers/tmux.ts)
#   zsh fish                 the completion scripts, loaded and exercised in those shells
#   util-linux               setpriv --pdeathsig, so test daemons die with the test process;
#                            mount (a full or read-only tmpfs in the security tests)
#   strace passwd            fault injection (kill -9, delays) and another Unix user (useradd)
#                            in the security tests (test/e2e/security-*.test.ts)
#   hyperfine time python3-tweepy
#                            benchmarks (bench/) and their Python peer
#   jq curl                  scripts and manual checks
PACKAGES=(
  chromium gnome-keyring dbus libsecret-tools python3-dbus
  libsecret-1-dev pkg-config g++ make python3
  tmux zsh fish util-linux strace passwd hyperfine time python3-tweepy jq curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
  else
    echo "setup: not root; install these first: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  fi
else
  echo "setup: Debian packages present"
fi

stamp=node_modules/.twauth-setup-stamp
want="$(node --version) $(sha256sum package-lock.json 2>/dev/null | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/keytar/build/Release/keytar.node ]; then
  echo "setup: node_modules up to date"
else
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=warn
  else
    npm install --no-audit --no-fund --loglevel=warn
  fi
  want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
  printf '%s' "$want" > "$stamp"
fi

npm run build
