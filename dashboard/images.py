"""Charts as PNG/SVG files, drawn offline with Japanese fonts.

plotly's own exporter (kaleido ≥ 1) drives a Chrome it is pointed to; here
that is Debian's ``/usr/bin/chromium`` (``$BROWSER_PATH`` if set), which
renders Noto Sans CJK JP from fonts-noto-cjk. Nothing is fetched from the
internet: kaleido ships plotly.js, and the fonts are the system's.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import Any

#: Where Debian installs Chromium.
CHROMIUM = "/usr/bin/chromium"
#: Pixel size of an exported chart, and the scale of the PNG (2: sharp on a projector).
WIDTH = 1400
PNG_SCALE = 2


def browser_path() -> str | None:
    """The Chromium kaleido uses: $BROWSER_PATH, else Debian's, else one on PATH."""
    for candidate in (os.environ.get("BROWSER_PATH"), CHROMIUM, shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def unavailable() -> str | None:
    """Why charts cannot be exported here (None when they can)."""
    if importlib.util.find_spec("kaleido") is None:
        return "kaleido is not installed (pip install kaleido)"
    if browser_path() is None:
        return "no Chromium found (apt install chromium, or set BROWSER_PATH)"
    return None


def figure_bytes(fig: Any, fmt: str = "png", *, width: int = WIDTH) -> bytes:
    """The figure as ``png`` or ``svg`` bytes, at ``width`` pixels and the figure's own height."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown image format {fmt!r} (png or svg)")
    path = browser_path()
    if path is not None:
        os.environ.setdefault("BROWSER_PATH", path)
    height = int(fig.layout.height or 500)
    return fig.to_image(format=fmt, width=width, height=height, scale=PNG_SCALE if fmt == "png" else 1)
