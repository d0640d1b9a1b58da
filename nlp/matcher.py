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
* Kana written together. A kana-only form that does not start or end on a
  token boundary still matches when the run of katakana (or hiragana) around
  it can be cut completely into the dictionary's reading pieces (ムダン, ガクシュウ,
  キンシ) with cuts at both ends of the form: ムダンガクシュウキンシ is a hit for
  無断学習 and for 学習禁止 (MeCab keeps a katakana run as one token).
* AI context is decided per hit from the post's own words; every decision
  keeps them as ``evidence``, in text order:
  - the shared cue words found anywhere in the post;
  - the hit's term's own ``context`` words found anywhere in the post;
  - the canonical name of every ``ai_always`` term used in the post (any
    spelling of Midjourney makes every hit of the post AI context);
  - for a term without ``ai_only``, with none of the above, the evidence of
    the post's other AI-context hits (the post is about AI).
  A use of a ``cased`` spelling written in another case ("novel AI",
  "mid-journey") is *weak*: it counts only with evidence outside its own
  span (the "AI" inside "a novel AI framework" does not vouch for NovelAI),
  and it gives no evidence to other hits. Terms marked ``ai_only`` keep only
  AI-context uses.

Everything here is plain Python over strings so it runs the same in a pool
worker and in the parent, and the pre-filter can be proved not to lose hits:
a hit needs a form to occur in the canonical text, and the pre-filter looks
for exactly those forms (with whitespace removed on both sides).

The same rules run compiled where dtrack was built with a C compiler
(``nlp/_fastmatch.pyx``: ``match_canonical`` and ``encode`` use it); this
module's Python is the reference it is tested against and the fallback
(``DTRACK_NATIVE=0`` forces it).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from typing import Any

from dtrack.nlp.prefilter import Prefilter
from dtrack.nlp.terms import TermDictionary
from dtrack.nlp.tokenizer import (
    Boundaries,
    Canonical,
    canonical,
    canonical_form,
    hiragana_to_katakana,
    offsets_parser,
)

#: Separates evidence words in the compact strings workers return.
EVIDENCE_SEP = "\x1f"
#: Set to 0 to match with the pure-Python path even where the native one is built (tests compare the two).
NATIVE_ENV = "DTRACK_NATIVE"
#: The ``ABI`` of the native module this matcher was written for (``pip install -e .`` rebuilds it).
NATIVE_ABI = 5


def native_module() -> Any:
    """The compiled matcher (``dtrack.nlp._fastmatch``), or None when it was not built (no C compiler at
    install) or ``DTRACK_NATIVE=0`` asks for the pure-Python path. Read at every call, so one process can
    run both paths."""
    if os.environ.get(NATIVE_ENV, "1") == "0":
        return None
    try:
        from dtrack.nlp import _fastmatch
    except ImportError:
        return None
    return _fastmatch if getattr(_fastmatch, "ABI", None) == NATIVE_ABI else None  # a stale build: not used


def _ends_alnum(form: str) -> bool:
    return bool(form) and form[-1].isascii() and form[-1].isalnum()


_KATA = frozenset(chr(c) for c in range(0x30A1, 0x30FB)) | {"ー"}
_HIRA = frozenset(chr(c) for c in range(0x3041, 0x3097)) | {"ー"}


def _kana_class(form: str) -> frozenset[str] | None:
    """The kana alphabet ``form`` is written in (katakana or hiragana, ー in both), if it is one."""
    for alphabet in (_KATA, _HIRA):
        if form and all(c in alphabet for c in form) and form.strip("ー"):
            return alphabet
    return None


