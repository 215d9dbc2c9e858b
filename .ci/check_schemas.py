"""Validate every record of a release repository against the JSON Schemas that
`trainyard schema` writes, with the third-party `jsonschema` validator.

Usage: python3 .ci/check_schemas.py SCHEMA_DIR REPO_DIR
Also proves the schemas can fail: a hand-off with an unknown field and a push
with a wrong enum value must be rejected.
"""
import glob
import json
import os
import sys

import jsonschema
import yaml


class Loader(yaml.SafeLoader):
    """YAML as trainyard reads it: dates and times stay strings (YAML 1.2 core)."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

schema_dir, repo = sys.argv[1], sys.argv[2]
schemas = {os.path.basename(p): json.load(open(p)) for p in glob.glob(f"{schema_dir}/*.schema.json")}


def validator(name):
    return jsonschema.Draft202012Validator(schemas[name])


def kind(rel):
    base = os.path.basename(rel)
    if rel.startswith("questions/"):
        return "question.schema.json"
    if "/handoffs/" in rel:
        return "handoff.schema.json"
    if rel.startswith("planning/"):
        return "planning.schema.json"
    return {"process.yaml": "process.schema.json", "people.yaml": "people.schema.json",
            "train.yaml": "train.schema.json", "staging.yaml": "staging.schema.json",
            "signoff.yaml": "signoff.schema.json", "push.yaml": "push.schema.json"}.get(base)


def load(path):
    text = open(path).read()
    if path.endswith(".md"):
        text = text.split("---\n")[1]
    return yaml.load(text, Loader=Loader)


problems, checked = [], 0
paths = ["process.yaml", "people.yaml"] + sorted(
    glob.glob("releases/**/*.yaml", root_dir=repo, recursive=True)
    + glob.glob("planning/*.yaml", root_dir=repo)
    + glob.glob("questions/*.md", root_dir=repo)
)
for rel in paths:
    name = kind(rel)
    if name is None:
        continue
    for err in validator(name).iter_errors(load(os.path.join(repo, rel))):
        problems.append(f"{rel}: {err.json_path}: {err.message}")
    checked += 1

# The schemas must also reject what check rejects.
bad_handoff = load(os.path.join(repo, next(p for p in paths if "/handoffs/" in p)))
bad_handoff["stauts"] = "passing"
bad_push = load(os.path.join(repo, next(p for p in paths if p.endswith("push.yaml"))))
bad_push.setdefault("validation", {})["outcome"] = "maybe"
for name, doc in [("handoff.schema.json", bad_handoff), ("push.schema.json", bad_push)]:
    if validator(name).is_valid(doc):
        problems.append(f"{name} accepted an invalid record")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"schemas ok: {checked} records valid against {len(schemas)} schemas; invalid records rejected")
