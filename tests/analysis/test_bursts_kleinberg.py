"""Kleinberg's two-state burst automaton: exact, and in agreement with a reference method.

The reference is ruptures (Truong, Oudre & Vayatis 2020): its exact dynamic
programming change-point search (``Dynp``, least squares) and penalised
binary segmentation (``Binseg``, BIC-like penalty). A takeoff
is a change of level, so on the same daily series the first change point a
reference finds must be our takeoff day, and a series without change must
give neither a change point nor a takeoff. (The ``burst_detection`` package
was not used: it decides each day greedily instead of by Viterbi, and calls
``np.float``, removed in NumPy 1.24.)
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import ruptures as rpt
from hypothesis import given, settings
from hypothesis import strategies as st
from story import NOVELAI, TAKEOFF, Story

from dtrack.analysis.bursts import Burst, burst_states, bursts, emission_costs, resolve_model, takeoff_index
from dtrack.analysis.counting import daily_term_counts, daily_totals, term_uses
from dtrack.analysis.series import DailySeries


def _path_cost(cost: np.ndarray, states: tuple[int, ...], gamma: float) -> float:
    n = len(states)
    up = gamma * math.log(n) if n > 1 else 0.0
    total, previous = 0.0, 0
    for t, state in enumerate(states):
        total += cost[t, state] + (up if state > previous else 0.0)
        previous = state
    return total


def _brute_force(cost: np.ndarray, gamma: float) -> float:
    return min(_path_cost(cost, states, gamma) for states in itertools.product((0, 1), repeat=cost.shape[0]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=10), st.floats(0.0, 3.0))
def test_viterbi_finds_the_cheapest_state_sequence_poisson(counts: list[int], gamma: float) -> None:
    cost = emission_costs(counts)
    states = tuple(int(x) for x in burst_states(counts, gamma=gamma))
    assert _path_cost(cost, states, gamma) == pytest.approx(_brute_force(cost, gamma), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 60)), min_size=1, max_size=10), st.floats(0.0, 3.0))
def test_viterbi_finds_the_cheapest_state_sequence_binomial(days: list[tuple[int, int]], gamma: float) -> None:
    counts = [r for r, _ in days]
    totals = [r + extra + 10 for r, extra in days]  # keep s * p0 < 1
    cost = emission_costs(counts, totals)
    states = tuple(int(x) for x in burst_states(counts, totals, gamma=gamma))
    assert _path_cost(cost, states, gamma) == pytest.approx(_brute_force(cost, gamma), abs=1e-9)


def test_a_one_day_spike_is_not_a_burst_but_a_sustained_rise_is() -> None:
    spike = np.zeros(365)
    spike[100] = 5
    assert bursts(spike) == []
    rise = np.zeros(365)
    rise[200:230] = 6
    found = bursts(rise)
    assert [(b.start, b.end) for b in found] == [(200, 229)]
    assert found[0].weight > 0


def test_binomial_model_ignores_days_without_posts_and_normalises_coverage() -> None:
    totals = np.array([100] * 20 + [0] * 10 + [400] * 20)
    counts = np.array([2] * 20 + [0] * 10 + [8] * 20)  # the same 2% share throughout
    assert not burst_states(counts, totals).any()
    assert emission_costs(counts, totals)[20:30].tolist() == [[0.0, 0.0]] * 10
    counts[40:50] = 60  # 15% share for ten days
    assert [(b.start, b.end) for b in bursts(counts, totals)] == [(40, 49)]


@pytest.mark.parametrize(
    ("counts", "totals", "message"),
    [
        ([5, 5], [6, 6], "s \\* p0 < 1"),
        ([5, 1], [4, 9], "more uses than posts"),
        ([1, 2], [3], "differ in length"),
        ([-1, 2], None, "negative"),
    ],
)
def test_bad_series_are_refused(counts: list[int], totals: list[int] | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        emission_costs(counts, totals, model="binomial" if totals is not None else None)


def test_takeoff_is_the_first_sustained_burst_and_never_the_first_day() -> None:
    short, long_ = Burst(10, 12, 5.0), Burst(40, 80, 50.0)
    assert takeoff_index([short, long_], min_days=7) == 40
    assert takeoff_index([short, long_], min_days=1) == 10
    # already in full use when the data begin: not a takeoff, and it does not hide the later one
    assert takeoff_index([Burst(0, 30, 9.0), long_], min_days=7) == 40
    assert takeoff_index([Burst(0, 30, 9.0)], min_days=7) is None
    # a series that starts at the term's own first use inside the data: a burst from it is a takeoff
    assert takeoff_index([Burst(0, 30, 9.0), long_], min_days=7, censored=False) == 0
    assert takeoff_index([], min_days=1) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.booleans()), min_size=1, max_size=9), st.floats(0.0, 2.0))
def test_days_outside_coverage_carry_no_evidence_brute_force(days: list[tuple[int, bool]], gamma: float) -> None:
    """Reference: the cost of a path is the sum over covered days only, with the base rate over them."""
    counts = [r if ok else 0 for r, ok in days]
    covered = [ok for _, ok in days]
    cost = emission_costs(counts, covered=covered)
    inside = [c for c, ok in zip(counts, covered, strict=True) if ok]
    lam0 = sum(inside) / len(inside) if inside else 0.0
    for t, (r, ok) in enumerate(zip(counts, covered, strict=True)):
        if not ok or lam0 == 0:
            assert cost[t].tolist() == [0.0, 0.0]
        else:
            assert cost[t, 0] == pytest.approx(lam0 - r * math.log(lam0))
            assert cost[t, 1] == pytest.approx(2 * lam0 - r * math.log(2 * lam0))
    states = tuple(int(x) for x in burst_states(counts, gamma=gamma, covered=covered))
    assert _path_cost(cost, states, gamma) == pytest.approx(_brute_force(cost, gamma), abs=1e-9)


def test_a_coverage_gap_is_neither_silence_nor_burst() -> None:
    steady = np.array([3, 4, 3, 3, 4, 3, 3, 4, 3, 3] * 6)
    gapped = np.concatenate([steady[:30], np.zeros(60, dtype=int), steady[30:]])
    covered = np.concatenate([np.ones(30, bool), np.zeros(60, bool), np.ones(30, bool)])
    assert bursts(steady) == []
    assert bursts(gapped, covered=covered) == []  # with the gap read as silence, both halves would be bursts
    assert bursts(gapped) != []
    with pytest.raises(ValueError, match="outside coverage"):
        emission_costs([1, 2], covered=[True, False])


def test_binomial_falls_back_to_poisson_when_the_term_is_in_most_posts() -> None:
    assert resolve_model([6, 6], [10, 10], s=2, model="binomial") == (
        "poisson", "binomial needs s*p0 < 1 (s=2, p0=0.600): poisson used")
    assert resolve_model([4, 4], [10, 10], s=2, model="binomial") == ("binomial", None)
    assert resolve_model([4, 4], [10, 10], s=3, model="binomial")[0] == "poisson"  # 3 * 0.4 >= 1
    assert resolve_model([6, 6], None, model="binomial") == ("poisson", None)
    assert resolve_model([6, 6], [10, 10], model="poisson") == ("poisson", None)


def _story_series(story: Story) -> DailySeries:
    posts, hits = story.posts_frame().lazy(), story.hits_frame().lazy()
    daily = daily_term_counts(term_uses(posts, hits)).collect()
    return DailySeries.from_frames(daily, daily_totals(posts).collect())


@pytest.mark.parametrize(("term", "takeoff"), [("無断学習", TAKEOFF), ("NovelAI", NOVELAI), ("mimic", TAKEOFF)])
def test_takeoff_agrees_with_ruptures_exact_change_point(story: Story, term: str, takeoff: object) -> None:
    series = _story_series(story)
    counts = series.term(term).astype(float)
    ours = takeoff_index(bursts(counts), min_days=7)
    assert ours is not None and series.day(ours) == takeoff
    reference = rpt.Dynp(model="l2", min_size=2, jump=1).fit(counts.reshape(-1, 1)).predict(n_bkps=1)[0]
    assert abs(reference - ours) <= 1
    binseg = rpt.Binseg(model="l2", min_size=2, jump=1).fit(counts.reshape(-1, 1))
    first = binseg.predict(pen=3 * np.log(counts.size) * counts.var())[0]
    assert abs(first - ours) <= 1


def test_steady_term_has_no_takeoff_and_no_reference_change_point(story: Story) -> None:
    series = _story_series(story)
    counts = series.term("無断転載").astype(float)
    assert takeoff_index(bursts(counts), min_days=7) is None
    binseg = rpt.Binseg(model="l2", min_size=2, jump=1).fit(counts.reshape(-1, 1))
    assert binseg.predict(pen=3 * np.log(counts.size) * counts.var()) == [counts.size]  # no change point


@pytest.mark.parametrize("seed", range(8))
def test_takeoff_agrees_with_ruptures_on_noisy_steps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 730
    step = int(rng.integers(100, 600))
    low, high = rng.uniform(0.0, 1.0), rng.uniform(8.0, 30.0)
    counts = np.concatenate([rng.poisson(low, step), rng.poisson(high, n - step)]).astype(float)
    ours = takeoff_index(bursts(counts), min_days=7)
    reference = rpt.Dynp(model="l2", min_size=2, jump=1).fit(counts.reshape(-1, 1)).predict(n_bkps=1)[0]
    assert ours is not None and abs(ours - step) <= 1 and abs(reference - ours) <= 1
