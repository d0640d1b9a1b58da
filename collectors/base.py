"""The Collector protocol and the records a collector yields.

This is the one place that declares what a collector is (like datasette's
hookspecs): a format module provides ``NAME``, ``VERSION``, ``sniff`` and
``parse`` and is listed in ``collectors.REGISTRY``. Parsing is kept apart from
I/O bookkeeping (hashing, deduplication, batching, quarantine, provenance),
which lives once in ``collectors.ingest`` for every format.

A collector's ``parse`` yields, in any mix:

* a ``dict`` per post, keyed by ``data.schema.POST_SCHEMA`` names (without the
  provenance columns the loop stamps). ``created_at`` may be an aware or naive
  ``datetime``, an ISO/Twitter-style string or epoch seconds: the loop reads it
  with :func:`parse_time` (naive times in ``ctx.tz``). ``extra`` may be a
  dict. ``source_line`` is the line or item number in the source (1-based).
  An optional ``_raw`` string is kept if the loop must quarantine the record.
* a ``polars.DataFrame`` of already-mapped posts (the fast path for big files),
* :class:`Quarantine` for a record that cannot be read (it never stops the run),
* :class:`Notice` for something the export itself reports (e.g. twarc2
  ``errors[]`` entries): recorded with the source, not quarantined.

A file that cannot be read at all raises :class:`SourceError`; the loop then
stores nothing from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import polars as pl

from dtrack.data.times import TimeRange, time_range_from_env

DEFAULT_TZ = "Asia/Tokyo"
#: How many bytes of a file ``detect`` hands to each ``sniff``.
SNIFF_BYTES = 64 * 1024


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


Record = dict[str, Any] | pl.DataFrame | Quarantine | Notice


@dataclass
class ParseContext:
    """What a collector may need besides the path. Extend with defaults only."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))
    #: explicit column mapping for tabular formats: {post field: source column}
    mapping: Mapping[str, str] = field(default_factory=dict)
    #: limit on bytes read from one archive member or decompressed stream
    max_member_bytes: int = 8 * 1024**3
    #: called with the number of bytes of the source consumed so far
    progress: Callable[[int], None] = lambda done: None
    #: the name the source is reported under (the path, or "<stdin>")
    display_name: str = ""
    #: platform name for rows of formats that do not say (generic CSV/NDJSON)
    platform: str | None = None
    #: plausible post times: a record outside them is quarantined (``data.times``; $DTRACK_TIME_RANGE)
    time_range: TimeRange = field(default_factory=time_range_from_env)


class Collector(Protocol):
    """A format module, e.g. ``collectors.csv_ndjson``."""

    NAME: str
    VERSION: str
    DESCRIPTION: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when ``path`` looks like this format. ``head`` is its first
        ``SNIFF_BYTES`` (empty for a folder). Must not raise and must be cheap."""
        ...

    def parse(self, path: Path, ctx: ParseContext) -> Iterator[Record]:
        """Yield the records of ``path`` (see the module docstring)."""
        ...


# -- time --------------------------------------------------------------------
_TWITTER_FMT = "%a %b %d %H:%M:%S %z %Y"
_SLASH_RE = re.compile(
    r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\([^)]*\))?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
)
_EPOCH_RE = re.compile(r"^-?\d+(\.\d+)?$")


def _from_epoch(value: float) -> dt.datetime:
    if abs(value) > 1e14:  # microseconds
        value /= 1e6
    elif abs(value) > 1e11:  # milliseconds
        value /= 1e3
    return dt.datetime.fromtimestamp(value, dt.UTC)


def parse_time(value: Any, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """Read a timestamp as an aware UTC datetime; None when it cannot be read.

    Accepts datetimes, epoch seconds (or milliseconds) as numbers or digit
    strings, ISO 8601 (with ``Z``, an offset, or none), Twitter's
    ``Wed Aug 29 03:00:00 +0000 2022`` and ``2022/08/29(月) 12:34:56.78``.
    Times without a zone are read in ``tz`` (default Asia/Tokyo).
    """
    tz = tz or ZoneInfo(DEFAULT_TZ)
    try:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        elif isinstance(value, int | float):
            return _from_epoch(float(value))
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if _EPOCH_RE.match(text):
                return _from_epoch(float(text))
            try:
                parsed = dt.datetime.fromisoformat(text)
            except ValueError:
                try:
                    parsed = dt.datetime.strptime(text, _TWITTER_FMT)
                except ValueError:
                    m = _SLASH_RE.match(text)
                    if not m:
                        return None
                    y, mo, d, h, mi, s, frac = m.groups()
                    micro = int((frac or "0")[:6].ljust(6, "0"))
                    parsed = dt.datetime(
                        int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro
                    )
        else:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed.astimezone(dt.UTC)  # 0001-01-01 in Tokyo is year 0 in UTC: unreadable, not a crash
    except (ValueError, OverflowError, OSError):
        return None


def read_head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of a file, or b"" for a folder or an unreadable file."""
    if path.is_dir():
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def parse_time_series(values: pl.Series, tz: Any) -> pl.Series:
    """Vectorised :func:`parse_time` (to ``Datetime(us, UTC)``): numbers are epoch seconds, strings ISO 8601
    with or without a zone (naive read in ``tz``); anything else goes through
    :func:`parse_time` one by one."""
    target = pl.Datetime("us", "UTC")
    if values.dtype.is_numeric():
        secs = values.cast(pl.Float64)
        secs = pl.select(
            pl.when(secs.abs() > 1e14).then(secs / 1e6)
            .when(secs.abs() > 1e11).then(secs / 1e3).otherwise(secs)
        ).to_series()
        # outside what a Python datetime holds (years 1-9999) is unreadable, as in parse_time
        secs = secs.set(~secs.is_between(-62_135_596_800, 253_402_300_799), None)
        return (secs * 1e6).cast(pl.Int64).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if isinstance(values.dtype, pl.Datetime):
        if values.dtype.time_zone is None:  # type: ignore[union-attr]
            values = values.dt.replace_time_zone(str(tz), ambiguous="earliest", non_existent="null")
        return values.dt.convert_time_zone("UTC").cast(target)
    text = values.cast(pl.String).str.strip_chars()
    zone = str(tz)

    def iso_aware(v: pl.Series) -> pl.Series:
        return v.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", strict=False, time_unit="us", time_zone="UTC")

    def iso_naive(v: pl.Series) -> pl.Series:
        return (v.str.replace("T", " ", literal=True)
                .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
                .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                .dt.convert_time_zone("UTC"))

    def twitter(v: pl.Series) -> pl.Series:
        return v.str.to_datetime("%a %b %d %H:%M:%S %z %Y", strict=False, time_unit="us", time_zone="UTC")

    parsers = [iso_aware, iso_naive, twitter]
    # Pick the parser that reads most of a sample, run it on everything, and give
    # only what it left to the others: one full pass in the common case.
    sample = text.drop_nulls().head(1000)
    parsers.sort(key=lambda f: -f(sample).is_not_null().sum())
    out = parsers[0](text)
    for parser in parsers[1:]:
        todo = out.is_null() & text.is_not_null()
        if not todo.any():
            break
        idx = todo.arg_true()
        out = out.scatter(idx, parser(text.gather(idx)))
    todo = out.is_null() & text.is_not_null()
    if todo.any():
        fixed = [parse_time(v, tz) for v in text.filter(todo).to_list()]
        out = out.scatter(todo.arg_true(), pl.Series(fixed, dtype=target))
    return out.cast(target)
