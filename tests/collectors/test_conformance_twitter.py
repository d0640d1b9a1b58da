"""Conformance: every real twarc2 and API v1.1 sample in ../shared/samples, through the real ingest loop.

The expected numbers were derived once, independently of dtrack, with jq
over the raw files (commands in the comments). They are the contract: if a
collector change moves one of them, either the collector or this derivation
is wrong, and the comment says how to check which.
"""

from __future__ import annotations

import json

import pytest

from dtrack.collectors import detect
from dtrack.data.store import Store
from tests.conftest import SHARED_SAMPLES, require_shared_samples

pytestmark = require_shared_samples()

TWARC2 = SHARED_SAMPLES / "twarc2"
V1 = SHARED_SAMPLES / "twitter-v1.1"

# file: (posts stored, of which reposts, quarantined, notices), each file alone in a fresh store
TWARC2_EXPECTED = {
    # jq -s '[.[].data[]?] | length'                                         -> 100 (distinct ids: 100)
    # jq -s '[.[].data[]? | select(any(.referenced_tweets[]?; .type=="retweeted"))] | length'  -> 47
    # jq -s '[.[].errors[]?] | length'                                       -> 1 (a suspended user)
    "noflat.jsonl": (100, 47, 0, 1),
    # twarc2 flatten of the same page: jq -s 'length' -> 100 lines, [.[].id]|unique -> 100;
    # jq -s '[.[] | select(any(.referenced_tweets[]?; .type=="retweeted"))] | length' -> 47
    "flat.jsonl": (100, 47, 0, 0),
    # one data tweet, a retweet (its original is only in includes.tweets and is not stored)
    "two_tweets.jsonl": (1, 1, 0, 0),
    # one data tweet (the latest edit); includes.tweets holds both versions, neither stored again
    "edited.jsonl": (1, 0, 0, 0),
    # a compliance job: jq -c 'select(.action)' | wc -l -> 2 records, no tweets (first line is blank)
    "tweets_compliance.jsonl": (0, 0, 0, 2),
}
V1_EXPECTED = {
    # jq -s 'length' -> 72 statuses; [.[].id_str]|unique|length -> 71 (972473017333899264 twice);
    # [.[]|select(.retweeted_status)]|length -> 0; 24 of the ids change when read as a float
    "streaming-lines.json": (71, 0, 0, 0),
    # one status each (the same id 782737772490600448, REST compat mode and extended mode)
    "extended_tweet_in_compat_mode.json": (1, 0, 0, 0),
    "extended_tweet_in_extended_mode.json": (1, 0, 0, 0),
}


def counts(store: Store) -> tuple[int, int]:
    posts = store.scan_posts().collect()
    return posts.height, int(posts["is_repost"].sum())


@pytest.mark.parametrize(("folder", "expected"), [(TWARC2, TWARC2_EXPECTED), (V1, V1_EXPECTED)],
                         ids=["twarc2", "twitter-v1.1"])
def test_every_sample_file_is_covered(folder, expected):
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)


@pytest.mark.parametrize(("name", "expected"), sorted(TWARC2_EXPECTED.items()))
def test_twarc2_sample(ingest, tmp_path, name, expected):
    posts, reposts, quarantined, notices = expected
    path = TWARC2 / name
    assert detect(path) == "twarc"
    store = Store(tmp_path / "store")
    report = ingest(store, path)
    assert report.status == "ok", report.message
    assert counts(store) == (posts, reposts)
    assert (report.quarantined, report.notices) == (quarantined, notices)


@pytest.mark.parametrize(("name", "expected"), sorted(V1_EXPECTED.items()))
def test_v1_sample(ingest, tmp_path, name, expected):
    posts, reposts, quarantined, notices = expected
    path = V1 / name
    assert detect(path) == "twitter_v1"
    store = Store(tmp_path / "store")
    report = ingest(store, path)
    assert report.status == "ok", report.message
    assert counts(store) == (posts, reposts)
    assert (report.quarantined, report.notices) == (quarantined, notices)


def test_twarc2_folder_into_one_store(ingest, tmp_path):
    # flat.jsonl and noflat.jsonl hold the same 100 tweets; the other files add 1 + 1 distinct ones
    store = Store(tmp_path / "store")
    for path in sorted(TWARC2.iterdir()):
        assert ingest(store, path).status == "ok"
    assert counts(store) == (102, 48)


def test_v1_folder_into_one_store(ingest, tmp_path):
    # the two extended_tweet files are one tweet; none of the 71 streaming ids is that one
    store = Store(tmp_path / "store")
    for path in sorted(V1.iterdir()):
        assert ingest(store, path).status == "ok"
    assert counts(store) == (72, 0)


def test_samples_keep_their_full_texts(ingest, tmp_path):
    """The real files' own edge cases: cut retweet texts and v1.1 extended text."""
    store = Store(tmp_path / "store")
    ingest(store, TWARC2 / "noflat.jsonl")
    posts = store.scan_posts().collect()
    page = json.loads((TWARC2 / "noflat.jsonl").read_text())
    included = {t["id"]: t for t in page["includes"]["tweets"]}
    retweets = posts.filter(is_repost=True)
    # every retweet's original is in includes, so none is left cut
    assert all(r in included for r in retweets["repost_of"].to_list())
    assert not any(t.endswith("…") for t in retweets["text"].to_list())

    extended = Store(tmp_path / "extended")
    ingest(extended, V1 / "extended_tweet_in_extended_mode.json")
    raw = json.loads((V1 / "extended_tweet_in_extended_mode.json").read_text())
    assert extended.scan_posts().collect()["text"].item() == raw["full_text"]
