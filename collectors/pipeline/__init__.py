"""From export files to stored, tagged posts: the ingest loop, ``collect`` (ingest, then tag),
watch jobs, their ledger and the scheduler."""
