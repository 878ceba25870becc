"""Benchmarks: each prints a table and, as its last line, a JSON summary."""

from creatormatch.bench.api import children_cpu, cpu_split

__all__ = ["children_cpu", "cpu_split"]
