#!/usr/bin/env bash
# Figures for LLM reranking (docs/operations.md, "LLM reranking, measured"), on the demo catalog and shoppers, against
# the scripted OpenAI-compatible server in src/test/java/io/tastemaker/rerank/ScriptedLlmServer.java
# (no model weights can be downloaded here; it answers with real JSON and token usage):
#   1. off:      rerank disabled                      → the lists' own latency
#   2. instant:  rerank on, cache off, instant server → latency our side adds, prompt tokens at N = 30
#   3. slow:     rerank on, cache off, server 5 s late, budget 1.5 s → what a too-slow model costs,
#                before and after the circuit breaker opens
#   4. session:  rerank on, cache on, instant server  → cache hit rate over a replayed demo session
# Each phase restarts the service on the same data directory (the demo loads once, on the first).
#
# usage: src/test/bench/run-rerank.sh [dataDir=/tmp/tastemaker-bench-rerank] [rounds=20]
# env:   SKIP_PACKAGE=1 (reuse target/quarkus-app and target/test-classes)
#        PHASES ("off instant slow session": the phases to run)
# Lists go with the storefront key the service writes to $dataDir/data/keys/ on its first start,
# profile reads with the operator key; health is on the management port (9000), which takes none.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
DATA_DIR=$(realpath -m "${1:-/tmp/tastemaker-bench-rerank}")
ROUNDS=${2:-20}
PORT=8080
BASE=http://127.0.0.1:$PORT
MGMT=http://127.0.0.1:9000
KEYS="$DATA_DIR/data/keys"
LLM_PORT=18181
SLOW_LLM_PORT=18182
mkdir -p "$DATA_DIR"
LOG="$DATA_DIR/results-$(date +%Y%m%d-%H%M%S).log"
PIDS=()

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG"; }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# api ROLE CURL_ARGS...: curl with the key the service keeps for ROLE in $KEYS, given as a header
# file so the secret stays off the command line (lists: storefront; models, profiles: operator)
api() {
  local role=$1
  shift
  curl -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$KEYS/$role" 2>/dev/null)") "$@"
}

if [ -z "${SKIP_PACKAGE:-}" ]; then
  log "packaging"
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q test-compile
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
JAVA_BENCH=(java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP")

"${JAVA_BENCH[@]}" io.tastemaker.rerank.ScriptedLlmServer $LLM_PORT >"$DATA_DIR/llm-instant.log" 2>&1 &
PIDS+=($!)
"${JAVA_BENCH[@]}" io.tastemaker.rerank.ScriptedLlmServer $SLOW_LLM_PORT 5000 >"$DATA_DIR/llm-slow.log" 2>&1 &
PIDS+=($!)

SERVICE_PID=
start_service() {
  local phase=$1; shift
  log "phase $phase: starting the service with $*"
  # The replay and the calls below come from one address with one key each, so the rate limits
  # (50/s per client address, 2,000/s per storefront key, 50/s per other key) would measure the
  # limiter, not the service: raise them far above any rate reached here. Every request still
  # passes the check.
  env TASTEMAKER_DATA_DIR="$DATA_DIR/data" TASTEMAKER_DEMO=true "$@" \
    TASTEMAKER_SECURITY_RATE_LIMIT_STOREFRONT_PER_KEY=1000000 TASTEMAKER_SECURITY_RATE_LIMIT_PER_CLIENT=1000000 \
    TASTEMAKER_SECURITY_RATE_LIMIT_PER_KEY=1000000 \
    java @infra/jvm.options -jar target/quarkus-app/quarkus-run.jar >"$DATA_DIR/service-$phase.log" 2>&1 &
  SERVICE_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    local products
    products=$(curl -sf "$MGMT/q/health/ready" | grep -o '"products" *: *[0-9]*' | grep -o '[0-9]*$' || true)
    if [ -n "$products" ] && [ "$products" -ge 6000 ] && api operator -sf "$BASE/v1/users/demo-maya/profile" >/dev/null; then
      log "phase $phase: ready, $products products indexed, demo shoppers known"
      return 0
    fi
    sleep 1
  done
  log "phase $phase: not ready after 600 s"; exit 1
}
stop_service() {
  kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
}
measure() {
  local phase=$1 mode=$2
  "${JAVA_BENCH[@]}" io.tastemaker.bench.StorefrontReplay "$mode" "$BASE" "$ROUNDS" "$DATA_DIR/data" 2>&1 | tee -a "$LOG"
}

PHASES=" ${PHASES:-off instant slow session} "
# illustrative prices (per million tokens) so the cost metrics have something to show
RERANK=(TASTEMAKER_RERANK_ENABLED=true TASTEMAKER_RERANK_MODEL=scripted-qwen
  TASTEMAKER_RERANK_PRICE_PROMPT_PER_MILLION=0.20 TASTEMAKER_RERANK_PRICE_COMPLETION_PER_MILLION=0.60)

if [[ $PHASES == *" off "* ]]; then
  start_service off TASTEMAKER_RERANK_ENABLED=false
  measure off latency >/dev/null # warm-up round: JIT, caches
  measure off latency
  stop_service
fi

if [[ $PHASES == *" instant "* ]]; then
  start_service instant "${RERANK[@]}" TASTEMAKER_RERANK_BASE_URL=http://127.0.0.1:$LLM_PORT/v1 \
    TASTEMAKER_RERANK_CACHE_MAXIMUM_SIZE=0
  measure instant latency >/dev/null
  log "phase instant (after a warm-up run, the metrics below include it)"
  measure instant latency
  stop_service
fi

if [[ $PHASES == *" slow "* ]]; then
  # the JVM is cold here: a warm-up would open the breaker; tastemaker_rerank_wait_seconds is the wait itself
  start_service slow "${RERANK[@]}" TASTEMAKER_RERANK_BASE_URL=http://127.0.0.1:$SLOW_LLM_PORT/v1 \
    TASTEMAKER_RERANK_CACHE_MAXIMUM_SIZE=0
  log "phase slow: one round (the breaker opens once 10 calls were judged)"
  "${JAVA_BENCH[@]}" io.tastemaker.bench.StorefrontReplay latency "$BASE" 1 "$DATA_DIR/data" 2>&1 | tee -a "$LOG"
  stop_service
fi

if [[ $PHASES == *" session "* ]]; then
  start_service session "${RERANK[@]}" TASTEMAKER_RERANK_BASE_URL=http://127.0.0.1:$LLM_PORT/v1
  measure session session
  stop_service
fi
log "done: $LOG"
