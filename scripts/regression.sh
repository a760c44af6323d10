#!/usr/bin/env bash
# Short regression run of `spillway bench slow-consumers` against a Spillway it starts, with assertions. Run by
# `./spillway test` after `mvn -B verify` (so by .ci/run); builds nothing: it needs the jars that verify packaged.
#
#   (a) the seed scenario, Spillway with its default limits: 1 reader at 1 B/s beside 20 fast subscribers,
#       10 msg/s of 1 KiB;
#   (b) the flood, Spillway with --max-clients 64 --subscriber-hard-limit 4mb --subscriber-soft-limit 1mb
#       --subscriber-soft-window 2s: 5 stalled readers beside 20 fast subscribers, $SPILLWAY_REGRESSION_FLOOD_RATE
#       msg/s of 1 KiB (10 MB/s per subscriber at the default rate). The default 64 KiB hard limit leaves a fast
#       subscriber about 8 ms of slack at that rate, less than a busy 2-core machine's scheduling hiccups, so the
#       flood gives every subscriber 4 MiB and bounds the clients to keep the printed worst case meaningful.
#
# Each asserts: fast subscribers lose nothing (fast_lost==0, none disconnected), every slow reader is cut within
# 10 s of subscribing (as CLIENT LIST shows it), and the server's RSS grows by no more than the worst case it prints
# in INFO memory (outbox_worst_case_bytes: max clients x (hard limit + kernel unsent bound)). Servers run on free
# loopback ports, HTTP off, and are stopped on exit. Exits non-zero when an assertion breaks or a run fails; at
# most about 80 s in all.
#
# Usage: scripts/regression.sh [--out DIR]
#   SPILLWAY_REGRESSION_FLOOD_RATE  PUBLISHes per second of the flood (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=bench/target/regression
FLOOD_RATE=${SPILLWAY_REGRESSION_FLOOD_RATE:-10000}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "regression: unknown option $1" >&2; exit 2 ;;
  esac
done

for jar in server/target/spillway-server.jar bench/target/spillway-bench.jar; do
  [[ -f $jar ]] || { echo "regression: $jar is missing: run 'mvn -B verify' (or ./spillway test) first" >&2; exit 2; }
done
mkdir -p "$OUT"

SERVER_PID=
stop_server() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_server() { # NAME SERVE_OPTIONS...: sets PORT and SERVER_PID
  local name=$1
  shift
  PORT=$(( 20000 + RANDOM % 20000 ))
  while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
  # `./spillway serve` execs the JVM, so $! is the server's own pid (what --server-pid samples).
  ./spillway serve --bind 127.0.0.1 --port "$PORT" --http-port -1 "$@" >"$OUT/spillway-$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do
    port_in_use "$PORT" && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "regression: the server exited; its log:" >&2
      cat "$OUT/spillway-$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  port_in_use "$PORT" || { echo "regression: the server did not listen on $PORT within 30 s" >&2; exit 1; }
  echo
  echo "== regression $name: ./spillway serve --port $PORT --http-port -1 $* (pid $SERVER_PID)"
}

ASSERT='fast_lost==0 && fast_disconnects==0 && slow_never_cut==0 && slow_cut_s_max<=10'
ASSERT+=' && server_rss_growth_mb<=worst_case_mb'
failed=0
run() { # NAME LIMIT_SECONDS BENCH_OPTIONS...
  local name=$1 limit=$2
  shift 2
  local cmd=(./spillway bench slow-consumers --target "resp://127.0.0.1:$PORT" --server-pid "$SERVER_PID"
    --threads 2 --json "$OUT/$name.json" --assert "$ASSERT" "$@")
  echo "== regression $name (at most ${limit}s): ${cmd[*]}"
  if ! timeout --kill-after=5 "$limit" "${cmd[@]}"; then
    echo "== regression $name: FAILED (server log: $OUT/spillway-$name.log)" >&2
    failed=1
  fi
}

echo "== regression: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_server seed
run seed 40 --fast 20 --slow 1 --slow-rate 1 --rate 10 --payload 1024 --duration 12s
stop_server
start_server flood --max-clients 64 --subscriber-hard-limit 4mb --subscriber-soft-limit 1mb \
  --subscriber-soft-window 2s
run flood 30 --fast 20 --slow 5 --slow-rate 0 --rate "$FLOOD_RATE" --pipeline 256 --payload 1024 --duration 6s
stop_server

if (( failed )); then
  echo "== regression: FAILED" >&2
  exit 1
fi
echo "== regression: passed"
