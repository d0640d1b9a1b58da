"""tag_store on a real store: incremental, idempotent, atomic re-tagging, remembered dictionary."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.schema import HIT_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp import tagger
from dtrack.nlp.synthetic import generate_posts
from dtrack.nlp.tagger import META_KEY, RUNS_KEY, store_terms, tag_store, tagger_version
from dtrack.nlp.terms import load_terms

FIXTURES = Path(__file__).parent / "fixtures" / "tagging"

EXTRA_TERM = """
[[term]]
canonical = "絵柄"
category = "style"
variants = ["画風"]
"""


def add_posts(store: Store, posts: pl.DataFrame) -> None:
    with store.writer() as w, w.transaction() as txn:
        txn.add_posts(posts)


def hit_keys(store: Store) -> list[tuple]:
    return sorted(store.scan_hits().select("post_id", "term", "start", "end").collect().iter_rows())


def test_tags_the_story_and_records_versions(store: Store) -> None:
    with store.writer() as w:
        ingest_paths(w, [FIXTURES / "story_2021.ndjson"])
    report = tag_store(store)
    assert report.posts_tagged == 6 and not report.retagged and report.reason == "first tagging"
    hits = store.scan_hits().collect()
    assert hits.schema == pl.Schema(HIT_SCHEMA)
    # the cram school, the monster and "mimicry" are not hits; four non-AI uses before the AI one
    got = sorted(zip(hits["post_id"], hits["term"], hits["variant"], hits["ai_context"], strict=True))
    assert got == [
        ("1002", "無断学習", "無断\n学習", False),
        ("1003", "無断転載", "無断転載", False),
        ("1006", "無断学習", "無断学習", True),
    ]
    ai = hits.filter(pl.col("ai_context")).row(0, named=True)
    assert ai["evidence"] == ["AI", "チャットボット", "学習させ"]
    assert set(hits["dictionary_hash"]) == {load_terms().hash}
    assert set(hits["tagger_version"]) == {tagger_version()}
    state = store.meta(META_KEY)
    assert state["dictionary_hash"] == load_terms().hash
    assert state["files"] == store.manifest()["files"]["posts"]
    run = store.meta(RUNS_KEY)[-1]
    assert run["dictionary_info"][0]["filename"] == "sys.dic"
    assert run["unidic_lite"] == "1.0.8" and "fugashi" in run


def test_retagging_unchanged_dictionary_does_nothing(store: Store) -> None:
    add_posts(store, generate_posts(300, term_share=0.3, seed=1))
    first = tag_store(store)
    version = store.version
    manifest = store.manifest()
    again = tag_store(store)
    assert first.hits > 0
    assert again.posts_tagged == 0 and again.hits == 0 and again.reason == "up to date"
    assert store.version == version
    assert store.manifest() == manifest


def test_incremental_after_a_second_ingest(store: Store) -> None:
    with store.writer() as w:
        ingest_paths(w, [FIXTURES / "story_2021.ndjson"])
        tag_store(store, writer=w)
    before = hit_keys(store)
    hit_files = list(store.manifest()["files"]["hits"])
    with store.writer() as w:
        ingest_paths(w, [FIXTURES / "story_2022.ndjson"])
        report = tag_store(store, writer=w)
    assert report.posts_tagged == 6 and not report.retagged and report.reason == "new posts"
    after = hit_keys(store)
    assert set(before) < set(after)
    assert store.manifest()["files"]["hits"][: len(hit_files)] == hit_files  # old hits untouched
    new = [k for k in after if k[0].startswith("200")]
    assert ("2002", "無断学習", 12, 17) in new  # ＃無断学習 inside ＃無断学習禁止
    assert not [k for k in new if k[0] == "2006"]  # the dungeon monster
    assert len(after) == len(set(after))


def test_changed_dictionary_retags_everything_once(store: Store, tmp_path: Path) -> None:
    add_posts(store, generate_posts(400, term_share=0.3, seed=2))
    add_posts(store, pl.DataFrame(generate_posts(2, seed=3)).with_columns(
        text=pl.Series(["画風を真似るAI", "絵柄の話"])))
    tag_store(store)
    old = store.scan_hits().collect()
    extra = tmp_path / "extra.toml"
    extra.write_text(EXTRA_TERM, encoding="utf-8")
    terms = load_terms(extra)
    version = store.manifest()["version"]
    report = tag_store(store, terms=terms)
    assert report.retagged and report.reason == "dictionary changed" and report.posts_tagged == 402
    assert store.manifest()["version"] == version + 1  # one transaction
    new = store.scan_hits().collect()
    assert set(new["dictionary_hash"]) == {terms.hash}  # no hit of the old dictionary is left
    assert new.filter(pl.col("term") == "絵柄").height == 2
    assert new.filter(pl.col("term") != "絵柄").drop("dictionary_hash").sort(["post_id", "start", "term"]).equals(
        old.drop("dictionary_hash").sort(["post_id", "start", "term"]))
    # the store now remembers the merged dictionary: a plain run (like `dtrack ingest`) keeps it
    assert store_terms(store).hash == terms.hash
    assert tag_store(store).reason == "up to date"
    # and going back to the default re-tags once more
    assert tag_store(store, terms=load_terms()).reason == "dictionary changed"
    assert store.meta(META_KEY)["dictionary"] is None


def test_failed_retag_leaves_the_store_as_it_was(store: Store, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in range(3):
        add_posts(store, generate_posts(200, term_share=0.5, seed=seed))
    tag_store(store)
    manifest = store.manifest()
    hits = hit_keys(store)
    extra = tmp_path / "extra.toml"
    extra.write_text(EXTRA_TERM, encoding="utf-8")
    monkeypatch.setattr(tagger, "BATCH_POSTS", 1)  # one step per post file
    real_decode = tagger._decode
    calls = {"n": 0}

    def fail_on_third_step(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(tagger, "_decode", fail_on_third_step)
    with pytest.raises(RuntimeError, match="disk full"):
        tag_store(store, terms=load_terms(extra))
    assert calls["n"] == 3
    assert store.manifest() == manifest
    assert hit_keys(store) == hits
    assert not list((store.path / "staging").glob("**/*.parquet"))


def test_posts_without_text_and_empty_store(store: Store) -> None:
    assert tag_store(store).reason == "up to date"
    assert store.manifest()["version"] == 0
    add_posts(store, generate_posts(3, seed=4).with_columns(text=pl.Series(["", None, "無断学習"])))
    report = tag_store(store)
    assert report.posts_tagged == 3 and report.candidates == 1 and report.hits == 1
