#!/bin/sh
# Load test of the signaling server (see SignalingLoad): P load processes of N clients each, in rooms of
# two, every client sending R messages a second for S seconds after a warm-up, against one server alone
# and (when redis-server is installed) against two servers sharing rooms through one Redis, the two members
# of every room on different servers. R may be a list (0.5,1,2): for each rate the two setups run one after
# the other, every server started once beforehand, so both meet the same machine. Prints one result line
# per load process, the load average before each run, and a Markdown table and Mermaid charts at the end.
#   bench/signaling-load.sh [N=5000] [P=2] [R=1] [S=30] [W=5]   (W: warm-up seconds, not measured)
# Build first: ./mvnw -o -q -pl bench -am package -DskipTests. Loopback only (127.0.0.1).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
N=${1:-5000}; P=${2:-2}; RATES=${3:-1}; S=${4:-30}; W=${5:-5}
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

# load SETUP RATE URL URL2 [SECONDS WARMUP]: runs the load processes, prints their result lines prefixed
# with SETUP (and keeps them for the table unless SETUP starts with "warm").
load() {
    echo "$1 rate=$2: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    secs=${5:-$S}; warm=${6:-$W}
    PIDS=""
    for i in $(seq "$P"); do
        "$JAVA" -Xmx1g -Xlog:gc:file=$LOG/gc-$1-$2-$i.log -cp "$CP" org.rtc4j.bench.signaling.SignalingLoad \
            --url "$3" --url2 "$4" --clients "$N" --rate "$2" --seconds "$secs" --warmup "$warm" --prefix "$1$2r$i" \
            >"$LOG/load-$1-$2-$i.out" 2>"$LOG/load-$1-$2-$i.err" &
        PIDS="$PIDS $!"
    done
    for pid in $PIDS; do wait "$pid" || FAIL=1; done
    for i in $(seq "$P"); do
        cat "$LOG/load-$1-$2-$i.err" >&2
        case $1 in
            warm*) sed "s/^/$1: /" "$LOG/load-$1-$2-$i.out" ;;
            *) sed "s/^/$1: /" "$LOG/load-$1-$2-$i.out" | tee -a "$LOG/results" ;;
        esac
    done
}

FAIL=0
start_server alone
ALONE="ws://127.0.0.1:$PORT/ws"
A=""
if command -v redis-server >/dev/null; then
    RPORT=$(( 20000 + $$ % 20000 ))
    timeout 3600 redis-server --port $RPORT --bind 127.0.0.1 --save '' --appendonly no --dir "$LOG" \
        >"$LOG/redis.log" 2>&1 &
    PIDS_TO_KILL="$PIDS_TO_KILL $!"
    sleep 0.5
    start_server a --redis "redis://127.0.0.1:$RPORT"
    A="ws://127.0.0.1:$PORT/ws"
    start_server b --redis "redis://127.0.0.1:$RPORT"
    B="ws://127.0.0.1:$PORT/ws"
else
    echo "redis-server not installed: two-server runs skipped" >&2
fi
# Every server's JIT warmed first by a short run at the first rate, not counted.
FIRST=$(echo "$RATES" | cut -d, -f1)
load warm-one-server "$FIRST" "$ALONE" "$ALONE" 10 0
[ -z "$A" ] || load warm-two-servers "$FIRST" "$A" "$B" 10 0
for R in $(echo "$RATES" | tr ',' ' '); do
    load one-server "$R" "$ALONE" "$ALONE"
    [ -z "$A" ] || load two-servers-redis "$R" "$A" "$B"
done

# One row per setup and rate: relayed/s summed over the load processes, latencies the worst process's.
echo
echo "| setup | clients | offered/s | sent/s | relayed/s | p50 ms | p99 ms | p99.9 ms | max ms | lost |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk '{
    setup = $1; sub(":", "", setup)
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    sub("ms", "", v["p50"]); sub("ms", "", v["p99"]); sub("ms", "", v["p99.9"]); sub("ms", "", v["max"])
    key = setup " " v["rate/client"]
    if (!(key in clients)) order[n++] = key
    clients[key] += v["clients"]; relayed[key] += v["relayed/s"]; lost[key] += v["lost"]; sent[key] += v["sent"]
    if (v["p50"] + 0 > p50[key]) p50[key] = v["p50"] + 0
    if (v["p99"] + 0 > p99[key]) p99[key] = v["p99"] + 0
    if (v["p99.9"] + 0 > p999[key]) p999[key] = v["p99.9"] + 0
    if (v["max"] + 0 > mx[key]) mx[key] = v["max"] + 0
    rate[key] = v["rate/client"]
} END {
    for (i = 0; i < n; i++) {
        k = order[i]; split(k, parts, " ")
        printf "| %s | %d | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d |\n", parts[1], clients[k],
            clients[k] * rate[k], sent[k] / (S + W), relayed[k], p50[k], p99[k], p999[k], mx[k], lost[k]
        if (!(parts[1] in seen)) { seen[parts[1]] = 1; setups[ns++] = parts[1] }
        if (!(parts[2] in xseen)) { xseen[parts[2]] = 1; xs[nx++] = parts[2]; offered[parts[2]] = clients[k] * rate[k] }
    }
    # The same rows as Mermaid line charts (GitHub draws them): one line per setup, in the order named.
    chart("relayed/s", relayed); chart("p50 ms", p50); chart("p99 ms", p99)
}
function chart(what, val,    i, j, line, names) {
    names = ""
    for (j = 0; j < ns; j++) names = names (j ? ", then " : "") setups[j]
    printf "\n```mermaid\nxychart-beta\n    title \"%s by offered/s (lines: %s)\"\n    x-axis \"offered/s\" [", what, names
    for (i = 0; i < nx; i++) printf "%s%.0f", (i ? ", " : ""), offered[xs[i]]
    printf "]\n    y-axis \"%s\"\n", what
    for (j = 0; j < ns; j++) {
        line = ""
        for (i = 0; i < nx; i++) line = line (i ? ", " : "") sprintf("%.2f", val[setups[j] " " xs[i]] + 0)
        printf "    line [%s]\n", line
    }
    print "```"
}' S="$S" W="$W" "$LOG/results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
grep -hE 'WARN|ERROR' "$LOG"/*.log | grep -v 'gc' | head -5 >&2 || true
echo "logs in $LOG" >&2
exit $FAIL
