"""The domain vocabulary: the kinds of entity the brief speaks of and the typed relations between them.

Everything else (loader, validator, renderer, schema files, README table) reads these tables; adding
a kind or a relation type starts here. This module holds structure and meaning only: every word a
reader sees (kind names, relation headings, category names) is in the translation files
(overrides/atlante/i18n/<lang>.yaml), looked up by the renderer in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# How a kind is shown: which fields form its fact box, how its index lists it, where it stands in
# the home page's argument. Templates read this; they never test a kind's name.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    field: str  # the data field
    format: str = "text"  # "text" (plain text), "value" (an enumerated value, translated), "coordinates",
    # "region" (a region, translated, with its ISTAT code), "code" (an identifier, as it is), "wikidata"
    # (a Wikidata item, linked)


@dataclass(frozen=True)
class Display:
    facts: tuple[Fact, ...] = ()  # the fact box ("Scheda"), in order
    group_by: str | None = None  # the index groups entities by this enumerated field, in brief order
    columns: tuple[Fact, ...] = ()  # when set, the index is a table with these columns after the title
    alphabetical: bool = False  # the index (and every list of the kind) is ordered by title, not by the brief
    home: tuple[tuple[str, str | None, str | None], ...] = ()  # (step, field, value): the home step listing
    # its entities (those whose `field` has `value`, or all where field is None)
    home_index: str | None = None  # the home step linking the kind's index page instead


# ---------------------------------------------------------------------------------------------
# Kinds: one folder under data/, one JSON Schema under data/schema/, one URL segment each.
# The order is the order of the brief's argument, which the home page and the nav follow.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str  # singular, used in references: "city:milano"
    folder: str  # plural, the data folder and the URL segment: /cities/milano/
    display: Display = field(default_factory=Display)
    texts: tuple[str, ...] = ()  # the kind's own plain-text fields, translated like the envelope's
    schema_type: str = "Thing"  # its schema.org type, for the JSON-LD of its pages and of the open data
    not_in_brief: tuple[str, ...] = ()  # fields the brief never gives: each entity lists them under `added`,
    # with the source they come from (the rule `unmarked-addition`)
    source: bool = False  # the brief itself, not an entry about it: its entities are the brief's slides, which
    # hold the statements the other kinds' entries cite (`sources`); they have no relations. One kind has it.
    share: float | None = None  # its share of the entries `atlante synth` adds to grow a data set (0: none;
    # None: as large as the average kind's; the source kind gets none; synth.shares scales them to add up to 1)

    @property
    def place(self) -> str | None:
        """The field holding the kind's position on the maps: the one its fact box shows as coordinates."""
        return next((f.field for f in self.display.facts if f.format == "coordinates"), None)

    @property
    def translatable(self) -> tuple[str, ...]:
        """Top-level fields whose text each language edition carries in its own block."""
        return (*ENVELOPE_TEXTS, *self.texts)


ENVELOPE_TEXTS = ("title", "summary", "named_as", "body")
WORDING = Fact("named_as")  # "Formulazione nel brief": shown when it differs from the title

KINDS: tuple[Kind, ...] = (
    Kind("challenge", "challenges",
         Display(facts=(Fact("category", "value"), WORDING), group_by="category", home=(("challenges", None, None),)), share=0.05),
    Kind("move", "moves",
         Display(facts=(Fact("label"), WORDING), home=(("moves", None, None),)), texts=("label",), share=0.03),
    Kind("platform", "platforms",
         Display(facts=(Fact("category", "value"), WORDING), group_by="category", home=(("platforms", None, None),)), share=0.13),
    Kind("circle", "circles",
         Display(facts=(Fact("period", "value"), WORDING), group_by="period",
                 home=(("circles", "period", "storico"), ("new", "period", "nuovo"))), share=0.04),
    Kind("city", "cities",
         Display(facts=(Fact("region", "region"), Fact("coordinates", "coordinates"), Fact("istat", "code"),
                        Fact("wikidata", "wikidata")),
                 columns=(Fact("region", "value"), Fact("coordinates", "coordinates")), home=(("circles", None, None),)),
         schema_type="Place", not_in_brief=("region", "coordinates", "istat", "wikidata"), share=0.21),
    Kind("theme", "themes",
         Display(facts=(Fact("category", "value"), WORDING), group_by="category", home=(("new", None, None),)), share=0.32),
    Kind("action", "actions", Display(facts=(WORDING,), home=(("actions", None, None),)), schema_type="Action", share=0.05),
    Kind("concept", "concepts", Display(facts=(WORDING, Fact("wikidata", "wikidata")), alphabetical=True,
                                        home_index="read_more"),
         schema_type="DefinedTerm", not_in_brief=("wikidata",), share=0.17),
    Kind("slide", "slides", Display(home_index="read_more"), texts=("heading",), schema_type="CreativeWork",
         source=True),
)

