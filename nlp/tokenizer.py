"""One fugashi Tagger per process, pinned to unidic-lite, and the text normalisation used for matching.

Why pin the dictionary. fugashi prefers the full ``unidic`` package when both
are installed, and a different dictionary splits words differently; the
tagger is therefore always built from ``unidic_lite.DICDIR`` and its
``dictionary_info`` is recorded with every tagging run.

Why a custom output format. ``Tagger.parse`` with a ``-F`` node format is the
fast way to get tokens out of MeCab (one string, no Python object per token).
unidic-lite's ``dicrc`` sets ``output-format-type = unidic``, which silently
overrides ``-F``, so ``-O ''`` is passed too. The matcher only needs token
boundaries, so the format is each token's start and end offsets in UTF-8
bytes (`` %ps,%pe``): one short string per post, answered by substring tests
without splitting it into a Python object per token.

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

import bisect
import functools
import os
import re
import shlex
import unicodedata
from importlib import metadata
from typing import Any

import fugashi
import unidic_lite

#: Characters treated as whitespace after NFKC (NFKC already turns U+3000, U+00A0,
#: U+2000-U+200A, U+202F and U+205F into a plain space). NUL is here too: MeCab
#: reads C strings and would silently drop everything after it. So are the
#: invisible zero-width space, word joiner and BOM, which people slip into a
#: word to dodge search (無\u200b断学習).
WHITESPACE = "\x00\t\n\x0b\x0c\r \x85\u1680\u200b\u2028\u2029\u2060\ufeff"
#: The same class in Rust regex syntax, for polars.
WHITESPACE_REGEX = "[" + "".join(f"\\x{{{ord(c):04X}}}" if ord(c) > 0xFF else f"\\x{ord(c):02X}"
                                 for c in WHITESPACE) + "]+"
_WS_RE = re.compile("[" + re.escape(WHITESPACE) + "]+")

#: Dashes and tildes people type for the long-vowel mark (ステ-ブル, ミッドジャ～ニー), as they
#: are after NFKC (－ -> -, ～ -> ~); between two katakana they become ー.
DASHES = "-~\u2010\u2012\u2013\u2014\u2015\u2212\u301c"
_KATAKANA = "\u30a1-\u30fa"
_DASH_RE = re.compile(f"[{re.escape(DASHES)}](?<=[{_KATAKANA}\u30fc][{re.escape(DASHES)}])(?=[{_KATAKANA}])")
#: The same rule without look-around (Rust regex): ``$1ー$2``, applied twice so that
#: dashes one character apart (ス-テ-ブ) are both replaced.
DASH_REGEX = ("([\\x{30A1}-\\x{30FA}\\x{30FC}])["
              + "".join(f"\\x{{{ord(c):X}}}" for c in DASHES)
              + "]([\\x{30A1}-\\x{30FA}])")

#: Node format: " start,end" byte offsets of every token.
_NODE_FORMAT = r"-O '' -F ' %ps,%pe' -U ' %ps,%pe' -B '' -E ''"


def dictionary_dir() -> str:
    """The unidic-lite dictionary folder (always this one, see the module docstring)."""
    return unidic_lite.DICDIR


def tagger_args(node_format: str = _NODE_FORMAT) -> str:
    """MeCab arguments: unidic-lite pinned, ``node_format`` as output (default: token byte offsets)."""
    d = dictionary_dir()
    return f"-d {shlex.quote(d)} -r {shlex.quote(os.path.join(d, 'dicrc'))} {node_format}"


#: This process's Taggers by output format (and the pid that built them: a forked worker builds its own).
_TAGGERS: dict[str, tuple[int, fugashi.Tagger]] = {}


def get_tagger(node_format: str = _NODE_FORMAT) -> fugashi.Tagger:
    """This process's Tagger for an output format (a Tagger cannot be shared with a fork or pickled).

    The matcher's format (token offsets) is the default; candidate extraction
    (nlp/candidates.py) asks for its own format and gets its own, built once.
    """
    pid = os.getpid()
    built = _TAGGERS.get(node_format)
    if built is None or built[0] != pid:
        built = _TAGGERS[node_format] = (pid, fugashi.Tagger(tagger_args(node_format)))
    return built[1]


#: Node format for word lists: "pos1 TAB pos2 TAB lemma TAB surface TAB orthBase" per token;
#: unknown words (AI, mimic) have no lemma and no base form and print empty ones.
WORD_FORMAT = r"-O '' -F '%f[0]\t%f[1]\t%f[7]\t%m\t%f[10]\n' -U '%f[0]\t%f[1]\t\t%m\t\n' -B '' -E ''"
_WORD_TAGGER: tuple[int, fugashi.Tagger] | None = None


def get_word_tagger() -> fugashi.Tagger:
    """This process's Tagger for part-of-speech and lemma output (see ``nlp.lemmas``).

    A second Tagger because MeCab's output format is fixed when it is built;
    both map the same dictionary files, so the second costs under a
    millisecond and no memory to speak of.
    """
    global _WORD_TAGGER
    pid = os.getpid()
    if _WORD_TAGGER is None or _WORD_TAGGER[0] != pid:
        d = dictionary_dir()
        _WORD_TAGGER = (pid, fugashi.Tagger(
            f"-d {shlex.quote(d)} -r {shlex.quote(os.path.join(d, 'dicrc'))} {WORD_FORMAT}"))
    return _WORD_TAGGER[1]


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
    """Token surfaces of ``text`` (node API: slow, for tests and debugging)."""
    return [node.surface for node in get_tagger()(text)]


_PARSE: tuple[int, Any] | None = None


def offsets_parser() -> Any:
    """This process's ``parse`` of the offsets Tagger (see :class:`Boundaries`), looked up once per
    process rather than once per post."""
    global _PARSE
    pid = os.getpid()
    if _PARSE is None or _PARSE[0] != pid:
        _PARSE = (pid, get_tagger().parse)
    return _PARSE[1]


class Boundaries:
    """Token boundaries of a text, answering "does a token start/end here?".

    The tagger writes " start,end" (UTF-8 byte offsets) for every token; a
    question is a substring test on that string, so nothing is built per
    token. Character offsets are turned into byte offsets only for the few
    positions asked about. ``parse``: :func:`offsets_parser` (passed in by a
    caller that tokenises many texts).
    """

    __slots__ = ("_ascii", "_offsets", "text")

    def __init__(self, text: str, parse: Any = None) -> None:
        self.text = text
        self._ascii = text.isascii()
        # the output is " s,e s,e ...": one space in front of every token, nothing after the last
        self._offsets = ((parse or offsets_parser())(text) if text else "") + " "

    def is_start(self, pos: int) -> bool:
        """Does a token start at character offset ``pos``?"""
        return f" {pos if self._ascii else len(self.text[:pos].encode())}," in self._offsets

    def is_end(self, pos: int) -> bool:
        """Does a token end at character offset ``pos`` (exclusive)?"""
        return f",{pos if self._ascii else len(self.text[:pos].encode())} " in self._offsets


def _word_readings(text: str) -> list[tuple[str, str]] | None:
    """(kana, pron) of each word of ``text`` in katakana, or None if any word is unknown."""
    out = []
    for node in get_tagger()(text):
        feature = node.feature
        k = getattr(feature, "kana", None)
        p = getattr(feature, "pron", None)
        if not k or k == "*":
            return None
        out.append((k, p if p and p != "*" else k))
    return out


def readings(text: str) -> tuple[str, str] | None:
    """(kana, pron) reading of ``text`` in katakana, or None if any token is unknown.

    Used at dictionary load time only (the node API is slow but exact):
    無断学習 -> (ムダンガクシュウ, ムダンガクシュー).
    """
    words = _word_readings(text)
    if not words:
        return None
    return "".join(k for k, _ in words), "".join(p for _, p in words)


def reading_pieces(text: str) -> list[str] | None:
    """Katakana reading of each word of ``text`` (kana and pronunciation forms), or None if a word
    is unknown: 無断学習 -> [ムダン, ガクシュウ, ガクシュー]. Lets the matcher cut kana written together
    (ムダンガクシュウキンシ) where the words meet."""
    words = _word_readings(text)
    if words is None:
        return None
    return list(dict.fromkeys(r for pair in words for r in pair))


def hiragana_to_katakana(text: str) -> str:
    """ぁ-ゖ -> ァ-ヶ (other characters unchanged)."""
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


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


@functools.cache
def _changing_points() -> tuple[int, ...]:
    """The BMP code points whose NFKC differs from them (the native matcher keeps them as a bitmap)."""
    return tuple(cp for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF
                 and not unicodedata.is_normalized("NFKC", chr(cp)))


@functools.cache
def _changing() -> re.Pattern[str]:
    """A regex finding the characters whose NFKC differs from them (every astral character too: the
    class stays a bitmap). Built once per process (a few ms)."""
    return _char_class(list(_changing_points()))


def _char_class(points: list[int]) -> re.Pattern[str]:
    """A regex matching one of the (BMP) code points or any astral character."""
    ranges: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        ranges.append(re.escape(chr(points[i])) + (f"-{re.escape(chr(points[j]))}" if j > i else ""))
        i = j + 1
    return re.compile("[" + "".join(ranges) + "\\U00010000-\\U0010ffff]")


def prepare() -> None:
    """Build this process's lookup tables now: called before forking tagging workers, which then share
    them instead of each building its own."""
    _changing()
    _lengthening()


def _nfkc_char(m: re.Match[str]) -> str:
    return _NFKC[ord(m.group())]


def _nfkc_each(text: str) -> str:
    """``text.translate(_NFKC)`` (every character NFKC-normalised on its own), in about half the time:
    only the characters that change are looked up."""
    return _changing().sub(_nfkc_char, text)


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


@functools.cache
def _lengthening() -> re.Pattern[str]:
    """A regex finding the characters NFKC makes longer (… -> ..., ㍻ -> 平成; every astral character
    too, checked one by one: the class stays a bitmap)."""
    return _char_class([cp for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF
                        and not unicodedata.is_normalized("NFKC", chr(cp))
                        and len(unicodedata.normalize("NFKC", chr(cp))) > 1])


def _expansions(text: str) -> list[tuple[int, int]]:
    """(offset, how many characters longer NFKC makes it) of each character of ``text`` that NFKC makes
    longer: all it takes to map offsets of the NFKC text back."""
    out = []
    for m in _lengthening().finditer(text):
        extra = len(_NFKC[ord(m.group())]) - 1
        if extra > 0:
            out.append((m.start(), extra))
    return out


class Canonical:
    """A post's canonical text and the way back to offsets in the original.

    Two steps can change offsets: NFKC (… -> ..., ｶﾞ -> ガ) and whitespace
    folding. The first is kept as the few characters NFKC made longer (found
    on first use) or, after the rare segment-wise path, explicit
    ``starts``/``ends`` lists; the second as a short list of shifts, one per
    folded whitespace run.
    """

    __slots__ = ("_ends", "_marks", "_original_text", "_shift_at", "_shifts", "_starts", "text")

    def __init__(self, text: str, *, original: str | None = None, starts: list[int] | None = None,
                 ends: list[int] | None = None, shift_at: list[int] | None = None,
                 shifts: list[int] | None = None) -> None:
        self.text = text
        self._original_text = original  # set when NFKC changed lengths; marks are made on first use
        self._marks: list[tuple[int, int]] | None = None
        self._starts = starts
        self._ends = ends
        self._shift_at = shift_at or []
        self._shifts = shifts or []

    def _folded(self, pos: int) -> int:
        """Canonical offset -> offset in the NFKC text before whitespace folding."""
        k = bisect.bisect_right(self._shift_at, pos)
        return pos + (self._shifts[k - 1] if k else 0)

    def _original(self, folded: int) -> tuple[int, int]:
        """[start, end) in the original text of the character(s) a normalised character came from."""
        if self._starts is not None and self._ends is not None:
            return self._starts[folded], self._ends[folded]
        if self._original_text is not None:
            if self._marks is None:
                self._marks = _expansions(self._original_text)
            shift = 0  # normalised characters so far beyond one per original character
            for j, extra in self._marks:
                if j + shift > folded:
                    break
                if folded <= j + shift + extra:  # one of the characters original character j became
                    return j, j + 1
                shift += extra
            i = min(folded - shift, len(self._original_text) - 1)
            return i, i + 1
        return folded, folded + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the canonical span [start, end) (end > start)."""
        if self._starts is None and self._original_text is None and not self._shift_at:
            return start, end  # nothing changed length
        return self._original(self._folded(start))[0], self._original(self._folded(end - 1))[1]


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


