"""Write a Hugo site of N pages shaped like the peers' benchmark in
shared/bench/peers.md: each page a ~2.7 KB Markdown file with a 16-field front
matter and ~38 body lines, one page template and one list template, feeds,
sitemap and taxonomies off.  Usage: python3 benches/hugo_site.py N DIR"""
import os
import sys

n, root = int(sys.argv[1]), sys.argv[2]
os.makedirs(f"{root}/content/releases", exist_ok=True)
os.makedirs(f"{root}/layouts/_default", exist_ok=True)
open(f"{root}/hugo.toml", "w").write(
    'baseURL = "https://example.org/"\ntitle = "Peer"\n'
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
)
open(f"{root}/layouts/_default/single.html", "w").write(
    "<!DOCTYPE html><html lang=\"en\"><head><title>{{ .Title }}</title></head><body>"
    "<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><ul>{{ range .Params.features }}<li>{{ . }}</li>{{ end }}</ul>"
    "{{ .Content }}</body></html>\n"
)
open(f"{root}/layouts/_default/list.html", "w").write(
    "<!DOCTYPE html><html lang=\"en\"><head><title>{{ .Title }}</title></head><body><ul>"
    "{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n"
)
body = "\n".join(
    ["## Summary", "", "The release went out in the window with the whole team present.", ""]
    + [f"- item {i}: [link](https://example.org/{i}) with *emphasis* and `code`" for i in range(12)]
    + ["", "| metric | stage | production |", "| --- | --- | --- |"]
    + [f"| m{i} | {i} ms | {i * 2} ms |" for i in range(8)]
    + ["", "> A blockquote about the rollback policy, kept short.", "", "### Notes", "", "Lorem ipsum " * 95]
)
for i in range(n):
    fm = f"""---
title: "Release {i:04d}"
date: 2020-01-{(i % 28) + 1:02d}
summary: "Weekly release number {i} with two features and a load test"
features: ["sync-server", "token-server"]
bugs: [{1000 + i}, {2000 + i}, {3000 + i}]
owner: dana
tester: quinn
ops: oscar
state: success
lead_time: 120
late: false
window: "15:00-17:00"
tz: America/Los_Angeles
release:
  tag: v1.{i}.0
  checksum: sha256-{i:064d}
  link: https://ci.example.com/job/{i}/
draft: false
---
"""
    open(f"{root}/content/releases/r{i:04d}.md", "w").write(fm + body + "\n")
