#!/usr/bin/env bash
# Figure "c": /v1/products/{id}/similar and /v1/search under loopback HTTP load on a synthetic
# catalog, beside the raw in-process LuceneVectorIndex.search throughput on the same index.
#
# usage: src/test/bench/run-load.sh [dataDir=/tmp/tastemaker-bench] [products=100000]
# env:   DURATION (s, default 20)  WRK_WARMUP (s, 30)  RATE_WARMUP (s, 5)  RAW_WARMUP (s, 5)
#        THREADS (2)  CONNECTIONS (32)  SKIP_PACKAGE=1 (reuse target/quarkus-app)
# Needs wrk (apt-get install -y wrk) and curl. Everything targets 127.0.0.1 only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
DATA_DIR=$(realpath -m "${1:-/tmp/tastemaker-bench}")
PRODUCTS=${2:-100000}
DURATION=${DURATION:-20}
WRK_WARMUP=${WRK_WARMUP:-30}
RATE_WARMUP=${RATE_WARMUP:-5}
RAW_WARMUP=${RAW_WARMUP:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=8080
BASE=http://127.0.0.1:$PORT
BENCH=src/test/bench
# the Quarkus log manager is on the class path: say so before anything logs
JAVA_BENCH=(java -Djava.util.logging.manager=org.jboss.logmanager.LogManager)
mkdir -p "$DATA_DIR"
LOG="$DATA_DIR/results-$(date +%Y%m%d-%H%M%S).log"
SERVICE_PID=

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG"; }

# Before each measurement: no Maven test JVM running and 1-minute load below 1.0
# (poll every 15 s, at most 20 min; after that measure anyway and say so).
wait_quiet() {
  local what=$1 i
  for ((i = 0; i < 80; i++)); do
    if ! pgrep -f surefirebooter >/dev/null && awk '{ exit !($1 < 1.0) }' /proc/loadavg; then
      log "quiet before $what: loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
      return 0
    fi
    sleep 15
  done
  log "WARNING: not quiet after 20 min before $what: loadavg $(cut -d' ' -f1-3 /proc/loadavg)," \
      "surefire JVMs: $(pgrep -f surefirebooter | wc -l)"
}

wait_port_free() {
  local i
  for ((i = 0; i < 80; i++)); do
    if [ -z "$(ss -Hltn "sport = :$PORT")" ]; then return 0; fi
    log "port $PORT is in use; waiting"
    sleep 15
  done
  log "port $PORT still in use after 20 min; giving up"
  exit 1
}

# During each measurement: how much CPU went to processes other than this script's (its reaped
# children: wrk, the bench JVMs) and the service's process tree (JVM, PostgreSQL); and whether a
# Maven JVM (surefire fork or mvn itself) appeared, sampled every 2 s (bounded: 800 s). A
# measurement disturbed by more than FOREIGN_MAX cores on average, or by Maven, is repeated (at
# most 3 attempts; the last one stands, flagged).
FOREIGN_MAX=${FOREIGN_MAX:-0.10}
CLK_TCK=$(getconf CLK_TCK)
MON_PID=
MON_FILE=
MON_T0=
MON_BUSY0=
MON_OWN0=
proc_jiffies() { # utime+stime+cutime+cstime of one process, 0 when gone
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $(( ${12} + ${13} + ${14} + ${15} ))
}
tree_pids() { # a process and all its descendants
  local c
  echo "$1"
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree_pids "$c"; done
}
own_jiffies() {
  local t p
  t=$(proc_jiffies $$)
  if [ -n "$SERVICE_PID" ]; then
    for p in $(tree_pids "$SERVICE_PID"); do t=$((t + $(proc_jiffies "$p"))); done
  fi
  echo "$t"
}
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
monitor_start() {
  MON_FILE=$(mktemp)
  ( for ((j = 0; j < 400; j++)); do pgrep -fc 'surefirebooter|-Dclassworlds.conf' || true; sleep 2; done ) >"$MON_FILE" 2>/dev/null &
  MON_PID=$!
  MON_T0=$(date +%s.%N)
  MON_BUSY0=$(busy_jiffies)
  MON_OWN0=$(own_jiffies)
}
# monitor_stop NAME: logs the disturbance; returns 1 when the measurement should be repeated
monitor_stop() {
  local busy own t1 seen foreign
  busy=$(busy_jiffies); own=$(own_jiffies); t1=$(date +%s.%N)
  kill "$MON_PID" 2>/dev/null || true
  wait "$MON_PID" 2>/dev/null || true
  seen=$(sort -n "$MON_FILE" | tail -1)
  rm -f "$MON_FILE"
  foreign=$(awk -v b=$((busy - MON_BUSY0)) -v o=$((own - MON_OWN0)) -v t0="$MON_T0" -v t1="$t1" -v hz="$CLK_TCK" \
    'BEGIN { f = (b - o) / hz / (t1 - t0); printf "%.2f", f < 0 ? 0 : f }')
  log "after $1: loadavg $(cut -d' ' -f1-3 /proc/loadavg); other processes used $foreign cores on average;" \
      "Maven JVMs seen during it: ${seen:-0}"
  if [ "${seen:-0}" -gt 0 ] || awk -v f="$foreign" -v m="$FOREIGN_MAX" 'BEGIN { exit !(f > m) }'; then
    return 1
  fi
}

# measure NAME OUTFILE CMD...: waits for quiet, runs CMD into OUTFILE (also logged), repeats it
# when disturbed (at most 3 attempts).
measure() {
  local name=$1 outfile=$2 attempt
  shift 2
  for attempt in 1 2 3; do
    wait_quiet "$name (attempt $attempt)"
    monitor_start
    "$@" >"$outfile" 2>&1
    cat "$outfile" >>"$LOG"
    cat "$outfile"
    if monitor_stop "$name (attempt $attempt)"; then
      return 0
    fi
    [ "$attempt" = 3 ] && log "WARNING: $name was disturbed in all 3 attempts; keeping the last one"
  done
}

stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    log "stopping the service (pid $SERVICE_PID)"
    kill -TERM "$SERVICE_PID"
    for ((i = 0; i < 60; i++)); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
      log "service did not stop in 60 s; killing pid $SERVICE_PID"
      kill -KILL "$SERVICE_PID"
    fi
  fi
  SERVICE_PID=
}
trap stop_service EXIT

