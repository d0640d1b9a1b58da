"""The one lenient JSON reader, the one surrogate fix and the one raw-record writer.

Exports break a strict JSON parser in two ways that must not cost the
researcher a page of posts:

* Twitter (and JavaScript exports generally) cut long texts at a fixed number
  of UTF-16 code units, so a text can end in half an emoji: a lone surrogate
  escape (``"\\ud83d…"``), which orjson (rightly) rejects and no UTF-8 store
  can hold;
* a byte or two of broken UTF-8 in an otherwise sound value.

:func:`loads_lenient` tries orjson first (fast, exact); only on failure does it
replace unpaired surrogate escapes and undecodable bytes with U+FFFD and try
again, then fall back to the standard library (which also reads what orjson
refuses by design, such as integers wider than 64 bits). The caller learns
whether the value was repaired. A value that is not JSON at all raises
:class:`NotJSON`, with orjson's message and position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

from dtrack.collectors.readers.files import BOM

#: A \uD8xx escape without its low half, or a \uDCxx without its high half:
#: JavaScript writes them, orjson refuses them, Parquet cannot store them.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class NotJSON(ValueError):
    """A value that neither orjson nor the lenient reader can parse.

    ``msg``, ``lineno`` and ``colno`` say where orjson gave up (1-based)."""

    def __init__(self, msg: str, lineno: int = 1, colno: int = 1) -> None:
        super().__init__(f"{msg}: line {lineno} column {colno}")
        self.msg, self.lineno, self.colno = msg, lineno, colno


def fix_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings replaced by U+FFFD
    (strings, and the keys and items of dicts and lists, recursively)."""
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


def fix_surrogate_escapes(data: bytes) -> bytes:
    """JSON text with each unpaired surrogate *escape* replaced by ``\\ufffd`` (pairs
    such as ``\\ud83c\\udfa8``, one emoji, are left alone): the same fix as
    :func:`fix_surrogates`, applied before parsing so that the fast parser can read it."""
    return _LONE_SURROGATE.sub(rb"\\ufffd", data)


def loads_lenient(raw: bytes) -> tuple[Any, bool]:
    """Parse one JSON value; returns ``(value, repaired)``.

    ``repaired`` is True when the value was only readable after replacing
    lone surrogates or undecodable bytes with U+FFFD (or by the standard
    library). Raises :class:`NotJSON` when it is not JSON at all.
    """
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError as exc:
        first = exc
    fixed = fix_surrogate_escapes(raw)
    try:
        fixed.decode("utf-8")
    except UnicodeDecodeError:
        fixed = fixed.decode("utf-8", "replace").encode("utf-8")
    if fixed != raw:
        try:
            return orjson.loads(fixed), True
        except orjson.JSONDecodeError:
            pass
    try:
        return fix_surrogates(json.loads(raw.decode("utf-8", "replace"))), True
    except (ValueError, RecursionError):
        raise NotJSON(first.msg, first.lineno, first.colno) from None


def dumps_raw(value: Any) -> str:
    """``value`` as compact JSON text, for a quarantined record or an ``extra`` column,
    whatever it holds: orjson refuses integers beyond 64 bits (the stdlib writes
    them) and anything too deep to print gets a placeholder."""
    try:
        return orjson.dumps(value, default=str).decode()
    except (TypeError, orjson.JSONEncodeError):
        try:
            return json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            try:
                return repr(value)[:100_000]
            except RecursionError:
                return f"<a {type(value).__name__} nested too deeply to print>"


def first_value(head: bytes) -> tuple[Any, bool]:
    """The JSON value on the first line of a sniffed head: (value, complete).

    ``complete`` is False when the first line did not fit in ``head`` (or is
    not JSON); then the value is None and the sniffer must judge by markers.
    """
    text = head.removeprefix(BOM).lstrip()
    line = text.partition(b"\n")[0]  # a line cut off by the head is not JSON: judged by markers
    try:
        return loads_lenient(line)[0], True
    except NotJSON:
        return None, False


def sniff_json(head: bytes, judge: Callable[[Any], bool], by_markers: Callable[[bytes], bool]) -> bool:
    """How every JSON-lines or JSON-document format sniffs: ``judge`` the first value when
    ``head`` holds it whole, else look for ``by_markers`` in the first bytes (BOM and
    leading blanks removed). False for an empty head."""
    if not head:
        return False
    value, complete = first_value(head)
    if complete:
        return judge(value)
    return by_markers(head.removeprefix(BOM).lstrip())
