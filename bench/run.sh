#!/usr/bin/env bash
# The benchmark: the fabric8 mock API server, SlimJobs (the packaged jar, the image's JVM flags) and the load generator,
# each in its own process on loopback. Writes the run's figures to bench/results/<label>.tsv and rewrites
# docs/performance.md from bench/results/before.tsv and bench/results/after.tsv. Run from anywhere:
#
#   bench/run.sh [--profile] [--label before|after] [JAR_DIR]
#
# JAR_DIR holds slimjobs.jar and its lib/ (default: target, built if missing). --label names the results file
# (default after). --profile records JFR on SlimJobs during the trigger and listing loads and writes the hot methods
# and allocations next to the results, in bench/results/profile/. Shorter runs for checking the harness:
# BENCH_ROUNDS, BENCH_TRIGGERS, BENCH_CLIENTS, BENCH_STARTS, BENCH_RELAYS, BENCH_LISTS, BENCH_LISTED (see below).
set -euo pipefail
shopt -s inherit_errexit               # errors inside $(...) stop the script too

# Hard cap of 15 minutes on everything. timeout(1) signals its whole process group when the time is up, so the three
# processes go down with this script.
if [[ -z "${BENCH_CAPPED:-}" ]]; then
  BENCH_CAPPED=1 exec timeout --kill-after=10 900 "$0" "$@"
fi

PROFILE="" LABEL=after JAR_DIR=""
while (($#)); do
  case $1 in
    --profile) PROFILE=1 ;;
    --label) LABEL=$2; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) JAR_DIR=$(realpath "$1") ;;
  esac
  shift
done
cd "$(dirname "$0")/.."
REPO=$PWD
if [[ -z $JAR_DIR ]]; then
  JAR_DIR=$REPO/target
  [[ -f $JAR_DIR/slimjobs.jar && -d $JAR_DIR/lib ]] || mvn -B -q -DskipTests package
fi
[[ -f $JAR_DIR/slimjobs.jar && -d $JAR_DIR/lib ]] || { echo "no slimjobs.jar and lib/ in $JAR_DIR" >&2; exit 2; }
CP="$JAR_DIR/lib/*:$JAR_DIR/slimjobs.jar"

ROUNDS=${BENCH_ROUNDS:-3}              # SlimJobs/raw round pairs per client count
TRIGGERS=${BENCH_TRIGGERS:-2000}       # executions per round
CLIENTS=${BENCH_CLIENTS:-1,8,32}
STARTS=${BENCH_STARTS:-5}              # cold starts; the last one takes the load
RELAYS=${BENCH_RELAYS:-300} RELAY_CAP=2 RELAY_RUN_MS=100
LISTS=${BENCH_LISTS:-200}              # GET /job/<name> per size
LISTED=${BENCH_LISTED:-1000 10000}     # executions of that name, in steps
QUEUED=1000
# The image's JVM flags (pom.xml, jib), and MaxRAM standing for the Deployment's 384Mi limit.
JVM_FLAGS=${BENCH_JVM_FLAGS:--XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -XX:MaxRAM=384m}
RESOURCES='"Resources":{"Requests":{"cpu":"10m","memory":"16Mi"},"Limits":{"cpu":"10m","memory":"16Mi"}}'
job() { echo "\"$1\":{\"Image\":\"busybox:1.36\",\"Visibility\":\"Public\",\"NumberParallelJob\":$2,${RESOURCES}${3:-}}"; }
# bench: its executions stay queued (one slot, nothing completes it); relay: the dispatch phase; listed: kept finished
DEFINITIONS="{\"Configurations\":{$(job bench 1),$(job relay $RELAY_CAP),$(job listed 1 ',"TtlSecondsAfterFinished":36000')}}"

WORK=$(mktemp -d)
RESULTS=$REPO/bench/results
OUT=$RESULTS/$LABEL.tsv
API_PID="" PID=""

