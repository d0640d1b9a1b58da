"""The pre-filter never loses a hit, and the two normalisations it relies on agree.

The pre-filter (polars: NFKC, lower case, whitespace removed, contains_any)
must pass every post in which the matcher (Python: nlp.tokenizer.canonical)
can find a term. Checked on a seeded generated corpus full of the characters
where normalisation goes wrong, by comparing the pre-filtered path with
tokenising every post.
"""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.nlp import prefilter, tagger
from dtrack.nlp.matcher import Matcher
from dtrack.nlp.prefilter import prefilter_text
from dtrack.nlp.synthetic import TRICKY, generate_posts, generate_texts
from dtrack.nlp.tagger import tag_frame
from dtrack.nlp.terms import load_terms
from dtrack.nlp.tokenizer import DASHES, canonical

TERMS = load_terms()
FORMS = [f for term in TERMS.terms for f in (*term.forms(), *term.variants, term.canonical.upper())]
PREFILTER = Matcher(TERMS).prefilter


def _sorted(hits: pl.DataFrame) -> pl.DataFrame:
    return hits.sort(["platform", "post_id", "start", "term"])


def test_prefilter_never_loses_a_hit() -> None:
    posts = generate_posts(3000, term_share=0.3, near_miss_share=0.3, seed=11, tricky=True)
    fast, seen, tokenised = tag_frame(posts, TERMS)
    slow, seen_all, tokenised_all = tag_frame(posts, TERMS, prefilter=False)
    assert seen == seen_all == tokenised_all == 3000
    assert 0 < tokenised < 3000  # the pre-filter did skip posts...
    assert slow.height > 500  # ...and there were plenty of hits to lose
    assert _sorted(fast).equals(_sorted(slow))


def test_generated_texts_normalise_alike_in_polars_and_python() -> None:
    texts = generate_texts(3000, term_share=0.3, seed=5, tricky=True)
    polars_side = pl.DataFrame({"text": texts}).select(prefilter_text()).to_series().to_list()
    python_side = [canonical(t).text.replace(" ", "") for t in texts]
    assert polars_side == python_side


_ALPHABET = st.sampled_from(
    list("無断学習禁止転載ムダンガクシュウミックaimcMIAＡＩｍｉｃ#＃ 　\n\r\t&;<>!！…ー〜ｰﾞﾟ-－～~‐")
    + TRICKY + ["ｶﾞ", "ﾐﾐｯｸ", "e\u0301", "\u3099", "\u309a", "ᄀ", "ᅡ", "ᆨ", "가", "①", "ℌ", "ﬁ", "😀", "\ufe0f"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_prefilter_text_contains_every_canonical_form(text: str) -> None:
    """Whatever the input, a form found in the canonical text is in the pre-filter text."""
    canon = canonical(text).text
    filtered = pl.DataFrame({"text": [text]}).select(prefilter_text()).item()
    assert canon.replace(" ", "") == filtered


def test_dictionary_forms_are_fixed_points() -> None:
    """The cheap path relies on every character of a form being unchanged by normalisation."""
    for form in PREFILTER.patterns + PREFILTER.pieces:
        assert canonical(form).text == form
        for char in form:
            assert unicodedata.normalize("NFKC", char).lower() == char


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET | st.sampled_from(FORMS), max_size=12).map("".join))
def test_cheap_and_full_paths_never_lose_a_post(text: str) -> None:
    """A post whose canonical text contains a form is always a candidate."""
    canon = canonical(text).text.replace(" ", "")
    must_pass = any(p in canon for p in PREFILTER.patterns)
    passed = PREFILTER.candidates(pl.DataFrame({"text": [text]})).height == 1
    assert passed or not must_pass


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_offsets_map_back_into_the_original(text: str) -> None:
    """Every canonical character maps to original characters that normalise to it."""
    canon = canonical(text)
    previous_end = 0
    for i, char in enumerate(canon.text):
        start, end = canon.original_span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert start >= previous_end or canon.original_span(i - 1, i) == (start, end)
        previous_end = end
        piece = unicodedata.normalize("NFKC", text[start:end]).lower()
        assert char == " " or char in piece or (char == "ー" and piece in DASHES)


def test_pool_and_single_process_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    posts = generate_posts(1500, term_share=0.5, seed=3, tricky=True)
    single, _, _ = tag_frame(posts, TERMS, workers=1)
    monkeypatch.setattr(tagger, "PARALLEL_MIN", 100)
    monkeypatch.setattr(tagger, "CHUNK", 200)
    pooled, _, _ = tag_frame(posts, TERMS, workers=2)
    assert single.height > 300
    assert _sorted(pooled).equals(_sorted(single))


def test_big_dictionary_path_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond the regex size limit the first pass uses contains_any; it passes the same posts."""
    frame = pl.DataFrame({"text": generate_texts(2000, term_share=0.3, near_miss_share=0.3, seed=9, tricky=True)})
    regex_path = PREFILTER.candidates(frame)
    monkeypatch.setattr(prefilter, "MAX_REGEX_CHARS", 0)
    assert prefilter.Prefilter(PREFILTER.patterns).candidates(frame).equals(regex_path)
    assert 0 < regex_path.height < frame.height


def test_slices_pool_and_shared_texts_give_the_hits_of_one_post_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """tag_frame's fast path (distinct texts matched once, pre-filtered slice by slice in the pool's
    feeding thread, chunks on two workers) against tag_texts: every post on its own, in this process,
    no pre-filter. Varied text, and many posts sharing a text."""
    from dtrack.nlp.synthetic import generate_varied_texts
    from dtrack.nlp.tagger import tag_texts

    texts = generate_varied_texts(1200, seed=6)
    texts += texts[::3] + ["", "無断学習"] * 20  # reposts and copies
    posts = generate_posts(len(texts), seed=6).with_columns(pl.Series("text", texts, dtype=pl.String))
    monkeypatch.setattr(tagger, "SLICE", 300)
    monkeypatch.setattr(tagger, "CHUNK", 40)
    monkeypatch.setattr(tagger, "PARALLEL_MIN", 100)
    fast, seen, tokenised = tag_frame(posts, TERMS, workers=2)
    assert seen == len(texts) and 0 < tokenised < len(texts)
    rows = [
        (post_id, h["term"], h["category"], h["variant"], h["start"], h["end"], h["ai_context"], h["evidence"])
        for post_id, found in zip(posts.get_column("post_id").to_list(), tag_texts(texts, TERMS), strict=True)
        for h in found
    ]
    columns = ["post_id", "term", "category", "variant", "start", "end", "ai_context", "evidence"]
    assert len(rows) > 1000
    assert fast.select(columns).rows() == rows  # same hits, in post order


def test_normalising_only_the_changing_characters_is_normalising_each() -> None:
    from dtrack.nlp.tokenizer import _NFKC, _nfkc_each

    for first in range(0, 0x30000, 0x1000):
        block = "".join(chr(cp) for cp in range(first, first + 0x1000) if not 0xD800 <= cp <= 0xDFFF)
        assert _nfkc_each(block) == block.translate(_NFKC)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["…", "㍻", "ﬁ", "①", "ｱ", "a", "無", " ", "\u3000", "\n", "ＡＩ", "😀"]), max_size=25)
       .map("".join))
def test_offsets_past_lengthened_characters_map_to_the_character_they_came_from(text: str) -> None:
    """Each canonical character maps back to the original character whose NFKC it is part of."""
    canon = canonical(text)
    for i, char in enumerate(canon.text):
        start, end = canon.original_span(i, i + 1)
        assert end == start + 1
        assert char == " " or char in unicodedata.normalize("NFKC", text[start]).lower()
