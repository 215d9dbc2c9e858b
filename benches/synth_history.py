"""Commit a synthetic repository (examples/synth.rs output) as a realistic Git
history: one commit per file, in date order, authored by the person the record
names (hand-offs by their developer, staging and pushes by Ops, sign-offs by
Test), through `git fast-import`.  Usage: python3 benches/synth_history.py DIR"""
import os
import re
import subprocess
import sys

root = sys.argv[1]
files = []
for d, _, names in os.walk(root):
    if "/.git" in d:
        continue
    for n in names:
        p = os.path.relpath(os.path.join(d, n), root)
        files.append(p)

def author(path, text):
    for key in ("pushed_by", "by"):
        m = re.search(rf"^{key}: (\w+)", text, re.M)
        if m and "/releases/" in "/" + path:
            return m.group(1)
    return "oscar"

def order(path):
    # Trains in date order; inside a train: plan, hand-offs, staging, sign-off, push.
    rank = {"train.yaml": 0, "handoffs": 1, "staging.yaml": 2, "signoff.yaml": 3, "push.yaml": 4}
    parts = path.split("/")
    if parts[0] == "releases":
        return (1, parts[1], rank.get(parts[2], 5), path)
    return (0, "", 0, path)

stream = []
t = 946_800_000  # January 2000
for path in sorted(files, key=order):
    text = open(os.path.join(root, path), "rb").read()
    who = author(path, text.decode())
    t += 3600
    msg = f"Record {path}".encode()
    stream.append(b"commit refs/heads/main\n")
    stream.append(f"author {who} <{who}@example.com> {t} -0800\n".encode())
    stream.append(f"committer {who} <{who}@example.com> {t} -0800\n".encode())
    stream.append(b"data %d\n%s\n" % (len(msg), msg))
    stream.append(f"M 100644 inline {path}\n".encode())
    stream.append(b"data %d\n%s\n" % (len(text), text))
subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
subprocess.run(["git", "-C", root, "fast-import", "--quiet"], input=b"".join(stream), check=True)
subprocess.run(["git", "-C", root, "reset", "-q", "--hard", "main"], check=True)
print(len(files), "commits")
