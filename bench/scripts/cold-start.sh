#!/bin/sh
# Cold start of `./rtc4j peer` (issue 23), inside a loopback-only network namespace: both sides fresh JVMs
# started by the launcher with --no-warmup, the answerer GAP seconds before the offerer (echo scenario), with
# the launcher's start-up cache and without it (RTC4J_AOT=off), with the JVM's default JIT thresholds instead
# of the launcher's (jit1: -XX:CompileThresholdScaling=1), then warm (the in-JVM warm-up first) as the reference, REPEAT rounds in turn so that all see the same changing machine load. Per run: setup_ms, the
# offering process's whole CPU seconds (user + system, start to exit), wall seconds, the load average.
#   ./rtc4j build && bench/scripts/cold-start.sh        (root, or a user allowed to unshare -rn)
# Knobs: REPEAT=3  GAP=2  MODES="cached uncached jit1 warm"
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
REPEAT=${REPEAT:-3}
GAP=${GAP:-2}
MODES=${MODES:-"cached uncached jit1 warm"}
if [ "${RTC4J_NETNS:-}" != loopback-only ]; then
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    exec unshare $flags -- sh -c 'ip link set lo up && RTC4J_NETNS=loopback-only exec "$0"' "$0"
fi
"$ROOT/rtc4j" peer --help >/dev/null    # builds if stale, makes the start-up cache if missing
TMP=${KEEP_TMP:-$(mktemp -d)}
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

run() { # mode
    mode=$1
    opts=${RTC4J_JAVA_OPTS:-}
    case $mode in
        cached) aot=on warmup=--no-warmup ;;
        uncached) aot=off warmup=--no-warmup ;;
        jit1) aot=on warmup=--no-warmup opts="$opts -XX:CompileThresholdScaling=1" ;;
        *) aot=on warmup="" ;;
    esac
    rm -f "$TMP/o2a" "$TMP/a2o" "$TMP/answer.err"
    mkfifo "$TMP/o2a" "$TMP/a2o"
    RTC4J_AOT=$aot RTC4J_JAVA_OPTS=$opts /usr/bin/time -f "%U %S %e" -o "$TMP/answer.cpu" "$ROOT/rtc4j" peer answer $warmup \
        0<>"$TMP/o2a" 1<>"$TMP/a2o" 2>"$TMP/answer.err" &
    apid=$!
    until grep -q "peer answer ready" "$TMP/answer.err" 2>/dev/null; do sleep 0.05; done
    sleep "$GAP"
    RTC4J_AOT=$aot RTC4J_JAVA_OPTS=$opts /usr/bin/time -f "%U %S %e" -o "$TMP/offer.cpu" "$ROOT/rtc4j" peer offer $warmup \
        --scenario echo <"$TMP/a2o" 2>"$TMP/offer.err" | tee "$TMP/o2a" | grep '"result"' >"$TMP/result" || true
    wait $apid || true
    load=$(cut -d' ' -f1 /proc/loadavg)
    setup=$(sed -n 's/.*"setup_ms":\([0-9.]*\).*/\1/p' "$TMP/result")
    awk -v m="$mode" -v s="${setup:-nan}" -v l="$load" '{ printf "%-8s setup_ms %8s  offer process CPU %.2f s (user %.2f, sys %.2f), wall %.2f s  (load %s)\n", m, s, $1 + $2, $1, $2, $3, l
        printf "%s %s %.2f %s\n", m, s, $1 + $2, l >> "'"$TMP/results"'" }' "$TMP/offer.cpu"
}

echo "cold start of ./rtc4j peer, echo; $REPEAT rounds of: $MODES"
for _ in $(seq 1 "$REPEAT"); do
    for mode in $MODES; do run "$mode"; done
done
echo "medians of $REPEAT rounds:"
for mode in $MODES; do
    grep "^$mode " "$TMP/results" | awk -v m="$mode" '
        { s[NR] = $2; c[NR] = $3; l[NR] = $4 }
        function median(a, k, i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
            if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END { if (NR) printf "%-8s setup_ms %8.1f  offer process CPU %.2f s  (load %.1f)\n", m, median(s, NR), median(c, NR), median(l, NR) }'
done
