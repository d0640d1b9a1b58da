"""Loaders: cached on the store version, and shaped without changing what analysis returns."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dtrack.analysis import timeline as timeline_module
from dtrack.analysis.evidence import evidence
from dtrack.analysis.timeline import timeline, timeline_from_tables
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.dashboard import loaders
from dtrack.dashboard.query import bind
from dtrack.data.store import Store
from tests.dashboard.story import FIXTURES, STORY

TZ = "Asia/Tokyo"
D = dt.date


@pytest.mark.parametrize(("start", "end", "context", "reposts", "platforms", "limit"), [
    (None, None, "any", False, (), None),
    (D(2022, 8, 29), D(2022, 8, 29), "any", False, (), None),
    (D(2022, 8, 22), D(2022, 9, 4), "ai", True, ("twitter",), 5),
    (None, D(2021, 4, 14), "any", False, ("bluesky", "twitter"), None),
    (D(2022, 9, 1), None, "ai", False, (), 3),
    (D(2023, 1, 1), None, "any", False, (), None),
])
def test_evidence_slices_are_exactly_analysis_evidence(story_store: Store, start, end, context, reposts, platforms,
                                                       limit):
    q = bind("posts", TZ, "無断学習", start=start, end=end, context=context, include_reposts=reposts,
             platforms=platforms, limit=limit)
    ours = loaders.evidence_frame(str(story_store.path), story_store.version, q)
    theirs = evidence(story_store.scan_posts(), story_store.scan_hits(), "無断学習", start=start, end=end,
                      context=context, include_reposts=reposts, platforms=list(platforms) or None, tz=TZ, limit=limit)
    assert ours.equals(theirs)


def test_loaders_recompute_only_when_the_store_changes(tmp_path, monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs.get("freq"))
        return timeline(*args, **kwargs)

    def counted_tables(*args, **kwargs):  # the same timeline from the precomputed tables (data.daily)
        calls.append(kwargs.get("freq"))
        return timeline_from_tables(*args, **kwargs)

    monkeypatch.setattr(timeline_module, "timeline", counted)
    monkeypatch.setattr(timeline_module, "timeline_from_tables", counted_tables)
    store = Store(tmp_path / "store")
    with store.writer() as writer:
        ingest_paths(writer, [STORY], fmt="ndjson")
    q = bind("timeline", TZ, terms=("無断学習",), freq="week")
    first = loaders.analysis_frame(str(store.path), store.version, q)
    again = loaders.analysis_frame(str(store.path), store.version, q)
    assert calls == ["week"] and first.equals(again)
    with store.writer() as writer:  # a new source: a new version, so the next call recomputes
        ingest_paths(writer, [FIXTURES / "extra" / "later.ndjson"], fmt="ndjson")
    loaders.analysis_frame(str(store.path), store.version, q)
    assert calls == ["week", "week"]


def test_kwic_rows_cut_context_around_the_hit():
    text = "改行\nのある前文脈がとても長い投稿で無断学習という語が出てくる。後ろの文脈"
    start = text.index("無断学習")
    frame = pl.DataFrame({"text": [text], "start": [start], "end": [start + 4], "evidence": [["AI", "モデル"]],
                          "time": [dt.datetime(2022, 8, 29, 1, 2, tzinfo=dt.UTC)]})
    row = loaders.kwic_rows(frame, width=10).row(0, named=True)
    assert row["match"] == "無断学習"
    assert row["left"] == "…" + text[start - 10:start]
    assert row["right"] == text[start + 4:start + 14] + "…"
    assert row["evidence"] == "AI, モデル"
    assert row["time"] == "2022-08-29 01:02"
    short = loaders.kwic_rows(frame, width=100).row(0, named=True)
    assert short["left"] == "改行⏎のある前文脈がとても長い投稿で" and not short["right"].endswith("…")


def test_coverage_keeps_empty_days_and_gaps_are_runs_of_them(story_store: Store):
    path, version = str(story_store.path), story_store.version
    daily = loaders.coverage(path, version, TZ, "day")
    days = (D(2022, 9, 19) - D(2020, 6, 1)).days + 1
    assert daily.height == 3 * days and daily["posts"].sum() == 196
    gaps = loaders.gaps(path, version, TZ, 7)
    assert gaps.height > 0 and (gaps["days"] >= 7).all()
    per_day = daily.group_by("period").agg(pl.col("posts").sum())
    for start, end, n in gaps.iter_rows():
        assert (end - start).days + 1 == n
        inside = per_day.filter(pl.col("period").is_between(start, end))
        assert inside.height == n and inside["posts"].sum() == 0
        edges = per_day.filter(pl.col("period").is_in([start - dt.timedelta(days=1), end + dt.timedelta(days=1)]))
        assert (edges["posts"] > 0).all()


def test_hover_posts_are_the_first_posts_of_each_period(story_store: Store):
    path, version = str(story_store.path), story_store.version
    hover = loaders.hover_posts(path, version, bind("timeline", TZ, terms=("無断学習",), freq="week"))
    week = hover.filter(pl.col("period") == D(2022, 8, 29)).row(0, named=True)  # a Monday
    ev = evidence(story_store.scan_posts(), story_store.scan_hits(), "無断学習", start=D(2022, 8, 29),
                  end=D(2022, 9, 4), tz=TZ, limit=3)
    assert len(week["first_posts"]) == 3
    for line, (time, text) in zip(week["first_posts"], ev.select("time", "text").iter_rows(), strict=True):
        assert line.startswith(time.strftime("%m-%d %H:%M ")) and text[:20] in line
    periods = timeline(story_store.scan_posts(), story_store.scan_hits(), ["無断学習"], freq="week").collect()
    used = set(periods.filter(pl.col("posts") > 0)["period"].to_list())
    assert set(hover["period"].to_list()) == used


def test_long_spans_open_by_week():
    from dtrack.dashboard.query import DAY_VIEW_DAYS, default_freq

    assert default_freq(D(2022, 8, 1), D(2022, 9, 30)) == "day"
    assert default_freq(D(2020, 1, 1), D(2020, 1, 1) + dt.timedelta(days=DAY_VIEW_DAYS)) == "week"
    assert default_freq(None, None) == "day"


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "UTC", "America/New_York", "Asia/Kathmandu"])
def test_coverage_and_span_from_the_counts_table_are_those_of_the_posts(story_store: Store, tz: str):
    for freq in ("day", "week", "month"):
        fast = loaders.coverage_of(story_store, tz, freq)
        assert fast.equals(loaders.coverage_of(story_store, tz, freq, tables=False)), freq
    assert loaders.span_of(story_store, tz) == loaders.span_of(story_store, tz, tables=False)


@pytest.mark.parametrize(("context", "reposts", "platforms", "tz"), [
    ("any", False, (), TZ),
    ("ai", True, ("twitter",), TZ),
    ("any", True, ("bluesky", "twitter"), "America/Los_Angeles"),
    ("ai", False, (), "UTC"),
])
def test_a_short_range_read_alone_lists_the_rows_cut_from_the_whole_term(story_store: Store, context, reposts,
                                                                          platforms, tz):
    """The two ways evidence_frame answers agree on every day, week and month of the story, and on ranges
    at the edges of RANGE_DAYS (a post near midnight UTC falls on another local day in each timezone)."""
    path, version = str(story_store.path), story_store.version
    whole = evidence(story_store.scan_posts(), story_store.scan_hits(), "無断学習", context=context,
                     include_reposts=reposts, platforms=list(platforms) or None, tz=tz)
    days = sorted(set(whole["time"].dt.date().to_list()))
    assert len(days) > 10
    ranges = [(d, d) for d in days] + [(d - dt.timedelta(days=d.weekday()), d + dt.timedelta(days=6 - d.weekday()))
                                       for d in days[::3]]
    ranges += [(d.replace(day=1), d.replace(day=1) + dt.timedelta(days=30)) for d in days[::5]]
    ranges += [(days[0], days[0] + dt.timedelta(days=loaders.RANGE_DAYS - 1)), (days[-1], days[-1])]
    for start, end in ranges:
        for limit in (None, 2):
            q = bind("posts", tz, "無断学習", start=start, end=end, context=context, include_reposts=reposts,
                     platforms=platforms, limit=limit)
            alone = loaders.range_evidence(path, version, q)
            assert alone.equals(loaders.term_slice(path, version, q)), (start, end, limit)
            assert loaders.evidence_frame(path, version, q).equals(alone)
            expected = whole.filter(pl.col("time").dt.date().is_between(start, end))
            expected = expected if limit is None else expected.head(limit)
            assert alone.equals(expected)


def test_platforms_come_from_the_counts_table_and_from_the_posts_of_files_it_lacks(tmp_path) -> None:
    """The sidebar's platform list is the posts' own platforms, read from the counts table where it has
    rows and from the posts of files written before it (as an older dtrack left them)."""
    import json

    def write(name: str, platform: str, n: int) -> None:
        rows = [{"id": f"{platform}-{i}", "platform": platform, "created_at": f"2022-08-{1 + i % 28:02d}T03:00:00Z",
                 "text": "無断学習の話"} for i in range(n)]
        (tmp_path / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")

    store = Store(tmp_path / "store")
    write("a.ndjson", "mastodon", 5)
    with store.writer() as writer:
        ingest_paths(writer, [tmp_path / "a.ndjson"])
    with store.writer() as writer, writer.transaction() as txn:
        txn.replace_all("counts")  # the first file's rows gone, as before the table existed
    write("b.ndjson", "bluesky", 3)
    with store.writer() as writer:
        ingest_paths(writer, [tmp_path / "b.ndjson"])
    posts = sorted(store.scan_posts().select(pl.col("platform").unique()).collect().get_column("platform"))
    assert posts == ["bluesky", "mastodon"]
    from dtrack.data import daily

    assert len(daily.uncounted_files(store)) == 1  # the mastodon file is read from its posts
    assert loaders.platforms(str(store.path), store.version) == posts
