"""Co-occurrence, framing shift and network: hand-counted cases, scipy as the independent reference, the story."""

from __future__ import annotations

import datetime as dt
import json
import math

import polars as pl
import pytest
from scipy.stats import chi2_contingency
from story import FIRST_AI_USE, TAKEOFF

from dtrack.analysis.cooccurrence import (
    cooccur_store,
    cooccurrence,
    framing_shift,
    mark_term_posts,
    network,
    period_words,
    rank,
    term_posts,
    word_table,
)
from dtrack.data.store import Store

SEPT_1 = dt.datetime(2022, 9, 1, 3, tzinfo=dt.UTC)  # 12:00 in Tokyo
AUG_31_JST = dt.datetime(2022, 8, 31, 14, 30, tzinfo=dt.UTC)  # 23:30 on 08-31 in Tokyo, 2022-08-31 in UTC too
SEPT_1_JST_AUG_31_UTC = dt.datetime(2022, 8, 31, 16, 30, tzinfo=dt.UTC)  # 01:30 on 09-01 in Tokyo

# post_id: (created_at, author, repost, words, uses the term)
POSTS = {
    "1": (SEPT_1, "a", False, ["AI", "絵", "無断", "学習"], True),
    "2": (SEPT_1, "b", False, ["AI", "絵柄"], True),
    "3": (SEPT_1_JST_AUG_31_UTC, "a", False, ["AI", "絵"], True),
    "4": (SEPT_1, "c", False, ["AI"], False),
    "5": (SEPT_1, "d", False, ["猫"], False),
    "6": (SEPT_1, "e", False, ["絵"], False),
    "7": (SEPT_1, "f", True, ["AI", "絵"], True),  # a repost: left out
    "8": (AUG_31_JST, "g", False, ["猫", "図書室"], True),  # the day before in Tokyo
}


def _frames() -> tuple[pl.LazyFrame, pl.LazyFrame]:
    words = pl.LazyFrame(
        {"platform": "x", "post_id": list(POSTS), "created_at": [p[0] for p in POSTS.values()],
         "is_repost": [p[2] for p in POSTS.values()], "author": [p[1] for p in POSTS.values()],
         "words": [p[3] for p in POSTS.values()]},
        schema_overrides={"words": pl.List(pl.String)},
    )
    hits = pl.LazyFrame({"platform": "x", "post_id": [k for k, p in POSTS.items() if p[4]], "term": "無断学習",
                         "ai_context": True})
    return words, hits


def _table(measure: str) -> dict[str, dict]:
    words, hits = _frames()
    out = cooccurrence(words, hits, "無断学習", start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 1), measure=measure,
                       min_count=1, top=None, exclude={"無断", "学習"})
    return {row["word"]: row for row in out.iter_rows(named=True)}


def test_counts_by_hand() -> None:
    # N = 6 posts on 2022-09-01 in Tokyo (the repost and the 08-31 post left out), a = 3 use the term
    table = _table("jaccard")
    assert set(table) == {"AI", "絵", "絵柄"}  # the term's own words and words outside its posts are not ranked
    assert {w: (r["cooccurrences"], r["word_posts"], r["authors"]) for w, r in table.items()} == {
        "AI": (3, 4, 2), "絵": (2, 3, 1), "絵柄": (1, 1, 1)}
    assert {r["term_posts"] for r in table.values()} == {3} and {r["posts"] for r in table.values()} == {6}
    assert table["絵"]["share"] == pytest.approx(2 / 3)


def test_jaccard_and_pmi_by_hand() -> None:
    jac, pmi = _table("jaccard"), _table("pmi")
    assert [jac[w]["score"] for w in ("AI", "絵", "絵柄")] == pytest.approx([3 / 4, 2 / 4, 1 / 3])
    assert [pmi[w]["score"] for w in ("AI", "絵", "絵柄")] == pytest.approx(
        [math.log2(3 * 6 / (3 * 4)), math.log2(2 * 6 / (3 * 3)), math.log2(1 * 6 / (3 * 1))])


def test_llr_is_scipys_g_test_signed() -> None:
    llr = _table("llr")
    n, a = 6, 3
    for word, row in llr.items():
        c, b = row["cooccurrences"], row["word_posts"]
        table = [[c, a - c], [b - c, n - a - b + c]]
        g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        sign = 1 if c / a >= (b - c) / (n - a) else -1
        assert row["score"] == pytest.approx(sign * g2, abs=1e-9), word


def test_ranking_floor_and_ties() -> None:
    words, hits = _frames()
    ranked = cooccurrence(words, hits, "無断学習", start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 1),
                          min_count=2, exclude={"無断", "学習"})
    assert ranked.get_column("word").to_list() == ["AI", "絵"]  # 絵柄 is in one post only
    with pytest.raises(ValueError, match="measure must be one of"):
        cooccurrence(words, hits, "無断学習", measure="dice")


