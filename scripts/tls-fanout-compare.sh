#!/bin/bash
# Side-by-side fan-out cost of TLS vs plain TCP on one Spillway server: S redis-cli subscribers, redis-benchmark
# publishing N messages of B bytes (after a plain warm-up round, so the JIT has compiled the delivery path); server CPU time (utime+stime from /proc) per delivered message.
# Usage: [S=20] [N=20000] [P=4] [B=100 payload bytes] scripts/tls-fanout-compare.sh   (after ./spillway build or mvn package; needs
# openssl, redis-tools, curl, bc). Loopback only; about 10 s per mode.
set -u
S=${S:-20}; N=${N:-20000}; P=${P:-4}; B=${B:-100}
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 1 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
java -Xmx512m -cp "server/target/spillway-server.jar:server/target/lib/*" io.spillway.server.cli.Main serve \
  --port 16390 --http-port 18090 --tls-port 16391 --tls-cert-file $TMP/cert.pem --tls-key-file $TMP/key.pem \
  > $TMP/server.log 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 50); do redis-cli -p 16390 PING >/dev/null 2>&1 && break; sleep 0.2; done
PAYLOAD=$(head -c "$B" /dev/zero | tr '\0' x)
ticks() { awk '{print $14+$15}' /proc/$SPID/stat; }
delivered() { curl -s http://127.0.0.1:18090/v1/stats | sed 's/.*"messages_delivered":\([0-9]*\).*/\1/'; }
cuts() { curl -s http://127.0.0.1:18090/v1/stats | sed 's/.*"slow_consumer_cuts":\({[^}]*}\).*/\1/'; }
HZ=$(getconf CLK_TCK)
for mode in warmup plain tls; do
  if [ $mode != tls ]; then port=16390; tlsopt=(); else port=16391; tlsopt=(--tls --cacert $TMP/cert.pem); fi
  pids=()
  for i in $(seq $S); do redis-cli "${tlsopt[@]}" -p $port SUBSCRIBE news > /dev/null 2>&1 & pids+=($!); done
  for i in $(seq 100); do [ "$(redis-cli -p 16390 PUBSUB NUMSUB news | tail -1)" = "$S" ] && break; sleep 0.2; done
  t0=$(ticks); d0=$(delivered); s0=$(date +%s.%N)
  out=$(redis-benchmark "${tlsopt[@]}" -p $port -q -n $N -c 1 -P $P PUBLISH news "$PAYLOAD" 2>&1 | tr '\r' '\n' \
    | grep -i "publish" | tail -1 | sed 's/.*: \([0-9.]* requests per second.*\)/\1/')
  sleep 2
  t1=$(ticks); d1=$(delivered); s1=$(date +%s.%N)
  dd=$((d1-d0)); dt=$((t1-t0))
  [ $mode = warmup ] || echo "$mode: subscribers=$S published=$N payload=${B}B pipeline=$P | redis-benchmark: $out | delivered=$dd | server CPU $(echo "scale=2; $dt/$HZ" | bc) s = $(echo "scale=2; $dt*1000000/$HZ/$dd" | bc) us per delivered message | cuts $(cuts)"
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  sleep 1
done
