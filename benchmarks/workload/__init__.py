"""Workloads shared by the benchmark scripts (not benchmarks themselves)."""
