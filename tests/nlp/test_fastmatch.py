"""The native matcher (nlp/_fastmatch.pyx) against the pure-Python reference path.

The native path must give exactly the same ``encode`` string (hence the same hits, evidence and offsets)
as ``DTRACK_NATIVE=0`` on every input: hostile text, the benchmark corpora, random texts built from the
dictionary's own spellings, with the default dictionary and with a small one that uses every rule
(exclusions, cased spellings, ai_only, ai_always, context words, kana runs).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.nlp.matcher import NATIVE_ABI, NATIVE_ENV, Matcher, native_module
from dtrack.nlp.synthetic import AI_CUES, NEAR_MISSES, TERM_SPELLINGS, TRICKY, generate_texts, generate_varied_texts
from dtrack.nlp.terms import load_terms, load_terms_text
from dtrack.nlp.tokenizer import canonical, offsets_parser
from tests.nlp.test_tokenizer import HOSTILE

ROOT = Path(__file__).resolve().parents[2]

#: More text the two paths could disagree on: '#' before terms, kana runs, cased spellings written in
#: other cases, exclusions, terms touching emoji and every kind of whitespace, keys prefixing each other.
MORE_HOSTILE = [
    "#無断学習", "##無断学習", "＃＃無断学習禁止", "#", "無断学習#", "#mimic #Mimic #MIMIC",
    "ムダンガクシュウキンシ", "ムダンガクシュウキンシマーク", "むだんがくしゅうきんし",
    "ムダンガクシュウムダンガクシュウ",
    "a novel AI framework", "NovelAI", "novel ai", "NOVELAI", "Novel AI-assisted diagnosis", "mid-journey",
    "Mid Journey で描いた", "stable diffusion", "Stable Diffusion", "STABLE DIFFUSION",
    "無断学習塾", "駅前の無断学習塾ではなく無断学習の話", "mimicry", "AI can mimic the style", "Glazed donut",
    "無断\u200b学習", "無断\u2060学習", "無断\x00学習", "無\n断\r\n学\t習", "LAION-5B LAION LAION-5B",
    "AIAIAIAI", "AI" * 200, "ＡＩ" * 50, "ｱｲ", "🇯🇵無断学習🇯🇵", "無断学習👩\u200d🎨", "\U0001f600" * 30,
    "e\u0301\u0301\u0301 mimic", "か\u3099か\u3099", "\u1100\u1161\u11a8無断学習", "ステ-ブル ディフュ-ジョン",
    "ミッドジャ～ニー", "…無断学習…", "㍻無断学習㍻", "ﾐﾐｯｸ AI", "İstanbul AI mimic", "straße mimic",
    "pixiv.net Pixiv PIXIV", "LoRa LoRA lora", "学習させないで 無断学習", "AIイラストレーター AIイラスト",
    "\U00020bb7野家で無断学習", "　無断学習　", "\u2028無断学習\u2029", "無断学習" * 1250,
]

#: A small dictionary using every rule: exclusions, cased spellings, ai_only, ai_always, context words.
SMALL = """
version = 2
[ai_context]
cues = ["AI", "学習させ", "モデル"]

[[term]]
canonical = "無断学習"
category = "rights"
variants = ["無断AI学習"]
exclusions = ["無断学習塾"]
context = ["絵師", "イラスト"]

[[term]]
canonical = "学習禁止"
category = "rights"
context = ["無断学習"]

[[term]]
canonical = "NovelAI"
category = "service"
variants = ["Novel AI"]
cased = ["NovelAI", "Novel AI"]

[[term]]
canonical = "mimic"
category = "service"
readings = ["ミミック"]
exclusions = ["mimicry", "can mimic"]
ai_only = true

