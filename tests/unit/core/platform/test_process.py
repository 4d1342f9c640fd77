"""The collector tuning, checked in a fresh interpreter: in the test worker the heap holds the whole
suite, and a full collection of it (what tuning starts with) takes seconds."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

CHECK = """
import gc
from core.platform import process

saved = gc.get_threshold()
process.tune_garbage_collector()
frozen = gc.get_freeze_count()
assert frozen > 0, frozen
assert gc.get_threshold() == (process.FIRST_GENERATION_THRESHOLD, saved[1], saved[2]), gc.get_threshold()

gc.set_threshold(*saved)
process.tune_garbage_collector()  # a second runtime in the same process changes nothing
assert gc.get_threshold() == saved, gc.get_threshold()
assert gc.get_freeze_count() <= frozen  # nothing frozen again (frozen objects may still be freed)
print("tuned once")
"""


def test_tuning_freezes_the_start_up_heap_and_raises_the_first_threshold_once() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tuned once"
