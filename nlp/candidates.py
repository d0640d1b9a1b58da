"""Candidate words for discovery: the words a researcher has not listed yet.

What a candidate is. From MeCab (fugashi + unidic-lite, the project's pinned
Tagger) tokens of a post's normalised text:

* **noun compounds**: runs of nouns, prefixes and suffixes (無断+学習,
  画像+生成+AI, お+絵描き+チャレンジ). A run is cut by anything else (particles,
  verbs, symbols, numbers) and by whitespace, except whitespace between two
  Latin words, which is kept as one space (``stable diffusion``). From a run
  every sub-span of 2 to :data:`MAX_SPAN` tokens is a candidate, and so is the
  whole run (up to :data:`MAX_RUN` tokens): 無断学習 and 無断学習禁止 are both
  counted, so neither hides the other (a post writing 無断学習禁止 is a use of
  both). A span never starts with a suffix nor ends with a prefix.
* **katakana and Latin words** on their own (ミミック, mimic, lora, novelai);
  a run of katakana tokens is a compound like any other (ステーブル+ディフュージョン).
  Single kanji or hiragana nouns are dictionary words of everyday language, not
  candidates.
* **hashtags** (#無断学習禁止): the tag's text is the candidate, flagged as seen
  as a hashtag; the bare word and the hashtag are one candidate.

Normalisation. Texts are NFKC-normalised and lower-cased (ＡＩ -> ai, ＃ -> #,
MIMIC -> mimic) and whitespace is folded, in polars, before tokenising; URLs
and @mentions are removed first (they are not words and would split into
fragments). Numbers never start or join a compound (``数詞`` cuts a run), and
:data:`STOP_WORDS` removes function words and web debris that MeCab tags as
nouns (rt, https, amp, the, ...). A user's stop-list file (one word a line, ``#``
comments) is applied when discovering, not here, so changing it costs no
recount.

Speed. One ``Tagger.parse`` per post with a custom ``-F`` node format (surface
with its leading whitespace, POS level 1 and 2), split with ``str.split``: no
Python object per token from fugashi (PERF.md: about 2x faster than the node
API). Large batches run in a pool of forked workers, one Tagger each, which
return one compact string per chunk; the parent turns it into rows with polars.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import fugashi
import polars as pl

from dtrack.nlp import tokenizer
from dtrack.nlp.tagger import default_workers
from dtrack.nlp.tokenizer import WHITESPACE_REGEX, canonical_form, dictionary_dir

#: Bump when the extraction rules change (stored counts are then recomputed).
RULES_VERSION = 1
#: Longest sub-span (in tokens) taken from a noun run.
MAX_SPAN = 4
#: Longest run reported whole (longer runs are usually lists of nouns, not words).
MAX_RUN = 8
#: Posts per work unit sent to a worker, and below which no pool is started.
CHUNK = 2000
PARALLEL_MIN = 5000

#: Separates a post's candidates in the workers' output; posts are separated by newlines.
SEP = "\x1f"
#: Marks a candidate seen as a hashtag in the workers' output.
TAG = "\x1e"

#: Web debris and function words that MeCab tags as nouns.
STOP_WORDS: frozenset[str] = frozenset({
    "rt", "qt", "http", "https", "www", "com", "co", "jp", "org", "net", "html", "amp", "gt", "lt", "nbsp", "t.co",
    "pic", "twitter.com", "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "is", "it", "its", "be",
    "are", "was", "were", "for", "with", "this", "that", "these", "those", "from", "by", "as", "you", "your", "i",
    "my", "me", "we", "our", "he", "she", "they", "them", "his", "her", "not", "no", "yes", "ok", "lol", "omg",
    "via", "cc", "dm", "fyi", "w", "ww", "ー", "ーー",
})

_URL_REGEX = r"(?i)\b(?:https?://|www\.)\S+"
_MENTION_REGEX = r"@[A-Za-z0-9_]+(?:@[A-Za-z0-9_.\-]+)?"
_HASHTAG_RE = re.compile(r"#([^\W_][\w\u30fc・]*)")
_KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fc\u30fd\u30fe]+")
_LATIN_RE = re.compile(r"[a-z0-9][a-z0-9.+\-_']*")
_HAS_LETTER_RE = re.compile(r"[a-z]")
_DIGITS_RE = re.compile(r"[\d_]+")

#: Surface with its leading whitespace, then the left context id (a POS number of the dictionary,
#: see :func:`_classes`): about 1.5x faster than asking MeCab for the POS strings.
_NODE_FORMAT = r"-O '' -F '%pS%m\t%phl\n' -U '%pS%m\t%phl\n' -B '' -E ''"

# token classes inside a run
_NOUN, _PREFIX, _SUFFIX = 1, 2, 3


def get_tagger() -> fugashi.Tagger:
    """This process's candidate Tagger (same pinned dictionary as the matcher's, this output format)."""
    return tokenizer.get_tagger(_NODE_FORMAT)


def normalise_expr(column: str = "text") -> pl.Expr:
    """The text candidates are read from: URLs and mentions removed, NFKC, lower case, whitespace folded."""
    return (
        pl.col(column)
        .fill_null("")
        .str.replace_all(_URL_REGEX, " ")
        .str.normalize("NFKC")
        .str.replace_all(_MENTION_REGEX, " ")
        .str.to_lowercase()
        .str.replace_all(WHITESPACE_REGEX, " ")
        .str.strip_chars(" ")
    )


def normalise(text: str) -> str:
    """:func:`normalise_expr` for one string (tests, notebooks)."""
    return pl.DataFrame({"text": [text]}, schema={"text": pl.String}).select(normalise_expr()).item()


def word_form(text: str) -> str:
    """A word as candidates are spelled: canonical (NFKC, lower case, whitespace folded), no leading #."""
    return canonical_form(text).lstrip("#").strip()


