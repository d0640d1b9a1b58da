"""Reading JSON documents and JSON lines the way Twitter tools wrote them.

Both Twitter collectors (twarc2 and API v1.1) read one JSON value a line,
and v1.1 exports also come as one JSON document. Two things in those files
break a strict parser and must not cost the researcher a page of tweets:

* Twitter cut long texts at a fixed number of UTF-16 code units, so a text
  can end in half an emoji: a lone surrogate escape (``"\\ud83d…"``), which
  orjson (rightly) rejects and no UTF-8 store can hold;
* a byte or two of broken UTF-8 in an otherwise sound line.

:func:`loads_lenient` tries orjson first (fast, exact) and only on failure
re-reads the value with the standard library, replacing lone surrogates and
undecodable bytes with U+FFFD; the caller marks such posts as repaired. A
line that is not JSON at all is still rejected, with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from dtrack.collectors.base import ParseContext, Quarantine

#: Report progress every this many lines.
_PROGRESS_EVERY = 2_000
_BOM = b"\xef\xbb\xbf"


class NotJSON(ValueError):
    """A value that neither orjson nor the lenient reader can parse."""


def fix_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [fix_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {fix_surrogates(k): fix_surrogates(v) for k, v in value.items()}
    return value


def loads_lenient(raw: bytes) -> tuple[Any, bool]:
    """Parse one JSON value; returns (value, repaired).

    ``repaired`` is True when the value was only readable after replacing
    lone surrogates or undecodable bytes with U+FFFD. Raises :class:`NotJSON`
    (with orjson's message) when it is not JSON at all.
    """
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError as exc:
        first = exc
    try:
        value = json.loads(raw.decode("utf-8", "replace"))
        return fix_surrogates(value), True
    except (ValueError, RecursionError):
        raise NotJSON(str(first)) from None


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
                line = line.removeprefix(_BOM)
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


def first_value(head: bytes) -> tuple[Any, bool]:
    """The first JSON value of a sniffed head: (value, complete).

    ``complete`` is False when the first line did not fit in ``head`` (or is
    not JSON); then the value is None and the sniffer must judge by markers.
    """
    text = head.removeprefix(_BOM).lstrip()
    line, sep, _ = text.partition(b"\n")
    if not sep and len(head) >= 64 * 1024:
        return None, False
    try:
        return orjson.loads(line), True
    except orjson.JSONDecodeError:
        try:
            return loads_lenient(line)[0], True
        except NotJSON:
            return None, False


def dumps(value: Any) -> str:
    """A compact JSON string of ``value`` (for quarantined raw records)."""
    try:
        return orjson.dumps(value, default=str).decode()
    except (TypeError, orjson.JSONEncodeError):
        try:
            return repr(value)[:100_000]
        except RecursionError:
            return f"<a {type(value).__name__} nested too deeply to print>"
