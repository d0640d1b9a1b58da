"""One fugashi Tagger per process, pinned to unidic-lite, and the text normalisation used for matching.

Why pin the dictionary. fugashi prefers the full ``unidic`` package when both
are installed, and a different dictionary splits words differently; the
tagger is therefore always built from ``unidic_lite.DICDIR`` and its
``dictionary_info`` is recorded with every tagging run.

Why a custom output format. ``Tagger.parse`` with a ``-F`` node format is the
fast way to get tokens out of MeCab (one string, no Python object per token).
unidic-lite's ``dicrc`` sets ``output-format-type = unidic``, which silently
overrides ``-F``, so ``-O ''`` is passed too. The matcher only needs token
boundaries, so the format is the surface alone, one token per line.

Why a "canonical" text. Matching happens on a normalised copy of the post:
NFKC (ＡＩ -> AI, ＃ -> #, half-width ｶﾞ -> ガ, … -> ...), lower case (so Latin
terms match case-insensitively), and whitespace folded (a line break or space
between Japanese characters is layout and is removed, so 無断\\n学習 matches;
between two Latin words it becomes one space, so "novel ai" never turns into
"novelai"). NFKC can change lengths, so :func:`canonical` also returns a map
from every canonical character back to the original text: hits are reported
in offsets of the stored text.
"""

from __future__ import annotations

import os
import re
import shlex
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import fugashi
import unidic_lite

#: Characters treated as whitespace after NFKC (NFKC already turns U+3000, U+00A0,
#: U+2000-U+200A, U+202F and U+205F into a plain space). NUL is here too: MeCab
#: reads C strings and would silently drop everything after it.
WHITESPACE = "\x00\t\n\x0b\x0c\r \x85\u1680\u2028\u2029"
#: The same class as a regex that both Python ``re`` and polars (Rust regex) accept.
WHITESPACE_REGEX = "[" + "".join(f"\\x{{{ord(c):04X}}}" if ord(c) > 0xFF else f"\\x{ord(c):02X}"
                                 for c in WHITESPACE) + "]+"
_WS_RE = re.compile("[" + re.escape(WHITESPACE) + "]+")

_NODE_FORMAT = r"-O '' -F '%m\n' -U '%m\n' -B '' -E ''"


def dictionary_dir() -> str:
    """The unidic-lite dictionary folder (always this one, see the module docstring)."""
    return unidic_lite.DICDIR


def tagger_args() -> str:
    """MeCab arguments: unidic-lite pinned, surface-only output."""
    d = dictionary_dir()
    return f"-d {shlex.quote(d)} -r {shlex.quote(os.path.join(d, 'dicrc'))} {_NODE_FORMAT}"


_TAGGER: tuple[int, fugashi.Tagger] | None = None


def get_tagger() -> fugashi.Tagger:
    """This process's Tagger (a forked worker builds its own: a Tagger cannot be shared or pickled)."""
    global _TAGGER
    pid = os.getpid()
    if _TAGGER is None or _TAGGER[0] != pid:
        _TAGGER = (pid, fugashi.Tagger(tagger_args()))
    return _TAGGER[1]


def versions() -> dict[str, Any]:
    """Versions and dictionary identity recorded with every tagging run."""
    info = get_tagger().dictionary_info
    return {
        "fugashi": metadata.version("fugashi"),
        "unidic_lite": metadata.version("unidic-lite"),
        "dictionary_info": [
            {k: (os.path.basename(v) if k == "filename" else v) for k, v in d.items()} for d in info
        ],
        "dictionary_dir": dictionary_dir(),
    }


def tokens(text: str) -> list[str]:
    """Token surfaces of ``text`` (whitespace is never part of a token)."""
    out = get_tagger().parse(text)
    return [t for t in out.split("\n") if t] if out else []


def token_bounds(text: str) -> tuple[set[int], set[int]]:
    """(token start offsets, token end offsets) of ``text``.

    MeCab's surfaces are exact substrings, so each is found from where the
    previous one ended; skipped whitespace simply lies between two tokens.
    """
    starts: set[int] = set()
    ends: set[int] = set()
    out = get_tagger().parse(text)
    if not out:
        return starts, ends
    pos = 0
    find = text.find
    for tok in out.split("\n"):
        if not tok:
            continue
        j = find(tok, pos)
        if j < 0:  # cannot happen for MeCab output; never misplace a boundary if it does
            continue
        starts.add(j)
        pos = j + len(tok)
        ends.add(pos)
    return starts, ends


