"""readers.lines: blocks of whole lines with a cap on one line, hand-counted cases."""

from __future__ import annotations

import io

import pytest

from dtrack.collectors.readers.lines import LongLine, line_blocks


def _run(data: bytes, block: int, cap: int) -> list[tuple[int, bytes] | tuple[str, int, int, int]]:
    out = []
    for item in line_blocks(io.BytesIO(data).read, block_bytes=block, max_line=cap):
        out.append(("long", item.line, item.offset, item.length) if isinstance(item, LongLine) else item)
    return out


def _lines(items: list) -> list[tuple[int, bytes]]:
    """(line number, line) for every kept line."""
    kept = []
    for item in items:
        if item[0] != "long":
            first, block = item
            kept += [(first + i, ln) for i, ln in enumerate(block.split(b"\n"))]
    return kept


@pytest.mark.parametrize("block", [1, 2, 3, 5, 8, 64])
def test_short_lines_come_back_whole_and_numbered(block: int) -> None:
    data = b"ab\ncd\n\nefg\nh"
    assert _lines(_run(data, block, 100)) == [(1, b"ab"), (2, b"cd"), (3, b""), (4, b"efg"), (5, b"h")]


@pytest.mark.parametrize("block", [1, 3, 4, 16])
def test_a_line_over_the_cap_is_reported_where_it_starts_and_skipped(block: int) -> None:
    data = b"ok\n" + b"x" * 20 + b"\nfine\nyy"
    items = _run(data, block, 8)
    assert [i for i in items if i[0] == "long"] == [("long", 2, 3, 20)]
    assert _lines(items) == [(1, b"ok"), (3, b"fine"), (4, b"yy")]


def test_an_endless_line_is_one_long_line_and_nothing_is_kept() -> None:
    assert _run(b"z" * 1000, 7, 50) == [("long", 1, 0, 1000)]
    assert _run(b"a\n" + b"z" * 1000, 7, 50) == [(1, b"a"), ("long", 2, 2, 1000)]


def test_the_quarantine_record_names_line_and_offset() -> None:
    record = LongLine(7, 1234, 99_000_000, b"{\"id\"").quarantine(32 * 1024**2)
    assert record.line == 7 and record.raw == '{"id"'
    assert "line 7 (starting at byte 1,234) is 99,000,000 bytes long" in record.reason
