"""The site under its own address: the published address and repository come from the configuration the
publishing workflow sets (mkdocs.yml reads ATLANTE_SITE_URL and ATLANTE_REPO_URL with !ENV); a strict
build refuses none or a placeholder, naming mkdocs.yml and the key; every absolute URL the site writes
comes from that one address; without a repository no page shows an edit link; the footer names the
publisher and the licence in the page's language; /CITATION.cff carries the address."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from atlante import meta
from atlante.kinds import address
from atlante.model import Catalog

from helpers import BIN, REPO_URL, ROOT, SITE_URL, env, first, make_project, page_of, parsed

# ---------------------------------------------------------------------------------------------
# Which addresses a published build accepts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "preview", "why"), [
    (None, False, "found none"),
    ("https://circoli-magici.example.org/", False, "a placeholder"),
    ("https://example.com/atlante/", False, "a placeholder"),
    ("https://www.example.net/", False, "a placeholder"),
    ("https://atlante.test/", False, "a placeholder"),
    ("https://sito.invalid/", False, "a placeholder"),
    ("http://localhost:8000/", False, "this machine's own address"),
    ("http://127.0.0.1:8000/", False, "this machine's own address"),
    ("http://[::1]:8000/", False, "this machine's own address"),
    ("ftp://redazione.github.io/", False, "not an http(s) address"),
    ("http://127.0.0.1:8000/", True, None),
    ("https://redazione-circoli-magici.github.io/atlante/", False, None),
    ("https://circolimagici.it/", False, None),
])
def test_a_published_address_is_real(url: str | None, preview: bool, why: str | None) -> None:
    problems = meta.address_problems(url, None, preview=preview)
    if why is None:
        assert problems == []
    else:
        (problem,) = problems
        assert problem.startswith("site_url: expected the address the site is published at (set ATLANTE_SITE_URL")
        assert why in problem


@pytest.mark.parametrize(("repo", "refused"), [
    (None, False), ("https://github.com/redazione-circoli-magici/atlante", False),
    ("https://github.com/example/circoli-magici", True), ("https://gitlab.com/Example/x", True),
    ("https://git.example.org/x", True),
])
def test_a_repository_may_be_absent_but_not_a_placeholder(repo: str | None, refused: bool) -> None:
    problems = meta.address_problems(SITE_URL, repo, preview=False)
    assert bool(problems) == refused
    if refused:
        assert problems[0].startswith("repo_url: expected the repository the data is edited in (set ATLANTE_REPO_URL, "
                                      "or leave it unset for no edit links), found ")


@pytest.mark.parametrize(("email", "preview", "why"), [
    (None, False, "found none"),
    ("redazione@example.org", False, "a placeholder"),
    ("redazione@circoli-magici.example", False, "a placeholder"),
    ("me@mail.localhost", False, "a placeholder"),
    ("redazione@example.org", True, None),
    (None, True, None),
    ("redazione-circoli-magici@users.noreply.github.com", False, None),
    ("redazione@circolimagici.it", False, None),
])
def test_a_published_catalogue_names_a_real_contact(email: str | None, preview: bool, why: str | None) -> None:
    problems = meta.contact_problems({"publication": {"contact_email": email}}, preview=preview)
    if why is None:
        assert problems == []
    else:
        (problem,) = problems
        assert problem.startswith("extra.publication.contact_email: expected the address readers and data catalogues "
                                  "write to (set ATLANTE_CONTACT_EMAIL")
        assert why in problem


@pytest.mark.parametrize("email", ["redazione", "mailto:redazione@circolimagici.it", "a b@c.it", "x@y", 42])
def test_a_contact_that_is_no_email_address_is_refused_everywhere(email: object) -> None:
    extra = {"publication": {"publisher": "R", "licence": {"name": "CC BY 4.0", "url": "https://x.org/"},
                             "contact_email": email}}
    publication, problems = meta.from_config(site_name="S", site_url=SITE_URL, extra=extra, project=ROOT, edition_date=None,
                                             source_lang="it")
    assert problems == [f"extra.publication.contact_email: expected an email address (name@domain, set "
                        f"ATLANTE_CONTACT_EMAIL) or null, found {email!r}"]
    assert publication.contact_email is None and meta.contact_problems(extra, preview=False) == []  # said once


def test_the_contact_comes_from_the_environment_as_the_workflow_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLANTE_CONTACT_EMAIL", "redazione@circolimagici.it")
    assert meta.from_project(ROOT)[0].contact_email == "redazione@circolimagici.it"
    monkeypatch.setenv("ATLANTE_CONTACT_EMAIL", "")  # a repository variable the workflow finds unset
    assert meta.from_project(ROOT)[0].contact_email is None
    monkeypatch.delenv("ATLANTE_CONTACT_EMAIL")  # a contributor's preview: the placeholder, allowed there only
    publication, problems = meta.from_project(ROOT)
    assert publication.contact_email == "redazione@example.org" and problems == []
    assert meta.contact_problems({"publication": {"contact_email": publication.contact_email}}, preview=False)


def _build(project: Path, *args: str, **variables: str | None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` in `project` with the published address as given (None: unset)."""
    build_env = env()
    for name, value in variables.items():
        build_env.pop(name, None)
        if value is not None:
            build_env[name] = value
    return subprocess.run([str(BIN / "mkdocs"), "build", *args], cwd=project, env=build_env, capture_output=True,
                          text=True, timeout=300)


