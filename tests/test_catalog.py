"""Step 3: linking. Inverse relations are derived once; lists follow the brief's order.

On a small data set of their own (LINKED), so that an editor's change to data/ leaves them alone;
the few that check the real brief's statements are marked `brief`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atlante import i18n, pipeline
from atlante.model import Catalog, Ref

from helpers import ROOT, synthetic_project

# One slide, and entities of six kinds citing it and linked to one another. The brief's order
# (where a statement names them) is neither the files' order nor the alphabet's.
LINKED = {
    "slides/slide-1.yaml": """
        id: slide-1
        title: "Slide 1: una prova"
        summary: Una slide di prova.
        number: 1
        numbered_in_source: false
        heading: Una prova
        statements:
          - id: sfide
            text: la globalizzazione, con i suoi tratti di connessione e di automazione, e la crisi
          - id: citta
            text: alcune città (Beta, Alfa) sedi privilegiate dei circoli
          - id: chiave
            text: le azioni coordinate sono la chiave
        en:
          title: "Slide 1: a test"
          summary: A test slide.
          heading: A test
          statements:
            sfide: {text: "globalisation, with its traits of connection and automation, and the crisis"}
            citta: {text: "some cities (Beta, Alfa) privileged seats of the circles"}
            chiave: {text: "coordinated actions are the key"}
        """,
    "challenges/globale.yaml": """
        id: globale
        title: Globalizzazione
        summary: La fase della globalizzazione.
        category: fase
        named_as: globalizzazione
        sources: [slide-1#sfide]
        en: {title: Globalisation, summary: The phase of globalisation., named_as: globalisation}
        """,
    "challenges/automazione.yaml": """
        id: automazione
        title: Automazione
        summary: Un tratto della globalizzazione.
        category: tratto
        named_as: automazione
        sources: [slide-1#sfide]
        relations:
          tratto_di: [challenge:globale]
        en: {title: Automation, summary: A trait of globalisation., named_as: automation}
        """,
    "challenges/connessione.yaml": """
        id: connessione
        title: Connessione
        summary: Un altro tratto della globalizzazione.
        category: tratto
        named_as: connessione
        sources: [slide-1#sfide]
        relations:
          tratto_di: [challenge:globale]
        en: {title: Connection, summary: Another trait of globalisation., named_as: connection}
        """,
    "moves/crisi.yaml": """
        id: crisi
        title: Crisi
        summary: Il blocco che nomina le sfide.
        label: crisi
        sources: [slide-1#sfide]
        relations:
          nomina: [challenge:globale]
        en: {title: Crisis, summary: The block naming the challenges., label: crisis}
        """,
    "circles/circolo.yaml": """
        id: circolo
        title: Il circolo
        summary: Un circolo che comprende due città.
        period: storico
        named_as: circoli
        sources: [slide-1#citta]
        relations:
          richiama: [concept:zeta]
        en: {title: The circle, summary: A circle with two cities., named_as: circles}
        """,
    "cities/alfa.yaml": """
        id: alfa
        title: Alfa
        summary: La seconda città dell'elenco.
        region: Lombardia
        coordinates: {lat: 45.5, lon: 9.25}
        sources: [slide-1#citta]
        relations:
          parte_di: [circle:circolo]
        added:
          - fields: [region, coordinates]
            source: Una fonte di prova
        en: {title: Alfa, summary: The second city of the list., added: [{source: A test source}]}
        """,
    "cities/beta.yaml": """
        id: beta
        title: Beta
        summary: La prima città dell'elenco.
        region: Piemonte
        coordinates: {lat: 45, lon: 7.5}
        sources: [slide-1#citta]
        relations:
          parte_di: [circle:circolo]
        added:
          - fields: [region, coordinates]
            source: Una fonte di prova
        en: {title: Beta, summary: The first city of the list., added: [{source: A test source}]}
        """,
    "actions/piani.yaml": """
        id: piani
        title: Piani
        summary: Un'azione coordinata.
        named_as: azioni coordinate
        sources: [slide-1#chiave]
        relations:
          risponde_a: [challenge:globale]
          coinvolge: [city:alfa]
          richiama: [concept:chiave]
        en: {title: Plans, summary: A coordinated action., named_as: coordinated actions}
        """,
    "concepts/zeta.yaml": """
        id: zeta
        title: Zeta
        summary: Il primo concetto nel brief, l'ultimo nell'alfabeto.
        named_as: circoli
        sources: [slide-1#citta]
        en: {title: Zeta, summary: The first concept in the brief., named_as: circles}
        """,
    "concepts/chiave.yaml": """
        id: chiave
        title: Chiave
        summary: L'ultimo concetto nel brief, il primo nell'alfabeto.
        named_as: chiave
        sources: [slide-1#chiave]
        en: {title: Key, summary: The last concept in the brief., named_as: key}
        """,
}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with LINKED as its data."""
    return synthetic_project(tmp_path_factory.mktemp("linked"), LINKED)


@pytest.fixture(scope="module")
def catalog(linked: Path) -> Catalog:
    """LINKED's catalog (read only); its data is valid, with no warning."""
    result = pipeline.linked(linked)
    assert result.findings == [] and result.catalog is not None, [str(f) for f in result.findings]
    return result.catalog


def links(catalog: Catalog, ref: str, lang: str = "it") -> dict[str, list[str]]:
    """The entity's links under their headings in `lang`: the catalog keeps types, the words come at render."""
    translation = i18n.load(ROOT)[0][lang]
    entity = catalog.get(Ref.parse(ref))  # type: ignore[arg-type]
    assert entity is not None
    grouped: dict[str, list[str]] = {}
    for link in entity.links:
        grouped.setdefault(translation.relation(link.type, link.inverse), []).append(str(link.target.ref))
    return grouped


def test_a_relation_written_once_appears_on_both_pages(catalog: Catalog) -> None:
    assert links(catalog, "city:alfa") == {
        "Fa parte di": ["circle:circolo"],
        "Coinvolta in": ["action:piani"],
    }
    assert links(catalog, "circle:circolo") == {
        "Richiama i concetti": ["concept:zeta"],
        "Comprende le città": ["city:beta", "city:alfa"],  # in the brief's order, not the files'
    }


def test_inverse_labels_read_in_italian(catalog: Catalog) -> None:
    assert links(catalog, "challenge:globale") == {
        "Ha come tratti": ["challenge:connessione", "challenge:automazione"],
        "Nominata in": ["move:crisi"],
        "Affrontata da": ["action:piani"],
    }


def test_the_catalog_holds_types_and_directions_and_headings_come_in_each_language(catalog: Catalog) -> None:
    alfa = catalog.get(Ref("city", "alfa"))
    assert alfa is not None
    assert [(ln.type, ln.inverse) for ln in alfa.links] == [("parte_di", False), ("coinvolge", True)]
    assert not hasattr(alfa.links[0], "label")
    assert links(catalog, "city:alfa", "en") == {
        "Is part of": ["circle:circolo"],
        "Involved in": ["action:piani"],
    }


def test_statements_carry_their_translations(catalog: Catalog) -> None:
    statement = catalog.statements["slide-1#citta"]
    assert statement.text_in("it") == statement.text
    assert statement.text_in("en") == "some cities (Beta, Alfa) privileged seats of the circles"
    assert statement.translated("en")


def test_kinds_are_listed_in_the_order_of_the_brief(catalog: Catalog) -> None:
    assert [e.id for e in catalog.by_kind["challenge"]] == ["globale", "connessione", "automazione"]
    assert [e.id for e in catalog.by_kind["city"]] == ["beta", "alfa"]


def test_glossary_is_alphabetical(catalog: Catalog) -> None:
    assert [e.title for e in catalog.by_kind["concept"]] == ["Chiave", "Zeta"]  # the brief names Zeta first


def test_statements_know_who_represents_them(catalog: Catalog) -> None:
    statement = catalog.statements["slide-1#citta"]
    assert statement.number == "1.2"
    assert [str(e.ref) for e in statement.represented_by] == [
        "city:beta", "city:alfa", "circle:circolo", "concept:zeta",  # where the statement names each; a tie by kind
    ]


@pytest.mark.brief
def test_every_statement_of_the_brief_is_represented(real_run: dict[str, pipeline.Result]) -> None:
    real = real_run["it"].catalog
    assert real is not None
    assert [ref for ref, st in real.statements.items() if not st.represented_by] == []
    assert len(real.statements) == 4 + 7 + 7


def test_catalog_is_rebuilt_from_scratch_on_every_run(linked: Path) -> None:
    first = pipeline.run(linked).catalog
    second = pipeline.run(linked).catalog
    assert first is not None and second is not None
    alfa_1, alfa_2 = first.get(Ref("city", "alfa")), second.get(Ref("city", "alfa"))
    assert alfa_1 is not alfa_2 and len(alfa_1.links) == len(alfa_2.links) == 2  # type: ignore[union-attr]


def test_the_core_imports_nothing_from_mkdocs() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from atlante import pipeline, cli, sanitize; "
        "pipeline.run(__import__('pathlib').Path(sys.argv[1])); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
