"""Conformance: the real X archive sample in ../shared/samples/x-archive, through the real ingest loop.

The expected numbers were counted once, independently of dtrack, from the files' own layout:
every item of a YTD file starts with a line that is exactly '    "tweet" : {' and a retweet's
text line starts with '      "full_text" : "RT @', so

    grep -c '^    "tweet" : {'              FILE   -> items
    grep -c '^      "full_text" : "RT @'    FILE   -> retweets

gives tweets.TRUNCATED.js 863 / 99, deleted-tweets.js 47 / 4, community-tweet.js 3 / 0 and
note-tweet.js 0 (an empty array). The ids of the three files do not overlap (checked with
Python's json module), so the folder as one archive holds 863 + 47 + 3 = 913 posts, 103 reposts.
manifest.js ("count" fields: tweets 2045 of which the sample keeps the first 863, deletedTweets 47,
communityTweet 3, noteTweet 0) holds no posts itself.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors import detect
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store
from tests.conftest import SHARED_SAMPLES, require_shared_samples

SAMPLES = SHARED_SAMPLES
SAMPLE = SAMPLES / "x-archive"
pytestmark = require_shared_samples()

EXPECTED = {
    # file: (posts stored, of which reposts)
    "tweets.TRUNCATED.js": (863, 99),
    "deleted-tweets.js": (47, 4),
    "community-tweet.js": (3, 0),
    "note-tweet.js": (0, 0),
    "manifest.js": (0, 0),
}


def counts(store: Store) -> tuple[int, int]:
    frame = store.scan_posts().select(pl.len(), pl.col("is_repost").sum()).collect()
    return int(frame.item(0, 0)), int(frame.item(0, 1) or 0)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_file(store: Store, name: str) -> None:
    path = SAMPLE / name
    assert detect(path) == "x_archive"
    with store.writer(purpose="test") as w:
        report = ingest_source(w, path, ctx=ParseContext())
    assert report.status == "ok", report.message
    assert report.quarantined == 0
    assert counts(store) == EXPECTED[name]
    assert report.new == EXPECTED[name][0]


def test_the_sample_folder_as_one_archive(store: Store) -> None:
    with store.writer(purpose="test") as w:
        report = ingest_source(w, SAMPLE, ctx=ParseContext())
    assert (report.status, report.format, report.quarantined, report.notices) == ("ok", "x_archive", 0, 0)
    assert counts(store) == (913, 103)
    frame = store.scan_posts().collect()
    assert frame["post_id"].n_unique() == 913
    assert set(frame["author_name"].unique()) == {"milahu104"}
    assert set(frame["author_id"].unique()) == {"1964312974236991488"}
    deleted = frame.filter(pl.col("extra").str.contains('"deleted_at"'))
    assert deleted.height == 47
    assert frame.filter(pl.col("extra").str.contains('"community_id"')).height == 3
    # every repost text is an "RT @" text; none of the others is
    assert frame.filter(pl.col("is_repost") != pl.col("text").str.starts_with("RT @")).height == 0


def test_the_sample_zipped_reads_the_same(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "twitter-2026-03-06.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(SAMPLE.iterdir()):
            zf.write(f, "data/" + f.name)
    with store.writer(purpose="test") as w:
        report = ingest_source(w, path, ctx=ParseContext())
    assert (report.status, report.quarantined) == ("ok", 0)
    assert counts(store) == (913, 103)