field() { # field NAME LINE -> value of NAME=value in LINE
  echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

log "machine: $(nproc) cores; $(free -g | awk '/^Mem:/ { print $2 " GiB RAM" }'); $(java -version 2>&1 | head -1)"
log "data dir $DATA_DIR, $PRODUCTS products, log $LOG"

# 1. Test class path and the service jar
log "building the test class path"
./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
if [ "${SKIP_PACKAGE:-0}" != 1 ]; then
  log "packaging the service"
  ./mvnw -q package -DskipTests
fi

# 2. The catalog (skipped when a catalog of this size is already built)
if grep -qx "products=$PRODUCTS" "$DATA_DIR/bench-catalog.properties" 2>/dev/null; then
  log "catalog already built: $(grep -E '^(indexSeconds|indexBytes)=' "$DATA_DIR/bench-catalog.properties" | tr '\n' ' ')"
else
  # a new catalog gets a fresh embedded broker and database: the service's consumers must not
  # replay an old catalog topic into the new index. Only in a directory this script built.
  for d in kafka postgres; do
    if [ -d "$DATA_DIR/$d" ]; then
      [ -f "$DATA_DIR/bench-ids.txt" ] || { log "$DATA_DIR/$d exists but $DATA_DIR is not a bench data dir; stopping"; exit 1; }
      log "removing the old $DATA_DIR/$d"
      rm -rf -- "${DATA_DIR:?}/$d"
    fi
  done
  log "building the catalog"
  "${JAVA_BENCH[@]}" -Xmx4g -cp "$CP" io.tastemaker.bench.LoadCatalogBuilder "$DATA_DIR" "$PRODUCTS" --rebuild 2>&1 | tee -a "$LOG"
fi
grep -E '^(products|baseEmbedSeconds|indexSeconds|totalSeconds|indexBytes)=' "$DATA_DIR/bench-catalog.properties" | tee -a "$LOG"
log "index size on disk: $(du -sh "$DATA_DIR/vectors/products-bge-small-en-v1.5-q" | cut -f1)"

# 3. Raw in-process search throughput
OUT=$(mktemp)
measure "raw index benchmark" "$OUT" \
  "${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.RawIndexSearchBenchmark "$DATA_DIR" "$DURATION" "$RAW_WARMUP" "$THREADS" 20
RAW=$(grep '^RAW_RESULT' "$OUT" | tail -1)

# 4. The service
wait_port_free
log "starting the service (demo catalog off)"
TASTEMAKER_DEMO=false TASTEMAKER_DATA_DIR="$DATA_DIR" java -jar target/quarkus-app/quarkus-run.jar >"$DATA_DIR/service.log" 2>&1 &
SERVICE_PID=$!
for ((i = 0; i < 300; i++)); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready")" = 200 ]; then break; fi
  kill -0 "$SERVICE_PID" 2>/dev/null || { log "the service exited; see $DATA_DIR/service.log"; exit 1; }
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready")" = 200 ] || { log "service not ready in 300 s"; exit 1; }
HOLDS=$(grep -o 'Vector index holds [0-9]* products' "$DATA_DIR/service.log" | tail -1 | tr -dc 0-9)
log "service ready (pid $SERVICE_PID): its vector index holds $HOLDS products"
[ "$HOLDS" = "$PRODUCTS" ] || log "WARNING: expected $PRODUCTS products in the index, the service sees $HOLDS"
ID=$(head -1 "$DATA_DIR/bench-ids.txt")
for url in "$BASE/v1/products/$ID/similar" "$BASE/v1/search?q=cozy%20reading%20lamp"; do
  code=$(curl -s -o "$DATA_DIR/smoke.json" -w '%{http_code}' "$url")
  log "smoke $url -> HTTP $code, $(grep -o '"productId"' "$DATA_DIR/smoke.json" | wc -l) items"
  [ "$code" = 200 ] || exit 1
