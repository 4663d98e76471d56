"""Step 1, load: find every data file under data/ and read it, recording positions.

A file the loader would otherwise skip (another extension, a hidden file, a file directly in
data/, an unknown folder) is reported, never ignored in silence.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path as FsPath

from . import yamlsource
from .kinds import KIND_BY_FOLDER
from .messages import suggest
from .model import Finding
from .yamlsource import Positions

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
            status: os.stat_result | None = os.stat(text_path)
        except OSError:
            status = None
        if (status is not None and stat.S_ISDIR(status.st_mode)) or parts[0] == SCHEMA_FOLDER:
            continue
        where = shown_top + rel if below else shown(path)
        subject = f"(file {parts[-1]})"
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
        too_large = yamlsource.oversize(status.st_size if status is not None else path.stat().st_size)
        if too_large is not None:  # refused before reading, so memory stays bounded
            findings.append(Finding("error", where, 1, 1, f"{kind.name}:{stem}", "(file)", too_large, "file-size"))
            documents.append(Document(kind.name, stem, where, None, Positions()))
            continue
        raw = path.read_bytes()
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
        document.data, document.positions = data, positions  # type: ignore[assignment]
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


def _read_elsewhere(sender, jobs: list[tuple[bytes, str, str]]) -> None:  # type: ignore[no-untyped-def]
    import pickle

    try:
        sender.send_bytes(pickle.dumps([yamlsource.read(*job) for job in jobs], protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - the caller reads these files itself then
        pass
    finally:
        sender.close()


def _folders() -> str:
    return ", ".join(KIND_BY_FOLDER)
