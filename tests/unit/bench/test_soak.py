"""The soak bench's figures: RSS growth per 10,000 requests after the warm-up, and the last half's trend."""

from __future__ import annotations

import pytest

from bench.soak import TARGET_MB_PER_10K, Sample, growth, slope, theil_sen

MB = 2**20


def test_slope_and_its_error_fit_a_line() -> None:
    b, err = slope([0, 1, 2, 3], [1.0, 3.0, 5.0, 7.0])
    assert b == pytest.approx(2.0) and err == pytest.approx(0.0)
    assert slope([1], [5.0]) == (0.0, 0.0)
    assert slope([2, 2, 2], [1.0, 2.0, 3.0]) == (0.0, 0.0)


def test_the_theil_sen_slope_is_the_median_of_pairwise_slopes() -> None:
    assert theil_sen([0, 1, 2, 3], [1.0, 3.0, 5.0, 7.0]) == pytest.approx(2.0)
    assert theil_sen([0, 1, 2, 3, 4], [1.0, 1.0, 1.0, 1.0, 9.0]) == 0.0  # one outlier moves it not
    assert theil_sen([2, 2], [1.0, 5.0]) == 0.0


def test_a_flat_run_meets_the_target() -> None:
    # steps as the allocator takes arenas, then flat: no trend in the last half
    rss = [150, 152, 153, 153, 153, 154, 153, 154, 153, 154, 154, 153]
    samples = [Sample(10.0 * i, 5_000 * i, r * MB) for i, r in enumerate(rss)]
    figures = growth(samples, warmup_seconds=30)
    assert figures["growth_mb_per_10k_requests"] < TARGET_MB_PER_10K
    assert not figures["last_half"]["upward"] and figures["target_met"]


def test_a_steady_leak_misses_it_and_shows_an_upward_trend() -> None:
    # 200 bytes per request: ~1.9 MB per 10,000 requests
    samples = [Sample(10.0 * i, 5_000 * i, 150 * MB + 200 * 5_000 * i) for i in range(12)]
    figures = growth(samples, warmup_seconds=30)
    assert figures["growth_mb_per_10k_requests"] == pytest.approx(1.907, abs=0.01)
    assert figures["last_half"]["upward"] and not figures["target_met"]
    assert figures["ratio_to_target"] > 1


def test_one_step_late_in_a_flat_run_is_not_a_trend() -> None:
    # the allocator reaches a new high-water mark once, four samples before the end
    rss = [150.0] * 6 + [151.0] * 16 + [151.7] * 4
    samples = [Sample(10.0 * i, 500 * i, r * MB) for i, r in enumerate(rss)]
    figures = growth(samples, warmup_seconds=60)
    half = figures["last_half"]
    assert half["least_squares_mb_per_10k_requests"] > 1  # a line through the step reads as a slope
    assert half["slope_mb_per_10k_requests"] == 0.0 and not half["upward"]


def test_steps_that_keep_coming_are_an_upward_trend() -> None:
    # a leak the allocator serves in 0.5 MB steps every third sample: ~3.3 MB per 10,000 requests
    samples = [Sample(10.0 * i, 500 * i, int((150 + 0.5 * (i // 3)) * MB)) for i in range(30)]
    figures = growth(samples, warmup_seconds=60)
    assert figures["last_half"]["slope_mb_per_10k_requests"] > 2 and figures["last_half"]["upward"]
    assert not figures["target_met"]


def test_too_short_a_run_says_so() -> None:
    assert "error" in growth([Sample(0.0, 0, 150 * MB)], warmup_seconds=30)
