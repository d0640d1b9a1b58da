"""Tagging fused into ingest (``nlp.tagger.IngestTap``) stores exactly what ``ingest --no-tag`` + ``tag`` store.

The reference is the reading path: the same sources ingested without tagging, then ``tag_store`` on the
store. Compared: the posts, the hits of each month file in their stored order, the uses and counts rows,
the tagging state; on real-shaped NDJSON with hostile lines (a BOM, bad JSON, duplicates, empty and null
texts, copies of one text under many ids, NFKC-changing characters, several months and sources).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.collect import collect
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.store import Store
from dtrack.nlp import tagger
from dtrack.nlp.prefilter import Prefilter
from dtrack.nlp.synthetic import generate_varied_texts
from dtrack.nlp.tagger import META_KEY, RUNS_KEY, IngestTap, tag_store
from dtrack.nlp.terms import load_terms_text

EXTRA_TERM = """
[[term]]
canonical = "絵柄"
category = "style"
variants = ["画風"]
"""


def write_sources(folder: Path, n: int = 1200, seed: int = 7) -> list[Path]:
    """Three NDJSON files in a folder and one on its own, over four months."""
    rng = random.Random(seed)
    texts = generate_varied_texts(n, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for i, text in enumerate(texts):
        month = 8 + i % 4
        post = {"id": str(10**15 + i), "created_at": f"2022-{month:02d}-{1 + i % 27:02d}T{i % 24:02d}:07:00Z",
                "text": text, "user": f"u{rng.randint(1, 40)}"}
        if i % 53 == 0:
            post["text"] = ""
        elif i % 59 == 0:
            post["text"] = None
        elif i % 61 == 0:
            del post["text"]
        elif i % 7 == 0:
            post["text"] = texts[i // 2]  # the same text under another id (reposts, copies, bots)
        if i % 13 == 0:
            post["retweeted"] = True
        lines.append(json.dumps(post, ensure_ascii=False))
        if i % 97 == 0:
            lines.append(lines[-1])  # an exact duplicate
        if i % 211 == 0:
            lines.append('{"id": "broken", "text": ')  # not JSON: quarantined
    lines.append(json.dumps({"id": "bad-time", "created_at": "2022-13-45T25:61:00Z", "text": "無断学習"}))
    quarter = len(lines) // 4
    paths = []
    for k in range(4):
        part = lines[k * quarter:] if k == 3 else lines[k * quarter:(k + 1) * quarter]
        path = folder / f"part{k}.ndjson" if k < 3 else folder.parent / f"{folder.name}-alone.ndjson"
        path.write_bytes(("\ufeff" if k == 0 else "").encode() + ("\n".join(part) + "\n").encode())
        paths.append(path)
    return [folder, paths[3]]


def month_hits(store: Store) -> dict[str, pl.DataFrame]:
    """The hits of each month, files of a month in the order they were listed."""
    out: dict[str, list[pl.DataFrame]] = {}
    for rel in store.manifest()["files"].get("hits", []):
        out.setdefault(rel.split("/")[1], []).append(pl.read_parquet(store.path / rel))
    return {month: pl.concat(frames) for month, frames in out.items()}


def sorted_rows(store: Store, kind: str, drop: tuple[str, ...] = ()) -> pl.DataFrame:
    files = [str(store.path / rel) for rel in store.manifest()["files"].get(kind, [])]
    frame = pl.read_parquet(files).drop(list(drop)) if files else pl.DataFrame()
    return frame.sort(frame.columns) if frame.height else frame


def assert_same_store(fused: Store, reference: Store) -> None:
    assert sorted_rows(fused, "posts", ("collected_at",)).equals(sorted_rows(reference, "posts", ("collected_at",)))
    got, want = month_hits(fused), month_hits(reference)
    assert got.keys() == want.keys() and got
    for month in want:
        assert got[month].equals(want[month]), month
    assert sorted_rows(fused, "uses").equals(sorted_rows(reference, "uses"))
    assert sorted_rows(fused, "counts", ("file",)).equals(sorted_rows(reference, "counts", ("file",)))
    a, b = fused.meta(META_KEY), reference.meta(META_KEY)
    for state, store in ((a, fused), (b, reference)):
        assert state["files"] == store.manifest()["files"]["posts"]
    drop = {"files", "last_run"}
    assert {k: v for k, v in a.items() if k not in drop} == {k: v for k, v in b.items() if k not in drop}
    run_a, run_b = ({k: v for k, v in s["last_run"].items() if k not in ("at", "seconds")} for s in (a, b))
    assert run_a == run_b
    assert len(fused.meta(RUNS_KEY)) == len(reference.meta(RUNS_KEY))


def reference_store(path: Path, sources: list[Path]) -> Store:
    store = Store(path)
    with store.writer() as w:
        collect(w, sources, tag=None)
    tag_store(store)
    return store


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The groups of posts files tagging reads back from the store."""
    calls: list[list[str]] = []
    scan = tagger.scan_post_files

    def spy(store: Store, files: list[str]) -> pl.LazyFrame:
        calls.append(list(files))
        return scan(store, files)

    monkeypatch.setattr(tagger, "scan_post_files", spy)
    return calls


