#!/usr/bin/env bash
# The cost of a sign-in: for each bcrypt cost, a release server on loopback, one account, then sequential
# sign-ins timed with curl (a sign-in is one bcrypt verification plus a few queries). Usage:
#   Benchmarks/login-cost.sh [COST ...]      (default: 10 11 12 13)
# Needs the release build of http-load.sh (.build-release); builds it if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$ROOT/.build-release}
ROUNDS=${ROUNDS:-20}
costs=("$@"); [ ${#costs[@]} -gt 0 ] || costs=(10 11 12 13)
(cd "$ROOT" && swift build -c release --product motcua --scratch-path "$SCRATCH") >&2
BIN="$SCRATCH/release/motcua"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

printf '%-6s %12s %12s %12s\n' cost "median ms" "min ms" "max ms"
for cost in "${costs[@]}"; do
    rm -f "$work"/db.sqlite* "$work"/jar
    (cd "$ROOT" && MOTCUA_SQLITE_PATH="$work/db.sqlite" MOTCUA_SEED=none MOTCUA_BCRYPT_COST="$cost" LOG_LEVEL=error \
        exec "$BIN" serve --env production --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
    pid=$!
    for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
    curl -fsS -c "$work/jar" "$base/register" >/dev/null
    csrf=$(awk '$6 == "motcua_csrf" {print $7}' "$work/jar")
    curl -fsS -b "$work/jar" -o /dev/null --data-urlencode "_csrf=$csrf" -d kind=citizen \
        --data-urlencode "fullName=Nguyễn Thị Lan" -d birthDate=1985-03-14 -d personalID=001185012345 \
        -d phone=0912345678 -d email=lan@example.vn -d password=matkhautot -d passwordConfirmation=matkhautot \
        "$base/register"
    times=()
    for _ in $(seq 1 "$ROUNDS"); do
        t=$(curl -s -b "$work/jar" -o /dev/null -w '%{time_total}' --data-urlencode "_csrf=$csrf" \
            -d email=lan@example.vn -d password=matkhautot "$base/login")
        times+=("$t")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v cost="$cost" '
        { v[NR] = $1 * 1000 } END { printf "%-6s %12.1f %12.1f %12.1f\n", cost, v[int((NR + 1) / 2)], v[1], v[NR] }'
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
