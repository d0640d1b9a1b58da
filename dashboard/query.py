"""What the user asked for, as plain values: one query object per kind of table.

A query is what the filter widgets produce, what the cached loaders are
called with, and what :mod:`dashboard.downloads` turns into the matching
`dtrack` command line. Plain frozen dataclasses of hashable values, no
Streamlit, so all three agree by construction and tests can build them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FREQS = ("day", "week", "month")
CONTEXTS = ("any", "ai")
#: Spans up to this many days open by day; longer ones by week (a chart is not that many pixels wide:
#: four years by day draw 1,461 points per term where a week shows the same shape in 209, and faster).
DAY_VIEW_DAYS = 400


def default_freq(first: dt.date | None, last: dt.date | None) -> str:
    """The period a timeline opens with for a store spanning ``first`` to ``last``."""
    if first is None or last is None or (last - first).days < DAY_VIEW_DAYS:
        return "day"
    return "week"


def period_end(start: dt.date, freq: str) -> dt.date:
    """The last day of the period that begins on ``start``."""
    if freq == "day":
        return start
    if freq == "week":
        return start + dt.timedelta(days=6)
    if freq == "month":
        first_next = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return first_next - dt.timedelta(days=1)
    raise ValueError(f"unknown period {freq!r} (day, week or month)")


@dataclass(frozen=True)
class TimelineQuery:
    """The filters of a timeline (`dtrack timeline` options)."""

    terms: tuple[str, ...]
    freq: str = "day"
    context: str = "any"
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()
    #: None = from the first post / to the last (the CLI's default, so no --from/--to)
    start: dt.date | None = None
    end: dt.date | None = None
    measure: str = "posts"
    scale: str = "linear"
    #: first and last day in the store (for drawing), not a filter
    span: tuple[dt.date | None, dt.date | None] = (None, None)


@dataclass(frozen=True)
class EvidenceQuery:
    """The posts behind a count (`dtrack posts` options)."""

    term: str
    start: dt.date | None = None
    end: dt.date | None = None
    context: str = "any"
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()
    limit: int | None = None


@dataclass(frozen=True)
class EmergenceQuery:
    """The options of `dtrack emergence` (its defaults: Poisson burst model, 7-day bursts)."""

    terms: tuple[str, ...] = ()
    before: dt.date | None = None
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()
    burst_model: str = "poisson"
    min_days: int = 7


@dataclass(frozen=True)
class EventStudyQuery:
    """The options of `dtrack events` (with the shipped events file)."""

    terms: tuple[str, ...] = ()
    window: int = 7
    context: str = "any"
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()


@dataclass(frozen=True)
class XcorrQuery:
    """The options of `dtrack xcorr`."""

    term_a: str
    term_b: str
    max_lag: int = 14
    context: str = "any"
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiscoveryQuery:
    """The options of `dtrack discover` the Rising words page offers (the rest at the CLI's defaults)."""

    freq: str = "week"
    start: dt.date | None = None
    end: dt.date | None = None
    top: int = 20
    min_authors: int = 3
    include_known: bool = False
    include_reposts: bool = False
    platforms: tuple[str, ...] = ()
