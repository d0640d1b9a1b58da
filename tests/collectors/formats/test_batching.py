"""collectors.batching: post dicts into DataFrames with times parsed a column at a time."""

from __future__ import annotations

import datetime as dt

import orjson
import polars as pl

from dtrack.collectors.formats.batching import COLLECTED, batched, extra_json, parse_times
from dtrack.collectors.records import Notice, Quarantine


def test_parse_times_reads_the_format_and_falls_back_one_by_one():
    values = pl.Series(["2022-08-29T03:00:00.000Z", "2022-08-29T12:00:00+09:00", "not a time", None])
    out = parse_times(values, "%Y-%m-%dT%H:%M:%S%.fZ").to_list()
    utc = dt.datetime(2022, 8, 29, 3, tzinfo=dt.UTC)
    assert out == [utc, utc, None, None]


def test_parse_times_with_a_zone_in_the_format():
    values = pl.Series(["Mon Aug 29 12:00:00 +0900 2022"])
    (out,) = parse_times(values, "%a %b %d %H:%M:%S %z %Y").to_list()
    assert out == dt.datetime(2022, 8, 29, 3, tzinfo=dt.UTC)


def test_extra_json_survives_integers_orjson_refuses():
    big = 2**70
    assert orjson.loads(extra_json({"a": 1})) == {"a": 1}
    assert str(big) in extra_json({"rules": [{"id": big}]})
    assert extra_json({}) is None


def test_batched_groups_posts_and_passes_the_rest_through():
    def post(i: int) -> dict:
        return {"platform": "twitter", "post_id": str(i), "created_at": "2022-08-29T03:00:00.000Z",
                "text": "x", "is_repost": False, "extra": {"n": i} if i % 2 else None, "source_line": i}

    records = [post(1), Quarantine(2, "raw", "bad"), post(3), Notice(4, "note"), post(5)]
    out = list(batched(records, "%Y-%m-%dT%H:%M:%S%.fZ", size=2))
    kinds = [type(r).__name__ for r in out]
    assert kinds == ["Quarantine", "DataFrame", "Notice", "DataFrame"]
    first, last = out[1], out[3]
    assert first.schema == pl.Schema(COLLECTED)
    assert first["post_id"].to_list() == ["1", "3"] and last.height == 1
    assert first["extra"].to_list() == ['{"n":1}', '{"n":3}']
    assert first["created_at"].to_list()[0] == dt.datetime(2022, 8, 29, 3, tzinfo=dt.UTC)
