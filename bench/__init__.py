"""Benchmarks: each prints a table and, as its last line, a JSON summary."""
