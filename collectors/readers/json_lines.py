"""Reading JSON lines: one JSON value a line, every bad line quarantined with its number.

The line-by-line readers the formats share: :func:`json_lines` (every value,
read leniently, see ``readers.json_values``) and :func:`json_objects` (the
strict reader the columnar formats fall back to when polars refuses a block).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from dtrack.collectors.readers.files import strip_bom
from dtrack.collectors.readers.json_values import NotJSON, loads_lenient
from dtrack.collectors.readers.lines import LongLine, line_blocks
from dtrack.collectors.records import ParseContext, Quarantine

#: Report progress every this many lines.
_PROGRESS_EVERY = 2_000
#: Bytes read at a time (a block of whole lines; a longer line is carried over, up to the cap).
BLOCK_BYTES = 1024 * 1024


def json_lines(path: Path, ctx: ParseContext) -> Iterator[tuple[int, bytes, Any, bool] | Quarantine]:
    """``(line number, raw line, value, repaired)`` for every non-blank line of ``path``.

    A line that is not JSON becomes a :class:`Quarantine` (a last line without
    its newline is named as probably half-written: an export cut off mid-write).
    The file is read in blocks of whole lines (``readers.lines``): a line longer
    than ``ctx.max_line_bytes`` is quarantined with its number and where it
    started, never kept, and the lines after it are read.
    """
    with open(path, "rb") as fh:
        done, ends_with_newline, at_end = 0, True, False

        def read(size: int) -> bytes:
            nonlocal done, ends_with_newline, at_end
            chunk = fh.read(size)
            if chunk:
                done += len(chunk)
                ends_with_newline = chunk.endswith(b"\n")
            else:
                at_end = True
            return chunk

        next_report = _PROGRESS_EVERY
        for item in line_blocks(read, block_bytes=BLOCK_BYTES, max_line=ctx.max_line_bytes):
            if isinstance(item, LongLine):
                yield item.quarantine(ctx.max_line_bytes)
                continue
            first, block = item
            lines = block.split(b"\n")
            if first == 1:
                lines[0] = strip_bom(lines[0])
            # a block handed over after the end of the file ends with the file's last line
            unfinished = len(lines) - 1 if at_end and not ends_with_newline else -1
            for i, line in enumerate(lines):
                number = first + i
                if number >= next_report:
                    ctx.progress(done)
                    next_report += _PROGRESS_EVERY
                body = line.strip()
                if not body:
                    continue
                try:
                    value, repaired = loads_lenient(body)
                except NotJSON as exc:
                    hint = "; the last line has no newline: probably half-written" if i == unfinished else ""
                    yield Quarantine(number, body.decode("utf-8", "replace"), f"not valid JSON ({exc}){hint}")
                    continue
                yield number, body, value, repaired
        ctx.progress(done)


def json_objects(numbers: Iterable[int], lines: Iterable[bytes]) -> Iterator[tuple[int, bytes, dict] | Quarantine]:
    """``(line number, raw line, object)`` for each non-blank line that is a JSON
    object; every other non-blank line becomes a :class:`Quarantine` with the reason.

    The strict (orjson) line-by-line reader the columnar collectors fall back to
    when polars refuses a block.
    """
    for number, line in zip(numbers, lines, strict=True):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Quarantine(number, line.decode("utf-8", "replace"), f"not valid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield Quarantine(number, line.decode("utf-8", "replace"), f"a JSON {type(obj).__name__}, not an object")
            continue
        yield number, line, obj
