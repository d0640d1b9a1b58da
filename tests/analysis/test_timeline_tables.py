"""The timeline from the precomputed tables (data.daily) is the timeline from the posts, byte for byte.

Stores are built for real (generic NDJSON ingest, the real tagger) in the
steps a store lives through: a first tagging, posts ingested without tagging,
more tagging runs, a compaction, a re-tag with a changed dictionary, a store
written before the tables existed. At each step every freq x context x
timezone (and the repost, platform and date filters) is computed both ways
and the CSV bytes compared. Posts sit a few minutes either side of local
midnight in each timezone tested, so a day cut wrongly would move a count.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from dtrack.analysis.export import csv_bytes
from dtrack.analysis.queries import TIMELINE, Query, _run_timeline
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data import daily
from dtrack.data.compact import compact_store
from dtrack.data.store import Store
from dtrack.nlp.tagger import tag_store
from dtrack.nlp.terms import load_terms_text

TZS = ("Asia/Tokyo", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu")
TEXTS = (
    "AIに無断学習させないでください",  # 無断学習, AI context
    "図書館の席で無断学習は禁止されています",  # 無断学習, not AI
    "イラストの無断転載はやめてください",
    "mimicで無断学習されるのは嫌だ。AIイラストに反対",
    "自習室に学習禁止の張り紙があった",  # a term only in the changed dictionary
    "今日は天気がいい",
    "ラーメンを食べた",
)
TERMS = ("無断学習", "無断転載", "mimic", "学習禁止", "未使用語")
EXTRA_TERM = '[[term]]\ncanonical = "学習禁止"\ncategory = "practice"\n'


def _posts(path: Path, seed: int, n: int, first_id: int) -> Path:
    """``n`` posts on three platforms, a fifth reposts, some without an author, most within
    ten minutes of midnight in one of TZS on one of a few days (and month ends)."""
    rng = np.random.default_rng(seed)
    days = [dt.date(2022, 8, 28), dt.date(2022, 8, 29), dt.date(2022, 8, 31), dt.date(2022, 9, 4),
            dt.date(2022, 10, 1)]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(first_id, first_id + n):
            tz = TZS[int(rng.integers(len(TZS)))]
            midnight = pd_midnight(days[int(rng.integers(len(days)))], tz)
            at = midnight + dt.timedelta(minutes=int(rng.integers(-10, 10)), seconds=int(rng.integers(60)))
            if rng.random() < 0.2:  # anywhere in the day
                at += dt.timedelta(hours=int(rng.integers(24)))
            record = {"id": str(i), "platform": ["twitter", "bluesky", "mastodon"][int(rng.integers(3))],
                      "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "text": f"{TEXTS[int(rng.integers(len(TEXTS)))]} {i}", "is_repost": bool(rng.random() < 0.2)}
            if rng.random() < 0.9:  # an author pool small enough that authors repeat across periods
                author = int(rng.integers(12))
                record |= {"author_id": f"a{author}", "username": f"user{author}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def pd_midnight(day: dt.date, tz: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), ZoneInfo(tz)).astimezone(dt.UTC)


def _ingest(store: Store, path: Path) -> None:
    with store.writer() as writer:
        ingest_paths(writer, [path], fmt="ndjson")


def _queries() -> list[Query]:
    qs = [TIMELINE.bind(list(TERMS), freq=freq, context=context, tz=tz)
          for freq, context, tz in itertools.product(("day", "week", "month"), ("any", "ai"), TZS)]
    qs += [
        TIMELINE.bind(list(TERMS), include_reposts=True, tz="Asia/Kathmandu"),
        TIMELINE.bind(list(TERMS), platforms=["twitter", "mastodon"], freq="week", tz="America/New_York"),
        TIMELINE.bind(list(TERMS), include_reposts=True, platforms=["bluesky"], context="ai", tz="UTC"),
        TIMELINE.bind(list(TERMS), start="2022-08-29", end="2022-09-03", freq="week", tz="Asia/Tokyo"),
        TIMELINE.bind(list(TERMS), start="2022-08-31", freq="month", tz="Asia/Kolkata", include_reposts=True),
        TIMELINE.bind(["mimic"], end="2022-08-30", tz="Asia/Tokyo"),
    ]
    return qs


def _same_both_ways(store: Store, *, tables: bool = True) -> int:
    """Every query both ways; returns how many uses the tables answered (0 when they could not)."""
    assert (daily.uses_of(store) is not None) == tables
    answered = 0
    for q in _queries():
        scanned = _run_timeline(store, q, tables=False)
        fast = _run_timeline(store, q)
        assert csv_bytes(fast.frame) == csv_bytes(scanned.frame), (q.freq, q.context, q.tz, q.include_reposts)
        assert fast.frame.schema == scanned.frame.schema
        assert fast.notes == scanned.notes
        answered += int(fast.frame.get_column("posts").sum())
    return answered


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    tmp = tmp_path_factory.mktemp("tables")
    return Store(tmp / "store"), tmp


def test_tables_answer_like_the_scan_through_a_store_s_life(built: tuple[Store, Path]) -> None:
    store, tmp = built
    _ingest(store, _posts(tmp / "a.ndjson", 1, 300, 0))
    tag_store(store, workers=1)
    assert _same_both_ways(store) > 0

    _ingest(store, _posts(tmp / "b.ndjson", 2, 200, 1000))  # like --no-tag: counted, not yet tagged
    assert not daily.uncounted_files(store)
    _same_both_ways(store)

    tag_store(store, workers=1)
    _ingest(store, _posts(tmp / "c.ndjson", 3, 150, 2000))
    _ingest(store, _posts(tmp / "a.ndjson", 1, 300, 0))  # the same posts again: duplicates, nothing new
    tag_store(store, workers=1)
    _same_both_ways(store)

    before = store.manifest()["files"]
    compact_store(store)
    after = store.manifest()["files"]
    assert len(after["posts"]) < len(before["posts"]) and len(after["counts"]) == 1
    _same_both_ways(store)
    assert tag_store(store, workers=1).reason == "up to date"  # compaction left nothing to rebuild

    report = tag_store(store, workers=1, terms=load_terms_text(EXTRA_TERM))  # a changed dictionary
    assert report.retagged
    used = store.scan_hits().filter(pl.col("term") == "学習禁止").select(pl.len()).collect().item()
    assert used > 0
    _same_both_ways(store)


def test_a_store_from_before_the_tables_is_scanned_then_filled_in_by_tag(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    _ingest(store, _posts(tmp_path / "a.ndjson", 7, 200, 0))
    tag_store(store, workers=1)
    expected = {q: csv_bytes(_run_timeline(store, q, tables=False).frame) for q in _queries()[:6]}
    _drop_tables(store)  # as an older dtrack left it
    assert daily.uses_of(store) is None and daily.uncounted_files(store)
    _same_both_ways(store, tables=False)
    tag_store(store, workers=1)  # nothing new to tag, but the tables are built
    assert daily.uses_of(store) is not None and not daily.uncounted_files(store)
    _same_both_ways(store)
    assert {q: csv_bytes(_run_timeline(store, q).frame) for q in expected} == expected


def _drop_tables(store: Store) -> None:
    """The store as a dtrack from before the tables left it (no uses, no counts)."""
    with store.writer() as writer, writer.transaction() as txn:
        state = dict(store.meta("tagging"))
        state.pop("uses", None)
        txn.set_meta("tagging", state)
        txn.replace_all("uses")
        txn.replace_all("counts")


def test_a_store_without_the_tables_is_read_once_per_version_and_a_new_ingest_shows_up(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    _ingest(store, _posts(tmp_path / "a.ndjson", 11, 200, 0))
    tag_store(store, workers=1)
    _drop_tables(store)
    q = TIMELINE.bind(list(TERMS), freq="week", tz="Asia/Tokyo")
    first = _run_timeline(store, q)
    built = [key for key in daily._memo if key[:2] == (str(store.path), store.version) and key[2] == "uses-from-posts"]
    assert built, "the uses built from the posts are held for the store version"
    held = daily._memo[built[0]]
    _same_both_ways(store, tables=False)  # every query answered from the rows held, as the scan answers it
    assert daily._memo[built[0]] is held

    _ingest(store, _posts(tmp_path / "b.ndjson", 12, 150, 1000))  # a new ingest, tagged, still no tables
    tag_store(store, workers=1)
    _drop_tables(store)
    after = _run_timeline(store, q)
    assert csv_bytes(after.frame) == csv_bytes(_run_timeline(store, q, tables=False).frame)
    assert after.frame.get_column("posts").sum() > first.frame.get_column("posts").sum()
    _same_both_ways(store, tables=False)


def test_counts_of_posts_files_missing_from_the_table_are_read_from_the_posts(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    _ingest(store, _posts(tmp_path / "a.ndjson", 8, 100, 0))
    _ingest(store, _posts(tmp_path / "b.ndjson", 9, 100, 500))
    tag_store(store, workers=1)
    whole = daily.post_counts_of(store).select(pl.col("posts").sum()).collect().item()
    with store.writer() as writer, writer.transaction() as txn:  # keep only the first file's counts
        first = store.manifest()["files"]["posts"][0]
        txn.add_counts(daily.stored_counts(store).filter(pl.col("file") == first))
        txn.replace_all("counts")
    assert len(daily.uncounted_files(store)) == len(store.manifest()["files"]["posts"]) - 1
    assert daily.post_counts_of(store).select(pl.col("posts").sum()).collect().item() == whole == 200


# -- hand-counted ----------------------------------------------------------------------------------
HAND = [  # (id, platform, created_at UTC, author, repost, text)
    ("1", "x", "2022-08-28T14:59:59Z", "a", False, "AIに無断学習させないで"),  # JST 08-28 23:59
    ("2", "x", "2022-08-28T15:00:00Z", "a", False, "図書館の席で無断学習は禁止"),  # JST 08-29 00:00, not AI
    ("3", "y", "2022-08-28T15:30:00Z", "b", False, "AIに無断学習させないで"),
    ("4", "y", "2022-08-28T16:00:00Z", "c", True, "AIに無断学習させないで"),  # a repost
    ("5", "x", "2022-08-29T03:00:00Z", None, False, "今日は天気がいい"),
    ("6", "x", "2022-08-30T15:10:00Z", "b", False, "今日は天気がいい"),  # JST 08-31
]


def test_hand_counted_timeline_from_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "hand.ndjson"
    path.write_text("".join(json.dumps({"id": i, "platform": p, "created_at": t, "text": text, "is_repost": r,
                                        **({"author_id": a} if a else {})}, ensure_ascii=False) + "\n"
                            for i, p, t, a, r, text in HAND), encoding="utf-8")
    store = Store(tmp_path / "store")
    _ingest(store, path)
    tag_store(store, workers=1)
    assert daily.uses_of(store) is not None
    frame = _run_timeline(store, TIMELINE.bind(["無断学習"], tz="Asia/Tokyo")).frame
    # JST: 08-28 post 1; 08-29 posts 2, 3 (4 is a repost), 5 (no term); 08-30 none; 08-31 post 6 (no term)
    assert frame.select("period", "posts", "authors", "share_per_10k", "cumulative_authors").rows() == [
        (dt.date(2022, 8, 28), 1, 1, 10_000.0, 1),
        (dt.date(2022, 8, 29), 2, 2, 2 * 10_000 / 3, 2),
        (dt.date(2022, 8, 30), 0, 0, None, 2),
        (dt.date(2022, 8, 31), 0, 0, 0.0, 2),
    ]
    utc = _run_timeline(store, TIMELINE.bind(["無断学習"], tz="UTC", context="ai", include_reposts=True)).frame
    # UTC: 08-28 posts 1, 3, 4 (all AI; 2 is not), 08-29 post 5 only, 08-30 post 6 only
    assert utc.select("period", "posts", "authors", "share_per_10k").rows() == [
        (dt.date(2022, 8, 28), 3, 3, 3 * 10_000 / 4),
        (dt.date(2022, 8, 29), 0, 0, 0.0),
        (dt.date(2022, 8, 30), 0, 0, 0.0),
    ]


def test_quarter_hours_fit_the_days_of_real_offsets_not_local_mean_time():
    from dtrack.analysis.counting import quarter_hours_fit

    def buckets(*times: str) -> pl.LazyFrame:
        return pl.LazyFrame({"bucket": [dt.datetime.fromisoformat(t) for t in times]},
                            schema={"bucket": pl.Datetime("us", "UTC")})

    recent = buckets("2022-08-28T14:45:00+00:00", "2022-08-28T15:00:00+00:00", "2022-03-13T06:45:00+00:00")
    for tz in TZS:
        assert quarter_hours_fit(recent, tz), tz
    # Tokyo kept local mean time (+9:18:59) until 1888: a quarter-hour can straddle midnight
    assert not quarter_hours_fit(buckets("1887-06-01T14:30:00+00:00"), "Asia/Tokyo")
    assert quarter_hours_fit(buckets("1887-06-01T14:30:00+00:00"), "UTC")


def test_repair_keeps_the_tables_exact_and_a_file_of_unreadable_posts_counts_as_counted(tmp_path: Path) -> None:
    from dtrack.data.repair import move_bad_times
    from dtrack.data.schema import POST_SCHEMA
    from dtrack.data.times import TimeRange
    from tests.conftest import build_poisoned_store

    store = build_poisoned_store(tmp_path / "store")  # two posts of year 0 and 10000, tagged
    assert daily.uses_of(store) is not None and not daily.uncounted_files(store)
    q = TIMELINE.bind(["無断学習"], tz="Asia/Tokyo")
    assert csv_bytes(_run_timeline(store, q).frame) == csv_bytes(_run_timeline(store, q, tables=False).frame)
    with store.writer() as writer:
        move_bad_times(writer, TimeRange())
    assert daily.uses_of(store).select(pl.len()).collect().item() == 3  # type: ignore[union-attr]
    assert csv_bytes(_run_timeline(store, q).frame) == csv_bytes(_run_timeline(store, q, tables=False).frame)
    assert tag_store(store, workers=1).reason == "up to date"
    # a posts file none of whose rows a reader can show still has its (zero) counts row
    unreadable = pl.DataFrame({"platform": ["x"], "post_id": ["z"], "is_repost": [False],
                               "created_at": [dt.datetime(1, 1, 1, tzinfo=dt.UTC)]})
    marker = daily.count_posts(unreadable.with_columns(pl.lit(None, dtype=POST_SCHEMA[c]).alias(c)
                                                       for c in POST_SCHEMA if c not in unreadable.columns), "f")
    assert marker.rows() == [("f", None, None, None, 0)]
