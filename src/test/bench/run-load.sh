#!/usr/bin/env bash
# Figure "c": /v1/users/{id}/feed, /v1/products/{id}/similar and /v1/search under loopback HTTP
# load on a synthetic catalog with shoppers' engagement, beside the raw in-process
# LuceneVectorIndex.search throughput on the same index.
#
# After the service starts, LoadEngagement posts USERS shoppers' engagement (about 6 events each,
# Zipf-popular products in 1-3 categories per shopper, over the last 14 days) through
# POST /v1/events in batches of 500 and waits until the engagement consumer has applied all of it
# (once per data directory: bench-engagement.properties records it), so the lists blend taste
# profiles, co-engagement and trending.
#
# usage: src/test/bench/run-load.sh [dataDir=/tmp/tastemaker-bench] [products=100000]
# env:   DURATION (s, default 20)  WRK_WARMUP (s, 30)  RATE_WARMUP (s, 5)  RAW_WARMUP (s, 5)
#        THREADS (2)  CONNECTIONS (32)  SKIP_PACKAGE=1 (reuse target/quarkus-app)
#        USERS (shoppers with engagement, 100000)  ENDPOINTS ("feed similar search")
#        RAW_KS ("20 100": k of the raw searches; the service ranks a window of 100 candidates)
#        SERVICE_JAVA_OPTS (JVM options of the service beside infra/jvm.options, which the run command
#        uses too; a later option wins, e.g. "-XX:+G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=45"
#        for the JVM's own G1 threshold)
#        SOAK_MINUTES (0: after the half-load runs, the feed at half load this many minutes, latency and
#        resident memory per minute; then how many of its requests slower than 30 ms met a GC pause of
#        the service, which always logs its pauses to $DATA_DIR/gc.log, or a stop of the whole machine)  SOAK_RATE (req/s, default: half
#        of the feed's max in this run; a fixed rate compares runs on different days)
# Needs wrk (apt-get install -y wrk) and curl. Everything targets 127.0.0.1 only.
# Lists and events go with the storefront key the service writes to $DATA_DIR/keys/storefront on its
# first start, profile reads with the operator key ($DATA_DIR/keys/operator); health and metrics
# are on the management port, which takes no key.
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
USERS=${USERS:-100000}
read -r -a ENDPOINTS <<<"${ENDPOINTS:-feed similar search}"
read -r -a RAW_KS <<<"${RAW_KS:-20 100}"
PORT=8080
BASE=http://127.0.0.1:$PORT
MGMT_PORT=9000
MGMT=http://127.0.0.1:$MGMT_PORT
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
    if [ -z "$(ss -Hltn "( sport = :$PORT or sport = :$MGMT_PORT )")" ]; then return 0; fi
    log "port $PORT or $MGMT_PORT is in use; waiting"
    sleep 15
  done
  log "port $PORT or $MGMT_PORT still in use after 20 min; giving up"
  exit 1
}

# api ROLE CURL_ARGS...: curl with the key the service keeps for ROLE, given as a header file so
# the secret stays off the command line
api() {
  local role=$1
  shift
  curl -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$DATA_DIR/keys/$role")") "$@"
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
service_pids() { # the service JVM's tree and the embedded PostgreSQL's (its postmaster may be re-parented)
  local p
  {
    if [ -n "$SERVICE_PID" ]; then tree_pids "$SERVICE_PID"; fi
    for p in $(pgrep -f -- "-D $DATA_DIR/postgres" || true); do tree_pids "$p"; done
  } | sort -un
}
own_jiffies() {
  local t p
  t=$(proc_jiffies $$)
  for p in $(service_pids); do t=$((t + $(proc_jiffies "$p"))); done
  echo "$t"
}
rss_kib() { # summed resident set of the given pids
  local t=0 p r
  for p in "$@"; do r=$(ps -o rss= -p "$p" 2>/dev/null | tr -d ' '); t=$((t + ${r:-0})); done
  echo "$t"
}
# After ingestion: wait until the service and its database are idle (under 0.15 cores over 10 s:
# autovacuum and merges finished; the idle service itself uses 0.05-0.10, mostly the in-JVM
# broker), at most 10 min.
wait_settled() {
  local i a b
  for ((i = 0; i < 60; i++)); do
    a=$(own_jiffies); sleep 10; b=$(own_jiffies)
    if awk -v d=$((b - a)) -v hz="$CLK_TCK" 'BEGIN { exit !(d / hz / 10 < 0.15) }'; then
      log "service settled after $(((i + 1) * 10)) s: $(awk -v d=$((b - a)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", d / hz / 10 }') cores over the last 10 s"
      return 0
    fi
  done
  log "WARNING: the service still used $(awk -v d=$((b - a)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz / 10 }') cores after 10 min"
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
  for d in kafka postgres bench-engagement.properties bench-users.txt; do
    if [ -e "$DATA_DIR/$d" ]; then
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

