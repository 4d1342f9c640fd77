"""The ledger bench's whole-machine CPU figures: busy time read off /proc/stat, per unit of work."""

from __future__ import annotations

import os
import sys
import time

import pytest

from bench.ledger import (
    CROWDED_STEAL_SHARE,
    machine_cpu_since,
    machine_times,
    mean_of,
    ratios,
    steal_share,
    target_of,
    verdicts,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")


def spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_busy_process_shows_in_the_machine_busy_time() -> None:
    before = machine_times()
    spin(0.5)
    after = machine_times()
    assert before is not None and after is not None
    assert after[0] - before[0] >= 0.4  # at least this process's own 0.5 s (ticks of 10 ms), whatever else ran


def test_cpu_per_unit_divides_the_busy_time_by_the_work_done() -> None:
    started = time.monotonic()
    before = machine_times()
    spin(0.3)
    figures = machine_cpu_since(before, 1_000)
    wall = time.monotonic() - started
    figure = figures["machine_cpu_us_per_unit"]
    # 0.3 s of this process over 1,000 units is ~300 µs each; the machine cannot have been busier than every
    # core for the whole wall time (on a loaded host the spin takes longer, and others' work counts too).
    # Ticks are 10 ms: one more per core at either end.
    assert 250 <= figure <= (os.cpu_count() or 1) * (wall + 0.02) * 1_000
    # Stolen time can only have grown, and by no more than the cores' wall time (~0.3 s of it here, or
    # what other processes ran meanwhile), per unit.
    assert 0 <= figures["steal_us_per_unit"] <= (os.cpu_count() or 1) * 1_000
    assert machine_cpu_since(before, 0) == {} and machine_cpu_since(None, 10) == {}


def test_a_section_is_weighed_against_the_mean_of_the_baseline_runs_around_it() -> None:
    before = {"tps": 3_000.0, "machine_cpu_us_per_unit": 600}
    after = {"tps": 4_000.0, "machine_cpu_us_per_unit": 500}
    figures = ratios({"transfers_per_second": 10_500.0, "machine_cpu_us_per_unit": 110}, before, after)
    assert figures == {"baseline_tps": 3_500.0, "ratio": 3.0, "cpu_ratio": 5.0}


def test_without_cpu_figures_only_the_throughput_ratio_is_given() -> None:
    figures = ratios({"transfers_per_second": 1_000.0}, {"tps": 1_000.0}, {"tps": 1_000.0, "machine_cpu_us_per_unit": 9})
    assert figures == {"baseline_tps": 1_000.0, "ratio": 1.0}


def test_a_mean_needs_the_figure_in_every_run() -> None:
    assert mean_of("wal_bytes_per_unit", [{"wal_bytes_per_unit": 500}, {"wal_bytes_per_unit": 700}]) == {"wal_bytes_per_unit": 600}
    assert mean_of("wal_bytes_per_unit", [{"wal_bytes_per_unit": 500}, {}]) == {}
    assert mean_of("wal_bytes_per_unit", []) == {}


def test_the_steal_share_is_the_worst_of_a_section_and_its_baseline_runs() -> None:
    section = {"machine_cpu_us_per_unit": 580, "steal_us_per_unit": 141}  # a section on a crowded host
    quiet = {"machine_cpu_us_per_unit": 800, "steal_us_per_unit": 4}
    assert steal_share(quiet, quiet) == 0.005 and steal_share(quiet, quiet) < CROWDED_STEAL_SHARE
    assert steal_share(quiet, section, quiet) == 0.196 > CROWDED_STEAL_SHARE
    assert steal_share({"tps": 1.0}, quiet) == 0.005  # a run without the figures counts for nothing
    assert steal_share({"tps": 1.0}) is None and steal_share() is None


def test_each_section_is_judged_against_its_own_target() -> None:
    assert target_of("facade_1000_accounts") == 1.0 and target_of("facade_10_hot_accounts_one_per_unit") == 1.0
    assert target_of("grpc_batch_100") == 3.0 and target_of("grpc_batch_1000_full_view") == 3.0
    assert target_of("pgbench_tpcb_like") is None
    judged = verdicts({"facade_1000_accounts": 1.0, "facade_10_hot_accounts": 0.99, "grpc_batch_100": 2.07,
                       "grpc_batch_1000": 3.19, "grpc_batch_1000_full_view": 3.49},
                      crowded=["grpc_batch_1000_full_view"])
    assert judged == {"facade_1000_accounts": "met", "facade_10_hot_accounts": "not met", "grpc_batch_100": "not met",
                      "grpc_batch_1000": "met", "grpc_batch_1000_full_view": "not comparable"}
