"""Step 1, load: find every data file under data/ and read it, recording positions.

A file the loader would otherwise skip (another extension, a hidden file, a file directly in
data/, an unknown folder) is reported, never ignored in silence. Only regular files are read: a
symbolic link (to anywhere), a named pipe, a socket, a device, or a folder named like a data file is
refused where it is, before anything opens it (files.py), so that nothing outside data/ is read and
no read waits.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from . import faults, files, yamlsource
from .kinds import KIND_BY_FOLDER
from .messages import suggest
from .model import Finding
from .yamlsource import Positions

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

SCHEMA_FOLDER = "schema"


@dataclass
class Document:
    kind: str
    stem: str  # the file name without .yaml: the entity's id
    file: str  # as shown in messages, relative to the project root
    data: dict[str, object] | None  # None when the file could not be read
    positions: Positions
    digest: str = ""  # of the file's bytes: what changed between two runs (render's memo)

    @property
    def subject(self) -> str:
        return f"{self.kind}:{self.stem}"


def load(data_dir: FsPath, shown_root: FsPath | None = None, *, parallel: bool = False) -> tuple[list[Document], list[Finding]]:
    """Every `data/<folder>/<id>.yaml`, sorted by path so that runs are reproducible.

    `parallel`: with many files and several cores, another process (a fork of this one: call it only
    from a single-threaded program, as `atlante check` is) reads half of them. The same documents and
    findings come out, in the same order."""
    shown_root = shown_root or data_dir.parent

    def shown(p: FsPath) -> str:
        try:
            return p.relative_to(shown_root).as_posix()
        except ValueError:
            return p.as_posix()

    documents: list[Document] = []
    findings: list[Finding] = []
    reads: list[tuple[Document, bytes, int]] = []  # the files to parse: (document, bytes, where its findings go)
    if not data_dir.is_dir():
        findings.append(Finding("error", shown(data_dir), 1, 1, "(data)", "(folder)", "expected a data folder, found nothing", "file-layout"))
        return documents, findings

    # Paths are handled as text below the folder: pathlib's own operations cost more than reading the
    # file, thousands of times. (rglob yields `data_dir` joined with the names below it.)
    top = str(data_dir) + "/"
    shown_top = shown(data_dir)
    shown_top = "" if shown_top == "." else shown_top + "/"
    for path in sorted(data_dir.rglob("*"), key=lambda p: p.parts):  # the order of paths, cheaper
        text_path = str(path)
        below = text_path.startswith(top)
        rel = text_path[len(top):] if below else path.relative_to(data_dir).as_posix()  # 'cities/milano.yaml'
        parts = rel.split("/")
        try:
            status = os.lstat(text_path)  # a link is refused, never followed
        except OSError:  # gone since it was listed
            continue
        if parts[0] == SCHEMA_FOLDER:
            continue  # the schemas are read, and checked, by validate.py
        where = shown_top + rel if below else shown(path)
        subject = f"(file {parts[-1]})"
        if len(parts) >= 2 and parts[0] in KIND_BY_FOLDER:
            subject = f"{KIND_BY_FOLDER[parts[0]].name}:{path.name.lstrip('.').split('.')[0]}"
        kind_of_file = files.what(status.st_mode)
        if kind_of_file == "a folder":
            if len(parts) == 2 and parts[1].endswith(".yaml"):  # data/cities/x.yaml/
                findings.append(Finding("error", where, 1, 1, subject, "(file)", "not a regular file: expected a data file, "
                                        "found a folder named like one", "file-type"))
            continue
        if kind_of_file is not None and len(parts) == 1 and parts[0] in KIND_BY_FOLDER:  # a kind's whole folder
            findings.append(Finding("error", where, 1, 1, f"(folder {parts[0]})", "(folder)", "not a regular folder: expected "
                                    f"the folder {where}/ itself, found {kind_of_file}, which is not read", "file-type"))
            documents.append(Document(KIND_BY_FOLDER[parts[0]].name, "*", where, None, Positions()))  # rules.UNREAD
            continue
        if kind_of_file is not None:
            findings.append(Finding("error", where, 1, 1, subject, "(file)", f"not a regular file: expected a data file "
                                    f"written in data/, found {kind_of_file}, which is not read", "file-type"))
            if len(parts) == 2 and parts[0] in KIND_BY_FOLDER and path.suffix == ".yaml" and not path.name.startswith("."):
                # an entity that exists, unread: a file that refers to it is not also told it is unknown
                documents.append(Document(KIND_BY_FOLDER[parts[0]].name, path.stem, where, None, Positions()))
            continue
        if len(parts) == 1:
            findings.append(Finding("error", where, 1, 1, subject, "(file)",
                                    f"expected data files inside a kind folder ({_folders()}), found a file directly in data/", "file-layout"))
            continue
        folder = parts[0]
        kind = KIND_BY_FOLDER.get(folder)
        subject = f"{kind.name}:{path.name.lstrip('.').split('.')[0]}" if kind else subject
        if kind is None:
            findings.append(Finding("error", where, 1, 1, subject, "(folder)",
                                    f"expected a kind folder ({_folders()}), found '{folder}'{suggest(folder, KIND_BY_FOLDER)}",
                                    "file-layout"))
            continue
        if len(parts) > 2:
            findings.append(Finding("error", where, 1, 1, subject, "(file)",
                                    f"expected data/{folder}/<id>.yaml, found a file in a sub-folder", "file-layout"))
            continue
        if path.name.startswith("."):
            findings.append(Finding("error", where, 1, 1, subject, "(file)",
                                    "expected <id>.yaml, found a hidden file (name starting with '.')", "file-layout"))
            continue
        if path.suffix != ".yaml":
            hint = " (rename it to .yaml)" if path.suffix.lower() in (".yml", ".yaml") else ""
            findings.append(Finding("error", where, 1, 1, subject, "(file)",
                                    f"expected a file name ending in .yaml, found '{path.name}'{hint}", "file-layout"))
            continue
        stem = path.stem
        faults.note(where, "reading it")
        too_large = yamlsource.oversize(status.st_size)
        if too_large is not None:  # refused before reading, so memory stays bounded
            findings.append(Finding("error", where, 1, 1, f"{kind.name}:{stem}", "(file)", too_large, "file-size"))
            documents.append(Document(kind.name, stem, where, None, Positions()))
            continue
        try:
            raw = files.read_bytes(text_path)
        except OSError as exc:  # replaced by a link or a pipe since it was listed, or unreadable
            found = f"{exc.what}, which is not read" if isinstance(exc, files.NotRegular) else (exc.strerror or str(exc))
            findings.append(Finding("error", where, 1, 1, f"{kind.name}:{stem}", "(file)",
                                    f"not a regular file: expected a data file written in data/, found {found}", "file-type"))
            documents.append(Document(kind.name, stem, where, None, Positions()))
            continue
        document = Document(kind.name, stem, where, None, Positions(), hashlib.blake2b(raw, digest_size=16).hexdigest())
        documents.append(document)
        reads.append((document, raw, len(findings)))
    results = _read_all([(raw, d.file, d.subject) for d, raw, _ in reads], parallel)
    placed: list[Finding] = []  # the parse findings, each at the place its file has among the others
    done = 0
    for (document, _, at), (data, positions, problems) in zip(reads, results, strict=True):
        placed += findings[done:at]
        placed += problems
        done = at
        document.data, document.positions = data, positions
    return documents, placed + findings[done:]


PARALLEL_FROM = 400  # files: below this, starting another process costs more than it saves


def _read_all(jobs: list[tuple[bytes, str, str]], parallel: bool) -> list[yamlsource.Read]:
    """`yamlsource.read` of each job, in order; with `parallel`, the second half in a forked process."""
    if not parallel or len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return [yamlsource.read(*job) for job in jobs]
    import multiprocessing
    import pickle

    half = len(jobs) // 2
    fork = multiprocessing.get_context("fork")
    receiver, sender = fork.Pipe(duplex=False)
    worker = fork.Process(target=_read_elsewhere, args=(sender, jobs[half:]), name="atlante-read", daemon=True)
    worker.start()
    sender.close()
    first = [yamlsource.read(*job) for job in jobs[:half]]
    try:
        second = pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        second = None
    finally:
        receiver.close()
        worker.join()
    if not isinstance(second, list) or len(second) != len(jobs) - half:  # the other process failed: read here
        second = [yamlsource.read(*job) for job in jobs[half:]]
    return first + second


def _read_elsewhere(sender: Connection, jobs: list[tuple[bytes, str, str]]) -> None:
    import pickle

    try:
        sender.send_bytes(pickle.dumps([yamlsource.read(*job) for job in jobs], protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - the caller reads these files itself then
        pass
    finally:
        sender.close()


def _folders() -> str:
    return ", ".join(KIND_BY_FOLDER)


def stray_files(project: FsPath, docs_dir: FsPath) -> list[Finding]:
    """The entries of the folders the site reads besides data/ that are not regular files: the theme
    folder (overrides/: templates, translation files, stylesheets, scripts) and the hand-written pages
    (docs/). A link there would publish a file from anywhere on the machine, a pipe would make the
    engine wait forever: each is refused where it is, before the engine or the core reads it."""
    found = []
    translations = project / "overrides" / "atlante" / "i18n"  # (i18n.py reads, and says, those)
    for folder, what in ((project / "overrides", "written in overrides/"), (docs_dir, "written in docs/")):
        for path, kind in files.strays(folder):
            if path.parent == translations and path.suffix == ".yaml":
                continue
            try:
                shown = path.relative_to(project).as_posix()
            except ValueError:
                shown = path.as_posix()
            found.append(Finding("error", shown, 1, 1, f"(file {path.name})", "(file)",
                                 f"not a regular file: expected a file {what}, found {kind}, which is not read", "file-type"))
    return found
