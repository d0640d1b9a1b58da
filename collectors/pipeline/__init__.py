"""From export files to stored, tagged posts: the ingest loop, ``collect`` (ingest, then tag),
the same loop on a Dask cluster (``cluster``), watch jobs, their ledger and the scheduler."""
