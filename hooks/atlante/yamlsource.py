"""Read one YAML data file into plain Python data plus the line and column of every value.

PyYAML composes the node tree (which carries marks); we build the Python values ourselves so that
each value's position is recorded under its field path, duplicate keys are refused naming both
lines, and the features editors never need and attackers like (anchors and aliases, custom tags,
several documents, deep nesting) are refused instead of expanded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import yaml

from .messages import describe, dotted
from .model import Finding, Path

MAX_BYTES = 1_000_000  # a data file is a page of text; 1 MB is far beyond any real one
MAX_DEPTH = 32


@dataclass
class Positions:
    """1-based (line, column) of values and of mapping keys, by field path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    literal: set[Path] = field(default_factory=set)  # block scalars written with '|': lines map 1:1
    # Folded text (">", plain or quoted over several lines) whose line ends inside a hyphenated word:
    # YAML joins the lines with a space ("ri-" + "personalizzazione" -> "ri- personalizzazione").
    folded_hyphens: list[tuple[Path, int, int, str, str]] = field(default_factory=list)  # path, line, col, end, next

    def of_line_in(self, path: Path, line_index: int) -> tuple[int, int]:
        """Where line `line_index` (0-based) of a text value is, as exactly as the YAML style allows."""
        line, col = self.of(path)
        if tuple(path) in self.literal:
            return line + 1 + line_index, 1
        return line, col

    def of(self, path: Path) -> tuple[int, int]:
        """Where `path` is written; for a missing field, where its nearest parent is."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def of_key(self, path: Path) -> tuple[int, int]:
        return self.keys.get(tuple(path)) or self.of(path)


class _Refused(Exception):
    def __init__(self, line: int, col: int, field: str, message: str, rule: str = "syntax") -> None:
        super().__init__(message)
        self.line, self.col, self.field, self.message, self.rule = line, col, field, message, rule


def oversize(size: int) -> str | None:
    """The message for a data file of `size` bytes that is too large to read, else None."""
    return f"expected a data file under {MAX_BYTES:,} bytes, found {size:,} bytes" if size > MAX_BYTES else None


Read = tuple[dict[str, object] | None, Positions, list[Finding]]  # (a mapping, or None: findings say why)
_MEMO: ContextVar[dict[str, dict[tuple[bytes, str, str], Read]] | None] = ContextVar("yamlsource_memo", default=None)


@contextlib.contextmanager
def remembering(memo: dict[tuple[bytes, str, str], Read]) -> Iterator[None]:
    """Within the block, a file read before with the same bytes, name and subject is not parsed
    again: `memo` keeps what this block read (and only that), for the next block to reuse. Values
    are shared between runs, so nothing may change them (nothing does: the core only reads data)."""
    previous = dict(memo)
    memo.clear()
    token = _MEMO.set({"previous": previous, "now": memo})
    try:
        yield
    finally:
        _MEMO.reset(token)
        if not memo:  # the block read nothing (its caller had what it needed): keep the last reads
            memo.update(previous)


def read(text_bytes: bytes, file: str, subject: str) -> Read:
    """Parse `text_bytes`; on failure return (None, positions, findings) and never raise."""
    memo = _MEMO.get()
    if memo is None:
        return _read(text_bytes, file, subject)
    key = (text_bytes, file, subject)
    found = memo["now"].get(key) or memo["previous"].get(key) or _read(text_bytes, file, subject)
    memo["now"][key] = found
    return found


def _read(text_bytes: bytes, file: str, subject: str) -> Read:
    positions = Positions()

    def refuse(line: int, col: int, field_: str, message: str, rule: str = "syntax") -> tuple[None, Positions, list[Finding]]:
        return None, positions, [Finding("error", file, line, col, subject, field_, message, rule)]

    if (too_large := oversize(len(text_bytes))) is not None:
        return refuse(1, 1, "(file)", too_large, "file-size")
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text_bytes[: exc.start].count(b"\n") + 1
        col = exc.start - (text_bytes.rfind(b"\n", 0, exc.start) + 1) + 1
        return refuse(line, col, "(file)", f"expected UTF-8 text, found the byte 0x{text_bytes[exc.start]:02x}")
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return refuse(1, 1, "(file)", "expected a mapping of fields (id, title, …), found an empty file")

    if _FAST is not None:  # libyaml's events, read once: several times faster. On any problem, or
        try:               # anything unusual, the pure-Python parser reads the file again, for its
            value = _from_events(text, positions)  # exact messages
        except Exception:  # noqa: BLE001 - whatever it is, the careful reading below says it
            positions = Positions()
        else:
            return _finish(value, positions, refuse)
    try:
        value = _parse(text, yaml.SafeLoader, positions)
    except _Refused as exc:
        return refuse(exc.line, exc.col, exc.field, exc.message, exc.rule)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "unreadable text").split())
        if exc.context and exc.context_mark and exc.problem_mark:
            opened = exc.context_mark
            problem += f" ({exc.context} that starts at line {opened.line + 1}, column {opened.column + 1})"
            if "end of stream" in problem:  # an unclosed quote or bracket: point where it opens
                mark = opened
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "expected a single document" in str(exc.context or ""):
            problem = "a second document (a line '---' starts another)"
            return refuse(line, col, "(file)", f"expected one YAML document, found {problem}")
        return refuse(line, col, "(file)", f"expected valid YAML, found a syntax error: {problem}")
    except yaml.YAMLError as exc:
        return refuse(1, 1, "(file)", f"expected valid YAML, found {' '.join(str(exc).split())}")
    return _finish(value, positions, refuse)


_FAST: Any = getattr(yaml, "CSafeLoader", None)  # (libyaml's, a C extension's: its events untyped)
_EMPTY = object()


def _parse(text: str, loader_class: type, positions: Positions) -> object:
    """The document's value (_EMPTY for none), positions recorded; raises _Refused or YAMLError."""
    loader = loader_class(text)
    try:
        _check_depth(text, loader_class)
        node = loader.get_single_node()
        if node is None:
            return _EMPTY
        return _build(loader, node, (), positions, set(), 0, source=_Lines(text))
    finally:
        loader.dispose()


