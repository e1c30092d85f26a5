#!/bin/sh
# Java-to-Java `./rtc4j peer` benchmark, inside a loopback-only network namespace (unshare): setup time
# (echo scenario, median of RUNS_SETUP) and throughput (100 MB, median of RUNS_BULK), with the CPU seconds
# (user + system) of each side. The answerer starts first; the offerer a moment later.
#   bench/scripts/peer-bench.sh            (after ./rtc4j build)
# TRACE=1 adds -Drtc4j.trace.setup=true to both sides and prints, after each echo run, the two processes' set-up
# timelines merged on one clock (milliseconds since the offerer's start; O = offerer, A = answerer); with
# KEEP_TMP=dir each run's logs stay there as offer.N.err and answer.N.err.
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
if [ -n "${TRACE:-}" ]; then
    OFFER_JAVA_OPTS="${OFFER_JAVA_OPTS:-} -Drtc4j.trace.setup=true"
    ANSWER_JAVA_OPTS="${ANSWER_JAVA_OPTS:-} -Drtc4j.trace.setup=true"
fi
n=0
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

run() { # scenario, extra args...
    scenario=$1; shift
    # The previous run's log goes first: else the wait below can read its "ready" line before the new answerer
    # truncates the file, and the offerer's set-up then waits out the answerer's whole warm-up (two runs of 17 took
    # 34 and 37 s so).
    rm -f "$TMP/o2a" "$TMP/a2o" "$TMP/answer.err"
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
    n=$((n + 1))
    if [ -n "${TRACE:-}" ] && [ "$scenario" = echo ]; then timeline; fi
    if [ -n "${KEEP_TMP:-}" ]; then cp "$TMP/offer.err" "$TMP/offer.$n.err"; cp "$TMP/answer.err" "$TMP/answer.$n.err"; fi
}

timeline() { # the last lines of each side (the real run's, after the warm-up's), on the offerer's clock
    { grep -e 'peer steps t0' -e 'setup trace' "$TMP/offer.err" | tail -2 | sed 's/^/O /'
      grep -e 'peer steps t0' -e 'setup trace' "$TMP/answer.err" | tail -2 | sed 's/^/A /'; } |
    awk '/peer steps|setup trace/ {
            side = $1; t0 = 0
            for (i = 2; i <= NF; i++) if ($i ~ /^t0_us=/) { t0 = substr($i, 7) + 0 }
            for (i = 2; i <= NF; i++) if ($i ~ /@/) {
                split($i, kv, "@"); split(kv[2], ms, "#")
                printf "%.0f %s %s%s\n", t0 + ms[1] * 1000, side, kv[1], (ms[2] != "" ? " (cpu " ms[2] " ms)" : "")
            }
        }' | sort -n -s -k1,1 >"$TMP/timeline.raw"
    base=$(awk '$2 == "O" && $3 == "start" { print $1 }' "$TMP/timeline.raw")
    awk -v b="$base" '{ t = ($1 - b) / 1000; $1 = ""; printf "  %7.2f%s\n", t, $0 }' "$TMP/timeline.raw"
    grep 'peer steps cpu' "$TMP/offer.err" | tail -1 | sed 's/.*peer steps/  O/'
    grep 'peer steps cpu' "$TMP/answer.err" | tail -1 | sed 's/.*peer steps/  A/'
}

i=0
while [ $i -lt "$RUNS_SETUP" ]; do run echo; i=$((i + 1)); done
i=0
while [ $i -lt "$RUNS_BULK" ]; do run throughput --bytes "$BYTES"; i=$((i + 1)); done