def _line_of(project: Path, key: str) -> int:
    return next(i for i, line in enumerate((project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(f"{key}:"))


@pytest.mark.build
def test_a_strict_build_without_the_address_or_with_a_placeholder_writes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    line = _line_of(project, "site_url")
    missing = _build(project, ATLANTE_SITE_URL=None)
    assert missing.returncode == 1
    assert f"mkdocs.yml:{line}: site_url: expected the address the site is published at (set ATLANTE_SITE_URL" in missing.stderr
    assert "Traceback" not in missing.stderr
    placeholder = _build(project, ATLANTE_SITE_URL="https://circoli-magici.example.org/",
                         ATLANTE_REPO_URL="https://github.com/example/circoli-magici",
                         ATLANTE_CONTACT_EMAIL="redazione@example.org")
    assert placeholder.returncode == 1
    said = [ln.split("-  ", 1)[-1] for ln in placeholder.stderr.splitlines() if "mkdocs.yml:" in ln]
    assert said == [  # both settings, each with its line, in one run
        f"mkdocs.yml:{line}: site_url: expected the address the site is published at (set ATLANTE_SITE_URL), found "
        "'https://circoli-magici.example.org/', a placeholder (a name reserved for examples)",
        f"mkdocs.yml:{_line_of(project, 'repo_url')}: repo_url: expected the repository the data is edited in (set "
        "ATLANTE_REPO_URL, or leave it unset for no edit links), found 'https://github.com/example/circoli-magici', "
        "a placeholder (the 'example' account)",
        f"mkdocs.yml:{_contact_line(project)}: extra.publication.contact_email: expected the address readers and data "
        "catalogues write to (set ATLANTE_CONTACT_EMAIL), found 'redazione@example.org', a placeholder (a name "
        "reserved for examples)"]
    assert not (project / "site").exists()  # nothing half-written


def _contact_line(project: Path) -> int:
    return next(i for i, line in enumerate((project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
                if line.strip().startswith("contact_email:"))


@pytest.mark.build
def test_without_a_repository_no_page_shows_an_edit_link(tmp_path: Path, catalog: Catalog) -> None:
    """A build that knows no repository: pages without edit links (not dead ones), and no warning
    about them; without an address, a build that is not strict says so once and goes on."""
    project = make_project(tmp_path)
    result = _build(project, "--no-strict", ATLANTE_REPO_URL=None, ATLANTE_SITE_URL=None)
    assert result.returncode == 0, result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("WARNING")]
    assert len(warnings) == 1 and re.search(r"WARNING +- +mkdocs.yml:\d+: site_url: expected the address the site is "
                                            r"published at", warnings[0]), warnings
    site = project / "site"
    city = page_of(first(catalog, "city"))
    for page in (f"{city}/index.html", f"en/{city}/index.html", "informazioni/index.html", "index.html"):
        soup = parsed(site / page)
        assert soup.select('a[rel="edit"], a.md-content__button') == [], page
    assert not (site / "CITATION.cff").read_text(encoding="utf-8").count("repository-code")


# ---------------------------------------------------------------------------------------------
# In the built site: every absolute URL from one address
# ---------------------------------------------------------------------------------------------

# Addresses of other hosts the site may name (never load): the licence, the vocabularies of its metadata
# and catalogue, the engine's credit and the licence notes of its icons, and the repository
OTHER_HOSTS = ("https://creativecommons.org/licenses/", "https://schema.org", "http://www.w3.org/", "http://purl.org/",
               "http://xmlns.com/foaf/", "http://publications.europa.eu/resource/authority/", "http://dati.gov.it/onto/",
               "http://eurovoc.europa.eu/",
               "https://www.iana.org/assignments/media-types/", "http://www.sitemaps.org/schemas/",
               "https://squidfunk.github.io/mkdocs-material/", "https://fontawesome.com", REPO_URL)
URL = re.compile(r"""https?://[^\s"'<>)\]\\}]+""")


def test_every_absolute_url_the_site_writes_is_its_own_or_names_another_host(built_site: Path) -> None:
    """Pages, citations, downloads, sitemap, JSON-LD, the DCAT catalogue and CITATION.cff: each
    absolute URL starts with the configured address, or names a known vocabulary, licence or the
    repository (source of the data's own `added` sources aside); no placeholder host anywhere."""
    foreign: dict[str, set[str]] = {}
    sources = {str(item.get("url")) for path in (ROOT / "data").rglob("*.yaml")
               for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("added") or [] if item.get("url")}
    for path in built_site.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json", ".jsonld", ".rdf", ".bib", ".ris", ".csv", ".cff", ".svg") \
                or path.is_dir() or "assets" in path.parts or "search" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "example.org" not in text and "github.com/example" not in text, path
        for url in URL.findall(text):
            url = html.unescape(url.rstrip(".,;"))  # as a browser reads it (&amp; in an attribute is &)
            if url.startswith(SITE_URL) or url.startswith(OTHER_HOSTS) or any(url.startswith(s) or s.startswith(url) for s in sources):
                continue
            foreign.setdefault(url, set()).add(path.relative_to(built_site).as_posix())
    assert not {u: sorted(p)[:3] for u, p in foreign.items() if not _cited_in_data(u)}, foreign


def _cited_in_data(url: str) -> bool:
    """A link an editor wrote in a Markdown field (a body's source) or in a hand-written page (docs/)
    is the editors', not the site's; so is the address of a Wikidata item the data names
    (`wikidata: Q490`: the page links it)."""
    texts = [path.read_text(encoding="utf-8") for path in [*(ROOT / "data").rglob("*.yaml"), *(ROOT / "docs").rglob("*.md")]]
    item = re.fullmatch(r"https://www\.wikidata\.org/wiki/(Q[0-9]+)", url)
    return any(url in text or (item is not None and f"wikidata: {item[1]}\n" in text) for text in texts)


def test_the_sitemap_and_canonical_links_carry_the_address(built_site: Path, catalog: Catalog) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    for prefix in ("", "en/"):
        entity = first(catalog)
        soup = parsed(built_site / prefix / page_of(entity) / "index.html")
        assert soup.find("link", rel="canonical")["href"] == f"{SITE_URL}{prefix}{page_of(entity)}/"
        assert soup.find("a", rel="edit")["href"] == f"{REPO_URL}/edit/main/{entity.file}"


def test_the_published_citation_file_carries_the_address(built_site: Path, catalog: Catalog) -> None:
    cffconvert = ROOT / ".venv-cff" / "bin" / "cffconvert"
    assert cffconvert.exists(), "make test installs cffconvert into .venv-cff"
    published = built_site / "CITATION.cff"
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(published)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    cff = yaml.safe_load(published.read_text(encoding="utf-8"))
    committed = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["url"] == SITE_URL and cff["repository-code"] == REPO_URL
    assert {k: v for k, v in cff.items() if k not in ("url", "repository-code", "date-released")} == {
        k: v for k, v in committed.items() if k != "date-released"}
    # the edition's date, the one every page's citation gives (this copy is outside git: the build's date)
    page_date = parsed(built_site / page_of(first(catalog)) / "index.html").find("meta", attrs={"name": "DC.date"})["content"]
    assert cff["date-released"] == page_date
    apa = subprocess.run([str(cffconvert), "-i", str(published), "-f", "apalike"], capture_output=True, text=True)
    assert SITE_URL in apa.stdout or REPO_URL in apa.stdout, apa.stdout


def test_the_footer_names_the_publisher_and_the_licence_in_the_pages_language(built_site: Path, catalog: Catalog) -> None:
    publication, _ = meta.from_project(ROOT)
    for prefix, words in (("", ("Pubblicato da", "Realizzato con")), ("en/", ("Published by", "Made with"))):
        about = "about" if prefix else "informazioni"
        for page in ("index.html", f"{page_of(first(catalog, 'city'))}/index.html", f"{about}/index.html"):
            footer = parsed(built_site / prefix / page).select_one(".md-copyright")
            text = " ".join(footer.get_text(" ").split())
            assert all(word in text for word in words) and publication.publisher_in(prefix.rstrip("/") or "it") in text, (prefix, page)
            assert (publication.publisher in text) == (prefix == ""), (prefix, page)  # the English name in English
            licence = footer.find("a", rel="license")
            assert licence["href"] == publication.licence.url and licence.get_text(strip=True) == "CC BY 4.0"


def test_the_home_pages_dataset_and_the_catalogue_use_the_address(built_site: Path) -> None:
    soup = parsed(built_site / "index.html")
    graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
    dataset = next(node for node in graph if node["@type"] == "Dataset")
    assert dataset["@id"] == SITE_URL + "#dataset"
    assert all(d["contentUrl"].startswith(SITE_URL + "dati/") for d in dataset["distribution"])
    dcat = (built_site / "dati" / "dcat-ap_it.rdf").read_text(encoding="utf-8")
    assert f'rdf:about="{SITE_URL}#catalog"' in dcat


# ---------------------------------------------------------------------------------------------
# Search: pages, not figures
# ---------------------------------------------------------------------------------------------


def test_the_search_index_holds_no_figure_or_citation_text(built_site: Path, catalog: Catalog) -> None:
    """Material's search indexes a page's text: not the labels of its figures (which it would glue
    together: "Turismo sostenibileÈ un esempio di…"), not its citation panel, not its download
    buttons; the whole brief and the concept map rank below the pages they list (boost 0.5)."""
    for prefix in ("", "en/"):
        docs = json.loads((built_site / prefix / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        texts = " ".join(d["title"] + " " + d["text"] for d in docs)
        for word in ("@online{", "TY  - ELEC", "Scarica la figura", "Download the figure", ">Copia<", ">Copy<", "Copiato",
                     "Other styles and formats", "Altri stili e formati"):
            assert word not in texts, (prefix, word)
        for page in (built_site / prefix).glob("*/*/index.html"):
            for figure in parsed(page).select("figure.atlante-figure"):
                labels = [t.get_text() for t in figure.select("svg text") if t.get_text().strip()]
                for a, b in zip(labels, labels[1:], strict=False):
                    assert a + b not in texts, (page, a + b)
        boosts = {d["location"]: d.get("boost") for d in docs}
        assert boosts["brief/"] == boosts["concept-map/"] == 0.5
        entries = [address(e.kind, e.id) for e in catalog.entities.values()]
        assert [boosts.get(url, "unlisted") for url in entries] == [None] * len(entries)  # each keeps its full weight


def test_the_content_partial_is_materials_but_for_the_whole_page_it_shows() -> None:
    """overrides/partials/content.html shows atlante.content (the page whole; Material's search is
    handed it without figures and panels, atlante/build.py): otherwise it is Material's own, so
    a Material release that changes its partial fails here."""
    import material

    theirs = (Path(material.__file__).parent / "templates" / "partials" / "content.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / "content.html").read_text(encoding="utf-8")
    body = [line for line in ours.split("-#}", 1)[1].splitlines() if line and not line.startswith("{%- set content")]
    assert body == [line for line in theirs.split("-#}", 1)[1].replace("page.content", "content").splitlines() if line]


def test_a_page_marked_out_of_the_search_is_shown_whole(built_site: Path, catalog: Catalog) -> None:
    """What Material's search does not read (figures, citation controls, the home page's chain) is
    still on the page, once, where the template put it."""
    for prefix in ("", "en/"):
        home = parsed(built_site / prefix / "index.html")
        assert len(home.select("nav.atlante-chain[data-search-exclude]")) == 1
        city = parsed(built_site / prefix / page_of(first(catalog, "city")) / "index.html")
        assert len(city.select("section.atlante-cite-control[data-search-exclude]")) == 1
        assert city.select("figure.atlante-figure[data-search-exclude] svg")
        assert len(city.select("article h1")) == 1


# ---------------------------------------------------------------------------------------------
# The data, one tap away
# ---------------------------------------------------------------------------------------------


def test_each_kinds_index_links_its_table_and_the_data_page(built_site: Path) -> None:
    from urllib.parse import urljoin, urlsplit

    from atlante.kinds import KINDS

    for prefix in ("", "en/"):
        for kind in KINDS:
            base = f"http://site/{prefix}{kind.folder}/"
            links = parsed(built_site / prefix / kind.folder / "index.html").select("article .atlante-index-data a")
            hrefs = [urljoin(base, a["href"]) for a in links]
            csv = next(h for h in hrefs if h.endswith(".csv"))
            path = urlsplit(csv).path if csv.startswith("http://site/") else csv.removeprefix(SITE_URL)
            assert (built_site / path.lstrip("/")).is_file(), csv  # (the files are published once, at the root)
            assert csv.endswith(f"dati/{kind.folder}.csv")
            assert f"http://site/{prefix}{'data' if prefix else 'dati'}/" in hrefs, (prefix, kind.name)  # each edition's Dati page


# ---------------------------------------------------------------------------------------------
# The history: every page's date, the citations' dates and the changelog come from it
# ---------------------------------------------------------------------------------------------


def _without_history_allowed() -> dict[str, str]:
    """env() as a publisher's machine has it: no ATLANTE_HISTORY=none."""
    return {k: v for k, v in env().items() if k != "ATLANTE_HISTORY"}


@pytest.mark.build
def test_a_build_without_the_history_says_so_in_one_line_and_a_strict_build_fails(tmp_path: Path, catalog: Catalog) -> None:
    project = make_project(tmp_path)  # a copy outside git, as a release archive or a downloaded ZIP is
    expected = (".git:1:1: warning: (history): (git): expected the project's whole git history (every page's date, "
                "the citations' dates and the changelog come from it), found no git repository (a release archive, "
                f"a downloaded ZIP): build from a full clone (`git clone {REPO_URL}`) (history)")
    strict = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project, env=_without_history_allowed(),
                            capture_output=True, text=True, timeout=600)
    assert strict.returncode == 1
    assert [line.split(" - ", 1)[1].strip() for line in strict.stderr.splitlines() if "(history)" in line] == [expected]
    assert "Traceback" not in strict.stderr
    # the preview (make serve: --no-strict) warns and goes on: the site is there, dated by the build
    plain = subprocess.run([str(BIN / "mkdocs"), "build", "--no-strict", "-d", str(tmp_path / "plain")], cwd=project,
                           env=_without_history_allowed(), capture_output=True, text=True, timeout=600)
    assert plain.returncode == 0, plain.stderr
    assert [line for line in plain.stderr.splitlines() if "(history)" in line] == [f"WARNING -  {expected}"]
    assert (tmp_path / "plain" / "en" / page_of(first(catalog)) / "index.html").is_file()


def test_a_shallow_clone_is_told_to_fetch_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlante import pipeline

    (tmp_path / "origin").mkdir()
    origin = make_project(tmp_path / "origin")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C"]
    subprocess.run([*git, str(origin), "init", "-q"], check=True)
    for message in ("one", "two"):
        (origin / "README.md").write_text(message, encoding="utf-8")
        subprocess.run([*git, str(origin), "add", "-A"], check=True)
        subprocess.run([*git, str(origin), "commit", "-qm", message], check=True)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "clone")], check=True)
    monkeypatch.delenv("ATLANTE_HISTORY")
    (found,) = [str(f) for f in pipeline.run(tmp_path / "clone", lang="it").warnings if f.rule == "history"]
    assert found.endswith("found a shallow clone: run `git fetch --unshallow`, or build from a full clone (history)")
    # the whole history: nothing to say
    assert [f for f in pipeline.run(origin, lang="it").warnings if f.rule == "history"] == []
    # a build that knowingly goes without it is not told
    monkeypatch.setenv("ATLANTE_HISTORY", "none")
    assert [f for f in pipeline.run(tmp_path / "clone", lang="it").warnings if f.rule == "history"] == []
