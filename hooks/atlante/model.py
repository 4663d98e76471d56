"""Plain data passed between the steps: findings, references, entities, statements, the catalog.

load -> validate -> link -> render: each step takes and returns these, nothing else.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from .entities import Coordinates, Correction, EntityData, StatementTexts

Path = tuple[str | int, ...]

# A mapping read from YAML or JSON whose shape is checked where it is read, not by the type checker:
# a translation file's words, a JSON Schema, mkdocs.yml, a CSL item, a JSON-LD node.
Json = dict[str, Any]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REF = re.compile(r"^(?P<kind>[a-z]+):(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)$")
STATEMENT_REF = re.compile(r"^(?P<slide>[a-z0-9]+(?:-[a-z0-9]+)*)#(?P<statement>[a-z0-9]+(?:-[a-z0-9]+)*)$")


class Stopped(Exception):
    """Work given up because its caller's `stop` said so (the preview's background build, overtaken by
    an edit): raised by rendering between pages and by the citations between requests."""


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in the data: where, about what, and what was expected vs found."""

    level: str  # "error" | "warning"
    file: str  # path relative to the project, e.g. data/cities/milano.yaml
    line: int
    col: int
    subject: str  # "city:milano"
    field: str  # "relations.parte_di[0]", or "(file)"
    message: str  # "expected …, found …"
    rule: str  # the id of the rule that found it, "unknown-reference": see rules.RULES
    # The message's template ("<rule>" or "<rule>.<variant>") and its named values, for saying it in
    # another language (rules.localised); empty where the message is English only.
    template: str = dataclasses.field(default="", compare=False)  # (`field` is a field's name here)
    args: tuple[tuple[str, str], ...] = dataclasses.field(default=(), compare=False)

    def __str__(self) -> str:
        level = "" if self.level == "error" else f"{self.level}: "
        line = f"{self.file}:{self.line}:{self.col}: {level}{self.subject}: {self.field}: {self.message} ({self.rule})"
        # a lone surrogate quoted from the data cannot be written to a terminal, a log or a page: its code
        return line.encode("utf-8", "backslashreplace").decode("utf-8") if not line.isascii() else line


@dataclass(frozen=True, order=True)
class Ref:
    """A typed reference `kind:id`, parsed and printed here only."""

    kind: str
    id: str

    @classmethod
    def parse(cls, text: str) -> Ref | None:
        m = REF.match(text) if isinstance(text, str) else None
        return cls(m["kind"], m["id"]) if m else None

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


_UNTRANSLATED: dict[str, str] = {}  # a statement's block in a language that has none (never written to)


@dataclass(eq=False)
class Statement:
    """One cleaned statement of a slide; `anchor` is its stable id on the slide page."""

    slide: str
    id: str
    number: str  # "3.2": slide number and position, for display only
    text: str
    label: str | None = None
    corrections: list[Correction] = field(default_factory=list)
    represented_by: list[Entity] = field(default_factory=list)
    translations: dict[str, StatementTexts] = field(default_factory=dict)  # lang -> {text, label}

    @property
    def ref(self) -> str:
        return f"{self.slide}#{self.id}"

    def text_in(self, lang: str) -> str:
        """The statement in `lang`; the original where there is no translation (or `lang` is the source's)."""
        return self.translations.get(lang, _UNTRANSLATED).get("text") or self.text

    def label_in(self, lang: str) -> str | None:
        if not self.label:
            return self.label
        return self.translations.get(lang, _UNTRANSLATED).get("label") or self.label

    def translated(self, lang: str) -> bool:
        """Whether a translation into `lang` is given (never for the source language: the text is the original)."""
        return bool(self.translations.get(lang, _UNTRANSLATED).get("text"))

    def __repr__(self) -> str:  # statements and entities point at each other: keep repr flat
        return f"Statement({self.ref!r})"


@dataclass(repr=False)
class Link:
    """A relation as seen from one page: its type, its direction and the entity at the other end.

    Meaning only: the heading is looked up in the page's language when the page is rendered.
    """

    type: str
    target: Entity
    inverse: bool


@dataclass(eq=False)
class Entity:
    kind: str
    id: str
    file: str
    data: EntityData  # the validated YAML mapping, typed by its kind's schema (entities.py)
    statements: list[Statement] = field(default_factory=list)  # resolved `sources`
    links: list[Link] = field(default_factory=list)  # out and in, filled by catalog.link
    position: tuple[int, ...] = (99, 99, 1, 0)  # where the brief first names it, see catalog._position
    digest: str = ""  # of its file's bytes (load.Document.digest)

    @property
    def ref(self) -> Ref:
        return Ref(self.kind, self.id)

    @property
    def title(self) -> str:
        return str(self.data["title"])

    def __repr__(self) -> str:
        return f"Entity({str(self.ref)!r})"

    @property
    def summary(self) -> str:
        return str(self.data["summary"])

    def text(self, name: str, lang: str) -> object:
        """Field `name` in `lang`: the language's block where it has the field, else the original (the
        source language has no block: its texts are the top-level fields)."""
        block = self.data.get(lang)
        if isinstance(block, dict) and block.get(name) not in (None, ""):
            return block[name]
        return self.data.get(name)

    def coordinates(self, field: str) -> Coordinates:
        """Field `field`, which the kind shows as coordinates (kinds.Kind.place): named by the kinds' table,
        so read by its name, and typed as the kind's schema has it."""
        fields: Mapping[str, object] = self.data
        return cast(Coordinates, fields[field])

    def added_source(self, index: int, lang: str) -> str:
        """The source of addition `index`, in `lang` where the language's block gives it."""
        item = self.data["added"][index]
        block = self.data.get(lang)
        translated = block.get("added") if isinstance(block, dict) else None
        if isinstance(translated, list) and index < len(translated) and isinstance(translated[index], dict):
            return str(translated[index].get("source") or item["source"])
        return str(item["source"])


@dataclass
class Catalog:
    """Every entity, by kind in brief order, with statements resolved and relations linked."""

    entities: dict[Ref, Entity]
    by_kind: dict[str, list[Entity]]
    statements: dict[str, Statement]  # by "slide-3#concetto"

    def get(self, ref: Ref) -> Entity | None:
        return self.entities.get(ref)