# 3. Raw in-process search throughput, for each k in RAW_KS
OUT=$(mktemp)
declare -A RAW
for k in "${RAW_KS[@]}"; do
  measure "raw index benchmark k=$k" "$OUT" \
    "${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.RawIndexSearchBenchmark "$DATA_DIR" "$DURATION" "$RAW_WARMUP" "$THREADS" "$k"
  RAW[$k]=$(grep '^RAW_RESULT' "$OUT" | tail -1)
done

# 4. The service
wait_port_free
log "starting the service (demo catalog off)"
# All load comes from one address and one storefront key, so the rate limits (50/s per client
# address, 2,000/s per storefront key, 50/s per other key) would measure the limiter, not the
# service: raise them far above any rate reached here. Every request still passes the check.
TASTEMAKER_DEMO=false TASTEMAKER_DATA_DIR="$DATA_DIR" MANAGEMENT_PORT=$MGMT_PORT \
  TASTEMAKER_SECURITY_RATE_LIMIT_STOREFRONT_PER_KEY=1000000 TASTEMAKER_SECURITY_RATE_LIMIT_PER_CLIENT=1000000 \
  TASTEMAKER_SECURITY_RATE_LIMIT_PER_KEY=1000000 \
  java @infra/jvm.options "-Xlog:gc:file=$DATA_DIR/gc.log:time,uptime,tags" ${SERVICE_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$DATA_DIR/service.log" 2>&1 &
SERVICE_PID=$!
for ((i = 0; i < 300; i++)); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$MGMT/q/health/ready")" = 200 ]; then break; fi
  kill -0 "$SERVICE_PID" 2>/dev/null || { log "the service exited; see $DATA_DIR/service.log"; exit 1; }
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$MGMT/q/health/ready")" = 200 ] || { log "service not ready in 300 s"; exit 1; }
HOLDS=$( (grep -oE 'Vector index (of [^ ]+ )?holds [0-9]+ products' "$DATA_DIR/service.log" || true) | tail -1 \
  | grep -oE '[0-9]+ products' | tr -dc 0-9)
log "service ready (pid $SERVICE_PID): its vector index holds $HOLDS products"
[ "$HOLDS" = "$PRODUCTS" ] || log "WARNING: expected $PRODUCTS products in the index, the service sees $HOLDS"
log "service processes: $(service_pids | while read -r p; do ps -o pid=,ppid=,comm= -p "$p"; done | tr -s ' ' | paste -sd';')"
ID=$(head -1 "$DATA_DIR/bench-ids.txt")
for url in "$BASE/v1/products/$ID/similar" "$BASE/v1/search?q=cozy%20reading%20lamp"; do
  code=$(api storefront -s -o "$DATA_DIR/smoke.json" -w '%{http_code}' "$url")
  log "smoke $url -> HTTP $code, $(grep -o '"productId"' "$DATA_DIR/smoke.json" | wc -l) items"
  [ "$code" = 200 ] || exit 1
done

# The service computes every product's neighbour list in the background from its start
# (recommend.neighbours). Wait for it, so it overlaps no measurement.
neighbour_lists() {
  curl -s "$MGMT/q/metrics" | awk '/^tastemaker_neighbours_lists[ {]/ { print int($NF) }' | head -1
}
NL_START=$(date +%s)
for ((i = 0; i < 900; i++)); do
  [ "$(neighbour_lists)" -ge "$PRODUCTS" ] 2>/dev/null && break
  sleep 2
done
log "neighbour lists: $(neighbour_lists) kept after $(( $(date +%s) - NL_START )) s of waiting"

