"""The query layer and the notebook API: one declaration, the same numbers everywhere."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from click.testing import CliRunner

import dtrack
from dtrack import main
from dtrack.analysis.export import csv_bytes
from dtrack.analysis.queries import ANALYSES, QueryError
from dtrack.data.errors import StoreError
from dtrack.data.store import Store

# the same request through the CLI and the API (argv after `dtrack`, method, args, keyword args)
SAME = [
    (["timeline", "無断学習", "--freq", "day"], "timeline", (["無断学習"],), {"freq": "day"}),
    (["timeline", "無断学習", "mimic", "--freq", "week", "--context", "ai", "--from", "2022-08-01"],
     "timeline", (["無断学習", "mimic"],), {"freq": "week", "context": "ai", "start": dt.date(2022, 8, 1)}),
    (["emergence"], "emergence", (), {}),
    (["emergence", "無断学習", "--before", "2021-04-01"], "emergence", (), {"terms": ["無断学習"],
                                                                          "before": "2021-04-01"}),
    (["emergence", "無断学習", "--burst-s", "3", "--burst-gamma", "0.5", "--burst-model", "binomial"], "emergence",
     (), {"terms": ["無断学習"], "burst_s": 3, "burst_gamma": 0.5, "burst_model": "binomial"}),
    (["events", "無断学習", "--window", "3"], "events", (["無断学習"],), {"window": 3}),
    (["posts", "無断学習", "--date", "2022-08-29", "--context", "ai"], "posts", ("無断学習",),
     {"day": "2022-08-29", "context": "ai"}),
    (["xcorr", "mimic", "無断学習", "--max-lag", "5"], "xcorr", ("mimic", "無断学習"), {"max_lag": 5}),
    (["kwic", "無断学習", "--format", "csv", "--limit", "0"], "kwic", ("無断学習",), {"limit": 0}),
    (["kwic", "無断学習", "--format", "csv", "--limit", "30", "--sort", "right1"], "kwic", ("無断学習",),
     {"limit": 30, "sort": "right1"}),
    (["cooccur", "無断学習", "--from", "2022-08-29", "--format", "csv"], "cooccur", ("無断学習",),
     {"start": "2022-08-29"}),
    (["cooccur", "無断学習", "--from", "2022-08-29", "--vs-to", "2021-03-31", "--measure", "llr", "--format", "csv",
      "--min-count", "1"], "cooccur", ("無断学習",), {"start": "2022-08-29", "vs_end": "2021-03-31", "measure": "llr",
                                                     "min_count": 1}),
    (["sentiment", "無断学習", "--freq", "month"], "sentiment", ("無断学習",), {"freq": "month"}),
]


def _cli(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize(("argv", "method", "args", "kwargs"), SAME, ids=[" ".join(s[0]) for s in SAME])
def test_api_returns_the_cli_table(story_store: Store, argv: list[str], method: str, args: tuple,
                                   kwargs: dict) -> None:
    frame = getattr(dtrack.open_store(story_store.path), method)(*args, **kwargs)
    assert frame.height > 0
    assert csv_bytes(frame) == _cli(*argv, "--store", str(story_store.path))


def test_open_store_resolves_like_the_cli(story_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTRACK_STORE", str(story_store.path))
    s = dtrack.open_store()
    assert s.path == story_store.path and s.version == story_store.version
    assert s.status()["posts"] == story_store.scan_posts().collect().height
    with pytest.raises(StoreError, match="no dtrack store"):
        dtrack.open_store(story_store.path.parent / "nothing-here")


def test_api_errors_are_clear(story_store: Store) -> None:
    s = dtrack.open_store(story_store.path)
    with pytest.raises(QueryError, match=r"'無断学集' is not a term of the dictionary.*無断学習"):
        s.timeline(["無断学集"])
    with pytest.raises(QueryError, match="--freq: 'weak' is not one of day, week, month; did you mean week"):
        s.timeline(["無断学習"], freq="weak")
    with pytest.raises(QueryError, match=r"'strat' is not a parameter.*start"):
        s.timeline(["無断学習"], strat="2022-01-01")
    with pytest.raises(QueryError, match="not a date"):
        s.posts("無断学習", start="29/08/2022")
    with pytest.raises(QueryError, match="--from is after --to"):
        s.timeline(["無断学習"], start="2022-09-01", end="2022-08-01")
    assert isinstance(QueryError("x"), ValueError)  # notebooks catch ValueError


def test_every_analysis_is_a_method_with_its_parameters() -> None:
    for name, analysis in ANALYSES.items():
        method = getattr(dtrack.api.Store, name)
        names = list(inspect.signature(method).parameters)[1:]
        assert names == [p.name for p in analysis.params]
        assert analysis.help in method.__doc__


def test_argv_reproduces_the_query(story_store: Store) -> None:
    # the dashboard's "same bytes as" line is Analysis.argv: running it gives the query's table
    s = dtrack.open_store(story_store.path)
    q = s.query("timeline", ["無断学習"], freq="week", platforms=["x"], include_reposts=True, end="2022-12-31")
    assert q.analysis.argv(q) == ["timeline", "無断学習", "--freq", "week", "--context", "any", "--include-reposts",
                                  "--platform", "x", "--to", "2022-12-31", "--tz", "Asia/Tokyo"]
    assert csv_bytes(s.run(q)) == _cli(*q.analysis.argv(q), "--store", str(story_store.path))
    assert s.command(q).startswith("dtrack timeline 無断学習 --freq week")


def test_record_uses_the_cli_names() -> None:
    q = ANALYSES["posts"].bind("無断学習", day="2022-08-29")
    assert (q.start, q.end, q.day) == (dt.date(2022, 8, 29), dt.date(2022, 8, 29), None)
    assert ANALYSES["posts"].record(q, fmt="csv") == {
        "term": "無断学習", "from": dt.date(2022, 8, 29), "to": dt.date(2022, 8, 29), "context": "any",
        "limit": None, "include_reposts": False, "platforms": [], "tz": "Asia/Tokyo", "format": "csv"}
    with pytest.raises(QueryError, match="not both"):
        ANALYSES["posts"].bind("無断学習", day="2022-08-29", start="2022-08-01")
