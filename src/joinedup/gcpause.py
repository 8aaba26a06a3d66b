"""Pausing Python's cyclic garbage collector around bulk work, and keeping large blocks out
of the C heap.

An import or a full ``process`` of a large store holds millions of small containers (rows,
feature maps, sets) that live until the step ends. CPython's cyclic collector walks every live
container on each full collection, and with its default thresholds a 10,000-report ``process``
spent a quarter of its time there, more as the store grows. Those objects hold no reference
cycles that need collecting early (reference counting frees them), so the collector is paused
for the step and resumed afterwards; anything cyclic left over is collected then as usual.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD = 128 * 1024


@functools.cache
def large_blocks_mapped() -> bool:
    """Have glibc map every block of 128 KiB or more on its own, for good (once per process:
    finding the C library costs milliseconds, and importing one report passes here).

    By default glibc raises that threshold each time a large block is freed, up to 32 MiB,
    so the byte strings and arrays of a resolution round are then carved from the heap, which
    is not given back while small objects sit above them: at 20,000 reports, a fifth of the
    peak memory of a full run. Returns whether the setting took (False off glibc).
    """
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def without_cycle_collection(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with the cyclic collector paused (re-entrant: an inner call leaves it off),
    large blocks mapped (:func:`large_blocks_mapped`)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        large_blocks_mapped()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
