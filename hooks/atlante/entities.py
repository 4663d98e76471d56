"""What an entity's validated YAML mapping holds, kind by kind: the JSON Schemas (data/schema/) as types.

One TypedDict per kind, written by hand from its schema; tests/test_types.py walks every schema and
checks that each type has the same fields, the same required ones and compatible value types, so
that neither can change without the other. They cost nothing when the site is built: a TypedDict is
a plain dict, and nothing is checked at run time (validate.py has checked the data against the
schemas before any entity is made).

A kind's language blocks (`en: {title: …}`: one per translation file, their names from the
configuration) are not fields of these types: the code reads them by a language it is given, as
`Texts` (or the kind's own `…Texts`).

No `from __future__ import annotations` here: Python 3.11 reads a TypedDict's NotRequired from its
evaluated annotations only (`__required_keys__`), which the test of the schemas compares.
"""

from typing import Literal, NotRequired, TypedDict


class Addition(TypedDict):
    """One item of `added`: what the file adds beyond the brief, and its source."""

    fields: list[str]
    source: str
    url: NotRequired[str]


class Envelope(TypedDict):
    """The fields every kind has (envelope.schema.json); `named_as` is each kind's own, required by some."""

    id: str
    aliases: NotRequired[list[str]]
    title: str
    summary: str
    body: NotRequired[str]
    tags: NotRequired[list[str]]
    added: NotRequired[list[Addition]]


class Entry(Envelope):
    """An entity of every kind but the slides: it represents statements of the brief (`sources`)."""

    sources: list[str]


# Each kind's relations: the types kinds.RELATION_TYPES lets it write, each a list of `kind:id`.

class ChallengeRelations(TypedDict, total=False):
    tratto_di: list[str]
    richiama: list[str]


class MoveRelations(TypedDict, total=False):
    nomina: list[str]
    risponde_a: list[str]
    promuove: list[str]
    richiama: list[str]


class PlatformRelations(TypedDict, total=False):
    risponde_a: list[str]
    scala_di: list[str]
    base_per: list[str]
    richiama: list[str]


class CircleRelations(TypedDict, total=False):
    richiama: list[str]


class CityRelations(TypedDict, total=False):
    parte_di: list[str]
    richiama: list[str]


class ThemeRelations(TypedDict, total=False):
    dominio_di: list[str]
    esempio_di: list[str]
    leva_per: list[str]
    richiama: list[str]


class ActionRelations(TypedDict, total=False):
    risponde_a: list[str]
    fa_emergere: list[str]
    coinvolge: list[str]
    richiama: list[str]


class ChallengeData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[ChallengeRelations]
    category: Literal["fase", "tratto", "crisi"]


class MoveData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[MoveRelations]
    label: str


class PlatformData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[PlatformRelations]
    category: Literal["concetto", "scala", "naturale", "pubblica"]


class CircleData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[CircleRelations]
    period: Literal["storico", "nuovo"]


Region = Literal[
    "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli-Venezia Giulia", "Lazio",
    "Liguria", "Lombardia", "Marche", "Molise", "Piemonte", "Puglia", "Sardegna", "Sicilia", "Toscana",
    "Trentino-Alto Adige", "Umbria", "Valle d'Aosta", "Veneto",
]


class Coordinates(TypedDict):
    lat: float  # decimal degrees, WGS 84 (a whole number in the YAML is an int: a float for the type checker)
    lon: float


class CityData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[CityRelations]
    region: Region
    coordinates: Coordinates
    istat: NotRequired[str]  # the ISTAT municipality code, six digits
    wikidata: NotRequired[str]  # the Wikidata item, "Q490"


class ThemeData(Entry):
    named_as: NotRequired[str]
    relations: NotRequired[ThemeRelations]
    category: Literal["tema", "dominio", "gruppo", "applicazione"]


class ActionData(Entry):
    named_as: str
    relations: NotRequired[ActionRelations]


class ConceptData(Entry):
    named_as: str
    wikidata: NotRequired[str]  # the Wikidata item, where one matches


class Correction(TypedDict):
    original: str
    corrected: str


class SlideStatement(TypedDict):
    """One statement of a slide, as written (model.Statement is the cleaned one)."""

    id: str
    text: str
    label: NotRequired[str]
    corrections: NotRequired[list[Correction]]


class SlideData(Envelope):
    named_as: NotRequired[str]
    number: int
    numbered_in_source: bool
    heading: str | None
    statements: list[SlideStatement]


EntityData = (ChallengeData | MoveData | PlatformData | CircleData | CityData | ThemeData | ActionData
              | ConceptData | SlideData)


# ---------------------------------------------------------------------------------------------
# A language block: the translation of a kind's texts (schemas._language_block), every field optional.
# ---------------------------------------------------------------------------------------------


class AddedSource(TypedDict):
    """One item of a language block's `added`: the translated source of the same item of `added`."""

    source: str


class Texts(TypedDict, total=False):
    title: str
    summary: str
    named_as: str
    body: str
    added: list[AddedSource]


class MoveTexts(Texts, total=False):
    label: str


class StatementTexts(TypedDict):
    text: str
    label: NotRequired[str]


class SlideTexts(Texts, total=False):
    heading: str
    statements: dict[str, StatementTexts]  # by the statement's id


# Each kind's types, by kind name (kinds.KINDS): its data and its language block.
DATA: dict[str, tuple[type, type]] = {
    "challenge": (ChallengeData, Texts),
    "move": (MoveData, MoveTexts),
    "platform": (PlatformData, Texts),
    "circle": (CircleData, Texts),
    "city": (CityData, Texts),
    "theme": (ThemeData, Texts),
    "action": (ActionData, Texts),
    "concept": (ConceptData, Texts),
    "slide": (SlideData, SlideTexts),
}
