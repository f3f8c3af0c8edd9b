#!/usr/bin/env bash
# The docs' own check: every relative link in README.md, CONTRIBUTING.md and docs/*.md resolves
# (files and #anchors), and every command in their ```bash blocks runs against a freshly started
# service. How to mark a block that cannot run here, and a request meant to fail:
# CONTRIBUTING.md, "The docs and their check".
#
# usage: docs/check.sh [--links-only]
# env:   SKIP_PACKAGE=1 (reuse target/quarkus-app)  DOCS_CHECK_DIR (target/docs-check)
#        DOCS_CHECK_HTTP_PORT (28080)  DOCS_CHECK_MANAGEMENT_PORT (28000)  DOCS_CHECK_POSTGRES_PORT (28432)
#        DOCS_CHECK_KAFKA_PORT (28092)  DOCS_CHECK_KAFKA_CONTROLLER_PORT (28093)
#        DOCS_CHECK_DEMO_PRODUCTS (600: a small demo catalog, embedded in seconds rather than minutes)
#        DOCS_CHECK_START_TIMEOUT (300 s)  DOCS_CHECK_DEMO_TIMEOUT (600 s)  DOCS_CHECK_PAGE_TIMEOUT (300 s)
# Needs bash, curl, GNU coreutils and awk, and a JDK 17. Exit status 0 only when every link resolves and every
# command that is not marked skip-check succeeded.
set -euo pipefail

ROOT=$(cd -P "$(dirname "$0")/.." && pwd)   # -P: the repository itself, also when called through a link
cd "$ROOT"

HTTP_PORT=${DOCS_CHECK_HTTP_PORT:-28080}
MGMT_PORT=${DOCS_CHECK_MANAGEMENT_PORT:-28000}
PG_PORT=${DOCS_CHECK_POSTGRES_PORT:-28432}
KAFKA_PORT=${DOCS_CHECK_KAFKA_PORT:-28092}
CONTROLLER_PORT=${DOCS_CHECK_KAFKA_CONTROLLER_PORT:-28093}
DEMO_PRODUCTS=${DOCS_CHECK_DEMO_PRODUCTS:-600}
START_TIMEOUT=${DOCS_CHECK_START_TIMEOUT:-300}
DEMO_TIMEOUT=${DOCS_CHECK_DEMO_TIMEOUT:-600}
PAGE_TIMEOUT=${DOCS_CHECK_PAGE_TIMEOUT:-300}
WORK=${DOCS_CHECK_DIR:-$ROOT/target/docs-check}

# The pages in the order a reader meets them (the README's table); any other page of docs/ after them.
PAGES=(README.md docs/storefront-api.md docs/merchandising.md docs/models-and-quality.md docs/operations.md
       docs/deploying.md docs/security.md docs/shopper-data.md docs/architecture.md CONTRIBUTING.md)
