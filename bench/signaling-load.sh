#!/bin/sh
# Load test of the signaling server (see SignalingLoad): one server process and P load processes of N
# clients each, in rooms of two, every client sending R messages a second for S seconds after a warm-up.
#   bench/signaling-load.sh [N=5000] [P=2] [R=1] [S=30] [W=5]   (W: warm-up seconds, not measured)
# Build first: ./mvnw -o -q -pl bench -am package -DskipTests. Loopback only (127.0.0.1).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
N=${1:-5000}; P=${2:-2}; R=${3:-1}; S=${4:-30}; W=${5:-5}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP="$ROOT/bench/target/rtc4j-bench.jar:$ROOT/bench/target/lib/*"
LOG=$(mktemp -d)
ulimit -n 20000 2>/dev/null || true

"$JAVA" -Xmx2g -Xlog:gc:file=$LOG/gc-server.log -cp "$CP" org.rtc4j.server.Main demo --host 127.0.0.1 --port 0 \
    --max-clients 25000 --max-rooms 25000 --max-clients-per-address 25000 --max-rooms-per-address 25000 \
    --max-connections-per-address 25000 2>"$LOG/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 100); do
    PORT=$(sed -n 's|.*open http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$LOG/server.log")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG/server.log" >&2; exit 1; }

PIDS=""
for i in $(seq "$P"); do
    "$JAVA" -Xmx1g -Xlog:gc:file=$LOG/gc$i.log -cp "$CP" org.rtc4j.bench.signaling.SignalingLoad --url "ws://127.0.0.1:$PORT/ws" \
        --clients "$N" --rate "$R" --seconds "$S" --warmup "$W" --prefix "p$i" >"$LOG/load$i.out" 2>"$LOG/load$i.err" &
    PIDS="$PIDS $!"
done
FAIL=0
for pid in $PIDS; do wait "$pid" || FAIL=1; done
for i in $(seq "$P"); do cat "$LOG/load$i.err" >&2; cat "$LOG/load$i.out"; done
grep -E 'WARN|ERROR' "$LOG/server.log" | head -5 >&2 || true
echo "logs in $LOG" >&2
exit $FAIL
