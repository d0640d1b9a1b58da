"""Write the bundled demo exports in data/samples/ (seeded, so the files are reproducible).

The posts are invented for the demo (the project's own sentences) but follow the dated story of
無断学習 in /shared/EVENTS.md, spread over the export formats dtrack reads, each file in its
platform's real shape:

- twitter-search-2022.jsonl    twarc2 API v2 response pages (the main Twitter record)
- x-archive-illustrator/       an illustrator's own "download your data" archive folder
- mastodon-outbox.json         a Mastodon account's ActivityStreams outbox
- misskey-notes.json           a Misskey notes export
- reddit-comments.ndjson       Pushshift-style Reddit comments
- 5ch-1661740000.dat           a 5ch thread (Shift_JIS)
- survey-posts.csv             a generic CSV (e.g. from a survey or another tool)

Usage: python scripts/make_samples.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
SEED = 20220829
START, END = dt.date(2020, 1, 1), dt.date(2023, 6, 30)

BACKGROUND = [
    "今日は雨なので家で絵を描いています", "新しいペンタブが届いた", "締め切りが近くて眠い",
    "ラーメン食べて元気出た", "猫がキーボードの上で寝ている", "週末は展示会に行く予定です",
    "色塗りのコツがやっと分かってきた", "朝から電車が遅れていた", "コーヒーを淹れて作業開始",
    "ラフを三枚描いた", "配信を見ながら作業中", "今月の目標は毎日クロッキー",
]
TENSAI = [  # 無断転載: an old, steady word
    "イラストの無断転載はご遠慮ください", "無断転載を見つけたので通報しました",
    "無断転載禁止と書いても転載される", "まとめサイトへの無断転載が多すぎる",
]
EARLY_NON_AI = [  # 無断学習 before AI: rare, other meanings
    (dt.datetime(2019, 11, 5, 21, 0), "自習室を予約せずに使う無断学習はやめましょうと掲示が出ていた"),
    (dt.datetime(2020, 3, 12, 19, 30), "子どもが塾をさぼって図書館で無断学習していたらしい"),
    (dt.datetime(2020, 9, 2, 8, 15), "社内研修の資料で無断学習という言葉を初めて見た"),
    (dt.datetime(2021, 2, 18, 22, 40), "無断学習って学校の用語なのかな"),
]
FIRST_AI = (dt.datetime(2021, 4, 16, 12, 5),
            "海外のニュース:メッセージアプリの会話でAIチャットボットを無断学習させていたとして問題に")
PREDICTION = (dt.datetime(2022, 8, 1, 23, 10),
              "画像生成AIが広まったら「無断学習」がAIイラストの文脈で大きな言葉になると思う")
NOTICES = [
    (dt.datetime(2022, 8, 23, 9, 30), "無断転載禁止に加えて #無断学習禁止 もプロフィールに書くべき?"),
    (dt.datetime(2022, 8, 23, 20, 45), "Stable Diffusionが公開されたので「無断学習禁止」の注意書きを追加しました"),
    (dt.datetime(2022, 8, 24, 13, 0), "無断学習禁止って書いてもAIのモデルには効かないのでは"),
]
EXPLOSION = [
    "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る", "無断学習で作られたAIイラストは使いたくない",
    "#無断学習禁止 自分の絵をAIに学習させないでください", "画像生成AIの無断学習について考えをまとめた",
    "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題", "ムダンガクシュウってまだ法律的にはグレーなの?",
    "無断学習禁止の一文を全作品に入れました", "AI絵師の無断学習への反発がすごい",
    "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
]
LATER = {
    "NovelAI": ["NovelAIの画像生成、Danbooruの絵で学習しているらしい", "NovelAI Diffusionが公開された"],
    "LoRA": ["LoRAで特定の絵師の画風を真似るのは無断学習では", "LoRAの配布サイトが増えてきた"],
    "mimic": ["AI作画のmimicがサービスを一時停止した", "mimic、本人の絵だけをAIに学習させる仕組みに変わるらしい"],
    "画像生成AI": ["画像生成AIのプロンプトを研究中", "画像生成AIと著作権の話が盛り上がっている"],
}
AUTHORS = [f"user{i:03d}" for i in range(1, 121)]


def _days() -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def story_posts(rng: random.Random) -> list[dict]:
    """All posts of the story as plain dicts (local JST time, text, author, kind)."""
    posts: list[dict] = []

    def add(when: dt.datetime, text: str, author: str | None = None) -> None:
        posts.append({"time": when.replace(tzinfo=JST), "text": text, "author": author or rng.choice(AUTHORS)})

    for day in _days():
        for _ in range(rng.choice((0, 1, 1, 2))):
            add(dt.datetime.combine(day, dt.time(rng.randint(7, 23), rng.randint(0, 59))), rng.choice(BACKGROUND))
        if rng.random() < 0.08:
            add(dt.datetime.combine(day, dt.time(rng.randint(8, 23), rng.randint(0, 59))), rng.choice(TENSAI))
    for when, text in [*EARLY_NON_AI, FIRST_AI, PREDICTION, *NOTICES]:
        add(when, text)
    burst_start = dt.date(2022, 8, 29)
    for offset in range(0, 120):
        day = burst_start + dt.timedelta(days=offset)
        n = max(0, round(40 * (0.93 ** offset) + rng.random() * 2))
        for _ in range(n):
            add(dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59))), rng.choice(EXPLOSION))
    for term, start in (("NovelAI", dt.date(2022, 10, 3)), ("LoRA", dt.date(2022, 12, 5)),
                        ("mimic", dt.date(2022, 8, 30)), ("画像生成AI", dt.date(2022, 8, 22))):
        for offset in range(0, 150):
            if rng.random() < 0.5 * (0.97 ** offset):
                day = start + dt.timedelta(days=offset)
                add(dt.datetime.combine(day, dt.time(rng.randint(8, 23), rng.randint(0, 59))), rng.choice(LATER[term]))
    posts.sort(key=lambda p: p["time"])
    return posts


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_twarc(posts: list[dict], out: Path, rng: random.Random) -> None:
    users = {a: str(10**9 + i) for i, a in enumerate(AUTHORS)}
    lines = []
    for page_start in range(0, len(posts), 100):
        page = posts[page_start:page_start + 100]
        data, used = [], set()
        for i, p in enumerate(page, page_start):
            tid = str(1_500_000_000_000_000_000 + i * 7919)
            data.append({"id": tid, "text": p["text"], "created_at": _iso(p["time"]), "author_id": users[p["author"]],
                         "lang": "ja", "conversation_id": tid, "edit_history_tweet_ids": [tid]})
            used.add(p["author"])
        includes = {"users": [{"id": users[a], "username": a, "name": a.upper()} for a in sorted(used)]}
        lines.append({"data": data, "includes": includes,
                      "meta": {"result_count": len(data), "newest_id": data[-1]["id"], "oldest_id": data[0]["id"]},
                      "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0",
                                  "retrieved_at": "2023-05-20T03:00:00+00:00"}})
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")


def write_x_archive(posts: list[dict], out: Path, rng: random.Random) -> None:
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    items = []
    for i, p in enumerate(posts):
        tid = str(1_300_000_000_000_000_000 + i * 104_729)
        text = p["text"] if rng.random() > 0.15 else "RT @" + rng.choice(AUTHORS) + ": " + p["text"]
        created = p["time"].astimezone(dt.UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")
        items.append({"tweet": {"id": tid, "id_str": tid, "full_text": text, "created_at": created, "lang": "ja",
                                "retweeted": False, "favorite_count": "0", "retweet_count": "0",
                                "truncated": False, "display_text_range": ["0", str(len(text))],
                                "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}}})
    rng.shuffle(items)  # real archives are not sorted
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(items, ensure_ascii=False, indent=2),
                                    encoding="utf-8")
    manifest = {"userInfo": {"accountId": "777000111", "userName": "illust_hana", "displayName": "はな"},
                "archiveInfo": {"generationDate": "2023-06-30T12:00:00.000Z", "isPartialArchive": False},
                "dataTypes": {"tweets": {"files": [{"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0",
                                                    "count": str(len(items))}]}}}
    (data / "manifest.js").write_text("window.__THAR_CONFIG = " + json.dumps(manifest, ensure_ascii=False, indent=2),
                                      encoding="utf-8")


def write_mastodon(posts: list[dict], out: Path, rng: random.Random) -> None:
    actor = "https://mastodon.example/users/kaito"
    items = []
    for i, p in enumerate(posts):
        nid = f"{actor}/statuses/{108_000_000_000_000_000 + i}"
        if rng.random() < 0.1:
            items.append({"id": nid + "/activity", "type": "Announce", "actor": actor, "published": _iso(p["time"]),
                          "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [actor + "/followers"],
                          "object": f"https://other.example/users/someone/statuses/{9000 + i}"})
            continue
        html = "<p>" + p["text"].replace("#無断学習禁止", '<a href="https://mastodon.example/tags/無断学習禁止" '
                                         'class="mention hashtag" rel="tag">#<span>無断学習禁止</span></a>') + "</p>"
        items.append({"id": nid + "/activity", "type": "Create", "actor": actor, "published": _iso(p["time"]),
                      "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [actor + "/followers"],
                      "object": {"id": nid, "type": "Note", "summary": None, "inReplyTo": None,
                                 "published": _iso(p["time"]), "url": f"https://mastodon.example/@kaito/{i}",
                                 "attributedTo": actor, "to": ["https://www.w3.org/ns/activitystreams#Public"],
                                 "cc": [actor + "/followers"], "sensitive": False, "content": html,
                                 "contentMap": {"ja": html}, "attachment": [], "tag": []}})
    outbox = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection",
              "totalItems": len(items), "orderedItems": items}
    out.write_text(json.dumps(outbox, ensure_ascii=False, indent=1), encoding="utf-8")


def write_misskey(posts: list[dict], out: Path, rng: random.Random) -> None:
    notes = []
    for i, p in enumerate(posts):
        nid = f"9{i:04d}abcd{rng.randrange(16**4):04x}"
        renote = rng.random() < 0.1
        notes.append({"id": nid, "text": None if renote else p["text"], "createdAt": _iso(p["time"]),
                      "fileIds": [], "replyId": None, "renoteId": f"9zz{i:05d}" if renote else None, "poll": None,
                      "cw": None, "visibility": "public", "visibleUserIds": [], "localOnly": False})
    out.write_text(json.dumps(notes, ensure_ascii=False, indent=1), encoding="utf-8")


def write_reddit(posts: list[dict], out: Path, rng: random.Random) -> None:
    lines = []
    for i, p in enumerate(posts):
        cid = f"j{i:05x}"
        created = int(p["time"].timestamp())
        lines.append({"id": cid, "name": f"t1_{cid}", "author": p["author"], "body": p["text"],
                      "created_utc": created if i % 3 else str(created), "subreddit": "japanlife",
                      "subreddit_id": "t5_2qh2u", "link_id": "t3_x0abcd", "parent_id": "t3_x0abcd",
                      "permalink": f"/r/japanlife/comments/x0abcd/ai_art/{cid}/", "score": rng.randint(-3, 40)})
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")


def write_5ch(posts: list[dict], out: Path, rng: random.Random) -> None:
    weekdays = "月火水木金土日"
    rows = []
    for i, p in enumerate(posts):
        t = p["time"]
        stamp = f"{t:%Y/%m/%d}({weekdays[t.weekday()]}) {t:%H:%M:%S}.{rng.randint(0, 99):02d}"
        date = f"{stamp} ID:{rng.randrange(16**8):08x}"
        body = " " + p["text"].replace("、", " <br> ") + " "
        title = "【画像生成AI】無断学習について語るスレ part1" if i == 0 else ""
        rows.append(f"名無しさん@お腹いっぱい。<>sage<>{date}<>{body}<>{title}")
    out.write_bytes(("\n".join(rows) + "\n").encode("cp932", "replace"))


def write_csv(posts: list[dict], out: Path, rng: random.Random) -> None:
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "text", "username", "platform"])
        for i, p in enumerate(posts):
            w.writerow([f"s{i:05d}", p["time"].strftime("%Y-%m-%d %H:%M:%S"), p["text"], p["author"], "survey"])


def slices(posts: list[dict]) -> dict[str, list[dict]]:
    """Which slice of the story each export holds (by file name)."""
    return {
        "twitter-search-2022.jsonl": [p for i, p in enumerate(posts) if i % 10 < 6],
        "x-archive-illustrator": [p for i, p in enumerate(posts) if i % 10 == 6 and p["time"].year >= 2021],
        "mastodon-outbox.json": [p for i, p in enumerate(posts) if i % 10 == 7 and p["time"].year >= 2022],
        "misskey-notes.json": [p for i, p in enumerate(posts) if i % 10 == 8 and p["time"].year >= 2022],
        "reddit-comments.ndjson": [p for i, p in enumerate(posts) if i % 20 == 9],
        "survey-posts.csv": [p for i, p in enumerate(posts) if i % 20 == 19],
        "5ch-1661740000.dat": [p for p in posts
                               if dt.date(2022, 8, 29) <= p["time"].date() <= dt.date(2022, 9, 2)][:300],
    }


WRITERS = {
    "twitter-search-2022.jsonl": write_twarc,
    "x-archive-illustrator": write_x_archive,
    "mastodon-outbox.json": write_mastodon,
    "misskey-notes.json": write_misskey,
    "reddit-comments.ndjson": write_reddit,
    "survey-posts.csv": write_csv,
    "5ch-1661740000.dat": write_5ch,
}


def main(out: Path) -> dict[str, int]:
    """Write every sample under ``out``; returns the number of posts in each."""
    rng = random.Random(SEED)
    posts = story_posts(rng)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, part in slices(posts).items():
        WRITERS[name](part, out / name, rng)
        counts[name] = len(part)
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "samples"
    written = main(target)
    print(f"{sum(written.values())} posts in {len(written)} exports written to {target}")
