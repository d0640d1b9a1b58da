"""Conformance: the real Bluesky, Reddit and niconico exports in ../shared/samples go
through the real ingest loop into a fresh store and give exactly the expected posts.

The expected numbers were derived once, independently of the collectors:

* bluesky/bnewbold.robocracy.org.20250310005405.car: ``libipld.decode_car`` and a
  count of decoded blocks by ``$type`` gives 23 ``app.bsky.feed.post`` and 1
  ``app.bsky.feed.repost`` block (plus likes, follows, lexicon records...); a
  separate walk of the commit's MST lists 38 record paths, of which 23 are
  under app.bsky.feed.post/ and 1 under app.bsky.feed.repost/, every one with
  its block present. (SOURCES.md also says "23 app.bsky.feed.post records".)
* bluesky/firehose_commit_4621317030.json: one op, ``create`` of
  ``app.bsky.feed.repost/3lhhvdkcby3e2``, whose block is in the commit's CAR
  slice: 1 repost. firehose_commit_4623075231.json: one op, the
  ``app.bsky.actor.profile/self`` record: no post.
* reddit/comments.ndjson: 27 lines (26 newlines, the last line has none), each
  a JSON object with ``body`` and a distinct ``id``: 27 comments, no reposts
  (Reddit has none).
* nicovideo/sm9-comments.json: a JSON array of 972 single-key objects:
  954 ``chat``, 10 ``ping``, 4 ``thread``, 2 ``leaf``, 2 ``global_num_res``;
  the 954 chats have 954 distinct (thread, no) pairs and none is deleted:
  954 comments, no reposts.
"""

from __future__ import annotations

import pytest

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.store import Store
from tests.conftest import SHARED_SAMPLES, require_shared_samples

SAMPLES = SHARED_SAMPLES
pytestmark = require_shared_samples()

EXPECTED = {
    # folder: (format, posts that are not reposts, reposts)
    "bluesky": ("bluesky", 23, 2),
    "reddit": ("reddit", 27, 0),
    "nicovideo": ("niconico", 954, 0),
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_real_sample_gives_exact_counts(store: Store, folder: str):
    fmt, originals, reposts = EXPECTED[folder]
    with store.writer(purpose="conformance") as writer:
        reports = ingest_paths(writer, [SAMPLES / folder])
    assert reports, f"no files in {SAMPLES / folder}"
    for report in reports:
        assert report.status == "ok", f"{report.path}: {report.message}"
        assert report.format == fmt
        assert report.quarantined == 0, report.path
    posts = store.scan_posts().collect()
    assert posts.height == originals + reposts
    assert posts.filter(~posts["is_repost"]).height == originals
    assert posts.filter(posts["is_repost"]).height == reposts
    assert posts["post_id"].n_unique() == posts.height
    assert sum(r.new for r in reports) == posts.height

    with store.writer(purpose="conformance again") as writer:
        again = ingest_paths(writer, [SAMPLES / folder])
    assert {r.status for r in again} == {"skipped"}
    assert store.scan_posts().collect().height == posts.height
