"""Niconico collector: legacy comment-server JSON and nvComment v1, on fixtures/niconico."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.collectors import detect
from dtrack.collectors.formats import niconico
from dtrack.collectors.records import Quarantine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "niconico"
LEGACY = FIXTURES / "sm12345-legacy.json"
UTC = dt.UTC


def by_id(posts) -> dict[str, dict]:
    return {row["post_id"]: row for row in posts.iter_rows(named=True)}


@pytest.mark.parametrize("name", ["sm12345-legacy.json", "nvcomment-v1.json", "truncated.json"])
def test_detected(name):
    assert detect(FIXTURES / name) == "niconico"


def test_json_array_of_other_things_is_not_niconico(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('[{"id": "9abc", "text": "hi", "createdAt": "2022-08-29T00:00:00Z"}]')
    assert not niconico.sniff(path, path.read_bytes())


def test_legacy_counts(ingest, store):
    report = ingest(store, LEGACY)
    posts = store.scan_posts().collect()
    assert report.status == "ok"
    assert sorted(posts["post_id"]) == ["1661740000/1", "1661740000/2", "1661740000/3",
                                        "1661740000/easy/1", "1661740000/owner/1"]
    assert report.quarantined == 2  # a chat without no, a chat without date
    assert report.notices == 1 and "resultcode 1" in report.notice_messages[0]
    reasons = store.scan_quarantine().collect()["reason"].to_list()
    assert any("thread, fork and no" in r for r in reasons) and any("created_at" in r for r in reasons)


def test_legacy_fields(ingest, store):
    _ = ingest(store, LEGACY)
    posts = store.scan_posts().collect()
    rows = by_id(posts)
    first = rows["1661740000/1"]
    assert first["created_at"] == dt.datetime(2022, 8, 29, 2, 28, 20, 250000, tzinfo=UTC)  # date + date_usec
    assert first["text"] == "無断学習やめて" and first["author_id"] == "anonHashA1"
    assert first["url"] == "https://www.nicovideo.jp/watch/sm12345?from=12"  # vpos 1234 = 12.34 s
    extra = json.loads(first["extra"])
    assert extra["vpos"] == 1234 and extra["mail"] == "184" and extra["video"] == "sm12345"
    assert rows["1661740000/2"]["text"] == "絵文字 😀 と 👍🏽"  # JSON surrogate-pair escapes
    deleted = rows["1661740000/3"]
    assert deleted["text"] is None and json.loads(deleted["extra"])["deleted"] == 1
    assert rows["1661740000/owner/1"]["text"] == "投稿者コメント"
    assert json.loads(rows["1661740000/easy/1"]["extra"])["fork"] == "easy"
    assert posts["platform"].unique().to_list() == ["niconico"] and not posts["is_repost"].any()


def test_nvcomment_v1_gives_the_same_ids_as_legacy(ingest, store):
    ingest(store, LEGACY)
    report = ingest(store, FIXTURES / "nvcomment-v1.json")
    posts = store.scan_posts().collect()
    assert (report.read, report.new, report.duplicate) == (3, 1, 2)
    new = by_id(posts)["1661740000/5"]
    assert new["created_at"] == dt.datetime(2022, 8, 29, 15, 0, tzinfo=UTC)
    assert json.loads(new["extra"])["vpos"] == 9999
    assert new["url"] is None  # the file name carries no video id


def test_truncated_file_keeps_complete_items(ingest, store):
    report = ingest(store, FIXTURES / "truncated.json")
    posts = store.scan_posts().collect()
    assert posts["post_id"].to_list() == ["1661740000/1"]
    q = store.scan_quarantine().collect()
    assert report.quarantined == 1 and "cut off after item 5" in q["reason"][0]


def test_lone_surrogate_escape_in_a_damaged_file(ingest, store, tmp_path):
    # found by bench/fuzz_misc.py: the fallback reader must not pass lone surrogates on
    path = tmp_path / "x.json"
    path.write_text('[{"chat":{"thread":"1","no":1,"date":1661740000,"content":"a\\ud83d b"}},{"chat":{')
    report = ingest(store, path)
    posts = store.scan_posts().collect()
    assert report.status == "ok" and posts["text"].to_list() == ["a\ufffd b"]
    assert report.quarantined == 1


def test_not_json_fails_cleanly(ingest, store, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{{{ not json")
    report = ingest(store, path, fmt="niconico")
    posts = store.scan_posts().collect()
    assert report.status == "error" and "not valid JSON" in report.message
    assert posts.height == 0 and store.sources() == []


@pytest.mark.parametrize(
    ("thread", "fork", "no", "post_id"),
    [
        ("1173108780", None, 5, "1173108780/5"),
        ("1173108780", 0, 5, "1173108780/5"),
        ("1173108780", 1, 5, "1173108780/owner/5"),
        ("1173108780", 2, 5, "1173108780/easy/5"),
        ("1173108780", "main", 5, "1173108780/5"),
        ("1173108780", "easy", 5, "1173108780/easy/5"),
        (1173108780, None, 5, "1173108780/5"),
        ("1173108780", None, "5", None),
        ("../x", None, 5, None),
        ("1173108780", None, True, None),
    ],
)
def test_comment_id(thread, fork, no, post_id):
    assert niconico.comment_id(thread, fork, no) == post_id


_json = st.recursive(
    # values as orjson parses them: integers within 64 bits
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["thread", "no", "vpos", "date", "date_usec", "fork", "user_id",
                                        "content", "deleted", "mail"]), _json, max_size=8) | _json)
def test_map_chat_never_raises(chat):
    out = niconico.map_chat(chat, 1, "sm9", "{}")
    assert isinstance(out, dict | Quarantine)
    if isinstance(out, dict):
        orjson.dumps(out["extra"], default=str)
