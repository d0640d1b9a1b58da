"""A seeded corpus that follows the 無断学習 story, with its ground truth.

The story (see /work/shared/EVENTS.md): a few non-AI uses of 無断学習 on
Twitter up to March 2021, one AI use in April 2021 (foreign news about a
chatbot trained on chat logs), more than a year of silence, a prediction on
2022-08-01, Stable Diffusion public on 2022-08-22 and posts wondering about
"無断学習禁止" notices on 08-23/24, then the explosion from 2022-08-29 (mimic β)
in Japan time, with a second wave when NovelAI Diffusion opened on 2022-10-03.
Around it: 無断転載 used steadily from the first day, the mimic and NovelAI
terms, background posts on two platforms, and reposts.

Timestamps are chosen so that Japan time matters: the first use, the first
AI use and a third of the first explosion day fall on the previous day in UTC.

``generate_story`` returns generic-NDJSON post records (what the ingest loop
reads) and ground-truth hits (what a correct tagger would find), so analysis
tests can run without the tagger. ``daily_rates`` gives the same story as
expected uses per day, for generating large stores in bench/.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import orjson
import polars as pl

from dtrack.data.schema import HIT_SCHEMA, POST_SCHEMA

TZ = ZoneInfo("Asia/Tokyo")
START = dt.date(2020, 1, 1)
END = dt.date(2023, 12, 31)

# -- the facts a tracker must reproduce (local days in Asia/Tokyo) ------------
EARLY_NON_AI = (dt.date(2020, 2, 10), dt.date(2020, 7, 15), dt.date(2020, 11, 3), dt.date(2021, 3, 12))
FIRST_USE = EARLY_NON_AI[0]
FIRST_AI_USE = dt.date(2021, 4, 20)
PREDICTION = dt.date(2022, 8, 1)
SD_RELEASE = dt.date(2022, 8, 22)
NOTICE_DAYS = {dt.date(2022, 8, 23): 2, dt.date(2022, 8, 24): 3}
TAKEOFF = dt.date(2022, 8, 29)  # mimic β
MIMIC_SUSPENDED = dt.date(2022, 8, 30)
NOVELAI = dt.date(2022, 10, 3)
#: 無断学習 uses per day for the first days of the explosion (then a decay to a plateau).
EXPLOSION = (150, 300, 200, 120, 80)
PEAK = dt.date(2022, 8, 30)
#: Longest silence of 無断学習 before takeoff: the days strictly between these.
DORMANT_AFTER, DORMANT_UNTIL = FIRST_AI_USE, PREDICTION

#: AI cue words: a hit is AI-context when its post contains one (as the tagger decides).
AI_CUES = ("Stable Diffusion", "画像生成", "学習させ", "プロンプト", "モデル", "AI")
CATEGORY = {"無断学習": "rights", "無断転載": "rights", "mimic": "service", "NovelAI": "service"}

#: Before AI: studying from someone else's notes or in a study room without asking (図書室, 自習室, 勉強).
EARLY_TEXTS = (
    "友達のノートを無断学習して図書室で勉強したら成績が上がった(ごめん)",
    "兄の参考書で無断学習している妹、自習室でも勉強してる",
    "図書室の本で無断学習って言い方おもしろいな、勉強は勉強",
    "自習室で先輩の勉強ノートを無断学習して真似してみた",
)
APRIL_2021 = "海外ニュース: メッセージアプリの会話をAIチャットボットに無断学習していた会社が問題になっているらしい"
PREDICTION_TEXT = "これからAIイラストが広まったら「無断学習」って言葉が大きな話題になりそう"
NOTICE_TEXTS = (
    "Stable Diffusionが公開されたし、プロフィールの「無断転載禁止」の次は「無断学習禁止」も書く時代になるのかな",
    "画像生成AIが出てきたから、無断転載禁止と並べて無断学習禁止って書いておくべき?",
)
EXPLOSION_TEXTS = (
    "mimicのβ版、他人の絵をAIに無断学習させる人が絶対出てくるでしょ",
    "自分の絵を無断学習されたくないので、プロフィールに #無断学習禁止 を追加しました。AI学習はお断りです",
    "画像生成AIの無断学習、法律的にはどうなんだろう",
    "無断学習されたイラストでAIが絵柄を真似るの本当につらい。絵師が気の毒",
    "AIイラストの無断学習問題、mimicで一気に可視化された感じがする",
    "無断学習対策に透かしを入れるべき? AIこわい",
)
NOVELAI_TEXTS = (
    "NovelAIの画像生成、絵柄がすごいけど無断学習では?というAIの議論が再燃してる",
    "NovelAIでAIイラスト作ってみた",
    "NovelAIの学習元ってどこなんだろう、AIの話題が尽きない",
)
NOVELAI_EARLY = "NovelAIで小説の続きをAIに書いてもらうの楽しい"
MIMIC_TEXTS = (
    "mimicってAIサービス、イラストレーター向けらしい",
    "mimic、AIで絵柄を学習させるの怖すぎる",
    "mimicのβ版がもう停止したらしい。AIの件、すごい反応だった",
)
TENSAI_TEXTS = (
    "イラストの無断転載はやめてください",
    "無断転載禁止です。よろしくお願いします",
    "この画像、無断転載されてる…",
    "まとめサイトに無断転載されていた",
)
BACKGROUND_TEXTS = (
    "今日はいい天気",
    "ラーメン食べた",
    "新刊の表紙が公開されました",
    "週末は原稿がんばる",
    "電車が遅れてる",
    "ねこがかわいい",
    "締め切りまであと三日",
    "ライブのチケット当たった!",
)


@dataclass
class Story:
    """Post records (generic NDJSON) and the hits a correct tagger finds in them."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)

    def write_ndjson(self, path: Path) -> Path:
        """Write the posts as one JSON object per line (what ``dtrack ingest`` reads)."""
        with open(path, "wb") as fh:
            for post in self.posts:
                fh.write(orjson.dumps(post) + b"\n")
        return path

    def hits_frame(self) -> pl.DataFrame:
        """The ground-truth hits in HIT_SCHEMA."""
        return pl.DataFrame(self.hits, schema=HIT_SCHEMA, orient="row")

    def posts_frame(self) -> pl.DataFrame:
        """The posts in POST_SCHEMA (provenance left empty), for building stores directly."""
        frame = pl.DataFrame(self.posts).with_columns(
            created_at=pl.col("created_at").str.to_datetime(time_zone="UTC", time_unit="us")
        )
        missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in POST_SCHEMA.items()
                   if name not in frame.columns]
        return frame.with_columns(missing).select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]


