"""Fuzzing every registered collector through the real ingest loop (hypothesis, bounded).

Three input families, each fed to every collector in ``REGISTRY`` (and to
detection): random bytes, byte-level mutations of the fixtures and real
samples, and structural mutations of their JSON values (a subtree replaced
by another JSON value, a key dropped). The invariants are in
``tests/collectors/fuzzing.py``. Examples are derandomised so CI is
repeatable; ``bench/fuzz_collectors.py`` runs the same checks for as long
as you like with fresh randomness.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dtrack.collectors import REGISTRY
from tests.collectors.fuzzing import OPS, check_ingest, json_seeds, mutate_bytes, seed_files, serialize
from tests.collectors.hostile import hostile_input

FORMATS = st.sampled_from([None, *REGISTRY])
SETTINGS = settings(max_examples=250, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = sorted({name for name, _ in seed_files()} | {"input.jsonl", "input.csv", "input.json", "input"})

_LEAF = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
         | st.text(max_size=12)
         | st.sampled_from(["", "1564100000000000001", "20", "Mon Aug 29 03:00:00 +0000 2022",
                            "2022-08-29T03:00:00.000Z", "RT @x: 無断学習…", "\ud83d", "retweeted", "quoted",
                            "replied_to", "&amp;", "1.5641e+18"]))
JSON = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["id", "id_str", "text", "data", "includes", "users",
                                                       "tweets", "author_id", "created_at", "user", "type",
                                                       "referenced_tweets", "statuses", "x"]), inner, max_size=3),
                    max_leaves=8)


def test_there_are_seeds_for_every_family():
    assert seed_files() and json_seeds()


@SETTINGS
@given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES), fmt=FORMATS)
# found by bench/fuzz_collectors.py: an epoch time past the year 9999 overflowed the time conversion
@example(data=b'{"created_at": 9.8e+19, "id": 1, "text": "x"}\n', name="input.jsonl", fmt="ndjson")
# found by bench/fuzz_collectors.py: a compliance record whose "action" is an object broke the twarc sniffer
@example(data=b'{"id": "1", "action": {"id": "x"}, "reason": "protected"}\n', name="input.jsonl", fmt=None)
def test_random_bytes(data: bytes, name: str, fmt: str | None):
    check_ingest(data, name, fmt)


@SETTINGS
@given(seed=st.sampled_from(seed_files()), fmt=FORMATS,
       ops=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 2**20), st.binary(min_size=1, max_size=8)),
                    min_size=1, max_size=6))
def test_mutated_seed_files(seed: tuple[str, bytes], fmt: str | None, ops: list[tuple[str, int, bytes]]):
    name, data = seed
    check_ingest(mutate_bytes(data, ops), name, fmt)


@st.composite
def mutated(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """``value`` with one subtree replaced, dropped or recursed into."""
    action = draw(st.sampled_from(["replace", "recurse", "recurse", "drop"])) if depth < 6 else "replace"
    if action == "replace" or not isinstance(value, dict | list) or not value:
        return draw(JSON)
    if isinstance(value, dict):
        key = draw(st.sampled_from(sorted(value)))
        copy = dict(value)
        if action == "drop":
            del copy[key]
        else:
            copy[key] = draw(mutated(value[key], depth + 1))
        return copy
    index = draw(st.integers(0, len(value) - 1))
    copy = list(value)
    if action == "drop":
        del copy[index]
    else:
        copy[index] = draw(mutated(value[index], depth + 1))
    return copy


@SETTINGS
@given(data=st.data(), seed=st.sampled_from(json_seeds()), fmt=FORMATS)
def test_mutated_records(data: st.DataObject, seed: tuple[str, str, tuple[Any, ...]], fmt: str | None):
    name, kind, values = seed
    index = data.draw(st.integers(0, len(values) - 1))
    changed = list(values)
    for _ in range(data.draw(st.integers(1, 3))):
        changed[index] = data.draw(mutated(changed[index]))
    check_ingest(serialize(kind, changed), name, fmt)


@settings(SETTINGS, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), fmt=FORMATS)
def test_hostile_times_and_ids(seed: int, fmt: str | None):
    """Times out of range and ids of the wrong type (tests/collectors/hostile.py), on both NDJSON paths and in
    twarc2 pages: nothing implausible is stored (check_ingest's time invariant), nothing crashes."""
    import random

    name, data = hostile_input(random.Random(seed))
    check_ingest(data, name, fmt)
