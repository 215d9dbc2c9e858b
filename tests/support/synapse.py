"""A throwaway Matrix homeserver for the notify tests: Synapse (matrix-synapse
from PyPI) with SQLite on 127.0.0.1, a user and a room made through its
client-server API.

Usage: synapse.py WORKDIR
Prints one JSON line {"url", "token", "room_id", "alias", "other_token"} once
the server answers, then runs until its standard input closes.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method="GET", body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def register(base, name):
    body = {"username": name, "password": "not-a-secret-" + name, "auth": {"type": "m.login.dummy"}}
    status, out = call(base + "/_matrix/client/v3/register", "POST", body)
    if status == 401 and "session" in out:
        body["auth"]["session"] = out["session"]
        status, out = call(base + "/_matrix/client/v3/register", "POST", body)
    if status != 200:
        raise SystemExit("register %s: %s %s" % (name, status, out))
    return out["access_token"]


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    config = os.path.join(work, "homeserver.yaml")
    with open(os.path.join(work, "log.yaml"), "w") as f:
        f.write(
            "version: 1\n"
            "handlers: {file: {class: logging.FileHandler, filename: %s}}\n"
            "root: {level: WARNING, handlers: [file]}\n"
            "disable_existing_loggers: false\n" % os.path.join(work, "homeserver.log")
        )
    limits = "{per_second: 1000, burst_count: 1000}"
    with open(config, "w") as f:
        f.write(
            f"""server_name: localhost
pid_file: {work}/homeserver.pid
listeners:
  - port: {port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: {work}/homeserver.db
log_config: {work}/log.yaml
media_store_path: {work}/media
signing_key_path: {work}/signing.key
report_stats: false
macaroon_secret_key: test-macaroon
form_secret: test-form
registration_shared_secret: test-registration
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: true
enable_registration_without_verification: true
rc_message: {limits}
rc_registration: {limits}
rc_login:
  address: {limits}
  account: {limits}
  failed_attempts: {limits}
rc_joins:
  local: {limits}
"""
        )
    py = [sys.executable, "-m", "synapse.app.homeserver", "-c", config]
    subprocess.run(py + ["--generate-keys"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen(py, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "stderr.log"), "w"))
    try:
        deadline = time.time() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit("synapse exited: see " + os.path.join(work, "stderr.log"))
            try:
                status, _ = call(base + "/_matrix/client/versions")
                if status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("synapse did not answer in 120 s")
            time.sleep(0.2)
        token = register(base, "trainyard")
        other = register(base, "outsider")
        status, room = call(
            base + "/_matrix/client/v3/createRoom",
            "POST",
            {"room_alias_name": "services-qa", "name": "Services QA", "preset": "private_chat"},
            token,
        )
        if status != 200:
            raise SystemExit("createRoom: %s %s" % (status, room))
        print(
            json.dumps(
                {
                    "url": base,
                    "token": token,
                    "other_token": other,
                    "room_id": room["room_id"],
                    "alias": "#services-qa:localhost",
                }
            ),
            flush=True,
        )
        sys.stdin.read()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
