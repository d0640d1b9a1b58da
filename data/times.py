"""Which post times dtrack accepts, and which every reader can show.

Why a range at the door. A single impossible timestamp (``0001-01-01``, read
in Asia/Tokyo, is year 0 in UTC; ``9999-12-31`` shown in New York is fine but
in Tokyo is year 10000) is a valid polars datetime but not a Python one, so
once stored it broke every command that turned a row into Python values. No
platform dtrack reads predates 1999 (2ch opened on 30 May 1999; Twitter,
Reddit and Niconico came in 2005-2006) and no post comes from the future, so
times outside a *plausible range* (default 1999-01-01 to one day after now,
UTC) are quarantined with the reason instead of stored. A study of older material
widens it: ``--time-range 1990-01-01..`` on ``dtrack ingest`` and
``dtrack repair``, or ``DTRACK_TIME_RANGE`` for every command and the scheduler.

Why a second, wider bound. Rows stored before the range existed (or under a
wider one) must not break readers either: the store hides rows whose time no
timezone can show as a Python datetime (:data:`READABLE_MIN` ..
:data:`READABLE_MAX`), ``dtrack status`` counts rows outside the plausible
range, and ``dtrack repair`` moves them to quarantine.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # polars only where expressions are built: collectors.records stays import-light
    import polars as pl

#: The environment variable that overrides the plausible range ("EARLIEST..LATEST", either side may be empty).
TIME_RANGE_ENV = "DTRACK_TIME_RANGE"
DEFAULT_EARLIEST = dt.datetime(1999, 1, 1, tzinfo=dt.UTC)
#: The default latest time is now plus this (clocks and timezones of exports differ a little).
FUTURE_MARGIN = dt.timedelta(days=1)
#: Times a Python datetime can hold in every timezone (years 1..9999, with a day to spare each side).
READABLE_MIN = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
READABLE_MAX = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)
#: How an out-of-range time is shown in a reason (polars writes years outside 1..9999 too).
ISO = "%Y-%m-%dT%H:%M:%S%:z"


@dataclass(frozen=True)
class TimeRange:
    """The plausible range of post times, both ends inclusive. ``latest=None`` means now + one day."""

    earliest: dt.datetime = DEFAULT_EARLIEST
    latest: dt.datetime | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        latest = self.latest or dt.datetime.now(dt.UTC) + FUTURE_MARGIN
        return self.earliest, latest

    def __str__(self) -> str:
        latest = _show(self.latest) if self.latest else "now+1d"
        return f"{_show(self.earliest)}..{latest}"

    def outside(self, column: str = "created_at") -> pl.Expr:
        """True for a time outside the range (null stays null: a missing time is another problem)."""
        import polars as pl

        lo, hi = self.bounds()
        return ~pl.col(column).is_between(_lit_utc(lo), _lit_utc(hi))

    def contains(self, value: dt.datetime) -> bool:
        lo, hi = self.bounds()
        return lo <= value <= hi

    def message(self, shown: str, column: str = "created_at") -> str:
        """The quarantine reason for a time (shown as ``shown``) outside the range."""
        return (f"{column} {shown} outside the plausible range {self} "
                f"(widen it with --time-range or {TIME_RANGE_ENV})")

    def reason(self, column: str = "created_at") -> pl.Expr:
        """:meth:`message` for each row of a frame (for rows :meth:`outside` flags)."""
        import polars as pl

        before, after = self.message("\0", column).split("\0")
        return pl.concat_str(pl.lit(before), pl.col(column).dt.to_string(ISO), pl.lit(after))


def _show(value: dt.datetime) -> str:
    text = value.astimezone(dt.UTC).isoformat()
    return text.removesuffix("T00:00:00+00:00").replace("+00:00", "Z")


def _bound(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def parse_time_range(text: str | None) -> TimeRange:
    """``EARLIEST..LATEST`` (ISO dates or times, UTC unless they say; either side may be empty
    for its default) as a :class:`TimeRange`; ValueError says what is wrong."""
    if not text or not text.strip():
        return TimeRange()
    if ".." not in text:
        raise ValueError(f"{text!r}: expected EARLIEST..LATEST, e.g. 1990-01-01..2030-12-31 or 1990-01-01..")
    first, _, last = text.partition("..")
    try:
        earliest = _bound(first) if first.strip() else DEFAULT_EARLIEST
        latest = _bound(last) if last.strip() else None
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc} (use ISO dates such as 1990-01-01)") from None
    if not READABLE_MIN <= earliest <= READABLE_MAX or (latest and not READABLE_MIN <= latest <= READABLE_MAX):
        raise ValueError(f"{text!r}: the range must lie within {_show(READABLE_MIN)}..{_show(READABLE_MAX)}")
    if latest is not None and latest < earliest:
        raise ValueError(f"{text!r}: the latest time is before the earliest")
    return TimeRange(earliest, latest)


def time_range_from_env() -> TimeRange:
    """The range ``$DTRACK_TIME_RANGE`` sets, else the default."""
    return parse_time_range(os.environ.get(TIME_RANGE_ENV))


@functools.lru_cache(maxsize=16)
def readable(column: str = "created_at") -> pl.Expr:
    """True for a time every reader can show (see :data:`READABLE_MIN`); null counts as readable.
    Built once per column (an aware datetime literal costs a millisecond, and the store asks for
    this once per posts file it writes)."""
    import polars as pl

    return pl.col(column).is_between(_lit_utc(READABLE_MIN), _lit_utc(READABLE_MAX)) | pl.col(column).is_null()


def _lit_utc(value: dt.datetime) -> pl.Expr:
    """``pl.lit(value)`` for an aware datetime (``Datetime("us", "UTC")``), built from its
    microseconds: polars' own conversion goes through a Series and a timezone lookup."""
    import polars as pl

    micros = (value - _EPOCH) // dt.timedelta(microseconds=1)
    return pl.lit(micros, dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
