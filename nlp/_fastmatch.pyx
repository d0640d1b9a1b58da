# cython: language_level=3, boundscheck=False, wraparound=False
"""The matcher's per-post hot path in C (see nlp/matcher.py for the rules and the reference path)."""

#: Bumped when the native matcher changes what it needs from ``Matcher``.
ABI = 1


def abi() -> int:
    return ABI
