#!/bin/sh
# Java-to-Java `./rtc4j peer` benchmark, inside a loopback-only network namespace (unshare): setup time
# (echo scenario, median of RUNS_SETUP) and throughput (100 MB, median of RUNS_BULK), with the CPU seconds
# (user + system) of each side. The answerer starts first; the offerer a moment later.
#   bench/scripts/peer-bench.sh            (after ./rtc4j build)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
RUNS_SETUP=${RUNS_SETUP:-5}
RUNS_BULK=${RUNS_BULK:-3}
BYTES=${BYTES:-100000000}
if [ "${RTC4J_NETNS:-}" != loopback-only ]; then
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    exec unshare $flags -- sh -c 'ip link set lo up && RTC4J_NETNS=loopback-only exec "$0"' "$0"
fi
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CP="$ROOT/server/target/rtc4j-server.jar:$ROOT/server/target/lib/*"
TMP=${KEEP_TMP:-$(mktemp -d)}
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

run() { # scenario, extra args...
    scenario=$1; shift
    rm -f "$TMP/o2a" "$TMP/a2o"
    mkfifo "$TMP/o2a" "$TMP/a2o"
    /usr/bin/time -f "%U %S" -o "$TMP/answer.cpu" "$JAVA_HOME/bin/java" ${ANSWER_JAVA_OPTS:-} -cp "$CP" org.rtc4j.server.Main peer answer \
        0<>"$TMP/o2a" 1<>"$TMP/a2o" 2>"$TMP/answer.err" &
    apid=$!
    until grep -q "peer answer ready" "$TMP/answer.err" 2>/dev/null; do sleep 0.05; done
    /usr/bin/time -f "%U %S" -o "$TMP/offer.cpu" "$JAVA_HOME/bin/java" ${OFFER_JAVA_OPTS:-} -cp "$CP" org.rtc4j.server.Main peer offer \
        --scenario "$scenario" "$@" <"$TMP/a2o" 2>"$TMP/offer.err" | tee "$TMP/o2a" | grep '"result"' >"$TMP/result" || true
    wait $apid || true
    result=$(cat "$TMP/result")
    ocpu=$(awk '{print $1 + $2}' "$TMP/offer.cpu")
    acpu=$(awk '{print $1 + $2}' "$TMP/answer.cpu")
    arun=$(sed -n 's/.*(cpu_s=\([0-9.]*\)).*/\1/p' "$TMP/answer.err" | tail -1)
    echo "$scenario process_cpu_s offer=$ocpu answer=$acpu; answer run cpu_s=$arun; $result"
}

i=0
while [ $i -lt "$RUNS_SETUP" ]; do run echo; i=$((i + 1)); done
i=0
while [ $i -lt "$RUNS_BULK" ]; do run throughput --bytes "$BYTES"; i=$((i + 1)); done
