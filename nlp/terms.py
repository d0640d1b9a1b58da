"""The term dictionary: what to look for, in every spelling, and which words mark AI context.

Why a TOML file. Researchers extend the dictionary themselves (a new word, a
spelling seen in the data, a false friend to exclude), so it is plain text
next to the code: ``data/terms.toml`` ships with dtrack, and ``--terms FILE``
merges a user's file into it (same canonical form: the user's entry wins; new
terms are added; ``remove = true`` drops a default term; cue words are added
unless ``replace_cues = true``) or replaces it (``--replace-terms``).

Why a content hash. Hits carry the hash of the dictionary that produced
them; when it changes, every post is tagged again. The hash covers what
changes results (forms after normalisation, exclusions, categories,
ai_only, cue words, the matching rules' version), not comments or layout.

Readings are generated from UniDic for spellings written in kanji: 無断学習 also
matches ムダンガクシュウ, ムダンガクシュー and むだんがくしゅう. The per-word pieces of
those readings (ムダン, ガクシュウ, キンシ) are kept too, so the matcher can cut a
run of kana written together (ムダンガクシュウキンシ) where the words meet.

Deciding the AI sense (version 2 of the format, docs/tagging.md): besides the
shared cue words, a term can carry its own ``context`` words (words of the art
world next to 無断学習 say "AI" as clearly as the word AI does), be
``ai_always`` (any spelling of Midjourney is AI context, for every term of the
post), and list ``cased`` spellings whose other-case look-alikes ("a novel AI
framework", "mid-journey") count only with AI evidence outside the match.
Files without these keys mean what they meant before.

Users type terms in any spelling: :meth:`TermDictionary.resolve` maps one to
its canonical term and :meth:`TermDictionary.suggest` proposes the closest
terms for a typo.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtrack.nlp.tokenizer import canonical_form, hiragana_to_katakana, katakana_to_hiragana, reading_pieces, readings

if TYPE_CHECKING:
    from dtrack.data.store import Store

# The shipped dictionary, a resource of the installed package (never a path relative to the checkout).
DEFAULT_TERMS = Path(str(resources.files("dtrack.data") / "terms.toml"))
#: Bump when the matching rules change in a way that changes hits (forces a re-tag).
RULES_VERSION = 2
#: The manifest meta key of the tagging state (``nlp.tagger.META_KEY``), which records the dictionary in use.
TAGGING_META = "tagging"

_TERM_KEYS = {"canonical", "category", "variants", "readings", "exclusions", "ai_only", "note", "remove",
              "auto_readings", "context", "ai_always", "cased"}
_TOP_KEYS = {"version", "ai_context", "term"}
_CONTEXT_KEYS = {"cues", "replace_cues"}


class TermsFileError(ValueError):
    """A dictionary file cannot be used; the message names the file, the term and the problem."""


@dataclass(frozen=True)
class Term:
    """One tracked term.

    ``variants`` are the spellings to match (the canonical form first),
    ``readings`` kana spellings (declared plus generated), ``exclusions``
    longer sequences in which a match does not count (無断学習塾), ``ai_only``
    whether only uses in AI context count (mimic the English word, ミミック the
    game monster).
    """

    canonical: str
    category: str
    variants: tuple[str, ...]
    readings: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    ai_only: bool = False
    note: str = ""
    #: words that mark AI context for this term's uses (besides the shared cue words)
    context: tuple[str, ...] = ()
    #: every use of this term is AI context, and makes its post AI context for the other terms too
    ai_always: bool = False
    #: spellings that count outright only in this case (or all in capitals); other cases need AI evidence
    cased: tuple[str, ...] = ()
    #: katakana per-word pieces of the generated readings (ムダン, ガクシュウ), for kana runs
    reading_pieces: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Every spelling in canonical (normalised) form, longest first, without duplicates."""
        seen: dict[str, None] = {}
        for text in (*self.variants, *self.readings):
            form = canonical_form(text)
            if form:
                seen.setdefault(form, None)
        return tuple(sorted(seen, key=len, reverse=True))

    def exclusion_forms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for f in (canonical_form(x) for x in self.exclusions) if f))


