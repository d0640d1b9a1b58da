"""The polars pre-filter: which posts can contain a term at all.

Tokenising is the slow step (tens of thousands of posts per second), a
polars ``str.contains_any`` over normalised text runs at millions, so only
posts that pass this filter are tokenised.

Why it never loses a hit. A hit needs one of the term's canonical forms to
occur in the post's canonical text (NFKC, lower case, whitespace folded; see
``nlp.tokenizer.canonical``). Here the text is NFKC-normalised and lower-cased
by polars and *every* whitespace character is removed, and the patterns are
the canonical forms with whitespace removed. Deleting the same characters
from a string and from a substring of it keeps it a substring, so every post
with a hit passes. The two normalisations agree (tests/nlp/test_prefilter.py
checks that on generated text); where they could differ (Greek final sigma,
characters newer than Python's Unicode tables) the differing characters never
occur in a form, so they cannot hide one.
"""

from __future__ import annotations

import polars as pl

from nlp.tokenizer import WHITESPACE_REGEX


def prefilter_text(column: str = "text") -> pl.Expr:
    """The text as the pre-filter compares it."""
    return pl.col(column).str.normalize("NFKC").str.to_lowercase().str.replace_all(WHITESPACE_REGEX, "")


def prefilter_expr(patterns: list[str], column: str = "text") -> pl.Expr:
    """True for posts that may contain a term (``patterns`` from ``Matcher.prefilter_patterns``)."""
    if not patterns:
        return pl.lit(False)
    return prefilter_text(column).str.contains_any(patterns)