def _is_latin(surface: str) -> bool:
    return surface.isascii() and _LATIN_RE.fullmatch(surface) is not None


def _token_class(pos1: str, pos2: str) -> int:
    if pos1 == "名詞":
        return 0 if pos2 == "数詞" else _NOUN
    if pos1 == "接頭辞":
        return _PREFIX
    if pos1 == "接尾辞":
        return _SUFFIX
    return 0


_CLASSES: dict[str, int] | None = None


def _classes() -> dict[str, int]:
    """Left context id (as MeCab prints it) -> token class, from the dictionary's own left-id.def.

    The id fixes the POS in UniDic (``5146 名詞,普通名詞,一般,...``), so the table
    is read once per process and a token's class is one dict look-up.
    """
    global _CLASSES
    if _CLASSES is None:
        table: dict[str, int] = {}
        with open(os.path.join(dictionary_dir(), "left-id.def"), encoding="utf-8") as fh:
            for line in fh:
                number, _, feature = line.rstrip("\n").partition(" ")
                pos = feature.split(",")
                cls = _token_class(pos[0], pos[1] if len(pos) > 1 else "")
                if cls:
                    table[number] = cls
        _CLASSES = table
    return _CLASSES


def _is_word(surface: str) -> bool:
    """Is a single noun a candidate on its own (katakana or Latin, two characters or more)?"""
    if len(surface) < 2:
        return False
    first = surface[0]
    if "\u30a1" <= first <= "\u30fe":
        return _KATAKANA_RE.fullmatch(surface) is not None
    return first.isascii() and _is_latin(surface) and _HAS_LETTER_RE.search(surface) is not None


def _emit_run(run: list[tuple[str, int, bool]], out: dict[str, bool]) -> None:
    """Add the candidates of one run of (surface, class, space before) tokens to ``out``."""
    while run and run[0][1] == _SUFFIX:
        run = run[1:]
    while run and run[-1][1] == _PREFIX:
        run = run[:-1]
    n = len(run)
    if n == 0:
        return
    for surface, cls, _ in run:  # single katakana / Latin nouns
        if cls == _NOUN and _is_word(surface):
            out.setdefault(surface, False)
    if n < 2:
        return
    spans = [(i, j) for i in range(n) for j in range(i + 2, min(n, i + MAX_SPAN) + 1)]
    if MAX_SPAN < n <= MAX_RUN:
        spans.append((0, n))
    for i, j in spans:
        if run[i][1] == _SUFFIX or run[j - 1][1] == _PREFIX:
            continue
        word = run[i][0]
        for k in range(i + 1, j):
            word += (" " + run[k][0]) if run[k][2] else run[k][0]
        out.setdefault(word, False)


