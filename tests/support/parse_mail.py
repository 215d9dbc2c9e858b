"""Read a message with Python's standard `email` parser and print what a
mail client would show, as JSON: the decoded headers, the raw header lines,
both MIME parts, and whether every line ends in CRLF.

    python3 parse_mail.py FILE
"""

import json
import sys
from email import policy
from email.parser import BytesParser

raw = open(sys.argv[1], "rb").read()
msg = BytesParser(policy=policy.default).parsebytes(raw)
head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
plain = msg.get_body(("plain",))
html = msg.get_body(("html",))
out = {
    "crlf": b"\n" not in raw.replace(b"\r\n", b""),
    "ascii_headers": all(b < 128 for b in raw.split(b"\r\n\r\n", 1)[0]),
    "raw_headers": head,
    "content_type": msg.get_content_type(),
    "headers": {k.lower(): str(v) for k, v in msg.items()},
    "from_name": msg["From"].addresses[0].display_name if msg["From"] else None,
    "to": [a.addr_spec for a in msg["To"].addresses] if msg["To"] else [],
    "cc": [a.addr_spec for a in msg["Cc"].addresses] if msg["Cc"] else [],
    "plain": plain.get_content() if plain else None,
    "plain_charset": plain.get_content_charset() if plain else None,
    "html": html.get_content() if html else None,
    "html_charset": html.get_content_charset() if html else None,
}
json.dump(out, sys.stdout)
