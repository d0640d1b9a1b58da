"""Sentiment per period: hand-counted posts, the words behind each score, the dictionary lookups."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dtrack.analysis.sentiment import dictionaries, polarity, sentiment, sentiment_posts

DAY1 = dt.datetime(2022, 9, 1, 3, tzinfo=dt.UTC)
DAY1_LATE_UTC = dt.datetime(2022, 8, 31, 16, tzinfo=dt.UTC)  # 01:00 on 09-01 in Tokyo
DAY3 = dt.datetime(2022, 9, 3, 3, tzinfo=dt.UTC)
POSTS = [
    ("1", DAY1, "無断学習は悲しい", False),
    ("2", DAY1_LATE_UTC, "無断学習、素晴らしい", False),
    ("3", DAY1, "無断学習の話", False),
    ("4", DAY3, "無断学習は良くない", False),
    ("5", DAY3, "無断学習は嬉しい", True),  # a repost: not counted
]


def _frames() -> tuple[pl.LazyFrame, pl.LazyFrame]:
    posts = pl.LazyFrame({"platform": "x", "post_id": [p[0] for p in POSTS], "created_at": [p[1] for p in POSTS],
                          "author_id": "a", "author_name": None, "text": [p[2] for p in POSTS], "url": None,
                          "is_repost": [p[3] for p in POSTS]})
    hits = pl.LazyFrame({"platform": "x", "post_id": [p[0] for p in POSTS], "term": "無断学習", "variant": "無断学習",
                         "start": 0, "end": 4, "ai_context": False, "evidence": [[]] * len(POSTS)})
    return posts, hits


def test_table_by_hand() -> None:
    posts, hits = _frames()
    table = sentiment(posts, hits, "無断学習")
    assert table.columns[:7] == ["period", "posts", "positive", "negative", "neutral", "positive_share",
                                 "negative_share"]
    assert table.select("period", "posts", "positive", "negative", "neutral").rows() == [
        (dt.date(2022, 9, 1), 3, 1, 1, 1), (dt.date(2022, 9, 2), 0, 0, 0, 0), (dt.date(2022, 9, 3), 1, 0, 1, 0)]
    assert table.get_column("positive_share").to_list() == [pytest.approx(1 / 3), None, 0.0]
    assert table.get_column("negative_share").to_list() == [pytest.approx(1 / 3), None, 1.0]
    month = sentiment(posts, hits, "無断学習", freq="month")
    assert month.select("period", "posts", "positive", "negative", "neutral").rows() == [
        (dt.date(2022, 9, 1), 4, 1, 2, 1)]


def test_each_score_with_its_words() -> None:
    posts, hits = _frames()
    scored = {r["post_id"]: r for r in sentiment_posts(posts, hits, "無断学習").iter_rows(named=True)}
    assert set(scored) == {"1", "2", "3", "4"}
    assert (scored["1"]["label"], scored["1"]["evidence"], scored["1"]["score"]) == ("negative", ["-悲しい"], -1.0)
    assert (scored["2"]["label"], scored["2"]["evidence"]) == ("positive", ["+素晴らしい"])
    assert (scored["3"]["label"], scored["3"]["evidence"], scored["3"]["score"]) == ("neutral", [], 0.0)
    assert scored["4"]["evidence"] == ["-良い(negated)"]  # the negation flips 良い
    assert scored["1"]["text"] == "無断学習は悲しい"  # the stored text, not the blanked one


def test_the_term_itself_is_not_scored() -> None:
    nouns, _ = dictionaries()
    assert nouns["無断"] == "n"  # would make every post of 無断学習 lean negative
    assert polarity("無断学習の話").evidence() == ["-無断"]
    posts, hits = _frames()
    assert sentiment_posts(posts, hits, "無断学習").filter(pl.col("post_id") == "3").item(0, "evidence").to_list() == []


@pytest.mark.parametrize(
    ("text", "evidence", "score"),
    [
        ("うれしい", ["+嬉しい"], 1.0),  # spelt in kana, found by its lemma
        ("悲しくない", ["+悲しい(negated)"], 1.0),
        ("気が重い", ["-気が重い"], -1.0),  # a phrase entry over three tokens
        ("楽しい。つらい", ["+楽しい", "-つらい"], 0.0),  # one each: neutral
        ("今日は月曜日", [], 0.0),
    ],
)
def test_polarity_table(text: str, evidence: list[str], score: float) -> None:
    result = polarity(text)
    assert result.evidence() == evidence and result.score == score


def test_worker_processes_score_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from dtrack.analysis import sentiment as module

    texts = ["うれしい", "悲しくない", None, "気が重い", "今日は月曜日"] * 20
    monkeypatch.setattr(module, "PARALLEL_MIN", 10)
    assert [p.words for p in module.polarities(texts, workers=2)] == [polarity(t).words for t in texts]


def test_cached_scores_are_the_scores(tmp_path) -> None:
    from dtrack.analysis.sentiment import score_posts

    frame = pl.DataFrame({"text": ["うれしい", "悲しくない", None, "うれしい", "気が重い"]})
    cache = tmp_path / "cache" / "scores.parquet"
    direct = score_posts(frame)
    first = score_posts(frame, cache)
    assert first.equals(direct) and pl.read_parquet(cache).height == 4  # one row per distinct text
    stamp = cache.stat().st_mtime_ns
    assert score_posts(frame, cache).equals(direct) and cache.stat().st_mtime_ns == stamp  # read back, not rescored
    more = pl.DataFrame({"text": ["気が重い", "楽しい"]})
    assert score_posts(more, cache).equals(score_posts(more)) and pl.read_parquet(cache).height == 5
