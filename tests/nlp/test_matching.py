"""Table-driven (text, expected hits) tests of the matcher with the default dictionary.

Assumes fugashi + unidic-lite 1.0.8 (pinned in pyproject): 無断学習 -> 無断|学習,
"mimicry" is one unknown token, AIイラストレーター -> AI|イラストレーター.
Every expected hit is (term, variant as written in the post, ai_context); the
offsets of every hit are checked to cut exactly that variant out of the text.
"""

from __future__ import annotations

import pytest

from dtrack.nlp.tagger import tag_texts
from dtrack.nlp.terms import load_terms

TERMS = load_terms()

# (id, text, [(term, variant, ai_context)])
CASES = [
    # 無断学習 and its relatives
    ("plain", "無断学習はやめて", [("無断学習", "無断学習", False)]),
    # a do-not-train notice is AI context: 無断学習 next to 学習禁止 is one of 学習禁止's context words
    ("inside-notice", "無断学習禁止です", [("無断学習", "無断学習", True), ("学習禁止", "学習禁止", True)]),
    ("cram-school-excluded", "駅前の無断学習塾", []),
    ("cram-school-then-real", "無断学習塾ではなく無断学習の話",
     [("無断学習", "無断学習", False)]),
    ("katakana-reading", "ムダンガクシュウ反対", [("無断学習", "ムダンガクシュウ", False)]),
    ("katakana-long-vowel", "ムダンガクシューって何", [("無断学習", "ムダンガクシュー", False)]),
    ("hiragana-reading", "むだんがくしゅうはだめ", [("無断学習", "むだんがくしゅう", False)]),
    ("half-width-katakana", "ﾑﾀﾞﾝｶﾞｸｼｭｳ！", [("無断学習", "ﾑﾀﾞﾝｶﾞｸｼｭｳ", False)]),
    ("variant-ai-in-middle", "無断AI学習は違法？", [("無断学習", "無断AI学習", True)]),
    ("not-a-token-sequence", "無断で学習した", []),
    # hashtags with # and ＃
    ("hashtag", "#無断学習禁止", [("無断学習", "#無断学習", True), ("学習禁止", "学習禁止", True)]),
    ("full-width-hashtag", "＃無断学習禁止 ＃無断転載禁止",
     [("無断学習", "＃無断学習", True), ("学習禁止", "学習禁止", True), ("無断転載", "＃無断転載", True)]),
    ("hashtag-alone", "#無断学習", [("無断学習", "#無断学習", False)]),
    # full-width and case
    ("full-width-latin", "ＡＩイラスト！", [("AIイラスト", "ＡＩイラスト", True)]),
    ("full-width-service", "ＮｏｖｅｌＡＩの件", [("NovelAI", "ＮｏｖｅｌＡＩ", True)]),
    # Midjourney is also an AI cue word, so it is its own evidence
    ("upper-case", "MIDJOURNEY v4", [("Midjourney", "MIDJOURNEY", True)]),
    # any spelling of an always-AI term is AI context
    ("katakana-service", "ミッドジャーニーで描いた", [("Midjourney", "ミッドジャーニー", True)]),
    # mimic vs mimicry vs ミミック: the service counts only in AI context
    ("mimic-ai", "Mimic AI 使ってみた", [("mimic", "Mimic", True)]),
    ("mimic-lower-ai", "mimicってAIイラストサービス",
     [("mimic", "mimic", True), ("AIイラスト", "AIイラスト", True)]),
    ("mimic-no-ai", "mimic is a word", []),
    ("mimicry", "mimicry in AI research", []),
    ("mimic-verb-excluded", "AI can mimic the style of artists", []),
    ("monster", "宝箱がミミックだった", []),
    ("katakana-mimic-ai", "AIのミミック、炎上してる", [("mimic", "ミミック", True)]),
    ("full-width-mimic-ai", "ｍｉｍｉｃはAIサービス", [("mimic", "ｍｉｍｉｃ", True)]),
    # token boundaries for Latin and Japanese
    ("illustrator-is-not-illustration", "AIイラストレーター募集", [("AI絵師", "AIイラストレーター", True)]),
    ("latin-whole-token", "pixivFANBOXで支援", []),
    ("latin-punctuation", "pixiv.netに投稿 / Pixivで", [("pixiv", "pixiv.net", False), ("pixiv", "Pixiv", False)]),
    ("longest-same-term", "LAION-5Bに自分の絵が", [("LAION", "LAION-5B", True)]),
    ("lora-radio", "LoRa通信モジュール", []),
    ("lora-ai", "LoRAで追加学習したモデル", [("LoRA", "LoRA", True)]),
    # HTML leftovers never hide or fake a hit
    ("html-entity", "&amp;無断転載&lt;br&gt;", [("無断転載", "無断転載", False)]),
    ("html-tags", "<p>AIイラスト</p>", [("AIイラスト", "AIイラスト", True)]),
    ("html-quot-no-ai", "&quot;mimic&quot; &amp; more", []),
    ("html-quot-ai", "&quot;mimic&quot; はAI", [("mimic", "mimic", True)]),
    # emoji: offsets are code points
    ("emoji-around", "🎨無断学習😡", [("無断学習", "無断学習", False)]),
    ("emoji-zwj", "👩‍🎨👩‍🎨AI絵師さん🇯🇵", [("AI絵師", "AI絵師", True)]),
    ("emoji-splits", "無断😡学習", []),
    ("emoji-variation-selector", "❤️無断転載❤️", [("無断転載", "無断転載", False)]),
    # line breaks and spaces inside a term
    ("line-break", "無断\n学習はだめ", [("無断学習", "無断\n学習", False)]),
    ("crlf-break", "無断\r\n学習", [("無断学習", "無断\r\n学習", False)]),
    ("ideographic-space", "無断　学習", [("無断学習", "無断　学習", False)]),
    ("latin-break", "Stable\nDiffusion公開", [("Stable Diffusion", "Stable\nDiffusion", True)]),
    ("latin-words-stay-apart", "a novel approach", []),
    # a dash or tilde typed for the long-vowel mark between katakana
    ("dash-long-vowel", "ステ-ブルディフュージョン", [("Stable Diffusion", "ステ-ブルディフュージョン", True)]),
    ("tilde-long-vowel", "ミッドジャ～ニーで", [("Midjourney", "ミッドジャ～ニー", True)]),
    ("dash-not-between-katakana", "ミミック-ちゃん", []),
    ("zero-width-space", "無\u200b断学習を避ける", [("無断学習", "無\u200b断学習", False)]),
    ("nul", "無断\x00学習", [("無断学習", "無断\x00学習", False)]),
    # AI context and its evidence
    ("ai-cue-fragment", "絵を学習させるのは無断学習", [("無断学習", "無断学習", True)]),
    ("mail-is-not-ai", "mailで無断転載の連絡", [("無断転載", "無断転載", False)]),
    ("several-terms", "反AIとAI絵師と画像生成AI",
     [("反AI", "反AI", True), ("AI絵師", "AI絵師", True), ("画像生成AI", "画像生成AI", True)]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_cases(text: str, expected: list[tuple[str, str, bool]]) -> None:
    hits = tag_texts([text], TERMS)[0]
    for hit in hits:
        assert text[hit["start"]:hit["end"]] == hit["variant"]
    assert sorted((h["term"], h["variant"], h["ai_context"]) for h in hits) == sorted(expected)


def test_offsets_and_evidence() -> None:
    text = "🎨 AIに無断学習させるな #無断学習禁止"
    hits = tag_texts([text], TERMS)[0]
    spans = [(h["term"], h["start"], h["end"]) for h in hits]
    assert spans == [("無断学習", 5, 9), ("無断学習", 14, 19), ("学習禁止", 17, 21)]
    assert hits[0]["evidence"] == ["AI", "学習させ"]
    assert hits[1]["evidence"] == ["AI", "学習させ"]
    # evidence is per hit: 学習禁止 also has its own context word 無断学習, in text order
    assert hits[2]["evidence"] == ["AI", "無断学習", "学習させ"]


def test_offsets_after_expanding_normalisation() -> None:
    # … and ㈱ grow under NFKC, ｶﾞ shrinks: offsets must still point into the original
    text = "…㈱ｶﾞ…ＡＩイラスト…無断学習"
    hits = tag_texts([text], TERMS)[0]
    found = [(h["term"], text[h["start"]:h["end"]]) for h in hits]
    assert found == [("AIイラスト", "ＡＩイラスト"), ("無断学習", "無断学習")]


@pytest.mark.parametrize("term", TERMS.terms, ids=lambda t: t.canonical)
def test_every_spelling_of_every_term(term) -> None:
    """Each variant and reading of the default dictionary is found, in a sentence, as itself.

    Quoted, because a hiragana reading run into surrounding hiragana may be
    split differently (むだんがくしゅうはだめ works, 今日はじさくはつげん does not):
    docs/tagging.md lists that limit.
    """
    cue = "AIの話。" if term.ai_only else ""
    for spelling in (*term.variants, *term.readings):
        text = f"{cue}今日は「{spelling}」について"
        hits = [h for h in tag_texts([text], TERMS)[0] if h["term"] == term.canonical]
        assert [h["variant"] for h in hits] == [spelling], (term.canonical, spelling, hits)


def test_empty_and_blank_texts() -> None:
    assert tag_texts(["", " ", "\n", "今日は晴れ"], TERMS) == [[], [], [], []]


# -- the AI sense from the post's own words (format 2 of the dictionary) --------
# (id, text, [(term, ai_context, evidence)])
SENSE = [
    # per-term context words: the art world next to the term, no generic cue word
    ("reading-art", "ムダンガクシュウ反対！絵描きの権利を守って", [("無断学習", True, ["絵", "絵描き"])]),
    ("lora-art", "LoRA学習で特定の絵師の絵柄を再現するのは…",
     [("LoRA", True, ["LoRA", "学習", "絵", "絵師", "絵柄", "再現"])]),
    ("mimic-service", "ＭＩＭＩＣってサービス、他人の絵を勝手に…", [("mimic", True, ["他人の絵"])]),
    ("glaze-learning", "無断学習されたくない人はGlazeを",
     [("無断学習", True, ["学習され", "Glaze"]), ("Glaze", True, ["無断学習", "学習"])]),
    ("school-sense-stays", "生徒が授業を無断学習", [("無断学習", False, [])]),
    ("context-is-per-term", "絵の無断転載はやめて", [("無断転載", False, [])]),  # 絵 says nothing for 無断転載
    # any spelling of an always-AI term is AI context, for every term of the post
    ("mj-katakana", "ミッドジャーニーで無断学習", [("Midjourney", True, ["Midjourney"]),
                                                ("無断学習", True, ["Midjourney"])]),
    ("mj-spaced", "Mid Journeyのv5", [("Midjourney", True, ["Midjourney", "v5"])]),
    ("sd-katakana", "ステーブルディフュージョンって何", [("Stable Diffusion", True, ["Stable Diffusion"])]),
    ("sdxl", "SDXLで出力", [("Stable Diffusion", True, ["Stable Diffusion", "出力"])]),
    ("sd-webui", "stable-diffusion-webui 入れた", [("Stable Diffusion", True, ["Stable Diffusion", "webui"])]),
    ("wd", "WaifuDiffusionでpixivを見る",
     [("Waifu Diffusion", True, ["Waifu Diffusion"]), ("pixiv", True, ["Waifu Diffusion"])]),
    # English look-alikes, refused by the rules written in the dictionary
    ("novel-ai-framework", "a novel AI framework for robots", []),
    ("novel-ai-title-case", "A Novel AI Framework for robots", []),
    ("lora-radio-word", "LoRa通信のモジュール", []),
    ("laion-king", "The laion king is a movie", []),
    ("mid-journey", "mid-journey, the bus stopped", []),
    ("mid-journey-capital", "Mid-journey we stopped", []),
    ("physics-diffusion", "物理の stable diffusion の話", []),
    ("mimic-octopus", "Mimic Octopus is amazing", []),
    # ... while the same spellings in the AI sense still count
    ("novelai-lower-with-context", "novelaiで生成した", [("NovelAI", True, ["生成"])]),
    ("sd-lower-with-context", "stable diffusionで生成した画像", [("Stable Diffusion", True, ["生成", "画像"])]),
    ("sd-all-capitals", "ＳＴＡＢＬＥ　ＤＩＦＦＵＳＩＯＮ", [("Stable Diffusion", True, ["Stable Diffusion"])]),
    ("laion-lower-with-context", "laion-5bのデータセット", [("LAION", True, ["LAION", "5B", "データセット"])]),
    ("mj-hyphen-cased", "Mid-Journeyの月額", [("Midjourney", True, ["Midjourney"])]),
    # a weak (other-case) use never vouches for itself: the AI inside "novel AI" is not evidence for it
    ("weak-not-self", "novel AI", []),
    ("weak-with-other-evidence", "novel AIの画像", [("NovelAI", True, ["画像"])]),
    # readings run together
    ("kana-run", "ムダンガクシュウキンシ！絵師より",
     [("無断学習", True, ["絵", "絵師"]), ("学習禁止", True, ["絵", "絵師"])]),
    # context words are words, not readings: the bare notice has no evidence
    ("kana-run-hiragana", "むだんがくしゅうきんし", [("無断学習", False, []), ("学習禁止", False, [])]),
    ("kana-run-not-covered", "ムダンガクシュウキンシマーク", []),  # the run is not all readings: no cut
    ("kana-run-tensai", "ムダンテンサイキンシ", [("無断転載", False, [])]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in SENSE], ids=[c[0] for c in SENSE])
def test_ai_sense_and_its_evidence(text: str, expected: list[tuple[str, bool, list[str]]]) -> None:
    hits = tag_texts([text], TERMS)[0]
    for hit in hits:
        assert text[hit["start"]:hit["end"]] == hit["variant"]
        assert hit["ai_context"] == bool(hit["evidence"])  # every AI decision lists its words
    assert [(h["term"], h["ai_context"], h["evidence"]) for h in hits] == expected


def test_kana_run_offsets_cut_the_readings() -> None:
    (a, b) = tag_texts(["「ムダンガクシュウキンシ」"], TERMS)[0]
    assert (a["variant"], a["start"], a["end"]) == ("ムダンガクシュウ", 1, 9)
    assert (b["variant"], b["start"], b["end"]) == ("ガクシュウキンシ", 4, 12)


def test_prefilter_keeps_posts_found_only_by_kana_cuts_and_look_alike_rules() -> None:
    """The pre-filter looks for forms; kana cuts and the cased rule only narrow what forms find."""
    import polars as pl

    from dtrack.nlp.matcher import Matcher

    texts = ["ムダンガクシュウキンシ！絵師より", "novelaiで生成した", "ミッドジャーニーで無断学習"]
    frame = pl.DataFrame({"platform": "x", "post_id": ["1", "2", "3"], "created_at": None, "text": texts})
    kept = Matcher(TERMS).prefilter.candidates(frame.lazy()).get_column("text").to_list()
    assert kept == texts


@pytest.mark.parametrize(("text", "found"), [
    ("LoRA配布禁止", True),  # written exactly as the technique: AI by itself
    ("LORA", True),  # all capitals count as the cased spelling
    ("Loraちゃんの新曲", False),  # another case, no evidence: the name
    ("loraで絵柄を学習", True),  # another case, with evidence outside it
    ("LoRa通信", False),  # the radio: an exclusion
])
def test_lora_case_decides(text: str, found: bool) -> None:
    assert any(h["term"] == "LoRA" for h in tag_texts([text], TERMS)[0]) is found


def test_hits_are_those_of_the_plain_matcher_before_the_fast_path() -> None:
    """The one-pass trie scan and the other speed-ups must not change a single hit: the fixture holds
    what the matcher found before them (main at cae9125) for varied text (NFKC-changing and
    lengthening characters, emoji and sequences, line breaks inside terms, Latin case, Greek sigma,
    combining marks, Hangul jamo, dashes between katakana, NUL and other controls)."""
    import json
    from pathlib import Path

    from dtrack.nlp.matcher import Matcher

    fixture = json.loads((Path(__file__).parent / "fixtures" / "tagging" / "varied_hits.json").read_text("utf-8"))
    assert Matcher(TERMS).encode(fixture["texts"]).split("\n") == fixture["encoded"]


def test_one_scan_finds_every_form_and_word_a_brute_force_search_finds() -> None:
    from dtrack.nlp.matcher import Matcher
    from dtrack.nlp.synthetic import generate_varied_texts
    from dtrack.nlp.tokenizer import canonical

    matcher = Matcher(TERMS)
    forms = dict(matcher.forms)
    words = set(matcher.cues) | {f for ws in matcher.context.values() for f in ws}
    for text in generate_varied_texts(1500, seed=4):
        canon = canonical(text).text
        occurrences, found = matcher._scan_all(canon)
        every = [(p, p + len(f), ts) for p in range(len(canon)) for f, ts in forms.items() if canon.startswith(f, p)]
        assert sorted(occurrences) == sorted(every)
        every_word = [(p, p + len(w)) for p in range(len(canon)) for w in words if canon.startswith(w, p)]
        assert sorted((p, e) for p, e, _ in found) == sorted(every_word)
