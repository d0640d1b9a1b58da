"""Candidate words from real fugashi + unidic-lite tokens (tables of text -> words that must / must not appear)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dtrack.nlp import candidates as cand
from dtrack.nlp.candidates import (
    StoplistError,
    candidate_rows,
    candidates_of,
    load_stoplist,
    normalise,
    word_form,
)

# (text, words that must be candidates, words that must not); unidic-lite splits as noted
CASES = [
    # noun compounds: 無断+学習, and the longer form next to it (neither hides the other)
    ("自分の絵を無断学習されたくない", {"無断学習"}, {"無断", "学習", "絵"}),
    ("プロフィールに無断学習禁止と書いた", {"無断学習", "無断学習禁止", "学習禁止", "プロフィール"}, {"禁止"}),
    # 画像+生成+AI, normalised to lower case
    ("画像生成AIの話", {"画像生成", "画像生成ai", "生成ai", "ai"}, {"画像生成AI", "話"}),
    # katakana runs and single katakana words
    ("ステーブルディフュージョンを試した", {"ステーブルディフュージョン", "ステーブル", "ディフュージョン"}, set()),
    # Latin words and product names: a space between Latin words is kept as one space
    ("Stable Diffusionが公開された", {"stable diffusion", "stable", "diffusion"}, {"stablediffusion"}),
    ("NovelAIとLoRAとmimic", {"novelai", "lora", "mimic"}, set()),
    # full-width letters are NFKC-normalised
    ("ＭＩＭＩＣってなに", {"mimic"}, {"ＭＩＭＩＣ"}),
    # prefixes and suffixes join a compound but never start / end one
    ("お絵描きチャレンジに参加", {"お絵描き", "お絵描きチャレンジ", "絵描きチャレンジ"}, {"お"}),
    ("法律的にはどうなんだろう", {"法律的"}, {"的"}),
    # numbers cut runs and are never candidates
    ("2022年8月29日に100円", set(), {"2022", "2022年", "100円", "100", "年", "月"}),
    # URLs and mentions are removed before tokenising; stop words go
    ("RT @user_1: 見て https://t.co/AbC123 www", set(), {"rt", "user", "https", "t.co", "abc123", "www", "co"}),
    # whitespace between Japanese words cuts a compound
    ("イラスト 無断学習", {"イラスト", "無断学習"}, {"イラスト無断学習"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:12] for c in CASES])
def test_candidates_table(text: str, present: set[str], absent: set[str]) -> None:
    words = set(candidates_of([text])[0])
    assert present <= words, f"missing {present - words} in {sorted(words)}"
    assert not (absent & words), f"unexpected {absent & words}"


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("自分の絵を守る #無断学習禁止", {"無断学習禁止"}),
        ("＃ＡＩart と #お絵描きチャレンジ", {"aiart", "お絵描きチャレンジ"}),
        ("#2022 #123", set()),  # a number is not a tag word
    ],
)
def test_hashtags_are_one_candidate_with_the_bare_word(text: str, tags: set[str]) -> None:
    found = candidates_of([text])[0]
    assert {w for w, tagged in found.items() if tagged} == tags
    assert not any(w.startswith("#") for w in found)


def test_bare_use_is_not_flagged_as_hashtag() -> None:
    assert candidates_of(["無断学習禁止です"])[0]["無断学習禁止"] is False


def test_normalise_and_word_form() -> None:
    assert normalise("ＡＩ\n学習 @someone https://x.example/a?b=1") == "ai 学習"
    assert word_form("＃無断学習禁止") == "無断学習禁止"
    assert word_form("Stable  Diffusion") == "stable diffusion"


def test_empty_and_null_texts() -> None:
    rows = candidate_rows(pl.DataFrame({"text": [None, "", "無断学習"]}, schema={"text": pl.String}), workers=1)
    assert rows.get_column("row").to_list() == [2]
    assert rows.get_column("word").to_list() == ["無断学習"]


def test_pool_gives_the_same_rows_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"画像生成AIの無断学習{i % 7}回目 #テスト{i % 3}" for i in range(600)]
    frame = pl.DataFrame({"text": texts})
    single = candidate_rows(frame, workers=1)
    monkeypatch.setattr(cand, "PARALLEL_MIN", 100)
    monkeypatch.setattr(cand, "CHUNK", 50)
    pooled = candidate_rows(frame, workers=2)
    assert pooled.equals(single)
    assert single.filter(pl.col("word") == "テスト1").get_column("hashtag").all()


def test_stoplist_file(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# my stop words\n\nＡＩ\n#推し活\nStable  Diffusion\n#\n", encoding="utf-8")
    assert load_stoplist(path) == {"ai", "推し活", "stable diffusion"}


def test_stoplist_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(StoplistError, match=r"missing\.txt"):
        load_stoplist(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(StoplistError, match="not UTF-8"):
        load_stoplist(bad)
