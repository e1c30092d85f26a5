#!/bin/sh
# `./rtc4j send` to `./rtc4j receive` against the `./rtc4j peer` throughput scenario, in the same run, inside a
# loopback-only network namespace, every JVM under -Xmx64m: the file rate (data phase: from the request for
# the chunks to the last file verified, SHA-256 included) as a share of the raw data-channel rate. A demo server
# (signaling, STUN/TURN) on loopback pairs the two transfer ends.
#   bench/scripts/transfer-bench.sh        (after ./rtc4j build; BYTES=1000000000 RUNS=3 by default)
# The two ends run as a person runs them, through the launcher (./rtc4j send, ./rtc4j receive: its start-up cache,
# whose training connects two peers with a little bulk data and moves no file); LAUNCHER=0 runs them on the plain
# class path instead.
# PAUSE=seconds waits that long between the code and the receiver's start, as a person reading out the code
# does: the sender hashes its files meanwhile (IdleHashes), which it otherwise does while the data flows.
# SEND_OPTS and RECEIVE_OPTS add JVM options to one end (a JFR recording, say); PEER=0 skips the peer scenario;
# THREAD_CPU=1 prints each end's CPU seconds per thread (JIT, GC, the connection's loop), read from /proc at its end,
# and those of the transfer's own threads (transfer-send-N, transfer-write) as each ends.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
BYTES=${BYTES:-1000000000}
RUNS=${RUNS:-3}
if [ "${RTC4J_NETNS:-}" != loopback-only ]; then
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    exec unshare $flags -- sh -c 'ip link set lo up && RTC4J_NETNS=loopback-only exec "$0"' "$0"
fi
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CP=${RTC4J_CP:-"$ROOT/server/target/rtc4j-server.jar:$ROOT/server/target/lib/*"}
JAVA="$JAVA_HOME/bin/java -Xmx64m -cp $CP"
TMP=${KEEP_TMP:-$(mktemp -d)}
cleanup() {
    [ -z "${SERVER_PID:-}" ] || kill "$SERVER_PID" 2>/dev/null || true
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# The build and its cache, if stale, before timing and before the demo server runs from the jars a build replaces.
[ "${LAUNCHER:-1}" = 0 ] || "$ROOT/rtc4j" send --help >/dev/null
head -c "$BYTES" /dev/urandom >"$TMP/file.bin"
$JAVA org.rtc4j.server.Main demo --host 127.0.0.1 --port 18080 --turn-port 13478 2>"$TMP/server.err" &
SERVER_PID=$!
until grep -q "rtc4j demo: open" "$TMP/server.err" 2>/dev/null; do sleep 0.1; done
SERVER=http://127.0.0.1:18080
end() { # JVM options, command, arguments: one end under -Xmx64m, its CPU seconds into $TMP/<command>.cpu
    opts=$1; shift
    [ "${THREAD_CPU:-0}" = 0 ] || opts="$opts -Drtc4j.threadCpu=true"
    if [ "${LAUNCHER:-1}" = 0 ]; then
        # shellcheck disable=SC2086
        /usr/bin/time -f "%U %S" -o "$TMP/$1.cpu" $JAVA $opts org.rtc4j.server.Main "$@"
    else
        RTC4J_JAVA_OPTS="-Xmx64m $opts" /usr/bin/time -f "%U %S" -o "$TMP/$1.cpu" "$ROOT/rtc4j" "$@"
    fi
}

udp_drops() { # datagrams the namespace's UDP sockets dropped for a full receive buffer (or other errors)
    awk '/^Udp: [0-9]/ { print $4 }' /proc/net/snmp
}

i=0
while [ $i -lt "$RUNS" ]; do
    # The raw rate: ./rtc4j peer's throughput scenario, the same bytes.
    peer=0
    [ "${PEER:-1}" = 0 ] || OFFER_JAVA_OPTS=-Xmx64m ANSWER_JAVA_OPTS=-Xmx64m RUNS_SETUP=0 RUNS_BULK=1 BYTES=$BYTES \
        "$ROOT/bench/scripts/peer-bench.sh" >"$TMP/peer.out" 2>&1 || true
    [ "${PEER:-1}" = 0 ] || peer=$(sed -n 's/.*"MBps":\([0-9.]*\).*/\1/p' "$TMP/peer.out" | tail -1)
    [ "${PEER:-1}" = 0 ] || pcpu=$(sed -n 's/.*process_cpu_s offer=\([0-9.]*\) answer=\([0-9.]*\);.*/offer \1 answer \2/p' "$TMP/peer.out" | tail -1)

    rm -rf "$TMP/out"
    drops0=$(udp_drops)
    end "${SEND_OPTS:-}" send "$TMP/file.bin" --server "$SERVER" >"$TMP/send.out" 2>&1 &
    spid=$!
    until grep -q "^code: " "$TMP/send.out" 2>/dev/null; do
        kill -0 $spid 2>/dev/null || { cat "$TMP/send.out" >&2; exit 1; }
        sleep 0.1
    done
    code=$(sed -n 's/^code: //p' "$TMP/send.out")
    sleep "${PAUSE:-0}"
    end "${RECEIVE_OPTS:-}" receive "$code" --dir "$TMP/out" --server "$SERVER" >"$TMP/receive.out" 2>&1
    wait $spid
    drops=$(($(udp_drops) - drops0))
    got=$(sed -n 's/.* s, \([0-9.]*\) MB\/s$/\1/p' "$TMP/receive.out" | tail -1)
    same=no
    [ "$(sha256sum <"$TMP/file.bin")" = "$(sha256sum <"$TMP/out/file.bin")" ] && same=yes
    rcpu=$(awk '{print $1 + $2}' "$TMP/receive.cpu")
    scpu=$(awk '{print $1 + $2}' "$TMP/send.cpu")
    echo "run $i: peer throughput ${peer} MB/s (cpu_s ${pcpu:-?}); transfer ${got} MB/s ($(grep '^received' "$TMP/receive.out")); sha256 match: $same; cpu_s sender $scpu receiver $rcpu; UDP datagrams dropped $drops; load $(cut -d' ' -f1 /proc/loadavg); ratio $(awk -v a="$got" -v b="$peer" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')"
    [ "${THREAD_CPU:-0}" = 0 ] || grep -h -e "cpu_s by thread" -e "^thread .* cpu_s=" "$TMP/send.out" "$TMP/receive.out"
    i=$((i + 1))
done
