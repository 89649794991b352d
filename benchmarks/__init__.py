"""Benchmarks: reproducible measurements of tehgraph's speed and memory (see docs/benchmarks.md)."""
