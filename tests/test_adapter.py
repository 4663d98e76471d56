"""The MkDocs side stays a thin adapter: one small module of events, its state on one object, the
engine's public API only; the core imports nothing from MkDocs (README, "Code map")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

HOOKS = ROOT / "hooks"
ADAPTER = HOOKS / "atlante_hooks.py"
CORE = sorted((HOOKS / "atlante").glob("*.py"))
ENGINES = ("mkdocs", "properdocs")
# The one module allowed the live-reload server's private attributes (version-checked, tested in test_serve)
PRIVATE_PARTS = HOOKS / "atlante" / "livereload.py"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Every module imported when the file runs (not those under `if TYPE_CHECKING:`)."""
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for stmt in block.body for node in ast.walk(stmt)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_adapter_is_one_small_module_without_state_of_its_own() -> None:
    tree = _tree(ADAPTER)
    lines = len(ADAPTER.read_text(encoding="utf-8").splitlines())
    assert lines <= 250, f"hooks/atlante_hooks.py: expected at most 250 lines, found {lines}"
    globals_ = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Global | ast.Nonlocal)]
    assert not globals_, f"hooks/atlante_hooks.py: expected no global statement, found them at lines {globals_}"
    # At module level: imports, functions, constants; one assignment of an object (the builds' state)
    assigned = [t.id for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)]
    state = [name for name in assigned if name not in ("P", "R")]
    assert state == ["BUILD"], f"expected the state on one object, BUILD; found module-level names {state}"
    events = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("on_")}
    assert {"on_config", "on_files", "on_page_content", "on_page_context", "on_post_build", "on_serve"} <= events


def test_the_adapter_and_the_state_use_no_private_attribute_of_the_engine() -> None:
    """No `obj._name` on an object that is not our own (self): private parts of MkDocs, its server or
    Material change without notice. Only atlante/livereload.py may, and it is checked per release."""
    found = []
    for path in [ADAPTER, *CORE]:
        if path == PRIVATE_PARTS:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    assert not found, "expected no private attribute of another object, found:\n" + "\n".join(found)


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_imports_nothing_from_the_engine(path: Path) -> None:
    found = [(line, name) for line, name in _runtime_imports(_tree(path)) if name.split(".")[0] in ENGINES]
    assert not found, f"{path.relative_to(ROOT)}: expected no import of MkDocs when it runs, found {found}"


def test_the_checks_above_can_fail(tmp_path: Path) -> None:
    """The checks find what they look for (a module importing MkDocs, a private attribute)."""
    sample = tmp_path / "sample.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mkdocs.config\n"
                      "import mkdocs.plugins\nfrom mkdocs.structure.files import File\nserver._epoch_cond\n")
    assert [name for _, name in _runtime_imports(_tree(sample))] == ["typing", "mkdocs.plugins", "mkdocs.structure.files"]
    assert any(isinstance(n, ast.Attribute) and n.attr == "_epoch_cond" for n in ast.walk(_tree(sample)))
