"""Reading the project's files as untrusted input: regular files only, never through a link, never blocking.

The data folder is edited by pull requests from people outside the team, and the schemas, templates,
translation files and hand-written pages can be too. A symbolic link there could publish a file from
anywhere on the machine that builds the site; a named pipe, a socket or a device would make a read
wait forever. So every file the core reads goes through `read_bytes`, which opens it without
following a link and without blocking (O_NOFOLLOW, O_NONBLOCK), then refuses anything but a regular
file before reading a byte; and `strays` lists the entries of a folder that are not regular files or
folders, for the check to refuse them where they are, before the engine reads them too.

What the build writes outside the site (its cache, the preview's pages and downloads) is written by
`write_whole`: whole or not at all, so that a reader or a build beside it never finds half a file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path as FsPath

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegular(OSError):
    """A path that is not a regular file: `what` it is instead ("a symbolic link", "a named pipe", …)."""

    def __init__(self, path: FsPath | str, what: str) -> None:
        super().__init__(f"{path}: not a regular file ({what})")
        self.what = what


def what(mode: int) -> str | None:
    """What a file of `mode` (from lstat) is, if it is not a regular file; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def is_regular(path: FsPath | str) -> bool:
    """Whether `path` is a regular file itself (not a link to one, not a pipe); False where it is gone."""
    try:
        return what(os.lstat(path).st_mode) is None
    except OSError:
        return False


def read_bytes(path: FsPath | str) -> bytes:
    """The bytes of the regular file at `path`; NotRegular for a link, a pipe, a socket, a device or a
    folder (nothing is read from it, and the call never waits); OSError as open() raises it otherwise."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise NotRegular(path, "a symbolic link") from None
        if isinstance(exc, IsADirectoryError):
            raise NotRegular(path, "a folder") from None
        raise
    try:
        kind = what(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotRegular(path, kind)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: FsPath | str) -> str:
    """`read_bytes`, decoded from UTF-8."""
    return read_bytes(path).decode("utf-8")


def strays(folder: FsPath) -> Iterator[tuple[FsPath, str]]:
    """Every entry below `folder` that is neither a regular file nor a folder, with what it is: links
    (to anything, a folder included: none is followed), pipes, sockets, devices. In path order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            continue  # gone meanwhile
        if stat.S_ISDIR(mode):
            yield from strays(FsPath(entry.path))
        elif not stat.S_ISREG(mode):
            yield FsPath(entry.path), what(mode) or "a special file"


def write_whole(path: FsPath | str, data: bytes) -> None:
    """Write `data` to `path`, its folders made first: under a temporary name of this process, then
    renamed, so that the file is whole or absent."""
    target = FsPath(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, target)
