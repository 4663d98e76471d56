"""Relation graphs as laid-out boxes and curves, ready for an inline SVG: computed in Python, no engine.

Each graph has two layouts, both deterministic: a wide one for a page's column on a desktop and a
narrow one for a phone (about 360 px), which the page shows by the width of its column (atlante.css):
text never shrinks to illegibility and no box is cut off.

- `neighbourhood(entity)`: the entity in the middle, what relates to it on the left, what it relates
  to on the right; each outer box carries the relation's name as it reads from the entity (the same
  words as the headings of the page's "Collegamenti" lists, which are the graph's text equivalent).
  `neighbourhood_narrow(entity)`: the same as a column, like a tree view: what relates to the entity
  above it, what it relates to below, each box joined to it along a rail on the left.
- `concept_map(catalog)`: the whole brief as the argument's chain, one column per kind in brief
  order, every relation between them drawn; the kinds outside the chain (the glossary, the slides)
  in rows below, unconnected, so that every entity is one click away. `concept_map_narrow`: the
  chain's kinds as bands, one under the other, each holding its entries two by two.

Boxes hold the entity itself; the templates (graph.html) turn them into links and text, escaped.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from .model import Catalog, Entity

RelationName = Callable[[str, bool], str]  # (type, inverse) -> a relation's words in the page's language

FONT = 14  # px: titles
SMALL = 12  # px: relation names and column headings
LINE = 18  # px between title lines
PAD = 8


@dataclass(frozen=True)
class Box:
    entity: Entity
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]  # the title, wrapped
    note: str = ""  # a relation's name, shown above the title
    note_lines: tuple[str, ...] = ()  # the same, wrapped to the box
    centre: bool = False


@dataclass(frozen=True)
class Edge:
    path: str  # SVG path data
    source: Entity
    target: Entity
    relation: str  # the relation's name, forward


@dataclass(frozen=True)
class Heading:
    x: float
    y: float
    lines: tuple[str, ...]  # the kind's name, wrapped to its column
    kind: str  # the kind whose column or row this heads


@dataclass(frozen=True)
class Graph:
    width: float
    height: float
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    headings: tuple[Heading, ...] = ()


def neighbourhood(entity: Entity, lang: str, relation_name: RelationName, width: float = 680) -> Graph | None:
    """The entity and its neighbours, or None when it has none.

    `relation_name(type, inverse)` gives a relation's words in the page's language.
    """
    if not entity.links:
        return None
    side = (width - 2 * 40) * 0.36  # outer columns
    middle = width - 2 * side - 2 * 40
    incoming = [ln for ln in entity.links if ln.inverse]
    outgoing = [ln for ln in entity.links if not ln.inverse]
    left = _column([(ln.target, relation_name(ln.type, True)) for ln in incoming], 0, side, lang)
    right = _column([(ln.target, relation_name(ln.type, False)) for ln in outgoing], width - side, side, lang)
    tallest = max([_bottom(left), _bottom(right), 0])
    left, right = _centred(left, tallest), _centred(right, tallest)  # the shorter side faces the middle
    lines = _wrap(str(entity.text("title", lang)), middle)
    height = _box_height(lines, note=False)
    top = max((tallest - height) / 2, 0)
    centre = Box(entity, side + 40, top, middle, height, lines, centre=True)
    edges = []
    for box, ln in zip(left, incoming, strict=True):
        edges.append(Edge(_curve(box.x + box.width, box.y + box.height / 2, centre.x, centre.y + height / 2),
                          ln.target, entity, relation_name(ln.type, False)))
    for box, ln in zip(right, outgoing, strict=True):
        edges.append(Edge(_curve(centre.x + middle, centre.y + height / 2, box.x, box.y + box.height / 2),
                          entity, ln.target, relation_name(ln.type, False)))
    return Graph(width, max(tallest, top + height) + 2, (centre, *left, *right), tuple(edges))


NARROW = 360  # the narrow layouts' width: a phone's column (390 px less the page's margins)
RAIL = 12  # the narrow neighbourhood's rail, and the indent of its boxes
INDENT = 30


def neighbourhood_narrow(entity: Entity, lang: str, relation_name: RelationName, width: float = NARROW) -> Graph | None:
    """The entity and its neighbours in one column, or None when it has none: what relates to it
    above, the entity, what it relates to below. Each edge runs along a rail on the left, from the
    box that declares the relation to the one it points to, as in the wide layout."""
    if not entity.links:
        return None
    incoming = [ln for ln in entity.links if ln.inverse]
    outgoing = [ln for ln in entity.links if not ln.inverse]
    side = width - INDENT
    above = _column([(ln.target, relation_name(ln.type, True)) for ln in incoming], INDENT, side, lang)
    y = _bottom(above) + (3 * PAD if above else 0)
    lines = _wrap(str(entity.text("title", lang)), width)
    centre = Box(entity, 0, y, width, _box_height(lines, note=False), lines, centre=True)
    below = [dataclasses.replace(b, y=b.y + centre.y + centre.height + 3 * PAD)
             for b in _column([(ln.target, relation_name(ln.type, False)) for ln in outgoing], INDENT, side, lang)]
    edges = [Edge(f"M{INDENT:g} {b.y + b.height / 2:g}H{RAIL:g}V{centre.y:g}", ln.target, entity,
                  relation_name(ln.type, False)) for b, ln in zip(above, incoming, strict=True)]
    top = centre.y + centre.height
    edges += [Edge(f"M{RAIL:g} {top:g}V{b.y + b.height / 2:g}H{INDENT:g}", entity, ln.target,
                   relation_name(ln.type, False)) for b, ln in zip(below, outgoing, strict=True)]
    height = max(_bottom(below), top) + 2
    return Graph(width, height, (centre, *above, *below), tuple(edges))


def concept_map_narrow(catalog: Catalog, chain: tuple[str, ...], lang: str, kind_name: Callable[[str], str], relation_name: RelationName,
                       width: float = NARROW, gap: float = 12) -> Graph:
    """Every entity, for a phone: each kind of the chain a band under the previous one, its entries
    two by two, every relation between them drawn from box to box; then the kinds outside the chain."""
    column = (width - gap) / 2
    boxes: dict[int, Box] = {}
    headings = []
    y = 0.0
    for kind in [*chain, *(k for k in catalog.by_kind if k not in chain)]:
        if not catalog.by_kind[kind]:
            continue
        names = _wrap(kind_name(kind).upper(), width + PAD, SMALL * 1.15)
        headings.append(Heading(0, y + SMALL, names, kind))
        y += len(names) * (SMALL + 4) + PAD
        entities = catalog.by_kind[kind]
        for start in range(0, len(entities), 2):
            row = []
            for i, entity in enumerate(entities[start:start + 2]):
                lines = _wrap(str(entity.text("title", lang)), column)
                row.append(Box(entity, i * (column + gap), y, column, _box_height(lines, note=False), lines))
            tallest = max(b.height for b in row)
            for box in row:  # a row's boxes as tall as each other: their edges meet them level
                boxes[id(box.entity)] = dataclasses.replace(box, height=tallest)
            y += tallest + PAD
        y += 3 * PAD
    edges = []
    for box in list(boxes.values()):
        if box.entity.kind not in chain:
            continue
        for ln in box.entity.links:
            target = boxes.get(id(ln.target))
            if ln.inverse or target is None or ln.target.kind not in chain:
                continue
            edges.append(Edge(_vertical(box, target, width), box.entity, ln.target, relation_name(ln.type, False)))
    return Graph(width, y, tuple(boxes.values()), tuple(edges), tuple(headings))


def concept_map(catalog: Catalog, chain: tuple[str, ...], lang: str, kind_name: Callable[[str], str], relation_name: RelationName,
                column: float = 150, gap: float = 44) -> Graph:
    """Every entity: the chain's kinds in columns joined by their relations, the others in rows below.

    `kind_name(kind)` gives a kind's plural in the page's language.
    """
    boxes: dict[int, Box] = {}
    # a heading may run into the gap after its column, but not past the drawing's right edge
    names = {kind: _wrap(kind_name(kind).upper(), column + (gap - PAD if i < len(chain) - 1 else 0), SMALL * 1.15)
             for i, kind in enumerate(chain)}
    top = max(len(lines) for lines in names.values()) * (SMALL + 4) + PAD
    headings = []
    for i, kind in enumerate(chain):
        x = i * (column + gap)
        headings.append(Heading(x, SMALL, names[kind], kind))
        for box in _column([(e, "") for e in catalog.by_kind[kind]], x, column, lang, top=top, note=False):
            boxes[id(box.entity)] = box
    width = len(chain) * column + (len(chain) - 1) * gap
    y = max(b.y + b.height for b in boxes.values()) + 3 * PAD
    for kind in [k for k in catalog.by_kind if k not in chain]:
        headings.append(Heading(0, y + SMALL, (kind_name(kind).upper(),), kind))
        y += SMALL + 2 * PAD
        x = 0.0
        row: list[Box] = []
        for entity in catalog.by_kind[kind]:
            if x + column > width:
                y += max(b.height for b in row) + PAD
                x, row = 0.0, []
            lines = _wrap(str(entity.text("title", lang)), column)
            box = Box(entity, x, y, column, _box_height(lines, note=False), lines)
            boxes[id(entity)], x = box, x + column + gap / 2
            row.append(box)
        y += max((b.height for b in row), default=0) + 3 * PAD
    edges = []
    for box in list(boxes.values()):
        source = box.entity
        if source.kind not in chain:
            continue
        for ln in source.links:
            target = boxes.get(id(ln.target))
            if ln.inverse or target is None or ln.target.kind not in chain:
                continue
            edges.append(Edge(_between(box, target), source, ln.target, relation_name(ln.type, False)))
    return Graph(width, y, tuple(boxes.values()), tuple(edges), tuple(headings))


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------


def _wrap(text: str, width: float, font: float = FONT) -> tuple[str, ...]:
    """Lines of a title that fit `width` at about 0.55 em per character; long words are broken."""
    chars = max(int((width - 2 * PAD) / (0.52 * font)), 4)
    return tuple(textwrap.wrap(text, chars, break_long_words=False)) or ("",)


def _box_height(lines: tuple[str, ...], note: bool | int = True) -> float:
    """A box's height for its title's lines and `note` lines of a relation's name (True: one)."""
    return 2 * PAD + len(lines) * LINE + int(note) * (SMALL + 4)


