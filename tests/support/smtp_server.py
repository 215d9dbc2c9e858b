"""A real SMTP server on 127.0.0.1 for trainyard's mail tests.

    python3 smtp_server.py MODE OUT_DIR

Prints "PORT <n>" once it listens, then serves until its standard input
closes. Every message it accepts is saved in OUT_DIR as N.json: the envelope
sender, the envelope recipients, and the message bytes (base64).

MODE:
  accept      aiosmtpd; accepts everything
  refuse-ops  aiosmtpd; refuses any recipient starting with "services-ops" (550)
  close       greets, reads EHLO, then closes the connection
  silent      accepts TCP connections and never says anything
"""

import asyncio
import base64
import json
import os
import socket
import sys
import threading


def save(out_dir, envelope):
    n = len(os.listdir(out_dir))
    record = {
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
    }
    tmp = os.path.join(out_dir, f".{n}.tmp")
    with open(tmp, "w") as f:
        json.dump(record, f)
    os.rename(tmp, os.path.join(out_dir, f"{n}.json"))


class Handler:
    def __init__(self, out_dir, refuse_ops):
        self.out_dir = out_dir
        self.refuse_ops = refuse_ops

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_ops and address.startswith("services-ops"):
            return "550 5.1.1 <%s>: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        save(self.out_dir, envelope)
        return "250 OK: queued"


def raw_server(mode):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held = []

    def serve():
        while True:
            conn, _ = sock.accept()
            if mode == "silent":
                held.append(conn)  # never answer, never close
                continue
            conn.sendall(b"220 127.0.0.1 ESMTP test\r\n")
            conn.recv(1024)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return sock.getsockname()[1]


def main():
    mode, out_dir = sys.argv[1], sys.argv[2]
    if mode in ("accept", "refuse-ops"):
        from aiosmtpd.controller import Controller

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        controller = Controller(
            Handler(out_dir, mode == "refuse-ops"), hostname="127.0.0.1", port=port
        )
        controller.start()
    else:
        port = raw_server(mode)
    print(f"PORT {port}", flush=True)
    sys.stdin.read()  # until the test closes it (or exits)


if __name__ == "__main__":
    main()
