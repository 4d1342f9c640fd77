import gc

from core.platform import process


def test_tuning_freezes_the_start_up_heap_and_raises_the_first_threshold_once() -> None:
    saved = gc.get_threshold()
    was_tuned, process._tuned = process._tuned, False
    try:
        process.tune_garbage_collector()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert gc.get_threshold() == (process.FIRST_GENERATION_THRESHOLD, saved[1], saved[2])

        gc.set_threshold(*saved)
        process.tune_garbage_collector()  # a second runtime in the same process changes nothing
        assert gc.get_threshold() == saved
        assert gc.get_freeze_count() <= frozen  # nothing frozen again (frozen objects may still be freed)
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
        process._tuned = was_tuned
