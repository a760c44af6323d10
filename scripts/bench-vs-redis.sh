#!/usr/bin/env bash
# Fan-out benchmark of redis-server and Spillway, side by side, in one run of one load generator.
#
# Starts redis-server (Debian's) on a free loopback port with persistence off, starts Spillway with
# `./spillway serve` if the launcher exists, then for each payload size runs `spillway bench fanout`
# with --compare (redis = A, Spillway = B; alternating A, B, A, B... over --rounds), watching both
# server processes with --server-pid. Prints each comparison table and a summary; writes JSON per payload.
# Everything is bounded in time and stops the servers it started on exit.
#
# Usage: scripts/bench-vs-redis.sh [--duration 10s] [--warmup 2s] [--rounds 1] [--payloads "128 1024"]
#          [--policy redis-default|spillway] [--threads 1] [--out DIR] [--no-spillway] [--build]
#          [--wait-idle SECONDS] [--max-clients N (both servers, default 1100)] [--channel-policies SPEC]
#          [--io-threads N] [--loadgen java|c] [-- EXTRA_BENCH_OPTIONS...]
#
#   --loadgen java          the load generator is `spillway bench fanout` (default): every option of it, many
#                           publishers and channels, RESP3, progress lines.
#   --loadgen c             bench/c/fanout.c, built here with gcc: the same measurement (1 publisher, 1 channel,
#                           RESP2) on one thread for about 60 % of the Java one's CPU per message, so that on a
#                           machine of few cores the load generator leaves the servers theirs; --threads does not
#                           apply. Rounds alternate redis, Spillway, redis... as with --compare. EXTRA options go
#                           to it (--subscribers N, --pipeline N). Needs gcc and jq.
#
#   --policy redis-default  both servers with redis' own pub/sub output limits (32mb 8mb 60): redis'
#                           client-output-buffer-limit, Spillway's --subscriber-hard-limit 32mb
#                           --subscriber-soft-limit 8mb --subscriber-soft-window 60s. Default.
#   --policy spillway       both servers with Spillway's defaults (hard 64 KiB, soft 52 428 B held 5 s;
#                           redis: "pubsub 65536 52428 5"). Flat out, this may cut subscribers that fall
#                           behind: the report then shows disconnects and lost messages.
#   --channel-policies SPEC passed to Spillway's serve only (redis-server has no such thing: it always
#                           disconnects), e.g. '*=block' or 'prices.*=conflate;*=drop-oldest'. The fanout
#                           channels are named spillway-bench:*, so '*=STRATEGY' covers them all.
#   --io-threads N          Spillway's event-loop threads (default: its own, CPUs - 1, at least 1). redis-server
#                           serves clients on one thread; --io-threads 1 gives Spillway the same, which on a
#                           machine shared with the load generator also avoids three busy threads on two cores.
#   --wait-idle SECONDS     before each payload, wait (at most SECONDS) until the machine is idle: under
#                           0.3 cores busy over 2 s. On a shared machine; the bench still flags any run
#                           that other processes disturbed (other_cpu_cores).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

DURATION=10s
WARMUP=2s
ROUNDS=1
PAYLOADS="128 1024"
POLICY=redis-default
THREADS=1
OUT="$ROOT/bench/target/bench-vs-redis"
WITH_SPILLWAY=1
BUILD=0
WAIT_IDLE=0
MAX_CLIENTS=1100
CHANNEL_POLICIES=
IO_THREADS=
LOADGEN=java
EXTRA=()

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --payloads) PAYLOADS=$2; shift 2 ;;
    --policy) POLICY=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --no-spillway) WITH_SPILLWAY=0; shift ;;
    --build) BUILD=1; shift ;;
    --wait-idle) WAIT_IDLE=$2; shift 2 ;;
    --max-clients) MAX_CLIENTS=$2; shift 2 ;;
    --channel-policies) CHANNEL_POLICIES=$2; shift 2 ;;
    --io-threads) IO_THREADS=$2; shift 2 ;;
    --loadgen) LOADGEN=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "bench-vs-redis: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$POLICY" in
  # The same limits for both servers: Spillway's subscriber class gets what redis' pubsub class gets.
  redis-default) REDIS_OUTBUF="pubsub 32mb 8mb 60"
    SPILLWAY_LIMITS=(--subscriber-hard-limit 32mb --subscriber-soft-limit 8mb --subscriber-soft-window 60s) ;;
  spillway) REDIS_OUTBUF="pubsub 65536 52428 5"; SPILLWAY_LIMITS=() ;;
  *) echo "bench-vs-redis: --policy must be redis-default or spillway, not '$POLICY'" >&2; exit 2 ;;
