"""KWIC concordance sorted by the words around the term, as KH Coder sorts it.

Reading 1,000 uses of 無断学習 in date order hides their patterns; sorted by
the word right after the term, 無断学習「禁止」, 無断学習「され」 and
無断学習「対策」 each come together. The words are MeCab tokens (surfaces, as
written) of the whole post, so a context is cut where the tagger cuts it, not
mid-word; punctuation and symbols are skipped (「無断学習」 sorts by the word
outside the brackets).

Order. ``left1`` sorts by the token just before the term, ``left2`` by the one
before that, ``right1``/``right2`` after it. Groups come most frequent first
(the commonest pattern on top), then by the word; ties are broken by the
other side's nearest word, then by date. ``date`` keeps time order.

The sort is a pure function of a KWIC frame (one row per use: ``text``,
``start``, ``end`` in characters, and a time column), so the CLI, the API
and the dashboard share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import polars as pl

SORT_KEYS = ("date", "left1", "left2", "right1", "right2")
#: The context word columns :func:`add_context_words` adds (for n=2), far left to far right.
WORD_COLUMNS = ("left2", "left1", "right1", "right2")
#: Tie-breakers after the chosen key (before the date).
_THEN = {"left1": ("left2",), "left2": ("left1",), "right1": ("right2",), "right2": ("right1",), "date": ()}


def check_sort(by: str) -> str:
    """Return ``by`` if it is a known sort key, else raise ``ValueError``."""
    if by not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, not {by!r}")
    return by


def _is_word(token: str) -> bool:
    return any(not unicodedata.category(c).startswith(("P", "S", "Z", "C")) for c in token)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, surface) of each token, in characters."""
    from dtrack.nlp.tokenizer import get_tagger

    spans = []
    for item in get_tagger().parse(text).split():
        a, _, b = item.partition(",")
        spans.append((int(a), int(b)))
    if text.isascii():
        return [(a, b, text[a:b]) for a, b in spans]
    char_at: dict[int, int] = {}  # UTF-8 byte offset -> character offset
    pos = 0
    for i, c in enumerate(text):
        char_at[pos] = i
        pos += len(c.encode())
    char_at[pos] = len(text)
    out = []
    for a, b in spans:
        if a in char_at and b in char_at:
            out.append((char_at[a], char_at[b], text[char_at[a]:char_at[b]]))
    return out


def context_words(text: str | None, start: int, end: int, n: int = 2) -> tuple[list[str], list[str]]:
    """The ``n`` words before ``text[start:end]`` (nearest first) and the ``n`` after it.

    Examples
    --------
    >>> context_words("AIの無断学習禁止を書いた", 3, 7)
    (['の', 'AI'], ['禁止', 'を'])
    """
    if not text:
        return [], []
    tokens = [t for t in _tokens(text) if _is_word(t[2])]
    left = [s for a, b, s in reversed(tokens) if b <= start][:n]
    right = [s for a, b, s in tokens if a >= end][:n]
    return left, right


def add_context_words(frame: pl.DataFrame, n: int = 2) -> pl.DataFrame:
    """``frame`` with ``left1``..``leftN`` and ``right1``..``rightN`` (null where the post ends)."""
    lefts: list[list[str | None]] = [[] for _ in range(n)]
    rights: list[list[str | None]] = [[] for _ in range(n)]
    for text, start, end in frame.select("text", "start", "end").iter_rows():
        left, right = context_words(text, start or 0, end or 0, n)
        for k in range(n):
            lefts[k].append(left[k] if k < len(left) else None)
            rights[k].append(right[k] if k < len(right) else None)
    return frame.with_columns(
        [pl.Series(f"left{k + 1}", lefts[k], dtype=pl.String) for k in range(n)]
        + [pl.Series(f"right{k + 1}", rights[k], dtype=pl.String) for k in range(n)]
    )


def sort_kwic(frame: pl.DataFrame, by: str = "date", *, time_column: str | None = None) -> pl.DataFrame:
    """Sort KWIC rows by the word at ``by`` (see the module docstring); adds the context word columns.

    Examples
    --------
    >>> kwic = pl.DataFrame({"time": [1, 2, 3], "start": [0, 0, 0], "end": [4, 4, 4],
    ...     "text": ["無断学習された", "無断学習禁止", "無断学習禁止です"]})
    >>> sort_kwic(kwic, "right1").get_column("right1").to_list()
    ['禁止', '禁止', 'さ']
    """
    check_sort(by)
    time_column = time_column or next((c for c in ("created_at", "time") if c in frame.columns), None)
    framed = add_context_words(frame)
    order: list[str] = []
    if by != "date":
        framed = framed.with_columns(_freq=pl.when(pl.col(by).is_null()).then(0).otherwise(pl.len().over(by)))
        keys = [by, *_THEN[by]]
        framed = framed.sort(
            ["_freq", *keys, *([time_column] if time_column else [])],
            descending=[True] + [False] * (len(keys) + (1 if time_column else 0)),
            nulls_last=True, maintain_order=True,
        ).drop("_freq")
        return framed
    if time_column:
        order.append(time_column)
    return framed.sort(order, maintain_order=True) if order else framed


def sort_keys_help(keys: Sequence[str] = SORT_KEYS) -> str:
    """The sort keys for a help text."""
    return "|".join(keys)
