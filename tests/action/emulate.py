#!/usr/bin/env python3
"""Run the composite action in action.yml the way the GitHub runner does, locally.

What the runner does for a composite `run:` step, and this does too:
  * `${{ expr }}` in `run:`, `env:` and `working-directory:` is replaced by the
    expression's value as plain text BEFORE the shell sees the script (that is why an
    input inside `run:` is a shell injection, and inside `env:` is not);
  * the script is written to a file and run with `bash --noprofile --norc -eo pipefail`;
  * each step gets a fresh $GITHUB_OUTPUT file, read back as `steps.<id>.outputs`;
  * the first failing step stops the action; the action's outputs are still evaluated.

Only the expressions the action needs are understood (inputs.*, github.action_path,
github.action_repository, steps.<id>.outputs.*, runner.temp, `a || b` over those, and
`if: steps.<id>.outputs.<name> == 'text'`); anything else is an error, so the action
cannot grow an expression this test does not model.

A `uses:` step (actions/cache) cannot run here: it must be pinned by a full commit SHA;
its `if:` is evaluated and it is reported as `{"uses": ..., "ran": bool}` in "used".

Usage: emulate.py ACTION_DIR INPUTS_JSON  (the workflow's environment is inherited:
GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, …). Prints a JSON line
{"outputs": {...}, "failed_step": id-or-null, "exit_code": n} as the last line of stdout.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text, context):
    def one(match):
        return first(match.group(1))

    def first(expr):
        # `a || b`: the first non-empty value, as in GitHub's expressions.
        for alternative in expr.split("||"):
            result = value(alternative.strip())
            if result:
                return result
        return ""

    def value(expr):
        parts = expr.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return context["inputs"].get(parts[1], "")
        if expr == "github.action_path":
            return context["action_path"]
        if expr == "github.action_repository":
            return "declint/declint"
        if expr == "runner.temp":
            return os.environ.get("RUNNER_TEMP", tempfile.gettempdir())
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return context["steps"].get(parts[1], {}).get(parts[3], "")
        raise SystemExit(f"emulate.py: expression not modelled: {expr}")

    return EXPRESSION.sub(one, str(text))


CONDITION = re.compile(r"^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$")


def condition(text, context):
    match = CONDITION.match(text.strip())
    if not match:
        raise SystemExit(f"emulate.py: condition not modelled: {text}")
    step, name, expected = match.groups()
    return context["steps"].get(step, {}).get(name, "") == expected


def read_outputs(path):
    """Parse a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` blocks."""
    outputs = {}
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def main():
    action_dir = os.path.abspath(sys.argv[1])
    given = json.loads(sys.argv[2])
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as handle:
        action = yaml.safe_load(handle)
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(given) - set(inputs)
    if unknown:
        raise SystemExit(f"emulate.py: unknown inputs {sorted(unknown)}")
    inputs.update({k: str(v) for k, v in given.items()})
    context = {"inputs": inputs, "action_path": action_dir, "steps": {}}

    failed, code, used = None, 0, []
    workspace = os.environ.get("GITHUB_WORKSPACE", os.getcwd())
    for step in action["runs"]["steps"]:
        if "uses" in step:
            if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]):
                raise SystemExit(f"emulate.py: not pinned by a full commit SHA: {step['uses']}")
            ran = condition(step["if"], context) if "if" in step else True
            with_ = {k: evaluate(v, context) for k, v in step.get("with", {}).items()}
            used.append({"uses": step["uses"], "ran": ran, "with": with_})
            continue
        if "if" in step:
            raise SystemExit("emulate.py: `if:` is modelled on uses: steps only")
        env = dict(os.environ)
        env.update({k: evaluate(v, context) for k, v in step.get("env", {}).items()})
        with tempfile.NamedTemporaryFile("w", suffix=".out", delete=False) as out:
            env["GITHUB_OUTPUT"] = out.name
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
            script.write(evaluate(step["run"], context))
        cwd = os.path.join(workspace, evaluate(step.get("working-directory", "."), context))
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name],
            cwd=cwd,
            env=env,
            check=False,
        ).returncode
        sys.stdout.flush()
        context["steps"][step.get("id", "")] = read_outputs(out.name)
        os.unlink(script.name)
        os.unlink(out.name)
        if code != 0:
            failed = step.get("id")
            break

    outputs = {
        name: evaluate(spec["value"], context) for name, spec in action.get("outputs", {}).items()
    }
    print(json.dumps({"outputs": outputs, "failed_step": failed, "exit_code": code, "used": used}))


if __name__ == "__main__":
    main()
