"""Format-agnostic reading: archives, lenient JSON, JSON arrays and lines, BOM and size limits, times.

Nothing here knows what a post is; every format in ``collectors.formats``
reads its files through these modules, so each of these helpers exists once.
"""
