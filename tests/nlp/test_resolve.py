"""What a user types -> the canonical term: TermDictionary.resolve and TermDictionary.suggest."""

from __future__ import annotations

import pytest

from dtrack.nlp.terms import load_terms, load_terms_text

TERMS = load_terms()

RESOLVE = [
    # (typed, canonical)
    ("無断学習", "無断学習"),
    ("ミミック", "mimic"),
    ("mimic", "mimic"),
    ("MIMIC", "mimic"),
    ("Mimic", "mimic"),
    ("ＭＩＭＩＣ", "mimic"),  # full width
    ("ｍｉｍｉｃ", "mimic"),
    ("#無断学習", "無断学習"),  # hashtag forms
    ("＃無断学習", "無断学習"),
    ("'#無断学習'".strip("'"), "無断学習"),
    ("ムダンガクシュウ", "無断学習"),  # generated katakana reading
    ("ムダンガクシュー", "無断学習"),  # pronunciation form
    ("むだんがくしゅう", "無断学習"),  # hiragana reading
    ("ﾑﾀﾞﾝｶﾞｸｼｭｳ", "無断学習"),  # half-width katakana
    ("みみっく", "mimic"),  # hiragana of a katakana variant
    ("無断AI学習", "無断学習"),  # a listed variant
    ("無断　学習", "無断学習"),  # an ideographic space inside
    ("stable diffusion", "Stable Diffusion"),
    ("STABLE DIFFUSION", "Stable Diffusion"),
    ("StableDiffusion", "Stable Diffusion"),
    ("stablediffusion", "Stable Diffusion"),
    ("Stable  Diffusion", "Stable Diffusion"),
    ("ステーブルディフュージョン", "Stable Diffusion"),
    ("SDXL", "Stable Diffusion"),
    ("ミッドジャーニー", "Midjourney"),
    ("#NovelAI", "NovelAI"),
    ("laion-5b", "LAION"),
    ("ピクシブ", "pixiv"),
    ("グレーズ", "Glaze"),
    ("30条の4", "著作権法30条の4"),
    ("  無断転載  ", "無断転載"),
]


@pytest.mark.parametrize(("typed", "canonical"), RESOLVE, ids=[t for t, _ in RESOLVE])
def test_any_spelling_resolves_to_its_canonical_term(typed: str, canonical: str) -> None:
    assert TERMS.resolve(typed) == canonical


@pytest.mark.parametrize("typed", ["無断学集", "nothing", "", "#", "ミミ", "無断", "学習", "AI"])
def test_unknown_text_resolves_to_none(typed: str) -> None:
    assert TERMS.resolve(typed) is None


SUGGEST = [
    # (typo, the first suggestion)
    ("無断学集", "無断学習"),
    ("無断学修", "無断学習"),
    ("無断転戴", "無断転載"),
    ("mimc", "mimic"),
    ("mimik", "mimic"),
    ("Stable Difusion", "Stable Diffusion"),
    ("midjurney", "Midjourney"),
    ("ミミク", "mimic"),
    ("ムダンガクシュ", "無断学習"),
    ("novel-ai", "NovelAI"),
    ("Lora学習", "LoRA"),
    ("pixv", "pixiv"),
    ("学習禁", "学習禁止"),
]


@pytest.mark.parametrize(("typo", "first"), SUGGEST, ids=[t for t, _ in SUGGEST])
def test_a_typo_gets_the_closest_terms(typo: str, first: str) -> None:
    found = TERMS.suggest(typo)
    assert found and found[0] == first
    assert len(found) <= 3 and len(set(found)) == len(found)
    assert all(TERMS.resolve(name) == name for name in found)  # canonical terms only


def test_suggest_respects_n_and_gives_nothing_for_far_text() -> None:
    assert len(TERMS.suggest("無断", n=5)) <= 5
    assert TERMS.suggest("無断学集", n=1) == ["無断学習"]
    assert TERMS.suggest("無断学集", n=0) == []
    assert TERMS.suggest("zzzzzzzzzz") == []
    assert TERMS.suggest("") == []


def test_a_users_own_term_resolves_too() -> None:
    terms = load_terms_text('[[term]]\ncanonical = "トレパク"\ncategory = "practice"\nvariants = ["トレース盗用"]\n')
    assert terms.resolve("とれぱく") == "トレパク"
    assert terms.resolve("トレース盗用") == "トレパク"
    assert terms.suggest("トレパック")[0] == "トレパク"
    assert terms.resolve("無断学習") == "無断学習"  # merged with the default
