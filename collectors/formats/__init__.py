"""One module per export format, each of one shape: ``NAME``, ``VERSION``, ``DESCRIPTION``,
``sniff(path, head)`` and ``parse(path, ctx)`` mapping records through pure ``map_*``
functions. ``registry`` finds them by name, lazily."""
