"""What the site says about itself: the brief's known facts, the publisher, the licence, the edition.

Read once from the configuration (mkdocs.yml `extra.brief` and `extra.publication`, `site_name`,
`site_url`, `repo_url`; the contact address, like the site's, from the environment the publishing
workflow sets) and from pyproject.toml (the edition is the project's version), checked
here, then handed to every output that names them: pages, citations, page metadata, open data.
Templates never hold these facts. Where the source does not state something (the slides name no
author, carry no date), the value is None and every output says so rather than inventing it.
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from urllib.parse import urlsplit

import yaml
import yaml_env_tag

from . import editions, files, history, i18n
from .model import Finding, Json

# The address a local preview is served at (`mkdocs serve`'s default), which the core uses when the
# configuration names none: the `atlante` command and the tests, which publish nothing.
PREVIEW_URL = "http://127.0.0.1:8000/"
# Where the publishing workflow puts the site's address and its repository (mkdocs.yml reads them
# with !ENV): the one source of every absolute URL the site writes.
SITE_URL_VARIABLE = "ATLANTE_SITE_URL"
REPO_URL_VARIABLE = "ATLANTE_REPO_URL"
# Where it puts the address readers and data catalogues write to (extra.publication.contact_email):
# the DCAT-AP_IT catalogue's contact point requires one (vcard:hasEmail)
CONTACT_VARIABLE = "ATLANTE_CONTACT_EMAIL"
CONTACT_SETTING = "extra.publication.contact_email"
# An email address as a catalogue can write it as a mailto: IRI: one @, a dotted domain, nothing an
# IRI would have to escape
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Licence:
    name: str  # "CC BY 4.0"
    url: str  # the licence's deed


@dataclass(frozen=True)
class Publication:
    """The site as a publication: what a citation, a meta tag or a data catalogue says of it."""

    site_name: str
    site_url: str  # the source edition's root, ending in "/"
    publisher: str  # who publishes the site (not the brief's author, which the source does not state), named
    # in the source language; publisher_in(lang) names it in another edition's
    publisher_url: str | None
    licence: Licence  # of the site's own work: structure, summaries, translations, data files
    edition: str | None  # pyproject.toml's version: "0.2.0"
    date: date | None  # the edition's date: the day of the commit that set its version (history.edition_date)
    source_lang: str  # the source edition's language (theme.language of mkdocs.yml), at the site's root
    repository: str | None = None  # repo_url, where the data can be edited
    contact_email: str | None = None  # the publisher's address for readers and catalogues (vcard:hasEmail)
    author: str | None = None  # the brief's author, issuing body, date and occasion: None where the
    brief_date: str | None = None  # source does not state them
    occasion: str | None = None
    publisher_names: tuple[tuple[str, str], ...] = ()  # (lang, name): the publisher in other editions' languages
    page_paths: tuple[tuple[str, str, str], ...] = ()  # (lang, name, path): the site's own pages' paths in each
    # edition (`paths:` of the translation files: ("en", "data", "data"))

    def publisher_in(self, lang: str) -> str:
        """The publisher's name as the edition in `lang` writes it: its own name in that language
        (extra.publication.publisher_names), else the source language's."""
        return dict(self.publisher_names).get(lang, self.publisher)

    def edition_url(self, lang: str) -> str:
        """The root of the edition in `lang`: the source edition at the site's root."""
        return self.site_url if lang == self.source_lang else f"{self.site_url}{lang}/"

    def url(self, path: str, lang: str) -> str:
        """The absolute URL of `path` (relative to an edition's root: "cities/milano/") in `lang`."""
        return self.edition_url(lang) + path

    def page_url(self, name: str, lang: str) -> str:
        """The absolute URL of the site's page `name` ("data": the Dati page) in the edition `lang`, at
        that edition's path for it (/dati/, /en/data/); the edition's root where it names none."""
        path = next((p for lang_, name_, p in self.page_paths if (lang_, name_) == (lang, name)), None)
        return self.url(path + "/", lang) if path else self.edition_url(lang)

    @property
    def brief(self) -> dict[str, str | None]:
        return {"author": self.author, "date": self.brief_date, "occasion": self.occasion}


