"""The compiled half of dtrack: two optional extensions, the matcher's per-post hot path (nlp/_fastmatch.pyx)
and the generic NDJSON reader's per-block pass (collectors/_fastlines.pyx).

Everything else is declared in pyproject.toml. The extensions are optional: a machine without a C compiler
(or without Cython in the build environment) still installs dtrack, which then matches terms and reads
NDJSON blocks with the pure-Python and polars paths (same output, slower; docs/tagging.md, The native
matcher; docs/contributing.md). The C is generated from the ``.pyx`` at build time (setuptools hands
``.pyx`` sources to Cython when it is installed), never committed. After editing the ``.pyx``,
``pip install -e .`` again rebuilds it.
"""

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """``optional=True`` covers compiler errors only; a failing Cython step must not break the install
    either."""

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:  # anything: dtrack works without the extension
            if not getattr(ext, "optional", False):
                raise
            print(f"warning: {ext.name} not built ({error}); dtrack will run its pure-Python path instead",
                  file=sys.stderr)


setup(
    ext_modules=[
        Extension(
            "dtrack.nlp._fastmatch",
            ["nlp/_fastmatch.pyx"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        Extension(
            "dtrack.collectors._fastlines",
            ["collectors/_fastlines.pyx"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
