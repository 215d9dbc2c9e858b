"""Give a synthetic release repository (examples/synth.rs output) service
repositories: one Git repository per project under DIR/services/, COMMITS
commits each (default 10,000), spread over the project's hand-offs in date
order, each hand-off's tag on the last commit before it, commits naming the
bugs its train lists. Written with `git fast-import`; the same input gives the
same repositories. Appends the `projects` section to DIR/process.yaml (with
`baseline: base`, the first commit's tag) and writes DIR/ranges.sh, which runs
one `git log --no-merges --format=%H%x00%s FROM..TAG` per range, as git itself
would list what ships.

Usage: python3 benches/synth_services.py DIR [COMMITS]
"""
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

root = sys.argv[1]
per_project = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000

handoffs = {}  # project -> [(push date, tag, [bugs])]
for train in sorted(os.listdir(os.path.join(root, "releases"))):
    d = os.path.join(root, "releases", train)
    plan = open(os.path.join(d, "train.yaml")).read()
    bugs = {}
    for proj, b in re.findall(r"- project: (\S+)\n.*\n    bugs: \[([^\]]*)\]", plan):
        bugs[proj] = [x.strip() for x in b.split(",") if x.strip()]
    hdir = os.path.join(d, "handoffs")
    if not os.path.isdir(hdir):
        continue
    for name in sorted(os.listdir(hdir)):
        text = open(os.path.join(hdir, name)).read()
        proj = re.search(r"^project: (\S+)", text, re.M).group(1)
        tag = re.search(r"^tag: (\S+)", text, re.M).group(1)
        handoffs.setdefault(proj, []).append((train, tag, bugs.get(proj, [])))

os.makedirs(os.path.join(root, "services"), exist_ok=True)
ranges = ["#!/bin/sh", "# One git log per range that ships (benches/synth_services.py)."]
for proj, hs in sorted(handoffs.items()):
    path = os.path.join(root, "services", proj)
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True)
    out = []
    mark = 0
    t0 = datetime.strptime(hs[0][0], "%Y-%m-%d").replace(tzinfo=timezone.utc) - timedelta(days=30)

    def commit(message, when, parent):
        global mark
        mark += 1
        body = message.encode()
        data = f"{mark} {message}\n".encode()
        out.append(b"blob\nmark :%d\ndata %d\n%s\n" % (mark * 2, len(data), data))
        out.append(b"commit refs/heads/main\nmark :%d\n" % (mark * 2 + 1))
        stamp = int(when.timestamp())
        out.append(b"author Dana Whitfield <dana@example.com> %d -0800\n" % stamp)
        out.append(b"committer Dana Whitfield <dana@example.com> %d -0800\n" % stamp)
        out.append(b"data %d\n%s\n" % (len(body), body))
        if parent:
            out.append(b"from :%d\n" % parent)
        out.append(b"M 100644 :%d CHANGES.txt\n\n" % (mark * 2))
        return mark * 2 + 1

    def tag(name, at):
        out.append(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), at))

    head = commit("Import", t0, None)
    tag("base", head)
    each = max(1, (per_project - 1) // len(hs))
    previous = "base"
    for i, (push, name, bugs) in enumerate(hs):
        handoff = datetime.strptime(push, "%Y-%m-%d").replace(tzinfo=timezone.utc) - timedelta(days=7)
        n = each if i < len(hs) - 1 else per_project - 1 - each * (len(hs) - 1)
        for k in range(n):
            when = handoff - timedelta(minutes=n - k)
            named = f" (bug {bugs[k]})" if k < len(bugs) else ""
            head = commit(f"{proj}: change {k + 1} for {push}{named}", when, head)
        tag(name, head)
        ranges.append(f"git -C {path} log --no-merges --format=%H%x00%s {previous}..{name} >/dev/null")
        previous = name
    subprocess.run(["git", "-C", path, "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", path, "checkout", "-q", "main"], check=True)

with open(os.path.join(root, "process.yaml"), "a") as f:
    f.write("\nprojects:\n")
    for proj in sorted(handoffs):
        f.write(f"  {proj}:\n    repository: services/{proj}\n    branch: main\n    baseline: base\n")
with open(os.path.join(root, "ranges.sh"), "w") as f:
    f.write("\n".join(ranges) + "\n")
print(f"{len(handoffs)} service repositories, {per_project} commits each, {len(ranges) - 2} ranges")
