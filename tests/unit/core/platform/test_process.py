"""The collector and allocator tuning, checked in fresh interpreters: in the test worker the heap holds
the whole suite, and a full collection of it (what tuning starts with) takes seconds; the allocator's
settings are the process's."""

import os
import subprocess
import sys
from pathlib import Path

from core.identity.passwords import HASH_PROFILES

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


# Password checks on two pool threads, as `PasswordPool` runs them; prints the RSS they leave behind.
CHECKS = """
import sys
from concurrent.futures import ThreadPoolExecutor
from argon2 import PasswordHasher
from core.identity.passwords import HASH_PROFILES
from core.platform.process import tune_allocator

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024

if sys.argv[1] == "tuned":
    assert tune_allocator()
hasher = PasswordHasher.from_parameters(HASH_PROFILES["production"])
stored = hasher.hash("harbour-lantern-violet-42")
before = rss()
with ThreadPoolExecutor(2) as pool:
    for _ in range(4):
        list(pool.map(lambda _: hasher.verify(stored, "harbour-lantern-violet-42"), range(2)))
print(rss() - before)
"""


def _left_behind(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}
    result = subprocess.run([sys.executable, "-c", CHECKS, mode], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_password_checks_give_their_working_memory_back_once_the_allocator_is_tuned() -> None:
    memory = HASH_PROFILES["production"].memory_cost * 1024  # argon2id's working memory of one check
    # glibc's own adjustment: each hashing thread keeps a check's working memory for good
    assert _left_behind("default") >= memory
    assert _left_behind("tuned") < memory // 4