esac
case "$LOADGEN" in
  java|c) ;;
  *) echo "bench-vs-redis: --loadgen must be java or c, not '$LOADGEN'" >&2; exit 2 ;;
esac
if [[ -n $CHANNEL_POLICIES ]]; then
  SPILLWAY_LIMITS+=(--channel-policies "$CHANNEL_POLICIES")
fi
if [[ -n $IO_THREADS ]]; then
  SPILLWAY_LIMITS+=(--io-threads "$IO_THREADS")
fi

seconds() { # 10s, 10, 0.5s, 500ms, 1m -> whole seconds, rounded up
  local v=$1 scale=1
  case "$v" in
    *ms) v=${v%ms}; scale=0.001 ;;
    *s) v=${v%s} ;;
    *m) v=${v%m}; scale=60 ;;
  esac
  awk -v x="$v" -v k="$scale" 'BEGIN { s = x * k; printf "%d", (s == int(s)) ? s : int(s) + 1 }'
}
RUN_SECONDS=$(( $(seconds "$DURATION") + $(seconds "$WARMUP") ))

command -v redis-server >/dev/null || { echo "bench-vs-redis: redis-server not found (apt-get install -y redis-server)" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "bench-vs-redis: redis-cli not found (apt-get install -y redis-tools)" >&2; exit 1; }

JAR="$ROOT/bench/target/spillway-bench.jar"
CLOADGEN="$ROOT/bench/target/spillway-fanout-c"
if [[ $LOADGEN == c ]]; then
  command -v jq >/dev/null || { echo "bench-vs-redis: --loadgen c needs jq (apt-get install -y jq)" >&2; exit 1; }
  if [[ $BUILD == 1 || ! -x $CLOADGEN || $ROOT/bench/c/fanout.c -nt $CLOADGEN ]]; then
    command -v gcc >/dev/null || { echo "bench-vs-redis: --loadgen c needs gcc (apt-get install -y gcc libc6-dev)" >&2; exit 1; }
    mkdir -p "$ROOT/bench/target"
    gcc -O2 -Wall -Wextra -Werror -o "$CLOADGEN" "$ROOT/bench/c/fanout.c"
  fi
elif [[ $BUILD == 1 || ! -f $JAR ]]; then
  echo "building the bench..."
  (mvn -B -q -o -pl bench -am package -DskipTests || mvn -B -q -pl bench -am package -DskipTests) >&2
fi

STARTED_PIDS=()
cleanup() {
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}
# Waits (at most $3 s) until $1 answers PING on port $2.
wait_ping() {
  local name=$1 port=$2 limit=$3
  for _ in $(seq $((limit * 10))); do
    if [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]]; then return 0; fi
    sleep 0.1
  done
  echo "bench-vs-redis: $name on port $port did not answer PING within ${limit}s" >&2
  return 1
}
# The pid of the process listening on port $1 (the JVM, not a launcher script), or $2.
listener_pid() {
  local pid
  pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  echo "${pid:-$2}"
}

# Busy CPU time of the whole machine, in clock ticks (user nice system irq softirq steal).
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
# Waits at most $1 s until less than 0.3 cores were busy over 2 s (our idle servers included).
wait_idle() {
  local limit=$1 waited=0 a b
  while (( waited < limit )); do
    a=$(busy_ticks); sleep 2; b=$(busy_ticks); waited=$((waited + 2))
    # CLK_TCK 100: 0.3 cores over 2 s = 60 ticks.
    if (( b - a < 60 )); then return 0; fi
    echo "  machine busy ($(( (b - a) / 2 ))% of a core over 2 s); waiting for it to be idle (${waited}s/${limit}s)"
  done
  echo "  machine still busy after ${limit}s; measuring anyway (see other_cpu_cores and the warnings)"
}

mkdir -p "$OUT"

REDIS_PORT=$(free_port 6400)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --client-output-buffer-limit "$REDIS_OUTBUF" --maxclients "$MAX_CLIENTS" --logfile "$OUT/redis.log" &
STARTED_PIDS+=($!)
wait_ping redis-server "$REDIS_PORT" 10
REDIS_PID=$(listener_pid "$REDIS_PORT" "${STARTED_PIDS[-1]}")

