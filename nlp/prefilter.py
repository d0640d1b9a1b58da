"""The polars pre-filter: which posts can contain a term at all.

Tokenising is the slow step (tens of thousands of posts per second), a polars
``str.contains_any`` runs at millions, so only posts that pass this filter
are tokenised. It must never drop a post in which the matcher would find a
term; here is why it does not.

The full path. A hit needs one of the term's canonical forms to occur in the
post's canonical text (NFKC, lower case, whitespace folded; see
``nlp.tokenizer.canonical``). :func:`prefilter_text` normalises the text the
same way in polars and removes *every* whitespace character, and the
patterns are the forms with whitespace removed: deleting the same characters
from a string and from a substring of it keeps it a substring. The two
normalisations agree (checked on generated text in tests/nlp/test_prefilter.py);
where they could differ (Greek final sigma; characters newer than Python's
Unicode tables, which polars may normalise and Python not) the differing
characters never occur in a form.

The cheap path. NFKC and lower-casing cost more than the search itself, and
most posts do not need them. Each pattern is cut to its longest "piece"
without ASCII punctuation, spaces, ``w`` or ``ー`` (so the common ！, …, ｗｗ,
（ ） cannot matter, nor a dash that becomes ー between katakana), and Σ is
the set of characters in the pieces. A character *matters* if normalising it
can yield a character of Σ (ＡＩ -> ai, ｶ -> カ), or if it can combine with its
neighbour (combining marks such as the kana voicing mark, Hangul jamo). In a post without such characters every run of Σ
characters of the normalised text is, up to ASCII case, a run of the post
itself once whitespace (and characters that normalise to whitespace, such as
U+3000) is removed: so searching the raw text for the pieces, ignoring ASCII
case and allowing whitespace between their characters, passes every post the
full path would. Posts with a character that matters take the full path.

Both tests of the first pass are one regex (``a character that matters |
piece | piece ...``): a single scan of the text, on both cores via the lazy
API. Only the few posts it passes are looked at again.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import polars as pl

from dtrack.nlp.tokenizer import DASH_REGEX, WHITESPACE, WHITESPACE_REGEX

#: Blocks without any character that NFKC or lower-casing changes (CJK
#: ideographs, Hangul syllables, private use): not scanned.
_STABLE_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xD800, 0xDFFF), (0xE000, 0xF8FF),
                  (0x20000, 0x2F7FF))
#: Code points beyond this are not scanned and always take the full path.
_SCAN_END = 0x30000
#: Characters with combining class 0 that are the second half of a canonical
#: composition (a fixed set: Unicode does not add new compositions).
_COMPOSING_STARTERS = (0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E,
                       0x0D57, 0x0DCF, 0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357, 0x114B0,
                       0x114BA, 0x114BD, 0x115AF, 0x11930, *range(0x1161, 0x1176), *range(0x11A8, 0x11C3))
#: Up to this many characters in all pieces the first pass is one regex, beyond it contains_any.
MAX_REGEX_CHARS = 5_000
#: ASCII characters (besides letters and digits), ``w`` and ``ー`` (which a dash between
#: katakana becomes) are cut out of pieces.
_NOISY = frozenset(chr(c) for c in range(0x80) if not chr(c).isalnum()) | {"w", "ー"}


def prefilter_text(column: str = "text") -> pl.Expr:
    """The text as the full path compares it: NFKC, lower case, no whitespace, dashes between
    katakana as ー (twice: Rust regex has no look-around, see ``nlp.tokenizer.DASH_REGEX``)."""
    text = pl.col(column).str.normalize("NFKC").str.to_lowercase().str.replace_all(WHITESPACE_REGEX, "")
    return text.str.replace_all(DASH_REGEX, "${1}ー${2}").str.replace_all(DASH_REGEX, "${1}ー${2}")


def prefilter_expr(patterns: list[str], column: str = "text") -> pl.Expr:
    """The full path: True for posts whose normalised text contains a pattern."""
    if not patterns:
        return pl.lit(False)
    return prefilter_text(column).str.contains_any(patterns)


@functools.cache
def _changing_characters() -> tuple[dict[int, str], tuple[int, ...]]:
    """(code point -> NFKC + lower of it, for every scanned character that changes;
    code points that combine with a neighbour). Built once per process (a few ms)."""
    changed: dict[int, str] = {}
    combining: list[int] = list(_COMPOSING_STARTERS)
    normalized = unicodedata.is_normalized
    start = 0
    for lo, hi in (*_STABLE_BLOCKS, (_SCAN_END, _SCAN_END)):
        for cp in range(start, lo):
            c = chr(cp)
            if unicodedata.combining(c):
                combining.append(cp)
            if not normalized("NFKC", c) or c.lower() != c:
                changed[cp] = unicodedata.normalize("NFKC", c).lower()
        start = hi + 1
    return changed, tuple(combining)


def _char_class(code_points: Iterable[int], extra: str = "") -> str:
    """A regex character class (Rust syntax) of the code points as ranges, plus ``extra`` ranges."""
    points = sorted(set(code_points))
    parts = [extra] if extra else []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = points[i], points[j]
        parts.append(f"\\x{{{lo:X}}}" if lo == hi else f"\\x{{{lo:X}}}-\\x{{{hi:X}}}")
        i = j + 1
    return "[" + "".join(parts) + "]" if parts else "[^\\x{0}-\\x{10FFFF}]"


def _piece(pattern: str) -> str:
    """The longest run of ``pattern`` without noisy characters (the whole pattern if none)."""
    runs = [r for r in re.split("[" + re.escape("".join(sorted(_NOISY))) + "]+", pattern) if r]
    return max(runs, key=len) if runs else pattern


class Prefilter:
    """The pre-filter for one dictionary's forms (see the module docstring)."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.patterns = sorted({f.replace(" ", "") for f in forms if f.strip()})
        self.pieces = sorted({_piece(p) for p in self.patterns})
        sigma = set("".join(self.pieces))
        changed, combining = _changing_characters()
        matters: list[int] = list(combining)
        blank: list[int] = [ord(c) for c in WHITESPACE]
        for cp, image in changed.items():
            rest = "".join(c for c in image if c not in WHITESPACE)
            if not rest:
                blank.append(cp)
            elif not (0x41 <= cp <= 0x5A) and not sigma.isdisjoint(rest):
                matters.append(cp)
        #: a post with any of these takes the full path
        self.matters_regex = _char_class(matters, extra=f"\\x{{{_SCAN_END:X}}}-\\x{{10FFFF}}")
        #: removed from the raw text on the cheap path (whitespace and what NFKC turns into it)
        self.blank_regex = _char_class(blank) + "+"
        self._regex_ok = True

    def cheap_regex(self) -> str | None:
        """One regex for the first pass: a character that matters, or a piece (case-insensitive,
        whitespace allowed between its characters). None when the dictionary is too big for one regex."""
        if sum(map(len, self.pieces)) > MAX_REGEX_CHARS:
            return None
        blank = self.blank_regex[:-1] + "*"
        ordered = sorted(self.pieces, key=len, reverse=True)
        # (?i) folds more than ASCII case: that only lets more posts through
        pieces = "|".join(blank.join(re.escape(ch) for ch in piece) for piece in ordered)
        return f"{self.matters_regex}|(?i:{pieces})"

    def candidates(self, posts: pl.DataFrame | pl.LazyFrame, column: str = "text") -> pl.DataFrame:
        """The rows of ``posts`` that may contain a term, in their original order.

        One pass over every post finds those with a piece or a character that
        matters; of these, the latter are normalised fully and searched again.
        """
        lazy = posts.lazy()
        if not self.patterns:
            return lazy.clear().collect()
        text = pl.col(column)
        fallback = text.str.contains(self.matters_regex) | text.str.replace_all(self.blank_regex, "") \
            .str.contains_any(self.pieces, ascii_case_insensitive=True)
        regex = self.cheap_regex() if self._regex_ok else None
        try:
            first = lazy.filter(text.str.contains(regex) if regex else fallback).collect()
        except pl.exceptions.ComputeError:  # the regex is over the size limit: a big dictionary
            self._regex_ok = False
            first = lazy.filter(fallback).collect()
        first = first.with_row_index("_row")
        careful = first.get_column(column).str.contains(self.matters_regex)
        checked = first.filter(careful).filter(prefilter_expr(self.patterns, column))
        return pl.concat([first.filter(~careful), checked]).sort("_row").drop("_row")
