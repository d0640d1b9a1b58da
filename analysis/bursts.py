"""Burst detection: Kleinberg's two-state automaton on daily counts.

Why Kleinberg. "When did the word take off?" needs a rule that a reviewer
can look up and that does not depend on a hand-picked threshold. Kleinberg
(2002, "Bursty and Hierarchical Structure in Streams", KDD; Data Mining and
Knowledge Discovery 7:373-397) models a stream as a hidden automaton with a
base state and a burst state that emits at ``s`` times the base rate. Moving
up into the burst state costs ``gamma * ln(n)`` (n = number of days); moving
down is free. The optimal state sequence (found exactly by the Viterbi
algorithm) marks bursts: a day-long spike rarely pays the entry cost, a
sustained rise does. The first day of the first sustained burst is the
takeoff.

Two emission models of the same automaton are implemented:

``"binomial"`` (Kleinberg §4, batched documents)
    Day t has ``d_t`` posts of which ``r_t`` use the term; state j emits a use
    with probability ``p_j`` (``p_0 = sum r / sum d``, ``p_1 = s * p_0``).
    This normalises by coverage: a week with half the collected posts is not a
    dip in use, and days with no collected posts carry no evidence. It needs a
    meaningful denominator, and ``s * p_0 < 1``.
``"poisson"`` (the daily-count form of Kleinberg's §2 rate model)
    ``r_t`` is Poisson with rate ``λ_0 = mean(r)`` in the base state and
    ``s * λ_0`` in the burst state. Used when there is no meaningful
    denominator (keyword-search exports, where nearly every post uses a term).

Costs are negative log-likelihoods; terms that do not depend on the state
(``ln C(d, r)``, ``ln r!``) are dropped, which leaves the optimal path unchanged.

Days outside the collection (``covered`` false: the store holds no post at all
that day) carry no evidence: both states explain them at cost 0 and, in the
Poisson model, they do not enter the base rate. A gap in coverage is then
neither a silence nor a burst.

When the binomial model cannot be used (``s * p0 >= 1``: the term is in so many
posts that the burst state would emit a use with probability 1 or more),
:func:`resolve_model` falls back to the Poisson model and says why;
:func:`emission_costs` itself refuses such a series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MODELS = ("binomial", "poisson")
#: Kleinberg's defaults: the burst state emits at twice the base rate, entry cost ln(n).
DEFAULT_S = 2.0
DEFAULT_GAMMA = 1.0


@dataclass(frozen=True)
class Burst:
    """One maximal run of burst-state days: indexes ``start``..``end`` inclusive.

    ``weight`` is Kleinberg's burst weight: how much cheaper the burst state
    explains those days than the base state (larger = stronger burst).
    """

    start: int
    end: int
    weight: float

    @property
    def days(self) -> int:
        return self.end - self.start + 1


def emission_costs(
    counts: npt.ArrayLike,
    totals: npt.ArrayLike | None = None,
    *,
    s: float = DEFAULT_S,
    model: str | None = None,
    covered: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Cost of explaining each day in the base (column 0) and burst (column 1) state.

    ``model`` defaults to ``"binomial"`` when ``totals`` are given, else ``"poisson"``.
    ``covered`` (booleans, default all true) marks the days the data cover; the
    others cost 0 in both states and stay out of the Poisson base rate.
    Returns an array of shape (n, 2).
    """
    r = np.asarray(counts, dtype=np.float64)
    mask = np.ones(r.shape, dtype=bool) if covered is None else np.asarray(covered, dtype=bool)
    if mask.shape != r.shape:
        raise ValueError(f"counts and covered differ in length ({r.size} and {mask.size})")
    if np.any(r[~mask] > 0):
        raise ValueError("a day outside coverage has uses (covered must be true wherever counts > 0)")
    model = model or ("binomial" if totals is not None else "poisson")
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if s <= 1:
        raise ValueError(f"s must be greater than 1, not {s}")
    if np.any(r < 0):
        raise ValueError("counts must not be negative")
    if model == "poisson":
        lam0 = r[mask].mean() if mask.any() else 0.0
        if lam0 == 0:
            return np.zeros((r.size, 2))
        lam = np.array([lam0, s * lam0])
        return np.where(mask[:, None], lam[None, :] - r[:, None] * np.log(lam)[None, :], 0.0)
    if totals is None:
        raise ValueError("the binomial model needs totals (all posts per day)")
    d = np.asarray(totals, dtype=np.float64)
    if d.shape != r.shape:
        raise ValueError(f"counts and totals differ in length ({r.size} and {d.size})")
    d = np.where(mask, d, 0.0)
    if np.any(r > d):
        raise ValueError("a day has more uses than posts (counts > totals)")
    if d.sum() == 0 or r.sum() == 0:
        return np.zeros((r.size, 2))
    p0 = r.sum() / d.sum()
    if s * p0 >= 1:
        raise ValueError(
            f"the binomial model needs s * p0 < 1 (here {s} * {p0:.3f}): the term is in most posts, "
            "so the denominator says nothing; use the poisson model"
        )
    p = np.array([p0, s * p0])
    return -(r[:, None] * np.log(p)[None, :] + (d - r)[:, None] * np.log1p(-p)[None, :])


