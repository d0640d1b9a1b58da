"""The registry of formats: by name, lazily, plus third-party formats from the ``dtrack.formats`` entry points.

A format module (see ``collectors.records.Format``) is imported only when it
is used (``get_collector``) or asked to sniff a file (``detect``), so listing
the formats (``dtrack ingest --help``) imports none of them, and detecting a
JSON file never loads the CAR or zstandard readers. Each built-in format
declares a *hint* here: a check of a few bytes that is true for every file
its ``sniff`` could accept; ``detect`` imports and asks only the formats
whose hint holds. Order matters: specific formats come before the generic
NDJSON and CSV readers, which accept almost any JSON-lines or delimited file.
Third-party formats (docs/formats.md) come after the built-in specific ones
and before the generic two; a name that is already taken is ignored.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from dtrack.collectors.readers.files import BOM, read_sniff_head
from dtrack.collectors.records import Format

#: The entry-point group third-party formats register under.
ENTRY_POINT_GROUP = "dtrack.formats"
_PACKAGE = "dtrack.collectors.formats"
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class UnknownFormat(ValueError):
    """No format recognises a file, or a format name is not registered."""


# -- hints: cheap checks that never reject a file the format's sniff accepts ---------
def _text(head: bytes) -> bytes:
    return head.removeprefix(BOM).lstrip()


def _archive(path: Path, head: bytes) -> bool:
    return path.is_dir() or head.startswith(_ARCHIVE_MAGIC) or head[257:262] == b"ustar"


def _x_archive(path: Path, head: bytes) -> bool:
    start = head[:512]
    return _archive(path, head) or any(m in start for m in (b"YTD.", b"__THAR_CONFIG", b"Grailbird", b"user_details"))


def _mastodon(path: Path, head: bytes) -> bool:
    return _archive(path, head) or b'"OrderedCollection"' in head


def _starts(*chars: bytes) -> Callable[[Path, bytes], bool]:
    return lambda path, head: _text(head).startswith(chars)


def _bluesky(path: Path, head: bytes) -> bool:
    return b"roots" in head[:4096] or b'"$bytes"' in head


def _reddit(path: Path, head: bytes) -> bool:
    return head.startswith(_ZSTD_MAGIC) or b'"subreddit' in head


def _fivech(path: Path, head: bytes) -> bool:
    return b"<>" in head


def _niconico(path: Path, head: bytes) -> bool:
    text = _text(head)
    return text.startswith(b"[") or (text.startswith(b"{") and b'"threads"' in text)


@dataclass(frozen=True)
class Entry:
    """One registered format: its name, where it lives (``module`` or ``module:attribute``) and its hint."""

    name: str
    target: str
    hint: Callable[[Path, bytes], bool] | None = None


#: The built-in formats, in detection order (most specific first), the generic two last.
BUILTIN: tuple[Entry, ...] = (
    Entry("x_archive", f"{_PACKAGE}.x_archive", _x_archive),
    Entry("mastodon", f"{_PACKAGE}.mastodon", _mastodon),
    Entry("misskey", f"{_PACKAGE}.misskey", _starts(b"[")),
    Entry("twarc", f"{_PACKAGE}.twarc", _starts(b"{")),
    Entry("twitter_v1", f"{_PACKAGE}.twitter_v1", _starts(b"{", b"[")),
    Entry("bluesky", f"{_PACKAGE}.bluesky", _bluesky),
    Entry("reddit", f"{_PACKAGE}.reddit", _reddit),
    Entry("5ch", f"{_PACKAGE}.fivech", _fivech),
    Entry("niconico", f"{_PACKAGE}.niconico", _niconico),
)
GENERIC: tuple[Entry, ...] = (
    Entry("ndjson", f"{_PACKAGE}.ndjson", _starts(b"{")),
    Entry("csv", f"{_PACKAGE}.csvfile", None),
)


#: How long a read of the installed formats is trusted while ``sys.path`` and its folders look unchanged.
THIRD_PARTY_SECONDS = 10.0
_third_party_seen: tuple[tuple[tuple[str, int | None], ...], float, list[Entry]] | None = None


def _path_state() -> tuple[tuple[str, int | None], ...]:
    """Each ``sys.path`` entry with its modification time: installing a distribution adds its
    ``.dist-info`` folder (or a ``.pth`` file) to one of them, which changes that folder's time."""
    state = []
    for entry in sys.path:
        try:
            state.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            state.append((entry, None))
    return tuple(state)


def _third_party() -> list[Entry]:
    """Formats other distributions register under ``dtrack.formats``.

    Reading the entry points opens every installed distribution's metadata: 14 ms here, paid
    twice per source (detection, then the collector), which made a folder of 3,000 one-post
    files spend 60% of its ingest there. The list is kept while ``sys.path`` and the times of
    its folders stay the same, and for at most ``THIRD_PARTY_SECONDS``: a package installed
    while dtrack runs (the scheduler) is still seen, at once where the folder's time changes and
    within seconds where a file system keeps coarse times."""
    from importlib.metadata import entry_points

    global _third_party_seen
    state, now = _path_state(), time.monotonic()
    seen = _third_party_seen
    if seen is not None and seen[0] == state and now - seen[1] < THIRD_PARTY_SECONDS:
        return list(seen[2])
    taken = {e.name for e in (*BUILTIN, *GENERIC)}
    found: list[Entry] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if ep.name not in taken:
            taken.add(ep.name)
            found.append(Entry(ep.name, ep.value, None))
    _third_party_seen = (state, now, found)
    return list(found)


def entries() -> list[Entry]:
    """Every format in detection order."""
    return [*BUILTIN, *_third_party(), *GENERIC]


def names() -> list[str]:
    """Every format name in detection order (imports no format)."""
    return [e.name for e in entries()]


_loaded: dict[str, Format] = {}


def _load(entry: Entry) -> Format:
    fmt = _loaded.get(entry.target)
    if fmt is None:
        module_name, _, attr = entry.target.partition(":")
        module: ModuleType | Any = importlib.import_module(module_name)
        fmt = getattr(module, attr) if attr else module
        missing = [a for a in ("NAME", "VERSION", "sniff", "parse") if not hasattr(fmt, a)]
        if missing:
            raise UnknownFormat(f"format {entry.name!r} ({entry.target}) lacks {', '.join(missing)}")
        _loaded[entry.target] = fmt
    return fmt


def get_collector(name: str) -> Format:
    """The format registered as ``name`` (its module imported now)."""
    for entry in entries():
        if entry.name == name:
            return _load(entry)
    raise UnknownFormat(f"unknown format {name!r}; known formats: {', '.join(names())}")


def detect(path: str | Path) -> str | None:
    """The name of the first format whose ``sniff`` accepts ``path``, judged by
    content (file names only break ties inside a format)."""
    path = Path(path)
    head = read_sniff_head(path)
    for entry in entries():
        try:
            if entry.hint is not None and not entry.hint(path, head):
                continue
            if _load(entry).sniff(path, head):
                return entry.name
        except Exception:  # a sniffer must not take detection down; treat as "no"
            continue
    return None


class Registry(Mapping[str, Format]):
    """``name -> format`` in detection order; a format is imported when it is looked up."""

    def __getitem__(self, name: str) -> Format:
        try:
            return get_collector(name)
        except UnknownFormat:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(names())

    def __contains__(self, name: object) -> bool:
        return name in names()


REGISTRY = Registry()
