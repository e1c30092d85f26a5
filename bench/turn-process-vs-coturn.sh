#!/bin/sh
# The TURN server's cost as a whole process (issue 23): `./rtc4j turn-server` started by the launcher (with
# its start-up cache, without it: RTC4J_AOT=off, and with the JIT thresholds ten times the JVM's, as the
# launcher's other commands have them: rtc4j-jit10; optionally C1 alone: rtc4j-c1, and rtc4j-hot: the SHA
# and relay paths compiled after a tenth of the launcher's thresholds) and coturn's turnserver, each started
# afresh, each serving one run of coturn's own client, in a private loopback-only network namespace. Per run:
# the server process's CPU seconds from its start to the end of the client's run (utime + stime from
# /proc/<pid>/stat: start-up, JIT compilation and all), its live threads' CPU milliseconds (engine, main, C1:
# /proc/<pid>/task/*/schedstat), the messages echoed, the load average; REPEAT rounds, each starting every
# server in turn (so all see the same changing machine load), then the medians (of the runs whose client
# finished) and the ratios to coturn. bench/turn-vs-coturn.sh measures the steady state instead (after a warm-up).
#   ./rtc4j build && bench/turn-process-vs-coturn.sh       (root, or a user allowed to unshare -rn)
# Knobs: LOAD="-m 20 -n 500 -l 500 -z 2"  REPEAT=3  SERVERS="rtc4j rtc4j-uncached rtc4j-jit10 coturn" (or rtc4j-hot)
# LOAD="-m 20 -n 1 -l 500 -z 2" measures the fixed cost alone (start-up, 20 allocations, one message each).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
LOAD=${LOAD:-"-m 20 -n 500 -l 500 -z 2"}
REPEAT=${REPEAT:-3}
SERVERS=${SERVERS:-"rtc4j rtc4j-uncached rtc4j-jit10 coturn"}

if [ "${RTC4J_BENCH_NETNS:-}" != 1 ]; then
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    RTC4J_BENCH_NETNS=1 exec unshare $flags -- "$0" "$@"
fi
ip link set lo up
"$ROOT/rtc4j" turn-server --help >/dev/null    # builds if stale, makes the start-up cache if missing
HZ=$(getconf CLK_TCK)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

wait_port() { # until something answers STUN on 127.0.0.1:3478
    for _ in $(seq 1 300); do
        timeout 2 turnutils_stunclient 127.0.0.1 >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server did not start" >&2; exit 1
}

thread_cpu() { # the CPU milliseconds of each live thread of process $1 by name (schedstat: nanoseconds)
    for task in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(tr ' ' _ <"$task/comm")" "$(cut -d' ' -f1 "$task/schedstat")"
    done | awk '{ ns[$1] += $2 } END { for (n in ns) if (ns[n] >= 1e6) printf "%s=%.0f ", n, ns[n] / 1e6 }'
}

run_server() { # name command...
    name=$1; shift
    turnutils_peer -L 127.0.0.1 -p 3480 >/dev/null 2>&1 &
    peer=$!
    "$@" >"$OUT/$name-server.log" 2>&1 &
    pid=$!     # the server itself: the launcher execs its JVM
    wait_port
    started=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    # shellcheck disable=SC2086
    turnutils_uclient -u alice -w secret -e 127.0.0.1 -r 3480 $LOAD 127.0.0.1 >"$OUT/$name-client.log" 2>&1 || true
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    split=$(awk -v hz="$HZ" '{ printf "user %.2f, system %.2f", $14 / hz, $15 / hz }' "/proc/$pid/stat")
    threads=$(thread_cpu "$pid")
    kill "$peer" "$pid"; wait "$pid" 2>/dev/null || true
    recv=$(grep -o 'tot_recv_msgs=[0-9]*' "$OUT/$name-client.log" | tail -1 | cut -d= -f2)
    load=$(cut -d' ' -f1 /proc/loadavg)
    cpu=$(awk -v t="$ticks" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
    printf "%-15s whole-process CPU %5.2f s (%s; %.2f s until it answered STUN)  echoed %6s  (load %s)\n" \
        "$name" "$cpu" "$split" "$(awk -v t="$started" -v hz="$HZ" 'BEGIN { print t / hz }')" "${recv:-?}" "$load"
    echo "                CPU ms by thread: $threads"
    if [ -n "$recv" ]; then
        echo "$name $cpu $load" >>"$OUT/results"
    else # a client that did not finish measures nothing: left out of the medians
        echo "                the client did not finish: $(tail -n 2 "$OUT/$name-client.log" | tr '\n' ' ')"
    fi
}

OPTS=${RTC4J_JAVA_OPTS:-}
# Per-method thresholds: HMAC-SHA1 of MESSAGE-INTEGRITY runs some 1,500 compressions in a run, all interpreted
# under the launcher's scaled thresholds; the relay path's first 2,000 datagrams likewise.
HOT="-XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.05"
HOT="$HOT -XX:CompileCommand=CompileThresholdScaling,org.rtc4j.*::*,0.1 -XX:CompileCommand=CompileThresholdScaling,sun.nio.ch.*::*,0.1"
RTC4J_SERVER="$ROOT/rtc4j turn-server --listen 127.0.0.1:3478 --realm test --user alice:secret --allow-loopback-peers --max-bps 0"

echo "uclient $LOAD; $REPEAT rounds of: $SERVERS"
for _ in $(seq 1 "$REPEAT"); do
    for name in $SERVERS; do
        case $name in
            rtc4j) export RTC4J_AOT=on RTC4J_JAVA_OPTS="$OPTS"; run_server rtc4j $RTC4J_SERVER ;;
            rtc4j-uncached) export RTC4J_AOT=off RTC4J_JAVA_OPTS="$OPTS"; run_server rtc4j-uncached $RTC4J_SERVER ;;
            rtc4j-jit10) export RTC4J_AOT=on RTC4J_JAVA_OPTS="$OPTS -XX:CompileThresholdScaling=10"
                run_server rtc4j-jit10 $RTC4J_SERVER ;;
            rtc4j-hot) export RTC4J_AOT=on RTC4J_JAVA_OPTS="$OPTS $HOT"; run_server rtc4j-hot $RTC4J_SERVER ;;
            rtc4j-c1) export RTC4J_AOT=on RTC4J_JAVA_OPTS="$OPTS -XX:TieredStopAtLevel=1"
                run_server rtc4j-c1 $RTC4J_SERVER ;;
            coturn) run_server coturn turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 \
                --listening-port=3478 --lt-cred-mech --user=alice:secret --realm=test --fingerprint --no-tls \
                --no-dtls --allow-loopback-peers --no-cli --log-file=stdout --simple-log ;;
        esac
    done
done
echo "medians of $REPEAT rounds:"
for name in $SERVERS; do
    grep "^$name " "$OUT/results" | awk -v n="$name" '
        { c[NR] = $2; l[NR] = $3 }
        function median(a, k, i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
            if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END { if (NR) printf "%s %.2f %.1f\n", n, median(c, NR), median(l, NR) }'
done >"$OUT/medians"
awk '{ cpu[$1] = $2; load[$1] = $3; order[NR] = $1 }
    END { for (i = 1; i <= NR; i++) { n = order[i]
        printf "%-15s whole-process CPU %5.2f s", n, cpu[n]
        if (cpu["coturn"] > 0) printf "  = %.1f x coturn", cpu[n] / cpu["coturn"]
        printf "  (load %.1f)\n", load[n] } }' "$OUT/medians"