[[term]]
canonical = "Midjourney"
category = "service"
readings = ["ミッドジャーニー"]
ai_always = true
cased = ["Midjourney"]
"""


@functools.cache
def matchers() -> tuple[Matcher, Matcher]:
    """(default dictionary, the small one), built once for every test here."""
    return Matcher(load_terms()), Matcher(load_terms_text(SMALL, name="small.toml", replace=True))


@pytest.fixture
def default() -> Matcher:
    return matchers()[0]


@pytest.fixture
def small() -> Matcher:
    return matchers()[1]


def both(matcher: Matcher, texts: list[str | None], base: int = 0) -> tuple[str, str]:
    """(pure-Python, native) ``encode`` of the same texts in this process."""
    saved = os.environ.get(NATIVE_ENV)
    try:
        os.environ[NATIVE_ENV] = "0"
        python = matcher.encode(texts, base)
        os.environ[NATIVE_ENV] = "1"
        native = matcher.encode(texts, base)
    finally:
        if saved is None:
            os.environ.pop(NATIVE_ENV, None)
        else:
            os.environ[NATIVE_ENV] = saved
    return python, native


def assert_same(matcher: Matcher, texts: list[str | None], base: int = 0) -> str:
    python, native = both(matcher, texts, base)
    if python != native:  # name the first post the two disagree on
        for i, text in enumerate(texts):
            one, other = both(matcher, [text])
            assert one == other, (i, text)
    assert python == native
    return python


@pytest.fixture(autouse=True)
def _needs_native(request: pytest.FixtureRequest) -> None:
    if os.environ.get(NATIVE_ENV) == "0":
        pytest.skip("DTRACK_NATIVE=0: the pure-Python path was asked for")
    if native_module() is None and request.node.name != "test_the_extension_was_built":
        pytest.skip("the native matcher is not built (test_the_extension_was_built fails and says why)")


def test_the_extension_was_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installing dtrack builds the native matcher where a C compiler is found (setup.sh installs one); a
    silent fallback to Python would go unnoticed otherwise. ``DTRACK_NATIVE=0`` is the one way out."""
    from dtrack.nlp import _fastmatch

    assert Path(_fastmatch.__file__).suffix in (".so", ".pyd")
    assert _fastmatch.ABI == NATIVE_ABI, "a stale build: run `pip install -e .` again"
    monkeypatch.setenv(NATIVE_ENV, "0")
    assert native_module() is None  # read at every call: one process runs both paths
    monkeypatch.setenv(NATIVE_ENV, "1")
    assert native_module() is _fastmatch


@pytest.mark.parametrize("name", ["default", "small"])
def test_hostile_texts(name: str, request: pytest.FixtureRequest) -> None:
    matcher = request.getfixturevalue(name)
    texts: list[str | None] = [*HOSTILE, None, *MORE_HOSTILE, "", *TRICKY, *NEAR_MISSES, *TERM_SPELLINGS, *AI_CUES]
    encoded = assert_same(matcher, texts, base=3)
    assert encoded.count("\n") > 20  # the texts do have hits
    for text in texts:  # post by post, and match_canonical itself
        if text:
            python, native = both(matcher, [text])
            assert python == native, text


def test_the_benchmark_corpora(default: Matcher) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from vs_notebook import ai_texts
    finally:
        sys.path.remove(str(ROOT / "bench"))
    corpora = {
        "general": generate_texts(3000, term_share=0.01, seed=21),
        "hits": generate_texts(3000, term_share=1.0, seed=22),
        "ai": ai_texts(3000, seed=23),
        "varied": generate_varied_texts(1500, seed=24),
    }
    for name, texts in corpora.items():
        assert assert_same(default, texts), name


