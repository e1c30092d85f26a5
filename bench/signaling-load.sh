#!/bin/sh
# Load test of the signaling server (see SignalingLoad): P load processes of N clients each, in rooms of
# two, every client sending R messages a second for S seconds after a warm-up, first against one server
# alone, then (when redis-server is installed) against two servers sharing rooms through one Redis, the
# two members of every room on different servers. One result line per load process and setup.
#   bench/signaling-load.sh [N=5000] [P=2] [R=1] [S=30] [W=5]   (W: warm-up seconds, not measured)
# Build first: ./mvnw -o -q -pl bench -am package -DskipTests. Loopback only (127.0.0.1).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
N=${1:-5000}; P=${2:-2}; R=${3:-1}; S=${4:-30}; W=${5:-5}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP="$ROOT/bench/target/rtc4j-bench.jar:$ROOT/bench/target/lib/*"
LOG=$(mktemp -d)
ulimit -n 20000 2>/dev/null || true
PIDS_TO_KILL=""
trap 'for p in $PIDS_TO_KILL; do kill $p 2>/dev/null || true; done' EXIT

# start_server NAME [demo options...]: starts a demo server, sets PORT to its HTTP port.
start_server() {
    name=$1; shift
    "$JAVA" -Xmx2g -Xlog:gc:file=$LOG/gc-$name.log -cp "$CP" org.rtc4j.server.Main demo --host 127.0.0.1 --port 0 \
        --turn-port 0 --max-clients 25000 --max-rooms 25000 --max-clients-per-address 25000 \
        --max-rooms-per-address 25000 --max-connections-per-address 25000 "$@" 2>"$LOG/$name.log" &
    PIDS_TO_KILL="$PIDS_TO_KILL $!"
    PORT=""
    for _ in $(seq 300); do
        PORT=$(sed -n 's|.*open http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$LOG/$name.log")
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    cat "$LOG/$name.log" >&2; exit 1
}

# load SETUP URL URL2: runs the load processes, prints their result lines prefixed with SETUP.
load() {
    PIDS=""
    for i in $(seq "$P"); do
        "$JAVA" -Xmx1g -Xlog:gc:file=$LOG/gc-$1-$i.log -cp "$CP" org.rtc4j.bench.signaling.SignalingLoad \
            --url "$2" --url2 "$3" --clients "$N" --rate "$R" --seconds "$S" --warmup "$W" --prefix "$1$i" \
            >"$LOG/load-$1-$i.out" 2>"$LOG/load-$1-$i.err" &
        PIDS="$PIDS $!"
    done
    for pid in $PIDS; do wait "$pid" || FAIL=1; done
    for i in $(seq "$P"); do cat "$LOG/load-$1-$i.err" >&2; sed "s/^/$1: /" "$LOG/load-$1-$i.out"; done
}

FAIL=0
start_server alone
ALONE=$PORT
load one-server "ws://127.0.0.1:$ALONE/ws" "ws://127.0.0.1:$ALONE/ws"
kill $(echo $PIDS_TO_KILL | awk '{print $NF}') 2>/dev/null || true

if command -v redis-server >/dev/null; then
    RPORT=$(( 20000 + $$ % 20000 ))
    timeout $(( 3 * (S + W) + 300 )) redis-server --port $RPORT --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$LOG" >"$LOG/redis.log" 2>&1 &
    PIDS_TO_KILL="$PIDS_TO_KILL $!"
    sleep 0.5
    start_server a --redis "redis://127.0.0.1:$RPORT"
    A=$PORT
    start_server b --redis "redis://127.0.0.1:$RPORT"
    load two-servers-redis "ws://127.0.0.1:$A/ws" "ws://127.0.0.1:$PORT/ws"
else
    echo "redis-server not installed: two-server run skipped" >&2
fi
grep -hE 'WARN|ERROR' "$LOG"/*.log | grep -v 'gc' | head -5 >&2 || true
echo "logs in $LOG" >&2
exit $FAIL
