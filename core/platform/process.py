"""Process-wide settings of the Python runtime, applied once when a platform process starts."""

from __future__ import annotations

import ctypes
import gc
import os

# A unit of work of the ledger makes tens of thousands of containers (rows, events, replies) that
# live until it ends: a batch of 1,000 transfers about 60,000. The collector's first generation
# counts containers allocated and not yet freed, so with several batches in flight it fills with
# live rows, and every collection walks them in vain: with the default threshold (700) 15-20% of
# a gRPC server's CPU, still ~10% at 20,000 (a collection every ~20,000 containers, ~1.7 ms each,
# three per batch). At 200,000 it runs only once garbage that reference counts cannot free
# (cycles) has piled up that far, tens of megabytes at most; the ledger's hot path makes almost
# none (ADR 0005, seventh pass). Freezing the start-up heap (modules, models, compiled queries)
# takes it out of every later full collection.
FIRST_GENERATION_THRESHOLD = 200_000
_tuned = False

# glibc serves a block of `M_MMAP_THRESHOLD` bytes or more with its own mapping, and by default raises
# that threshold to the size of any such block freed (up to 32 MiB), so that the next one comes from
# the heap. A password check's argon2id working memory (19 MiB, ADR 0016) is such a block: after the
# first check, every later one is carved from the hashing thread's arena, and glibc keeps the freed
# top of an arena unless more than twice the threshold is free, so each hashing thread held 19 MiB for
# good (RSS rose in 19 MiB steps under a steady load, issue 23). A threshold set with mallopt is
# fixed: from 1 MiB up, blocks are mapped and given back to the system when freed; the requests' own
# buffers stay far below it. MALLOC_MMAP_THRESHOLD_ in the environment (read by glibc itself) wins.
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # <malloc.h>


def tune_garbage_collector() -> None:
    """Freeze what start-up built and raise the first generation's threshold (once per process)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)


def tune_allocator() -> bool:
    """Fix glibc's mmap threshold at MMAP_THRESHOLD (see above); False where there is nothing to do:
    another C library, or the threshold chosen in the environment."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
    except (ValueError, OSError):  # not glibc
        return False
    return bool(ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
