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

import hashlib
import os
from collections.abc import Callable
from pathlib import Path as FsPath

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
    path = where / name[:2] / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass


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

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Later) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Later({self.name!r})"


def made(content: str | bytes | Later) -> str | bytes:
    """A file's content: a Later's bytes, made now if they were not."""
    return content() if isinstance(content, Later) else content
