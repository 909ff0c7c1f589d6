#!/usr/bin/env bash
# twauth start-up benchmark (`npm run bench`, which builds first). See bench/README.md.
#
#   1. a private D-Bus session bus with an unlocked gnome-keyring (Secret Service), a keytar
#      round-trip through it;
#   2. the X emulator (`twauth sandbox --no-rate-limits`), one login through the sandbox's
#      headless "browser", stored in that keyring;
#   3. every command run once and checked (output printed; network commands must reach the
#      emulator, counted by its request log), then timed by hyperfine, then peak RSS measured
#      with GNU time (median of BENCH_RSS_RUNS);
#   4. bench/report.mjs prints the table and the target checks and writes
#      bench/results/latest.{json,md}.
#
# Environment: BENCH_ENV (inherit or minimal: the timed commands' environment, see below),
# BENCH_RUNS (default 40), BENCH_ROUNDS (4), BENCH_WARMUP (5), BENCH_RSS_RUNS (5),
# BENCH_PYTHON (a python3 that can import tweepy; default /usr/bin/python3, then python3),
# BENCH_PROFILE=1 (also CPU-profile floor, --version and both whoami runs once each and print
# where their time goes: bench/profile-summary.mjs; profiles kept in bench/results/profiles).
# Exit status: 0 when every command ran (even if a target is missed: this is a report),
# 1 when a command failed or the set-up did, 130/143 on Ctrl-C / SIGTERM.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=../scripts/private-keyring.sh
. scripts/private-keyring.sh
ROOT=$PWD
RUNS=${BENCH_RUNS:-40}
WARMUP=${BENCH_WARMUP:-5}
ROUNDS=${BENCH_ROUNDS:-4}
BENCH_ENV_MODE=${BENCH_ENV:-inherit}
RSS_RUNS=${BENCH_RSS_RUNS:-5}
RESULTS=$ROOT/bench/results

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

