"""collectors/jsonarray.py: reading a JSON array item by item, salvaging damaged files."""

from __future__ import annotations

import pytest

from dtrack.collectors.readers.json_array import iter_json_array
from dtrack.collectors.readers.json_values import dumps_raw, loads_lenient
from dtrack.collectors.readers.json_values import fix_surrogate_escapes as fix_lone_surrogates
from dtrack.collectors.records import Notice, Quarantine, SourceError


def run(data: bytes, **kw: object) -> list:
    return list(iter_json_array(data, where="f.json", **kw))  # type: ignore[arg-type]


def test_whole_array_fast_path_numbers_items() -> None:
    assert run(b'x = [{"a": 1}, 2, "three"];\n', offset=4) == [(1, None, {"a": 1}), (2, None, 2), (3, None, "three")]


def test_walk_gives_lines() -> None:
    got = run(b'[\n{"a": 1},\n\n{"b": 2}\n]', want_lines=True)
    assert got == [(1, 2, {"a": 1}), (2, 4, {"b": 2})]


@pytest.mark.parametrize(
    ("data", "kept", "problem", "line", "words"),
    [
        (b'[\n{"a": 1},\n{"b": "cut', 1, Quarantine, 3, "the file ends inside item 2"),
        (b'[\n{"a": 1},\n{"b": 2 x}, {"c": 3}]', 1, Quarantine, 3, "item 2 (line 3) is not valid JSON"),
        (b'[\n{"a": 1}\n{"b": 2}]', 1, Quarantine, 3, "expected ',' or ']' after item 1"),
        (b'[{"a": 1}', 1, Notice, None, "ends before the array's closing ']'"),
        (b'[{"a": 1}] trailing', 1, Notice, 1, "text after the array's closing ']'"),
    ],
)
def test_damage_keeps_what_came_before(data: bytes, kept: int, problem: type, line: int | None, words: str) -> None:
    got = run(data)
    assert len([g for g in got if isinstance(g, tuple)]) == kept
    last = got[-1]
    assert isinstance(last, problem) and last.line == line and words in (getattr(last, "reason", "")
                                                                          or last.message)


def test_item_numbers_instead_of_lines() -> None:
    got = run(b'[{"a": 1}, {"b": "cut', number_by="item")
    assert isinstance(got[-1], Quarantine) and got[-1].line == 2


def test_trailing_comma_is_tolerated() -> None:
    assert [g[2] for g in run(b"[1, 2,]")] == [1, 2]


@pytest.mark.parametrize("data", [b'{"a": 1}', b"", b"nothing"])
def test_not_an_array(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"f\.json"):
        run(data)


def test_surrogates() -> None:
    assert fix_lone_surrogates(rb'"\ud83c\udfa8 \ud83c x \udfa8"') == rb'"\ud83c\udfa8 \ufffd x \ufffd"'
    assert loads_lenient(rb'["\ud83c\udfa8", "\ud83c!"]') == (["🎨", "\ufffd!"], True)
    got = run(rb'[{"t": "\ud83c!"}, 1, ]')  # not valid JSON as a whole: walked, then fixed
    assert got[0] == Notice(None, "f.json: unpaired UTF-16 surrogate escapes were replaced by U+FFFD")
    assert got[1] == (1, 1, {"t": "\ufffd!"})


def test_bytes_that_are_not_utf8_are_replaced() -> None:
    assert loads_lenient(b'["a\xffb"]') == (["a\ufffdb"], True)
    got = run(b'[1, "a\xffb" ')
    assert isinstance(got[0], Notice) and "not UTF-8 (first at byte 6)" in got[0].message
    assert got[2] == (2, 1, "a\ufffdb")


def test_dumps_raw_handles_what_orjson_refuses() -> None:
    assert dumps_raw({"n": 2**70}) == '{"n": 1180591620717411303424}'
    assert dumps_raw({"t": "無断"}) == '{"t":"無断"}'