def _ai_cues(text: str) -> list[str]:
    probe = text.replace("NovelAI", "")  # the AI inside a name is not a cue
    return [cue for cue in AI_CUES if cue in probe]


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.story = Story()
        self.seq = 0

    def at(self, day: dt.date, hour: float | None = None) -> dt.datetime:
        """A UTC time on a Japan-time day (random hour unless given)."""
        hour = float(self.rng.uniform(0, 24)) if hour is None else hour
        local = dt.datetime.combine(day, dt.time(), TZ) + dt.timedelta(seconds=round(hour * 3600))
        return local.astimezone(dt.UTC)

    def post(
        self,
        when: dt.datetime,
        text: str,
        *,
        platform: str = "twitter",
        author: str | None = None,
        repost_of: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.seq += 1
        post_id = str(1_000_000 + self.seq)
        author = author or f"u{int(self.rng.integers(0, 20_000))}"
        record = {
            "platform": platform,
            "post_id": post_id,
            "created_at": when.isoformat().replace("+00:00", "Z"),
            "author_id": author,
            "author_name": f"name_{author}",
            "text": text,
            "lang": "ja",
            "is_repost": repost_of is not None,
            "repost_of": repost_of["post_id"] if repost_of else None,
            "url": f"https://example.org/{platform}/{author}/{post_id}",
        }
        self.story.posts.append(record)
        self._truth(record, when)
        return record

    def repost(self, original: dict[str, Any], when: dt.datetime) -> dict[str, Any]:
        text = f"RT @{original['author_name']}: {original['text']}"
        return self.post(when, text, platform=original["platform"], repost_of=original)

    def _truth(self, record: dict[str, Any], when: dt.datetime) -> None:
        text = record["text"]
        cues = _ai_cues(text)
        for term in CATEGORY:
            begin = text.find(term)
            while begin >= 0:
                self.story.hits.append(
                    {
                        "platform": record["platform"],
                        "post_id": record["post_id"],
                        "created_at": when,
                        "term": term,
                        "category": CATEGORY[term],
                        "variant": term,
                        "start": begin,
                        "end": begin + len(term),
                        "ai_context": bool(cues),
                        "evidence": cues,
                        "tagger_version": "story-truth",
                        "dictionary_hash": "story-truth",
                    }
                )
                begin = text.find(term, begin + len(term))

    def choice(self, texts: tuple[str, ...]) -> str:
        return texts[int(self.rng.integers(0, len(texts)))]


def _days() -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def mudan_gakushu_rate(day: dt.date) -> float:
    """Expected 無断学習 posts on a day after takeoff (0 before)."""
    k = (day - TAKEOFF).days
    if k < 0:
        return 0.0
    if k < len(EXPLOSION):
        return float(EXPLOSION[k])
    plateau = 12.0 - 6.0 * (day - TAKEOFF).days / (END - TAKEOFF).days
    wave = 25.0 * math.exp(-(day - NOVELAI).days / 6) if day >= NOVELAI else 0.0
    return plateau + 60.0 * math.exp(-(k - len(EXPLOSION)) / 8) + wave


def novelai_rate(day: dt.date) -> float:
    """Expected NovelAI posts: a trickle from mid-2021 (text service), a burst from 2022-10-03."""
    if day < dt.date(2021, 6, 15):
        return 0.0
    if day < NOVELAI:
        return 0.05
    return 4.0 + 40.0 * math.exp(-(day - NOVELAI).days / 10)


def mimic_rate(day: dt.date) -> float:
    """Expected mimic posts: the β launch and its suspension, then a trickle."""
    k = (day - TAKEOFF).days
    if k < 0:
        return 0.0
    return (80.0, 150.0, 60.0)[k] if k < 3 else 0.3 + 20.0 * math.exp(-(k - 3) / 4)


TENSAI_RATE = 3.0
BACKGROUND_RATE = {"twitter": 12.0, "mastodon": 3.0}


def daily_rates() -> dict[str, np.ndarray]:
    """Expected uses per day of each term over START..END (index 0 = START), the story's shape."""
    days = _days()
    return {
        "無断学習": np.array([mudan_gakushu_rate(d) for d in days]),
        "無断転載": np.full(len(days), TENSAI_RATE),
        "mimic": np.array([mimic_rate(d) for d in days]),
        "NovelAI": np.array([novelai_rate(d) for d in days]),
    }


def generate_story(seed: int = 2022, *, background: float = 1.0) -> Story:
    """The story corpus (about 35,000 posts at ``background=1``), deterministic for a seed."""
    b = _Builder(seed)
    rng = b.rng
    # the four non-AI uses; the first falls on the previous day in UTC
    for i, day in enumerate(EARLY_NON_AI):
        b.post(b.at(day, 0.5 if i == 0 else None), EARLY_TEXTS[i], author=f"early{i}")
    # the one AI use (07:00 JST = previous day in UTC), reposted three times
    april = b.post(b.at(FIRST_AI_USE, 7.0), APRIL_2021, author="newsbot")
    for k in range(3):
        b.repost(april, b.at(FIRST_AI_USE, 9.0 + k))
    prediction = b.post(b.at(PREDICTION, 12.0), PREDICTION_TEXT, author="seer")
    b.repost(prediction, b.at(PREDICTION, 13.0))
    for day, n in NOTICE_DAYS.items():
        for k in range(n):
            b.post(b.at(day, 10.0 + 3 * k), NOTICE_TEXTS[k % len(NOTICE_TEXTS)])
    for day in _days():
        # the explosion (a tenth on mastodon, a fifth reposted)
        for _ in range(int(rng.poisson(mudan_gakushu_rate(day)))):
            text = b.choice(NOVELAI_TEXTS[:1] + EXPLOSION_TEXTS if day >= NOVELAI else EXPLOSION_TEXTS)
            original = b.post(b.at(day), text, platform="mastodon" if rng.random() < 0.1 else "twitter")
            if rng.random() < 0.2:
                b.repost(original, b.at(day))
        for _ in range(int(rng.poisson(mimic_rate(day)))):
            b.post(b.at(day), b.choice(MIMIC_TEXTS))
        for _ in range(int(rng.poisson(novelai_rate(day)))):
            b.post(b.at(day), b.choice(NOVELAI_TEXTS[1:]) if day >= NOVELAI else NOVELAI_EARLY)
        for _ in range(int(rng.poisson(TENSAI_RATE))):
            b.post(b.at(day), b.choice(TENSAI_TEXTS))
        for platform, rate in BACKGROUND_RATE.items():
            for _ in range(int(rng.poisson(rate * background))):
                b.post(b.at(day), b.choice(BACKGROUND_TEXTS), platform=platform)
    return b.story


# -- discovery: words nobody listed yet ----------------------------------------
#: A word used at the same rate every day by many accounts: never "rising".
STEADY_WORD = "在宅勤務"
STEADY_TEXTS = ("今日も在宅勤務がんばる", "在宅勤務のために椅子を買った", "在宅勤務って楽しいよね")
STEADY_RATE = 6.0
#: One account repeating a word in one week: not a word taking off.
SPAM_WORD = "激安セール"
SPAM_TEXTS = ("激安セール開催中!今すぐチェック", "本日限定の激安セールです")
SPAM_WEEK = dt.date(2022, 3, 7)
SPAM_POSTS = 150
#: A hashtag never seen before, picked up by many accounts.
NEW_HASHTAG = "お絵描きチャレンジ"
HASHTAG_START = dt.date(2022, 6, 6)
HASHTAG_TEXTS = ("今週のお題で描いた! #お絵描きチャレンジ", "参加します #お絵描きチャレンジ",
                 "#お絵描きチャレンジ 初参加です")


def hashtag_rate(day: dt.date) -> float:
    """Expected posts with the new hashtag: none before HASHTAG_START, then a burst and a tail."""
    k = (day - HASHTAG_START).days
    return 0.0 if k < 0 else 2.0 + 20.0 * math.exp(-k / 10)


def generate_discovery_story(seed: int = 2022, *, background: float = 1.0) -> Story:
    """The 無断学習 story plus a steady word, a one-account spam word and a new hashtag (see above)."""
    story = generate_story(seed, background=background)
    b = _Builder(seed + 1)
    b.seq = 500_000  # ids after the story's
    b.story = Story()
    for day in _days():
        for _ in range(int(b.rng.poisson(STEADY_RATE))):
            b.post(b.at(day), b.choice(STEADY_TEXTS))
        for _ in range(int(b.rng.poisson(hashtag_rate(day)))):
            b.post(b.at(day), b.choice(HASHTAG_TEXTS))
    for k in range(SPAM_POSTS):
        b.post(b.at(SPAM_WEEK + dt.timedelta(days=k % 7)), SPAM_TEXTS[k % 2], author="spam1")
    story.posts.extend(b.story.posts)
    story.hits.extend(b.story.hits)
    return story


def burst_posts(burst_text: str, *, week: dt.date = TAKEOFF, accounts: int = 12) -> pl.DataFrame:
    """A small store's posts (POST_SCHEMA): eight quiet weeks of 30 everyday posts by 30 accounts, then a
    week (starting ``week``) where ``accounts`` of them write ``burst_text``. For CLI and page tests of
    discovery, where the whole story would be slow."""
    rows = []
    n = 0
    for k in range(9):
        monday = week - dt.timedelta(weeks=8 - k)
        for i in range(30):
            n += 1
            text = "今日は在宅勤務でした" if i % 2 else "ラーメンを食べた"
            if k == 8 and i < accounts:
                text = burst_text
            rows.append({"platform": "twitter", "post_id": str(n), "author_id": f"u{i}",
                         "created_at": dt.datetime.combine(monday + dt.timedelta(days=i % 7), dt.time(3), dt.UTC),
                         "text": text, "is_repost": False, "url": f"https://example.org/{n}"})
    frame = pl.DataFrame(rows)
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in POST_SCHEMA.items() if c not in frame.columns]
    return frame.with_columns(missing).select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]