[[ $RUNS =~ ^[1-9][0-9]*$ && $RUNS -ge 2 ]] || die "BENCH_RUNS must be an integer >= 2 (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be an integer >= 0 (got '$WARMUP')"
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $ROUNDS -le $RUNS ]] || die "BENCH_ROUNDS must be an integer from 1 to BENCH_RUNS (got '$ROUNDS')"
[[ $RSS_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RSS_RUNS must be an integer >= 1 (got '$RSS_RUNS')"
[[ $BENCH_ENV_MODE == inherit || $BENCH_ENV_MODE == minimal ]] || die "BENCH_ENV must be inherit or minimal (got '$BENCH_ENV_MODE')"

# ---------------------------------------------------------------- prerequisites
missing=()
for c in node hyperfine dbus-daemon dbus-send gnome-keyring-daemon od; do
  command -v "$c" >/dev/null || missing+=("$c")
done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time (apt-get install time)")
((${#missing[@]} == 0)) || die "missing: ${missing[*]} (see bench/README.md)"
NODE=$(command -v node)
"$NODE" bin/twauth --version >/dev/null 2>&1 || die "bin/twauth does not run: run 'npm run build' (npm run bench does)"
[[ -f node_modules/twitter-api-v2/package.json ]] || die "twitter-api-v2 is not installed: run 'npm ci'"
"$NODE" -e "require('@github/keytar')" 2>/dev/null || die "@github/keytar does not load (npm ci; see bench/README.md)"
PY=
for p in ${BENCH_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import tweepy' 2>/dev/null; then PY=$(command -v "$p"); break; fi
done
[[ -n $PY ]] || die "no python3 that can import tweepy (apt-get install python3-tweepy, or set BENCH_PYTHON)"

# Nothing from the caller's twauth environment may leak into the runs.
unset "${!TWAUTH_@}" BROWSER || true

# ---------------------------------------------------------------- clean-up
WORK=$(mktemp -d "${TMPDIR:-/tmp}/twauth-bench.XXXXXX")
[[ $WORK$ROOT$NODE$PY != *[[:space:]]* ]] || { rm -rf "$WORK"; die "paths with white space are not supported (hyperfine -N splits command lines): $WORK $ROOT $NODE $PY"; }
EMU_PID= HF_PID=
stop_pid() { # pid: TERM, up to 3 s, then KILL; only processes this script started
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$HF_PID"
  stop_pid "$EMU_PID"
  stop_private_keyring
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_until SECONDS WHAT COMMAND...: polls every 50 ms.
wait_until() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 20; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  die "timed out after ${secs}s waiting for $what"
}

mkdir -p "$WORK"/{home,data,runtime,config,empty-config,cache} "$RESULTS"
# Variables of the caller's that change how Node (or Python) starts, for the report.
START_UP_VARS=$(env | grep -oE '^(NODE_[A-Z_]+|UV_THREADPOOL_SIZE|OPENSSL_CONF|SSL_CERT_FILE|SSL_CERT_DIR|PYTHON[A-Z_]*)=' | tr -d = | sort | tr '\n' ' ' || true)
# Node's compile cache for twauth (Node >= 22; src/cli/node-compile-cache.ts) starts empty: the first (warm-up) runs write
# it, the timed runs use it, as a person's second and later runs do. One row runs without it.
export XDG_CACHE_HOME=$WORK/cache
chmod 700 "$WORK/runtime"

# Daemons also die with this script if it is killed outright (SIGKILL skips the trap).
PDEATH=()
if command -v setpriv >/dev/null && setpriv --pdeathsig TERM true 2>/dev/null; then PDEATH=(setpriv --pdeathsig TERM); fi

# ---------------------------------------------------------------- 1. session bus + keyring
# Our own dbus-daemon and gnome-keyring (scripts/private-keyring.sh, shared with the demo), so
# that every command below, the timed ones included, runs on the same bus.
start_private_keyring "$WORK/keyring" || die "the private keyring did not start"
log "private session bus $DBUS_SESSION_BUS_ADDRESS with gnome-keyring (pids ${KEYRING_PIDS[*]})"

timeout 30 "$NODE" -e "
  const k = require('@github/keytar'), s = 'twauth-bench-probe', a = 'probe', v = 'v' + process.pid;
  (async () => {
    await k.setPassword(s, a, v);
    const got = await k.getPassword(s, a);
    await k.deletePassword(s, a);
    if (got !== v) throw new Error('read back ' + JSON.stringify(got));
    console.error('bench: keytar round-trip through the private keyring: OK');
  })().catch((e) => { console.error('bench: keytar round-trip failed: ' + e.message); process.exit(1); });
" || die "the keyring is not usable"

# ---------------------------------------------------------------- 2. emulator + login
"${PDEATH[@]}" "$NODE" bin/twauth sandbox --port 0 --no-rate-limits >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
EMU_PID=$!
emulator_ready() {
  kill -0 "$EMU_PID" 2>/dev/null || die "twauth sandbox exited: $(cat "$WORK/sandbox.err")"
  (($(grep -c '^export TWAUTH_' "$WORK/sandbox.out") >= 3))
}
wait_until 15 "twauth sandbox to print its environment" emulator_ready
sandbox_var() { # the value of one export line (shellQuote may have put it in single quotes)
  local v
  v=$(sed -n "s/^export $1=//p" "$WORK/sandbox.out" | head -n1)
  v=${v#\'}
  printf '%s' "${v%\'}"
}
API_BASE=$(sandbox_var TWAUTH_API_BASE)
CONSUMER_KEY=$(sandbox_var TWAUTH_CONSUMER_KEY)
CONSUMER_SECRET=$(sandbox_var TWAUTH_CONSUMER_SECRET)
[[ $API_BASE =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || die "unexpected TWAUTH_API_BASE '$API_BASE'"
log "emulator: $API_BASE (pid $EMU_PID, rate limits off)"

# The login stores into the keychain: TWAUTH_STORE is unset (auto), the keyring is healthy.
log "logging in through the sandbox's headless browser"
env TWAUTH_CONFIG_DIR="$WORK/config" TWAUTH_API_BASE="$API_BASE" \
  TWAUTH_CONSUMER_KEY="$CONSUMER_KEY" TWAUTH_CONSUMER_SECRET="$CONSUMER_SECRET" \
  BROWSER="$NODE $ROOT/bin/twauth sandbox approve" \
  timeout 60 "$NODE" bin/twauth login --port 0 >"$WORK/login.out" 2>&1 ||
  die "login failed: $(cat "$WORK/login.out")"
sed 's/^/    /' "$WORK/login.out" >&2

# Environment credentials, as `twauth token --env` prints them.
TWAUTH_CONFIG_DIR="$WORK/config" timeout 30 "$NODE" bin/twauth token --env >"$WORK/token.env" ||
  die "twauth token --env failed"
ENV_CREDS=()
while IFS= read -r line; do
  [[ $line =~ ^export\ (TWAUTH_[A-Z_]+)=(.*)$ ]] || die "unexpected line from token --env: ${line%%=*}=..."
  name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
  value=${value#\'} value=${value%\'}
  # hyperfine -N splits command lines like a shell: keep to characters that need no quoting.
  [[ $value =~ ^[A-Za-z0-9._:/@+=-]+$ ]] || die "$name has characters this script does not quote"
  ENV_CREDS+=("$name=$value")
  case $name in
    TWAUTH_SCREEN_NAME) USERNAME=$value ;;
    TWAUTH_ACCESS_TOKEN_SECRET) TOKEN_SECRET=$value ;;
  esac
done <"$WORK/token.env"
((${#ENV_CREDS[@]} >= 5)) || die "twauth token --env printed too little"
[[ -n ${USERNAME:-} && -n ${TOKEN_SECRET:-} ]] || die "token --env printed no TWAUTH_SCREEN_NAME or no token secret"

# The secret must live in the keyring, not in the config directory.
if grep -rqF -- "$TOKEN_SECRET" "$WORK/config"; then die "the token secret is in $WORK/config: the login did not use the keychain"; fi
src=$(TWAUTH_CONFIG_DIR="$WORK/config" timeout 30 "$NODE" bin/twauth whoami --json) || die "whoami --json (keychain) failed"
[[ $src == *'"credential_source":"keychain"'* ]] || die "whoami without env credentials did not read the keychain: $src"
log "logged in as @$USERNAME; the token is in the keyring (whoami --json: credential_source keychain)"

# ---------------------------------------------------------------- 3. the commands
# The libraries floor (bench/libraries-floor.mjs): floor.cjs on undici behind commander, bundled
# as twauth bundles them.
"$NODE" bench/build-libraries-floor.mjs "$WORK/libraries-floor" || die "building the libraries floor failed"
# Every command goes through `env` (the same ~1 ms exec for all), which sets its variables:
# hyperfine has no per-command environment. Env-credential commands get an empty config dir.
# The environment of the timed commands. BENCH_ENV=inherit (default): the caller's, as the issue's
# own figures were measured, less TWAUTH_* and BROWSER (unset above). BENCH_ENV=minimal: env -i with
# a few fixed variables, so that nothing the caller has set weighs on the ratios; on the machine
# this was written on, NODE_EXTRA_CA_CERTS alone makes every Node process read and parse a
# certificate file at start-up (+35 ms to each Node row), which flatters every ratio. Variables
# of that kind are named in the report either way.
case $BENCH_ENV_MODE in
  inherit) BASE="env XDG_CACHE_HOME=$WORK/cache" ;;
  minimal) BASE="env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=$WORK/home LANG=C.UTF-8 DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS XDG_CACHE_HOME=$WORK/cache" ;;
esac
ENVC="$BASE TWAUTH_CONFIG_DIR=$WORK/empty-config ${ENV_CREDS[*]}"
KEYS=() NAMES=() CMDS=() KINDS=() EXPECT=()
add() { KEYS+=("$1") NAMES+=("$2") KINDS+=("$3") EXPECT+=("$4") CMDS+=("$5"); }
# key             display name                      kind  expected stdout  command line
add node0        'node -e 0'                        local ''            "$BASE $NODE -e 0"
add floor        'floor.cjs (node:http+crypto)'     net   "$USERNAME"   "$ENVC $NODE bench/floor.cjs"
add libraries    'libraries floor (undici+commander)' net "$USERNAME"   "$ENVC $NODE $WORK/libraries-floor/libraries-floor.cjs whoami"
add version      'twauth --version'                 local '^[0-9]'      "$BASE $NODE bin/twauth --version"
add whoami-env   'twauth whoami (env)'              net   "$USERNAME"   "$ENVC $NODE bin/twauth whoami"
add whoami-kc    'twauth whoami (keychain)'         net   "$USERNAME"   "$BASE TWAUTH_CONFIG_DIR=$WORK/config $NODE bin/twauth whoami"
add whoami-cold  'twauth whoami (env, no compile cache)' net "$USERNAME" "$ENVC NODE_DISABLE_COMPILE_CACHE=1 $NODE bin/twauth whoami"
add tweet-dry    'twauth tweet --dry-run hello'     local 'hello'       "$ENVC $NODE bin/twauth tweet --dry-run hello"
add sign         'twauth sign GET /2/users/me'      local '^OAuth '     "$ENVC $NODE bin/twauth sign GET $API_BASE/2/users/me"
add tweepy       'tweepy Client.get_me'              net   "$USERNAME"   "$ENVC $PY bench/peer-tweepy.py"
add twitter-v2   'twitter-api-v2 v2.me()'           net   "$USERNAME"   "$ENVC $NODE bench/peer-twitter-api-v2.mjs"

request_count() {
  "$NODE" -e "fetch('$API_BASE/_emulator/state').then((r) => r.json()).then((j) => console.log(j.requestCount))"
}
# How much one look at the request count adds to it (the control endpoint is logged too).
c1=$(request_count) c2=$(request_count)
SELF=$((c2 - c1))

FAILED=()
OK_IDX=()
echo
echo "== checking every command once (stdout, stderr, requests that reached the emulator)"
for i in "${!KEYS[@]}"; do
  read -ra argv <<<"${CMDS[i]}"
  before=$(request_count)
  set +e
  "${argv[@]}" >"$WORK/check.out" 2>"$WORK/check.err"
  rc=$?
  set -e
  after=$(request_count)
  reqs=$((after - before - SELF))
  echo "-- ${NAMES[i]}: exit $rc, $reqs request(s) to the emulator"
  sed 's/^/   stdout| /' "$WORK/check.out"
  sed 's/^/   stderr| /' "$WORK/check.err"
  problem=
  if ((rc != 0)); then problem="exit status $rc"
  elif [[ -n ${EXPECT[i]} ]] && ! grep -qE -- "${EXPECT[i]}" "$WORK/check.out"; then problem="stdout does not match /${EXPECT[i]}/"
  elif [[ ${KINDS[i]} == net ]] && ((reqs < 1)); then problem="no request reached the emulator"
  fi
  if [[ -n $problem ]]; then
    echo "   FAILED: $problem (left out of the timing)"
    FAILED+=("${NAMES[i]}: $problem")
  else
    if [[ ${KINDS[i]} == net && $reqs -ne 1 ]]; then echo "   note: $reqs requests (expected 1)"; fi
    if [[ ${KINDS[i]} == local && $reqs -ne 0 ]]; then echo "   note: $reqs requests (expected none)"; fi
    OK_IDX+=("$i")
  fi
done
((${#OK_IDX[@]} > 0)) || die "every command failed"

# ---------------------------------------------------------------- 4. hyperfine
# In ROUNDS rounds of RUNS/ROUNDS runs each (the warm-up in the first), merged by
# bench/merge-rounds.mjs: on a shared machine the host's noise comes in bursts, and a burst then
# falls on every command instead of on whichever one hyperfine happened to be timing.
PER_ROUND=$(((RUNS + ROUNDS - 1) / ROUNDS))
echo
echo "== hyperfine: $ROUNDS rounds of --runs $PER_ROUND (warm-up $WARMUP in the first), -N (no shell), all on the private bus"
rm -f "$RESULTS/latest.json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROUND_FILES=()
for ((round = 1; round <= ROUNDS; round++)); do
  hf=(hyperfine -N --warmup "$((round == 1 ? WARMUP : 1))" --runs "$PER_ROUND" --export-json "$WORK/round-$round.json")
  for i in "${OK_IDX[@]}"; do hf+=(--command-name "${NAMES[i]}" "${CMDS[i]}"); done
  # In the background so that Ctrl-C / SIGTERM reach our trap at once.
  "${hf[@]}" </dev/null &
  HF_PID=$!
  set +e
  wait "$HF_PID"
  hf_rc=$?
  set -e
  HF_PID=
  if ((hf_rc != 0)); then
    FAILED+=("hyperfine exited $hf_rc in round $round (a command failed during the timed runs)")
    break
  fi
  ROUND_FILES+=("$WORK/round-$round.json")
done
((${#ROUND_FILES[@]} == 0)) || "$NODE" bench/merge-rounds.mjs "$RESULTS/latest.json" "${ROUND_FILES[@]}"

# ---------------------------------------------------------------- 5. peak RSS
echo
echo "== peak RSS (GNU time %M, KB), median of $RSS_RUNS runs"
: >"$WORK/rss.tsv"
for i in "${OK_IDX[@]}"; do
  read -ra argv <<<"${CMDS[i]}"
  values=()
  for ((r = 0; r < RSS_RUNS; r++)); do
    if /usr/bin/time -f %M -o "$WORK/rss.one" "${argv[@]}" >/dev/null 2>"$WORK/rss.err"; then
      values+=("$(tail -n1 "$WORK/rss.one")")
    else
      FAILED+=("${NAMES[i]}: failed during the RSS runs: $(head -c 300 "$WORK/rss.err")")
      values=()
      break
    fi
  done
  ((${#values[@]} > 0)) || continue
  median=$(printf '%s\n' "${values[@]}" | sort -n | sed -n "$(((${#values[@]} + 1) / 2))p")
  printf '%s\t%s\t%s\n' "${KEYS[i]}" "$median" "${values[*]}" >>"$WORK/rss.tsv"
  printf '   %-32s %8s KB   (%s)\n' "${NAMES[i]}" "$median" "${values[*]}"
done

# ---------------------------------------------------------------- 6. report
for i in "${!KEYS[@]}"; do printf '%s\t%s\n' "${KEYS[i]}" "${NAMES[i]}"; done >"$WORK/names.tsv"
printf '%s\n' "${FAILED[@]+"${FAILED[@]}"}" >"$WORK/failed.txt"
echo
BENCH_ENV=$BENCH_ENV_MODE BENCH_START_UP_VARS=$START_UP_VARS BENCH_RUNS=$RUNS BENCH_ROUNDS=$ROUNDS BENCH_WARMUP=$WARMUP BENCH_RSS_RUNS=$RSS_RUNS BENCH_PYTHON=$PY BENCH_LOAD_BEFORE=$LOAD_BEFORE \
  "$NODE" bench/report.mjs "$RESULTS/latest.json" "$WORK/rss.tsv" "$WORK/names.tsv" "$WORK/failed.txt" "$RESULTS/latest.md"

# ---------------------------------------------------------------- 7. optional CPU profiles
if [[ ${BENCH_PROFILE:-0} == 1 ]]; then
  echo
  echo "== CPU profiles (node --cpu-prof --cpu-prof-interval 100) in $RESULTS/profiles"
  rm -rf "$RESULTS/profiles"
  for i in "${OK_IDX[@]}"; do
    case ${KEYS[i]} in floor | libraries | version | whoami-env | whoami-kc) ;; *) continue ;; esac
    read -ra argv <<<"${CMDS[i]}"
    prof=()
    for a in "${argv[@]}"; do
      prof+=("$a")
      if [[ $a == "$NODE" ]]; then prof+=(--cpu-prof --cpu-prof-interval 100 --cpu-prof-dir "$RESULTS/profiles/${KEYS[i]}"); fi
    done
    if "${prof[@]}" >/dev/null 2>"$WORK/prof.err"; then
      echo
      "$NODE" bench/profile-summary.mjs "$RESULTS/profiles/${KEYS[i]}"/*.cpuprofile 12
    else
      FAILED+=("${NAMES[i]}: failed under --cpu-prof: $(head -c 300 "$WORK/prof.err")")
    fi
  done
fi

if ((${#FAILED[@]} > 0)); then
  echo
  echo "bench: FAILED commands:"
  printf '  %s\n' "${FAILED[@]}"
  exit 1
fi
