#!/usr/bin/env python3
"""Schemathesis against a running MotCua, three times: anonymous, a read token, a write token (agency 01).

Called by `.ci/schemathesis`, which installs `requirements.txt` first. The server must already run on this host
(127.0.0.1, localhost or ::1; anything else is refused). Tokens are minted with the server's own binary against
its SQLite file; test data (agency codes, officer and role ids) come from the API itself.

Each run is bounded (examples per operation, stateful steps) and seeded, so the same server gives the same cases.
A run fails on a 5xx and on every conformance check listed in CHECKS; the per-run summary names the failures and
the full schemathesis output is kept in the work folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# What schemathesis asserts on every response. Left out: max_response_time (this machine's load is not the API's
# contract); use_after_free and ensure_resource_availability run in the stateful phase only and are kept.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
]

# Operations that take a token. The token runs test only these: schemathesis sends a configured token only where
# the document declares `bearerAuth`, so the public operations would be the anonymous run again.
SECURED = [
    "getMe", "listOfficers", "createOfficer", "getOfficer", "grantRole", "revokeRole", "listRoles", "listTokens",
    "createUnit", "metrics",
]


def fail(message: str) -> None:
    print(f"schemathesis: {message}", file=sys.stderr)
    sys.exit(2)


def loopback_url(raw: str) -> str:
    parsed = urllib.parse.urlsplit(raw)
    if parsed.scheme != "http" or parsed.hostname not in LOOPBACK or parsed.path not in ("", "/") or parsed.query:
        fail(f"refusing {raw!r}: only http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT")
    return f"http://{parsed.netloc}"


def get_json(url: str, token: str | None = None) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def mint(binary: str, sqlite: str, name: str, agency: str | None, write: bool) -> str:
    command = [binary, "create-api-token", name] + (["--agency", agency] if agency else []) + (["--write"] if write else [])
    environment = dict(os.environ, MOTCUA_SQLITE_PATH=sqlite, LOG_LEVEL="warning")
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=REPO, timeout=120)
    tokens = [word for word in result.stdout.split() if word.startswith("mc_")]
    if result.returncode != 0 or len(tokens) != 1:
        fail(f"create-api-token failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-500:]}")
    return tokens[0]


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items()) + " }"
    raise TypeError(value)


def toml(config: dict) -> str:
    """Top-level scalars and inline tables, then `[[operations]]`: all this config needs."""
    lines = [f"{json.dumps(key)} = {toml_value(value)}" for key, value in config.items() if key != "operations"]
    for operation in config.get("operations", []):
        lines += ["", "[[operations]]"] + [f"{json.dumps(key)} = {toml_value(value)}" for key, value in operation.items()]
    return "\n".join(lines) + "\n"


def config_for(caller: str, token: str | None, data: dict, examples: int, report: Path) -> dict:
    positive_with_400 = {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409]}}
    config: dict = {
        "seed": 20251202,
        "workers": 2,
        "request-timeout": 30.0,
        "max-redirects": 0,
        # Every failure of an operation, not only its first.
        "continue-on-failure": True,
        "generation": {"max-examples": examples, "database": "none"},
        "phases": {"stateful": {"max-steps": 12}},
        "dictionaries": {
            "units": {"values": data["units"]},
            "ministries": {"values": data["ministries"]},
            "officers": {"values": data["officers"]},
            "memberships": {"values": data["memberships"]},
        },
        "operations": [
            # Codes that must name an existing agency: half the cases take real ones so the success paths run.
            {"include-operation-id": "listAgencies", "parameters": {"query.parent": {"dictionary": "units", "probability": 0.5}}},
            {"include-operation-id": "listOfficers", "parameters": {"query.agency": {"dictionary": "units", "probability": 0.5}}},
            {"include-operation-id": ["getOfficer", "grantRole", "revokeRole"],
             "parameters": {"path.id": {"dictionary": "officers", "probability": 0.5}}},
            {"include-operation-id": "revokeRole",
             "parameters": {"path.membership": {"dictionary": "memberships", "probability": 0.5}}},
            # A value naming no agency is a 400 here (a filter or a field naming nothing), which no schema can
            # tell from a valid one: positive cases may be refused with 400 on these operations only.
            {"include-operation-id": "listProcedures", "checks": positive_with_400,
             "parameters": {"query.agency": {"dictionary": "ministries", "probability": 0.7}}},
            {"include-operation-id": "getDueDate", "checks": positive_with_400,
             "parameters": {"query.agency": {"dictionary": "units", "probability": 0.7}}},
            {"include-operation-id": ["createOfficer", "grantRole"], "checks": positive_with_400,
             "parameters": {"body.agency": {"dictionary": "units", "probability": 0.7}}},
            {"include-operation-id": "createUnit", "checks": positive_with_400,
             "parameters": {"body.parent": {"dictionary": "units", "probability": 0.7}}},
        ],
    }
    if token:
        config["auth"] = {"openapi": {"bearerAuth": {"bearer": token}}}
    return config


def exists(base: str, code: str) -> bool:
    try:
        get_json(f"{base}/api/v1/agencies?parent={urllib.parse.quote(code)}")
        return True
    except urllib.error.HTTPError:
        return False


def test_data(base: str, lookup_token: str) -> dict:
    roots = get_json(f"{base}/api/v1/agencies")["items"]
    officers = get_json(f"{base}/api/v1/officers", lookup_token)["items"]
    return {
        "ministries": [item["code"] for item in roots if item["kind"] == "ministry"],
        # Hà Nội and units under it (which the tokens reach), and units elsewhere (which they do not).
        "units": [code for code in ("01", "00004", "01.STP", "01.TTPVHCC", "48", "BTP") if exists(base, code)],
        "officers": [officer["id"] for officer in officers][:12],
        "memberships": [role["id"] for officer in officers for role in officer["roles"]][:12],
    }


def run(caller: str, base: str, token: str | None, data: dict, examples: int, work: Path, checks: list[str]) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    report = work / f"{caller}.json"
    config_path = work / f"{caller}.toml"
    config_path.write_text(toml(config_for(caller, token, data, examples, report)))
    command = [
        sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; schemathesis()",
        "--config-file", str(config_path), "run", f"{base}/api/v1/openapi.yaml", "--url", base,
        "--checks", ",".join(checks), "--no-color", "--report", "json", "--report-json-path", str(report),
    ]
    if token:
        command += [arg for operation_id in SECURED for arg in ("--include-operation-id", operation_id)]
    log = work / f"{caller}.log"
    started = time.monotonic()
    with log.open("w") as output:
        result = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, cwd=work, timeout=600)
    elapsed = time.monotonic() - started
    summary = {"caller": caller, "exit": result.returncode, "seconds": elapsed, "log": str(log)}
    try:
        reported = json.loads(report.read_text())
        summary.update(
            cases=reported["test_cases"]["generated"],
            operations=reported["operations"]["tested"],
            failures=[(failure["code"], failure["title"], failure["operations"]) for failure in reported["failures"]],
            errors=reported["errors"],
        )
    except (OSError, ValueError, KeyError) as error:
        summary.update(cases=0, operations=0, failures=[], errors=[f"no report: {error}"])
    return summary


def internal_error_only(summary: dict) -> bool:
    """Whether a run failed only because schemathesis raised inside itself, with every checked case passing."""
    errors = summary["errors"]
    return (summary["exit"] != 0 and not summary["failures"] and bool(errors)
            and all(isinstance(error, dict) and error.get("title") == "Runtime Error" for error in errors))


def print_summary(summary: dict) -> None:
    state = "passed" if summary["exit"] == 0 else "FAILED"
    print(f"{summary['caller']}: {state}, {summary['cases']} cases over {summary['operations']} operations "
          f"in {summary['seconds']:.0f} s")
    for code, title, operations in summary["failures"]:
        print(f"  {code} {title}: {', '.join(operations)}")
    for error in summary["errors"]:
        print(f"  error: {str(error)[:300]}")
    if summary["exit"] != 0:
        # The reproduction commands, one per failure, from schemathesis's own output.
        lines = Path(summary["log"]).read_text(errors="replace").splitlines()
        for number, line in enumerate(lines):
            if line.startswith("Reproduce with:"):
                curls = [text.strip() for text in lines[number + 1:number + 6] if text.strip().startswith("curl ")]
                for curl in curls:
                    print(f"    {curl[:400]}")
        print(f"  full output: {summary['log']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="base URL of the running server, on this host")
    parser.add_argument("--sqlite", required=True, help="the server's MOTCUA_SQLITE_PATH, to mint tokens")
    parser.add_argument("--bin", required=True, help="the motcua binary that serves it")
    parser.add_argument("--examples", type=int, default=int(os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "40")),
                        help="cases per operation and phase (default 40)")
    parser.add_argument("--skip-check", action="append", default=[], choices=CHECKS,
                        help="leave a check out (to look past known failures while working on the document)")
    parser.add_argument("--only", action="append", choices=["anonymous", "read", "write"], help="run only these callers")
    parser.add_argument("--work", help="folder for configs, logs and reports (default: a new temporary one)")
    args = parser.parse_args()
    base = loopback_url(args.url)
    work = Path(args.work or tempfile.mkdtemp(prefix="schemathesis-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=10).read()
    except (urllib.error.URLError, OSError) as error:
        fail(f"no server at {base}: {error}")

    read = mint(args.bin, args.sqlite, "schemathesis read", "01", write=False)
    write = mint(args.bin, args.sqlite, "schemathesis write", "01", write=True)
    data = test_data(base, read)

    summaries = []
    checks = [check for check in CHECKS if check not in args.skip_check]
    for caller, token in (("anonymous", None), ("read", read), ("write", write)):
        if args.only and caller not in args.only:
            continue
        summary = run(caller, base, token, data, args.examples, work, checks)
        if internal_error_only(summary):
            # schemathesis itself raised (seen: CPython 3.11's spurious "AST constructor recursion depth
            # mismatch" while hypothesis describes a lambda); the server answered every case it sent.
            print(f"{caller}: schemathesis raised an internal error, not a server failure "
                  f"({summary['log']}); running this caller once more")
            summary = run(caller, base, token, data, args.examples, work / "again", checks)
        print_summary(summary)
        summaries.append(summary)
    passed = sum(1 for summary in summaries if summary["exit"] == 0)
    failed = len(summaries) - passed
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=10).read()
    except (urllib.error.URLError, OSError) as error:
        print(f"the server no longer answers after the runs: {error}")
        failed = max(failed, 1)
    print(f"schemathesis: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