def extract(text: str) -> dict[str, bool]:
    """Candidates of one NORMALISED text (see :func:`normalise_expr`): word -> seen as a hashtag.

    Examples
    --------
    >>> sorted(extract(normalise("自分の絵を無断学習されたくないので #無断学習禁止")).items())
    [('無断学習', False), ('無断学習禁止', True), ('学習禁止', False)]
    """
    out: dict[str, bool] = {}
    if not text:
        return out
    runs: list[tuple[str, int, bool]] = []
    classes = _classes()
    for line in get_tagger().parse(text).split("\n"):
        surface, _, left_id = line.rpartition("\t")
        space = surface.startswith(" ")
        if space:
            surface = surface.lstrip(" ")
        cls = classes.get(left_id, 0)
        if cls and runs and space and not (_is_latin(surface) and _is_latin(runs[-1][0])):
            _emit_run(runs, out)  # whitespace cuts a run unless it separates two Latin words
            runs = []
        if cls:
            runs.append((surface, cls, space))
        elif runs:
            if len(runs) == 1:  # most runs are one noun: no sub-spans to make
                if runs[0][1] == _NOUN and _is_word(runs[0][0]):
                    out.setdefault(runs[0][0], False)
            else:
                _emit_run(runs, out)
            runs = []
    if runs:
        _emit_run(runs, out)
    if "#" in text:
        for tag in _HASHTAG_RE.findall(text):
            if not _DIGITS_RE.fullmatch(tag):
                out[tag] = True
    for word in [w for w in out if w in STOP_WORDS]:
        del out[word]
    return out


def encode(texts: Iterable[str]) -> str:
    """Candidates of normalised texts as one string: a line per text, words split by SEP, TAG after a hashtag."""
    lines = []
    for text in texts:
        found = extract(text)
        lines.append(SEP.join(w + TAG if tag else w for w, tag in found.items()))
    return "\n".join(lines)


def _work(texts: list[str]) -> str:
    return encode(texts)


def _init_worker() -> None:
    get_tagger()
    _classes()


def _encoded_chunks(texts: list[str], workers: int | None) -> Iterator[str]:
    workers = default_workers() if workers is None else max(1, workers)
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    if workers == 1 or len(texts) < PARALLEL_MIN:
        for chunk in chunks:
            yield encode(chunk)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(_work, chunks)


#: One row per (post, candidate): what the store keeps (see data/schema.py WORD_SCHEMA).
def candidate_rows(posts: pl.DataFrame | pl.LazyFrame, *, workers: int | None = None) -> pl.DataFrame:
    """(row, word, hashtag) for every candidate of every post; ``row`` indexes ``posts``.

    ``posts`` needs a ``text`` column. Each (row, word) appears once: a post
    writing a word three times is one use.
    """
    texts = posts.lazy().select(normalise_expr()).collect().get_column("text").to_list()
    lines: list[str] = []
    for chunk in _encoded_chunks(texts, workers):
        lines.extend(chunk.split("\n"))
    frame = pl.DataFrame({"word": lines}, schema={"word": pl.String}).with_row_index("row")
    return (
        frame.filter(pl.col("word") != "")
        .with_columns(pl.col("word").str.split(SEP))
        .explode("word")
        .select(
            "row",
            word=pl.col("word").str.strip_chars_end(TAG),
            hashtag=pl.col("word").str.ends_with(TAG),
        )
    )


def candidates_of(texts: list[str]) -> list[dict[str, bool]]:
    """Candidates of raw texts (normalised here), in this process: for tests and notebooks."""
    normalised = pl.DataFrame({"text": texts}, schema={"text": pl.String}).select(normalise_expr())
    return [extract(t) for t in normalised.get_column("text").to_list()]


class StoplistError(ValueError):
    """A stop-list file cannot be used; the message names the file and line."""


def load_stoplist(path: str | os.PathLike[str]) -> frozenset[str]:
    """Words of a stop-list file, normalised like candidates.

    One word a line; blank lines and comment lines (``#`` followed by a space,
    or a lone ``#``) are skipped, so ``#tag`` is a word (hashtag and bare word
    are one candidate).
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoplistError(f"{path}: cannot read the stop-list ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise StoplistError(f"{path}: not UTF-8 ({exc})") from None
    words = set()
    for line in raw.splitlines():
        text = line.strip()
        if text and text != "#" and not text.startswith("# "):
            words.add(word_form(text))
    return frozenset(words)


def versions() -> dict[str, Any]:
    """What the stored candidate rows depend on (a change recomputes them)."""
    from importlib import metadata

    return {
        "rules": RULES_VERSION,
        "fugashi": metadata.version("fugashi"),
        "unidic_lite": metadata.version("unidic-lite"),
    }
