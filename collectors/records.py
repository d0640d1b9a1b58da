"""What a format yields, and what a format is: the contract between formats and the pipeline.

This is the one place that declares what a format module is (like datasette's
hookspecs): a module with ``NAME``, ``VERSION``, ``DESCRIPTION``, ``sniff``
and ``parse``, registered in ``collectors.formats.registry`` (or by a third
party through the ``dtrack.formats`` entry-point group). Parsing is kept apart
from I/O bookkeeping (hashing, deduplication, batching, quarantine,
provenance), which lives once in ``collectors.pipeline.ingest`` for every format.

A format's ``parse`` yields, in any mix:

* a ``dict`` per post, keyed by ``data.schema.POST_SCHEMA`` names (without the
  provenance columns the loop stamps). ``created_at`` may be an aware or naive
  ``datetime``, an ISO/Twitter-style string or epoch seconds: the loop reads it
  with ``readers.times.parse_time`` (naive times in ``ctx.tz``). ``extra`` may
  be a dict. ``source_line`` is the line or item number in the source
  (1-based). An optional ``_raw`` string is kept if the loop must quarantine
  the record.
* a ``polars.DataFrame`` of already-mapped posts (the fast path for big files),
* :class:`Quarantine` for a record that cannot be read (it never stops the run),
* :class:`Notice` for something the export itself reports (e.g. twarc2
  ``errors[]`` entries): recorded with the source, not quarantined.

A file that cannot be read at all raises :class:`SourceError`; the loop then
stores nothing from it. Import-light: no polars here, so the registry and the
readers can be imported without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias
from zoneinfo import ZoneInfo

from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.times import TimeRange, time_range_from_env

if TYPE_CHECKING:
    import polars as pl

#: Rows per batch, everywhere: the posts a format maps into one DataFrame and
#: the rows the ingest loop buffers before handing them to the store.
BATCH_ROWS = 20_000
#: Largest file or archive member read whole into memory (8 GiB); see ``ParseContext.max_member_bytes``.
MAX_MEMBER_BYTES = 8 * 1024**3
#: Longest line a line reader keeps (32 MiB); see ``readers.lines`` and ``ParseContext.max_line_bytes``.
MAX_LINE_BYTES = 32 * 1024**2


class SourceError(Exception):
    """A whole source cannot be read; the message says why (the loop adds the path)."""


@dataclass(frozen=True, slots=True)
class Quarantine:
    """A record that could not become a post."""

    line: int | None
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the export reports about itself (kept with the source record)."""

    line: int | None
    message: str


Record: TypeAlias = "dict[str, Any] | pl.DataFrame | Quarantine | Notice"


@dataclass
class ParseContext:
    """What a format may need besides the path. Extend with defaults only."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))
    #: explicit column mapping for tabular formats: {post field: source column}
    mapping: Mapping[str, str] = field(default_factory=dict)
    #: limit on bytes read from one file, archive member or decompressed stream
    max_member_bytes: int = MAX_MEMBER_BYTES
    #: called with the number of bytes of the source consumed so far
    progress: Callable[[int], None] = lambda done: None
    #: the name the source is reported under (the path, or "<stdin>")
    display_name: str = ""
    #: platform name for rows of formats that do not say (generic CSV/NDJSON)
    platform: str | None = None
    #: longest line kept; a longer one is quarantined with its number and offset (``readers.lines``)
    max_line_bytes: int = MAX_LINE_BYTES
    #: plausible post times: a record outside them is quarantined (``data.times``; $DTRACK_TIME_RANGE)
    time_range: TimeRange = field(default_factory=time_range_from_env)


class Format(Protocol):
    """A format module, e.g. ``collectors.formats.misskey``."""

    NAME: str
    VERSION: str
    DESCRIPTION: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when ``path`` looks like this format. ``head`` is its first
        ``readers.files.SNIFF_BYTES``, or its whole first line (up to the line cap) when that is
        a longer JSON object (``readers.files.read_sniff_head``); empty for a folder.
        Must not raise and must be cheap."""
        ...

    def parse(self, path: Path, ctx: ParseContext) -> Iterator[Record]:
        """Yield the records of ``path`` (see the module docstring)."""
        ...
