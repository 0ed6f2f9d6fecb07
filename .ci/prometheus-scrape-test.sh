#!/usr/bin/env bash
# End-to-end check of the engine's /metrics against a real Prometheus server (issue 6):
#   1. installs Prometheus (Debian package `prometheus`: /usr/bin/prometheus, /usr/bin/promtool) if missing;
#   2. builds target/tradestore.jar if it is missing or older than the sources (or uses $TRADESTORE_JAR);
#   3. starts the engine on a temp database and free loopback ports;
#   4. runs `promtool check metrics` on its exposition;
#   5. starts Prometheus on loopback with conf/prometheus.yml (and its alert rules), pointed at the engine, with a
#      temp storage dir, waits for a scrape and asserts through the HTTP API that the target is up and that
#      tradestore_ series are stored.
# Everything it started is stopped on exit. Run from anywhere; CI runs it after `mvn -B test` (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

# promtool lint findings we accept because the names are not ours (Micrometer's process/system binders):
#   process_cpu_time_ns_total  "metric names should not contain abbreviated units"
#   system_cpu_count           "non-histogram and non-summary metrics should not have "_count" suffix"
ALLOWED_LINT='^(process_cpu_time_ns_total|system_cpu_count) '

log() { echo "[prometheus-scrape-test] $*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------
missing=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || fail "missing ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root"
  log "installing ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
log "$(prometheus --version 2>&1 | head -1)"

JAR=${TRADESTORE_JAR:-$REPO/target/tradestore.jar}
if [[ -z ${TRADESTORE_JAR:-} ]] && { [[ ! -f $JAR ]] || [[ -n $(find engine/src engine/pom.xml pom.xml conf migrations -newer "$JAR" -print -quit) ]]; }; then
  log "building $JAR"
  mvn -B -q package -DskipTests
fi
[[ -f $JAR ]] || fail "no jar at $JAR"

# --- temp dir, cleanup --------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tradestore-prom.XXXXXX")
ENGINE_PID=""
PROM_PID=""
stop_pid() { # stop one process we started: TERM, then KILL after 20 s
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pid "$PROM_PID"
  stop_pid "$ENGINE_PID"
  if ((rc != 0)); then
    for f in engine.log prometheus.log; do
      [[ -f $WORK/$f ]] && { log "--- last lines of $f"; tail -n 40 "$WORK/$f" >&2; }
    done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a loopback port nobody listens on
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ " ${USED_PORTS:-} " != *" $port "* ]]; then
      USED_PORTS="${USED_PORTS:-} $port"
      echo "$port"
      return
    fi
  done
  fail "no free port"
}
HTTP_PORT=$(free_port)
BRIDGE_PORT=$(free_port)
PROM_PORT=$(free_port)

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within ${seconds}s"
    [[ -z $ENGINE_PID ]] || kill -0 "$ENGINE_PID" 2>/dev/null || fail "the engine exited"
    [[ -z $PROM_PID ]] || kill -0 "$PROM_PID" 2>/dev/null || fail "prometheus exited"
    sleep 0.5
  done
}

# --- engine -------------------------------------------------------------------------------------------------
log "starting the engine (http 127.0.0.1:$HTTP_PORT, bridge 127.0.0.1:$BRIDGE_PORT) in $WORK"
(cd "$WORK" && exec java -Xmx256m \
  -Dtradestore.http.host=127.0.0.1 -Dtradestore.http.port="$HTTP_PORT" \
  -Dtradestore.bridge.host=127.0.0.1 -Dtradestore.bridge.port="$BRIDGE_PORT" \
  -Dtradestore.migrations.backupDirectory="$WORK/backups" \
  -jar "$JAR" run --db "$WORK/data/tradestore.db") >"$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
METRICS_URL="http://127.0.0.1:$HTTP_PORT/metrics"
wait_for 90 "engine ready" curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready"

