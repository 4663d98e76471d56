"""Figures as files for reports: a figure's standalone SVG rasterised to PNG, at build time.

The rasteriser is resvg (resvg-py, Rust, no browser, no network). Text is set in Source Sans Pro,
installed with the project (the font-source-sans-pro package, SIL OFL 1.1), and the machine's own
fonts are not looked at: the same SVG gives the same PNG, byte for byte, on every machine.

A PNG at 1 600 px takes resvg 0.05–0.2 s, most of it the pixels themselves, and a site has one
figure per entity and edition. So each PNG is kept in a cache folder under the digest of all that
made it (the SVG, the width, resvg's version and the fonts): a build draws only the figures whose
drawing changed since any earlier build on the machine (the folder: `ATLANTE_CACHE`, else
`<project>/.cache/atlante/figures`, as Material keeps its social cards in `.cache/`). A file is
written whole or not at all, so builds running side by side share the folder safely.
"""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import metadata
from pathlib import Path as FsPath

PNG_WIDTH = 1600  # px: a figure printed across an A4 page at 200 dpi
CACHE_VARIABLE = "ATLANTE_CACHE"
_FONTS = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf")


def cache_dir(project: FsPath) -> FsPath:
    """Where the PNGs of `project`'s builds are kept."""
    configured = os.environ.get(CACHE_VARIABLE)
    return FsPath(configured) if configured else project / ".cache" / "atlante" / "figures"


def png(svg: str, cache: FsPath | None = None, width: int = PNG_WIDTH) -> bytes:
    """The PNG of `svg`, `width` pixels wide (its height in proportion), from `cache` if it is there."""
    key = hashlib.blake2b(f"{_engine()}\x00{width}\x00{svg}".encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    path = cache / key[:2] / f"{key}.png" if cache is not None else None
    if path is not None:
        try:
            return path.read_bytes()
        except OSError:
            pass
    import resvg_py

    data = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=width, skip_system_fonts=True, font_files=list(_font_files()),
                                       background="#ffffff"))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError:  # a cache that cannot be written is only slower
            pass
    return data


@functools.cache
def _font_files() -> tuple[str, ...]:
    import font_source_sans_pro

    folder = FsPath(font_source_sans_pro.font_directory)
    return tuple(str(folder / name) for name in _FONTS)


@functools.cache
def _engine() -> str:
    """What else decides the pixels: resvg's version and the fonts' bytes."""
    fonts = hashlib.blake2b(b"".join(FsPath(f).read_bytes() for f in _font_files()), digest_size=8).hexdigest()
    return f"resvg-py {metadata.version('resvg-py')}, fonts {fonts}"
