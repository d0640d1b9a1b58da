"""twarc2 JSON lines: pages, stream lines, flattened tweets, errors, edits, surrogates, ids.

Every test goes through the real ingest loop into a real store in tmp_path.
Expected texts are read from the fixture itself with the standard library,
so the assertions check the collector's choices, not a copy of its output.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats import twarc
from dtrack.data.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twarc"
V1_FIXTURES = Path(__file__).parents[1] / "fixtures" / "twitter_v1"


def stored(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in store.scan_posts().collect().iter_rows(named=True)}


def page(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text().splitlines()[0])


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_every_fixture_is_detected_as_twarc(name):
    assert detect(FIXTURES / name) == "twarc"


@pytest.mark.parametrize("name", sorted(p.name for p in V1_FIXTURES.iterdir()))
def test_v1_statuses_are_not_taken_for_twarc(name):
    head = (V1_FIXTURES / name).read_bytes()[:65536]
    assert not twarc.sniff(V1_FIXTURES / name, head)


def test_generic_json_lines_are_not_taken_for_twarc(tmp_path):
    path = tmp_path / "posts.ndjson"
    path.write_text('{"id": "1", "text": "hello", "created_at": "2022-08-29T00:00:00Z"}\n')
    assert detect(path) == "ndjson"


def test_page_stores_data_tweets_with_full_retweet_text_and_references(ingest, store):
    report = ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    assert (report.status, report.read, report.new, report.quarantined) == ("ok", 4, 4, 0)
    posts = stored(store)
    raw = page("page_retweet_cut.jsonl")
    original = next(t for t in raw["includes"]["tweets"] if t["id"] == "1563900000000000001")
    # only data tweets: the retweeted original lives in includes only and is not a post
    assert set(posts) == {t["id"] for t in raw["data"]}
    rt = posts["1564100000000000001"]
    assert rt["text"] == "RT @painter_a: " + original["text"]
    assert raw["data"][0]["text"].endswith("…") and len(rt["text"]) > len(raw["data"][0]["text"])
    assert (rt["is_repost"], rt["repost_of"]) == (True, "1563900000000000001")
    assert rt["author_name"] == "retweeter_b" and rt["author_id"] == "2000000001"
    assert rt["url"] == "https://twitter.com/retweeter_b/status/1564100000000000001"
    quote = posts["1564100000000000003"]
    assert (quote["is_repost"], quote["quote_of"], quote["repost_of"]) == (False, "1563900000000000001", None)
    reply = posts["1564100000000000004"]
    assert reply["reply_to"] == "1564100000000000002" and not reply["is_repost"]
    # HTML escaping undone (&amp; -> &), nothing else touched
    assert posts["1564100000000000002"]["text"] == raw["data"][1]["text"].replace("&amp;", "&")
    assert {p["platform"] for p in posts.values()} == {"twitter"}
    assert {p["created_at"].isoformat() for p in posts.values()} >= {"2022-08-29T03:00:00+00:00"}


def test_errors_are_notices_not_quarantine(ingest, store):
    report = ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    assert report.notices == 1 and report.quarantined == 0
    assert "suspended" in report.notice_messages[0] and "gone_user" in report.notice_messages[0]
    assert store.scan_quarantine().collect().height == 0
    (source,) = store.sources()
    assert source["notices"] == 1


def test_errors_only_page_stores_nothing_and_reports_every_error(ingest, store):
    report = ingest(store, FIXTURES / "errors_only.jsonl")
    assert (report.status, report.read, report.quarantined, report.notices) == ("ok", 0, 0, 2)
    assert any("Not Found Error" in m and "1564300000000000001" in m for m in report.notice_messages)
    assert any("Authorization Error" in m for m in report.notice_messages)


def test_same_tweet_in_data_and_includes_is_stored_once(ingest, store):
    raw = page("page_retweet_cut.jsonl")
    both = {t["id"] for t in raw["data"]} & {t["id"] for t in raw["includes"]["tweets"]}
    assert both == {"1564100000000000002"}
    report = ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    assert report.duplicate == 0
    assert store.scan_posts().collect().filter(post_id="1564100000000000002").height == 1


def test_half_written_last_line_is_quarantined_and_the_rest_kept(ingest, store):
    report = ingest(store, FIXTURES / "half_written.jsonl")
    assert (report.status, report.new, report.quarantined) == ("ok", 1, 1)
    (row,) = store.scan_quarantine().collect().iter_rows(named=True)
    assert row["source_line"] == 2 and "half-written" in row["reason"]
    assert row["raw"].startswith('{"data"')
    assert row["source_file"].endswith("half_written.jsonl")


def test_stream_lines_keep_matching_rules_and_skip_keepalives(ingest, store):
    report = ingest(store, FIXTURES / "stream.jsonl")
    assert (report.new, report.quarantined, report.notices) == (2, 0, 1)
    assert "operational-disconnect" in report.notice_messages[0]
    posts = stored(store)
    first = orjson.loads(posts["1564400000000000001"]["extra"])
    assert first["matching_rules"] == [{"id": "1564000000000000000", "tag": "無断学習"}]
    rt = posts["1564400000000000002"]
    assert rt["source_line"] == 3  # line 2 is a blank keep-alive
    assert rt["is_repost"] and rt["text"].startswith("RT @painter_a: Stable Diffusion")
    assert not rt["text"].endswith("…")


def test_flattened_tweets_give_the_same_posts_as_pages(ingest, tmp_path):
    flat, pages = Store(tmp_path / "flat"), Store(tmp_path / "pages")
    ingest(flat, FIXTURES / "flat.jsonl")
    ingest(pages, FIXTURES / "page_retweet_cut.jsonl")
    a, b = stored(flat), stored(pages)
    assert set(a) == {"1564100000000000001", "1564100000000000003"}
    keys = ("text", "author_id", "author_name", "is_repost", "repost_of", "quote_of", "reply_to", "url", "created_at")
    for post_id, post in a.items():
        assert {k: post[k] for k in keys} == {k: b[post_id][k] for k in keys}


def test_edited_tweet_every_version_in_data_is_its_own_post(ingest, store):
    ingest(store, FIXTURES / "edited.jsonl")
    posts = stored(store)
    assert set(posts) == {"1564500000000000001", "1564500000000000002"}
    latest = orjson.loads(posts["1564500000000000002"]["extra"])
    assert latest["edit_of"] == "1564500000000000001"
    assert latest["edit_history_tweet_ids"] == ["1564500000000000001", "1564500000000000002"]
    assert "edit_of" not in orjson.loads(posts["1564500000000000001"]["extra"])
    assert posts["1564500000000000002"]["text"] == "無断学習って酷い（誤字修正）"


def test_edited_tweet_versions_only_in_includes_are_not_stored(ingest, store):
    ingest(store, FIXTURES / "edited_latest_only.jsonl")
    assert set(stored(store)) == {"1564500000000000002"}


def test_emoji_survive_and_a_cut_surrogate_is_replaced(ingest, store):
    report = ingest(store, FIXTURES / "surrogates.jsonl")
    assert (report.new, report.quarantined) == (2, 0)
    posts = stored(store)
    expected = json.loads((FIXTURES / "surrogates.jsonl").read_text())["data"][0]["text"]
    assert posts["1564600000000000001"]["text"] == expected
    assert "🎨👩🏻\u200d🎨" in expected
    assert posts["1564600000000000001"]["extra"] is None or "text_repaired" not in posts["1564600000000000001"]["extra"]
    cut = posts["1564600000000000002"]
    assert cut["text"] == "RT @painter_a: 🎨🎨\ufffd…"
    extra = orjson.loads(cut["extra"])
    assert extra["text_repaired"] and extra["text_truncated"]  # no original in includes: kept cut, and said so


def test_numeric_ids_above_2_53_are_quarantined_never_rounded(ingest, store):
    report = ingest(store, FIXTURES / "numeric_ids.jsonl")
    assert (report.new, report.quarantined) == (2, 2)
    assert set(stored(store)) == {"1564700000000000002", "20"}
    reasons = [r["reason"] for r in store.scan_quarantine().collect().iter_rows(named=True)]
    assert all("2^53" in r for r in reasons)
    ids = store.scan_posts().collect()["post_id"].to_list()
    assert "1564700000000000000" not in ids and "1564700000000000001" not in ids


def test_note_tweet_text_wins_over_the_cut_text(ingest, store):
    ingest(store, FIXTURES / "note_tweet.jsonl")
    (post,) = stored(store).values()
    assert post["text"] == page("note_tweet.jsonl")["data"][0]["note_tweet"]["text"]


@pytest.mark.parametrize(("name", "notices"), [("compliance.jsonl", 2), ("users.jsonl", 1)])
def test_files_without_tweets_report_notices_and_store_nothing(ingest, store, name, notices):
    report = ingest(store, FIXTURES / name)
    assert (report.status, report.read, report.quarantined, report.notices) == ("ok", 0, 0, notices)


def test_reingest_changes_nothing(ingest, store):
    first = ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    version = store.version
    again = ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    assert again.status == "skipped" and store.version == version
    forced = ingest(store, FIXTURES / "page_retweet_cut.jsonl", force=True)
    assert (forced.new, forced.duplicate) == (0, first.new)
    assert store.scan_posts().collect().height == first.new


def test_same_tweet_from_twarc_and_v1_is_one_post(ingest, store):
    ingest(store, FIXTURES / "page_retweet_cut.jsonl")
    report = ingest(store, V1_FIXTURES / "stream.jsonl")
    # 1564100000000000001 (retweet), ...03 (quote) and ...04 (reply) are in both files
    assert report.duplicate == 3
    assert store.scan_posts().collect().filter(post_id="1564100000000000001").height == 1


def test_a_line_that_is_not_a_twarc_object_is_quarantined(ingest, store, tmp_path):
    path = tmp_path / "odd.jsonl"
    lines = [FIXTURES.joinpath("stream.jsonl").read_text().splitlines()[0], "[1, 2]", '{"foo": "bar"}',
             '{"data": "nope", "__twarc": {}}', '{"data": [{"text": "no id"}], "__twarc": {}}']
    path.write_text("\n".join(lines) + "\n")
    report = ingest(store, path, fmt="twarc")
    assert (report.status, report.new, report.quarantined) == ("ok", 1, 4)
    lines_q = sorted(r["source_line"] for r in store.scan_quarantine().collect().iter_rows(named=True))
    assert lines_q == [2, 3, 4, 5]


def test_plain_export_lines_are_not_taken_for_flattened_tweets(tmp_path: Path) -> None:
    # id, text, created_at and an author are what any export has; only v2-only fields make a tweet twarc's
    plain = tmp_path / "plain.jsonl"
    plain.write_text('{"id": "1", "created_at": "2022-08-29T00:00:00Z", "text": "x", '
                     '"author": "a", "author_id": "7"}\n')
    assert detect(plain) == "ndjson"
    flat = tmp_path / "flat.jsonl"
    flat.write_text('{"id": "1", "created_at": "2022-08-29T00:00:00.000Z", "text": "x", "author_id": "7", '
                    '"conversation_id": "1", "edit_history_tweet_ids": ["1"]}\n')
    assert detect(flat) == "twarc"
