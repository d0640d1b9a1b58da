"""The compiled half of dtrack: one optional extension, the matcher's per-post hot path (nlp/_fastmatch.pyx).

Everything else is declared in pyproject.toml. The extension is ``optional``: a machine without a C
compiler (or without Cython in the build environment) still installs dtrack, which then matches terms
with the pure-Python path (same output, slower; docs/tagging.md, Speed). The C is generated from the
``.pyx`` at build time (setuptools hands ``.pyx`` sources to Cython when it is installed), never committed.
After editing the ``.pyx``, ``pip install -e .`` again rebuilds it.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "dtrack.nlp._fastmatch",
            ["nlp/_fastmatch.pyx"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