done

declare -A FILE=([similar]="$DATA_DIR/bench-ids.txt" [search]="$DATA_DIR/bench-queries.txt")
declare -A MAX HALF P50 P99 P999 ERR

# 5. Max throughput with wrk (closed loop)
for ep in similar search; do
  log "wrk warm-up $ep (${WRK_WARMUP}s)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WRK_WARMUP}s" -s "$BENCH/$ep.lua" "$BASE" -- "${FILE[$ep]}" >/dev/null
  measure "wrk $ep" "$OUT" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH/$ep.lua" "$BASE" -- "${FILE[$ep]}"
  line=$(grep '^WRK_RESULT' "$OUT")
  MAX[$ep]=$(field rps "$line")
  log "max throughput $ep: ${MAX[$ep]} req/s (non-2xx $(field non2xx "$line"), timeouts $(field timeouts "$line"))"
done

# 6. Latency at half of max, open loop
for ep in similar search; do
  HALF[$ep]=$(awk -v m="${MAX[$ep]}" 'BEGIN { printf "%d", m / 2 }')
  measure "fixed-rate $ep at ${HALF[$ep]}/s" "$OUT" \
    "${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.FixedRateLoad "$ep" "${HALF[$ep]}" "$DURATION" "$RATE_WARMUP" \
    "$DATA_DIR" "$BASE" "$CONNECTIONS"
  line=$(grep '^FIXED_RESULT' "$OUT")
  P50[$ep]=$(field p50_ms "$line"); P99[$ep]=$(field p99_ms "$line"); P999[$ep]=$(field p999_ms "$line")
  ERR[$ep]=$(field errors "$line")
done

stop_service
rm -f "$OUT"

# 7. Summary
RAW_SIMILAR=$(field similar_per_s "$RAW"); RAW_SEARCH=$(field search_per_s "$RAW")
{
  echo
  echo "=== Figure c: $PRODUCTS products, $(nproc) cores, $THREADS wrk threads / $CONNECTIONS connections, ${DURATION}s runs ==="
  printf '%-8s %12s %12s %8s %14s %10s %10s %10s %7s\n' endpoint raw/s api_max/s api/raw half_rate/s p50_ms p99_ms p99.9_ms errors
  for ep in similar search; do
    raw=$([ "$ep" = similar ] && echo "$RAW_SIMILAR" || echo "$RAW_SEARCH")
    printf '%-8s %12.0f %12.0f %8.2f %14s %10s %10s %10s %7s\n' "$ep" "$raw" "${MAX[$ep]}" \
      "$(awk -v a="${MAX[$ep]}" -v r="$raw" 'BEGIN { print a / r }')" "${HALF[$ep]}" "${P50[$ep]}" "${P99[$ep]}" \
      "${P999[$ep]}" "${ERR[$ep]}"
  done
} | tee -a "$LOG"
log "log: $LOG"
