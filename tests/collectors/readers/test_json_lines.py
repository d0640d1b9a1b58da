"""readers.json_lines: a line over the cap is quarantined where it started, the rest of the file is read;
and detection looks past a first line longer than the sniffing window (generated files)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dtrack.collectors.formats.registry import detect
from dtrack.collectors.readers.files import SNIFF_BYTES
from dtrack.collectors.readers.json_lines import json_lines
from dtrack.collectors.records import ParseContext, Quarantine
from tests.conftest import SHARED_SAMPLES, require_shared_samples

SAMPLES = SHARED_SAMPLES


def _needs_samples(test: Callable[..., None]) -> Callable[..., None]:
    """The marks of ``require_shared_samples`` on one test (the others here need no samples)."""
    for mark in require_shared_samples():
        test = mark(test)
    return test


def _read(path: Path, cap: int) -> tuple[list[tuple[int, object]], list[Quarantine]]:
    kept, bad = [], []
    for item in json_lines(path, ParseContext(max_line_bytes=cap)):
        if isinstance(item, Quarantine):
            bad.append(item)
        else:
            kept.append((item[0], item[2]))
    return kept, bad


@pytest.mark.parametrize("newline_after", [True, False])
def test_a_line_over_the_cap_is_quarantined_with_its_number_and_start(tmp_path: Path, newline_after: bool) -> None:
    long = b'{"id": "2", "text": "' + b"x" * 500 + b'"}'
    data = b'{"id": "1"}\n' + long + (b'\n{"id": "3"}\n\n{"id": "5"}\n' if newline_after else b"")
    path = tmp_path / "long.jsonl"
    path.write_bytes(data)
    kept, bad = _read(path, cap=100)
    assert [(b.line, b.raw[:9]) for b in bad] == [(2, '{"id": "2')]
    assert "line 2 (starting at byte 12) is 523 bytes long, over the limit of 100 bytes" in bad[0].reason
    assert kept == ([(1, {"id": "1"}), (3, {"id": "3"}), (5, {"id": "5"})] if newline_after else [(1, {"id": "1"})])


def test_lines_under_the_cap_read_as_before_bom_and_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "1"}\r\nnot json\n{"id": "3"}\n{"id": "4", "te')
    kept, bad = _read(path, cap=1024)
    assert kept == [(1, {"id": "1"}), (3, {"id": "3"})]
    assert [b.line for b in bad] == [2, 4]
    assert "half-written" not in bad[0].reason and "the last line has no newline" in bad[1].reason


def test_a_long_line_in_the_middle_of_many_blocks_keeps_the_numbering(tmp_path: Path) -> None:
    rows = [json.dumps({"id": str(i)}).encode() for i in range(1, 3001)]
    rows[1499] = b'{"id": "' + b"9" * 5000 + b'"}'
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"\n".join(rows) + b"\n")
    kept, bad = _read(path, cap=4096)
    assert [b.line for b in bad] == [1500]
    assert f"starting at byte {sum(len(r) + 1 for r in rows[:1499]):,}" in bad[0].reason
    assert [n for n, _ in kept] == [n for n in range(1, 3001) if n != 1500]
    assert all(value == {"id": str(n)} for n, value in kept)


def _first_line(path: Path) -> dict:
    return json.loads(path.read_bytes().split(b"\n", 1)[0])


def _write_long_first(path: Path, first: dict, rest: bytes) -> Path:
    line = json.dumps(first, ensure_ascii=False).encode()
    assert len(line) > SNIFF_BYTES  # the first line does not fit in the sniffing window
    path.write_bytes(line + b"\n" + rest)
    return path


def test_ndjson_with_a_first_line_longer_than_the_window_is_recognised(tmp_path: Path) -> None:
    first = {"bio": "あ" * 30_000, "id": "1", "created_at": "2023-01-01T00:00:00Z", "text": "x"}
    path = _write_long_first(tmp_path / "posts.jsonl", first, b'{"id": "2", "text": "y"}\n')
    assert detect(path) == "ndjson"


@_needs_samples
def test_twarc_flattened_tweet_with_a_long_first_line_is_recognised(tmp_path: Path) -> None:
    tweet = _first_line(SAMPLES / "twarc2" / "flat.jsonl")
    tweet = {"pad_entities": ["#タグ" * 20] * 1000, **tweet}  # keys before the ones the sniffer needs
    path = _write_long_first(tmp_path / "flat.jsonl", tweet, (SAMPLES / "twarc2" / "flat.jsonl").read_bytes())
    assert detect(path) == "twarc"


@_needs_samples
def test_twitter_v1_status_with_a_long_first_line_is_recognised(tmp_path: Path) -> None:
    status = _first_line(SAMPLES / "twitter-v1.1" / "streaming-lines.json")
    status["user"]["description"] = "長い" * 40_000  # the user object comes before the status's id_str
    status = {"user": status.pop("user"), **status}
    path = _write_long_first(tmp_path / "stream.json", status, b"")
    assert detect(path) == "twitter_v1"
