"""Figures as files for reports: a figure's standalone SVG rasterised to PNG, at build time.

The rasteriser is resvg (resvg-py, Rust, no browser, no network). Text is set in Source Sans Pro,
installed with the project (the font-source-sans-pro package, SIL OFL 1.1), and the machine's own
fonts are not looked at: the same SVG gives the same PNG, byte for byte, on every machine.

A PNG at 1 600 px takes resvg 0.05–0.2 s, most of it the pixels themselves, and a site has one
figure per entity and edition: each PNG is kept between builds (cache.py) under the digest of all
that made it (the SVG, the width, resvg's version and the fonts), so a build draws only the figures
whose drawing changed.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path as FsPath

from . import cache

PNG_WIDTH = 1600  # px: a figure printed across an A4 page at 200 dpi
_FONTS = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf")


def png(svg: str, kept: FsPath | None = None, width: int = PNG_WIDTH) -> bytes:
    """The PNG of `svg`, `width` pixels wide (its height in proportion); kept in the folder `kept`."""
    return png_later(svg, kept, width)()


def png_later(svg: str, kept: FsPath | None = None, width: int = PNG_WIDTH) -> cache.Later:
    """The PNG of `svg`, drawn when it is first asked for (cache.Later)."""
    def draw() -> bytes:
        import resvg_py

        return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=width, skip_system_fonts=True,
                                           font_files=list(_font_files()), background="#ffffff"))

    return cache.Later(kept, cache.key("png", _engine(), str(width), svg) + ".png", draw)


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