# 5. Shoppers' engagement, through the REST API, applied by the engagement consumer
ENG_MARKER="$DATA_DIR/bench-engagement.properties"
if grep -qx "users=$USERS" "$ENG_MARKER" 2>/dev/null && [ -s "$DATA_DIR/bench-users.txt" ]; then
  log "engagement already loaded: $(grep -E '^(users|events|generatedAt|postSeconds|ingestSeconds|tasteProfiles|coEngagementLinks)=' "$ENG_MARKER" | tr '\n' ' ')"
else
  wait_quiet "engagement ingestion"
  log "posting $USERS shoppers' engagement"
  monitor_start
  "${JAVA_BENCH[@]}" -Xmx2g -cp "$CP" io.tastemaker.bench.LoadEngagement ingest "$DATA_DIR" "$USERS" "$BASE" 2>&1 | tee -a "$LOG"
  monitor_stop "engagement ingestion" || log "WARNING: engagement ingestion was disturbed (not repeated: it posts events)"
fi
log "service RSS before the measurements: JVM $(($(rss_kib "$SERVICE_PID") / 1024)) MiB"
wait_settled
ENG=$(grep -E '^(users|events|postSeconds|ingestSeconds)=' "$ENG_MARKER" | tr '\n' ' ')
USER1=$(head -1 "$DATA_DIR/bench-users.txt")
for check in "storefront $BASE/v1/users/$USER1/feed?limit=20" "operator $BASE/v1/users/$USER1/profile"; do
  read -r role url <<<"$check"
  code=$(api "$role" -s -o "$DATA_DIR/smoke.json" -w '%{http_code}' "$url")
  log "smoke $url -> HTTP $code, $(grep -o '"productId"' "$DATA_DIR/smoke.json" | wc -l) productIds: $(head -c 600 "$DATA_DIR/smoke.json")"
  [ "$code" = 200 ] || exit 1
done
code=$(api storefront -s -o "$DATA_DIR/smoke.json" -w '%{http_code}' "$BASE/v1/products/$ID/similar")
log "smoke similar after engagement -> HTTP $code: $(head -c 400 "$DATA_DIR/smoke.json")"

declare -A FILE=([feed]="$DATA_DIR/bench-users.txt" [similar]="$DATA_DIR/bench-ids.txt" [search]="$DATA_DIR/bench-queries.txt")
declare -A MAX HALF P50 P99 P999 ERR NON2XX

# 6. Max throughput with wrk (closed loop); the scripts send the storefront key from this file
export BENCH_API_KEY_FILE="$DATA_DIR/keys/storefront"
for ep in "${ENDPOINTS[@]}"; do
  log "wrk warm-up $ep (${WRK_WARMUP}s)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WRK_WARMUP}s" -s "$BENCH/$ep.lua" "$BASE" -- "${FILE[$ep]}" >/dev/null
  measure "wrk $ep" "$OUT" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH/$ep.lua" "$BASE" -- "${FILE[$ep]}"
  line=$(grep '^WRK_RESULT' "$OUT")
  MAX[$ep]=$(field rps "$line")
  NON2XX[$ep]=$(( $(field non2xx "$line") + $(field timeouts "$line") + $(field connect_err "$line") + $(field read_err "$line") + $(field write_err "$line") ))
  log "max throughput $ep: ${MAX[$ep]} req/s (non-2xx $(field non2xx "$line"), timeouts $(field timeouts "$line"))"
done

# 7. Latency at half of max, open loop
for ep in "${ENDPOINTS[@]}"; do
  HALF[$ep]=$(awk -v m="${MAX[$ep]}" 'BEGIN { printf "%d", m / 2 }')
  measure "fixed-rate $ep at ${HALF[$ep]}/s" "$OUT" \
    "${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.FixedRateLoad "$ep" "${HALF[$ep]}" "$DURATION" "$RATE_WARMUP" \
    "$DATA_DIR" "$BASE" "$CONNECTIONS"
  line=$(grep '^FIXED_RESULT' "$OUT")
  P50[$ep]=$(field p50_ms "$line"); P99[$ep]=$(field p99_ms "$line"); P999[$ep]=$(field p999_ms "$line")
  ERR[$ep]=$(field errors "$line")
done

