#!/usr/bin/env bash
# twauth upload benchmark (`npm run bench:upload`, which builds first). See bench/README.md,
# "Upload benchmark".
#
# Uploads 10 MB, 100 MB and 500 MB MP4 files through the sandbox (`twauth sandbox
# --no-rate-limits`, processing switched off through its control endpoint so only the upload is
# timed) with `twauth media upload`, and the same 4 MiB segments to the same endpoints with curl:
# one curl process, one kept-alive connection, every request signed beforehand with `twauth
# sign` (signing is not timed for curl). That is the floor. Peak RSS of twauth by GNU time (%M).
# Targets (issue 12): wall time <= 1.3x the curl floor at 100 MB; peak RSS at 500 MB within 1.2x
# of peak RSS at 10 MB.
#
# Environment: BENCH_UPLOAD_RUNS (default 3; the median is reported), BENCH_UPLOAD_SIZES (MB,
# default "10 100 500"), BENCH_UPLOAD_DIR (where the files go; default a temporary folder,
# removed afterwards: about 1.2 GB at the default sizes), BENCH_UPLOAD_ENV (inherit, the default:
# the caller's environment less TWAUTH_*; minimal: only PATH, HOME, LANG, NO_COLOR and the
# sandbox's TWAUTH_* variables, for twauth, curl and the sandbox alike. A variable such as
# NODE_EXTRA_CA_CERTS makes every Node process read a certificate file before it runs any code,
# a cost of the environment that curl does not pay; the report names such variables).
# Writes bench/results/upload.md. Exit status 0 when every run worked (targets missed or not),
# 1 when a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${BENCH_UPLOAD_RUNS:-3}
SIZES=${BENCH_UPLOAD_SIZES:-"10 100 500"}
SEGMENT=$((4 * 1024 * 1024))
ENV_MODE=${BENCH_UPLOAD_ENV:-inherit}
die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_UPLOAD_RUNS must be a positive integer (got '$RUNS')"
[[ $ENV_MODE == inherit || $ENV_MODE == minimal ]] || die "BENCH_UPLOAD_ENV must be inherit or minimal (got '$ENV_MODE')"
for c in node curl split; do command -v "$c" >/dev/null || die "missing: $c"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install time)"
NODE=$(command -v node)
TW=("$NODE" "$ROOT/bin/twauth")
"${TW[@]}" --version >/dev/null 2>&1 || die "bin/twauth does not run: run 'npm run build'"

KEEP_DIR=${BENCH_UPLOAD_DIR:-} # read now: a minimal environment (below) unsets it
WORK=${KEEP_DIR:-$(mktemp -d /tmp/twauth-bench-upload.XXXXXX)}
mkdir -p "$WORK"
SANDBOX_PID=
cleanup() {
  [[ -n $SANDBOX_PID ]] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  [[ -z $KEEP_DIR ]] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Nothing from the caller's twauth environment may leak into the runs.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^TWAUTH_' || true)
# Variables that change how a process starts (named in the report).
START_UP_VARS=$(env | grep -oE '^(NODE_[A-Z_]+|UV_THREADPOOL_SIZE|OPENSSL_CONF|SSL_CERT_FILE|SSL_CERT_DIR|CURL_[A-Z_]+)=' | tr -d = | sort | tr '\n' ' ' | sed 's/ $//' || true)
if [[ $ENV_MODE == minimal ]]; then
  mkdir -p "$WORK/home"
  while IFS= read -r v; do
    case $v in PATH | HOME | LANG) ;; *) unset "$v" 2>/dev/null || true ;; esac
  done < <(compgen -e)
  export PATH=/usr/local/bin:/usr/bin:/bin HOME=$WORK/home LANG=C.UTF-8
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
export TWAUTH_CONFIG_DIR=$WORK/config NO_COLOR=1

"${TW[@]}" sandbox --port 0 --no-rate-limits >"$WORK/sandbox.env" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
for _ in $(seq 50); do grep -q TWAUTH_API_BASE "$WORK/sandbox.env" 2>/dev/null && break; sleep 0.1; done
eval "$(cat "$WORK/sandbox.env")"
export TWAUTH_API_BASE TWAUTH_CONSUMER_KEY TWAUTH_CONSUMER_SECRET
BASE=$TWAUTH_API_BASE
curl -sS -f -X POST -H 'content-type: application/json' --data '{"processingMs":0}' "$BASE/_emulator/media" >/dev/null
TOKEN=$(curl -sS -f -X POST -H 'content-type: application/json' --data "{\"userId\":\"1000000001\",\"consumerKey\":\"$TWAUTH_CONSUMER_KEY\"}" "$BASE/_emulator/tokens")
TWAUTH_ACCESS_TOKEN=$("$NODE" -e 'process.stdout.write(JSON.parse(process.argv[1]).token)' "$TOKEN")
TWAUTH_ACCESS_TOKEN_SECRET=$("$NODE" -e 'process.stdout.write(JSON.parse(process.argv[1]).secret)' "$TOKEN")
export TWAUTH_ACCESS_TOKEN TWAUTH_ACCESS_TOKEN_SECRET

