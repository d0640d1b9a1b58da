"""Twitter API v1.1 statuses: lines, arrays, search responses, 2^53 ids, extended text, retweets.

Through the real ingest loop into a store in tmp_path; expected texts come
from the fixtures themselves (read with the standard library).
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats import twitter_v1
from dtrack.data.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twitter_v1"
TWARC_FIXTURES = Path(__file__).parents[1] / "fixtures" / "twarc"


def stored(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in store.scan_posts().collect().iter_rows(named=True)}


def lines(name: str) -> list[dict]:
    return [json.loads(ln) for ln in (FIXTURES / name).read_text().splitlines() if ln.strip()]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_every_fixture_is_detected_as_twitter_v1(name):
    assert detect(FIXTURES / name) == "twitter_v1"


@pytest.mark.parametrize("name", sorted(p.name for p in TWARC_FIXTURES.iterdir()))
def test_twarc_files_are_not_taken_for_v1(name):
    path = TWARC_FIXTURES / name
    assert not twitter_v1.sniff(path, path.read_bytes()[:65536])


def test_stream_lines_retweet_quote_reply_and_control_messages(ingest, store):
    report = ingest(store, FIXTURES / "stream.jsonl")
    assert (report.status, report.new, report.quarantined, report.notices) == ("ok", 4, 0, 2)
    assert any("1564000000000000005 deleted" in m for m in report.notice_messages)
    assert any("stream limit: 42" in m for m in report.notice_messages)
    posts = stored(store)
    raw = lines("stream.jsonl")
    original_full = raw[0]["extended_tweet"]["full_text"].replace("&amp;", "&")
    # the streaming API's extended tweet: full text from extended_tweet, not the cut "text"
    assert posts["1563900000000000001"]["text"] == original_full
    rt = posts["1564100000000000001"]
    assert (rt["is_repost"], rt["repost_of"]) == (True, "1563900000000000001")
    assert rt["text"] == "RT @painter_a: " + original_full
    quote = posts["1564100000000000003"]
    assert (quote["is_repost"], quote["quote_of"]) == (False, "1563900000000000001")
    assert posts["1564100000000000004"]["reply_to"] == "1564100000000000003"
    assert rt["author_name"] == "retweeter_b" and rt["author_id"] == "2000000001"
    assert rt["url"] == "https://twitter.com/retweeter_b/status/1564100000000000001"
    assert posts["1564100000000000004"]["source_line"] == 5


def test_id_str_wins_and_float_or_big_numeric_ids_are_quarantined(ingest, store):
    report = ingest(store, FIXTURES / "ids_2_53.jsonl")
    assert (report.new, report.quarantined) == (2, 2)
    posts = stored(store)
    assert set(posts) == {"1564100000000000011", "20"}
    # what a float reader would have made of the first id: it must not be what we stored
    assert str(int(float(lines("ids_2_53.jsonl")[0]["id"]))) != "1564100000000000011"
    quarantined = store.scan_quarantine().collect()
    assert sorted(quarantined["source_line"].to_list()) == [2, 3]
    assert all("2^53" in r for r in quarantined["reason"].to_list())


def test_pretty_printed_array_in_rest_extended_mode(ingest, store):
    report = ingest(store, FIXTURES / "array.json")
    assert (report.new, report.quarantined) == (2, 0)
    posts = stored(store)
    raw = json.loads((FIXTURES / "array.json").read_text())
    assert posts["1564200000000000001"]["text"] == "無断学習のニュース見た <3"  # &lt; unescaped
    assert posts["1564200000000000001"]["source_line"] == 1
    rt = posts["1564200000000000002"]
    assert rt["source_line"] == 2 and rt["is_repost"]
    assert rt["text"] == "RT @painter_a: " + raw[1]["retweeted_status"]["full_text"].replace("&amp;", "&")


def test_array_cut_off_keeps_the_complete_items(ingest, store):
    report = ingest(store, FIXTURES / "array_cut.json")
    assert (report.status, report.new, report.quarantined) == ("ok", 1, 1)
    (row,) = store.scan_quarantine().collect().iter_rows(named=True)
    assert row["source_line"] == 2 and "cut off" in row["reason"]


def test_search_response(ingest, store):
    report = ingest(store, FIXTURES / "search.json")
    assert report.new == 2
    assert set(stored(store)) == {"1564300000000000001", "1564300000000000002"}


def test_compatibility_mode_cut_text_is_kept_and_marked(ingest, store):
    ingest(store, FIXTURES / "compat_truncated.json")
    (post,) = stored(store).values()
    raw = json.loads((FIXTURES / "compat_truncated.json").read_text())
    assert post["text"] == raw["text"]
    assert orjson.loads(post["extra"])["text_truncated"] is True


def test_half_written_last_line(ingest, store):
    report = ingest(store, FIXTURES / "half_written.jsonl")
    assert (report.new, report.quarantined) == (1, 1)
    (row,) = store.scan_quarantine().collect().iter_rows(named=True)
    assert row["source_line"] == 2 and "half-written" in row["reason"]


def test_surrogate_pairs_and_a_lone_surrogate(ingest, store):
    report = ingest(store, FIXTURES / "surrogates.jsonl")
    assert (report.new, report.quarantined) == (2, 0)
    posts = stored(store)
    assert posts["1564600000000000001"]["text"] == lines("surrogates.jsonl")[0]["text"]
    assert posts["1564600000000000002"]["text"] == "切れた絵文字🎨\ufffd…"
    extra = orjson.loads(posts["1564600000000000002"]["extra"])
    assert extra["text_repaired"] and extra["text_truncated"]


def test_single_pretty_printed_status(ingest, store, tmp_path):
    status = lines("stream.jsonl")[4]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(status, indent=2, ensure_ascii=False))
    assert detect(path) == "twitter_v1"
    report = ingest(store, path)
    assert report.new == 1 and set(stored(store)) == {"1564100000000000004"}


def test_broken_lines_in_a_lines_file_are_quarantined_with_their_numbers(ingest, store, tmp_path):
    good = (FIXTURES / "stream.jsonl").read_text().splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(["{not json", good[0], "42", '{"foo": 1}', good[1]]) + "\n")
    report = ingest(store, path, fmt="twitter_v1")
    assert (report.status, report.new, report.quarantined) == ("ok", 2, 3)
    assert sorted(store.scan_quarantine().collect()["source_line"].to_list()) == [1, 3, 4]


def test_broken_array_document_is_quarantined_not_dropped(ingest, store, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[{]")
    report = ingest(store, path, fmt="twitter_v1")
    assert report.status == "ok" and report.new == 0 and report.quarantined == 1
