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
from dtrack.collectors.records import ParseContext, Quarantine

#: Report progress every this many lines.
_PROGRESS_EVERY = 2_000


def json_lines(path: Path, ctx: ParseContext) -> Iterator[tuple[int, bytes, Any, bool] | Quarantine]:
    """``(line number, raw line, value, repaired)`` for every non-blank line of ``path``.

    A line that is not JSON becomes a :class:`Quarantine` (a last line without
    its newline is named as probably half-written: an export cut off mid-write).
    """
    done = 0
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            done += len(line)
            if number == 1:
                line = strip_bom(line)
            complete = line.endswith(b"\n")
            body = line.strip()
            if number % _PROGRESS_EVERY == 0:
                ctx.progress(done)
            if not body:
                continue
            try:
                value, repaired = loads_lenient(body)
            except NotJSON as exc:
                hint = "; the last line has no newline: probably half-written" if not complete else ""
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
