# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The matcher's per-post hot path in C: the same rules as ``Matcher`` in nlp/matcher.py, which stays the
reference (``DTRACK_NATIVE=0`` runs it; tests/nlp/test_fastmatch.py compares the two on every kind of text).

What is native, per post: the scan for every form, cue and context word (a trie over code points in flat C
arrays, where the Python path runs a regular expression once per place a key starts); MeCab's " start,end"
byte offsets read once into two arrays indexed by character offset (the Python path formats and searches a
substring for every question); the boundary filter, exclusions, the ``#`` mark, overlaps, the evidence
and the encoded lines. Rare paths call back into the Python matcher: kana runs cut into reading pieces
(``_kana_cuts``), the case test of ``cased`` spellings (``_weak``), and offsets back to the original text
(``Canonical.original_span``).
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from libc.string cimport memset


cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    bint PyUnicode_IS_ASCII(object o)
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND


#: Bumped when the native matcher changes what it needs from ``Matcher``.
ABI = 5

import unicodedata

from dtrack.nlp import tokenizer

#: BMP bitmaps, built once per process: characters NFKC changes, whitespace, dashes (nlp/tokenizer.py)
cdef unsigned char _CHANGING[8192]
cdef unsigned char _SPACE[8192]
cdef unsigned char _DASH[8192]
cdef unsigned char _LONGER[8192]  # characters NFKC makes longer (… -> ...)
cdef bint _TABLES = False


cdef inline bint _bit(const unsigned char* bits, unsigned int c) noexcept nogil:
    return c < 0x10000 and (bits[c >> 3] & (1 << (c & 7))) != 0


cdef void _set(unsigned char* bits, unsigned int c) noexcept:
    bits[c >> 3] |= 1 << (c & 7)


cdef int _tables() except -1:
    global _TABLES
    if _TABLES:
        return 0
    memset(_CHANGING, 0, sizeof(_CHANGING))
    memset(_SPACE, 0, sizeof(_SPACE))
    memset(_DASH, 0, sizeof(_DASH))
    memset(_LONGER, 0, sizeof(_LONGER))
    table = tokenizer._NFKC
    for cp in tokenizer._changing_points():
        _set(_CHANGING, cp)
        if len(table[cp]) > 1:
            _set(_LONGER, cp)
    for ch in tokenizer.WHITESPACE:
        _set(_SPACE, ord(ch))
    for ch in tokenizer.DASHES:
        _set(_DASH, ord(ch))
    _TABLES = True
    return 0


cdef inline bint _is_cjk(unsigned int cp) noexcept nogil:
    """``tokenizer._is_cjk``."""
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


cdef inline bint _is_katakana(unsigned int cp) noexcept nogil:
    return 0x30A1 <= cp <= 0x30FA


def abi() -> int:
    return ABI


cdef inline int _utf8_len(unsigned int c) noexcept nogil:
    if c < 0x80:
        return 1
    if c < 0x800:
        return 2
    if c < 0x10000:
        return 3
    return 4


def _span(item):
    return item[0], item[1]


def _hit_order(hit):
    return hit[1], hit[2], hit[0]