def test_ingest_tags_what_no_tag_then_tag_stores_without_reading_posts_back(tmp_path: Path,
                                                                           reads: list[list[str]]) -> None:
    sources = write_sources(tmp_path / "in")
    reference = reference_store(tmp_path / "reference", sources)
    reads.clear()
    fused = Store(tmp_path / "fused")
    with fused.writer() as w:
        done = collect(w, sources)
        assert w.on_posts is None  # cleared (and its workers stopped) after tagging
    assert done.tag_error is None and done.tagged.candidates > 100 and done.tagged.hits > 100
    assert reads == []  # every posts file's candidates came from the ingest
    assert_same_store(fused, reference)
    # a second run with nothing new commits nothing; a dictionary change re-tags both alike
    version = fused.version
    with fused.writer() as w:
        collect(w, sources)
    assert fused.version == version
    terms = load_terms_text(EXTRA_TERM)
    for store in (fused, reference):
        assert tag_store(store, terms=terms).retagged
    assert_same_store(fused, reference)


def test_files_past_the_limit_or_that_fail_are_read_back(tmp_path: Path, reads: list[list[str]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    sources = write_sources(tmp_path / "in", n=900, seed=3)
    monkeypatch.setattr(tagger, "BATCH_POSTS", 200)  # several groups, some held, some not
    reference = reference_store(tmp_path / "reference", sources)
    reads.clear()
    monkeypatch.setattr(tagger, "TAP_ROWS", 350)  # the first files fit, the rest are read back
    fused = Store(tmp_path / "fused")
    with fused.writer() as w:
        collect(w, sources)
    assert reads and len(reads) < len(list(tagger.post_batches(fused, fused.manifest()["files"]["posts"])))
    assert_same_store(fused, reference)


def test_groups_read_back_do_not_tokenise_what_the_tap_already_did(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the tap's limit files are read back; the tap still sends every batch's candidate texts to the
    workers during the ingest, so none is tokenised again, their hits are reused, and the store is still the
    reading path's."""
    sources = write_sources(tmp_path / "in", n=900, seed=4)
    monkeypatch.setattr(tagger, "BATCH_POSTS", 200)
    reference = reference_store(tmp_path / "reference", sources)
    monkeypatch.setattr(tagger, "TAP_ROWS", 300)
    tapped: list[set[str]] = []
    fresh: list[str] = []
    tokenised, distinct = IngestTap.tokenised, tagger._distinct

    def spy_tokenised(self: IngestTap) -> tuple[set[str], pl.DataFrame]:
        known = tokenised(self)
        tapped.append(set(known[0]))
        return known

    def spy_distinct(frames: Iterator[pl.DataFrame], seen: set[str] | None = None
                     ) -> Iterator[tuple[list[str], pl.DataFrame]]:
        for texts, frame in distinct(frames, seen):
            fresh.extend(texts)
            yield texts, frame

    monkeypatch.setattr(IngestTap, "tokenised", spy_tokenised)
    monkeypatch.setattr(tagger, "_distinct", spy_distinct)
    fused = Store(tmp_path / "fused")
    with fused.writer() as w:
        collect(w, sources)
    assert tapped and len(tapped[0]) > 50  # asked for by each group read back
    assert all(texts == tapped[0] for texts in tapped)
    # every candidate text went to the workers during the ingest, past the limit too: nothing is tokenised again
    assert fresh == []
    assert_same_store(fused, reference)


def test_a_tap_that_fails_or_runs_without_workers_changes_nothing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sources = write_sources(tmp_path / "in", n=600, seed=5)
    reference = reference_store(tmp_path / "reference", sources)
    calls = {"n": 0}
    candidates = Prefilter.candidates

    def flaky(self: Prefilter, posts: pl.DataFrame | pl.LazyFrame, column: str = "text") -> pl.DataFrame:
        calls["n"] += 1
        if calls["n"] % 2:
            raise RuntimeError("pre-filter failed in the writing thread")
        return candidates(self, posts, column)

    for workers in (1, 2):
        fused = Store(tmp_path / f"fused{workers}")
        with fused.writer() as w:
            tap = IngestTap(load_terms_text(None), workers=workers)
            tap.start()
            assert (tap.pool is None) == (workers == 1)
            w.on_posts = tap
            with monkeypatch.context() as patch:
                patch.setattr(Prefilter, "candidates", flaky)
                ingest_paths(w, sources)
            assert 0 < len(tap.candidates) < len(fused.manifest()["files"]["posts"])
            tag_store(fused, writer=w)
            tap.close()
        assert_same_store(fused, reference)


def test_files_take_their_candidates_from_the_batches_added(tmp_path: Path) -> None:
    """The tap pre-filters each batch as it is added; a staged file's candidates are its rows among those."""
    sources = write_sources(tmp_path / "in", n=800, seed=11)
    reference = reference_store(tmp_path / "reference", sources)
    fused = Store(tmp_path / "fused")
    with fused.writer() as w:
        tap = IngestTap(load_terms_text(None), workers=2)
        tap.start()
        w.on_posts = tap
        ingest_paths(w, sources)
        assert tap._early_ok and tap._early_keys  # every file came from the batches added, none pre-filtered again
        assert set(tap.candidates) == set(fused.manifest()["files"]["posts"])
        tag_store(fused, writer=w)
        tap.close()
    assert_same_store(fused, reference)



def _buffer_bytes(frame: pl.DataFrame, column: str) -> int:
    """Bytes of the Arrow buffers a string column holds on to (views keep their source's buffers)."""
    arr = frame.get_column(column).to_arrow(compat_level=pl.CompatLevel.newest())
    chunks = arr.chunks if hasattr(arr, "chunks") else [arr]
    return sum(b.size for chunk in chunks for b in chunk.buffers() if b is not None)


def test_kept_candidates_do_not_hold_the_batch_they_came_from() -> None:
    """The tap keeps 1% of a batch's rows; polars' string views would keep every text of the batch alive with
    them (memory grew with the file: 4.4 GB at 10M posts). The compacted rows hold only their own strings,
    nulls included, and equal the rows they copy."""
    batch = pl.DataFrame({"post_id": [f"{10**17 + i}" for i in range(100_000)],
                          "text": ["無断学習の話" * 20 + str(i) if i % 7 else None for i in range(100_000)]})
    kept = batch.filter(pl.int_range(pl.len()) % 100 == 0)
    compact = tagger._compact(kept)
    assert compact.equals(kept) and compact.get_column("text").null_count() == kept.get_column("text").null_count()
    assert _buffer_bytes(kept, "text") > 50 * _buffer_bytes(compact, "text")
    assert _buffer_bytes(kept, "post_id") > 20 * _buffer_bytes(compact, "post_id")


def test_an_ingest_waits_for_a_slow_pre_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches waiting for the tap's pre-filter are held in memory: at most TAP_BACKLOG of them wait, however
    slow the pre-filter and however many batches the ingest adds, and every batch is still pre-filtered."""
    import datetime as dt
    import time

    candidates = Prefilter.candidates
    done: list[int] = []

    def slow(self: Prefilter, posts: pl.DataFrame | pl.LazyFrame, column: str = "text") -> pl.DataFrame:
        time.sleep(0.05)
        found = candidates(self, posts, column)
        done.append(1)
        return found

    monkeypatch.setattr(Prefilter, "candidates", slow)
    tap = IngestTap(load_terms_text(None), workers=1)
    waiting: list[int] = []
    try:
        for b in range(8):
            batch = pl.DataFrame({
                "platform": ["generic"] * 50,
                "post_id": [f"{b}-{i}" for i in range(50)],
                "created_at": [dt.datetime(2022, 8, 29, tzinfo=dt.UTC)] * 50,
                "text": ["AI絵の無断学習はやめて" if i % 5 == 0 else "今日は晴れ" for i in range(50)],
            })
            tap.added(batch)
            waiting.append(sum(not step.done() for step in tap._early))
        for step in list(tap._early):
            step.result()
    finally:
        tap.close()
    assert max(waiting) <= tagger.TAP_BACKLOG <= 4 and len(done) == 8 and tap._early_ok
    assert sum(frame.height for parts in tap._early_keys.values() for frame in parts) == 8 * 10


@pytest.mark.parametrize(("workers", "max_texts"), [(1, None), (2, None), (1, 400), (2, 400)])
def test_a_tap_past_its_limit_tokenises_every_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         workers: int, max_texts: int | None) -> None:
    """Past the limit the tap keeps no rows but still sends the texts of every batch (with one worker they are
    tokenised in this process when tagging asks): the groups read back tokenise nothing, each text is
    tokenised once, and the store is the reading path's. With a cap on the texts it numbers, the texts past
    it are tokenised when their group is read back, and a file with such texts is not held."""
    sources = write_sources(tmp_path / "in", n=900, seed=6)
    monkeypatch.setattr(tagger, "BATCH_POSTS", 200)
    reference = reference_store(tmp_path / "reference", sources)
    encoded: list[str] = []
    encode = tagger.Matcher.encode

    def spy(self: tagger.Matcher, texts: list[str | None], base: int = 0) -> str:
        encoded.extend(t for t in texts if t)
        return encode(self, texts, base)

    monkeypatch.setattr(tagger.Matcher, "encode", spy)
    fused = Store(tmp_path / f"fused{workers}")
    with fused.writer() as w:
        tap = IngestTap(load_terms_text(None), limit=300, workers=workers, max_texts=max_texts)
        tap.start()
        w.on_posts = tap
        ingest_paths(w, sources)
        assert tap._keys_full and len(tap.candidates) < len(fused.manifest()["files"]["posts"])
        assert tap.candidates or max_texts  # (files spread over every source: past the cap none is held)
        tag_store(fused, writer=w)
        tap.close()
    assert_same_store(fused, reference)
    if max_texts is not None:  # the texts past the cap are tokenised here when read back, the others are not
        assert len(tap._texts) == max_texts
        fresh = set(encoded) - set(tap._texts) if workers == 1 else set(encoded)
        assert fresh and fresh.isdisjoint(tap._texts)
    elif workers == 1:  # tokenised here, so counted: every text once
        assert len(encoded) == len(set(encoded)) == len(tap._texts)


def test_hits_decoded_in_parts_equal_those_decoded_at_once() -> None:
    """The tap decodes the workers' results as they come back (rows numbered from the part's first text);
    the parts together are what decoding everything at once gives, in the same order."""
    texts = generate_varied_texts(3000, seed=9)
    distinct = list(dict.fromkeys(t for t in texts if t))
    matcher = tagger.Matcher(load_terms_text(None))
    chunks = [matcher.encode(distinct[b:b + 250], b) for b in range(0, len(distinct), 250)]
    whole = tagger._decode(chunks, distinct)
    assert whole.height > 100
    parts = [tagger._decode(chunks[k:k + 3], distinct[k * 250:(k + 3) * 250], k * 250)
             for k in range(0, len(chunks), 3)]
    assert pl.concat(parts).equals(whole)
    assert tagger._decode([], []).height == 0 and tagger._decode(["", ""], distinct[:500]).height == 0
