#!/usr/bin/env python3
"""Appends N entries to the audit log of a MotCua SQLite file, as `AuditLog.append` writes them: the same hash
chain (SHA-256 over seq, milliseconds, actor, action, subject, agency, details and the previous hash, joined by
U+001F), the head moved on, and each entry filed under its agency and every unit above it (`audit_scope`).

For benchmarks only (`hardening-load.sh`): the audit page and the chain check then read a log of that size that
verifies. Stop the server first, or run it while the server is idle: this writes in one transaction.

Usage: Benchmarks/audit-fill.py DB.sqlite N
"""

import hashlib
import sqlite3
import sys
import time
import uuid

# A mix like a working province's: most entries are officers' reads of personal data and changes inside communes
# and departments of Hà Nội, some of Đà Nẵng, some system-wide.
AGENCIES = ["00004", "00004", "01.STP", "01", "48", None]
ACTIONS = [("officer.viewed", "account:"), ("role.granted", "membership:"), ("unit.created", "agency:")]


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, count = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("BEGIN IMMEDIATE")
    seq, previous = db.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    parents = {}
    for code, parent in db.execute(
        "SELECT a.code, p.code FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id"
    ):
        parents[code] = parent

    def scope(code):
        seen = []
        while code is not None and code not in seen:
            seen.append(code)
            code = parents.get(code)
        return seen

    now = time.time() - count  # one entry a second up to now
    for index in range(count):
        seq += 1
        agency = AGENCIES[index % len(AGENCIES)]
        action, prefix = ACTIONS[index % len(ACTIONS)]
        millis = int(round((now + index) * 1000))
        actor = f"account:{uuid.UUID(int=index % 97 + 1)}".lower()
        subject = prefix + str(uuid.uuid4())
        details = "{}"
        fields = [str(seq), str(millis), actor, action, subject, agency or "", details, previous]
        digest = hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
        db.execute(
            "INSERT INTO audit_log (id, seq, at, actor, action, subject, agency, details, previous_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(uuid.uuid4()).upper(), seq, millis / 1000, actor, action, subject, agency, details, previous, digest),
        )
        for unit in scope(agency):
            db.execute("INSERT OR IGNORE INTO audit_scope (agency, seq) VALUES (?, ?)", (unit, seq))
        previous = digest
    db.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, previous))
    db.execute("COMMIT")
    print(f"audit log now holds {seq} entries")


if __name__ == "__main__":
    main()
