"""The domain vocabulary: the kinds of entity the brief speaks of and the typed relations between them.

Everything else (loader, validator, renderer, schema files) reads these tables; adding a kind or a
relation type starts here. Labels are keyed by language so that the English edition only adds
entries, it does not change the shape.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Kinds: one folder under data/, one JSON Schema under data/schema/, one URL segment each.
# The order is the order of the brief's argument, which the home page and the nav follow.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str  # singular, used in references: "city:milano"
    folder: str  # plural, the data folder and the URL segment: /cities/milano/
    label: dict[str, str]  # singular display name per language
    plural: dict[str, str]  # section title per language
    intro: dict[str, str]  # one paragraph shown on the kind's index page and the home page


KINDS: tuple[Kind, ...] = (
    Kind(
        "challenge",
        "challenges",
        {"it": "Sfida", "en": "Challenge"},
        {"it": "Sfide e crisi", "en": "Challenges and crises"},
        {
            "it": "Il brief parte dalla necessità di affrontare le sfide della fase attuale di "
            "globalizzazione, la crisi dei capitalismi e la recessione italiana.",
            "en": "The brief starts from the need to face the challenges of the current phase of "
            "globalisation, the crisis of capitalisms and the Italian recession.",
        },
    ),
    Kind(
        "move",
        "moves",
        {"it": "Mossa", "en": "Move"},
        {"it": "Le quattro mosse", "en": "The four moves"},
        {
            "it": "La slide 2 scandisce la risposta in quattro passaggi, ciascuno contrassegnato "
            "da un'etichetta tra parentesi.",
            "en": "Slide 2 sets out the answer in four steps, each marked by a label in brackets.",
        },
    ),
    Kind(
        "platform",
        "platforms",
        {"it": "Piattaforma", "en": "Platform"},
        {"it": "Piattaforme territoriali", "en": "Territorial platforms"},
        {
            "it": "Il concetto di piattaforma, le sue scale (metropolitana, regionale, nazionale), "
            "le piattaforme «naturali» dei circoli magici e le piattaforme pubbliche d'innovazione.",
            "en": "The concept of platform, its scales (metropolitan, regional, national), the "
            "'natural' platforms of the magic circles and the public innovation platforms.",
        },
    ),
    Kind(
        "circle",
        "circles",
        {"it": "Circolo magico", "en": "Magic circle"},
        {"it": "Circoli magici", "en": "Magic circles"},
        {
            "it": "I «circoli magici» del made in Italy che hanno già funzionato e la domanda se "
            "se ne possano pensare di nuovi o rinnovati.",
            "en": "The 'magic circles' of made in Italy that already worked, and whether new or "
            "renewed ones can be imagined.",
        },
    ),
    Kind(
        "city",
        "cities",
        {"it": "Città", "en": "City"},
        {"it": "Città dei circoli magici", "en": "Magic-circle cities"},
        {
            "it": "Le città che il brief nomina come sedi dei circoli magici. L'elenco della slide 3 "
            "è aperto («Milano, Torino, Verona, …, Bologna, …, Firenze, Roma»): il sito riporta "
            "solo le città nominate.",
            "en": "The cities the brief names as seats of the magic circles. The list on slide 3 is "
            "open-ended; the site shows only the cities it names.",
        },
    ),
    Kind(
        "theme",
        "themes",
        {"it": "Tema applicativo", "en": "Application theme"},
        {"it": "Temi applicativi", "en": "Application themes"},
        {
            "it": "Gli esempi di idee trasversali che possono fare da leva per piattaforme "
            "d'innovazione: smart cities e patrimonio culturale, con i suoi domini, e le altre "
            "applicazioni possibili.",
            "en": "The examples of cross-cutting ideas that can lever innovation platforms: smart "
            "cities and cultural heritage, with its domains, and the other possible applications.",
        },
    ),
    Kind(
        "action",
        "actions",
        {"it": "Azione coordinata", "en": "Coordinated action"},
        {"it": "Azioni coordinate", "en": "Coordinated actions"},
        {
            "it": "Le azioni più coordinate da cui dovranno emergere le opportunità: secondo il "
            "brief, «sono la chiave».",
            "en": "The more coordinated actions from which the opportunities must emerge: "
            "according to the brief, they 'are the key'.",
        },
    ),
    Kind(
        "concept",
        "concepts",
        {"it": "Concetto", "en": "Concept"},
        {"it": "Glossario", "en": "Glossary"},
        {
            "it": "I concetti su cui il brief si appoggia. Le definizioni che non vengono dal brief "
            "sono segnate come aggiunte, con la fonte.",
            "en": "The concepts the brief relies on. Definitions that do not come from the brief "
            "are marked as added, with their source.",
        },
    ),
    Kind(
        "slide",
        "slides",
        {"it": "Slide", "en": "Slide"},
        {"it": "Il testo del brief", "en": "The text of the brief"},
        {
            "it": "Il testo delle tre slide, ripulito dai danni dell'estrazione dal PDF, "
            "affermazione per affermazione: ognuna ha un'ancora stabile da citare.",
            "en": "The text of the three slides, cleaned of the PDF extraction damage, statement "
            "by statement: each has a stable anchor to cite.",
        },
    ),
)

KIND_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KIND_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS}

# ---------------------------------------------------------------------------------------------
# Relation types: written once, in the direction given here, on the page of `source` kinds;
# the inverse is derived (see catalog.link). Each label is a heading over a list of links, so
# it reads "Milano — Fa parte di: …" and, on the other page, "Comprende: Milano, …".
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationType:
    name: str
    sources: tuple[str, ...]  # kinds that may write it
    targets: tuple[str, ...]  # kinds it may point to
    forward: dict[str, str]
    inverse: dict[str, str]
    description: str  # for editors, shown by the schema


_ANY = tuple(k.name for k in KINDS if k.name not in ("slide", "concept"))

RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType(
        "nomina",
        ("move",),
        ("challenge",),
        {"it": "Nomina le sfide", "en": "Names the challenges"},
        {"it": "Nominata in", "en": "Named in"},
        "The challenges this move names.",
    ),
    RelationType(
        "tratto_di",
        ("challenge",),
        ("challenge",),
        {"it": "È un tratto di", "en": "Is a trait of"},
        {"it": "Ha come tratti", "en": "Has as traits"},
        "The phase or challenge this one is a trait of.",
    ),
    RelationType(
        "risponde_a",
        ("move", "platform", "action"),
        ("challenge",),
        {"it": "Risponde a", "en": "Responds to"},
        {"it": "Affrontata da", "en": "Addressed by"},
        "The challenges this entity responds to.",
    ),
    RelationType(
        "promuove",
        ("move",),
        ("platform",),
        {"it": "Promuove", "en": "Promotes"},
        {"it": "Promossa da", "en": "Promoted by"},
        "The platforms this move promotes.",
    ),
    RelationType(
        "scala_di",
        ("platform",),
        ("platform",),
        {"it": "È una scala di", "en": "Is a scale of"},
        {"it": "Si articola nelle scale", "en": "Is articulated in the scales"},
        "The platform concept this scale belongs to.",
    ),
    RelationType(
        "ha_generato",
        ("platform",),
        ("circle",),
        {"it": "Ha generato", "en": "Generated"},
        {"it": "Generato da", "en": "Generated by"},
        "The magic circles this platform generated.",
    ),
    RelationType(
        "parte_di",
        ("city",),
        ("circle",),
        {"it": "Fa parte di", "en": "Is part of"},
        {"it": "Comprende le città", "en": "Includes the cities"},
        "The magic circles this city is part of.",
    ),
    RelationType(
        "dominio_di",
        ("theme",),
        ("theme",),
        {"it": "È un dominio di", "en": "Is a domain of"},
        {"it": "Ha come domini", "en": "Has as domains"},
        "The theme this one is a domain of.",
    ),
    RelationType(
        "esempio_di",
        ("theme",),
        ("theme",),
        {"it": "È un esempio di", "en": "Is an example of"},
        {"it": "Ha come esempi", "en": "Has as examples"},
        "The group of applications this one is an example of.",
    ),
    RelationType(
        "leva_per",
        ("theme",),
        ("circle", "platform"),
        {"it": "È una leva per", "en": "Is a lever for"},
        {"it": "Ha come leve", "en": "Has as levers"},
        "The circles or platforms this theme can lever.",
    ),
    RelationType(
        "fa_emergere",
        ("action",),
        ("circle", "theme"),
        {"it": "Fa emergere", "en": "Brings out"},
        {"it": "Emerge da", "en": "Emerges from"},
        "The opportunities (circles, themes) this action must bring out.",
    ),
    RelationType(
        "coinvolge",
        ("action",),
        ("city",),
        {"it": "Coinvolge", "en": "Involves"},
        {"it": "Coinvolta in", "en": "Involved in"},
        "The cities this action involves.",
    ),
    RelationType(
        "richiama",
        _ANY,
        ("concept",),
        {"it": "Richiama i concetti", "en": "Draws on the concepts"},
        {"it": "Richiamato da", "en": "Drawn on by"},
        "The glossary concepts this entity draws on.",
    ),
)

RELATION_BY_NAME: dict[str, RelationType] = {r.name: r for r in RELATION_TYPES}


def relation_types_for(kind: str) -> list[RelationType]:
    """The relation types an entity of `kind` may write."""
    return [r for r in RELATION_TYPES if kind in r.sources]
