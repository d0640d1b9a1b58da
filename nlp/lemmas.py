"""Content words of a post: what co-occurrence counts and sentiment reads.

Which words. Nouns, verbs and adjectives (UniDic's 名詞, 動詞, 形容詞) by
their lemma, as KH Coder extracts them, so 描いた and 描く are one word.
Left out: numerals (数詞), verbs and adjectives UniDic marks 非自立可能
(する, ある, いる, なる, できる, ない, いい: grammar more than content),
single kana, and the short :data:`STOP_WORDS` list. Words MeCab does not know
(AI, mimic, LoRA) have no lemma: their surface is the word, whatever part of
speech MeCab guessed for them. UniDic writes loanword lemmas with their
source word (イラスト-illustration): the suffix is cut. A noun followed by a
noun suffix (図書 + 室) is one word (図書室), as a reader would say it.

The text is NFKC-normalised first (ＡＩ -> AI, half-width kana -> full width)
but not lower-cased, and URLs, @mentions and a leading "RT @name:" are
removed: they are addresses, not words.

Each post's words are a set: co-occurrence counts posts, not repetitions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dtrack.nlp.tokenizer import WORD_FORMAT, get_word_tagger

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

#: Bumped whenever the rules below change, so cached word lists are rebuilt.
WORDS_RULES = "1"
CONTENT_POS = ("名詞", "動詞", "形容詞")
#: Frequent content words that say little on their own (lemmas). Override per query.
STOP_WORDS: frozenset[str] = frozenset({
    "事", "物", "様", "為", "的", "さん", "ちゃん", "くん", "方", "所", "時", "中", "今", "感じ", "本当",
    "言う", "思う", "其れ", "此れ", "ところ", "こと", "もの", "よう", "ため", "人", "自分", "達",
})
_NOISE_RE = re.compile(r"^RT @[^:\s]+:\s*|https?://\S+|www\.\S+|@[A-Za-z0-9_]+")
_KANA_1 = re.compile(r"^[\u3040-\u30ff]$")


def clean_text(text: str) -> str:
    """NFKC, without URLs, @mentions and a repost's "RT @name:" prefix."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if "@" in text or "http" in text or "www." in text:
        text = _NOISE_RE.sub(" ", text)
    return text


def parse(text: str) -> list[list[str]]:
    """MeCab's tokens of ``text`` as [pos1, pos2, lemma, surface, orth_base] (lemma and base empty if unknown)."""
    if not text:
        return []
    out = get_word_tagger().parse(text)
    rows = []
    for line in out.split("\n"):
        if not line:
            continue
        fields = line.split("\t")
        fields += [""] * (5 - len(fields))
        rows.append(fields[:5])
    return rows


def _lemma(lemma: str, surface: str) -> str:
    if not lemma:
        return surface
    dash = lemma.find("-")
    if dash > 0 and lemma[dash + 1:].isascii():  # イラスト-illustration
        return lemma[:dash]
    return lemma


def content_words(text: str | None) -> list[str]:
    """The post's content words, each once, in order of first use.

    Examples
    --------
    >>> content_words("AIに無断学習されたイラストの絵柄を真似るのはつらい")
    ['AI', '無断', '学習', 'イラスト', '絵柄', '真似る', '辛い']
    >>> content_words("図書室で勉強した https://example.org")
    ['図書室', '勉強']
    """
    if not text:
        return []
    words: list[str] = []
    seen: set[str] = set()
    last_noun = -1  # index in words of the noun just before, for 図書 + 室
    for pos1, pos2, lemma, surface, _base in parse(clean_text(text)):
        if pos1 == "接尾辞" and pos2 == "名詞的" and last_noun >= 0 and last_noun == len(words) - 1:
            merged = words[last_noun] + surface
            seen.discard(words[last_noun])
            words[last_noun] = merged
            seen.add(merged)
            last_noun = -1
            continue
        last_noun = -1
        unknown = not lemma
        if unknown:
            if not any(c.isalnum() for c in surface) or surface.isdigit() or len(surface) < 2:
                continue
        elif pos1 not in CONTENT_POS or pos2 in ("数詞", "非自立可能"):
            continue
        word = _lemma(lemma, surface)
        if _KANA_1.match(word) or word in STOP_WORDS:
            continue
        if word in seen:
            continue
        seen.add(word)
        words.append(word)
        if pos1 == "名詞" or unknown:
            last_noun = len(words) - 1
    return words


def term_words(variants: Iterable[str]) -> set[str]:
    """The words a term's own spellings tokenise into (無断学習 -> 無断, 学習), left out of its co-occurrences."""
    out: set[str] = set()
    for variant in variants:
        out.update(content_words(variant))
    return out


def encode(texts: list[str | None]) -> str:
    """Word lists of many texts as one string (a line per text, words tab-separated): cheap to send between
    processes. Words never contain a tab or a line break (MeCab splits on them)."""
    return "\n".join("\t".join(content_words(t)) for t in texts)


def decode(block: str, n: int) -> list[list[str]]:
    """The inverse of :func:`encode` for ``n`` texts."""
    if n == 0:
        return []
    return [line.split("\t") if line else [] for line in block.split("\n")]


#: Seed of the 64-bit word ids (:func:`word_ids`).
WORD_SEED = 20220829


def word_ids(words: Iterable[str]) -> pl.Series:
    """64-bit ids of words: polars' hash with a fixed seed, so lists of ids explode, filter and group
    several times faster than lists of strings. Stable for one polars version (the cache key has it);
    a collision between two of a million words has a chance of about 1 in 30 billion."""
    import polars as pl

    return pl.Series("id", list(words), dtype=pl.String).hash(seed=WORD_SEED)


def words_version() -> str:
    """Identity of the word rules, the tokenizer format and the dictionary (the cache key)."""
    import hashlib
    from importlib import metadata

    stamp = "|".join([WORDS_RULES, WORD_FORMAT, ",".join(sorted(STOP_WORDS)), metadata.version("fugashi"),
                      metadata.version("unidic-lite"), metadata.version("polars"), str(WORD_SEED)])
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]