def from_config(*, site_name: str, site_url: str | None, extra: Json | None, project: FsPath,
                edition_date: date | None, source_lang: str, repo_url: str | None = None) -> tuple[Publication, list[str]]:
    """The publication described by the configuration, and the problems found in it.

    Problems are messages naming the setting, what was expected and what was found; the caller
    prefixes the config file's name.
    """
    problems: list[str] = []
    extra = extra or {}

    def text(section: str, key: str, value: object, *, required: bool = False, https: bool = False) -> str | None:
        if value is None and not required:
            return None
        if isinstance(value, date):  # YAML reads an unquoted 2014-05-20 as a date
            value = value.isoformat()
        if not isinstance(value, str) or not value.strip():
            problems.append(f"extra.{section}.{key}: expected {'an https address' if https else 'a text'}"
                            f"{'' if required else ' or null'}, found {value!r}")
            return None
        if https and not value.startswith("https://"):
            problems.append(f"extra.{section}.{key}: expected an https address, found {value!r}")
            return None
        return value.strip()

    def email(value: object) -> str | None:
        if value is None:  # unset (or set empty: the workflow's variable without a value)
            return None
        if not isinstance(value, str) or not EMAIL.fullmatch(value.strip()):
            problems.append(f"{CONTACT_SETTING}: expected an email address (name@domain, set {CONTACT_VARIABLE}) or "
                            f"null, found {value!r}")
            return None
        return value.strip()

    def section(name: str) -> Json:
        value = extra.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(f"extra.{name}: expected a mapping, found {value!r}")
            return {}
        return value

    def names(value: object) -> tuple[tuple[str, str], ...]:
        """extra.publication.publisher_names: the publisher's name in each other edition's language."""
        setting = "extra.publication.publisher_names"
        if value is None:
            return ()
        if not isinstance(value, dict):
            problems.append(f"{setting}: expected a mapping of language codes to names (en: …) or null, found {value!r}")
            return ()
        languages = [e.lang for e in editions.from_alternate(extra.get("alternate"), source_lang)[0] if not e.is_source]
        found = []
        for lang, name in value.items():
            if lang not in languages:
                problems.append(f"{setting}.{lang}: expected the language of an edition other than the source's "
                                f"({', '.join(languages) or 'none in extra.alternate'}; the source's name is "
                                f"extra.publication.publisher), found {lang!r}")
            elif (name := text("publication.publisher_names", lang, name, required=True)) is not None:
                found.append((lang, name))
        return tuple(sorted(found))

    brief = section("brief")
    publication = section("publication")
    licence = publication.get("licence")
    if not isinstance(licence, dict):
        problems.append(f"extra.publication.licence: expected a mapping with name and url, found {licence!r}")
        licence = {}
    url = site_url or PREVIEW_URL
    result = Publication(
        site_name=site_name,
        site_url=url if url.endswith("/") else url + "/",
        publisher=text("publication", "publisher", publication.get("publisher"), required=True) or "",
        publisher_url=text("publication", "publisher_url", publication.get("publisher_url"), https=True),
        licence=Licence(text("publication.licence", "name", licence.get("name"), required=True) or "",
                        text("publication.licence", "url", licence.get("url"), required=True, https=True) or ""),
        edition=edition(project),
        date=edition_date,
        source_lang=source_lang,
        repository=repo_url,
        contact_email=email(publication.get("contact_email")),
        author=text("brief", "author", brief.get("author")),
        brief_date=text("brief", "date", brief.get("date")),
        occasion=text("brief", "occasion", brief.get("occasion")),
        publisher_names=names(publication.get("publisher_names")),
        page_paths=_page_paths(project),
    )
    return result, problems