def resolve_model(
    counts: npt.ArrayLike, totals: npt.ArrayLike | None, *, s: float = DEFAULT_S, model: str = "poisson"
) -> tuple[str, str | None]:
    """The model that can actually be used, and a note when it is not the one asked for.

    The binomial model needs ``s * p0 < 1``; a term in more than ``1/s`` of
    all posts (keyword-search exports) gets the Poisson model instead, with a
    note saying so (the docstring of :func:`analysis.emergence.emergence`
    promised this fallback; before, it raised).

    Examples
    --------
    >>> resolve_model([6, 6], [10, 10], model="binomial")
    ('poisson', 'binomial needs s*p0 < 1 (s=2, p0=0.600): poisson used')
    >>> resolve_model([1, 1], [10, 10], model="binomial")
    ('binomial', None)
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if model != "binomial" or totals is None:
        return "poisson", None
    r, d = np.asarray(counts, dtype=np.float64), np.asarray(totals, dtype=np.float64)
    if d.sum() > 0 and r.sum() > 0:
        p0 = r.sum() / d.sum()
        if s * p0 >= 1:
            return "poisson", f"binomial needs s*p0 < 1 (s={s:g}, p0={p0:.3f}): poisson used"
    return "binomial", None


def burst_states(
    counts: npt.ArrayLike,
    totals: npt.ArrayLike | None = None,
    *,
    s: float = DEFAULT_S,
    gamma: float = DEFAULT_GAMMA,
    model: str | None = None,
    covered: npt.ArrayLike | None = None,
) -> np.ndarray:
    """The optimal (minimum-cost) state of each day: ``True`` in a burst.

    Exact Viterbi over the two-state automaton, starting in the base state.

    Parameters
    ----------
    counts
        Uses per day (every day of the period, zeros included).
    totals
        All posts per day, for the binomial model.
    s
        Burst rate as a multiple of the base rate (> 1).
    gamma
        Difficulty of entering a burst; the entry cost is ``gamma * ln(n)``.
    model
        ``"binomial"`` or ``"poisson"``; default binomial when ``totals`` are given.
    covered
        Days the data cover (default: all); days outside carry no evidence.

    Examples
    --------
    >>> burst_states([0, 1, 0, 0, 9, 12, 10, 0, 1, 0]).astype(int).tolist()
    [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    """
    cost = emission_costs(counts, totals, s=s, model=model, covered=covered)
    n = cost.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    if gamma < 0:
        raise ValueError(f"gamma must not be negative, not {gamma}")
    up = gamma * np.log(n) if n > 1 else 0.0
    # best[t, j]: cheapest cost of days 0..t ending in state j; came_up[t]: burst at t entered from base
    best0, best1 = cost[0, 0], up + cost[0, 1]
    from_base = np.zeros(n, dtype=bool)  # for state 1 at t: predecessor was state 0
    from_burst = np.zeros(n, dtype=bool)  # for state 0 at t: predecessor was state 1
    from_base[0] = True
    for t in range(1, n):
        c0, c1 = cost[t]
        stay0, down = best0, best1
        from_burst[t] = down < stay0
        new0 = min(stay0, down) + c0
        stay1, enter = best1, best0 + up
        from_base[t] = enter < stay1
        new1 = min(stay1, enter) + c1
        best0, best1 = new0, new1
    states = np.zeros(n, dtype=bool)
    state = best1 < best0
    for t in range(n - 1, -1, -1):
        states[t] = state
        state = (not from_base[t]) if state else bool(from_burst[t])
    return states


def bursts(
    counts: npt.ArrayLike,
    totals: npt.ArrayLike | None = None,
    *,
    s: float = DEFAULT_S,
    gamma: float = DEFAULT_GAMMA,
    model: str | None = None,
    covered: npt.ArrayLike | None = None,
) -> list[Burst]:
    """Every burst in a daily series, in time order, with Kleinberg's weight.

    Examples
    --------
    >>> bursts([0, 1, 0, 0, 9, 12, 10, 0, 1, 0])  # doctest: +ELLIPSIS
    [Burst(start=4, end=6, weight=...)]
    """
    states = burst_states(counts, totals, s=s, gamma=gamma, model=model, covered=covered)
    if not states.any():
        return []
    cost = emission_costs(counts, totals, s=s, model=model, covered=covered)
    gain = cost[:, 0] - cost[:, 1]
    edges = np.diff(np.concatenate(([0], states.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return [Burst(int(a), int(b), float(gain[a : b + 1].sum())) for a, b in zip(starts, ends, strict=True)]


def takeoff_index(found: list[Burst], *, min_days: int = 1, censored: bool = True) -> int | None:
    """Index of the first day of the first burst lasting at least ``min_days``
    that does not start at index 0 of a left-censored series.

    ``censored``: index 0 is the first day of the data (the term may be older).
    A burst starting there is not a takeoff: the term was already in full use
    when the data begin. It is skipped and the next sustained burst, if any,
    is the takeoff (before, such a first burst hid every later one). When the
    series starts at the term's own first use inside the data (``censored``
    false), a burst from that day on is a takeoff.

    Examples
    --------
    >>> takeoff_index([Burst(0, 30, 9.0), Burst(40, 80, 50.0)], min_days=7)
    40
    >>> takeoff_index([Burst(0, 30, 9.0), Burst(40, 80, 50.0)], min_days=7, censored=False)
    0
    """
    for burst in found:
        if burst.days >= min_days and not (censored and burst.start == 0):
            return burst.start
    return None
