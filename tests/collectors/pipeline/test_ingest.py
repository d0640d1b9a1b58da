"""The ingest loop over many sources: one transaction for a group, each source still all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import dtrack.collectors.formats.csvfile as csvfile
import dtrack.collectors.pipeline.ingest as ingest
import dtrack.data.store as store_module
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.schema import PROVENANCE_COLUMNS
from dtrack.data.store import Store

#: Columns that name where a row came from (they differ between one file and many by design).
_WHERE = [*PROVENANCE_COLUMNS, "source_line"]


def _line(i: int, text: str = "") -> str:
    day = 1 + i % 28
    month = 1 + i % 3  # three months, so a group spans several partitions
    return json.dumps({"id": str(1000 + i), "created_at": f"2023-{month:02d}-{day:02d}T0{i % 10}:00:00Z",
                       "text": text or f"投稿{i} 無断学習", "user": f"u{i % 7}", "lang": "ja"},
                      ensure_ascii=False) + "\n"


def _folder(root: Path, lines: list[list[str]]) -> Path:
    root.mkdir()
    for k, chunk in enumerate(lines):
        (root / f"f{k:03d}.ndjson").write_text("".join(chunk), encoding="utf-8")
    return root


def _ingest(store: Store, paths: list[Path]) -> list[ingest.IngestReport]:
    with store.writer() as w:
        return ingest_paths(w, paths)


def _content(store: Store) -> pl.DataFrame:
    return store.scan_posts().collect().drop(_WHERE).sort("platform", "post_id")


def test_many_small_files_store_what_one_file_stores(tmp_path: Path) -> None:
    # 30 files of 1-3 posts, five of the posts repeating ones of earlier files
    chunks = [[_line(i)] for i in range(25)] + [[_line(i), _line(i + 1)] for i in (3, 12)] + \
        [[_line(25), _line(26), _line(27)], [_line(28), _line(5)], [_line(29)]]
    folder = _folder(tmp_path / "many", chunks)
    one = tmp_path / "one.ndjson"
    one.write_text("".join(line for chunk in chunks for line in chunk), encoding="utf-8")
    many, single = Store(tmp_path / "s-many"), Store(tmp_path / "s-one")

    reports = _ingest(many, [folder])
    (single_report,) = _ingest(single, [one])

    assert _content(many).equals(_content(single))
    assert sum(r.new for r in reports) == single_report.new == 30
    assert sum(r.duplicate for r in reports) == single_report.duplicate == 5
    assert many.version.endswith("-1")  # one transaction for the whole folder
    # each source keeps its own ledger record, hash and counts
    sources = many.sources()
    assert [Path(s["path"]).name for s in sources] == sorted(p.name for p in folder.iterdir())
    assert len({s["sha256"] for s in sources}) == len(chunks)
    assert [(s["new"], s["duplicate"]) for s in sources] == [(r.new, r.duplicate) for r in reports]
    # and every post names the file and line it was first read from
    posts = many.scan_posts().collect()
    first = posts.filter(pl.col("post_id") == "1003").row(0, named=True)
    assert Path(first["source_file"]).name == "f003.ndjson" and first["source_line"] == 1
    # fewer files than sources: one per month for the group
    assert len(many.manifest()["files"]["posts"]) == 3


def test_a_second_group_is_skipped_by_hash_and_reingest_changes_nothing(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "a", [[_line(i)] for i in range(10)] + [[_line(0)]])
    store = Store(tmp_path / "s")
    first = _ingest(store, [folder])
    assert [r.status for r in first][-1] == "skipped"  # same content as f000, inside the same group
    version = store.version
    again = _ingest(store, [folder])
    assert {r.status for r in again} == {"skipped"} and store.version == version


def _bad_csv(path: Path, rows: int) -> Path:
    """A CSV that fails half-way (bytes that are neither UTF-8 nor CP932 after ``rows`` rows)."""
    good = "".join(f"{9000 + i},2023-01-0{1 + i % 9}T00:00:00Z,壊れる前の投稿{i}\n" for i in range(rows))
    path.write_bytes(("id,created_at,text\n" + good).encode() + b"\x81,x,y\n" + b"9999,2023-01-01,z\n")
    return path


@pytest.mark.parametrize("written_out", [False, True], ids=["rolled-back", "group-read-again"])
def test_a_file_failing_half_way_leaves_nothing_of_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          written_out: bool) -> None:
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 500)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 500)
    if written_out:  # the failing file's rows already went to a staged file with the others'
        monkeypatch.setattr(store_module, "STAGE_ROWS", 3)
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.ndjson").write_text("".join(_line(i) for i in range(5)), encoding="utf-8")
    _bad_csv(folder / "b.csv", 2500)  # longer than what format detection reads
    (folder / "c.ndjson").write_text("".join(_line(i) for i in range(5, 9)), encoding="utf-8")
    store = Store(tmp_path / "s")

    reports = {Path(r.path).name: r for r in _ingest(store, [folder])}

    assert reports["b.csv"].status == "error" and "after line" in reports["b.csv"].message
    assert (reports["a.ndjson"].new, reports["c.ndjson"].new) == (5, 4)
    posts = store.scan_posts().collect()
    assert sorted(posts["post_id"]) == sorted(str(1000 + i) for i in range(9))
    assert [Path(s["path"]).name for s in store.sources()] == ["a.ndjson", "c.ndjson"]
    assert store.scan_quarantine().collect().height == 0
    assert store.version.endswith("-1")


def _stored(store: Store) -> tuple[pl.DataFrame, pl.DataFrame, list[dict]]:
    posts = store.scan_posts().drop("collected_at").collect().sort("post_id")
    quarantine = store.scan_quarantine().drop("quarantined_at").collect().sort("source_line")
    sources = [{k: v for k, v in s.items() if k != "ingested_at"} for s in store.sources()]
    return posts, quarantine, sources


def test_hashing_while_reading_stores_what_hashing_first_stores(tmp_path: Path, monkeypatch) -> None:
    """A big file is hashed in a thread while it is read: the same rows, sha256 on every row and
    quarantined record, the same ledger, and a second ingest is skipped (or, forced, adds no record)."""
    src = tmp_path / "posts.ndjson"
    src.write_text("".join(_line(i) for i in range(300)) + '{"id": "x", "created_at": "not a time"}\n',
                   encoding="utf-8")
    first = Store(tmp_path / "first")
    monkeypatch.setattr(ingest, "HASH_AHEAD_BYTES", 10**12)  # hash first, as before
    reports = _ingest(first, [src])
    assert reports[0].quarantined == 1
    monkeypatch.setattr(ingest, "HASH_AHEAD_BYTES", 0)  # every file is hashed while it is read
    ahead = Store(tmp_path / "ahead")
    assert [r.sha256 for r in _ingest(ahead, [src])] == [r.sha256 for r in reports]
    for a, b in zip(_stored(first), _stored(ahead), strict=True):
        assert a == b if isinstance(a, list) else a.equals(b)
    assert set(ahead.scan_posts().collect()["source_sha256"]) == {reports[0].sha256}
    assert _ingest(ahead, [src])[0].status == "skipped"  # a source of this size exists: hashed first
    with ahead.writer() as w:
        forced = ingest_paths(w, [src], force=True)
    assert forced[0].status == "ok" and forced[0].duplicate == 300 and forced[0].sha256 == reports[0].sha256
    assert len(ahead.sources()) == 1


def test_a_file_hashed_while_read_that_fails_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "HASH_AHEAD_BYTES", 0)
    src = tmp_path / "posts.ndjson"
    src.write_text("".join(_line(i) for i in range(50)), encoding="utf-8")
    store = Store(tmp_path / "store")

    def broken(*args, **kwargs):
        raise OSError("disk went away")

    monkeypatch.setattr(ingest, "file_sha256", broken)
    report = _ingest(store, [src])[0]
    assert report.status == "error" and "disk went away" in report.message
    assert store.scan_posts().collect().height == 0 and store.sources() == []


def test_the_fast_paths_give_byte_identical_analysis_outputs(tmp_path: Path, monkeypatch) -> None:
    """The NDJSON fast paths (blocks read ahead, ISO times read from the bytes, the hash taken
    while reading) against the general ones: the same posts, and the same timeline and KWIC bytes."""
    import datetime as dt
    import random

    import dtrack
    import dtrack.collectors.formats.ndjson as ndjson
    from dtrack.analysis.export import csv_bytes
    from dtrack.collectors.readers import times
    from dtrack.nlp.synthetic import generate_texts
    from dtrack.nlp.tagger import tag_store

    rng = random.Random(16)
    start = dt.datetime(2022, 6, 1, tzinfo=dt.UTC).timestamp()
    src = tmp_path / "posts.ndjson"
    with open(src, "w", encoding="utf-8") as fh:
        for i, text in enumerate(generate_texts(600, term_share=0.3, seed=16)):
            when = dt.datetime.fromtimestamp(start + rng.random() * 200 * 86_400, dt.UTC)
            created = when.isoformat().replace("+00:00", "Z") if i % 50 else when.strftime("%Y-%m-%dT%H:%M:%SZ")
            fh.write(json.dumps({"id": str(10**17 + i), "created_at": created, "text": text,
                                 "user": f"u{i % 40}"}, ensure_ascii=False) + "\n")
    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 20_000)  # many blocks: the read-ahead maps most of them

    def build(name: str) -> tuple[bytes, bytes, pl.DataFrame]:
        store = Store(tmp_path / name)
        with store.writer() as w:
            assert ingest_paths(w, [src])[0].new == 600
            tag_store(store, writer=w)
        api = dtrack.open_store(store.path)
        posts = store.scan_posts().drop("collected_at").collect().sort("post_id")
        return (csv_bytes(api.timeline(["無断学習", "AI絵師"], freq="day")),
                csv_bytes(api.kwic("無断学習")), posts)

    monkeypatch.setattr(ingest, "HASH_AHEAD_BYTES", 0)
    fast = build("fast")
    monkeypatch.setattr(ingest, "HASH_AHEAD_BYTES", 10**12)
    monkeypatch.setattr(times, "iso_z_series", lambda values: None)
    general = build("general")
    assert fast[0] == general[0] and fast[1] == general[1]
    assert fast[2].equals(general[2])
    assert fast[0].count(b"\n") > 100 and b"2022-06" in fast[1]
