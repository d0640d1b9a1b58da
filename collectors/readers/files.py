"""Opening a source: its first bytes for sniffing, the byte-order mark, the size limit.

Every format reads its files through these, so a UTF-8 BOM (Excel and some
Windows tools write one) never breaks a first line, and no file bigger than
``ctx.max_member_bytes`` is ever read whole into memory, whatever the format.
"""

from __future__ import annotations

from pathlib import Path

from dtrack.collectors.records import SourceError

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
