"""Seeded synthetic Japanese posts for tests and benchmarks (never for analysis).

Why here. The pre-filter test and ``bench/tagging.py`` need the same kind of
corpus: short Japanese posts (20-140 characters) with punctuation, emoji,
URLs and hashtags, where a chosen share of posts use a term in one of the
spellings people really write (full-width, hashtags, katakana readings, line
breaks inside a term) and others carry near misses (mimicry, 無断学習塾,
プラモデル, AIart). ``tricky=True`` adds the character classes where
normalisation can go wrong (half-width kana with voiced marks, combining
accents, ideographic spaces, HTML entities, emoji sequences).
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from dtrack.data.schema import POST_SCHEMA

NOUNS = [
    "今日", "天気", "絵", "イラスト", "仕事", "猫", "ラーメン", "電車", "友達", "映画", "ゲーム", "漫画",
    "アニメ", "写真", "音楽", "学校", "会社", "週末", "作品", "締め切り", "新刊", "原稿", "タイムライン",
    "配信", "コーヒー", "散歩", "お弁当", "本屋", "同人誌", "ペンタブ", "色塗り", "線画", "背景", "資料",
    "ニュース", "技術", "データ", "勉強", "試験", "旅行", "雨", "桜", "夏祭り", "推し", "ライブ", "新作",
]
PARTICLES = ["は", "が", "を", "に", "で", "と", "も", "の", "から", "まで"]
PREDICATES = [
    "楽しかった", "疲れた", "描いた", "見に行った", "最高", "つらい", "好き", "買った", "やばい",
    "嬉しい", "頑張る", "しんどい", "美味しかった", "眠い", "終わった", "始まった", "気になる", "考えてる",
]
EXTRAS = ["！", "？", "w", "…", "😊", "🎉", "(笑)", "。", "、", "✨", "#絵描きさんと繋がりたい",
          " https://example.com/p/123 ", "！！", "〜", "♪", "ｗｗ"]
#: Spellings of dictionary terms as people write them (each is a hit for some term).
TERM_SPELLINGS = [
    "無断学習", "#無断学習禁止", "＃無断学習", "無断AI学習", "ムダンガクシュウ", "無断転載", "無断転載禁止",
    "mimic", "Mimic", "ＡＩイラスト", "AIイラスト", "AI絵師", "画像生成AI", "自作発言", "学習禁止",
    "NovelAI", "Stable Diffusion", "StableDiffusion", "Midjourney", "LoRA", "LAION-5B", "Danbooru",
    "pixiv", "Glaze", "反AI", "ミミック", "ＮｏｖｅｌＡＩ", "AI学習禁止", "ステーブルディフュージョン",
]
#: Near misses that must not count (or count only in AI context).
NEAR_MISSES = ["mimicry", "無断学習塾", "プラモデル", "mail", "Glazed", "ローラ", "pixivFANBOX",
               "無断で", "学習", "転載", "stable", "novel ai"]
AI_CUES = ["AIで", "画像生成で", "学習させた", "プロンプト", "モデル", "人工知能"]
TRICKY = ["ｶﾞｸｼｭｳ", "ﾑﾀﾞﾝｶﾞｸｼｭｳ", "e\u0301", "か\u3099", "\u3000", "&amp;", "&lt;br&gt;", "👩\u200d🎨",
          "🇯🇵", "\u00a0", "ﾐﾐｯｸ", "Ｍｉｍｉｃ", "İ", "ß", "\r\n", "\t", "①", "㈱", "…", "ｰ", "\u200b", "\x00", "\u2060"]


def _sentence(rng: random.Random) -> str:
    return (rng.choice(NOUNS) + rng.choice(PARTICLES) + rng.choice(NOUNS) + rng.choice(PARTICLES)
            + rng.choice(PREDICATES) + rng.choice(EXTRAS))


def _split_with_break(rng: random.Random, word: str) -> str:
    """Sometimes break a term across lines, as people wrap long lines."""
    if len(word) > 2 and rng.random() < 0.1:
        cut = rng.randrange(1, len(word))
        return word[:cut] + rng.choice(["\n", "\r\n", " ", "\u3000"]) + word[cut:]
    return word


def generate_texts(n: int, *, term_share: float = 0.01, seed: int = 0, tricky: bool = False,
                   near_miss_share: float = 0.01) -> list[str]:
    """``n`` posts of 20-140 characters; about ``term_share`` of them use a term and
    ``near_miss_share`` carry a near miss."""
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(n):
        target = rng.randint(20, 140)
        parts: list[str] = []
        length = 0
        while length < target:
            part = _sentence(rng)
            parts.append(part)
            length += len(part)
        if rng.random() < term_share:
            word = _split_with_break(rng, rng.choice(TERM_SPELLINGS))
            if rng.random() < 0.5:
                word += rng.choice(["禁止", "です", "は", "で", "について", "", "の件"])
            if rng.random() < 0.4:
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(AI_CUES))
            parts.insert(rng.randrange(len(parts) + 1), word)
        if rng.random() < near_miss_share:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(NEAR_MISSES))
        if tricky:
            for _ in range(rng.randint(1, 4)):
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(TRICKY))
        text = "".join(parts)
        texts.append(text[: max(target, 20) + 40])
    return texts


def generate_posts(n: int, *, term_share: float = 0.01, seed: int = 0, tricky: bool = False,
                   near_miss_share: float = 0.01, platform: str = "synthetic",
                   start: dt.datetime | None = None) -> pl.DataFrame:
    """:func:`generate_texts` as posts in POST_SCHEMA, one a minute from ``start``."""
    start = start or dt.datetime(2022, 8, 1, tzinfo=dt.UTC)
    texts = generate_texts(n, term_share=term_share, seed=seed, tricky=tricky, near_miss_share=near_miss_share)
    frame = pl.DataFrame(
        {
            "platform": [platform] * n,
            "post_id": [f"{seed}-{i}" for i in range(n)],
            "created_at": pl.datetime_range(start, start + dt.timedelta(minutes=max(n - 1, 0)), "1m",
                                            eager=True, time_zone="UTC")[:n] if n else [],
            "author_id": [f"u{i % 997}" for i in range(n)],
            "text": texts,
        }
    )
    missing = {c: pl.lit(None, dtype=t) for c, t in POST_SCHEMA.items() if c not in frame.columns}
    missing["is_repost"] = pl.lit(False)
    return frame.with_columns(**missing).select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]


#: Characters and spellings where a fast path could part from the plain one: text NFKC changes
#: (and lengthens), astral emoji and sequences, line breaks and spaces inside terms, Latin case,
#: Greek sigma, combining marks, Hangul jamo, dashes between katakana, the bulk separator.
VARIED = ["ﬁ", "㍻", "①", "…", "ＡＩ", "ｱｲ", "ｶﾞｸｼｭｳ", "e\u0301", "か\u3099", "ΣΑΣ", "σ", "ς", "İ", "ß", "ﾡﾢ",
          "\u1100\u1161", "가", "😀", "👩\u200d🎨", "🇯🇵", "\U0001f3fb", "\n", "\r\n", "\u3000", " ", "\t", "\u200b",
          "\x00", "\x01", "NOVELAI", "novel ai", "Novel AI", "Mid-Journey", "MIDJOURNEY", "lora", "LoRA", "LORA",
          "ステ-ブル", "ミッドジャ～ニー", "ス-テ-ブ", "無断\n学習", "無断 学習", "無断\u3000学習", "ＭｉＭｉＣ", "#",
          "＃",
          "ｰ", "ｰｰ", "\ufeff", "\u2028", "𠮷", "\U000e0100", "\U00031350", "ǅ", "Ω", "K"]


def generate_varied_texts(n: int, *, seed: int = 0) -> list[str]:
    """``n`` posts mixing :func:`generate_texts` (terms, near misses, tricky characters) with ``VARIED``
    pieces at random places, some posts only those: for checking that every way of tagging agrees."""
    rng = random.Random(seed)
    base = generate_texts(n, term_share=0.7, seed=seed, tricky=True, near_miss_share=0.2)
    words = TERM_SPELLINGS + NEAR_MISSES + AI_CUES
    texts: list[str] = []
    for text in base:
        pieces = [text] if rng.random() < 0.8 else []
        for _ in range(rng.randint(0, 6)):
            piece = rng.choice(VARIED) if rng.random() < 0.7 else rng.choice(words)
            if pieces and rng.random() < 0.5:
                where = rng.randrange(len(pieces))
                cut = rng.randrange(len(pieces[where]) + 1)
                pieces[where] = pieces[where][:cut] + piece + pieces[where][cut:]
            else:
                pieces.append(piece)
        texts.append("".join(pieces))
    return texts
