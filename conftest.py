"""Repo-level pytest wiring only: the project's self-tests live under tests/."""
