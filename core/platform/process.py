"""Process-wide settings of the Python runtime, applied once when a platform process starts."""

from __future__ import annotations

import gc

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