def test_match_canonical_gives_the_same_tuples(default: Matcher, small: Matcher,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    parse = offsets_parser()
    for matcher in (default, small):
        for text in [*HOSTILE, *MORE_HOSTILE, *generate_varied_texts(200, seed=25)]:
            canon = canonical(text)
            python = matcher._match_canonical_py(canon, text, parse)
            monkeypatch.setenv(NATIVE_ENV, "1")
            assert matcher.match_canonical(canon, text, parse) == python, text
            assert matcher.match(text) == python, text


def test_the_canonical_text_and_its_offset_maps(default: Matcher) -> None:
    """The native normalising (NFKC per character, lower case, whitespace and dashes folded) makes the text and
    the maps back to the original that ``tokenizer.canonical`` makes."""
    native = default._fast()
    for text in [*HOSTILE, *MORE_HOSTILE, *TRICKY, *generate_varied_texts(300, seed=26), "ア-イ-ウ", "ア--イ", "-ア-",
                 "ア ‐イ", "a \t b", " \n ", "ａ　ｂ　漢", "…" * 5, "\ufdfa", "\U0001d400\U0001d7ce"]:
        want = canonical(text)
        folded, maps, shift_at, shifts = native.canonical_parts(text)
        assert folded == want.text, text
        assert shift_at == want._shift_at and shifts == want._shifts, text
        assert maps.get("original") == want._original_text and maps.get("starts") == want._starts, text


def test_a_matcher_pickles_without_its_native_half(default: Matcher) -> None:
    import pickle

    default.encode(["無断学習"])  # builds the native half
    copy = pickle.loads(pickle.dumps(default))
    assert "_native" not in copy.__dict__
    assert copy.encode(["#無断学習禁止", "AIで無断学習"]) == default.encode(["#無断学習禁止", "AIで無断学習"])


_PIECES = st.sampled_from([
    *TERM_SPELLINGS, *NEAR_MISSES, *AI_CUES, *TRICKY, "無断", "学習", "禁止", "転載", "塾", "#", "＃", "AI", "ai",
    "Novel", "novel", "NOVEL", "mid", "journey", "ガクシュウ", "ムダン", "キンシ", "がくしゅう", "ー", "-", "ミミック",
    "絵師", "イラスト", "モデル", "は", "の", "を", "。", "、", "！", "…", "😡", "👩\u200d🎨", "🇯🇵", "\U00020bb7", " ",
    "\u3000", "\n", "\t", "\u200b", "\x00", "e\u0301", "ｶﾞ", "ﾑ", "abc", "123", "x",
])


@settings(max_examples=300)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=8))
def test_random_texts_from_the_dictionarys_own_pieces(texts: list[str]) -> None:
    for matcher in matchers():
        assert_same(matcher, texts)


def test_an_ingest_stores_the_same_bytes_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: real-shaped NDJSON (a BOM, bad lines, duplicates, empty and null texts, copies, NFKC-changing
    characters, four months) ingested and tagged with ``DTRACK_NATIVE=0`` and ``=1`` into two stores: the same
    posts, hits (file by file, in stored order), uses, counts and tagging state. The native run tags in forked
    pool workers too (a low ``PARALLEL_MIN``), which read the switch from the environment they inherit."""
    from dtrack.collectors.pipeline.collect import collect
    from dtrack.data.store import Store
    from dtrack.nlp import tagger
    from tests.nlp.test_tag_ingest import assert_same_store, write_sources

    sources = write_sources(tmp_path / "in", n=1500, seed=31)
    stores = {}
    for flag in ("0", "1"):
        monkeypatch.setenv(NATIVE_ENV, flag)
        monkeypatch.setattr(tagger, "PARALLEL_MIN", 5_000 if flag == "0" else 50)
        store = stores[flag] = Store(tmp_path / f"native-{flag}")
        with store.writer() as w:
            done = collect(w, sources)
        assert done.tag_error is None and done.tagged.hits > 100
    assert_same_store(stores["1"], stores["0"])


def test_threads_sharing_one_matcher_get_the_same_hits(default: Matcher) -> None:
    """The native half keeps per-post buffers; a thread entering it while another is inside (the GIL can
    change hands in a Python callback or in MeCab) takes the Python path, so results never mix."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    texts = [*HOSTILE, *MORE_HOSTILE, *generate_varied_texts(400, seed=27)]
    chunks = [texts[i:i + 25] for i in range(0, len(texts), 25)]
    want = [both(default, chunk)[0] for chunk in chunks]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # hand the GIL over as often as possible
    try:
        with ThreadPoolExecutor(4) as pool:
            for _ in range(3):
                assert list(pool.map(default.encode, chunks)) == want
    finally:
        sys.setswitchinterval(interval)