def _page_paths(project: FsPath) -> tuple[tuple[str, str, str], ...]:
    """(lang, name, path) of the site's own pages in every language of `project` (its translation files'
    `paths:`, read without their checks: i18n reports what is wrong there)."""
    found = []
    for lang in i18n.languages(project):
        block = i18n.block(project, lang, "paths") or {}
        found += [(lang, str(name), path) for name, path in sorted(block.items()) if isinstance(path, str)]
    return tuple(found)


def address_problems(site_url: str | None, repo_url: str | None, *, preview: bool) -> list[str]:
    """What is wrong with the site's published address and its repository, as "key: expected …,
    found …" messages (the caller names the file and the line).

    A published site needs its real address: every canonical link, citation, download link and
    catalogue record carries it. Refused: none at all; a host reserved for documentation or tests
    (example.org/.com/.net and the .example, .test, .invalid, .localhost names, RFC 2606 and 6761);
    GitHub's `example` account; and, except in a preview (`preview`), this machine itself. A missing
    repository is fine (pages then show no edit link); a placeholder one is not."""
    problems = []
    if not site_url:
        problems.append(f"site_url: expected the address the site is published at (set {SITE_URL_VARIABLE}, as the "
                        f"publishing workflow does, e.g. https://<owner>.github.io/<repository>/), found none")
    else:
        why = _placeholder(site_url, preview=preview)
        if why:
            problems.append(f"site_url: expected the address the site is published at (set {SITE_URL_VARIABLE}), "
                            f"found {site_url!r}, {why}")
    if repo_url:
        why = _placeholder(repo_url, preview=preview)
        if why:
            problems.append(f"repo_url: expected the repository the data is edited in (set {REPO_URL_VARIABLE}, or "
                            f"leave it unset for no edit links), found {repo_url!r}, {why}")
    return problems


def contact_problems(extra: Json | None, *, preview: bool) -> list[str]:
    """What is wrong with the contact address of a published site (extra.publication.contact_email),
    as address_problems says it of the site's address: a published catalogue names a contact readers
    can write to, so none, or one at a name reserved for examples (this machine's among them), is
    refused except in a preview (`preview`). Its form is from_config's to check."""
    if preview:
        return []
    section = (extra or {}).get("publication")
    value = section.get("contact_email") if isinstance(section, dict) else None
    expected = f"{CONTACT_SETTING}: expected the address readers and data catalogues write to (set {CONTACT_VARIABLE}"
    if value is None:
        return [f"{expected}, as the publishing workflow does from the repository variable of that name), found none"]
    if not isinstance(value, str) or not EMAIL.fullmatch(value.strip()):
        return []  # not an address at all: from_config says so
    if _reserved(value.strip().rsplit("@", 1)[1].lower()):
        return [f"{expected}), found {value.strip()!r}, a placeholder (a name reserved for examples)"]
    return []


_RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def _placeholder(url: str, *, preview: bool) -> str | None:
    """Why `url` cannot be a published address, or None if it can."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "which is not an address"
    if parts.scheme not in ("http", "https") or not host:
        return "which is not an http(s) address"
    try:
        local = ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        local = host == "localhost" or host.endswith(".localhost")
    if local:
        return None if preview else "this machine's own address, which only a preview may use"
    if _reserved(host):
        return "a placeholder (a name reserved for examples)"
    if host in ("github.com", "gitlab.com", "bitbucket.org") and parts.path.strip("/").split("/")[0].lower() == "example":
        return "a placeholder (the 'example' account)"
    return None


def _reserved(host: str) -> bool:
    """Whether `host` is a name reserved for documentation or tests (RFC 2606 and 6761)."""
    return host in _RESERVED_DOMAINS or host.endswith(tuple("." + d for d in _RESERVED_DOMAINS)) \
        or host.rsplit(".", 1)[-1] in _RESERVED_TLDS


def from_project(project: FsPath, lang: str | None = None) -> tuple[Publication, list[Finding]]:
    """The publication as the project's mkdocs.yml (and mkdocs.<lang>.yml's site_name) describes it,
    dated like a build; for the `atlante` command and for tests, which run without MkDocs. The address
    is read as MkDocs reads it (!ENV included); none is the preview's (nothing is published), a
    placeholder is an error located in mkdocs.yml."""
    config = project_config(project)
    source = source_language(project)
    lang = lang or source
    site_name = (project_config(project, f"mkdocs.{lang}.yml") if lang != source else config).get("site_name") \
        or config.get("site_name") or ""
    site_url, repo_url = config.get("site_url") or None, config.get("repo_url") or None
    publication, problems = from_config(site_name=str(site_name), site_url=site_url, extra=config.get("extra"),
                                        project=project, edition_date=history.edition_date(project, edition(project)),
                                        source_lang=source, repo_url=repo_url)
    problems += [p for p in address_problems(site_url, repo_url, preview=True) if site_url or not p.startswith("site_url")]
    return publication, [Finding("error", "mkdocs.yml", line_of(project / "mkdocs.yml", setting), 1, "(configuration)",
                                 setting, message, "configuration") for setting, message in (p.split(": ", 1) for p in problems)]


def project_config(project: FsPath, name: str = "mkdocs.yml") -> Json:
    """A configuration file of the project as MkDocs reads it (!ENV included), without MkDocs; empty
    where it cannot be read (MkDocs then says why). Read once while the file and the environment
    stay the same (a run asks for it five times; the preview runs again at every save)."""
    path = project / name
    try:
        stat = path.stat()
    except OSError:
        return {}
    return copy.deepcopy(_parsed_config(str(path), stat.st_mtime_ns, stat.st_size, tuple(sorted(os.environ.items()))))


@functools.lru_cache(maxsize=16)
def _parsed_config(path: str, _mtime: int, _size: int, _environment: tuple[tuple[str, str], ...]) -> Json:
    try:
        found = yaml.load(files.read_text(FsPath(path)), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return found if isinstance(found, dict) else {}


def source_language(project: FsPath) -> str:
    """The language of the project's source edition, at the site's root: the language of the data
    files' top-level fields and of the reference translation file (editions.source_language, from
    mkdocs.yml); in a folder without one, its only translation file's (else "")."""
    found = editions.source_language(project_config(project))
    if found:
        return found
    languages = sorted(p.stem for p in i18n.folder(project).glob("*.yaml"))
    return languages[0] if len(languages) == 1 else ""


def citation_file(project: FsPath, publication: Publication) -> str | None:
    """The project's CITATION.cff as the site publishes it (/CITATION.cff): the committed file, which
    cannot know where the site will be published, with the configured address as `url`, the
    repository as `repository-code` and the edition as `version`. None if the project has none."""
    try:
        cff = yaml.safe_load(files.read_text(project / "CITATION.cff"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(cff, dict):
        return None
    cff["url"] = publication.site_url
    if publication.repository:
        cff["repository-code"] = publication.repository
    if publication.edition:
        cff["version"] = publication.edition
    if publication.date:
        cff["date-released"] = publication.date.isoformat()
    header = "# Published with the site: CITATION.cff of its repository, with the site's address.\n"
    return header + yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100)


def located(config_file: FsPath, problems: list[str]) -> str:
    """The problems as lines naming the file and the line of each setting: for the build's error."""
    return "\n".join(f"{config_file.name}:{line_of(config_file, p.split(':', 1)[0])}: {p}" for p in problems)


def line_of(config_file: FsPath, setting: str) -> int:
    """The line of `setting` ("extra.publication.licence.url") in a YAML config, or of its nearest
    parent that is there; 1 if the file cannot be read."""
    try:
        node = yaml.compose(files.read_text(config_file), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1
    line = 1
    for key in setting.split("."):
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    return line


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: !ENV as MkDocs reads it (pyyaml-env-tag, MkDocs' own), its other tags
    (!relative, python names) as nothing."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)


def edition(project: FsPath) -> str | None:
    """The edition: the version in the project's pyproject.toml, or None if there is none."""
    try:
        version = tomllib.loads(files.read_text(project / "pyproject.toml")).get("project", {}).get("version")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return version if isinstance(version, str) else None
