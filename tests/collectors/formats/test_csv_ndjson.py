"""The generic NDJSON/CSV collector: guessing, mapping, time zones, quarantine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats.tabular import parse_mapping
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "generic"


def test_naive_timestamps_are_read_as_asia_tokyo(ingest, store: Store) -> None:
    report = ingest(store, FIX / "naive_jst.ndjson")
    posts = store.scan_posts().sort("post_id").collect()
    assert report.status == "ok" and report.read == 4 and report.quarantined == 0
    times = dict(zip(posts["post_id"], posts["created_at"], strict=True))
    utc = dt.UTC
    assert times["100"] == dt.datetime(2022, 8, 29, 0, 0, tzinfo=utc)  # 09:00 JST
    assert times["101"] == dt.datetime(2022, 8, 28, 16, 0, tzinfo=utc)
    assert times["102"] == dt.datetime(2022, 8, 29, 0, 0, tzinfo=utc)  # epoch seconds
    assert times["103"] == dt.datetime(2022, 8, 29, 3, 0, tzinfo=utc)
    authors = dict(zip(posts["post_id"], posts["author_name"], strict=True))
    assert authors["102"] == "carol"  # nested user object
    assert posts.filter(pl.col("post_id") == "103")["text"][0].endswith("😀")
    # the blank line is skipped, and line numbers still point at the right lines
    assert dict(zip(posts["post_id"], posts["source_line"], strict=True)) == {"100": 1, "101": 2, "102": 3, "103": 5}


def test_naive_timestamps_follow_the_configured_zone(ingest, store: Store) -> None:
    from zoneinfo import ZoneInfo

    _ = ingest(store, FIX / "naive_jst.ndjson", ctx=ParseContext(tz=ZoneInfo("UTC")))

    posts = store.scan_posts().sort("post_id").collect()
    assert posts.filter(pl.col("post_id") == "100")["created_at"][0] == dt.datetime(2022, 8, 29, 9, tzinfo=dt.UTC)


def test_bad_lines_are_quarantined_with_line_and_reason(ingest, store: Store) -> None:
    report = ingest(store, FIX / "broken.ndjson")
    posts = store.scan_posts().sort("post_id").collect()
    assert sorted(posts["post_id"]) == ["1", "6"]
    assert report.quarantined == 5
    q = store.scan_quarantine().sort("source_line").collect()
    lines = q["source_line"].to_list()
    assert lines == [2, 3, 4, 5, 7]
    reasons = dict(zip(lines, q["reason"], strict=True))
    assert "not valid JSON" in reasons[2]
    assert "created_at" in reasons[3]
    assert "not an object" in reasons[4]
    assert "post_id" in reasons[5]
    assert "not valid JSON" in reasons[7]  # the half-written last line
    assert q.filter(pl.col("source_line") == 3)["raw"][0].startswith('{"id": "3"')
    assert set(q["source_file"]) == {str(FIX / "broken.ndjson")}


def test_csv_with_explicit_mapping_and_ragged_row(ingest, store: Store) -> None:
    ctx = ParseContext(mapping=parse_mapping("text=content,created_at=date,author_name=username"))
    report = ingest(store, FIX / "mapped.csv", ctx=ctx, fmt="csv")
    posts = store.scan_posts().sort("post_id").collect()
    assert report.read == 2 and report.quarantined == 1
    assert posts["text"].to_list() == ["無断転載禁止です", "改行を\n含む本文"]
    assert posts["author_name"].to_list() == ["taro", "hanako"]
    assert posts["created_at"][0] == dt.datetime(2022, 8, 29, 3, 34, 56, tzinfo=dt.UTC)
    q = store.scan_quarantine().collect()
    assert q["source_line"].to_list() == [5]  # the record after the two-line one
    assert "5 fields where the header has 4" in q["reason"][0]


def test_cp932_csv_is_detected_and_decoded(ingest, store: Store) -> None:
    assert detect(FIX / "cp932.csv") == "csv"
    report = ingest(store, FIX / "cp932.csv")
    posts = store.scan_posts().sort("post_id").collect()
    assert report.status == "ok", report.message
    assert posts["text"].to_list() == ["無断学習禁止", "ﾊﾝｶｸ と ①"]
    assert posts["author_name"].to_list() == ["たろう", "はなこ"]


def test_detect_by_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "export.txt"
    disguised.write_bytes((FIX / "naive_jst.ndjson").read_bytes())
    assert detect(disguised) == "ndjson"
    prose = tmp_path / "notes.ndjson"
    prose.write_text("これはただのメモです\n", encoding="utf-8")
    assert detect(prose) is None


def test_unknown_mapping_column_is_a_clear_error(ingest, store: Store) -> None:
    ctx = ParseContext(mapping={"text": "nope"})
    report = ingest(store, FIX / "naive_jst.ndjson", ctx=ctx)
    assert report.status == "error"
    assert "--map text=nope" in report.message


@pytest.mark.parametrize("spec", ["text", "=x", "colour=red"])
def test_parse_mapping_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_mapping(spec)


def test_float_ids_are_never_trusted(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "floats.ndjson"
    src.write_text('{"id": 1.5e18, "created_at": "2022-01-01T00:00:00Z", "text": "x"}\n'
                   '{"id": 1500000000000000001, "created_at": "2022-01-01T00:00:00Z", "text": "y"}\n')
    with store.writer() as w:
        report = ingest_source(w, src)
    posts = store.scan_posts().collect()
    assert posts["post_id"].to_list() == ["1500000000000000001"]
    assert report.quarantined == 1


@pytest.mark.parametrize("broken", [False, True], ids=["fast path", "slow path"])
def test_ids_of_the_wrong_type_are_quarantined_on_both_paths(ingest, store, tmp_path, broken):
    """One rule for ids, whatever the neighbouring lines: a JSON string or integer, else quarantined
    (polars widens a mixed column to strings and writes 1.5641e+18 as 1564100000000000000)."""
    import json as _json

    ids = ["1", 2, 1.5641e18, 2.5, {"id": "3"}, [4], True, False, "", "5"]
    lines = [_json.dumps({"id": v, "created_at": "2022-08-29T03:00:00Z", "text": "x"}) for v in ids]
    if broken:
        lines.append("{not json")
    path = tmp_path / "ids.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(store, path, fmt="ndjson")
    assert sorted(store.scan_posts().collect()["post_id"].to_list()) == ["1", "2", "5"]
    quarantined = sorted(store.scan_quarantine().collect()["source_line"].to_list())
    assert quarantined == [3, 4, 5, 6, 7, 8, 9] + ([11] if broken else [])
    assert report.new == 3


@pytest.mark.parametrize("newline", [True, False])
def test_a_line_longer_than_a_block_is_quarantined_and_the_rest_read(ingest, store, tmp_path, monkeypatch,
                                                                      newline):
    """It used to take the rest of the file as one block (2.2 GB for a 32 MB line)."""
    from dtrack.collectors.formats import ndjson
    from tests.collectors.hostile import long_line

    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 4096)
    path = tmp_path / "long.ndjson"
    path.write_bytes(b'{"id":"0","created_at":"2022-08-29T03:00:00Z","text":"first"}\n'
                     + long_line(20_000, newline=newline, good_after=3 if newline else 0))
    report = ingest(store, path, fmt="ndjson")
    assert report.quarantined == 1
    assert sorted(store.scan_posts().collect()["post_id"]) == (["0", "2", "3", "4"] if newline else ["0"])
    record = store.scan_quarantine().collect().row(0, named=True)
    assert record["source_line"] == 2 and "(starting at byte 62) is" in record["reason"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_lines_longer_than_a_read_are_kept_up_to_the_cap(ingest, store: Store, tmp_path: Path, monkeypatch,
                                                          bom: bytes) -> None:
    """Reads are smaller than the longest line kept: a line longer than a read is read on and
    kept, one over the cap is quarantined, and every line keeps its number (a BOM included)."""
    from dtrack.collectors.formats import ndjson

    monkeypatch.setattr(ndjson, "READ_BYTES", 64)
    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 4096)
    lines = [f'{{"id":"{i}","created_at":"2022-08-29T03:00:{i:02d}Z","text":"{"長" * (i * 40)}"}}' for i in range(12)]
    lines[7] = '{"id":"7","created_at":"2022-08-29T03:00:07Z","text":"' + "x" * 5000 + '"}'
    path = tmp_path / "long.ndjson"
    path.write_bytes(bom + "\n".join(lines).encode() + b"\n")
    report = ingest(store, path, fmt="ndjson")
    assert (report.new, report.quarantined) == (11, 1)
    posts = store.scan_posts().collect().sort("source_line")
    assert posts["post_id"].to_list() == [str(i) for i in range(12) if i != 7]
    assert posts["source_line"].to_list() == [i + 1 for i in range(12) if i != 7]
    assert posts.filter(pl.col("post_id") == "11")["text"].item() == "長" * 440
    assert store.scan_quarantine().collect()["source_line"].to_list() == [8]


def test_the_first_copy_wins_across_blocks_read_fast_and_slow(ingest, store: Store, tmp_path: Path,
                                                              monkeypatch) -> None:
    """Frames of many blocks are stored together, and dicts of a block polars refused in between:
    the rows still reach deduplication in file order, so the first copy of a key is the one kept."""
    from dtrack.collectors.formats import ndjson

    monkeypatch.setattr(ndjson, "READ_BYTES", 200)
    lines = []
    for i in range(30):
        key = "dup" if i in (3, 14, 25) else f"p{i}"
        lines.append(f'{{"id":"{key}","created_at":"2022-08-29T03:00:{i:02d}Z","text":"line {i}"}}')
    lines[14] = lines[14][:-1] + ', broken'  # its block is read line by line
    lines[15] = lines[15].replace('"id":"p15"', '"id":"dup"')  # a copy in the slow block, after the broken line
    lines[16] = lines[16].replace('"id":"p16"', '"id":"first-slow"')  # first read line by line...
    lines[28] = lines[28].replace('"id":"p28"', '"id":"first-slow"')  # ...then again in a fast block
    path = tmp_path / "dups.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(store, path, fmt="ndjson")
    assert (report.quarantined, report.duplicate) == (1, 3)
    kept = store.scan_posts().filter(pl.col("post_id").is_in(["dup", "first-slow"])).collect().sort("post_id")
    assert kept["source_line"].to_list() == [4, 17] and kept["text"].to_list() == ["line 3", "line 16"]


def _hostile_ndjson(seed: int) -> bytes:
    """Every shape the fast paths must treat as the general path does, in one file of many blocks:
    a BOM, blank lines, a line over the cap, broken lines, ids of every JSON type (floats, mixed,
    objects), times out of range, authors as strings and as objects, repeats of earlier posts."""
    import json
    import random

    from tests.collectors.hostile import BAD_IDS, BAD_TIMES, GOOD_TIME

    rng = random.Random(seed)
    lines: list[bytes] = []
    for i in range(400):
        shape = rng.random()
        post: dict = {"id": str(1000 + i), "created_at": GOOD_TIME if rng.random() < 0.8 else rng.choice(BAD_TIMES),
                      "text": f"post {i} " + "長" * rng.randrange(0, 30),
                      "user": rng.choice(["a", "b", {"screen_name": "obj", "id": 7}, {"name": "n"}])}
        if shape < 0.05:
            post["id"] = rng.choice(BAD_IDS)
        elif shape < 0.1:
            post["id"] = 5000 + i  # an int among strings: the block is read line by line
        elif shape < 0.15:
            post["id"] = str(1000 + rng.randrange(i + 1))  # a repeat
        line = json.dumps(post, ensure_ascii=False).encode()
        if rng.random() < 0.02:
            line = line[:-3]  # broken
        if rng.random() < 0.01:
            line = b'{"id":"long","created_at":"' + GOOD_TIME.encode() + b'","text":"' + b"x" * 5000 + b'"}'
        lines.append(line)
        if rng.random() < 0.03:
            lines.append(b"  ")
    return b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parallel_read_ahead_and_fast_mapping_store_what_the_serial_general_path_stores(
        ingest, tmp_path: Path, monkeypatch, seed: int) -> None:
    """Blocks parsed and mapped by two threads ahead, and the JSON-path matching skipped for a block
    whose author column holds no object, against one thread and the matching always run: the
    same posts (every column), the same quarantine (line, reason, raw) and the same report."""
    from dtrack.collectors.formats import ndjson, tabular

    monkeypatch.setattr(ndjson, "READ_BYTES", 700)
    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 4096)
    path = tmp_path / "hostile.ndjson"
    path.write_bytes(_hostile_ndjson(seed))
    fast_check = tabular._has_objects
    results = []
    for workers, general in ((1, True), (2, False)):
        monkeypatch.setattr(ndjson, "PREPARE_WORKERS", workers)
        monkeypatch.setattr(tabular, "_has_objects", (lambda frame, expr: True) if general else fast_check)
        store = Store(tmp_path / f"store-{workers}-{general}")
        report = ingest(store, path, fmt="ndjson")
        posts = store.scan_posts().collect().drop("collected_at").sort("source_line")
        quarantine = store.scan_quarantine().collect().drop("quarantined_at").sort("source_line", "raw")
        results.append((posts, quarantine, (report.read, report.new, report.duplicate, report.quarantined)))
    (posts_a, quar_a, rep_a), (posts_b, quar_b, rep_b) = results
    assert rep_a == rep_b and rep_a[2] > 0 and rep_a[3] > 0
    assert posts_a.equals(posts_b)
    assert quar_a.equals(quar_b)
    assert posts_a.filter(pl.col("author_name") == "obj").height > 0  # objects were read on both paths


@pytest.mark.parametrize("read_bytes", [5, 64, 333, 4096])
@pytest.mark.parametrize("ending", [b"\n", b""])
def test_blocks_are_the_file_cut_at_newlines_whatever_the_read_size(tmp_path: Path, monkeypatch, read_bytes: int,
                                                                   ending: bytes) -> None:
    """The reader cuts each read at its last newline in place (no copy of the block): joined again, the
    blocks are the file without its BOM, each counted in lines, and a line over the cap is a LongLine
    at its own number and byte offset, whatever the read size."""
    from dtrack.collectors.formats import ndjson
    from dtrack.collectors.readers.lines import LongLine

    monkeypatch.setattr(ndjson, "READ_BYTES", read_bytes)
    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 4096)
    lines = [f'{{"id":"{i}","text":"{"語" * (i * 7 % 50)}"}}'.encode() for i in range(60)]
    lines[9] += b"\r"  # CRLF kept as it is: the parser's business
    lines[33] = b'{"id":"long","text":"' + b"y" * 5000 + b'"}'
    path = tmp_path / "blocks.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + ending)
    kept: list[bytes] = []
    numbers: list[int] = []
    longs: list[LongLine] = []
    line_no = 1
    for block, count in ndjson._blocks(path):
        if isinstance(block, LongLine):
            longs.append(block)
        else:
            assert isinstance(block, bytearray) and count == block.count(b"\n") + 1
            kept.extend(bytes(block).split(b"\n"))
            numbers.extend(range(line_no, line_no + count))
        line_no += count
    assert kept == lines[:33] + lines[34:]
    assert numbers == [n for n in range(1, 61) if n != 34]
    assert [(lg.line, lg.offset, lg.length) for lg in longs] == [(34, 3 + sum(len(x) + 1 for x in lines[:33]),
                                                                 len(lines[33]))]


@pytest.mark.parametrize("read_bytes", [64, 8 * 1024 * 1024])
def test_a_file_that_grows_while_it_is_read_is_read_to_its_new_end(tmp_path: Path, monkeypatch,
                                                                   read_bytes: int) -> None:
    """Reads are sized to what the file held when it was opened; lines appended meanwhile (an export still
    being written) are read too, as they were when every read was READ_BYTES."""
    from dtrack.collectors.formats import ndjson

    monkeypatch.setattr(ndjson, "READ_BYTES", read_bytes)
    monkeypatch.setattr(ndjson, "READ_SLACK", 16)
    lines = [f'{{"id":"{i}","text":"{"字" * i}"}}'.encode() for i in range(40)]
    path = tmp_path / "growing.ndjson"
    path.write_bytes(b"\n".join(lines[:10]) + b"\n")
    blocks = ndjson._blocks(path)
    kept = bytes(next(blocks)[0]).split(b"\n")
    with path.open("ab") as fh:
        fh.write(b"\n".join(lines[10:]) + b"\n")
    for block, _ in blocks:
        kept.extend(bytes(block).split(b"\n"))
    assert kept == lines


@pytest.mark.parametrize("native", ["1", "0"])
def test_an_ndjson_ingest_does_not_import_numpy_ma(tmp_path: Path, native: str) -> None:
    """Times reach polars as Arrow arrays (native pass) or through a buffer (polars path), never as numpy
    arrays, whose conversion made polars import ``numpy.ma``: 30 ms of every ``dtrack ingest``."""
    import os
    import subprocess
    import sys

    rows = [f'{{"id":"{i}","created_at":"2022-08-{1 + i % 28:02d}T03:00:00.123Z","text":"無断学習 {i}"}}'
            for i in range(3000)]
    path = tmp_path / "posts.ndjson"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = ("import sys\nfrom dtrack.cli.main import main\n"
            f"try:\n    main(['ingest', {str(path)!r}, '--store', {str(tmp_path / 'store')!r}, '--no-tag'])\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('numpy.ma' in sys.modules)")
    env = dict(os.environ, DTRACK_NATIVE=native)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip().splitlines()[-1] == "False"
    store = Store(tmp_path / "store")
    assert store.scan_posts().select(pl.len()).collect().item() == 3000