class Matcher:
    """A dictionary compiled for matching (cheap to build; plain data, so fork-friendly)."""

    def __init__(self, terms: TermDictionary) -> None:
        self.names = [t.canonical for t in terms.terms]
        self.categories = [t.category for t in terms.terms]
        self.ai_only = [t.ai_only for t in terms.terms]
        self.ai_always = [t.ai_always for t in terms.terms]
        self._any_ai_always = any(self.ai_always)
        by_form: dict[str, list[int]] = {}
        for i, term in enumerate(terms.terms):
            for form in term.forms():
                by_form.setdefault(form, []).append(i)
        #: (canonical form, term indices), longest first
        self.forms: list[tuple[str, tuple[int, ...]]] = sorted(
            ((f, tuple(ts)) for f, ts in by_form.items()), key=lambda ft: (-len(ft[0]), ft[0])
        )
        self.exclusions: dict[int, list[tuple[str, bool]]] = {
            i: [(x, _ends_alnum(x)) for x in term.exclusion_forms()]
            for i, term in enumerate(terms.terms)
            if term.exclusions
        }
        #: term -> {canonical form of a cased spelling: the spellings as written}
        self.cased: dict[int, dict[str, set[str]]] = {}
        for i, term in enumerate(terms.terms):
            for text in term.cased:
                self.cased.setdefault(i, {}).setdefault(canonical_form(text), set()).update(
                    {_as_written(text), _as_written(text).upper()})
        #: reading pieces in katakana (and kana-only forms), for kana runs written together
        pieces: set[str] = set()
        for term in terms.terms:
            pieces.update(term.reading_pieces)
            pieces.update(hiragana_to_katakana(f) for f in term.forms() if _kana_class(f))
        self.pieces = frozenset(p for p in pieces if p)
        self._piece_max = max((len(p) for p in self.pieces), default=0)
        # cue words (shared) and context words (per term), scanned together for the terms a post uses
        cues: dict[str, str] = {}
        for cue in terms.cues:
            form = canonical_form(cue)
            if form:
                cues.setdefault(form, cue)
        #: canonical cue form -> (word as configured, must end on a token end)
        self.cues: dict[str, tuple[str, bool]] = {f: (c, _ends_alnum(f)) for f, c in cues.items()}
        #: term -> canonical form -> (word as configured, must end on a token end) of its context words
        self.context: dict[int, dict[str, tuple[str, bool]]] = {}
        for i, term in enumerate(terms.terms):
            words: dict[str, tuple[str, bool]] = {}
            for word in term.context:
                form = canonical_form(word)
                if form and form not in self.cues:
                    words.setdefault(form, (word, _ends_alnum(form)))
            if words:
                self.context[i] = words
        #: context form -> (term, word as configured) of each term it is a context word of, by term
        owners: dict[str, list[tuple[int, str]]] = {}
        for t in sorted(self.context):
            for form, (word, _) in self.context[t].items():
                owners.setdefault(form, []).append((t, word))
        #: every form, cue word and context word in one scan (see :meth:`_scan_all`): key -> what each
        #: key that is a prefix of it (itself included, longest first) is: (length, term indices if it
        #: is a form else None, word entry if it is a cue or context word else None), where a word
        #: entry is (cue word or None, term -> (word, {term}) of its owners, must end on a token end)
        keys: dict[str, tuple[tuple[int, ...] | None, _Word | None]] = {f: (ts, None) for f, ts in self.forms}
        for form, (cue, whole) in self.cues.items():
            keys[form] = (keys.get(form, (None, None))[0], (cue, {}, whole))
        for form, owned in owners.items():
            entry = (None, {t: (w, frozenset({t})) for t, w in owned}, _ends_alnum(form))
            keys[form] = (keys.get(form, (None, None))[0], entry)
        self._all = _alternation(keys)
        self._all_prefixes: dict[str, list[tuple[int, tuple[int, ...] | None, _Word | None]]] = {
            key: [(n, *value) for n, value in entries] for key, entries in _prefixes(keys).items()}  # type: ignore[misc]

    @functools.cached_property
    def prefilter(self) -> Prefilter:
        """The polars pre-filter for these forms (built on first use)."""
        return Prefilter(f for f, _ in self.forms)

    # -- one post --------------------------------------------------------------
    def _scan_all(self, text: str) -> tuple[list[tuple[int, int, tuple[int, ...]]], list[tuple[int, int, _Word]]]:
        """(start, end, term indices) of every form occurring in ``text`` and (start, end, word entry) of
        every cue or context word, overlaps included, in text order (longest first at one place): one
        regex pass."""
        occurrences: list[tuple[int, int, tuple[int, ...]]] = []
        words: list[tuple[int, int, _Word]] = []
        search = self._all.search
        prefixes = self._all_prefixes
        m = search(text)
        while m:
            p = m.start()
            for n, term_ids, word in prefixes[m.group()]:
                if term_ids is not None:
                    occurrences.append((p, p + n, term_ids))
                if word is not None:
                    words.append((p, p + n, word))
            m = search(text, p + 1)
        return occurrences, words

    @staticmethod
    def _words(found: list[tuple[int, int, _Word]], bounds: Boundaries, present: dict[int, Any], every: bool
               ) -> list[tuple[int, int, str, frozenset[int] | None]]:
        """(start, end, word, terms or None for a cue) of the cue words and of the context words of the
        ``present`` terms among ``found`` (from :meth:`_scan_all`): every occurrence when ``every`` (a weak
        hit must tell inside from outside), else the first of each word (boundary checks are the costly
        part). A context word of several present terms is named as the first of them configured it."""
        out: list[tuple[int, int, str, frozenset[int] | None]] = []
        seen: set[str] = set()
        for p, e, (cue, owners, whole) in found:
            terms: frozenset[int] | None = None
            if cue is not None:
                word = cue
            elif len(present) == 1:
                entry = owners.get(next(iter(present)))
                if entry is None:
                    continue
                word, terms = entry
            else:
                mine = sorted(t for t in present if t in owners)
                if not mine:
                    continue
                word, terms = owners[mine[0]][0], frozenset(mine)
            if not every and word in seen:
                continue
            if bounds.is_start(p) and (not whole or bounds.is_end(e)):
                out.append((p, e, word, terms))
                seen.add(word)
        return out

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

    def _kana_cuts(self, text: str, p: int, e: int, cache: dict[tuple[int, int], frozenset[int]]) -> bool:
        """Is [p, e) a kana form whose kana run can be cut into reading pieces with cuts at p and e?"""
        alphabet = _kana_class(text[p:e])
        if alphabet is None or not self.pieces:
            return False
        a, b = p, e
        while a > 0 and text[a - 1] in alphabet:
            a -= 1
        while b < len(text) and text[b] in alphabet:
            b += 1
        cuts = cache.get((a, b))
        if cuts is None:
            cuts = cache[(a, b)] = self._segment(hiragana_to_katakana(text[a:b]), a)
        return p in cuts and e in cuts

    def _segment(self, run: str, offset: int) -> frozenset[int]:
        """Offsets (run start + i) of the cuts of every complete segmentation of ``run`` into pieces."""
        n, top = len(run), self._piece_max
        forward = [False] * (n + 1)
        forward[0] = True
        for i in range(n):
            if forward[i]:
                for k in range(1, min(top, n - i) + 1):
                    if run[i:i + k] in self.pieces:
                        forward[i + k] = True
        if not forward[n]:
            return frozenset()
        backward = [False] * (n + 1)
        backward[n] = True
        for i in range(n - 1, -1, -1):
            backward[i] = any(backward[i + k] and run[i:i + k] in self.pieces for k in range(1, min(top, n - i) + 1))
        return frozenset(offset + i for i in range(n + 1) if forward[i] and backward[i])

    def _weak(self, term: int, canon: Canonical, original: str | None, a: int, b: int) -> bool:
        """Is this use of a cased spelling written in another case (and not all in capitals)?"""
        spellings = self.cased.get(term, {}).get(canon.text[a:b].lstrip("#"))
        if not spellings or original is None:
            return False
        x, y = canon.original_span(a, b)
        return _as_written(original[x:y]).lstrip("#") not in spellings

    def _fast(self) -> Any:
        """This process's native matcher for this dictionary (built on first use, never pickled), or None
        (see :func:`native_module`)."""
        module = native_module()
        if module is None:
            return None
        native = self.__dict__.get("_native")
        if native is None:
            native = self.__dict__["_native"] = module.Native(self, EVIDENCE_SEP, _kana_class)
        return native

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_native", None)  # C arrays: each process builds its own
        return state

    def match_canonical(self, canon: Canonical, original: str | None = None, parse: Any = None
                        ) -> list[tuple[int, int, int, tuple[str, ...]]]:
        """Hits as (term index, start, end, evidence) in ORIGINAL offsets; ``original`` is the text
        ``canon`` was made from (needed for ``cased`` spellings); ``parse``: see :class:`Boundaries`.
        Native where built (nlp/_fastmatch.pyx), else :meth:`_match_canonical_py`: the same hits."""
        native = self._fast()
        if native is not None:
            return native.match_canonical(canon, original, parse or offsets_parser())
        return self._match_canonical_py(canon, original, parse)

    def _match_canonical_py(self, canon: Canonical, original: str | None = None, parse: Any = None
                            ) -> list[tuple[int, int, int, tuple[str, ...]]]:
        """The pure-Python path: the reference the native one is tested against."""
        text = canon.text
        occurrences, words = self._scan_all(text)
        if not occurrences:
            return []
        bounds = Boundaries(text, parse)
        runs: dict[tuple[int, int], frozenset[int]] = {}
        found: dict[int, list[tuple[int, int]]] = {}
        for p, e, term_ids in occurrences:
            if (bounds.is_start(p) and bounds.is_end(e)) or self._kana_cuts(text, p, e, runs):
                for t in term_ids:
                    found.setdefault(t, []).append((p, e))
        if not found:
            return []
        # (term, canonical start, canonical end, weak) after exclusions and overlaps
        kept: list[tuple[int, int, int, bool]] = []
        any_weak = False
        cased = self.cased
        for term, spans in found.items():
            if term in self.exclusions:
                blocked = self._excluded_spans(term, text, bounds)
                spans = [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in blocked)]
            marked = [((a - 1 if a > 0 and text[a - 1] == "#" else a), b) for a, b in spans]
            if len(marked) > 1:
                marked.sort(key=lambda ab: (ab[0], -ab[1]))
            last = -1
            for a, b in marked:
                if a >= last:
                    weak = term in cased and self._weak(term, canon, original, a, b)
                    any_weak = any_weak or weak
                    kept.append((term, a, b, weak))
                    last = b
        if not kept:
            return []
        # evidence items (start, end, word, the terms it speaks for or None for every term)
        items = self._words(words, bounds, found, any_weak)
        if self._any_ai_always:
            ai_always = self.ai_always
            items.extend((a, b, self.names[t], None) for t, a, b, weak in kept if ai_always[t] and not weak)
        items.sort(key=_span)
        decided: list[tuple[int, int, int, list[str]]] = []
        strong: dict[int, list[str]] = {}  # a term's evidence is the same for all its (not weak) hits
        for term, a, b, weak in kept:
            if not weak:
                words = strong.get(term)
                if words is None:
                    words = strong[term] = list(dict.fromkeys(
                        word for _, _, word, owner in items if owner is None or term in owner))
            else:
                words = list(dict.fromkeys(word for x, y, word, owner in items
                                           if (owner is None or term in owner) and not (a <= x and y <= b)))
                if not words:
                    continue
            decided.append((term, a, b, words))
        shared: list[str] | None = None
        hits: list[tuple[int, int, int, tuple[str, ...]]] = []
        ai_only = self.ai_only
        for term, a, b, words in decided:
            if not words:
                if ai_only[term]:
                    continue
                if shared is None:  # the post is about AI when another hit's evidence says so
                    shared = list(dict.fromkeys(w for *_, ws in decided for w in ws))
                words = shared
            hits.append((term, *canon.original_span(a, b), tuple(words)))
        if len(hits) > 1:
            hits.sort(key=_hit_order)
        return hits

    def match(self, text: str) -> list[tuple[int, int, int, tuple[str, ...]]]:
        """:meth:`match_canonical` of a post's original text."""
        return self.match_canonical(canonical(text), text)

    def encode(self, texts: list[str | None], base: int = 0) -> str:
        """Hits of many posts as one compact string: a line per hit,
        ``row<TAB>term<TAB>start<TAB>end<TAB>evidence`` (row = base + position,
        evidence words joined by ``EVIDENCE_SEP``). Strings cross process
        boundaries far faster than lists of Python objects."""
        native = self._fast()
        if native is not None:
            return native.encode(texts if isinstance(texts, list) else list(texts), base, offsets_parser())
        return self._encode_py(texts, base)

    def _encode_py(self, texts: list[str | None], base: int = 0) -> str:
        """:meth:`encode` with the pure-Python matcher (the reference)."""
        lines: list[str] = []
        match = self._match_canonical_py
        parse = offsets_parser()
        for i, text in enumerate(texts):
            if not text:
                continue
            hits = match(canonical(text), text, parse)
            if hits:
                row = base + i
                lines.extend(f"{row}\t{t}\t{a}\t{b}\t{EVIDENCE_SEP.join(ev)}" for t, a, b, ev in hits)
        return "\n".join(lines)


