"""The compiled NDJSON block reader (``collectors/_fastlines.pyx``) against polars, its reference.

A block the native pass reads must map to exactly what ``pl.read_ndjson`` gives it; a block it is not
sure of must be left to polars (None). Checked block by block on hostile lines (escapes, surrogates,
CRLF, keys first seen after polars' schema rows, mixed and non-string ids, bad UTF-8, duplicates, bad
times), and whole stores ingested with ``DTRACK_NATIVE=0`` and ``=1`` (posts, quarantine, counts, ledger).
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.formats import ndjson
from dtrack.collectors.formats.tabular import map_frame
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store

CHOSEN = {"post_id": "id", "created_at": "created_at", "text": "text", "author_name": "user"}


def good(i: int) -> str:
    return f'{{"id":"{i}","created_at":"2022-08-29T03:00:{i % 60:02d}Z","text":"t{i}","user":"u"}}'


def post(rest: str = "", *, id: str = '"1"', at: str = '"2022-08-29T03:00:00Z"') -> str:
    """A line with the id and time given as JSON text, then ``rest`` (more members, each after a comma)."""
    return f'{{"id":{id},"created_at":{at}{rest}}}'


BARE = [post(id=f'"{i}"') for i in range(999)]  # no user, no text

def _native():
    native = ndjson.native_module()
    if native is None:
        if os.environ.get(ndjson.NATIVE_ENV) == "0":
            pytest.skip("DTRACK_NATIVE=0: the polars path was asked for")
        pytest.fail("collectors/_fastlines.pyx is not built: pip install -e . builds it")
    return native


def test_the_native_pass_is_built_where_a_compiler_is() -> None:
    """The extension is optional at install; here (a C compiler, Cython) it must be built, or a silent
    fallback to polars would go unnoticed. ``DTRACK_NATIVE=0`` is the one way out."""
    assert _native().ABI == ndjson.NATIVE_ABI


def _both(block: bytes, chosen: dict[str, str] = CHOSEN) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    """(the native pass's mapped frame or None, polars' mapped frame) of one block."""
    count = block.count(b"\n") + 1
    ctx = ParseContext()
    native = ndjson._native_frame(block, count, chosen)
    reference = map_frame(pl.read_ndjson(io.BytesIO(block), infer_schema_length=1000), chosen, ctx)
    return (None if native is None else map_frame(native, chosen, ctx)), reference


ACCEPTED = {
    "plain": [good(i) for i in range(5)],
    "escapes": [post(r',"text":"a\"b\\c\/d\ne\tf\r\b\f \u00e9\u3042 \ud83d\ude00","user":"u"')],
    "spaces and CRLF": ['{ "id" : "1" , "created_at" :\t"2022-08-29T03:00:00.123Z" ,"text":"x" }\r', good(2)],
    "nulls and missing keys": [post(',"text":null'), post(',"user":"v"', id='"2"'), "{}"],
    "other keys of one kind": [post(',"n":1,"f":1.5e3,"b":true,"s":"x","g":-0.0E-7,"h":2e+2'),
                               post(',"n":-20,"f":0.5,"b":false,"s":null', id='"2"')],
    "mixed time widths": [post(), post(id='"2"', at='"2024-02-29T23:59:59.999999Z"'),
                          post(id='"3"', at='"0001-01-01T00:00:00.000Z"')],
    "times polars reads": [post(at=at) for at in ('"2022-08-29T03:00:00+09:00"', '"2022-13-29T03:00:00Z"',
                                                  '"2023-02-29T00:00:00Z"', "null", '"2022-08-29T03:00:60Z"',
                                                  '"Wed Aug 29 03:00:00 +0000 2022"')],
    "ids that are no ids": [post(id=id) for id in ('"1.5"', '"true"', '"[1]"', '" 7 "', '"{}"')],
    "author strings like objects": [post(r',"user":"{\"screen_name\":\"s\"}"'), post(',"user":"{x"', id='"2"')],
    "a mapped key first seen in the last schema row": [*BARE, post(',"user":"y"', id='"x"')],
    "an other key first seen in the last schema row": [*BARE, post(',"n":2', id='"x"')],
}

LEFT_TO_POLARS = {
    "a number id": [post(id="1"), good(2)],
    "a float id": [post(id="1.5641e+18")],
    "a nested value": [post(',"user":{"screen_name":"s"}')],
    "a list": [post(',"tags":["a"]')],
    "a repeated key": ['{"id":"1","id":"2","created_at":"2022-08-29T03:00:00Z"}'],
    "a blank line": [good(1), "  ", good(2)],
    "a broken line": [good(1), post()[:-1]],
    "trailing bytes": [good(1) + " x"],
    "a raw control character": [post(',"text":"a\tb"')],
    "a lone surrogate": [post(r',"text":"a\ud800b"')],
    "an escaped NUL": [post(r',"text":"a\u0000b"')],
    "a mapped key first seen after the schema rows": [*BARE, BARE[0], post(',"user":"late"', id='"x"')],
    "an other key first seen after the schema rows": [*BARE, BARE[0], post(',"n":2', id='"x"')],
    "a value after the schema rows' nulls": [*(post(',"user":null', id=f'"{i}"') for i in range(1000)),
                                             post(',"user":"late"', id='"x"')],
    "an other key of two kinds": [post(',"n":1'), post(',"n":"1"', id='"2"')],
    "a leading zero": [post(',"n":01')],
    **{f"the number {n} JSON does not allow": [post(f',"n":{n}')]
       for n in ("1.", "1e", "-", "1.e5", "+1", ".5", "1e+")},
    "a 19-digit integer": [post(',"n":1234567890123456789')],
    "an escaped key": ['{"i\\u0064":"1","created_at":"2022-08-29T03:00:00Z"}'],
    "a BOM inside": ["\ufeff" + good(1)],
}

@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_blocks_the_native_pass_reads_map_as_polars_maps_them(name: str) -> None:
    _native()
    native, reference = _both("\n".join(ACCEPTED[name]).encode())
    assert native is not None, name
    assert native.equals(reference), name


@pytest.mark.parametrize("name", sorted(LEFT_TO_POLARS))
def test_blocks_it_is_not_sure_of_are_left_to_polars(name: str) -> None:
    _native()
    block = "\n".join(LEFT_TO_POLARS[name]).encode()
    assert ndjson._native_frame(block, block.count(b"\n") + 1, CHOSEN) is None, name


def test_a_key_mapped_to_the_time_and_another_field_stays_strings_for_that_field() -> None:
    _native()
    chosen = {"post_id": "id", "created_at": "created_at", "text": "created_at"}
    native, reference = _both("\n".join(good(i) for i in range(5)).encode(), chosen)
    assert native is not None and native.equals(reference)
    assert native["text"].to_list()[0] == "2022-08-29T03:00:00Z"


@pytest.mark.parametrize("raw", [b"a\xffb", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe3\x81", b"\xf4\x90\x80\x80",
                                 b"\xe0\x80\xaf"])
def test_invalid_utf8_is_left_to_polars(raw: bytes) -> None:
    _native()
    block = b'{"id":"1","created_at":"2022-08-29T03:00:00Z","text":"' + raw + b'"}'
    assert ndjson._native_frame(block, 1, CHOSEN) is None


def test_random_texts_read_as_polars_reads_them() -> None:
    """Random strings of every kind of code point, JSON-escaped in every way ``json.dumps`` does."""
    _native()
    rng = random.Random(7)
    alphabet = [chr(c) for c in (*range(0x20, 0x7F), 0xE9, 0x3042, 0x9577, 0xFF01, 0x1F600, 0x20BB7)]
    alphabet += ['"', "\\", "\n", "\t", "\x01"]
    lines = []
    for i in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        lines.append(json.dumps({"id": str(i), "created_at": "2022-08-29T03:00:00Z", "text": text, "user": text[:3]},
                                ensure_ascii=rng.random() < 0.5))
    native, reference = _both("\n".join(lines).encode())
    assert native is not None and native.equals(reference)


def test_a_block_bigger_than_the_first_buffers_reads_as_polars_reads_it() -> None:
    """Column buffers start small and grow while the block is read (escapes included): 2 MB of lines."""
    _native()
    rng = random.Random(11)
    lines = [json.dumps({"id": str(i), "created_at": "2022-08-29T03:00:00.000Z",
                         "text": "長\"\n" * rng.randrange(0, 400) + "end", "user": "x" * rng.randrange(0, 30)},
                        ensure_ascii=i % 3 == 0) for i in range(2000)]
    block = "\n".join(lines).encode()
    assert len(block) > 2_000_000
    native, reference = _both(block)
    assert native is not None and native.equals(reference)


def _hostile_file(seed: int) -> bytes:
    """Mostly clean flat lines (so many blocks take the native pass) with everything hostile among them:
    a BOM, CRLF, blank lines, broken lines, a line over the cap, ids of other JSON types, objects as
    authors, repeats, times of other shapes and out of range, escapes; the last line without newline."""
    rng = random.Random(seed)
    lines: list[bytes] = []
    for i in range(600):
        post: dict = {"id": str(1000 + i), "created_at": f"2022-0{1 + i % 9}-1{i % 10}T0{i % 10}:00:00.{i:03d}Z",
                      "text": f"post {i} \"q\" " + "長" * rng.randrange(0, 20), "user": f"u{i % 7}"}
        shape = rng.random()
        if shape < 0.02:
            post["id"] = rng.choice([5000 + i, 1.5e18, None, True, "1.5", ["x"], {"a": 1}])
        elif shape < 0.04:
            post["created_at"] = rng.choice(["2022-13-01T00:00:00Z", "2022-08-29 03:00:00", "1661742000", None, "x",
                                             "1800-01-01T00:00:00Z"])
        elif shape < 0.06:
            post["user"] = {"screen_name": "obj"}
        elif shape < 0.12:
            post["id"] = str(1000 + rng.randrange(i + 1))  # a repeat
        line = json.dumps(post, ensure_ascii=rng.random() < 0.2).encode()
        if rng.random() < 0.01:
            line = line[:-3]
        if rng.random() < 0.005:
            line = b'{"id":"long","created_at":"2022-08-29T03:00:00Z","text":"' + b"x" * 5000 + b'"}'
        if rng.random() < 0.02:
            line += b"\r"
        lines.append(line)
        if rng.random() < 0.01:
            lines.append(b"")
    return b"\xef\xbb\xbf" + b"\n".join(lines)


def _stored(store: Store) -> tuple:
    posts = store.scan_posts().collect().drop("collected_at").sort("source_line")
    quarantine = store.scan_quarantine().collect().drop("quarantined_at").sort("source_line", "raw")
    counts = pl.concat([pl.read_parquet(p) for p in store.files("counts")]).drop("file", strict=False)
    sources = [{k: v for k, v in s.items() if k not in ("ingested_at", "path")} for s in store.sources()]
    return posts, quarantine, counts.sort(counts.columns), sources


@pytest.mark.parametrize("seed", [1, 2])
def test_stores_ingested_with_and_without_the_native_pass_are_the_same(ingest, tmp_path: Path, monkeypatch,
                                                                        seed: int) -> None:
    _native()
    monkeypatch.setattr(ndjson, "READ_BYTES", 900)
    monkeypatch.setattr(ndjson, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(ndjson, "NATIVE_MISSES", 10**9)  # every block tried
    path = tmp_path / "hostile.ndjson"
    path.write_bytes(_hostile_file(seed))
    read = ndjson._native_frame
    taken = []

    def counted(block, count, chosen):
        frame = read(block, count, chosen)
        taken.append(frame is not None)
        return frame

    monkeypatch.setattr(ndjson, "_native_frame", counted)
    results = []
    for switch in ("0", "1"):
        monkeypatch.setenv(ndjson.NATIVE_ENV, switch)
        store = Store(tmp_path / f"store-{switch}")
        report = ingest(store, path, fmt="ndjson")
        results.append((_stored(store), (report.read, report.new, report.duplicate, report.quarantined)))
    (stored_a, rep_a), (stored_b, rep_b) = results
    assert sum(taken) > 20 and not all(taken)  # both paths were taken on the native run
    assert rep_a == rep_b and rep_a[2] > 0 and rep_a[3] > 0
    for a, b in zip(stored_a, stored_b, strict=True):
        assert a.equals(b) if isinstance(a, pl.DataFrame) else a == b


def test_a_real_shaped_sample_stores_the_same(ingest, tmp_path: Path, monkeypatch) -> None:
    """The benchmarks' general corpus (bench/vs_notebook.py), 3,000 posts in blocks of 64 KiB."""
    import sys

    _native()
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from vs_notebook import write_corpus

    path = tmp_path / "general.ndjson"
    write_corpus(path, "general", 3000)
    monkeypatch.setattr(ndjson, "READ_BYTES", 64 * 1024)
    stored = []
    for switch in ("0", "1"):
        monkeypatch.setenv(ndjson.NATIVE_ENV, switch)
        store = Store(tmp_path / f"store-{switch}")
        ingest(store, path, fmt="ndjson")
        stored.append(_stored(store))
    assert stored[0][0].height == 3000
    for a, b in zip(*stored, strict=True):
        assert a.equals(b) if isinstance(a, pl.DataFrame) else a == b


