"""The registry of collectors: one explicit list, by name.

Adding a format is adding one module (see ``collectors.base`` for the
protocol) and one line here. Order matters for :func:`detect`: specific
formats come before the generic CSV/NDJSON reader, which accepts almost any
JSON-lines file. Nothing is discovered by walking the file system, so an
import error in a collector fails loudly instead of hiding a format.
"""

from __future__ import annotations

from pathlib import Path

from dtrack.collectors import (
    bluesky,
    csv_ndjson,
    fivech,
    mastodon,
    misskey,
    niconico,
    reddit,
    twarc,
    twitter_v1,
    x_archive,
)
from dtrack.collectors.base import Collector, read_head


class UnknownFormat(ValueError):
    """No collector recognises a file, or a format name is not registered."""


#: name -> collector, in detection order (most specific first).
REGISTRY: dict[str, Collector] = {
    c.NAME: c
    for c in (
        x_archive.X_ARCHIVE,
        mastodon.MASTODON,
        misskey.MISSKEY,
        twarc,
        twitter_v1,
        bluesky,
        reddit,
        fivech,
        niconico,
        csv_ndjson.NDJSON,
        csv_ndjson.CSV,
    )
}


def get_collector(name: str) -> Collector:
    """The collector registered as ``name``."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownFormat(
            f"unknown format {name!r}; known formats: {', '.join(REGISTRY)}"
        ) from None


def detect(path: str | Path) -> str | None:
    """The name of the first collector whose ``sniff`` accepts ``path``, judged
    by content (file names only break ties inside a collector)."""
    path = Path(path)
    head = read_head(path)
    for name, collector in REGISTRY.items():
        try:
            if collector.sniff(path, head):
                return name
        except Exception:  # a sniffer must not take detection down; treat as "no"
            continue
    return None