# 7b. Soak (SOAK_MINUTES > 0): the feed at half its max rate, minute after minute, with the JVM's
# and PostgreSQL's resident memory after each minute: latency must hold and memory must not grow.
if [ "${SOAK_MINUTES:-0}" -gt 0 ]; then
  SOAK_RATE=${SOAK_RATE:-${HALF[feed]}}
  log "soak: feed at $SOAK_RATE/s for $SOAK_MINUTES minutes"
  : >"$DATA_DIR/soak-slow.txt"
  printf '%-6s %10s %10s %10s %8s %12s %12s\n' minute rate/s p50_ms p99_ms errors jvm_rss_MiB pg_rss_MiB | tee -a "$LOG"
  for ((m = 1; m <= SOAK_MINUTES; m++)); do
    "${JAVA_BENCH[@]}" -Dbench.slowLog="$DATA_DIR/soak-slow-minute.txt" -cp "$CP" io.tastemaker.bench.FixedRateLoad \
      feed "$SOAK_RATE" 60 1 "$DATA_DIR" "$BASE" "$CONNECTIONS" >"$OUT" 2>&1
    cat "$DATA_DIR/soak-slow-minute.txt" >>"$DATA_DIR/soak-slow.txt"
    line=$(grep '^FIXED_RESULT' "$OUT")
    # shellcheck disable=SC2046
    printf '%-6s %10s %10s %10s %8s %12s %12s\n' "$m" "$(field achieved_rps "$line")" "$(field p50_ms "$line")" \
      "$(field p99_ms "$line")" "$(field errors "$line")" "$(($(rss_kib "$SERVICE_PID") / 1024))" \
      "$(($(rss_kib $(service_pids | grep -vx "$SERVICE_PID")) / 1024))" | tee -a "$LOG"
  done
  log "the soak's requests slower than 30 ms against the service's GC pauses:"
  "${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.SlowRequestsVsPauses "$DATA_DIR/soak-slow.txt" "$DATA_DIR/gc.log" \
    2>&1 | tee -a "$LOG"
fi

# 8. Resources at the end, while the service still runs
JVM_RSS=$(rss_kib "$SERVICE_PID")
# shellcheck disable=SC2046
PG_RSS=$(rss_kib $(service_pids | grep -vx "$SERVICE_PID"))
log "resident at the end: service JVM $((JVM_RSS / 1024)) MiB; PostgreSQL processes $((PG_RSS / 1024)) MiB summed (shared buffers counted in each)"
"${JAVA_BENCH[@]}" -cp "$CP" io.tastemaker.bench.LoadEngagement stats 2>&1 | tee -a "$LOG" || log "could not read the database statistics"
log "data dir sizes: $(du -sh "$DATA_DIR/postgres" "$DATA_DIR/kafka" 2>/dev/null | awk '{ print $2 " " $1 }' | paste -sd';')"

stop_service
rm -f "$OUT"

# 9. Summary: one row per endpoint and raw k (feed is compared with the raw similar-search, get
# then search by a product's vector: each of its nearest-neighbour sources is one such search)
{
  echo
  echo "=== Figure c: $PRODUCTS products, $USERS shoppers with engagement ($ENG), $(nproc) cores, $THREADS wrk threads / $CONNECTIONS connections, ${DURATION}s runs ==="
  printf '%-8s %6s %12s %12s %8s %14s %10s %10s %10s %7s %9s\n' endpoint raw_k raw/s api_max/s api/raw half_rate/s p50_ms p99_ms p99.9_ms errors wrk_errs
  for ep in "${ENDPOINTS[@]}"; do
    for k in "${RAW_KS[@]}"; do
      raw=$(field "$([ "$ep" = search ] && echo search_per_s || echo similar_per_s)" "${RAW[$k]}")
      printf '%-8s %6s %12.0f %12.0f %8.2f %14s %10s %10s %10s %7s %9s\n' "$ep" "$k" "$raw" "${MAX[$ep]}" \
        "$(awk -v a="${MAX[$ep]}" -v r="$raw" 'BEGIN { print a / r }')" "${HALF[$ep]}" "${P50[$ep]}" "${P99[$ep]}" \
        "${P999[$ep]}" "${ERR[$ep]}" "${NON2XX[$ep]}"
    done
  done
  echo "resident: JVM $((JVM_RSS / 1024)) MiB, PostgreSQL $((PG_RSS / 1024)) MiB (summed)"
} | tee -a "$LOG"
log "log: $LOG"
