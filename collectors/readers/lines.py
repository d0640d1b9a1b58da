"""Lines of a byte stream in blocks, with a cap on the length of one line.

Why a cap. A line is kept whole in memory until its newline comes, so a
stream without newlines is read whole: a 65 KB ``.zst`` expanding to 2 GB of
one line took 184 s and 8.6 GB. No post is anywhere near
:data:`MAX_LINE_BYTES` (a twarc2 page of 100 tweets with its includes is a few
MB); a longer line is not kept but reported as a :class:`LongLine` (its number,
where it started, how long it was), which the format quarantines, and reading
goes on after its end with memory bounded by the block size plus the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dtrack.collectors.records import MAX_LINE_BYTES, Quarantine


@dataclass
class LongLine:
    """A line longer than the cap, skipped: its number, byte offset, length and first bytes."""

    line: int
    offset: int
    length: int
    head: bytes

    def quarantine(self, limit: int = MAX_LINE_BYTES) -> Quarantine:
        """The quarantine record: the line's first bytes, where it started and why it was skipped."""
        return Quarantine(self.line, self.head.decode("utf-8", "replace"),
                          f"line {self.line} (starting at byte {self.offset:,}) is {self.length:,} bytes long, "
                          f"over the limit of {limit:,} bytes for one line (max_line_bytes); skipped "
                          "(a file without line breaks, or a bomb?)")


def line_blocks(read: Callable[[int], bytes], *, block_bytes: int,
                max_line: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes] | LongLine]:
    """``(number of its first line, block)`` for blocks of whole lines (no final newline), and a
    :class:`LongLine` in place of each line longer than ``max_line``. ``read(n)`` gives the next
    bytes (b"" at the end). Memory: a block, plus at most ``max_line`` of an unfinished line."""
    block_bytes = min(block_bytes, max_line)
    pending = b""  # the start of the current line, not ended yet
    long: LongLine | None = None  # the current line, when it is too long to keep
    line_no, start, pos = 1, 0, 0  # the current line's number and offset; bytes read
    while chunk := read(block_bytes):
        base, pos = pos, pos + len(chunk)
        i = 0
        if long is not None:
            nl = chunk.find(b"\n")
            if nl < 0:
                long.length += len(chunk)
                continue
            long.length += nl
            yield long
            long, line_no, i, start = None, line_no + 1, nl + 1, base + nl + 1
        first = chunk.find(b"\n", i)
        if first < 0:
            pending += chunk[i:]
            if len(pending) > max_line:
                long, pending = LongLine(line_no, start, len(pending), pending[:200]), b""
            continue
        if len(pending) + first - i > max_line:  # the line that ends here is too long
            yield LongLine(line_no, start, len(pending) + first - i, (pending + chunk[i:i + 200])[:200])
            pending, line_no, i, start = b"", line_no + 1, first + 1, base + first + 1
        cut = chunk.rfind(b"\n")
        if cut >= i:
            block = pending + chunk[i:cut]
            yield line_no, block
            line_no += block.count(b"\n") + 1
            pending, start = b"", base + cut + 1
            i = cut + 1
        pending += chunk[i:]
    if long is not None:
        yield long
    elif pending:
        yield line_no, pending
