"""A real SMTP server on 127.0.0.1 for trainyard's mail tests.

    python3 smtp_server.py MODE OUT_DIR [CERT KEY]

Prints "PORT <n>" once it listens, then serves until its standard input
closes. Every message it accepts is saved in OUT_DIR as N.json: the envelope
sender, the envelope recipients, and the message bytes (base64).

MODE:
  accept      aiosmtpd; accepts everything
  refuse-ops  aiosmtpd; refuses any recipient starting with "services-ops" (550)
  starttls    aiosmtpd; offers and requires STARTTLS with CERT and KEY (PEM)
  tls         aiosmtpd behind TLS from the first byte (SMTPS) with CERT and KEY
  close       greets, reads EHLO, then closes the connection
  silent      accepts TCP connections and never says anything
"""

import asyncio
import base64
import json
import logging
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


def tls_server(mode, out_dir, cert, key):
    """aiosmtpd on its own event loop in a thread, with the certificate."""
    import ssl

    from aiosmtpd.smtp import SMTP

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    loop = asyncio.new_event_loop()
    # A client that rejects the certificate aborts the handshake: expected in
    # the tests, not worth a traceback.
    loop.set_exception_handler(lambda loop, context: None)
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    handler = Handler(out_dir, False)
    if mode == "starttls":
        factory = lambda: SMTP(handler, tls_context=context, require_starttls=True)
        ssl_arg = None
    else:
        factory = lambda: SMTP(handler)
        ssl_arg = context
    server = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=0, ssl=ssl_arg)
    )
    threading.Thread(target=loop.run_forever, daemon=True).start()
    return server.sockets[0].getsockname()[1]


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
    elif mode in ("starttls", "tls"):
        port = tls_server(mode, out_dir, sys.argv[3], sys.argv[4])
    else:
        port = raw_server(mode)
    print(f"PORT {port}", flush=True)
    sys.stdin.read()  # until the test closes it (or exits)


if __name__ == "__main__":
    main()