def readings(text: str) -> tuple[str, str] | None:
    """(kana, pron) reading of ``text`` in katakana, or None if any token is unknown.

    Used at dictionary load time only (the node API is slow but exact):
    無断学習 -> (ムダンガクシュウ, ムダンガクシュー).
    """
    kana, pron = [], []
    for node in get_tagger()(text):
        feature = node.feature
        k = getattr(feature, "kana", None)
        p = getattr(feature, "pron", None)
        if not k or k == "*":
            return None
        kana.append(k)
        pron.append(p if p and p != "*" else k)
    if not kana:
        return None
    return "".join(kana), "".join(pron)


def katakana_to_hiragana(text: str) -> str:
    """ァ-ヶ -> ぁ-ゖ (ー and other characters unchanged)."""
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


# -- normalisation -------------------------------------------------------------
class _NfkcTable(dict):
    """ord(char) -> NFKC(char), filled on first sight (a ``str.translate`` table)."""

    def __missing__(self, key: int) -> str:
        value = unicodedata.normalize("NFKC", chr(key))
        self[key] = value
        return value


_NFKC = _NfkcTable()


def _is_joiner(c: str) -> bool:
    """Does ``c`` combine with the character before it under NFKC (so both must be normalised together)?"""
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Mc", "Me"):
        return True
    cp = ord(c)
    if 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:  # conjoining Hangul vowels and final consonants
        return True
    folded = _NFKC[cp]
    return bool(folded) and unicodedata.combining(folded[0]) != 0  # e.g. half-width ﾞ -> U+3099


def _is_cjk(c: str) -> bool:
    """Japanese/Chinese characters and CJK punctuation: scripts written without spaces."""
    cp = ord(c)
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


@dataclass(frozen=True, slots=True)
class Canonical:
    """A post's canonical text and, unless it is the identity, the way back to the original.

    ``starts[i]``/``ends[i]`` are the original offsets of the character(s) that
    canonical character ``i`` came from.
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the canonical span [start, end) (end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _fold_segments(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC + lower case segment by segment: a character that composes with its
    predecessor (ｶﾞ, e + U+0301, Hangul jamo) is normalised together with it."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _is_joiner(text[j]):
            j += 1
        seg = unicodedata.normalize("NFKC", text[i:j]).lower()
        pieces.append(seg)
        starts.extend([i] * len(seg))
        ends.extend([j] * len(seg))
        i = j
    return "".join(pieces), starts, ends


def _fold_with_map(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFKC + lower case, with a character map unless it is the identity.

    Fast paths first: ASCII, already-normalised text, and text where
    normalising character by character gives the same result as normalising
    the whole (checked, not assumed); only text with composing characters
    takes the segment-by-segment path.
    """
    if text.isascii():
        return text.lower(), None, None
    if unicodedata.is_normalized("NFKC", text):
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered, None, None
        return _fold_segments(text)
    per_char = text.translate(_NFKC)
    if per_char != unicodedata.normalize("NFKC", text):
        return _fold_segments(text)
    lowered = per_char.lower()
    if len(lowered) != len(per_char):
        return _fold_segments(text)
    if len(per_char) == len(text):  # nothing expanded (no character normalises to nothing)
        return lowered, None, None
    starts: list[int] = []
    ends: list[int] = []
    for i, c in enumerate(text):
        n = len(_NFKC[ord(c)])
        starts.extend([i] * n)
        ends.extend([i + 1] * n)
    return lowered, starts, ends


def canonical(text: str) -> Canonical:
    """The text matching runs on: NFKC, lower case, whitespace folded; with the offset map.

    Whitespace runs (after NFKC) are removed when a neighbour is a CJK
    character or at either end, else replaced by a single space.
    """
    folded, starts, ends = _fold_with_map(text)
    runs = [m.span() for m in _WS_RE.finditer(folded)]
    if not runs:
        return Canonical(folded, starts, ends)
    last = len(folded)
    spaced = [0 < a and b < last and not _is_cjk(folded[a - 1]) and not _is_cjk(folded[b]) for a, b in runs]
    if starts is None and all(s and b - a == 1 and folded[a] == " " for (a, b), s in zip(runs, spaced, strict=True)):
        return Canonical(folded)  # only single spaces between words: nothing to fold
    if starts is None or ends is None:
        starts = list(range(last))
        ends = list(range(1, last + 1))
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for (a, b), space in zip(runs, spaced, strict=True):
        out.append(folded[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        if space:
            out.append(" ")
            new_starts.append(starts[a])
            new_ends.append(ends[a])
        pos = b
    out.append(folded[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return Canonical("".join(out), new_starts, new_ends)


def canonical_form(text: str) -> str:
    """The canonical text alone (for dictionary forms and cue words)."""
    return canonical(text).text


def prefilter_form(text: str) -> str:
    """A form as the pre-filter sees it: canonical with every whitespace character removed."""
    return _WS_RE.sub("", canonical_form(text))
