"""The one time parser, on hand-written cases (the column parsers agree with the single-value one)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from dtrack.collectors.readers.times import (
    TWITTER_TIME,
    parse_slash_time,
    parse_time,
    parse_time_series,
    parse_times,
    time_text,
    twitter_time,
)

JST = ZoneInfo("Asia/Tokyo")
UTC = dt.UTC


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-08-29T12:00:00+09:00", dt.datetime(2022, 8, 29, 3, tzinfo=UTC)),
    ("2022-08-29T12:00:00Z", dt.datetime(2022, 8, 29, 12, tzinfo=UTC)),
    ("2022-08-29 12:00:00", dt.datetime(2022, 8, 29, 3, tzinfo=UTC)),  # naive: the research timezone
    ("Mon Aug 29 03:00:00 +0000 2022", dt.datetime(2022, 8, 29, 3, tzinfo=UTC)),
    ("2022/08/29(月) 12:34:56.78", dt.datetime(2022, 8, 29, 3, 34, 56, 780000, tzinfo=UTC)),
    (1661742000, dt.datetime(2022, 8, 29, 3, tzinfo=UTC)),
    ("1661742000000", dt.datetime(2022, 8, 29, 3, tzinfo=UTC)),  # milliseconds
    ("99/05/30 01:02", None),  # two-digit years only where a format asks for them (5ch)
    ("yesterday", None),
    (None, None),
    (True, None),
])
def test_parse_time(value, expected) -> None:
    assert parse_time(value, JST) == expected


def test_slash_time_keeps_the_rest_and_reads_early_2ch_years() -> None:
    got, rest = parse_slash_time("99/05/30(日) 01:02 ID:abc", JST, two_digit_years=True)
    assert got == dt.datetime(1999, 5, 29, 16, 2, tzinfo=UTC) and rest == " ID:abc"
    assert parse_slash_time("05/05/30 01:02", JST, two_digit_years=True)[0].year == 2005
    assert parse_slash_time("2022/13/01 00:00", JST) == (None, "2022/13/01 00:00")


def test_twitter_time_round_trips_in_english() -> None:
    when = dt.datetime(2022, 8, 29, 3, 0, tzinfo=UTC)
    assert twitter_time(when) == "Mon Aug 29 03:00:00 +0000 2022"
    assert dt.datetime.strptime(twitter_time(when), TWITTER_TIME) == when


def test_time_text_keeps_the_fast_format_and_normalises_the_rest() -> None:
    fast = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
    assert time_text("2022-08-29T03:00:00Z", fast) == "2022-08-29T03:00:00Z"
    assert time_text(1661742000, fast) == "2022-08-29T03:00:00+00:00"
    assert time_text("garbage", fast) is None


def test_the_column_parsers_agree_with_parse_time() -> None:
    values = ["Mon Aug 29 03:00:00 +0000 2022", "2022-08-29 12:00:00 +0900", "2022/08/29 12:00", None]
    column = parse_times(pl.Series(values), (TWITTER_TIME, "%Y-%m-%d %H:%M:%S %z"), JST).to_list()
    assert column == [parse_time(v, JST) for v in values]
    mixed = ["2022-08-29T12:00:00+09:00", "2022-08-29 12:00:00", "Mon Aug 29 03:00:00 +0000 2022", "x"]
    assert parse_time_series(pl.Series(mixed), JST).to_list() == [parse_time(v, JST) for v in mixed]


def _general(values: pl.Series) -> pl.Series:
    """parse_time_series without its fixed-format path: the reference it must agree with."""
    from dtrack.collectors.readers import times

    saved = times.iso_z_series
    times.iso_z_series = lambda v: None  # type: ignore[assignment]
    try:
        return parse_time_series(values, JST)
    finally:
        times.iso_z_series = saved


@pytest.mark.parametrize("width", [20, 24, 27])
def test_the_fixed_iso_z_path_agrees_with_the_general_parser(width: int) -> None:
    """Random UTC times of each accepted shape, leap days and the ends of months included."""
    import random

    from dtrack.collectors.readers.times import iso_z_series

    rng = random.Random(16)
    start = dt.datetime(1, 1, 1, tzinfo=UTC)
    times_ = [start + dt.timedelta(microseconds=rng.randrange(9998 * 365 * 86_400 * 10**6)) for _ in range(2_000)]
    times_ += [dt.datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC), dt.datetime(2000, 2, 29, tzinfo=UTC),
               dt.datetime(1970, 1, 1, tzinfo=UTC), dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)]
    text = [f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}.{t.microsecond:06d}"
            for t in times_]
    values = pl.Series("created_at", [(t[: width - 1] if width > 20 else t[:19]) + "Z" for t in text])
    fast = iso_z_series(values)
    assert fast is not None
    assert fast.cast(pl.Int64).to_list() == _general(values).cast(pl.Int64).to_list()
    assert fast[-2] == dt.datetime(1970, 1, 1, tzinfo=UTC)


def test_the_fixed_iso_z_path_reads_its_shapes_mixed() -> None:
    """Python's isoformat() leaves out a zero fraction: seconds and microseconds in one column."""
    from dtrack.collectors.readers.times import iso_z_series

    values = pl.Series(["2022-06-30T23:59:59Z", "2022-06-30T23:59:59.250000Z", "2020-02-29T00:00:00.5Z"[:19] + "Z",
                        "2021-01-01T00:00:00.125Z"])
    fast = iso_z_series(values)
    assert fast is not None
    assert fast.to_list() == [dt.datetime(2022, 6, 30, 23, 59, 59, tzinfo=UTC),
                              dt.datetime(2022, 6, 30, 23, 59, 59, 250_000, tzinfo=UTC),
                              dt.datetime(2020, 2, 29, tzinfo=UTC),
                              dt.datetime(2021, 1, 1, 0, 0, 0, 125_000, tzinfo=UTC)]
    assert fast.to_list() == _general(values).to_list()


@pytest.mark.parametrize("odd", [
    "2022-02-29T00:00:00Z", "2022-13-01T00:00:00Z", "2022-06-31T00:00:00Z", "2022-06-30T24:00:00Z",
    "2022-06-30T23:60:00Z", "2022-06-30T23:59:60Z", "0000-06-30T23:59:59Z", "2022-06-30 23:59:59Z",
    "2022-06-30T23:59:59+09:00", "2022-06-3OT23:59:59Z", " 2022-06-30T23:59:59Z", None, "2022-06-30T23:59:59.1Z",
])
def test_anything_else_goes_to_the_general_parser(odd: str | None) -> None:
    """One odd value among good ones: the fixed path declines the column, and the result is the general one."""
    from dtrack.collectors.readers.times import iso_z_series

    values = pl.Series("created_at", ["2022-06-30T23:59:59Z", odd, "2021-01-01T00:00:00Z"], dtype=pl.String)
    assert iso_z_series(values) is None
    assert parse_time_series(values, JST).cast(pl.Int64).to_list() == _general(values).cast(pl.Int64).to_list()
    assert parse_time_series(values, JST)[0] == dt.datetime(2022, 6, 30, 23, 59, 59, tzinfo=UTC)
