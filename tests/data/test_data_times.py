"""The time checks at the door and for readers, as polars expressions (data/times.py)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dtrack.data.times import READABLE_MAX, READABLE_MIN, TimeRange, readable


def _times(values: list[dt.datetime | None]) -> pl.DataFrame:
    return pl.DataFrame({"created_at": values}, schema={"created_at": pl.Datetime("us", "UTC")})


def test_the_plausible_range_is_inclusive_to_the_microsecond() -> None:
    lo = dt.datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    hi = dt.datetime(2020, 1, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # midnight UTC
    us = dt.timedelta(microseconds=1)
    frame = _times([lo - us, lo, hi, hi + us, None])
    outside = frame.select(TimeRange(lo, hi).outside()).to_series().to_list()
    assert outside == [True, False, False, True, None]


def test_readable_keeps_the_years_every_timezone_can_show_and_nulls() -> None:
    us = dt.timedelta(microseconds=1)
    frame = _times([READABLE_MIN - us, READABLE_MIN, READABLE_MAX, READABLE_MAX + us, None])
    assert frame.select(readable()).to_series().to_list() == [False, True, True, False, True]
    assert readable() is readable()  # built once: the store asks for it once per file it writes
