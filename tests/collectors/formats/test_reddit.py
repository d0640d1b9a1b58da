"""Reddit collector: Pushshift / Arctic Shift NDJSON, plain and zstandard, on small
fixtures in fixtures/reddit (one edge case each); .zst files are made here."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
from pathlib import Path

import orjson
import polars as pl
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.collectors import detect
from dtrack.collectors.formats import reddit
from dtrack.collectors.records import ParseContext, Quarantine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reddit"
UTC = dt.UTC


def by_id(posts: pl.DataFrame) -> dict[str, dict]:
    return {row["post_id"]: row for row in posts.iter_rows(named=True)}


def zst(data: bytes, *, window_log: int = 31, frames: int = 1) -> bytes:
    """Compress like the dumps: streamed (no content size), long window, maybe several frames."""
    params = zstandard.ZstdCompressionParameters(window_log=window_log, enable_ldm=True, compression_level=3)
    out = b""
    cuts = [len(data) * i // frames for i in range(frames + 1)]
    for a, b in itertools.pairwise(cuts):
        buf = io.BytesIO()
        with zstandard.ZstdCompressor(compression_params=params).stream_writer(buf, closefd=False) as w:
            w.write(data[a:b])
        out += buf.getvalue()
    return out


@pytest.mark.parametrize("name", ["comments_eras.ndjson", "submissions.ndjson", "half_written.ndjson",
                                  "broken_lines.ndjson"])
def test_detected_as_reddit_not_generic_ndjson(name):
    assert detect(FIXTURES / name) == "reddit"


def test_generic_ndjson_is_not_reddit(tmp_path):
    path = tmp_path / "tweets.ndjson"
    path.write_text('{"id": "1", "text": "hi", "created_at": "2022-08-29T00:00:00Z"}\n')
    assert detect(path) == "ndjson"


@pytest.mark.parametrize(
    ("post_id", "created"),
    [
        ("t1_c0cmuol", dt.datetime(2009, 9, 1, tzinfo=UTC)),  # digit string
        ("t1_kod0bkd", dt.datetime(2024, 2, 1, tzinfo=UTC)),  # float
        ("t1_fp09438", dt.datetime(2020, 4, 30, tzinfo=UTC)),  # int
        ("t1_kod0bkj", dt.datetime(2024, 2, 1, tzinfo=UTC)),  # exponent float 1.7067456e9
        ("t1_c13", dt.datetime(2005, 12, 12, 5, 26, 28, tzinfo=UTC)),  # int, 2005
    ],
)
def test_created_utc_variants(ingest, store, post_id, created):
    _ = ingest(store, FIXTURES / "comments_eras.ndjson")
    posts = store.scan_posts().collect()
    assert by_id(posts)[post_id]["created_at"] == created


def test_comment_fields(ingest, store):
    report = ingest(store, FIXTURES / "comments_eras.ndjson")
    posts = store.scan_posts().collect()
    assert report.format == "reddit" and report.new == 5 and report.quarantined == 0
    rows = by_id(posts)
    first = rows["t1_c0cmuol"]
    assert first["text"] == "AI & art: 2 < 3 > 1"  # Reddit's &amp; &lt; &gt; undone
    assert first["reply_to"] == "t1_c0cmjyg" and first["author_id"] == "tells" and first["author_name"] == "tells"
    assert first["platform"] == "reddit" and not first["is_repost"]
    assert json.loads(first["extra"])["subreddit"] == "technology"
    emoji = rows["t1_kod0bkd"]
    assert emoji["text"] == "無断学習 😀 emoji via surrogate escapes"
    assert emoji["author_id"] == "t2_145ffw"
    assert emoji["url"] == "https://www.reddit.com/r/japan/comments/1afjd7n/title/kod0bkd/"
    deleted = rows["t1_fp09438"]
    assert deleted["text"] == "[deleted]" and deleted["author_name"] == "[deleted]" and deleted["author_id"] is None
    assert json.loads(deleted["extra"])["removed"] == "[deleted]"
    assert rows["t1_kod0bkj"]["text"] == "[removed]"
    assert json.loads(rows["t1_kod0bkj"]["extra"])["removed"] == "[removed]"
    old = rows["t1_c13"]  # no name, no permalink: both rebuilt
    assert old["url"] == "https://www.reddit.com/r/reddit.com/comments/17863/_/c13/"
    assert [r["source_line"] for r in posts.sort("source_line").iter_rows(named=True)] == [1, 2, 3, 4, 5]


def test_submissions(ingest, store):
    _ = ingest(store, FIXTURES / "submissions.ndjson")
    posts = store.scan_posts().collect()
    rows = by_id(posts)
    assert set(rows) == {"t3_wzk1aa", "t3_wzk1ab", "t3_wzk1ac"}
    assert rows["t3_wzk1aa"]["text"] == "Mimic と無断学習について 🎨\n\n本文です。\n\n二段落目 & 以上"
    assert rows["t3_wzk1aa"]["reply_to"] is None
    link = rows["t3_wzk1ab"]
    assert link["text"] == "Stable Diffusion public release"  # no selftext: the title alone
    assert json.loads(link["extra"])["link_url"] == "https://stability.ai/blog/stable-diffusion-public-release"
    assert link["url"] == "https://www.reddit.com/r/StableDiffusion/comments/wzk1ab/sd/"
    removed = rows["t3_wzk1ac"]
    assert removed["text"] == "消された投稿\n\n[removed]"
    assert json.loads(removed["extra"]) | {} == {"kind": "submission", "subreddit": "japanlife", "score": 0,
                                                "link_id": None, "link_url": None, "removed": "[removed]"}
    assert removed["created_at"] == dt.datetime(2022, 8, 29, 2, 30, 0, 250000, tzinfo=UTC)


def test_half_written_last_line_is_quarantined(ingest, store):
    report = ingest(store, FIXTURES / "half_written.ndjson")
    posts = store.scan_posts().collect()
    assert posts["post_id"].to_list() == ["t1_c0cmuol"]
    q = store.scan_quarantine().collect()
    assert report.quarantined == 1 and q["source_line"].to_list() == [2]
    assert "not valid JSON" in q["reason"][0]


def test_broken_lines_each_get_their_reason(ingest, store):
    report = ingest(store, FIXTURES / "broken_lines.ndjson")
    posts = store.scan_posts().collect()
    assert report.quarantined == 5
    assert sorted(posts["post_id"]) == ["t1_c0cmuol", "t1_c13"]
    q = {r["source_line"]: r["reason"] for r in store.scan_quarantine().collect().iter_rows(named=True)}
    assert set(q) == {2, 3, 4, 5, 6}
    assert "not valid JSON" in q[2]
    assert "not an object" in q[3]
    assert "neither a comment" in q[4]
    assert "unusable id" in q[5]
    assert "created_utc" in q[6]
    assert posts.filter(pl.col("post_id") == "t1_c13")["source_line"].to_list() == [8]


@pytest.mark.parametrize("frames", [1, 3])
def test_zst_with_2gib_window_reads_like_the_plain_file(ingest, store, tmp_path, frames):
    plain = (FIXTURES / "comments_eras.ndjson").read_bytes()
    path = tmp_path / "RC_2024-02.zst"
    path.write_bytes(zst(plain, frames=frames))
    assert zstandard.get_frame_parameters(path.read_bytes()).window_size == 2**31
    assert detect(path) == "reddit"
    report = ingest(store, path)
    posts = store.scan_posts().collect()
    assert report.status == "ok" and report.new == 5 and report.quarantined == 0
    assert sorted(posts["post_id"]) == ["t1_c0cmuol", "t1_c13", "t1_fp09438", "t1_kod0bkd", "t1_kod0bkj"]


def test_zstd_bomb_is_refused_and_nothing_stored(ingest, store, tmp_path, monkeypatch):
    line = (FIXTURES / "comments_eras.ndjson").read_bytes().split(b"\n")[0] + b"\n"
    bomb = tmp_path / "bomb.zst"
    bomb.write_bytes(zst(line * 40_000, window_log=20))  # ~9 MB out of a few KB
    assert bomb.stat().st_size < 50_000
    # small blocks, so that posts reach the open transaction before the limit trips
    monkeypatch.setattr(reddit, "BLOCK_BYTES", 100_000)
    report = ingest(store, bomb, ctx=ParseContext(max_member_bytes=1_000_000))
    posts = store.scan_posts().collect()
    assert report.status == "error"
    assert "limit of 1,000,000 bytes" in report.message and "zstd bomb" in report.message
    assert posts.height == 0 and store.sources() == []


def test_truncated_zst_keeps_complete_lines_and_says_so(ingest, store, tmp_path):
    lines = [orjson.dumps({"id": f"x{i}", "body": f"コメント {i} " + hashlib.sha256(b"%d" % i).hexdigest(),
                           "created_utc": 1661740000 + i, "subreddit": "japan"}) for i in range(3000)]
    data = zst(b"\n".join(lines) + b"\n", window_log=20)
    whole = tmp_path / "whole.zst"
    whole.write_bytes(data)
    with open(whole, "rb") as fh:
        assert reddit.zstd_cut(fh) is None
    cut = tmp_path / "cut.zst"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with open(cut, "rb") as fh:
        assert "cut off" in reddit.zstd_cut(fh)
    report = ingest(store, cut)
    posts = store.scan_posts().collect()
    assert report.status == "ok"
    assert 0 < posts.height < 3000
    reasons = store.scan_quarantine().collect()["reason"].to_list()
    assert any("the .zst is incomplete" in r for r in reasons)
    # what was stored is exactly the first lines, in order
    assert sorted(int(p[4:]) for p in posts["post_id"]) == list(range(posts.height))


def test_not_zstd_after_magic_fails_cleanly(ingest, store, tmp_path):
    bad = tmp_path / "bad.zst"
    bad.write_bytes(reddit.ZSTD_MAGIC + b"garbage" * 20)
    report = ingest(store, bad, fmt="reddit")
    assert report.status == "error" and store.sources() == []


_value = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(list(reddit.FIELDS)), _value, max_size=8)
                | st.binary(max_size=60), min_size=1, max_size=6))
def test_arbitrary_lines_never_crash(lines):
    raw = [json.dumps(x, ensure_ascii=False).encode() if isinstance(x, dict) else x.replace(b"\n", b" ") for x in lines]
    out = list(reddit._frames(1, b"\n".join(raw)))
    stored = sum(r.height for r in out if isinstance(r, pl.DataFrame))
    quarantined = sum(1 for r in out if isinstance(r, Quarantine))
    assert stored + quarantined == sum(1 for r in raw if r.strip())  # every line accounted for


def test_a_zst_of_one_endless_line_is_refused_by_its_ratio(ingest, store, tmp_path):
    """The campaign's bomb, smaller: a Reddit line that never ends, 100 MB from a few KB. Refused once it
    grows past 200 times the file (as zip and tar are), never held in memory as one line."""
    from tests.collectors.hostile import zst_bomb

    path = zst_bomb(tmp_path / "RS_2022-08.zst", 100 * 1024**2)
    report = ingest(store, path, fmt="reddit")
    assert report.status == "error"
    assert "refused as a possible zstd bomb" in report.message and "200 times the" in report.message
    assert store.scan_posts().collect().height == 0 and store.scan_quarantine().collect().height == 0


def test_a_line_past_the_cap_is_quarantined_with_its_number_and_the_rest_read(ingest, store, tmp_path):
    import zstandard

    good = [json.dumps({"id": f"a{i}", "subreddit": "japan", "author": "x", "created_utc": 1661742000,
                        "title": "t", "selftext": "無断学習"}) for i in range(3)]
    long = json.dumps({"id": "big", "subreddit": "japan", "author": "x", "created_utc": 1661742000,
                       "title": "x" * 5000})
    data = "\n".join([good[0], long, good[1], good[2]]).encode() + b"\n"
    path = tmp_path / "RS_2022-08.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(data))
    report = ingest(store, path, fmt="reddit", max_line_bytes=1000)
    assert (report.new, report.quarantined) == (3, 1)
    record = store.scan_quarantine().collect().row(0, named=True)
    assert record["source_line"] == 2 and "over the limit of 1,000 bytes for one line" in record["reason"]
