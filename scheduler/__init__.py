"""Periodic jobs: each is a thin entry point that reads the time and calls a use case."""