#: A cue or context word found by the scan: (cue word or None, term -> (word, {term}) of each term it is a
#: context word of, must end on a token end).
_Word = tuple[str | None, dict[int, tuple[str, frozenset[int]]], bool]


def _span(item: tuple[int, int, str, int | None]) -> tuple[int, int]:
    return item[0], item[1]


def _hit_order(hit: tuple[int, int, int, tuple[str, ...]]) -> tuple[int, int, int]:
    return hit[1], hit[2], hit[0]


def _as_written(text: str) -> str:
    """A spelling as written, for case comparison: NFKC (full width folded) and whitespace folded, case kept."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _alternation(forms: object) -> re.Pattern[str]:
    """A regex matching the longest of ``forms`` that starts at a place, written as a trie
    (無断(?:学習|転載)...): ``re`` tries the alternatives of a plain alternation one by one at every
    place, a trie only the branch of the next character."""
    trie: dict[str, Any] = {}
    for form in forms:  # type: ignore[attr-defined]
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(_trie_pattern(trie) or "(?!)")


def _trie_pattern(node: dict[str, Any]) -> str:
    """The pattern of a trie node: a branch per next character, optional where a form ends here
    (greedy, so the longer form is tried first)."""
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _prefixes(forms: dict[str, object]) -> dict[str, list[tuple[int, object]]]:
    """form -> (length, value) of itself and of every other form that is a prefix of it."""
    return {form: [(k, forms[form[:k]]) for k in range(len(form), 0, -1) if form[:k] in forms] for form in forms}
