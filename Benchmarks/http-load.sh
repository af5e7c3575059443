#!/usr/bin/env bash
# HTTP load test of a release build of motcua, on loopback only.
#
# Builds `motcua` in release, starts it on 127.0.0.1:18090 with a throw-away SQLite database (the first start seeds
# the catalogue), then runs wrk (16 connections, 2 threads, 15 s, --latency) against, in turn:
#   /healthz                        the floor: routing and middleware, no work
#   /api/v1/procedures?q=...        the search API, cycling through the search mix (search-mix.lua)
#   /api/v1/procedures/1.001193     one procedure as JSON
#   /                               the home page (Leaf rendering of the catalogue's topics)
#   /procedures/1.001193            one procedure page (database read + Leaf rendering)
#   /procedures?q=khai+sinh         the catalogue page (search + Leaf rendering)
# as an anonymous visitor, and prints requests/s and p50/p99 latency per target, and how each compares with
# /healthz against the project's targets: search p99 < 10 ms and requests/s >= half of /healthz's; the procedure
# API >= half of /healthz's requests/s; each public page >= a quarter of /healthz's requests/s with p99 < 20 ms.
# The server is stopped on exit, whatever happens.
#
# Usage:  Benchmarks/http-load.sh            (from anywhere; takes ~2 minutes after the build)
# Environment: MOTCUA_BIN (a motcua binary to measure instead of building one), PORT (18090), DURATION (15s), CONNECTIONS (16), THREADS (2),
#              VAPOR_ENV (unset: Vapor's default, development; `production` turns Leaf's template cache on, which
#              the two page targets feel and the API does not),
#              SCRATCH (build folder, default <root>/.build-release: gitignored, and not the `.build` that
#              `swift build` / `swift test` use, so it does not block or invalidate other builds).
#
# On a 2-core machine wrk and the server share the cores: the figures are for the pair, not the server alone.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
HOST=127.0.0.1 # loopback only: this is a load generator, it must never point elsewhere
PORT=${PORT:-18090}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SCRATCH=${SCRATCH:-$ROOT/.build-release}
VAPOR_ENV=${VAPOR_ENV:-}
BASE="http://$HOST:$PORT"

