"""twarc2 JSON lines: pages, stream lines, flattened tweets, errors, edits, surrogates, ids.

Every test goes through the real ingest loop into a real store in tmp_path.
Expected texts are read from the fixture itself with the standard library,
so the assertions check the collector's choices, not a copy of its output.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dtrack.collectors import detect
from dtrack.collectors.formats import twarc
from dtrack.collectors.formats.batching import batched
from dtrack.collectors.formats.twitter_common import id_string, is_id, looks_cut, retweet_text, tweet_post
from dtrack.collectors.readers.json_lines import json_lines
from dtrack.collectors.readers.json_values import dumps_raw
from dtrack.collectors.readers.times import time_text
from dtrack.collectors.records import Notice, ParseContext, Quarantine
from dtrack.data.store import Store
from dtrack.data.times import TimeRange

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


# -- the columnar mapping against the per-tweet one it replaced -----------------------------------------
# The reference: the per-tweet mapping as it was before rows were gathered into columns (a dict per
# tweet, gathered by ``batching.batched``), kept here word for word as the oracle. The fast path must
# give the same records in the same order: every post column, quarantine record and notice. The helpers
# it used are unchanged and shared (twarc._text, twarc._index, twarc._username).
_old_text, _old_index, _old_username = twarc._text, twarc._index, twarc._username


def _old_map_tweet(tweet, users, tweets, line, repaired=False, rules=None):
    post_id = id_string(tweet.get("id"), tweet.get("id"))
    if post_id is None:
        return Quarantine(line, dumps_raw(tweet), f"tweet without a usable id (ids are strings; a number above "
                                                  f"2^53 may have lost digits): {tweet.get('id')!r}")
    created = time_text(tweet.get("created_at"), twarc._TIME)
    if created is None:
        return Quarantine(line, dumps_raw(tweet), f"tweet {post_id}: created_at missing or unreadable: "
                                                  f"{tweet.get('created_at')!r}")
    author_id = tweet.get("author_id") if is_id(tweet.get("author_id")) else None
    author = tweet.get("author")
    if not isinstance(author, dict):
        author = users.get(author_id) if author_id else None
    if author_id is None and isinstance(author, dict) and is_id(author.get("id")):
        author_id = author["id"]
    username = _old_username(author)
    text = _old_text(tweet)
    extra = {}
    repost_of = reply_to = quote_of = None
    original = None
    refs = tweet.get("referenced_tweets")
    for ref in refs if isinstance(refs, list) else ():
        if not isinstance(ref, dict) or not is_id(ref.get("id")):
            continue
        kind = ref.get("type")
        if kind == "retweeted" and repost_of is None:
            repost_of = ref["id"]
            original = ref if "text" in ref else tweets.get(ref["id"])
        elif kind == "quoted" and quote_of is None:
            quote_of = ref["id"]
        elif kind == "replied_to" and reply_to is None:
            reply_to = ref["id"]
    if repost_of is not None:
        full = _old_text(original) if isinstance(original, dict) else None
        if full is not None:
            original_author = original.get("author") if isinstance(original.get("author"), dict) else (
                users.get(original.get("author_id")) if isinstance(original.get("author_id"), str) else None)
            text = retweet_text(text, _old_username(original_author), full)
        elif looks_cut(text):
            extra["text_truncated"] = True
    history = tweet.get("edit_history_tweet_ids")
    if isinstance(history, list) and len(history) > 1 and all(is_id(h) for h in history):
        extra["edit_history_tweet_ids"] = history
        if history[0] != post_id:
            extra["edit_of"] = history[0]
    if rules is not None:
        extra["matching_rules"] = rules
    return tweet_post(post_id=post_id, created=created, author_id=author_id, username=username,
                      display_name=author.get("name") if isinstance(author, dict) else None, text=text,
                      lang=tweet.get("lang"), is_repost=repost_of is not None, repost_of=repost_of,
                      reply_to=reply_to, quote_of=quote_of, extra=extra, line=line, repaired=repaired)


def _old_read_line(obj, line, raw, repaired=False):
    if not isinstance(obj, dict):
        yield Quarantine(line, raw.decode("utf-8", "replace"), f"a JSON {type(obj).__name__}, not a twarc2 object")
        return
    errors = obj.get("errors")
    if isinstance(errors, list):
        for err in errors:
            yield Notice(line, twarc._error_message(err))
    if "data" in obj:
        yield from _old_read_page(obj, line, raw, repaired)
    elif "id" in obj and "text" in obj:
        yield _old_map_tweet(obj, {}, {}, line, repaired, obj.get("matching_rules"))
    elif twarc._is_compliance(obj):
        reason = f" ({obj['reason']})" if obj.get("reason") else ""
        yield Notice(line, f"compliance: tweet {obj['id']} {obj['action']}{reason} at {obj.get('created_at')}")
    elif isinstance(errors, list) or "meta" in obj:
        return
    else:
        yield Quarantine(line, raw.decode("utf-8", "replace"),
                         "not a twarc2 page, tweet or compliance record (no data, id/text or action)")


def _old_read_page(obj, line, raw, repaired):
    data = obj["data"]
    if data is None:
        return
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield Quarantine(line, raw.decode("utf-8", "replace"), f"'data' is a JSON {type(data).__name__}")
        return
    includes = obj.get("includes") if isinstance(obj.get("includes"), dict) else {}
    users = _old_index(includes.get("users"))
    tweets = _old_index(includes.get("tweets"))
    rules = obj.get("matching_rules")
    skipped = {}
    for item in items:
        if isinstance(item, dict) and "text" not in item and "note_tweet" not in item:
            kind = ("user objects" if "username" in item else
                    "tweet counts" if "tweet_count" in item else None)
            if kind:
                skipped[kind] = skipped.get(kind, 0) + 1
                continue
        if not isinstance(item, dict) or "id" not in item:
            yield Quarantine(line, dumps_raw(item), "a 'data' item that is not a tweet (no id)")
            continue
        yield _old_map_tweet(item, users, tweets, line, repaired, rules)
    for kind, count in skipped.items():
        yield Notice(line, f"{count} {kind} in 'data' skipped: not tweets")


def _old_parse(path, ctx, size=twarc.BATCH_ROWS):
    def records():
        for item in json_lines(path, ctx):
            if isinstance(item, Quarantine):
                yield item
                continue
            line, raw, obj, repaired = item
            yield from _old_read_line(obj, line, raw, repaired)
    yield from batched(records(), twarc.TIME_FORMAT, size)


# -- a hostile, seeded, real-shaped twarc2 file -----------------------------------------------------------
GOOD_IDS = [str(1_564_000_000_000_000_000 + i) for i in range(0, 7000, 7)]
ODD_IDS = [20, 2**53, 2**53 + 1, 1.564e18, 12.0, True, None, "", " 1564100000000000009 ", "12a", "１２３",
           "1" * 26, "-5", [1], {"id": "1"}]
ODD_TIMES = [None, "", "yesterday", 1661742000, 1661742000123, "2022-08-29 03:00:00", "2022-08-29T03:00:00Z",
             "2022-08-29T03:00:00.123456789Z", "2022-08-29T03:00:00+09:00", "Mon Aug 29 03:00:00 +0000 2022",
             "2022-02-30T00:00:00.000Z", "2022/08/29(月) 12:34:56.78", "２０２２-08-29T03:00:00.000Z", True, [1]]
WORDS = ["無断学習", "画像生成AI", "&amp;", "&lt;3", "&gt;", "&copy;", "🎨👩🏻‍🎨", "mimic", "\ufffd", "https://t.co/x",
         "学習禁止", "\n", "\"quoted\"", "\\", "\u2028"]


def _words(rng, n=None):
    return " ".join(rng.choice(WORDS) for _ in range(n or rng.randrange(1, 12)))


def _pick(rng, good, odd, p_odd):
    return rng.choice(odd) if rng.random() < p_odd else rng.choice(good)


def _user(rng, uid):
    user = {"id": uid, "username": rng.choice([f"user_{uid[-3:]}", f"u{uid[-2:]}"]), "name": _words(rng, 2),
            "created_at": "2015-03-01T00:00:00.000Z", "public_metrics": {"followers_count": 3}}
    roll = rng.random()
    if roll < 0.05:
        user["username"] = rng.choice(["", None, 7])
    elif roll < 0.1:
        user["name"] = rng.choice([None, 5, ["x"]])
    elif roll < 0.12:
        del user["name"]
    return user


def _tweet(rng, users, originals, p_odd):
    tid = _pick(rng, GOOD_IDS, ODD_IDS, p_odd)
    author = rng.choice(users) if users else None
    tweet = {"id": tid, "created_at": _pick(rng, ["2022-08-29T03:00:00.000Z", "2022-08-30T23:59:59.999Z",
                                                  "2023-01-01T00:00:00.000Z"], ODD_TIMES, p_odd),
             "text": _words(rng), "lang": rng.choice(["ja", "en", "und", None, 3]),
             "author_id": author["id"] if author else rng.choice(["2000000001", None]),
             "conversation_id": "1", "edit_history_tweet_ids": [tid],
             "public_metrics": {"retweet_count": 0, "like_count": rng.randrange(5)}}
    roll = rng.random()
    if roll < 0.35:  # a retweet, its cut text completed from includes (or not, when the original is missing)
        original = rng.choice(originals) if originals and rng.random() < 0.8 else None
        oid = original["id"] if original else rng.choice(GOOD_IDS)
        handle = rng.choice(["painter_a", "x_y", "日本"])
        tweet["text"] = rng.choice([f"RT @{handle}: {_words(rng, 3)}…", f"RT @{handle}: {_words(rng, 2)}",
                                    f"RT @{handle}:…", "no prefix at all…", "…  "])
        refs = [{"type": "retweeted", "id": oid}]
        if rng.random() < 0.2:
            refs.append({"type": "retweeted", "id": rng.choice(GOOD_IDS)})
        if rng.random() < 0.2:
            refs.insert(0, rng.choice([{"type": "retweeted", "id": 5}, "x", None, {"type": "quoted"}]))
        tweet["referenced_tweets"] = refs
    elif roll < 0.5:
        tweet["referenced_tweets"] = [{"type": rng.choice(["replied_to", "quoted"]), "id": rng.choice(GOOD_IDS)}
                                      for _ in range(rng.randrange(1, 4))]
    elif roll < 0.53:
        tweet["referenced_tweets"] = rng.choice(["x", None, {"type": "quoted", "id": "1"}, []])
    roll = rng.random()
    if roll < 0.08:  # a later version of an edited tweet (or a history that is not a list of ids)
        tweet["edit_history_tweet_ids"] = rng.choice([
            [rng.choice(GOOD_IDS), tid], [tid, rng.choice(GOOD_IDS)], [rng.choice(GOOD_IDS), 5],
            "1", [rng.choice(GOOD_IDS)] * 3])
    elif roll < 0.13:
        tweet["note_tweet"] = rng.choice([{"text": _words(rng, 40)}, {"text": 5}, "x", {}])
    elif roll < 0.18:
        del tweet[rng.choice(["text", "lang", "author_id", "created_at", "edit_history_tweet_ids"])]
    elif roll < 0.2:
        tweet["text"] = rng.choice([None, 5, ["x"]])
    elif roll < 0.23:
        tweet["author_id"] = rng.choice([2000000001, "", "abc", None])
    return tweet


def _original(rng, users):
    tweet = {"id": rng.choice(GOOD_IDS), "text": _words(rng, rng.randrange(3, 30)),
             "created_at": "2022-08-28T00:00:00.000Z"}
    roll = rng.random()
    if roll < 0.6 and users:
        tweet["author_id"] = rng.choice(users)["id"]
    elif roll < 0.7:
        tweet["author"] = _user(rng, "2000000099")
    elif roll < 0.8:
        tweet["author_id"] = rng.choice([5, "404", None])
    if rng.random() < 0.1:
        tweet["note_tweet"] = {"text": _words(rng, 50)}
    if rng.random() < 0.05:
        tweet["text"] = rng.choice([None, 5])
    return tweet


def _flattened(rng, p_odd):
    users = [_user(rng, str(2_000_000_000 + rng.randrange(50))) for _ in range(3)]
    tweet = _tweet(rng, users, [], p_odd)
    roll = rng.random()
    if roll < 0.8:
        tweet["author"] = rng.choice(users)
        if rng.random() < 0.3:
            tweet.pop("author_id", None)
    elif roll < 0.85:
        tweet["author"] = rng.choice(["x", None, {"id": 5}])
    refs = tweet.get("referenced_tweets")
    if isinstance(refs, list):
        for i, ref in enumerate(refs):
            if isinstance(ref, dict) and rng.random() < 0.7:
                refs[i] = {**_original(rng, users), **ref}
    if rng.random() < 0.2:
        tweet["matching_rules"] = [{"id": "1", "tag": "無断学習"}]
    if rng.random() < 0.1:
        tweet["__twarc"] = {"url": "x"}
    return tweet


def _error(rng):
    return rng.choice([
        {"title": "Forbidden", "detail": "User has been suspended: [x].", "resource_type": "user",
         "resource_id": "x", "type": "https://api.twitter.com/2/problems/resource-not-found"},
        {"title": "Not Found Error", "detail": "Could not find tweet.", "resource_id": rng.choice(GOOD_IDS)},
        {"message": "rate limit"}, "just a string", 5, {}])


def hostile_twarc_lines(seed: int, count: int, p_odd: float = 0.08) -> bytes:
    """``count`` twarc2 lines of every shape the collector reads, mixed and seeded."""
    rng = random.Random(seed)
    out: list[bytes] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:  # a search page with includes
            users = [_user(rng, str(2_000_000_000 + u)) for u in rng.sample(range(50), rng.randrange(0, 8))]
            originals = [_original(rng, users) for _ in range(rng.randrange(0, 6))]
            data: list[Any] = [_tweet(rng, users, originals, p_odd) for _ in range(rng.randrange(1, 30))]
            for _ in range(rng.randrange(0, 3) if rng.random() < p_odd * 3 else 0):
                data.insert(rng.randrange(len(data) + 1), rng.choice(
                    [5, "x", None, [1], {"text": "no id"}, {"username": "u", "id": "1"}, {"tweet_count": 3},
                     {"id": "1", "username": "u"}, {"note_tweet": {"text": "n"}, "id": rng.choice(GOOD_IDS),
                                                    "created_at": "2022-08-29T03:00:00.000Z"}]))
            obj: dict[str, Any] = {"data": data, "includes": {"users": users, "tweets": originals},
                                   "meta": {"result_count": len(data)}, "__twarc": {"url": "x"}}
            if rng.random() < 0.1:
                obj["includes"] = rng.choice([None, "x", {"users": "x", "tweets": [5, {"id": 7}]}])
            if rng.random() < 0.2:
                obj["errors"] = [_error(rng) for _ in range(rng.randrange(1, 3))]
        elif roll < 0.6:  # a filtered-stream line
            users = [_user(rng, str(2_000_000_000 + rng.randrange(50)))]
            originals = [_original(rng, users)] if rng.random() < 0.5 else []
            obj = {"data": _tweet(rng, users, originals, p_odd), "includes": {"users": users, "tweets": originals},
                   "matching_rules": [{"id": "1564000000000000000", "tag": rng.choice(["無断学習", "ai"])}]}
            if rng.random() < 0.1:
                obj["matching_rules"] = rng.choice([None, "x", []])
        elif roll < 0.8:
            obj = _flattened(rng, p_odd)
        elif roll < 0.85:  # a compliance record
            obj = {"id": rng.choice(GOOD_IDS), "action": rng.choice(["delete", "scrub_geo", "suspend"]),
                   "created_at": "2022-09-01T00:00:00.000Z"}
            if rng.random() < 0.5:
                obj["reason"] = rng.choice(["deleted", "suspended", ""])
        elif roll < 0.9:  # errors only, users, counts, an empty page
            obj = rng.choice([
                {"errors": [_error(rng) for _ in range(rng.randrange(1, 4))]},
                {"data": [{"id": "1", "username": "u", "name": "n"}] * rng.randrange(1, 4), "meta": {}},
                {"data": [{"end": "2022-08-29T00:00:00.000Z", "tweet_count": 4}], "meta": {"total_tweet_count": 4}},
                {"meta": {"result_count": 0}}, {"data": None}, {"data": []}, {"data": "nope"}, {"data": 5}])
        else:  # what is not a twarc2 object at all, or not JSON
            choice = rng.randrange(6)
            if choice == 0:
                out.append(b"[1, 2]")
            elif choice == 1:
                out.append(b'{"foo": "bar"}')
            elif choice == 2:
                out.append(b'{"data": [{"id": "1')
            elif choice == 3:  # a cut emoji: a lone surrogate escape (repaired)
                out.append(b'{"data": [{"id": "1564100000000000001", "created_at": "2022-08-29T03:00:00.000Z", '
                           b'"text": "RT @a: \\ud83c\\udfa8\\ud83c\xe2\x80\xa6", "author_id": "2000000001", '
                           b'"referenced_tweets": [{"type": "retweeted", "id": "1"}]}], '
                           b'"includes": {"users": [{"id": "2000000001", "username": "b", "name": "\\ud83c"}]}}')
            elif choice == 4:
                out.append(b"")
            else:
                out.append(b'"just a string"')
            continue
        out.append(json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode())
    return b"\n".join(out) + b"\n"


def _assert_same_records(new, old):
    assert [type(r).__name__ for r in new] == [type(r).__name__ for r in old]
    for a, b in zip(new, old, strict=True):
        if isinstance(a, pl.DataFrame):
            assert a.schema == b.schema
            assert_frame_equal(a, b)
        else:
            assert a == b


@pytest.mark.parametrize(("seed", "size", "part"), [(1, 7, 3), (2, 50, 2_000), (3, 20_000, 2_000), (4, 1, 2_000),
                                                  (7, 500, 64)])
def test_columnar_mapping_gives_the_old_records_in_the_old_order(tmp_path, monkeypatch, seed, size, part):
    monkeypatch.setattr(twarc, "PART_ROWS", part)  # rows become columns in parts, joined into each batch
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(hostile_twarc_lines(seed, 300))
    new = list(twarc.records(path, ParseContext(), size))
    old = list(_old_parse(path, ParseContext(), size))
    # batches are cut at the same posts, so records come out in the same order
    _assert_same_records(new, old)
    kinds = {type(r).__name__ for r in new}
    assert kinds == {"DataFrame", "Quarantine", "Notice"}
    frame = pl.concat([r for r in new if isinstance(r, pl.DataFrame)])
    # the file holds every shape: retweets completed and cut, edits, rules, repaired text, odd ids and times
    extras = frame.get_column("extra").drop_nulls().to_list()
    for key in ("text_truncated", "edit_of", "edit_history_tweet_ids", "matching_rules", "author_display_name"):
        assert any(f'"{key}"' in e for e in extras), key
    assert frame.get_column("is_repost").sum() > 0 and frame.get_column("created_at").null_count() > 0
    reasons = " ".join(r.reason for r in new if isinstance(r, Quarantine))
    for why in ("usable id", "created_at missing", "not a tweet", "not valid JSON", "not a twarc2"):
        assert why in reasons, why


def _store_tables(store: Store) -> tuple[pl.DataFrame, pl.DataFrame]:
    posts = store.scan_posts().collect().drop("collected_at").sort("post_id", "source_line")
    quarantine = store.scan_quarantine().collect().drop("quarantined_at")
    return posts, quarantine


@pytest.mark.parametrize(("size", "latest"), [(twarc.BATCH_ROWS, None), (97, None),
                                           (97, dt.datetime(2022, 12, 31, tzinfo=dt.UTC))])
def test_columnar_mapping_stores_what_the_per_tweet_mapping_stored(ingest, tmp_path, monkeypatch, size, latest):
    # with a time range the loop quarantines the posts outside it as each frame comes, so the quarantine
    # is in the same order only if the frames come between the other records where they came before
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(hostile_twarc_lines(5, 400) + hostile_twarc_lines(6, 200, p_odd=0.0))
    new_store, old_store = Store(tmp_path / "new"), Store(tmp_path / "old")
    time_range = TimeRange(latest=latest)
    monkeypatch.setattr(twarc, "parse", lambda path, ctx: twarc.records(path, ctx, size))
    new = ingest(new_store, path, fmt="twarc", time_range=time_range)
    monkeypatch.setattr(twarc, "parse", lambda path, ctx: _old_parse(path, ctx, size))
    old = ingest(old_store, path, fmt="twarc", time_range=time_range)
    assert (new.read, new.new, new.duplicate, new.quarantined, new.notices, new.notice_messages) == (
        old.read, old.new, old.duplicate, old.quarantined, old.notices, old.notice_messages)
    assert new.new > 300 and new.duplicate > 100 and new.quarantined > 10 and new.notices > 10
    for a, b in zip(_store_tables(new_store), _store_tables(old_store), strict=True):
        assert_frame_equal(a, b)
    reasons = new_store.scan_quarantine().collect().get_column("reason").to_list()
    assert any("2023-01-01" in r for r in reasons) == (latest is not None)