def _finish(value: object, positions: Positions, refuse: Callable[[int, int, str, str], Read]) -> Read:
    if value is _EMPTY:
        return refuse(1, 1, "(file)", "expected a mapping of fields, found an empty document")
    if not isinstance(value, dict):
        line, col = positions.of(())
        return refuse(line, col, "(file)", f"expected a mapping of fields (id, title, …), found {describe(value)}")
    return value, positions, []


class _Unusual(Exception):
    """Something the one-pass reader leaves to the careful one: an error, a tag, an anchor, nesting."""


def _from_events(text: str, positions: Positions) -> object:
    """The document's value, positions recorded, in one pass over libyaml's events; the same value
    and positions as `_parse`. Raises on anything but a plain document (which `_parse` then reads)."""
    reader = _OnePass(text, positions)
    try:
        if type(reader.next()) is not yaml.StreamStartEvent or type(reader.next()) is not yaml.DocumentStartEvent:
            raise _Unusual
        value = reader.value(reader.next(), (), 1)
        if type(reader.next()) is not yaml.DocumentEndEvent or type(reader.next()) is not yaml.StreamEndEvent:
            raise _Unusual  # a second document, say
        return value
    finally:
        reader.loader.dispose()


_RESOLVED_BY_FIRST = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)  # plain values whose first
# character may make them something else than text (a number, a date, null…); '' for the empty value
_STR = "tag:yaml.org,2002:str"


class _OnePass:
    """Values built from events as `_build` builds them from nodes (written for speed: this reads
    every data file)."""

    def __init__(self, text: str, positions: Positions) -> None:
        self.loader = _FAST(text)
        self.next = self.loader.get_event
        self.positions = positions
        self.source = _Lines(text)

    def value(self, event: Any, path: Path, nesting: int) -> object:  # a yaml.Event of the class `kind`
        kind = type(event)
        if kind is yaml.AliasEvent or event.anchor is not None or event.tag is not None:
            raise _Unusual
        mark: Any = event.start_mark  # (Any: the key's, below, is one too)
        self.positions.values[path] = (mark.line + 1, mark.column + 1)
        if kind is yaml.ScalarEvent:
            value = event.value
            if event.implicit[0] and (not value or value[0] in _RESOLVED_BY_FIRST):
                value = self.construct(event)
            if event.style == "|":
                self.positions.literal.add(path)
            elif event.end_mark.line > mark.line and self.source.may_end_in_hyphen:
                _find_folded_hyphens(self.source.lines, event, path, self.positions)
            return value
        if nesting > MAX_DEPTH:
            raise _Unusual
        following = self.next
        if kind is yaml.SequenceStartEvent:
            items: list[object] = []
            while type(event := following()) is not yaml.SequenceEndEvent:
                items.append(self.value(event, (*path, len(items)), nesting + 1))
            return items
        if kind is not yaml.MappingStartEvent:
            raise _Unusual
        result: dict[str, object] = {}
        keys = self.positions.keys
        while type(event := following()) is not yaml.MappingEndEvent:
            if type(event) is not yaml.ScalarEvent or event.anchor is not None or event.tag is not None:
                raise _Unusual  # a complex key, an alias, a tag
            key = event.value
            if event.implicit[0] and (not key or key[0] in _RESOLVED_BY_FIRST):
                key = str(self.construct(event))  # a merge key '<<' is not a plain tag: refused there
            if key in result:
                raise _Unusual
            child = (*path, key)
            mark = event.start_mark
            keys[child] = (mark.line + 1, mark.column + 1)
            result[key] = self.value(following(), child, nesting + 1)
        return result

    def construct(self, event: Any) -> object:  # a yaml.ScalarEvent
        """A plain scalar's value, as `_scalar` constructs it: text, or what its form says it is."""
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag not in _PLAIN_TAGS:
            raise _Unusual
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.yaml_constructors[tag](self.loader, node)