@dataclass
class TermDictionary:
    """The terms and AI cue words in force, with the content hash hits are stamped with."""

    terms: list[Term]
    cues: list[str]
    hash: str = ""
    sources: list[str] = field(default_factory=list)
    #: The user's file merged into (or replacing) the default, kept so a store can
    #: remember which dictionary it was tagged with: {"name", "toml", "replace"}.
    overlay: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.hash:
            self.hash = dictionary_hash(self.terms, self.cues)
        self._lookup: dict[str, str] | None = None

    def _spellings(self) -> dict[str, str]:
        """Every spelling as the lookup compares it -> canonical term (the canonical form wins a clash)."""
        if self._lookup is None:
            table: dict[str, str] = {}
            for term in self.terms:
                for form in term.forms():
                    for key in _lookup_keys(form):
                        table.setdefault(key, term.canonical)
            for term in self.terms:  # a term's own canonical spelling always names that term
                for key in _lookup_keys(canonical_form(term.canonical)):
                    table[key] = term.canonical
            self._lookup = table
        return self._lookup

    def resolve(self, text: str) -> str | None:
        """The canonical term a user means by ``text``: any spelling, variant, reading (katakana or
        hiragana), case, width or hashtag form; None when no term is spelled so.

        Examples
        --------
        >>> terms = load_terms()
        >>> [terms.resolve(x) for x in ("ミミック", "ＭＩＭＩＣ", "#無断学習", "ムダンガクシュウ", "無断学集")]
        ['mimic', 'mimic', '無断学習', '無断学習', None]
        """
        table = self._spellings()
        for key in _lookup_keys(canonical_form(text).lstrip("#").strip()):
            if key in table:
                return table[key]
        return None

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Up to ``n`` canonical terms closest to ``text`` (a typo such as 無断学集), best first, for a
        "did you mean" message; empty when nothing is reasonably close.

        Closeness is difflib's ratio between the normalised text and every spelling of a term (the
        best spelling counts for the term), at least 0.5.

        Examples
        --------
        >>> load_terms().suggest("無断学集")[0]
        '無断学習'
        """
        if n <= 0:
            return []
        query = _lookup_keys(canonical_form(text).lstrip("#").strip())[0]
        if not query:
            return []
        best: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        for key, canon in self._spellings().items():
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
                continue
            score = matcher.ratio()
            if score >= 0.5 and score > best.get(canon, 0.0):
                best[canon] = score
        order = {t.canonical: i for i, t in enumerate(self.terms)}
        return sorted(best, key=lambda c: (-best[c], order[c]))[:n]

    def get(self, name: str) -> Term | None:
        """The term whose canonical form or any spelling equals ``name`` (normalised), if any."""
        form = canonical_form(name)
        for term in self.terms:
            if canonical_form(term.canonical) == form:
                return term
        for term in self.terms:
            if form in term.forms() or form.lstrip("#") in term.forms():
                return term
        return None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (``dtrack terms --format json``)."""
        return {
            "hash": self.hash,
            "sources": self.sources,
            "cues": self.cues,
            "terms": [
                {
                    "canonical": t.canonical,
                    "category": t.category,
                    "variants": list(t.variants),
                    "readings": list(t.readings),
                    "exclusions": list(t.exclusions),
                    "ai_only": t.ai_only,
                    "note": t.note,
                    "context": list(t.context),
                    "ai_always": t.ai_always,
                    "cased": list(t.cased),
                }
                for t in self.terms
            ],
        }


def _lookup_keys(form: str) -> list[str]:
    """Keys a spelling is looked up by: itself, without spaces, and in katakana (hiragana folded)."""
    keys = [form, form.replace(" ", ""), hiragana_to_katakana(form.replace(" ", ""))]
    return list(dict.fromkeys(keys))


