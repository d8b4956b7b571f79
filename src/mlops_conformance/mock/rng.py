"""A tiny deterministic random source (SplitMix64), cheap to create once per generated property.

``random.Random`` costs microseconds to seed; the generator seeds a fresh source for every property
and array item (so values depend on their path, not on what was generated before), which makes the
seeding cost dominate. SplitMix64 seeds by assignment and offers the handful of methods needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
_MASK = (1 << 64) - 1


def stable_int(*parts: object) -> int:
    """A 64-bit integer from ``parts``, stable across processes (unlike ``hash``)."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


class Rng:
    """SplitMix64 with the ``random.Random`` methods the generator uses."""

    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def _next(self) -> int:
        self._state = state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        state = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        state = ((state ^ (state >> 27)) * 0x94D049BB133111EB) & _MASK
        return state ^ (state >> 31)

    def random(self) -> float:
        """A float in [0, 1)."""
        return (self._next() >> 11) * (1.0 / 9007199254740992.0)

    def getrandbits(self, bits: int) -> int:
        value, have = 0, 0
        while have < bits:
            value = (value << 64) | self._next()
            have += 64
        return value >> (have - bits) if bits else 0

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            start, stop = 0, start
        span = stop - start
        if span <= 0:
            raise ValueError("empty range")
        return start + (self.getrandbits(span.bit_length() + 64) % span)

    def randint(self, low: int, high: int) -> int:
        return self.randrange(low, high + 1)

    def choice(self, items: Sequence[T]) -> T:
        if not items:
            raise IndexError("choice from an empty sequence")
        return items[self._next() % len(items)]

    def randbytes(self, count: int) -> bytes:
        return self.getrandbits(count * 8).to_bytes(count, "big")