class _Lines:
    """The source's lines, split once, for the folded-hyphen check."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._may_end_in_hyphen: bool | None = None

    @property
    def may_end_in_hyphen(self) -> bool:
        """Whether some line may end in 'word-' (then be followed by whitespace: the line break is)."""
        if self._may_end_in_hyphen is None:  # (a hyphen first: the regular expression engine looks for it quickly)
            self._may_end_in_hyphen = any(m.start() and _WORD_CHARACTER.match(self.text, m.start() - 1)
                                          for m in _HYPHEN_BEFORE_SPACE.finditer(self.text))
        return self._may_end_in_hyphen

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines


def _check_depth(text: str, loader_class: type = yaml.SafeLoader) -> None:
    """Refuse deep nesting from the event stream, before the (recursive) composer sees it."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = cast(yaml.Mark, event.start_mark)  # the parser's events all have their marks
                raise _Refused(mark.line + 1, mark.column + 1, "(file)",
                               f"expected at most {MAX_DEPTH} levels of nesting, found more")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path, pos: Positions, seen: set[int], depth: int,
    alias_at: tuple[int, int] = (1, 1), *, source: _Lines,
) -> object:
    """The Python value of `node`; `alias_at` is where the value is written, should it be an alias."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    where = dotted(path) or "(file)"
    if id(node) in seen:
        raise _Refused(*alias_at, where, "expected plain values, found an alias (anchors and aliases '&'/'*' are not allowed)")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(line, col, where, f"expected at most {MAX_DEPTH} levels of nesting, found more")
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(line, col, where, f"expected a plain value, found the tag {node.tag.replace('tag:yaml.org,2002:', '!!')}")
    pos.values[path] = (line, col)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            kl, kc = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(kl, kc, where, "expected a field name, found a complex key")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(kl, kc, where, "expected plain field names, found a merge key '<<'")
            if key_node.tag not in _PLAIN_TAGS:
                raise _Refused(kl, kc, where, f"expected a plain field name, found the tag {key_node.tag.replace('tag:yaml.org,2002:', '!!')}")
            key = str(_scalar(loader, key_node, path))
            if key in result:
                raise _Refused(
                    kl, kc, dotted((*path, key)),
                    f"expected each field once, found '{key}' twice (lines {first_line[key]} and {kl})", "duplicate-key",
                )
            first_line[key] = kl
            pos.keys[(*path, key)] = (kl, kc)
            result[key] = _build(loader, value_node, (*path, key), pos, seen, depth + 1, (kl, kc), source=source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, i), pos, seen, depth + 1, (line, col), source=source) for i, item in enumerate(node.value)
        ]
    scalar = cast(yaml.ScalarNode, node)  # neither a mapping nor a sequence, and its tag a plain one
    if scalar.style == "|":
        pos.literal.add(path)
    elif node.end_mark.line > node.start_mark.line and source.may_end_in_hyphen:
        _find_folded_hyphens(source.lines, scalar, path, pos)
    return _scalar(loader, node, path)


class _Scalar(Protocol):
    """A scalar's node (yaml.ScalarNode) or libyaml's event for it: where it is, and its style."""

    @property
    def start_mark(self) -> Any: ...
    @property
    def end_mark(self) -> Any: ...
    @property
    def style(self) -> str | None: ...


_HYPHEN_END = re.compile(r"(\w+-)$")
_HYPHEN_BEFORE_SPACE = re.compile(r"-(?:\s|\Z)")  # each line break str.splitlines knows is whitespace
_WORD_CHARACTER = re.compile(r"\w")
_WORD_START = re.compile(r"^(\w+)")
_SUSPENDED = {"e", "ed", "o", "od", "and", "or", "nor", "to"}  # "pre- e post-industriale" is right as is


def _find_folded_hyphens(lines: list[str], node: _Scalar, path: Path, pos: Positions) -> None:
    """Record each line of a folded scalar that ends in 'word-' and is followed by a word."""
    first = node.start_mark.line + (1 if node.style == ">" else 0)  # a '>' header line holds no text
    for index in range(first, min(node.end_mark.line, len(lines) - 1)):
        end = _HYPHEN_END.search(lines[index].rstrip())
        start = _WORD_START.match(lines[index + 1].strip())
        if end and start and start[1].casefold() not in _SUSPENDED:
            pos.folded_hyphens.append((path, index + 1, end.start() + 1, end[1], start[1]))


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, path: Path) -> object:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or node.start_mark
        raise _Refused(
            mark.line + 1, mark.column + 1, dotted(path) or "(file)",
            f"expected a plain value, found {' '.join(str(exc.problem).split())}",
        ) from None
    except (ValueError, OverflowError) as exc:  # e.g. a date that does not exist: 2024-02-30
        mark = node.start_mark
        raise _Refused(
            mark.line + 1, mark.column + 1, dotted(path) or "(file)",
            f"expected a valid value, found '{node.value}' ({exc})",
        ) from None
