"""Candidate words kept in the store: counted once per posts file, atomically, recounted when the rules change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dtrack.data.schema import POST_SCHEMA, WORD_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp import candidates as cand
from dtrack.nlp.words import META_KEY, count_store, is_current, words_frame


def _posts(start: int, texts: list[str], *, day: dt.date = dt.date(2022, 8, 29), repost: bool = False) -> pl.DataFrame:
    rows = [
        {"platform": "twitter", "post_id": str(start + i), "author_id": f"a{(start + i) % 5}",
         "created_at": dt.datetime.combine(day, dt.time(3), dt.UTC) + dt.timedelta(minutes=i),
         "text": text, "is_repost": repost}
        for i, text in enumerate(texts)
    ]
    frame = pl.DataFrame(rows)
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in POST_SCHEMA.items() if c not in frame.columns]
    return frame.with_columns(missing).select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]


def _add(store: Store, posts: pl.DataFrame) -> None:
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(posts)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("platform", "post_id", "word")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    _add(store, _posts(0, ["画像生成AIの無断学習", "#無断学習禁止 です", "今日はいい天気"]))
    _add(store, _posts(100, ["mimicの話", "無断学習って何"], day=dt.date(2022, 9, 5)))
    return store


def test_first_count_then_only_new_files(store: Store) -> None:
    assert not is_current(store)
    first = count_store(store, workers=1)
    assert (first.reason, first.posts, first.files, first.recounted) == ("first count", 5, 2, False)
    assert is_current(store)
    words = store.scan_words().collect()
    assert words.schema == pl.Schema(WORD_SCHEMA)
    assert set(words.filter(pl.col("post_id") == "1").get_column("word")) >= {"無断学習禁止"}
    assert words.filter((pl.col("post_id") == "1") & (pl.col("word") == "無断学習禁止")).get_column("hashtag").item()
    assert words.filter(pl.col("post_id") == "0").get_column("author").unique().to_list() == ["a0"]

    _add(store, _posts(200, ["LoRAで無断学習", "LoRA流行ってる"], day=dt.date(2022, 12, 5)))
    second = count_store(store, workers=1)
    assert (second.reason, second.posts, second.files) == ("new posts", 2, 1)
    state = store.meta(META_KEY)
    assert state["posts"] == 7 and len(state["files"]) == len(store.manifest()["files"]["posts"])

    # incremental rows are exactly what one count of everything gives
    everything = words_frame(store.scan_posts(), workers=1)
    assert _sorted(store.scan_words().collect()).equals(_sorted(everything))


def test_nothing_new_commits_nothing(store: Store) -> None:
    count_store(store, workers=1)
    version = store.version
    report = count_store(store, workers=1)
    assert report.reason == "up to date" and report.posts == 0
    assert store.version == version


def test_rule_change_recounts_and_replaces_all_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    count_store(store, workers=1)
    before = store.scan_words().collect()
    monkeypatch.setattr(cand, "RULES_VERSION", cand.RULES_VERSION + 1)
    assert not is_current(store)
    report = count_store(store, workers=1)
    assert report.recounted and report.reason == "extraction rules changed" and report.posts == 5
    assert _sorted(store.scan_words().collect()).equals(_sorted(before))  # replaced, not appended


def test_reposts_are_stored_with_their_flag(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    _add(store, _posts(0, ["無断学習の話"], repost=True))
    count_store(store, workers=1)
    assert store.scan_words().collect().get_column("is_repost").all()


def test_crash_during_count_leaves_the_store_as_it_was(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    version = store.version

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("dtrack.data.store.Transaction.set_meta", boom)
    with pytest.raises(RuntimeError):
        count_store(store, workers=1)
    assert store.version == version
    assert store.scan_words().collect().height == 0 and not store.meta(META_KEY)
