"""Fuzzing the X archive, Mastodon and Misskey parsers (hypothesis, seeded in CI).

No input may make a collector raise anything but SourceError (a whole file refused with a
reason), and through the ingest loop no input may crash it or leave a half-written store.
DTRACK_FUZZ_EXAMPLES=N runs N examples per test (random, not seeded) instead of the quick CI
default. Inputs that once crashed a parser are kept as explicit regression tests at the end.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtrack.collectors.formats import mastodon as MASTODON
from dtrack.collectors.formats import misskey as MISSKEY
from dtrack.collectors.formats import x_archive as X_ARCHIVE
from dtrack.collectors.formats.mastodon import html_to_text
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import Notice, ParseContext, Quarantine, SourceError
from dtrack.data.store import Store

EXAMPLES = int(os.environ.get("DTRACK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="DTRACK_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# text with the awkward parts: CJK, emoji (and a lone surrogate), entities, quotes, newlines
TOKENS = [*"無断学習AIあ🎨&;<>\"'\\/\n\t #@…:", "👩\u200d🎨", "\ud83c", "&amp;", "&lt;", "RT @", "https://t.co/x"]
texts = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
ids = st.one_of(st.none(), st.integers(min_value=-1, max_value=2**70), st.floats(allow_nan=True),
                st.text(alphabet="0123456789x ", max_size=22), st.booleans())
times = st.one_of(st.none(), st.integers(), st.sampled_from(
    ["Mon Aug 29 03:15:00 +0000 2022", "2013-01-29 16:02:26 +0000", "2022-08-29T05:00:00Z", "", "yesterday",
     "Feb 30 2022", "2022-08-29T05:00:00.500+09:00"]), st.text(max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), texts)
json_values = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                             st.dictionaries(texts, kids, max_size=3)), max_leaves=8)


entities = st.fixed_dictionaries({}, optional={
    "media": st.lists(st.fixed_dictionaries({}, optional={"source_status_id_str": ids, "source_user_id_str": ids,
                                                           "expanded_url": json_values}), max_size=2) | json_values,
    "user_mentions": st.lists(st.fixed_dictionaries({"screen_name": json_values, "id_str": ids}), max_size=2)
    | json_values})


def tweet_items() -> st.SearchStrategy[Any]:
    tweet = st.fixed_dictionaries(
        {"id_str": ids, "created_at": times, "full_text": st.one_of(texts, st.none(), st.integers())},
        optional={"id": ids, "lang": scalars, "in_reply_to_status_id_str": ids, "deleted_at": times,
                  "community_id_str": ids, "retweeted_status": json_values, "user": json_values,
                  "entities": st.one_of(json_values, entities), "extended_entities": st.one_of(json_values, entities),
                  "edit_info": json_values},
    )
    return st.one_of(st.builds(lambda t: {"tweet": t}, tweet), tweet, json_values)


def consume(collector: Any, path: Path) -> None:
    """Run a parser to the end: records of the documented kinds, or SourceError."""
    try:
        for rec in collector.parse(path, ParseContext(display_name=str(path))):
            assert isinstance(rec, dict | pl.DataFrame | Quarantine | Notice), type(rec)
    except SourceError:
        pass


def layout(items: list[Any], pretty: bool, cut: float | None, prefix: str) -> bytes:
    body = (json.dumps(items, indent=2, separators=(",", " : "), ensure_ascii=False) if pretty
            else json.dumps(items, ensure_ascii=False))
    data = (prefix + body).encode("utf-8", "surrogatepass")
    if cut is not None:
        data = data[: int(len(data) * cut)]
    return data


cuts = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0))


@FUZZ
@given(items=st.lists(tweet_items(), max_size=6), pretty=st.booleans(), cut=cuts,
       kind=st.sampled_from(["tweets", "tweet", "deleted_tweets", "community_tweet", "note_tweet"]))
def test_x_archive_file_never_crashes(tmp_path_factory: Any, items: list[Any], pretty: bool, cut: float | None,
                                      kind: str) -> None:
    path = tmp_path_factory.mktemp("x") / "tweets.js"
    path.write_bytes(layout(items, pretty, cut, f"window.YTD.{kind}.part0 = "))
    consume(X_ARCHIVE, path)


@FUZZ
@given(junk=st.binary(max_size=200), prefix=st.sampled_from(
    [b"window.YTD.tweets.part0 = ", b"window.YTD.tweets.part0 = [\n  {\n", b"Grailbird.data.tweets_2013_01 = \n [ ",
     b"[", b'{"type":"OrderedCollection","orderedItems":[', b""]))
def test_any_bytes_never_crash_the_parsers(tmp_path_factory: Any, junk: bytes, prefix: bytes) -> None:
    path = tmp_path_factory.mktemp("b") / "file.js"
    path.write_bytes(prefix + junk)
    for collector in (X_ARCHIVE, MASTODON, MISSKEY):
        consume(collector, path)


activities = st.one_of(
    json_values,
    st.fixed_dictionaries({"type": st.sampled_from(["Create", "Announce", "Like", "Update"]),
                           "id": st.one_of(texts, st.none()), "published": times,
                           "to": json_values, "cc": json_values, "actor": json_values,
                           "object": st.one_of(texts, st.fixed_dictionaries(
                               {"type": st.sampled_from(["Note", "Question", "Image"]), "id": json_values,
                                "content": st.one_of(texts, st.none(), json_values), "contentMap": json_values,
                                "summary": json_values, "inReplyTo": json_values, "published": times,
                                "url": json_values, "oneOf": json_values}))}),
)


@FUZZ
@given(items=st.lists(activities, max_size=6), cut=cuts)
def test_mastodon_outbox_never_crashes(tmp_path_factory: Any, items: list[Any], cut: float | None) -> None:
    path = tmp_path_factory.mktemp("m") / "outbox.json"
    doc = {"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection", "orderedItems": items}
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(data[: int(len(data) * cut)] if cut is not None else data)
    consume(MASTODON, path)


@FUZZ
@given(html=st.text(alphabet=st.sampled_from(list("<>/&;#x0123abp br span a=\"' 無🎨\n")), max_size=80))
def test_html_to_text_never_raises(html: str) -> None:
    assert isinstance(html_to_text(html), str)


notes = st.one_of(json_values, st.fixed_dictionaries(
    {"id": ids, "createdAt": times, "text": st.one_of(texts, st.none())},
    optional={"renoteId": json_values, "replyId": json_values, "cw": json_values, "visibility": json_values,
              "fileIds": json_values, "poll": json_values, "localOnly": json_values}))


@FUZZ
@given(items=st.lists(notes, max_size=6), cut=cuts)
def test_misskey_export_never_crashes(tmp_path_factory: Any, items: list[Any], cut: float | None) -> None:
    path = tmp_path_factory.mktemp("k") / "notes.json"
    data = json.dumps(items, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(data[: int(len(data) * cut)] if cut is not None else data)
    consume(MISSKEY, path)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
@given(items=st.lists(tweet_items(), min_size=1, max_size=5), pretty=st.booleans(), cut=cuts,
       notes_=st.lists(notes, max_size=3))
def test_ingest_loop_survives_and_the_store_stays_whole(tmp_path_factory: Any, items: list[Any], pretty: bool,
                                                         cut: float | None, notes_: list[Any]) -> None:
    tmp = tmp_path_factory.mktemp("i")
    x = tmp / "tweets.js"
    x.write_bytes(layout(items, pretty, cut, "window.YTD.tweets.part0 = "))
    k = tmp / "notes.json"
    k.write_bytes(json.dumps(notes_, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    store = Store(tmp / "store")
    for path, fmt in ((x, "x_archive"), (k, "misskey")):
        with store.writer(purpose="fuzz") as w:
            report = ingest_source(w, path, fmt=fmt)
        assert "collector failed" not in report.message, report.message
        assert report.status in ("ok", "error")
    frame = store.scan_posts().collect()  # readable, and every stored row has its key and time
    assert frame.filter(pl.col("post_id").is_null() | pl.col("created_at").is_null()).height == 0
    assert frame["post_id"].n_unique() == frame.height or frame.select(pl.struct("platform", "post_id")
                                                                        .n_unique()).item() == frame.height


# -- inputs found by fuzzing ------------------------------------------------------------
def test_found_an_item_that_is_an_integer_beyond_64_bits(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = [-9223372036854775809]")
    recs = list(X_ARCHIVE.parse(path, ParseContext()))
    assert len(recs) == 1 and isinstance(recs[0], Quarantine) and "-9223372036854775809" in recs[0].raw


def test_found_a_poll_whose_options_are_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps({"type": "OrderedCollection", "orderedItems": [
        {"type": "Create", "published": "2022-08-29T00:00:00Z",
         "object": {"type": "Question", "id": "x", "oneOf": True}},
        {"type": "Create", "actor": "http://[::1", "published": "2022-08-29T00:00:00Z",
         "object": {"type": "Note", "id": "y", "content": "<p>hi</p>"}}]}))
    recs = list(MASTODON.parse(path, ParseContext()))
    assert [r["post_id"] for r in recs] == ["x", "y"] and recs[0]["extra"]["poll_options"] == []


def test_media_that_is_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "created_at": "2022-08-29T00:00:00Z", '
                    '"full_text": "RT @a: x", "entities": {"media": true}, "extended_entities": {"media": "x"}}}]')
    recs = [r for r in X_ARCHIVE.parse(path, ParseContext()) if isinstance(r, pl.DataFrame)]
    assert recs[0]["is_repost"].to_list() == [True] and recs[0]["repost_of"].to_list() == [None]
