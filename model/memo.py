"""The model's memoisation, registered in one place.

The model memoises pure functions of a dataset (keyed by its content fingerprint) and of
plain values: a year's context, Monte Carlo draws, combination tables. Every such cache
is made with :func:`memoise`, so :func:`clear_caches` empties all of them at once (the
tests use it through one fixture; a benchmark uses it for a cold start). The dashboard's
own caches live in ``ui/cache.py``; ``ui/network.py`` memoises one pure function here too
(the label spots a set of node positions offers).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

__all__ = ["cache_sizes", "clear_caches", "memoise"]

F = TypeVar("F", bound=Callable)
_CACHES: list = []


def memoise(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, registered so that :func:`clear_caches` reaches it.

    >>> calls = []
    >>> @memoise(maxsize=4)
    ... def double(x):
    ...     calls.append(x)
    ...     return 2 * x
    >>> double(3), double(3), calls
    (6, 6, [3])
    >>> clear_caches()
    >>> double(3), calls
    (6, [3, 3])
    """

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return decorate


def clear_caches() -> None:
    """Empty every cache made with :func:`memoise`."""
    for cached in _CACHES:
        cached.cache_clear()


def cache_sizes() -> dict[str, int]:
    """How many entries each registered cache holds, by the function's qualified name.

    >>> clear_caches()
    >>> set(cache_sizes().values())
    {0}
    """
    return {f"{c.__module__}.{c.__qualname__}": c.cache_info().currsize for c in _CACHES}
