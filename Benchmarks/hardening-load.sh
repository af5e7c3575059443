#!/usr/bin/env bash
# Issue 9's figures, on a release build of motcua on loopback, with /healthz loaded at the same time as each target
# (does the rest of the server stay quick while the target works?):
#   1. sign-in: 64 concurrent clients posting the right password of 64 accounts (registered first, each from its
#      own address through 127.0.0.1 as a trusted proxy), bcrypt cost 12 (MOTCUA_BCRYPT_COST); each sign-in is
#      one bcrypt verification on the password pool plus a few queries and a new session.
#   2. the audit page at 100,000 entries (filled by audit-fill.py with a chain that verifies), read by the system
#      administrator (every entry) and by Hà Nội's auditor (entries filed under Hà Nội), 16 connections each.
# Prints requests/s, p50, p99 and errors per target, and the audit page's first load (which checks the chain from
# its checkpoint once) separately.
#
# Usage: Benchmarks/hardening-load.sh       Environment: PORT (18091), DURATION (20s), ENTRIES (100000),
#        SCRATCH (release build folder, default <root>/.build-release, shared with http-load.sh).
# On a 2-core machine wrk and the server share the cores: the figures are for the pair, not the server alone.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
HOST=127.0.0.1
PORT=${PORT:-18091}
DURATION=${DURATION:-20s}
ENTRIES=${ENTRIES:-100000}
SCRATCH=${SCRATCH:-$ROOT/.build-release}
BASE="http://$HOST:$PORT"
log() { printf '==> %s\n' "$*" >&2; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
log "building motcua (release) in $SCRATCH"
(cd "$ROOT" && swift build -c release --product motcua --scratch-path "$SCRATCH") >&2
BIN="$SCRATCH/release/motcua"
if curl -s -o /dev/null --max-time 2 "$BASE/healthz"; then echo "something already answers on $BASE" >&2; exit 1; fi

WORK=$(mktemp -d -t motcua-hardening.XXXXXX)
SERVER_PID=""
stop() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"; for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
# A server that traps is a finding, not noise: its backtrace is printed before the folder goes.
report_crash() {
    if grep -qE "Fatal error|Signal [0-9]+|Backtracing" "$WORK/server.log" 2>/dev/null; then
        echo "THE SERVER CRASHED; its log:" >&2; grep -vE "CancellationError" "$WORK/server.log" | tail -80 >&2
    fi
}
trap 'stop; report_crash; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

start() {
    (cd "$ROOT" && MOTCUA_SQLITE_PATH="$WORK/motcua.sqlite" MOTCUA_DATA_DIR="$WORK/data" MOTCUA_BCRYPT_COST=12 \
        MOTCUA_TRUSTED_PROXIES=127.0.0.1 MOTCUA_WORKER=off LOG_LEVEL=error exec "$BIN" serve --env production --hostname "$HOST" --port "$PORT") \
        >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        curl -sf -o /dev/null --max-time 2 "$BASE/healthz" && return
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.5
    done
    echo "no /healthz after 120 s" >&2; exit 1
}

# sign_in EMAIL JAR: a session in JAR; prints nothing, fails unless the sign-in redirects.
sign_in() {
    curl -fsS -c "$2" -o /dev/null "$BASE/login"
    local csrf status
    csrf=$(awk '$6 == "motcua_csrf" {print $7}' "$2")
    status=$(curl -s -b "$2" -c "$2" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$csrf" \
        --data-urlencode "email=$1" -d password=motcua-demo "$BASE/login")
    [ "$status" = 303 ] || { echo "sign-in of $1 answered $status" >&2; exit 1; }
}
cookie() { awk '$6 ~ /^motcua_/ {printf "%s%s=%s", sep, $6, $7; sep = "; "}' "$1"; }

# measure NAME CONNECTIONS URL [wrk args]: the target and /healthz (4 connections) over the same DURATION.
measure() {
    local name=$1 connections=$2 url=$3
    shift 3
    log "wrk $name: $connections connections, $DURATION, with /healthz alongside"
    wrk -t2 -c4 -d"$DURATION" --latency --timeout 30s "$BASE/healthz" >"$WORK/$name-healthz.txt" &
    local health=$!
    wrk -t"$(( connections < 2 ? connections : 2 ))" -c"$connections" -d"$DURATION" --latency --timeout 30s "$@" "$url" >"$WORK/$name.txt"
    wait "$health"
    sed 's/^/    /' "$WORK/$name.txt" >&2
}
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.2f", n }'
}
field() {
    case $2 in
        rps) awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt" ;;
        errors) awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
                     END {print n + 0}' "$WORK/$1.txt" ;;
        *) to_ms "$(awk -v p="$2" '$1 == p {print $2; exit}' "$WORK/$1.txt")" ;;
    esac
}

