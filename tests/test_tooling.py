"""The editors' and CI's tooling: workflow files, pre-commit hooks and editor settings are valid and
call commands that exist, and those commands pass on the real project; so do the commands of
CONTRIBUTING.md's how-tos, whose YAML examples use the schemas' field names."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from atlante import opendata
from atlante.kinds import KINDS, RELATION_TYPES

from helpers import BIN, ROOT, atlante, env, make_project

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


# ---------------------------------------------------------------------------------------------
# CONTRIBUTING.md: the how-tos' commands exist and work, their YAML uses the schemas' field names
# ---------------------------------------------------------------------------------------------

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
ATLANTE_COMMANDS = {"check", "list", "show", "new", "generate", "rules", "synth", "export"}  # cli.main's subcommands, as its --help lists them


def code_blocks(language: str) -> list[str]:
    """The fenced blocks of `language` in CONTRIBUTING.md, list-item indentation removed."""
    return [textwrap.dedent(body) for body in
            re.findall(rf"^([ ]*)```{language}\n(.*?)^\1```", CONTRIBUTING, re.M | re.S) for body in [body[1]]]


def commands() -> list[list[str]]:
    """Every command line of the guide's sh blocks, as words, comments dropped, each once."""
    lines = [tuple(words) for block in code_blocks("sh") for line in block.splitlines()
             if (words := shlex.split(line, comments=True))]
    return [list(words) for words in dict.fromkeys(lines)]


def test_the_guide_shows_the_commands_of_every_how_to() -> None:
    shown = {tuple(words[:2]) for words in commands()}
    assert {(".venv/bin/atlante", name) for name in ("check", "show", "new", "list")} <= shown
    assert ("make", "serve") in shown and ("make", "check") in shown


def test_the_atlante_subcommands_are_the_ones_the_command_has() -> None:
    result = run(".venv/bin/atlante --help")
    assert set(re.search(r"\{([a-z,]+)\}", result.stdout)[1].split(",")) == ATLANTE_COMMANDS  # type: ignore[index]


@pytest.mark.parametrize("words", commands(), ids=lambda w: " ".join(w))
def test_each_command_in_the_guide_is_real_and_works_on_the_project(words: list[str], tmp_path: Path) -> None:
    """`make <target>` names a target of the Makefile; `atlante <sub> …` is a subcommand that accepts
    those arguments and succeeds: on the real project, or for `new`, on a copy where the entry it
    writes does not exist yet (the how-to recreates a real entry, as a newcomer would)."""
    if words[0] == "make":
        assert len(words) == 2 and words[1] in MAKE_TARGETS, words
        return
    assert words[0] == ".venv/bin/atlante" and words[1] in ATLANTE_COMMANDS, words
    project = ROOT
    if words[1] == "new":
        project = make_project(tmp_path)
        kind = next(k for k in KINDS if words[2] in (k.name, k.folder))
        (project / "data" / kind.folder / f"{words[3]}.yaml").unlink(missing_ok=True)
    result = atlante(project, *words[1:])  # in-process; the script itself is run above
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    if words[1] == "new":
        assert (project / "data" / kind.folder / f"{words[3]}.yaml").is_file()


def schema_fields() -> tuple[set[str], set[str], set[str]]:
    """The names a data file may use: top-level and nested fields of every kind (language blocks
    included), and the relation types."""
    names: set[str] = set()
    for kind in KINDS:
        for field in opendata.fields(kind, ROOT / "data" / "schema"):
            names |= set(re.split(r"\[\]\.|\.", field.path.replace(".<id>", ""))) - {"en"}
    return names, {r.name for r in RELATION_TYPES}, {"en"}


def test_the_guides_yaml_examples_use_the_schemas_field_names() -> None:
    fields, relations, languages = schema_fields()
    blocks = [yaml.safe_load(block) for block in code_blocks("yaml")]
    assert len(blocks) >= 4

    def keys(value: object, parent: str = "") -> list[tuple[str, str]]:
        if isinstance(value, list):
            return [k for item in value for k in keys(item, parent)]
        if isinstance(value, dict):
            return [(parent, str(k)) for k in value] + [k for name, item in value.items() for k in keys(item, str(name))]
        return []

    for block in blocks:
        for parent, key in keys(block):
            expected = relations if parent == "relations" else fields | (languages if not parent else set())
            assert key in expected, f"CONTRIBUTING.md: '{key}' (under '{parent or 'the file'}') is not a field of data/schema/"
