"""Step 3, link: turn validated documents into a Catalog.

Statements are taken from the slides and attached to the entities that cite them; each relation,
written once on its source page, gets its inverse here and only here; entities are ordered by
where the brief first speaks of them, so every list follows the brief's argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from .entities import EntityData, Entry, SlideData, SlideTexts
from .kinds import KINDS, RELATION_TYPES, SOURCE
from .load import Document
from .model import Catalog, Entity, Link, Ref, Statement

_RELATION_ORDER = {r.name: i for i, r in enumerate(RELATION_TYPES)}


def link(documents: list[Document], languages: tuple[str, ...] = ()) -> Catalog:
    """Build the catalog; `documents` must have passed validation without errors.

    `languages` are the editions besides the source one, whose blocks carry statement translations.
    """
    # Each document's mapping has passed validation against its kind's schema: it is that kind's type.
    entities = {
        Ref(d.kind, d.stem): Entity(d.kind, d.stem, d.file, cast(EntityData, d.data or {}), digest=d.digest)
        for d in documents if d.data is not None
    }

    statements: dict[str, Statement] = {}
    for entity in entities.values():
        if entity.kind != SOURCE.name:
            continue
        slide = cast(SlideData, entity.data)  # the kind's data (the slide schema, validated)
        number = slide["number"]
        translations = {lang: cast(SlideTexts, slide.get(lang) or {}).get("statements") or {}  # its language block
                        for lang in languages[1:]}  # the source language first: its texts are the top-level ones
        for i, st in enumerate(slide["statements"], start=1):
            statement = Statement(
                slide=entity.id, id=st["id"], number=f"{number}.{i}", text=st["text"],
                label=st.get("label"), corrections=list(st.get("corrections") or []),
                translations={lang: t[st["id"]].copy() for lang, t in translations.items() if st["id"] in t},
            )
            statements[statement.ref] = statement
            entity.statements.append(statement)
        entity.position = (int(number), 0, 0, 0)

    for entity in entities.values():
        if entity.kind == SOURCE.name:
            continue
        for source in cast(Entry, entity.data).get("sources") or []:  # every kind but the slides has them
            statement = statements[source]
            entity.statements.append(statement)
            statement.represented_by.append(entity)
        if entity.statements:
            entity.position = _position(entity)

    for entity in entities.values():
        # each kind's relations: lists of references (envelope.schema.json#/$defs/refs), checked to resolve
        relations = cast(Mapping[str, list[str]], entity.data.get("relations") or {})
        for rtype, targets in relations.items():
            for text in targets:
                target = entities[cast(Ref, Ref.parse(text))]  # validated: every reference parses and resolves
                entity.links.append(Link(rtype, target, inverse=False))
                target.links.append(Link(rtype, entity, inverse=True))

    for entity in entities.values():
        entity.links.sort(key=lambda ln: (ln.inverse, _RELATION_ORDER[ln.type], _order_key(ln.target)))
    for statement in statements.values():
        statement.represented_by.sort(key=_order_key)

    by_kind = {k.name: sorted((e for e in entities.values() if e.kind == k.name), key=_order_key) for k in KINDS}
    for kind in KINDS:
        if kind.display.alphabetical:  # a glossary: in the source language's alphabet
            by_kind[kind.name].sort(key=lambda e: (e.title.casefold(), e.id))
    return Catalog(entities=entities, by_kind=by_kind, statements=statements)

def _position(entity: Entity) -> tuple[int, int, int, int]:
    """(slide, statement, not named, offset): where the brief first names the entity, else its first source.

    Entities citing the same statement ("Milano, Torino, Verona, …") thus keep the brief's order.
    """
    name = str(entity.data.get("named_as") or entity.title).casefold()
    spots = []
    for statement in entity.statements:
        slide, index = (int(n) for n in statement.number.split("."))
        offset = statement.text.casefold().find(name)
        spots.append((offset < 0, slide, index, offset if offset >= 0 else 0))
    missing, slide, index, offset = min(spots)  # a statement that names it wins over an earlier one
    return slide, index, int(missing), offset


def _order_key(entity: Entity) -> tuple[tuple[int, ...], int, str]:
    return (entity.position, _KIND_ORDER[entity.kind], entity.id)


_KIND_ORDER = {k.name: i for i, k in enumerate(KINDS)}