log "starting motcua on $BASE (seeding a fresh database in $WORK)"
start
ACCOUNTS=64
PASSWORD=mot-cua-do-tai-2026
log "registering $ACCOUNTS accounts, each from its own address"
for n in $(seq 0 $((ACCOUNTS - 1))); do
    jar="$WORK/register.jar"; rm -f "$jar"
    forwarded="198.18.$((n / 256)).$((n % 256))"
    curl -fsS -c "$jar" -H "X-Forwarded-For: $forwarded" -o /dev/null "$BASE/register"
    token=$(awk '$6 == "motcua_csrf" {print $7}' "$jar")
    status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $forwarded" \
        --data-urlencode "_csrf=$token" -d kind=citizen --data-urlencode "fullName=Nguyễn Văn An" \
        -d birthDate=1985-03-14 -d "personalID=001185$(printf '%06d' "$n")" -d phone=0912345678 \
        -d "email=bench$n@example.vn" -d "password=$PASSWORD" -d "passwordConfirmation=$PASSWORD" "$BASE/register")
    [ "$status" = 303 ] || { echo "registration $n answered $status" >&2; exit 1; }
done
curl -fsS -c "$WORK/visitor.jar" -o /dev/null "$BASE/login"
csrf=$(awk '$6 == "motcua_csrf" {print $7}' "$WORK/visitor.jar")
FORM_COOKIE="motcua_csrf=$csrf" FORM_CSRF="$csrf" FORM_ACCOUNTS=$ACCOUNTS FORM_PASSWORD=$PASSWORD \
    measure signin 64 "$BASE" -s "$HERE/form-post.lua"
stop

log "filling the audit log to $ENTRIES entries"
before=$(sqlite3 "$WORK/motcua.sqlite" "SELECT seq FROM audit_head" 2>/dev/null || echo 0)
python3 "$HERE/audit-fill.py" "$WORK/motcua.sqlite" $((ENTRIES - before)) >&2
start
sign_in sysadmin@demo.motcua.vn "$WORK/sysadmin.jar"
sign_in auditor@demo.motcua.vn "$WORK/auditor.jar"
first=$(curl -s -b "$WORK/sysadmin.jar" -o "$WORK/first.html" -w '%{http_code} %{time_total}' "$BASE/admin/audit")
grep -q "class=\"notice\" role=\"status\"" "$WORK/first.html" || log "note: the first page does not say the chain is intact"
measure audit-sysadmin-1 1 "$BASE/admin/audit" -H "Cookie: $(cookie "$WORK/sysadmin.jar")"
measure audit-sysadmin-4 4 "$BASE/admin/audit" -H "Cookie: $(cookie "$WORK/sysadmin.jar")"
measure audit-sysadmin 16 "$BASE/admin/audit" -H "Cookie: $(cookie "$WORK/sysadmin.jar")"
measure audit-auditor 16 "$BASE/admin/audit" -H "Cookie: $(cookie "$WORK/auditor.jar")"
entries=$(sqlite3 "$WORK/motcua.sqlite" "SELECT count(*) FROM audit_log")

echo
echo "motcua hardening load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, release, env production, bcrypt cost 12"
printf '%-46s %12s %10s %10s %8s\n' target "requests/s" "p50 ms" "p99 ms" errors
for row in "signin:POST /login, 64 clients, 64 accounts" "signin-healthz:  /healthz alongside, 4 clients" \
    "audit-sysadmin-1:/admin/audit ($entries entries), sysadmin, 1" "audit-sysadmin-1-healthz:  /healthz alongside, 4 clients" \
    "audit-sysadmin-4:/admin/audit, sysadmin, 4 clients" "audit-sysadmin-4-healthz:  /healthz alongside, 4 clients" \
    "audit-sysadmin:/admin/audit, sysadmin, 16 clients" "audit-sysadmin-healthz:  /healthz alongside, 4 clients" \
    "audit-auditor:/admin/audit, Hà Nội auditor, 16 clients" "audit-auditor-healthz:  /healthz alongside, 4 clients"; do
    name=${row%%:*}
    printf '%-46s %12s %10s %10s %8s\n' "${row#*:}" "$(field "$name" rps)" "$(field "$name" 50%)" \
        "$(field "$name" 99%)" "$(field "$name" errors)"
done
echo "first /admin/audit after the fill (checks the chain from its checkpoint once): ${first#* } s (status ${first%% *})"
awk -v o="$(field audit-sysadmin-1 99%)" -v f="$(field audit-sysadmin-4 99%)" -v p="$(field audit-sysadmin 99%)" \
    -v q="$(field audit-auditor 99%)" 'BEGIN { split("1 4 16 16", n); split(o " " f " " p " " q, v)
    for (i = 1; i <= 4; i++) printf "audit page p99 %s ms with %s client(s)%s: target < 50 ms %s\n", v[i], n[i],
        (i == 4 ? " (auditor)" : ""), (v[i] < 50 ? "met" : "missed") }'
