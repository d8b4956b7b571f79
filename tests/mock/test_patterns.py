"""Strings generated for ``pattern`` keywords match them, deterministically."""

from __future__ import annotations

import random
import re

import pytest

from mlops_conformance.mock.patterns import PatternError, string_matching

PATTERNS = [
    r"^\d+\.\d+$",
    r"^[A-F]$",
    r"^v\d+\.\d+(\.\d+)?$",
    r"^[a-z0-9_-]{3,16}$",
    r"^(abc|de+f)\w*$",
    r"^[^/]+$",
    r"x{2}y?",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_generated_string_matches_its_pattern(pattern: str) -> None:
    for seed in range(20):
        assert re.search(pattern, string_matching(pattern, random.Random(seed)))


def test_the_same_seed_gives_the_same_string() -> None:
    assert string_matching(r"^[a-z]{5,9}$", random.Random(3)) == string_matching(
        r"^[a-z]{5,9}$", random.Random(3)
    )


def test_an_invalid_pattern_is_reported_not_guessed() -> None:
    with pytest.raises(PatternError):
        string_matching(r"(unclosed", random.Random(0))