log() { printf '==> %s\n' "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

# --- build --------------------------------------------------------------------------------------------------------
if [ -n "${MOTCUA_BIN:-}" ]; then
    # A binary built elsewhere (an earlier commit's, to compare), served with this checkout's Resources/.
    BIN=$MOTCUA_BIN
else
    log "building motcua (release) in $SCRATCH"
    # (build output to stderr: stdout is kept for the results table)
    (cd "$ROOT" && swift build -c release --product motcua --scratch-path "$SCRATCH") >&2
    BIN="$SCRATCH/release/motcua"
fi

# A server already on the port would be measured instead of ours: refuse.
if curl -s -o /dev/null --max-time 2 "$BASE/healthz"; then
    echo "something already answers on $BASE; stop it or set PORT" >&2
    exit 1
fi

# --- server -------------------------------------------------------------------------------------------------------
WORK=$(mktemp -d -t motcua-load.XXXXXX)
SERVER_PID=""
cleanup() {
    # Stop only the server this script started, by its PID; give it time to close the database.
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # run the EXIT trap on Ctrl-C too

log "starting motcua on $BASE (database in $WORK)"
# From the repository root, so that Resources/ (views, seed) and Public/ are found. A fresh database in the temp
# folder means every run starts from the same seeded catalogue and never touches ./motcua.sqlite.
(
    cd "$ROOT"
    MOTCUA_SQLITE_PATH="$WORK/motcua.sqlite" MOTCUA_DATA_DIR="$WORK/data" LOG_LEVEL=warning \
        exec "$BIN" serve --hostname "$HOST" --port "$PORT" ${VAPOR_ENV:+--env "$VAPOR_ENV"}
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# The first start migrates and seeds before it listens (~15 s here); allow well over that, but not forever.
log "waiting for /healthz"
for i in $(seq 1 240); do
    if curl -sf -o /dev/null --max-time 2 "$BASE/healthz"; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "motcua exited during start; its log:" >&2; cat "$WORK/server.log" >&2; exit 1
    fi
    if [ "$i" -eq 240 ]; then echo "no /healthz after 120 s; server log:" >&2; cat "$WORK/server.log" >&2; exit 1; fi
    sleep 0.5
done

# Every target must answer 200 before it is measured (a fast 404 would look like a fast page), and the first
# request per target loads the catalogue index and compiles the templates: keep that out of the measurement.
warm() {
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$BASE$1")
    [ "$status" = 200 ] || { echo "GET $1 answered $status, expected 200" >&2; exit 1; }
}
for path in /healthz "/api/v1/procedures?q=khai%20sinh&per=20" /api/v1/procedures/1.001193 / /procedures/1.001193 \
    "/procedures?q=khai+sinh"; do
    warm "$path"
done
TOTAL=$(curl -s "$BASE/api/v1/procedures?per=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
log "catalogue loaded: ${TOTAL:-?} procedures"

# --- load ---------------------------------------------------------------------------------------------------------
# run NAME URL [wrk args...]: one wrk run, its full output kept in $WORK/NAME.txt and echoed for the record.
run() {
    local name=$1 url=$2
    shift 2
    log "wrk $name: $url ($DURATION, $CONNECTIONS connections, $THREADS threads)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$name.txt"
    sed 's/^/    /' "$WORK/$name.txt" >&2
}
run healthz "$BASE/healthz"
run search "$BASE" -s "$HERE/search-mix.lua"
run procedure_api "$BASE/api/v1/procedures/1.001193"
run home "$BASE/"
run procedure "$BASE/procedures/1.001193"
run catalogue "$BASE/procedures?q=khai+sinh"

# --- report -------------------------------------------------------------------------------------------------------
# wrk prints latencies with their own unit (us, ms, s); convert to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}
field() { # field NAME KEY: Requests/sec, or a latency percentile (50%, 99%), from a wrk output
    case $2 in
        rps) awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt" ;;
        errors) awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
                     END {print n + 0}' "$WORK/$1.txt" ;;
        *) to_ms "$(awk -v p="$2" '$1 == p {print $2; exit}' "$WORK/$1.txt")" ;;
    esac
}

echo
echo "motcua HTTP load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, env ${VAPOR_ENV:-development}," \
    "wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
printf '%-34s %12s %10s %10s %10s\n' target "requests/s" "p50 ms" "p99 ms" errors
for row in "healthz:/healthz" "search:/api/v1/procedures?q=(mix)" "procedure_api:/api/v1/procedures/1.001193" \
    "home:/" "procedure:/procedures/1.001193" "catalogue:/procedures?q=khai+sinh"; do
    name=${row%%:*}
    printf '%-34s %12s %10s %10s %10s\n' "${row#*:}" "$(field "$name" rps)" "$(field "$name" 50%)" \
        "$(field "$name" 99%)" "$(field "$name" errors)"
done

HEALTH_RPS=$(field healthz rps)
SEARCH_RPS=$(field search rps)
SEARCH_P99=$(field search 99%)
echo
awk -v s="$SEARCH_RPS" -v h="$HEALTH_RPS" -v p="$SEARCH_P99" 'BEGIN {
    r = s / h
    printf "search/healthz requests/s: %.2f   (target >= 0.50: %s)\n", r, (r >= 0.5 ? "met" : sprintf("missed, %.0f%% of the target", 100 * r / 0.5))
    printf "search p99: %.2f ms         (target < 10 ms: %s)\n", p, (p < 10 ? "met" : sprintf("missed by %.2f ms, %.1fx", p - 10, p / 10))
}'
# The public pages and the procedure API, against the same /healthz run.
for row in "procedure_api:0.50:" "home:0.25:20" "procedure:0.25:20" "catalogue:0.25:20"; do
    IFS=: read -r name share p99limit <<<"$row"
    awk -v n="$name" -v s="$(field "$name" rps)" -v h="$HEALTH_RPS" -v want="$share" -v p="$(field "$name" 99%)" \
        -v limit="$p99limit" 'BEGIN {
        r = s / h
        line = sprintf("%-14s requests/s %.2f of healthz (target >= %.2f: %s)", n, r, want, (r >= want ? "met" : "missed"))
        if (limit != "") line = line sprintf("   p99 %.2f ms (target < %d ms: %s)", p, limit, (p < limit ? "met" : "missed"))
        print line
    }'
done
