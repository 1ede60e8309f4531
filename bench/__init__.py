"""Benchmarks: ``make bench`` (``python -m bench``) prints one JSON object per line.
They measure; they never pass or fail."""