def _fold(text: str) -> tuple[str, dict[str, Any]]:
    """NFKC + lower case, with what :class:`Canonical` needs to map offsets back.

    Fast paths first: ASCII, already-normalised text, and text whose
    character-by-character normalisation is already normalised as a whole
    (then it equals NFKC of the whole text: NFKC(text) == NFKC(per-character
    NFKC)). Only text with composing characters takes the segment path.
    """
    if text.isascii():
        return text.lower(), {}
    if unicodedata.is_normalized("NFKC", text):
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered, {}
    else:
        per_char = _nfkc_each(text)
        if unicodedata.is_normalized("NFKC", per_char):
            lowered = per_char.lower()
            if len(lowered) == len(per_char):
                if len(per_char) == len(text):
                    return lowered, {}
                return lowered, {"original": text}
    folded, starts, ends = _fold_segments(text)
    return folded, {"starts": starts, "ends": ends}


def canonical(text: str) -> Canonical:
    """The text matching runs on: NFKC, lower case, whitespace folded; with the offset map.

    Whitespace runs (after NFKC) are removed when a neighbour is a CJK
    character or at either end, else replaced by a single space.
    """
    folded, maps = _fold(text)
    if not _WS_RE.search(folded):
        return Canonical(_fold_dashes(folded), **maps)
    out: list[str] = []
    shift_at: list[int] = []
    shifts: list[int] = []
    pos = 0  # in folded
    length = 0  # of the canonical text so far
    last = len(folded)
    for m in _WS_RE.finditer(folded):
        a, b = m.span()
        out.append(folded[pos:a])
        length += a - pos
        keep = a > 0 and b < last and not _is_cjk(folded[a - 1]) and not _is_cjk(folded[b])
        if keep:
            out.append(" ")
            length += 1
        if b - length != (shifts[-1] if shifts else 0):
            shift_at.append(length)
            shifts.append(b - length)
        pos = b
    out.append(folded[pos:])
    return Canonical(_fold_dashes("".join(out)), shift_at=shift_at, shifts=shifts, **maps)


def _fold_dashes(text: str) -> str:
    """A dash between katakana becomes the long-vowel mark (one character for one: offsets stay)."""
    return _DASH_RE.sub("ー", text) if _DASH_RE.search(text) else text


def canonical_form(text: str) -> str:
    """The canonical text alone (for dictionary forms and cue words)."""
    return canonical(text).text


def prefilter_form(text: str) -> str:
    """A form as the pre-filter sees it: canonical with every whitespace character removed."""
    return _WS_RE.sub("", canonical_form(text))
