"""The pure map_* functions of each format, table-tested without a store: one input record,
the fields it must give (or why it is quarantined). Hand-written cases, one line each."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dtrack.collectors.formats import bluesky, fivech, mastodon, misskey, niconico, twarc, twitter_v1
from dtrack.collectors.records import Notice, Quarantine

JST = ZoneInfo("Asia/Tokyo")


def pick(out: object, keys: tuple[str, ...]) -> object:
    if isinstance(out, dict):
        return {k: out.get(k) for k in keys}
    return type(out).__name__


@pytest.mark.parametrize(("note", "expected"), [
    ({"id": "9a", "createdAt": "2022-08-29T00:00:00Z", "text": "無断学習"},
     {"post_id": "9a", "is_repost": False, "repost_of": None, "quote_of": None}),
    ({"id": "9b", "createdAt": "2022-08-29T00:00:00Z", "text": None, "renoteId": "9a"},
     {"post_id": "9b", "is_repost": True, "repost_of": "9a", "quote_of": None}),
    ({"id": "9c", "createdAt": "2022-08-29T00:00:00Z", "text": "引用", "renoteId": "9a"},
     {"post_id": "9c", "is_repost": False, "repost_of": None, "quote_of": "9a"}),
    ({"id": 12, "createdAt": "2022-08-29T00:00:00Z", "text": "int id"},
     {"post_id": "12", "is_repost": False, "repost_of": None, "quote_of": None}),
    ({"id": 1.5, "text": "float id"}, "Quarantine"),
    (["not", "a", "note"], "Quarantine"),
])
def test_misskey_map_note(note, expected) -> None:
    assert pick(misskey.map_note(note, 1, "notes.json"), ("post_id", "is_repost", "repost_of", "quote_of")) == expected


AUTHOR = ("https://m.example/users/a", "a@m.example")


@pytest.mark.parametrize(("item", "expected"), [
    ({"type": "Create", "object": {"type": "Note", "id": "https://m.example/n/1", "content": "<p>無断<br>学習</p>",
                                   "published": "2022-08-29T00:00:00Z", "to": ["as:Public"]}},
     {"post_id": "https://m.example/n/1", "text": "無断\n学習", "is_repost": False}),
    ({"type": "Announce", "id": "https://m.example/b/1", "object": "https://x.example/n/9",
      "published": "2022-08-29T00:00:00Z"},
     {"post_id": "https://m.example/b/1", "text": None, "is_repost": True}),
    ({"type": "Like", "object": "https://x.example/n/9"}, "str"),
    ({"type": "Create", "object": "https://m.example/n/1"}, "Quarantine"),
    ("nonsense", "Quarantine"),
])
def test_mastodon_map_activity(item, expected) -> None:
    assert pick(mastodon.map_activity(item, 1, AUTHOR, "outbox.json"), ("post_id", "text", "is_repost")) == expected


@pytest.mark.parametrize(("fields", "expected"), [
    (["名無し", "sage", "2022/08/29(月) 12:34:56.78 ID:abc", " 無断学習 <br> >>1 "],
     {"post_id": "ai/123/2", "created_at": dt.datetime(2022, 8, 29, 3, 34, 56, 780000, tzinfo=dt.UTC),
      "author_id": "abc@2022-08-29", "text": "無断学習\n>>1"}),
    (["名無し", "", "99/05/30(日) 01:02 ID:x", "old"],
     {"post_id": "ai/123/2", "created_at": dt.datetime(1999, 5, 29, 16, 2, tzinfo=dt.UTC),
      "author_id": "x@1999-05-30", "text": "old"}),
    (["あぼーん", "あぼーん", "あぼーん", "あぼーん"], "Notice"),
    (["名無し", "", "not a date", "body"], "str"),
])
def test_fivech_map_line(fields, expected) -> None:
    out = fivech.map_line(fields, 2, "ai", "123", None, None, JST)
    assert pick(out, ("post_id", "created_at", "author_id", "text")) == expected


@pytest.mark.parametrize(("chat", "expected"), [
    ({"thread": "1661740000", "no": 1, "date": 1661740000, "content": "うぽつ", "vpos": 100},
     {"post_id": "1661740000/1", "text": "うぽつ", "created_at": dt.datetime.fromtimestamp(1661740000, dt.UTC)}),
    ({"thread": "1661740000", "fork": 1, "no": 2, "date": 1661740000, "content": "owner"},
     {"post_id": "1661740000/owner/2", "text": "owner", "created_at": dt.datetime.fromtimestamp(1661740000, dt.UTC)}),
    ({"thread": "abc", "no": 1}, "Quarantine"),
    ("chat", "Quarantine"),
])
def test_niconico_map_chat(chat, expected) -> None:
    assert pick(niconico.map_chat(chat, 1, None, "{}"), ("post_id", "text", "created_at")) == expected


@pytest.mark.parametrize(("status", "expected"), [
    ({"id_str": "1564200000000000001", "created_at": "Mon Aug 29 03:00:00 +0000 2022", "text": "a &lt;3",
      "user": {"screen_name": "u"}},
     {"post_id": "1564200000000000001", "text": "a <3", "is_repost": False,
      "url": "https://twitter.com/u/status/1564200000000000001"}),
    ({"id_str": "2", "created_at": "Mon Aug 29 03:00:00 +0000 2022", "text": "RT @o: cut…",
      "retweeted_status": {"id_str": "1", "full_text": "full text", "user": {"screen_name": "o"}}},
     {"post_id": "2", "text": "RT @o: full text", "is_repost": True, "url": "https://twitter.com/i/web/status/2"}),
    ({"id": 2**60, "created_at": "Mon Aug 29 03:00:00 +0000 2022", "text": "float-unsafe id"}, "Quarantine"),
    ({"delete": {"status": {"id_str": "5"}}}, "Notice"),
])
def test_twitter_v1_map_status(status, expected) -> None:
    assert pick(twitter_v1.map_status(status, 1), ("post_id", "text", "is_repost", "url")) == expected


@pytest.mark.parametrize(("tweet", "expected"), [
    ({"id": "10", "created_at": "2022-08-29T03:00:00.000Z", "text": "v2 &amp; more", "author_id": "7"},
     {"post_id": "10", "text": "v2 & more", "author_name": "u", "is_repost": False}),
    ({"id": "11", "created_at": "2022-08-29T03:00:00.000Z", "text": "RT @o: cut…", "author_id": "7",
      "referenced_tweets": [{"type": "retweeted", "id": "1"}]},
     {"post_id": "11", "text": "RT @o: the full original", "author_name": "u", "is_repost": True}),
    ({"id": 11.0, "created_at": "2022-08-29T03:00:00.000Z", "text": "x"}, "Quarantine"),
    ({"id": "12", "created_at": "yesterday", "text": "x"}, "Quarantine"),
])
def test_twarc_map_tweet(tweet, expected) -> None:
    users = {"7": {"id": "7", "username": "u"}, "8": {"id": "8", "username": "o"}}
    tweets = {"1": {"id": "1", "text": "the full original", "author_id": "8"}}
    assert pick(twarc.map_tweet(tweet, users, tweets, 1), ("post_id", "text", "author_name", "is_repost")) == expected


DID = "did:plc:abc"


@pytest.mark.parametrize(("path", "record", "expected"), [
    ("app.bsky.feed.post/3k", {"$type": "app.bsky.feed.post", "text": "無断学習", "createdAt": "2023-01-01T00:00:00Z",
                               "langs": ["ja"]},
     {"post_id": f"at://{DID}/app.bsky.feed.post/3k", "text": "無断学習", "lang": "ja",
      "url": f"https://bsky.app/profile/{DID}/post/3k"}),
    ("app.bsky.feed.repost/3r", {"subject": {"uri": f"at://{DID}/app.bsky.feed.post/3k"},
                                 "createdAt": "2023-01-01T00:00:00Z"},
     {"post_id": f"at://{DID}/app.bsky.feed.repost/3r", "text": None, "lang": None,
      "url": f"https://bsky.app/profile/{DID}/post/3k"}),
    ("app.bsky.feed.like/3l", {"subject": {}}, "NoneType"),
    ("app.bsky.feed.post/3m", {"text": 5}, "Quarantine"),
    ("app.bsky.feed.post/3n", None, "Quarantine"),
])
def test_bluesky_map_record(path, record, expected) -> None:
    assert pick(bluesky.map_record(DID, path, None, record, 1), ("post_id", "text", "lang", "url")) == expected


def test_the_records_are_the_pipeline_types() -> None:
    assert isinstance(misskey.map_note([], 1, "w"), Quarantine)
    assert isinstance(twitter_v1.map_status({"limit": {"track": 3}}, 1), Notice)
