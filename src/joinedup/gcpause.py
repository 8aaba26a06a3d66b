"""Pausing Python's cyclic garbage collector around bulk work.

An import or a full ``process`` of a large store holds millions of small containers (rows,
feature maps, sets) that live until the step ends. CPython's cyclic collector walks every live
container on each full collection, and with its default thresholds a 10,000-report ``process``
spent a quarter of its time there, more as the store grows. Those objects hold no reference
cycles that need collecting early (reference counting frees them), so the collector is paused
for the step and resumed afterwards; anything cyclic left over is collected then as usual.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_cycle_collection(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with the cyclic collector paused (re-entrant: an inner call leaves it off)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
