"""Find dictionary terms in one post: token-boundary matches, exclusions, AI-context cues.

The rules (docs/tagging.md explains them for users):

* Matching runs on the canonical text (``nlp.tokenizer.canonical``: NFKC,
  lower case, whitespace folded) and every spelling of a term is compared in
  the same canonical form.
* A term matches where one of its forms occurs as a substring that starts on
  a token start and ends on a token end (MeCab + unidic-lite tokens of the
  post). So 無断学習 is found in 無断学習禁止 (無断|学習|禁止) but "mimic" not in
  "mimicry" and AIイラスト not in AIイラストレーター. Comparing text at token
  boundaries, rather than comparing token sequences, keeps a match when a
  term's inner split differs in context.
* Exclusions and cue words match from a token start; they must also end on a
  token end when their last character is a Latin letter or digit, so "AI" is
  not found in "mail" but 学習させ is found in 学習させる. A term match lying
  inside an exclusion of the same term is dropped (無断学習 inside 無断学習塾).
* A match directly after ``#`` (``＃`` after NFKC) includes it: the variant
  recorded for #無断学習禁止 is "#無断学習" for 無断学習.
* Overlaps: different terms are independent (#無断学習禁止 is a hit for both
  無断学習 and 学習禁止); within one term the leftmost, then longest, match wins
  and matches overlapping it are dropped (LAION-5B is one LAION hit, not two).
* AI context is a property of the post: the cue words found anywhere in it
  are every hit's evidence. Terms marked ``ai_only`` keep only AI-context
  matches.

Everything here is plain Python over strings so it runs the same in a pool
worker and in the parent, and the pre-filter can be proved not to lose hits:
a hit needs a form to occur in the canonical text, and the pre-filter looks
for exactly those forms (with whitespace removed on both sides).
"""

from __future__ import annotations

import functools
import re

from dtrack.nlp.prefilter import Prefilter
from dtrack.nlp.terms import TermDictionary
from dtrack.nlp.tokenizer import Boundaries, Canonical, canonical, canonical_form

#: Separates evidence words in the compact strings workers return.
EVIDENCE_SEP = "\x1f"


def _ends_alnum(form: str) -> bool:
    return bool(form) and form[-1].isascii() and form[-1].isalnum()