def _column(items: list[tuple[Entity, str]], x: float, width: float, lang: str, top: float = 0,
            note: bool = True) -> list[Box]:
    boxes, y = [], top
    for entity, words in items:
        lines = _wrap(str(entity.text("title", lang)), width)
        noted = _wrap(words, width, SMALL) if note and words else ()
        height = _box_height(lines, len(noted) or note)
        boxes.append(Box(entity, x, y, width, height, lines, note=words, note_lines=noted))
        y += height + PAD
    return boxes


def _centred(boxes: list[Box], height: float) -> list[Box]:
    shift = (height - _bottom(boxes)) / 2
    return [dataclasses.replace(b, y=b.y + shift) for b in boxes] if shift > 0 else boxes


def _bottom(boxes: list[Box]) -> float:
    return max((b.y + b.height for b in boxes), default=0)


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    """A horizontal S-curve from (x1, y1) to (x2, y2)."""
    mid = (x1 + x2) / 2
    return f"M{x1:g} {y1:g}C{mid:g} {y1:g} {mid:g} {y2:g} {x2:g} {y2:g}"


def _vertical(a: Box, b: Box, width: float) -> str:
    """An edge between two boxes of the narrow concept map: bottom to top down the page, top to
    bottom up it; within a row, a loop out of the page's side nearest to both."""
    ax, bx = a.x + a.width / 2, b.x + b.width / 2
    if b.y > a.y + a.height / 2:
        y1, y2 = a.y + a.height, b.y
    elif b.y + b.height < a.y + a.height / 2:
        y1, y2 = a.y, b.y + b.height
    else:  # the same row: from the side of one to the side of the other, below them
        y1 = y2 = a.y + a.height
        mid = y1 + PAD
        return f"M{ax:g} {y1:g}C{ax:g} {mid:g} {bx:g} {mid:g} {bx:g} {y2:g}"
    mid = (y1 + y2) / 2
    return f"M{ax:g} {y1:g}C{ax:g} {mid:g} {bx:g} {mid:g} {bx:g} {y2:g}"


def _between(a: Box, b: Box) -> str:
    """An edge between two boxes: side to side across columns, a loop on the right within one."""
    ay, by = a.y + a.height / 2, b.y + b.height / 2
    if a.x < b.x:
        return _curve(a.x + a.width, ay, b.x, by)
    if a.x > b.x:
        return _curve(a.x, ay, b.x + b.width, by)
    right = a.x + a.width
    bulge = right + min(16 + abs(by - ay) / 8, 40)
    return f"M{right:g} {ay:g}C{bulge:g} {ay:g} {bulge:g} {by:g} {right:g} {by:g}"
