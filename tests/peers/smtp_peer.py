#!/usr/bin/python3
"""A real SMTP server on loopback for the transport tests (Debian's python3-aiosmtpd).

Listens on three ephemeral 127.0.0.1 ports and prints one line once all accept connections:

    READY plain=<port> starttls=<port> smtps=<port> silent=<port>

plain     no TLS, no AUTH
starttls  STARTTLS required before MAIL, AUTH PLAIN/LOGIN required (only after STARTTLS)
smtps     implicit TLS from the first byte, AUTH required
silent    accepts TCP connections and never says a word (for client timeouts)

Every accepted message is written to --spool as <n>.eml (the DATA bytes exactly as received,
after SMTP dot-unstuffing) and <n>.json (envelope: mail_from, rcpt_tos, auth login), each
written under a temporary name and renamed, so a reader never sees half a file. The 250
reply to DATA is sent only after both files exist.

Recipients whose local part starts with "reject5" get 550, "reject4" get 451, "greylist" get
451 the first time each such address is offered and 250 from then on (as greylisting
servers do: a sender that retries gets through), and a message
with a header line "X-Peer-Refuse: 5" (or 4) gets 554 (or 452) after DATA, to exercise
permanent and temporary failure paths. Stops on SIGTERM or when stdin closes.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SpoolHandler:
    def __init__(self, spool):
        self.spool = spool
        self.count = 0
        self.greylisted = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject5"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("reject4"):
            return "451 4.3.0 <%s>: try again later" % address
        if local.startswith("greylist") and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return "451 4.7.1 <%s>: greylisted, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if b"X-Peer-Refuse: 5\r\n" in envelope.original_content:
            return "554 5.6.0 message content refused"
        if b"X-Peer-Refuse: 4\r\n" in envelope.original_content:
            return "452 4.3.1 insufficient system storage"
        self.count += 1
        base = os.path.join(self.spool, "%d" % self.count)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data.decode() if session.auth_data else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
        }
        write_atomically(base + ".eml", envelope.original_content)
        write_atomically(base + ".json", json.dumps(meta).encode())
        return "250 2.0.0 queued as %d" % self.count


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False: aiosmtpd then sends the standard 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)
    return authenticate


async def serve(args):
    loop = asyncio.get_running_loop()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    handler = SpoolHandler(args.spool)
    auth = make_authenticator(args.user, args.password)

    def plain():
        return SMTP(handler, hostname="peer.test")

    def starttls():
        return SMTP(handler, hostname="peer.test", tls_context=tls, require_starttls=True,
                    auth_required=True, auth_require_tls=True, authenticator=auth)

    def smtps():
        return SMTP(handler, hostname="peer.test", auth_required=True, auth_require_tls=False,
                    authenticator=auth)

    class Silent(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport  # keep it open, say nothing

    servers = {
        "plain": await loop.create_server(plain, "127.0.0.1", 0),
        "starttls": await loop.create_server(starttls, "127.0.0.1", 0),
        "smtps": await loop.create_server(smtps, "127.0.0.1", 0, ssl=tls),
        "silent": await loop.create_server(Silent, "127.0.0.1", 0),
    }
    ports = " ".join("%s=%d" % (name, s.sockets[0].getsockname()[1])
                     for name, s in servers.items())
    print("READY " + ports, flush=True)

    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    loop.add_reader(sys.stdin.fileno(),
                    lambda: (sys.stdin.buffer.read1(4096) or stop.done() or stop.set_result(None)))
    await stop
    for s in servers.values():
        s.close()


def main():
    warnings.simplefilter("ignore")  # aiosmtpd warns about AUTH on the implicit-TLS port
    parser = argparse.ArgumentParser()
    parser.add_argument("--spool", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
