"""Step 3: linking. Inverse relations are derived once; lists follow the brief's order."""

from __future__ import annotations

from pathlib import Path

from atlante import i18n, pipeline
from atlante.model import Catalog, Ref

from helpers import ROOT


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
    assert links(catalog, "city:milano") == {
        "Fa parte di": ["circle:circoli-magici-del-made-in-italy"],
        "Coinvolta in": ["action:piani-strategici-delle-citta-maggiori"],
    }
    assert links(catalog, "circle:circoli-magici-del-made-in-italy")["Comprende le città"] == [
        "city:milano", "city:torino", "city:verona", "city:bologna", "city:firenze", "city:roma",
    ]


def test_inverse_labels_read_in_italian(catalog: Catalog) -> None:
    assert links(catalog, "challenge:globalizzazione") == {
        "Ha come tratti": [
            "challenge:iper-connessione", "challenge:automazione",
            "challenge:socializzazione-di-rete", "challenge:ri-personalizzazione",
        ],
        "Nominata in": ["move:crisi"],
        "Affrontata da": [
            "move:varieta-organizzativo-territoriale", "move:transizione",
            "platform:piattaforme-pubbliche-d-innovazione", "move:centralita-delle-citta",
        ],
    }


def test_the_catalog_holds_types_and_directions_and_headings_come_in_each_language(catalog: Catalog) -> None:
    milano = catalog.get(Ref("city", "milano"))
    assert milano is not None
    assert [(ln.type, ln.inverse) for ln in milano.links] == [("parte_di", False), ("coinvolge", True)]
    assert not hasattr(milano.links[0], "label")
    assert links(catalog, "city:milano", "en") == {
        "Is part of": ["circle:circoli-magici-del-made-in-italy"],
        "Involved in": ["action:piani-strategici-delle-citta-maggiori"],
    }


def test_statements_carry_their_translations(catalog: Catalog) -> None:
    statement = catalog.statements["slide-3#gia-funzionato"]
    assert statement.text_in("it") == statement.text
    assert statement.text_in("en").startswith("They have already worked!")
    assert statement.translated("en")


def test_kinds_are_listed_in_the_order_of_the_brief(catalog: Catalog) -> None:
    assert [e.id for e in catalog.by_kind["move"]] == [
        "crisi", "varieta-organizzativo-territoriale", "transizione", "centralita-delle-citta",
    ]
    assert [e.id for e in catalog.by_kind["theme"] if e.data["category"] == "dominio"] == [
        "agri-food", "energia", "mobilita", "edilizia-verde", "conservazione",
    ]
    assert [e.id for e in catalog.by_kind["action"]] == [
        "piani-strategici-delle-citta-maggiori", "investimenti-delle-imprese-maggiori",
        "politiche-per-i-distretti-industriali", "politiche-di-sistema-nazionale", "sfruttamento-di-eventi-globali",
    ]


def test_glossary_is_alphabetical(catalog: Catalog) -> None:
    titles = [e.title for e in catalog.by_kind["concept"]]
    assert titles == sorted(titles, key=str.casefold)


def test_statements_know_who_represents_them(catalog: Catalog) -> None:
    statement = catalog.statements["slide-3#intelaiatura"]
    assert statement.number == "3.7"
    assert [str(e.ref) for e in statement.represented_by] == [
        "circle:circoli-magici-del-made-in-italy", "concept:circolo-magico", "platform:piattaforme-naturali",
    ]


def test_every_statement_is_represented(catalog: Catalog) -> None:
    assert [ref for ref, st in catalog.statements.items() if not st.represented_by] == []
    assert len(catalog.statements) == 4 + 7 + 7


def test_catalog_is_rebuilt_from_scratch_on_every_run(tmp_path: Path) -> None:
    first = pipeline.run(ROOT).catalog
    second = pipeline.run(ROOT).catalog
    assert first is not None and second is not None
    milano_1, milano_2 = first.get(Ref("city", "milano")), second.get(Ref("city", "milano"))
    assert milano_1 is not milano_2 and len(milano_1.links) == len(milano_2.links) == 2  # type: ignore[union-attr]


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
