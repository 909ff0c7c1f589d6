# Sourced by scripts/demo.sh and bench/run.sh: starts a private D-Bus session bus with an
# unlocked gnome-keyring (a real Secret Service) for machines without a desktop session.
# Known traps are handled: the daemon's output (which would otherwise hold stdout open) never reaches stdout, and commands
# wait until org.freedesktop.secrets is owned on the bus.
#   start_private_keyring DIR   exports DBUS_SESSION_BUS_ADDRESS; sets KEYRING_PIDS
#   stop_private_keyring        kills what it started

KEYRING_PIDS=()
# The daemons also die with the calling script if it is killed outright (SIGKILL skips traps).
KEYRING_PDEATH=()
if command -v setpriv >/dev/null && setpriv --pdeathsig TERM true 2>/dev/null; then KEYRING_PDEATH=(setpriv --pdeathsig TERM); fi

start_private_keyring() {
  local dir=$1 i
  mkdir -p "$dir"/{home,data,runtime}
  chmod 700 "$dir/runtime"
  "${KEYRING_PDEATH[@]}" dbus-daemon --session --nofork --nopidfile --print-address=3 3>"$dir/bus.addr" >"$dir/dbus.log" 2>&1 &
  KEYRING_PIDS+=($!)
  for ((i = 0; i < 200; i++)); do grep -q '^unix:' "$dir/bus.addr" 2>/dev/null && break; sleep 0.05; done
  DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$dir/bus.addr")
  export DBUS_SESSION_BUS_ADDRESS
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n' |
    env HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/runtime" \
      "${KEYRING_PDEATH[@]}" gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/keyring.log" 2>&1 &
  KEYRING_PIDS+=($!)
  for ((i = 0; i < 200; i++)); do
    if dbus-send --session --dest=org.freedesktop.DBus --print-reply=literal /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
      return 0
    fi
    sleep 0.05
  done
  echo "private keyring did not start: $(cat "$dir/keyring.log")" >&2
  return 1
}

stop_private_keyring() {
  local p
  for p in "${KEYRING_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${KEYRING_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  KEYRING_PIDS=()
}
