"""Bluesky collector: repository CARs (v1-v3) and firehose commit JSON, on fixtures
written by fixtures/bluesky/make_fixtures.py (real shapes, one edge case each)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import orjson
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtrack.collectors import detect
from dtrack.collectors.formats import bluesky
from dtrack.collectors.records import Notice, ParseContext, Quarantine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bluesky"
DID = "did:plc:fixture7abcdefghijklmnop"


def _generator():
    spec = importlib.util.spec_from_file_location("bluesky_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def by_id(posts: pl.DataFrame) -> dict[str, dict]:
    return {row["post_id"]: row for row in posts.iter_rows(named=True)}


@pytest.mark.parametrize("name", ["v3_facets.car", "v2_vote.car", "v1_meta.car", "truncated.car",
                                  "bad_records.car", "firehose.ndjson"])
def test_fixtures_are_detected_as_bluesky(name):
    assert detect(FIXTURES / name) == "bluesky"


def test_other_json_is_not_bluesky(tmp_path):
    plain = tmp_path / "x.ndjson"
    plain.write_text('{"id": "1", "text": "ops blocks", "created_at": "2022-08-29T00:00:00Z"}\n')
    assert not bluesky.sniff(plain, plain.read_bytes())
    assert not bluesky.sniff(plain, b"\x00\x01\x02garbage")


def test_v3_repo_keeps_exactly_the_posts_and_reposts_in_the_tree(ingest, store):
    report = ingest(store, FIXTURES / "v3_facets.car")
    posts = store.scan_posts().collect()
    records = _generator().v3_records()
    # expected ids straight from the records the fixture was built from
    expected = {f"at://{DID}/{path}" for path in records
                if path.split("/")[0] in ("app.bsky.feed.post", "app.bsky.feed.repost")}
    assert set(posts["post_id"]) == expected
    assert report.status == "ok" and report.quarantined == 0
    assert report.new == len(expected) == 12
    assert "not in the tree" not in set(posts["text"].drop_nulls())  # the stray block is not a post
    reposts = posts.filter(pl.col("is_repost"))
    assert reposts.height == 3  # incl. two byte-identical records sharing one block
    assert set(posts["author_id"]) == {DID}
    assert posts["platform"].unique().to_list() == ["bluesky"]


def test_post_fields_and_utf8_byte_facets(ingest, store):
    _ = ingest(store, FIXTURES / "v3_facets.car")
    posts = store.scan_posts().collect()
    rows = by_id(posts)
    first = rows[f"at://{DID}/app.bsky.feed.post/3l2aaaaaaaa2a"]
    text = first["text"]
    assert text == _generator().TEXT
    assert first["url"] == f"https://bsky.app/profile/{DID}/post/3l2aaaaaaaa2a"
    assert first["lang"] == "ja"
    assert first["created_at"].isoformat() == "2022-08-29T03:00:00+00:00"
    extra = json.loads(first["extra"])
    (link,) = extra["links"]
    assert link["uri"] == "https://example.com/nomura-gakushu"
    assert text[link["start"]:link["end"]] == "example.com/nomura…"
    facet_tag = next(t for t in extra["tags"] if t["start"] is not None)
    assert text[facet_tag["start"]:facet_tag["end"]] == "#AIart"
    assert {"tag": "無断学習", "start": None, "end": None} in extra["tags"]
    (mention,) = extra["mentions"]
    assert text[mention["start"]:mention["end"]] == "@alice.test"

    reply = rows[f"at://{DID}/app.bsky.feed.post/3l2aaaaaaab2a"]
    other = "did:plc:otheruser2abcdefghijklm"
    assert reply["reply_to"] == f"at://{other}/app.bsky.feed.post/3jzfcijpj2z2b"
    assert json.loads(reply["extra"])["reply_root"] == f"at://{other}/app.bsky.feed.post/3jzfcijpj2z2a"
    assert json.loads(reply["extra"])["langs"] == ["ja", "en"] and reply["lang"] == "ja"
    assert reply["text"] == "返信です 👍🏽"

    quote = rows[f"at://{DID}/app.bsky.feed.post/3l2aaaaaaac2a"]
    assert quote["quote_of"] == f"at://{other}/app.bsky.feed.post/3jzfcijpj2z2a"
    assert not quote["is_repost"]

    repost = rows[f"at://{DID}/app.bsky.feed.repost/3l2aaaaaaad2a"]
    assert repost["is_repost"] and repost["repost_of"] == f"at://{other}/app.bsky.feed.post/3jzfcijpj2z2a"
    assert repost["url"] == f"https://bsky.app/profile/{other}/post/3jzfcijpj2z2a"
    assert repost["text"] is None


@pytest.mark.parametrize(
    ("text", "byte_offset", "char_offset"),
    [
        ("abc", 2, 2),
        ("無断学習", 3, 1),  # 3 bytes per kanji
        ("無断学習", 12, 4),
        ("無断学習", 4, 1),  # inside a character: rounds down to its start
        ("a😀b", 5, 2),  # 4-byte emoji (a surrogate pair in UTF-16)
        ("🙅‍♀️x", len("🙅‍♀️".encode()), 4),  # ZWJ sequence: four code points
        ("abc", 99, 3),  # past the end: clamped
        ("abc", -1, 0),
        ("abc", "3", None),
    ],
)
def test_byte_to_char(text, byte_offset, char_offset):
    assert bluesky.byte_to_char(text, text.encode(), byte_offset) == char_offset


def test_old_repo_without_rev_and_with_votes(ingest, store):
    report = ingest(store, FIXTURES / "v2_vote.car")
    posts = store.scan_posts().collect()
    assert report.status == "ok" and report.quarantined == 0
    assert posts.height == 2  # the vote is not a post
    assert posts.filter(pl.col("is_repost")).height == 1
    post = posts.filter(~pl.col("is_repost")).row(0, named=True)
    assert json.loads(post["extra"])["links"] == [{"uri": "https://bsky.app", "start": None, "end": None}]


def test_v1_repo_layout(ingest, store):
    report = ingest(store, FIXTURES / "v1_meta.car")
    posts = store.scan_posts().collect()
    assert report.status == "ok"
    assert posts["post_id"].to_list() == [f"at://{DID}/app.bsky.feed.post/3jpre1aaaaa2a"]


def test_truncated_car_keeps_what_is_readable_and_quarantines_the_rest(ingest, store):
    report = ingest(store, FIXTURES / "truncated.car")
    posts = store.scan_posts().collect()
    assert report.status == "ok"
    assert report.notices == 1 and "cut off" in report.notice_messages[0]
    assert report.new == 6 and report.quarantined == 6
    quarantine = store.scan_quarantine().collect()
    assert quarantine["reason"].str.contains("not in the file").all()
    assert set(posts["post_id"]) < {f"at://{DID}/{p}" for p in _generator().v3_records()}


def test_bad_records_are_quarantined_with_reasons(ingest, store):
    report = ingest(store, FIXTURES / "bad_records.car")
    posts = store.scan_posts().collect()
    assert posts["text"].to_list() == ["fine"]
    reasons = store.scan_quarantine().collect()["reason"].to_list()
    assert report.quarantined == 3
    assert any("created_at" in r for r in reasons)
    assert any("text is a int" in r for r in reasons)
    assert any("without subject" in r for r in reasons)


def test_firehose_commit_lines(ingest, store):
    report = ingest(store, FIXTURES / "firehose.ndjson")
    posts = store.scan_posts().collect()
    assert report.status == "ok"
    assert (report.read, report.new, report.duplicate) == (2, 1, 1)  # the update repeats the post's id
    assert posts["text"].to_list() == ["ストリームの投稿"]
    assert report.notices == 1 and "deletes" in report.notice_messages[0]


def test_zero_length_block_is_a_notice_not_a_crash(ingest, store, tmp_path):
    path = tmp_path / "zero.car"
    path.write_bytes((FIXTURES / "v1_meta.car").read_bytes() + b"\x00")  # found by bench/fuzz_misc.py
    report = ingest(store, path)
    posts = store.scan_posts().collect()
    assert report.status == "ok" and posts.height == 1
    assert report.notices == 1 and "empty block" in report.notice_messages[0]


def test_not_a_car_forced_fails_cleanly(ingest, store, tmp_path):
    junk = tmp_path / "junk.car"
    junk.write_bytes(b"\x05hello world")
    report = ingest(store, junk, fmt="bluesky")
    posts = store.scan_posts().collect()
    assert report.status == "error" and "CAR" in report.message
    assert posts.height == 0 and store.sources() == []


def test_reingest_changes_nothing(ingest, store):
    ingest(store, FIXTURES / "v3_facets.car")
    version = store.version
    report = ingest(store, FIXTURES / "v3_facets.car")
    assert report.status == "skipped" and store.version == version
    report = ingest(store, FIXTURES / "v3_facets.car", force=True)
    posts = store.scan_posts().collect()
    assert report.new == 0 and report.duplicate == 12 and posts.height == 12


def test_mst_walk_survives_cycles_and_missing_nodes():
    a, b, missing = b"\x01\x71\x12\x20" + b"a" * 32, b"\x01\x71\x12\x20" + b"b" * 32, b"\x01\x71\x12\x20" + b"c" * 32
    blocks = {
        a: {"l": b, "e": [{"p": 0, "k": b"app.bsky.feed.post/1", "v": missing, "t": a}]},
        b: {"l": missing, "e": [{"p": 0, "k": b"app.bsky.feed.like/1", "v": missing, "t": None}]},
    }
    items = list(bluesky.walk_mst(blocks, a))
    keys = [i[0] for i in items if isinstance(i, tuple)]
    assert keys == ["app.bsky.feed.like/1", "app.bsky.feed.post/1"]  # key order: left subtree first
    reasons = [i.reason for i in items if isinstance(i, Quarantine)]
    assert any("missing" in r for r in reasons) and any("cycle" in r for r in reasons)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    collection=st.sampled_from(["app.bsky.feed.post", "app.bsky.feed.repost", "app.bsky.feed.like"]),
    record=st.dictionaries(
        st.sampled_from(["$type", "text", "createdAt", "langs", "reply", "facets", "tags", "embed",
                         "entities", "subject"]), _json, max_size=8) | _json,
)
def test_map_record_never_raises_on_arbitrary_records(collection, record):
    out = bluesky.map_record(DID, f"{collection}/3l2x", None, record, 1)
    assert out is None or isinstance(out, dict | Quarantine)
    if isinstance(out, dict):
        orjson.dumps(out["extra"])  # storable by the ingest loop
        orjson.dumps(out["_raw"])


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(min_value=0, max_value=8394), flip=st.integers(min_value=0, max_value=8393),
       bit=st.integers(min_value=0, max_value=7))
def test_damaged_cars_fail_cleanly_or_parse(cut, flip, bit, tmp_path_factory):
    data = bytearray((FIXTURES / "v3_facets.car").read_bytes())
    data[flip % len(data)] ^= 1 << bit
    path = tmp_path_factory.mktemp("car") / "damaged.car"
    path.write_bytes(bytes(data[:max(cut, 1)]))
    try:
        records = list(bluesky.parse(path, ParseContext()))
    except bluesky.SourceError:
        return
    assert all(isinstance(r, dict | Quarantine | Notice) for r in records)
