#!/usr/bin/env python3
"""Throwaway SMTP server for the SMTP package's integration tests, built on aiosmtpd.

Each accepted message is decoded with Python's own email parser (an independent implementation of
RFC 5322/2045/2047) and written as one JSON file into OUTDIR, before the server answers 250, so the
test can read it as soon as `send` returns. OUTDIR/ready appears once the server accepts connections.

The server stops on SIGTERM/SIGINT, or by itself after --lifetime seconds so that a crashed test run
never leaves it behind.
"""
import argparse
import email
import email.policy
import json
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SaveToDirectory:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "date": str(message["date"]),
            "body": message.get_content(),
            "raw": envelope.original_content.decode("ascii", errors="replace"),
            # session.ssl is only set by STARTTLS; the transport knows about implicit TLS too.
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
        }
        self.count += 1
        path = os.path.join(self.outdir, f"message-{self.count}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 Message accepted"


def make_authenticator(username, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        valid = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == username.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=valid, handled=False)

    return authenticate


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    parser.add_argument("--cert", help="PEM certificate, required for starttls and tls")
    parser.add_argument("--key", help="PEM private key, required for starttls and tls")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require AUTH with these credentials")
    parser.add_argument("--exclude-mechanism", action="append", default=[], help="e.g. PLAIN")
    parser.add_argument("--lifetime", type=float, default=300)
    args = parser.parse_args()

    options = {}
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            options.update(ssl_context=context)
    if args.auth:
        username, _, password = args.auth.partition(":")
        options.update(
            authenticator=make_authenticator(username, password),
            auth_required=True,
            # aiosmtpd counts only STARTTLS as TLS here; with implicit TLS the session is encrypted anyway.
            auth_require_tls=args.mode != "tls",
            auth_exclude_mechanism=args.exclude_mechanism,
        )

    # Block the signals before the server thread starts so that only sigtimedwait below receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller = Controller(SaveToDirectory(args.outdir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    open(os.path.join(args.outdir, "ready"), "w").close()
    try:
        signal.sigtimedwait({signal.SIGTERM, signal.SIGINT}, args.lifetime)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