stop_pid() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in {1..100}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop() { stop_pid "$PID"; PID=""; }
finish() {
  local status=$?
  stop; stop_pid "$API_PID"
  if ((status != 0)); then
    echo "stopped early (status $status); $OUT holds what was measured; last lines of the load generator's log:" >&2
    tail -n 20 "$WORK/load.log" >&2 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap finish EXIT
trap 'exit 143' INT TERM               # so that the EXIT trap stops every process on Ctrl-C or at the cap too

# Each figure goes to the results file as soon as it is known: a run stopped at the cap keeps what it measured.
put() { printf '%s\t%s\n' "$1" "$2" >>"$OUT"; printf '  %-32s %s\n' "$1" "$2"; }
take() { while IFS=$'\t' read -r key value; do put "$key" "$value"; done; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$PID/status"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# A loopback port nothing answers on (the race with other programs is acceptable for a benchmark).
free_port() {
  local port
  for _ in {1..50}; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2
  return 1
}

# The bench programs are single-file sources; compiled once here rather than by the source launcher at every start.
javac -nowarn -cp "$CP" -d "$WORK/classes" bench/ApiServer.java bench/Load.java
load() { java -cp "$WORK/classes:$CP" Load "$1" "$SERVICE" "$API" "${@:2}" 2>>"$WORK/load.log"; }

mkdir -p "$RESULTS"
: >"$OUT"
echo "== machine"
put machine_date "$(date -u '+%Y-%m-%d %H:%M UTC')"
put machine_cpus "$(nproc) × $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
put machine_load "$(cut -d' ' -f1-3 /proc/loadavg)"
put machine_memory "$(free -m | awk '/^Mem/ { printf "%d MiB total, %d MiB available", $2, $7 }')"
put machine_java "$(java -version 2>&1 | sed -n 2p)"
put build "$(git -C "$JAR_DIR" describe --always --dirty 2>/dev/null || echo unknown) ($JAR_DIR)"
put jvm_flags "$JVM_FLAGS"
put settings "$STARTS starts; $ROUNDS round pairs of $TRIGGERS triggers at $CLIENTS clients; $RELAYS dispatches; $LISTS listings at ${LISTED// /, } executions"

echo "== API server"
java -cp "$WORK/classes:$CP" ApiServer >"$WORK/api.log" 2>&1 &
API_PID=$!
for _ in {1..600}; do grep -q '^ready' "$WORK/api.log" && break; kill -0 "$API_PID" || break; sleep 0.1; done
grep -q '^ready' "$WORK/api.log" || { cat "$WORK/api.log" >&2; echo "the API server did not start" >&2; exit 1; }
API="http://127.0.0.1:$(awk '/^ready/ { print $2 }' "$WORK/api.log")"
cat >"$WORK/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "$API"}}]
users: [{name: bench, user: {token: bench}}]
contexts: [{name: bench, context: {cluster: bench, user: bench, namespace: default}}]
current-context: bench
EOF
echo "  $API"

# Starts SlimJobs against that API server and waits for GET /ready; READY_MS is launch to the first 200.
start() {
  local t0
  PORT=$(free_port)
  SERVICE="http://127.0.0.1:$PORT"
  t0=$(now_ms)
  # shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
  env -u KUBERNETES_SERVICE_HOST -u JAVA_TOOL_OPTIONS -u SLIMJOBS_CONFIG_FILE -u SLIMFAAS_JOBS_CONFIGURATION \
      HOME="$(mktemp -d "$WORK/home.XXXX")" KUBECONFIG="$WORK/kubeconfig" SLIMJOBS_EMBEDDED_CLUSTER=false \
      SLIMJOBS_HTTP_PORT="$PORT" CAMEL_SERVER_HOST=127.0.0.1 SlimFaas__JobsConfiguration="$DEFINITIONS" \
      java $JVM_FLAGS -jar "$JAR_DIR/slimjobs.jar" >"$WORK/service.log" 2>&1 &
  PID=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVICE/ready") == 200 ]]; do
    if ! kill -0 "$PID" 2>/dev/null || (( $(now_ms) - t0 > 60000 )); then
      tail -n 30 "$WORK/service.log" >&2
      echo "SlimJobs did not become ready" >&2
      exit 1
    fi
    sleep 0.02
  done
  READY_MS=$(( $(now_ms) - t0 ))
}

# JFR on the running service around one phase: profiled NAME COMMAND...
profiled() {
  local name=$1 dir=$RESULTS/profile
  if [[ -z $PROFILE ]]; then "${@:2}"; return; fi
  mkdir -p "$dir"
  jcmd "$PID" JFR.start name="$name" settings=profile >/dev/null
  "${@:2}"
  jcmd "$PID" JFR.stop name="$name" filename="$dir/$name.jfr" >/dev/null
  local jfr=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr
  [[ -x $jfr ]] || jfr=jfr
  { "$jfr" view --width 160 hot-methods "$dir/$name.jfr"; "$jfr" view --width 160 allocation-by-class "$dir/$name.jfr"
  } >"$dir/$name.txt" 2>&1 || true
  echo "  profile: $dir/$name.txt" >&2
}

echo "== start to ready, $STARTS cold starts"
ready=() rss=()
for ((i = 1; i <= STARTS; i++)); do
  start
  sleep 5                              # idle: let the tail of startup (JIT, informer sync) pass
  ready+=("$READY_MS") rss+=("$(rss_mib)")
  echo "  start $i: ready in $READY_MS ms, idle RSS ${rss[-1]} MiB"
  ((i == STARTS)) || stop
done
put ready_ms "$(median "${ready[@]}")"
put ready_all "${ready[*]}"
put rss_idle_mib "$(median "${rss[@]}")"
put rss_idle_all "${rss[*]}"

echo "== trigger throughput: SlimJobs and raw creates, $ROUNDS rounds each of $TRIGGERS, clients $CLIENTS"
profiled trigger load throughput bench "$PID" "$CLIENTS" "$ROUNDS" "$TRIGGERS" >"$WORK/throughput"
take <"$WORK/throughput"

echo "== dispatch latency: $RELAYS executions, NumberParallelJob $RELAY_CAP, each runs $RELAY_RUN_MS ms"
load dispatch relay "$RELAY_CAP" "$RELAYS" "$RELAY_RUN_MS" >"$WORK/dispatch"
take <"$WORK/dispatch"

echo "== listing"
for n in $LISTED; do
  profiled "listing-$n" load listing listed "$n" "$LISTS" >"$WORK/listing"
  take <"$WORK/listing"
done

echo "== memory with $QUEUED queued and ${LISTED##* } finished executions"
take < <(load queue bench "$QUEUED")
sleep 5
put rss_loaded_mib "$(rss_mib)"
# The class histogram runs a full GC first: what survives it is the live heap, unlike RSS.
put live_heap_mib "$(jcmd "$PID" GC.class_histogram | awk '/^Total/ { printf "%.0f", $3 / 1048576 }')"
put cpu_seconds_total "$(awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$PID/stat")"
stop

put run_seconds "$SECONDS"
echo "== $OUT written (${SECONDS} s)"
java bench/Report.java "$RESULTS/before.tsv" "$RESULTS/after.tsv" >docs/performance.md
echo "docs/performance.md rewritten"