def test_framing_shift_significance_is_scipys() -> None:
    words, hits = _frames()
    keys = term_posts(hits, "無断学習")
    first = mark_term_posts(period_words(words, start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 1)), keys)
    second = mark_term_posts(period_words(words, start=dt.date(2022, 8, 31), end=dt.date(2022, 8, 31)), keys)
    vocabulary = ["AI", "絵", "絵柄", "猫", "図書室"]
    shift = framing_shift(word_table(first, vocabulary=vocabulary), word_table(second, vocabulary=vocabulary),
                          min_count=1)
    rows = {r["word"]: r for r in shift.iter_rows(named=True)}
    # 08-31 (Tokyo): one post, the term's, with 猫 and 図書室
    assert rows["図書室"]["cooccurrences_vs"] == 1 and rows["図書室"]["cooccurrences"] == 0
    assert rows["図書室"]["score_vs"] == 1.0 and rows["図書室"]["score"] == 0.0
    assert rows["図書室"]["change"] == -1.0
    assert rows["AI"]["change"] == pytest.approx(0.75)
    assert shift.get_column("word").to_list()[0] == "AI"  # most risen first
    for r in rows.values():
        table = [[r["cooccurrences"], r["term_posts"] - r["cooccurrences"]],
                 [r["cooccurrences_vs"], r["term_posts_vs"] - r["cooccurrences_vs"]]]
        g2, p = chi2_contingency(table, correction=False, lambda_="log-likelihood")[:2]
        assert r["g2"] == pytest.approx(g2, abs=1e-9) and r["p_value"] == pytest.approx(p), r["word"]


def test_network_by_hand() -> None:
    docs = [["A", "B"], ["A", "B"], ["A", "B", "C"], ["C", "D"], ["C", "D"]]
    marked = pl.DataFrame({"author": "u", "words": docs, "_term": True})
    ranked = rank(word_table(marked, vocabulary=["A", "B", "C", "D"]), min_count=1)
    assert ranked.get_column("word").to_list() == ["A", "B", "C", "D"]  # all jaccard 1 (every post uses the term)
    net = network(marked, ranked)
    json.dumps(net)  # plain JSON types
    ids = {n["word"]: n["id"] for n in net["nodes"]}
    edges = {(e["source"], e["target"]): (e["weight"], e["cooccurrences"]) for e in net["edges"]}
    # A,B: 3 posts each, 3 together -> 1; C,D: 3 and 2, together 2 -> 2/3; A,C and B,C: 1/(3+3-1)
    assert edges == {(ids["A"], ids["B"]): (1.0, 3), (ids["C"], ids["D"]): (pytest.approx(2 / 3), 2),
                     (ids["A"], ids["C"]): (pytest.approx(1 / 5), 1), (ids["B"], ids["C"]): (pytest.approx(1 / 5), 1)}
    community = {n["word"]: n["community"] for n in net["nodes"]}
    assert community == {"A": 1, "B": 1, "C": 2, "D": 2}
    assert {n["word"]: (n["posts"], n["degree"]) for n in net["nodes"]} == {
        "A": (3, 2), "B": (3, 2), "C": (3, 3), "D": (2, 1)}
    assert len(network(marked, ranked, max_edges=2)["edges"]) == 2


# -- the story ------------------------------------------------------------------------------------------------
ART = {"絵", "絵柄", "イラスト", "絵師"}


@pytest.mark.parametrize("measure", ["jaccard", "llr"])
def test_after_mimic_the_words_are_ai_and_art(story_store: Store, measure: str) -> None:
    top = cooccur_store(story_store, "無断学習", start=TAKEOFF, measure=measure, top=10)
    words = set(top.get_column("word").to_list())
    assert "AI" in words and words & ART, words
    assert not words & {"無断", "学習"}


def test_before_april_2021_no_ai(story_store: Store) -> None:
    top = cooccur_store(story_store, "無断学習", end=FIRST_AI_USE - dt.timedelta(days=FIRST_AI_USE.day),
                        min_count=1, top=10)
    words = set(top.get_column("word").to_list())
    assert top.get_column("term_posts").max() == 4  # the four early uses
    assert "AI" not in words and {"勉強", "図書室", "自習室"} <= words


def test_framing_shift_on_the_story(story_store: Store) -> None:
    shift = cooccur_store(story_store, "無断学習", start=TAKEOFF, vs=True, vs_end=dt.date(2021, 3, 31), min_count=1,
                          top=10)
    rows = {r["word"]: r for r in shift.iter_rows(named=True)}
    assert rows["AI"]["change"] > 0 and rows["AI"]["cooccurrences_vs"] == 0 and rows["AI"]["p_value"] < 1e-6
    assert rows["勉強"]["change"] < 0 and rows["勉強"]["cooccurrences"] == 0
    net = cooccur_store(story_store, "無断学習", start=TAKEOFF, as_network=True, top=15)
    assert [n["id"] for n in net["nodes"]] == list(range(len(net["nodes"])))
    assert all(0 < e["weight"] <= 1 for e in net["edges"]) and net["edges"]


def test_every_cooccurrence_count_drills_down_to_its_posts(story_store: Store) -> None:
    from dtrack.analysis.cooccurrence import word_posts

    end = TAKEOFF + dt.timedelta(days=6)
    top = cooccur_store(story_store, "無断学習", start=TAKEOFF, end=end, top=3)
    for row in top.iter_rows(named=True):
        posts = word_posts(story_store, "無断学習", row["word"], start=TAKEOFF, end=end)
        assert posts.height == row["cooccurrences"], row["word"]
        assert posts.get_column("author_id").n_unique() == row["authors"]
    ai = word_posts(story_store, "無断学習", "AI", start=TAKEOFF, end=end)
    assert all("AI" in text for text in ai.get_column("text").to_list())
