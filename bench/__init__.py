"""Timing benchmarks (run by hand, never in the unit tests)."""