SPILLWAY_PORT=
if [[ $WITH_SPILLWAY == 1 && -x ./spillway ]]; then
  SPILLWAY_PORT=$(free_port $((REDIS_PORT + 1)))
  ./spillway serve --port "$SPILLWAY_PORT" --http-port -1 --max-clients "$MAX_CLIENTS" "${SPILLWAY_LIMITS[@]}" \
    >"$OUT/spillway.log" 2>&1 &
  STARTED_PIDS+=($!)
  wait_ping Spillway "$SPILLWAY_PORT" 30
  SPILLWAY_PID=$(listener_pid "$SPILLWAY_PORT" "${STARTED_PIDS[-1]}")
elif [[ $WITH_SPILLWAY == 1 ]]; then
  echo "bench-vs-redis: skipping Spillway: ./spillway not found (the launcher comes with the server);" \
    "measuring redis-server alone"
fi

echo "== bench-vs-redis $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" \
  "(other load disturbs the figures; see other_cpu_cores)"
REDIS_LIMIT=$(redis-cli -p "$REDIS_PORT" CONFIG GET client-output-buffer-limit | tail -1 |
  grep -o 'pubsub [^ ]* [^ ]* [^ ]*')
echo "redis-server $(redis-server --version | grep -o 'v=[^ ]*') port $REDIS_PORT pid $REDIS_PID:" \
  "save '' appendonly no client-output-buffer-limit $REDIS_LIMIT (policy $POLICY)"
if [[ -n $SPILLWAY_PORT ]]; then
  echo "spillway: ./spillway serve --port $SPILLWAY_PORT ${SPILLWAY_LIMITS[*]}, pid $SPILLWAY_PID (policy $POLICY)"
  echo "spillway channel-policies: $(redis-cli -p "$SPILLWAY_PORT" CONFIG GET channel-policies | tail -1)" \
    "(empty: every channel disconnect)"
fi
# The C load generator: one process per run, alternating the servers; a JSON line per run, then medians.
run_c() {
  echo "loadgen: $CLOADGEN --pipeline 64 --duration $DURATION --warmup $WARMUP, $ROUNDS round(s) per server" \
    "${EXTRA[*]:-}"
  local limit=$(( RUN_SECONDS + 30 ))
  for payload in $PAYLOADS; do
    local jsonl="$OUT/fanout-c-$payload.jsonl"
    : >"$jsonl"
    echo
    echo "== payload $payload B (each run at most ${limit}s)"
    if (( WAIT_IDLE > 0 )); then wait_idle "$WAIT_IDLE"; fi
    for round in $(seq "$ROUNDS"); do
      for t in redis spillway; do
        local port=$REDIS_PORT pid=$REDIS_PID
        if [[ $t == spillway ]]; then
          [[ -n $SPILLWAY_PORT ]] || continue
          port=$SPILLWAY_PORT; pid=$SPILLWAY_PID
        fi
        timeout --kill-after=5 "$limit" "$CLOADGEN" --port "$port" --server-pid "$pid" --label "$t" \
          --payload "$payload" --duration "$DURATION" --warmup "$WARMUP" "${EXTRA[@]}" | tee -a "$jsonl" |
          jq -r --arg r "$round" '"  round \($r) \(.label): \(.delivered_per_s|floor) msg/s, p99 \(.latency_p99_ms) ms, lost \(.lost), disconnects \(.disconnects), server \(.server_cpu_cores) cores, loadgen \(.loadgen_cpu_cores), other \(.other_cpu_cores)"'
        sleep 1
      done
    done
    jq -s '
      def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
        else (.[length / 2 - 1] + .[length / 2]) / 2 end;
      (group_by(.label) | map({label: .[0].label, rounds: length,
        median: (. as $runs | [.[0] | keys[] | select(. as $k | $runs[0][$k] | type == "number")]
          | map({key: ., value: ([$runs[][.]] | median)}) | from_entries)})) as $summary
      | {runs: ., summary: $summary,
         ratios: (($summary | map({(.label): .median}) | add) as $m
           | if $m.redis and $m.spillway then
               {delivered_per_s: ($m.spillway.delivered_per_s / $m.redis.delivered_per_s),
                latency_p99_ms: ($m.spillway.latency_p99_ms / $m.redis.latency_p99_ms)}
             else null end)}' "$jsonl" >"$OUT/fanout-c-$payload.json"
  done
  echo
  echo "== summary (median over rounds; B/A = spillway / redis; other = CPU cores used by other processes)"
  printf '%-8s %-9s %14s %10s %10s %6s %6s %6s %7s %7s\n' payload target delivered/s p50_ms p99_ms lost disc other loadgen B/A
  for payload in $PAYLOADS; do
    jq -r --arg p "$payload" '. as $r | .summary[] |
      [$p, .label, (.median.delivered_per_s|floor), .median.latency_p50_ms, .median.latency_p99_ms,
       (.median.lost|floor), (.median.disconnects|floor), ((.median.other_cpu_cores * 100 | round) / 100),
       ((.median.loadgen_cpu_cores * 100 | round) / 100),
       (if .label == "spillway" and $r.ratios != null then (($r.ratios.delivered_per_s * 100 | floor) / 100 | tostring) + "x" else "" end)]
      | @tsv' "$OUT/fanout-c-$payload.json" |
      while IFS=$'\t' read -r p t d p50 p99 lost disc other lg ratio; do
        printf '%-8s %-9s %14s %10.3f %10.3f %6s %6s %6s %7s %7s\n' "$p" "$t" "$d" "$p50" "$p99" "$lost" "$disc" "$other" "$lg" "$ratio"
      done
  done
  echo
  echo "JSON reports: $OUT/fanout-c-*.json (each run: $OUT/fanout-c-*.jsonl)"
}

