"""Opening a source: its first bytes for sniffing, the byte-order mark, the size limit.

Every format reads its files through these, so a UTF-8 BOM (Excel and some
Windows tools write one) never breaks a first line, and no file bigger than
``ctx.max_member_bytes`` is ever read whole into memory, whatever the format.
"""

from __future__ import annotations

from pathlib import Path

from dtrack.collectors.records import MAX_LINE_BYTES, SourceError

BOM = b"\xef\xbb\xbf"
#: How many bytes of a file ``detect`` hands to each ``sniff``.
SNIFF_BYTES = 64 * 1024


def strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte-order mark."""
    return data.removeprefix(BOM)


def read_head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of a file, or b"" for a folder or an unreadable file."""
    if path.is_dir():
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def read_sniff_head(path: Path, max_line: int = MAX_LINE_BYTES) -> bytes:
    """What ``detect`` hands to each ``sniff``: the first :data:`SNIFF_BYTES`, or, when they
    are the start of one JSON object with no line break yet (a twarc2 page of 100 tweets
    with its includes is often longer), the whole first line up to ``max_line`` bytes, so
    that the JSON-lines sniffers judge the complete first value rather than its first
    bytes. A line longer than the cap stays cut (the sniffers then judge it by its keys)."""
    head = read_head(path)
    if len(head) < SNIFF_BYTES or b"\n" in head or not strip_bom(head).lstrip().startswith(b"{"):
        return head
    parts = [head]
    size = len(head)
    try:
        with open(path, "rb") as fh:
            fh.seek(size)
            while size < max_line and (chunk := fh.read(min(1024 * 1024, max_line - size))):
                nl = chunk.find(b"\n")
                parts.append(chunk if nl < 0 else chunk[:nl + 1])
                size += len(parts[-1])
                if nl >= 0:
                    break
    except OSError:
        return head
    return b"".join(parts)


def check_size(path: Path, limit: int, what: str = "a file", hint: str = "") -> int:
    """The size of ``path``; :class:`SourceError` when it is over ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise SourceError(f"{what} of {size:,} bytes is over the limit of {limit:,} bytes for one file "
                          f"(max_member_bytes){'; ' + hint if hint else ''}")
    return size


def read_whole(path: Path, limit: int, what: str = "a file", hint: str = "") -> bytes:
    """The whole file, BOM removed; refused (:class:`SourceError`) past ``limit`` bytes."""
    check_size(path, limit, what, hint)
    return strip_bom(path.read_bytes())