for page in docs/*.md; do
  [[ " ${PAGES[*]} " == *" $page "* ]] || PAGES+=("$page")
done

failures=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

# ---- 1. links and anchors ----------------------------------------------------------------------

# The page's Markdown without fenced blocks and inline code (links there are not links).
unfenced() {
  awk '/^[ \t]*```/ { fenced = !fenced; print ""; next } { print fenced ? "" : $0 }' "$1"
}
prose() {
  unfenced "$1" | sed 's/`[^`]*`//g'
}

# GitHub's anchors for the page's headings: lower case, punctuation dropped, spaces to hyphens,
# "-1", "-2"… for repeated headings.
anchors() {
  unfenced "$1" | awk '
    /^#+[ \t]/ {
      a = $0; sub(/^#+[ \t]+/, "", a); sub(/[ \t#]+$/, "", a); a = tolower(a)
      gsub(/[]!"#$%&'"'"'()*+,.\/:;<=>?@[\\^`{|}~]/, "", a)   # ASCII punctuation but "-" and "_"
      gsub(/ /, "-", a)
      n = seen[a]++; print n ? a "-" n : a
    }'
}

check_links() {
  local page=$1 dir target path anchor resolved n=0
  dir=$(dirname "$page")
  while IFS=$'\t' read -r line target; do
    n=$((n + 1))
    case "$target" in http://*|https://*|mailto:*) continue ;; esac
    path=${target%%#*}
    anchor=""
    [[ "$target" == *"#"* ]] && anchor=${target#*#}
    if [ -z "$path" ]; then
      resolved=$page
    else
      resolved=$(realpath -m "$dir/$path")
      if [[ "$resolved" != "$ROOT" && "$resolved" != "$ROOT/"* ]]; then
        fail "$page:$line: link to '$target' leaves the repository"; continue
      fi
      if [ ! -e "$resolved" ]; then
        fail "$page:$line: link to '$target': no such file"; continue
      fi
    fi
    if [ -n "$anchor" ] && [[ "$resolved" == *.md ]] && ! anchors "$resolved" | grep -qxF "$anchor"; then
      fail "$page:$line: link to '$target': no heading makes the anchor #$anchor"
    fi
  done < <(prose "$page" | awk '{
      s = $0
      while (match(s, /\]\([^) \t]+\)/)) { print NR "\t" substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH) }
    }')
  echo "links  $page: $n checked"
}

for page in "${PAGES[@]}"; do
  check_links "$page"
done

if [ "${1:-}" = "--links-only" ]; then
  [ "$failures" -eq 0 ] || { echo "docs check: $failures failure(s)" >&2; exit 1; }
  echo "docs check: links OK"
  exit 0
fi

# ---- 2. the commands ---------------------------------------------------------------------------

# Writes the page as a bash script whose line N is the page's line N: commands of runnable
# ```bash blocks stay, everything else becomes an empty line, so $LINENO names the page's line.
# "# expect NNN" comment lines become TM_EXPECT=NNN (read by the curl wrapper). Prints the
# skipped blocks and refuses fences a command could hide in.
extract() {
  local page=$1 script=$2
  awk -v page="$page" -v http="$HTTP_PORT" -v mgmt="$MGMT_PORT" -v preamble="$WORK/preamble.sh" '
    NR == 1 { print "source " preamble; if ($0 ~ /^[ \t]*```/) { print "FENCE " page ":1: a page must open with its title" > "/dev/stderr" } ; next }
    !fenced && /^[ \t]*```/ {
      fenced = 1; info = $0; sub(/^[ \t]*```[ \t]*/, "", info)
      lang = info; sub(/[ \t:].*/, "", lang)
      run = 0
      if (lang == "bash") {
        if (info ~ /skip-check/) { reason = info; sub(/^.*skip-check:?[ \t]*/, "", reason); print "SKIP " page ":" NR ": " reason > "/dev/stderr" }
        else { run = 1; blocks++ }
      } else if (lang == "" || lang == "sh" || lang == "shell" || lang == "console" || lang == "zsh") {
        print "FENCE " page ":" NR ": a fenced block tagged \"" lang "\": commands go in ```bash blocks, other text in json, yaml, properties or text" > "/dev/stderr"
      }
      print ""; next
    }
    fenced && /^[ \t]*```[ \t]*$/ { fenced = 0; print ""; next }
    fenced && run {
      line = $0
      if (line ~ /^[ \t]*# expect [0-9][0-9][0-9]/) { code = line; sub(/^[ \t]*# expect /, "", code); code = substr(code, 1, 3); print "TM_EXPECT=" code; next }
      gsub(/localhost:8080/, "localhost:" http, line); gsub(/localhost:9000/, "localhost:" mgmt, line)
      print line; next
    }
    { print "" }
    END { print "tm_done " blocks + 0 }
  ' "$page" > "$script"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

SERVICE_PID=""
stop_service() {
  [ -n "$SERVICE_PID" ] || return 0
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "docs check: the service did not stop within 30 s; killing it" >&2
      kill -KILL "$SERVICE_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=""
  # a service stopped early in its start may leave its embedded PostgreSQL running: stop that one
  local postmaster="$WORK/data/postgres/postmaster.pid" pg
  if [ -f "$postmaster" ]; then
    pg=$(head -n 1 "$postmaster")
    if [ -n "$pg" ] && kill -0 "$pg" 2>/dev/null; then
      kill -INT "$pg" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pg" 2>/dev/null || break; sleep 0.5; done
    fi
  fi
}
trap stop_service EXIT
trap 'exit 130' INT TERM

for port in "$HTTP_PORT" "$MGMT_PORT" "$PG_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT"; do
  if port_busy "$port"; then
    echo "docs check: port $port is in use; choose others with DOCS_CHECK_*_PORT" >&2
    exit 1
  fi
done

if [ "${SKIP_PACKAGE:-}" != "1" ]; then
  echo "build  ./mvnw -B -o -q package -DskipTests"
  ./mvnw -B -o -q package -DskipTests
fi
[ -f target/quarkus-app/quarkus-run.jar ] || { echo "docs check: target/quarkus-app/quarkus-run.jar is missing" >&2; exit 1; }

# A throwaway directory that looks like the repository (so the pages' relative paths work) but
# has a data directory of its own: data/keys/… are the keys this service's first start writes.
rm -rf "$WORK"
mkdir -p "$WORK"
for entry in "$ROOT"/* "$ROOT"/.mvn; do
  name=$(basename "$entry")
  [ "$name" = data ] || ln -s "$entry" "$WORK/$name"
done

cat > "$WORK/preamble.sh" <<'PREAMBLE'
# Sourced by each page's script: fail on the first failing command and name the page's line.
set -eo pipefail
tm_failed() {
  local status=$1 line=$2
  echo "FAIL $TM_PAGE:$line: exit $status: $(sed -n "${line}p" "$TM_ROOT/$TM_PAGE" | sed 's/^[ \t]*//')" >&3
  exit 1
}
trap 'tm_failed $? $LINENO' ERR
# curl as the pages use it, plus: an HTTP status of 400 or more fails the command, unless the
# line "# expect NNN" before it announced exactly that status; no request waits over a minute.
curl() {
  local expect=${TM_EXPECT:-} rc=0 status statusfile
  TM_EXPECT=
  statusfile=$(mktemp)
  command curl --max-time 60 "$@" --write-out '%{stderr}%{http_code}' 2>"$statusfile" || rc=$?
  status=$(tail -c 3 "$statusfile")
  head -c -3 "$statusfile" >&2 || true
  rm -f "$statusfile"
  if [ "$rc" -ne 0 ]; then
    echo "docs check: curl exited $rc" >&2; return "$rc"
  elif [ -n "$expect" ] && [ "$status" != "$expect" ]; then
    echo "docs check: HTTP $status where the page expects $expect" >&2; return 1
  elif [ -z "$expect" ] && { [ "$status" = 000 ] || [ "$status" -ge 400 ]; }; then
    echo "docs check: HTTP $status" >&2; return 1
  fi
  echo >> "$TM_REQUESTS"   # a file, not a variable: curl may run in a pipeline's subshell
}
tm_done() { echo "ran    $TM_PAGE: $1 block(s), $(wc -l < "$TM_REQUESTS") request(s)" >&3; }
PREAMBLE

echo "start  java @infra/jvm.options -jar target/quarkus-app/quarkus-run.jar (in $WORK; API :$HTTP_PORT, management :$MGMT_PORT)"
(
  cd "$WORK"
  unset KAFKA_BOOTSTRAP_SERVERS TASTEMAKER_DATABASE_URL TASTEMAKER_DATA_DIR PORT MANAGEMENT_PORT TASTEMAKER_DEMO
  exec java "@$ROOT/infra/jvm.options" -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.management.port="$MGMT_PORT" \
    -Dtastemaker.embedded.postgres-port="$PG_PORT" -Dtastemaker.embedded.kafka-port="$KAFKA_PORT" \
    -Dtastemaker.embedded.kafka-controller-port="$CONTROLLER_PORT" -Dtastemaker.demo.products="$DEMO_PRODUCTS" \
    -jar target/quarkus-app/quarkus-run.jar
) > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!

# wait_for <what> <seconds> <command…>: polls once a second, fails if the service stops.
wait_for() {
  local what=$1 seconds=$2 started=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "docs check: the service stopped while waiting for $what; its log:" >&2
      tail -n 40 "$WORK/service.log" >&2
      exit 1
    fi
    if (( SECONDS - started > seconds )); then
      echo "docs check: no $what within $seconds s; the service's log:" >&2
      tail -n 40 "$WORK/service.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "ready  $what after $((SECONDS - started)) s"
}
wait_for "readiness" "$START_TIMEOUT" command curl -sf --max-time 5 "localhost:$MGMT_PORT/q/health/ready"
# the pages show the demo shoppers' lists: wait until their engagement is applied (it follows the
# embedding of the products they engage with)
demo_applied() {
  command curl -sf --max-time 5 -H "Authorization: Bearer $(cat "$WORK/data/keys/operator")" \
    "localhost:$HTTP_PORT/v1/users/demo-maya/profile"
}
wait_for "demo engagement" "$DEMO_TIMEOUT" demo_applied

for page in "${PAGES[@]}"; do
  script="$WORK/$(echo "$page" | tr '/' '_').sh"
  extract "$page" "$script" 2> "$script.notes"
  while read -r kind note; do
    case "$kind" in
      SKIP) echo "skip   $note" ;;
      FENCE) fail "$note" ;;
    esac
  done < "$script.notes"
  log="$script.log"
  : > "$script.requests"
  if ! (cd "$WORK" && TM_PAGE="$page" TM_ROOT="$ROOT" TM_REQUESTS="$script.requests" timeout "$PAGE_TIMEOUT" bash "$script" > "$log" 2>&1 3> "$script.result"); then
    if [ -s "$script.result" ] && grep -q '^FAIL' "$script.result"; then
      fail "$(grep '^FAIL' "$script.result" | head -n 1 | sed 's/^FAIL //')"
    else
      fail "$page: did not finish within $PAGE_TIMEOUT s"
    fi
    echo "       its output ($log), last lines:" >&2
    tail -n 8 "$log" | awk '{ print "       | " $0 }' >&2   # awk ends a last line that has no newline
  else
    cat "$script.result"
  fi
done

stop_service
if [ "$failures" -ne 0 ]; then
  echo "docs check: $failures failure(s)" >&2
  exit 1
fi
echo "docs check: OK"
