#!/usr/bin/env bash
# The cost of recording served lists (attribution) on the feed: starts the packaged service on a data
# directory prepared by run-load.sh (as run-load.sh starts it), warms it with a minute of feed load,
# then runs six 20 s wrk runs of the feed (2 threads, 32 connections, random shoppers) and prints per
# run the req/s and the CPU milliseconds per feed of the JVM and of all PostgreSQL processes (from
# /proc/<pid>/stat). Run it twice on a quiet machine and compare the last three runs of each:
#   src/test/bench/run-recording-cost.sh /tmp/tastemaker-bench on
#   src/test/bench/run-recording-cost.sh /tmp/tastemaker-bench off TASTEMAKER_ATTRIBUTION_RECORDING=false
# Needs wrk, curl and target/quarkus-app (./mvnw package -DskipTests). Loopback only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
DATA_DIR=$(realpath "$1"); LABEL=$2; shift 2
export BENCH_API_KEY_FILE=$DATA_DIR/keys/storefront
env "$@" TASTEMAKER_DEMO=false TASTEMAKER_DATA_DIR="$DATA_DIR" MANAGEMENT_PORT=9000 \
  TASTEMAKER_SECURITY_RATE_LIMIT_STOREFRONT_PER_KEY=1000000 TASTEMAKER_SECURITY_RATE_LIMIT_PER_CLIENT=1000000 \
  TASTEMAKER_SECURITY_RATE_LIMIT_PER_KEY=1000000 java @infra/jvm.options -jar target/quarkus-app/quarkus-run.jar >"$DATA_DIR/cost-$LABEL.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' localhost:9000/q/health/ready)" = 200 ] && break; sleep 1; done
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { local s=0 p; for p in $(pgrep -f "postgres -D $DATA_DIR" || true) $(pgrep -f "postgres:" || true); do s=$((s + $(ticks "$p"))); done; echo $s; }
# settle: the consumers may be catching up after the start
for _ in $(seq 60); do a=$(ticks $PID); sleep 5; [ $(($(ticks $PID) - a)) -lt 50 ] && break; done
wrk -t2 -c32 -d60s -s src/test/bench/feed.lua http://127.0.0.1:8080 -- "$DATA_DIR/bench-users.txt" >/dev/null
MS_PER_TICK=$((1000 / $(getconf CLK_TCK)))
for r in 1 2 3 4 5 6; do
  sleep 5
  j0=$(ticks $PID); p0=$(pg_ticks)
  out=$(wrk -t2 -c32 -d20s --latency -s src/test/bench/feed.lua http://127.0.0.1:8080 -- "$DATA_DIR/bench-users.txt")
  j1=$(ticks $PID); p1=$(pg_ticks)
  req=$(echo "$out" | grep -oE '^ +[0-9]+ requests' | grep -oE '[0-9]+')
  echo "$LABEL run $r: rps=$(echo "$out" | awk '/Requests\/sec/{print $2}') jvm_cpu_ms_per_feed=$(echo "scale=2; ($j1-$j0)*$MS_PER_TICK/$req" | bc)" \
    "pg_cpu_ms_per_feed=$(echo "scale=2; ($p1-$p0)*$MS_PER_TICK/$req" | bc) p99=$(echo "$out" | awk '/ 99%/{print $2}')" \
    "non2xx=$(echo "$out" | grep -c Non-2xx || true)"
done
curl -s localhost:9000/q/metrics | grep -E '^tastemaker_served_lists' || true