KIND_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KIND_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS}
[SOURCE] = [k for k in KINDS if k.source]  # the kind of the brief's slides: code reads this, never its name


def address(kind: str, id_: str) -> str:
    """An entity page's address below its edition's root, with directory URLs: "cities/milano/".
    Every page path, absolute URL and IRI of an entity is derived from this."""
    return f"{KIND_BY_NAME[kind].folder}/{id_}/"


# Every generated page (home, concept map, whole brief, tag pages, the entities' pages, …) is a spec of the
# registry, pages.py.

# The steps of the brief's argument on the home page, in order; their titles and introductions are
# in the translation files under home.<step>. A step lists the entities whose kind names it.
HOME_STEPS = ("challenges", "moves", "platforms", "circles", "new", "actions", "read_more")

# The argument's chain, kind by kind: the concept map's columns, left to right.
CHAIN = ("challenge", "move", "platform", "circle", "city", "theme", "action")

# Fields of a slide's statements that each language edition translates.
STATEMENT_TEXTS = ("text", "label")

# ---------------------------------------------------------------------------------------------
# Relation types: written once, in the direction given here, on the page of `sources` kinds; the
# inverse is derived (see catalog.link). Headings for both directions are in the translation files
# under relations.<name>.forward / .inverse; `description` is for editors, in the schemas.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationType:
    name: str
    sources: tuple[str, ...]  # kinds that may write it
    targets: tuple[str, ...]  # kinds it may point to
    description: str  # for editors, shown by the schema


_ANY = tuple(k.name for k in KINDS if not k.source and k.name != "concept")

RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType("nomina", ("move",), ("challenge",), "The challenges this move names."),
    RelationType("tratto_di", ("challenge",), ("challenge",), "The phase or challenge this one is a trait of."),
    RelationType("risponde_a", ("move", "platform", "action"), ("challenge",), "The challenges this entity responds to."),
    RelationType("promuove", ("move",), ("platform",), "The platforms this move promotes."),
    RelationType("scala_di", ("platform",), ("platform",), "The platform concept this scale belongs to."),
    RelationType("base_per", ("platform",), ("circle",), "The magic circles this platform is a base for (slide 3: the framework of competences generated \"natural\" platforms for the circles)."),
    RelationType("parte_di", ("city",), ("circle",), "The magic circles this city is part of."),
    RelationType("dominio_di", ("theme",), ("theme",), "The theme this one is a domain of."),
    RelationType("esempio_di", ("theme",), ("theme",), "The group of applications this one is an example of."),
    RelationType("leva_per", ("theme",), ("platform",), "The platforms this theme is a lever for (slide 4: cross-cutting ideas as levers for innovation platforms)."),
    RelationType("fa_emergere", ("action",), ("circle", "theme"), "The opportunities (circles, themes) this action must bring out."),
    RelationType("coinvolge", ("action",), ("city",), "The cities this action involves."),
    RelationType("richiama", _ANY, ("concept",), "The glossary concepts this entity draws on."),
)

RELATION_BY_NAME: dict[str, RelationType] = {r.name: r for r in RELATION_TYPES}


def relation_types_for(kind: str) -> list[RelationType]:
    """The relation types an entity of `kind` may write."""
    return [r for r in RELATION_TYPES if kind in r.sources]
