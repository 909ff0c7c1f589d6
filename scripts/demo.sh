#!/usr/bin/env bash
# The main job end to end, against the built-in X emulator (no X account needed):
# sandbox → twauth login (loopback callback; the sandbox plays the person in the browser) →
# whoami → tweet → tweet with a generated image and its alt text → accounts → logout (revokes). Credentials go to the OS keychain: the desktop's
# if there is one, else a private gnome-keyring started here.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/cli/main.cjs ] || npm run build   # scripts/setup.sh builds; this is for a bare checkout
WORK=$(mktemp -d)
SANDBOX_PID=
# shellcheck source=scripts/private-keyring.sh
. scripts/private-keyring.sh
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  stop_private_keyring
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v gnome-keyring-daemon >/dev/null; then
  start_private_keyring "$WORK/keyring"
  echo "demo: started a private gnome-keyring (no desktop session here)" >&2
fi
export TWAUTH_CONFIG_DIR="$WORK/config"
unset TWAUTH_ACCESS_TOKEN TWAUTH_ACCESS_TOKEN_SECRET TWAUTH_ACCOUNT TWAUTH_STORE

node bin/twauth sandbox --port 0 >"$WORK/sandbox.env" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
for ((i = 0; i < 100; i++)); do grep -q TWAUTH_CONSUMER_SECRET "$WORK/sandbox.env" 2>/dev/null && break; sleep 0.05; done
cat "$WORK/sandbox.env"
eval "$(cat "$WORK/sandbox.env")"

run() {
  printf '\n$ twauth %s\n' "$*" >&2
  node bin/twauth "$@"
}
BROWSER="node bin/twauth sandbox approve" run login --port 0
run whoami
run tweet "hello from the twauth sandbox ($(date -u +%H:%M:%S))"
node scripts/make-demo-image.mjs "$WORK/gradient.png"
run tweet "a generated image, posted with alt text" --media "$WORK/gradient.png" --alt "A square colour gradient from blue at the top left to pale yellow at the bottom right, crossed by a white diagonal stripe"
run accounts
run status
run logout
printf '\ndemo: OK (login, whoami, tweet, tweet with an image and alt text, status and logout against the sandbox)\n' >&2
