"""The `dtrack` commands, one module per group; `dtrack.py` assembles them."""
