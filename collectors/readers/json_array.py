"""Read the items of a JSON array, keeping every good item of a damaged file.

Exports such as X's ``tweets.js``, Mastodon's ``outbox.json`` and Misskey's
notes export hold all posts in one JSON array. One bad byte or a half-written
file makes a whole-document parser throw everything away; here the fast
whole-array parse (orjson) is tried first and, when it fails, the array is
walked item by item (the stdlib's C scanner via ``raw_decode``), so every item
before the damage is kept and the broken rest is quarantined with its item
number, line and the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from dtrack.collectors.readers.json_values import NotJSON, fix_surrogate_escapes, loads_lenient
from dtrack.collectors.records import Notice, Quarantine, SourceError

#: Longest raw text kept for a quarantined rest of a file.
MAX_RAW = 100_000
_WS = re.compile(r"[ \t\r\n]*")
_TRAILER = re.compile(rb"[ \t\r\n;]*\Z")

T = TypeVar("T")
#: (item number, line or None, item)
Item = tuple[int, int | None, Any]


def iter_json_array(data: bytes, *, offset: int = 0, where: str, want_lines: bool = False,
                    number_by: str = "line") -> Iterator[Item | Quarantine | Notice]:
    """The items of the JSON array starting at ``data[offset:]``.

    Yields ``(item_no, line, value)`` (item numbers from 1; ``line`` is the line
    the item starts on, known only when the array had to be walked or
    ``want_lines`` asks for it), then a :class:`Quarantine` for a damaged rest
    or a :class:`Notice` for a missing ``]`` or trailing text (their ``line`` is
    the item number when ``number_by="item"``, for formats that count items). Raises
    :class:`SourceError` when ``data[offset:]`` is not an array at all.
    ``where`` names the file in messages.
    """
    body = data[offset:]
    if not want_lines:
        end = _TRAILER.search(body)
        try:
            value, _ = loads_lenient(body[: end.start()] if end else body)
        except NotJSON:
            pass
        else:
            if not isinstance(value, list):
                raise SourceError(f"{where}: expected a JSON array, found a JSON {type(value).__name__}")
            for i, item in enumerate(value, 1):
                yield i, None, item
            return
    yield from walk_json_array(data, offset=offset, where=where, number_by=number_by)


def walk_json_array(data: bytes, *, offset: int = 0, where: str, number_by: str = "line"
                    ) -> Iterator[Item | Quarantine | Notice]:
    """Item-by-item walk of the array at ``data[offset:]`` with lines (see :func:`iter_json_array`)."""
    fixed = fix_surrogate_escapes(data)
    if fixed != data:
        yield Notice(None, f"{where}: unpaired UTF-16 surrogate escapes were replaced by U+FFFD")
        data = fixed
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "replace")
        yield Notice(None, f"{where}: bytes that are not UTF-8 (first at byte {exc.start}) were replaced by U+FFFD")
    start = len(data[:offset].decode("utf-8", "replace"))
    line = 1 + text.count("\n", 0, start)
    pos = _WS.match(text, start).end()  # type: ignore[union-attr]
    if pos >= len(text) or text[pos] != "[":
        found = text[pos:pos + 20] or "the end of the file"
        raise SourceError(f"{where}: expected a JSON array ('['), found {found!r} on line "
                          f"{line + text.count(chr(10), start, pos)}")
    decoder = json.JSONDecoder()
    by_item = number_by == "item"
    counted = start
    pos += 1
    item = 0
    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            yield Notice(None, f"{where}: the file ends before the array's closing ']' "
                               f"(after {item} items): a half-written or truncated file?")
            return
        if text[pos] == "]":
            rest = text[pos + 1:].strip().lstrip(";").strip()
            if rest:
                line += text.count("\n", counted, pos)
                yield Notice(None if by_item else line,
                             f"{where}: text after the array's closing ']' was ignored: {rest[:40]!r}")
            return
        if item:
            if text[pos] != ",":
                line += text.count("\n", counted, pos)
                yield Quarantine(item + 1 if by_item else line, text[pos:pos + MAX_RAW],
                                 f"{where}: expected ',' or ']' after item {item} on line {line}; "
                                 "the rest of the file was not read")
                return
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if pos < len(text) and text[pos] == "]":  # a trailing comma: tolerated
                continue
        item += 1
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            if not text.rstrip().rstrip(";").rstrip().endswith("]"):
                reason = (f"{where}: the file ends inside item {item} (line {line}): the array is cut off "
                          f"after item {item - 1} (a half-written or truncated file); this item was not read")
            else:
                reason = (f"{where}: item {item} (line {line}) is not valid JSON: {exc.msg} at line "
                          f"{exc.lineno} column {exc.colno}; the rest of the file was not read")
            yield Quarantine(item if by_item else line, text[pos:pos + MAX_RAW], reason)
            return
        yield item, line, value
        pos = end


def map_items(items: Iterable[Item | Quarantine | Notice], fn: Callable[[int, int | None, Any], T | None]
              ) -> Iterator[T | Quarantine | Notice]:
    """``fn(item number, line, item)`` for each item :func:`iter_json_array` yields (None
    results dropped), its Quarantine and Notice records passed on as they come."""
    for rec in items:
        if isinstance(rec, Quarantine | Notice):
            yield rec
            continue
        out = fn(*rec)
        if out is not None:
            yield out
