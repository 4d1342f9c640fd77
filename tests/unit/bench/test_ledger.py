"""The ledger bench's whole-machine CPU figures: busy time read off /proc/stat, per unit of work."""

from __future__ import annotations

import os
import sys
import time

import pytest

from bench.ledger import machine_busy_seconds, machine_cpu_since

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")


def spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_busy_process_shows_in_the_machine_busy_time() -> None:
    before = machine_busy_seconds()
    spin(0.5)
    after = machine_busy_seconds()
    assert before is not None and after is not None
    assert after - before >= 0.4  # at least this process's own 0.5 s (ticks of 10 ms), whatever else ran


def test_cpu_per_unit_divides_the_busy_time_by_the_work_done() -> None:
    before = machine_busy_seconds()
    spin(0.3)
    figure = machine_cpu_since(before, 1_000)["machine_cpu_us_per_unit"]
    # 0.3 s of this process over 1,000 units is ~300 µs each; every other core can add at most as much again.
    assert 250 <= figure <= (os.cpu_count() or 1) * 400
    assert machine_cpu_since(before, 0) == {} and machine_cpu_since(None, 10) == {}