class Matcher:
    """A dictionary compiled for matching (cheap to build; plain data, so fork-friendly)."""

    def __init__(self, terms: TermDictionary) -> None:
        self.names = [t.canonical for t in terms.terms]
        self.categories = [t.category for t in terms.terms]
        self.ai_only = [t.ai_only for t in terms.terms]
        by_form: dict[str, list[int]] = {}
        for i, term in enumerate(terms.terms):
            for form in term.forms():
                by_form.setdefault(form, []).append(i)
        #: (canonical form, term indices), longest first
        self.forms: list[tuple[str, tuple[int, ...]]] = sorted(
            ((f, tuple(ts)) for f, ts in by_form.items()), key=lambda ft: (-len(ft[0]), ft[0])
        )
        #: one regex finding where any form starts (alternation, longest first, so a match is
        #: the longest form there), and for each form the forms that are prefixes of it: the
        #: only other forms that can start at the same place
        self._scan = _alternation(f for f, _ in self.forms)
        self._prefixes = _prefixes(dict(self.forms))
        self.exclusions: dict[int, list[tuple[str, bool]]] = {
            i: [(x, _ends_alnum(x)) for x in term.exclusion_forms()]
            for i, term in enumerate(terms.terms)
            if term.exclusions
        }
        cues: dict[str, str] = {}
        for cue in terms.cues:
            form = canonical_form(cue)
            if form:
                cues.setdefault(form, cue)
        #: canonical cue form -> (word as configured, must end on a token end)
        self.cues: dict[str, tuple[str, bool]] = {f: (c, _ends_alnum(f)) for f, c in cues.items()}
        self._cue_scan = _alternation(self.cues)
        self._cue_prefixes = _prefixes({f: f for f in self.cues})

    @functools.cached_property
    def prefilter(self) -> Prefilter:
        """The polars pre-filter for these forms (built on first use)."""
        return Prefilter(f for f, _ in self.forms)

    # -- one post --------------------------------------------------------------
    def _evidence(self, text: str, bounds: Boundaries) -> list[str]:
        found: dict[str, None] = {}
        for p, form in _starts(self._cue_scan, self._cue_prefixes, text):
            word, whole = self.cues[form]
            if word not in found and bounds.is_start(p) and (not whole or bounds.is_end(p + len(form))):
                found[word] = None
        return list(found)

    def _excluded_spans(self, term: int, text: str, bounds: Boundaries) -> list[tuple[int, int]]:
        spans = []
        for form, whole in self.exclusions.get(term, ()):
            n = len(form)
            p = text.find(form)
            while p >= 0:
                if bounds.is_start(p) and (not whole or bounds.is_end(p + n)):
                    spans.append((p, p + n))
                p = text.find(form, p + 1)
        return spans

    def _occurrences(self, text: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """(start, end, term indices) of every form occurring in ``text``, overlaps included."""
        out = []
        search = self._scan.search
        m = search(text)
        while m:
            p = m.start()
            for n, term_ids in self._prefixes[m.group()]:
                out.append((p, p + n, term_ids))
            m = search(text, p + 1)
        return out

    def match_canonical(self, canon: Canonical) -> tuple[list[tuple[int, int, int]], list[str]]:
        """Hits as (term index, start, end) in ORIGINAL offsets, and the post's AI evidence."""
        text = canon.text
        occurrences = self._occurrences(text)
        if not occurrences:
            return [], []
        bounds = Boundaries(text)
        found: dict[int, list[tuple[int, int]]] = {}
        for p, e, term_ids in occurrences:
            if bounds.is_start(p) and bounds.is_end(e):
                for t in term_ids:
                    found.setdefault(t, []).append((p, e))
        if not found:
            return [], []
        evidence = self._evidence(text, bounds)
        hits: list[tuple[int, int, int]] = []
        for term, spans in found.items():
            if self.ai_only[term] and not evidence:
                continue
            if term in self.exclusions:
                blocked = self._excluded_spans(term, text, bounds)
                spans = [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in blocked)]
            marked = [((a - 1 if a > 0 and text[a - 1] == "#" else a), b) for a, b in spans]
            marked.sort(key=lambda ab: (ab[0], -ab[1]))
            last = -1
            for a, b in marked:
                if a >= last:
                    hits.append((term, *canon.original_span(a, b)))
                    last = b
        hits.sort(key=lambda h: (h[1], h[2], h[0]))
        return hits, evidence

    def match(self, text: str) -> tuple[list[tuple[int, int, int]], list[str]]:
        """:meth:`match_canonical` of a post's original text."""
        return self.match_canonical(canonical(text))

    def encode(self, texts: list[str | None], base: int = 0) -> str:
        """Hits of many posts as one compact string: a line per hit,
        ``row<TAB>term<TAB>start<TAB>end<TAB>evidence`` (row = base + position,
        evidence words joined by ``EVIDENCE_SEP``). Strings cross process
        boundaries far faster than lists of Python objects."""
        lines: list[str] = []
        for i, text in enumerate(texts):
            if not text:
                continue
            hits, evidence = self.match(text)
            if hits:
                ev = EVIDENCE_SEP.join(evidence)
                row = base + i
                lines.extend(f"{row}\t{t}\t{a}\t{b}\t{ev}" for t, a, b in hits)
        return "\n".join(lines)


def _alternation(forms: object) -> re.Pattern[str]:
    """A regex matching any of ``forms`` (longest first, so the longest wins at a position)."""
    ordered = sorted(forms, key=len, reverse=True)  # type: ignore[call-overload]
    return re.compile("|".join(re.escape(f) for f in ordered) or "(?!)")


def _prefixes(forms: dict[str, object]) -> dict[str, list[tuple[int, object]]]:
    """form -> (length, value) of itself and of every other form that is a prefix of it."""
    return {form: [(k, forms[form[:k]]) for k in range(len(form), 0, -1) if form[:k] in forms] for form in forms}


def _starts(scan: re.Pattern[str], prefixes: dict[str, list[tuple[int, object]]],
            text: str) -> list[tuple[int, str]]:
    """(position, form) of every form occurring in ``text``, overlapping ones included."""
    out = []
    m = scan.search(text)
    while m:
        p = m.start()
        for n, _ in prefixes[m.group()]:
            out.append((p, text[p:p + n]))
        m = scan.search(text, p + 1)
    return out
