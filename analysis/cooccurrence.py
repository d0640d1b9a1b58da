"""What was said with a term: co-occurring words, framing shifts and the co-occurrence network.

The unit is the post, as everywhere in dtrack (:mod:`analysis.counting`): for
a term and a period, let

* ``N`` be the counted posts of the period (reposts left out unless asked,
  days in the research timezone),
* ``a`` the posts among them that use the term (``term_posts``),
* ``b`` the posts that use a word (``word_posts``),
* ``c`` the posts that use both (``cooccurrences``).

Words are content words (nouns, verbs, adjectives by lemma; see
:mod:`nlp.lemmas`), each counted once per post. The term's own words
(無断, 学習 for 無断学習) are left out: every post of the term has them.

Measures (``score``), each standard and computed from the four counts alone:

``jaccard``
    ``c / (a + b - c)``: the share of posts using the term or the word that use
    both. KH Coder's default for 関連語検索 and co-occurrence networks; it
    favours words that are frequent *and* tied to the term.
``pmi``
    ``log2(c N / (a b))``: pointwise mutual information, how many times more
    often the two meet than if independent. It rewards rare words, so words
    used in fewer than ``min_count`` of the term's posts are not ranked (the
    frequency floor applies to every measure).
``llr``
    Dunning's log-likelihood ratio G² of the 2x2 table (term / other posts of
    the period x word / no word), ``2 Σ O ln(O / E)``, signed: negative when
    the word is rarer in the term's posts than in the rest of the period. It
    tests "does this word come with the term more than with everything else
    said then" (Dunning 1993, Computational Linguistics 19(1)).

A framing shift compares the same term in two periods: ``score`` (the first,
``--from/--to``) against ``score_vs`` (``--vs-from/--vs-to``), ``change =
score - score_vs``, and whether the word's share of the term's posts
(``share``, ``share_vs``) differs more than chance: the G² of the 2x2 table
(period A / B x term posts with / without the word) and its χ²(1) p-value.

The network joins the top words of a period by the Jaccard coefficient of
their posts *among the term's posts*, keeps the strongest edges (KH Coder
draws the top 60), and finds communities by greedy modularity maximisation
(Clauset, Newman and Moore 2004, as KH Coder's default "modularity"),
through networkx.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from dtrack.analysis.counting import DEFAULT_TZ, _utc_midnight, check_context, check_tz

MEASURES = ("jaccard", "pmi", "llr")
DEFAULT_MEASURE = "jaccard"
DEFAULT_TOP = 30
DEFAULT_MIN_COUNT = 2
DEFAULT_MAX_EDGES = 60
COOCCUR_COLUMNS = ("word", "cooccurrences", "word_posts", "authors", "score", "share", "term_posts", "posts")
SHIFT_COLUMNS = ("word", "cooccurrences", "word_posts", "authors", "score", "cooccurrences_vs", "word_posts_vs",
                 "authors_vs", "score_vs", "change", "share", "share_vs", "g2", "p_value", "term_posts",
                 "term_posts_vs", "posts", "posts_vs")


def check_measure(measure: str) -> str:
    """Return ``measure`` if known, else raise ``ValueError``."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    return measure


