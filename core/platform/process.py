"""Process-wide settings of the Python runtime, applied once when a platform process starts."""

from __future__ import annotations

import gc

# A unit of work of the ledger makes tens of thousands of short-lived containers (rows, events,
# replies). With the default first-generation threshold (700) the collector runs dozens of times
# per batch and promotes the batch's still-live rows into older generations, whose scans then
# also walk the whole start-up heap: measured at 15-20% of the CPU of a gRPC batch. A higher
# threshold lets short-lived objects die young; freezing the start-up heap (modules, models,
# compiled queries) takes it out of every later full collection.
FIRST_GENERATION_THRESHOLD = 20_000
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