# --- promtool check metrics ---------------------------------------------------------------------------------
curl -fsS "$METRICS_URL" >"$WORK/metrics.txt"
grep -q '^tradestore_schema_version ' "$WORK/metrics.txt" || fail "no tradestore_schema_version in the exposition"
set +e
promtool check metrics <"$WORK/metrics.txt" >"$WORK/promtool.txt" 2>&1
lint_rc=$?
set -e
# 0: clean; 3: lint findings only (checked below); anything else: the exposition does not parse
[[ $lint_rc -eq 0 || $lint_rc -eq 3 ]] || { cat "$WORK/promtool.txt" >&2; fail "promtool check metrics exited $lint_rc"; }
if grep -Ev "$ALLOWED_LINT" "$WORK/promtool.txt" | grep -q .; then
  grep -Ev "$ALLOWED_LINT" "$WORK/promtool.txt" >&2
  fail "promtool check metrics found problems in our metrics"
fi
log "promtool check metrics: ok ($(grep -c . "$WORK/promtool.txt" || true) accepted finding(s) on Micrometer's names)"

# --- prometheus ---------------------------------------------------------------------------------------------
# the shipped config, pointed at this engine's port and scraping every second
sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$HTTP_PORT/" -e 's/^\(  *scrape_interval:\).*/\1 1s/' \
  -e 's/^\(  *scrape_timeout:\).*/\1 1s/' -e 's/^\(  *evaluation_interval:\).*/\1 1s/' \
  conf/prometheus.yml >"$WORK/prometheus.yml"
cp conf/tradestore-alerts.yml "$WORK/"
grep -q "127.0.0.1:$HTTP_PORT" "$WORK/prometheus.yml" || fail "conf/prometheus.yml has no 127.0.0.1:8080 target to rewrite"
promtool check config "$WORK/prometheus.yml" >&2 || fail "promtool check config"

log "starting prometheus on 127.0.0.1:$PROM_PORT"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
API="http://127.0.0.1:$PROM_PORT/api/v1"
wait_for 60 "prometheus ready" curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready"

target_up() {
  curl -fsS "$API/targets?state=active" | tr -d ' \n' >"$WORK/targets.json"
  grep -q "\"scrapeUrl\":\"http://127.0.0.1:$HTTP_PORT/metrics\"" "$WORK/targets.json" &&
    grep -q '"job":"tradestore"' "$WORK/targets.json" &&
    grep -q '"health":"up"' "$WORK/targets.json"
}
wait_for 60 "target up in /api/v1/targets" target_up
log "target up: $(grep -o '"lastError":"[^"]*"' "$WORK/targets.json" | head -1)"

query() { # query PROMQL -> the JSON answer, whitespace removed
  curl -fsS -G "$API/query" --data-urlencode "query=$1" | tr -d ' \n'
}
# the schema version a fresh engine reaches: the highest NNN of migrations/NNN_name.sql
SCHEMA_VERSION=$(ls migrations/*.sql | sed -E 's#.*/0*([0-9]+)_[^/]*$#\1#' | sort -n | tail -1)
series_stored() {
  query 'up{job="tradestore"}' | grep -q '"value":\[[0-9.]*,"1"\]' &&
    query 'tradestore_schema_version{job="tradestore"}' | grep -q "\"value\":\[[0-9.]*,\"$SCHEMA_VERSION\"\]"
}
wait_for 30 "tradestore_ series queryable" series_stored
count=$(query 'count({__name__=~"tradestore_.+",job="tradestore"})' | grep -o '"value":\[[0-9.]*,"[0-9]*"\]' | grep -o '"[0-9]*"\]' | tr -dc 0-9)
[[ ${count:-0} -gt 0 ]] || fail "no tradestore_ series stored"
query 'tradestore_commands_total{job="tradestore",address="trading.orders.place",outcome="ok"}' | grep -q '"result":\[{' ||
  fail "tradestore_commands_total is not stored for trading.orders.place"
# the shipped alert rules load and evaluate
curl -fsS "$API/rules" | tr -d ' \n' | grep -q '"name":"TradestoreOutboxLag"' || fail "alert rules not loaded"
log "OK: prometheus scraped the engine: up=1, $count tradestore_ series, alert rules loaded"
