"""Dates and editions from the git history: when each data file last changed, and what each edition changed.

An entity's last-updated date is the date of the last commit that touched its YAML file. Where there
is no history (a file not yet committed, a copy of the project outside git), the stated fallback is
the date of the build, which the build pins to SOURCE_DATE_EPOCH (the last commit, or the caller's
value): never the file's modification time, so two builds of the same commit agree.

An edition is a version of pyproject.toml. The commit that sets a new version releases it: edition V
holds the commits after the previous version's release, up to and including the one that sets V;
commits after the last release are listed as not yet released. Git is read with one `log` per
build, whatever the number of files, plus one `show` per version change; along the first-parent
line, so a merged branch counts on the day it was merged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path as FsPath
from pathlib import PurePosixPath

_RECORD = "\x1e"  # starts each commit in the log output


@dataclass
class Changes:
    """One edition: its version (None: not yet released), its date, and its entities by change."""

    version: str | None
    date: date | None
    added: list[str] = field(default_factory=list)  # data files, "data/cities/milano.yaml"
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class History:
    updated: dict[str, date]  # data file -> date of its last commit
    fallback: date | None  # for a file with no history: the build's date
    editions: list[Changes]  # newest first
    available: bool  # False outside a git repository, or in a shallow clone
    shallow: bool = False

    def date_of(self, file: str) -> date | None:
        return self.updated.get(file, self.fallback)


def build_date() -> date | None:
    """The build's date, from SOURCE_DATE_EPOCH (the hook sets it to the last commit's time)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(value), UTC).date() if value.isdigit() else None


def read(project: FsPath, data: str = "data") -> History:
    """The history of `project/data` (schemas aside) and of the project's version."""
    fallback = build_date()
    if (_git(project, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return History({}, fallback, [], available=False, shallow=True)
    log = _git(project, "log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--relative",
               "--format=" + _RECORD + "%H %cs", "--name-status", "--", data, "pyproject.toml")
    if log is None:
        return History({}, fallback, [], available=False)
    updated: dict[str, date] = {}
    editions: list[Changes] = []
    status: dict[str, str] = {}  # file -> net change in the current edition: A, M or D
    version: str | None = None
    last: date | None = None
    for record in log.split(_RECORD)[1:]:
        head, *lines = record.strip("\n").split("\n")
        commit, day = head.split()
        when = last = date.fromisoformat(day)
        sets_version = False
        for line in lines:
            change, _, path = line.partition("\t")
            if not path or not change[:1].isalpha():
                continue  # not a file line
            if path == "pyproject.toml":
                sets_version = True
            elif _is_entity(path, data):
                status[path] = _net(status.get(path), change[0] if change[0] in "AD" else "M")
                if change[0] == "D":
                    updated.pop(path, None)
                else:
                    updated[path] = when
        if sets_version and (new := _version_at(project, commit)) != version:
            editions.append(_edition(new, when, status))  # this commit releases edition `new`
            status, version = {}, new
    if any(status.values()):
        editions.append(_edition(None, last, status))
    return History(updated, fallback, list(reversed(editions)), available=True)


# A build that knowingly has no history (a test's copy of the project, an archive built on purpose)
# says so with ATLANTE_HISTORY=none: its dates are the build's, and it is not told about it.
WITHOUT = ("ATLANTE_HISTORY", "none")


def missing(found: History, project: FsPath, repo_url: str | None = None) -> str | None:
    """What is wrong where the history cannot be read, in one line naming the fix ("expected …,
    found …: …"); None where it was read, or where the build says it goes without (WITHOUT)."""
    if found.available or os.environ.get(WITHOUT[0]) == WITHOUT[1]:
        return None
    expected = ("expected the project's whole git history (every page's date, the citations' dates and the "
                "changelog come from it), found ")
    clone = f"git clone {repo_url}" if repo_url else "git clone <repository>"
    if found.shallow:
        return expected + "a shallow clone: run `git fetch --unshallow`, or build from a full clone"
    if shutil.which("git") is None:
        return expected + "no git command: install git and build from a full clone"
    if _git(project, "rev-parse", "--git-dir") is None:
        return expected + f"no git repository (a release archive, a downloaded ZIP): build from a full clone (`{clone}`)"
    return expected + "a repository git cannot read (`git log` fails here): build from a full clone"


def _edition(version: str | None, when: date | None, status: dict[str, str]) -> Changes:
    changes = Changes(version, when)
    for path, change in sorted(status.items()):
        {"A": changes.added, "M": changes.changed, "D": changes.removed}.get(change, []).append(path)
    return changes


def _net(before: str | None, change: str) -> str:
    """A file's net change over an edition: added then changed is added; added then removed is nothing."""
    if before is None:
        return change
    if before == "A":
        return "" if change == "D" else "A"
    if before == "D":
        return "M" if change == "A" else "D"
    if before == "":
        return "A" if change == "A" else ""
    return "D" if change == "D" else "M"


def _is_entity(path: str, data: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) == 3 and parts[0] == data and parts[1] != "schema" and parts[2].endswith(".yaml")


def _version_at(project: FsPath, commit: str) -> str | None:
    text = _git(project, "show", f"{commit}:./pyproject.toml")
    try:
        version = tomllib.loads(text or "").get("project", {}).get("version")
    except tomllib.TOMLDecodeError:
        return None
    return version if isinstance(version, str) else None


def edition_date(project: FsPath, version: str | None) -> date | None:
    """The date of edition `version`: the day of the commit that set it in pyproject.toml (as the
    changelog dates it), along the first-parent line; the build's date where the history cannot say
    (no git, a shallow clone, a version not yet committed)."""
    if version is not None and (_git(project, "rev-parse", "--is-shallow-repository") or "").strip() == "false":
        log = _git(project, "log", "--reverse", "--first-parent", "--format=%H %cs", "--", "pyproject.toml") or ""
        released, previous = None, None
        for line in log.splitlines():
            commit, day = line.split()
            now = _version_at(project, commit)
            if now == version and previous != version:
                released = date.fromisoformat(day)
            previous = now
        if released is not None:
            return released
    return build_date()


def commit_epoch(project: FsPath) -> str | None:
    """The last commit's time in seconds, as SOURCE_DATE_EPOCH takes it (the build is dated by it,
    so that two builds of a commit are byte-identical); None outside a git clone."""
    out = (_git(project, "log", "-1", "--format=%ct") or "").strip()
    return out if out.isdigit() else None


def _git(project: FsPath, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(project), "-c", "log.showSignature=false", "-c", "core.quotepath=off",
                              *args], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout
