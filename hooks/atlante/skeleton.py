"""A new entry's file, as `atlante new` writes it: every field of its kind, documented from the schema.

The skeleton starts with the schema modeline (editors then get completion and help), then each
field with its description as a comment: required fields with a `null` placeholder that `atlante
check` refuses until it is filled, optional ones commented out with the schema's example. Nothing
here is written unless the id is free: a slug, not reserved, not another entry's id or alias.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path as FsPath

import yaml

from .kinds import KIND_BY_FOLDER, KIND_BY_NAME, Kind
from .model import SLUG, Json
from .opendata import Field, fields

RESERVED = ("index",)  # /<kind>/index/ would be the kind's own index page


@dataclass(frozen=True)
class Refusal:
    message: str  # what was expected and what was found


def kind_of(name: str) -> Kind | None:
    return KIND_BY_NAME.get(name) or KIND_BY_FOLDER.get(name)


def refusal(project: FsPath, kind: Kind, new_id: str) -> Refusal | None:
    """Why `new_id` cannot be a new entry of `kind`, or None when it can."""
    if not SLUG.fullmatch(new_id) or len(new_id) > 80:
        return Refusal(f"id: expected lowercase letters, digits and single hyphens (it becomes the file name and the "
                       f"address /{kind.folder}/<id>/), found {new_id!r}")
    if new_id in RESERVED:
        return Refusal(f"id: expected an id other than 'index' (/{kind.folder}/index/ is the index of the {kind.name} "
                       f"pages), found {new_id!r}")
    folder = project / "data" / kind.folder
    taken = folder / f"{new_id}.yaml"
    if taken.exists():
        return Refusal(f"id: expected a new id, found {new_id!r}, the id of data/{kind.folder}/{taken.name}")
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # `atlante check` reports it
        if isinstance(data, dict) and new_id in (data.get("aliases") or []):
            return Refusal(f"id: expected a new id, found {new_id!r}, an earlier id of data/{kind.folder}/{path.name} "
                           f"(listed in its aliases: its old address redirects there)")
    return None


def skeleton(kind: Kind, new_id: str, title: str | None, schema_dir: FsPath, words: Json | None = None) -> str:
    """The file's text. `words`: a translation's words, for the comments in its language."""
    described = (words or {}).get("opendata", {}).get("fields", {})
    todo = (words or {}).get("cli", {}).get("fill_in", "fill in")
    lines = [f"# yaml-language-server: $schema=../schema/{kind.name}.schema.json",
             f"# {(words or {}).get('cli', {}).get('new_header', 'A new entry: fill in every null value; delete the optional fields you do not use.')}",
             ""]
    for field in fields(kind, schema_dir):
        if field.depth:
            continue
        about = described.get(field.key) or field.description
        if field.language:
            about = field.description
        lines += [f"# {line}" for line in _wrap(about)]
        if field.path == "id":
            lines.append(f"id: {new_id}")
        elif field.path == "title" and title:
            lines.append(f"title: {json.dumps(' '.join(title.split()), ensure_ascii=False)}")
        elif field.required:
            lines.append(f"{field.path}: null  # {todo}")
        else:
            example = _example(field)
            lines += [f"# {line}" for line in example.splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _example(field: Field) -> str:
    """The schema's example as the YAML an editor would write: scalars and short lists on one line."""
    example, path = field.example, field.path
    if example is None:
        return f"{path}:"
    if isinstance(example, str | int | float):
        return f"{path}: {json.dumps(example, ensure_ascii=False)}"
    if isinstance(example, list) and all(isinstance(v, str | int | float) for v in example):
        return f"{path}: [{', '.join(json.dumps(v, ensure_ascii=False) for v in example)}]"
    return yaml.safe_dump({path: example}, allow_unicode=True, default_flow_style=False, sort_keys=False, width=96).rstrip()


def _wrap(text: str, width: int = 96) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])