def period_words(
    words: pl.LazyFrame,
    *,
    start: date | None = None,
    end: date | None = None,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """The counted posts of [start, end] with their words (``N`` rows), from ``nlp.lemma_cache.post_words``."""
    check_tz(tz)
    if not include_reposts:
        words = words.filter(~pl.col("is_repost").fill_null(False))
    if platforms:
        words = words.filter(pl.col("platform").is_in(list(platforms)))
    # a local day [start, end] is the UTC instants [start 00:00, end + 1 00:00) in tz: comparing the UTC
    # column with two constants gives the same rows as clipping on the local day, without converting a
    # million timestamps (and lets the Parquet reader skip row groups)
    if start is not None:
        words = words.filter(pl.col("created_at") >= _utc_midnight(start, tz))
    if end is not None:
        words = words.filter(pl.col("created_at") < _utc_midnight(end + timedelta(days=1), tz))
    return words


def term_posts(hits: pl.LazyFrame, term: str, context: str = "any") -> pl.LazyFrame:
    """(platform, post_id) of every post with a hit of ``term`` (AI-context hits only for ``context="ai"``)."""
    check_context(context)
    chosen = hits.filter(pl.col("term") == term)
    if context == "ai":
        chosen = chosen.filter(pl.col("ai_context").fill_null(False))
    return chosen.select("platform", "post_id").unique()


def _scored(stats: pl.LazyFrame, measure: str, n: int, a: int) -> pl.LazyFrame:
    b, c = pl.col("word_posts").cast(pl.Float64), pl.col("cooccurrences").cast(pl.Float64)
    if measure == "jaccard":
        score = c / (a + b - c)
    elif measure == "pmi":
        score = pl.when(c > 0).then((c * n / (a * b)).log(2)).otherwise(None)  # log 0: undefined
    else:
        cells = [c, a - c, b - c, n - a - b + c]
        expected = [a * b / n, a * (n - b) / n, (n - a) * b / n, (n - a) * (n - b) / n]
        g2 = 2 * pl.sum_horizontal(
            [pl.when(o > 0).then(o * (o / e).log()).otherwise(0.0) for o, e in zip(cells, expected, strict=True)])
        sign = pl.when(c * n >= a * b).then(1.0).otherwise(-1.0)
        score = sign * g2.clip(lower_bound=0.0)
    return stats.with_columns(score=score)


def mark_term_posts(period: pl.LazyFrame, term_keys: pl.LazyFrame) -> pl.DataFrame:
    """The period's posts (author, words) with ``_term``: does the post use the term?"""
    keys = term_keys.select(pl.struct("platform", "post_id")).collect().to_series()
    # a membership test, not a join: ten times faster on a million posts, the same rows
    return period.select(
        "author", "words", _term=pl.struct("platform", "post_id").is_in(keys.implode()).fill_null(False)
    ).collect()


def term_vocabulary(marked: pl.DataFrame, exclude: Iterable[str] = ()) -> list[str]:
    """The words used in the term's posts of a period (less ``exclude``), sorted."""
    return sorted(
        marked.lazy().filter(pl.col("_term")).select("words").explode("words")
        .filter(pl.col("words").is_not_null() & ~pl.col("words").is_in(list(set(exclude))))
        .unique().collect().get_column("words").to_list()
    )


_TABLE_SCHEMA = {"word": pl.String, "cooccurrences": pl.Int64, "word_posts": pl.Int64, "authors": pl.Int64,
                 "score": pl.Float64, "share": pl.Float64, "term_posts": pl.Int64, "posts": pl.Int64}


def word_table(
    marked: pl.DataFrame,
    *,
    measure: str = DEFAULT_MEASURE,
    exclude: Iterable[str] = (),
    vocabulary: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Counts and score of every word used in the term's posts of a period (unranked, unfloored).

    ``marked`` is :func:`mark_term_posts` (one row per counted post of the
    period). ``vocabulary`` fixes the words (a word the period never uses
    gets zero counts): two periods compared need the same words. Columns:
    :data:`COOCCUR_COLUMNS`.
    """
    check_measure(measure)
    n = marked.height
    a = int(marked.get_column("_term").sum()) if n else 0
    if vocabulary is None:
        vocabulary = term_vocabulary(marked, exclude)
    inner = marked.schema["words"].inner if isinstance(marked.schema["words"], pl.List) else pl.String
    if a == 0 or not vocabulary:
        return pl.DataFrame(schema={**_TABLE_SCHEMA, "word": inner})
    vocab = pl.Series("words", list(vocabulary), dtype=inner)
    everywhere = (
        marked.lazy().select("words").explode("words").filter(pl.col("words").is_in(vocab.implode()))
        .group_by(word=pl.col("words")).agg(word_posts=pl.len().cast(pl.Int64))
    )
    term_pairs = marked.lazy().filter(pl.col("_term")).select("author", word=pl.col("words")).explode("word")
    return counts_table(vocab, everywhere, term_pairs, n=n, a=a, measure=measure)


def counts_table(vocab: pl.Series, everywhere: pl.LazyFrame, term_pairs: pl.LazyFrame, *, n: int, a: int,
                 measure: str) -> pl.DataFrame:
    """Counts and score of the words in ``vocab``.

    ``everywhere`` has ``word`` and ``word_posts`` (posts of the period using
    it); ``term_pairs`` one row per (term post, word) with the post's ``author``.
    """
    wanted = vocab.implode()
    with_term = (
        term_pairs.filter(pl.col("word").is_in(wanted))
        .group_by("word")
        .agg(cooccurrences=pl.len().cast(pl.Int64), authors=pl.col("author").drop_nulls().n_unique().cast(pl.Int64))
    )
    table = (
        pl.LazyFrame({"word": vocab})
        .join(everywhere.filter(pl.col("word").is_in(wanted)), on="word", how="left")
        .join(with_term, on="word", how="left")
        .with_columns(pl.col("cooccurrences", "word_posts", "authors").fill_null(0))
    )
    return (
        _scored(table, measure, n, a)
        .with_columns(share=pl.col("cooccurrences") / a, term_posts=pl.lit(a, pl.Int64), posts=pl.lit(n, pl.Int64))
        .select(COOCCUR_COLUMNS)
        .collect()
    )


def rank(table: pl.DataFrame, *, top: int | None = DEFAULT_TOP, min_count: int = DEFAULT_MIN_COUNT) -> pl.DataFrame:
    """Words used in at least ``min_count`` of the term's posts, best score first (ties: more posts, then word)."""
    ranked = table.filter(pl.col("cooccurrences") >= min_count).sort(
        ["score", "cooccurrences", "word"], descending=[True, True, False], nulls_last=True)
    return ranked.head(top) if top else ranked


def cooccurrence(
    words: pl.LazyFrame,
    hits: pl.LazyFrame,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    measure: str = DEFAULT_MEASURE,
    top: int | None = DEFAULT_TOP,
    min_count: int = DEFAULT_MIN_COUNT,
    exclude: Iterable[str] = (),
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.DataFrame:
    """The words used with ``term`` between two local days, ranked by ``measure``.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)
    >>> words = pl.LazyFrame({"platform": "x", "post_id": ["1", "2", "3", "4"], "created_at": t,
    ...     "is_repost": False, "author": ["a", "b", "c", "d"],
    ...     "words": [["AI", "絵"], ["AI"], ["猫"], ["絵", "猫"]]})
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": ["1", "2"], "term": "無断学習", "ai_context": True})
    >>> cooccurrence(words, hits, "無断学習", min_count=1).select("word", "cooccurrences", "word_posts", "score").rows()
    [('AI', 2, 2, 1.0), ('絵', 1, 2, 0.3333333333333333)]
    """
    period = period_words(words, start=start, end=end, include_reposts=include_reposts, platforms=platforms, tz=tz)
    table = word_table(mark_term_posts(period, term_posts(hits, term, context)), measure=measure, exclude=exclude)
    return rank(table, top=top, min_count=min_count)


def _g2_two_samples(c1: np.ndarray, n1: int, c2: np.ndarray, n2: int) -> np.ndarray:
    """G² of the 2x2 tables [[c1, n1 - c1], [c2, n2 - c2]] (one per word)."""
    obs = np.stack([c1, n1 - c1, c2, n2 - c2]).astype(float)
    total = n1 + n2
    col_yes, col_no = c1 + c2, total - c1 - c2
    exp = np.stack([n1 * col_yes / total, n1 * col_no / total, n2 * col_yes / total, n2 * col_no / total])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(obs > 0, obs * np.log(obs / exp), 0.0)
    return np.clip(2 * terms.sum(axis=0), 0.0, None)


def framing_shift(
    table: pl.DataFrame,
    table_vs: pl.DataFrame,
    *,
    top: int | None = DEFAULT_TOP,
    min_count: int = DEFAULT_MIN_COUNT,
) -> pl.DataFrame:
    """Words of two periods side by side: the union of each period's top words, most risen first.

    ``table`` and ``table_vs`` are :func:`word_table` of the same term and
    measure in the two periods over the same ``vocabulary``, so a word the
    term's posts of one period never use has 0 posts there, and a score of 0
    (null for PMI: the logarithm of 0 is undefined, and so is ``change``).
    """
    from scipy.stats import chi2

    keep = set(rank(table, top=top, min_count=min_count).get_column("word").to_list())
    keep |= set(rank(table_vs, top=top, min_count=min_count).get_column("word").to_list())
    a = int(table.get_column("term_posts").max() or 0) if table.height else 0
    a_vs = int(table_vs.get_column("term_posts").max() or 0) if table_vs.height else 0
    n = int(table.get_column("posts").max() or 0) if table.height else 0
    n_vs = int(table_vs.get_column("posts").max() or 0) if table_vs.height else 0
    base = ["word", "cooccurrences", "word_posts", "authors", "score", "share"]
    joined = (
        table.select(base).filter(pl.col("word").is_in(list(keep)))
        .join(table_vs.select(base).filter(pl.col("word").is_in(list(keep))), on="word", how="full",
              coalesce=True, suffix="_vs")
        .with_columns(pl.col("cooccurrences", "word_posts", "authors", "cooccurrences_vs", "word_posts_vs",
                             "authors_vs").fill_null(0),
                      pl.col("share", "share_vs").fill_null(0.0))
    )
    c1 = joined.get_column("cooccurrences").to_numpy()
    c2 = joined.get_column("cooccurrences_vs").to_numpy()
    if a and a_vs:
        g2 = _g2_two_samples(c1, a, c2, a_vs)
        p = chi2.sf(g2, 1)
    else:
        g2 = np.full(joined.height, np.nan)
        p = np.full(joined.height, np.nan)
    return (
        joined.with_columns(
            change=pl.col("score") - pl.col("score_vs"),
            g2=pl.Series(g2).fill_nan(None),
            p_value=pl.Series(p).fill_nan(None),
            term_posts=pl.lit(a, pl.Int64), term_posts_vs=pl.lit(a_vs, pl.Int64),
            posts=pl.lit(n, pl.Int64), posts_vs=pl.lit(n_vs, pl.Int64),
        )
        .select(SHIFT_COLUMNS)
        .sort(["change", "word"], descending=[True, False], nulls_last=True)
    )


def network(
    marked: pl.DataFrame | list[list[Any]],
    ranked: pl.DataFrame,
    *,
    max_edges: int = DEFAULT_MAX_EDGES,
    min_weight: float = 0.0,
) -> dict[str, list[dict[str, Any]]]:
    """The co-occurrence network of the ranked words among the term's posts of the period.

    ``marked`` is :func:`mark_term_posts` (or the word lists of the term's
    posts), ``ranked`` the words to draw (:func:`rank`).
    Nodes (in ``ranked`` order): ``id``, ``word``, ``community``, ``posts``
    (the term's posts using the word), ``word_posts``, ``authors``,
    ``score``, ``degree``. Edges: ``source``, ``target`` (node ids),
    ``weight`` (Jaccard of the two words among the term's posts),
    ``cooccurrences`` (term posts using both). The ``max_edges`` strongest
    edges above ``min_weight`` are kept (ties by word order); communities are
    numbered from 1, largest first; a word without edges is its own community.
    """
    import networkx as nx

    words = ranked.get_column("word").to_list()
    index = {w: i for i, w in enumerate(words)}
    docs = marked if isinstance(marked, list) else marked.filter(pl.col("_term")).get_column("words").to_list()
    matrix = np.zeros((len(docs), len(words)), dtype=np.float64)
    for row, post_words in enumerate(docs):
        for w in post_words or ():
            j = index.get(w)
            if j is not None:
                matrix[row, j] = 1.0
    both = matrix.T @ matrix
    each = np.diag(both)
    edges: list[tuple[float, int, int, int]] = []
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            c = int(both[i, j])
            if c == 0:
                continue
            weight = float(c / (each[i] + each[j] - c))
            if weight > min_weight:
                edges.append((weight, i, j, c))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    edges = edges[:max_edges]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(words)))
    graph.add_weighted_edges_from((i, j, w) for w, i, j, _ in edges)
    found = nx.community.greedy_modularity_communities(graph, weight="weight") if words else []
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {node: k + 1 for k, members in enumerate(ordered) for node in members}
    nodes = []
    for i, row in enumerate(ranked.iter_rows(named=True)):
        score = row["score"]
        nodes.append({
            "id": i, "word": row["word"], "community": community.get(i, 0), "posts": int(row["cooccurrences"]),
            "word_posts": int(row["word_posts"]), "authors": int(row["authors"]),
            "score": None if score is None or (isinstance(score, float) and math.isnan(score)) else score,
            "degree": int(graph.degree(i)),
        })
    return {
        "nodes": nodes,
        "edges": [{"source": i, "target": j, "weight": float(w), "cooccurrences": c} for w, i, j, c in edges],
    }


# -- the store ---------------------------------------------------------------------------------------------------
def excluded_words(hits: pl.LazyFrame, term: str, extra: Iterable[str] = ()) -> set[str]:
    """The term's own words (from the spellings its hits matched, and the term itself) plus ``extra``."""
    from dtrack.nlp.lemmas import term_words

    variants = hits.filter(pl.col("term") == term).select(pl.col("variant").unique()).collect()
    return term_words([term, *variants.get_column("variant").drop_nulls().to_list()]) | set(extra)


def cooccur_store(
    store: Any,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    vs_start: date | None = None,
    vs_end: date | None = None,
    vs: bool = False,
    measure: str = DEFAULT_MEASURE,
    top: int | None = DEFAULT_TOP,
    min_count: int = DEFAULT_MIN_COUNT,
    as_network: bool = False,
    max_edges: int = DEFAULT_MAX_EDGES,
    stopwords: Iterable[str] = (),
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.DataFrame | dict[str, list[dict[str, Any]]]:
    """:func:`cooccurrence`, :func:`framing_shift` (``vs=True``) or :func:`network` on a store.

    Word lists come from the store's word cache (:mod:`nlp.lemma_cache`),
    built for the months the periods touch the first time they are asked for.
    """
    from dtrack.nlp.lemmas import word_ids

    check_measure(measure)
    check_context(context)
    hits = store.scan_hits()
    keys = term_posts(hits, term, context)
    exclude = word_ids(excluded_words(hits, term, stopwords)).to_list()
    rule = {"include_reposts": include_reposts, "platforms": platforms, "tz": tz}
    first = _Period(store, keys, start, end, rule)
    periods = [first]

    def named(table: pl.DataFrame) -> pl.DataFrame:
        """Word ids -> words (the ids are kept as ``_id``)."""
        ids = table.get_column("word")
        names = pl.concat([p.words.words(ids) for p in periods]).unique("id")
        return table.rename({"word": "_id"}).join(names.rename({"id": "_id"}), on="_id", how="left").select(
            "word", *[c for c in table.columns if c != "word"], "_id")

    if vs:
        second = _Period(store, keys, vs_start, vs_end, rule)
        periods.append(second)
        vocabulary = sorted(set(first.vocabulary(exclude)) | set(second.vocabulary(exclude)))
        return framing_shift(named(first.table(vocabulary, measure)), named(second.table(vocabulary, measure)),
                             top=top, min_count=min_count)
    ranked = rank(named(first.table(first.vocabulary(exclude), measure)), top=top, min_count=min_count)
    if as_network:
        net = network(first.docs(), ranked.with_columns(word=pl.col("_id")), max_edges=max_edges)
        words = ranked.get_column("word").to_list()
        for node in net["nodes"]:
            node["word"] = words[node["id"]]
        return net
    return ranked.select(COOCCUR_COLUMNS)


class _Period:
    """The counted posts of one period from the word cache, and the term's among them.

    Words stay 64-bit ids in flat (post, word) pairs: a post is picked by a
    gather from a boolean mask over post numbers, so nothing is joined or
    exploded per word over the million posts of a year.
    """

    def __init__(self, store: Any, keys: pl.LazyFrame, start: date | None, end: date | None,
                 rule: dict[str, Any]) -> None:
        from dtrack.nlp.lemma_cache import post_words

        self.words = post_words(store, start, end)
        wanted = keys.select(pl.struct("platform", "post_id")).collect().to_series()
        self.posts = (
            period_words(self.words.posts, start=start, end=end, **rule)
            .select("gid", "author", _term=pl.struct("platform", "post_id").is_in(wanted.implode()).fill_null(False))
            .collect()
        )
        self.n = self.posts.height
        term = self.posts.filter(pl.col("_term"))
        self.a = term.height
        self._all = self.words.mask(self.posts.get_column("gid"))
        term_mask = self.words.mask(term.get_column("gid"))
        self.term_pairs = (
            self.words.pairs.filter(pl.lit(term_mask).gather(pl.col("gid")))
            .join(term.lazy().select("gid", "author"), on="gid", how="left")
            .collect()
        )

    def vocabulary(self, exclude: Sequence[int] = ()) -> list[int]:
        """The word ids used in the term's posts, less ``exclude``."""
        words = self.term_pairs.get_column("word").unique()
        return sorted(words.filter(~words.is_in(pl.Series(list(exclude), dtype=pl.UInt64).implode())).to_list())

    def table(self, vocabulary: Sequence[int], measure: str) -> pl.DataFrame:
        if self.a == 0 or not vocabulary:
            return pl.DataFrame(schema={**_TABLE_SCHEMA, "word": pl.UInt64})
        vocab = pl.Series("word", list(vocabulary), dtype=pl.UInt64)
        everywhere = (
            self.words.pairs.filter(pl.col("word").is_in(vocab.implode()))
            .filter(pl.lit(self._all).gather(pl.col("gid")))
            .group_by("word").agg(word_posts=pl.len().cast(pl.Int64))
        )
        return counts_table(vocab, everywhere, self.term_pairs.lazy(), n=self.n, a=self.a, measure=measure)

    def docs(self) -> list[list[int]]:
        """The word ids of each of the term's posts (for the network)."""
        return self.term_pairs.group_by("gid").agg("word").get_column("word").to_list()


def word_posts(
    store: Any,
    term: str,
    word: str,
    *,
    start: date | None = None,
    end: date | None = None,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.DataFrame:
    """The posts behind a ``cooccurrences`` figure: the term's counted posts of the period that use ``word``.

    Rows as :func:`analysis.evidence.evidence` (oldest first); their number
    is the word's ``cooccurrences`` for the same period and rule.
    """
    from dtrack.analysis.evidence import evidence
    from dtrack.nlp.lemma_cache import post_words
    from dtrack.nlp.lemmas import word_ids

    words = post_words(store, start, end)
    using = words.pairs.filter(pl.col("word") == word_ids([word]).item()).select("gid")
    keys = (
        period_words(words.posts, start=start, end=end, include_reposts=include_reposts, platforms=platforms, tz=tz)
        .join(using, on="gid", how="semi")
        .join(term_posts(store.scan_hits(), term, context), on=["platform", "post_id"], how="semi")
        .select("platform", "post_id")
    )
    found = evidence(store.scan_posts().join(keys, on=["platform", "post_id"], how="semi"), store.scan_hits(), term,
                     start=start, end=end, context=context, include_reposts=include_reposts, platforms=platforms,
                     tz=tz)
    return found


NODE_SCHEMA = {"id": pl.Int64, "word": pl.String, "community": pl.Int64, "posts": pl.Int64, "word_posts": pl.Int64,
               "authors": pl.Int64, "score": pl.Float64, "degree": pl.Int64}
EDGE_SCHEMA = {"source": pl.Int64, "target": pl.Int64, "weight": pl.Float64, "cooccurrences": pl.Int64}


def network_frames(net: dict[str, list[dict[str, Any]]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The network's nodes and edges as two tables (the CSV of `dtrack cooccur --network` is the nodes)."""
    return (pl.DataFrame(net["nodes"], schema=NODE_SCHEMA, orient="row"),
            pl.DataFrame(net["edges"], schema=EDGE_SCHEMA, orient="row"))


def render_json(result: Any, q: Any) -> bytes:
    """`dtrack cooccur --format json`: the list of words, or with --network the object {"nodes", "edges"}."""
    import json

    from dtrack.analysis.export import json_bytes, json_records

    if not q.network:
        return json_bytes(result.frame)
    net = {"nodes": json_records(result.frame), "edges": json_records(result.display)}
    return (json.dumps(net, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
