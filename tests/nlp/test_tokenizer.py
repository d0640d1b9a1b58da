"""Token boundaries from the offsets tagger, and the batch path of the matcher, against the node API."""

from __future__ import annotations

from dtrack.nlp.matcher import EVIDENCE_SEP, Matcher
from dtrack.nlp.synthetic import generate_varied_texts
from dtrack.nlp.terms import load_terms
from dtrack.nlp.tokenizer import Boundaries, canonical, get_tagger, offsets_parser

#: Texts the fast paths must not get wrong: NFKC changing lengths (…, ㍻, ｶﾞ), emoji (astral, ZWJ
#: sequences, variation selectors, flags), combining marks, Hangul jamo, whitespace of every kind,
#: a term cut by an emoji, Latin words, nothing at all, and a very long post.
HOSTILE = [
    "", " ", "\n\t", "無断学習", "  無断学習  ", "ＡＩイラスト…㍻", "ﾑﾀﾞﾝｶﾞｸｼｭｳ！", "e\u0301cole AI",
    "\u1100\u1161\u11a8 mimic", "👩\u200d🎨AI絵師🇯🇵❤️", "無断😡学習", "Stable\u3000Diffusion",
    "mimicry in AI research", "#無断学習禁止＃無断転載禁止", "LAION-5Bに𠮷野家の絵が",
    "生成AIと著作権の関係について考える。" * 300 + "無断学習",
]


def _node_offsets(text: str) -> tuple[set[int], set[int]]:
    """Character offsets where tokens start and end, from fugashi's node API (the slow, plain way)."""
    starts: set[int] = set()
    ends: set[int] = set()
    pos = 0
    for node in get_tagger()(text):
        pos += len(node.white_space)
        starts.add(pos)
        pos += len(node.surface)
        ends.add(pos)
    return starts, ends


def test_boundaries_agree_with_the_node_api_at_every_offset() -> None:
    parse = offsets_parser()
    for raw in HOSTILE + generate_varied_texts(150, seed=11):
        text = canonical(raw).text
        starts, ends = _node_offsets(text)
        given, looked_up = Boundaries(text, parse), Boundaries(text)
        for pos in range(len(text) + 1):
            assert given.is_start(pos) == looked_up.is_start(pos) == (pos in starts), (raw, pos)
            assert given.is_end(pos) == looked_up.is_end(pos) == (pos in ends), (raw, pos)


def test_the_batch_encoding_is_the_per_post_matcher() -> None:
    """``encode`` (one parse function for the batch, rows counted from ``base``) against ``match``
    called post by post, on hostile and varied texts, with empty and missing texts in between."""
    matcher = Matcher(load_terms())
    texts: list[str | None] = [*HOSTILE, None, *generate_varied_texts(300, seed=12), ""]
    expected = []
    for row, text in enumerate(texts, start=7):
        for term, a, b, evidence in matcher.match(text) if text else []:
            expected.append(f"{row}\t{term}\t{a}\t{b}\t{EVIDENCE_SEP.join(evidence)}")
    assert expected  # the texts do have hits
    assert matcher.encode(texts, base=7).split("\n") == expected
