#!/usr/bin/env bash
# How long cross-server delivery takes to resume after the backplane's Redis restarts: two Spillway servers share a
# channel through one redis-server; Redis is killed (SIGKILL), kept down for DOWN seconds, restarted, and from that
# moment a message is published on server A every 20 ms until server B's subscriber receives one. Prints the time from
# the restart to the first message through, and to each server's backplane being "up" again. Loopback only, bounded.
#
# Usage: scripts/backplane-recovery.sh [DOWN_SECONDS ...]   (default: 1 5)
set -euo pipefail
cd "$(dirname "$0")/.."
CP="server/target/spillway-server.jar:server/target/lib/*"
[[ -f server/target/spillway-server.jar ]] || { echo "backplane-recovery: build first (./spillway --help)" >&2; exit 2; }
OUT=$(mktemp -d)
R=$((16000 + RANDOM % 1000)); A=$((R + 1)); B=$((R + 2))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; kill "${REDIS:-0}" 2>/dev/null || true; }
trap cleanup EXIT
start_redis() { redis-server --port "$R" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 & REDIS=$!; }
now() { date +%s.%N; }
start_redis
for i in $(seq 50); do redis-cli -p "$R" PING >/dev/null 2>&1 && break; sleep 0.1; done
for port in $A $B; do
  java -cp "$CP" io.spillway.server.cli.Main serve --port "$port" --http-port -1 --backplane "redis://127.0.0.1:$R" \
    --backplane-reconnect-min 100ms --backplane-reconnect-max 5s >"$OUT/spillway-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in $A $B; do for i in $(seq 100); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done; done
redis-cli -p "$B" SUBSCRIBE rec >"$OUT/sub.txt" &
PIDS+=($!)
sleep 1
for down in "${@:-1 5}"; do
  kill -9 "$REDIS"; wait "$REDIS" 2>/dev/null || true
  sleep "$down"
  start_redis
  t0=$(now)
  through=; upA=; upB=
  for i in $(seq 1500); do   # at most 30 s
    redis-cli -p "$A" PUBLISH rec "after-$down-$i" >/dev/null 2>&1 || true
    [[ -z $upA ]] && redis-cli -p "$A" INFO backplane 2>/dev/null | grep -q 'backplane_state:up' && upA=$(now)
    [[ -z $upB ]] && redis-cli -p "$B" INFO backplane 2>/dev/null | grep -q 'backplane_state:up' && upB=$(now)
    if grep -q "after-$down-" "$OUT/sub.txt"; then through=$(now); break; fi
    sleep 0.02
  done
  [[ -n $through ]] || { echo "down ${down}s: nothing through within 30 s" >&2; exit 1; }
  printf 'down %ss: backplane up again after %.2f s (A) / %.2f s (B); first message through after %.2f s\n' "$down" \
    "$(echo "${upA:-$through} - $t0" | bc)" "$(echo "${upB:-$through} - $t0" | bc)" "$(echo "$through - $t0" | bc)"
  sleep 1
done