cdef class Native:
    """A ``Matcher`` compiled into flat arrays (built per process from the matcher; never pickled)."""

    cdef object m
    cdef str sep
    # trie: node i has children child_cp/child_node[child_start[i] : child_start[i] + child_count[i]],
    # sorted by code point; node_key[i] is the key ending there or -1
    cdef int n_nodes
    cdef int* child_start
    cdef int* child_count
    cdef unsigned int* child_cp
    cdef int* child_node
    cdef int* node_key
    cdef unsigned char* first  # bitmap of the BMP characters a key starts with (astral: always looked up)
    # keys
    cdef int n_keys
    cdef int* key_len
    cdef unsigned char* key_kana  # a kana form, for which a kana run may be cut into reading pieces
    cdef list key_terms  # term indices (tuple) if the key is a form, else None
    cdef list key_word  # (cue or None, owners, whole) if the key is a cue or context word, else None
    cdef object names, ai_only, ai_always, exclusions, cased
    cdef bint any_ai_always
    # per-post buffers, grown on demand
    cdef int* occ  # (start, end, key) triples: forms
    cdef Py_ssize_t occ_cap
    cdef int* wrd  # (start, end, key) triples: cue and context words
    cdef Py_ssize_t wrd_cap
    cdef unsigned char* starts
    cdef unsigned char* ends
    cdef Py_ssize_t bound_cap
    cdef Py_ssize_t* byte2char
    cdef Py_ssize_t byte_cap
    cdef Py_UCS4* ubuf  # characters of a text being normalised
    cdef Py_ssize_t ubuf_cap
    # the current post's canonical text: its Canonical (built only when an offset must be mapped back),
    # or what to build it from
    cdef object cur_canon
    cdef object cur_maps
    cdef object cur_shift_at
    cdef object cur_shifts
    cdef bint cur_identity
    cdef str cur_original  # set when NFKC made the text longer and nothing else maps offsets
    cdef Py_ssize_t* marks  # (offset, extra characters) of each character NFKC made longer, on first need
    cdef Py_ssize_t n_marks, marks_cap
    cdef bint marks_done
    cdef object nfkc_table, fold_py, is_normalized, canonical_type
    cdef bint busy  # a post is being matched: the buffers above are in use

    def __cinit__(self):
        self.child_start = NULL
        self.child_count = NULL
        self.child_cp = NULL
        self.child_node = NULL
        self.node_key = NULL
        self.first = NULL
        self.key_len = NULL
        self.key_kana = NULL
        self.occ = NULL
        self.wrd = NULL
        self.starts = NULL
        self.ends = NULL
        self.byte2char = NULL
        self.ubuf = NULL
        self.marks = NULL

    def __dealloc__(self):
        PyMem_Free(self.child_start)
        PyMem_Free(self.child_count)
        PyMem_Free(self.child_cp)
        PyMem_Free(self.child_node)
        PyMem_Free(self.node_key)
        PyMem_Free(self.first)
        PyMem_Free(self.key_len)
        PyMem_Free(self.key_kana)
        PyMem_Free(self.occ)
        PyMem_Free(self.wrd)
        PyMem_Free(self.starts)
        PyMem_Free(self.ends)
        PyMem_Free(self.byte2char)
        PyMem_Free(self.ubuf)
        PyMem_Free(self.marks)

    def __init__(self, matcher, str sep, kana_class):
        self.m = matcher
        self.sep = sep
        self.names = matcher.names
        self.ai_only = matcher.ai_only
        self.ai_always = matcher.ai_always
        self.any_ai_always = matcher._any_ai_always
        self.exclusions = matcher.exclusions
        self.cased = matcher.cased
        _tables()
        self.nfkc_table = tokenizer._NFKC
        self.fold_py = tokenizer._fold
        self.is_normalized = unicodedata.is_normalized
        self.canonical_type = tokenizer.Canonical
        # every key (form, cue word, context word) with what it is, from the Python matcher's own table
        keys = {}
        for key, entries in matcher._all_prefixes.items():
            n, term_ids, word = entries[0]  # the key itself comes first (longest)
            keys[key] = (term_ids, word)
        ordered = sorted(keys)
        self.n_keys = len(ordered)
        self.key_len = <int*>PyMem_Malloc(max(1, self.n_keys) * sizeof(int))
        self.key_kana = <unsigned char*>PyMem_Malloc(max(1, self.n_keys))
        if self.key_len == NULL or self.key_kana == NULL:
            raise MemoryError()
        self.key_terms = []
        self.key_word = []
        has_pieces = bool(matcher.pieces)
        trie = [{}]  # node -> {code point: child node}
        ends_at = {}  # node -> key
        cdef int k, node
        for k, key in enumerate(ordered):
            term_ids, word = keys[key]
            self.key_len[k] = len(key)
            self.key_kana[k] = 1 if (has_pieces and term_ids is not None and kana_class(key) is not None) else 0
            self.key_terms.append(term_ids)
            self.key_word.append(word)
            node = 0
            for ch in key:
                child = trie[node].get(ord(ch))
                if child is None:
                    child = len(trie)
                    trie[node][ord(ch)] = child
                    trie.append({})
                node = child
            ends_at[node] = k
        self.n_nodes = len(trie)
        cdef Py_ssize_t edges = sum(len(t) for t in trie)
        self.child_start = <int*>PyMem_Malloc(self.n_nodes * sizeof(int))
        self.child_count = <int*>PyMem_Malloc(self.n_nodes * sizeof(int))
        self.node_key = <int*>PyMem_Malloc(self.n_nodes * sizeof(int))
        self.child_cp = <unsigned int*>PyMem_Malloc(max(1, edges) * sizeof(unsigned int))
        self.child_node = <int*>PyMem_Malloc(max(1, edges) * sizeof(int))
        self.first = <unsigned char*>PyMem_Malloc(0x10000 // 8)
        if (self.child_start == NULL or self.child_count == NULL or self.node_key == NULL or self.child_cp == NULL
                or self.child_node == NULL or self.first == NULL):
            raise MemoryError()
        memset(self.first, 0, 0x10000 // 8)
        cdef int e = 0
        for node in range(self.n_nodes):
            self.node_key[node] = ends_at.get(node, -1)
            children = sorted(trie[node].items())
            self.child_start[node] = e
            self.child_count[node] = len(children)
            for cp, child in children:
                self.child_cp[e] = cp
                self.child_node[e] = child
                e += 1
        for cp in trie[0]:
            if cp < 0x10000:
                self.first[cp >> 3] |= 1 << (cp & 7)

    # -- buffers -----------------------------------------------------------------
    cdef int _grow_occ(self, bint words) except -1:
        cdef Py_ssize_t cap = (self.wrd_cap if words else self.occ_cap) * 2 + 64
        cdef int* grown = <int*>PyMem_Realloc(self.wrd if words else self.occ, cap * 3 * sizeof(int))
        if grown == NULL:
            raise MemoryError()
        if words:
            self.wrd, self.wrd_cap = grown, cap
        else:
            self.occ, self.occ_cap = grown, cap
        return 0

    cdef int _bounds(self, str text, str offsets, Py_ssize_t n) except -1:
        """Fill starts/ends[0..n] (character offsets) from MeCab's " start,end" UTF-8 byte offsets."""
        cdef Py_ssize_t i, nbytes, b, value, m, pos
        cdef int kind, okind
        cdef void* data
        cdef void* odata
        cdef unsigned int c
        cdef bint ascii = PyUnicode_IS_ASCII(text)
        cdef bint start
        if n + 1 > self.bound_cap:
            PyMem_Free(self.starts)
            PyMem_Free(self.ends)
            self.bound_cap = 0
            self.starts = <unsigned char*>PyMem_Malloc(n + 1)
            self.ends = <unsigned char*>PyMem_Malloc(n + 1)
            if self.starts == NULL or self.ends == NULL:
                raise MemoryError()
            self.bound_cap = n + 1
        memset(self.starts, 0, n + 1)
        memset(self.ends, 0, n + 1)
        nbytes = n
        if not ascii:
            kind = PyUnicode_KIND(text)
            data = PyUnicode_DATA(text)
            nbytes = 0
            for i in range(n):
                nbytes += _utf8_len(PyUnicode_READ(kind, data, i))
            if nbytes + 1 > self.byte_cap:
                PyMem_Free(self.byte2char)
                self.byte_cap = 0
                self.byte2char = <Py_ssize_t*>PyMem_Malloc((nbytes + 1) * sizeof(Py_ssize_t))
                if self.byte2char == NULL:
                    raise MemoryError()
                self.byte_cap = nbytes + 1
            for i in range(nbytes + 1):
                self.byte2char[i] = -1
            b = 0
            for i in range(n):
                self.byte2char[b] = i
                b += _utf8_len(PyUnicode_READ(kind, data, i))
            self.byte2char[nbytes] = n
        # " s,e s,e ...": a number after a space is a start, after a comma an end
        okind = PyUnicode_KIND(offsets)
        odata = PyUnicode_DATA(offsets)
        m = PyUnicode_GET_LENGTH(offsets)
        i = 0
        while i < m:
            c = PyUnicode_READ(okind, odata, i)
            if c == 32 or c == 44:  # ' ' or ','
                start = c == 32
                i += 1
                value = 0
                b = i
                while i < m:
                    c = PyUnicode_READ(okind, odata, i)
                    if c < 48 or c > 57:
                        break
                    value = value * 10 + (c - 48)
                    i += 1
                if i == b or value > nbytes:
                    continue
                pos = value if ascii else self.byte2char[value]
                if pos < 0:
                    continue
                if start:
                    self.starts[pos] = 1
                else:
                    self.ends[pos] = 1
            else:
                i += 1
        return 0

    cdef int _scan(self, str text, Py_ssize_t n, Py_ssize_t* n_occ, Py_ssize_t* n_wrd) except -1:
        """Every form (occ) and cue or context word (wrd) occurring in ``text``, overlaps included, in text
        order, longest first at one place: ``Matcher._scan_all``."""
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t p, q, no = 0, nw = 0
        cdef unsigned int c
        cdef int node, lo, hi, mid, depth, k, j
        cdef int found[64]
        cdef unsigned int x
        for p in range(n):
            c = PyUnicode_READ(kind, data, p)
            if c < 0x10000 and not (self.first[c >> 3] & (1 << (c & 7))):
                continue
            node = 0
            depth = 0
            q = p
            while q < n:
                c = PyUnicode_READ(kind, data, q)
                lo = self.child_start[node]
                hi = lo + self.child_count[node] - 1
                while lo <= hi:
                    mid = (lo + hi) >> 1
                    x = self.child_cp[mid]
                    if x < c:
                        lo = mid + 1
                    elif x > c:
                        hi = mid - 1
                    else:
                        break
                if lo > hi:
                    break
                node = self.child_node[mid]
                q += 1
                k = self.node_key[node]
                if k >= 0:
                    if depth == 64:  # more than 64 keys prefixing each other: take the Python path
                        return -2
                    found[depth] = k
                    depth += 1
            for j in range(depth - 1, -1, -1):
                k = found[j]
                if self.key_terms[k] is not None:
                    if no == self.occ_cap:
                        self._grow_occ(False)
                    self.occ[3 * no] = <int>p
                    self.occ[3 * no + 1] = <int>(p + self.key_len[k])
                    self.occ[3 * no + 2] = k
                    no += 1
                if self.key_word[k] is not None:
                    if nw == self.wrd_cap:
                        self._grow_occ(True)
                    self.wrd[3 * nw] = <int>p
                    self.wrd[3 * nw + 1] = <int>(p + self.key_len[k])
                    self.wrd[3 * nw + 2] = k
                    nw += 1
        n_occ[0] = no
        n_wrd[0] = nw
        return 0

    # -- normalising (tokenizer.canonical) ----------------------------------------
    cdef inline int _room(self, Py_ssize_t need) except -1:
        cdef Py_ssize_t cap
        cdef Py_UCS4* grown
        if need > self.ubuf_cap:
            cap = need * 2 + 256
            grown = <Py_UCS4*>PyMem_Realloc(self.ubuf, cap * sizeof(Py_UCS4))
            if grown == NULL:
                raise MemoryError()
            self.ubuf, self.ubuf_cap = grown, cap
        return 0

    cdef str _nfkc_each(self, str text):
        """``tokenizer._nfkc_each``: every character NFKC-normalised on its own."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, j, k, out = 0
        cdef int kind = PyUnicode_KIND(text), rkind
        cdef void* data = PyUnicode_DATA(text)
        cdef void* rdata
        cdef unsigned int c
        cdef str rep
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c >= 0x10000 or _bit(_CHANGING, c):
                break
        else:
            return text
        self._room(n)
        for j in range(i):
            self.ubuf[j] = PyUnicode_READ(kind, data, j)
        out = i
        for j in range(i, n):
            c = PyUnicode_READ(kind, data, j)
            if c >= 0x10000 or _bit(_CHANGING, c):
                rep = self.nfkc_table[c]
                k = PyUnicode_GET_LENGTH(rep)
                self._room(out + k + (n - j))
                rkind = PyUnicode_KIND(rep)
                rdata = PyUnicode_DATA(rep)
                for i in range(k):
                    self.ubuf[out + i] = PyUnicode_READ(rkind, rdata, i)
                out += k
            else:
                self.ubuf[out] = c
                out += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, self.ubuf, out)

    cdef str _fold_spaces(self, str folded):
        """Whitespace runs removed next to CJK and at the ends, else one space; a dash between katakana
        made ー (``tokenizer.canonical``, ``_fold_dashes``). Sets the shifts of the current post."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(folded), i, a, out = 0, last_shift = 0
        cdef int kind = PyUnicode_KIND(folded)
        cdef void* data = PyUnicode_DATA(folded)
        cdef unsigned int c
        cdef bint keep, changed = False
        self.cur_shift_at = None
        self.cur_shifts = None
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if _bit(_SPACE, c) or _bit(_DASH, c):
                break
        else:
            return folded
        self._room(n)
        i = 0
        while i < n:
            c = PyUnicode_READ(kind, data, i)
            if not _bit(_SPACE, c):
                self.ubuf[out] = c
                out += 1
                i += 1
                continue
            changed = True
            a = i
            while i < n and _bit(_SPACE, PyUnicode_READ(kind, data, i)):
                i += 1
            keep = (a > 0 and i < n and not _is_cjk(PyUnicode_READ(kind, data, a - 1))
                    and not _is_cjk(PyUnicode_READ(kind, data, i)))
            if keep:
                self.ubuf[out] = 32
                out += 1
            if i - out != last_shift:
                if self.cur_shift_at is None:
                    self.cur_shift_at, self.cur_shifts = [], []
                self.cur_shift_at.append(out)
                self.cur_shifts.append(i - out)
                last_shift = i - out
        # dashes: each is judged by its neighbours as they were (a replaced dash is never a neighbour that
        # matters: what follows it is katakana, not a dash)
        for i in range(1, out - 1):
            c = self.ubuf[i]
            if (_bit(_DASH, c) and (_is_katakana(self.ubuf[i - 1]) or self.ubuf[i - 1] == 0x30FC)
                    and _is_katakana(self.ubuf[i + 1])):
                self.ubuf[i] = 0x30FC
                changed = True
        if not changed:
            return folded
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, self.ubuf, out)

    cdef str _canonical(self, str text):
        """``tokenizer.canonical(text).text``, keeping what its Canonical needs (built on demand)."""
        cdef str folded, per_char
        maps = None
        if PyUnicode_IS_ASCII(text):
            folded = text.lower()
        elif self.is_normalized("NFKC", text):
            folded = text.lower()
            if PyUnicode_GET_LENGTH(folded) != PyUnicode_GET_LENGTH(text):
                folded, maps = self.fold_py(text)
        else:
            per_char = self._nfkc_each(text)
            if self.is_normalized("NFKC", per_char):
                folded = per_char.lower()
                if PyUnicode_GET_LENGTH(folded) != PyUnicode_GET_LENGTH(per_char):
                    folded, maps = self.fold_py(text)
                elif PyUnicode_GET_LENGTH(per_char) != PyUnicode_GET_LENGTH(text):
                    maps = {"original": text}
            else:
                folded, maps = self.fold_py(text)
        self.cur_canon = None
        self.cur_maps = maps or None
        folded = self._fold_spaces(folded)
        self.cur_identity = self.cur_maps is None and self.cur_shift_at is None
        self.cur_original = None
        if maps is not None and len(maps) == 1 and "original" in maps:
            self.cur_original = maps["original"]
            self.marks_done = False
        return folded

    cdef int _marks(self) except -1:
        """``tokenizer._expansions`` of the current post's original text."""
        cdef str text = self.cur_original
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, extra
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef unsigned int c
        cdef Py_ssize_t* grown
        self.n_marks = 0
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c >= 0x10000 or _bit(_LONGER, c):
                extra = PyUnicode_GET_LENGTH(self.nfkc_table[c]) - 1
                if extra > 0:
                    if self.n_marks == self.marks_cap:
                        grown = <Py_ssize_t*>PyMem_Realloc(self.marks, (self.marks_cap * 2 + 32) * 2 * sizeof(Py_ssize_t))
                        if grown == NULL:
                            raise MemoryError()
                        self.marks, self.marks_cap = grown, self.marks_cap * 2 + 32
                    self.marks[2 * self.n_marks] = i
                    self.marks[2 * self.n_marks + 1] = extra
                    self.n_marks += 1
        self.marks_done = True
        return 0

    cdef Py_ssize_t _back(self, Py_ssize_t pos, bint end) except -2:
        """``Canonical._original(_folded(pos))``: start (or end) in the original text of canonical
        character ``pos``, when only whitespace folding and lengthening NFKC changed offsets."""
        cdef Py_ssize_t k, folded = pos, shift = 0, j, extra, i
        if self.cur_shift_at is not None:  # bisect_right
            lo, hi = 0, len(self.cur_shift_at)
            while lo < hi:
                mid = (lo + hi) // 2
                if pos < self.cur_shift_at[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            if lo:
                folded = pos + <Py_ssize_t>self.cur_shifts[lo - 1]
        if self.cur_original is None:
            return folded + 1 if end else folded
        if not self.marks_done:
            self._marks()
        for k in range(self.n_marks):
            j = self.marks[2 * k]
            extra = self.marks[2 * k + 1]
            if j + shift > folded:
                break
            if folded <= j + shift + extra:
                return j + 1 if end else j
            shift += extra
        i = min(folded - shift, PyUnicode_GET_LENGTH(self.cur_original) - 1)
        return i + 1 if end else i

    cdef object _canon(self, str text):
        """The current post's Canonical (``tokenizer.canonical(original)``), built on first need."""
        if self.cur_canon is None:
            kwargs = dict(self.cur_maps) if self.cur_maps is not None else {}
            if self.cur_shift_at is not None:
                kwargs["shift_at"] = self.cur_shift_at
                kwargs["shifts"] = self.cur_shifts
            self.cur_canon = self.canonical_type(text, **kwargs)
        return self.cur_canon

    def canonical_parts(self, str text):
        """(canonical text, maps, shift_at, shifts) as the native path makes them, for tests."""
        folded = self._canonical(text)
        return folded, self.cur_maps or {}, self.cur_shift_at or [], self.cur_shifts or []

    # -- one post ----------------------------------------------------------------
    cpdef list match_canonical(self, canon, original, parse):
        """``Matcher.match_canonical``: hits as (term index, start, end, evidence) in original offsets."""
        if self.busy:  # called again from another thread while this one is inside (e.g. in MeCab)
            return self.m._match_canonical_py(canon, original, parse)
        self.busy = True
        try:
            self.cur_canon = canon
            self.cur_identity = False
            self.cur_original = None
            return self._match(canon.text, original, parse)
        finally:
            self.busy = False

    cdef list _match(self, str text, original, parse):
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
        cdef Py_ssize_t n_occ = 0, n_wrd = 0, i
        cdef int p, e, k, a, b, last, x, y, cut
        cdef bint any_weak, weak, whole, every
        if n >= 0x7FFFFFFF or self._scan(text, n, &n_occ, &n_wrd) == -2:
            return self.m._match_canonical_py(self._canon(text), original, parse)
        if n_occ == 0:
            return []
        self._bounds(text, parse(text), n)
        cdef unsigned char* starts = self.starts
        cdef unsigned char* ends = self.ends
        runs = None
        found = {}
        for i in range(n_occ):
            p = self.occ[3 * i]
            e = self.occ[3 * i + 1]
            k = self.occ[3 * i + 2]
            if starts[p] and ends[e]:
                pass
            elif self.key_kana[k]:
                if runs is None:
                    runs = {}
                if not self.m._kana_cuts(text, p, e, runs):
                    continue
            else:
                continue
            span = (p, e)
            for t in self.key_terms[k]:
                spans = found.get(t)
                if spans is None:
                    found[t] = [span]
                else:
                    spans.append(span)
        if not found:
            return []
        # (term, canonical start, canonical end, weak) after exclusions and overlaps
        kept = []
        any_weak = False
        cased = self.cased
        exclusions = self.exclusions
        for term, spans in found.items():
            forms = exclusions.get(term)
            if forms is not None:
                blocked = []
                for form, whole in forms:
                    k = len(form)
                    cut = text.find(form)
                    while cut >= 0:
                        if starts[cut] and (not whole or ends[cut + k]):
                            blocked.append((cut, cut + k))
                        cut = text.find(form, cut + 1)
                if blocked:
                    spans = [span for span in spans if not _inside(span, blocked)]
            marked = [((a - 1 if a > 0 and text[a - 1] == "#" else a), b) for a, b in spans]
            if len(marked) > 1:
                marked.sort(key=_by_start_longest)
            last = -1
            for a, b in marked:
                if a >= last:
                    weak = term in cased and self.m._weak(term, self._canon(text), original, a, b)
                    any_weak = any_weak or weak
                    kept.append((term, a, b, weak))
                    last = b
        if not kept:
            return []
        # evidence items (start, end, word, the terms it speaks for or None for every term): Matcher._words
        items = []
        every = any_weak
        seen = set()
        single = next(iter(found)) if len(found) == 1 else None
        for i in range(n_wrd):
            p = self.wrd[3 * i]
            e = self.wrd[3 * i + 1]
            cue, owners, whole = self.key_word[self.wrd[3 * i + 2]]
            terms = None
            if cue is not None:
                word = cue
            elif single is not None:
                entry = owners.get(single)
                if entry is None:
                    continue
                word, terms = entry
            else:
                mine = sorted([t for t in found if t in owners])
                if not mine:
                    continue
                word, terms = owners[mine[0]][0], frozenset(mine)
            if not every and word in seen:
                continue
            if starts[p] and (not whole or ends[e]):
                items.append((p, e, word, terms))
                seen.add(word)
        if self.any_ai_always:
            ai_always = self.ai_always
            names = self.names
            items.extend([(a, b, names[term], None) for term, a, b, weak in kept if ai_always[term] and not weak])
        if len(items) > 1:
            items.sort(key=_span)
        decided = []
        strong = {}  # a term's evidence is the same for all its (not weak) hits
        for term, a, b, weak in kept:
            if not weak:
                words = strong.get(term)
                if words is None:
                    words = strong[term] = list(dict.fromkeys(
                        [it[2] for it in items if it[3] is None or term in it[3]]))
            else:
                words = list(dict.fromkeys([word for x, y, word, owner in items
                                            if (owner is None or term in owner) and not (a <= x and y <= b)]))
                if not words:
                    continue
            decided.append((term, a, b, words))
        shared = None
        hits = []
        ai_only = self.ai_only
        for term, a, b, words in decided:
            if not words:
                if ai_only[term]:
                    continue
                if shared is None:  # the post is about AI when another hit's evidence says so
                    shared = list(dict.fromkeys([w for d in decided for w in d[3]]))
                words = shared
            if self.cur_identity:
                hits.append((term, a, b, tuple(words)))
            elif self.cur_canon is None and (self.cur_maps is None or self.cur_original is not None):
                hits.append((term, self._back(a, False), self._back(b - 1, True), tuple(words)))
            else:
                x, y = self._canon(text).original_span(a, b)
                hits.append((term, x, y, tuple(words)))
        if len(hits) > 1:
            hits.sort(key=_hit_order)
        return hits

    def encode(self, list texts, Py_ssize_t base, parse):
        """``Matcher.encode``: the hits of many posts as one string, a line per hit."""
        lines = []
        cdef Py_ssize_t i
        cdef str sep = self.sep
        if self.busy:  # called again from another thread while this one is inside: the per-post buffers
            return self.m._encode_py(texts, base)  # are in use, so this call takes the Python path
        self.busy = True
        try:
            for i in range(len(texts)):
                text = texts[i]
                if not text:
                    continue
                hits = self._match(self._canonical(text), text, parse)
                if hits:
                    row = str(base + i)
                    for t, a, b, ev in hits:
                        lines.append(f"{row}\t{t}\t{a}\t{b}\t{sep.join(ev)}")
        finally:
            self.busy = False
        return "\n".join(lines)


cdef bint _inside(tuple span, list blocked):
    """Does ``span`` lie inside one of the ``blocked`` spans?"""
    cdef int a = span[0], b = span[1]
    for x, y in blocked:
        if x <= a and b <= y:
            return True
    return False


def _by_start_longest(ab):
    return ab[0], -ab[1]