if [[ $LOADGEN == c ]]; then
  run_c
  exit 0
fi

echo "bench: fanout --publishers 1 --subscribers 100 --channels 1 --pipeline 64 --duration $DURATION" \
  "--warmup $WARMUP --rounds $ROUNDS --threads $THREADS ${EXTRA[*]:-}"

targets=()
for payload in $PAYLOADS; do
  if [[ -n $SPILLWAY_PORT ]]; then
    targets=(--compare "resp://127.0.0.1:$REDIS_PORT#redis" "resp://127.0.0.1:$SPILLWAY_PORT#spillway"
             --server-pid "$REDIS_PID" --server-pid "$SPILLWAY_PID")
    runs=$((ROUNDS * 2))
  else
    targets=(--target "resp://127.0.0.1:$REDIS_PORT#redis" --server-pid "$REDIS_PID")
    runs=$ROUNDS
  fi
  # Each run: set-up (<= 20 s), warm-up + duration, drain (<= 2 s), pause 1 s; plus JVM start.
  limit=$(( runs * (RUN_SECONDS + 25) + 15 ))
  echo
  echo "== payload $payload B (at most ${limit}s)"
  if (( WAIT_IDLE > 0 )); then wait_idle "$WAIT_IDLE"; fi
  timeout --kill-after=5 "$limit" java -jar "$JAR" fanout "${targets[@]}" \
    --payload "$payload" --duration "$DURATION" --warmup "$WARMUP" --rounds "$ROUNDS" --threads "$THREADS" \
    --json "$OUT/fanout-$payload.json" "${EXTRA[@]}"
done

if command -v jq >/dev/null; then
  echo
  echo "== summary (median over rounds${SPILLWAY_PORT:+; B/A = spillway / redis}; other = CPU cores used by other processes)"
  printf '%-8s %-9s %14s %10s %10s %6s %6s %6s %7s\n' payload target delivered/s p50_ms p99_ms lost disc other B/A
  for payload in $PAYLOADS; do
    jq -r --arg p "$payload" '
      . as $r | .summary[] | . as $s |
      [$p, .label, (.median.delivered_per_s|floor), (.median.latency_p50_ms // "-"), (.median.latency_p99_ms // "-"),
       (.median.lost|floor), (.median.disconnects|floor), ((.median.other_cpu_cores // 0) * 100 | round / 100),
       (if .name == "B" then (($r.ratios.delivered_per_s // 0) * 100 | floor / 100 | tostring) + "x" else "" end)]
      | @tsv' "$OUT/fanout-$payload.json" |
      while IFS=$'\t' read -r p t d p50 p99 lost disc other ratio; do
        printf '%-8s %-9s %14s %10.3f %10.3f %6s %6s %6s %7s\n' "$p" "$t" "$d" "$p50" "$p99" "$lost" "$disc" "$other" "$ratio"
      done
  done
fi
echo
echo "JSON reports: $OUT/fanout-*.json"