# An MP4 of exactly N MB: ftyp box, then an mdat box of pseudo-random bytes (not compressible,
# not sparse: the bytes really come from the file).
make_video() {
  "$NODE" -e '
    const fs = require("fs"), crypto = require("crypto");
    const [path, mb] = process.argv.slice(1); const size = Number(mb) * 1024 * 1024;
    const h = Buffer.alloc(32); h.writeUInt32BE(24, 0); h.write("ftypisom", 4, "latin1"); h.writeUInt32BE(0x200, 12);
    h.write("isommp41", 16, "latin1"); h.writeUInt32BE(size - 24, 24); h.write("mdat", 28, "latin1");
    const fd = fs.openSync(path, "w"); fs.writeSync(fd, h); const chunk = crypto.randomBytes(1 << 20);
    for (let left = size - 32; left > 0; left -= chunk.length) { chunk[0]++; fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length)); }
    fs.closeSync(fd);' "$1" "$2"
}

# The sandbox's CPU time so far (user + system), in milliseconds: how busy it kept during a run.
TICK_MS=$((1000 / $(getconf CLK_TCK)))
sandbox_cpu_ms() { awk -v t="$TICK_MS" '{print ($14 + $15) * t}' "/proc/$SANDBOX_PID/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# The floor: initialize, every append and finalize with curl in one process (--next), on one
# kept-alive connection. Prints milliseconds.
curl_floor() {
  local file=$1 segdir=$2 bytes init_auth id config t0 t1 t2 t3
  bytes=$(stat -c %s "$file")
  init_auth=$("${TW[@]}" sign POST "$BASE/2/media/upload/initialize")
  t0=$(date +%s%N)
  id=$(curl -sS -f -H "Authorization: $init_auth" -H 'content-type: application/json' \
    --data "{\"media_type\":\"video/mp4\",\"total_bytes\":$bytes,\"media_category\":\"tweet_video\"}" "$BASE/2/media/upload/initialize" |
    sed -E 's/.*"id":"([0-9]+)".*/\1/')
  t1=$(date +%s%N)
  config=$WORK/curl.cfg
  : >"$config"
  local i=0
  for seg in "$segdir"/seg*; do
    ((i > 0)) && echo 'next' >>"$config"
    printf 'url = "%s"\nheader = "Authorization: %s"\nform = "segment_index=%d"\nform = "media=@%s"\nsilent\nshow-error\nfail\noutput = "/dev/null"\n' \
      "$BASE/2/media/upload/$id/append" "$("${TW[@]}" sign POST "$BASE/2/media/upload/$id/append" | sed 's/"/\\"/g')" "$i" "$seg" >>"$config"
    i=$((i + 1))
  done
  printf 'next\nurl = "%s"\nrequest = "POST"\nheader = "Authorization: %s"\nsilent\nshow-error\nfail\noutput = "%s"\n' \
    "$BASE/2/media/upload/$id/finalize" "$("${TW[@]}" sign POST "$BASE/2/media/upload/$id/finalize" | sed 's/"/\\"/g')" "$WORK/finalize.json" >>"$config"
  t2=$(date +%s%N)
  curl -K "$config"
  t3=$(date +%s%N)
  grep -q '"id"' "$WORK/finalize.json" || die "curl floor: finalize failed: $(cat "$WORK/finalize.json")"
  echo $((((t1 - t0) + (t3 - t2)) / 1000000))
}

ROWS=()
for mb in $SIZES; do
  file=$WORK/video-$mb.mp4
  log "generating $mb MB"
  make_video "$file" "$mb"
  segdir=$WORK/seg-$mb
  mkdir -p "$segdir"
  split -b $SEGMENT -d -a 3 "$file" "$segdir/seg"
  cat "$file" >/dev/null # into the page cache, for both
  tw_wall=() tw_rss=() floor=() floor_busy=()
  for run in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "${TW[@]}" media upload "$file" >"$WORK/id.txt" 2>"$WORK/tw.err" || die "twauth media upload failed: $(cat "$WORK/tw.err")"
    grep -Eq '^[0-9]+$' "$WORK/id.txt" || die "twauth media upload printed no id"
    read -r secs kb <"$WORK/time.txt"
    tw_wall+=("$(awk -v s="$secs" 'BEGIN{printf "%d", s*1000}')")
    tw_rss+=("$kb")
    cpu0=$(sandbox_cpu_ms)
    floor+=("$(curl_floor "$file" "$segdir")")
    # The sandbox's CPU time over the floor's wall time (which leaves out signing between its
    # two curl runs: the sandbox is idle then).
    floor_busy+=("$((($(sandbox_cpu_ms) - cpu0) * 100 / floor[-1]))")
    log "$mb MB run $run: twauth ${tw_wall[-1]} ms, ${kb} KB; curl ${floor[-1]} ms, sandbox busy ${floor_busy[-1]} % of it"
  done
  w=$(printf '%s\n' "${tw_wall[@]}" | median)
  r=$(printf '%s\n' "${tw_rss[@]}" | median)
  f=$(printf '%s\n' "${floor[@]}" | median)
  b=$(printf '%s\n' "${floor_busy[@]}" | median)
  ROWS+=("$mb $w $f $r $b")
  rm -rf "$segdir" "$file"
done

# twauth's cost as a process, whatever it sends: start-up and exit around one request
# (`twauth whoami`, wall time, median of 11), against the same with curl.
one_request() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || die "$* failed"
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
tw_one=() curl_one=()
for _ in $(seq 11); do
  tw_one+=("$(one_request "${TW[@]}" whoami)")
  curl_one+=("$(one_request curl -sS -f -H "Authorization: $("${TW[@]}" sign GET "$BASE/2/users/me")" "$BASE/2/users/me")")
done
TW_ONE=$(printf '%s\n' "${tw_one[@]}" | median)
CURL_ONE=$(printf '%s\n' "${curl_one[@]}" | median)

mkdir -p bench/results
{
  echo "| file | twauth media upload | curl floor | ratio | twauth peak RSS |"
  echo "|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do
    read -r mb w f r b <<<"$row"
    awk -v mb="$mb" -v w="$w" -v f="$f" -v r="$r" 'BEGIN{printf "| %d MB | %.2f s | %.2f s | %.2fx | %.1f MB |\n", mb, w/1000, f/1000, w/f, r/1024}'
  done
  echo
  first=(${ROWS[0]}) lastrow=(${ROWS[-1]})
  for row in "${ROWS[@]}"; do
    read -r mb w f r b <<<"$row"
    [[ $mb == 100 ]] && awk -v w="$w" -v f="$f" 'BEGIN{printf "- wall at 100 MB: %.2fx the curl floor (target <= 1.3x): %s\n", w/f, (w <= 1.3*f) ? "met" : "MISSED"}'
  done
  for row in "${ROWS[@]}"; do
    read -r mb w f r b <<<"$row"
    awk -v mb="$mb" -v f="$f" -v b="$b" -v tw="$TW_ONE" -v c="$CURL_ONE" 'BEGIN{printf "- %d MB: the sandbox was busy %d %% of the curl floor (its CPU time over the floor'"'"'s wall time); 1.3x allows %d ms above the floor; start-up and exit around one request take twauth %d ms (`twauth whoami`), curl %d ms\n", mb, b, 0.3*f, tw, c}'
  done
  awk -v a="${first[3]}" -v b="${lastrow[3]}" -v ma="${first[0]}" -v mb="${lastrow[0]}" 'BEGIN{printf "- peak RSS at %d MB: %.2fx that at %d MB (target <= 1.2x): %s\n", mb, b/a, ma, (b <= 1.2*a) ? "met" : "MISSED"}'
  echo "- medians of $RUNS runs; $(nproc) cores, $("$NODE" --version), curl $(curl --version | head -1 | cut -d' ' -f2)"
  if [[ $ENV_MODE == minimal ]]; then
    echo "- environment: minimal (PATH, HOME, LANG, NO_COLOR, TWAUTH_*; the caller's start-up variables left out: ${START_UP_VARS:-none})"
  else
    echo "- environment: inherited; start-up variables set: ${START_UP_VARS:-none}"
  fi
  echo "- load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee bench/results/upload.md
