"""Tagging quality: precision and recall against hand-labelled posts.

Why a module. The figures a paper cites ("terms P 0.99, AI context R 0.97")
must come from one documented computation, used by ``bench/tagging_quality.py``
and by the test that holds the floor, so both count the same way.

The unit is a (post, term) pair, as ``--context ai`` counts: a post that uses a
term twice is one pair. For terms, a predicted pair is right when the label
lists the term for that post. For AI context, the positives are the pairs
labelled ``ai`` and the predictions the pairs tagged with ``ai_context``; a pair
the tagger missed altogether counts as a missed AI pair if it was labelled
``ai``. The labelling policy is in tests/nlp/fixtures/labelled/README.md.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dtrack.nlp.tagger import tag_texts
from dtrack.nlp.terms import TermDictionary


class LabelledFileError(ValueError):
    """A labelled file cannot be read; the message names the file, line and problem."""


@dataclass(frozen=True)
class Labelled:
    """One labelled post: ``expected`` maps each term it uses to whether that use is AI context."""

    id: str
    text: str
    expected: dict[str, bool]


def load_labelled(path: Path, terms: TermDictionary | None = None) -> list[Labelled]:
    """Rows ``id,text,expected`` where expected is ``term:ai;term:-`` (empty: no term)."""
    known = {t.canonical for t in terms.terms} if terms is not None else None
    out: list[Labelled] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["id", "text", "expected"]:
            raise LabelledFileError(f"{path}: header must be id,text,expected, not {reader.fieldnames}")
        for row in reader:
            line = reader.line_num
            expected: dict[str, bool] = {}
            for item in filter(None, (x.strip() for x in row["expected"].split(";"))):
                term, _, sense = item.rpartition(":")
                if sense not in ("ai", "-") or not term:
                    raise LabelledFileError(f"{path}:{line}: {item!r} must be term:ai or term:-")
                if known is not None and term not in known:
                    raise LabelledFileError(f"{path}:{line}: {term!r} is not a term of the dictionary")
                expected[term] = sense == "ai"
            out.append(Labelled(row["id"], row["text"], expected))
    return out


@dataclass
class Counts:
    """True positives, false positives, false negatives, with the ids of the errors."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: bool, gold: bool, what: str) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append(f"FP {what}")
        elif gold:
            self.fn += 1
            self.errors.append(f"FN {what}")


@dataclass
class Quality:
    """Per-term counts, all terms together (micro), and AI context (micro)."""

    per_term: dict[str, Counts]
    terms: Counts
    ai: Counts
    posts: int


def evaluate(posts: Sequence[Labelled], terms: TermDictionary, *, names: Iterable[str] | None = None) -> Quality:
    """Tag the labelled texts with ``terms`` and count as the module docstring says."""
    found = tag_texts([p.text for p in posts], terms)
    per_term = {name: Counts() for name in (names or [t.canonical for t in terms.terms])}
    overall, ai = Counts(), Counts()
    for post, hits in zip(posts, found, strict=True):
        predicted: dict[str, bool] = {}
        for h in hits:
            predicted[h["term"]] = predicted.get(h["term"], False) or h["ai_context"]
        for term in sorted(set(predicted) | set(post.expected)):
            what = f"{post.id} {term}: {post.text!r}"
            is_pred, is_gold = term in predicted, term in post.expected
            per_term.setdefault(term, Counts()).add(is_pred, is_gold, what)
            overall.add(is_pred, is_gold, what)
            ai.add(predicted.get(term, False), post.expected.get(term, False),
                   f"{what} evidence={[h['evidence'] for h in hits if h['term'] == term]}")
    return Quality(per_term, overall, ai, len(posts))
