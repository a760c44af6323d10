#!/usr/bin/env bash
# The fan-out scenario across three Spillway servers joined by a Redis backplane, against the same load on one server
# (issue 13): subscribers spread over the servers, publishers on all of them. Prints the bench reports, then the
# backplane's cost: redis-server CPU seconds and bytes through Redis per published message, and the servers' CPU.
# Usage: scripts/backplane-fanout.sh [bench fanout options...]   (default: 3 publishers, 60 subscribers, 128 B,
# --rate 3000, 10 s). Needs redis-server (Debian package redis-server). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--publishers 3 --subscribers 60 --payload 128 --rate 3000 --duration 10s --warmup 2s)
fi
[ -f server/target/spillway-server.jar ] || mvn -B -q -pl server,bench -am -DskipTests package
[ -f bench/target/spillway-bench.jar ] || mvn -B -q -pl server,bench -am -DskipTests package
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
server_cp="server/target/spillway-server.jar:server/target/lib/*"
bench() { java -cp "bench/target/spillway-bench.jar:bench/target/lib/*" io.spillway.bench.BenchMain fanout "$@"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_node() { # port [backplane]
  local extra=()
  [ -n "${2:-}" ] && extra=(--backplane "$2")
  java -cp "$server_cp" io.spillway.server.cli.Main serve --port "$1" --http-port -1 --io-threads 2 "${extra[@]}" \
    >"/tmp/spillway-bp-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server on $1 did not start" >&2; exit 1
}

echo "== one server, no backplane: ${args[*]}"
one=$(free_port)
start_node "$one"
one_pid=${pids[-1]}
c0=$(cpu_seconds "$one_pid")
bench --target "resp://127.0.0.1:$one#one-node" "${args[@]}"
echo "server CPU: $(echo "$(cpu_seconds "$one_pid") - $c0" | bc) s"
kill "$one_pid"; wait "$one_pid" 2>/dev/null || true

echo "== three servers over a Redis backplane: ${args[*]}"
rport=$(free_port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >/tmp/spillway-bp-redis.log 2>&1 &
pids+=($!); redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
ports=()
for _ in 1 2 3; do p=$(free_port); start_node "$p" "redis://127.0.0.1:$rport"; ports+=("$p"); done
node_pids=("${pids[@]: -3}")
sleep 1
net() { redis-cli -p "$rport" info stats | awk -F: '/total_net_(input|output)_bytes/ { s += $2 } END { print s }'; }
published() { local s=0; for p in "${ports[@]}"; do
  v=$(redis-cli -p "$p" info backplane | awk -F: '/^backplane_published:/ { print $2 }' | tr -d '\r'); s=$((s + v)); done; echo $s; }
r0=$(cpu_seconds "$redis_pid"); n0=$(net); m0=$(published)
nc0=0; for p in "${node_pids[@]}"; do nc0=$(echo "$nc0 + $(cpu_seconds "$p")" | bc); done
bench --target "resp://127.0.0.1:${ports[0]}#three-nodes" \
  --spread "127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}" "${args[@]}"
r1=$(cpu_seconds "$redis_pid"); n1=$(net); m1=$(published)
nc1=0; for p in "${node_pids[@]}"; do nc1=$(echo "$nc1 + $(cpu_seconds "$p")" | bc); done
msgs=$((m1 - m0))
echo "backplane: $msgs messages through Redis; redis-server CPU $(echo "$r1 - $r0" | bc) s" \
  "($(echo "scale=2; ($r1 - $r0) * 1000000 / $msgs" | bc) us/message);" \
  "Redis network in+out $((n1 - n0)) bytes ($(( (n1 - n0) / msgs )) bytes/message)"
echo "servers CPU (3 together): $(echo "$nc1 - $nc0" | bc) s"
for p in "${ports[@]}"; do
  echo "server $p: $(redis-cli -p "$p" info backplane | tr -d '\r' | grep -E 'dropped|received:|published:' | tr '\n' ' ')"
done
