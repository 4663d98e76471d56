"""The editors' and CI's tooling: workflow files, pre-commit hooks and editor settings are valid and
call commands that exist, and those commands pass on the real project."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from atlante.kinds import KINDS

from helpers import BIN, ROOT, env

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def run(command: str) -> subprocess.CompletedProcess[str]:
    """A command as a workflow or hook writes it, run in the project with the project's tools."""
    args = shlex.split(command)
    if args[0].startswith(".venv/bin/"):
        args[0] = str(BIN / args[0].removeprefix(".venv/bin/"))
    return subprocess.run(args, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300)


def test_there_is_a_pull_request_workflow_and_a_publishing_one() -> None:
    assert {w.name for w in WORKFLOWS} == {"pull-request.yml", "pages.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_a_workflow_is_valid_and_calls_commands_that_exist(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data["name"] and data[True if True in data else "on"]  # YAML 1.1 reads the key `on` as true
    for job in data["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]  # official actions only
                continue
            command = step["run"]
            if command.startswith("make "):
                assert command.split()[1] in MAKE_TARGETS, command
            else:
                assert command.startswith(".venv/bin/"), command
                result = run(command)  # the check passes on the real data, annotations and all
                assert result.returncode == 0, result.stdout + result.stderr
    if workflow.name == "pages.yml":
        uses = [s.get("uses", "") for job in data["jobs"].values() for s in job["steps"]]
        assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
        assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_every_pre_commit_hook_runs_the_projects_own_tool_and_passes() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"atlante-check", "yamllint", "ruff"}
    targets = {"atlante-check": "", "yamllint": " data", "ruff": " hooks tests"}
    for name, hook in hooks.items():
        assert hook["language"] == "system" and hook["entry"].startswith(".venv/bin/")
        result = run(hook["entry"] + targets[name])
        assert result.returncode == 0, (name, result.stdout + result.stderr)


def test_the_editor_knows_each_kinds_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {f"data/schema/{k.name}.schema.json": f"data/{k.folder}/*.yaml" for k in KINDS}
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).is_file()
    assert "redhat.vscode-yaml" in json.loads((ROOT / ".vscode" / "extensions.json").read_text())["recommendations"]
    for kind in KINDS:  # the modeline in each file says the same, for editors other than VS Code
        for path in (ROOT / "data" / kind.folder).glob("*.yaml"):
            assert path.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema=../schema/{kind.name}.schema.json"), path
