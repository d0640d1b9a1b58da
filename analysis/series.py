"""Dense daily series: every local day of the data's span, zeros included.

Burst detection, event windows and cross-correlation work on arrays where
index i is day ``first + i``. A day without any use must be a 0 in that array,
and the span must be the span of the *data* (first to last day with any
counted post), not of the term: a term's silence before its first use is
information. This module turns the (term, day, posts) and (day, total) frames
of :mod:`analysis.counting` into such arrays once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl

_EPOCH = date(1970, 1, 1)


@dataclass
class DailySeries:
    """Counts per term and all counted posts per day over ``first``..``first + n - 1``.

    Examples
    --------
    >>> import datetime as dt
    >>> totals = pl.DataFrame({"day": [dt.date(2022, 8, 1), dt.date(2022, 8, 4)], "total": [5, 7]})
    >>> daily = pl.DataFrame({"term": ["mimic"], "day": [dt.date(2022, 8, 4)], "posts": [2]})
    >>> s = DailySeries.from_frames(daily, totals)
    >>> s.totals.tolist(), s.counts["mimic"].tolist(), s.day(3)
    ([5, 0, 0, 7], [0, 0, 0, 2], datetime.date(2022, 8, 4))
    """

    first: date | None
    totals: np.ndarray
    counts: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.totals.size)

    @classmethod
    def from_frames(cls, daily: pl.DataFrame, totals: pl.DataFrame) -> DailySeries:
        """Build from ``daily_term_counts`` (term, day, posts) and ``daily_totals`` (day, total)."""
        if totals.height == 0:
            return cls(None, np.zeros(0, dtype=np.int64))
        first: date = totals.get_column("day").min()  # type: ignore[assignment]
        last: date = totals.get_column("day").max()  # type: ignore[assignment]
        series = cls(first, np.zeros((last - first).days + 1, dtype=np.int64))
        series.totals[series.indexes(totals.get_column("day"))] = totals.get_column("total").to_numpy()
        for (term,), part in daily.partition_by("term", as_dict=True).items():
            counts = np.zeros(series.n, dtype=np.int64)
            idx = series.indexes(part.get_column("day"))
            keep = (idx >= 0) & (idx < series.n)
            counts[idx[keep]] = part.get_column("posts").to_numpy()[keep]
            series.counts[str(term)] = counts
        return series

    def indexes(self, days: pl.Series) -> np.ndarray:
        """Array positions of a Date series (may fall outside 0..n-1)."""
        assert self.first is not None
        return days.cast(pl.Int64).to_numpy() - (self.first - _EPOCH).days

    def index(self, day: date) -> int:
        """Array position of one day (may fall outside 0..n-1)."""
        assert self.first is not None
        return (day - self.first).days

    def day(self, index: int) -> date:
        """The local day at an array position."""
        assert self.first is not None
        return self.first + timedelta(days=int(index))

    def term(self, term: str) -> np.ndarray:
        """The daily counts of a term (all zero if it has no use)."""
        return self.counts.get(term, np.zeros(self.n, dtype=np.int64))
