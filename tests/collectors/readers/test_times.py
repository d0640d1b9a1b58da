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
