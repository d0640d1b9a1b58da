"""What the user asked for: the analysis queries of ``analysis.queries``, and how a chart is drawn.

A page binds the same declared query the CLI and the API run (:func:`bind`);
the cached loaders take it, and :mod:`dashboard.downloads` turns it into the
matching `dtrack` command line, so all three agree by construction. What is
only about drawing (measure, scale, span) is a :class:`TimelineView`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dtrack.analysis.queries import ANALYSES, Query
from dtrack.data.defaults import CONTEXTS, FREQS

__all__ = ["CONTEXTS", "DAY_VIEW_DAYS", "FREQS", "TimelineView", "bind", "default_freq", "period_end"]
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
class TimelineView:
    """How a timeline is drawn (not what is counted: that is the ``timeline`` query)."""

    measure: str = "posts"
    scale: str = "linear"
    #: first and last day in the store (for drawing), not a filter
    span: tuple[dt.date | None, dt.date | None] = (None, None)


def bind(name: str, tz: str, *args: Any, **values: Any) -> Query:
    """The page's query of analysis ``name`` in the research timezone the sidebar chose."""
    return ANALYSES[name].bind(*args, tz=tz, **values)
