"""What the build keeps on disk between builds: the files it makes slowly (the figures' PNGs, the whole
brief's PDF), each under the digest of everything that made it, so that a build makes again only
what changed since any earlier build on the machine.

The folder is `ATLANTE_CACHE`, else `<project>/.cache/atlante/` (ignored by git, as Material keeps its
social cards in `.cache/`). A key names its inputs entirely, so an entry never goes stale: at worst it
is never asked for again, and the folder can be emptied at any time. A file is written whole or not at
all (a temporary name, then a rename), so builds running side by side share the folder safely; a
folder that cannot be read or written only makes the build slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path as FsPath

from . import files

VARIABLE = "ATLANTE_CACHE"


def folder(project: FsPath) -> FsPath:
    """Where `project`'s builds keep what they made."""
    configured = os.environ.get(VARIABLE)
    return FsPath(configured) if configured else project / ".cache" / "atlante"


def key(*parts: str | bytes) -> str:
    """The digest of `parts`, each whole (a part cannot run into the next)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def kept(where: FsPath | None, name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes kept in `where` under `name` (a key, with its extension), or those `make()` makes,
    kept there for the next build. Without a folder, `make()`."""
    data = read(where, name)
    if data is None:
        data = make()
        keep(where, name, data)
    return data


def kept_file(where: FsPath | None, name: str, make: Callable[[], bytes]) -> FsPath | None:
    """The file in `where` that keeps `name`, made (`make()`) and kept first if it was not; None if it
    cannot be kept (no folder, or one that cannot be written). A build hands the engine this file to
    copy rather than its bytes, which a site of thousands of figures would otherwise hold in memory."""
    if where is None:
        return None
    path = where / name[:2] / name
    if not path.is_file():
        keep(where, name, make())
    return path if path.is_file() else None


def read(where: FsPath | None, name: str) -> bytes | None:
    """The bytes kept in `where` under `name`; None where there are none (or no folder)."""
    if where is None:
        return None
    try:
        return (where / name[:2] / name).read_bytes()
    except OSError:
        return None


def keep(where: FsPath | None, name: str, data: bytes) -> None:
    """Keep `data` in `where` under `name`, whole or not at all (a folder that cannot be written: not kept)."""
    if where is None:
        return
    with contextlib.suppress(OSError):
        files.write_whole(where / name[:2] / name, data)


class Later:
    """Bytes made when first asked for, and kept as `kept` keeps them: a download that a build makes
    only if it writes it (the preview's first phase writes only the edited entry's page, and its
    second phase the rest). Its name is the digest of what makes it, so two are equal when their
    names are (the same bytes); calling it gives the bytes, made once."""

    __slots__ = ("name", "linked", "_where", "_make", "_data")
    _data: bytes | None  # made when first asked for

    def __init__(self, where: FsPath | None, name: str, make: Callable[[], bytes], linked: bool = False) -> None:
        # linked: a page's Markdown links to it, so the engine must have it among its files (the preview
        # makes the others only when a reader asks for them)
        self.name, self.linked, self._where, self._make, self._data = name, linked, where, make, None

    def __call__(self) -> bytes:
        if self._data is None:
            self._data = kept(self._where, self.name, self._make)
        return self._data

    def file(self) -> FsPath | None:
        """The file that keeps the bytes, made if it was not (cache.kept_file), without reading them."""
        if self._data is not None:
            return None  # made without a folder to keep them, or asked for already: in memory anyway
        return kept_file(self._where, self.name, self._make)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Later) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Later({self.name!r})"


def made(content: str | bytes | Later) -> str | bytes:
    """A file's content: a Later's bytes, made now if they were not."""
    return content() if isinstance(content, Later) else content
