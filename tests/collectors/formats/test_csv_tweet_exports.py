"""snscrape and twarc-csv CSV exports read by the generic CSV collector without --map.

Fixtures were written by pandas from snscrape-shaped dataclasses (dict and
dataclass reprs in object columns, float-damaged reply ids) and in
twarc-csv's two layouts (0.7 dotted columns; the older ``referenced_tweets``
list with JSON-encoded text).
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats import csv_profiles
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "csv_tweets"


def stored(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in store.scan_posts().collect().iter_rows(named=True)}


def rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["snscrape.csv", "snscrape_objects.csv"])
def test_snscrape_csv_without_a_mapping(ingest, store, name):
    report = ingest(store, FIXTURES / name)
    assert (report.format, report.status, report.new, report.quarantined) == ("csv", "ok", 5, 0)
    posts = stored(store)
    assert {p["platform"] for p in posts.values()} == {"twitter"}
    rt = posts["1564100000000000001"]
    assert (rt["is_repost"], rt["repost_of"]) == (True, "1563900000000000001")
    assert (rt["author_name"], rt["author_id"]) == ("retweeter_b", "2000000001")
    # the full original text out of the retweetedTweet repr, quotes and newline decoded
    assert rt["text"] == ("RT @painter_a: Stable Diffusionが公開されて、無断学習の問題が一気に現実になった。\n"
                          "せめてオプトアウトの仕組みを作ってほしい🎨 it's \"quoted\"")
    assert posts["1564100000000000003"]["quote_of"] == "1563900000000000001"
    assert posts["1564100000000000003"]["is_repost"] is False
    assert posts["1564100000000000002"]["text"] == "無断学習禁止って書いておくしかない🎨"
    assert posts["1564100000000000002"]["url"] == "https://twitter.com/ai_fan_x/status/1564100000000000002"
    assert posts["1564100000000000002"]["created_at"].isoformat() == "2022-08-29T03:05:00+00:00"


def test_snscrape_reply_ids_damaged_by_pandas_floats_are_dropped_not_guessed(ingest, store):
    raw = {r["id"]: r["inReplyToTweetId"] for r in rows("snscrape.csv")}
    assert raw["1564100000000000004"] == "1.5641e+18" and raw["1564100000000000005"] == "20.0"
    ingest(store, FIXTURES / "snscrape.csv")
    posts = stored(store)
    assert posts["1564100000000000004"]["reply_to"] is None
    assert posts["1564100000000000005"]["reply_to"] == "20"


def test_twarc_csv_without_a_mapping(ingest, store):
    report = ingest(store, FIXTURES / "twarc_csv.csv")
    assert (report.status, report.new, report.quarantined) == ("ok", 4, 0)
    posts = stored(store)
    source = {r["id"]: r for r in rows("twarc_csv.csv")}
    rt = posts["1564100000000000001"]
    assert (rt["is_repost"], rt["repost_of"], rt["author_name"]) == (True, "1563900000000000001", "retweeter_b")
    # twarc-csv writes the original's full text with newlines as "\n": prefixed and unescaped
    assert rt["text"] == "RT @painter_a: " + source["1564100000000000001"]["text"].replace("\\n", "\n")
    assert "\n" in rt["text"]
    assert posts["1564100000000000004"]["reply_to"] == "1564100000000000002"
    assert posts["1564100000000000003"]["quote_of"] == "1563900000000000001"
    assert posts["1564100000000000002"]["text"] == '無断学習禁止って書いておくしかない, "効果"あるの？'
    assert posts["1564100000000000003"]["url"] == "https://twitter.com/quoter_c/status/1564100000000000003"
    assert {p["platform"] for p in posts.values()} == {"twitter"}


def test_old_twarc_csv_layout_with_reference_lists_and_json_text(ingest, store):
    report = ingest(store, FIXTURES / "twarc_csv_old.csv")
    assert (report.new, report.quarantined) == (3, 0)
    posts = stored(store)
    assert posts["1564100000000000003"]["text"] == "これは本当にそう\n無断学習 https://t.co/abcdEFGH12"
    assert posts["1564100000000000003"]["quote_of"] == "1563900000000000001"
    assert posts["1564100000000000001"]["repost_of"] == "1563900000000000001"
    assert posts["1564100000000000001"]["text"] == "RT @painter_a: Stable Diffusionが公開されて…"
    assert posts["1564100000000000004"]["reply_to"] == "1564100000000000002"  # a Python-repr list


def test_explicit_mapping_still_wins_over_the_profile(ingest, store):
    ctx = ParseContext(mapping={"text": "renderedContent"}, platform="x")
    ingest(store, FIXTURES / "snscrape.csv", ctx=ctx)
    posts = stored(store)
    source = {r["id"]: r for r in rows("snscrape.csv")}
    assert posts["1564100000000000001"]["text"] == source["1564100000000000001"]["renderedContent"]
    assert {p["platform"] for p in posts.values()} == {"x"}


def test_same_tweet_from_twarc_csv_and_twarc_jsonl_is_one_post(ingest, store):
    ingest(store, Path(__file__).parents[1] / "fixtures" / "twarc" / "page_retweet_cut.jsonl")
    report = ingest(store, FIXTURES / "twarc_csv.csv")
    assert (report.new, report.duplicate) == (0, 4)


def test_plain_csv_is_unchanged_by_profiles(ingest, store, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("id,text,created_at,user\n1,無断学習,2022-08-29 12:00:00,someone\n")
    assert detect(path) == "csv" and csv_profiles.match(["id", "text", "created_at", "user"]) is None
    ingest(store, path)
    (post,) = stored(store).values()
    assert (post["platform"], post["author_name"], post["text"]) == ("generic", "someone", "無断学習")
    assert post["created_at"].isoformat() == "2022-08-29T03:00:00+00:00"  # naive read in Asia/Tokyo


@pytest.mark.parametrize(
    ("cell", "key", "expected"),
    [
        ("User(username='ai_art', id=123, displayname='x')", "username", "ai_art"),
        ("User(username='ai_art', id=123, displayname='x')", "id", "123"),
        ("{'username': 'ai_art', 'id': 123}", "username", "ai_art"),
        ('{"username": "ai_art", "id": "123"}', "id", "123"),
        ("{'rawContent': 'it\\'s \"fine\"\\n🎨', 'id': 5}", "rawContent", "it's \"fine\"\n🎨"),
        ('{"rawContent": "\\u7121\\u65ad \\ud83c\\udfa8"}', "rawContent", "無断 🎨"),
        ("{'conversationId': 9, 'id': 7}", "id", "7"),
        ("{'username': 'a'}", "id", None),
        ("", "id", None),
    ],
)
def test_field_reads_json_and_python_reprs(cell, key, expected):
    assert csv_profiles.field(cell, key) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1564100000000000004", "1564100000000000004"), ("20.0", "20"), ("1.5641e+18", None),
     ("1564100000000000004.0", None), ("abc", None), (None, None), ("9007199254740992.0", "9007199254740992")],
)
def test_id_expr_keeps_only_exact_ids(raw, expected):
    out = pl.DataFrame({"v": [raw]}, schema={"v": pl.String}).select(csv_profiles.id_expr(pl.col("v"))).item()
    assert out == expected


def test_a_row_whose_own_id_pandas_damaged_is_quarantined(ingest, store, tmp_path):
    text = (FIXTURES / "snscrape.csv").read_text(encoding="utf-8")
    path = tmp_path / "damaged.csv"
    path.write_text(text.replace(",1564100000000000002,", ",1.5641e+18,", 1), encoding="utf-8")
    report = ingest(store, path)
    assert (report.new, report.quarantined) == (4, 1)
    (row,) = store.scan_quarantine().collect().iter_rows(named=True)
    assert "post_id" in row["reason"] and row["source_line"] == 3