def test_a_file_the_native_pass_cannot_read_is_not_tried_on(ingest, tmp_path: Path, monkeypatch) -> None:
    """Nested objects on every line: after ``NATIVE_MISSES`` blocks in a row, polars reads the rest alone."""
    _native()
    monkeypatch.setattr(ndjson, "READ_BYTES", 300)
    path = tmp_path / "nested.ndjson"
    path.write_text("\n".join(post(f',"user":{{"screen_name":"s{i}"}}', id=f'"{i}"') for i in range(200)))
    read = ndjson._native_frame
    tries = []
    monkeypatch.setattr(ndjson, "_native_frame", lambda *a: tries.append(1) or read(*a))
    report = ingest(Store(tmp_path / "store"), path, fmt="ndjson")
    assert report.new == 200
    # (the read-ahead threads may both have started one more before either counted its miss)
    assert ndjson.NATIVE_MISSES <= len(tries) <= ndjson.NATIVE_MISSES + ndjson.PREPARE_WORKERS - 1


def test_newlines_are_counted_as_numpy_counts_them() -> None:
    native = _native()
    rng = random.Random(3)
    block = bytes(rng.choice(b"ab\n\r{") for _ in range(10_000))
    for end in (0, 1, 5000, 10_000, 20_000):
        assert native.count_newlines(block, end) == block[:end].count(b"\n")
