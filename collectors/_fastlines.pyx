# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""A generic NDJSON block, from bytes to the columns the mapping needs, in one pass of C.

``formats.ndjson`` stays the reference: a block is parsed by ``pl.read_ndjson`` and its ids checked
by a regular expression, and ``DTRACK_NATIVE=0`` (read at every block) runs that path only. This
module reads the blocks where the result is certainly the same: flat JSON objects (no nested
object or list anywhere), every value of a mapped key a string or null, every other key's values
of one scalar kind, valid UTF-8, no duplicate key in an object, no blank line, and no key first
seen after the rows ``read_ndjson`` infers its schema from. Anything else, and any doubt, returns
None: the block goes through polars as before. tests/collectors/formats/test_fastlines.py compares
the two paths on hostile input.

What it gives for a block it reads: each mapped key's strings as an Arrow large-UTF-8 column
(handed to polars through the Arrow C data interface, without Python objects per value), and the
time column as microseconds when every value is ``YYYY-MM-DDTHH:MM:SSZ`` with 3, 6 or no fraction
digits (the rule of ``readers.times.iso_z_series``, which it replaces for such a block).
"""

from libc.stdint cimport int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memchr, memcmp, memcpy, memset

#: Bumped when what ``formats.ndjson`` expects from this module changes.
ABI = 2

cdef extern from *:
    """
    #include <stdint.h>
    #include <stdlib.h>
    struct ArrowSchema {
        const char* format; const char* name; const char* metadata; int64_t flags;
        int64_t n_children; struct ArrowSchema** children; struct ArrowSchema* dictionary;
        void (*release)(struct ArrowSchema*); void* private_data;
    };
    struct ArrowArray {
        int64_t length; int64_t null_count; int64_t offset; int64_t n_buffers; int64_t n_children;
        const void** buffers; struct ArrowArray** children; struct ArrowArray* dictionary;
        void (*release)(struct ArrowArray*); void* private_data;
    };
    /* the three buffers of a large-UTF-8 array, freed (without Python) by whoever releases it */
    static void dtl_release_array(struct ArrowArray* a) {
        if (a->release == NULL) return;
        void** bufs = (void**)a->private_data;
        free(bufs[0]); free(bufs[1]); free(bufs[2]); free(bufs);
        a->release = NULL;
    }
    static void dtl_release_schema(struct ArrowSchema* s) { s->release = NULL; }
    static void dtl_capsule_array(PyObject* cap) {
        struct ArrowArray* a = (struct ArrowArray*)PyCapsule_GetPointer(cap, "arrow_array");
        if (a == NULL) { PyErr_Clear(); return; }
        if (a->release != NULL) a->release(a);
        free(a);
    }
    static void dtl_capsule_schema(PyObject* cap) {
        struct ArrowSchema* s = (struct ArrowSchema*)PyCapsule_GetPointer(cap, "arrow_schema");
        if (s == NULL) { PyErr_Clear(); return; }
        if (s->release != NULL) s->release(s);
        free(s);
    }
    /* (schema capsule, array capsule) of an Arrow array of ``format`` with buffers b0..b2 (NULL for none);
       owns the buffers from here on, whatever happens */
    static PyObject* dtl_export_buffers(const char* format, int64_t n, int64_t nulls, int64_t n_buffers,
                                        void* b0, void* b1, void* b2) {
        struct ArrowSchema* s = (struct ArrowSchema*)calloc(1, sizeof(struct ArrowSchema));
        struct ArrowArray* a = (struct ArrowArray*)calloc(1, sizeof(struct ArrowArray));
        void** bufs = (void**)calloc(3, sizeof(void*));
        if (!s || !a || !bufs) { free(s); free(a); free(bufs); free(b0); free(b1); free(b2);
                                 return PyErr_NoMemory(); }
        s->format = format; s->name = ""; s->flags = 2; s->release = dtl_release_schema;
        bufs[0] = b0; bufs[1] = b1; bufs[2] = b2;
        a->length = n; a->null_count = nulls; a->n_buffers = n_buffers; a->buffers = (const void**)bufs;
        a->release = dtl_release_array; a->private_data = bufs;
        PyObject* sc = PyCapsule_New(s, "arrow_schema", dtl_capsule_schema);
        if (!sc) { dtl_release_array(a); free(a); free(s); return NULL; }
        PyObject* ac = PyCapsule_New(a, "arrow_array", dtl_capsule_array);
        if (!ac) { Py_DECREF(sc); dtl_release_array(a); free(a); return NULL; }
        PyObject* out = PyTuple_Pack(2, sc, ac);
        Py_DECREF(sc); Py_DECREF(ac);
        return out;
    }
    /* a large-UTF-8 array; owns validity, offsets and data from here on */
    static PyObject* dtl_export(int64_t n, int64_t nulls, void* validity, void* offsets, void* data) {
        if (!nulls) { free(validity); validity = NULL; }
        return dtl_export_buffers("U", n, nulls, 3, validity, offsets, data);
    }
    /* a timestamp[us, UTC] array without nulls; owns data from here on */
    static PyObject* dtl_export_utc_micros(int64_t n, void* data) {
        return dtl_export_buffers("tsu:UTC", n, 0, 2, NULL, data, NULL);
    }
    """
    object dtl_export(int64_t n, int64_t nulls, void* validity, void* offsets, void* data)
    object dtl_export_utc_micros(int64_t n, void* data)


#: Rows ``pl.read_ndjson(..., infer_schema_length=1000)`` reads its schema from (formats/ndjson.py):
#: a key first seen after them is dropped by polars, a null column given a value fails the block.
DEF INFER_ROWS = 1000
#: Distinct keys a block may have (more: polars reads it).
DEF MAX_KEYS = 64
#: Kinds of a key's values: none seen but null, string, integer, float, boolean.
DEF K_NONE = 0
DEF K_STR = 1
DEF K_INT = 2
DEF K_FLOAT = 3
DEF K_BOOL = 4


cdef struct Key:
    const uint8_t* name
    Py_ssize_t size
    int column  # index among the wanted columns, or -1
    int kind
    Py_ssize_t first_row


cdef struct Column:
    uint8_t* data
    int64_t* offsets
    uint8_t* valid
    int64_t size
    int64_t cap
    int64_t nulls
    bint present


def count_newlines(const uint8_t[::1] block, Py_ssize_t end):
    """Newlines in ``block[:end]`` (memchr, without the GIL)."""
    cdef Py_ssize_t n = 0, i = 0
    cdef const uint8_t* p = &block[0] if block.shape[0] else NULL
    cdef const void* hit
    if end > block.shape[0]:
        end = block.shape[0]
    with nogil:
        while i < end:
            hit = memchr(p + i, 10, end - i)
            if hit == NULL:
                break
            n += 1
            i = <const uint8_t*>hit - p + 1
    return n


cdef class Utf8Column:
    """A large-UTF-8 Arrow array built here, handed to polars once (``pl.Series(column)``)."""

    cdef int64_t length, nulls
    cdef void* validity
    cdef void* offsets
    cdef void* data

    def __dealloc__(self):
        free(self.validity)
        free(self.offsets)
        free(self.data)

    def __arrow_c_array__(self, requested_schema=None):
        if self.offsets == NULL:
            raise ValueError("exported already")
        validity, offsets, data = self.validity, self.offsets, self.data
        self.validity = self.offsets = self.data = NULL
        return dtl_export(self.length, self.nulls, validity, offsets, data)


cdef class UtcMicrosColumn:
    """A ``Datetime("us", "UTC")`` Arrow array built here (no nulls), handed to polars once
    (``pl.Series(column)``): no numpy array in between, whose conversion made polars import
    ``numpy.ma`` (30 ms of every ``dtrack ingest``)."""

    cdef int64_t length
    cdef void* data

    def __dealloc__(self):
        free(self.data)

    def __arrow_c_array__(self, requested_schema=None):
        if self.data == NULL:
            raise ValueError("exported already")
        data = self.data
        self.data = NULL
        return dtl_export_utc_micros(self.length, data)


cdef inline bint _space(uint8_t c) noexcept nogil:
    return c == 32 or c == 9 or c == 13


cdef inline int _hex(uint8_t c) noexcept nogil:
    if 48 <= c <= 57:
        return c - 48
    if 97 <= c <= 102:
        return c - 87
    if 65 <= c <= 70:
        return c - 55
    return -1


cdef inline Py_ssize_t _u4(const uint8_t* p, Py_ssize_t i, Py_ssize_t end) noexcept nogil:
    """The code unit of ``XXXX`` at ``p[i:i+4]``, or -1."""
    cdef int a, b, c, d
    if i + 4 > end:
        return -1
    a, b, c, d = _hex(p[i]), _hex(p[i + 1]), _hex(p[i + 2]), _hex(p[i + 3])
    if a < 0 or b < 0 or c < 0 or d < 0:
        return -1
    return (a << 12) | (b << 8) | (c << 4) | d


#: Bytes a column's buffer starts with; it grows to what the block's rows so far project (at most
#: twice or so a block): buffers of the block's full size were fresh memory every time (page faults
#: cost a third of the pass), right-sized ones are reused by malloc.
DEF FIRST_CAP = 262144


cdef int _grow(Column* column, int64_t needed, Py_ssize_t row, Py_ssize_t rows, Py_ssize_t end) noexcept nogil:
    cdef int64_t cap = needed
    cdef uint8_t* data
    if row > 0:
        cap = max(cap, <int64_t>(column.size / <double>row * rows * 1.1) + 65536)
    cap = min(max(cap, 2 * column.cap), end + 1)
    if cap < needed:
        cap = needed
    data = <uint8_t*>realloc(column.data, cap)
    if data == NULL:
        return -1
    column.data = data
    column.cap = cap
    return 0


cdef inline bint _plain8(const uint8_t* p) noexcept nogil:
    """Whether the 8 bytes at ``p`` are all printable ASCII other than '"' and '\\' (exact bit tricks)."""
    cdef uint64_t w, q, b
    memcpy(&w, p, 8)
    q = w ^ <uint64_t>0x2222222222222222
    b = w ^ <uint64_t>0x5C5C5C5C5C5C5C5C
    return ((w | ((w - <uint64_t>0x2020202020202020) & ~w)
             | ((q - <uint64_t>0x0101010101010101) & ~q)
             | ((b - <uint64_t>0x0101010101010101) & ~b)) & <uint64_t>0x8080808080808080) == 0


cdef inline bint _second(uint8_t c, uint8_t c1, uint8_t low_lead, uint8_t low_min, uint8_t high_lead,
                         uint8_t high_max) noexcept nogil:
    """The second byte of a three- or four-byte UTF-8 sequence: a continuation byte, in the narrower
    range table 3-7 gives after E0 and ED (F0 and F4): no overlong form, surrogate or code point past U+10FFFF."""
    if c == low_lead:
        return low_min <= c1 <= 0xBF
    if c == high_lead:
        return 0x80 <= c1 <= high_max
    return (c1 & 0xC0) == 0x80


cdef inline bint _same(const uint8_t* a, const uint8_t* b, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(n):
        if a[k] != b[k]:
            return False
    return True


cdef inline Py_ssize_t _string(const uint8_t* p, Py_ssize_t i, Py_ssize_t end, Column* column,
                               Py_ssize_t row, Py_ssize_t rows) noexcept nogil:
    """Scan the string whose first byte is ``p[i]`` (after the quote); returns the offset after its
    closing quote, or -1 when it is not one this module reads. Decoded onto ``column`` unless it is
    NULL. Valid UTF-8 only; escapes as JSON defines them, but no NUL and no lone surrogate."""
    cdef Py_ssize_t run = i, cp, lo
    cdef uint8_t c, c1
    cdef uint8_t* out = column.data if column != NULL else NULL
    cdef int64_t o = column.size if column != NULL else 0
    while i < end:
        c = p[i]
        if c >= 0x80:  # a multi-byte UTF-8 sequence, checked as the Unicode standard's table 3-7 says
            if 0xE0 <= c <= 0xEF:  # three bytes: most of Japanese text
                if i + 2 >= end or (p[i + 2] & 0xC0) != 0x80 or not _second(c, p[i + 1], 0xE0, 0xA0, 0xED, 0x9F):
                    return -1
                i += 3
            elif 0xC2 <= c <= 0xDF:
                if i + 1 >= end or (p[i + 1] & 0xC0) != 0x80:
                    return -1
                i += 2
            elif 0xF0 <= c <= 0xF4:
                if (i + 3 >= end or (p[i + 2] & 0xC0) != 0x80 or (p[i + 3] & 0xC0) != 0x80
                        or not _second(c, p[i + 1], 0xF0, 0x90, 0xF4, 0x8F)):
                    return -1
                i += 4
            else:
                return -1
            continue
        if c == 34 or c == 92:  # '"' or '\\': copy the run before it (and room for an escape)
            if out != NULL:
                if o + (i - run) + 4 > column.cap:
                    column.size = o
                    if _grow(column, o + (i - run) + 4, row, rows, end) < 0:
                        return -1
                    out = column.data
                if i > run:
                    memcpy(out + o, p + run, i - run)
                    o += i - run
            if c == 34:
                if out != NULL:
                    column.size = o
                return i + 1
            if i + 1 >= end:
                return -1
            c1 = p[i + 1]
            if c1 == 117:  # \uXXXX
                cp = _u4(p, i + 2, end)
                if cp <= 0:
                    return -1
                i += 6
                if 0xD800 <= cp <= 0xDBFF:
                    if i + 1 >= end or p[i] != 92 or p[i + 1] != 117:
                        return -1
                    lo = _u4(p, i + 2, end)
                    if not (0xDC00 <= lo <= 0xDFFF):
                        return -1
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
                elif 0xDC00 <= cp <= 0xDFFF:
                    return -1
                if out != NULL:
                    if cp < 0x80:
                        out[o] = <uint8_t>cp
                        o += 1
                    elif cp < 0x800:
                        out[o] = <uint8_t>(0xC0 | (cp >> 6))
                        out[o + 1] = <uint8_t>(0x80 | (cp & 0x3F))
                        o += 2
                    elif cp < 0x10000:
                        out[o] = <uint8_t>(0xE0 | (cp >> 12))
                        out[o + 1] = <uint8_t>(0x80 | ((cp >> 6) & 0x3F))
                        out[o + 2] = <uint8_t>(0x80 | (cp & 0x3F))
                        o += 3
                    else:
                        out[o] = <uint8_t>(0xF0 | (cp >> 18))
                        out[o + 1] = <uint8_t>(0x80 | ((cp >> 12) & 0x3F))
                        out[o + 2] = <uint8_t>(0x80 | ((cp >> 6) & 0x3F))
                        out[o + 3] = <uint8_t>(0x80 | (cp & 0x3F))
                        o += 4
                run = i
                continue
            if c1 == 34 or c1 == 92 or c1 == 47:
                c = c1
            elif c1 == 110:
                c = 10
            elif c1 == 116:
                c = 9
            elif c1 == 114:
                c = 13
            elif c1 == 98:
                c = 8
            elif c1 == 102:
                c = 12
            else:
                return -1
            if out != NULL:
                out[o] = c
                o += 1
            i += 2
            run = i
            continue
        if c < 0x20:  # a raw control character: not JSON
            return -1
        i += 1
        while i + 8 <= end and _plain8(p + i):  # ASCII runs (ids, times, Latin text) 8 bytes at a time
            i += 8
    return -1


cdef inline Py_ssize_t _digits_after(const uint8_t* p, Py_ssize_t i, Py_ssize_t end) noexcept nogil:
    """The offset after the one or more digits at ``p[i]``, or -1 when there is none."""
    cdef Py_ssize_t start = i
    while i < end and 48 <= p[i] <= 57:
        i += 1
    return -1 if i == start else i


cdef inline Py_ssize_t _number(const uint8_t* p, Py_ssize_t i, Py_ssize_t end, int* kind) noexcept nogil:
    """JSON's number grammar from ``p[i]``; the offset after it, or -1. An integer of more than 18
    digits is left to polars (it widens such a column)."""
    cdef Py_ssize_t start
    kind[0] = K_INT
    if p[i] == 45:
        i += 1
    if i >= end:
        return -1
    start = i
    if p[i] == 48:
        i += 1
    elif 49 <= p[i] <= 57:
        while i < end and 48 <= p[i] <= 57:
            i += 1
    else:
        return -1
    if i - start > 18:
        return -1
    if i < end and p[i] == 46:  # a fraction
        kind[0] = K_FLOAT
        i = _digits_after(p, i + 1, end)
    if i >= 0 and i < end and (p[i] == 101 or p[i] == 69):  # an exponent
        kind[0] = K_FLOAT
        i += 1
        if i < end and (p[i] == 43 or p[i] == 45):
            i += 1
        i = _digits_after(p, i, end)
    return i



cdef inline Py_ssize_t _literal(const uint8_t* p, Py_ssize_t i, Py_ssize_t end, const char* word,
                                Py_ssize_t size) noexcept nogil:
    if i + size > end or memcmp(p + i, word, size) != 0:
        return -1
    return i + size


cdef int _scan(const uint8_t* p, Py_ssize_t end, Py_ssize_t rows, Key* keys, int* nkeys,
               Column* cols, int ncols) noexcept nogil:
    """Every line of the block into ``cols``; 0, or -1 when polars must read the block."""
    cdef Py_ssize_t i = 0, row = 0, k, ks
    cdef uint8_t c
    cdef uint64_t seen
    cdef int kind, col, found, j
    cdef Column* column
    while row < rows:
        # one line: an object, spaces around it
        while i < end and _space(p[i]):
            i += 1
        if i >= end or p[i] != 123:  # '{' (a blank line, or not an object)
            return -1
        i += 1
        seen = 0
        while i < end and _space(p[i]):
            i += 1
        if i < end and p[i] == 125:  # '{}'
            i += 1
        else:
            while True:
                if i >= end or p[i] != 34:
                    return -1
                ks = i + 1
                k = ks
                while k < end and p[k] != 34:
                    if p[k] == 92 or p[k] < 0x20 or p[k] >= 0x80:  # escaped or non-ASCII keys: polars reads them
                        return -1
                    k += 1
                if k >= end:
                    return -1
                found = -1
                for j in range(nkeys[0]):
                    if keys[j].size == k - ks and _same(keys[j].name, p + ks, k - ks):
                        found = j
                        break
                if found < 0:
                    if nkeys[0] >= MAX_KEYS:
                        return -1
                    found = nkeys[0]
                    nkeys[0] += 1
                    keys[found].name = p + ks
                    keys[found].size = k - ks
                    keys[found].column = -1
                    keys[found].kind = K_NONE
                    keys[found].first_row = -1
                if keys[found].first_row < 0:
                    if row >= INFER_ROWS:  # a key polars' schema does not know: it would drop it
                        return -1
                    keys[found].first_row = row
                if seen & (<uint64_t>1 << found):  # a repeated key: polars keeps the first, orjson the last
                    return -1
                seen |= <uint64_t>1 << found
                i = k + 1
                while i < end and _space(p[i]):
                    i += 1
                if i >= end or p[i] != 58:  # ':'
                    return -1
                i += 1
                while i < end and _space(p[i]):
                    i += 1
                if i >= end:
                    return -1
                col = keys[found].column
                c = p[i]
                if c == 34:
                    kind = K_STR
                    if col >= 0:
                        column = &cols[col]
                        i = _string(p, i + 1, end, column, row, rows)
                        column.present = True
                        column.valid[row >> 3] |= <uint8_t>(1 << (row & 7))
                    else:
                        i = _string(p, i + 1, end, NULL, row, rows)
                elif c == 110:
                    kind = K_NONE
                    i = _literal(p, i, end, "null", 4)
                elif col >= 0:  # a mapped key holding a number, boolean, object or list
                    return -1
                elif c == 116:
                    kind = K_BOOL
                    i = _literal(p, i, end, "true", 4)
                elif c == 102:
                    kind = K_BOOL
                    i = _literal(p, i, end, "false", 5)
                elif c == 45 or 48 <= c <= 57:
                    i = _number(p, i, end, &kind)
                else:  # an object or a list (or not JSON)
                    return -1
                if i < 0:
                    return -1
                if kind != K_NONE:
                    if keys[found].kind == K_NONE:
                        if row >= INFER_ROWS:  # polars typed the column Null: a value fails the block
                            return -1
                        keys[found].kind = kind
                    elif keys[found].kind != kind:  # polars widens or fails: let it
                        return -1
                while i < end and _space(p[i]):
                    i += 1
                if i >= end:
                    return -1
                if p[i] == 44:  # ','
                    i += 1
                    while i < end and _space(p[i]):
                        i += 1
                    continue
                if p[i] == 125:  # '}'
                    i += 1
                    break
                return -1
        while i < end and _space(p[i]):
            i += 1
        if i < end:
            if p[i] != 10:
                return -1
            i += 1
        row += 1
        for col in range(ncols):
            cols[col].offsets[row] = cols[col].size
    if i != end:  # more lines than counted
        return -1
    return 0


cdef inline int64_t _digits(const uint8_t* s, int first, int count) noexcept nogil:
    cdef int64_t out = 0
    cdef int k
    for k in range(first, first + count):
        out = out * 10 + (s[k] - 48)
    return out


cdef int _iso_z(Column* column, Py_ssize_t rows, int64_t* out) noexcept nogil:
    """Microseconds since 1970 of every value, or -1 when one is null or not ``YYYY-MM-DDTHH:MM:SSZ``
    (3, 6 or no fraction digits) in range: the rule of ``readers.times.iso_z_series``."""
    cdef Py_ssize_t row
    cdef const uint8_t* s
    cdef int64_t width, year, month, day, hour, minute, second, fraction, y, era, yoe, doy, days, mdays
    cdef int k
    if column.nulls:
        return -1
    for row in range(rows):
        s = column.data + column.offsets[row]
        width = column.offsets[row + 1] - column.offsets[row]
        if width != 20 and width != 24 and width != 27:
            return -1
        if s[4] != 45 or s[7] != 45 or s[10] != 84 or s[13] != 58 or s[16] != 58 or s[width - 1] != 90:
            return -1
        if width > 20 and s[19] != 46:
            return -1
        for k in range(width - 1):
            if k == 4 or k == 7 or k == 10 or k == 13 or k == 16 or k == 19:
                continue
            if s[k] < 48 or s[k] > 57:
                return -1
        year, month, day = _digits(s, 0, 4), _digits(s, 5, 2), _digits(s, 8, 2)
        hour, minute, second = _digits(s, 11, 2), _digits(s, 14, 2), _digits(s, 17, 2)
        fraction = 0
        if width == 24:
            fraction = _digits(s, 20, 3) * 1000
        elif width == 27:
            fraction = _digits(s, 20, 6)
        if year < 1 or month < 1 or month > 12 or day < 1 or hour > 23 or minute > 59 or second > 59:
            return -1
        if month == 2:
            mdays = 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
        elif month == 4 or month == 6 or month == 9 or month == 11:
            mdays = 30
        else:
            mdays = 31
        if day > mdays:
            return -1
        # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; year >= 1)
        y = year - (1 if month <= 2 else 0)
        era = y // 400
        yoe = y - era * 400
        doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
        days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
        out[row] = ((days * 24 + hour) * 60 + minute) * 60000000 + second * 1000000 + fraction
    return 0


def parse_block(const uint8_t[::1] block, Py_ssize_t rows, list names, Py_ssize_t time_column=-1):
    """The columns ``names`` (str keys) of a block of ``rows`` lines, or None when polars must read it.

    Each is a :class:`Utf8Column` (for ``pl.Series``), None when no line has a string for that key
    (polars gives a Null column or none), or for ``time_column`` a :class:`UtcMicrosColumn` when every
    value is an ISO 8601 UTC time (see :func:`_iso_z`)."""
    cdef Py_ssize_t end = block.shape[0], n, j
    cdef const uint8_t* p = &block[0] if end else NULL
    cdef int ncols = len(names), nkeys = ncols, result, col
    cdef Key keys[MAX_KEYS]
    cdef Column* cols
    cdef int64_t* micros
    cdef int64_t valid
    if rows <= 0 or end == 0 or ncols > MAX_KEYS:
        return None
    encoded = [name.encode() for name in names]
    if len(set(encoded)) != ncols:
        return None
    cols = <Column*>malloc(ncols * sizeof(Column)) if ncols else NULL
    if ncols and cols == NULL:
        raise MemoryError()
    memset(cols, 0, ncols * sizeof(Column))
    out = []
    try:
        for col in range(ncols):
            keys[col].name = <const uint8_t*><const char*>encoded[col]
            keys[col].size = len(encoded[col])
            keys[col].column = col
            keys[col].kind = K_NONE
            keys[col].first_row = -1
            cols[col].cap = min(end + 1, FIRST_CAP)
            cols[col].data = <uint8_t*>malloc(cols[col].cap)
            cols[col].offsets = <int64_t*>malloc((rows + 1) * sizeof(int64_t))
            cols[col].valid = <uint8_t*>malloc((rows + 7) // 8 + 1)
            if cols[col].data == NULL or cols[col].offsets == NULL or cols[col].valid == NULL:
                raise MemoryError()
            memset(cols[col].valid, 0, (rows + 7) // 8 + 1)
            cols[col].offsets[0] = 0
        with nogil:
            result = _scan(p, end, rows, keys, &nkeys, cols, ncols)
        if result < 0:
            return None
        for col in range(ncols):
            valid = 0
            for j in range((rows + 7) // 8):
                valid += __builtin_popcount(cols[col].valid[j])
            cols[col].nulls = rows - valid
            if not cols[col].present:
                out.append(None)
                continue
            if col == time_column:
                micros = <int64_t*>malloc(max(rows, 1) * sizeof(int64_t))
                if micros == NULL:
                    raise MemoryError()
                with nogil:
                    result = _iso_z(&cols[col], rows, micros)
                if result == 0:
                    times = UtcMicrosColumn()
                    times.length, times.data = rows, micros
                    out.append(times)
                    continue
                free(micros)
            column = Utf8Column()
            column.length = rows
            column.nulls = cols[col].nulls
            column.validity, column.offsets, column.data = cols[col].valid, cols[col].offsets, cols[col].data
            cols[col].valid = cols[col].data = NULL
            cols[col].offsets = NULL
            out.append(column)
        return out
    finally:
        for col in range(ncols):
            free(cols[col].data)
            free(cols[col].offsets)
            free(cols[col].valid)
        free(cols)


cdef extern from *:
    int __builtin_popcount(unsigned int x) nogil
