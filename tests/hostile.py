"""The corpus of hostile data: each case mutates a copy of the real project and says what must happen.

A case is either REJECTED (the exact error lines `atlante check` prints, which the build must print
too before stopping) or NEUTRALISED (the build succeeds and the listed pages carry no active markup).
`expected.json` beside this file holds the exact lines; regenerate it after an intended change with
ATLANTE_UPDATE_HOSTILE=1 and read the diff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Mutation = Callable[[Path], None]

MILANO = "data/cities/milano.yaml"
PROVA = "data/themes/prova.yaml"

# A valid, linked new entity: cases below break one thing in it at a time.
VALID = """\
id: prova
title: Prova
summary: Un caso di prova.
category: applicazione
sources: [slide-4#altre-applicazioni]
relations:
  esempio_di: [theme:altre-applicazioni-possibili]
en:
  title: Test
  summary: A test case.
"""


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    mutate: Mutation
    neutralised: tuple[str, ...] = ()  # pages to inspect when the content is allowed but made inert
    marker: str = "pwned"  # what injected script would print or alert
    notes: str = ""

    @property
    def rejected(self) -> bool:
        return not self.neutralised


def put(rel: str, content: str | bytes) -> Mutation:
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


def edit(rel: str, old: str, new: str) -> Mutation:
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return apply


def prova(old: str, new: str) -> Mutation:
    """The valid new entity with `old` replaced by `new`."""
    assert VALID.count(old) == 1, old
    return put(PROVA, VALID.replace(old, new))


def link(rel: str, target: str) -> Mutation:
    """`rel` made a symbolic link to `target` (relative to the link's folder, or absolute; "{outside}"
    stands for a file written beside the project, outside it, holding a valid city)."""
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        if "{outside}" in target:
            outside = project.parent / "outside.yaml"
            outside.write_text(_city("fuori", "Fuori", "Outside", 45.4642, 9.19), encoding="utf-8")
            os.symlink(str(outside), path)
        else:
            os.symlink(target, path)
    return apply


def special(rel: str, what: str) -> Mutation:
    """`rel` made a named pipe ("fifo"), a UNIX socket ("socket") or a folder ("folder"),
    in place of any file there."""
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() or path.is_symlink():
            path.unlink()
        if what == "fifo":
            os.mkfifo(path)
        elif what == "socket":
            with contextlib.chdir(path.parent), socket.socket(socket.AF_UNIX) as server:  # (a socket's path: ~100 bytes)
                server.bind(path.name)  # the socket file stays once the socket is closed
        else:
            path.mkdir()
    return apply


def moved_folder(rel: str) -> Mutation:
    """The folder `rel` moved beside the project and a symbolic link left in its place."""
    def apply(project: Path) -> None:
        path = project / rel
        away = project.parent / f"away-{path.name}"
        shutil.move(str(path), str(away))
        os.symlink(str(away), path)
    return apply


def both(*mutations: Mutation) -> Mutation:
    def apply(project: Path) -> None:
        for m in mutations:
            m(project)
    return apply


# The cities' region and English title, where a body goes in. The accepted cases are spread over
# the cities, so that they touch different lines and are all built by one project (test_hostile.py)
CITIES = {"milano": ("Lombardia", "Milan"), "torino": ("Piemonte", "Turin"), "roma": ("Lazio", "Rome"),
          "firenze": ("Toscana", "Florence"), "bologna": ("Emilia-Romagna", "Bologna")}


def city(stem: str) -> str:
    return f"data/cities/{stem}.yaml"


def body(markdown: str, english: str = "An English body.", stem: str = "milano") -> Mutation:
    """A city (Milano unless said) with a Markdown body (written as a literal block), and its English translation."""
    region, title = CITIES[stem]
    indented = "".join(f"  {line}\n" for line in markdown.splitlines())
    translated = "".join(f"    {line}\n" for line in english.splitlines())
    return both(edit(city(stem), f"region: {region}\n", f"body: |\n{indented}region: {region}\n"),
                edit(city(stem), f'  title: "{title}"\n', f'  title: "{title}"\n  body: |\n{translated}'))


def _city(stem: str, title: str, english: str, lat: float, lon: float) -> str:
    """A valid new city of the magic circles at (lat, lon) in Lombardy."""
    return f"""\
id: {stem}
title: {title}
summary: Una città di prova nel posto di Milano.
region: Lombardia
coordinates: {{lat: {lat}, lon: {lon}}}
sources: [slide-3#citta-sedi]
relations:
  parte_di: [circle:circoli-magici-del-made-in-italy]
added:
  - fields: [region, coordinates]
    source: Prova
en:
  title: {english}
  summary: A test city at Milan's place.
  added:
    - source: Test
"""


def _billion_laughs() -> str:
    lines = ['id: prova', 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def open_slide() -> str:
    """A new slide numbered 2, as slide-2 is."""
    return """\
id: slide-9
title: Slide 9
summary: Una slide di prova.
number: 2
numbered_in_source: false
heading: null
statements:
  - id: prova
    text: Una prova.
en:
  title: Slide 9
  summary: A test slide.
  statements:
    prova:
      text: A test.
"""


CASES: list[Case] = [
    # -- YAML that is not valid ---------------------------------------------------------------
    Case("unclosed-quote", "yaml", prova("title: Prova", 'title: "Prova')),
    Case("tab-indentation", "yaml", prova("  esempio_di:", "\tesempio_di:")),
    Case("bad-indentation", "yaml", prova("  esempio_di:", "   esempio_di: []\n  richiama: []")),
    Case("duplicate-key", "yaml", prova("category: applicazione", "category: applicazione\ntitle: Doppio")),
    Case("document-is-a-list", "yaml", put(PROVA, "- id: prova\n- title: Prova\n")),
    Case("document-is-a-scalar", "yaml", put(PROVA, "prova\n")),
    Case("empty-file", "yaml", put(PROVA, "")),
    Case("several-documents", "yaml", put(PROVA, VALID + "---\n" + VALID)),
    # -- YAML that is dangerous ---------------------------------------------------------------
    Case("python-object-tag", "dangerous", prova("title: Prova", "title: !!python/object/apply:os.system ['echo pwned']")),
    Case("python-name-tag-on-key", "dangerous", prova("title: Prova", "? !!python/name:os.system\n: x\ntitle: Prova")),
    Case("custom-tag", "dangerous", prova("title: Prova", "title: !include /etc/passwd")),
    Case("billion-laughs", "dangerous", put(PROVA, _billion_laughs())),
    Case("deep-nesting", "dangerous", prova("title: Prova", "title: " + "[" * 5000 + "]" * 5000)),
    Case("twenty-megabytes", "dangerous", put(PROVA, VALID + "body: |\n" + ("  " + "x" * 98 + "\n") * 200_000)),
    Case("merge-key", "dangerous", prova("title: Prova", "<<: {title: Prova}")),
    # -- Encoding -----------------------------------------------------------------------------
    Case("invalid-utf8", "encoding", put(PROVA, VALID.replace("Prova", "Prov\xe0").encode("latin-1"))),
    Case("byte-order-mark", "encoding", put(PROVA, "\ufeff" + VALID), neutralised=("themes/prova",)),
    Case("zero-width-in-id", "encoding", prova("id: prova", "id: pro\u200bva")),
    Case("zero-width-in-title", "encoding", prova("title: Prova", "title: Pro\u200bva")),
    Case("bidi-override-in-title", "encoding", prova("title: Prova", "title: Prova \u202eavorP")),
    Case("bidi-isolate-in-reference", "encoding", prova("[theme:altre-applicazioni-possibili]", "[\"theme:altre-applicazioni-possibili\u2066\"]")),
    Case("control-character-in-summary", "encoding", prova("summary: Un caso di prova.", 'summary: "Un caso\\u0007 di prova."')),
    # -- Schema -------------------------------------------------------------------------------
    Case("missing-field", "schema", prova("summary: Un caso di prova.\n", "")),
    Case("unknown-field-near-miss", "schema", prova("title: Prova", "titel: Prova")),
    Case("wrong-type", "schema", prova("title: Prova", "title: [Prova]")),
    Case("date-where-text-is-expected", "schema", prova("summary: Un caso di prova.", "summary: 2024-02-30")),
    Case("coordinates-out-of-range", "schema", edit(MILANO, "lat: 45.4642", "lat: 91")),
    Case("coordinates-not-numbers", "schema", edit(MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: 45.4642 N, 9.1900 E")),
    Case("id-differs-from-file-name", "schema", prova("id: prova", "id: prove")),
    Case("id-with-path-separator", "schema", prova("id: prova", "id: ../../etc/passwd")),
    Case("file-name-with-dots", "schema", put("data/themes/pro..va.yaml", VALID.replace("id: prova", "id: pro..va"))),
    Case("id-index-takes-the-kind-index", "schema", put("data/themes/index.yaml", VALID.replace("id: prova", "id: index"))),
    Case("id-taken-by-hand-written-page", "schema", put("docs/cities/milano.md", "# Milano\n")),
    Case("hand-written-home-page", "schema", put("docs/index.md", "# Home\n")),
    Case("hand-written-page-at-a-kind-address", "schema", put("docs/cities.md", "# Città\n")),
    Case("hand-written-readme-at-an-entity-address", "schema", put("docs/cities/roma/README.md", "# Roma\n")),
    Case("hand-written-tag-index", "schema", put("docs/tag.md", "# Tag\n\n<!-- material/tags -->\n")),
    Case("hand-written-page-at-a-tag-address", "schema", put("docs/en/tag/citta.md", "# Cities\n")),
    # -- References ---------------------------------------------------------------------------
    Case("dangling-reference", "references", prova("theme:altre-applicazioni-possibili", "theme:altre-applicazioni")),
    Case("reference-of-the-wrong-kind", "references", prova("theme:altre-applicazioni-possibili", "city:milano")),
    Case("reference-to-an-unknown-kind", "references", prova("theme:altre-applicazioni-possibili", "tema:altre-applicazioni-possibili")),
    Case("self-reference", "references", prova("theme:altre-applicazioni-possibili", "theme:prova")),
    Case("duplicate-relation", "references", prova("[theme:altre-applicazioni-possibili]", "[theme:altre-applicazioni-possibili, theme:altre-applicazioni-possibili]")),
    Case("unknown-relation-type", "references", prova("esempio_di:", "esempio-di:")),
    Case("unknown-statement", "references", prova("slide-4#altre-applicazioni", "slide-4#altre-applicazione")),
    # -- Files the loader would skip ----------------------------------------------------------
    Case("yml-extension", "files", put("data/themes/prova.yml", VALID)),
    Case("upper-case-extension", "files", put("data/themes/prova.YAML", VALID)),
    Case("file-directly-in-data", "files", put("data/prova.yaml", VALID)),
    Case("hidden-file", "files", put("data/themes/.prova.yaml", VALID)),
    Case("unknown-folder", "files", put("data/temi/prova.yaml", VALID)),
    Case("file-in-a-sub-folder", "files", put("data/themes/bozze/prova.yaml", VALID)),
    # -- Markup: rejected where a rule forbids it ---------------------------------------------
    Case("javascript-link-in-body", "markup", body("[clic](javascript:alert('pwned'))")),
    Case("data-url-link-in-body", "markup", body("[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduZWQnKTwvc2NyaXB0Pg==)")),
    Case("vbscript-link-in-body", "markup", body("[clic](vbscript:msgbox(\"pwned\"))")),
    Case("reference-link-to-javascript", "markup", body("[clic][a]\n\n[a]: javascript:alert('pwned')")),
    Case("autolink-to-javascript", "markup", body("<javascript:alert('pwned')>")),
    Case("javascript-in-source-url", "markup", edit(MILANO, "url: https://it.wikipedia.org/wiki/Milano", "url: javascript:alert('pwned')")),
    Case("markup-in-a-tag", "markup", edit(MILANO, "tags: [citta, circoli-magici]", "tags: [citta, \"<script>alert('pwned')</script>\"]")),
    Case("http-link-in-body", "markup", body("[fonte](http://example.org/)")),
    # The one link policy (links.py) reads raw HTML too, character references decoded, as the sanitiser does
    Case("obfuscated-javascript-href-in-body", "markup", body("<a href=\"java&#115;cript:alert('pwned')\">clic</a> <a href=\" javascript:alert('pwned')\">clic</a>")),
    Case("remote-image-in-body", "markup", body("Testo.\n\n![traccia](https://example.org/pixel.png)")),
    Case("remote-image-by-reference-in-body", "markup", body("![traccia][p]\n\n[p]: https://example.org/pixel.png")),
    Case("remote-image-in-html-block", "markup", body("<div>\n<img src=\"https://example.org/pixel.png\">\n</div>")),
    # -- Markup: neutralised where the content is allowed -------------------------------------
    Case("script-in-title", "markup", edit(MILANO, 'title: "Milano"', "title: \"Milano</title><script>alert('pwned')</script>\""),
         neutralised=("cities/milano", "circles/circoli-magici-del-made-in-italy", "cities", "tag/citta")),
    # a tag's name is in the translation file: the tag index, its page and the chips show it
    Case("markup-in-a-tag-name", "markup", edit("overrides/atlante/i18n/it.yaml", "  citta: città\n",
                                                "  citta: \"città</a><img src=x onerror=alert('pwned')>\"\n"),
         neutralised=("tag", "tag/citta", "cities/milano")),
    Case("markup-in-summary", "markup", edit(MILANO, "\nsummary: >-\n", "\nsummary: >-\n  <img src=x onerror=\"alert('pwned')\"> *[x](javascript:alert('pwned'))*\n"),
         neutralised=("cities/milano", "circles/circoli-magici-del-made-in-italy")),
    Case("markup-in-statement", "markup", edit("data/slides/slide-3.yaml", "    text: Già hanno funzionato!", "    text: <script>console.log('pwned')</script> Già hanno funzionato!"),
         neutralised=("slides/slide-3", "circles/circoli-magici-del-made-in-italy")),
    Case("markup-in-source-name", "markup", edit(MILANO, 'source: "Wikipedia, voce', 'source: "<svg onload=alert(\'pwned\')>Wikipedia, voce'),
         neutralised=("cities/milano",)),
    Case("markup-in-a-label", "markup", edit("data/moves/transizione.yaml", "label: transizione", "label: \"transizione<img src=x onerror=alert('pwned')>\""),
         neutralised=("moves/transizione", "moves")),
    Case("markup-in-a-slide-heading-and-label", "markup", both(
        edit("data/slides/slide-3.yaml", "heading: A proposito", "heading: <script>alert('pwned')</script> A proposito"),
        edit("data/slides/slide-2.yaml", "    label: crisi", "    label: \"crisi</a><script>alert('pwned')</script>\"")),
         neutralised=("slides/slide-3", "slides/slide-2", "challenges/globalizzazione")),
    Case("markup-in-a-correction", "markup", edit("data/slides/slide-4.yaml", "corrected: lo sfruttamento", "corrected: \"lo sfruttamento <script>alert('pwned')</script>\""),
         neutralised=("slides/slide-4",)),
    Case("script-block-in-body", "markup", body("Testo.\n\n<script>alert('pwned')</script>\n\n<style>body{display:none}</style>"),
         neutralised=("cities/milano",)),
    Case("event-handlers-in-body", "markup", body("<img src=\"../torino.graph.png\" onerror=\"alert('pwned')\">\n\n<b onmouseover=\"alert('pwned')\">passa qui</b>", stem="torino"),
         neutralised=("cities/torino",)),
    Case("html-block-in-body", "markup", body("<div onclick=\"alert('pwned')\"><iframe src=\"https://example.org/\"></iframe><form action=\"https://example.org/\"><input name=x></form></div>", stem="roma"),
         neutralised=("cities/roma",)),
    Case("attribute-list-in-body", "markup", body("Paragrafo.\n{: onclick=\"alert('pwned')\" style=\"position:fixed;inset:0\" }", stem="firenze"),
         neutralised=("cities/firenze",)),
    Case("heading-and-fence-smuggled-in-summary", "markup",
         put("data/themes/recinto.yaml", VALID.replace("id: prova", "id: recinto").replace(
             "summary: Un caso di prova.", 'summary: "Riga\\n# Titolo finto\\n```\\n<script>alert(\'pwned\')</script>"')),
         neutralised=("themes/recinto", "themes/altre-applicazioni-possibili")),
    # -- The English edition: language blocks held to the same rules ---------------------------
    Case("english-field-the-original-lacks", "translation", prova("  summary: A test case.", "  summary: A test case.\n  body: More than the original.")),
    Case("unknown-language-block", "translation", put(PROVA, VALID + "de:\n  title: Probe\n")),
    Case("statement-translation-of-an-unknown-statement", "translation",
         edit("data/slides/slide-3.yaml", "\n    gia-funzionato:\n", "\n    gia-funzionat:\n")),
    Case("translation-block-is-a-list", "translation", put(PROVA, VALID.split("en:")[0] + "en: [Test, A test case.]\n")),
    Case("javascript-link-in-english-body", "translation", body("Testo.", "[clic](javascript:alert('pwned'))")),
    Case("invisible-character-in-english-title", "translation", prova("  title: Test", "  title: Te\u200bst")),
    Case("markup-in-english-title", "translation", edit(MILANO, '  title: "Milan"', "  title: \"Milan</title><script>alert('pwned')</script>\""),
         neutralised=("en/cities/milano", "en/circles/circoli-magici-del-made-in-italy", "en/cities")),
    Case("markup-in-english-statement", "translation",
         edit("data/slides/slide-3.yaml", "    gia-funzionato:\n      text: ", "    gia-funzionato:\n      text: <img src=x onerror=\"alert('pwned')\"> "),
         neutralised=("en/slides/slide-3", "en/circles/circoli-magici-del-made-in-italy")),
    Case("script-in-english-body", "translation", body("Testo.", "Text.\n\n<script>alert('pwned')</script>\n\n<b onmouseover=\"alert('pwned')\">here</b>", stem="bologna"),
         neutralised=("en/cities/bologna", "cities/bologna")),
    # -- Maps and graphs: places that cannot be drawn are refused, odd shapes still draw -------
    Case("city-outside-italy", "figures", edit(MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: {lat: 48.8566, lon: 2.3522}")),
    Case("city-coordinates-swapped", "figures", edit(MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: {lat: 9.1900, lon: 45.4642}")),
    Case("city-in-another-region", "figures", edit(MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: {lat: 41.8933, lon: 12.4829}")),
    Case("city-without-coordinates", "figures", edit(MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}\n", "")),
    Case("two-cities-at-one-point", "figures", put("data/cities/gemella.yaml", _city("gemella", "Gemella", "Twin", 45.4642, 9.19)),
         neutralised=("cities", "", "cities/gemella", "circles/circoli-magici-del-made-in-italy")),
    Case("relation-cycle", "figures", edit("data/themes/smart-cities-e-patrimonio-culturale.yaml", "relations:\n  leva_per:",
                                           "relations:\n  dominio_di:\n    - theme:agri-food\n  leva_per:"),
         neutralised=("themes/agri-food", "themes/smart-cities-e-patrimonio-culturale", "concept-map")),
    Case("fifty-relations", "figures", both(*(put(f"data/themes/prova-{i}.yaml", VALID.replace("prova", f"prova-{i}").replace("Prova", f"Prova {i}").replace("Test", f"Test {i}"))
                                              for i in range(50))),
         neutralised=("themes/altre-applicazioni-possibili", "concept-map", "")),
    Case("markup-in-a-city-name", "figures", both(
        edit(city("torino"), 'title: "Torino"', "title: \"Torino<script>alert('pwned')</script>\""),
        edit(city("torino"), 'title: "Turin"', "title: \"Turin</text><script>alert('pwned')</script>\"")),
         neutralised=("cities", "", "cities/torino", "en/cities/torino", "concept-map", "en/concept-map",
                      "circles/circoli-magici-del-made-in-italy")),
    # -- One cause, one message: a file that cannot be read is not also "unknown" where referenced
    Case("half-written-file-that-others-reference", "encoding",
         lambda project: (project / MILANO).write_text((project / MILANO).read_text(encoding="utf-8")[:200], encoding="utf-8")),
    Case("half-written-slide-that-others-cite", "encoding",
         lambda project: (project / "data/slides/slide-3.yaml").write_text(
             (project / "data/slides/slide-3.yaml").read_text(encoding="utf-8")[:700], encoding="utf-8")),
    # -- Outputs: every format the site writes (citations, metadata, open data) stays well formed
    Case("syntax-of-every-output-in-a-title", "outputs", both(
        edit(city("roma"), 'title: "Roma"', 'title: "Roma \\"q\\" {graffa} \\\\barra %x #y $z &w ~ ^ _ ]]> </script><script>alert(\'pwned\')</script>"'),
        edit(city("roma"), 'title: "Rome"', 'title: "Rome @{x, y = {z}} \\"}\\n\\tER  - </title><script>alert(\'pwned\')</script>"')),
         neutralised=("cities/roma", "en/cities/roma")),
    Case("record-separators-in-a-title", "outputs", edit(city("firenze"), 'title: "Firenze"', 'title: "Firenze\\nER  - \\nTY  - JOUR\\nTI  - pwned\\n}\\n@misc{pwned,"'),
         neutralised=("cities/firenze",)),
    Case("spreadsheet-formulas-in-texts", "outputs", both(
        edit(city("bologna"), "\nsummary: >-\n", "\nsummary: >-\n  =HYPERLINK(\"https://example.org/?pwned\";\"clic\") \n"),
        edit(city("bologna"), "\n  summary: >-\n", "\n  summary: >-\n    @SUM(1+1)*cmd|' /C calc'!A0 \n")),
         neutralised=("cities/bologna", "en/cities/bologna")),
    Case("json-and-xml-breakers-in-a-statement", "outputs",
         edit("data/slides/slide-3.yaml", "  - id: senza-distretti\n    text: >-\n",  # a folded block keeps them as they are
              '  - id: senza-distretti\n    text: >-\n      "}]}, ]]> <![CDATA[ &amp; </script>\n'),
         neutralised=("slides/slide-3", "circles/circoli-magici-del-made-in-italy")),
    # -- Aliases: retired ids become redirects, so they must be free, unique and plain ------
    Case("alias-takes-a-live-id", "aliases", edit(MILANO, "id: milano\n", "id: milano\naliases: [roma]\n")),
    Case("alias-claimed-twice", "aliases", both(edit(MILANO, "id: milano\n", "id: milano\naliases: [capitale]\n"),
                                                 edit("data/cities/roma.yaml", "id: roma\n", "id: roma\naliases: [capitale]\n"))),
    Case("alias-is-a-path", "aliases", edit(MILANO, "id: milano\n", "id: milano\naliases: [../../../tmp/pwned]\n")),
    Case("alias-with-markup", "aliases", edit(MILANO, "id: milano\n", "id: milano\naliases: [\"<script>alert('pwned')</script>\"]\n")),
    # -- Files that are not files: only regular files inside the project are read, none blocks -------
    Case("symlink-to-a-yaml-file-outside", "filesystem", link("data/cities/fuori.yaml", "{outside}")),
    Case("symlink-to-a-data-file-inside", "filesystem", link("data/themes/copia.yaml", "energia.yaml")),
    Case("dangling-symlink", "filesystem", link("data/concepts/sparito.yaml", "nowhere.yaml")),
    Case("symlink-loop", "filesystem", link("data/actions/anello.yaml", "anello.yaml")),
    Case("symlinked-kind-folder", "filesystem", moved_folder("data/circles")),
    Case("named-pipe-as-a-data-file", "filesystem", special("data/themes/tubo.yaml", "fifo")),
    Case("socket-as-a-data-file", "filesystem", special("data/themes/presa.yaml", "socket")),
    Case("folder-named-like-a-data-file", "filesystem", special("data/themes/cartella.yaml", "folder")),
    Case("data-file-replaced-by-a-pipe", "filesystem", special(MILANO, "fifo")),
    Case("symlink-among-the-pages", "filesystem", link("docs/segreto.md", "/etc/hostname")),
    Case("named-pipe-among-the-pages", "filesystem", special("docs/en/tubo.md", "fifo")),
    Case("symlinked-template", "filesystem", link("overrides/partials/copyright.html", "/etc/hostname")),
    Case("translation-file-is-a-pipe", "filesystem", special("overrides/atlante/i18n/en.yaml", "fifo")),
    Case("schema-is-a-symlink", "filesystem", link("data/schema/theme.schema.json", "city.schema.json")),
    Case("named-pipe-among-the-schemas", "filesystem", special("data/schema/extra.schema.json", "fifo")),
    # -- Schemas: a $ref is a pointer into the schema or into a schema file beside it; nothing is fetched
    Case("remote-ref-in-a-schema", "schemas", edit("data/schema/theme.schema.json", '"aliases": {\n      "$ref": "envelope.schema.json#/$defs/aliases"',
                                                  '"aliases": {\n      "$ref": "https://example.org/evil.schema.json#/x"')),
    Case("absolute-file-ref-in-a-schema", "schemas", edit("data/schema/theme.schema.json", '"aliases": {\n      "$ref": "envelope.schema.json#/$defs/aliases"',
                                                         '"aliases": {\n      "$ref": "/etc/passwd#/x"')),
    Case("ref-to-a-missing-schema-file", "schemas", edit("data/schema/theme.schema.json", '"aliases": {\n      "$ref": "envelope.schema.json#/$defs/aliases"',
                                                        '"aliases": {\n      "$ref": "../../hooks/envelope.schema.json#/$defs/aliases"')),
    # -- Text is text: no lone surrogate, noncharacter or control character (XML forbids them) ------
    Case("lone-surrogate-in-a-title", "characters", prova("title: Prova", 'title: "Pro\\uD800va"')),
    Case("lone-low-surrogate-in-an-english-summary", "characters", prova("  summary: A test case.", '  summary: "A test\\uDFFF case."')),
    Case("noncharacter-fffe-in-a-summary", "characters", prova("summary: Un caso di prova.", 'summary: "Un caso\\uFFFE di prova."')),
    Case("noncharacter-in-plane-one-in-a-body", "characters", prova("category: applicazione", 'category: applicazione\nbody: "Testo \\U0001FFFF."')),
    Case("noncharacter-fdd0-in-a-tag-name", "characters", edit("overrides/atlante/i18n/it.yaml", "  citta: città\n", '  citta: "città\\uFDD0"\n')),
    Case("c1-control-in-a-statement", "characters", edit("data/slides/slide-3.yaml", "    text: Già hanno funzionato! – i «circoli magici» del made in Italy\n",
                                                          '    text: "Già hanno\\u009b funzionato! – i «circoli magici» del made in Italy"\n')),
    Case("delete-character-in-a-label", "characters", edit("data/moves/transizione.yaml", "label: transizione", 'label: "transi\\x7fzione"')),
    Case("carriage-return-in-an-english-title", "characters", prova("  title: Test", '  title: "Te\\rst"')),
    Case("lone-surrogate-in-a-translation-file", "characters", edit("overrides/atlante/i18n/en.yaml", "  home: Home\n", '  home: "Ho\\uDC00me"\n')),
    # -- Markdown that Python-Markdown would take minutes over, or recurse out of ----------------
    Case("thousands-of-brackets-in-a-body", "markdown", body("[" * 6000 + " *a* _b_" * 20)),
    Case("thousands-of-brackets-in-an-english-body", "markdown", body("Testo.", "[a" * 4000, stem="torino")),
    Case("unclosed-link-destinations-in-a-body", "markdown", body("[x](" * 3000, stem="roma")),
    Case("a-long-emphasis-run-in-a-body", "markdown", body("_" * 2000 + "a" + "_" * 2000, stem="firenze")),
    Case("lists-nested-twelve-deep-in-a-body", "markdown", body("".join("    " * i + "- voce\n" for i in range(12)), stem="bologna")),
    Case("quotations-nested-twelve-deep-in-a-body", "markdown", prova("category: applicazione", "category: applicazione\nbody: |\n  " + "> " * 12 + "citazione")),
    # -- Identity: what the site uses as a key is unique in its scope ---------------------------
    Case("two-slides-with-one-number", "identity", edit("data/slides/slide-4.yaml", "number: 4", "number: 3")),
    Case("a-new-slide-takes-a-number", "identity", put("data/slides/slide-9.yaml", open_slide())),
    # -- Links that leave the site, or name nothing on it: refused at the field, before the build --
    Case("relative-link-out-of-the-site", "links", body("[segreto](../../../../etc/passwd)")),
    Case("relative-image-out-of-the-site", "links", body("![x](../../../../tmp/x.png)", stem="torino")),
    Case("link-to-a-missing-page", "links", body("[Atlantide](atlantide.md)", stem="roma")),
    Case("absolute-path-link", "links", body("[Roma](/cities/roma/)", stem="firenze")),
    Case("page-address-for-its-file", "links", body("[Roma](../roma/)", stem="bologna")),
    Case("raw-html-link-out-of-the-site", "links", prova("category: applicazione", 'category: applicazione\nbody: "<a href=\\"../../../../../etc/passwd\\">x</a>"')),
    Case("link-to-a-missing-statement", "links", body("[3.9](../slides/slide-3.md#nessuna)", english="[3.9](../slides/slide-3.md#concetto)")),
    Case("english-link-out-of-the-site", "links", body("Testo.", "[out](../../../x.md)", stem="torino")),
    # -- Citation files: braces, commands and comments in a title stay one balanced entry ------------
    Case("unbalanced-braces-in-titles", "outputs", both(
        edit(city("torino"), 'title: "Torino"', 'title: "Torino {graffa"'),
        edit(city("torino"), 'title: "Turin"', 'title: "Turin } closed"')),
         neutralised=("cities/torino", "en/cities/torino")),
    Case("latex-and-bibtex-commands-in-a-title", "outputs",
         edit(city("verona"), '\ntitle: "Verona"', '\ntitle: "@comment{x} \\\\input{/etc/passwd} {a}} @misc{pwned,"'),
         neutralised=("cities/verona",)),
]

