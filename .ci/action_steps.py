"""actionlint for the composite action's run steps: actionlint reads
workflows, not action.yml, so its steps are written into a workflow (with the
action's inputs as workflow_dispatch inputs) and that is linted.

    python3 .ci/action_steps.py action.yml OUT.yml && actionlint OUT.yml
"""

import sys

import yaml

action = yaml.safe_load(open(sys.argv[1]))
inputs = {
    name: {"description": spec.get("description", name), "required": False, "default": spec.get("default", "")}
    for name, spec in action.get("inputs", {}).items()
}
workflow = {
    "name": "action-steps",
    "on": {"workflow_dispatch": {"inputs": inputs}},
    "permissions": {"contents": "read"},
    "jobs": {"steps": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
}
with open(sys.argv[2], "w") as f:
    yaml.safe_dump(workflow, f, sort_keys=False)
print(f"{len(action['runs']['steps'])} steps of {sys.argv[1]} written to {sys.argv[2]}")
