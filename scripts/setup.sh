#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine to build and test twauth. Idempotent and quick to re-run:
# apt runs only if a package is missing, a Node version is fetched only if it is not there yet,
# npm ci only if package-lock.json changed since the last successful install (or the keychain
# module's native binary is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use, and why:
#   chromium                 browser-user.mjs / chromium.ts (driven by playwright-core)
#   gnome-keyring dbus       a private Secret Service per test (test/helpers/secret-service.ts)
#   libsecret-1-0            loaded at run time by the keychain module (@github/keytar)
#   libsecret-tools          secret-tool, for looking at a test keyring by hand
#   python3-dbus             test/helpers/secret-service-tool.py (items, lock, unlock, hanging service)
#   python3                  the test helpers above, and the Python peer of the benchmark
#   tmux                     terminal tests (test/helpers/tmux.ts)
#   zsh fish                 the completion scripts, loaded and exercised in those shells
#   bash-completion man-db   completion installed as `twauth completion --help` says; `man twauth`
#   util-linux               setpriv --pdeathsig, so test daemons die with the test process;
#                            mount (a full or read-only tmpfs in the security tests)
#   strace passwd            fault injection (kill -9, delays) and another Unix user (useradd)
#                            in the security tests (test/e2e/security-*.test.ts)
#   hyperfine time python3-tweepy
#                            benchmarks (bench/) and their Python peer
#   jq curl                  scripts and manual checks
PACKAGES=(
  chromium gnome-keyring dbus libsecret-1-0 libsecret-tools python3-dbus
  python3
  tmux zsh fish bash-completion man-db util-linux strace passwd hyperfine time python3-tweepy jq curl
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

# The Node versions the tests run on (scripts/test.mjs): 20, 22 and 24. The system's node
# (Debian 12: 20) serves its own version; the others are Node's official binaries, which the npm
# registry ships as the package node-linux-<arch> (version = Node's version), unpacked into
# .node/<major>/bin/node (ignored by git, never over the system's node).
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64) node_arch=arm64 ;;
  *) node_arch= ;;
esac
system_major=$(node -p 'process.versions.node.split(".")[0]')
for major in 20 22 24; do
  [ "$major" = "$system_major" ] && continue
  dest=.node/$major/bin/node
  if [ -x "$dest" ] && "$dest" -p 'process.versions.node' 2>/dev/null | grep -q "^$major\."; then
    continue
  fi
  [ -n "$node_arch" ] || { echo "setup: no Node $major binary for $(uname -m) on the npm registry; install it yourself" >&2; exit 1; }
  echo "setup: fetching Node $major (npm package node-linux-$node_arch@$major) into .node/$major"
  tmp=$(mktemp -d)
  tarball=$(cd "$tmp" && npm pack --silent "node-linux-$node_arch@$major" | tail -n1)
  tar -xzf "$tmp/$tarball" -C "$tmp" package/bin/node
  mkdir -p ".node/$major/bin"
  mv "$tmp/package/bin/node" "$dest.tmp" && mv "$dest.tmp" "$dest"
  rm -rf "$tmp"
  echo "setup: Node $("$dest" --version) at $dest"
done

stamp=node_modules/.twauth-setup-stamp
want="$(node --version) $(sha256sum package-lock.json 2>/dev/null | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && node -e "require('@github/keytar')" 2>/dev/null; then
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
