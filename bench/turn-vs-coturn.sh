#!/bin/sh
# Our TURN server and coturn's turnserver side by side under the same turnutils_uclient load (issue 5):
# a paced run and a flat-out run, each against each server, in a private loopback-only network namespace.
# Prints, per run: messages sent and echoed, loss, echoed messages per second (each echo is two relayed
# packets: client -> peer and peer -> client), the server process's CPU seconds during the run (utime +
# stime from /proc/<pid>/stat, read before and after: steady state, after a warm-up not measured, so JVM
# start-up and JIT compilation are not counted), CPU microseconds per relayed packet and the load average.
# REPEAT rounds, each starting each server afresh in turn (so both see the same changing machine load),
# then the medians per server and run.
#   ./rtc4j build && bench/turn-vs-coturn.sh            (root, or a user allowed to unshare -rn)
# Knobs: PACED="-m 20 -n 2000 -l 500 -z 2"  FLAT="-m 20 -n 5000 -l 500 -z 0"  SERVERS="rtc4j coturn"
#        REPEAT=3  RTC4J_JAVA_OPTS="-Xmx512m -XX:+UseSerialGC" (our server's JVM flags)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
PACED=${PACED:-"-m 20 -n 2000 -l 500 -z 2"}
FLAT=${FLAT:-"-m 20 -n 5000 -l 500 -z 0"}
REPEAT=${REPEAT:-3}
JAVA=${JAVA:-java}
SERVERS=${SERVERS:-"rtc4j coturn"}
RTC4J_JAVA_OPTS=${RTC4J_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC"}
[ -n "${JAVA_HOME:-}" ] && JAVA="$JAVA_HOME/bin/java"

if [ "${RTC4J_BENCH_NETNS:-}" != 1 ]; then
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    RTC4J_BENCH_NETNS=1 exec unshare $flags -- "$0" "$@"
fi
ip link set lo up
HZ=$(getconf CLK_TCK)
OUT=$(mktemp -d)

cpu_ticks() { awk '{print $14 " " $15}' "/proc/$1/stat"; }  # user and system

wait_port() { # until something answers STUN on 127.0.0.1:3478
    for _ in $(seq 1 100); do
        timeout 2 turnutils_stunclient 127.0.0.1 >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "server did not start" >&2; exit 1
}

measure() { # name pid label args...
    name=$1 pid=$2 label=$3; shift 3
    t0=$(cpu_ticks "$pid"); s=$(date +%s.%N)
    turnutils_uclient -u alice -w secret -e 127.0.0.1 -r 3480 "$@" 127.0.0.1 >"$OUT/$name-$label.log" 2>&1 || true
    e=$(date +%s.%N); t1=$(cpu_ticks "$pid")
    line=$(grep -o 'tot_send_msgs=[0-9]*, tot_recv_msgs=[0-9]*' "$OUT/$name-$label.log" | tail -1)
    sent=$(echo "$line" | sed 's/tot_send_msgs=\([0-9]*\).*/\1/')
    recv=$(echo "$line" | sed 's/.*tot_recv_msgs=\([0-9]*\)/\1/')
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v n="$name" -v l="$label" -v s="$sent" -v r="$recv" -v t0="$t0" -v t1="$t1" \
        -v hz="$HZ" -v a="$s" -v b="$e" -v load="$load" 'BEGIN {
            w = b - a; split(t0, u0, " "); split(t1, u1, " ")
            user = (u1[1] - u0[1]) / hz; sys = (u1[2] - u0[2]) / hz; cpu = user + sys
            printf "%-7s %-9s sent %6d echoed %6d loss %5.2f %%  %7.0f relayed pkt/s  server CPU %.2f s (user %.2f, sys %.2f) = %5.2f us/pkt  (wall %.1f s, load %s)\n",
            n, l, s, r, 100 * (s - r) / s, 2 * r / w, cpu, user, sys, 1e6 * cpu / (2 * r), w, load
            printf "%s %s %.0f %.2f %.2f %.2f %s\n", n, l, 2 * r / w, 100 * (s - r) / s, cpu, 1e6 * cpu / (2 * r), load >> "'"$OUT/results"'" }'
}

run_server() { # name command...
    name=$1; shift
    "$@" >"$OUT/$name-server.log" 2>&1 &
    pid=$!
    turnutils_peer -L 127.0.0.1 -p 3480 >/dev/null 2>&1 &
    peer=$!
    wait_port
    # Warm-up, the same for both servers and not measured: both measured loads once, so that the JVM has
    # compiled the paths they take (with a shorter one, C2 still compiles during the measured runs).
    # shellcheck disable=SC2086
    for load in "$PACED" "$FLAT"; do
        turnutils_uclient -u alice -w secret -e 127.0.0.1 -r 3480 $load 127.0.0.1 >/dev/null 2>&1 || true
    done
    measure "$name" "$pid" paced $PACED
    measure "$name" "$pid" flat-out $FLAT
    kill "$peer" "$pid"; wait "$pid" 2>/dev/null || true
}

echo "paced: uclient $PACED   flat-out: uclient $FLAT   $REPEAT rounds   (logs in $OUT)"
for round in $(seq 1 "$REPEAT"); do
case " $SERVERS " in *" rtc4j "*)
# shellcheck disable=SC2086
run_server rtc4j "$JAVA" $RTC4J_JAVA_OPTS -cp "$ROOT/server/target/rtc4j-server.jar:$ROOT/server/target/lib/*" \
    org.rtc4j.server.Main turn-server --listen 127.0.0.1:3478 --realm test --user alice:secret \
    --allow-loopback-peers --max-bps 0 ;;
esac
case " $SERVERS " in *" coturn "*)
run_server coturn turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port=3478 \
    --lt-cred-mech --user=alice:secret --realm=test --fingerprint --no-tls --no-dtls --allow-loopback-peers \
    --no-cli --log-file=stdout --simple-log ;;
esac
done
echo "medians of $REPEAT rounds:"
for name in $SERVERS; do
    for label in paced flat-out; do
        grep "^$name $label " "$OUT/results" | awk -v n="$name" -v l="$label" '
            { p[NR] = $3; loss[NR] = $4; cpu[NR] = $5; us[NR] = $6; load[NR] = $7 }
            function median(a, k, i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
                if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
            END { if (NR) printf "%-7s %-9s %7.0f relayed pkt/s  loss %5.2f %%  server CPU %.2f s = %5.2f us/pkt  (load %.1f)\n",
                n, l, median(p, NR), median(loss, NR), median(cpu, NR), median(us, NR), median(load, NR) }'
    done
done
