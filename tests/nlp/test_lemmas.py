"""Content words (nlp.lemmas) and the word cache keyed on post files (nlp.lemma_cache), with the real tagger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp import lemma_cache
from dtrack.nlp.lemmas import content_words, decode, encode, term_words, word_ids

WORDS = [
    # (text, expected content words)
    ("AIに無断学習されたイラスト", ["AI", "無断", "学習", "イラスト"]),  # AI: surface; -illustration cut
    ("ＡＩ絵師が絵を描いた", ["AI", "絵師", "絵", "描く"]),  # NFKC; verbs by lemma
    ("図書室で勉強した", ["図書室", "勉強"]),  # noun + suffix is one word; する (非自立可能) left out
    ("mimicこわい、すごくこわい", ["mimic", "怖い", "凄い"]),  # each word once; unknown Latin word kept
    ("RT @bob: 猫 https://t.co/xyz @alice", ["猫"]),  # repost prefix, URL, mention removed
    ("これは3つのことです", []),  # pronoun, numeral, stop word
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), WORDS)
def test_content_words(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected


def test_term_words_are_the_tokens_of_its_spellings() -> None:
    assert term_words(["無断学習"]) == {"無断", "学習"}


def test_encode_decode_round_trip() -> None:
    texts = ["図書室で勉強", None, "", "AIの絵柄"]
    assert decode(encode(texts), len(texts)) == [content_words(t) for t in texts]


def _store(tmp_path: Path, texts: dict[str, str], month: int = 9) -> Store:
    store = Store(tmp_path / "store")
    rows = [{"platform": "x", "post_id": pid, "created_at": dt.datetime(2022, month, 1, 3, tzinfo=dt.UTC),
             "author_id": f"a{pid}", "text": text, "is_repost": False} for pid, text in texts.items()]
    frame = pl.DataFrame(rows).with_columns([pl.lit(None, dtype=t).alias(c) for c, t in POST_SCHEMA.items()
                                             if c not in rows[0]]).select(list(POST_SCHEMA)).cast(POST_SCHEMA)
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(frame)
    return store


def test_cache_is_built_once_per_post_file_and_matches_the_tokenizer(tmp_path: Path) -> None:
    store = _store(tmp_path, {"1": "AIの絵柄", "2": "図書室で勉強"})
    found = lemma_cache.post_words(store)
    words = found.lists().collect().sort("post_id")
    assert words.get_column("words").to_list() == [word_ids(["AI", "絵柄"]).to_list(),
                                                   word_ids(["図書室", "勉強"]).to_list()]
    names = dict(found.words(words.get_column("words").explode()).iter_rows())
    assert [[names[i] for i in ids] for ids in words.get_column("words").to_list()] == [["AI", "絵柄"],
                                                                                        ["図書室", "勉強"]]
    assert words.get_column("author").to_list() == ["a1", "a2"]
    cached = sorted(lemma_cache.cache_dir(store).glob("*.parquet"))
    assert len(cached) == 3 * len(store.files("posts")) == 3  # posts, (post, word id) pairs, vocabulary
    stamps = [c.stat().st_mtime_ns for c in cached]
    lemma_cache.post_words(store).lists().collect()
    assert [c.stat().st_mtime_ns for c in cached] == stamps  # read back, not rebuilt


def test_only_the_months_asked_for_are_tokenised(tmp_path: Path) -> None:
    store = _store(tmp_path, {"1": "AIの絵柄"}, month=9)
    later = _store(tmp_path, {"2": "猫"}, month=12)  # same store folder, a second transaction
    assert later.path == store.path
    got = lemma_cache.post_words(store, dt.date(2022, 9, 1), dt.date(2022, 9, 30)).posts.collect()
    assert got.get_column("post_id").to_list() == ["1"]
    assert len(list(lemma_cache.cache_dir(store).glob("*.parquet"))) == 3


def test_parallel_tokenising_gives_the_same_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lemma_cache, "PARALLEL_MIN", 10)  # use the pool of forked workers
    texts = ["AIの絵柄を真似る", "図書室で勉強した", None, "mimic"] * 50
    assert lemma_cache.tokenise(texts, workers=2) == [content_words(t) for t in texts]


def test_a_read_only_store_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path, {"1": "AIの絵柄"})
    monkeypatch.setattr(lemma_cache, "_write", lambda path, frame: False)  # as if the folder were read-only
    found = lemma_cache.post_words(store)
    assert found.lists().collect().height == 1 and not list(lemma_cache.cache_dir(store).glob("*.parquet"))
    assert set(found.words(word_ids(["AI", "絵柄"])).get_column("word")) == {"AI", "絵柄"}


def test_another_version_of_the_cache_is_never_read(tmp_path: Path) -> None:
    store = _store(tmp_path, {"1": "AIの絵柄"})
    lemma_cache.post_words(store)
    folder = lemma_cache.cache_dir(store)
    assert folder.name.endswith("-" + lemma_cache.LAYOUT)
    stale = folder.parent / "words-0123456789ab"  # a cache written by other rules or another layout
    stale.mkdir()
    for path in folder.glob("*.parquet"):
        pl.DataFrame({"words": [[1]]}).write_parquet(stale / path.name)
    assert lemma_cache.post_words(store).lists().collect().height == 1
    _store(tmp_path, {"2": "猫"}, month=10)  # a new post file: building its cache clears the stale one
    lemma_cache.post_words(store)
    assert not stale.exists() and folder.exists()