def dictionary_hash(terms: Iterable[Term], cues: Iterable[str]) -> str:
    """Content hash over what changes results (see the module docstring)."""

    def describe(t: Term) -> dict[str, Any]:
        out: dict[str, Any] = {
            "canonical": t.canonical,
            "category": t.category,
            "forms": sorted(t.forms()),
            "exclusions": sorted(t.exclusion_forms()),
            "ai_only": t.ai_only,
        }
        # keys of format version 2 enter only when used, so a version-1 file keeps the form of its payload
        if t.context:
            out["context"] = sorted({canonical_form(c) for c in t.context})
        if t.ai_always:
            out["ai_always"] = True
        if t.cased:
            out["cased"] = sorted(set(t.cased))
        return out

    payload = {
        "rules": RULES_VERSION,
        "terms": [describe(t) for t in sorted(terms, key=lambda t: t.canonical)],
        "cues": sorted({canonical_form(c): c for c in cues}.items()),
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


# -- parsing -------------------------------------------------------------------
def _strings(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TermsFileError(f"{where}: {key} must be a list of strings, got {value!r}")
    out = []
    for v in value:
        if not v.strip():
            raise TermsFileError(f"{where}: {key} has an empty string")
        if any(ord(c) < 0x20 for c in v):
            raise TermsFileError(f"{where}: {key} entry {v!r} contains a control character")
        if not canonical_form(v):
            raise TermsFileError(f"{where}: {key} entry {v!r} is empty after normalisation")
        out.append(v)
    return out


def _parse(text: str, name: str) -> dict[str, Any]:
    """TOML text -> {"terms": [raw term dicts], "cues": [...], "replace_cues": bool}, validated."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TermsFileError(f"{name}: not valid TOML: {exc}") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise TermsFileError(f"{name}: unknown top-level key(s) {sorted(unknown)} (expected [ai_context] and [[term]])")
    context = data.get("ai_context", {})
    if not isinstance(context, dict):
        raise TermsFileError(f"{name}: [ai_context] must be a table")
    bad = set(context) - _CONTEXT_KEYS
    if bad:
        raise TermsFileError(f"{name}: [ai_context]: unknown key(s) {sorted(bad)} (expected cues, replace_cues)")
    cues = _strings(context.get("cues", []), f"{name}: [ai_context]", "cues")
    replace_cues = context.get("replace_cues", False)
    if not isinstance(replace_cues, bool):
        raise TermsFileError(f"{name}: [ai_context]: replace_cues must be true or false")
    raw_terms = data.get("term", [])
    if not isinstance(raw_terms, list):
        raise TermsFileError(f"{name}: 'term' must be an array of tables ([[term]])")
    terms: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_terms, 1):
        label = raw.get("canonical", "?") if isinstance(raw, dict) else "?"
        where = f"{name}: term #{i} ({label})"
        if not isinstance(raw, dict):
            raise TermsFileError(f"{where}: must be a table")
        bad = set(raw) - _TERM_KEYS
        if bad:
            raise TermsFileError(f"{where}: unknown key(s) {sorted(bad)} (expected {', '.join(sorted(_TERM_KEYS))})")
        canon = raw.get("canonical")
        if not isinstance(canon, str) or not canon.strip():
            raise TermsFileError(f"{where}: needs a non-empty 'canonical' string")
        _strings([canon], where, "canonical")
        if canon in seen:
            raise TermsFileError(f"{where}: canonical form {canon!r} is listed twice")
        seen.add(canon)
        for flag in ("ai_only", "remove", "auto_readings", "ai_always"):
            if flag in raw and not isinstance(raw[flag], bool):
                raise TermsFileError(f"{where}: {flag} must be true or false")
        if raw.get("remove"):
            terms.append({"canonical": canon, "remove": True})
            continue
        category = raw.get("category")
        if not isinstance(category, str) or not category.strip():
            raise TermsFileError(f"{where}: needs a 'category' string (e.g. rights, service, model, dataset)")
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise TermsFileError(f"{where}: note must be a string")
        terms.append(
            {
                "canonical": canon,
                "category": category.strip(),
                "variants": _strings(raw.get("variants", []), where, "variants"),
                "readings": _strings(raw.get("readings", []), where, "readings"),
                "exclusions": _strings(raw.get("exclusions", []), where, "exclusions"),
                "ai_only": raw.get("ai_only", False),
                "auto_readings": raw.get("auto_readings", True),
                "note": note,
                "context": _strings(raw.get("context", []), where, "context"),
                "ai_always": raw.get("ai_always", False),
                "cased": _cased(raw, where),
            }
        )
    return {"terms": terms, "cues": cues, "replace_cues": replace_cues}


def _cased(raw: dict[str, Any], where: str) -> list[str]:
    """``cased`` spellings: each must be one of the term's spellings (canonical or variant)."""
    cased = _strings(raw.get("cased", []), where, "cased")
    spellings = {canonical_form(x) for x in [raw["canonical"], *raw.get("variants", [])]}
    for text in cased:
        if canonical_form(text) not in spellings:
            raise TermsFileError(f"{where}: cased entry {text!r} is not the canonical form or a variant")
        if text == text.lower() and text == text.upper():
            raise TermsFileError(f"{where}: cased entry {text!r} has no letters that have a case")
    return cased


def _has_kanji(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def _generated_readings(spellings: Iterable[str]) -> list[str]:
    """Katakana (kana and pronunciation forms) and hiragana readings of kanji spellings."""
    out: list[str] = []
    for text in spellings:
        if not _has_kanji(text):
            continue
        found = readings(text)
        if found is None:
            continue
        kana, pron = found
        out.extend([kana, pron, katakana_to_hiragana(kana)])
    return list(dict.fromkeys(out))


def _generated_pieces(spellings: Iterable[str]) -> list[str]:
    """Katakana per-word reading pieces (kana and pronunciation forms) of kanji spellings."""
    out: list[str] = []
    for text in spellings:
        if _has_kanji(text):
            out.extend(reading_pieces(text) or ())
    return list(dict.fromkeys(out))


def _build(raw: dict[str, Any]) -> Term:
    variants = list(dict.fromkeys([raw["canonical"], *raw["variants"]]))
    declared = list(raw["readings"])
    auto = raw.get("auto_readings", True)
    generated = _generated_readings(variants) if auto else []
    return Term(
        canonical=raw["canonical"],
        category=raw["category"],
        variants=tuple(variants),
        readings=tuple(dict.fromkeys([*declared, *generated])),
        exclusions=tuple(raw["exclusions"]),
        ai_only=raw["ai_only"],
        note=raw.get("note", ""),
        context=tuple(raw.get("context", ())),
        ai_always=raw.get("ai_always", False),
        cased=tuple(raw.get("cased", ())),
        reading_pieces=tuple(_generated_pieces(variants)) if auto else (),
    )


def _merge(base: dict[str, Any], extra: dict[str, Any], name: str) -> dict[str, Any]:
    terms = {t["canonical"]: t for t in base["terms"]}
    for t in extra["terms"]:
        if t.get("remove"):
            if t["canonical"] not in terms:
                raise TermsFileError(f"{name}: cannot remove {t['canonical']!r}: not in the default dictionary")
            del terms[t["canonical"]]
        else:
            terms[t["canonical"]] = t
    cues = extra["cues"] if extra["replace_cues"] else [*base["cues"], *extra["cues"]]
    return {"terms": list(terms.values()), "cues": cues, "replace_cues": False}


def _dictionary(parsed: dict[str, Any], sources: list[str], overlay: dict[str, Any] | None) -> TermDictionary:
    if any(t.get("remove") for t in parsed["terms"]):
        bad = next(t["canonical"] for t in parsed["terms"] if t.get("remove"))
        raise TermsFileError(f"{sources[-1]}: 'remove = true' ({bad!r}) only makes sense in a file merged "
                             "into the default dictionary")
    if not parsed["terms"]:
        raise TermsFileError(f"{', '.join(sources)}: the dictionary has no terms")
    cues = list({canonical_form(c): c for c in reversed(parsed["cues"])}.values())[::-1]
    return TermDictionary(
        terms=[_build(t) for t in parsed["terms"]],
        cues=cues,
        sources=sources,
        overlay=overlay,
    )


def load_terms_text(text: str | None, *, name: str = "<terms>", replace: bool = False) -> TermDictionary:
    """The default dictionary merged with (or replaced by) TOML ``text``; None means the default alone."""
    default_text = DEFAULT_TERMS.read_text(encoding="utf-8")
    if text is None:
        return _dictionary(_parse(default_text, str(DEFAULT_TERMS)), [str(DEFAULT_TERMS)], None)
    extra = _parse(text, name)
    overlay = {"name": name, "toml": text, "replace": replace}
    if replace:
        return _dictionary(extra, [name], overlay)
    base = _parse(default_text, str(DEFAULT_TERMS))
    return _dictionary(_merge(base, extra, name), [str(DEFAULT_TERMS), name], overlay)


def load_terms(path: Path | None = None, *, replace: bool = False) -> TermDictionary:
    """The default dictionary (data/terms.toml), with ``path`` merged into it or replacing it.

    Raises :class:`TermsFileError` naming the file and the term for anything
    unusable (bad TOML with its line, unknown keys, wrong types, duplicates).
    """
    if path is None:
        if replace:
            raise TermsFileError("replace=True needs a dictionary file to replace the default with")
        return load_terms_text(None)
    path = Path(path)
    if path.resolve() == DEFAULT_TERMS.resolve():
        return load_terms_text(None)  # naming the default file means "the default", not a snapshot of it
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TermsFileError(f"{path}: cannot read the dictionary ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise TermsFileError(f"{path}: not UTF-8 ({exc})") from None
    return load_terms_text(text, name=str(path), replace=replace)


def add_term(path: Path, canonical: str, *, variants: Iterable[str] = (), category: str = "discovered",
             note: str = "") -> None:
    """Append a ``[[term]]`` to a user's dictionary file (created if missing); never to the shipped one.

    Why here: the dashboard's "Add to dictionary" (Rising words) writes a found word
    into the researcher's own file, which ``--terms FILE`` then merges into the
    default. The new text is validated as a whole before it replaces the file
    (written to a temporary file, then renamed), so a bad entry never leaves a
    broken dictionary behind. Raises :class:`TermsFileError` naming the file.
    """
    path = Path(path)
    if path.resolve() == DEFAULT_TERMS.resolve():
        raise TermsFileError(f"{path}: this is dtrack's shipped dictionary; add words to your own file "
                             "(merged into it with --terms FILE)")
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise TermsFileError(f"{path}: cannot read the dictionary ({exc})") from None
    if old.strip() and canonical in {t["canonical"] for t in _parse(old, str(path))["terms"]}:
        raise TermsFileError(f"{path}: {canonical!r} is already in this dictionary")
    spellings = [v for v in dict.fromkeys(variants) if v != canonical]
    entry = ["", "[[term]]", f"canonical = {json.dumps(canonical, ensure_ascii=False)}",
             f"category = {json.dumps(category, ensure_ascii=False)}"]
    if spellings:
        entry.append(f"variants = {json.dumps(spellings, ensure_ascii=False)}")
    if note:
        entry.append(f"note = {json.dumps(note, ensure_ascii=False)}")
    if old.strip():
        text = old + ("" if old.endswith("\n") else "\n") + "\n".join(entry) + "\n"
    else:
        text = "# My dtrack terms, merged into the default dictionary (dtrack tag --terms FILE)\n" + "\n".join(
            entry[1:]) + "\n"
    _parse(text, str(path))  # the whole file must still load
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def store_terms(store: Store) -> TermDictionary:
    """The dictionary the store was last tagged with (the default if none was recorded).

    Here, not in ``nlp.tagger``: the analyses resolve their terms with it, and a `dtrack timeline`
    process need not load the tagger (matcher, pre-filter, worker pool) to do so."""
    state = store.meta(TAGGING_META) or {}
    overlay = state.get("dictionary")
    if not overlay:
        return load_terms_text(None)
    return load_terms_text(overlay["toml"], name=overlay.get("name", "<stored>"), replace=bool(overlay.get("replace")))
